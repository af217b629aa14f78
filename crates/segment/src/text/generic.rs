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
/// The header length is the value this fraction (1/n) up the sorted header runs.
const HEADER_PERCENTILE: usize = 5;
/// How many header lines may stand above a post's date.
const HEADER_MAX: usize = 12;
/// A line repeated in at least this share of the posts (and three of them) is UI.
const REPEAT_SHARE: f32 = 0.3;
const REPEAT_MIN: usize = 3;
/// This many short lines in a row after the last post's text are the page's tail.
const TAIL_RUN: usize = 8;
/// How far above a post's header a profile link may stand.
const PROFILE_REACH: usize = 12;
/// How many lines under a date may hold the author's name when none stands above.
const AUTHOR_BELOW: usize = 3;
/// Links to a member profile: the path words engines use for them.
const PROFILE_HINTS: [&str; 7] = [
    "member",
    "profile",
    "user",
    "u=",
    "showuser",
    "/u/",
    "personal_pages",
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
    let dates = date_lines(
        lines,
        hrefs.iter().any(Option::is_some),
        matches,
        taken,
        &dw,
    );
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
    // The header is as long as the shorter ones on the page: a longer run above some date
    // takes in the previous post's short last lines. A low percentile, not the minimum, so
    // one post that starts right under the previous one's text does not decide for all.
    let mut sorted: Vec<usize> = above.iter().skip(1).copied().collect();
    sorted.sort_unstable();
    let header_len = sorted
        .get(sorted.len() / HEADER_PERCENTILE)
        .copied()
        .unwrap_or(0);
    let mut anchors: Vec<Anchor> = anchor_lines
        .iter()
        .zip(&above)
        .map(|(&a, &n)| Anchor {
            header: nth_nonblank_above(lines, a, n.min(header_len)),
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
    let repeated = repeated_lines(lines, &anchors, &ends);
    let mut ends = ends;
    if let Some(end) = ends.last_mut()
        && let Some(last) = anchors.last()
    {
        *end = last_post_end(lines, &anchors, &repeated, last.last + 1, *end);
    }
    mark_repeated(lines, &anchors, &ends, &repeated, taken, thread);

    let offset = author_offset(lines, &anchors, taken, lexicon, &dw);
    let dates_at: HashMap<usize, (usize, usize)> =
        dates.iter().map(|&(i, a, b)| (i, (a, b))).collect();
    let mut floor = 0;
    for (k, anchor) in anchors.iter().enumerate() {
        let mut post = Post::new(k);
        if let Some(&(a, b)) = dates_at.get(&anchor.date) {
            post.posted_at_raw = lines[anchor.date].text.get(a..b).map(str::to_owned);
        }
        let author_at = find_author(
            lines, hrefs, matches, lexicon, &dw, anchor, &dates_at, offset, floor, &mut post,
        );
        floor = anchor.last + 1;
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
        read_body(
            lines,
            matches,
            anchor.last + 1,
            ends[k],
            &mut post,
            thread,
            taken,
            k,
        );
        thread.posts.push(post);
    }
    thread.extractor_confidence = 0.6;
    true
}

/// Header lines with a date: `(line, date start, date end)`.
fn date_lines(
    lines: &[Line],
    strict: bool,
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
            !matches!(
                m.label,
                Label::PostHeader | Label::PostDate | Label::AuthorLine
            )
        }) {
            continue;
        }
        let Some(&(a, b)) = find_dates(&line.text, dw).first() else {
            continue;
        };
        let (Some(before), Some(after)) = (line.text.get(..a), line.text.get(b..)) else {
            continue;
        };
        let words = |s: &str| s.split_whitespace().count();
        if words(before) > HEADER_WORDS || words(after) > HEADER_WORDS {
            continue;
        }
        // A date alone on its line right under a sentence is a date the sentence mentions
        // (a flattened page cuts dates out of prose), not a post header.
        let alone = before.trim().is_empty() && after.trim().is_empty();
        let under_prose = lines[..i]
            .iter()
            .rev()
            .find(|l| !l.text.is_empty())
            .is_some_and(|l| {
                l.text.split_whitespace().count() > HEADER_WORDS && l.chrome.is_none()
            });
        if alone && under_prose && strict {
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

/// Texts of lines repeated in many posts: buttons and badges.
fn repeated_lines<'a>(lines: &'a [Line], anchors: &[Anchor], ends: &[usize]) -> Vec<&'a str> {
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
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let need = REPEAT_MIN.max((anchors.len() as f32 * REPEAT_SHARE).ceil() as usize);
    let mut out: Vec<&str> = posts_with
        .into_iter()
        .filter(|&(_, n)| n >= need)
        .map(|(t, _)| t)
        .collect();
    out.sort_unstable();
    out
}

