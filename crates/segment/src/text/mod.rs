//! The text path's director: a text scrape segmented from its chrome.
//!
//! The lexicon has already told chrome from content line by line. A flattened copy is cut
//! into pseudo-lines first (`flat`); a table a text browser printed side by side is read
//! cell by cell (`columns`). Comments under a post (`comments`) are set apart, and then one
//! strategy finds the posts: the post headers and author panels the lexicon knows
//! (`by_chrome`), else the posts' own dates (`by_dates`), else a line every post repeats
//! (`by_repeats`); with none of them the whole page is one post. Each strategy reads a post's lines with `body` and its author with
//! `authors`. After it, whole-thread passes settle the authors (`author_passes`), the title
//! is chosen (`title`), the signature-less tail is trimmed (`boilerplate`), the thread's own
//! head read as a post before the first is dropped (`head`), the signatures
//! a style alone set apart are found by their repeats (`signatures`), and every line
//! left over is kept as page chrome.

use threadmill_lexicon::{DateWords, Label, Lexicon, LineMatch};
use threadmill_model::{ChromeLine, ChromeRole, Line, Thread};

mod author_passes;
mod authors;
mod body;
mod boilerplate;
mod by_chrome;
mod by_dates;
mod by_repeats;
mod columns;
mod comments;
mod flat;
mod head;
mod name_cues;
mod shapes;
mod signatures;
#[cfg(test)]
mod tests;
mod title;

/// One page of text as the strategies read it: its lines, each line's link target (a
/// flattened copy keeps its links beside the text), the lexicon's match for each line, and
/// the lexicon with its date words.
#[derive(Clone, Copy)]
pub(super) struct TextPage<'a> {
    pub lines: &'a [Line],
    pub hrefs: &'a [Option<String>],
    pub matches: &'a [Option<LineMatch<'a>>],
    pub lexicon: &'a Lexicon,
    pub dates: &'a DateWords,
}

