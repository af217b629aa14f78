//! The date words of every language, compiled once into one table.
//!
//! Each spelling has the roles it plays in a printed date; each language keeps its words as
//! a date parser reads them.

use std::collections::BTreeMap;
use std::ops::{BitOr, BitOrAssign};

use crate::chrome::WordSet;
use crate::error::Error;
use crate::file::LangFile;

/// Date words of one language, ready for lookup (all names lower-cased).
#[derive(Debug, Clone, Default)]
pub struct LangData {
    /// Lower-cased month name → month number (1–12).
    pub months: BTreeMap<String, u8>,
    /// Lower-cased weekday name → weekday number (1 = Monday).
    pub weekdays: BTreeMap<String, u8>,
    /// The raw file data: order, filler and relative words.
    pub file: LangFile,
    fillers: Vec<String>,
    units: Vec<(String, TimeUnit)>,
    compact: Vec<(String, TimeUnit)>,
}

impl LangData {
    /// The connector words: each `filler` entry split at white space ("a las" is two
    /// words), lower-cased, without a final dot.
    pub fn fillers(&self) -> &[String] {
        &self.fillers
    }

    /// The unit names of relative dates, lower-cased, without a final dot, each with the
    /// unit it names, units in the order of their keys.
    pub fn units(&self) -> &[(String, TimeUnit)] {
        &self.units
    }

    /// The age a compact display gives ("3y", "7mo"), in this language's units.
    pub fn compact_age(&self, text: &str) -> Option<(u32, TimeUnit)> {
        compact_age(text, &self.compact)
    }

    /// Adds one file's words for this language.
    pub(crate) fn merge(&mut self, name: &str, file: &LangFile) -> Result<(), Error> {
        let bad = |reason: &str| Error::Data {
            name: name.to_owned(),
            reason: reason.to_owned(),
        };
        if !file.months.is_empty() && file.months.len() != 12 {
            return Err(bad("`months` needs twelve entries, January first"));
        }
        if !file.weekdays.is_empty() && file.weekdays.len() != 7 {
            return Err(bad("`weekdays` needs seven entries, Monday first"));
        }
        for (number, names) in (1u8..).zip(&file.months) {
            for month in names {
                self.months.insert(month.to_lowercase(), number);
            }
        }
        for (number, names) in (1u8..).zip(&file.weekdays) {
            for day in names {
                self.weekdays.insert(day.to_lowercase(), number);
            }
        }
        let merged = &mut self.file;
        if file.order.is_some() {
            merged.order.clone_from(&file.order);
        }
        merged.filler.extend(file.filler.iter().cloned());
        merged.am.extend(file.am.iter().cloned());
        merged.pm.extend(file.pm.iter().cloned());
        merged
            .ordinal_suffixes
            .extend(file.ordinal_suffixes.iter().cloned());
        merged
            .number_suffixes
            .extend(file.number_suffixes.iter().cloned());
        merged
            .year_suffixes
            .extend(file.year_suffixes.iter().cloned());
        let (into, from) = (&mut merged.relative, &file.relative);
        into.today.extend(from.today.iter().cloned());
        into.yesterday.extend(from.yesterday.iter().cloned());
        into.day_before_yesterday
            .extend(from.day_before_yesterday.iter().cloned());
        into.now.extend(from.now.iter().cloned());
        into.ago.extend(from.ago.iter().cloned());
        for (into, from) in [
            (&mut into.units, &from.units),
            (&mut into.compact, &from.compact),
        ] {
            for (unit, words) in from {
                into.entry(unit.clone())
                    .or_default()
                    .extend(words.iter().cloned());
            }
        }
        Ok(())
    }

    /// Derives the parser's word lists once every file is merged.
    fn finish(&mut self) {
        let file = &self.file;
        self.fillers = file
            .filler
            .iter()
            .flat_map(|f| f.split_whitespace())
            .map(|w| without_final_dot(&w.to_lowercase()).to_owned())
            .collect();
        let unit_names = |table: &BTreeMap<String, Vec<String>>| -> Vec<(String, TimeUnit)> {
            table
                .iter()
                .filter_map(|(key, names)| Some((TimeUnit::from_key(key)?, names)))
                .flat_map(|(unit, names)| {
                    names
                        .iter()
                        .map(move |n| (without_final_dot(&n.to_lowercase()).to_owned(), unit))
                })
                .collect()
        };
        self.units = unit_names(&file.relative.units);
        self.compact = unit_names(&file.relative.compact);
    }
}

