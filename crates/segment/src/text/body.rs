//! A post's body and its author panel: the lines between a post's start and the next, read
//! into blocks, statistics and chrome; where the page's footer starts.

use threadmill_lexicon::{Label, LineMatch};
use threadmill_model::{Block, BlockKind, ChromeLine, ChromeRole, Line, Post, Thread};

use super::flat;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Panel {
    pub(super) start: usize,
    pub(super) end: usize,
}

/// The first line after `from` of page-level chrome that ends the last post.
pub(super) fn footer_start(
    lines: &[Line],
    matches: &[Option<LineMatch<'_>>],
    from: usize,
) -> usize {
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

pub(super) fn read_panel(
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
pub(super) fn parse_count(raw: &str) -> Option<u64> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[allow(clippy::too_many_arguments)]
#[allow(
    clippy::too_many_lines,
    reason = "one pass over a post's lines, each line's role decided by the lines before it"
)]
pub(super) fn read_body(
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

pub(super) fn note_board(thread: &mut Thread, m: Option<&LineMatch<'_>>) {
    if let Some(board) = m
        .filter(|m| m.label == Label::Board)
        .and_then(|m| m.fields.board.clone())
    {
        thread.board.get_or_insert(board);
    }
}

/// vBulletin and many others put a rule of underscores or dashes above the signature.
pub(super) fn is_signature_rule(text: &str) -> bool {
    let t = text.trim();
    t == "--" || (t.chars().count() >= 5 && t.chars().all(|c| matches!(c, '_' | '-' | '=' | '~')))
}
