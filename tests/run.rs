//! The run contract: outputs, rejects, report, exit codes, determinism, pipeline files.

use std::path::Path;

use crate::support::{read_jsonl, read_records, root, run_records, threadmill};

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

#[test]
fn output_is_byte_identical_for_any_job_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    let one = dir.path().join("one.jsonl");
    let two = dir.path().join("two.jsonl");
    for (out, jobs) in [(&one, "1"), (&two, "2")] {
        let output = threadmill(&[
            "run",
            "--input",
            "data",
            "--input",
            "tests/fixtures",
            "--output",
            path_str(out),
            "--jobs",
            jobs,
        ]);
        assert!(
            output.status.success(),
            "stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let (a, b) = (
        std::fs::read(&one).expect("one"),
        std::fs::read(&two).expect("two"),
    );
    assert!(a.len() > 1000);
    assert!(a == b, "--jobs 1 and --jobs 2 outputs differ");
    let records = read_records(&one);
    assert!(records.len() >= 2);
    let paths: Vec<&str> = records
        .iter()
        .map(|r| r["source"]["path"].as_str().expect("path"))
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted, "records are not in input order");
}

#[test]
fn bad_inputs_become_rejects_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).expect("mkdir");
    std::fs::write(inputs.join("1-empty.txt"), "").expect("write");
    std::fs::write(
        inputs.join("2-binary.txt"),
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x03\x00>\x00",
    )
    .expect("write");
    std::fs::write(
        inputs.join("3-broken-utf8.txt"),
        b"Caf\xc3\xa9 ok, then \xff\xfe broken\n",
    )
    .expect("write");
    std::fs::copy(
        root().join("data/phpbb-nl-kim-putin.txt"),
        inputs.join("4-good.txt"),
    )
    .expect("copy");
    #[cfg(unix)]
    std::os::unix::fs::symlink(inputs.join("nowhere.txt"), inputs.join("5-dangling.txt"))
        .expect("symlink");
    let out = dir.path().join("out/threads.jsonl");

    let output = threadmill(&[
        "run",
        "--input",
        path_str(&inputs),
        "--output",
        path_str(&out),
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );

    let records = read_records(&out);
    assert_eq!(records.len(), 1);
    assert!(
        records[0]["source"]["path"]
            .as_str()
            .expect("path")
            .ends_with("4-good.txt")
    );

    let rejects = read_jsonl(&dir.path().join("out/threads.rejects.jsonl"));
    let summary: Vec<(String, String)> = rejects
        .iter()
        .map(|r| {
            let name = crate::support::source_name(r);
            (name, r["stage"].as_str().expect("stage").to_owned())
        })
        .collect();
    let mut expected = vec![
        ("1-empty.txt".to_owned(), "decode".to_owned()),
        ("2-binary.txt".to_owned(), "decode".to_owned()),
        ("3-broken-utf8.txt".to_owned(), "decode".to_owned()),
    ];
    if cfg!(unix) {
        expected.push(("5-dangling.txt".to_owned(), "read".to_owned()));
    }
    let mut got = summary.clone();
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
    for reject in &rejects {
        assert!(
            reject["error"].as_str().is_some_and(|e| e.len() > 8),
            "reject without a clear error: {reject}"
        );
    }

    let report: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("out/threads.report.json")).expect("report"),
    )
    .expect("json");
    assert_eq!(
        report["inputs"].as_u64(),
        Some((records.len() + rejects.len()) as u64)
    );
    assert_eq!(report["records"], 1);
    assert_eq!(report["rejects"].as_u64(), Some(rejects.len() as u64));
    assert_eq!(report["rejects_by_stage"]["decode"], 3);
    for key in [
        "bytes_in",
        "bytes_out",
        "wall_seconds",
        "mb_per_second",
        "threads_per_second",
        "stage_seconds",
        "versions",
    ] {
        assert!(!report[key].is_null(), "report lacks {key}");
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("1 records") && stderr.contains("rejects"),
        "no summary on stderr: {stderr}"
    );
}

#[test]
fn compressed_inputs_and_outputs() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let gz_input = dir.path().join("page.txt.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&std::fs::read(root().join("data/phpbb-nl-kim-putin.txt")).expect("sample"))
        .expect("gzip");
    std::fs::write(&gz_input, enc.finish().expect("finish")).expect("write");
    for name in ["t.jsonl.gz", "t.jsonl.zst"] {
        let out = dir.path().join(name);
        let records = run_records(&["--input", path_str(&gz_input)], &out);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0]["posts"][0]["author"], "noumoe");
    }
}

