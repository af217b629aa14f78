//! The text-scrape half of the clean stage: lines repaired, classified, unwrapped, deduplicated.

use threadmill_lexicon::{Label, Lexicon};
use threadmill_model::{ChromeRole, Line, Repairs};

use crate::CleanConfig;
use crate::repair::{repair_text, split_glued_sentences};

/// The chrome role a lexicon label stands for. Quote headers are content structure, not
/// chrome, so they map to `None`.
pub fn chrome_role(label: Label) -> Option<ChromeRole> {
    Some(match label {
        Label::PostHeader | Label::PostDate => ChromeRole::PostHeader,
        Label::AuthorLine => ChromeRole::AuthorName,
        Label::Posts => ChromeRole::AuthorPosts,
        Label::Joined => ChromeRole::AuthorJoined,
        Label::AuthorInfo => ChromeRole::AuthorInfo,
        Label::EditNote => ChromeRole::EditNote,
        Label::Pagination => ChromeRole::Pagination,
        Label::Subject => ChromeRole::Subject,
        Label::Board => ChromeRole::Board,
        Label::Action => ChromeRole::Action,
        Label::Navigation => ChromeRole::Navigation,
        Label::Login => ChromeRole::Login,
        Label::Footer => ChromeRole::Footer,
        Label::CommentDate => ChromeRole::Other,
        Label::QuoteHeader => return None,
    })
}

/// Splits a text scrape into repaired, classified lines.
///
/// Blank lines are kept (they separate paragraphs); a line repeated right after itself is
/// dropped; body lines broken by a hard wrap are joined.
pub fn clean_lines(
    body: &str,
    lexicon: &Lexicon,
    config: &CleanConfig,
    repairs: &mut Repairs,
) -> Vec<Line> {
    let text = repair_text(body, config.mojibake, repairs);
    let mut lines: Vec<Line> = Vec::new();
    for raw in text.lines() {
        let raw = raw.trim_end();
        let trimmed = raw.trim_start();
        let indent = u16::try_from(raw.len() - trimmed.len()).unwrap_or(u16::MAX);
        let chrome = lexicon
            .match_line(trimmed)
            .and_then(|m| chrome_role(m.label));
        let text = if chrome.is_none() && config.split_glued {
            split_glued_sentences(trimmed, repairs)
        } else {
            trimmed.to_owned()
        };
        if config.drop_duplicates && !text.is_empty() && is_repeat(&lines, &text) {
            repairs.duplicate_lines_dropped += 1;
            continue;
        }
        lines.push(Line {
            text,
            chrome,
            indent,
        });
    }
    if config.join_wraps {
        lines = join_hard_wraps(lines, repairs);
    }
    lines
}

/// True when `text` repeats the last non-blank line.
fn is_repeat(lines: &[Line], text: &str) -> bool {
    lines
        .iter()
        .rev()
        .find(|l| !l.text.is_empty())
        .is_some_and(|prev| prev.text == text)
}

/// Joins body lines that a hard wrap split.
///
/// Two signals, either enough: the first line does not end a sentence and the next one
/// starts in lower case; or the copy is wrapped at a fixed width and the next line's first
/// word would not have fitted on the first line (the reason a wrapper breaks a line).
fn join_hard_wraps(lines: Vec<Line>, repairs: &mut Repairs) -> Vec<Line> {
    let width = wrap_width(&lines);
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    // How long the last copied line was: a joined paragraph is longer than any line, and
    // its length says nothing of where the wrapper broke the last one.
    let mut last_len = 0;
    for line in lines {
        let len = line.text.chars().count() + usize::from(line.indent);
        if let Some(prev) = out.last_mut()
            && is_wrapped(prev, last_len, &line, width)
        {
            prev.text.push(' ');
            prev.text.push_str(&line.text);
            repairs.hard_wraps_joined += 1;
            last_len = len;
            continue;
        }
        last_len = len;
        out.push(line);
    }
    out
}

/// Whether `next` continues `prev`, whose last copied line was `prev_len` columns long.
fn is_wrapped(prev: &Line, prev_len: usize, next: &Line, width: Option<usize>) -> bool {
    if prev.chrome.is_some()
        || next.chrome.is_some()
        || prev.text.is_empty()
        || next.text.is_empty()
    {
        return false;
    }
    let Some(first) = next.text.chars().next() else {
        return false;
    };
    if starts_list_item(&next.text) {
        return false;
    }
    let ends_sentence =
        prev.text.chars().next_back().is_some_and(|c| {
            matches!(c, '.' | '!' | '?' | ':' | '"' | '”' | '’' | ')' | '»' | ';')
        });
    // In a copy wrapped at a fixed width, a line far shorter than the width ended where
    // its element ended (a name under an avatar, a date), whatever comes next.
    let short_in_wrapped = width.is_some_and(|w| prev_len * 2 < w);
    if !ends_sentence && first.is_lowercase() && next.indent == prev.indent && !short_in_wrapped {
        return true;
    }
    let Some(width) = width else { return false };
    // A rule ("_____", "-----") opens a signature or a section; a wrapper never breaks a
    // word made of no letter. A table row is as wide as its cells' padding made it
    // ("Compartir experiencias      Mensajes: 16"), not as the wrapper filled it.
    if !next.text.chars().any(char::is_alphanumeric) || prev.text.contains("   ") {
        return false;
    }
    let next_word = next
        .text
        .split_whitespace()
        .next()
        .map_or(0, |w| w.chars().count());
    prev_len * 10 >= width * 7 && prev_len + 1 + next_word > width && next.indent <= prev.indent
}

