//! Direct quotations and who said them.

use std::sync::LazyLock;

use regex::Regex;
use threadmill_model::{BlockKind, Quotation, Thread};

/// A quotation in straight or curly double quotes.
static QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"["“]([^"“”]{8,1000}?)["”]"#).expect("static pattern"));
/// Speech verbs around a quotation, in English. Forum reposts are mostly news copy; other
/// languages' verbs belong in the lexicon when they are needed.
static AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*,?\s*(?:(?:said|says|told|added|asked|insisted|replied|wrote|explained|warned)\s+(?P<name1>(?:Mr|Mrs|Ms|Dr)?\s*\p{Lu}[\w'-]+(?:\s+\p{Lu}[\w'-]+)*)|(?P<name2>(?:Mr|Mrs|Ms|Dr)?\s*\p{Lu}[\w'-]+(?:\s+\p{Lu}[\w'-]+)*|he|she|they)\s+(?:said|says|told|added|asked|insisted|replied|wrote|explained|warned))")
        .expect("static pattern")
});
static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<name>\b(?:Mr|Mrs|Ms|Dr)?\s*\p{Lu}[\w'-]+(?:\s+\p{Lu}[\w'-]+)*|\b[Hh]e|\b[Ss]he)\s+(?:said|says|told \w+|added|asked|wrote|explained|warned)(?:[^.!?]{0,40})?[,:]?\s*$")
        .expect("static pattern")
});
/// Capitalised word runs: the names a short speaker reference may stand for.
static NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\p{Lu}[\w'-]+(?:\s+\p{Lu}[\w'-]+)+").expect("static pattern"));

/// Every direct quotation of a full sentence or more, with the speaker resolved to the
/// fullest name the post uses for them ("Kim" → "Kim Jong Un"); "he" and "she" stand for the
/// previous speaker.
pub(crate) fn find_quotations(thread: &Thread) -> Vec<Quotation> {
    let mut out = Vec::new();
    for post in &thread.posts {
        let names: Vec<&str> = NAME.find_iter(&post.text).map(|m| m.as_str()).collect();
        let mut last_speaker: Option<String> = None;
        for block in post
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Paragraph | BlockKind::Standfirst))
        {
            for caps in QUOTED.captures_iter(&block.text) {
                let (Some(whole), Some(inside)) = (caps.get(0), caps.get(1)) else {
                    continue;
                };
                let quoted = inside.as_str().trim();
                let words = quoted.split_whitespace().count();
                if words < 4 || !quoted.starts_with(char::is_uppercase) {
                    continue;
                }
                let after = &block.text[whole.end()..];
                let before = &block.text[..whole.start()];
                let spoken_by = AFTER
                    .captures(after)
                    .and_then(|c| {
                        c.name("name1")
                            .or_else(|| c.name("name2"))
                            .map(|m| m.as_str().trim().to_owned())
                    })
                    .or_else(|| {
                        BEFORE
                            .captures(before)
                            .and_then(|c| c.name("name").map(|m| m.as_str().trim().to_owned()))
                    });
                let speaker = match spoken_by.as_deref() {
                    Some("he" | "she" | "He" | "She" | "they") => last_speaker.clone(),
                    Some(name) => Some(full_name(strip_title(name), &names)),
                    None => None,
                };
                if speaker.is_some() {
                    last_speaker.clone_from(&speaker);
                }
                out.push(Quotation {
                    text: quoted.trim_end_matches(',').to_owned(),
                    speaker,
                    post: post.index,
                });
            }
        }
    }
    out
}

fn strip_title(name: &str) -> &str {
    ["Mr ", "Mrs ", "Ms ", "Dr "]
        .iter()
        .find_map(|t| name.strip_prefix(t))
        .unwrap_or(name)
}

/// The longest name in the post that starts or ends with `short`.
fn full_name(short: &str, names: &[&str]) -> String {
    names
        .iter()
        .filter(|n| {
            n.len() > short.len()
                && (n.starts_with(&format!("{short} ")) || n.ends_with(&format!(" {short}")))
                && !n.starts_with("Mr ")
        })
        .max_by_key(|n| n.len())
        .map_or_else(|| short.to_owned(), |n| (*n).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadmill_model::{Block, Format, Post, Source};

    #[test]
    fn speakers_are_resolved() {
        let source = Source {
            path: String::new(),
            member: None,
            sha256: String::new(),
            bytes: 0,
            format: Format::Text,
        };
        let mut thread = Thread::new(source);
        let mut post = Post::new(0);
        post.blocks.push(Block::new(
            BlockKind::Paragraph,
            "Kim Jong Un met Vladimir Putin.",
        ));
        post.blocks.push(Block::new(BlockKind::Paragraph, "\"We will always support the decisions of President Putin,\" Kim told Mr Putin via a translator."));
        post.blocks.push(Block::new(
            BlockKind::Paragraph,
            "\"Peter the Great waged the Great Northern War for 21 years,\" he said.",
        ));
        post.refresh_text();
        thread.posts.push(post);
        let quotes = find_quotations(&thread);
        assert_eq!(quotes.len(), 2);
        assert_eq!(quotes[0].speaker.as_deref(), Some("Kim Jong Un"));
        assert_eq!(quotes[1].speaker.as_deref(), Some("Kim Jong Un"));
    }
}
