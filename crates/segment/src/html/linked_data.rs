//! Posts from schema.org JSON-LD.
//!
//! The `QAPage`, `DiscussionForumPosting` and `Comment` objects
//! (`<script type="application/ld+json">`) that pages whose posts are rendered by script
//! still print for search engines.
//!
//! A post counts only where the page shows its text too: the markup is a claim, the
//! page's visible text the check.

use std::sync::LazyLock;

use scraper::{Html, Selector};
use serde_json::Value;

use super::dom::{Dom, collapse};
use super::structured::is_post_type;

/// JSON-LD scripts larger than this are not read: a page's own data is far smaller, and
/// a crafted page must not make the parser hold a huge tree.
const SCRIPT_MAX: usize = 2 << 20;
/// Posts read from one page at most.
const POSTS_MAX: usize = 2000;
/// Objects nested deeper than this are not looked into.
const DEPTH_MAX: usize = 32;
/// Characters of a post's text that must appear in the page's visible text.
const CHECK_CHARS: usize = 60;

/// One post as the JSON-LD states it.
#[derive(Debug, Clone, Default)]
pub(crate) struct LinkedPost {
    pub author: Option<String>,
    pub author_url: Option<String>,
    /// `datePublished` or `dateCreated`, as written.
    pub date: Option<String>,
    pub url: Option<String>,
    /// The text, line by line (markup inside it rendered as the page would).
    pub lines: Vec<String>,
}

/// The posts the page's JSON-LD states and its visible text confirms, opening post first
/// and the rest in the order written; empty unless most of them are confirmed.
pub(crate) fn find_posts(doc: &Html, dom: &Dom<'_>) -> Vec<LinkedPost> {
    // Compiled once for every page and worker, not per page.
    static SCRIPTS: LazyLock<Option<Selector>> =
        LazyLock::new(|| Selector::parse(r#"script[type="application/ld+json"]"#).ok());
    let Some(scripts) = SCRIPTS.as_ref() else {
        return Vec::new();
    };
    let mut posts = Vec::new();
    for script in doc.select(scripts) {
        let text: String = script.text().collect();
        if text.len() > SCRIPT_MAX {
            continue;
        }
        if let Ok(value) = serde_json::from_str::<Value>(text.trim()) {
            collect(&value, 0, &mut posts);
        }
    }
    // A post stated twice (the opening post as the page's entity and again in a list).
    let mut seen = std::collections::HashSet::new();
    posts.retain(|p| seen.insert(p.lines.clone()));
    if posts.is_empty() {
        return posts;
    }
    let page = collapse(&dom.text(0)).to_lowercase();
    let confirmed = posts
        .iter()
        .filter(|p| {
            let head: String = collapse(&p.lines.join(" "))
                .to_lowercase()
                .chars()
                .take(CHECK_CHARS)
                .collect();
            !head.is_empty() && page.contains(&head)
        })
        .count();
    if confirmed * 2 < posts.len() {
        return Vec::new();
    }
    posts
}

fn collect(value: &Value, depth: usize, out: &mut Vec<LinkedPost>) {
    if depth > DEPTH_MAX || out.len() >= POSTS_MAX {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                collect(item, depth + 1, out);
            }
        }
        Value::Object(map) => {
            let is_post = match map.get("@type") {
                Some(Value::String(t)) => is_post_type(t),
                Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(is_post_type),
                _ => false,
            };
            if is_post && let Some(post) = read_post(map) {
                out.push(post);
            }
            // The question before its answers, a post before its comments: nested posts
            // are read after the object that holds them, in the order the keys name them.
            for key in [
                "@graph",
                "mainEntity",
                "acceptedAnswer",
                "suggestedAnswer",
                "comment",
                "hasPart",
            ] {
                if let Some(nested) = map.get(key) {
                    collect(nested, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

fn read_post(map: &serde_json::Map<String, Value>) -> Option<LinkedPost> {
    let text = ["text", "articleBody"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str))?;
    let lines = render(text);
    if lines.is_empty() {
        return None;
    }
    let string = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let author = map.get("author").map(|a| match a {
        Value::Array(list) => list.first().cloned().unwrap_or(Value::Null),
        other => other.clone(),
    });
    let (name, url) = match &author {
        Some(Value::Object(person)) => (string(person.get("name")), string(person.get("url"))),
        Some(Value::String(name)) => (Some(name.trim().to_owned()), None),
        _ => (None, None),
    };
    Some(LinkedPost {
        author: name.filter(|n| !n.is_empty() && n.chars().count() <= super::anchors::NAME_MAX),
        author_url: url,
        date: string(map.get("datePublished")).or_else(|| string(map.get("dateCreated"))),
        url: string(map.get("url")),
        lines,
    })
}

/// A JSON-LD text as lines: markup inside it (`<p>`, `<br>`) parsed as the page's would be.
fn render(text: &str) -> Vec<String> {
    if !text.contains('<') {
        return text
            .lines()
            .map(collapse)
            .filter(|l| !l.is_empty())
            .collect();
    }
    let fragment = Html::parse_fragment(text);
    let dom = Dom::new(&fragment);
    if dom.nodes.is_empty() {
        return Vec::new();
    }
    dom.lines(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posts_of(page: &str) -> Vec<LinkedPost> {
        let doc = super::super::dom::parse(page);
        let dom = Dom::new(&doc);
        find_posts(&doc, &dom)
    }

    const QA: &str = r#"{"@context":"https://schema.org","@type":"QAPage","mainEntity":{
        "@type":"Question","name":"Offer or not?","text":"<p>I got an offer from a small fund.</p><p>Should I take it?</p>",
        "dateCreated":"2024-01-02T10:00:00Z","author":{"@type":"Person","name":"ana"},
        "suggestedAnswer":[{"@type":"Answer","text":"Take it if the team is good.","dateCreated":"2024-01-03T09:00:00Z",
          "author":{"@type":"Person","name":"ben","url":"/users/ben"}}]}}"#;

    #[test]
    fn questions_and_answers_the_page_shows() {
        let page = format!(
            "<html><head><script type=\"application/ld+json\">{QA}</script></head><body>\
             <div>I got an offer from a small fund. Should I take it?</div>\
             <div>Take it if the team is good.</div></body></html>"
        );
        let posts = posts_of(&page);
        let got: Vec<_> = posts
            .iter()
            .map(|p| (p.author.as_deref(), p.date.as_deref(), p.lines.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some("ana"),
                    Some("2024-01-02T10:00:00Z"),
                    vec![
                        "I got an offer from a small fund.".to_owned(),
                        "Should I take it?".to_owned()
                    ]
                ),
                (
                    Some("ben"),
                    Some("2024-01-03T09:00:00Z"),
                    vec!["Take it if the team is good.".to_owned()]
                ),
            ]
        );
        assert_eq!(posts[1].author_url.as_deref(), Some("/users/ben"));
    }

    #[test]
    fn posts_the_page_does_not_show_are_not_taken() {
        let page = format!(
            "<html><head><script type=\"application/ld+json\">{QA}</script></head><body>\
             <div>Something else entirely.</div></body></html>"
        );
        assert!(posts_of(&page).is_empty());
    }

    #[test]
    fn broken_or_huge_json_is_passed_over() {
        let page = "<html><head><script type=\"application/ld+json\">{\"@type\": [</script>\
                    </head><body>x</body></html>";
        assert!(posts_of(page).is_empty());
    }
}
