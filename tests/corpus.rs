//! Post extraction scored on the real pages of the shared corpus.
//!
//! The corpus is not part of the project (its pages are third-party content): it is kept
//! beside the checkout in `../shared/corpus`, or wherever `THREADMILL_CORPUS` points. These
//! tests run when either is there. On a fresh clone with neither, each prints one line
//! saying it was skipped and why, and passes; `.ci/run` sets `THREADMILL_CORPUS`, and a
//! corpus named that way but missing fails loudly. `THREADMILL_CORPUS=skip` skips on purpose.
//!
//! Each floor is what the project reaches today; a change that scores lower fails. The
//! targets the issues set are higher, and the floors rise as the work gets there.

#![expect(clippy::print_stderr, reason = "the scores are shown with --nocapture")]

use std::path::PathBuf;
use std::process::Command;

use crate::support::{read_records, threadmill};

/// Where the corpus is, or `None` when these tests are skipped (said on one line).
fn corpus() -> Option<PathBuf> {
    let path = match std::env::var("THREADMILL_CORPUS") {
        Ok(value) if value == "skip" => {
            eprintln!("corpus tests SKIPPED: THREADMILL_CORPUS=skip");
            return None;
        }
        // Named on purpose (as `.ci/run` does): it must be there.
        Ok(value) => PathBuf::from(value),
        Err(_) => {
            let beside = crate::support::root().join("../shared/corpus");
            if !beside.is_dir() {
                eprintln!(
                    "corpus tests SKIPPED: THREADMILL_CORPUS is not set and {} does not exist (a fresh clone)",
                    beside.display()
                );
                return None;
            }
            beside
        }
    };
    assert!(
        path.join("gold").is_dir(),
        "CORPUS ABSENT: no gold annotations at {}. Point THREADMILL_CORPUS at shared/corpus (or set THREADMILL_CORPUS=skip to skip on purpose).",
        path.display()
    );
    Some(path)
}

#[derive(Debug)]
struct Scores {
    summary: serde_json::Value,
}

impl Scores {
    fn get(&self, key: &str) -> f64 {
        self.summary[key].as_f64().unwrap_or(0.0)
    }
}

/// Runs threadmill over `input` and the shared scorer over the records.
fn score(corpus: &std::path::Path, input: &str, gold: &str) -> Scores {
    score_with(corpus, input, gold, &[])
}

/// [`score`] with more arguments for the run (another pipeline file).
fn score_with(corpus: &std::path::Path, input: &str, gold: &str, args: &[&str]) -> Scores {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("pred.jsonl");
    let input = corpus.join(input);
    let mut run = vec![
        "run",
        "--input",
        input.to_str().expect("utf-8"),
        "--output",
        out.to_str().expect("utf-8"),
    ];
    run.extend_from_slice(args);
    let output = threadmill(&run);
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    read_records(&out);
    let scorer = corpus.join("../tools/score_posts.py");
    let result = Command::new("python3")
        .arg(&scorer)
        .arg(&out)
        .arg(corpus.join(gold))
        .arg("--json")
        .output()
        .expect("python3 runs the scorer");
    assert!(
        result.status.success(),
        "scorer failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    let parsed: serde_json::Value = serde_json::from_slice(&result.stdout).expect("scorer JSON");
    let summary = parsed["summary"].clone();
    eprintln!("{}: {summary}", input.display());
    Scores { summary }
}

fn assert_floor(scores: &Scores, key: &str, floor: f64) {
    let value = scores.get(key);
    assert!(
        value >= floor,
        "{key} = {value:.3}, below the floor {floor:.3}: {}",
        scores.summary
    );
}

#[test]
fn html_pages() {
    let Some(corpus) = corpus() else { return };
    let scores = score(&corpus, "html", "gold");
    // The targets of the issues: post F1 ≥ 0.95, content F1 ≥ 0.95, author ≥ 0.95 and date
    // ≥ 0.93 (0.948 and 0.939 today: three pages' gold names a poster by a text that is not
    // the name, and dates three by a rendering the page does not print).
    assert_floor(&scores, "pages_with_record", 57.0);
    assert_floor(&scores, "content_f1", 0.95);
    assert_floor(&scores, "post_f1", 0.95);
    assert_floor(&scores, "author_acc", 0.94);
    assert_floor(&scores, "date_acc", 0.93);
    // Every dev page with text makes a record (136 gold pages: 57 WEB-FORUM-52, 79 WCXB),
    // and the WCXB main text (issue target 0.85; 0.855 today).
    assert_floor(&scores, "pages_with_record", 136.0);
    assert_floor(&scores, "main_f1", 0.85);
}

#[test]
fn html_pages_without_engine_profiles() {
    let Some(corpus) = corpus() else { return };
    let pipeline = crate::support::root().join("pipelines/no-profiles.toml");
    let pipeline = pipeline.to_str().expect("utf-8");
    let scores = score_with(&corpus, "html", "gold", &["--pipeline", pipeline]);
    // The engine-neutral path alone, as on a forum no profile knows (target post F1 ≥ 0.90;
    // 0.992 today, WCXB main text 0.855).
    assert_floor(&scores, "pages_with_record", 136.0);
    assert_floor(&scores, "post_f1", 0.98);
    assert_floor(&scores, "author_acc", 0.94);
    assert_floor(&scores, "main_f1", 0.85);
}

#[test]
fn article_pages() {
    let Some(corpus) = corpus() else { return };
    let scores = score(&corpus, "articles/html", "articles/gold");
    assert_floor(&scores, "main_f1", 0.93);
}

#[test]
fn text_line_copies() {
    let Some(corpus) = corpus() else { return };
    let scores = score(&corpus, "text-lines", "gold");
    // The text issue's targets: post F1 ≥ 0.90 (0.921 today), author ≥ 0.85 (0.852),
    // content F1 ≥ 0.92 (0.921), WCXB main text ≥ 0.85 (0.817).
    assert_floor(&scores, "pages_with_record", 136.0);
    assert_floor(&scores, "post_f1", 0.91);
    assert_floor(&scores, "author_acc", 0.85);
    assert_floor(&scores, "content_f1", 0.92);
    assert_floor(&scores, "main_f1", 0.81);
}

#[test]
fn flattened_text_copies() {
    let Some(corpus) = corpus() else { return };
    let scores = score(&corpus, "text", "gold");
    // The text issue's targets: post F1 ≥ 0.90 (0.908 today), author ≥ 0.88 (0.842),
    // content F1 ≥ 0.92 (0.903).
    assert_floor(&scores, "pages_with_record", 57.0);
    assert_floor(&scores, "post_f1", 0.90);
    assert_floor(&scores, "content_f1", 0.90);
    // Record /3 writes the display name in `author` (the profile link moved to
    // `author_url`, which the scorer does not read): pages whose gold names the poster by a
    // link only, or by a shown text that is not the name ("View Profile"), count against it.
    assert_floor(&scores, "author_acc", 0.84);
}
