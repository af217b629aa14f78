//! Segmenting a text scrape from its chrome.
//!
//! The lexicon has already told chrome from content line by line. Post headers ("Post by X
//! » date") anchor posts; author panels (a name or rank line or two, then "Posts: N",
//! "Joined: …") attach to the post they stand before or after, whichever the page's layout
//! is; a subject line ("Re: …") before a header belongs to that post. With no headers the
//! panels anchor the posts, and with neither the whole page is one post.

use threadmill_lexicon::{Label, Lexicon, LineMatch};
use threadmill_model::{Block, BlockKind, ChromeLine, ChromeRole, Line, Post, Thread};

use crate::dates::looks_like_date;

mod boilerplate;
mod flat;
mod generic;
mod name_cues;
mod title;

/// An author-panel line is short: names and ranks, not sentences.
const PANEL_LINE_MAX: usize = 48;
/// How many name or rank lines may stand before a panel's first statistic.
const PANEL_NAME_LINES: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Panel {
    start: usize,
    end: usize,
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
            let matches = lines.iter().map(|l| lexicon.match_line(&l.text)).collect();
            (lines.to_vec(), vec![None; lines.len()], matches)
        };
    let lines = owned.as_slice();
    let detection = lexicon.detect(
        "",
        lines
            .iter()
            .filter(|l| l.chrome.is_some())
            .map(|l| l.text.as_str()),
    );
    thread.engine = detection.engine.unwrap_or_else(|| "unknown".to_owned());
    thread.engine_confidence = detection.engine_confidence;
    thread.ui_lang = detection.ui_lang;
    thread.extractor = format!("text:{}", thread.engine);

    let mut taken = vec![false; lines.len()];
    let title_at = find_title(lines, &matches);
    if let Some(at) = title_at {
        thread.title = Some(lines[at].text.clone());
        thread.chrome.push(ChromeLine {
            role: ChromeRole::Title,
            text: lines[at].text.clone(),
            post: None,
        });
        taken[at] = true;
    }

    let headers: Vec<usize> = (0..lines.len())
        .filter(|&i| is_label(matches[i].as_ref(), Label::PostHeader))
        .collect();
    // Post headers the lexicon knows delimit posts best; without them, the posts' dates do.
    // Without either, author panels the lexicon knows, and last a line every post repeats.
    let by_dates = headers.len() < 2
        && generic::segment_by_dates(lines, &hrefs, &matches, lexicon, thread, &mut taken);
    let by_repeats = !by_dates
        && headers.is_empty()
        && find_panels(lines, &matches, &taken, &headers).len() < 2
        && generic::segment_by_repeats(lines, &hrefs, &matches, lexicon, thread, &mut taken);
    if !by_dates && !by_repeats {
        segment_by_chrome(lines, &matches, &headers, lexicon, thread, &mut taken);
    }
    generic::names_said_twice(thread, lexicon);
    generic::names_before_ranks(thread, lexicon);
    let first_line = title_at;
    let title_at = heading_over_first_post(lines, &matches, &mut taken, title_at, lexicon, thread);
    title_from_subjects(thread, lexicon);
    boilerplate::drop_unsigned_tail(thread);
    // Only flattening runs a panel onto the text before it; a line layout keeps it apart.
    if flattened {
        generic::names_before_next_post(thread, lexicon);
    }
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

    // Whatever is left over is page chrome.
    for (i, line) in lines.iter().enumerate() {
        if taken[i] || line.text.is_empty() {
            continue;
        }
        let role = line.chrome.unwrap_or(ChromeRole::Other);
        note_board(thread, matches[i].as_ref());
        thread.chrome.push(ChromeLine {
            role,
            text: line.text.clone(),
            post: None,
        });
    }
}

