//! Pseudo-lines for a page flattened onto one line.
//!
//! Some scrapers keep a page's words but not its layout: the whole thread on one line,
//! links written `[name](url)`. Post boundaries are still there, as the places where forum
//! UI (links, buttons, dates) interrupts prose. This module cuts a flattened line at those
//! places so the line-based segmenter can work: every link, every button separated by a
//! bullet or bar, and every printed date becomes its own pseudo-line.

use std::sync::LazyLock;

use regex::Regex;
use threadmill_clean::chrome_role;
use threadmill_lexicon::{DateWords, Label, Lexicon, LineMatch};
use threadmill_model::Line;

use crate::dates::find_dates;

/// A flattened page has at least one very long line holding most of its text; a text
/// browser copy wraps at 80 columns and a paragraph rarely passes a few hundred characters.
const FLAT_LINE_MIN: usize = 2000;

/// A line that labels the value after it ("Joined:") is at most this many words.
const LABEL_WORDS: usize = 4;

/// An edit note holds at most this many words before its date ("Modifié en dernier par
/// ann le"), over at most this many pieces (the editor's name may be a link).
const EDIT_WORDS: usize = 8;
const EDIT_PIECES: usize = 3;
/// The words an edit note may print after its date (", edited 1 time in total.").
const EDIT_TAIL_WORDS: usize = 6;

/// A run of buttons and statistics split into the lines it was is at most this many words.
const CHROME_RUN_WORDS: usize = 12;

/// A sign-in prompt run onto a post is at most this many words.
const LOGIN_WORDS: usize = 12;

/// Link text and target lengths, in characters, past which `[…](…)` is not a link.
const LINK_TEXT_MAX: usize = 300;
const LINK_TARGET_MAX: usize = 2000;

// A link's text may itself be bracketed ("[[report]](report.asp?r=1)", a button printed
// as "[report]"): the inner brackets are part of the text, not another link.
static LINK: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"!?\[(\[[^\[\]]{{0,{LINK_TEXT_MAX}}}\]|[^\[\]]{{0,{LINK_TEXT_MAX}}})\]\(([^()\s]{{0,{LINK_TARGET_MAX}}})\)"
    ))
    .ok()
});

/// [`LINK`] without its length limits. The limits make the automaton thousands of states
/// large, too large for the regex crate's fast engines, so a flattened page was searched
/// with the slowest; this one is searched first.
static LINK_UNBOUNDED: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"!?\[(\[[^\[\]]*\]|[^\[\]]*)\]\(([^()\s]*)\)").ok());

/// The first link at or after `from`, as [`LINK`] finds it.
///
/// At any start both patterns can match only one way (each part runs to the first
/// bracket or parenthesis that ends it), and the unbounded one matches wherever the bounded
/// one does: its first match is the bounded pattern's first match whenever it is within the
/// limits. Only past the limits is the bounded pattern asked.
fn next_link(text: &str, from: usize) -> Option<regex::Captures<'_>> {
    let caps = LINK_UNBOUNDED.as_ref()?.captures_at(text, from)?;
    // A bracketed text's own brackets do not count against its limit.
    let within = |i: usize, max: usize| {
        caps.get(i).is_some_and(|m| {
            let inner = m
                .as_str()
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'));
            inner.unwrap_or(m.as_str()).chars().count() <= max
        })
    };
    if within(1, LINK_TEXT_MAX) && within(2, LINK_TARGET_MAX) {
        return Some(caps);
    }
    let start = caps.get(0)?.start();
    let next = text.ceil_char_boundary(start + 1);
    LINK.as_ref()?.captures_at(text, next)
}

static RULE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)(?:_{4,}|-{4,}|={4,})(?:\s|$)").ok());

/// Splits a line at a signature rule inside it: the text before and the text after, both
/// non-empty.
pub(crate) fn split_at_rule(text: &str) -> Option<(&str, &str)> {
    let m = RULE.as_ref()?.find(text)?;
    let (before, after) = (text[..m.start()].trim(), text[m.end()..].trim());
    (!before.is_empty() && !after.is_empty()).then_some((before, after))
}

