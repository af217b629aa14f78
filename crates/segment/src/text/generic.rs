//! Segmenting a text scrape by its post dates, for pages whose chrome the lexicon does not
//! know.
//!
//! Every post prints its date on a short header line ("Tachy, Feb 23, 2019", "● By ann On
//! 2020.03.12 15:21", or the date alone under a name). Those lines anchor the posts. The
//! header above each date (name, rank, buttons) is as long on every post of a page, so its
//! length is measured once from all posts, as the shortest run of short lines standing
//! above a date. Lines repeated in many posts ("Report", "Reply With Quote") are buttons,
//! not content, whatever their language.

use std::collections::{HashMap, HashSet};

use threadmill_lexicon::{DateWords, Fields, Label, Lexicon, LineMatch};
use threadmill_model::{BlockKind, ChromeLine, ChromeRole, Line, Post, Thread};

use super::{footer_start, is_label, name_cues, read_body};
use crate::dates::find_dates;

/// A header line is a few words at most besides its date.
const HEADER_WORDS: usize = 8;
/// A line of more words than this is a sentence, whatever its punctuation.
const SENTENCE_WORDS: usize = 10;
/// A header line that ends with its date may hold a subject and a name before it.
const LONG_HEADER_WORDS: usize = 14;
/// A line of a post header (name, rank, button) is short and not a sentence.
const SHORT_WORDS: usize = 5;
const SHORT_CHARS: usize = 48;
/// The header length is the value this fraction (1/n) up the sorted header runs.
const HEADER_PERCENTILE: usize = 5;
/// How many header lines may stand above a post's date.
const HEADER_MAX: usize = 12;
/// A link text on at least this share of the posts is a button, not a name.
const UI_LINK_SHARE: f32 = 0.6;
/// A label alone on its line ("Join Date") is this many words at most.
const LABEL_WORDS: usize = 4;
/// A line repeated in at least this share of the posts (and three of them) is UI.
const REPEAT_SHARE: f32 = 0.3;
const REPEAT_MIN: usize = 3;
/// This many short lines in a row after the last post's text are the page's tail.
const TAIL_RUN: usize = 8;
/// How far above a post's header a profile link may stand.
const PROFILE_REACH: usize = 12;
/// How much a name that is also quoted on the page counts over a name that is not.
const QUOTED_NAME_WEIGHT: usize = 2;
/// How many lines under a date may hold the author's name when none stands above.
const AUTHOR_BELOW: usize = 3;
/// Links to a member profile: besides the lexicon's words ("member", "benutzer"), the
/// parameters and paths engines name them with.
const PROFILE_URL_PARTS: [&str; 4] = ["u=", "showuser", "/u/", "personal_pages"];

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
    let dw = lexicon.date_words();
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
    let above: Vec<usize> = anchor_lines
        .iter()
        .enumerate()
        .map(|(k, &a)| {
            let floor = k.checked_sub(1).map_or(0, |j| anchor_lines[j] + 1);
            short_run_above(lines, floor, a)
        })
        .collect();
    if dates_close_posts(lines, &anchor_lines) {
        return segment_closing_dates(lines, hrefs, matches, lexicon, dw, &dates, thread, taken);
    }
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
    let spans: HashMap<usize, (usize, usize)> =
        dates.iter().map(|&(i, a, b)| (i, (a, b))).collect();
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
        if let Some(prev) = merged.last_mut()
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
        return false;
    }
    for a in &mut merged {
        a.last = header_below(lines, matches, a.last);
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
    let anchors = merged;
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
        *end = last_post_end(lines, &anchors, &repeated, last.last + 1, *end);
    }
    let bodies: Vec<(usize, usize)> = anchors
        .iter()
        .zip(&ends)
        .map(|(a, &end)| (a.last + 1, end))
        .collect();
    mark_repeated(lines, &bodies, &repeated, taken, thread);

    let offset = author_offset(lines, &anchors, taken, lexicon, dw);
    // The profile link may stand above the header the page's shortest headers measured,
    // so look further up, but not past the previous post's date.
    let profile_range = |k: usize, anchor: &Anchor| {
        let floor = k.checked_sub(1).map_or(0, |j| anchors[j].last + 1);
        floor.max(anchor.header.saturating_sub(PROFILE_REACH))..anchor.last + 1
    };
    let dates_at: HashMap<usize, (usize, usize)> =
        dates.iter().map(|&(i, a, b)| (i, (a, b))).collect();
    let links_after = profile_links_after(lines, hrefs, &anchors, &ui_links, lexicon);
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
                &dates_at,
                offset,
                profile_range(k, anchor),
                &ui_links,
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
                super::read_stat(m, &mut post);
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
    thread.extractor_confidence = 0.6;
    true
}

