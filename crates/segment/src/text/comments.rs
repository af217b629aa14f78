//! Comments under a post, as question-and-answer engines print them, set apart as chrome.
//!
//! Stack Exchange and its kind list short comments under a question or an answer, each one
//! a list item that closes with its own date ("Commented Mar 26, 2019 at 16:40", the
//! lexicon's `comment_date`). Those dates must not cut the page into posts, and a comment is
//! not the text of the post it answers: every comment, from the list item it opens to its
//! date, is kept as page chrome before any strategy reads the posts.

use threadmill_lexicon::Label;
use threadmill_model::{ChromeLine, ChromeRole, Line, Thread};

use super::{TextPage, is_label};

/// How far above its date a comment may begin: comments are short.
const COMMENT_LINES_MAX: usize = 40;

/// Takes every comment the lexicon's comment dates close, as chrome lines.
pub(super) fn set_comments_apart(page: &TextPage<'_>, thread: &mut Thread, taken: &mut [bool]) {
    let TextPage { lines, matches, .. } = *page;
    // Lines above this one belong to an earlier comment already.
    let mut floor = 0;
    for close in 0..lines.len() {
        if taken[close] || !is_label(matches[close].as_ref(), Label::CommentDate) {
            continue;
        }
        let start = comment_start(page, close, floor);
        floor = close + 1;
        for i in start..=close {
            if taken[i] || lines[i].text.is_empty() {
                continue;
            }
            taken[i] = true;
            thread.chrome.push(ChromeLine {
                role: ChromeRole::Other,
                text: lines[i].text.clone(),
                post: None,
            });
        }
    }
}

/// Where the comment closed at `close` begins: the list item above it, whose text and
/// signature stand indented under its marker. Without such an item in reach (a copy that
/// kept no indents), only the date line itself is known to be the comment's.
fn comment_start(page: &TextPage<'_>, close: usize, floor: usize) -> usize {
    let TextPage { lines, matches, .. } = *page;
    let indent = lines[close].indent;
    let lowest = close.saturating_sub(COMMENT_LINES_MAX).max(floor);
    for i in (lowest..close).rev() {
        let line = &lines[i];
        if line.text.is_empty() {
            continue;
        }
        if is_label(matches[i].as_ref(), Label::CommentDate) {
            break;
        }
        if line.indent >= indent && indent > 0 {
            continue;
        }
        return if is_list_item(line) { i } else { close };
    }
    close
}

/// A list item's first line: a bullet printed before its text or alone.
fn is_list_item(line: &Line) -> bool {
    line.text
        .trim_start()
        .starts_with(['•', '*', '◦', '▪', '-'])
}

#[cfg(test)]
mod tests {
    use threadmill_lexicon::Lexicon;
    use threadmill_model::{Format, Source};

    use super::*;

    fn line(indent: u16, text: &str) -> Line {
        let mut l = Line::body(text);
        l.indent = indent;
        l
    }

    /// The comments `set_comments_apart` finds in `lines`: the chrome and the lines taken.
    fn set_apart(lines: &[Line], lexicon: &Lexicon) -> (Thread, Vec<bool>) {
        let matches: Vec<_> = lines.iter().map(|l| lexicon.match_line(&l.text)).collect();
        let hrefs = vec![None; lines.len()];
        let page = TextPage {
            lines,
            hrefs: &hrefs,
            matches: &matches,
            lexicon,
            dates: lexicon.date_words(),
        };
        let mut thread = Thread::new(Source::unnamed(Format::Text));
        let mut taken = vec![false; lines.len()];
        set_comments_apart(&page, &mut thread, &mut taken);
        (thread, taken)
    }

    #[test]
    fn each_comment_from_its_item_to_its_date_is_chrome() {
        let lexicon = Lexicon::builtin().expect("lexicon");
        let lines = vec![
            line(0, "Use a stop block and clamp it."),
            line(0, "answered May 2, 2009 at 0:09"),
            line(2, "• 3"),
            line(4, "Will a stop block slip on oak?"),
            line(4, "ann"),
            line(4, "Commented May 2, 2009 at 0:53"),
            line(2, "• 1"),
            line(4, "Not when it is clamped twice."),
            line(4, "bob"),
            line(4, "Commented May 3, 2009 at 3:22"),
            line(0, "Glue the block on instead."),
        ];
        let (thread, taken) = set_apart(&lines, &lexicon);
        let taken_at: Vec<usize> = (0..lines.len()).filter(|&i| taken[i]).collect();
        assert_eq!(taken_at, (2..=9).collect::<Vec<_>>());
        assert_eq!(thread.chrome.len(), 8);
    }

    #[test]
    fn without_an_item_above_only_the_date_is_set_apart() {
        let lexicon = Lexicon::builtin().expect("lexicon");
        let lines = vec![
            line(0, "Use a stop block and clamp it."),
            line(0, "Commented May 2, 2009 at 0:53"),
        ];
        let (_, taken) = set_apart(&lines, &lexicon);
        assert_eq!(taken, [false, true]);
    }
}
