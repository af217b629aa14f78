//! Strategy: a text scrape cut at its post dates, for pages whose chrome the lexicon does not
//! know (and its variant for pages that print each date under the post).
//!
//! Every post prints its date on a short header line ("Tachy, Feb 23, 2019", "● By ann On
//! 2020.03.12 15:21", or the date alone under a name). Those lines anchor the posts. The
//! header above each date (name, rank, buttons) is as long on every post of a page, so its
//! length is measured once from all posts, as the shortest run of short lines standing
//! above a date. Lines repeated in many posts ("Report", "Reply With Quote") are buttons,
//! not content, whatever their language.

use std::collections::HashMap;

use threadmill_lexicon::{DateWords, Label, Lexicon, LineMatch};
use threadmill_model::{ChromeLine, ChromeRole, Line, Post, Thread};

use super::authors::{
    Anchor, HEADER_WORDS, LONG_HEADER_WORDS, PROFILE_REACH, author_offset, clean_name, find_author,
    is_profile, link_author, name_like, profile_links_after, ui_link_texts,
};
use super::body::{footer_start, read_body, read_stat};
use super::shapes::{
    HEADER_MAX, has_prose, has_time_of_day, is_bare_label, is_item_number, is_labelled_value,
    is_sentence, is_short, labelled_value, mark_repeated, nth_nonblank_above, repeated_lines,
    short_run_above, unnumbered,
};
use super::{TextPage, is_label};
use crate::dates::find_dates;

/// The header length is the value this fraction (1/n) up the sorted header runs.
pub(super) const HEADER_PERCENTILE: usize = 5;

/// This many short lines in a row after the last post's text are the page's tail.
pub(super) const TAIL_RUN: usize = 8;

/// Segments the page by its date lines; false (and nothing changed) when fewer than two
/// posts are found.
pub(super) fn segment_by_dates(
    page: &TextPage<'_>,
    thread: &mut Thread,
    taken: &mut [bool],
) -> bool {
    let TextPage {
        lines,
        hrefs,
        matches,
        lexicon,
        dates: dw,
    } = *page;
    let dates = date_lines(
        lines,
        hrefs.iter().any(Option::is_some),
        matches,
        taken,
        lexicon,
        dw,
    );
    if dates.len() < 2 {
        return false;
    }
    let anchor_lines: Vec<usize> = dates.iter().map(|d| d.0).collect();
    if dates_close_posts(lines, &anchor_lines) || bylines_close_posts(lines, &dates) {
        return segment_closing_dates(page, &dates, thread, taken);
    }
    // Where each date line's date is printed: the line's own words around it are header.
    let spans: HashMap<usize, (usize, usize)> =
        dates.iter().map(|&(i, a, b)| (i, (a, b))).collect();
    let Some((anchors, ui_links)) = post_anchors(page, &spans, &anchor_lines) else {
        return false;
    };
    read_dated_posts(page, &spans, &anchors, &ui_links, thread, taken);
    thread.extractor_confidence = DATED_POSTS_CONFIDENCE;
    true
}

/// How sure a page cut at its dates is of its posts.
const DATED_POSTS_CONFIDENCE: f32 = 0.6;

