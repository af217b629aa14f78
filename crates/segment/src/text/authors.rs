//! A post's author from the lines around its date: the header's name, a profile link, a
//! "by NAME" prefix, or a name the page prints twice; and how a name is cleaned.

use std::collections::HashMap;

use threadmill_lexicon::{DateWords, Label, Lexicon, LineMatch, WordSet};
use threadmill_model::{ChromeRole, Line, Post};

use super::name_cues;
use super::shapes::{HEADER_MAX, REPEAT_MIN, SHORT_CHARS};

/// A header line is a few words at most besides its date.
pub(super) const HEADER_WORDS: usize = 8;

/// A header line that ends with its date may hold a subject and a name before it.
pub(super) const LONG_HEADER_WORDS: usize = 14;

/// How far above a post's header a profile link may stand.
pub(super) const PROFILE_REACH: usize = 12;

/// How much a name that is also quoted on the page counts over a name that is not.
pub(super) const QUOTED_NAME_WEIGHT: usize = 2;

/// How many lines under a date may hold the author's name when none stands above.
pub(super) const AUTHOR_BELOW: usize = 3;

/// How many lines above a badge may stand between it and the name it pushed up (a rank).
pub(super) const BADGE_REACH: usize = 2;

/// A link text on at least this share of the posts is a button, not a name.
pub(super) const UI_LINK_SHARE: f32 = 0.6;

/// Links to a member profile: besides the lexicon's words ("member", "benutzer"), the
/// parameters and paths engines name them with.
const PROFILE_URL_PARTS: [&str; 4] = ["u=", "showuser", "/u/", "personal_pages"];

/// One post's anchor: its header lines and date line.
#[derive(Debug, Clone, Copy)]
pub(super) struct Anchor {
    /// First line of the header above the date.
    pub(super) header: usize,
    /// The date line.
    pub(super) date: usize,
    /// The last line of the header (the date line, or a later date line merged in).
    pub(super) last: usize,
}

/// Link texts repeated all over the page ("View Profile", "A" of an avatar letter) are
/// buttons, whatever profile they point at.
pub(super) fn ui_link_texts<'a>(
    lines: &'a [Line],
    hrefs: &[Option<String>],
    posts: usize,
) -> Vec<&'a str> {
    // A button links each post's author somewhere else; a name repeated by a busy poster
    // links the same profile every time.
    let mut targets: HashMap<&str, Vec<&str>> = HashMap::new();
    for (line, href) in lines.iter().zip(hrefs) {
        if let Some(href) = href {
            targets.entry(line.text.as_str()).or_default().push(href);
        }
    }
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let need = REPEAT_MIN.max((posts as f32 * UI_LINK_SHARE).ceil() as usize);
    targets
        .into_iter()
        .filter(|(t, hs)| {
            let mut distinct = hs.clone();
            distinct.sort_unstable();
            distinct.dedup();
            (hs.len() >= need && distinct.len() > 1) || t.chars().count() < 2
        })
        .map(|(t, _)| t)
        .collect()
}

/// The author's profile link when the page links the name: a link with the name as its
/// text near the post's header.
pub(super) fn link_author(
    lines: &[Line],
    hrefs: &[Option<String>],
    from: usize,
    to: usize,
    post: &mut Post,
) {
    if post.author_url.is_some() {
        return;
    }
    let Some(author) = post.author_name.as_deref() else {
        return;
    };
    post.author_url = (from..to.min(lines.len()))
        .find(|&i| hrefs.get(i).is_some_and(Option::is_some) && lines[i].text == author)
        .and_then(|i| hrefs.get(i).cloned().flatten());
}

pub(super) fn is_profile(hrefs: &[Option<String>], i: usize, lexicon: &Lexicon) -> bool {
    hrefs.get(i).and_then(Option::as_deref).is_some_and(|h| {
        let h = h.to_lowercase();
        lexicon.chrome_words().profile_path.found_in(&h)
            || PROFILE_URL_PARTS.iter().any(|p| h.contains(p))
    })
}