/// "3y" → (3, year) by `units`: one to three digits, then a unit, and nothing else.
fn compact_age(text: &str, units: &[(String, TimeUnit)]) -> Option<(u32, TimeUnit)> {
    let text = text.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let (number, unit) = text.split_at(digits);
    let unit = without_final_dot(unit).to_lowercase();
    let (_, found) = units.iter().find(|(name, _)| *name == unit)?;
    Some((number.parse().ok()?, *found))
}

fn without_final_dot(word: &str) -> &str {
    word.strip_suffix('.').unwrap_or(word)
}

/// The units a relative date counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Key `second`.
    Second,
    /// Key `minute`.
    Minute,
    /// Key `hour`.
    Hour,
    /// Key `day`.
    Day,
    /// Key `week`.
    Week,
    /// Key `month`.
    Month,
    /// Key `year`.
    Year,
}

impl TimeUnit {
    /// The unit a key of `[dates.relative.units]` names.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "second" => Self::Second,
            "minute" => Self::Minute,
            "hour" => Self::Hour,
            "day" => Self::Day,
            "week" => Self::Week,
            "month" => Self::Month,
            "year" => Self::Year,
            _ => return None,
        })
    }
}

/// The roles a spelling can play in a printed date, in one language of the lexicon or
/// another.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Roles(u16);

impl Roles {
    /// No role: not a date word.
    pub const NONE: Self = Self(0);
    /// A month name ("Jan", "März", "января").
    pub const MONTH: Self = Self(1);
    /// A weekday name ("Tue", "Mittwoch").
    pub const WEEKDAY: Self = Self(1 << 1);
    /// A word between date parts that says nothing ("at", "um", "à").
    pub const FILLER: Self = Self(1 << 2);
    /// A morning or afternoon marker ("am", "p.m.").
    pub const DAY_HALF: Self = Self(1 << 3);
    /// "Today" or "yesterday" in one word ("heute", "hier").
    pub const DAY: Self = Self(1 << 4);
    /// A word of the template of a past offset ("ago", "vor", "il", "y", "a").
    pub const AGO: Self = Self(1 << 5);
    /// The name of a unit of a past offset ("days", "stunden").
    pub const UNIT: Self = Self(1 << 6);
    /// A word of any relative date's words: today, yesterday, the day before, now, units
    /// and ago templates ("just", "now", "gerade", "eben").
    pub const RELATIVE: Self = Self(1 << 7);
    /// Not a role: the spelling is one or two characters long. A month name that short (a
    /// Roman numeral, "I", "V") is a word of prose as often.
    pub const SHORT: Self = Self(1 << 8);

    /// The roles of both.
    #[inline]
    #[must_use]
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// True when `self` has any of the roles in `other`.
    #[inline]
    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }
}

impl BitOr for Roles {
    type Output = Self;

    fn bitor(self, other: Self) -> Self {
        self.union(other)
    }
}

impl BitOrAssign for Roles {
    fn bitor_assign(&mut self, other: Self) {
        self.0 |= other.0;
    }
}

/// What a word of a relative date ("3 hours ago", "Heute, 10:31") can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relative {
    /// "today", "yesterday", "now": a date by itself.
    Day,
    /// "hours", "minutes".
    Unit,
    /// A word of the "ago" phrase.
    Ago,
    /// A filler, AM or PM word: allowed, saying nothing.
    Filler,
}

impl Relative {
    const fn bit(self) -> u8 {
        match self {
            Self::Day => 1,
            Self::Unit => 1 << 1,
            Self::Ago => 1 << 2,
            Self::Filler => 1 << 3,
        }
    }
}

/// The roles one spelling plays in the relative dates of all languages: "an" is a word of
/// English "an hour ago" and the French unit of "il y a 1 an", and a reader must see both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RelativeRoles(u8);

impl RelativeRoles {
    /// True when the spelling plays `role` in some language.
    #[inline]
    pub const fn has(self, role: Relative) -> bool {
        self.0 & role.bit() != 0
    }

    /// True when the spelling plays no role in any relative date.
    #[inline]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn add(&mut self, role: Relative) {
        self.0 |= role.bit();
    }
}

/// One spelling's entry in [`DateWords`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateWord {
    /// Every role the spelling plays in some language.
    pub roles: Roles,
    /// Every role the spelling plays in some language's relative dates, looked up in lower
    /// case ("Stunden" of the German files is "stunden").
    pub relative: RelativeRoles,
}

