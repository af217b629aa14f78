//! Printed dates in any language of the lexicon: whether a text is one, where a line's are.
//!
//! Every forum prints a date with every post, in whatever words its UI language uses, so a
//! date is the one post anchor that needs no engine-specific strings. The words come from
//! the lexicon's one date table ([`DateWords`]: month and weekday names, filler words,
//! AM/PM markers, relative words), never from code. Three questions are asked of it, each
//! read the way its callers were tuned on:
//! - [`looks_like_date`]: is the text nothing but an absolute date (an article's dateline,
//!   a template's `{date}` field)?
//! - [`is_date`] and [`find_date`]: is a short text a date, absolute or relative ("Today,
//!   10:31 PM", "3 hours ago"), and which run of a short line of chrome is its date (the
//!   HTML path)?
//! - [`find_dates`]: where are the dates in a line of text (the text path)?

use std::borrow::Cow;

use threadmill_lexicon::{DateWords, Lexicon, Relative, Roles};

/// The words of an absolute date besides its numbers.
const ABSOLUTE: Roles = Roles::MONTH
    .union(Roles::WEEKDAY)
    .union(Roles::FILLER)
    .union(Roles::DAY_HALF);

/// True when `text` is nothing but a date (and maybe a time): numbers, month and weekday
/// names of any language in the lexicon, AM/PM, and filler words.
pub fn looks_like_date(text: &str, lexicon: &Lexicon) -> bool {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 60 {
        return false;
    }
    let words = lexicon.date_words();
    let mut named = false;
    let mut numbers = 0;
    for token in text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '-' | '.' | '\'' | '(' | ')'))
    {
        if token.is_empty() {
            continue;
        }
        let lower = token.to_lowercase();
        let digits = lower.trim_end_matches(|c: char| c.is_alphabetic());
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == ':') {
            numbers += 1;
            // "8th", "2e", "10h", "5pm": what the lexicon's languages glue to a number.
            let suffix = &lower[digits.len()..];
            if suffix.is_empty() || words.number_suffixes().contains(suffix) {
                continue;
            }
            return false;
        }
        let roles = words.get_exact(&lower).roles;
        if !roles.intersects(ABSOLUTE) {
            return false;
        }
        named |= roles.intersects(Roles::MONTH);
    }
    (named && numbers >= 1) || numbers >= 3
}

/// True when `text` is nothing but a time of day ("12:16pm", "10:31 PM", "16.22 Uhr" is
/// not: only colon-separated clocks count): a post header prints it beside the date, in
/// an element of its own, where it is no name.
pub(crate) fn is_clock_time(text: &str, lexicon: &Lexicon) -> bool {
    let words = lexicon.date_words();
    let mut clocks = 0;
    for token in text.split_whitespace() {
        let lower = token.to_lowercase();
        let digits = lower.trim_end_matches(|c: char| c.is_alphabetic());
        let suffix = &lower[digits.len()..];
        // Hours of one or two digits, then minutes (and seconds) of two.
        let mut parts = digits.split(':');
        let hours = parts.next().unwrap_or_default();
        let clock = digits.contains(':')
            && (1..=2).contains(&hours.len())
            && hours.chars().all(|c| c.is_ascii_digit())
            && parts.all(|n| n.len() == 2 && n.chars().all(|c| c.is_ascii_digit()));
        let day_half =
            digits.is_empty() && words.get_exact(&lower).roles.intersects(Roles::DAY_HALF);
        if clock && (suffix.is_empty() || words.number_suffixes().contains(suffix)) {
            clocks += 1;
        } else if !day_half {
            return false;
        }
    }
    clocks == 1
}

/// Lines longer than this are prose, not a header holding a date.
const LINE_MAX: usize = 160;
/// A printed date is at most this many words ("Sunday, 8th of March 2020 at 10:31 pm").
const WINDOW_MAX: usize = 9;

/// True when `text` is a date: an absolute one ([`looks_like_date`]) or a relative one
/// ("Today, 10:31 PM", "gestern um 08:12", "3 hours ago") in any lexicon language.
pub(crate) fn is_date(text: &str, lexicon: &Lexicon) -> bool {
    looks_like_date(text, lexicon) || is_relative_date(text, lexicon.date_words())
}