/// True when `lines` look like a flattened page rather than a line-by-line copy.
pub(crate) fn is_flat(lines: &[Line]) -> bool {
    let total: usize = lines.iter().map(|l| l.text.len()).sum();
    lines
        .iter()
        .any(|l| l.text.len() >= FLAT_LINE_MIN && l.text.len() * 2 >= total)
}

/// A pseudo-line and the links it was made of.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub(crate) line: Line,
    /// The link target when the pseudo-line is one link.
    pub(crate) href: Option<String>,
}

/// Cuts every line into pseudo-lines; links keep their text, their target goes to `href`.
/// Each comes with what the lexicon recognised in it, which the segmenter needs too.
pub(crate) fn split<'l>(
    lines: &[Line],
    lexicon: &'l Lexicon,
    dw: &DateWords,
) -> Vec<(Piece, Option<LineMatch<'l>>)> {
    let mut out: Vec<Piece> = Vec::new();
    for line in lines {
        if line.text.is_empty() {
            out.push(piece("", None));
            continue;
        }
        let mut last = 0;
        while let Some(caps) = next_link(&line.text, last) {
            let (Some(whole), Some(text), Some(href)) = (caps.get(0), caps.get(1), caps.get(2))
            else {
                break;
            };
            push_text(&mut out, &line.text[last..whole.start()], dw);
            let text = text.as_str().trim();
            let text = text
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .map_or(text, str::trim);
            // Images and icon links carry no words.
            if !text.is_empty() && !whole.as_str().starts_with('!') {
                out.push(piece(text, Some(href.as_str().to_owned())));
            }
            last = whole.end();
        }
        push_text(&mut out, &line.text[last..], dw);
    }
    glue_labels(&mut out, lexicon, dw);
    glue_edit_notes(&mut out, lexicon, dw);
    cut_login_prompts(&mut out, lexicon);
    classify(out, lexicon)
}

/// Each piece with the lexicon's match for it, and its chrome role. A flattened copy runs a
/// post's buttons and statistics together ("Share this post Link to post Share on other
/// sites", "5 posts Report post"): a short piece no template knows whole, that splits into
/// two or more runs of words the lexicon knows each, is cut into them (the fewest), so each
/// is the chrome line it was.
fn classify<'l>(pieces: Vec<Piece>, lexicon: &'l Lexicon) -> Vec<(Piece, Option<LineMatch<'l>>)> {
    let mut out = Vec::with_capacity(pieces.len());
    let mut push = |mut p: Piece, matched: Option<LineMatch<'l>>| {
        p.line.chrome = matched.as_ref().and_then(|m| chrome_role(m.label));
        out.push((p, matched));
    };
    for p in pieces {
        let matched = lexicon.match_line(&p.line.text);
        // A piece too long to be a run of buttons is never cut.
        let short = p
            .line
            .text
            .split_whitespace()
            .nth(CHROME_RUN_WORDS)
            .is_none();
        let runs = (matched.is_none() && short && p.href.is_none())
            .then(|| chrome_runs(&p.line.text, lexicon))
            .flatten();
        match runs {
            Some(runs) => {
                for run in runs {
                    push(piece(run, None), lexicon.match_line(run));
                }
            }
            None => push(p, matched),
        }
    }
    out
}

fn piece(text: &str, href: Option<String>) -> Piece {
    Piece {
        line: Line::body(text.trim()),
        href,
    }
}

/// Plain text between links: cut at UI separators (bullets, bars) and around dates.
fn push_text(out: &mut Vec<Piece>, text: &str, dw: &DateWords) {
    // A signature rule ("_____") stays a line of its own: it starts the signature.
    if let Some(rule) = RULE.as_ref()
        && let Some(m) = rule.find(text)
    {
        push_text(out, &text[..m.start()], dw);
        out.push(piece(m.as_str(), None));
        push_text(out, &text[m.end()..], dw);
        return;
    }
    for sep in [" * ", " + ", " | ", " • ", " · "] {
        if text.contains(sep) {
            for part in text.split(sep) {
                push_text(out, part, dw);
            }
            return;
        }
    }
    let mut last = 0;
    for (a, b) in find_dates(text, dw) {
        push_plain(out, &text[last..a]);
        push_plain(out, &text[a..b]);
        last = b;
    }
    push_plain(out, &text[last..]);
}

