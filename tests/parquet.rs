//! `--output NAME.parquet` and `merge --concat NAME.parquet`: the JSONL's records, read back field by field.

use std::path::Path;

use serde_json::Value;

use crate::support::{read_records, root, run_records, threadmill};

/// Every record of a Parquet file, as JSON: parquet's Arrow reader, then arrow-json's
/// writer with nulls written out.
fn read_parquet(path: &Path) -> Vec<Value> {
    let file = std::fs::File::open(path).expect("open the Parquet file");
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("a Parquet file")
        .build()
        .expect("a reader");
    let mut json = Vec::new();
    let mut writer = arrow_json::WriterBuilder::new()
        .with_explicit_nulls(true)
        .build::<_, arrow_json::writer::LineDelimited>(&mut json);
    for batch in reader {
        writer.write(&batch.expect("a batch")).expect("to JSON");
    }
    writer.finish().expect("to JSON");
    drop(writer);
    String::from_utf8(json)
        .expect("utf-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .collect()
}

/// The JSONL leaves these keys out when they are empty (the JSON Schema does not require
/// them); Parquet has no "left out", so they read back as null. Every other null must be
/// a null in the JSONL too.
fn drop_left_out(record: &mut Value) {
    fn drop_null(object: &mut Value, key: &str) {
        if let Some(map) = object.as_object_mut()
            && map.get(key).is_some_and(Value::is_null)
        {
            map.remove(key);
        }
    }
    for key in ["thread_key", "pages", "missing_pages"] {
        drop_null(record, key);
    }
    for post in record["posts"].as_array_mut().into_iter().flatten() {
        for block in post["blocks"].as_array_mut().into_iter().flatten() {
            drop_null(block, "author");
        }
    }
    for line in record["chrome"].as_array_mut().into_iter().flatten() {
        drop_null(line, "post");
    }
}

/// The first place two values differ, as a path, or `None`.
fn first_difference(jsonl: &Value, parquet: &Value, at: &str) -> Option<String> {
    match (jsonl, parquet) {
        (Value::Object(want), Value::Object(got)) => {
            for key in want.keys().chain(got.keys()) {
                let (Some(want), Some(got)) = (want.get(key), got.get(key)) else {
                    return Some(format!("{at}.{key}: present on one side only"));
                };
                if let Some(found) = first_difference(want, got, &format!("{at}.{key}")) {
                    return Some(found);
                }
            }
            None
        }
        (Value::Array(want), Value::Array(got)) if want.len() == got.len() => want
            .iter()
            .zip(got)
            .enumerate()
            .find_map(|(i, (want, got))| first_difference(want, got, &format!("{at}[{i}]"))),
        _ => (jsonl != parquet)
            .then(|| format!("{at}: {jsonl} in the JSONL, {parquet} in the Parquet file")),
    }
}

/// The Parquet file holds the JSONL's records, in order, field by field.
fn assert_same_records(jsonl: &Path, parquet: &Path) -> usize {
    let expected = read_records(jsonl);
    let mut found = read_parquet(parquet);
    assert_eq!(
        found.len(),
        expected.len(),
        "records in {}",
        parquet.display()
    );
    for (i, (want, got)) in expected.iter().zip(&mut found).enumerate() {
        drop_left_out(got);
        if let Some(difference) = first_difference(want, got, "record") {
            panic!("record {i} ({}): {difference}", want["source"]["path"]);
        }
    }
    expected.len()
}

fn run_both(inputs: &[&str], dir: &Path, name: &str) -> usize {
    let mut args = Vec::new();
    for input in inputs {
        args.extend(["--input", input]);
    }
    args.extend(["--now", "2024-01-01T00:00:00"]);
    let jsonl = dir.join(format!("{name}.jsonl"));
    let parquet = dir.join(format!("{name}.parquet"));
    run_records(&args, &jsonl);
    let mut all = vec!["run"];
    all.extend_from_slice(&args);
    all.extend(["--output", parquet.to_str().expect("utf-8")]);
    let output = threadmill(&all);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The side files share the stem, as beside a JSONL output.
    for side in ["rejects.jsonl", "report.json", "report.html"] {
        assert!(dir.join(format!("{name}.{side}")).exists(), "{name}.{side}");
    }
    assert_same_records(&jsonl, &parquet)
}

#[test]
fn the_sample_as_parquet_is_the_jsonl() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(run_both(&["data"], dir.path(), "sample"), 1);
}

#[test]
fn html_and_text_pages_as_parquet_are_the_jsonl() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Stitched threads (pages, thread_key, missing_pages) among HTML pages, and one-page
    // text copies of every engine.
    let records = run_both(
        &["tests/thread-pages", "tests/fixtures/text"],
        dir.path(),
        "fixtures",
    );
    assert!(records > 10, "{records} records");
}

#[test]
fn a_sharded_run_merges_into_a_single_runs_parquet_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = ["tests/thread-pages", "tests/fixtures/text", "data"];
    run_both(&inputs, dir.path(), "single");
    let plan = dir.path().join("plan");
    let plan_str = plan.to_str().expect("utf-8");
    let mut args = vec!["plan", "--shards", "3", "--out", plan_str];
    for input in inputs {
        args.extend(["--input", input]);
    }
    let output = threadmill(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for shard in ["0/3", "1/3", "2/3"] {
        let output = threadmill(&[
            "run",
            "--plan",
            plan_str,
            "--shard",
            shard,
            "--now",
            "2024-01-01T00:00:00",
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let merged = dir.path().join("merged.parquet");
    let output = threadmill(&[
        "merge",
        plan_str,
        "--concat",
        merged.to_str().expect("utf-8"),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(plan.join("_SUCCESS").exists());
    assert_same_records(&dir.path().join("single.jsonl"), &merged);
    assert!(
        std::fs::read(dir.path().join("single.parquet")).expect("single")
            == std::fs::read(&merged).expect("merged"),
        "the merged Parquet file is the single run's, byte for byte"
    );
}

#[test]
fn a_parquet_output_that_cannot_be_written_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A file where the output's folder should be.
    std::fs::write(dir.path().join("taken"), "").expect("write");
    let out = dir.path().join("taken").join("threads.parquet");
    let output = threadmill(&[
        "run",
        "--input",
        root().join("data").to_str().expect("utf-8"),
        "--output",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("threads.parquet"), "{stderr}");
}
