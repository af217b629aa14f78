//! Segmenting a text scrape by its post dates, for pages whose chrome the lexicon does not
//! know.
//!
//! Every post prints its date on a short header line ("Tachy, Feb 23, 2019", "● By ann On
//! 2020.03.12 15:21", or the date alone under a name). Those lines anchor the posts. The
//! header above each date (name, rank, buttons) is as long on every post of a page, so its
//! length is measured once from all posts, as the shortest run of short lines standing
//! above a date. Lines repeated in many posts ("Report", "Reply With Quote") are buttons,
//! not content, whatever their language.

use std::collections::HashMap;

use threadmill_lexicon::{Label, Lexicon, LineMatch};
use threadmill_model::{ChromeLine, ChromeRole, Line, Post, Thread};

use super::dates::{DateWords, find_dates};
use super::{footer_start, read_body};

/// A header line is a few words at most besides its date.
const HEADER_WORDS: usize = 6;
/// A line of a post header (name, rank, button) is short and not a sentence.
const SHORT_WORDS: usize = 5;
const SHORT_CHARS: usize = 48;
/// How many header lines may stand above a post's date.
const HEADER_MAX: usize = 12;
/// A line repeated in at least this share of the posts (and three of them) is UI.
const REPEAT_SHARE: f32 = 0.3;
const REPEAT_MIN: usize = 3;
/// Links to a member profile: the path words engines use for them.
const PROFILE_HINTS: [&str; 7] = [
    "member", "profile", "user", "u=", "showuser", "/u/", "personal_pages",
];
/// The word that introduces a post's author before its name ("By ann On …"), in the UI
/// languages the lexicon covers.
const BY_WORDS: [&str; 10] = [
    "by", "von", "door", "par", "por", "da", "av", "przez", "от", "de",
];

/// One post's anchor: its header lines and date line.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    /// First line of the header above the date.
    header: usize,
    /// The date line.
    date: usize,
    /// The last line of the header (the date line, or a later date line merged in).
    last: usize,
}

