//! Strategy: posts delimited by the post headers and author panels the lexicon knows.

use threadmill_lexicon::{Label, LineMatch};
use threadmill_model::{ChromeLine, ChromeRole, Line, Post, Thread};

use crate::dates::looks_like_date;

use super::body::{Panel, footer_start, read_body, read_panel};
use super::{TextPage, is_label};

/// An author-panel line is short: names and ranks, not sentences.
pub(super) const PANEL_LINE_MAX: usize = 48;

/// How many name or rank lines may stand before a panel's first statistic.
pub(super) const PANEL_NAME_LINES: usize = 3;

/// Posts delimited by the lexicon's post headers and author panels.
#[allow(
    clippy::too_many_lines,
    reason = "one pass over headers and panels, whichever of the two the layout prints first"
)]
pub(super) fn segment_by_chrome(
    page: &TextPage<'_>,
    headers: &[usize],
    thread: &mut Thread,
    taken: &mut [bool],
) {
    let TextPage {
        lines,
        matches,
        lexicon,
        ..
    } = *page;
    let panels = find_panels(lines, matches, taken, headers);
    let panels_first = match (panels.first(), headers.first()) {
        (Some(p), Some(&h)) => p.start < h,
        _ => true,
    };

    // Each post: (anchor line or None, body start, body end, panel).
    let mut spans: Vec<(Option<usize>, usize, usize, Option<Panel>)> = Vec::new();
    if headers.is_empty() && panels.is_empty() {
        spans.push((None, 0, lines.len(), None));
        thread.extractor_confidence = 0.2;
    } else if headers.is_empty() {
        for (k, panel) in panels.iter().enumerate() {
            let end = panels
                .get(k + 1)
                .map_or_else(|| footer_start(lines, matches, panel.end), |p| p.start);
            spans.push((None, panel.end, end, Some(*panel)));
        }
        thread.extractor_confidence = 0.5;
    } else {
        for (k, &h) in headers.iter().enumerate() {
            let next_header = headers.get(k + 1).copied().unwrap_or(lines.len());
            let panel = if panels_first {
                panels
                    .iter()
                    .rev()
                    .find(|p| p.end <= h && k.checked_sub(1).is_none_or(|j| p.start > headers[j]))
                    .copied()
            } else {
                panels
                    .iter()
                    .find(|p| p.start > h && p.start < next_header)
                    .copied()
            };
            let mut end = if panels_first {
                panels
                    .iter()
                    .find(|p| p.start > h && p.start < next_header)
                    .map_or(next_header, |p| p.start)
            } else {
                panel.map_or(next_header, |p| p.start)
            };
            end = end.min(prelude_start(
                lines,
                matches,
                thread.title.as_deref(),
                h + 1,
                end,
            ));
            if k + 1 == headers.len() && (panel.is_none() || panels_first) {
                end = end.min(footer_start(lines, matches, h + 1));
            }
            spans.push((Some(h), h + 1, end, panel));
        }
        thread.extractor_confidence = 0.9;
    }

    for (k, &(header, start, end, panel)) in spans.iter().enumerate() {
        let mut post = Post::new(k);
        if let Some(h) = header {
            taken[h] = true;
            if let Some(m) = &matches[h] {
                post.author_name.clone_from(&m.fields.author);
                post.posted_at_raw = m
                    .fields
                    .date
                    .clone()
                    .filter(|d| looks_like_date(d, lexicon));
            }
            thread.chrome.push(ChromeLine {
                role: ChromeRole::PostHeader,
                text: lines[h].text.clone(),
                post: Some(k),
            });
            // The subject line stands just before the header.
            let from = spans.get(k.wrapping_sub(1)).map_or(0, |s| s.2);
            for i in (from..h).rev() {
                if taken[i] || lines[i].text.is_empty() {
                    continue;
                }
                let is_subject = is_label(matches[i].as_ref(), Label::Subject)
                    || thread.title.as_deref() == Some(lines[i].text.as_str());
                if is_subject {
                    post.subject = Some(lines[i].text.clone());
                    thread.chrome.push(ChromeLine {
                        role: ChromeRole::Subject,
                        text: lines[i].text.clone(),
                        post: Some(k),
                    });
                    taken[i] = true;
                }
                break;
            }
        }
        if let Some(panel) = panel {
            read_panel(
                lines,
                matches,
                panel,
                &mut post,
                &mut thread.chrome,
                taken,
                k,
            );
        }
        read_body(lines, matches, start, end, &mut post, thread, taken, k);
        thread.posts.push(post);
    }
}

/// Groups author statistics ("Posts:", "Joined:", "Location:") with the name and rank
/// lines above them.
pub(super) fn find_panels(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    taken: &[bool],
    headers: &[usize],
) -> Vec<Panel> {
    let is_stat = |i: usize| {
        matches[i]
            .as_ref()
            .is_some_and(|m| matches!(m.label, Label::Posts | Label::Joined | Label::AuthorInfo))
    };
    let mut panels: Vec<Panel> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !is_stat(i) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        let mut j = end;
        while j < lines.len() && j <= end + 2 {
            if is_stat(j) {
                end = j + 1;
            } else if !lines[j].text.is_empty() {
                break;
            }
            j += 1;
        }
        let mut start = i;
        let mut names = 0;
        let mut k = i;
        while k > 0 && names < PANEL_NAME_LINES {
            k -= 1;
            let line = &lines[k];
            // A panel is one block: a blank line above its name ends it, so the short
            // last line of the post before ("Gruß Hans") is not taken for a name.
            if line.text.is_empty() {
                if names > 0 {
                    break;
                }
                continue;
            }
            if taken[k] || headers.contains(&k) || !is_name_like(line, matches[k].as_ref()) {
                break;
            }
            names += 1;
            start = k;
        }
        panels.push(Panel { start, end });
        i = end;
    }
    panels
}

pub(super) fn is_name_like(line: &Line, m: Option<&LineMatch<'_>>) -> bool {
    if m.is_some_and(|m| m.label != Label::AuthorLine)
        || line.chrome.is_some_and(|c| c != ChromeRole::AuthorName)
    {
        return false;
    }
    let text = line.text.as_str();
    text.chars().count() <= PANEL_LINE_MAX
        && !text.ends_with(['.', '!', '?', ',', ':', ';'])
        && text.split_whitespace().count() <= 5
}

/// Where the chrome before the next post (its subject line) starts, if inside the range.
pub(super) fn prelude_start(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    title: Option<&str>,
    from: usize,
    to: usize,
) -> usize {
    let mut start = to;
    for i in (from..to).rev() {
        if lines[i].text.is_empty() {
            continue;
        }
        if is_label(matches[i].as_ref(), Label::Subject) || title == Some(lines[i].text.as_str()) {
            start = i;
        }
        break;
    }
    start
}
