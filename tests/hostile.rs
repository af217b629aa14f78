//! Hostile inputs and surroundings: pages that take too long, signals while pages are stuck,
//! side files that are symbolic links, stale plans, oversized archive metadata and state
//! across rejects. Each test is one of issue #19's reproductions, generated small.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::assert_accounted;

/// The report beside `output` (`o.jsonl` → `o.report.json`).
fn report(output: &Path) -> serde_json::Value {
    let path = output.with_extension("report.json");
    serde_json::from_slice(&std::fs::read(&path).expect("report")).expect("report JSON")
}

/// One line of `len` pseudo-random characters from the quote and punctuation alphabet that
/// made the sentence splitter quadratic, a different line for each `seed`.
fn hostile_line(len: usize, seed: u64) -> String {
    const ALPHABET: &[u8] = b"aA1 .:/-@\"'(),";
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut line = String::with_capacity(len + 1);
    for _ in 0..len {
        // xorshift64: deterministic, no dependency, good enough to mix the alphabet.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let index = usize::try_from(state % ALPHABET.len() as u64).expect("small");
        line.push(char::from(ALPHABET[index]));
    }
    line.push('\n');
    line
}

/// A folder of `sizes.len()` text pages, each one hostile line of that many bytes.
fn hostile_pages(dir: &Path, sizes: &[usize]) -> PathBuf {
    let inputs = dir.join("in");
    std::fs::create_dir_all(&inputs).expect("mkdir");
    for (k, &size) in sizes.iter().enumerate() {
        std::fs::write(
            inputs.join(format!("p{k}.txt")),
            hostile_line(size, 100 + k as u64),
        )
        .expect("write");
    }
    inputs
}

fn pipeline(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("pipeline.toml");
    std::fs::write(&path, text).expect("write pipeline");
    path
}

fn threadmill() -> Command {
    Command::new(env!("CARGO_BIN_EXE_threadmill"))
}

/// Issue #19, 1: three 1 MiB lines of quotes and stops with `page_seconds = 5` and two
/// jobs, plus one 6 MiB line that no stage finishes in time (the quotation finder is still
/// quadratic in a block). The run ends within 4 × `page_seconds` and every page is
/// accounted for: the stuck one is rejected at its deadline while the others go on.
#[test]
fn a_stuck_page_cannot_stall_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = hostile_pages(dir.path(), &[1 << 20, 1 << 20, 1 << 20, 6 << 20]);
    let pipeline = pipeline(dir.path(), "[input]\npage_seconds = 5\n");
    let out = dir.path().join("out/o.jsonl");
    let started = Instant::now();
    let status = threadmill()
        .args(["run", "--jobs", "2", "--pipeline"])
        .arg(&pipeline)
        .arg("--input")
        .arg(&inputs)
        .arg("--output")
        .arg(&out)
        .stderr(Stdio::null())
        .status()
        .expect("run");
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(20),
        "the run took {took:?}, over 4 × page_seconds"
    );
    assert!(matches!(status.code(), Some(0 | 1)), "{status}");
    let report = report(&out);
    assert_eq!(report["inputs"], 4, "{report:#}");
    assert_accounted(&report);
    assert!(report["timeouts"].as_u64() >= Some(1), "{report:#}");
}

/// Starts a run over pages that never finish in time (no time limit), waits until its
/// workers are busy, and sends `signals` SIGINTs (or SIGTERMs) a moment apart.
fn stop_stuck_run(
    dir: &Path,
    signal: &str,
    signals: usize,
) -> (std::process::ExitStatus, Duration) {
    let inputs = hostile_pages(dir, &[8 << 20, 8 << 20, 8 << 20]);
    let pipeline = pipeline(dir, "[input]\npage_seconds = 0\n");
    let out = dir.join("out/o.jsonl");
    let mut child = threadmill()
        .args(["run", "--jobs", "2", "--pipeline"])
        .arg(&pipeline)
        .arg("--input")
        .arg(&inputs)
        .arg("--output")
        .arg(&out)
        .stderr(Stdio::null())
        .spawn()
        .expect("start");
    // The checkpoint folder exists once the run has started reading; give the workers a
    // moment to be deep in their pages.
    let deadline = Instant::now() + Duration::from_mins(1);
    while !dir.join("out/o.partial").exists() {
        assert!(Instant::now() < deadline, "the run never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_secs(1));
    assert!(child.try_wait().expect("poll").is_none(), "ended too soon");
    let sent = Instant::now();
    // One shell sends them all, a moment apart: two signals sent at the same instant
    // could merge into one.
    let kill = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "for i in $(seq {signals}); do kill {signal} {}; sleep 0.2; done",
            child.id()
        ))
        .status()
        .expect("kill");
    assert!(kill.success());
    let status = child.wait().expect("wait");
    (status, sent.elapsed())
}

