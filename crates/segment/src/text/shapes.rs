//! What a line of a text copy looks like: short, a sentence, prose, a bare label or a
//! labelled value; and the lines many posts repeat (buttons, whatever their language).

use std::collections::HashMap;

use threadmill_lexicon::{Fields, Label, Lexicon, LineMatch};
use threadmill_model::{ChromeLine, ChromeRole, Line, Thread};

/// A line of more words than this is a sentence, whatever its punctuation.
pub(super) const SENTENCE_WORDS: usize = 10;

/// A line of a post header (name, rank, button) is short and not a sentence.
pub(super) const SHORT_WORDS: usize = 5;

pub(super) const SHORT_CHARS: usize = 48;

/// How many header lines may stand above a post's date.
pub(super) const HEADER_MAX: usize = 12;

/// A label alone on its line ("Join Date") is this many words at most.
pub(super) const LABEL_WORDS: usize = 4;

/// A line repeated in at least this share of the posts (and three of them) is UI.
pub(super) const REPEAT_SHARE: f32 = 0.3;

pub(super) const REPEAT_MIN: usize = 3;

pub(super) fn is_short(line: &Line) -> bool {
    let t = line.text.as_str();
    // A rule of box-drawing characters or dashes separates posts; it says nothing. Nor does
    // a post's number ("2."), though its stop makes it look like the end of a sentence.
    line.chrome.is_some()
        || !t.chars().any(char::is_alphanumeric)
        || (!t.chars().any(char::is_alphabetic) && t.split_whitespace().count() == 1)
        || (t.chars().count() <= SHORT_CHARS
            && t.split_whitespace().count() <= SHORT_WORDS
            && !t.ends_with(['.', '!', '?']))
}

/// A post's number as an ordered list prints it ("2."): it opens the post after it.
pub(super) fn is_item_number(line: &Line) -> bool {
    line.text
        .trim()
        .strip_suffix('.')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Plainly a sentence of a post: long, or closed by sentence punctuation. A header line of
/// a few words that is merely not short ("Senior Member Paris, France") is not.
pub(super) fn is_sentence(line: &Line) -> bool {
    let t = line.text.trim_end();
    line.chrome.is_none()
        && !is_short(line)
        && (t.split_whitespace().count() > SENTENCE_WORDS
            || t.ends_with(['.', '!', '?', ')', '"', '”', '…']))
}

pub(super) fn has_prose(lines: &[Line], from: usize, to: usize) -> bool {
    (from..to.min(lines.len())).any(|i| !lines[i].text.is_empty() && !is_short(&lines[i]))
}

/// True when `text` holds a time of day ("12:25AM", "16:22").
pub(super) fn has_time_of_day(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit())
}

/// The line `n` non-blank lines above `at` (or `at` itself for 0).
pub(super) fn nth_nonblank_above(lines: &[Line], at: usize, n: usize) -> usize {
    let mut seen = 0;
    let mut pos = at;
    for i in (0..at).rev() {
        if seen == n {
            break;
        }
        if !lines[i].text.is_empty() {
            seen += 1;
            pos = i;
        }
    }
    pos
}

/// How many short lines stand right above line `at` (blank lines skipped), down to `floor`.
pub(super) fn short_run_above(lines: &[Line], floor: usize, at: usize) -> usize {
    let mut n = 0;
    for i in (floor..at).rev() {
        if lines[i].text.is_empty() {
            continue;
        }
        if !is_short(&lines[i]) || n == HEADER_MAX {
            break;
        }
        n += 1;
    }
    n
}

/// A line less the number a numbered list prints before it ("2. ann").
pub(super) fn unnumbered(text: &str) -> &str {
    let text = text.trim();
    text.split_once(". ")
        .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        .map_or(text, |(_, rest)| rest.trim())
}

/// A line that may label a value printed under it: a few words, no digits, no stop.
pub(super) fn is_bare_label(line: &Line) -> bool {
    let t = line.text.trim();
    t.split_whitespace().count() <= LABEL_WORDS
        && !t.contains(|c: char| c.is_ascii_digit())
        && !t.ends_with(['.', '!', '?'])
}

/// True when line `i` is the value of a label alone on the line above it, as a text
/// browser lays out a definition list ("Join Date" / "Dec 2017"): together the two make
/// a line the lexicon knows as an author statistic, so the date is not a post's.
pub(super) fn is_labelled_value(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    i: usize,
    lexicon: &Lexicon,
) -> bool {
    labelled_value(lines, matches, i, lexicon).is_some()
}

