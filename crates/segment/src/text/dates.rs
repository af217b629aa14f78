//! Finding printed dates inside a line of text.
//!
//! Every forum prints a date with every post, in whatever words its UI language uses, so a
//! date is the one post anchor that needs no engine-specific strings. The words come from
//! the lexicon's date data (month and weekday names, filler words, AM/PM markers, relative
//! words), never from code.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use threadmill_lexicon::Lexicon;

use crate::derived::{Slot, derived};

/// The date vocabulary of every language in the lexicon, lower-cased: each word with the
/// roles it can play, so a word is looked up once.
#[derive(Debug, Default)]
pub(crate) struct DateWords {
    words: foldhash::HashMap<String, u8>,
}

const MONTH: u8 = 1;
const WEEKDAY: u8 = 1 << 1;
const FILLER: u8 = 1 << 2;
const AMPM: u8 = 1 << 3;
/// "today", "yesterday", "heute": a date by themselves.
const DAY: u8 = 1 << 4;
/// "ago", "vor", "geleden": a date only with a number and a unit.
const AGO: u8 = 1 << 5;
/// "days", "Tagen": unit names.
const UNIT: u8 = 1 << 6;

impl DateWords {
    /// The vocabulary of `lexicon`, built on first use and shared after: every page of a
    /// run asks for the same one.
    pub(crate) fn of(lexicon: &Lexicon) -> Arc<Self> {
        static SLOT: Slot<DateWords> = Mutex::new(None);
        derived(&SLOT, lexicon, Self::new)
    }

    pub(crate) fn new(lexicon: &Lexicon) -> Self {
        let mut words = Self::default();
        let mut add = |role: u8, word: String| *words.words.entry(word).or_default() |= role;
        for (_, lang) in lexicon.langs() {
            // One- and two-letter month names (Roman numerals "I", "V") are words in prose.
            for month in lang.months.keys().filter(|m| m.chars().count() >= 3) {
                add(MONTH, month.clone());
            }
            for weekday in lang.weekdays.keys() {
                add(WEEKDAY, weekday.clone());
            }
            for filler in &lang.file.filler {
                add(FILLER, filler.to_lowercase());
            }
            for marker in lang.file.am.iter().chain(&lang.file.pm) {
                add(AMPM, marker.to_lowercase());
            }
            let rel = &lang.file.relative;
            // Only one-word phrases: the parts of "i dag" are prose words on their own.
            for phrase in rel.today.iter().chain(&rel.yesterday) {
                if !phrase.contains(char::is_whitespace) {
                    add(DAY, phrase.to_lowercase());
                }
            }
            for template in &rel.ago {
                for word in template.split_whitespace().filter(|w| !w.contains('{')) {
                    add(AGO, word.to_lowercase());
                }
            }
            for unit in rel.units.values().flatten() {
                add(UNIT, unit.to_lowercase());
            }
        }
        add(AMPM, "am".to_owned());
        add(AMPM, "pm".to_owned());
        words
    }

    /// The roles `word`, in any case, can play; 0 for none.
    fn roles(&self, word: &str) -> u8 {
        // Every word of every page is looked up: ASCII words are lower-cased on the stack.
        let mut buf = [0_u8; 32];
        let found = match buf.get_mut(..word.len()) {
            Some(lowered) if word.is_ascii() => {
                lowered.copy_from_slice(word.as_bytes());
                lowered.make_ascii_lowercase();
                std::str::from_utf8(lowered)
                    .ok()
                    .and_then(|key| self.words.get(key))
            }
            _ => self.words.get(word.to_lowercase().as_str()),
        };
        found.copied().unwrap_or(0)
    }

    /// True for a word that only joins date parts ("at", "on", "um").
    pub(crate) fn is_filler(&self, word: &str) -> bool {
        self.roles(word) & (FILLER | AMPM) != 0
    }
}

/// `word` lower-cased, without a copy when it has no capitals (most words).
fn lower(word: &str) -> Cow<'_, str> {
    if word.is_ascii() && !word.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

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