/// Issue #19, 1: the first SIGINT stops a run whose workers are stuck within a few
/// seconds, with exit 130 and a partial report; a SIGTERM does the same.
#[cfg(unix)]
#[test]
fn a_signal_stops_a_run_with_stuck_pages() {
    for signal in ["-INT", "-TERM"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let (status, took) = stop_stuck_run(dir.path(), signal, 1);
        assert_eq!(status.code(), Some(130), "{signal}");
        assert!(
            took < Duration::from_secs(10),
            "{signal}: stopping took {took:?}"
        );
        let report = report(&dir.path().join("out/o.jsonl"));
        assert_eq!(report["interrupted"], true);
        assert_accounted(&report);
        assert!(!dir.path().join("out/o.jsonl").exists());
    }
}

/// A second signal ends the process at once: before the grace for pages in flight is
/// over, so without the partial report the first signal's stop writes.
#[cfg(unix)]
#[test]
fn a_second_signal_stops_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (status, _) = stop_stuck_run(dir.path(), "-INT", 2);
    assert_eq!(status.code(), Some(130));
    assert!(
        !dir.path().join("out/o.report.json").exists(),
        "the run went on to write its report"
    );
}

/// A folder with one good text page, for the tests that are about where things are written.
fn one_page(dir: &Path) -> PathBuf {
    let inputs = dir.join("in");
    std::fs::create_dir_all(&inputs).expect("mkdir");
    let sample =
        std::fs::read(crate::support::root().join("data/phpbb-nl-kim-putin.txt")).expect("sample");
    std::fs::write(inputs.join("page.txt"), sample).expect("write");
    inputs
}

fn run_into(inputs: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    threadmill()
        .arg("run")
        .arg("--input")
        .arg(inputs)
        .arg("--output")
        .arg(out)
        .args(extra)
        .output()
        .expect("run")
}

/// Issue #19, 2: links planted at the lock, report and checkpoint folder are never
/// followed: their targets are untouched, and the run either refuses (exit 2) or replaces
/// the link itself.
#[cfg(unix)]
#[test]
fn side_files_never_follow_links() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = one_page(dir.path());
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).expect("mkdir");
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious").expect("write");
    let victim_dir = dir.path().join("victim-dir");
    std::fs::create_dir_all(victim_dir.join("index")).expect("mkdir");
    std::fs::write(victim_dir.join("index/keep"), "kept").expect("write");
    let out = out_dir.join("o.jsonl");

    // A linked lock: refused.
    symlink(&victim, out_dir.join("o.lock")).expect("link");
    let refused = run_into(&inputs, &out, &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("symbolic link"));
    std::fs::remove_file(out_dir.join("o.lock")).expect("unlink");

    // A linked checkpoint folder: refused.
    symlink(&victim_dir, out_dir.join("o.partial")).expect("link");
    assert_eq!(run_into(&inputs, &out, &[]).status.code(), Some(2));
    std::fs::remove_file(out_dir.join("o.partial")).expect("unlink");

    // A linked report: refused, not written through.
    symlink(&victim, out_dir.join("o.report.json")).expect("link");
    assert_eq!(run_into(&inputs, &out, &[]).status.code(), Some(2));
    std::fs::remove_file(out_dir.join("o.report.json")).expect("unlink");

    assert_eq!(
        std::fs::read_to_string(&victim).expect("victim"),
        "precious"
    );
    assert_eq!(
        std::fs::read_to_string(victim_dir.join("index/keep")).expect("kept"),
        "kept"
    );
    // With the links gone, the same run goes through.
    assert_eq!(run_into(&inputs, &out, &[]).status.code(), Some(0));
}