/// Each post's header around its date line: as long as the page's shorter headers, dates
/// printed twice in one header merged, the page's own last date left out, and a user link
/// just above taken in; with them, the texts of the page's button links (not names).
/// `None` when fewer than two posts remain.
fn post_anchors<'a>(
    page: &TextPage<'a>,
    spans: &HashMap<usize, (usize, usize)>,
    anchor_lines: &[usize],
) -> Option<(Vec<Anchor>, Vec<&'a str>)> {
    let TextPage {
        lines,
        hrefs,
        matches,
        lexicon,
        ..
    } = *page;
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
    let date_text = |i: usize| spans.get(&i).and_then(|&(a, b)| lines[i].text.get(a..b));
    let mut merged: Vec<Anchor> = Vec::new();
    for a in anchors.drain(..) {
        // A date and time printed again under the author panel (Vanilla: above and below
        // "name Forumite / 27.3K posts / Part of the Furniture 10,000 Posts") heads the same
        // post when no sentence and no subject line ("Re: … by ann:") stands between the
        // two. Two posts of one day print the same day, rarely the same minute.
        let printed_again = |prev: &Anchor| {
            let text = date_text(a.date);
            text.is_some()
                && date_text(prev.date) == text
                && text.is_some_and(has_time_of_day)
                && !(prev.last + 1..a.date).any(|i| {
                    is_sentence(&lines[i])
                        || lines[i].text.trim_end().ends_with(':')
                        || is_label(matches[i].as_ref(), Label::Subject)
                })
        };
        // A reply's subject line ("Re: … by ann: 5:23am") heads a post of its own, however
        // short the post before it ("ok"). A flattened copy cuts the subject, a link, from its
        // date and leaves it in the header above; there it tells a new post only when the
        // header before has one too, since an author panel's date ("Founded: …") has none.
        let has_subject = |from: usize, to: usize| {
            (from..=to).any(|i| is_label(matches[i].as_ref(), Label::Subject))
        };
        let subject = is_label(matches[a.date].as_ref(), Label::Subject)
            || (has_subject(a.header, a.date)
                && merged.last().is_some_and(|p| has_subject(p.header, p.last)));
        if let Some(prev) = merged.last_mut()
            && !subject
            && (!has_prose(lines, prev.last + 1, a.header) || printed_again(prev))
        {
            // The later date stands right above the body, under the name: it is the one
            // the header is built around.
            prev.last = a.date;
            prev.date = a.date;
            continue;
        }
        merged.push(a);
    }
    // A last date with no text after it is the page's own ("It is currently …").
    if let Some(last) = merged.last()
        && !has_prose(
            lines,
            last.last + 1,
            footer_start(lines, matches, last.last + 1),
        )
    {
        merged.pop();
    }
    if merged.len() < 2 {
        return None;
    }
    for (k, a) in merged.iter_mut().enumerate() {
        a.last = header_below(lines, matches, a.last);
        let floor = k.checked_sub(1).map_or(0, |j| anchor_lines[j] + 1);
        a.header = panel_top(lines, matches, floor, a.header);
    }
    // A profile link among the short lines just above a header starts that header: the
    // name heads the post even when the page's shortest headers leave it out.
    let ui_links = ui_link_texts(lines, hrefs, merged.len());
    for k in 0..merged.len() {
        let floor = k.checked_sub(1).map_or(0, |j| merged[j].last + 1);
        let top = merged[k].header;
        let link = (floor.max(top.saturating_sub(PROFILE_REACH))..top)
            .rev()
            .take_while(|&i| lines[i].text.is_empty() || is_short(&lines[i]))
            .filter(|&i| {
                is_profile(hrefs, i, lexicon)
                    && !ui_links.contains(&lines[i].text.as_str())
                    && name_like(&lines[i].text).is_some()
            })
            .last();
        if let Some(i) = link {
            merged[k].header = i;
        }
    }
    Some((merged, ui_links))
}

/// Where a header starts once an author panel the lexicon knows at its top (the reply's
/// subject, join date, post count) is taken in, with the name right above it: the page's
/// shortest headers may leave them out. `header` when no such panel stands above it.
fn panel_top(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    floor: usize,
    header: usize,
) -> usize {
    let mut top = header;
    let mut panel = false;
    for i in (floor..header).rev().take(HEADER_MAX) {
        if lines[i].text.is_empty() {
            continue;
        }
        if matches[i].as_ref().is_some_and(|m| {
            matches!(
                m.label,
                Label::Joined | Label::Posts | Label::AuthorInfo | Label::Subject
            )
        }) {
            top = i;
            panel = true;
            continue;
        }
        if panel && is_short(&lines[i]) && lines[i].chrome.is_none() {
            top = i;
        }
        break;
    }
    top
}