fn push_plain(out: &mut Vec<Piece>, text: &str) {
    let text = text.trim();
    // A separator left alone ("*", "»", "-") is layout, not a line.
    if text.chars().any(char::is_alphanumeric) {
        out.push(piece(text, None));
    }
}

/// "Joined:" cut off from its date is glued back, so the lexicon sees "Joined: 12 Jan 2010"
/// and the date is not taken for a post date. The label is the last few words of the piece
/// before the date ("Messages: 1Enregistré le:"), as many as make a line the lexicon knows.
fn glue_labels(pieces: &mut Vec<Piece>, lexicon: &Lexicon, dw: &DateWords) {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for p in pieces.drain(..) {
        let is_date = || find_dates(&p.line.text, dw).first() == Some(&(0, p.line.text.len()));
        // Labels end in a colon, except join dates in some languages ("Dabei seit
        // 02.01.2007"): without the colon only a member's join date is glued.
        if let Some(prev) = out.last_mut()
            && prev.href.is_none()
            && let is_date = is_date()
            && (prev.line.text.ends_with(':') || is_date)
            && let Some(cut) = label_start(
                &prev.line.text,
                &p.line.text,
                is_date,
                !prev.line.text.ends_with(':'),
                lexicon,
            )
        {
            let label = prev.line.text[cut..].trim().to_owned();
            prev.line.text.truncate(cut);
            let rest = prev.line.text.trim_end().to_owned();
            let glued = piece(&format!("{label} {}", p.line.text), None);
            if rest.is_empty() {
                *prev = glued;
            } else {
                prev.line.text = rest;
                out.push(glued);
            }
            continue;
        }
        out.push(p);
    }
    *pieces = out;
}

/// An edit note cut apart at its date ("… Modifié en dernier par ann le" / "Jeu 11 Avr 2019
/// 19:17" / ", modifié 1 fois.") is glued back into one piece, so the lexicon sees the note
/// and the date does not start a phantom post.
fn glue_edit_notes(pieces: &mut Vec<Piece>, lexicon: &Lexicon, dw: &DateWords) {
    let mut i = 1;
    while i < pieces.len() {
        let text = &pieces[i].line.text;
        let is_date =
            pieces[i].href.is_none() && find_dates(text, dw).first() == Some(&(0, text.len()));
        let Some(note) = is_date
            .then(|| edit_note_around(pieces, i, lexicon))
            .flatten()
        else {
            i += 1;
            continue;
        };
        let first = &mut pieces[note.from].line.text;
        first.truncate(note.cut);
        let rest = first.trim_end().to_owned();
        *first = rest;
        let keep = if pieces[note.from].line.text.is_empty() {
            note.from
        } else {
            note.from + 1
        };
        pieces.splice(keep..=note.through, [piece(&note.text, None)]);
        i = keep + 1;
    }
}

/// The page's prompt to sign in after the last post ("You must log in or register to reply
/// here.", "Sign In or Register to comment.") is cut out of the text it was run onto, into a
/// piece of its own: the lexicon knows it as a line (`login`), and the last post ends there
/// instead of running on into the page's footer.
fn cut_login_prompts(pieces: &mut Vec<Piece>, lexicon: &Lexicon) {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for p in pieces.drain(..) {
        let found = p
            .href
            .is_none()
            .then(|| login_prompt(&p.line.text, lexicon))
            .flatten();
        match found {
            Some((a, b)) => {
                let text = &p.line.text;
                push_plain_piece(&mut out, &text[..a]);
                out.push(piece(&text[a..b], None));
                push_plain_piece(&mut out, &text[b..]);
            }
            None => out.push(p),
        }
    }
    *pieces = out;
}