fn is_relative_date(text: &str, words: &DateWords) -> bool {
    // Pages print the typographic apostrophe ("Aujourd’hui") where the files write '.
    let lower = text.trim().to_lowercase().replace('\u{2019}', "'");
    if lower.is_empty() || lower.chars().count() > 40 {
        return false;
    }
    if words.compact_age(&lower).is_some() {
        return true;
    }
    // "today"/"yesterday"/"now" alone make a date; a unit ("3 hours") needs its "ago"
    // word, or "18 months" (a membership's age) would pass. A word can be both in some
    // languages ("an": English "an hour ago", French "il y a 1 an"), so the unit and the
    // ago word must be two words.
    let (mut day_word, mut units, mut agos, mut either) = (false, 0_u8, 0_u8, 0_u8);
    for token in lower.split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')')) {
        if token.is_empty() {
            continue;
        }
        let digits = token.trim_end_matches(|c: char| c.is_alphabetic());
        if !digits.is_empty()
            && digits
                .chars()
                .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
        {
            continue;
        }
        // An abbreviated unit may end in a dot the files do not write ("3 yr. ago").
        let roles = Some(words.get_exact(token).relative)
            .filter(|r| !r.is_empty())
            .or_else(|| {
                let bare = token.strip_suffix('.')?;
                Some(words.get_exact(bare).relative).filter(|r| r.has(Relative::Unit))
            });
        let Some(roles) = roles else {
            return false;
        };
        day_word |= roles.has(Relative::Day);
        let count = |n: u8| n.saturating_add(1);
        match (roles.has(Relative::Unit), roles.has(Relative::Ago)) {
            (true, true) => either = count(either),
            (true, false) => units = count(units),
            (false, true) => agos = count(agos),
            (false, false) => {}
        }
    }
    day_word || (units > 0 && agos + either > 0) || (agos > 0 && either > 0) || either >= 2
}

/// The date inside a short line of chrome, as printed: "by ann » Sun Mar 06, 2016 5:45 am"
/// gives "Sun Mar 06, 2016 5:45 am". The longest run of words that reads as a date wins.
pub(crate) fn find_date<'t>(text: &'t str, lexicon: &Lexicon) -> Option<&'t str> {
    let text = text.trim();
    if text.is_empty() || text.len() > LINE_MAX * 4 || text.chars().count() > LINE_MAX {
        return None;
    }
    if is_date(text, lexicon) {
        return Some(trim_edges(text));
    }
    // Word spans with byte offsets.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || matches!(c, '»' | '|' | '•' | '·' | '–' | '—' | '[' | ']') {
            if let Some(s) = start.take() {
                words.push((s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    // Only runs of words that can be part of a date are tried: checking each word once
    // keeps this linear on the long lines of a page.
    let vocabulary = lexicon.date_words();
    let known: Vec<bool> = words
        .iter()
        .map(|&(s, e)| word_known(trim_edges(&text[s..e]), vocabulary))
        .collect();
    // Where each run of known words ends, from the right: one pass, not one per word.
    let mut run_end: Vec<usize> = (0..words.len()).collect();
    for k in (0..words.len().saturating_sub(1)).rev() {
        if known[k] && known[k + 1] {
            run_end[k] = run_end[k + 1];
        }
    }
    let mut best: Option<(usize, usize, usize)> = None;
    for a in 0..words.len() {
        if !known[a] {
            continue;
        }
        for b in (a..=run_end[a].min(a + WINDOW_MAX - 1)).rev() {
            let n = b - a + 1;
            if best.is_some_and(|(_, _, m)| m >= n) {
                break;
            }
            let candidate = trim_edges(&text[words[a].0..words[b].1]);
            if !candidate.is_empty() && is_date(candidate, lexicon) {
                best = Some((a, b, n));
                break;
            }
        }
    }
    let (mut a, b, _) = best?;
    // "On 2019.08.03 15:35": a leading filler word belongs to the label, not the date.
    while a < b && is_label_filler(trim_edges(&text[words[a].0..words[a].1]), vocabulary) {
        a += 1;
    }
    Some(trim_edges(&text[words[a].0..words[b].1]))
}

/// A filler word ("On", "am"), compared without ASCII case; AM/PM markers are none.
fn is_label_filler(word: &str, words: &DateWords) -> bool {
    words
        .get_exact(&word.to_ascii_lowercase())
        .roles
        .intersects(Roles::FILLER)
}

/// True when every piece of the word (split as [`looks_like_date`] splits) can belong to
/// a date: a number, or a month, weekday, filler, AM/PM or relative-date word of some
/// lexicon language.
fn word_known(word: &str, words: &DateWords) -> bool {
    if word.is_empty() {
        return false;
    }
    word.split([',', '/', '-', '.', '\'', '(', ')'])
        .filter(|p| !p.is_empty())
        .all(|piece| {
            piece.starts_with(|c: char| c.is_ascii_digit())
                || words
                    .roles(piece)
                    .intersects(ABSOLUTE.union(Roles::RELATIVE))
        })
}

/// Drops separators and labels' punctuation around a date ("» 12.03.2019 ,").
fn trim_edges(s: &str) -> &str {
    s.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ',' | ';' | '»' | '|' | '-' | '(' | ')' | '[' | ']' | '•' | '·' | '@' | '#'
            )
    })
}

