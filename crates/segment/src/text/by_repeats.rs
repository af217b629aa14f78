//! Strategy: a text scrape cut at a line every post repeats (a button row, a header shape),
//! for pages with neither known chrome nor readable post dates.

use std::collections::HashMap;

use threadmill_model::{ChromeLine, ChromeRole, Post, Thread};

use super::TextPage;
use super::authors::{clean_name, is_profile, link_author, ui_link_texts};
use super::body::{footer_start, read_body};
use super::by_dates::last_post_end;
use super::shapes::{REPEAT_MIN, has_prose, is_short};

/// Segments `lines` at a short line every post starts with ("Avatar universal", a bullet),
/// for pages that print no dates; false when no line repeats so.
pub(super) fn segment_by_repeats(
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