/// The author statistic line `i` and the bare label above it make together, as the
/// lexicon reads it ("Joined:" / "Aug 31, 2002" is a join date).
pub(super) fn labelled_value<'l>(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    i: usize,
    lexicon: &'l Lexicon,
) -> Option<LineMatch<'l>> {
    let above = (0..i).rev().find(|&j| !lines[j].text.is_empty())?;
    let label = &lines[above];
    // A bare label: a few words with no value of their own ("Join Date", which the lexicon
    // may know as a label line, but not "Dołączył: 05-01-2021").
    if label.text.split_whitespace().count() > LABEL_WORDS
        || label.text.contains(|c: char| c.is_ascii_digit())
        || matches[above]
            .as_ref()
            .is_some_and(|m| m.fields != Fields::default())
    {
        return None;
    }
    // A definition list drops the colon a label line prints ("Join Date: Dec 2017").
    let label = label.text.trim().trim_end_matches(':');
    lexicon
        .match_line(&format!("{label}: {}", lines[i].text.trim()))
        .filter(|m| matches!(m.label, Label::Joined | Label::AuthorInfo | Label::Posts))
}

/// Texts of lines repeated in many posts: buttons and badges.
pub(super) fn repeated_lines<'a>(lines: &'a [Line], bodies: &[(usize, usize)]) -> Vec<&'a str> {
    let mut posts_with: HashMap<&str, usize> = HashMap::new();
    for &(from, to) in bodies {
        let mut seen: Vec<&str> = Vec::new();
        for line in lines.get(from..to.max(from)).unwrap_or_default() {
            let t = line.text.as_str();
            if !t.is_empty() && t.chars().count() <= SHORT_CHARS && !seen.contains(&t) {
                seen.push(t);
                *posts_with.entry(t).or_default() += 1;
            }
        }
    }
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let need = REPEAT_MIN.max((bodies.len() as f32 * REPEAT_SHARE).ceil() as usize);
    let mut out: Vec<&str> = posts_with
        .into_iter()
        .filter(|&(_, n)| n >= need)
        .map(|(t, _)| t)
        .collect();
    out.sort_unstable();
    out
}

/// Lines repeated in many posts are set aside before reading bodies.
pub(super) fn mark_repeated(
    lines: &[Line],
    bodies: &[(usize, usize)],
    repeated: &[&str],
    taken: &mut [bool],
    thread: &mut Thread,
) {
    for (k, &(from, to)) in bodies.iter().enumerate() {
        for i in from..to.min(lines.len()) {
            let t = lines[i].text.as_str();
            if !taken[i] && repeated.contains(&t) {
                taken[i] = true;
                thread.chrome.push(ChromeLine {
                    role: lines[i].chrome.unwrap_or(ChromeRole::Action),
                    text: t.to_owned(),
                    post: Some(k),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_under_a_label_line_is_a_statistic() {
        let lx = Lexicon::builtin().expect("lexicon");
        let labelled = |texts: &[&str], i: usize| {
            let lines: Vec<Line> = texts.iter().copied().map(Line::body).collect();
            let matches: Vec<_> = lines.iter().map(|l| lx.match_line(&l.text)).collect();
            is_labelled_value(&lines, &matches, i, &lx)
        };
        let page = [
            "1. 04-06-2019, 06:55 AM #1",
            "Crazyguy",
            "Join Date",
            "Dec 2017",
        ];
        assert!(labelled(&page, 3));
        // The post's own date has a name, not a label, around it.
        assert!(!labelled(&page, 0));
        assert!(!labelled(&page, 1));
        // A statistic that has its value already is no label for the date under it.
        assert!(!labelled(&["Dołączył: 05-01-2021", "14-03-2021, 09:40"], 1));
    }

    #[test]
    fn a_post_number_is_no_sentence() {
        let number = Line::body("2.");
        assert!(is_short(&number));
        assert!(!is_sentence(&number));
        assert!(is_item_number(&number));
        assert!(!is_item_number(&Line::body("#2")));
        assert!(!is_item_number(&Line::body("It works.")));
        assert!(!is_short(&Line::body("3.14 and 2.71 are both irrational.")));
    }
}