/// Fills in the author; returns the line it was read from.
#[allow(clippy::too_many_arguments)]
pub(super) fn find_author(
    lines: &[Line],
    hrefs: &[Option<String>],
    matches: &[Option<LineMatch<'_>>],
    lexicon: &Lexicon,
    dw: &DateWords,
    anchor: &Anchor,
    dates_at: &HashMap<usize, (usize, usize)>,
    offset: Option<isize>,
    search: std::ops::Range<usize>,
    ui_links: &[&str],
    post: &mut Post,
) -> Option<usize> {
    // A link to a member profile names the author best.
    // A profile link whose text the lexicon knows ("View Profile", "View Forum Posts") is
    // the engine's button, not the name.
    let is_author_link = |i: &usize| {
        is_profile(hrefs, *i, lexicon)
            && lines[*i].chrome.is_none()
            && !ui_links.contains(&lines[*i].text.as_str())
            && name_like(&lines[*i].text).is_some()
    };
    let search_from = search.start;
    let profile = search.rev().find(is_author_link);
    if let Some(i) = profile {
        post.author_name = name_like(&lines[i].text);
        post.author_url = hrefs.get(i).cloned().flatten();
        return Some(i);
    }
    // "by [ann](…)": the link after the word that introduces the author.
    let by_link = (search_from..=anchor.last).find(|&i| {
        i > 0
            && hrefs.get(i).is_some_and(Option::is_some)
            && lines[i - 1]
                .text
                .split_whitespace()
                .last()
                .is_some_and(|w| lexicon.chrome_words().by.contains(&w.to_lowercase()))
            && name_like(&lines[i].text).is_some()
    });
    if let Some(i) = by_link {
        post.author_name = name_like(&lines[i].text);
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
            post.author_name = Some(author);
            return Some(i);
        }
    }
    // A letter avatar over the name, an avatar's alt text doubling it, "… by ann:".
    if let Some((i, name)) = name_cues::panel_name(lines, search_from..anchor.last + 1, lexicon) {
        post.author_name = Some(name);
        return Some(i);
    }
    // Words before the date on its own line: "Tachy, Feb 23, 2019".
    for (i, line) in lines
        .iter()
        .enumerate()
        .take(anchor.last + 1)
        .skip(anchor.date)
    {
        // A line the lexicon knows without an author ("Posted {date}") starts with its
        // label, not a name; a reply's subject may end with one ("Re: … by ann: {date}").
        let by = &lexicon.chrome_words().by;
        let joined = dates_at
            .get(&i)
            .and_then(|&(a, _)| header_cut_before(lines, i, a, by));
        if let Some(&(a, _)) = dates_at.get(&i)
            && matches[i]
                .as_ref()
                .is_none_or(|m| m.label == Label::Subject)
            && let Some(name) = joined
                .as_deref()
                .or_else(|| line.text.get(..a))
                .and_then(|p| {
                    name_cues::by_name_before_colon(p, by)
                        .or_else(|| author_before_date(p, lexicon, dw))
                })
        {
            post.author_name = Some(name);
            return None;
        }
    }
    // Otherwise the header line at the page's author position, unless it holds a label's
    // value ("Location:" / "Greece").
    let offset = offset?;
    let mut at = header_line(lines, anchor, offset)?;
    // A badge some posts print and others do not ("Original poster", "Moderator") stands
    // where the page's names stand, and pushes this post's name up: the name is the first
    // line above it that is one, past a rank a few lines long ("macrumors 65816").
    if offset > 0 && name_cues::is_chrome_name(&lines[at].text, lexicon) {
        at = (search_from..at)
            .rev()
            .filter(|&i| !lines[i].text.is_empty())
            .take(BADGE_REACH)
            .find(|&i| clean_name(&lines[i].text, lexicon, dw).is_some())
            .unwrap_or(at);
    }
    if name_cues::is_label_value(lines, at) {
        return None;
    }
    post.author_name = clean_name(&lines[at].text, lexicon, dw);
    post.author_name.as_ref().map(|_| at)
}

