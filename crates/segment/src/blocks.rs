//! What every segmenter shares once posts have blocks: article structure, captions,
//! repeated paragraphs, language and sentences.

use std::sync::{Arc, Mutex};

use threadmill_lexicon::Lexicon;
use threadmill_model::{BlockKind, Post, Thread};

use crate::SegmentConfig;
use crate::derived::{Slot, derived};
use crate::lang::detect_thread_langs;
use crate::sentences::split_sentences;

/// A caption is a line or two, not a paragraph of prose.
const CAPTION_MAX: usize = 400;
/// A standfirst is one or two sentences.
const STANDFIRST_RANGE: std::ops::RangeInclusive<usize> = 40..=400;

pub(crate) fn finish(thread: &mut Thread, lexicon: &Lexicon, config: &SegmentConfig) {
    let title = thread.title.clone();
    let page_url = thread.url.clone();
    for (index, post) in thread.posts.iter_mut().enumerate() {
        post.index = index;
        post.settle_author(page_url.as_deref());
        if config.drop_duplicate_blocks {
            thread.repairs.duplicate_lines_dropped += drop_repeated_blocks(post);
        }
        if config.articles {
            mark_article(post, title.as_deref(), lexicon);
        }
    }
    thread.unify_authors();
    let langs = if config.lang {
        let own_words: Vec<String> = thread.posts.iter().map(own_words).collect();
        detect_thread_langs(&own_words)
    } else {
        vec![None; thread.posts.len()]
    };
    for (post, lang) in thread.posts.iter_mut().zip(langs) {
        post.lang = lang.map(str::to_owned);
        if config.sentences {
            for block in &mut post.blocks {
                if block.kind != BlockKind::Code {
                    block.sentences = split_sentences(&block.text, post.lang.as_deref());
                }
            }
        }
        post.refresh_text();
    }
}

/// What the post's author wrote: its text without quotes of others, signature and code.
fn own_words(post: &Post) -> String {
    post.blocks
        .iter()
        .filter(|b| {
            !matches!(
                b.kind,
                BlockKind::Quote | BlockKind::Signature | BlockKind::Code
            )
        })
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Drops a paragraph that repeats an earlier one of the same post; returns how many.
fn drop_repeated_blocks(post: &mut Post) -> u64 {
    let before = post.blocks.len();
    let mut seen: Vec<String> = Vec::new();
    post.blocks.retain(|b| {
        if b.kind != BlockKind::Paragraph || b.text.chars().count() < 20 {
            return true;
        }
        let key = b.text.to_lowercase();
        if seen.contains(&key) {
            return false;
        }
        seen.push(key);
        true
    });
    (before - post.blocks.len()) as u64
}

/// Recognises a reposted news article: the headline (the thread title repeated as the first
/// paragraph), the standfirst under it, a byline followed by a date line, and photo captions
/// closed by a credit ("Pic: AP").
fn mark_article(post: &mut Post, title: Option<&str>, lexicon: &Lexicon) {
    for block in &mut post.blocks {
        if block.kind == BlockKind::Paragraph
            && block.text.chars().count() <= CAPTION_MAX
            && lexicon.caption_credit(&block.text).is_some()
        {
            block.kind = BlockKind::Caption;
        }
    }
    let subject = post.subject.as_deref().map(strip_reply_prefix);
    let Some(first) = post.blocks.first() else {
        return;
    };
    let is_headline = first.kind == BlockKind::Paragraph
        && [title, subject]
            .into_iter()
            .flatten()
            .any(|t| same_text(t, &first.text));
    let mut start = 0;
    if is_headline {
        post.blocks[0].kind = BlockKind::Headline;
        start = 1;
        if let Some(next) = post.blocks.get_mut(1) {
            let len = next.text.chars().count();
            if next.kind == BlockKind::Paragraph
                && STANDFIRST_RANGE.contains(&len)
                && !is_name_line(&next.text)
            {
                next.kind = BlockKind::Standfirst;
                start = 2;
            }
        }
    }
    // A byline and a date line among the first blocks of the article.
    let window = start..post.blocks.len().min(start + 4);
    for i in window {
        let (Some(name), Some(date)) = (post.blocks.get(i), post.blocks.get(i + 1)) else {
            break;
        };
        if name.kind == BlockKind::Paragraph
            && date.kind == BlockKind::Paragraph
            && is_name_line(&name.text)
            && looks_like_date(&date.text, lexicon)
        {
            post.blocks[i].kind = BlockKind::Byline;
            post.blocks[i + 1].kind = BlockKind::Dateline;
            break;
        }
    }
}

fn strip_reply_prefix(subject: &str) -> &str {
    let lower = subject.to_lowercase();
    for prefix in ["re:", "aw:", "antw:", "sv:", "odp:", "rif:"] {
        if lower.starts_with(prefix) {
            return subject[prefix.len()..].trim_start();
        }
    }
    subject
}

fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

/// "James Robinson", "By Jane Doe and John Roe": two to six capitalised words, no digits,
/// no sentence punctuation.
fn is_name_line(text: &str) -> bool {
    let text = text.trim();
    let text = text
        .strip_prefix("By ")
        .or_else(|| text.strip_prefix("by "))
        .unwrap_or(text);
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=6).contains(&words.len())
        && !text.contains(|c: char| c.is_ascii_digit() || matches!(c, '.' | '!' | '?' | ':' | ';'))
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(*w, "and" | "&" | "van" | "de" | "von" | "der")
        })
}