/// Issue #19, 3: an output that is an input, lies inside an input folder, or is not a
/// regular file is refused with exit 2 and one line saying why; the input is untouched.
#[cfg(unix)]
#[test]
fn an_output_that_would_harm_an_input_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = one_page(dir.path());
    let page = inputs.join("page.txt");
    let before = std::fs::read(&page).expect("read");

    let same = run_into(&page, &page, &[]);
    assert_eq!(same.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&same.stderr).contains("also an input"));
    assert_eq!(std::fs::read(&page).expect("read"), before);

    let inside = inputs.join("out/o.jsonl");
    let nested = run_into(&inputs, &inside, &[]);
    assert_eq!(nested.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&nested.stderr).contains("--exclude"));
    // Excluded, it runs; and the next run does not read back its other files (rejects,
    // report, checkpoint), which the exclude does not name.
    for _ in 0..2 {
        let ok = run_into(&inputs, &inside, &["--exclude", "out/o.jsonl"]);
        assert_eq!(ok.status.code(), Some(0));
        assert_eq!(report(&inside)["inputs"], 1);
    }

    let fifo = dir.path().join("fifo.jsonl");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let refused = run_into(&inputs, &fifo, &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("FIFO"));
}

/// Issue #19, 9: a killed run's temporary file is removed by the next run, and an
/// interrupted rerun leaves the complete run's report beside its records.
#[cfg(unix)]
#[test]
fn leftovers_are_cleaned_and_complete_reports_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = one_page(dir.path());
    let out = dir.path().join("out/o.jsonl");
    assert_eq!(run_into(&inputs, &out, &[]).status.code(), Some(0));
    let complete = report(&out);
    let orphan = dir.path().join("out/.threadmill-killed.tmp");
    std::fs::write(&orphan, "half a file").expect("write");
    // An interrupted rerun over stuck pages, beside the complete output.
    let (status, _) = stop_stuck_run(dir.path(), "-INT", 1);
    assert_eq!(status.code(), Some(130));
    assert!(
        !orphan.exists(),
        "the killed run's temporary file is still there"
    );
    assert_eq!(
        report(&out),
        complete,
        "the complete run's report was replaced"
    );
    let partial = dir.path().join("out/o.partial/report.json");
    let partial: serde_json::Value =
        serde_json::from_slice(&std::fs::read(partial).expect("partial report")).expect("json");
    assert_eq!(partial["interrupted"], true);
}

/// The rejects of a run, as JSON values.
fn rejects(output: &Path) -> Vec<serde_json::Value> {
    crate::support::read_jsonl(&output.with_extension("rejects.jsonl"))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

/// Issue #19, 5: a `.tar.gz` whose GNU long-name header claims 64 MiB (a few kilobytes
/// compressed) is refused at the 64 KiB bound, and the run goes on.
#[test]
fn a_forged_tar_long_name_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = one_page(dir.path());
    let mut header = tar::Header::new_gnu();
    header.set_path("././@LongLink").expect("path");
    header.set_entry_type(tar::EntryType::GNULongName);
    header.set_size(64 << 20);
    header.set_cksum();
    let mut tar = header.as_bytes().to_vec();
    tar.resize(tar.len() + (64 << 20), b'a');
    tar.resize(tar.len() + 1024, 0);
    std::fs::write(inputs.join("forged.tar.gz"), gzip(&tar)).expect("write");
    let out = dir.path().join("o.jsonl");
    let run = run_into(&inputs, &out, &[]);
    assert_eq!(run.status.code(), Some(1));
    let rejects = rejects(&out);
    assert_eq!(rejects.len(), 1);
    assert!(
        rejects[0]["error"]
            .as_str()
            .expect("error")
            .contains("long-name")
    );
    assert_eq!(report(&out)["records"], 1);
}

