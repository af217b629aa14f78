//! Text copies of forums the lexicon barely knows: authors from the way panels are
//! printed, one post per date printed twice, and a title that is never the page's chrome.

use serde_json::Value;

use crate::support::run_records;

fn record(fixture: &str) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.jsonl");
    let input = format!("tests/fixtures/text_cues/{fixture}");
    let mut records = run_records(&["--input", &input, "--jobs", "1"], &out);
    assert_eq!(records.len(), 1);
    records.remove(0)
}

fn authors(record: &Value) -> Vec<String> {
    record["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .map(|p| p["author"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn letter_avatars_name_the_authors_and_panels_stay_out_of_the_text() {
    let record = record("xenforo2-w3m.txt");
    assert_eq!(
        authors(&record),
        ["hollowgrind", "woodlouse", "hollowgrind"],
        "a join date, a rank or \"Original poster\" is never the author"
    );
    assert_eq!(record["title"], "Which chisel steel holds an edge longest?");
    for post in record["posts"].as_array().expect("posts") {
        let text = post["text"].as_str().expect("text");
        for chrome in ["Sheffield", "1,204", "Original poster", "Well-known member"] {
            assert!(!text.contains(chrome), "{chrome} in {text}");
        }
    }
}

#[test]
fn a_doubled_avatar_name_is_the_author_and_a_date_printed_twice_one_post() {
    let record = record("vanilla-w3m.txt");
    assert_eq!(
        authors(&record),
        ["greenthumb", "potbound_pam", "greenthumb"]
    );
    assert_eq!(record["title"], "Tomato leaves curling after the heatwave");
    let first = record["posts"][0]["text"].as_str().expect("text");
    assert!(
        first.starts_with("My tomato leaves curl upwards"),
        "{first}"
    );
}