/// Where the last post ends. Nothing on the page marks the end of the last post but the
/// page's own tail (related threads, footers), so it ends where the other posts do: after
/// the button line most of them close with. Failing that, a long run of short lines (a list
/// of links) after its text is the page's tail.
fn last_post_end(
    lines: &[Line],
    anchors: &[Anchor],
    repeated: &[&str],
    from: usize,
    to: usize,
) -> usize {
    let closers: Vec<&str> = anchors
        .windows(2)
        .filter_map(|w| {
            (w[0].last + 1..w[1].header)
                .rev()
                .map(|i| lines[i].text.as_str())
                .find(|t| repeated.contains(t))
        })
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for c in &closers {
        *counts.entry(c).or_default() += 1;
    }
    let closer = counts
        .into_iter()
        .filter(|&(_, n)| n * 2 >= closers.len() && n >= 2)
        .max_by_key(|&(t, n)| (n, std::cmp::Reverse(t)))
        .map(|(t, _)| t);
    if let Some(closer) = closer
        && let Some(at) = (from..to).find(|&i| lines[i].text == closer)
    {
        return at + 1;
    }
    let mut seen_prose = false;
    let mut run_start = None;
    let mut run = 0;
    for (i, line) in lines.iter().enumerate().take(to).skip(from) {
        if line.text.is_empty() {
            continue;
        }
        if is_short(line) {
            if seen_prose {
                run_start.get_or_insert(i);
                run += 1;
                if run >= TAIL_RUN {
                    return run_start.unwrap_or(i);
                }
            }
        } else {
            seen_prose = true;
            run_start = None;
            run = 0;
        }
    }
    to
}