/// True for a word that only joins date parts ("at", "on", "um", "pm"), in any case.
pub(crate) fn is_filler(word: &str, words: &DateWords) -> bool {
    words
        .roles(word)
        .intersects(Roles::FILLER.union(Roles::DAY_HALF))
}

/// A month name of three letters or more: one- and two-letter ones (Roman numerals "I",
/// "V") are words in prose.
fn is_month(roles: Roles) -> bool {
    roles.intersects(Roles::MONTH) && !roles.intersects(Roles::SHORT)
}

/// `word` lower-cased, without a copy when it has no capitals (most words).
fn lower(word: &str) -> Cow<'_, str> {
    if word.is_ascii() && !word.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

/// What a word of a line is in a date, for [`find_dates`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A number or numeric date ("12", "10:16am", "13.11.2019", "8th").
    Number {
        parts: usize,
        full_date: bool,
    },
    /// A month name, or a number and month fused ("16-Jun-20").
    Month {
        numbers: usize,
    },
    Weekday,
    Day,
    /// A unit of a relative date ("days").
    Unit,
    /// The word that makes a number and unit a past date ("ago"); `true` when it is a word
    /// of its own, not a one-letter particle ("a" of "il y a").
    Ago(bool),
    Filler,
}

/// Characters that wrap a date token without being part of it.
fn strip(word: &str) -> &str {
    word.trim_start_matches(['(', '[', '«', '»', '•', '●', '□', '|', '"', '\'', '@', ','])
        .trim_end_matches([',', ';', ')', ']', '»', '«', '|', '"', '\'', ':'])
}

fn number_parts(word: &str, dw: &DateWords) -> Option<(usize, bool)> {
    if !word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let lower = lower(word);
    let core = lower.trim_end_matches('.');
    let digits_end = core
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_ascii_digit())
        .map(|(i, c)| i + c.len_utf8())?;
    // "8th", "10h", "5pm", and a year's "2020r.": what the lexicon's languages glue to a
    // number.
    let suffix = &core[digits_end..];
    if !(suffix.is_empty()
        || dw.number_suffixes().contains(suffix)
        || dw.year_suffixes().contains(suffix))
    {
        return None;
    }
    let body = &core[..digits_end];
    if !body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = body.split([':', '.', '/', '-']).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    // A day-month-year date: three parts with the same separator, at most one long part.
    let sep = body.chars().find(|c| matches!(c, '.' | '/' | '-'));
    let full_date = parts.len() == 3
        && sep.is_some_and(|s| body.chars().filter(|&c| c == s).count() == 2)
        && parts.iter().filter(|p| p.len() > 2).count() <= 1
        && parts.iter().any(|p| p.len() >= 2);
    Some((parts.len(), full_date))
}

fn classify(word: &str, dw: &DateWords) -> Option<Kind> {
    // "[1]": a footnote or link number, never part of a date.
    if word.starts_with('[') {
        return None;
    }
    let w = strip(word);
    if w.is_empty() {
        return None;
    }
    if let Some((parts, full_date)) = number_parts(w, dw) {
        return Some(Kind::Number { parts, full_date });
    }
    let bare = w.trim_end_matches('.');
    let whole = dw.roles(w);
    let without_dot = if bare.len() == w.len() {
        whole
    } else {
        dw.roles(bare)
    };
    if is_month(whole) || is_month(without_dot) {
        return Some(Kind::Month { numbers: 0 });
    }
    if (whole | without_dot).intersects(Roles::WEEKDAY) {
        return Some(Kind::Weekday);
    }
    // "16-Jun-20": numbers and a month name fused by dashes, dots or slashes.
    if bare.contains(['-', '/', '.']) {
        let mut numbers = 0;
        let mut month = false;
        for p in bare.split(['-', '/', '.']) {
            if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && p.len() <= 4 {
                numbers += 1;
            } else if is_month(dw.roles(p)) {
                month = true;
            } else {
                return None;
            }
        }
        if month && numbers > 0 {
            return Some(Kind::Month { numbers });
        }
        return None;
    }
    if whole.intersects(Roles::DAY_HALF) {
        return Some(Kind::Filler);
    }
    if without_dot.intersects(Roles::DAY) {
        return Some(Kind::Day);
    }
    if without_dot.intersects(Roles::UNIT) {
        return Some(Kind::Unit);
    }
    if without_dot.intersects(Roles::AGO) {
        return Some(Kind::Ago(bare.chars().count() >= 2));
    }
    if (whole | without_dot).intersects(Roles::FILLER) {
        return Some(Kind::Filler);
    }
    None
}

