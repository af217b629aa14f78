//! Table rows a text browser printed side by side, read back cell by cell.
//!
//! A text browser lays a forum's table out in columns: the author panel (name, date, rank,
//! post count) in a narrow cell on the left, the post on the right, one row of each on one
//! line (a name beside the subject, the date beside the text's first line, then the rest of
//! the post indented to the right cell). Read line by line, the name runs into the subject
//! and the date into the text. The page's column is the position where most lines start a
//! cell after a run of spaces; each block of such rows is read back as its left cells, then
//! its right cells, the way a page without a table stacks a panel over its post.

use threadmill_clean::chrome_role;
use threadmill_lexicon::Lexicon;
use threadmill_model::Line;

use crate::dates::find_dates;

/// Spaces that part two cells where the page's column is measured: fewer may be a
/// sentence's spacing.
const COLUMN_GAP: usize = 3;

/// Spaces that part two cells at the page's column: a left cell as wide as the column
/// leaves two.
const CELL_GAP: usize = 2;

/// Rows that must start a cell at the same column before it is taken for a table's.
const COLUMN_ROWS: usize = 4;

/// A column this near the margin is an indent, not a cell beside a cell.
const COLUMN_MIN: usize = 8;

/// A column this far right leaves no room for a post beside it.
const COLUMN_MAX: usize = 64;

/// How a line reads against the page's column.
enum Row {
    /// A cell on each side: the left one's text, the right one's.
    Both(String, String),
    /// Text in the right cell only.
    Right,
    /// A blank line.
    Blank,
    /// Text across the column, or left of it alone: no table row.
    Other,
}

/// The lines with every block of table rows read back cell by cell; `None` when the page
/// prints no table side by side.
pub(super) fn unzip(lines: &[Line], lexicon: &Lexicon) -> Option<Vec<Line>> {
    let column = page_column(lines)?;
    let dw = lexicon.date_words();
    let mut out: Vec<Line> = Vec::with_capacity(lines.len() + lines.len() / 4);
    let mut left: Vec<Line> = Vec::new();
    let mut right: Vec<Line> = Vec::new();
    // Whether the last row of the open block had a left cell: a left cell after rows
    // without one starts the next block (the next post's panel).
    let mut last_had_left = false;
    // Whether a right cell of the open block holds a date (its post's header).
    let mut block_dated = false;
    // A right cell that dates its post: a date the lexicon does not label a panel's
    // ("Registrado: 7 años antes" is a join date).
    let is_dated = |l: &Line| l.chrome.is_none() && !find_dates(&l.text, dw).is_empty();
    // The block's first row as printed: kept whole when it is the post's header.
    let mut first_row: Option<Line> = None;
    let flush = |out: &mut Vec<Line>,
                 left: &mut Vec<Line>,
                 right: &mut Vec<Line>,
                 first_row: &mut Option<Line>| {
        // A first row whose right cell dates the post ("Sober   ● #1 erstellt: 20. Apr
        // 2004") is the post's header with its author's name: it stays one line, and the
        // panel's other cells (a rank) stand above it.
        let header = first_row
            .take()
            .filter(|_| right.first().is_some_and(is_dated));
        if let Some(row) = header {
            out.extend(left.drain(1..));
            out.push(row);
            left.clear();
            right.remove(0);
        } else {
            out.append(left);
        }
        // The blank lines a block ends with stand after it, not inside it.
        let trailing = right.iter().rev().take_while(|l| l.text.is_empty()).count();
        let keep = right.len() - trailing;
        out.extend(right.drain(..keep));
        if !out.last().is_some_and(|l| l.text.is_empty()) {
            out.push(Line::body(""));
        }
        right.clear();
    };
    for line in lines {
        let open = !left.is_empty();
        match row(line, column) {
            Row::Both(l, r) => {
                #[allow(clippy::cast_possible_truncation)]
                let r = cell(r, column.min(usize::from(u16::MAX)) as u16, lexicon);
                let dated = is_dated(&r);
                // A second dated header row is the next post's, however short this one.
                if open && (!last_had_left || (dated && block_dated)) {
                    flush(&mut out, &mut left, &mut right, &mut first_row);
                    block_dated = false;
                }
                if left.is_empty() {
                    first_row = Some(line.clone());
                }
                left.push(cell(l, line.indent, lexicon));
                right.push(r);
                block_dated |= dated;
                last_had_left = true;
            }
            Row::Right if open => {
                right.push(line.clone());
                last_had_left = false;
            }
            Row::Blank if open => right.push(line.clone()),
            Row::Right | Row::Blank | Row::Other => {
                if open {
                    flush(&mut out, &mut left, &mut right, &mut first_row);
                    block_dated = false;
                }
                out.push(line.clone());
            }
        }
    }
    if !left.is_empty() {
        flush(&mut out, &mut left, &mut right, &mut first_row);
    }
    Some(out)
}

/// A cell as a line of its own, classified as the cleaner classifies whole lines.
fn cell(text: String, indent: u16, lexicon: &Lexicon) -> Line {
    let chrome = lexicon.match_line(&text).and_then(|m| chrome_role(m.label));
    Line {
        text,
        chrome,
        indent,
    }
}

