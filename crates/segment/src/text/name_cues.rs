//! Author names told by the way a text copy prints an author panel, whatever the engine.
//!
//! Where the page's positions say little (panels of varying length: a rank, a location, a
//! join date, counts), a few shapes say "this is the name" on every site that prints
//! them, and a few say "this is never a name":
//! - a letter avatar, a lone capital on its own line, stands right above the name it is
//!   the initial of (`XenForo` 2 as w3m copies it: macrumors, wordreference, uhrforum,
//!   android-hilfe);
//! - an avatar's alt text glued before the name doubles it at the head of the panel line
//!   ("ndf9876ndf9876 Forumite", Vanilla: scope, moneysavingexpert, bitdefender,
//!   collegeconfidential);
//! - a name said twice, an avatar's alt text over the name or a numbered list item over
//!   the name and its rank ("2. Klaavical" / "Klaavical Black Belt", `XenForo` 1: gtplanet,
//!   sherdog, macrumors);
//! - a subject line that ends "by NAME:" right above the date (nairaland, SMF-like
//!   headers);
//! - a date, a count ("8 Shares", "301 posts") or the value of a label line above it
//!   ("Location:" / "Greece") is never a name.

use std::ops::Range;

use threadmill_lexicon::{DateWords, Lexicon, WordSet};
use threadmill_model::{ChromeRole, Line};

use super::shapes::unnumbered;
use crate::dates::find_dates;

/// A panel line is a few words: the name and a rank or a count run into it.
const PANEL_LINE_WORDS: usize = 8;
/// A name is at most this long.
const NAME_CHARS: usize = 48;
/// A label above its value is a few words with no digits ("Location:", "Dabei seit").
const LABEL_WORDS: usize = 3;

/// The author's name and the line it stands on, found by a letter avatar or a doubled
/// avatar name within `range` (the post's header); the one nearest the date wins.
pub(super) fn panel_name(
    lines: &[Line],
    range: Range<usize>,
    lexicon: &Lexicon,
) -> Option<(usize, String)> {
    let by_words = &lexicon.chrome_words().by;
    let end = range.end.min(lines.len());
    let start = range.start.min(end);
    (start..end).rev().find_map(|i| {
        under_letter_avatar(lines, i)
            .or_else(|| said_twice(lines, i))
            .or_else(|| doubled_lead(&lines[i]))
            .or_else(|| by_name_at_end(&lines[i], by_words))
            // A button the lexicon knows is no one's name ("quotequote all").
            .filter(|name| lexicon.match_line(name).is_none())
            .map(|name| (i, name))
    })
}

/// The name on line `i` when the line above prints it too: an avatar's alt text over the
/// name ("ilikewhey" / "ilikewhey"), or a numbered list item over the name and its rank
/// ("2. Klaavical" / "Klaavical Black Belt").
fn said_twice(lines: &[Line], i: usize) -> Option<String> {
    if !is_panel_line(&lines[i]) {
        return None;
    }
    let above = (0..i).rev().find(|&j| !lines[j].text.trim().is_empty())?;
    // A list number before the name: "2. Klaavical".
    let upper = unnumbered(&lines[above].text);
    let lower = lines[i].text.trim();
    let repeats = lower == upper
        || lower
            .strip_prefix(upper)
            .is_some_and(|rest| rest.starts_with(char::is_whitespace));
    (repeats
        && is_panel_line(&lines[above])
        && upper.chars().count() <= NAME_CHARS
        && upper.chars().any(char::is_alphabetic)
        && upper.split_whitespace().count() <= 4
        && !upper.ends_with(['.', '!', '?', ':', ','])
        && !never_a_name(upper))
    .then(|| upper.to_owned())
}

/// The name on line `i` when the nearest non-blank line above it is a lone capital that
/// the name starts with; the name is kept as printed.
fn under_letter_avatar(lines: &[Line], i: usize) -> Option<String> {
    if !is_panel_line(&lines[i]) {
        return None;
    }
    let above = (0..i).rev().find(|&j| !lines[j].text.trim().is_empty())?;
    let mut letter = lines[above].text.trim().chars();
    let (Some(l), None) = (letter.next(), letter.next()) else {
        return None;
    };
    let name = lines[i].text.trim();
    let first = name.chars().next()?;
    (l.is_uppercase()
        && first.to_lowercase().eq(l.to_lowercase())
        && name.chars().count() <= NAME_CHARS
        && name.split_whitespace().count() <= 4
        && !name.ends_with(['.', '!', '?', ':'])
        && !never_a_name(name))
    .then(|| name.to_owned())
}

/// The name an avatar's alt text doubles in a panel line: "georgieageorgiea Member Posts:
/// 6" gives "georgiea"; a text browser may run it onto the date line above ("12 July 2022
/// at 9:14AM greenthumbgreenthumb Forumite").
fn doubled_lead(line: &Line) -> Option<String> {
    if !is_panel_line(line) {
        return None;
    }
    let text = line.text.trim();
    text.char_indices()
        .filter(|&(i, c)| {
            !c.is_whitespace() && (i == 0 || text[..i].ends_with(char::is_whitespace))
        })
        .find_map(|(i, _)| doubled_at(&text[i..], i == 0))
}