/// True when `text` is nothing but a date (and maybe a time): numbers, month and weekday
/// names of any language in the lexicon, AM/PM, and filler words.
pub fn looks_like_date(text: &str, lexicon: &Lexicon) -> bool {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 60 {
        return false;
    }
    let words = DateWords::of(lexicon);
    let mut named = false;
    let mut numbers = 0;
    for token in text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '-' | '.' | '\'' | '(' | ')'))
    {
        if token.is_empty() {
            continue;
        }
        let lower = token.to_lowercase();
        let digits = lower.trim_end_matches(|c: char| c.is_alphabetic());
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == ':') {
            numbers += 1;
            let suffix = &lower[digits.len()..];
            if suffix.is_empty()
                || matches!(
                    suffix,
                    "st" | "nd" | "rd" | "th" | "am" | "pm" | "h" | "e" | "er"
                )
            {
                continue;
            }
            return false;
        }
        match words.known.get(lower.as_str()) {
            Some(&month) => named |= month,
            None if matches!(lower.as_str(), "am" | "pm") => {}
            None => return false,
        }
    }
    (named && numbers >= 1) || numbers >= 3
}

/// The words of every lexicon language that can stand in a date, each with whether it is
/// a month: built once, as asking each language in turn cost a scan of them all for every
/// word of every line tried.
struct DateWords {
    /// Lower-cased months and weekdays as the lexicon keys them; fillers, AM and PM words
    /// ASCII lower-cased (they are compared without ASCII case, and a token is already
    /// lower-cased). True for a month.
    known: foldhash::HashMap<String, bool>,
}

impl DateWords {
    fn of(lexicon: &Lexicon) -> Arc<Self> {
        static SLOT: Slot<DateWords> = Mutex::new(None);
        derived(&SLOT, lexicon, Self::new)
    }

