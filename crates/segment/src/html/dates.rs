//! Finding the date a forum printed, inside a short line of chrome.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use threadmill_lexicon::Lexicon;

use super::dom::Dom;

use crate::blocks::looks_like_date;
use crate::derived::{Slot, derived};

/// Lines longer than this are prose, not a header holding a date.
const LINE_MAX: usize = 160;
/// A printed date is at most this many words ("Sunday, 8th of March 2020 at 10:31 pm").
const WINDOW_MAX: usize = 9;

/// True when `text` is a date: an absolute one (`looks_like_date`) or a relative one
/// ("Today, 10:31 PM", "gestern um 08:12", "3 hours ago") in any lexicon language.
pub(crate) fn is_date(text: &str, lexicon: &Lexicon) -> bool {
    looks_like_date(text, lexicon) || is_relative_date(text, lexicon)
}

fn is_relative_date(text: &str, lexicon: &Lexicon) -> bool {
    let lower = text.trim().to_lowercase();
    if lower.is_empty() || lower.chars().count() > 40 {
        return false;
    }
    let vocabulary = DateVocabulary::of(lexicon);
    // "today"/"yesterday"/"now" alone make a date; a unit ("3 hours") needs its "ago"
    // word, or "18 months" (a membership's age) would pass.
    let (mut day_word, mut unit, mut ago, mut leftover) = (false, false, false, false);
    for token in lower.split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')')) {
        if token.is_empty() {
            continue;
        }
        let digits = token.trim_end_matches(|c: char| c.is_alphabetic());
        if !digits.is_empty()
            && digits
                .chars()
                .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
        {
            continue;
        }
        match vocabulary.relative.get(token) {
            Some(Relative::Day) => day_word = true,
            Some(Relative::Unit) => unit = true,
            Some(Relative::Ago) => ago = true,
            Some(Relative::Filler) => {}
            None => leftover |= !matches!(token, "am" | "pm"),
        }
    }
    !leftover && (day_word || (unit && ago))
}