/// The posts under their anchors: each one's date, author (from its header, a user link, or
/// the link after the previous post's date), header chrome and body.
#[allow(
    clippy::too_many_lines,
    reason = "one post per anchor, each step reading what the steps before it took"
)]
fn read_dated_posts(
    page: &TextPage<'_>,
    dates_at: &HashMap<usize, (usize, usize)>,
    anchors: &[Anchor],
    ui_links: &[&str],
    thread: &mut Thread,
    taken: &mut [bool],
) {
    let TextPage {
        lines,
        hrefs,
        matches,
        lexicon,
        dates: dw,
    } = *page;
    let ends: Vec<usize> = (0..anchors.len())
        .map(|k| {
            anchors.get(k + 1).map_or_else(
                || footer_start(lines, matches, anchors[k].last + 1),
                |n| n.header,
            )
        })
        .collect();
    // Buttons may close a post or open the next one's header: count them over the whole
    // stretch from one date to the next.
    let gaps: Vec<(usize, usize)> = anchors
        .iter()
        .enumerate()
        .map(|(k, a)| (a.last + 1, anchors.get(k + 1).map_or(ends[k], |n| n.date)))
        .collect();
    let repeated = repeated_lines(lines, &gaps);
    let mut ends = ends;
    if let Some(end) = ends.last_mut()
        && let Some(last) = anchors.last()
    {
        *end = last_post_end(lines, anchors, &repeated, last.last + 1, *end);
    }
    let bodies: Vec<(usize, usize)> = anchors
        .iter()
        .zip(&ends)
        .map(|(a, &end)| (a.last + 1, end))
        .collect();
    mark_repeated(lines, &bodies, &repeated, taken, thread);

    let offset = author_offset(lines, anchors, taken, lexicon, dw);
    // The profile link may stand above the header the page's shortest headers measured,
    // so look further up, but not past the previous post's date.
    let profile_range = |k: usize, anchor: &Anchor| {
        let floor = k.checked_sub(1).map_or(0, |j| anchors[j].last + 1);
        floor.max(anchor.header.saturating_sub(PROFILE_REACH))..anchor.last + 1
    };
    let links_after = profile_links_after(lines, hrefs, anchors, ui_links, lexicon);
    let mut floor = 0;
    for (k, anchor) in anchors.iter().enumerate() {
        // Dates in post footers: after the last one comes the page's footer, no post.
        if links_after
            .as_ref()
            .is_some_and(|l| k + 1 == anchors.len() && l[k].is_none())
        {
            break;
        }
        let mut post = Post::new(k);
        // Dates in post footers: the text after a date is the next post's, dated by the
        // date after it (none for the last).
        let date_line = if links_after.is_some() {
            anchors.get(k + 1).map(|a| a.date)
        } else {
            Some(anchor.date)
        };
        if let Some(&(a, b)) = date_line.and_then(|d| dates_at.get(&d)) {
            post.posted_at_raw = date_line
                .and_then(|d| lines[d].text.get(a..b))
                .map(str::to_owned);
        }
        let author_at = if let Some(i) = links_after.as_ref().and_then(|l| l[k]) {
            post.author_name = name_like(&lines[i].text);
            post.author_url = hrefs.get(i).cloned().flatten();
            Some(i)
        } else {
            find_author(
                lines,
                hrefs,
                matches,
                lexicon,
                dw,
                anchor,
                dates_at,
                offset,
                profile_range(k, anchor),
                ui_links,
                &mut post,
            )
        };
        link_author(
            lines,
            hrefs,
            floor.max(anchor.header.saturating_sub(PROFILE_REACH)),
            (anchor.last + PROFILE_REACH).min(ends[k]),
            &mut post,
        );
        floor = anchor.last + 1;
        for i in anchor.header..=anchor.last {
            if taken[i] || lines[i].text.is_empty() {
                continue;
            }
            taken[i] = true;
            // The author's statistics in the header ("15 posts", "Joined: …").
            if let Some(m) = &matches[i] {
                read_stat(m, &mut post);
            }
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
}

/// Where a header continues under its date line: over post numbers ("• #2") and an author
/// panel ("quietpc / Member / Registered: … / Posts: 37") that ends in a statistic the
/// lexicon knows. Returns the header's last line.
pub(super) fn header_below(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    date: usize,
) -> usize {
    let mut last = date;
    // Post numbers count only right under the date, before any other line.
    let mut adjacent = true;
    let mut seen = 0;
    // The line before, when it may label a value under it ("Beiträge" / "    3.378").
    let mut label_above: Option<u16> = None;
    let mut stat_seen = false;
    for (i, line) in lines.iter().enumerate().skip(date + 1) {
        if line.text.is_empty() {
            continue;
        }
        // The next post's number ends this post's header.
        if !is_short(line) || seen == HEADER_MAX || is_item_number(line) {
            break;
        }
        seen += 1;
        let stat = matches!(
            line.chrome,
            Some(ChromeRole::AuthorPosts | ChromeRole::AuthorJoined | ChromeRole::AuthorInfo)
        );
        let post_number = !line.text.chars().any(char::is_alphabetic);
        // A text browser lays out a panel's definition list as a label and its value
        // indented under it; once the panel has begun, each such value belongs to it,
        // known label or not ("Ort" / "    München").
        let labelled_value = stat_seen && label_above.is_some_and(|indent| line.indent > indent);
        if stat || (adjacent && post_number) || labelled_value {
            last = i;
        } else {
            adjacent = false;
        }
        stat_seen |= stat;
        label_above = (is_bare_label(line) && !is_label(matches[i].as_ref(), Label::QuoteHeader))
            .then_some(line.indent);
    }
    last
}

/// True when the page prints each post's date under its text: prose stands right above
/// most dates and short lines (buttons, the next post's name) right under them.
pub(super) fn dates_close_posts(lines: &[Line], anchor_lines: &[usize]) -> bool {
    let n = anchor_lines.len();
    let prose_above = anchor_lines
        .iter()
        .filter(|&&a| {
            // An edit note may stand between the text and the date that closes it.
            lines[..a]
                .iter()
                .rev()
                .find(|l| !l.text.is_empty() && l.chrome != Some(ChromeRole::EditNote))
                .is_some_and(is_sentence)
        })
        .count();
    let short_below = anchor_lines
        .iter()
        .filter(|&&a| {
            lines
                .get(a + 1..)
                .and_then(|rest| rest.iter().find(|l| !l.text.is_empty()))
                .is_none_or(is_short)
        })
        .count();
    if prose_above * 2 > n && short_below * 2 > n {
        return true;
    }
    // An author's card under most dates (avatar, name, reputation) either closes the post
    // above or opens the one below. The page's ends tell which: text above the first date
    // is a post the date closes; text under the last card is a post that card opens.
    let cards = cards_under(lines, anchor_lines);
    // Only dates the lexicon knows as an engine's post dates ("answered {date}") are
    // trusted to sit on either side of a card: a bare date could be either.
    let labelled = anchor_lines
        .iter()
        .filter(|&&a| lines[a].chrome == Some(ChromeRole::PostHeader))
        .count();
    if cards.iter().flatten().count() * 2 <= n || labelled * 2 <= n {
        return false;
    }
    let (Some(&first), Some(Some(last_card))) = (anchor_lines.first(), cards.last()) else {
        return false;
    };
    let prose_words = |range: std::ops::Range<usize>| -> usize {
        lines[range]
            .iter()
            .filter(|l| l.chrome.is_none() && is_sentence(l))
            .map(|l| l.text.split_whitespace().count())
            .sum()
    };
    prose_words(text_closed_by(lines, first)..first) > prose_words(last_card.end..lines.len())
}

/// Where the text a date under a post closes begins: up from the date, over the post's
/// buttons, then over the text to the page's chrome above it, whatever the shape of its
/// lines (code, lists).
fn text_closed_by(lines: &[Line], date: usize) -> usize {
    let top = line_closed(lines, date).map_or(date, |(i, _)| i);
    (0..top)
        .rev()
        .find(|&i| lines[i].chrome.is_some())
        .map_or(0, |i| i + 1)
}

/// True when most dates close their posts by a byline ("ann, Apr 22, 2020") whose name the
/// head of the same post printed already: the panel above the text ("2. ann", "ann Black
/// Belt") names the author the byline under it names again. (Where a byline opens a post,
/// its name stands after it, never before.)
fn bylines_close_posts(lines: &[Line], dates: &[(usize, usize, usize)]) -> bool {
    let named_ahead = dates
        .windows(2)
        .filter(|w| {
            let (previous, date) = (w[0].0, w[1].0);
            let Some(name) = byline_of(lines, w[1]) else {
                return false;
            };
            (previous + 1..date)
                .filter(|&i| !lines[i].text.is_empty())
                .take(HEADER_MAX)
                .any(|i| unnumbered(&lines[i].text).starts_with(name))
        })
        .count();
    named_ahead * 2 > dates.len()
}

/// How far above its closing byline the first post's panel may stand.
const FIRST_POST_LINES: usize = 400;

/// The name the byline of a date line (`(line, date start, date end)`) prints before its
/// date, if any.
fn byline_of(lines: &[Line], (line, date, _): (usize, usize, usize)) -> Option<&str> {
    lines[line]
        .text
        .get(..date)
        .map(byline_name)
        .filter(|name| !name.is_empty())
}

/// The name a byline prints before its date, less the separator.
fn byline_name(before: &str) -> &str {
    let name = before.trim_end_matches(|c: char| c.is_whitespace() || ",;:-|·•".contains(c));
    // A post's number may open the byline ("#1 ann, May 26, 2025").
    let name = name
        .trim_start()
        .strip_prefix('#')
        .and_then(|rest| rest.split_once(' '))
        .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        .map_or(name, |(_, rest)| rest);
    if name.split_whitespace().count() <= BYLINE_NAME_WORDS
        && name.chars().any(char::is_alphanumeric)
    {
        name.trim()
    } else {
        ""
    }
}

/// How many lines above a date may stand between it and the text it closes.
const CLOSING_REACH: usize = 12;

/// The line a date under a post closes: the first one above it that is not chrome (the
/// post's buttons) and not in the card of an edit note printed between text and date (the
/// editor's name under "edited Aug 7, 2015").
fn line_closed(lines: &[Line], date: usize) -> Option<(usize, &Line)> {
    let above: Vec<(usize, &Line)> = lines[..date]
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, l)| !l.text.is_empty())
        .take(CLOSING_REACH)
        .collect();
    above.iter().enumerate().find_map(|(k, &(i, l))| {
        let in_edit_card = above
            .iter()
            .skip(k + 1)
            .take(EDIT_CARD_LINES)
            .any(|(_, l)| l.chrome == Some(ChromeRole::EditNote));
        (l.chrome.is_none() && !in_edit_card).then_some((i, l))
    })
}