fn starts_list_item(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some('-' | '*' | '•' | '–' | '>') => chars.next() == Some(' '),
        Some(c) if c.is_ascii_digit() => {
            let rest = text.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with(". ") || rest.starts_with(") ")
        }
        _ => false,
    }
}

/// The column a copy was hard-wrapped at, if it was: the longest body line, provided
/// enough lines end within a few columns of it.
fn wrap_width(lines: &[Line]) -> Option<usize> {
    let lengths: Vec<usize> = lines
        .iter()
        .filter(|l| l.chrome.is_none() && !l.text.is_empty())
        .map(|l| l.text.chars().count() + usize::from(l.indent))
        .collect();
    let max = *lengths.iter().max()?;
    if !(60..=120).contains(&max) {
        return None;
    }
    let near = lengths.iter().filter(|&&n| n + 12 >= max).count();
    (near >= 3 && near * 5 >= lengths.len()).then_some(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<Line>, Repairs) {
        let lexicon = Lexicon::builtin().expect("lexicon");
        let mut repairs = Repairs::default();
        let lines = clean_lines(text, &lexicon, &CleanConfig::default(), &mut repairs);
        (lines, repairs)
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn lower_case_continuations_are_joined() {
        let (lines, r) = run("a great\nevil that claims.\nRussian President, left. Pic: AP\n");
        assert_eq!(
            texts(&lines),
            [
                "a great evil that claims.",
                "Russian President, left. Pic: AP"
            ]
        );
        assert_eq!(r.hard_wraps_joined, 1);
    }

    #[test]
    fn fixed_width_wraps_are_joined() {
        let para = "There is NOT 100% compatibility between the International Standard ODF formats\n\
                    and the many file format versions of the MSOffice. (Never was and never will.)\n\
                    The LibreOffice (relatively to the Apache OpenOffice) has a little bit more\n\
                    Compatibility with the foreign fileformats.\n\nShort line.\nAnother short line.";
        let (lines, _) = run(para);
        assert_eq!(lines.len(), 4, "{:#?}", texts(&lines));
        assert!(
            lines[0]
                .text
                .ends_with("a little bit more Compatibility with the foreign fileformats.")
        );
    }

    #[test]
    fn a_joined_paragraph_does_not_swallow_the_short_lines_after_it() {
        // The width rule reads the last copied line, not the paragraph joined so far: a
        // post's like count and the next post's date and name stay lines of their own.
        let para = "    The first thing I would be asking myself would be, with that level of debt,\n    \
                    will I find another lender willing to lend me money at any rate never mind\n    \
                    at the rate you have now. It might well work out for you but you will have\n    \
                    to be disciplined for the next five years.\n    \
                    0\n    \
                    4 December 2016 at 12:30AM\n    \
                    Zippy Forumite";
        let (lines, _) = run(para);
        assert_eq!(
            texts(&lines)[1..],
            ["0", "4 December 2016 at 12:30AM", "Zippy Forumite"]
        );
    }

    #[test]
    fn a_table_row_is_not_joined_with_the_line_under_it() {
        // A row as wide as its padding, over the post's date: no wrap broke it.
        let para = "Buenas noches Omayra. Mi nombre es María, soy de Toledo y soy madre de un\n\
                    niño de seis años. Se llama Mario y está francamente bien, teniendo en cuenta\n\
                    lo negro que nos lo pusieron al darnos el diagnóstico, y ya empieza a hablar.\n\
                    \n\
                    Re: Compartir experiencias                             Mensajes: 40\n\
                    25-February-2012 23:07";
        let (lines, _) = run(para);
        assert_eq!(texts(&lines).last(), Some(&"25-February-2012 23:07"));
    }

    #[test]
    fn chrome_is_classified_and_not_joined() {
        let (lines, _) = run("Site Admin\nBerichten: 5989\nLid geworden op: 22 nov 2020 15:27");
        let roles: Vec<_> = lines.iter().map(|l| l.chrome).collect();
        assert_eq!(
            roles,
            [
                None,
                Some(ChromeRole::AuthorPosts),
                Some(ChromeRole::AuthorJoined)
            ]
        );
    }

    #[test]
    fn adjacent_repeats_are_dropped() {
        let (lines, r) = run("Site Admin\nSite Admin\n\nSite Admin\nOther");
        assert_eq!(texts(&lines), ["Site Admin", "", "Other"]);
        assert_eq!(r.duplicate_lines_dropped, 2);
    }

    #[test]
    fn list_items_stay_apart() {
        let (lines, _) = run("Steps to follow\n- open the file\n- save it");
        assert_eq!(lines.len(), 3);
    }
}