/// Segments `lines` by their date lines; false (and nothing changed) when fewer than two
/// posts are found.
#[allow(clippy::too_many_lines)]
pub(super) fn segment_by_dates(
    lines: &[Line],
    hrefs: &[Option<String>],
    matches: &[Option<LineMatch<'_>>],
    lexicon: &Lexicon,
    thread: &mut Thread,
    taken: &mut [bool],
) -> bool {
    let dw = DateWords::new(lexicon);
    let dates = date_lines(lines, matches, taken, &dw);
    if dates.len() < 2 {
        return false;
    }
    let anchor_lines: Vec<usize> = dates.iter().map(|d| d.0).collect();
    let above: Vec<usize> = anchor_lines
        .iter()
        .enumerate()
        .map(|(k, &a)| {
            let floor = k.checked_sub(1).map_or(0, |j| anchor_lines[j] + 1);
            short_run_above(lines, floor, a)
        })
        .collect();
    // The header is as long as the shortest one on the page: a longer run above some date
    // is the previous post's short last lines.
    let header_len = above.iter().skip(1).copied().min().unwrap_or(0);
    if std::env::var_os("TM_DEBUG").is_some() {
        eprintln!("DEBUG anchors={anchor_lines:?} above={above:?}");
    }
    let mut anchors: Vec<Anchor> = anchor_lines
        .iter()
        .map(|&a| Anchor {
            header: nth_nonblank_above(lines, a, header_len),
            date: a,
            last: a,
        })
        .collect();
    // A post has words of its own: a date with nothing but short lines before the next one
    // is a second date in the same header ("edited …", a date above and below the name).
    let mut merged: Vec<Anchor> = Vec::new();
    for a in anchors.drain(..) {
        if let Some(prev) = merged.last_mut()
            && !has_prose(lines, prev.last + 1, a.header)
        {
            prev.last = a.date;
            continue;
        }
        merged.push(a);
    }
    if merged.len() < 2 {
        return false;
    }
    let anchors = merged;
    let ends: Vec<usize> = (0..anchors.len())
        .map(|k| {
            anchors.get(k + 1).map_or_else(
                || footer_start(lines, matches, anchors[k].last + 1),
                |n| n.header,
            )
        })
        .collect();
    mark_repeated(lines, &anchors, &ends, taken, thread);

    let dates_at: HashMap<usize, (usize, usize)> = dates.iter().map(|&(i, a, b)| (i, (a, b))).collect();
    for (k, anchor) in anchors.iter().enumerate() {
        let mut post = Post::new(k);
        if let Some(&(a, b)) = dates_at.get(&anchor.date) {
            post.posted_at_raw = Some(lines[anchor.date].text[a..b].to_owned());
        }
        let author_at = find_author(lines, hrefs, matches, taken, anchor, &dates_at, &mut post);
        for i in anchor.header..=anchor.last {
            if taken[i] || lines[i].text.is_empty() {
                continue;
            }
            taken[i] = true;
            let role = if dates_at.contains_key(&i) {
                ChromeRole::PostHeader
            } else if Some(i) == author_at {
                ChromeRole::AuthorName
            } else {
                lines[i].chrome.unwrap_or(ChromeRole::AuthorInfo)
            };
            thread.chrome.push(ChromeLine {
                role,
                text: lines[i].text.clone(),
                post: Some(k),
            });
        }
        if let Some(i) = author_at.filter(|&i| !taken[i]) {
            taken[i] = true;
            thread.chrome.push(ChromeLine {
                role: ChromeRole::AuthorName,
                text: lines[i].text.clone(),
                post: Some(k),
            });
        }
        read_body(lines, matches, anchor.last + 1, ends[k], &mut post, thread, taken, k);
        thread.posts.push(post);
    }
    thread.extractor_confidence = 0.6;
    true
}

/// Header lines with a date: `(line, date start, date end)`.
fn date_lines(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    taken: &[bool],
    dw: &DateWords,
) -> Vec<(usize, usize, usize)> {
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if taken[i] || line.text.is_empty() {
            continue;
        }
        // Join dates, edit notes, "it is currently …" and quote headers carry dates too.
        if matches[i].as_ref().is_some_and(|m| {
            !matches!(m.label, Label::PostHeader | Label::PostDate | Label::AuthorLine)
        }) {
            continue;
        }
        let Some(&(a, b)) = find_dates(&line.text, dw).first() else {
            continue;
        };
        let words = |s: &str| s.split_whitespace().count();
        if words(&line.text[..a]) > HEADER_WORDS || words(&line.text[b..]) > HEADER_WORDS {
            continue;
        }
        found.push((i, a, b));
    }
    // Dates inside quotes are indented deeper than the posts' own.
    let mut counts: HashMap<u16, usize> = HashMap::new();
    for &(i, _, _) in &found {
        *counts.entry(lines[i].indent).or_default() += 1;
    }
    let Some(&indent) = counts
        .iter()
        .max_by_key(|&(indent, n)| (*n, std::cmp::Reverse(*indent)))
        .map(|(indent, _)| indent)
    else {
        return found;
    };
    found.retain(|&(i, _, _)| lines[i].indent <= indent);
    found
}

fn is_short(line: &Line) -> bool {
    let t = line.text.as_str();
    line.chrome.is_some()
        || (t.chars().count() <= SHORT_CHARS
            && t.split_whitespace().count() <= SHORT_WORDS
            && !t.ends_with(['.', '!', '?']))
}