/// Issue #19, 6 and 7: an over-long JSONL line is a reject and the next line still a
/// page; `.jsonl.gz` and `.warc.gz` over `max_ratio` are refused while the same bytes
/// uncompressed are read.
#[test]
fn long_lines_and_compressed_streams_keep_to_their_limits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(&inputs).expect("mkdir");
    let sample =
        std::fs::read_to_string(crate::support::root().join("data/phpbb-nl-kim-putin.txt"))
            .expect("sample");
    let good = format!("{}\n", serde_json::json!({ "text": sample }));
    let long = format!("{{\"text\": \"{}\"}}\n", "a".repeat(4 << 20));
    std::fs::write(inputs.join("dump.jsonl"), format!("{long}{good}")).expect("write");
    // 8 MiB of one HTML page from a few kilobytes: far over 2 × its size.
    let html = format!("<html><body><p>{}</p></body></html>", "a ".repeat(4 << 20));
    let record = format!(
        "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:x>\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{html}\r\n\r\n",
        html.len()
    );
    std::fs::write(inputs.join("bomb.warc.gz"), gzip(record.as_bytes())).expect("write");
    std::fs::write(
        inputs.join("bomb.jsonl.gz"),
        gzip(format!("{good}{long}").as_bytes()),
    )
    .expect("write");
    let pipeline = pipeline(
        dir.path(),
        "[input]\nmax_line = 1048576\nmax_ratio = 2.0\n[stitch]\nenabled = false\n",
    );
    let out = dir.path().join("o.jsonl");
    let run = run_into(
        &inputs,
        &out,
        &["--pipeline", pipeline.to_str().expect("utf-8")],
    );
    assert_eq!(run.status.code(), Some(1));
    let rejects = rejects(&out);
    let errors: Vec<(String, String)> = rejects
        .iter()
        .map(|r| {
            (
                crate::support::source_name(r),
                r["error"].as_str().expect("error").to_owned(),
            )
        })
        .collect();
    let has = |file: &str, text: &str| errors.iter().any(|(f, e)| f == file && e.contains(text));
    assert!(has("dump.jsonl", "max_line"), "{errors:?}");
    assert!(has("bomb.warc.gz", "max_ratio"), "{errors:?}");
    assert!(has("bomb.jsonl.gz", "max_ratio"), "{errors:?}");
    // The good line after the long one, and the one before the bomb's bound.
    assert_eq!(report(&out)["records"], 2, "{errors:?}");
}

/// Issue #19, 8 and 9 and issue #20, 4: an input that becomes a reject keeps its state
/// entry (not vanished) and is tried again the next night; the state folder is locked;
/// another pipeline, or `--reprocess`, processes every input again and says why.
#[test]
fn the_state_keeps_rejects_and_knows_the_pipeline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = one_page(dir.path());
    std::fs::write(inputs.join("empty.txt"), "").expect("write");
    let state = dir.path().join("state");
    let night = |n: u32, extra: &[&str]| {
        let out = dir.path().join(format!("night{n}.jsonl"));
        let mut args = vec!["--state", state.to_str().expect("utf-8")];
        args.extend_from_slice(extra);
        let run = run_into(&inputs, &out, &args);
        assert!(matches!(run.status.code(), Some(0 | 1)), "{run:?}");
        (report(&out), out)
    };
    let (first, _) = night(1, &[]);
    assert_eq!(
        (first["records"].as_u64(), first["rejects"].as_u64()),
        (Some(1), Some(1))
    );
    let manifest = std::fs::read_to_string(state.join("manifest.jsonl")).expect("manifest");
    assert!(manifest.contains("empty.txt") && manifest.contains("\"rejected\":true"));

    let (second, out) = night(2, &[]);
    assert_eq!(second["vanished"], 0, "{second:#}");
    assert_eq!(second["unchanged"], 1);
    assert_eq!(second["retried"], 1);
    assert_eq!(second["rejects"], 1);
    let vanished = std::fs::read_to_string(out.with_extension("vanished.jsonl")).expect("vanished");
    assert!(vanished.is_empty(), "{vanished}");

    // The page that was rejected now has content: a record, retried.
    std::fs::write(
        inputs.join("empty.txt"),
        "A title\n\nPost by ann » Mon Jan 06, 2020 10:00 am\nHello there, forum.\n",
    )
    .expect("write");
    let (third, _) = night(3, &[]);
    assert_eq!(
        (third["retried"].as_u64(), third["records"].as_u64()),
        (Some(1), Some(1))
    );

    // Another pipeline: everything again, and the report says why.
    let other = pipeline(dir.path(), "[input]\npage_seconds = 20.0\n");
    let (fourth, _) = night(4, &["--pipeline", other.to_str().expect("utf-8")]);
    assert_eq!(fourth["records"], 2, "{fourth:#}");
    assert!(
        fourth["reprocessed"]
            .as_str()
            .expect("why")
            .contains("pipeline")
    );
    let (fifth, _) = night(5, &["--pipeline", other.to_str().expect("utf-8")]);
    assert_eq!(
        (fifth["unchanged"].as_u64(), fifth["records"].as_u64()),
        (Some(2), Some(0))
    );
    let (sixth, _) = night(
        6,
        &["--pipeline", other.to_str().expect("utf-8"), "--reprocess"],
    );
    assert_eq!(sixth["records"], 2);
    assert!(
        sixth["reprocessed"]
            .as_str()
            .expect("why")
            .contains("--reprocess")
    );

    // The state folder is locked while a run uses it.
    let lock = std::fs::File::open(state.join("state.lock")).expect("lock file");
    lock.try_lock().expect("free after the runs");
    let locked = run_into(
        &inputs,
        &dir.path().join("locked.jsonl"),
        &["--state", state.to_str().expect("utf-8")],
    );
    assert_eq!(locked.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&locked.stderr).contains("state"));
}

