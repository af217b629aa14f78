//! `--output -` and `--input -`: the same records through pipes as through files.

use std::path::Path;

use assert_cmd::Command;

use crate::support::{root, threadmill};

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn command() -> Command {
    let mut command = Command::cargo_bin("threadmill").expect("the threadmill binary is built");
    command.current_dir(root());
    command
}

#[test]
fn stdout_holds_the_bytes_of_the_output_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("threads.jsonl");
    let file_run = threadmill(&[
        "run",
        "--input",
        "data",
        "--input",
        "tests/fixtures",
        "--output",
        path_str(&out),
    ]);
    assert!(file_run.status.success());
    let report = dir.path().join("night.report.json");
    let piped = command()
        .args([
            "run",
            "--input",
            "data",
            "--input",
            "tests/fixtures",
            "--output",
            "-",
        ])
        .args(["--report", path_str(&report)])
        .output()
        .expect("threadmill runs");
    assert!(
        piped.status.success(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    let expected = std::fs::read(&out).expect("records");
    assert!(expected.len() > 1000);
    assert!(
        piped.stdout == expected,
        "stdout differs from the output file"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("JSON");
    assert_eq!(report["records"].as_u64(), Some(24));
    assert!(!Path::new("-").exists(), "no file named -");

    // Without --report, the report goes to stderr.
    let piped = command()
        .args(["run", "--input", "data", "--output", "-"])
        .output()
        .expect("threadmill runs");
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(stderr.contains("\"records\": 1"), "{stderr}");
}

#[test]
fn stdin_jsonl_gives_the_records_of_the_same_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut jsonl = String::new();
    for (n, name) in ["phpbb-en-prosilver.txt", "smf-es.txt", "xenforo-en.txt"]
        .iter()
        .enumerate()
    {
        let text = std::fs::read_to_string(root().join("tests/fixtures/text").join(name))
            .expect("fixture");
        let line = serde_json::json!({"url": format!("https://forum.example/t/{n}"), "text": text});
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
    }
    let pages = dir.path().join("pages.jsonl");
    std::fs::write(&pages, &jsonl).expect("write");
    let out = dir.path().join("threads.jsonl");
    let file_run = threadmill(&[
        "run",
        "--input",
        path_str(&pages),
        "--output",
        path_str(&out),
    ]);
    assert!(
        file_run.status.success(),
        "{}",
        String::from_utf8_lossy(&file_run.stderr)
    );

    let piped = command()
        .args(["run", "--input", "-", "--output", "-"])
        .write_stdin(jsonl)
        .output()
        .expect("threadmill runs");
    assert!(
        piped.status.success(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    // The only difference a pipe makes: the input is named `-` in `source.path`. Ids come
    // from the pages' URLs, so they are the file run's.
    let expected = std::fs::read_to_string(&out).expect("records").replace(
        &format!("\"path\":{}", serde_json::json!(path_str(&pages))),
        "\"path\":\"-\"",
    );
    assert_eq!(expected.lines().count(), 3);
    assert!(
        String::from_utf8_lossy(&piped.stdout) == expected,
        "stdin run differs from the file run"
    );
}