/// The doubled name `text` starts with; a doubling inside the line needs a name of at
/// least three letters ("haha" is a laugh).
fn doubled_at(text: &str, at_start: bool) -> Option<String> {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let shortest = if at_start { 2 } else { 3 };
    // The doubling ends at a word boundary; the name is at most NAME_CHARS long.
    for (n, &cut) in bounds
        .iter()
        .enumerate()
        .skip(shortest)
        .take(NAME_CHARS - 1)
    {
        let Some(&end) = bounds.get(2 * n) else {
            break;
        };
        let (name, rest) = (&text[..cut], &text[cut..]);
        let at_boundary = text[end..].chars().next().is_none_or(char::is_whitespace);
        if at_boundary
            && rest.starts_with(name)
            && name.chars().any(char::is_alphabetic)
            && !name.ends_with(char::is_whitespace)
            && !never_a_name(name)
        {
            return Some(name.to_owned());
        }
    }
    None
}

/// "Re: How snakes get in by Tomtomy98:": a header line over the date that ends in the
/// word introducing the author and the name with a colon.
fn by_name_at_end(line: &Line, by_words: &WordSet) -> Option<String> {
    by_name_before_colon(&line.text, by_words)
}

/// "… by Flyingngel(m):" (the words before a date, or a whole header line): the name after
/// the word introducing the author, without a one-letter gender mark ("(m)", "(f)").
pub(super) fn by_name_before_colon(text: &str, by_words: &WordSet) -> Option<String> {
    let text = text.trim();
    let name = text.strip_suffix(':')?;
    let (head, last) = name.rsplit_once(char::is_whitespace)?;
    let by = head.split_whitespace().last()?;
    let last = last
        .strip_suffix(')')
        .and_then(|l| l.rsplit_once('('))
        .filter(|(_, mark)| mark.chars().count() == 1 && mark.chars().all(char::is_alphabetic))
        .map_or(last, |(name, _)| name);
    (by_words.contains(&by.to_lowercase())
        && last.chars().any(char::is_alphabetic)
        && !never_a_name(last))
    .then(|| last.to_owned())
}

/// A line short enough to be a panel's, and not chrome other than a name.
fn is_panel_line(line: &Line) -> bool {
    line.chrome.is_none_or(|c| c == ChromeRole::AuthorName)
        && line.text.split_whitespace().count() <= PANEL_LINE_WORDS
}

/// Text that names no one: a number, or a count with its unit before or after it ("8
/// Shares", "301 posts", "Posts 12"). A number inside a name ("AMG 4 LIFE") stays.
pub(super) fn never_a_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let is_count = |w: &&str| {
        w.chars().any(|c| c.is_ascii_digit())
            && w.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.'))
    };
    match words.as_slice() {
        [] => true,
        [first, .., last] if words.len() <= 2 => is_count(first) || is_count(last),
        _ => words.iter().all(is_count),
    }
}

/// A name with a number after it ("Dewi 2"), which [`never_a_name`] cannot tell from a
/// count after its label ("Posts 12"): the word before the number is no count's label, no
/// post's button and no line the lexicon knows, and is capitalised as a name is.
pub(super) fn numbered_name(text: &str, lexicon: &Lexicon) -> bool {
    let words = lexicon.chrome_words();
    let [word, number] = text.split_whitespace().collect::<Vec<_>>()[..] else {
        return false;
    };
    let lower = word.to_lowercase();
    number.chars().all(|c| c.is_ascii_digit())
        && word.starts_with(char::is_uppercase)
        && word.chars().all(char::is_alphabetic)
        && !words.post_count.contains(&lower)
        && !words.post_action.contains(&lower)
        && !words.rank.contains(&lower)
        && lexicon.match_line(text).is_none()
}

/// Text a panel prints beside a name and that names no one: a rank or badge ("Senior
/// Member", "Original Poster:"), a post's button ("Reply", "Back to top"), a count's or a
/// join date's label ("Posts", "Joined"), or a profile button of two words or more ("View
/// Profile").
pub(super) fn is_chrome_name(text: &str, lexicon: &Lexicon) -> bool {
    let words = lexicon.chrome_words();
    let lower = text.trim().trim_end_matches(':').trim_end().to_lowercase();
    let buttons = lower.split_whitespace().count() >= 2
        && lower
            .split_whitespace()
            .all(|w| words.profile_button.contains(w));
    words.rank.contains(&lower)
        || words.post_action.contains(&lower)
        || words.post_count.contains(&lower)
        || words.joined.is_one(&lower)
        || buttons
}