/// Issue #19, 9: `check` (and `run`) refuse limits that would not limit.
#[test]
fn limits_that_would_not_limit_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for text in ["[input]\nmax_ratio = -1.0\n", "[input]\nmax_ratio = nan\n"] {
        let path = pipeline(dir.path(), text);
        let check = threadmill()
            .arg("check")
            .arg(&path)
            .output()
            .expect("check");
        assert_eq!(check.status.code(), Some(2), "{text}");
        assert!(String::from_utf8_lossy(&check.stderr).contains("max_ratio"));
    }
}

/// Issue #19, 4: a plan folder re-planned over other inputs. Without `--force` it is
/// refused; with it the old parts go, and a stale marker planted back is refused by the
/// shard and by merge, naming it.
#[test]
fn plans_are_sealed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = one_page(&dir.path().join("a"));
    let b = dir.path().join("b/in");
    std::fs::create_dir_all(&b).expect("mkdir");
    std::fs::write(
        b.join("other.txt"),
        "Another title\n\nPost by bob » Tue Feb 04, 2020 11:00 am\nSomething else entirely, forum.\n",
    )
    .expect("write");
    let plan_dir = dir.path().join("plan");
    let plan = |input: &Path, extra: &[&str]| {
        threadmill()
            .args(["plan", "--shards", "1", "--input"])
            .arg(input)
            .arg("--out")
            .arg(&plan_dir)
            .args(extra)
            .output()
            .expect("plan")
    };
    let shard = || {
        threadmill()
            .args(["run", "--shard", "0/1", "--plan"])
            .arg(&plan_dir)
            .output()
            .expect("shard")
    };
    let merge = || {
        threadmill()
            .arg("merge")
            .arg(&plan_dir)
            .output()
            .expect("merge")
    };
    assert!(plan(&a, &[]).status.success());
    assert!(shard().status.success());
    let marker = plan_dir.join("parts/part-00000-of-00001.done.json");
    let old_marker = std::fs::read(&marker).expect("marker");

    let refused = plan(&b, &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    // The same plan again is no change, and is allowed.
    assert!(plan(&a, &[]).status.success());

    assert!(plan(&b, &["--force"]).status.success());
    assert!(!marker.exists(), "the old plan's marker survived --force");
    // A marker of the old plan put back: the shard refuses it rather than skip its work.
    std::fs::write(&marker, &old_marker).expect("plant");
    let stale = shard();
    assert_eq!(stale.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&stale.stderr).contains("another plan"));
    let merged = merge();
    assert!(!merged.status.success());
    assert!(String::from_utf8_lossy(&merged.stderr).contains("done.json"));
    // Removed, the shard runs B's pages and merge succeeds with them.
    std::fs::remove_file(&marker).expect("unlink");
    assert!(shard().status.success());
    assert!(merge().status.success());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(plan_dir.join("report.json")).expect("report"))
            .expect("json");
    assert_eq!(report["inputs"], 1);
}