/// Segments `lines` at a short line every post starts with ("Avatar universal", a bullet),
/// for pages that print no dates; false when no line repeats so.
pub(super) fn segment_by_repeats(
    lines: &[Line],
    hrefs: &[Option<String>],
    matches: &[Option<LineMatch<'_>>],
    lexicon: &Lexicon,
    thread: &mut Thread,
    taken: &mut [bool],
) -> bool {
    let mut at: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.text.as_str();
        if !taken[i] && !t.is_empty() && line.chrome.is_none() && is_short(line) {
            at.entry(t).or_default().push(i);
        }
    }
    // The line that most often stands between two runs of prose, each gap holding some.
    let best = at
        .into_iter()
        .filter(|(_, v)| v.len() >= REPEAT_MIN)
        .filter(|(_, v)| {
            let with_prose = v
                .windows(2)
                .filter(|w| has_prose(lines, w[0] + 1, w[1]))
                .count();
            with_prose * 10 >= (v.len() - 1) * 9
        })
        .max_by_key(|(t, v)| (v.len(), std::cmp::Reverse(*t)))
        .map(|(_, v)| v);
    let Some(starts) = best else {
        return false;
    };
    let dw = lexicon.date_words();
    let ui_links = ui_link_texts(lines, hrefs, starts.len());
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or_else(|| {
            let to = footer_start(lines, matches, start + 1);
            last_post_end(lines, &[], &[], start + 1, to)
        });
        // The header: the repeated line and the short lines under it.
        let mut body = start + 1;
        while body < end && (lines[body].text.is_empty() || is_short(&lines[body])) {
            body += 1;
        }
        let mut post = Post::new(k);
        let name_at = (start + 1..body).find(|&i| {
            !lines[i].text.is_empty()
                && !ui_links.contains(&lines[i].text.as_str())
                && clean_name(&lines[i].text, lexicon, dw).is_some()
        });
        if let Some(i) = name_at {
            post.author_name = clean_name(&lines[i].text, lexicon, dw);
            if is_profile(hrefs, i, lexicon) {
                post.author_url = hrefs.get(i).cloned().flatten();
            }
        }
        link_author(lines, hrefs, start, body, &mut post);
        for i in start..body {
            if taken[i] || lines[i].text.is_empty() {
                continue;
            }
            taken[i] = true;
            thread.chrome.push(ChromeLine {
                role: if Some(i) == name_at {
                    ChromeRole::AuthorName
                } else {
                    lines[i].chrome.unwrap_or(ChromeRole::AuthorInfo)
                },
                text: lines[i].text.clone(),
                post: Some(k),
            });
        }
        read_body(lines, matches, body, end, &mut post, thread, taken, k);
        thread.posts.push(post);
    }
    thread.extractor_confidence = 0.4;
    true
}