fn push_plain_piece(out: &mut Vec<Piece>, text: &str) {
    if text.chars().any(char::is_alphanumeric) {
        out.push(piece(text, None));
    }
}

/// Where each word of `text` begins, by byte.
fn word_starts(text: &str) -> Vec<usize> {
    word_bounds(text).map(|(start, _)| start).collect()
}

/// Where each word of `text` begins and ends, by byte.
fn word_bounds(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    text.split_whitespace().map(move |word| {
        let start = word.as_ptr() as usize - text.as_ptr() as usize;
        (start, start + word.len())
    })
}

/// The first sentence inside `text` that the lexicon knows as a sign-in prompt, as a byte
/// range: it ends in a stop, and starts at one of the [`LOGIN_WORDS`] words before that.
/// A piece that is the prompt alone needs no cut.
fn login_prompt(text: &str, lexicon: &Lexicon) -> Option<(usize, usize)> {
    // Each try below is a lexicon lookup: a piece without a sign-in prompt's words (most
    // of a post's text) is left at once.
    if !lexicon.may_hold(Label::Login, text) {
        return None;
    }
    let starts = word_starts(text);
    let ends = text
        .char_indices()
        .filter(|&(_, c)| matches!(c, '.' | '!' | '?' | ')'))
        .map(|(i, c)| i + c.len_utf8())
        .filter(|&e| text[e..].is_empty() || text[e..].starts_with(char::is_whitespace));
    for end in ends {
        let before = starts.partition_point(|&s| s < end);
        for &start in &starts[before.saturating_sub(LOGIN_WORDS)..before] {
            if start == 0 && end == text.len() {
                continue;
            }
            if lexicon
                .match_line(&text[start..end])
                .is_some_and(|m| m.label == Label::Login)
            {
                return Some((start, end));
            }
        }
    }
    None
}

/// `text` as the fewest runs of its words that the lexicon knows each, when there are two
/// or more and the text is at most [`CHROME_RUN_WORDS`] words.
fn chrome_runs<'t>(text: &'t str, lexicon: &Lexicon) -> Option<Vec<&'t str>> {
    let bounds: Vec<(usize, usize)> = word_bounds(text).take(CHROME_RUN_WORDS + 1).collect();
    let n = bounds.len();
    if !(2..=CHROME_RUN_WORDS).contains(&n) {
        return None;
    }
    // The first run starts the piece: a piece of prose has no known run there, and is left
    // after a dozen lookups instead of the whole table's.
    let known_start = (1..n).any(|j| lexicon.match_line(&text[..bounds[j - 1].1]).is_some());
    if !known_start {
        return None;
    }
    // best[i]: the fewest known runs covering words i.., with where the first one ends.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[n] = Some((0, n));
    for i in (0..n).rev() {
        for j in i + 1..=n {
            let Some((count, _)) = best[j] else {
                continue;
            };
            let (from, to) = (bounds[i].0, bounds[j - 1].1);
            if best[i].is_some_and(|(c, _)| c <= count + 1)
                || lexicon.match_line(&text[from..to]).is_none()
            {
                continue;
            }
            best[i] = Some((count + 1, j));
        }
    }
    let (count, _) = best[0]?;
    if count < 2 {
        return None;
    }
    let mut runs = Vec::with_capacity(count);
    let mut i = 0;
    while i < n {
        let (_, j) = best[i]?;
        runs.push(&text[bounds[i].0..bounds[j - 1].1]);
        i = j;
    }
    Some(runs)
}

/// An edit note found around the date piece `at`: it starts at byte `cut` of piece `from`
/// and runs through piece `through`.
struct EditNote {
    from: usize,
    cut: usize,
    through: usize,
    text: String,
}

