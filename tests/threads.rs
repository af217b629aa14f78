//! Threads across pages: pages of one thread, out of order, over two archives, a folder and
//! a scraper's JSONL, come out as one record each (`tests/thread-pages/`, made by its
//! `make.py`).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{assert_accounted, root, run_records, tar_zst, threadmill};

fn page(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/thread-pages").join(name)).expect("fixture page")
}

fn pages_tar_zst(path: &Path, names: &[&str]) {
    let entries: Vec<(String, Vec<u8>)> = names
        .iter()
        .map(|name| (format!("pages/{name}"), page(name)))
        .collect();
    tar_zst(path, &entries);
}

fn zip(path: &Path, names: &[&str]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("create"));
    for name in names {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        zip.write_all(&page(name)).expect("write");
    }
    zip.finish().expect("zip");
}

/// The inputs: page 3 of the vBulletin thread in the first archive, pages 1 and 2 in the
/// second; phpBB's HTML and `XenForo`'s HTML split between an archive and a folder; phpBB's
/// text copy without its page 2; `XenForo`'s text copy in the second archive; vBulletin's
/// text copy (the first post on every page again) over the first archive and the folder;
/// Discourse as HTML files and as a scraper's JSONL delivered 3, 1, 2.
fn inputs(dir: &Path) -> PathBuf {
    let inputs = dir.join("in");
    let loose = inputs.join("loose");
    std::fs::create_dir_all(&loose).expect("mkdir");
    pages_tar_zst(
        &inputs.join("a.tar.zst"),
        &[
            "vbulletin-3.html",
            "phpbb-2.html",
            "xenforo-2.html",
            "phpbb-3.txt",
            "vbulletin-3.txt",
        ],
    );
    zip(
        &inputs.join("b.zip"),
        &[
            "vbulletin-2.html",
            "vbulletin-1.html",
            "xenforo-3.txt",
            "xenforo-1.txt",
            "xenforo-2.txt",
        ],
    );
    for name in [
        "phpbb-3.html",
        "phpbb-1.html",
        "phpbb-1.txt",
        "vbulletin-2.txt",
        "vbulletin-1.txt",
        "xenforo-1.html",
        "xenforo-3.html",
        "discourse-1.html",
        "discourse-2.html",
        "discourse-3.html",
        "discourse-text.jsonl",
    ] {
        std::fs::write(loose.join(name), page(name)).expect("write");
    }
    inputs
}

fn authors(record: &Value) -> Vec<&str> {
    record["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .map(|p| p["author"].as_str().unwrap_or("?"))
        .collect()
}

fn by_key<'a>(records: &'a [Value], key: &str) -> &'a Value {
    records
        .iter()
        .find(|r| r["thread_key"] == key)
        .unwrap_or_else(|| panic!("no record for {key}"))
}

#[test]
fn pages_of_a_thread_become_one_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = inputs(dir.path());
    let out = dir.path().join("threads.jsonl");
    let records = run_records(&["--input", inputs.to_str().expect("utf-8")], &out);
    assert_eq!(records.len(), 8, "one record per thread and format");
    let all = ["ann", "bob", "cy", "dee", "eli", "fay"];
    for key in [
        "url:camp.example/vbulletin/77",
        "url:camp.example/phpbb/123",
        "url:camp.example/xenforo/4511",
        "url:talk.example/discourse/991",
        "text:url:talk.example/discourse/991",
    ] {
        let record = by_key(&records, key);
        assert_eq!(authors(record), all, "{key}: every post once, in order");
        let numbers: Vec<u64> = record["pages"]
            .as_array()
            .expect("pages")
            .iter()
            .map(|p| p["n"].as_u64().expect("n"))
            .collect();
        assert_eq!(numbers, [1, 2, 3], "{key}");
        assert!(record.get("missing_pages").is_none(), "{key}");
        let indexes: Vec<u64> = record["posts"]
            .as_array()
            .expect("posts")
            .iter()
            .map(|p| p["index"].as_u64().expect("index"))
            .collect();
        assert_eq!(indexes, [0, 1, 2, 3, 4, 5]);
    }
    // vBulletin repeats the first post on pages 2 and 3: it is there once.
    let vb = by_key(&records, "url:camp.example/vbulletin/77");
    assert_eq!(vb["source"]["member"], "vbulletin-1.html");
    assert_eq!(vb["pages"][2]["source"]["member"], "pages/vbulletin-3.html");
    // The phpBB text copy lacks page 2 of 3: it says so.
    let text = records
        .iter()
        .find(|r| {
            r["thread_key"]
                .as_str()
                .is_some_and(|k| k.starts_with("text:title:phpbb/tents/"))
        })
        .expect("phpBB text thread");
    assert_eq!(text["missing_pages"], serde_json::json!([2]));
    assert_eq!(authors(text), ["ann", "bob", "eli", "fay"]);
    let xf_text = records
        .iter()
        .find(|r| r["source"]["member"] == "xenforo-1.txt")
        .expect("XenForo text thread");
    assert_eq!(authors(xf_text), all);
    // vBulletin's text copy has no post ids: its repeated first post is told by author,
    // date and text.
    let vb_text = records
        .iter()
        .find(|r| r["thread_key"] == "text:title:vbulletin//which tent for a windy coast?")
        .expect("vBulletin text thread");
    assert_eq!(authors(vb_text), all);
    assert_eq!(
        vb_text["source"]["path"]
            .as_str()
            .map(|p| p.ends_with("vbulletin-1.txt")),
        Some(true)
    );

    let report: Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("threads.report.json")).expect("report"),
    )
    .expect("json");
    assert_eq!(report["stitched_pages"], 23 - 8);
    assert_eq!(report["stitched_threads"], 8);
    assert_eq!(report["posts"], 7 * 6 + 4);
    assert_accounted(&report);
}

