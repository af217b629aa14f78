//! The thread's title in a text copy: the heading between the page's chrome and the first
//! post, never a cookie banner, a skip link or a menu line.
//!
//! A copy starts with the site's chrome (skip links, menus, cookie banners, the logo), so
//! its first line is rarely the title. The thread's heading stands after that chrome and
//! before the first post; it is a short line of its own, not a list item (menus and
//! breadcrumbs are lists), not a link or an image, not a sentence. Where the page prints
//! it again ("Diskutiere `<title>` im …", "Re: `<title>`", the breadcrumb's last crumb) or
//! right under a breadcrumb line, that settles it; otherwise the fullest of the few lines
//! nearest the first post is the heading (a board or category name is shorter).

use threadmill_lexicon::{DateWords, Label, Lexicon, LineMatch};
use threadmill_model::{ChromeLine, ChromeRole, Line, Thread};

use crate::dates::find_dates;

/// A heading is a few words; a line of more is a sentence or a menu run together.
const TITLE_WORDS: usize = 20;
const TITLE_CHARS: usize = 160;
/// A heading repeated elsewhere is at least this long (shorter words repeat by chance).
const REPEAT_CHARS: usize = 8;
/// How many of the lines nearest the first post may hold the heading.
const LAST_CANDIDATES: usize = 3;
/// How many head lines are looked at above the first post.
const HEAD_REACH: usize = 400;

/// The line holding the thread's heading among the lines before `first_post`.
pub(super) fn heading_line(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    taken: &[bool],
    first_post: usize,
    dw: &DateWords,
) -> Option<usize> {
    let end = first_post.min(lines.len());
    let start = end.saturating_sub(HEAD_REACH);
    let candidates: Vec<usize> = (start..end)
        .filter(|&i| !taken[i] && matches[i].is_none() && is_heading(&lines[i], dw))
        .collect();
    // Printed again inside a longer line ("Re: <title>", "Diskutiere <title> im …"); a
    // menu item printed again alone in the footer does not count.
    let repeated = candidates.iter().rev().copied().find(|&i| {
        let heading = lines[i].text.trim().to_lowercase();
        heading.chars().count() >= REPEAT_CHARS
            && lines.iter().any(|l| {
                l.text.len() > heading.len() + 1 && l.text.to_lowercase().contains(&heading)
            })
    });
    // Under a breadcrumb line ("Forum Home» Loans", "Forums > Fight Discussion").
    let under_crumbs = || {
        candidates.iter().copied().find(|&i| {
            (0..i)
                .rev()
                .find(|&j| !lines[j].text.trim().is_empty())
                .is_some_and(|j| is_breadcrumb(&lines[j]))
        })
    };
    // Else the fullest of the last few lines: the heading, not the board or category
    // printed under it ("Sourdough starter smells of nail polish" / "Baking").
    let nearest = || {
        candidates
            .iter()
            .rev()
            .take(LAST_CANDIDATES)
            .copied()
            .max_by_key(|&i| (lines[i].text.split_whitespace().count(), i))
    };
    repeated.or_else(under_crumbs).or_else(nearest)
}

/// The thread's heading where the page labels it above the first post ("Thread: Sort of
/// new here", "Thema: …": the lexicon's subject templates): the label's value, with its
/// line.
fn labelled_heading(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    taken: &[bool],
    first_post: usize,
) -> Option<(usize, String)> {
    let end = first_post.min(lines.len());
    let start = end.saturating_sub(HEAD_REACH);
    (start..end).rev().filter(|&i| !taken[i]).find_map(|i| {
        let found = matches[i].as_ref().filter(|m| m.label == Label::Subject)?;
        let title = found.fields.title.as_deref()?.trim();
        let words = title.split_whitespace().count();
        ((1..=TITLE_WORDS).contains(&words) && title.chars().count() <= TITLE_CHARS)
            .then(|| (i, title.to_owned()))
    })
}