/// Every date word of every language in the lexicon, built once with it.
///
/// One table answers for all languages at once what a word of a page can be in a date
/// (the segmenter's question, asked for every word of every line); each language's
/// [`LangData`] holds its words as the date parser reads them in that language alone.
#[derive(Debug, Default)]
pub struct DateWords {
    /// Lower-cased spelling → its roles.
    words: foldhash::HashMap<String, DateWord>,
    /// Every language's compact age units, first language first.
    compact: Vec<(String, TimeUnit)>,
    langs: BTreeMap<String, LangData>,
    day_half: Vec<(String, bool)>,
    ordinal_suffixes: WordSet,
    number_suffixes: WordSet,
    year_suffixes: WordSet,
}

impl DateWords {
    /// Compiles the merged languages.
    #[allow(
        clippy::too_many_lines,
        reason = "every word of every language entered once, role by role, in one pass"
    )]
    pub(crate) fn new(mut langs: BTreeMap<String, LangData>) -> Self {
        let mut words: foldhash::HashMap<String, DateWord> = foldhash::HashMap::default();
        let mut am = Vec::new();
        let mut pm = Vec::new();
        for lang in langs.values_mut() {
            lang.finish();
            let f = &lang.file;
            let r = &f.relative;
            let mut add =
                |word: String, roles: Roles| words.entry(word).or_default().roles |= roles;
            for month in lang.months.keys() {
                add(month.clone(), Roles::MONTH);
            }
            for weekday in lang.weekdays.keys() {
                add(weekday.clone(), Roles::WEEKDAY);
            }
            for filler in &f.filler {
                add(filler.to_lowercase(), Roles::FILLER);
            }
            for marker in f.am.iter().chain(&f.pm) {
                add(marker.to_lowercase(), Roles::DAY_HALF);
            }
            // Only one-word phrases: the parts of "i dag" are prose words on their own.
            for phrase in r.today.iter().chain(&r.yesterday) {
                if !phrase.contains(char::is_whitespace) {
                    add(phrase.to_lowercase(), Roles::DAY);
                }
            }
            for word in template_words(&r.ago) {
                add(word.to_lowercase(), Roles::AGO);
            }
            for unit in r.units.values().flatten() {
                add(unit.to_lowercase(), Roles::UNIT);
            }
            let phrases = r
                .today
                .iter()
                .chain(&r.yesterday)
                .chain(&r.day_before_yesterday)
                .chain(&r.now)
                .chain(r.units.values().flatten())
                .chain(&r.ago);
            for word in template_words(phrases) {
                add(word.to_lowercase(), Roles::RELATIVE);
            }
            // Every role in relative dates, in lower case: pages print "Vor 3 Stunden" and
            // "vor 3 stunden" alike.
            let day = r
                .today
                .iter()
                .chain(&r.yesterday)
                .chain(&r.day_before_yesterday)
                .chain(&r.now)
                .map(|w| (w.clone(), Relative::Day));
            let unit = r
                .units
                .values()
                .flatten()
                .map(|w| (w.clone(), Relative::Unit));
            let ago = template_words(&r.ago).map(|w| (w.to_owned(), Relative::Ago));
            let filler = f
                .filler
                .iter()
                .chain(&f.am)
                .chain(&f.pm)
                .map(|w| (w.to_ascii_lowercase(), Relative::Filler));
            for (word, role) in day.chain(unit).chain(ago).chain(filler) {
                // A phrase's parts are prose words on their own ("i dag").
                if !word.contains(char::is_whitespace) {
                    words
                        .entry(word.to_lowercase())
                        .or_default()
                        .relative
                        .add(role);
                }
            }
            am.extend(f.am.iter().map(|m| phrase(m)));
            pm.extend(f.pm.iter().map(|m| phrase(m)));
        }
        for (spelling, word) in &mut words {
            if spelling.chars().nth(2).is_none() {
                word.roles |= Roles::SHORT;
            }
        }
        let mut day_half: Vec<(String, bool)> = am
            .into_iter()
            .map(|m| (m, false))
            .chain(pm.into_iter().map(|m| (m, true)))
            .filter(|(m, _)| !m.is_empty())
            .collect();
        day_half.sort_by_key(|(m, _)| std::cmp::Reverse(m.len()));
        let every = |list: fn(&LangFile) -> &Vec<String>| {
            let words: Vec<String> = langs
                .values()
                .flat_map(|lang| list(&lang.file))
                .cloned()
                .collect();
            WordSet::new(&words)
        };
        let ordinal_suffixes = every(|f| &f.ordinal_suffixes);
        let number_suffixes = every(|f| &f.number_suffixes);
        let year_suffixes = every(|f| &f.year_suffixes);
        let compact = langs
            .values()
            .flat_map(|lang| lang.compact.iter().cloned())
            .collect();
        Self {
            words,
            compact,
            langs,
            day_half,
            ordinal_suffixes,
            number_suffixes,
            year_suffixes,
        }
    }

    /// What `word`, in any case, can be in a date; the default (no role) for a word that
    /// is no date word.
    #[inline]
    pub fn get(&self, word: &str) -> DateWord {
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
        found.copied().unwrap_or_default()
    }

    /// What `spelling`, exactly as given, can be in a date: for a caller that folds the
    /// case its own way. Only lower-case spellings are found.
    #[inline]
    pub fn get_exact(&self, spelling: &str) -> DateWord {
        self.words.get(spelling).copied().unwrap_or_default()
    }

    /// The roles of `word`, in any case.
    #[inline]
    pub fn roles(&self, word: &str) -> Roles {
        self.get(word).roles
    }

    /// The age a compact display gives ("3y", "7mo"), by the units of every language.
    pub fn compact_age(&self, text: &str) -> Option<(u32, TimeUnit)> {
        compact_age(text, &self.compact)
    }

    /// The words of one language (ISO 639-1), if the lexicon has any.
    pub fn lang(&self, code: &str) -> Option<&LangData> {
        self.langs.get(code)
    }

    /// Every language with date words, by code.
    pub fn langs(&self) -> impl Iterator<Item = (&str, &LangData)> {
        self.langs.iter().map(|(code, data)| (code.as_str(), data))
    }

    /// The morning (`false`) and afternoon (`true`) markers of every language, lower-cased
    /// with single spaces, longest first. Every language reads them all: forums print
    /// "pm" whatever their UI language.
    pub fn day_half_markers(&self) -> &[(String, bool)] {
        &self.day_half
    }

    /// Every language's ordinal suffixes as the date parser reads them, lower-cased ("th",
    /// "er", "º"): `contains` compares a suffix exactly, so one printed in capitals is
    /// none.
    pub fn ordinal_suffixes(&self) -> &WordSet {
        &self.ordinal_suffixes
    }

    /// Every language's suffixes a number of a printed date may carry glued to it, as the
    /// segmenter's date finder reads them, lower-cased ("th", "e", "h", "pm").
    pub fn number_suffixes(&self) -> &WordSet {
        &self.number_suffixes
    }

    /// Every language's suffixes a year may carry glued to it, lower-cased ("r" of
    /// "2020r.").
    pub fn year_suffixes(&self) -> &WordSet {
        &self.year_suffixes
    }
}