/// A count alone on its line: a post's score or the like.
fn is_bare_number(line: &Line) -> bool {
    let t = line.text.trim();
    !t.is_empty() && t.len() <= 6 && t.chars().all(|c| c.is_ascii_digit() || c == '-')
}

/// An edit note's card: the note, the editor's avatar and name.
const EDIT_CARD_LINES: usize = 3;

/// Posts whose date closes them: each runs from the line after the previous post's date to
/// its own, and starts with its header (name, rank) as a run of short lines.
#[allow(
    clippy::too_many_lines,
    reason = "one post per closing date, each step reading what the steps before it took"
)]
pub(super) fn segment_closing_dates(
    page: &TextPage<'_>,
    dates: &[(usize, usize, usize)],
    thread: &mut Thread,
    taken: &mut [bool],
) -> bool {
    let TextPage {
        lines,
        hrefs,
        matches,
        lexicon,
        dates: dw,
    } = *page;
    let short_run_below = |from: usize, to: usize| {
        (from..to)
            .filter(|&i| !lines[i].text.is_empty())
            .take_while(|&i| is_short(&lines[i]))
            .take(HEADER_MAX)
            .count()
    };
    // Where most dates carry their author's card right under them (avatar, name,
    // reputation), each card is the post's it closes, and the next post starts below it.
    let date_at: Vec<usize> = dates.iter().map(|d| d.0).collect();
    let cards = cards_under(lines, &date_at);
    let cards_below = cards.iter().filter(|c| c.is_some()).count() * 2 > dates.len();
    let after_post = |k: usize| match cards.get(k) {
        Some(Some(card)) if cards_below => card.end,
        _ => dates[k].0 + 1,
    };
    // With the author in the card below, what stands above a post's text is buttons and
    // counts (a score, "14 Answers"), and its text may be short lines (code).
    let head_run = |from: usize, to: usize| {
        if cards_below {
            // Comments set apart before stand between a card and the next post.
            (from..to)
                .filter(|&i| !lines[i].text.is_empty() && !taken[i])
                .take_while(|&i| lines[i].chrome.is_some() || is_bare_number(&lines[i]))
                .take(HEADER_MAX)
                .count()
        } else {
            short_run_below(from, to)
        }
    };
    let lead: Vec<usize> = dates
        .windows(2)
        .enumerate()
        .map(|(k, w)| head_run(after_post(k), w[1].0))
        .collect();
    let mut sorted = lead.clone();
    sorted.sort_unstable();
    let header_len = sorted
        .get(sorted.len() / HEADER_PERCENTILE)
        .copied()
        .unwrap_or(0);
    // The first post: up from its date over its text, then over its header.
    let first = dates[0].0;
    let mut text_top = first;
    for i in (0..first).rev() {
        if lines[i].text.is_empty() || !is_short(&lines[i]) {
            if !lines[i].text.is_empty() {
                text_top = i;
            }
            continue;
        }
        break;
    }
    // A byline under the first post names its author, whose panel heads the post.
    let panel_of_first = dates
        .first()
        .and_then(|&date| byline_of(lines, date))
        .and_then(|name| {
            (first.saturating_sub(FIRST_POST_LINES)..first)
                .rev()
                .find(|&i| unnumbered(&lines[i].text).starts_with(name) && is_short(&lines[i]))
        });
    let first_start = if cards_below {
        text_closed_by(lines, first)
    } else if let Some(panel) = panel_of_first {
        panel
    } else {
        nth_nonblank_above(lines, text_top, header_len)
    };
    let mut posts: Vec<(usize, usize, usize)> = Vec::new();
    for (k, &(d, _, _)) in dates.iter().enumerate() {
        let start = if k == 0 {
            first_start
        } else {
            after_post(k - 1)
        };
        let lead_k = if k == 0 {
            head_run(start, d)
        } else {
            lead[k - 1]
        };
        let head_len = if cards_below {
            lead_k
        } else {
            lead_k.min(header_len)
        };
        let head_end = (start..d)
            .filter(|&i| !lines[i].text.is_empty() && (!cards_below || !taken[i]))
            .nth(head_len)
            .unwrap_or(d);
        posts.push((start, head_end, d));
    }
    let bodies: Vec<(usize, usize)> = posts.iter().map(|&(_, b, d)| (b, d)).collect();
    let ui_links = ui_link_texts(lines, hrefs, posts.len());
    let repeated = repeated_lines(lines, &bodies);
    mark_repeated(lines, &bodies, &repeated, taken, thread);
    // The author stands at the same place in every header: where names vary most.
    let nth =
        |from: usize, to: usize, n: usize| (from..to).filter(|&i| !lines[i].text.is_empty()).nth(n);
    let best = (0..header_len.max(1))
        .map(|n| {
            let mut names: Vec<String> = posts
                .iter()
                .filter_map(|&(s, h, _)| nth(s, h, n))
                .filter(|&i| {
                    !taken[i] && lines[i].chrome.is_none_or(|c| c == ChromeRole::AuthorName)
                })
                .filter_map(|i| clean_name(&lines[i].text, lexicon, dw))
                .collect();
            names.sort_unstable();
            names.dedup();
            (n, names.len())
        })
        .max_by_key(|&(n, count)| (count, std::cmp::Reverse(n)))
        .map(|(n, _)| n);
    for (k, &(start, head_end, d)) in posts.iter().enumerate() {
        let mut post = Post::new(k);
        if let Some(&(_, a, b)) = dates.get(k) {
            post.posted_at_raw = lines[d].text.get(a..b).map(str::to_owned);
        }
        let profile = (start..head_end).find(|&i| {
            is_profile(hrefs, i, lexicon)
                && !ui_links.contains(&lines[i].text.as_str())
                && name_like(&lines[i].text).is_some()
        });
        let card = cards.get(k).copied().flatten().filter(|_| cards_below);
        // A byline closing the post names its author before the date ("ann, Apr 22, 2020").
        let byline = dates
            .get(k)
            .and_then(|&date| byline_of(lines, date))
            .and_then(|name| clean_name(name, lexicon, dw));
        let author_at = card.map(|c| c.name).or(profile).or_else(|| {
            byline
                .is_none()
                .then(|| best.and_then(|n| nth(start, head_end, n)))?
        });
        if let Some(i) = author_at {
            post.author_name = clean_name(&lines[i].text, lexicon, dw);
            if profile.is_some() {
                post.author_url = hrefs.get(i).cloned().flatten();
            }
        } else {
            post.author_name = byline;
        }
        link_author(lines, hrefs, start, d, &mut post);
        let card_lines = card.map_or(d + 1..d + 1, |c| d + 1..c.end);
        for i in (start..head_end)
            .chain(std::iter::once(d))
            .chain(card_lines)
        {
            if taken[i] || lines[i].text.is_empty() {
                continue;
            }
            taken[i] = true;
            let role = if i == d {
                ChromeRole::PostHeader
            } else if Some(i) == author_at && post.author_name.is_some() {
                ChromeRole::AuthorName
            } else if let Some(role) = name_line_role(&lines[i], &mut post) {
                role
            } else if let Some(stat) = (lines[i].chrome.is_none())
                .then(|| labelled_value(lines, matches, i, lexicon))
                .flatten()
            {
                read_stat(&stat, &mut post).unwrap_or(ChromeRole::AuthorInfo)
            } else {
                lines[i].chrome.unwrap_or(ChromeRole::AuthorInfo)
            };
            thread.chrome.push(ChromeLine {
                role,
                text: lines[i].text.clone(),
                post: Some(k),
            });
        }
        // An edit note's own card (the editor's avatar, name, reputation) names the
        // editor, not the author, and is no part of the text.
        for note in (head_end..d).filter(|&i| lines[i].chrome == Some(ChromeRole::EditNote)) {
            let Some(editor) = card_below(lines, note, d) else {
                continue;
            };
            for i in note + 1..editor.end {
                if taken[i] || lines[i].text.is_empty() {
                    continue;
                }
                taken[i] = true;
                thread.chrome.push(ChromeLine {
                    role: lines[i].chrome.unwrap_or(ChromeRole::AuthorInfo),
                    text: lines[i].text.clone(),
                    post: Some(k),
                });
            }
        }
        // A panel printed as a definition list ("Joined:" over "Aug 31, 2002") keeps its
        // values out of the text: with their labels they are the author's statistics.
        for i in head_end..d {
            if taken[i] || lines[i].text.is_empty() || lines[i].chrome.is_some() {
                continue;
            }
            let Some(stat) = labelled_value(lines, matches, i, lexicon) else {
                continue;
            };
            taken[i] = true;
            let role = read_stat(&stat, &mut post).unwrap_or(ChromeRole::AuthorInfo);
            thread.chrome.push(ChromeLine {
                role,
                text: lines[i].text.clone(),
                post: Some(k),
            });
        }
        take_name_lines(lines, head_end, d, &mut post, thread, taken, k);
        read_body(lines, matches, head_end, d, &mut post, thread, taken, k);
        thread.posts.push(post);
    }
    thread.extractor_confidence = 0.5;
    true
}

