//! Record ids: the same page gets the same id however its input root is spelled.

use std::path::Path;

use assert_cmd::Command;

use crate::support::{read_records, root};

/// Runs `threadmill run --input INPUT` from `cwd` and returns the records' ids.
fn ids(cwd: &Path, input: &str, out: &Path) -> Vec<String> {
    let output = Command::cargo_bin("threadmill")
        .expect("the threadmill binary is built")
        .current_dir(cwd)
        .args([
            "run",
            "--input",
            input,
            "--output",
            out.to_str().expect("utf-8"),
        ])
        .output()
        .expect("threadmill runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    read_records(out)
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn three_spellings_of_one_root_give_one_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("sub")).expect("mkdir");
    std::fs::copy(
        root().join("data/phpbb-nl-kim-putin.txt"),
        data.join("sub/a.txt"),
    )
    .expect("copy");
    let absolute = data.to_str().expect("utf-8").to_owned();
    let spellings = ["data", "./data/", absolute.as_str()];
    let runs: Vec<Vec<String>> = spellings
        .iter()
        .enumerate()
        .map(|(i, input)| ids(dir.path(), input, &dir.path().join(format!("out{i}.jsonl"))))
        .collect();
    assert_eq!(runs[0].len(), 1);
    assert_eq!(runs[0], runs[1], "data vs ./data/");
    assert_eq!(runs[0], runs[2], "data vs {absolute}");
    // The folder moved elsewhere keeps its ids: they do not depend on where it lies.
    let moved = dir.path().join("elsewhere");
    std::fs::create_dir(&moved).expect("mkdir");
    std::fs::rename(&data, moved.join("data")).expect("move");
    assert_eq!(
        ids(&moved, "data", &dir.path().join("moved.jsonl")),
        runs[0]
    );
}

#[test]
fn a_page_with_a_url_keeps_its_id_in_any_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = r#"<html><head><title>Kettles</title><link rel="canonical" href="https://forum.example/t/kettles.7/"></head>
<body><div class="post"><p>by ann » Mon Jan 06, 2020 10:00 am</p><p>Which kettle do you use for tea?</p></div></body></html>"#;
    for folder in ["night1", "night2/deeper"] {
        std::fs::create_dir_all(dir.path().join(folder)).expect("mkdir");
    }
    std::fs::write(dir.path().join("night1/a.html"), html).expect("write");
    std::fs::write(dir.path().join("night2/deeper/renamed.html"), html).expect("write");
    let first = ids(dir.path(), "night1", &dir.path().join("one.jsonl"));
    let second = ids(dir.path(), "night2", &dir.path().join("two.jsonl"));
    assert_eq!(first.len(), 1);
    assert_eq!(first, second);
}