/// Lines repeated in many posts are set aside before reading bodies.
fn mark_repeated(
    lines: &[Line],
    anchors: &[Anchor],
    ends: &[usize],
    repeated: &[&str],
    taken: &mut [bool],
    thread: &mut Thread,
) {
    for (k, a) in anchors.iter().enumerate() {
        for i in a.last + 1..ends[k].max(a.last + 1) {
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

/// Fills in the author; returns the line it was read from.
#[allow(clippy::too_many_arguments)]
fn find_author(
    lines: &[Line],
    hrefs: &[Option<String>],
    matches: &[Option<LineMatch<'_>>],
    lexicon: &Lexicon,
    dw: &DateWords,
    anchor: &Anchor,
    dates_at: &HashMap<usize, (usize, usize)>,
    offset: Option<isize>,
    floor: usize,
    post: &mut Post,
) -> Option<usize> {
    // A link to a member profile names the author best; it may stand above the header
    // the page's shortest headers measured, so look further up, but not past the previous
    // post's date.
    let profile = (floor.max(anchor.header.saturating_sub(PROFILE_REACH))..=anchor.last)
        .rev()
        .find(|&i| {
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
    for (i, m) in matches
        .iter()
        .enumerate()
        .take(anchor.last + 1)
        .skip(anchor.header)
    {
        if let Some(author) = m.as_ref().and_then(|m| m.fields.author.clone()) {
            post.author = Some(author);
            return Some(i);
        }
    }
    // Words before the date on its own line: "Tachy, Feb 23, 2019".
    for (i, line) in lines
        .iter()
        .enumerate()
        .take(anchor.last + 1)
        .skip(anchor.date)
    {
        if let Some(&(a, _)) = dates_at.get(&i)
            && let Some(name) = line
                .text
                .get(..a)
                .and_then(|p| author_before_date(p, lexicon, dw))
        {
            post.author = Some(name);
            return None;
        }
    }
    // Otherwise the header line at the page's author position.
    let at = header_line(lines, anchor, offset?)?;
    post.author = clean_name(&lines[at].text, lexicon, dw);
    post.author.as_ref().map(|_| at)
}

/// The non-blank line `offset` lines above a post's date (1 = right above), or `-offset`
/// lines below its header.
fn header_line(lines: &[Line], anchor: &Anchor, offset: isize) -> Option<usize> {
    let n = offset.unsigned_abs();
    if offset > 0 {
        (anchor.header..anchor.date)
            .rev()
            .filter(|&i| !lines[i].text.is_empty())
            .nth(n - 1)
    } else {
        (anchor.last + 1..lines.len())
            .filter(|&i| !lines[i].text.is_empty())
            .take(AUTHOR_BELOW)
            .nth(n - 1)
    }
}

/// Where in the header the author's name stands: the position whose lines hold the most
/// different names across the page's posts. A rank or a button repeats from post to post;
/// names vary.
fn author_offset(
    lines: &[Line],
    anchors: &[Anchor],
    taken: &[bool],
    lexicon: &Lexicon,
    dw: &DateWords,
) -> Option<isize> {
    let distinct = |offset: isize| {
        let mut names: Vec<String> = anchors
            .iter()
            .filter_map(|a| header_line(lines, a, offset))
            .filter(|&i| !taken[i] && lines[i].chrome.is_none_or(|c| c == ChromeRole::AuthorName))
            .filter_map(|i| clean_name(&lines[i].text, lexicon, dw))
            .collect();
        names.sort_unstable();
        names.dedup();
        names.len()
    };
    #[allow(clippy::cast_possible_wrap)]
    let above = (1..=HEADER_MAX as isize)
        .map(|o| (o, distinct(o)))
        .max_by_key(|&(o, n)| (n, -o));
    if let Some((o, n)) = above
        && n >= 2
    {
        return Some(o);
    }
    #[allow(clippy::cast_possible_wrap)]
    let below = (1..=AUTHOR_BELOW as isize)
        .map(|o| (-o, distinct(-o)))
        .max_by_key(|&(o, n)| (n, o));
    below.filter(|&(_, n)| n >= 2).map(|(o, _)| o)
}

/// The author's name in the words before a date: the last run of words after any
/// separator ("|", "●", "erstellt:"), without "By", "#2", buttons and fillers.
fn author_before_date(prefix: &str, lexicon: &Lexicon, dw: &DateWords) -> Option<String> {
    let mut segment: Vec<&str> = Vec::new();
    for raw in prefix.split_whitespace() {
        let word =
            raw.trim_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '_' | '-' | '.'));
        if word.is_empty() || raw.ends_with(':') || raw.starts_with('#') {
            if !segment.is_empty() && (word.is_empty() || raw.ends_with(':')) {
                // A separator: a name after it replaces what came before.
                segment.push("\u{0}");
            }
            continue;
        }
        segment.push(word);
    }
    let last_run = segment
        .rsplit(|w| *w == "\u{0}")
        .find(|run| !run.is_empty())?;
    let mut words: Vec<&str> = last_run.to_vec();
    if words.len() >= 2
        && (BY_WORDS.contains(&words[0].to_lowercase().as_str())
            || lexicon.match_line(words[0]).is_some())
    {
        words.remove(0);
    }
    if words.len() >= 2 && words.last().is_some_and(|w| dw.is_filler(w)) {
        words.pop();
    }
    if words.is_empty() || words.len() > 3 {
        return None;
    }
    name_like(&words.join(" "))
}

/// A name line cleaned of buttons and labels run into it ("Report ann" in a flattened page).
fn clean_name(text: &str, lexicon: &Lexicon, dw: &DateWords) -> Option<String> {
    if text.trim_start().starts_with('[') {
        return None;
    }
    author_before_date(text, lexicon, dw).or_else(|| name_like(text))
}

/// A display name: a few words, no sentence. An avatar's alt text printed before the name
/// doubles it ("annann"), so a doubled name is halved.
fn name_like(text: &str) -> Option<String> {
    // "[female]", "[avatar]": a text browser's stand-in for an image, not a name.
    if text.trim_start().starts_with('[') {
        return None;
    }
    let mut t = text
        .trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(':')
        .trim();
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

    fn run(text: &str) -> Thread {
        use threadmill_model::{Format, Source};
        let lx = Lexicon::builtin().expect("lexicon");
        let lines: Vec<Line> = text
            .lines()
            .map(|l| {
                let mut line = Line::body(l.trim());
                line.chrome = lx
                    .match_line(l)
                    .and_then(|m| threadmill_clean::chrome_role(m.label));
                line
            })
            .collect();
        let source = Source {
            path: "t.txt".into(),
            member: None,
            sha256: String::new(),
            bytes: 0,
            format: Format::Text,
        };
        let mut thread = Thread::new(source);
        super::super::segment_text(&lines, &lx, &mut thread);
        thread
    }

    #[test]
    fn unknown_chrome_is_segmented_by_post_dates() {
        let page = "Kettle descaling\n\nann\nMember\n12 March 2021\n\
                    How do you descale a kettle without vinegar? Mine smells.\n\
                    Like | Reply\n\nbob\nSenior Member\n13 March 2021\n\
                    Citric acid works well, one spoon and boil it twice.\n\
                    Like | Reply\n\ncarl\nMember\n14 March 2021\n\
                    Thanks, I will try that tomorrow morning with the kids.\n\
                    Like | Reply\n\nSimilar threads\nA\nB\nC\nD\nE\nF\nG\nH\nI\n";
        let thread = run(page);
        let authors: Vec<_> = thread.posts.iter().map(|p| p.author.as_deref()).collect();
        assert_eq!(authors, [Some("ann"), Some("bob"), Some("carl")]);
        assert_eq!(
            thread.posts[1].posted_at_raw.as_deref(),
            Some("13 March 2021")
        );
        // The repeated buttons and the page's tail are not content.
        for post in &thread.posts {
            assert_eq!(post.blocks.len(), 1, "{:?}", post.blocks);
        }
    }

    #[test]
    fn a_flattened_page_takes_authors_from_profile_links() {
        let page = format!(
            "{} [ann](/members/ann.1/) 12 March 2021 How do you descale a kettle without \
             vinegar, mine smells? [Reply](/r) [bob](/members/bob.2/) 13 March 2021 Citric \
             acid works well, boil it twice. [Reply](/r) [carl](/members/carl.3/) 14 March \
             2021 Thanks, I will try that. [Reply](/r)",
            "Menu ".repeat(500)
        );
        let thread = run(&page);
        let urls: Vec<_> = thread
            .posts
            .iter()
            .map(|p| p.author_url.as_deref())
            .collect();
        assert_eq!(
            urls,
            [
                Some("/members/ann.1/"),
                Some("/members/bob.2/"),
                Some("/members/carl.3/")
            ]
        );
        assert_eq!(thread.posts[0].author.as_deref(), Some("ann"));
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(undouble("tthorssontthorsson ✭"), "tthorsson");
        assert_eq!(undouble("Alex D.Alex D. mod"), "Alex D.");
        assert_eq!(undouble("anna"), "anna");
        let lx = Lexicon::builtin().expect("lexicon");
        let dw = DateWords::new(&lx);
        let before = |p: &str| author_before_date(p, &lx, &dw);
        assert_eq!(
            before("● By junipersage On").as_deref(),
            Some("junipersage")
        );
        assert_eq!(before("Tachy,").as_deref(), Some("Tachy"));
        assert_eq!(
            before("Sober          ● #1 erstellt:").as_deref(),
            Some("Sober")
        );
        assert_eq!(
            before("Add message | Report paperplant").as_deref(),
            Some("paperplant")
        );
        assert_eq!(name_like("Bonnie Says:").as_deref(), Some("Bonnie"));
        assert_eq!(name_like("I think so."), None);
    }
}