#[test]
fn stitched_output_is_the_same_for_any_job_count_and_grouping_can_be_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = inputs(dir.path());
    let input = inputs.to_str().expect("utf-8");
    let mut outputs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("j{jobs}.jsonl"));
        let output = threadmill(&[
            "run",
            "--input",
            input,
            "--jobs",
            jobs,
            "--output",
            out.to_str().expect("utf-8"),
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        outputs.push(std::fs::read(&out).expect("output"));
    }
    assert!(outputs[0] == outputs[1], "--jobs 1 and 2 differ");

    let pipeline = dir.path().join("pages.toml");
    std::fs::write(&pipeline, "[stitch]\nenabled = false\n").expect("write");
    let records = run_records(
        &[
            "--input",
            input,
            "--pipeline",
            pipeline.to_str().expect("utf-8"),
        ],
        &dir.path().join("pages.jsonl"),
    );
    assert_eq!(records.len(), 23, "one record per page");
    assert!(records.iter().all(|r| r.get("pages").is_none()));
}

#[test]
fn a_sharded_run_stitches_each_thread_in_one_shard() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = inputs(dir.path());
    let input = inputs.to_str().expect("utf-8");
    let single = dir.path().join("single.jsonl");
    run_records(&["--input", input], &single);
    let plan = dir.path().join("plan");
    let plan_str = plan.to_str().expect("utf-8");
    let output = threadmill(&["plan", "--input", input, "--shards", "3", "--out", plan_str]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for shard in ["0/3", "1/3", "2/3"] {
        let output = threadmill(&["run", "--plan", plan_str, "--shard", shard]);
        assert!(
            output.status.code().is_some_and(|c| c <= 1),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let concat = dir.path().join("all.jsonl");
    let output = threadmill(&[
        "merge",
        plan_str,
        "--concat",
        concat.to_str().expect("utf-8"),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        std::fs::read(&single).expect("single") == std::fs::read(&concat).expect("concat"),
        "a sharded run gives a single run's bytes"
    );
}

#[test]
fn stitched_record_snapshot() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = inputs(dir.path());
    let out = dir.path().join("threads.jsonl");
    let records = run_records(&["--input", inputs.to_str().expect("utf-8")], &out);
    let vb = by_key(&records, "url:camp.example/vbulletin/77");
    insta::assert_json_snapshot!("stitched_vbulletin", vb, {
        ".id" => "[id of the first page]",
        ".source.path" => "[path]",
        ".pages[].source.path" => "[path]",
    });
}

#[test]
fn a_nightly_delta_stitches_the_new_pages_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(&inputs).expect("mkdir");
    let state = dir.path().join("state");
    let night = |n: u32| {
        let out = dir.path().join(format!("night{n}.jsonl"));
        let records = run_records(
            &[
                "--input",
                inputs.to_str().expect("utf-8"),
                "--state",
                state.to_str().expect("utf-8"),
            ],
            &out,
        );
        let report: Value = serde_json::from_slice(
            &std::fs::read(dir.path().join(format!("night{n}.report.json"))).expect("report"),
        )
        .expect("json");
        (records, report)
    };
    for name in ["phpbb-1.html", "phpbb-2.html"] {
        std::fs::write(inputs.join(name), page(name)).expect("write");
    }
    let (records, report) = night(1);
    assert_eq!(records.len(), 1);
    assert_eq!(authors(&records[0]), ["ann", "bob", "cy", "dee"]);
    assert_eq!(report["stitched_pages"], 1);

    // Page 3 arrives: the delta is page 3's own record, pages 1 and 2 are unchanged.
    std::fs::write(inputs.join("phpbb-3.html"), page("phpbb-3.html")).expect("write");
    let (records, report) = night(2);
    assert_eq!(records.len(), 1);
    assert_eq!(authors(&records[0]), ["eli", "fay"]);
    assert!(records[0].get("pages").is_none());
    assert_eq!(
        (report["unchanged"].as_u64(), report["new"].as_u64()),
        (Some(2), Some(1))
    );
    assert_accounted(&report);
}