fn number_parts(word: &str) -> Option<(usize, bool)> {
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
    let suffix = &core[digits_end..];
    if !matches!(
        suffix,
        "" | "st" | "nd" | "rd" | "th" | "am" | "pm" | "h" | "e" | "er" | "r"
    ) {
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
    if let Some((parts, full_date)) = number_parts(w) {
        return Some(Kind::Number { parts, full_date });
    }
    let bare = w.trim_end_matches('.');
    let whole = dw.roles(w);
    let without_dot = if bare.len() == w.len() {
        whole
    } else {
        dw.roles(bare)
    };
    if (whole | without_dot) & MONTH != 0 {
        return Some(Kind::Month { numbers: 0 });
    }
    if (whole | without_dot) & WEEKDAY != 0 {
        return Some(Kind::Weekday);
    }
    // "16-Jun-20": numbers and a month name fused by dashes, dots or slashes.
    if bare.contains(['-', '/', '.']) {
        let mut numbers = 0;
        let mut month = false;
        for p in bare.split(['-', '/', '.']) {
            if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && p.len() <= 4 {
                numbers += 1;
            } else if dw.roles(p) & MONTH != 0 {
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
    if whole & AMPM != 0 {
        return Some(Kind::Filler);
    }
    if without_dot & DAY != 0 {
        return Some(Kind::Day);
    }
    if without_dot & UNIT != 0 {
        return Some(Kind::Unit);
    }
    if without_dot & AGO != 0 {
        return Some(Kind::Ago(bare.chars().count() >= 2));
    }
    if (whole | without_dot) & FILLER != 0 {
        return Some(Kind::Filler);
    }
    None
}

/// True when a run of token kinds makes a date on its own.
fn is_date(kinds: &[Kind]) -> bool {
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
    // Every date has a number ([`is_date`]), and numbers start with an ASCII digit: most
    // lines of prose have none and need no word-by-word reading.
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
        if a < b && is_date(&kinds) {
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
    dw.roles(strip(&text[word.0..word.1])) & AMPM != 0
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
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<String> {
        let lx = Lexicon::builtin().expect("lexicon");
        let dw = DateWords::new(&lx);
        find_dates(text, &dw)
            .into_iter()
            .map(|(a, b)| text[a..b].to_owned())
            .collect()
    }

    proptest::proptest! {
        /// Skipping texts without a digit never loses a date.
        #[test]
        fn texts_without_digits_hold_no_dates(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Sun", "Jul", "28,", "2013", "1:34", "pm", "today", "yesterday", "at",
                    "um", "heute", "ago", "days", "3", "vor", "Tagen", "16-Jun-20", "Juni",
                    "13.11.2019", "lundi", "mars", "il", "y", "a", "×", "Jun-", "-20",
                ]),
                0..10,
            ),
        ) {
            static DW: std::sync::LazyLock<DateWords> = std::sync::LazyLock::new(|| {
                DateWords::new(&Lexicon::builtin().expect("lexicon"))
            });
            let text = words.join(" ");
            proptest::prop_assert_eq!(find_dates(&text, &DW), read_dates(&text, &DW));
        }
    }

    #[test]
    fn dates_in_many_shapes() {
        assert_eq!(
            dates("Postby RGB » Sun Jul 28, 2013 1:34 pm"),
            ["Sun Jul 28, 2013 1:34 pm"]
        );
        assert_eq!(
            dates("Jellycatspyjamas Tue 16-Jun-20 23:12:23"),
            ["Tue 16-Jun-20 23:12:23"]
        );
        assert_eq!(
            dates("● By junipersage On 2020.03.12 15:21"),
            ["2020.03.12 15:21"]
        );
        assert_eq!(dates("Tachy, Feb 23, 2019"), ["Feb 23, 2019"]);
        assert_eq!(
            dates("2. 10-31-2017, 01:56 PM #2"),
            ["10-31-2017, 01:56 PM"]
        );
        assert_eq!(
            dates("Wuhduh ● #2 erstellt: 21. Apr 2020, 20:53"),
            ["21. Apr 2020, 20:53"]
        );
        assert_eq!(dates("September 2019 in Central"), ["September 2019"]);
        assert_eq!(dates("vixen 3 weeks ago"), ["3 weeks ago"]);
        assert_eq!(dates("13.11.2019"), ["13.11.2019"]);
        assert_eq!(dates("Joined Nov 14, 2018 60 42"), ["Nov 14, 2018"]);
    }

    #[test]
    fn numbers_alone_are_not_dates() {
        assert!(dates("Posts: 14,580").is_empty());
        assert!(dates("Beiträge: 1.234").is_empty());
        assert!(dates("VLC 3.0.8 on Windows 10").is_empty());
        assert!(dates("at the end of the day").is_empty());
        assert!(dates("Notre fille a 4 ans et demi").is_empty());
        // "Hier" is "yesterday" in French and "here" in German: a day word needs a time.
        assert!(dates("Hier erfahren Sie mehr").is_empty());
        assert_eq!(dates("Hier, 10:15"), ["Hier, 10:15"]);
    }
}
