//! The reference scrape (`data/phpbb-nl-kim-putin.txt`) must come out right.

use serde_json::Value;

use crate::support::run_records;

fn reference_record() -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("ref.jsonl");
    let mut records = run_records(
        &["--input", "data/phpbb-nl-kim-putin.txt", "--jobs", "1"],
        &out,
    );
    assert_eq!(records.len(), 1);
    records.remove(0)
}

fn sentences(post: &Value) -> Vec<String> {
    post["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .flat_map(|b| {
            b["sentences"]
                .as_array()
                .expect("sentences")
                .iter()
                .map(|s| s.as_str().expect("string").to_owned())
        })
        .collect()
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one record checked field by field against the reference"
)]
fn reference_record_has_the_required_fields() {
    let record = reference_record();
    let title = "North Korea supports Russia's 'sacred fight' against the West, Kim Jong Un tells Vladimir Putin";
    assert_eq!(record["schema"], "threadmill.thread/3");
    assert_eq!(record["engine"], "phpbb");
    assert_eq!(record["ui_lang"], "nl");
    assert_eq!(record["lang"], "en");
    assert_eq!(record["title"], title);
    assert_eq!(record["board"], "Korea");
    let posts = record["posts"].as_array().expect("posts");
    assert_eq!(posts.len(), 1);
    let post = &posts[0];
    assert_eq!(post["author"], "noumoe");
    assert!(
        post.get("author_name").is_none(),
        "/3 has the name in author only"
    );
    assert_eq!(post["author_rank"], "Site Admin");
    assert_eq!(post["author_posts"], 5989);
    assert_eq!(post["author_joined"], "2020-11-22T15:27");
    assert!(
        post["posted_at"].is_null(),
        "the post date was lost in the copy: {}",
        post["posted_at"]
    );
    let links = post["links"].as_array().expect("links");
    assert!(
        links.iter().any(
            |l| l["url"].as_str().is_some_and(|u| u.ends_with("n-12960252"))
                && l["truncated"] == true
        ),
        "{links:#?}"
    );

    let text = post["text"].as_str().expect("text");
    for chrome in [
        "Berichten",
        "Lid geworden op",
        "Bericht door",
        "Plaats reactie",
        "Terug naar",
        "Site Admin",
    ] {
        assert!(
            !text.contains(chrome),
            "chrome {chrome:?} left in the post text"
        );
    }
    assert!(
        text.matches(title).count() <= 1,
        "the title appears more than once"
    );
    assert!(
        text.contains("a great evil that claims"),
        "hard wrap 'great / evil' not joined"
    );
    assert!(
        text.contains("sturgeon and beef"),
        "hard wrap 'sturgeon and / beef' not joined"
    );
    for paragraph in [
        "Kim Jong Un has pledged his support",
        "In late May, a North Korean rocket",
        "They're trying to develop space, too",
    ] {
        assert!(text.contains(paragraph), "paragraph {paragraph:?} missing");
    }

    let sentences = sentences(post);
    assert!(sentences.len() >= 30, "only {} sentences", sentences.len());
    assert!(
        sentences
            .iter()
            .any(|s| s.ends_with("thought to be a reference to the West.")),
        "West.\"We not split"
    );
    assert!(
        sentences
            .iter()
            .any(|s| s.starts_with("\"We will always support")),
        "West.\"We not split"
    );
    assert!(
        sentences
            .iter()
            .any(|s| s.ends_with("\"very glad to see\" him.")),
        "him.During not split"
    );
    assert!(
        sentences
            .iter()
            .any(|s| s.starts_with("During the tour of the space centre")),
        "him.During not split"
    );
    for s in &sentences {
        assert!(
            !s.ends_with(" Mr") && !s.ends_with(" Mr."),
            "sentence broken after Mr: {s:?}"
        );
    }

    let captions: Vec<&Value> = post["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .filter(|b| b["kind"] == "caption")
        .collect();
    assert_eq!(captions.len(), 1);
    assert!(
        captions[0]["text"]
            .as_str()
            .expect("caption")
            .ends_with("Pic: AP")
    );
    assert!(record["repairs"]["glued_sentences_split"].as_u64() >= Some(2));
    assert!(record["repairs"]["hard_wraps_joined"].as_u64() >= Some(2));

    let chrome: Vec<&str> = record["chrome"]
        .as_array()
        .expect("chrome")
        .iter()
        .map(|c| c["text"].as_str().expect("text"))
        .collect();
    for line in ["Berichten: 5989", "Plaats reactie", "Terug naar “Korea”"] {
        assert!(
            chrome.contains(&line),
            "chrome line {line:?} lost: {chrome:#?}"
        );
    }
}

#[test]
fn reference_record_snapshot() {
    let record = reference_record();
    insta::assert_json_snapshot!("reference", record, {".source.path" => "[path]"});
}

/// Every fixture scrape, one snapshot each: a change in what any engine or language
/// produces shows up as a reviewable diff.
#[test]
fn fixture_snapshots() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("fixtures.jsonl");
    let records = run_records(&["--input", "tests/fixtures", "--jobs", "2"], &out);
    assert!(records.len() >= 2);
    for record in records {
        let path = record["source"]["path"].as_str().expect("path").to_owned();
        let name = path
            .trim_start_matches("tests/fixtures/")
            .replace(['/', '.'], "_");
        insta::assert_json_snapshot!(name, record);
    }
}