/// True when the first line `at` is a heading the page prints again, less a site name
/// after a separator ("Värmepump fryser på natten - Energiforum" over posts whose
/// subjects repeat "Värmepump fryser på natten"): that line is the title as it stands.
pub(super) fn first_line_confirmed(lines: &[Line], at: usize, dw: &DateWords) -> bool {
    let Some(line) = lines.get(at) else {
        return false;
    };
    let text = line.text.trim();
    let core = [" - ", " – ", " | ", " :: "]
        .iter()
        .find_map(|sep| text.split_once(sep).map(|(head, _)| head.trim()))
        .unwrap_or(text)
        .to_lowercase();
    is_heading(line, dw)
        && core.chars().count() >= REPEAT_CHARS
        && lines
            .iter()
            .enumerate()
            .any(|(j, l)| j != at && l.text.to_lowercase().contains(&core))
}

/// A short line of its own: not a list item, link, image, form field, label, date or
/// sentence.
fn is_heading(line: &Line, dw: &DateWords) -> bool {
    let t = line.text.trim();
    let words = t.split_whitespace().count();
    let Some(first) = t.chars().next() else {
        return false;
    };
    // List items (menus, breadcrumbs), links and image stand-ins ("[logo]"), bullets.
    let list_mark = !first.is_alphanumeric()
        && !matches!(first, '"' | '\'' | '¿' | '¡' | '«' | '„')
        || t.split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    // Two sentences or one closed by a stop: a banner or a notice, not a heading.
    let sentence = t.ends_with('.') && !t.ends_with("...")
        || t.contains(". ")
            && t.split(". ")
                .nth(1)
                .is_some_and(|r| r.starts_with(char::is_uppercase));
    let date_chars: usize = find_dates(t, dw).iter().map(|(a, b)| b - a).sum();
    !list_mark
        && !sentence
        && (1..=TITLE_WORDS).contains(&words)
        && t.chars().count() <= TITLE_CHARS
        && t.chars().any(char::is_alphabetic)
        && !t.ends_with(':')
        && !is_breadcrumb(line)
        && !is_menu_run(t)
        && date_chars * 2 < t.len()
}

/// Menu items run onto one line ("2 · Reply · Share", "Join Nairaland / LOGIN! / Trending"),
/// form fields and links ("Search for: [ ] [Go]", "[Home](…)").
fn is_menu_run(t: &str) -> bool {
    t.contains('[') || t.contains(" · ") || t.contains(" | ") || t.matches(" / ").count() >= 2
}

/// A breadcrumb: crumbs joined by a separator arrow.
fn is_breadcrumb(line: &Line) -> bool {
    let t = line.text.trim();
    line.chrome == Some(threadmill_model::ChromeRole::Board)
        || t.contains('»')
        || t.contains('›')
        || t.contains(" > ")
}

/// The first non-blank line is the title when it is not chrome itself.
pub(super) fn find_title(lines: &[Line], matches: &[Option<LineMatch<'_>>]) -> Option<usize> {
    let mut at = lines.iter().position(|l| !l.text.is_empty())?;
    // A breadcrumb first ("Forum Index -> Planted tanks"): the title is the line under it.
    if lines[at].chrome == Some(ChromeRole::Board) {
        at = (at + 1..lines.len()).find(|&i| !lines[i].text.is_empty())?;
    }
    (lines[at].chrome.is_none() && matches[at].is_none() && lines[at].text.chars().count() <= 200)
        .then_some(at)
}

/// The thread's title as its replies' subject lines repeat it ("Re: Save The Kingdom of
/// Hawaii"): when two replies or more name the same title and the first line has not one
/// word of it (a copy may start with "Skip to content" or a logo), the subjects are right.
/// The first line stays in the chrome.
pub(super) fn title_from_subjects(thread: &mut Thread, lexicon: &Lexicon) {
    let mut named: Vec<String> = thread
        .posts
        .iter()
        .filter_map(|p| p.subject.as_deref())
        .filter_map(|s| lexicon.match_line(s)?.fields.title)
        .collect();
    named.sort_unstable();
    let Some(title) = named
        .chunk_by(|a, b| a == b)
        .filter(|run| run.len() >= 2)
        .max_by_key(|run| run.len())
        .and_then(|run| run.first())
    else {
        return;
    };
    // A first line that shares a word with the subjects is the title as the page prints
    // it; replies may shorten it ("Re: tent" under "Which tent for a windy coast?").
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_lowercase)
            .collect()
    };
    if let Some(current) = thread.title.as_deref() {
        let current = words(current);
        if words(title).iter().any(|w| current.contains(w)) {
            return;
        }
    }
    for line in thread
        .chrome
        .iter_mut()
        .filter(|c| c.role == ChromeRole::Title)
    {
        line.role = ChromeRole::Other;
    }
    thread.title = Some(title.clone());
}