fn edit_note_around(pieces: &[Piece], at: usize, lexicon: &Lexicon) -> Option<EditNote> {
    let date = pieces[at].line.text.as_str();
    let tail = pieces
        .get(at + 1)
        .filter(|p| p.href.is_none() && p.line.text.split_whitespace().count() <= EDIT_TAIL_WORDS)
        .map(|p| p.line.text.as_str());
    // The words before the date, last first, with where each starts.
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for from in (at.saturating_sub(EDIT_PIECES)..at).rev() {
        let text = pieces[from].line.text.as_str();
        if text.is_empty() {
            break;
        }
        let mut words: Vec<(usize, usize)> = text
            .char_indices()
            .filter(|&(b, c)| {
                !c.is_whitespace() && (b == 0 || text[..b].ends_with(char::is_whitespace))
            })
            .map(|(b, _)| (from, b))
            .collect();
        words.reverse();
        starts.extend(words);
        if starts.len() >= EDIT_WORDS {
            break;
        }
    }
    starts.truncate(EDIT_WORDS);
    // The longest note the lexicon knows: "Last edited by …", not "edited by …".
    for &(from, cut) in starts.iter().rev() {
        let mut head = pieces[from].line.text[cut..].to_owned();
        for p in &pieces[from + 1..at] {
            head.push(' ');
            head.push_str(&p.line.text);
        }
        let with_tail = tail.map(|t| {
            let gap = if t.starts_with([',', '.', ')']) {
                ""
            } else {
                " "
            };
            (format!("{head} {date}{gap}{t}"), at + 1)
        });
        for (text, through) in with_tail
            .into_iter()
            .chain([(format!("{head} {date}"), at)])
        {
            // The note's own date is the date piece, not words run on around it.
            if lexicon.match_line(&text).is_some_and(|m| {
                m.label == Label::EditNote && m.fields.date.as_deref().map(str::trim) == Some(date)
            }) {
                return Some(EditNote {
                    from,
                    cut,
                    through,
                    text,
                });
            }
        }
    }
    None
}