/// The lines at the head of a post's text that repeat its author's name, alone ("2. ann",
/// a numbered list's item) or before a rank ("ann Black Belt"): the panel's, not the text's.
fn take_name_lines(
    lines: &[Line],
    from: usize,
    to: usize,
    post: &mut Post,
    thread: &mut Thread,
    taken: &mut [bool],
    k: usize,
) {
    for i in from..to {
        if taken[i] || lines[i].text.is_empty() || lines[i].chrome.is_some() {
            continue;
        }
        // The text begins where a line names no one: the panel is above it.
        let Some(role) = name_line_role(&lines[i], post) else {
            return;
        };
        taken[i] = true;
        thread.chrome.push(ChromeLine {
            role,
            text: lines[i].text.clone(),
            post: Some(k),
        });
    }
}

/// The role of a panel line that repeats the post's author: the name alone ("2. ann") or
/// with a rank after it ("ann Black Belt", which goes to `author_rank`).
fn name_line_role(line: &Line, post: &mut Post) -> Option<ChromeRole> {
    let name = post.author_name.as_deref()?;
    let text = unnumbered(&line.text);
    if text == name {
        return Some(ChromeRole::AuthorName);
    }
    let rank = text
        .strip_prefix(name)
        .and_then(|rest| rest.strip_prefix(' '))
        .filter(|rank| {
            (1..=RANK_WORDS).contains(&rank.split_whitespace().count())
                && !rank.ends_with(['.', '!', '?'])
        })?
        .trim()
        .to_owned();
    post.author_rank.get_or_insert(rank);
    Some(ChromeRole::AuthorRank)
}

