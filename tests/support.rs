//! Helpers shared by the end-to-end tests.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::LazyLock;

use assert_cmd::Command;

/// The workspace root: tests run the binary from here so that record paths are relative.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `threadmill ARGS` from the workspace root.
pub fn threadmill(args: &[&str]) -> Output {
    Command::cargo_bin("threadmill")
        .expect("the threadmill binary is built")
        .current_dir(root())
        .args(args)
        .output()
        .expect("threadmill runs")
}

/// Reads a JSONL file (plain, .gz or .zst) into values, validating each against the
/// record schema when `validate` is set.
pub fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    use std::io::Read;
    let raw = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let text = match path.extension().and_then(|e| e.to_str()) {
        Some("gz") => {
            let mut s = String::new();
            flate2::read::GzDecoder::new(&raw[..])
                .read_to_string(&mut s)
                .expect("gunzip");
            s
        }
        Some("zst") => {
            String::from_utf8(zstd::decode_all(&raw[..]).expect("unzstd")).expect("utf-8")
        }
        _ => String::from_utf8(raw).expect("utf-8"),
    };
    text.lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

static SCHEMA: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    let schema: serde_json::Value =
        serde_json::from_str(threadmill_pipeline::THREAD_SCHEMA).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema compiles")
});

/// Reads records and checks every one against `schema/thread.schema.json`.
pub fn read_records(path: &Path) -> Vec<serde_json::Value> {
    let records = read_jsonl(path);
    for record in &records {
        let errors: Vec<String> = SCHEMA
            .iter_errors(record)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "record {} breaks the schema: {errors:#?}",
            record["source"]["path"]
        );
    }
    records
}

/// Runs `threadmill run ARGS --output OUT`, requires success, and returns the records
/// (schema-checked).
pub fn run_records(args: &[&str], out: &Path) -> Vec<serde_json::Value> {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--output", out.to_str().expect("utf-8 path")]);
    let output = threadmill(&all);
    assert!(
        output.status.success(),
        "threadmill {all:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    read_records(out)
}

/// The file name of a record's or reject's `source.path`.
pub fn source_name(value: &serde_json::Value) -> String {
    let path = value["source"]["path"].as_str().expect("source.path");
    Path::new(path)
        .file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned()
}

/// Writes a `.tar.zst` of `(member name, bytes)` entries.
pub fn tar_zst(path: &Path, entries: &[(String, Vec<u8>)]) {
    let encoder =
        zstd::stream::write::Encoder::new(std::fs::File::create(path).expect("create"), 3)
            .expect("zstd");
    let mut builder = tar::Builder::new(encoder);
    for (name, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, name, &bytes[..])
            .expect("append");
    }
    builder
        .into_inner()
        .expect("tar")
        .finish()
        .expect("finish zstd");
}

/// Every input of a run's report is accounted for, exactly once.
pub fn assert_accounted(report: &serde_json::Value) {
    let accounted = [
        "records",
        "stitched_pages",
        "rejects",
        "skipped",
        "unchanged",
    ]
    .iter()
    .map(|k| report[k].as_u64().unwrap_or(0))
    .sum::<u64>();
    assert_eq!(report["inputs"].as_u64(), Some(accounted), "{report:#}");
}
