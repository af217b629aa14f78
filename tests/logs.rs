//! Logs fit for a cluster: quiet about the parser's repairs, plain when not on a terminal,
//! JSON for collectors, every reject a warning naming its source and stage.

use std::path::Path;

use assert_cmd::Command;

use crate::support::root;

/// A table with text inside it: html5ever repairs it by "foster parenting" and says so.
const FOSTERED: &str = "<html><head><title>Tables</title></head><body><table><tr><td>cell</td></tr>stray text<div>lost div</div></table>\
<div class=\"post\"><p>by ann » Mon Jan 06, 2020 10:00 am</p><p>Which kettle do you use for tea?</p></div></body></html>";

/// Runs over one fostering page and one empty page; returns stderr.
fn stderr_of(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let inputs = dir.join("in");
    std::fs::create_dir_all(&inputs).expect("mkdir");
    std::fs::write(inputs.join("fostered.html"), FOSTERED).expect("write");
    std::fs::write(inputs.join("empty.txt"), "").expect("write");
    let mut command = Command::cargo_bin("threadmill").expect("the threadmill binary is built");
    command
        .current_dir(root())
        .env_remove("RUST_LOG")
        .env_remove("NO_COLOR")
        .args(["run", "--input", inputs.to_str().expect("utf-8")])
        .args(["--output", dir.join("out.jsonl").to_str().expect("utf-8")])
        .args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("threadmill runs");
    assert_eq!(output.status.code(), Some(1), "the empty page is rejected");
    String::from_utf8(output.stderr).expect("utf-8")
}

#[test]
fn parser_notes_are_debug_and_name_their_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let quiet = stderr_of(dir.path(), &[], &[]);
    assert!(!quiet.contains("foster parenting"), "{quiet}");
    assert!(
        !quiet.contains('\u{1b}'),
        "colour written to a pipe: {quiet}"
    );
    let reject = quiet
        .lines()
        .find(|l| l.contains("input rejected"))
        .unwrap_or_else(|| panic!("no reject warning: {quiet}"));
    assert!(
        reject.contains("WARN") && reject.contains("empty.txt") && reject.contains("stage=decode"),
        "{reject}"
    );

    let debug = stderr_of(dir.path(), &[], &[("RUST_LOG", "warn,html5ever=debug")]);
    let note = debug
        .lines()
        .find(|l| l.contains("foster parenting"))
        .unwrap_or_else(|| panic!("no parser note at debug: {debug}"));
    assert!(
        note.contains("DEBUG") && note.contains("fostered.html"),
        "{note}"
    );
}

#[test]
fn json_logs_are_one_object_per_event() {
    let dir = tempfile::tempdir().expect("tempdir");
    let stderr = stderr_of(dir.path(), &["--log-format", "json"], &[]);
    let events: Vec<serde_json::Value> = stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let reject = events
        .iter()
        .find(|e| e["fields"]["message"] == "input rejected")
        .unwrap_or_else(|| panic!("no reject event: {stderr}"));
    assert_eq!(reject["level"], "WARN");
    assert_eq!(reject["fields"]["stage"], "decode");
    assert!(
        reject["fields"]["source"]
            .as_str()
            .is_some_and(|s| s.ends_with("empty.txt"))
    );
    // Everything else on stderr is the one summary line.
    assert_eq!(
        stderr.lines().filter(|l| !l.starts_with('{')).count(),
        1,
        "{stderr}"
    );
}