pub(crate) fn segment_text(lines: &[Line], lexicon: &Lexicon, thread: &mut Thread) {
    // A flattened page is cut into pseudo-lines first; links keep their targets beside.
    let flattened = flat::is_flat(lines);
    let (owned, hrefs, matches): (Vec<Line>, Vec<Option<String>>, Vec<Option<LineMatch<'_>>>) =
        if flattened {
            let dw = lexicon.date_words();
            let mut owned = Vec::new();
            let mut hrefs = Vec::new();
            let mut matches = Vec::new();
            for (piece, matched) in flat::split(lines, lexicon, dw) {
                owned.push(piece.line);
                hrefs.push(piece.href);
                matches.push(matched);
            }
            (owned, hrefs, matches)
        } else {
            // A table printed side by side is read cell by cell first.
            let owned = columns::unzip(lines, lexicon).unwrap_or_else(|| lines.to_vec());
            let matches = owned.iter().map(|l| lexicon.match_line(&l.text)).collect();
            let hrefs = vec![None; owned.len()];
            (owned, hrefs, matches)
        };
    // What the page prints after the thread (related topics, similar threads, then its
    // footer) is no post's: the strategies read the lines above that heading.
    let end = thread_end(&owned, &hrefs, lexicon);
    let (lines, after_thread) = owned.split_at(end);
    let (hrefs, matches) = (&hrefs[..end], &matches[..end]);
    // The engine shows in the whole page's chrome, the footer after the thread included.
    let detection = lexicon.detect(
        "",
        owned
            .iter()
            .filter(|l| l.chrome.is_some())
            .map(|l| l.text.as_str()),
    );
    thread.engine = detection.engine.unwrap_or_else(|| "unknown".to_owned());
    thread.engine_confidence = detection.engine_confidence;
    thread.ui_lang = detection.ui_lang;
    thread.extractor = format!("text:{}", thread.engine);

    let mut taken = vec![false; lines.len()];
    let title_at = title::find_title(lines, matches);
    if let Some(at) = title_at {
        thread.title = Some(lines[at].text.clone());
        thread.chrome.push(ChromeLine {
            role: ChromeRole::Title,
            text: lines[at].text.clone(),
            post: None,
        });
        taken[at] = true;
    }

    let page = TextPage {
        lines,
        hrefs,
        matches,
        lexicon,
        dates: lexicon.date_words(),
    };
    comments::set_comments_apart(&page, thread, &mut taken);
    let headers: Vec<usize> = (0..lines.len())
        .filter(|&i| !taken[i] && is_label(matches[i].as_ref(), Label::PostHeader))
        .collect();
    // Post headers the lexicon knows delimit posts best; without them, the posts' dates do.
    // Without either, author panels the lexicon knows, and last a line every post repeats.
    let by_dates = headers.len() < 2 && by_dates::segment_by_dates(&page, thread, &mut taken);
    let by_repeats = !by_dates
        && headers.is_empty()
        && by_chrome::find_panels(lines, matches, &taken, &headers).len() < 2
        && by_repeats::segment_by_repeats(&page, thread, &mut taken);
    if !by_dates && !by_repeats {
        by_chrome::segment_by_chrome(&page, &headers, thread, &mut taken);
    }
    author_passes::names_said_twice(thread, lexicon);
    author_passes::names_before_ranks(thread, lexicon);
    let first_line = title_at;
    let title_at =
        title::heading_over_first_post(lines, matches, &mut taken, title_at, lexicon, thread);
    title::title_from_subjects(thread, lexicon);
    boilerplate::drop_unsigned_tail(thread);
    // Only flattening runs a panel onto the text before it; a line layout keeps it apart.
    if flattened {
        author_passes::names_before_next_post(thread, lexicon);
    }
    author_passes::drop_names_that_name_no_one(thread, lexicon);
    author_passes::ranks_after_names(thread, lexicon);
    head::drop_thread_head(thread);
    // Only flattening runs a signature onto the last paragraph; a line layout keeps it apart.
    if flattened {
        signatures::split_run_on_signatures(thread, lexicon);
    }
    signatures::mark_repeated_signatures(thread);
    // The page's header: what comes before the first post, less its first line (a title
    // the footer does not repeat, or chrome it repeats alone).
    let first_post_line = (0..lines.len()).find(|&i| taken[i] && Some(i) != title_at);
    let head: Vec<&str> = lines[..first_post_line.unwrap_or(0)]
        .iter()
        .enumerate()
        .filter(|&(i, l)| Some(i) != first_line && !l.text.is_empty())
        .map(|(_, l)| l.text.as_str())
        .collect();
    boilerplate::trim_last_post(thread, &head);
    boilerplate::drop_footer_links(thread, lexicon);

    keep_leftovers(thread, &page, &taken, after_thread);
}

/// Whatever no post took is page chrome: the thread's leftover lines, then the lists and
/// footer printed after the thread.
fn keep_leftovers(thread: &mut Thread, page: &TextPage<'_>, taken: &[bool], after: &[Line]) {
    for (i, line) in page.lines.iter().enumerate() {
        if taken[i] || line.text.is_empty() {
            continue;
        }
        let role = line.chrome.unwrap_or(ChromeRole::Other);
        body::note_board(thread, page.matches[i].as_ref());
        thread.chrome.push(ChromeLine {
            role,
            text: line.text.clone(),
            post: None,
        });
    }
    for line in after.iter().filter(|l| !l.text.is_empty()) {
        thread.chrome.push(ChromeLine {
            role: line.chrome.unwrap_or(ChromeRole::Navigation),
            text: line.text.clone(),
            post: None,
        });
    }
}

/// Where the page's lists after the thread begin: the first line, in the page's later two
/// thirds, that is a heading of the lexicon's `thread_end` words ("Related topics",
/// "Similar threads:"); the page's end without one.
fn thread_end(lines: &[Line], hrefs: &[Option<String>], lexicon: &Lexicon) -> usize {
    let headings = &lexicon.chrome_words().thread_end;
    (lines.len() / 3..lines.len())
        .find(|&i| {
            // A link of the site's menu ("Latest Posts") is no heading.
            if hrefs.get(i).is_some_and(Option::is_some) {
                return false;
            }
            let text = lines[i].text.trim().trim_end_matches(':').trim_end();
            text.chars().count() <= headings.longest_chars()
                && headings.contains(&text.to_lowercase())
        })
        .unwrap_or(lines.len())
}

pub(super) fn is_label(m: Option<&LineMatch<'_>>, label: Label) -> bool {
    m.is_some_and(|m| m.label == label)
}