/// A header the wrapper cut before its date, read whole: the date line's own words are
/// punctuation only ("… by ann(m" / "): 5:22am On Apr 24"), or the cut line ends with the
/// word before a name ("… by" / "ann: 5:22am On Apr 24") or inside brackets ("… by ann("
/// / "f): 5:22am On Apr 24"). `date` is where the date starts on line `i`.
fn header_cut_before(lines: &[Line], i: usize, date: usize, by: &WordSet) -> Option<String> {
    let p = lines[i].text.get(..date).filter(|p| !p.is_empty())?;
    let above = lines[..i].iter().rev().find(|l| !l.text.is_empty())?;
    let cut_before_name = above
        .text
        .split_whitespace()
        .last()
        .is_some_and(|w| by.contains(&w.to_lowercase()));
    let open = |c: char| above.text.chars().filter(|&x| x == c).count();
    let cut_in_brackets = open('(') > open(')');
    let cut = !p.chars().any(char::is_alphanumeric) || cut_before_name || cut_in_brackets;
    (cut && above.text.chars().count() >= CUT_LINE_MIN).then(|| {
        let glue = if cut_before_name { " " } else { "" };
        format!("{}{glue}{}", above.text.trim_end(), p.trim())
    })
}

/// A line the wrapper cut is this long at least: a copy wraps at 80 columns or so.
const CUT_LINE_MIN: usize = 60;

/// Pieces under a date that may hold the profile link of the post it heads.
pub(super) const LINK_BELOW: usize = 4;

/// For each post, the profile link right under its date, when most posts have one there:
/// pages that print a post's date in its footer ("Tachy, Feb 23, 2019") put the next
/// post's author panel right after it, and the text that follows is that author's. On
/// pages with dates in the header the next profile link after a date is a body away.
pub(super) fn profile_links_after(
    lines: &[Line],
    hrefs: &[Option<String>],
    anchors: &[Anchor],
    ui_links: &[&str],
    lexicon: &Lexicon,
) -> Option<Vec<Option<usize>>> {
    let panel_links: Vec<Option<usize>> = anchors
        .iter()
        .enumerate()
        .map(|(k, anchor)| {
            let end = anchors.get(k + 1).map_or(lines.len(), |next| next.header);
            (anchor.last + 1..end)
                .filter(|&i| !lines[i].text.is_empty())
                .take(LINK_BELOW)
                // Buttons, post numbers ("2."), links: no sentence before the panel.
                .take_while(|&i| {
                    lines[i].text.chars().count() <= SHORT_CHARS
                        || hrefs.get(i).is_some_and(Option::is_some)
                })
                .find(|&i| {
                    is_profile(hrefs, i, lexicon)
                        && lines[i].chrome.is_none()
                        && !ui_links.contains(&lines[i].text.as_str())
                        && name_like(&lines[i].text).is_some()
                })
        })
        .collect();
    let found = panel_links.iter().filter(|l| l.is_some()).count();
    (found >= 2 && found * 5 >= anchors.len() * 3).then_some(panel_links)
}

/// The non-blank line `offset` lines above a post's date (1 = right above), or `-offset`
/// lines below its header.
pub(super) fn header_line(lines: &[Line], anchor: &Anchor, offset: isize) -> Option<usize> {
    let n = offset.unsigned_abs();
    if offset > 0 {
        (anchor.header..anchor.date)
            .rev()
            .filter(|&i| !lines[i].text.is_empty())
            .nth(n - 1)
    } else {
        (anchor.date + 1..lines.len())
            .filter(|&i| !lines[i].text.is_empty())
            .take(AUTHOR_BELOW)
            .nth(n - 1)
    }
}