/// The most words of a rank printed after a name ("Senior Moderator Staff Member").
const RANK_WORDS: usize = 6;

/// The most words of a name printed before the date on a post's closing byline.
const BYLINE_NAME_WORDS: usize = 4;

/// An author's card printed under the date that closes a post.
#[derive(Clone, Copy)]
struct Card {
    /// The line of the author's name.
    name: usize,
    /// The line after the card.
    end: usize,
}

/// The author's card under each of `dates` (lines), each looked for before the next date.
fn cards_under(lines: &[Line], dates: &[usize]) -> Vec<Option<Card>> {
    dates
        .iter()
        .enumerate()
        .map(|(k, &d)| card_below(lines, d, dates.get(k + 1).copied().unwrap_or(lines.len())))
        .collect()
}

/// A card is this many lines at most: avatar, name, statistics.
const CARD_LINES: usize = 4;

/// The author's card right under `date`, before `limit`: it opens with a statistic or an
/// avatar the lexicon knows (so that the next post's own header, name first, is never taken
/// for it), then holds one name among more of them.
fn card_below(lines: &[Line], date: usize, limit: usize) -> Option<Card> {
    let is_stat = |l: &Line| {
        matches!(
            l.chrome,
            Some(
                ChromeRole::AuthorInfo
                    | ChromeRole::AuthorPosts
                    | ChromeRole::AuthorJoined
                    | ChromeRole::AuthorRank
            )
        )
    };
    let card: Vec<usize> = (date + 1..limit)
        .filter(|&i| !lines[i].text.is_empty())
        .take(CARD_LINES)
        .collect();
    if !card.first().is_some_and(|&i| is_stat(&lines[i])) {
        return None;
    }
    let mut name = None;
    let mut end = date + 1;
    for &i in &card {
        let line = &lines[i];
        if is_stat(line) {
            end = i + 1;
        } else if name.is_none()
            && line.chrome.is_none()
            && is_short(line)
            && name_like(&line.text).is_some()
        {
            name = Some(i);
            end = i + 1;
        } else {
            break;
        }
    }
    name.map(|name| Card { name, end })
}