/// Where a header continues under its date line: over post numbers ("• #2") and an author
/// panel ("quietpc / Member / Registered: … / Posts: 37") that ends in a statistic the
/// lexicon knows. Returns the header's last line.
fn header_below(lines: &[Line], matches: &[Option<LineMatch<'_>>], date: usize) -> usize {
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
        if !is_short(line) || seen == HEADER_MAX {
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

/// A line that may label a value printed under it: a few words, no digits, no stop.
fn is_bare_label(line: &Line) -> bool {
    let t = line.text.trim();
    t.split_whitespace().count() <= LABEL_WORDS
        && !t.contains(|c: char| c.is_ascii_digit())
        && !t.ends_with(['.', '!', '?'])
}

/// True when the page prints each post's date under its text: prose stands right above
/// most dates and short lines (buttons, the next post's name) right under them.
fn dates_close_posts(lines: &[Line], anchor_lines: &[usize]) -> bool {
    let n = anchor_lines.len();
    let prose_above = anchor_lines
        .iter()
        .filter(|&&a| {
            lines[..a]
                .iter()
                .rev()
                .find(|l| !l.text.is_empty())
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
    prose_above * 2 > n && short_below * 2 > n
}

/// Plainly a sentence of a post: long, or closed by sentence punctuation. A header line of
/// a few words that is merely not short ("Senior Member Paris, France") is not.
fn is_sentence(line: &Line) -> bool {
    let t = line.text.trim_end();
    line.chrome.is_none()
        && !is_short(line)
        && (t.split_whitespace().count() > SENTENCE_WORDS
            || t.ends_with(['.', '!', '?', ')', '"', '”', '…']))
}

/// Posts whose date closes them: each runs from the line after the previous post's date to
/// its own, and starts with its header (name, rank) as a run of short lines.
#[allow(clippy::too_many_arguments)]
fn segment_closing_dates(
    lines: &[Line],
    hrefs: &[Option<String>],
    matches: &[Option<LineMatch<'_>>],
    lexicon: &Lexicon,
    dw: &DateWords,
    dates: &[(usize, usize, usize)],
    thread: &mut Thread,
    taken: &mut [bool],
) -> bool {
    let short_run_below = |from: usize, to: usize| {
        (from..to)
            .filter(|&i| !lines[i].text.is_empty())
            .take_while(|&i| is_short(&lines[i]))
            .take(HEADER_MAX)
            .count()
    };
    let lead: Vec<usize> = dates
        .windows(2)
        .map(|w| short_run_below(w[0].0 + 1, w[1].0))
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
    let first_start = nth_nonblank_above(lines, text_top, header_len);
    let mut posts: Vec<(usize, usize, usize)> = Vec::new();
    for (k, &(d, _, _)) in dates.iter().enumerate() {
        let start = if k == 0 {
            first_start
        } else {
            dates[k - 1].0 + 1
        };
        let lead_k = if k == 0 {
            short_run_below(start, d)
        } else {
            lead[k - 1]
        };
        let head_end = (start..d)
            .filter(|&i| !lines[i].text.is_empty())
            .nth(lead_k.min(header_len))
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
        let author_at = profile.or_else(|| best.and_then(|n| nth(start, head_end, n)));
        if let Some(i) = author_at {
            post.author_name = clean_name(&lines[i].text, lexicon, dw);
            if profile.is_some() {
                post.author_url = hrefs.get(i).cloned().flatten();
            }
        }
        link_author(lines, hrefs, start, d, &mut post);
        for i in (start..head_end).chain(std::iter::once(d)) {
            if taken[i] || lines[i].text.is_empty() {
                continue;
            }
            taken[i] = true;
            let role = if i == d {
                ChromeRole::PostHeader
            } else if Some(i) == author_at && post.author_name.is_some() {
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
        read_body(lines, matches, head_end, d, &mut post, thread, taken, k);
        thread.posts.push(post);
    }
    thread.extractor_confidence = 0.5;
    true
}

/// Link texts repeated all over the page ("View Profile", "A" of an avatar letter) are
/// buttons, whatever profile they point at.
fn ui_link_texts<'a>(lines: &'a [Line], hrefs: &[Option<String>], posts: usize) -> Vec<&'a str> {
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
fn link_author(lines: &[Line], hrefs: &[Option<String>], from: usize, to: usize, post: &mut Post) {
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

fn is_profile(hrefs: &[Option<String>], i: usize, lexicon: &Lexicon) -> bool {
    hrefs.get(i).and_then(Option::as_deref).is_some_and(|h| {
        let h = h.to_lowercase();
        lexicon.chrome_words().profile_path.found_in(&h)
            || PROFILE_URL_PARTS.iter().any(|p| h.contains(p))
    })
}

/// Header lines with a date: `(line, date start, date end)`.
/// True when line `i` is the value of a label alone on the line above it, as a text
/// browser lays out a definition list ("Join Date" / "Dec 2017"): together the two make
/// a line the lexicon knows as an author statistic, so the date is not a post's.
fn is_labelled_value(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    i: usize,
    lexicon: &Lexicon,
) -> bool {
    let Some(above) = (0..i).rev().find(|&j| !lines[j].text.is_empty()) else {
        return false;
    };
    let label = &lines[above];
    // A bare label: a few words with no value of their own ("Join Date", which the lexicon
    // may know as a label line, but not "Dołączył: 05-01-2021").
    if label.text.split_whitespace().count() > LABEL_WORDS
        || label.text.contains(|c: char| c.is_ascii_digit())
        || matches[above]
            .as_ref()
            .is_some_and(|m| m.fields != Fields::default())
    {
        return false;
    }
    // A definition list drops the colon a label line prints ("Join Date: Dec 2017").
    let label = label.text.trim().trim_end_matches(':');
    lexicon
        .match_line(&format!("{label}: {}", lines[i].text.trim()))
        .is_some_and(|m| matches!(m.label, Label::Joined | Label::AuthorInfo | Label::Posts))
}

fn date_lines(
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

fn is_short(line: &Line) -> bool {
    let t = line.text.as_str();
    // A rule of box-drawing characters or dashes separates posts; it says nothing.
    line.chrome.is_some()
        || !t.chars().any(char::is_alphanumeric)
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

/// True when `text` holds a time of day ("12:25AM", "16:22").
fn has_time_of_day(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit())
}

fn has_prose(lines: &[Line], from: usize, to: usize) -> bool {
    (from..to.min(lines.len())).any(|i| !lines[i].text.is_empty() && !is_short(&lines[i]))
}

/// Texts of lines repeated in many posts: buttons and badges.
fn repeated_lines<'a>(lines: &'a [Line], bodies: &[(usize, usize)]) -> Vec<&'a str> {
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
            // The first button after the post's text.
            let gap = w[0].last + 1..w[1].date;
            let text = gap.clone().find(|&i| is_sentence(&lines[i]))?;
            (text..gap.end)
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

/// Lines repeated in many posts are set aside before reading bodies.
fn mark_repeated(
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
        // label, not a name.
        if let Some(&(a, _)) = dates_at.get(&i)
            && matches[i].is_none()
            && let Some(name) = line.text.get(..a).and_then(|p| {
                name_cues::by_name_before_colon(p, &lexicon.chrome_words().by)
                    .or_else(|| author_before_date(p, lexicon, dw))
            })
        {
            post.author_name = Some(name);
            return None;
        }
    }
    // Otherwise the header line at the page's author position, unless it holds a label's
    // value ("Location:" / "Greece").
    let at = header_line(lines, anchor, offset?)?;
    if name_cues::is_label_value(lines, at) {
        return None;
    }
    post.author_name = clean_name(&lines[at].text, lexicon, dw);
    post.author_name.as_ref().map(|_| at)
}

/// Pieces under a date that may hold the profile link of the post it heads.
const LINK_BELOW: usize = 4;

/// For each post, the profile link right under its date, when most posts have one there:
/// pages that print a post's date in its footer ("Tachy, Feb 23, 2019") put the next
/// post's author panel right after it, and the text that follows is that author's. On
/// pages with dates in the header the next profile link after a date is a body away.
fn profile_links_after(
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
fn header_line(lines: &[Line], anchor: &Anchor, offset: isize) -> Option<usize> {
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
fn author_offset(
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
    let distinct = |offset: isize| {
        let mut names: Vec<String> = anchors
            .iter()
            .filter_map(|a| header_line(lines, a, offset))
            .filter(|&i| !taken[i] && lines[i].chrome.is_none_or(|c| c == ChromeRole::AuthorName))
            .filter(|&i| !name_cues::is_label_value(lines, i))
            .filter_map(|i| clean_name(&lines[i].text, lexicon, dw))
            .collect();
        names.sort_unstable();
        names.dedup();
        let known = names.iter().filter(|n| quoted.contains(n)).count();
        names.len() + QUOTED_NAME_WEIGHT * known
    };
    // Ties go to the line further up: a name stands above its rank.
    #[allow(clippy::cast_possible_wrap)]
    let above = (1..=HEADER_MAX as isize)
        .map(|o| (o, distinct(o)))
        .max_by_key(|&(o, n)| (n, o));
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

/// Names printed at the head of the post body, before a rank ("Sober Stammgast Hy, ich
/// habe …", "Maleica Gast Guten Tag!"): on a page where most posts found no author, the
/// first word of a post is its author when the second is a word that stands second in
/// other posts too (a rank) after a different first word (a name varies, a rank repeats;
/// "Ich habe …" twice repeats both and names no one).
pub(super) fn names_before_ranks(thread: &mut Thread, lexicon: &Lexicon) {
    let heads: Vec<Option<(String, String)>> = thread
        .posts
        .iter()
        .map(|p| {
            if p.has_author() {
                return None;
            }
            let mut words = p.blocks.first()?.text.split_whitespace();
            let (first, second) = (words.next()?, words.next()?);
            let second = second.trim_end_matches([',', '.', ':', '!']);
            second
                .starts_with(char::is_uppercase)
                .then(|| (first.to_owned(), second.to_owned()))
        })
        .collect();
    let without = heads.iter().filter(|h| h.is_some()).count();
    if without < 2 || without * 2 < thread.posts.len() {
        return;
    }
    let mut names_by_rank: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (first, second) in heads.iter().flatten() {
        names_by_rank.entry(second).or_default().insert(first);
    }
    let mut panels: Vec<ChromeLine> = Vec::new();
    for (index, (post, head)) in thread.posts.iter_mut().zip(&heads).enumerate() {
        let Some((first, second)) = head else {
            continue;
        };
        let is_rank = names_by_rank
            .get(second.as_str())
            .is_some_and(|names| names.len() >= 2);
        if !is_rank || lexicon.match_line(first).is_some() {
            continue;
        }
        post.author_name = name_like(first);
        if post.author_name.is_none() {
            continue;
        }
        // The name and rank are the author panel, not what the author wrote.
        post.author_rank = Some(second.clone());
        if let Some(block) = post.blocks.first_mut() {
            let mut rest = block.text.as_str();
            // Past the name and the rank.
            for _ in 0..2 {
                rest = rest
                    .trim_start()
                    .split_once(char::is_whitespace)
                    .map_or("", |(_, r)| r);
            }
            block.text = rest.trim_start().to_owned();
            if block.text.is_empty() {
                post.blocks.remove(0);
            }
        }
        post.refresh_text();
        for (role, text) in [
            (ChromeRole::AuthorName, first),
            (ChromeRole::AuthorRank, second),
        ] {
            panels.push(ChromeLine {
                role,
                text: text.clone(),
                post: Some(index),
            });
        }
    }
    thread.chrome.extend(panels);
}

/// Names at the end of the text before a post ("… natürlich meinen auch zeigen. M
/// `MeisterPanse` Stammgast"): a flattened page runs the next post's panel (letter avatar,
/// name, rank) onto the last line of the post before. On a page where most posts found no
/// author, a rank is the one or two last words that end the text before two posts or more
/// after different names (a name varies, a rank repeats). A one-word rank that ends a
/// two-word rank too ("Mitglied" of "Erfahrenes Mitglied") says nothing alone. The name is
/// the word before the rank, or the words after a letter avatar that starts them ("B Baci
/// Ton"). Panels must head a quarter of the posts. Name and rank move from the text before
/// to the chrome of the post they head.
pub(super) fn names_before_next_post(thread: &mut Thread, lexicon: &Lexicon) {
    let unsigned = thread.posts.iter().filter(|p| !p.has_author()).count();
    if thread.posts.len() < 3 || unsigned * 2 < thread.posts.len() {
        return;
    }
    // The last words of the text before each post (none for the first).
    let tail_words = |k: usize| -> Vec<&str> {
        let Some(block) = k
            .checked_sub(1)
            .and_then(|j| thread.posts[j].blocks.last())
            .filter(|b| b.kind == BlockKind::Paragraph)
        else {
            return Vec::new();
        };
        let words: Vec<&str> = block.text.split_whitespace().collect();
        words[words.len().saturating_sub(6)..].to_vec()
    };
    let tails: Vec<Vec<&str>> = (0..thread.posts.len()).map(tail_words).collect();
    // Suffix of one or two words → the different words before it.
    let mut before: HashMap<Vec<&str>, HashSet<&str>> = HashMap::new();
    for tail in &tails {
        for len in 1..=2 {
            if tail.len() > len {
                let at = tail.len() - len;
                before
                    .entry(tail[at..].to_vec())
                    .or_default()
                    .insert(tail[at - 1]);
            }
        }
    }
    // Rank words are letters only: not names ("Orangehase07 Experte", "M--G Inventar"),
    // not list marks ("++").
    let is_rank = |words: &[&str]| {
        words.iter().all(|w| w.chars().all(char::is_alphabetic))
            && before.get(words).is_some_and(|names| names.len() >= 2)
    };
    let long_rank_ends: HashSet<&str> = before
        .keys()
        .filter(|k| k.len() == 2 && is_rank(k))
        .filter_map(|k| k.last().copied())
        .collect();
    let mut panels: Vec<Option<(usize, String, String)>> = vec![None; thread.posts.len()];
    for (k, tail) in tails.iter().enumerate() {
        let post = &thread.posts[k];
        if post.has_author() || tail.len() < 2 {
            continue;
        }
        let rank_len = if tail.len() > 2 && is_rank(&tail[tail.len() - 2..]) {
            2
        } else if is_rank(&tail[tail.len() - 1..]) && !long_rank_ends.contains(tail[tail.len() - 1])
        {
            1
        } else {
            continue;
        };
        let rank_at = tail.len() - rank_len;
        // A letter avatar a few words up starts the name; else the name is one word.
        let avatar = (rank_at.saturating_sub(4)..rank_at.saturating_sub(1))
            .rev()
            .find(|&a| is_letter_avatar(tail[a], tail[a + 1]));
        let name_at = avatar.map_or(rank_at - 1, |a| a + 1);
        let name = tail[name_at..rank_at].join(" ");
        if name.ends_with(':') || lexicon.match_line(&name).is_some() {
            continue;
        }
        let Some(name) = name_like(&name) else {
            continue;
        };
        let cut_words = tail.len() - avatar.unwrap_or(name_at);
        panels[k] = Some((cut_words, name, tail[rank_at..].join(" ")));
    }
    // Panels head a good share of the posts, not two of them (badges that end a few).
    if panels.iter().flatten().count() < 2.max(thread.posts.len() / 4) {
        return;
    }
    for (k, panel) in panels.into_iter().enumerate() {
        let (Some(j), Some((cut_words, name, rank))) = (k.checked_sub(1), panel) else {
            continue;
        };
        let previous = &mut thread.posts[j];
        let Some(block) = previous.blocks.last_mut() else {
            continue;
        };
        let keep = cut_point(&block.text, cut_words);
        let panel = block.text[keep..].trim().to_owned();
        block.text.truncate(keep);
        let emptied = block.text.trim().is_empty();
        if emptied {
            previous.blocks.pop();
        } else {
            block.text = block.text.trim_end().to_owned();
        }
        previous.refresh_text();
        let post = &mut thread.posts[k];
        post.author_name = Some(name);
        post.author_rank = Some(rank);
        thread.chrome.push(ChromeLine {
            role: ChromeRole::AuthorInfo,
            text: panel,
            post: Some(k),
        });
    }
}

/// The byte offset where the last `words` white-space separated words of `text` start
/// (0 when it has fewer).
fn cut_point(text: &str, words: usize) -> usize {
    let mut at = text.len();
    for _ in 0..words {
        let head = text[..at].trim_end();
        at = head
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
    }
    at
}

/// An author panel printed at the head of a post body: the name, maybe a rank under it.
struct BodyPanel {
    name: String,
    /// How many blocks the panel takes.
    len: usize,
    /// Which of them is the rank.
    rank: Option<usize>,
}

impl BodyPanel {
    fn rank<'p>(&self, post: &'p Post) -> Option<&'p str> {
        self.rank.map(|r| post.blocks[r].text.trim())
    }
}

/// The panel at the head of `post`: its name said twice ("Marder40 / Gast / Marder40", an
/// avatar's caption and the name under it), or, when the name above the body was already
/// taken for the author, that name again under a rank.
fn body_panel(post: &Post, lexicon: &Lexicon) -> Option<BodyPanel> {
    // Quotes and signatures are never a panel.
    let block = |i: usize| {
        post.blocks
            .get(i)
            .filter(|b| b.kind == BlockKind::Paragraph)
            .map(|b| b.text.trim())
    };
    let short = |text: &str| text.split_whitespace().count() <= 3 && text.chars().count() <= 40;
    if post.author_url.is_some() {
        return None;
    }
    if let Some(name) = post.author_name.as_deref() {
        if block(0) == Some(name) {
            return Some(BodyPanel {
                name: name.to_owned(),
                len: 1,
                rank: None,
            });
        }
        return (block(1) == Some(name) && block(0).is_some_and(short)).then(|| BodyPanel {
            name: name.to_owned(),
            len: 2,
            rank: Some(0),
        });
    }
    let first = block(0)?;
    let again = (1..3).find(|&i| block(i) == Some(first))?;
    let rank_fits = again == 1 || block(1).is_some_and(short);
    if !(short(first) && rank_fits && lexicon.match_line(first).is_none()) {
        return None;
    }
    Some(BodyPanel {
        name: name_like(first)?,
        len: again + 1,
        rank: (again == 2).then_some(1),
    })
}

/// Author panels printed at the head of post bodies ([`body_panel`]) leave the bodies for
/// the chrome, and name the posts' authors and ranks. On a page where at least two posts
/// open so; a rank between must be one other posts print too, so buttons over a reply form
/// ("Antwort schreiben / Neues Thema erstellen / Antwort schreiben") are not a member.
pub(super) fn names_said_twice(thread: &mut Thread, lexicon: &Lexicon) {
    let mut found: Vec<Option<BodyPanel>> = thread
        .posts
        .iter()
        .map(|p| body_panel(p, lexicon))
        .collect();
    let mut ranks: HashMap<&str, usize> = HashMap::new();
    for (post, panel) in thread.posts.iter().zip(&found) {
        if let Some(rank) = panel.as_ref().and_then(|panel| panel.rank(post)) {
            *ranks.entry(rank).or_default() += 1;
        }
    }
    for (post, panel) in thread.posts.iter().zip(found.iter_mut()) {
        if panel
            .as_ref()
            .and_then(|panel| panel.rank(post))
            .is_some_and(|rank| ranks.get(rank).is_none_or(|&n| n < 2))
        {
            *panel = None;
        }
    }
    if found.iter().flatten().count() < 2 {
        return;
    }
    for (index, (post, panel)) in thread.posts.iter_mut().zip(found).enumerate() {
        let Some(panel) = panel else {
            continue;
        };
        let head: Vec<_> = post.blocks.drain(..panel.len).collect();
        for (i, block) in head.into_iter().enumerate() {
            let role = if Some(i) == panel.rank {
                if post.author_rank.is_none() {
                    post.author_rank = Some(block.text.trim().to_owned());
                }
                ChromeRole::AuthorRank
            } else {
                ChromeRole::AuthorName
            };
            thread.chrome.push(ChromeLine {
                role,
                text: block.text,
                post: Some(index),
            });
        }
        post.author_name.get_or_insert(panel.name);
        post.refresh_text();
    }
}

/// True when `letter` is a lone capital that `name` starts with: the stand-in avatar
/// forums draw for members without a picture, copied as text before the name.
fn is_letter_avatar(letter: &str, name: &str) -> bool {
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
fn clean_name(text: &str, lexicon: &Lexicon, dw: &DateWords) -> Option<String> {
    // A date or a count names no one ("May 14, 2014", "8 Shares").
    if text.trim_start().starts_with('[')
        || name_cues::never_a_name(text)
        || name_cues::is_date_text(text, dw)
    {
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
    fn dates_in_post_footers_date_the_next_author_panel() {
        use std::fmt::Write as _;
        // XenForo 1 prints "[name](profile), [date](post)" under each post and the next
        // post's panel right after: the text after a date belongs to that panel's author.
        let mut page = String::from("Bikes » Wheels » Truing stands worth it? ");
        let people = [
            ("ann", "members/ann.1/"),
            ("bob", "members/bob.2/"),
            ("cy", "members/cy.3/"),
        ];
        for (k, (name, url)) in people.iter().enumerate() {
            let day = 10 + k;
            write!(
                page,
                "{n}. [ {name} ]({url}) Member Joined: Mar 8, 2010 Messages: [12](search/member) \
                 Post {n} by {name}: my stand is a fork in a vice and it works well enough for \
                 a wheel or two a year, though a real stand would be faster to use. \
                 [{name}]({url}) , [ Feb {day}, 2019 ](posts/{n}/) [#{n}](posts/{n}/) ",
                n = k + 1
            )
            .expect("writing to a String");
        }
        page.push_str(&"Share this page Forums Terms Privacy Help Home ".repeat(40));
        let thread = run(&page);
        let authors: Vec<_> = thread
            .posts
            .iter()
            .map(|p| p.author_name.as_deref())
            .collect();
        assert_eq!(authors, [Some("bob"), Some("cy")]);
        let words: String = thread.posts[0]
            .blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect();
        assert!(words.contains("Post 2 by bob"), "{words}");
        assert_eq!(
            thread.posts[0].posted_at_raw.as_deref(),
            Some("Feb 11, 2019")
        );
    }

    fn posts_of(first_blocks: &[&str]) -> Thread {
        let posts: Vec<[&str; 1]> = first_blocks.iter().map(|b| [*b]).collect();
        let posts: Vec<&[&str]> = posts.iter().map(<[&str; 1]>::as_slice).collect();
        super::super::tests::thread_of_blocks(&posts)
    }

    #[test]
    fn names_stand_before_the_ranks_a_page_repeats() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = posts_of(&[
            "Sober Stammgast Hy, ich habe eine Idee.",
            "Django8 Inventar Finde ich gut!",
            "marantz-fan Stammgast Klasse Idee, den Gedanken hatte ich auch.",
        ]);
        names_before_ranks(&mut t, &lx);
        let names: Vec<_> = t.posts.iter().map(|p| p.author_name.as_deref()).collect();
        // "Inventar" stands second once only: no rank, no name.
        assert_eq!(names, [Some("Sober"), None, Some("marantz-fan")]);
        // The panel leaves the post's words for the chrome.
        assert_eq!(t.posts[0].text, "Hy, ich habe eine Idee.");
        assert_eq!(t.posts[0].author_rank.as_deref(), Some("Stammgast"));
        assert_eq!(t.posts[1].text, "Django8 Inventar Finde ich gut!");
        assert_eq!(t.chrome.len(), 4);
    }

    #[test]
    fn names_said_twice_head_their_posts() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = super::super::tests::thread_of_blocks(&[
            &[
                "Marder40",
                "Gast",
                "Marder40",
                "Das fällt sehr unterschiedlich aus.",
            ],
            &[
                "schachi",
                "Gast",
                "schachi",
                "Habe seit 14 Jahren Parkinson.",
            ],
            &["Heinz", "Heinz", "Ich kann es nur empfehlen."],
            // A line between that no other post has is no rank: buttons over a form.
            &[
                "Antwort schreiben",
                "Neues Thema erstellen",
                "Antwort schreiben",
                "Name",
            ],
            &["Danke!", "Gerne."],
        ]);
        names_said_twice(&mut t, &lx);
        let heads: Vec<_> = t
            .posts
            .iter()
            .map(|p| {
                (
                    p.author_name.as_deref(),
                    p.author_rank.as_deref(),
                    p.blocks.len(),
                )
            })
            .collect();
        assert_eq!(
            heads,
            [
                (Some("Marder40"), Some("Gast"), 1),
                (Some("schachi"), Some("Gast"), 1),
                (Some("Heinz"), None, 1),
                (None, None, 4),
                (None, None, 2),
            ]
        );
        // Nothing is lost: the name and rank lines are chrome of their posts.
        let kept = t.chrome.iter().filter(|c| c.post == Some(0)).count();
        assert_eq!(kept, 3);
    }

    #[test]
    fn a_name_taken_above_the_body_leaves_it_when_printed_again() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = super::super::tests::thread_of_blocks(&[
            &["Josefin", "Empfehlenswert, dieses Buch."],
            &["Gast", "Heinz", "Die ersten THS hatten nur einen Kontakt."],
            &["Gast", "Ann", "Danke, Heinz!"],
            &["Mitglied", "Bo", "Bei mir auch."],
        ]);
        for (post, name) in t.posts.iter_mut().zip(["Josefin", "Heinz", "Ann", "Bo"]) {
            post.author_name = Some(name.to_owned());
        }
        names_said_twice(&mut t, &lx);
        let texts: Vec<&str> = t.posts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Empfehlenswert, dieses Buch.",
                "Die ersten THS hatten nur einen Kontakt.",
                "Danke, Heinz!",
                // A line above the name that no other post prints is no rank.
                "Mitglied\n\nBo\n\nBei mir auch.",
            ]
        );
        assert_eq!(t.posts[1].author_rank.as_deref(), Some("Gast"));
        assert_eq!(t.posts[3].author_rank, None);
    }

    #[test]
    fn panels_run_onto_the_text_before_name_the_next_posts() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = super::super::tests::thread_of_blocks(&[
            &["Ich eröffne den Thread. M MeisterPanse Stammgast"],
            &["Schöne Bilder! H heatschgern Erfahrenes Mitglied"],
            &["Hier mein Homescreen. B Baci Ton Stammgast"],
            &["Gefällt mir. deineltan Erfahrenes Mitglied"],
            &["Danke euch allen - Ergänzung ++"],
        ]);
        names_before_next_post(&mut t, &lx);
        let heads: Vec<_> = t
            .posts
            .iter()
            .map(|p| (p.author_name.as_deref(), p.author_rank.as_deref()))
            .collect();
        assert_eq!(
            heads,
            [
                (None, None),
                (Some("MeisterPanse"), Some("Stammgast")),
                (Some("heatschgern"), Some("Erfahrenes Mitglied")),
                (Some("Baci Ton"), Some("Stammgast")),
                (Some("deineltan"), Some("Erfahrenes Mitglied")),
            ]
        );
        assert_eq!(t.posts[0].text, "Ich eröffne den Thread.");
        assert_eq!(t.posts[3].text, "Gefällt mir.");
        // The panels are chrome of the posts they head.
        let panels: Vec<(Option<usize>, &str)> =
            t.chrome.iter().map(|c| (c.post, c.text.as_str())).collect();
        assert_eq!(panels[0], (Some(1), "M MeisterPanse Stammgast"));
    }

    #[test]
    fn cut_points_count_words_from_the_end() {
        assert_eq!(cut_point("a bb  ccc", 1), 6);
        assert_eq!(cut_point("a bb  ccc", 2), 2);
        assert_eq!(cut_point("a bb ccc", 5), 0);
        assert_eq!(cut_point("Grüße äh Öl", 1), "Grüße äh ".len());
    }

    #[test]
    fn one_name_said_twice_is_not_a_pattern() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = super::super::tests::thread_of_blocks(&[
            &["Ja", "Ja", "Genau so."],
            &["Gut.", "Danke."],
        ]);
        names_said_twice(&mut t, &lx);
        assert!(t.posts.iter().all(|p| p.author_name.is_none()));
        assert_eq!(t.posts[0].blocks.len(), 3);
    }

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
    fn openings_that_repeat_whole_name_no_one() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = posts_of(&[
            "Ich Habe das auch.",
            "Ich Habe es probiert.",
            "Danke Leute!",
        ]);
        names_before_ranks(&mut t, &lx);
        assert!(t.posts.iter().all(|p| p.author_name.is_none()));
    }

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
        let source = Source::unnamed(Format::Text);
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
        let authors: Vec<_> = thread
            .posts
            .iter()
            .map(|p| p.author_name.as_deref())
            .collect();
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
        assert_eq!(thread.posts[0].author_name.as_deref(), Some("ann"));
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(undouble("tthorssontthorsson ✭"), "tthorsson");
        assert_eq!(undouble("Alex D.Alex D. mod"), "Alex D.");
        assert_eq!(undouble("anna"), "anna");
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
        assert_eq!(name_like("I think so."), None);
    }
}