/// The date inside a short line of chrome, as printed: "by ann » Sun Mar 06, 2016 5:45 am"
/// gives "Sun Mar 06, 2016 5:45 am". The longest run of words that reads as a date wins.
pub(crate) fn find_date<'t>(text: &'t str, lexicon: &Lexicon) -> Option<&'t str> {
    let text = text.trim();
    if text.is_empty() || text.len() > LINE_MAX * 4 || text.chars().count() > LINE_MAX {
        return None;
    }
    if is_date(text, lexicon) {
        return Some(trim_edges(text));
    }
    // Word spans with byte offsets.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || matches!(c, '»' | '|' | '•' | '·' | '–' | '—' | '[' | ']') {
            if let Some(s) = start.take() {
                words.push((s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    // Only runs of words that can be part of a date are tried: checking each word once
    // keeps this linear on the long lines of a page.
    let vocabulary = DateVocabulary::of(lexicon);
    let known: Vec<bool> = words
        .iter()
        .map(|&(s, e)| word_known(trim_edges(&text[s..e]), &vocabulary))
        .collect();
    // Where each run of known words ends, from the right: one pass, not one per word.
    let mut run_end: Vec<usize> = (0..words.len()).collect();
    for k in (0..words.len().saturating_sub(1)).rev() {
        if known[k] && known[k + 1] {
            run_end[k] = run_end[k + 1];
        }
    }
    let mut best: Option<(usize, usize, usize)> = None;
    for a in 0..words.len() {
        if !known[a] {
            continue;
        }
        for b in (a..=run_end[a].min(a + WINDOW_MAX - 1)).rev() {
            let n = b - a + 1;
            if best.is_some_and(|(_, _, m)| m >= n) {
                break;
            }
            let candidate = trim_edges(&text[words[a].0..words[b].1]);
            if !candidate.is_empty() && is_date(candidate, lexicon) {
                best = Some((a, b, n));
                break;
            }
        }
    }
    let (mut a, b, _) = best?;
    // "On 2019.08.03 15:35": a leading filler word belongs to the label, not the date.
    while a < b && is_filler(trim_edges(&text[words[a].0..words[a].1]), lexicon) {
        a += 1;
    }
    Some(trim_edges(&text[words[a].0..words[b].1]))
}

fn is_filler(word: &str, lexicon: &Lexicon) -> bool {
    DateVocabulary::of(lexicon)
        .fillers
        .contains(word.to_ascii_lowercase().as_str())
}

/// True when every piece of the word (split as `looks_like_date` splits) can belong to a
/// date: a number, or a month, weekday, filler, AM/PM or relative-date word of some
/// lexicon language.
fn word_known(word: &str, known: &DateVocabulary) -> bool {
    if word.is_empty() {
        return false;
    }
    word.split([',', '/', '-', '.', '\'', '(', ')'])
        .filter(|p| !p.is_empty())
        .all(|piece| {
            piece.starts_with(|c: char| c.is_ascii_digit())
                || known.words.contains(piece.to_lowercase().as_str())
        })
}

/// What a lower-cased word of a relative date ("3 hours ago") is.
#[derive(Debug, Clone, Copy)]
enum Relative {
    /// "today", "yesterday", "now".
    Day,
    /// "hours", "minutes".
    Unit,
    /// A word of the "ago" phrase.
    Ago,
    /// A filler, AM or PM word: allowed, saying nothing.
    Filler,
}

/// Every lower-cased word of every lexicon language that can stand in a printed date.
struct DateVocabulary {
    words: HashSet<String>,
    /// The relative-date words. A word of several languages or roles has the role of the
    /// first language that knows it, day words before units, units before "ago" words,
    /// those before fillers: as a scan of the languages in order would find it (this is
    /// asked for every word of every short line, too often for that scan).
    relative: foldhash::HashMap<String, Relative>,
    /// Filler words, ASCII lower-cased.
    fillers: HashSet<String>,
}

impl DateVocabulary {
    fn of(lexicon: &Lexicon) -> Arc<Self> {
        static SLOT: Slot<DateVocabulary> = Mutex::new(None);
        derived(&SLOT, lexicon, Self::new)
    }

    fn new(lexicon: &Lexicon) -> Self {
        let mut words: HashSet<String> = ["am", "pm", "a", "an"].map(str::to_owned).into();
        let mut relative: foldhash::HashMap<String, Relative> = foldhash::HashMap::default();
        let mut fillers = HashSet::new();
        for (_, lang) in lexicon.langs() {
            let f = &lang.file;
            let r = &f.relative;
            // Exact words, as the page's lower-cased token must equal them; the fillers,
            // AM and PM words compared without ASCII case.
            let day = r
                .today
                .iter()
                .chain(&r.yesterday)
                .chain(&r.day_before_yesterday)
                .chain(&r.now)
                .map(|w| (w.clone(), Relative::Day));
            let unit = r
                .units
                .values()
                .flatten()
                .map(|w| (w.clone(), Relative::Unit));
            let ago = r
                .ago
                .iter()
                .flat_map(|t| t.split_whitespace())
                .filter(|w| !w.contains('{'))
                .map(|w| (w.to_owned(), Relative::Ago));
            let filler = f
                .filler
                .iter()
                .chain(&f.am)
                .chain(&f.pm)
                .map(|w| (w.to_ascii_lowercase(), Relative::Filler));
            for (word, role) in day.chain(unit).chain(ago).chain(filler) {
                relative.entry(word).or_insert(role);
            }
            fillers.extend(f.filler.iter().map(|w| w.to_ascii_lowercase()));
            words.extend(lang.months.keys().cloned());
            words.extend(lang.weekdays.keys().cloned());
            words.extend(
                f.filler
                    .iter()
                    .chain(&f.am)
                    .chain(&f.pm)
                    .map(|w| w.to_lowercase()),
            );
            let phrases = r
                .today
                .iter()
                .chain(&r.yesterday)
                .chain(&r.day_before_yesterday)
                .chain(&r.now)
                .chain(r.units.values().flatten())
                .chain(&r.ago);
            for phrase in phrases {
                words.extend(
                    phrase
                        .split_whitespace()
                        .filter(|w| !w.contains('{'))
                        .map(str::to_lowercase),
                );
            }
        }
        Self {
            words,
            relative,
            fillers,
        }
    }
}

/// True when the text has a label's colon ("Posts: 12", "Joined:"), not only a time's
/// ("10:31"): the cheap test before asking the lexicon's costly matcher.
pub(crate) fn has_label_colon(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        (c == b':' || c == 0xbc/* the tail of a full-width colon */)
            && b.get(i + 1).is_none_or(|n| !n.is_ascii_digit())
            && i > 0
            && !b[i - 1].is_ascii_digit()
    })
}