/// Where the label before `value` starts in `text`: the shortest run of last words that
/// the lexicon recognises together with the value.
fn label_start(
    text: &str,
    value: &str,
    is_date: bool,
    joined_only: bool,
    lexicon: &Lexicon,
) -> Option<usize> {
    let starts = word_starts(text);
    starts
        .iter()
        .rev()
        .take(LABEL_WORDS)
        .copied()
        .find_map(|at| {
            // "1Enregistré le:": a count glued to the label by the flattening.
            let label = text[at..].trim_start_matches(|c: char| c.is_ascii_digit());
            let offset = text.len() - label.len();
            // A date goes only to a label made for a date ("Joined:"), not to an empty
            // field that happens to stand before it ("Location:" left blank).
            lexicon
                .match_line(&format!("{label} {value}"))
                .filter(|m| {
                    (!joined_only || m.label == Label::Joined)
                        && (!is_date
                            || m.fields
                                .date
                                .as_deref()
                                .is_some_and(|d| d.contains(value.trim())))
                })
                .map(|_| offset)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flattened_header_becomes_pseudo_lines() {
        let lx = Lexicon::builtin().expect("lexicon");
        let dw = lx.date_words();
        let text = "intro text here [Mari](./memberlist.php?mode=viewprofile&u=1) New Cone \
                    Posts: [3](./search.php?author_id=1) Joined: 20 Jul 2018 20:33 * [ Quote ](./q) \
                    by [Mari](./memberlist.php?mode=viewprofile&u=1) » 20 Jul 2018 20:59 Hi all.";
        let pieces: Vec<Piece> = split(&[Line::body(text)], &lx, dw)
            .into_iter()
            .map(|(piece, _)| piece)
            .collect();
        let texts: Vec<&str> = pieces.iter().map(|p| p.line.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "intro text here",
                "Mari",
                "New Cone",
                "Posts: 3",
                "Joined: 20 Jul 2018 20:33",
                "Quote",
                "by",
                "Mari",
                "20 Jul 2018 20:59",
                "Hi all."
            ]
        );
        assert_eq!(
            pieces[1].href.as_deref(),
            Some("./memberlist.php?mode=viewprofile&u=1")
        );
        assert!(pieces[4].line.chrome.is_some());

        let glued = split(
            &[Line::body(
                "ann Messages: 1Enregistré le: Lun 8 Jan 2018 15:31 Haut",
            )],
            &lx,
            dw,
        );
        let texts: Vec<&str> = glued.iter().map(|(p, _)| p.line.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "ann Messages: 1",
                "Enregistré le: Lun 8 Jan 2018 15:31",
                "Haut"
            ]
        );
    }

    #[test]
    fn a_sign_in_prompt_run_onto_the_last_post_is_cut_out() {
        let lx = Lexicon::builtin().expect("lexicon");
        let text = "[ann](/ann) Thanks, that worked. 0 Sign In or Register to comment. Howdy, Stranger! \
                    [bob](/bob) Same here.  You must log in or register to reply here.  Share: Email";
        let pieces = split(&[Line::body(text)], &lx, lx.date_words());
        let texts: Vec<&str> = pieces.iter().map(|(p, _)| p.line.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "ann",
                "Thanks, that worked. 0",
                "Sign In or Register to comment.",
                "Howdy, Stranger!",
                "bob",
                "Same here.",
                "You must log in or register to reply here.",
                "Share: Email"
            ]
        );
        assert_eq!(pieces[2].1.as_ref().map(|m| m.label), Some(Label::Login));
    }

    #[test]
    fn buttons_run_together_are_cut_into_their_lines() {
        let lx = Lexicon::builtin().expect("lexicon");
        let text = "[ann](/profile/1-ann/) Thanks, it works now. [bob](/profile/2-bob/) \
                    Share this post Link to post Share on other sites [cid](/profile/3-cid/) \
                    Share this post with friends";
        let pieces = split(&[Line::body(text)], &lx, lx.date_words());
        let texts: Vec<&str> = pieces.iter().map(|(p, _)| p.line.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "ann",
                "Thanks, it works now.",
                "bob",
                "Share this post",
                "Link to post",
                "Share on other sites",
                "cid",
                // Words the lexicon does not know whole stay one line of text.
                "Share this post with friends"
            ]
        );
        assert!(
            pieces[3..6]
                .iter()
                .all(|(_, m)| m.as_ref().is_some_and(|m| m.label == Label::Action))
        );
    }

    #[test]
    fn a_bracketed_link_text_is_one_link() {
        let lx = Lexicon::builtin().expect("lexicon");
        let text = "Nice car. [bob](/profile.asp?id=2) 12 posts [[report]](report.asp?r=7) Sunday 8th March";
        let pieces = split(&[Line::body(text)], &lx, lx.date_words());
        let texts: Vec<&str> = pieces.iter().map(|(p, _)| p.line.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Nice car.", "bob", "12 posts", "report", "Sunday 8th March"]
        );
        assert_eq!(pieces[3].0.href.as_deref(), Some("report.asp?r=7"));
    }

    #[test]
    fn an_edit_note_cut_at_its_date_is_glued_back() {
        let lx = Lexicon::builtin().expect("lexicon");
        let dw = lx.date_words();
        for (text, note) in [
            (
                "merci pour ces informations. Modifié en dernier par ann le Jeu 11 Avr 2019 19:17, modifié 1 fois. [bob](./membre7/)",
                "Modifié en dernier par ann le Jeu 11 Avr 2019 19:17, modifié 1 fois.",
            ),
            (
                "thanks all. Last edited by [ann](./memberlist.php?u=1) on Mon Mar 01, 2021 10:00 am, edited 1 time in total. [bob](./memberlist.php?u=2)",
                "Last edited by ann on Mon Mar 01, 2021 10:00 am, edited 1 time in total.",
            ),
        ] {
            let pieces = split(&[Line::body(text)], &lx, dw);
            let texts: Vec<&str> = pieces.iter().map(|(p, _)| p.line.text.as_str()).collect();
            assert_eq!(texts.len(), 3, "{texts:?}");
            assert_eq!(texts[1], note);
            assert_eq!(pieces[1].1.as_ref().map(|m| m.label), Some(Label::EditNote));
        }
    }
}