/// Where in the header the author's name stands: the position whose lines hold the most
/// different names across the page's posts. A rank or a button repeats from post to post;
/// names vary.
pub(super) fn author_offset(
    lines: &[Line],
    anchors: &[Anchor],
    taken: &[bool],
    lexicon: &Lexicon,
    dw: &DateWords,
) -> Option<isize> {
    // Names quoted elsewhere on the page ("ann wrote:") are names for certain.
    let quoted: Vec<String> = lines
        .iter()
        .filter_map(|l| lexicon.match_line(&l.text))
        .filter(|m| m.label == Label::QuoteHeader)
        .filter_map(|m| m.fields.author)
        .collect();
    // How many different names the line at `offset` gives, and how many posts it names.
    let distinct = |offset: isize| {
        let mut names: Vec<String> = anchors
            .iter()
            .filter_map(|a| header_line(lines, a, offset))
            .filter(|&i| !taken[i] && lines[i].chrome.is_none_or(|c| c == ChromeRole::AuthorName))
            .filter(|&i| !name_cues::is_label_value(lines, i))
            .filter_map(|i| clean_name(&lines[i].text, lexicon, dw))
            .collect();
        let posts_named = names.len();
        names.sort_unstable();
        names.dedup();
        let known = names.iter().filter(|n| quoted.contains(n)).count();
        (names.len() + QUOTED_NAME_WEIGHT * known, posts_named)
    };
    // As many names either way: the line that names more posts (a breadcrumb or a button
    // above some headers names only those), then the line further up (a name stands above
    // its rank).
    #[allow(clippy::cast_possible_wrap)]
    let above = (1..=HEADER_MAX as isize)
        .map(|o| (o, distinct(o)))
        .max_by_key(|&(o, n)| (n, o));
    if let Some((o, (n, _))) = above
        && n >= 2
    {
        return Some(o);
    }
    #[allow(clippy::cast_possible_wrap)]
    let below = (1..=AUTHOR_BELOW as isize)
        .map(|o| (-o, distinct(-o)))
        .max_by_key(|&(o, n)| (n, o));
    below.filter(|&(_, (n, _))| n >= 2).map(|(o, _)| o)
}