    fn new(lexicon: &Lexicon) -> Self {
        let mut known: foldhash::HashMap<String, bool> = foldhash::HashMap::default();
        for (_, lang) in lexicon.langs() {
            let f = &lang.file;
            for w in lang.weekdays.keys() {
                known.entry(w.clone()).or_insert(false);
            }
            for w in f.filler.iter().chain(&f.am).chain(&f.pm) {
                known.entry(w.to_ascii_lowercase()).or_insert(false);
            }
            for w in lang.months.keys() {
                known.insert(w.clone(), true);
            }
        }
        Self { known }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_recognised() {
        let lx = Lexicon::builtin().expect("lexicon");
        for date in [
            "Wednesday 13 September 2023",
            "22 nov 2020 15:27",
            "Sun Mar 06, 2016 5:45 am",
            "13.03.2019",
        ] {
            assert!(looks_like_date(date, &lx), "{date}");
        }
        for not in ["... n-12960252", "James Robinson", "May I ask?", "2020", ""] {
            assert!(!looks_like_date(not, &lx), "{not}");
        }
    }

    /// The test as first written, asking each language in turn: the word table must
    /// give the same answers.
    fn looks_like_date_by_scan(text: &str, lexicon: &Lexicon) -> bool {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 60 {
            return false;
        }
        let mut named = false;
        let mut numbers = 0;
        for token in text.split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | '/' | '-' | '.' | '\'' | '(' | ')')
        }) {
            if token.is_empty() {
                continue;
            }
            let lower = token.to_lowercase();
            let digits = lower.trim_end_matches(|c: char| c.is_alphabetic());
            if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == ':') {
                numbers += 1;
                let suffix = &lower[digits.len()..];
                if suffix.is_empty()
                    || matches!(
                        suffix,
                        "st" | "nd" | "rd" | "th" | "am" | "pm" | "h" | "e" | "er"
                    )
                {
                    continue;
                }
                return false;
            }
            let known = lexicon.langs().any(|(_, lang)| {
                lang.months.contains_key(&lower)
                    || lang.weekdays.contains_key(&lower)
                    || lang
                        .file
                        .filler
                        .iter()
                        .any(|f| f.eq_ignore_ascii_case(&lower))
                    || lang
                        .file
                        .am
                        .iter()
                        .chain(&lang.file.pm)
                        .any(|f| f.eq_ignore_ascii_case(&lower))
            });
            if !known && !matches!(lower.as_str(), "am" | "pm") {
                return false;
            }
            if lexicon
                .langs()
                .any(|(_, lang)| lang.months.contains_key(&lower))
            {
                named = true;
            }
        }
        (named && numbers >= 1) || numbers >= 3
    }

    /// Every word the lexicon knows for dates, as written and upper-cased, and words
    /// it does not.
    fn vocabulary(lexicon: &Lexicon) -> Vec<String> {
        let mut words: Vec<String> = [
            "AM", "pm", "Pm", "12", "3rd", "10:31", "5pm", "7x", "word", "İ",
        ]
        .map(str::to_owned)
        .into();
        for (_, lang) in lexicon.langs() {
            let f = &lang.file;
            for w in lang
                .months
                .keys()
                .chain(lang.weekdays.keys())
                .chain(&f.filler)
                .chain(&f.am)
                .chain(&f.pm)
            {
                words.push(w.clone());
                words.push(w.to_uppercase());
            }
        }
        words
    }

    #[test]
    fn every_date_word_is_read_as_the_scan_reads_it() {
        let lx = Lexicon::builtin().expect("lexicon");
        for w in vocabulary(&lx) {
            for text in [
                w.clone(),
                format!("{w} 12"),
                format!("12 {w}, 2020"),
                format!("1 2 {w}"),
            ] {
                assert_eq!(
                    looks_like_date(&text, &lx),
                    looks_like_date_by_scan(&text, &lx),
                    "{text}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn word_table_agrees_with_the_scan(
            picks in proptest::collection::vec((0usize..10_000, "[ ,/.'()-]{1,2}"), 0..8)
        ) {
            static LX: std::sync::LazyLock<Lexicon> =
                std::sync::LazyLock::new(|| Lexicon::builtin().expect("lexicon"));
            static WORDS: std::sync::LazyLock<Vec<String>> =
                std::sync::LazyLock::new(|| vocabulary(&LX));
            let mut text = String::new();
            for (k, sep) in &picks {
                text.push_str(&WORDS[k % WORDS.len()]);
                text.push_str(sep);
            }
            proptest::prop_assert_eq!(
                looks_like_date(&text, &LX),
                looks_like_date_by_scan(&text, &LX)
            );
        }
    }

    #[test]
    fn names() {
        assert!(is_name_line("James Robinson"));
        assert!(is_name_line("By Jane Doe and John Roe"));
        assert!(!is_name_line("Wednesday 13 September 2023"));
        assert!(!is_name_line("Hello there."));
        assert!(!is_name_line("Admin"));
    }
}