/// Posts delimited by the lexicon's post headers and author panels.
fn segment_by_chrome(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    headers: &[usize],
    lexicon: &Lexicon,
    thread: &mut Thread,
    taken: &mut [bool],
) {
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

/// The heading between the page's chrome and the first post, in place of a first line that
/// is chrome (a skip link, a cookie banner, a menu): the old first line goes back to the
/// page's chrome. Returns the title's line.
fn heading_over_first_post(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    taken: &mut [bool],
    title_at: Option<usize>,
    lexicon: &Lexicon,
    thread: &mut Thread,
) -> Option<usize> {
    let first_post = (0..lines.len()).find(|&i| taken[i] && Some(i) != title_at)?;
    let dw = lexicon.date_words();
    if title_at.is_some_and(|at| title::first_line_confirmed(lines, at, dw)) {
        return title_at;
    }
    let Some(at) = title::heading_line(lines, matches, taken, first_post, dw) else {
        return title_at;
    };
    if let Some(old) = title_at {
        taken[old] = false;
        thread.chrome.retain(|c| c.role != ChromeRole::Title);
    }
    taken[at] = true;
    thread.title = Some(lines[at].text.trim().to_owned());
    thread.chrome.push(ChromeLine {
        role: ChromeRole::Title,
        text: lines[at].text.clone(),
        post: None,
    });
    Some(at)
}

pub(super) fn is_label(m: Option<&LineMatch<'_>>, label: Label) -> bool {
    m.is_some_and(|m| m.label == label)
}

/// The thread's title as its replies' subject lines repeat it ("Re: Save The Kingdom of
/// Hawaii"): when two replies or more name the same title and the first line has not one
/// word of it (a copy may start with "Skip to content" or a logo), the subjects are right.
/// The first line stays in the chrome.
fn title_from_subjects(thread: &mut Thread, lexicon: &Lexicon) {
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

/// The first non-blank line is the title when it is not chrome itself.
fn find_title(lines: &[Line], matches: &[Option<LineMatch<'_>>]) -> Option<usize> {
    let mut at = lines.iter().position(|l| !l.text.is_empty())?;
    // A breadcrumb first ("Forum Index -> Planted tanks"): the title is the line under it.
    if lines[at].chrome == Some(ChromeRole::Board) {
        at = (at + 1..lines.len()).find(|&i| !lines[i].text.is_empty())?;
    }
    (lines[at].chrome.is_none() && matches[at].is_none() && lines[at].text.chars().count() <= 200)
        .then_some(at)
}

/// Groups author statistics ("Posts:", "Joined:", "Location:") with the name and rank
/// lines above them.
fn find_panels(
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

fn is_name_like(line: &Line, m: Option<&LineMatch<'_>>) -> bool {
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
fn prelude_start(
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

/// The first line after `from` of page-level chrome that ends the last post.
fn footer_start(lines: &[Line], matches: &[Option<LineMatch<'_>>], from: usize) -> usize {
    (from..lines.len())
        .find(|&i| {
            matches[i]
                .as_ref()
                .is_some_and(|m| matches!(m.label, Label::Board | Label::Footer | Label::Login))
        })
        .map_or(lines.len(), |i| {
            // Buttons just above the footer ("Post Reply") are page chrome too.
            let mut at = i;
            while at > from
                && (lines[at - 1].text.is_empty()
                    || lines[at - 1].chrome == Some(ChromeRole::Action))
            {
                at -= 1;
            }
            at
        })
}

fn read_panel(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    panel: Panel,
    post: &mut Post,
    chrome: &mut Vec<ChromeLine>,
    taken: &mut [bool],
    k: usize,
) {
    for i in panel.start..panel.end {
        let line = &lines[i];
        if line.text.is_empty() || taken[i] {
            continue;
        }
        taken[i] = true;
        let stat = matches[i].as_ref().and_then(|m| read_stat(m, post));
        let role = match (&matches[i], stat) {
            (_, Some(role)) => role,
            (Some(m), None) if m.label == Label::AuthorInfo => ChromeRole::AuthorInfo,
            _ => {
                if post.author_name.as_deref() == Some(line.text.as_str()) {
                    ChromeRole::AuthorName
                } else if post.author_name.is_none() {
                    post.author_name = Some(line.text.clone());
                    ChromeRole::AuthorName
                } else {
                    if post.author_rank.is_none() {
                        post.author_rank = Some(line.text.clone());
                    }
                    ChromeRole::AuthorRank
                }
            }
        };
        chrome.push(ChromeLine {
            role,
            text: line.text.clone(),
            post: Some(k),
        });
    }
}

/// "5.989", "5,989", "5 989" and "5989" are all 5989.
fn parse_count(raw: &str) -> Option<u64> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[allow(clippy::too_many_arguments)]
fn read_body(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    start: usize,
    end: usize,
    post: &mut Post,
    thread: &mut Thread,
    taken: &mut [bool],
    k: usize,
) {
    let base_indent = (start..end)
        .filter(|&i| !lines[i].text.is_empty() && lines[i].chrome.is_none())
        .map(|i| lines[i].indent)
        .min()
        .unwrap_or(0);
    let mut quote: Option<Block> = None;
    let mut in_signature = false;
    for i in start..end {
        if taken[i] {
            continue;
        }
        let line = &lines[i];
        if line.text.is_empty() {
            if let Some(q) = quote.take() {
                post.blocks.push(q);
            }
            continue;
        }
        taken[i] = true;
        if let Some(role) = line.chrome {
            match role {
                ChromeRole::EditNote => post.edited = Some(line.text.clone()),
                ChromeRole::Board => note_board(thread, matches[i].as_ref()),
                _ => {}
            }
            let post_ref = (!matches!(
                role,
                ChromeRole::Board | ChromeRole::Footer | ChromeRole::Navigation | ChromeRole::Login
            ))
            .then_some(k);
            thread.chrome.push(ChromeLine {
                role,
                text: line.text.clone(),
                post: post_ref,
            });
            continue;
        }
        if let Some(m) = matches[i]
            .as_ref()
            .filter(|m| m.label == Label::QuoteHeader)
        {
            if let Some(q) = quote.take() {
                post.blocks.push(q);
            }
            let mut block =
                Block::new(BlockKind::Quote, m.fields.value.clone().unwrap_or_default());
            block.author.clone_from(&m.fields.author);
            quote = Some(block);
            continue;
        }
        // "ann:" alone on a line, ann having posted above: the attribution of a quote in
        // engines that print the name and a colon over it (Discourse).
        if let Some(name) = line
            .text
            .strip_suffix(':')
            .map(str::trim)
            .filter(|name| !name.is_empty() && matches[i].is_none())
            .filter(|name| {
                thread
                    .posts
                    .iter()
                    .any(|p| p.author_name.as_deref() == Some(*name))
            })
        {
            if let Some(q) = quote.take() {
                post.blocks.push(q);
            }
            let mut block = Block::new(BlockKind::Quote, "");
            block.author = Some(name.to_owned());
            quote = Some(block);
            continue;
        }
        if is_signature_rule(&line.text) {
            in_signature = true;
            continue;
        }
        if let Some(q) = quote.as_mut() {
            if line.indent > base_indent || q.text.is_empty() {
                if !q.text.is_empty() {
                    q.text.push('\n');
                }
                q.text.push_str(&line.text);
                continue;
            }
            if let Some(q) = quote.take() {
                post.blocks.push(q);
            }
        }
        let kind = if in_signature {
            BlockKind::Signature
        } else {
            BlockKind::Paragraph
        };
        // A signature rule joined onto the last line of the text by unwrapping still
        // starts the signature: "… a whole night. _____ Life is the workshop."
        if let Some((text, signature)) = flat::split_at_rule(&line.text) {
            post.blocks.push(Block::new(kind, text));
            post.blocks
                .push(Block::new(BlockKind::Signature, signature));
            in_signature = true;
            continue;
        }
        post.blocks.push(Block::new(kind, line.text.clone()));
    }
    if let Some(q) = quote {
        post.blocks.push(q);
    }
    post.blocks.retain(|b| !b.text.trim().is_empty());
}

/// An author statistic the lexicon recognised ("Posts: 12", "Joined: …") read into the
/// post; the role of its line, `None` for any other line.
pub(super) fn read_stat(m: &LineMatch<'_>, post: &mut Post) -> Option<ChromeRole> {
    match m.label {
        Label::Posts => {
            post.author_posts = m.fields.n.as_deref().and_then(parse_count);
            Some(ChromeRole::AuthorPosts)
        }
        Label::Joined => {
            post.author_joined_raw.clone_from(&m.fields.date);
            Some(ChromeRole::AuthorJoined)
        }
        _ => None,
    }
}

fn note_board(thread: &mut Thread, m: Option<&LineMatch<'_>>) {
    if let Some(board) = m
        .filter(|m| m.label == Label::Board)
        .and_then(|m| m.fields.board.clone())
    {
        thread.board.get_or_insert(board);
    }
}

/// vBulletin and many others put a rule of underscores or dashes above the signature.
fn is_signature_rule(text: &str) -> bool {
    let t = text.trim();
    t == "--" || (t.chars().count() >= 5 && t.chars().all(|c| matches!(c, '_' | '-' | '=' | '~')))
}

#[cfg(test)]
mod tests {
    /// A text thread whose posts hold these paragraphs.
    pub(super) fn thread_of_blocks(posts: &[&[&str]]) -> threadmill_model::Thread {
        use threadmill_model::{Format, Post, Source, Thread};
        let mut thread = Thread::new(Source::unnamed(Format::Text));
        for (i, blocks) in posts.iter().enumerate() {
            thread
                .posts
                .push(Post::of_paragraphs(i, blocks.iter().copied()));
        }
        thread
    }

    use threadmill_clean::{CleanConfig, clean_lines};
    use threadmill_model::{BlockKind, Format, Repairs, Source};

    use super::*;

    /// Cleans and segments a text scrape the way the pipeline does.
    fn run(text: &str) -> Thread {
        let lexicon = Lexicon::builtin().expect("lexicon");
        let mut repairs = Repairs::default();
        let lines = clean_lines(text, &lexicon, &CleanConfig::default(), &mut repairs);
        let source = Source::unnamed(Format::Text);
        let mut thread = Thread::new(source);
        segment_text(&lines, &lexicon, &mut thread);
        thread
    }

    #[test]
    fn replies_name_the_title_a_logo_line_does_not() {
        let text = "[logo_forum_en]\n\
            \n\
            Which glue for oak?\n\
            Post by ann » Mon Mar 01, 2021 10:00 am\n\
            Any glue works on oak if you clamp it well and wait a day before you load it.\n\
            \n\
            Re: Which glue for oak?\n\
            Post by bob » Mon Mar 01, 2021 11:00 am\n\
            PVA glue is what most people use for indoor furniture and it is easy to clean.\n\
            \n\
            Re: Which glue for oak?\n\
            Post by ann » Mon Mar 01, 2021 12:00 pm\n\
            Thanks, PVA it is then, I will clamp it overnight and report back tomorrow.\n";
        let thread = run(text);
        assert_eq!(thread.posts.len(), 3);
        assert_eq!(thread.title.as_deref(), Some("Which glue for oak?"));
        // The logo line stays in the chrome, and is not the title there.
        assert!(
            thread
                .chrome
                .iter()
                .any(|c| c.text == "[logo_forum_en]" && c.role != ChromeRole::Title)
        );
        assert!(
            thread
                .chrome
                .iter()
                .filter(|c| c.role == ChromeRole::Title)
                .all(|c| c.text == "Which glue for oak?")
        );
        // Replies that shorten the title ("Re: glue") leave the page's own.
        let thread = run(&text
            .replace("[logo_forum_en]", "Which glue for oak?")
            .replace("Re: Which glue for oak?", "Re: glue"));
        assert_eq!(thread.title.as_deref(), Some("Which glue for oak?"));
    }

    fn authors(thread: &Thread) -> Vec<Option<&str>> {
        thread
            .posts
            .iter()
            .map(|p| p.author_name.as_deref())
            .collect()
    }

    fn kinds(post: &Post) -> Vec<BlockKind> {
        post.blocks.iter().map(|b| b.kind).collect()
    }

    #[test]
    fn xenforo_names_above_their_dates_and_ranks() {
        let thread = run(include_str!(
            "../../../../tests/fixtures/text/xenforo-en.txt"
        ));
        assert_eq!(
            authors(&thread),
            [Some("breadhead"), Some("crumbqueen"), Some("breadhead")]
        );
        assert_eq!(
            thread.posts[2].posted_at_raw.as_deref(),
            Some("Mar 3, 2021")
        );
        let quote = &thread.posts[1].blocks[0];
        assert_eq!(
            (quote.kind, quote.author.as_deref()),
            (BlockKind::Quote, Some("breadhead"))
        );
        // The signature is kept apart, and the buttons after the last post are not content.
        assert_eq!(
            kinds(&thread.posts[2]),
            [BlockKind::Paragraph, BlockKind::Signature]
        );
    }

    #[test]
    fn fluxbb_panel_under_the_date() {
        let thread = run(include_str!(
            "../../../../tests/fixtures/text/fluxbb-en.txt"
        ));
        assert_eq!(
            authors(&thread),
            [Some("quietpc"), Some("tinkerer"), Some("quietpc")]
        );
        // The rank under the name is header, not the post's first paragraph.
        assert!(thread.posts[1].blocks[0].kind == BlockKind::Quote);
        assert_eq!(kinds(&thread.posts[0]).last(), Some(&BlockKind::Signature));
    }

    #[test]
    fn mybb_polish_panels_and_dashdash_signatures() {
        let thread = run(include_str!("../../../../tests/fixtures/text/mybb-pl.txt"));
        assert_eq!(
            authors(&thread),
            [Some("Kasia_W"), Some("marek77"), Some("Kasia_W")]
        );
        assert_eq!(thread.ui_lang.as_deref(), Some("pl"));
        let quote = &thread.posts[1].blocks[0];
        assert_eq!(
            (quote.kind, quote.author.as_deref()),
            (BlockKind::Quote, Some("Kasia_W"))
        );
        assert_eq!(
            kinds(&thread.posts[2]),
            [BlockKind::Paragraph, BlockKind::Signature]
        );
    }

    #[test]
    fn flattened_phpbb_page_in_swedish() {
        let thread = run(include_str!(
            "../../../../tests/fixtures/text/phpbb-sv-flat.txt"
        ));
        assert_eq!(
            authors(&thread),
            [Some("Lina"), Some("Pelle_B"), Some("Lina")]
        );
        assert_eq!(
            thread.posts[1].author_url.as_deref(),
            Some("./memberlist.php?mode=viewprofile&u=402")
        );
        assert_eq!(
            thread.posts[0].posted_at_raw.as_deref(),
            Some("ons 3 mar 2021 19:05")
        );
        assert_eq!(thread.posts[1].blocks[0].author.as_deref(), Some("Lina"));
        // The page's tail ("Upp", "Återgå till …") is not the last post's signature.
        assert_eq!(
            kinds(&thread.posts[2]),
            [BlockKind::Paragraph, BlockKind::Signature]
        );
    }

    /// Invision prints "Posted {date}" under the name and post count; Discourse's crawler
    /// view quotes under "name:"; phpBB 2 (subSilver) heads the page with a "->"
    /// breadcrumb. Three posts, the second quoting the first.
    #[test]
    fn invision_discourse_and_phpbb2_copies() {
        for (text, first, second) in [
            (
                include_str!("../../../../tests/fixtures/text/phpbb2-en-subsilver.txt"),
                "reefwalker",
                "fernfan",
            ),
            (
                include_str!("../../../../tests/fixtures/text/invision-en.txt"),
                "marsh_light",
                "optician_ted",
            ),
            (
                include_str!("../../../../tests/fixtures/text/discourse-en.txt"),
                "pip_bakes",
                "mill_and_oven",
            ),
        ] {
            let thread = run(text);
            assert_eq!(authors(&thread), [Some(first), Some(second), Some(first)]);
            assert!(
                thread.posts.iter().all(|p| p
                    .posted_at_raw
                    .as_deref()
                    .is_some_and(|d| !d.contains("Posted"))),
                "{first}"
            );
            let quote = &thread.posts[1].blocks[0];
            assert_eq!(
                (quote.kind, quote.author.as_deref()),
                (BlockKind::Quote, Some(first))
            );
        }
        let phpbb2 = run(include_str!(
            "../../../../tests/fixtures/text/phpbb2-en-subsilver.txt"
        ));
        assert_eq!(
            phpbb2.title.as_deref(),
            Some("Yellow edges on java fern leaves")
        );
        assert_eq!(phpbb2.board.as_deref(), Some("Planted tanks"));
        assert_eq!(
            kinds(&phpbb2.posts[0]),
            [BlockKind::Paragraph, BlockKind::Signature]
        );
        let invision = run(include_str!(
            "../../../../tests/fixtures/text/invision-en.txt"
        ));
        assert_eq!(invision.engine, "invision");
        assert_eq!(invision.posts[1].author_posts, Some(412));
    }

    /// Every language fixture: three posts by two authors, the second quoting the first,
    /// and the first author's posts closed by a signature.
    #[test]
    fn fixtures_in_every_language() {
        let cases = [
            (
                include_str!("../../../../tests/fixtures/text/smf-es.txt"),
                "es",
                "jardinera",
                "Paco_Huerta",
            ),
            (
                include_str!("../../../../tests/fixtures/text/smf-ru.txt"),
                "ru",
                "Сергей_К",
                "Дядя_Миша",
            ),
            (
                include_str!("../../../../tests/fixtures/text/phpbb-it.txt"),
                "it",
                "gianni_b",
                "termotecnico",
            ),
            (
                include_str!("../../../../tests/fixtures/text/mybb-nl.txt"),
                "nl",
                "Klusjesman",
                "loodgieter_jan",
            ),
            (
                include_str!("../../../../tests/fixtures/text/mybb-pt.txt"),
                "pt",
                "Ana_foto",
                "Rui Santos",
            ),
            (
                include_str!("../../../../tests/fixtures/text/mybb-pl.txt"),
                "pl",
                "Kasia_W",
                "marek77",
            ),
        ];
        for (text, lang, first, second) in cases {
            let thread = run(text);
            assert_eq!(thread.ui_lang.as_deref(), Some(lang));
            assert_eq!(
                authors(&thread),
                [Some(first), Some(second), Some(first)],
                "{lang}"
            );
            assert!(
                thread.posts.iter().all(|p| p.posted_at_raw.is_some()),
                "{lang}"
            );
            let quote = &thread.posts[1].blocks[0];
            assert_eq!(
                (quote.kind, quote.author.as_deref()),
                (BlockKind::Quote, Some(first)),
                "{lang}"
            );
            for k in [0, 2] {
                assert_eq!(
                    kinds(&thread.posts[k]).last(),
                    Some(&BlockKind::Signature),
                    "{lang} post {k}"
                );
            }
        }
    }

    #[test]
    fn a_rule_joined_into_the_text_still_starts_the_signature() {
        let thread = run(include_str!("../../../../tests/fixtures/text/phpbb-fr.txt"));
        assert_eq!(thread.ui_lang.as_deref(), Some("fr"));
        let post = &thread.posts[1];
        assert_eq!(post.author_name.as_deref(), Some("Menuisier31"));
        assert_eq!(
            post.blocks.last().map(|b| (b.kind, b.text.as_str())),
            Some((BlockKind::Signature, "L'atelier, c'est la vie."))
        );
    }

    #[test]
    fn panel_name_stops_at_a_blank_line() {
        let thread = run(include_str!(
            "../../../../tests/fixtures/text/vbulletin-de.txt"
        ));
        assert_eq!(authors(&thread), [Some("Hans Meier"), Some("Petra_K")]);
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "",
            "\n\n\n",
            "12 March 2021\n12 March 2021\n",
            "»\n[x](y)\n1.2.3\n",
            &format!("{} 12 Jan 2020 [a](b) 13 Jan 2020", "x ".repeat(1500)),
            "ann\n3 weeks ago\nhi there, long enough text here.\nbob\n2 weeks ago\n",
        ] {
            let _ = run(text);
        }
    }
}