/// The author's name in the words before a date: the last run of words after any
/// separator ("|", "●", "erstellt:"), without "By", "#2", buttons and fillers.
pub(super) fn author_before_date(
    prefix: &str,
    lexicon: &Lexicon,
    dw: &DateWords,
) -> Option<String> {
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
    // A post number before the name ("2 Bonnie Says:") counts posts, it names no one.
    let mut words: Vec<&str> = last_run
        .iter()
        .copied()
        .skip_while(|w| w.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .collect();
    if words.len() >= 2
        && (lexicon.chrome_words().by.contains(&words[0].to_lowercase())
            || lexicon.match_line(words[0]).is_some())
    {
        words.remove(0);
    }
    // A badge the lexicon knows after the name ("bemk Themenstarter").
    while words.len() >= 2
        && words.last().is_some_and(|w| {
            lexicon
                .match_line(w)
                .is_some_and(|m| m.label == Label::AuthorInfo)
        })
    {
        words.pop();
    }
    // A letter avatar before the name: "S screensize", the name's initial.
    if words.len() >= 2 && is_letter_avatar(words[0], words[1]) {
        words.remove(0);
    }
    if words.len() >= 2 && words.last().is_some_and(|w| crate::dates::is_filler(w, dw)) {
        words.pop();
    }
    // "… by" before a date: the name was cut off into a link of its own.
    if words
        .last()
        .is_some_and(|w| lexicon.chrome_words().by.contains(&w.to_lowercase()))
    {
        return None;
    }
    if words.is_empty() || words.len() > 3 {
        return None;
    }
    name_like(&words.join(" "))
}

/// True when `letter` is a lone capital that `name` starts with: the stand-in avatar
/// forums draw for members without a picture, copied as text before the name.
pub(super) fn is_letter_avatar(letter: &str, name: &str) -> bool {
    let mut chars = letter.chars();
    let (Some(l), None) = (chars.next(), chars.next()) else {
        return false;
    };
    l.is_uppercase()
        && name
            .chars()
            .next()
            .is_some_and(|c| c.to_lowercase().eq(l.to_lowercase()))
}

/// A name line cleaned of buttons and labels run into it ("Report ann" in a flattened page).
pub(super) fn clean_name(text: &str, lexicon: &Lexicon, dw: &DateWords) -> Option<String> {
    // An avatar a text browser printed as its image stand-in before the name
    // ("[wAAACwAAAA][7676a5178f] vixen", "[avatar] ann").
    let text = without_image_stand_ins(text);
    // A date or a count names no one ("May 14, 2014", "8 Shares").
    if text.trim_start().starts_with('[')
        || (name_cues::never_a_name(text) && !name_cues::numbered_name(text, lexicon))
        || name_cues::is_date_text(text, dw)
    {
        return None;
    }
    author_before_date(text, lexicon, dw)
        .or_else(|| name_like(text))
        // A post's button or a rank beside the name ("Inhalt melden", "Moderator") names
        // no one.
        .filter(|name| {
            !name_cues::is_chrome_name(name, lexicon) && !name_cues::is_chrome_name(text, lexicon)
        })
}

/// The text after the image stand-ins ("[avatar]") it starts with, when any text follows
/// them; the text as it is otherwise (a form field "[          ]", a button "[Submit]").
fn without_image_stand_ins(text: &str) -> &str {
    let mut rest = text.trim_start();
    // Each pass takes one "[…]" off the front; a line holds only so many.
    for _ in 0..text.len() {
        let Some(after) = rest
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .map(|(_, after)| after.trim_start())
        else {
            break;
        };
        rest = after;
    }
    if rest.is_empty() || rest.len() == text.trim_start().len() {
        text
    } else {
        rest
    }
}

/// A display name: a few words, no sentence. An avatar's alt text printed before the name
/// doubles it ("annann"), so a doubled name is halved.
pub(super) fn name_like(text: &str) -> Option<String> {
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
    // A sentence ends in a stop; a name may end in an initial ("Alex D.").
    let initial = t.split_whitespace().count() >= 2
        && t.split_whitespace()
            .last()
            .is_some_and(|w| w.len() == 2 && w.starts_with(char::is_uppercase) && w.ends_with('.'));
    if t.chars().count() < 2
        || t.chars().count() > SHORT_CHARS
        || t.split_whitespace().count() > 4
        || (t.ends_with(['.', '!', '?', ',']) && !initial)
        || !t.chars().any(char::is_alphabetic)
    {
        return None;
    }
    Some(undouble(t).to_owned())
}

pub(super) fn undouble(t: &str) -> &str {
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    for n in (2..=chars.len() / 2).rev() {
        let cut = chars[n].0;
        let first = &t[..cut];
        // The copy ends where a word ends: "JOJOshaun" and "BuildBuildings" are names that
        // begin with a repeat, not a name printed twice.
        if let Some(after) = t[cut..].strip_prefix(first)
            && !after.starts_with(char::is_alphanumeric)
        {
            return first.trim();
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_and_letter_avatars_leave_the_name() {
        assert!(is_letter_avatar("S", "screensize"));
        assert!(is_letter_avatar("B", "Baci"));
        assert!(!is_letter_avatar("Lg", "Lina"));
        assert!(!is_letter_avatar("a", "ann"));
        let lx = Lexicon::builtin().expect("lexicon");
        let dw = lx.date_words();
        assert_eq!(
            author_before_date("S screensize Themenstarter", &lx, dw).as_deref(),
            Some("screensize")
        );
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(undouble("tthorssontthorsson ✭"), "tthorsson");
        assert_eq!(undouble("Alex D.Alex D. mod"), "Alex D.");
        assert_eq!(undouble("anna"), "anna");
        assert_eq!(undouble("JOJOshaun"), "JOJOshaun");
        assert_eq!(undouble("robrobrobro"), "robrobrobro");
        assert_eq!(undouble("annann"), "ann");
        assert_eq!(name_like("Alex D.").as_deref(), Some("Alex D."));
        assert_eq!(name_like("It works."), None);
        let lx = Lexicon::builtin().expect("lexicon");
        let dw = lx.date_words();
        let before = |p: &str| author_before_date(p, &lx, dw);
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
        let clean = |t: &str| clean_name(t, &lx, dw);
        assert_eq!(
            clean("[wAAACwAAAA][7676a5178f] vixen").as_deref(),
            Some("vixen")
        );
        assert_eq!(clean("[                    ]"), None);
        assert_eq!(clean("[Submit Comment]"), None);
        assert_eq!(name_like("I think so."), None);
    }
}