/// True when `text` is mostly a date: a name is never one.
pub(super) fn is_date_text(text: &str, dw: &DateWords) -> bool {
    let date_chars: usize = find_dates(text, dw).iter().map(|(a, b)| b - a).sum();
    date_chars * 2 >= text.trim().len()
}

/// True when line `i` is the value of a bare label line above it ("Location:" /
/// "Greece", "Ort" / "Gelnhausen"): a value, never a name.
pub(super) fn is_label_value(lines: &[Line], i: usize) -> bool {
    let Some(above) = (0..i).rev().find(|&j| !lines[j].text.trim().is_empty()) else {
        return false;
    };
    let label = lines[above].text.trim();
    label.ends_with(':')
        && label.split_whitespace().count() <= LABEL_WORDS
        && !label.contains(|c: char| c.is_ascii_digit())
        && lines[i].indent > lines[above].indent
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::builtin().expect("lexicon")
    }

    fn lines(texts: &[&str]) -> Vec<Line> {
        texts.iter().map(|t| Line::body(*t)).collect()
    }

    #[test]
    fn panel_labels_name_no_one() {
        let lx = lexicon();
        for label in [
            "Senior Member",
            "Reply",
            "Posts",
            "Joined",
            "Member since:",
            "View Profile",
        ] {
            assert!(is_chrome_name(label, &lx), "{label}");
        }
        for name in ["joined_at_the_hip", "Sincere Joiner", "robrobrobro"] {
            assert!(!is_chrome_name(name, &lx), "{name}");
        }
    }

    #[test]
    fn a_letter_avatar_names_the_line_under_it() {
        let l = lines(&[
            "R",
            "",
            "robrobrobro",
            "",
            "macrumors member",
            "Nov 14, 2018",
        ]);
        assert_eq!(
            panel_name(&l, 0..5, &lexicon()),
            Some((2, "robrobrobro".to_owned()))
        );
        // A capital that is not the name's initial is no avatar.
        let l = lines(&["X", "robrobrobro", "Member"]);
        assert_eq!(panel_name(&l, 0..3, &lexicon()), None);
    }

    #[test]
    fn an_avatar_alt_text_doubles_the_name() {
        let l = lines(&["georgieageorgiea Member Posts: 6 Listener"]);
        assert_eq!(
            panel_name(&l, 0..1, &lexicon()),
            Some((0, "georgiea".to_owned()))
        );
        let l = lines(&["12 July 2022 at 9:14AM greenthumbgreenthumb Forumite"]);
        assert_eq!(
            panel_name(&l, 0..1, &lexicon()),
            Some((0, "greenthumb".to_owned()))
        );
        let l = lines(&["Matt StephensMatt Stephens Forumite"]);
        assert_eq!(
            panel_name(&l, 0..1, &lexicon()),
            Some((0, "Matt Stephens".to_owned()))
        );
        // A sentence, a count, letters that double inside a word, a button: no panel.
        for text in [
            "1212 posts",
            "Mississippi is far away",
            "hahaha",
            "quotequote all",
        ] {
            assert_eq!(
                panel_name(&lines(&[text]), 0..1, &lexicon()),
                None,
                "{text}"
            );
        }
    }

    #[test]
    fn a_name_said_twice_is_the_name() {
        let l = lines(&["ilikewhey", "", "ilikewhey", "macrumors 65816"]);
        assert_eq!(
            panel_name(&l, 0..4, &lexicon()),
            Some((2, "ilikewhey".to_owned()))
        );
        let l = lines(&["2. Klaavical", "Klaavical Black Belt", "Joined:"]);
        assert_eq!(
            panel_name(&l, 0..3, &lexicon()),
            Some((1, "Klaavical".to_owned()))
        );
        let l = lines(&["Reply", "Reply"]);
        assert_eq!(panel_name(&l, 0..2, &lexicon()), None);
    }

    #[test]
    fn a_subject_ending_by_a_name_names_it() {
        let l = lines(&["Re: This Is How Snakes Get In by Tomtomy98:"]);
        assert_eq!(
            panel_name(&l, 0..1, &lexicon()),
            Some((0, "Tomtomy98".to_owned()))
        );
    }

    #[test]
    fn counts_dates_and_label_values_are_never_names() {
        for text in ["8 Shares", "301 posts", "1,490", "Posts 12"] {
            assert!(never_a_name(text), "{text}");
        }
        for text in ["snow755", "AMG 4 LIFE", "Matt Stephens"] {
            assert!(!never_a_name(text), "{text}");
        }
        // A name may end with a number; a count's label or a button may not.
        let lx = lexicon();
        assert!(numbered_name("Dewi 2", &lx));
        for text in ["Posts 12", "Likes 3", "Reply 2", "dewi 2"] {
            assert!(!numbered_name(text, &lx), "{text}");
        }
        let mut l = lines(&["Location:", "Greece"]);
        l[1].indent = 4;
        assert!(is_label_value(&l, 1));
        assert!(!is_label_value(&lines(&["khr1s", "Greece"]), 1));
    }
}