/// The heading between the page's chrome and the first post, in place of a first line that
/// is chrome (a skip link, a cookie banner, a menu): the old first line goes back to the
/// page's chrome. Returns the title's line.
pub(super) fn heading_over_first_post(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    taken: &mut [bool],
    title_at: Option<usize>,
    lexicon: &Lexicon,
    thread: &mut Thread,
) -> Option<usize> {
    let first_post = (0..lines.len()).find(|&i| taken[i] && Some(i) != title_at)?;
    let dw = lexicon.date_words();
    if title_at.is_some_and(|at| first_line_confirmed(lines, at, dw)) {
        return title_at;
    }
    let Some((at, title)) = labelled_heading(lines, matches, taken, first_post).or_else(|| {
        heading_line(lines, matches, taken, first_post, dw)
            .map(|at| (at, lines[at].text.trim().to_owned()))
    }) else {
        return title_at;
    };
    if let Some(old) = title_at {
        taken[old] = false;
        thread.chrome.retain(|c| c.role != ChromeRole::Title);
    }
    taken[at] = true;
    thread.title = Some(title);
    thread.chrome.push(ChromeLine {
        role: ChromeRole::Title,
        text: lines[at].text.clone(),
        post: None,
    });
    Some(at)
}

#[cfg(test)]
mod tests {
    use threadmill_lexicon::Lexicon;

    use super::*;

    fn heading(texts: &[&str], first_post: usize) -> Option<String> {
        let lexicon = Lexicon::builtin().expect("lexicon");
        let dw = lexicon.date_words();
        let lines: Vec<Line> = texts.iter().map(|t| Line::body(*t)).collect();
        let matches: Vec<_> = lines.iter().map(|l| lexicon.match_line(&l.text)).collect();
        let taken = vec![false; lines.len()];
        heading_line(&lines, &matches, &taken, first_post, dw).map(|i| texts[i].to_owned())
    }

    #[test]
    fn chrome_lines_are_never_the_heading() {
        let texts = [
            "We use cookies to make the site easier to use. Read our cookies policy.",
            "• Skip to main content",
            "[logo]",
            "Forum Home» Loans",
            "How do 0% credit card balances work?",
            "• Forum",
            "ann",
        ];
        assert_eq!(
            heading(&texts, 6).as_deref(),
            Some("How do 0% credit card balances work?")
        );
    }

    #[test]
    fn a_heading_printed_again_wins_over_a_later_line() {
        let texts = [
            "Menu",
            "Schachtel für Mauthe Nr. 50/322",
            "Diskutiere Schachtel für Mauthe Nr. 50/322 im Uhrencafé Forum",
            "Sidebar Sidebar",
            "ann",
        ];
        assert_eq!(
            heading(&texts, 4).as_deref(),
            Some("Schachtel für Mauthe Nr. 50/322")
        );
        // A category under the heading is not it.
        let texts = [
            "Log In",
            "Sourdough starter smells of nail polish",
            "Baking",
            "pip",
        ];
        assert_eq!(
            heading(&texts, 3).as_deref(),
            Some("Sourdough starter smells of nail polish")
        );
        // Nothing but chrome before the first post: no heading.
        assert_eq!(heading(&["• Home", "[logo]"], 2), None);
    }

    /// A menu line run together is longer than the heading, but the page labels its
    /// heading ("Thread: …"), and the label's value is the title.
    #[test]
    fn a_labelled_heading_wins_over_a_menu_line() {
        let lexicon = Lexicon::builtin().expect("lexicon");
        let texts = [
            "Text Size: M L X",
            "login / register Donate Chat Message Boards",
            "Thread: Sort of new here",
            "Thread Tools",
            "Crazyguy",
        ];
        let lines: Vec<Line> = texts.iter().map(|t| Line::body(*t)).collect();
        let matches: Vec<_> = lines.iter().map(|l| lexicon.match_line(&l.text)).collect();
        let taken = vec![false; lines.len()];
        assert_eq!(
            labelled_heading(&lines, &matches, &taken, 4),
            Some((2, "Sort of new here".to_owned()))
        );
    }
}