/// Where a line's text starts a cell after a run of spaces, as a column of the copy, with
/// the left cell's text; the first such place only.
fn split_at_gap(line: &Line, min_gap: usize) -> Option<(usize, &str, &str)> {
    let text = line.text.as_str();
    let mut spaces = 0;
    let mut gap_start = 0;
    for (k, (at, c)) in text.char_indices().enumerate() {
        if c == ' ' {
            if spaces == 0 {
                gap_start = at;
            }
            spaces += 1;
            continue;
        }
        if spaces >= min_gap && gap_start > 0 {
            let left = &text[..gap_start];
            let right = &text[at..];
            // Form fields ("[          ]") and rules are no cells.
            if left.chars().any(char::is_alphanumeric) && right.chars().any(char::is_alphanumeric) {
                return Some((usize::from(line.indent) + k, left, right));
            }
            return None;
        }
        spaces = 0;
    }
    None
}

/// The column where most of the page's lines start a second cell, when enough do.
fn page_column(lines: &[Line]) -> Option<usize> {
    let mut counts: Vec<usize> = vec![0; COLUMN_MAX + 1];
    for line in lines {
        if let Some((at, _, _)) = split_at_gap(line, COLUMN_GAP)
            && (COLUMN_MIN..=COLUMN_MAX).contains(&at)
        {
            counts[at] += 1;
        }
    }
    let (column, &rows) = counts.iter().enumerate().max_by_key(|&(c, n)| (*n, c))?;
    (rows >= COLUMN_ROWS).then_some(column)
}

fn row(line: &Line, column: usize) -> Row {
    if line.text.is_empty() {
        return Row::Blank;
    }
    if usize::from(line.indent) >= column {
        return Row::Right;
    }
    match split_at_gap(line, CELL_GAP) {
        Some((at, left, right)) if at == column => {
            Row::Both(left.trim().to_owned(), right.trim().to_owned())
        }
        _ => Row::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines()
            .map(|raw| {
                let trimmed = raw.trim_start();
                Line {
                    text: trimmed.trim_end().to_owned(),
                    chrome: None,
                    indent: u16::try_from(raw.len() - trimmed.len()).unwrap_or(0),
                }
            })
            .collect()
    }

    #[test]
    fn a_panel_beside_its_post_is_read_before_it() {
        let lx = Lexicon::builtin().expect("lexicon");
        let page = lines(
            "Reisen per StreetView?\n\
             \n\
             UWE59                Reisen per StreetView?\n\
             \n\
             07.06.2020, 13:21    StreetView läuft bei mir leider nur sehr schleppend und\n                     \
             zeitverzögert.\n\
             \n                     \
             Antworten\n\
             \n\
             Tanja G              Reisen per StreetView?\n\
             \n\
             07.06.2020, 11:49    Hallo Ihr,\n\
             \n                     \
             in Deutschland ist Google StreetView nur sehr eingeschränkt verfügbar.\n\
             \n\
             Seitennavigation",
        );
        let out = unzip(&page, &lx).expect("a table");
        let texts: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Reisen per StreetView?",
                "",
                "UWE59",
                "07.06.2020, 13:21",
                "Reisen per StreetView?",
                "",
                "StreetView läuft bei mir leider nur sehr schleppend und",
                "zeitverzögert.",
                "",
                "Antworten",
                "",
                "Tanja G",
                "07.06.2020, 11:49",
                "Reisen per StreetView?",
                "",
                "Hallo Ihr,",
                "",
                "in Deutschland ist Google StreetView nur sehr eingeschränkt verfügbar.",
                "",
                "Seitennavigation",
            ]
        );
    }

    #[test]
    fn a_header_row_beside_its_name_stays_whole() {
        let lx = Lexicon::builtin().expect("lexicon");
        let page = lines(
            "Django8        ● #2 erstellt: 20. Apr 2004, 09:16 [1]\n\
             Inventar       Finde ich eine tolle Idee! Eine grosse\n               \
             Sammlung mit vielen Bildern.\n\
             \n\
             heraklin       ● #4 erstellt: 20. Apr 2004, 15:40 [1]\n\
             Hat sich       Finde auch das dies eine gute Idee ist.\n\
             gelöscht       Ist jedoch bestimmt sehr zeitaufwendig.\n\
             \n\
             Sober          ● #5 erstellt: 20. Apr 2004, 17:48 [1]\n\
             Stammgast      @heraklin:",
        );
        let out = unzip(&page, &lx).expect("a table");
        let texts: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts[..9],
            [
                "Inventar",
                "Django8        ● #2 erstellt: 20. Apr 2004, 09:16 [1]",
                "Finde ich eine tolle Idee! Eine grosse",
                "Sammlung mit vielen Bildern.",
                "",
                "Hat sich",
                "gelöscht",
                "heraklin       ● #4 erstellt: 20. Apr 2004, 15:40 [1]",
                "Finde auch das dies eine gute Idee ist.",
            ]
        );
    }

    #[test]
    fn a_page_without_a_table_is_left_alone() {
        let lx = Lexicon::builtin().expect("lexicon");
        let page = lines(
            "ann\nMay 3, 2020\nHello   there.\n[                    ]\n[                    ]\n\
             [                    ]\n[                    ]\nbob\nMay 4, 2020\nHi.",
        );
        assert!(unzip(&page, &lx).is_none());
    }
}