/// True when a run of token kinds makes a date on its own.
fn kinds_make_date(kinds: &[Kind]) -> bool {
    let mut numbers = 0;
    let mut month = false;
    let mut full_date = false;
    let mut day = false;
    let mut unit = false;
    let mut ago = false;
    for k in kinds {
        match *k {
            Kind::Number {
                parts,
                full_date: f,
            } => {
                numbers += parts;
                full_date |= f;
            }
            Kind::Month { numbers: n } => {
                month = true;
                numbers += n;
            }
            Kind::Day => day = true,
            Kind::Unit => unit = true,
            Kind::Ago(word) => ago |= word,
            Kind::Weekday | Kind::Filler => {}
        }
    }
    (month && numbers > 0) || full_date || (day && numbers > 0) || (unit && ago && numbers > 0)
}

/// Byte ranges of the dates printed in `text`, in order.
pub(crate) fn find_dates(text: &str, dw: &DateWords) -> Vec<(usize, usize)> {
    // Every date has a number ([`kinds_make_date`]), and numbers start with an ASCII
    // digit: most lines of prose have none and need no word-by-word reading.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    read_dates(text, dw)
}

fn read_dates(text: &str, dw: &DateWords) -> Vec<(usize, usize)> {
    let mut words: Vec<(usize, usize, Option<Kind>)> = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                words.push((s, i, classify(&text[s..i], dw)));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    let mut spans = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i].2.is_none() {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut after_year = false;
        while j < words.len() && words[j].2.is_some() {
            let word = strip(&text[words[j].0..words[j].1]);
            // After the year only a time may follow: "2018 60 42" is a date and two counts.
            if after_year && !(word.contains(':') || words[j].2 == Some(Kind::Filler)) {
                break;
            }
            after_year |= word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit());
            j += 1;
        }
        // Fillers at either end belong to the sentence, not the date.
        let (mut a, mut b) = (i, j);
        while a < b && words[a].2 == Some(Kind::Filler) {
            a += 1;
        }
        while b > a && words[b - 1].2 == Some(Kind::Filler) && !is_ampm(text, words[b - 1], dw) {
            b -= 1;
        }
        // A list number before a numeric date ("2. 10-31-2017") is not part of it.
        if b - a >= 2
            && text[words[a].0..words[a].1].ends_with('.')
            && matches!(words[a].2, Some(Kind::Number { parts: 1, .. }))
            && matches!(words[a + 1].2, Some(Kind::Number { .. }))
        {
            a += 1;
        }
        let kinds: Vec<Kind> = words[a..b].iter().filter_map(|w| w.2).collect();
        if a < b && kinds_make_date(&kinds) {
            let from = words[a].0 + leading_strip(&text[words[a].0..words[a].1]);
            let to = words[b - 1].0 + trailing_keep(&text[words[b - 1].0..words[b - 1].1]);
            if from < to {
                spans.push((from, to));
            }
        }
        i = j;
    }
    spans
}

fn is_ampm(text: &str, word: (usize, usize, Option<Kind>), dw: &DateWords) -> bool {
    dw.roles(strip(&text[word.0..word.1]))
        .intersects(Roles::DAY_HALF)
}

fn leading_strip(word: &str) -> usize {
    word.len() - strip(word).len() - (word.len() - word.trim_end_matches(strip_end).len())
}

fn strip_end(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | ')' | ']' | '»' | '«' | '|' | '"' | '\'' | ':'
    )
}

fn trailing_keep(word: &str) -> usize {
    word.trim_end_matches(strip_end).len()
}

#[cfg(test)]
mod tests;