/// How many short lines stand right above line `at` (blank lines skipped), down to `floor`.
fn short_run_above(lines: &[Line], floor: usize, at: usize) -> usize {
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

/// The line `n` non-blank lines above `at` (or `at` itself for 0).
fn nth_nonblank_above(lines: &[Line], at: usize, n: usize) -> usize {
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

fn has_prose(lines: &[Line], from: usize, to: usize) -> bool {
    (from..to.min(lines.len())).any(|i| !lines[i].text.is_empty() && !is_short(&lines[i]))
}

/// Lines repeated in many posts are buttons and badges: set aside before reading bodies.
fn mark_repeated(
    lines: &[Line],
    anchors: &[Anchor],
    ends: &[usize],
    taken: &mut [bool],
    thread: &mut Thread,
) {
    let mut posts_with: HashMap<&str, usize> = HashMap::new();
    for (k, a) in anchors.iter().enumerate() {
        let mut seen: Vec<&str> = Vec::new();
        for line in &lines[a.last + 1..ends[k].max(a.last + 1)] {
            let t = line.text.as_str();
            if !t.is_empty() && t.chars().count() <= SHORT_CHARS && !seen.contains(&t) {
                seen.push(t);
                *posts_with.entry(t).or_default() += 1;
            }
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let need = REPEAT_MIN.max((anchors.len() as f32 * REPEAT_SHARE).ceil() as usize);
    for (k, a) in anchors.iter().enumerate() {
        for i in a.last + 1..ends[k].max(a.last + 1) {
            let t = lines[i].text.as_str();
            if !taken[i] && posts_with.get(t).is_some_and(|&n| n >= need) {
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

/// Fills in the author; returns the line it was read from.
fn find_author(
    lines: &[Line],
    hrefs: &[Option<String>],
    matches: &[Option<LineMatch<'_>>],
    taken: &[bool],
    anchor: &Anchor,
    dates_at: &HashMap<usize, (usize, usize)>,
    post: &mut Post,
) -> Option<usize> {
    // A link to a member profile in the header names the author best.
    let profile = (anchor.header..=anchor.last).rev().find(|&i| {
        hrefs.get(i).and_then(Option::as_deref).is_some_and(|h| {
            let h = h.to_lowercase();
            PROFILE_HINTS.iter().any(|p| h.contains(p))
        }) && name_like(&lines[i].text).is_some()
    });
    if let Some(i) = profile {
        post.author = name_like(&lines[i].text);
        post.author_url = hrefs.get(i).cloned().flatten();
        return Some(i);
    }
    // The lexicon's own post header names the author.
    for i in anchor.header..=anchor.last {
        if let Some(author) = matches[i].as_ref().and_then(|m| m.fields.author.clone()) {
            post.author = Some(author);
            return Some(i);
        }
    }
    // Words before the date on its own line: "Tachy, Feb 23, 2019".
    for i in anchor.date..=anchor.last {
        if let Some(&(a, _)) = dates_at.get(&i)
            && let Some(name) = author_before_date(&lines[i].text[..a])
        {
            post.author = Some(name);
            return None;
        }
    }
    // Otherwise the first name-like line of the header, or the first one under the date.
    let usable = |i: usize| {
        !lines[i].text.is_empty()
            && !taken[i]
            && !dates_at.contains_key(&i)
            && lines[i].chrome.is_none_or(|c| c == ChromeRole::AuthorName)
    };
    let below = (anchor.last + 1..lines.len().min(anchor.last + 4)).filter(|&i| !lines[i].text.is_empty());
    for i in (anchor.header..anchor.date).chain(below) {
        if usable(i)
            && let Some(name) = name_like(&lines[i].text)
        {
            post.author = Some(name);
            return Some(i);
        }
    }
    None
}

/// The author's name in the words before a date, without bullets, "By" and fillers.
fn author_before_date(prefix: &str) -> Option<String> {
    let mut words: Vec<&str> = prefix
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_' && c != '-' && c != '.'))
        .filter(|w| w.chars().any(char::is_alphanumeric) && !w.starts_with('#'))
        .collect();
    if words.len() >= 2 && BY_WORDS.contains(&words[0].to_lowercase().as_str()) {
        words.remove(0);
    }
    // "ann On 2020.03.12": the filler before the date is not part of the name.
    if words.len() >= 2 && words.last().is_some_and(|w| w.chars().all(char::is_lowercase) || w.len() <= 2) {
        words.pop();
    }
    if words.is_empty() || words.len() > 3 {
        return None;
    }
    name_like(&words.join(" "))
}

/// A display name: a few words, no sentence. An avatar's alt text printed before the name
/// doubles it ("annann"), so a doubled name is halved.
fn name_like(text: &str) -> Option<String> {
    let mut t = text.trim().trim_end_matches(':').trim();
    // "Bonnie Says:": a verb after the name.
    if text.trim().ends_with(':') && t.split_whitespace().count() == 2 {
        t = t.split_whitespace().next().unwrap_or(t);
    }
    if t.is_empty()
        || t.chars().count() > SHORT_CHARS
        || t.split_whitespace().count() > 4
        || t.ends_with(['.', '!', '?', ','])
        || !t.chars().any(char::is_alphabetic)
    {
        return None;
    }
    Some(undouble(t).to_owned())
}

fn undouble(t: &str) -> &str {
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    for n in (2..=chars.len() / 2).rev() {
        let cut = chars[n].0;
        let first = &t[..cut];
        if t[cut..].starts_with(first) {
            return first.trim();
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned() {
        assert_eq!(undouble("tthorssontthorsson ✭"), "tthorsson");
        assert_eq!(undouble("Alex D.Alex D. mod"), "Alex D.");
        assert_eq!(undouble("anna"), "anna");
        assert_eq!(author_before_date("● By junipersage On").as_deref(), Some("junipersage"));
        assert_eq!(author_before_date("Tachy,").as_deref(), Some("Tachy"));
        assert_eq!(name_like("Bonnie Says:").as_deref(), Some("Bonnie"));
        assert_eq!(name_like("I think so."), None);
    }
}