/// The words of templates and phrases, without their placeholders ("{n} {value} ago" →
/// "ago").
fn template_words<'a>(
    texts: impl IntoIterator<Item = &'a String>,
) -> impl Iterator<Item = &'a str> {
    texts
        .into_iter()
        .flat_map(|t| t.split_whitespace())
        .filter(|w| !w.contains('{'))
}

/// Lower-cased, with single spaces.
fn phrase(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Lexicon, LexiconBuilder};

    fn lexicon() -> Lexicon {
        Lexicon::builtin().expect("built-in lexicon compiles")
    }

    #[test]
    fn one_table_for_every_language() {
        let lx = lexicon();
        let dw = lx.date_words();
        assert!(dw.roles("März").intersects(Roles::MONTH));
        assert!(dw.roles("MÄRZ").intersects(Roles::MONTH));
        assert!(dw.roles("сентября").intersects(Roles::MONTH));
        assert!(dw.roles("Wednesday").intersects(Roles::WEEKDAY));
        assert!(dw.roles("Mo").intersects(Roles::WEEKDAY | Roles::SHORT));
        assert!(!dw.roles("Monday").intersects(Roles::SHORT));
        assert!(dw.roles("um").intersects(Roles::FILLER));
        assert!(dw.roles("p.m.").intersects(Roles::DAY_HALF));
        assert!(dw.roles("gestern").intersects(Roles::DAY));
        // "i dag" is two prose words, not a day word.
        assert!(!dw.roles("i").intersects(Roles::DAY));
        assert!(dw.roles("i").intersects(Roles::RELATIVE));
        assert!(dw.roles("geleden").intersects(Roles::AGO));
        assert!(dw.roles("Stunden").intersects(Roles::UNIT));
        assert_eq!(dw.roles("forum"), Roles::NONE);
        assert_eq!(dw.get_exact("März"), DateWord::default());
    }

    #[test]
    fn a_relative_dates_word_has_every_languages_roles() {
        let lx = lexicon();
        let dw = lx.date_words();
        let relative = |w: &str| dw.get(w).relative;
        assert!(relative("heute").has(Relative::Day));
        assert!(relative("hours").has(Relative::Unit));
        // English "an hour ago" and French "il y a 1 an" (a year).
        assert!(relative("an").has(Relative::Ago));
        assert!(relative("an").has(Relative::Unit));
        // French "il y a" and the Italian filler "il".
        assert!(relative("il").has(Relative::Ago));
        assert!(relative("il").has(Relative::Filler));
        assert!(relative("uhr").has(Relative::Filler));
        // The files spell German units with a capital; pages print both.
        assert!(relative("stunden").has(Relative::Unit));
        assert!(relative("Stunden").has(Relative::Unit));
        assert!(relative("forum").is_empty());
    }

    #[test]
    fn day_half_markers_are_every_languages_longest_first() {
        let lx = lexicon();
        let markers = lx.date_words().day_half_markers();
        assert_eq!(
            markers.first().map(|(m, pm)| (m.as_str(), *pm)),
            Some(("a.m.", false))
        );
        assert!(markers.iter().any(|(m, pm)| m == "pm" && *pm));
        assert!(markers.windows(2).all(|w| w[0].0.len() >= w[1].0.len()));
    }

    #[test]
    fn number_suffixes_are_every_languages() {
        let lx = lexicon();
        let dw = lx.date_words();
        for suffix in ["st", "nd", "rd", "th", "er", "º", "ª"] {
            assert!(dw.ordinal_suffixes().contains(suffix), "{suffix}");
        }
        assert!(!dw.ordinal_suffixes().contains("e") && !dw.ordinal_suffixes().contains("TH"));
        for suffix in ["st", "nd", "rd", "th", "am", "pm", "h", "e", "er"] {
            assert!(dw.number_suffixes().contains(suffix), "{suffix}");
        }
        assert!(!dw.number_suffixes().contains("º") && !dw.number_suffixes().contains("r"));
        assert_eq!(dw.year_suffixes().sorted(), ["r"]);
    }

    #[test]
    fn a_users_file_adds_number_suffixes() {
        let extra = r#"
            lang = "sv"
            [dates]
            ordinal_suffixes = [":a", ":e"]
            number_suffixes = [":a", ":e"]
            year_suffixes = ["Års"]
        "#;
        let lx = Lexicon::builder()
            .builtin()
            .and_then(|b| b.add_toml("sv-extra.toml", extra))
            .and_then(LexiconBuilder::build)
            .expect("compiles");
        let dw = lx.date_words();
        assert!(dw.ordinal_suffixes().contains(":a") && dw.ordinal_suffixes().contains("th"));
        assert!(dw.number_suffixes().contains(":e") && dw.number_suffixes().contains("pm"));
        assert!(dw.year_suffixes().contains("års") && dw.year_suffixes().contains("r"));
    }

    #[test]
    fn a_languages_parser_words_are_derived_once() {
        let extra = r#"
            lang = "xx"
            [dates]
            filler = ["a las", "Kl."]
            am = ["Vor  Mittag"]
            [dates.relative.units]
            hour = ["Std.", "Stunde"]
            fortnight = ["Fortnight"]
        "#;
        let lx = Lexicon::builder()
            .add_toml("xx.toml", extra)
            .and_then(LexiconBuilder::build)
            .expect("compiles");
        let xx = lx.lang("xx").expect("the language");
        assert_eq!(xx.fillers(), ["a", "las", "kl"]);
        assert_eq!(
            xx.units(),
            [
                ("std".to_owned(), TimeUnit::Hour),
                ("stunde".to_owned(), TimeUnit::Hour)
            ]
        );
        assert_eq!(
            lx.date_words().day_half_markers(),
            [("vor mittag".to_owned(), false)]
        );
    }
}
