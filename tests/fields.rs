//! The fields a user reads, page against gold: authors, profile links, user ids, post ids,
//! dates with their zones, links and titles, on small pages shaped like the failures seen
//! on real forums (`tests/fixtures/fields/`).

use std::fmt::Write;
use std::path::Path;

use serde_json::Value;

use crate::support::{root, run_records};

/// Every difference between a record and its gold, one line each.
fn differences(record: &Value, gold: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if gold["title"] != record["title"] {
        out.push(format!(
            "title {} (gold {})",
            record["title"], gold["title"]
        ));
    }
    let posts = record["posts"].as_array().map_or(&[][..], Vec::as_slice);
    let gold_posts = gold["posts"].as_array().map_or(&[][..], Vec::as_slice);
    if posts.len() != gold_posts.len() {
        let authors: Vec<&Value> = posts.iter().map(|p| &p["author"]).collect();
        out.push(format!(
            "{} posts (gold {}), by {authors:?}",
            posts.len(),
            gold_posts.len()
        ));
        return out;
    }
    for (i, (post, expected)) in posts.iter().zip(gold_posts).enumerate() {
        let Some(fields) = expected.as_object() else {
            continue;
        };
        for (field, want) in fields {
            if field == "links" {
                out.extend(link_differences(i, &post["links"], want));
            } else if &post[field] != want {
                out.push(format!("post {i} {field} {} (gold {want})", post[field]));
            }
        }
    }
    out
}

/// A gold link names the fields it checks; the record's links must be as many.
fn link_differences(post: usize, links: &Value, gold: &Value) -> Vec<String> {
    let links = links.as_array().map_or(&[][..], Vec::as_slice);
    let gold = gold.as_array().map_or(&[][..], Vec::as_slice);
    if links.len() != gold.len() {
        return vec![format!(
            "post {post}: {} links (gold {}): {links:?}",
            links.len(),
            gold.len()
        )];
    }
    let mut out = Vec::new();
    for (j, (link, want)) in links.iter().zip(gold).enumerate() {
        for (field, value) in want.as_object().into_iter().flatten() {
            if &link[field] != value {
                out.push(format!(
                    "post {post} link {j} {field} {} (gold {value})",
                    link[field]
                ));
            }
        }
    }
    out
}

#[test]
fn fields_match_their_gold() {
    let fixtures = root().join("tests/fixtures/fields");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("fields.jsonl");
    let records = run_records(
        &[
            "--input",
            "tests/fixtures/fields",
            "--include",
            "*.html",
            "--now",
            "2021-01-01T00:00:00Z",
        ],
        &out,
    );
    let mut report = String::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
        let path = entry.expect("entry").path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".gold.json"))
        else {
            continue;
        };
        let gold: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("gold")).expect("json");
        let page = format!("{name}.html");
        let record = records.iter().find(|r| {
            r["source"]["path"]
                .as_str()
                .and_then(|p| Path::new(p).file_name())
                .is_some_and(|f| f == page.as_str())
        });
        checked += 1;
        match record {
            None => {
                let _ = writeln!(report, "{page}: no record");
            }
            Some(record) => {
                for line in differences(record, &gold) {
                    let _ = writeln!(report, "{page}: {line}");
                }
            }
        }
    }
    assert!(checked >= 5, "only {checked} gold files found");
    assert!(
        report.is_empty(),
        "fields differ from their gold:\n{report}"
    );
}