/// Drops separators and labels' punctuation around a date ("» 12.03.2019 ,").
fn trim_edges(s: &str) -> &str {
    s.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ',' | ';' | '»' | '|' | '-' | '(' | ')' | '[' | ']' | '•' | '·' | '@' | '#'
            )
    })
}

/// Attributes where engines write a post's time for machines, most exact first.
const MACHINE_TIME_ATTRS: &[&str] = &["datetime", "data-time", "data-timestamp", "data-date"];
/// Elements looked through (the date's own subtree, then its ancestors) for a
/// machine-readable time: a `<time>` sits in or right around the printed date.
const MACHINE_TIME_REACH: usize = 12;

/// The machine-readable time beside a printed date at `node` (`<time datetime>`,
/// `data-time` epochs), as the page wrote it: an ISO 8601 value or epoch digits.
pub(crate) fn machine_time(dom: &Dom<'_>, node: usize) -> Option<String> {
    let around = dom
        .elems_in(node)
        .take(MACHINE_TIME_REACH)
        .chain(dom.ancestors(node).take(2));
    for j in around {
        for a in MACHINE_TIME_ATTRS {
            if let Some(v) = dom.attr(j, a).map(str::trim).filter(|v| is_machine_time(v)) {
                return Some(v.to_owned());
            }
        }
    }
    None
}

/// An ISO 8601 date (`2020-04-23…`) or epoch seconds or milliseconds.
fn is_machine_time(v: &str) -> bool {
    let b = v.as_bytes();
    let epoch = (9..=13).contains(&b.len()) && b.iter().all(u8::is_ascii_digit);
    let iso = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    epoch || iso
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_inside_headers() {
        let lx = Lexicon::builtin().expect("lexicon");
        assert_eq!(
            find_date("by ann » Sun Mar 06, 2016 5:45 am", &lx),
            Some("Sun Mar 06, 2016 5:45 am")
        );
        assert_eq!(
            find_date("11:43pm On Apr 23", &lx),
            Some("11:43pm On Apr 23")
        );
        assert_eq!(
            find_date("By ann On 2019.08.03 15:35", &lx),
            Some("2019.08.03 15:35")
        );
        assert_eq!(
            find_date("Posted 12.03.2019, 14:10", &lx),
            Some("12.03.2019, 14:10")
        );
        assert_eq!(find_date("Today, 10:31 PM", &lx), Some("Today, 10:31 PM"));
        assert_eq!(find_date("3 hours ago", &lx), Some("3 hours ago"));
        assert_eq!(
            find_date("Sat, Jun 18 '05, 10:24 AM", &lx),
            Some("Sat, Jun 18 '05, 10:24 AM")
        );
        assert_eq!(find_date("Hello there, how are you?", &lx), None);
        assert_eq!(find_date("Posts: 1234", &lx), None);
    }
}
