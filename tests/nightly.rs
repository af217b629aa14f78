//! Nightly behaviour: incremental runs with a state folder, duplicates, and runs that are
//! killed or interrupted and then resumed.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{read_jsonl, root, run_records};

fn report(output: &Path) -> serde_json::Value {
    let name = output
        .file_name()
        .expect("name")
        .to_string_lossy()
        .replace(".jsonl", ".report.json");
    serde_json::from_slice(&std::fs::read(output.with_file_name(name)).expect("report"))
        .expect("json")
}

/// A folder of `n` distinct pages (the sample with a numbered title).
fn pages(dir: &Path, n: usize) {
    let sample =
        std::fs::read_to_string(root().join("data/phpbb-nl-kim-putin.txt")).expect("sample");
    std::fs::create_dir_all(dir).expect("mkdir");
    for i in 0..n {
        std::fs::write(
            dir.join(format!("page-{i:05}.txt")),
            format!("Thread number {i}\n\n{sample}"),
        )
        .expect("write");
    }
}

#[test]
fn a_state_folder_makes_runs_incremental() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("in");
    pages(&inputs, 4);
    let state = dir.path().join("state");
    let args = |out: &str| {
        vec![
            "--input".to_owned(),
            inputs.to_string_lossy().into_owned(),
            "--state".to_owned(),
            state.to_string_lossy().into_owned(),
            "--output".to_owned(),
            dir.path().join(out).to_string_lossy().into_owned(),
        ]
    };
    let run = |out: &str| {
        let output = crate::support::threadmill(
            &["run"]
                .into_iter()
                .chain(args(out).iter().map(String::as_str))
                .collect::<Vec<_>>(),
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        (
            read_jsonl(&dir.path().join(out)),
            report(&dir.path().join(out)),
        )
    };
    let (first, r1) = run("night1.jsonl");
    assert_eq!((first.len(), r1["new"].as_u64()), (4, Some(4)));

    std::fs::write(
        inputs.join("page-00001.txt"),
        "Changed thread\n\nPost by ann » Mon Jan 06, 2020 10:00 am\nNew words here.\n",
    )
    .expect("write");
    std::fs::remove_file(inputs.join("page-00002.txt")).expect("remove");
    pages(&dir.path().join("extra"), 1);
    std::fs::rename(
        dir.path().join("extra/page-00000.txt"),
        inputs.join("page-99999.txt"),
    )
    .expect("move");

    let (second, r2) = run("night2.jsonl");
    let counts: Vec<u64> = ["new", "changed", "unchanged", "vanished"]
        .iter()
        .map(|k| r2[k].as_u64().expect("count"))
        .collect();
    assert_eq!(counts, [1, 1, 2, 1], "{r2:#}");
    let paths: Vec<&str> = second
        .iter()
        .map(|r| r["source"]["path"].as_str().expect("path"))
        .collect();
    assert!(
        paths[0].ends_with("page-00001.txt") && paths[1].ends_with("page-99999.txt"),
        "{paths:?}"
    );
    let vanished = read_jsonl(&dir.path().join("night2.vanished.jsonl"));
    assert!(
        vanished[0]["path"]
            .as_str()
            .expect("path")
            .ends_with("page-00002.txt")
    );
    let ids: Vec<&str> = first
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        second[0]["id"], ids[1],
        "a changed input keeps its id, so the delta upserts"
    );
}

#[test]
fn exact_duplicates_are_counted_and_optionally_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("in");
    pages(&inputs, 2);
    std::fs::copy(
        inputs.join("page-00000.txt"),
        inputs.join("page-00000-copy.txt"),
    )
    .expect("copy");
    let kept = run_records(
        &["--input", inputs.to_str().expect("utf-8")],
        &dir.path().join("kept.jsonl"),
    );
    assert_eq!(kept.len(), 3);
    assert_eq!(report(&dir.path().join("kept.jsonl"))["duplicates"], 1);
    let pipeline = dir.path().join("skip.toml");
    std::fs::write(&pipeline, "[input]\nduplicates = \"skip\"\n").expect("write");
    let skipped = run_records(
        &[
            "--input",
            inputs.to_str().expect("utf-8"),
            "--pipeline",
            pipeline.to_str().expect("utf-8"),
        ],
        &dir.path().join("skipped.jsonl"),
    );
    assert_eq!(skipped.len(), 2);
    assert_eq!(report(&dir.path().join("skipped.jsonl"))["skipped"], 1);
}

/// Starts a run and stops it with `signal` once its checkpoint holds some records.
fn start_and_stop(inputs: &Path, out: &Path, signal: &str) -> std::process::ExitStatus {
    let journal = out.with_file_name("big.partial").join("journal.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_threadmill"))
        .args(["run", "--jobs", "1", "--input"])
        .arg(inputs)
        .arg("--output")
        .arg(out)
        .stderr(Stdio::null())
        .spawn()
        .expect("start threadmill");
    let deadline = Instant::now() + Duration::from_mins(2);
    while std::fs::metadata(&journal).map_or(true, |m| m.len() == 0) {
        assert!(Instant::now() < deadline, "the checkpoint never filled");
        if let Some(status) = child.try_wait().expect("poll") {
            panic!("the run ended ({status}) before it could be stopped: make the input larger");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    child.wait().expect("wait")
}

#[cfg(unix)]
#[test]
fn killed_and_interrupted_runs_resume_to_the_same_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("in");
    pages(&inputs, 1500);
    // A thread's pages on both sides of the stop: stitched the same after resuming.
    for (name, page) in [
        ("aa-thread-3.html", "vbulletin-3.html"),
        ("aa-thread-2.html", "vbulletin-2.html"),
        ("zz-thread-1.html", "vbulletin-1.html"),
    ] {
        std::fs::copy(
            root().join("tests/thread-pages").join(page),
            inputs.join(name),
        )
        .expect("copy");
    }
    let reference = dir.path().join("reference.jsonl");
    run_records(
        &["--input", inputs.to_str().expect("utf-8"), "--jobs", "2"],
        &reference,
    );
    let expected = std::fs::read(&reference).expect("reference output");

    for signal in ["-KILL", "-INT"] {
        let out = dir.path().join("big.jsonl");
        let _ = std::fs::remove_file(&out);
        let status = start_and_stop(&inputs, &out, signal);
        assert!(!status.success());
        assert!(
            !out.exists(),
            "{signal}: a stopped run must not leave output under the final name"
        );
        if signal == "-INT" {
            assert_eq!(status.code(), Some(130));
            assert_eq!(report(&out)["interrupted"], true);
        }
        let again = Command::new(env!("CARGO_BIN_EXE_threadmill"))
            .args(["run", "--jobs", "2", "--input"])
            .arg(&inputs)
            .arg("--output")
            .arg(&out)
            .output()
            .expect("rerun");
        assert!(
            again.status.success(),
            "{}",
            String::from_utf8_lossy(&again.stderr)
        );
        assert!(
            report(&out)["resumed"].as_u64() > Some(0),
            "{signal}: nothing was resumed"
        );
        assert!(
            std::fs::read(&out).expect("output") == expected,
            "{signal}: resumed output differs from an uninterrupted run"
        );
        assert!(
            !out.with_file_name("big.partial").exists(),
            "the checkpoint is removed once the run completes"
        );
    }
}
