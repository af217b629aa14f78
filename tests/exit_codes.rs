//! Exit codes a nightly scheduler can act on: one end-to-end run per code.

use std::path::Path;

use crate::support::{root, threadmill};

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Exit 2 with exactly one line on stderr that contains `naming`.
fn assert_cannot_run(args: &[&str], naming: &str) {
    let output = threadmill(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(
        stderr.lines().count(),
        1,
        "{args:?}: not one line: {stderr}"
    );
    assert!(
        stderr.contains(naming),
        "{args:?}: {stderr} does not name {naming:?}"
    );
}

#[test]
fn every_page_a_record_exits_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.jsonl");
    let output = threadmill(&["run", "--input", "data", "--output", path_str(&out)]);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn some_pages_rejected_exits_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("mkdir");
    std::fs::write(input.join("empty.txt"), "").expect("write");
    std::fs::copy(
        root().join("data/phpbb-nl-kim-putin.txt"),
        input.join("good.txt"),
    )
    .expect("copy");
    let out = dir.path().join("out/threads.jsonl");
    let output = threadmill(&[
        "run",
        "--input",
        path_str(&input),
        "--output",
        path_str(&out),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(out.exists(), "the good page still came out");
}

#[test]
fn a_missing_input_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nonexistent");
    let out = dir.path().join("out.jsonl");
    assert_cannot_run(
        &[
            "run",
            "--input",
            path_str(&missing),
            "--output",
            path_str(&out),
        ],
        &format!("input {} does not exist", missing.display()),
    );
    assert!(
        !out.exists(),
        "no empty output for a night that could not run"
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_input_exits_2() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // root reads any folder whatever its mode: nothing to test then.
    if std::fs::read_dir(&locked).is_ok() {
        return;
    }
    let out = dir.path().join("out.jsonl");
    assert_cannot_run(
        &[
            "run",
            "--input",
            path_str(&locked),
            "--output",
            path_str(&out),
        ],
        "cannot be read",
    );
}

#[test]
fn an_unsupported_url_scheme_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.jsonl");
    assert_cannot_run(
        &[
            "run",
            "--input",
            "s3://bucket/forums/",
            "--output",
            path_str(&out),
        ],
        "cannot read s3:// URLs",
    );
}

#[test]
fn zero_inputs_exit_2_unless_allowed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    std::fs::write(empty.join("notes.md"), "not an input").expect("write");
    let out = dir.path().join("out.jsonl");
    assert_cannot_run(
        &[
            "run",
            "--input",
            path_str(&empty),
            "--output",
            path_str(&out),
        ],
        "no inputs matched",
    );
    let allowed = threadmill(&[
        "run",
        "--input",
        path_str(&empty),
        "--output",
        path_str(&out),
        "--allow-empty",
    ]);
    assert_eq!(allowed.status.code(), Some(0));
    assert_eq!(std::fs::read(&out).expect("an empty output"), b"");
}

#[test]
fn an_invalid_now_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.jsonl");
    assert_cannot_run(
        &["run", "--now", "yesterday", "--output", path_str(&out)],
        "invalid reference time \"yesterday\"",
    );
}