pub(super) fn date_lines(
    lines: &[Line],
    strict: bool,
    matches: &[Option<LineMatch<'_>>],
    taken: &[bool],
    lexicon: &Lexicon,
    dw: &DateWords,
) -> Vec<(usize, usize, usize)> {
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if taken[i] || line.text.is_empty() {
            continue;
        }
        // Join dates, edit notes, "it is currently …" and quote headers carry dates too; a
        // subject line with a date is a post header ("Re: … by ann: 5:23am On Apr 24").
        if matches[i].as_ref().is_some_and(|m| {
            !matches!(
                m.label,
                Label::PostHeader | Label::PostDate | Label::AuthorLine | Label::Subject
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
        // A flattened page had its labels glued to their values already.
        if !strict && is_labelled_value(lines, matches, i, lexicon) {
            continue;
        }
        let words = |s: &str| s.split_whitespace().count();
        // A date closing a subject line may follow a longer header ("Re: <subject> by ann:").
        let before_max = if matches[i].is_some() && words(after) <= 1 {
            LONG_HEADER_WORDS
        } else {
            HEADER_WORDS
        };
        if words(before) > before_max || words(after) > HEADER_WORDS {
            continue;
        }
        // A date alone on its line between two sentences is a date the text mentions (a
        // flattened page cuts dates out of prose), not a post header.
        let alone = before.trim().is_empty() && after.trim().is_empty();
        let prose =
            |l: &Line| l.text.split_whitespace().count() > HEADER_WORDS && l.chrome.is_none();
        let under_prose = lines[..i]
            .iter()
            .rev()
            .find(|l| !l.text.is_empty())
            .is_some_and(prose);
        let over_prose = lines[i + 1..]
            .iter()
            .find(|l| !l.text.is_empty())
            .is_some_and(prose);
        if alone && under_prose && over_prose && strict {
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

/// Where the last post ends. Nothing on the page marks the end of the last post but the
/// page's own tail (related threads, footers), so it ends where the other posts do: after
/// the button line most of them close with. Failing that, a long run of short lines (a list
/// of links) after its text is the page's tail.
pub(super) fn last_post_end(
    lines: &[Line],
    anchors: &[Anchor],
    repeated: &[&str],
    from: usize,
    to: usize,
) -> usize {
    let closers: Vec<&str> = anchors
        .windows(2)
        .filter_map(|w| {
            // The first button after the post's text: after its first sentence, which may
            // be a subject every post repeats ("Reisen per StreetView?").
            let gap = w[0].last + 1..w[1].date;
            let text = gap.clone().find(|&i| is_sentence(&lines[i]))?;
            (text + 1..gap.end)
                .map(|i| lines[i].text.as_str())
                .find(|t| repeated.contains(t))
        })
        .collect();
    // Any post's closing button will do, once the last post has some text of its own.
    let first_prose = (from..to).find(|&i| !lines[i].text.is_empty() && !is_short(&lines[i]));
    if let Some(start) = first_prose
        && let Some(at) = (start..to).find(|&i| closers.contains(&lines[i].text.as_str()))
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