#[test]
fn pipeline_files_are_checked() {
    let mut args = vec!["check"];
    let files: Vec<String> = std::fs::read_dir(root().join("pipelines"))
        .expect("pipelines/")
        .map(|e| {
            e.expect("entry")
                .path()
                .strip_prefix(root())
                .expect("below root")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(files.len() >= 2);
    args.extend(files.iter().map(String::as_str));
    let output = threadmill(&args);
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[segment]\nsentence = true\n").expect("write");
    let output = threadmill(&["check", path_str(&bad)]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "not one clear line: {stderr}");
    assert!(
        stderr.contains("bad.toml") && stderr.contains("sentence"),
        "{stderr}"
    );

    let output = threadmill(&[
        "run",
        "--pipeline",
        path_str(&bad),
        "--output",
        path_str(&dir.path().join("x.jsonl")),
    ]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn unwritable_output_is_fatal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a folder").expect("write");
    let out = blocker.join("threads.jsonl");
    let output = threadmill(&["run", "--input", "data", "--output", path_str(&out)]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_user_lexicon_extends_the_built_in_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lexicon = dir.path().join("myforum.toml");
    std::fs::write(
        &lexicon,
        "engine = \"myforum\"\nlang = \"en\"\nsignatures = [\"Powered by MyForum\"]\n[labels]\npost_header = [\"Message from {author} sent {date}\"]\n",
    )
    .expect("write");
    let page = dir.path().join("page.txt");
    std::fs::write(
        &page,
        "Cats\n\nMessage from ann sent Mon Jan 06, 2020 10:00 am\nI like cats a lot, they are great.\n\n\
         Message from bob sent Mon Jan 06, 2020 11:00 am\nDogs are better than cats, really.\n\nPowered by MyForum\n",
    )
    .expect("write");
    let out = dir.path().join("t.jsonl");
    let records = run_records(
        &["--input", path_str(&page), "--lexicon", path_str(&lexicon)],
        &out,
    );
    assert_eq!(records[0]["engine"], "myforum");
    let authors: Vec<&str> = records[0]["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .map(|p| p["author"].as_str().expect("author"))
        .collect();
    assert_eq!(authors, ["ann", "bob"]);
    assert_eq!(records[0]["posts"][1]["posted_at"], "2020-01-06T11:00");
}

#[test]
fn schema_command_prints_the_schema() {
    let output = threadmill(&["schema"]);
    assert!(output.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(schema["title"], "threadmill.thread/3");
}

#[test]
fn the_fast_pipeline_keeps_the_posts_and_leaves_out_the_analysis() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = ["--input", "tests/fixtures/text"];
    let full = run_records(&input, &dir.path().join("full.jsonl"));
    let fast = run_records(
        &[input[0], input[1], "--pipeline", "pipelines/fast.toml"],
        &dir.path().join("fast.jsonl"),
    );
    assert_eq!(full.len(), fast.len());
    let posts = |r: &serde_json::Value, field: &str| -> Vec<serde_json::Value> {
        r["posts"]
            .as_array()
            .expect("posts")
            .iter()
            .map(|p| p[field].clone())
            .collect()
    };
    for (full, fast) in full.iter().zip(&fast) {
        for field in ["author", "posted_at", "text", "links"] {
            assert_eq!(posts(full, field), posts(fast, field), "{field}");
        }
        assert!(posts(fast, "lang").iter().all(serde_json::Value::is_null));
        assert_eq!(fast["entities"], serde_json::json!([]));
        assert_eq!(fast["quotes"], serde_json::json!([]));
        let sentences = fast["posts"]
            .as_array()
            .expect("posts")
            .iter()
            .flat_map(|p| p["blocks"].as_array().expect("blocks"))
            .all(|b| b["sentences"].as_array().is_none_or(Vec::is_empty));
        assert!(sentences, "no sentences without the splitter");
    }
    // The posts of the full run do carry languages and sentences: the test can fail.
    assert!(
        full.iter()
            .any(|r| posts(r, "lang").iter().any(|l| !l.is_null()))
    );
}
