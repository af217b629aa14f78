//! Forum dates as printed ("Fri Nov 10, 2017 2:35 pm", "vor 2 Stunden", "13.03.2019") turned
//! into ISO 8601.
//!
//! Every word comes from the lexicon's per-language date data: month and weekday names,
//! connector words (`filler`), morning/afternoon markers (every language's, as forums
//! print "pm" whatever their UI language) and relative words. The code only knows
//! numbers, the punctuation between them, and ordinal suffixes.
//!
//! The parser never guesses. Each language's words are tried on the whole string, every
//! reading the string allows is worked out (a word that is both a month and a weekday, a
//! numeric date whose day and month could swap), and only a single surviving result is
//! returned. A printed weekday must agree with the date, which also settles some readings.
//! Missing pieces (the year of "Apr 24", the day of "Yesterday") come only from the
//! reference time; without one such dates are `None`.

use std::sync::LazyLock;

use jiff::Span;
use jiff::civil::{Date, DateTime, Time};
use regex::{Captures, Regex};
use threadmill_lexicon::{LangData, Lexicon, TimeUnit, WordSet};

/// Longer strings are not dates: refusing them early bounds the work on hostile input.
const MAX_CHARS: usize = 120;
/// More words than this in one date means it is prose, and would blow up the readings.
const MAX_WORDS: usize = 6;
/// Years outside this range are more likely counts or ids than post dates.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;
/// Two-digit years below this are 20xx, the rest 19xx: forums predate 1970 by little.
const PIVOT: i32 = 70;
/// How far back a year-less date may be placed. A day, month and weekday recur within
/// eleven years (Feb 29 within eight without a weekday); further back is no longer "the
/// latest such date" a page would print without a year.
const YEARLESS_LOOKBACK: i32 = 11;

/// The order of day, month and year in an all-numeric date such as `01.02.03`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// Day, month, year: `13.03.2019`.
    Dmy,
    /// Month, day, year: `04-23-2020`.
    Mdy,
    /// Year, month, day: `2020.03.12` (and, only with this order, `20.03.12`).
    Ymd,
}

impl DateOrder {
    /// The order named by a lexicon's `order` field: `"dmy"`, `"mdy"` or `"ymd"`.
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "dmy" => Some(Self::Dmy),
            "mdy" => Some(Self::Mdy),
            "ymd" => Some(Self::Ymd),
            _ => None,
        }
    }

    /// The usual numeric order of a language, as its lexicon file states it.
    ///
    /// [`parse_date`] never falls back on this by itself: a caller that prefers the
    /// language's habit to `None` for `01.02.03` passes it in [`DateContext::order`].
    pub fn of_lang(lang: &LangData) -> Option<Self> {
        lang.file.order.as_deref().and_then(Self::from_code)
    }
}

/// What a date string is read against.
#[derive(Debug, Clone)]
pub struct DateContext<'a> {
    /// Month, weekday and relative words per language.
    pub lexicon: &'a Lexicon,
    /// ISO 639-1 codes to try, the page's UI language first. The first language whose
    /// words read the string decides. Empty means every language in the lexicon, and
    /// then all languages that read the string must agree.
    pub langs: Vec<String>,
    /// Day/month order of numeric dates, learned from the page (see [`infer_order`]).
    /// Without it a numeric date whose first two parts are both 12 or less is `None`.
    pub order: Option<DateOrder>,
    /// The time the page was captured: relative dates and dates without a year are
    /// resolved against it, and are `None` without it.
    pub reference: Option<DateTime>,
}

impl<'a> DateContext<'a> {
    /// A context with every language, no known order and no reference time.
    pub fn new(lexicon: &'a Lexicon) -> Self {
        Self {
            lexicon,
            langs: Vec::new(),
            order: None,
            reference: None,
        }
    }
}

/// A date that was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedDate {
    /// ISO 8601: `2020-11-22T15:27` with a time (to the minute), `2023-09-13` without.
    pub iso: String,
    /// The calendar date.
    pub date: Date,
    /// The time of day, when the string gave one (seconds kept here, not in `iso`).
    pub time: Option<Time>,
    /// The string was relative ("10 days ago", "Yesterday at 08:12 PM", "Sunday at
    /// 10:31") and was resolved against the reference time.
    pub relative: bool,
    /// The string had no year ("Apr 24"); it was taken from the reference time.
    pub year_from_reference: bool,
    /// The string named a month and year only ("September 2019", "Join Date: Mar 2010"):
    /// `iso` is `2019-09` and `date` the first of the month.
    pub month_only: bool,
}

impl ParsedDate {
    fn new(
        date: Date,
        time: Option<Time>,
        relative: bool,
        year_from_reference: bool,
    ) -> Option<Self> {
        // Relative offsets can reach any year; no post is dated outside this range.
        if !YEARS.contains(&i32::from(date.year())) {
            return None;
        }
        let (y, m, d) = (date.year(), date.month(), date.day());
        let iso = match time {
            Some(t) => format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}", t.hour(), t.minute()),
            None => format!("{y:04}-{m:02}-{d:02}"),
        };
        Some(Self {
            iso,
            date,
            time,
            relative,
            year_from_reference,
            month_only: false,
        })
    }

    /// A month of a year, printed without a day: ISO 8601's reduced precision, `2019-09`.
    fn month(year: i32, month: u32) -> Option<Self> {
        let date = make_date(year, month, 1)?;
        let mut parsed = Self::new(date, None, false, false)?;
        parsed.iso.truncate("2019-09".len());
        parsed.month_only = true;
        Some(parsed)
    }
}

/// Reads a forum date in any language of the lexicon; `None` unless exactly one date
/// fits every word and number in `raw`.
///
/// ```
/// use threadmill_extract::{parse_date, DateContext};
/// use threadmill_lexicon::Lexicon;
///
/// let lexicon = Lexicon::builtin()?;
/// let mut ctx = DateContext::new(&lexicon);
/// ctx.langs = vec!["en".into()];
/// let date = parse_date("Fri Nov 10, 2017 2:35 pm", &ctx).expect("a date");
/// assert_eq!(date.iso, "2017-11-10T14:35");
/// assert_eq!(parse_date("March 30", &ctx), None); // no year and no reference time
/// # Ok::<(), threadmill_lexicon::Error>(())
/// ```
pub fn parse_date(raw: &str, ctx: &DateContext<'_>) -> Option<ParsedDate> {
    let text = normalize(raw)?;
    if let Some(date) = parse_iso(&text) {
        return Some(date);
    }
    if ctx.langs.is_empty() {
        let mut found = Vec::new();
        for (_, lang) in ctx.lexicon.langs() {
            found.extend(candidates(&text, lang, ctx));
        }
        if found.is_empty() {
            found = candidates(&text, &NO_WORDS, ctx);
        }
        return single(found);
    }
    for code in &ctx.langs {
        if let Some(lang) = ctx.lexicon.lang(code) {
            let found = candidates(&text, lang, ctx);
            if !found.is_empty() {
                return single(found);
            }
        }
    }
    // All-numeric dates need no words, even when no listed language has data.
    single(candidates(&text, &NO_WORDS, ctx))
}

/// Learns the day/month order of numeric dates from the dates printed on one page:
/// a first part above 12 means day first, a second part above 12 month first.
///
/// `None` when nothing decides, or when the page contradicts itself.
pub fn infer_order(raws: &[&str]) -> Option<DateOrder> {
    let (mut dmy, mut mdy) = (0_usize, 0_usize);
    for raw in raws {
        if raw.len() > 4 * MAX_CHARS {
            continue;
        }
        for caps in NUMERIC.captures_iter(raw) {
            let Some([first, second, third]) = numeric_parts(&caps) else {
                continue;
            };
            if first.digits > 2 || !matches!(third.digits, 2 | 4) {
                continue;
            }
            let (a, b) = (first.value, second.value);
            if (13..=31).contains(&a) && (1..=12).contains(&b) {
                dmy += 1;
            } else if (13..=31).contains(&b) && (1..=12).contains(&a) {
                mdy += 1;
            }
        }
    }
    match (dmy, mdy) {
        (0, 0) => None,
        (_, 0) => Some(DateOrder::Dmy),
        (0, _) => Some(DateOrder::Mdy),
        _ => None,
    }
}

/// Day first for a page whose numeric dates are written `11.06.2020` (dots, four-digit
/// year last) and none with slashes or dashes: the languages that write dates with dots
/// put the day first, and no forum writes month.day.year with dots. `None` otherwise.
pub fn dotted_order(raws: &[&str]) -> Option<DateOrder> {
    let (mut dotted, mut other) = (0_usize, 0_usize);
    for raw in raws {
        if raw.len() > 4 * MAX_CHARS {
            continue;
        }
        for caps in NUMERIC.captures_iter(raw) {
            let (Some(whole), Some([first, _, third])) = (caps.get(0), numeric_parts(&caps)) else {
                continue;
            };
            if first.digits > 2 || third.digits != 4 {
                continue;
            }
            if whole.as_str().contains('.') && !whole.as_str().contains(['/', '-']) {
                dotted += 1;
            } else {
                other += 1;
            }
        }
    }
    (dotted > 0 && other == 0).then_some(DateOrder::Dmy)
}

/// A language with no words: numeric dates still parse with it.
static NO_WORDS: LazyLock<LangData> = LazyLock::new(LangData::default);

/// `2011-12-03T17:27:18-05:00` and its shorter forms. The offset is dropped: like every
/// other date here, the result is the wall-clock time as printed.
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(\d{4})-(\d{2})-(\d{2})",
        r"(?:[t ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?(?:z|[+-]\d{2}(?::?\d{2})?)?)?$",
    ))
    .expect("valid ISO regex")
});

/// `15:27`, `16:12:14`, `16h32`. The character before must not make it part of a longer
/// number (`2020.03.12` has no time in it).
static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\p{L}\p{N}:.])(\d{1,2})(?::(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?|h(\d{2}))")
        .expect("valid clock regex")
});

/// An hour with only a marker after it: `3pm`, `9 a.m.`.
static HOUR_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\p{L}\p{N}:.'’])(\d{1,2}) ?(\p{L}[\p{L}.]*)").expect("valid hour regex")
});

/// Three numbers joined by the same `.`, `/` or `-`.
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:^|[^\p{N}.:/-])",
        r"(?:(\d{1,4})\.(\d{1,2})\.(\d{1,4})",
        r"|(\d{1,4})/(\d{1,2})/(\d{1,4})",
        r"|(\d{1,4})-(\d{1,2})-(\d{1,4}))",
    ))
    .expect("valid numeric date regex")
});

/// Lower-cases and collapses white space (no-break spaces included); `None` when too long.
fn normalize(raw: &str) -> Option<String> {
    if raw.len() > 4 * MAX_CHARS {
        return None;
    }
    let lower = raw.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for word in lower.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty() && out.chars().count() <= MAX_CHARS).then_some(out)
}

/// The one reading left, if all readings agree.
fn single(mut found: Vec<ParsedDate>) -> Option<ParsedDate> {
    let first = found.pop()?;
    found.iter().all(|other| *other == first).then_some(first)
}

fn parse_iso(text: &str) -> Option<ParsedDate> {
    let caps = ISO.captures(text)?;
    let num = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let date = make_date(i32::try_from(num(1)?).ok()?, num(2)?, num(3)?)?;
    let time = match (num(4), num(5)) {
        (Some(h), Some(m)) => Some(make_time(h, m, num(6).unwrap_or(0))?),
        _ => None,
    };
    ParsedDate::new(date, time, false, false)
}

fn make_date(year: i32, month: u32, day: u32) -> Option<Date> {
    if !YEARS.contains(&year) {
        return None;
    }
    let year = i16::try_from(year).ok()?;
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

fn make_time(hour: u32, minute: u32, second: u32) -> Option<Time> {
    Time::new(
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        0,
    )
    .ok()
}

/// 1 = Monday, as in the lexicon.
fn weekday_number(date: Date) -> u8 {
    date.weekday().to_monday_one_offset().unsigned_abs()
}

fn fits_weekday(date: Date, weekday: Option<u8>) -> bool {
    weekday.is_none_or(|w| weekday_number(date) == w)
}

fn days_before(date: Date, days: i64) -> Option<Date> {
    date.checked_sub(Span::new().try_days(days).ok()?).ok()
}

/// Compares words the way forums vary them: a final abbreviation dot is optional.
fn bare(word: &str) -> &str {
    word.strip_suffix('.').unwrap_or(word)
}

/// Collapses white space and lower-cases a phrase from the lexicon.
fn phrase(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One language's words as this parser reads them: the lexicon derived them once.
struct Words<'l> {
    lang: &'l LangData,
    /// Morning (`false`) and afternoon (`true`) markers, longest first.
    markers: &'l [(String, bool)],
    /// Every language's ordinal suffixes ("th", "er", "º").
    ordinals: &'l WordSet,
}

impl Words<'_> {
    fn is_filler(&self, word: &str) -> bool {
        let word = bare(word);
        self.lang.fillers().iter().any(|f| f == word)
    }

    fn unit(&self, word: &str) -> Option<TimeUnit> {
        let word = bare(word);
        self.lang
            .units()
            .iter()
            .find(|(name, _)| name == word)
            .map(|(_, unit)| *unit)
    }

    /// Looks a word up in a name map, with and without a final dot.
    fn lookup(map: &std::collections::BTreeMap<String, u8>, word: &str) -> Option<u8> {
        if let Some(&n) = map.get(word).or_else(|| map.get(bare(word))) {
            return Some(n);
        }
        map.get(&format!("{word}.")).copied()
    }

    fn roles(&self, word: &str) -> Vec<Role> {
        let mut roles = Vec::new();
        if let Some(m) = Self::lookup(&self.lang.months, word) {
            roles.push(Role::Month(m));
        }
        if let Some(w) = Self::lookup(&self.lang.weekdays, word) {
            roles.push(Role::Weekday(w));
        }
        if self.is_filler(word) {
            roles.push(Role::Filler);
        }
        roles
    }
}

/// What a word may be in a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Month(u8),
    Weekday(u8),
    Filler,
}

/// Every date one language's words read from the string.
fn candidates(text: &str, lang: &LangData, ctx: &DateContext<'_>) -> Vec<ParsedDate> {
    let words = Words {
        lang,
        markers: ctx.lexicon.date_words().day_half_markers(),
        ordinals: ctx.lexicon.date_words().ordinal_suffixes(),
    };
    let mut out = relative_dates(text, &words, ctx);
    out.extend(absolute_dates(text, &words, ctx));
    out
}

/// A time of day found in the string, with the bytes it covers.
#[derive(Debug, Clone, Copy)]
struct Clock {
    time: Time,
    start: usize,
    end: usize,
}

/// A string that cannot be a date in some language: two times of day, `25:00`, a numeric
/// date that runs on.
#[derive(Debug, Clone, Copy)]
struct Unreadable;

/// The string's time of day, if it has one; unreadable when it has more than one or an
/// impossible one (`25:00`, `13:00 pm`).
fn find_clock(text: &str, words: &Words<'_>) -> Result<Option<Clock>, Unreadable> {
    let mut found: Option<Clock> = None;
    for caps in CLOCK.captures_iter(text) {
        let (Some(hour), Some(whole)) = (caps.get(1), caps.get(0)) else {
            continue;
        };
        let (start, end) = (hour.start(), whole.end());
        // "15:271" or "1:2:3:4" are not times, and then neither is anything else here.
        if text[end..].starts_with(|c: char| c.is_ascii_digit() || c == ':') {
            return Err(Unreadable);
        }
        let number = |m: Option<regex::Match<'_>>| m.map_or(Ok(0), |m| m.as_str().parse::<u32>());
        let (Ok(hour), Ok(minute), Ok(second)) = (
            number(Some(hour)),
            number(caps.get(2).or_else(|| caps.get(4))),
            number(caps.get(3)),
        ) else {
            return Err(Unreadable);
        };
        let (half, end) = day_half(text, end, hour, words);
        let time = clock_time(hour, minute, second, half).ok_or(Unreadable)?;
        if found.replace(Clock { time, start, end }).is_some() {
            return Err(Unreadable);
        }
    }
    if found.is_none() {
        for caps in HOUR_MARKER.captures_iter(text) {
            let (Some(hour), Some(word)) = (caps.get(1), caps.get(2)) else {
                continue;
            };
            let Some(&(_, pm)) = words
                .markers
                .iter()
                .find(|(m, _)| bare(m) == bare(word.as_str()))
            else {
                continue;
            };
            let start = hour.start();
            let hour = hour.as_str().parse().map_err(|_| Unreadable)?;
            let time = clock_time(hour, 0, 0, Some(pm)).ok_or(Unreadable)?;
            if found
                .replace(Clock {
                    time,
                    start,
                    end: word.end(),
                })
                .is_some()
            {
                return Err(Unreadable);
            }
        }
    }
    Ok(found)
}

/// An `am`/`pm` marker right after byte `at` (one space allowed): whether it is `pm`, and
/// where the time ends. A 24-hour time takes no marker, so in "um 15:00 am 3. Februar"
/// the German "am" stays a connector word.
fn day_half(text: &str, at: usize, hour: u32, words: &Words<'_>) -> (Option<bool>, usize) {
    if !(1..=12).contains(&hour) {
        return (None, at);
    }
    let rest = &text[at..];
    let trimmed = rest.strip_prefix(' ').unwrap_or(rest);
    for (marker, pm) in words.markers {
        if let Some(after) = trimmed.strip_prefix(marker.as_str())
            && !after.starts_with(char::is_alphanumeric)
        {
            return (Some(*pm), at + (rest.len() - after.len()));
        }
    }
    (None, at)
}

fn clock_time(hour: u32, minute: u32, second: u32, pm: Option<bool>) -> Option<Time> {
    let hour = match pm {
        None => hour,
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(false) => hour % 12,
        Some(true) => hour % 12 + 12,
    };
    make_time(hour, minute, second)
}

/// The string without bytes `start..end`, a space in their place.
fn cut(text: &str, start: usize, end: usize) -> String {
    format!("{} {}", &text[..start], &text[end..])
}

/// One part of a numeric date.
#[derive(Debug, Clone, Copy)]
struct Part {
    value: u32,
    digits: usize,
}

fn numeric_parts(caps: &Captures<'_>) -> Option<[Part; 3]> {
    let base = (1..=7).step_by(3).find(|&i| caps.get(i).is_some())?;
    let part = |i: usize| {
        let m = caps.get(base + i)?;
        Some(Part {
            value: m.as_str().parse().ok()?,
            digits: m.as_str().len(),
        })
    };
    Some([part(0)?, part(1)?, part(2)?])
}

/// The string's numeric date, if any, with the bytes it covers; unreadable when it has two,
/// or one that runs on (`1.2.3.4`, a version number).
fn find_numeric(text: &str) -> Result<Option<([Part; 3], usize, usize)>, Unreadable> {
    let mut found = None;
    for caps in NUMERIC.captures_iter(text) {
        let whole = caps.get(0).ok_or(Unreadable)?;
        let after = &text[whole.end()..];
        let mut next = after.chars();
        let runs_on = match next.next() {
            Some(c) if c.is_ascii_digit() => true,
            Some('.' | '/' | '-' | ':') => next.next().is_some_and(|c| c.is_ascii_digit()),
            _ => false,
        };
        if runs_on {
            return Err(Unreadable);
        }
        let parts = numeric_parts(&caps).ok_or(Unreadable)?;
        let start = (1..=9)
            .find_map(|i| caps.get(i))
            .map_or(whole.start(), |m| m.start());
        if found.replace((parts, start, whole.end())).is_some() {
            return Err(Unreadable);
        }
    }
    Ok(found)
}

/// A number in a date, with what its spelling says about it.
#[derive(Debug, Clone, Copy)]
struct Number {
    value: u32,
    digits: usize,
    /// `'05`: a two-digit year.
    apostrophe: bool,
    /// `8th`, `9.`: a day.
    ordinal: bool,
}

impl Number {
    /// Spelled as a year: an apostrophe or more than two digits.
    fn yearish(self) -> bool {
        self.apostrophe || self.digits > 2
    }

    fn year(self) -> Option<i32> {
        if self.ordinal {
            return None;
        }
        match self.digits {
            4 => i32::try_from(self.value).ok(),
            2 => Some(two_digit_year(self.value)),
            _ => None,
        }
    }
}

fn two_digit_year(value: u32) -> i32 {
    let value = i32::try_from(value % 100).unwrap_or_default();
    if value < PIVOT {
        2000 + value
    } else {
        1900 + value
    }
}

#[derive(Debug, Clone, Copy)]
enum Token<'s> {
    Number(Number),
    Word(&'s str),
}

/// Splits the date words and numbers apart. Hyphens only join letters ("segunda-feira",
/// "avant-hier"), so `16-Jun-20` is three tokens; a dot ends a token and stays on it
/// ("9.", "sept.", "kl."). `None` when a token is neither a number nor a word.
fn tokenize<'s>(text: &'s str, ordinals: &WordSet) -> Option<Vec<Token<'s>>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut pieces = Vec::new();
    let mut start: Option<usize> = None;
    for (k, &(i, c)) in chars.iter().enumerate() {
        let joins = c.is_alphanumeric()
            || c == '\''
            || c == '’'
            || (c == '-'
                && k > 0
                && chars[k - 1].1.is_alphabetic()
                && chars.get(k + 1).is_some_and(|n| n.1.is_alphabetic()));
        if joins {
            start.get_or_insert(i);
        } else if c == '.' {
            if let Some(s) = start.take() {
                pieces.push(&text[s..=i]);
            }
        } else if let Some(s) = start.take() {
            pieces.push(&text[s..i]);
        }
    }
    if let Some(s) = start {
        pieces.push(&text[s..]);
    }
    pieces.into_iter().map(|p| token(p, ordinals)).collect()
}

/// A number and what it may carry after it as an ordinal: a dot in any language ("9."),
/// else a suffix of the lexicon's languages ("8th", "1er", "1º").
fn token<'s>(piece: &'s str, ordinals: &WordSet) -> Option<Token<'s>> {
    let body = piece.trim_start_matches(['\'', '’']);
    let apostrophe = body.len() != piece.len();
    let digits = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    if digits == 0 {
        let core = bare(piece);
        let is_word = !apostrophe
            && core.starts_with(char::is_alphabetic)
            && core
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-'));
        return is_word.then_some(Token::Word(piece));
    }
    if digits > 4 {
        return None;
    }
    let value = body[..digits].parse().ok()?;
    let suffix = &body[digits..];
    if !suffix.is_empty() && suffix != "." && !ordinals.contains(suffix) {
        return None;
    }
    // "2020." ends a sentence; only a day takes an ordinal suffix.
    let ordinal = !suffix.is_empty() && digits <= 2;
    if digits > 2 && suffix != "." && !suffix.is_empty() {
        return None;
    }
    if apostrophe && (digits != 2 || !suffix.is_empty()) {
        return None;
    }
    Some(Token::Number(Number {
        value,
        digits,
        apostrophe,
        ordinal,
    }))
}

/// Dates with a day and month in them: numeric, with a month name, or a lone weekday.
fn absolute_dates(text: &str, words: &Words<'_>, ctx: &DateContext<'_>) -> Vec<ParsedDate> {
    let Ok(clock) = find_clock(text, words) else {
        return Vec::new();
    };
    let rest = clock.map_or_else(|| text.to_owned(), |c| cut(text, c.start, c.end));
    let Ok(numeric) = find_numeric(&rest) else {
        return Vec::new();
    };
    let rest = match numeric {
        Some((_, start, end)) => cut(&rest, start, end),
        None => rest,
    };
    let Some(tokens) = tokenize(&rest, words.ordinals) else {
        return Vec::new();
    };
    let mut slots: Vec<(usize, Vec<Role>)> = Vec::new();
    let mut numbers: Vec<(usize, Number)> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Number(n) => numbers.push((i, *n)),
            Token::Word(w) => {
                let roles = words.roles(w);
                if roles.is_empty() {
                    return Vec::new();
                }
                slots.push((i, roles));
            }
        }
    }
    if slots.len() > MAX_WORDS {
        return Vec::new();
    }
    let shape = Shape {
        numeric: numeric.map(|(parts, _, _)| parts),
        numbers: &numbers,
        time: clock.map(|c| c.time),
    };
    // Try every role each word may play; the caller keeps the result only if all agree.
    let mut out = Vec::new();
    let mut choice = vec![0_usize; slots.len()];
    loop {
        let mut month = None;
        let mut weekday = None;
        let mut valid = true;
        for ((at, roles), &pick) in slots.iter().zip(&choice) {
            match roles[pick] {
                Role::Month(m) => valid &= month.replace((*at, m)).is_none(),
                Role::Weekday(w) => valid &= weekday.replace(w).is_none(),
                Role::Filler => {}
            }
        }
        if valid {
            out.extend(shape.resolve(month, weekday, ctx));
        }
        // Next combination, odometer-style.
        let mut k = 0;
        loop {
            let Some((_, roles)) = slots.get(k) else {
                return out;
            };
            choice[k] += 1;
            if choice[k] < roles.len() {
                break;
            }
            choice[k] = 0;
            k += 1;
        }
    }
}

/// The numbers of a date string once the time and words are set apart.
struct Shape<'n> {
    numeric: Option<[Part; 3]>,
    /// Stand-alone numbers, with their token positions.
    numbers: &'n [(usize, Number)],
    time: Option<Time>,
}

impl Shape<'_> {
    fn resolve(
        &self,
        month: Option<(usize, u8)>,
        weekday: Option<u8>,
        ctx: &DateContext<'_>,
    ) -> Vec<ParsedDate> {
        match (self.numeric, month) {
            (Some(parts), None) if self.numbers.is_empty() => {
                numeric_dates(parts, weekday, ctx.order)
                    .into_iter()
                    .filter_map(|d| ParsedDate::new(d, self.time, false, false))
                    .collect()
            }
            (None, Some((at, m))) => self
                .month_date(at, m, weekday, ctx.reference)
                .into_iter()
                .collect(),
            (None, None) if self.numbers.is_empty() => weekday
                .and_then(|w| self.weekday_date(w, ctx.reference?))
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A date with a month name; `at` is the month's token position.
    fn month_date(
        &self,
        at: usize,
        month: u8,
        weekday: Option<u8>,
        reference: Option<DateTime>,
    ) -> Option<ParsedDate> {
        let month = u32::from(month);
        match *self.numbers {
            [(_, day)] => {
                if day.yearish() {
                    // "September 2019": the month is all there is; a weekday or a time
                    // with it would mean a day is missing, so those stay unread.
                    return if weekday.is_none() && self.time.is_none() {
                        ParsedDate::month(day.year()?, month)
                    } else {
                        None
                    };
                }
                self.yearless(month, day.value, weekday, reference?)
            }
            [first, second] => {
                // A number spelled as a year is the year; of two short ones ("16-Jun-20",
                // "Nov 10, 17") the first is the day.
                let ((day_at, day), (year_at, year)) = match (first.1.yearish(), second.1.yearish())
                {
                    (true, true) => return None,
                    (true, false) => (second, first),
                    (false, _) => (first, second),
                };
                // Day-month-year, month-day-year and year-month-day are what forums print.
                let layout = (day_at < at && at < year_at)
                    || (at < day_at && day_at < year_at)
                    || (year_at < at && at < day_at);
                if !layout {
                    return None;
                }
                let date = make_date(year.year()?, month, day.value)?;
                if !fits_weekday(date, weekday) {
                    return None;
                }
                ParsedDate::new(date, self.time, false, false)
            }
            _ => None,
        }
    }

    /// The latest date on this day and month (and weekday, if printed) not after the
    /// reference.
    fn yearless(
        &self,
        month: u32,
        day: u32,
        weekday: Option<u8>,
        reference: DateTime,
    ) -> Option<ParsedDate> {
        let latest = i32::from(reference.year());
        for year in (latest - YEARLESS_LOOKBACK..=latest).rev() {
            let Some(date) = make_date(year, month, day) else {
                continue;
            };
            let not_after = match self.time {
                Some(t) => date.to_datetime(t) <= reference,
                None => date <= reference.date(),
            };
            if not_after && fits_weekday(date, weekday) {
                return ParsedDate::new(date, self.time, false, true);
            }
        }
        None
    }

    /// "Sunday at 10:31": the latest such weekday not after the reference.
    fn weekday_date(&self, weekday: u8, reference: DateTime) -> Option<ParsedDate> {
        for back in 0..=7 {
            let date = days_before(reference.date(), back)?;
            let later_today = back == 0 && self.time.is_some_and(|t| t > reference.time());
            if weekday_number(date) == weekday && !later_today {
                return ParsedDate::new(date, self.time, true, false);
            }
        }
        None
    }
}

/// The dates three numbers may be. A four-digit first part is a year; otherwise the last
/// part is the year, and day and month swap unless a part above 12, the weekday or the
/// page's order decides. Two-digit year-first dates are read only when the page says so.
fn numeric_dates(
    [first, second, third]: [Part; 3],
    weekday: Option<u8>,
    order: Option<DateOrder>,
) -> Vec<Date> {
    if first.digits == 4 {
        let year = i32::try_from(first.value).ok();
        return year
            .and_then(|y| make_date(y, second.value, third.value))
            .filter(|d| second.digits <= 2 && third.digits <= 2 && fits_weekday(*d, weekday))
            .into_iter()
            .collect();
    }
    if first.digits > 2 {
        return Vec::new();
    }
    let mut readings: Vec<(DateOrder, Date)> = Vec::new();
    let year = match third.digits {
        4 => i32::try_from(third.value).ok(),
        2 => Some(two_digit_year(third.value)),
        _ => None,
    };
    if let Some(year) = year {
        readings.extend(make_date(year, second.value, first.value).map(|d| (DateOrder::Dmy, d)));
        readings.extend(make_date(year, first.value, second.value).map(|d| (DateOrder::Mdy, d)));
    }
    if order == Some(DateOrder::Ymd) && first.digits == 2 && third.digits == 2 {
        let date = make_date(two_digit_year(first.value), second.value, third.value);
        readings.extend(date.map(|d| (DateOrder::Ymd, d)));
    }
    readings.retain(|(_, d)| fits_weekday(*d, weekday));
    if let Some(order) = order
        && let Some(&(_, date)) = readings.iter().find(|(o, _)| *o == order)
    {
        return vec![date];
    }
    readings.into_iter().map(|(_, d)| d).collect()
}

/// "Today, 10:31", "Yesterday at 08:12 PM", "just now", "10 days ago", "vor 2 Stunden".
fn relative_dates(text: &str, words: &Words<'_>, ctx: &DateContext<'_>) -> Vec<ParsedDate> {
    let Some(reference) = ctx.reference else {
        return Vec::new();
    };
    let rel = &words.lang.file.relative;
    let mut out = Vec::new();
    let core = trim_punctuation(text);
    if rel
        .now
        .iter()
        .any(|now| trim_punctuation(&phrase(now)) == core)
    {
        out.extend(ParsedDate::new(
            reference.date(),
            Some(reference.time()),
            true,
            false,
        ));
    }
    for (list, back) in [
        (&rel.today, 0),
        (&rel.yesterday, 1),
        (&rel.day_before_yesterday, 2),
    ] {
        for day_word in list {
            let day_word = phrase(day_word);
            for rest in strip_phrase(text, &day_word) {
                let Ok(time) = time_only(rest, words) else {
                    continue;
                };
                if let Some(date) = days_before(reference.date(), back) {
                    out.extend(ParsedDate::new(date, time, true, false));
                }
            }
        }
    }
    for template in &rel.ago {
        out.extend(ago(text, template, words, reference));
    }
    if let Some((count, unit)) = words.lang.compact_age(core) {
        let mut amounts = [0_i64; 7];
        amounts[unit as usize] = i64::from(count);
        let clock = matches!(unit, TimeUnit::Second | TimeUnit::Minute | TimeUnit::Hour);
        out.extend(before(reference, amounts, clock));
    }
    out
}

fn trim_punctuation(text: &str) -> &str {
    text.trim_matches(|c: char| !c.is_alphanumeric())
}

/// What is left when `phrase` starts or ends the text as whole words.
fn strip_phrase<'t>(text: &'t str, phrase: &str) -> Vec<&'t str> {
    let mut rests = Vec::new();
    if phrase.is_empty() {
        return rests;
    }
    if let Some(rest) = text.strip_prefix(phrase)
        && !rest.starts_with(char::is_alphanumeric)
    {
        rests.push(rest);
    }
    if let Some(rest) = text.strip_suffix(phrase)
        && !rest.ends_with(char::is_alphanumeric)
        && !rest.is_empty()
    {
        rests.push(rest);
    }
    rests
}

/// The time of day, if any, when the text holds nothing but it and connector words.
fn time_only(text: &str, words: &Words<'_>) -> Result<Option<Time>, Unreadable> {
    let clock = find_clock(text, words)?;
    let rest = clock.map_or_else(|| text.to_owned(), |c| cut(text, c.start, c.end));
    let tokens = tokenize(&rest, words.ordinals).ok_or(Unreadable)?;
    let only_filler = tokens
        .iter()
        .all(|t| matches!(t, Token::Word(w) if words.is_filler(w)));
    if only_filler {
        Ok(clock.map(|c| c.time))
    } else {
        Err(Unreadable)
    }
}

/// The text read with one `ago` template: `{n} {value}` takes one or more number–unit
/// pairs ("2 Wochen 14 Stunden"), a lone `{value}` means one unit ("an hour ago").
fn ago(text: &str, template: &str, words: &Words<'_>, reference: DateTime) -> Option<ParsedDate> {
    let template: Vec<String> = template.split_whitespace().map(str::to_lowercase).collect();
    let input: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')')))
        .filter(|w| !w.is_empty())
        .collect();
    let mut amounts = [0_i64; 7];
    // "10 days ago" says nothing about the hour; "2 hours ago" does.
    let mut clock_units = false;
    let mut add = |unit: TimeUnit, count: i64| {
        amounts[unit as usize] += count;
        clock_units |= matches!(unit, TimeUnit::Second | TimeUnit::Minute | TimeUnit::Hour);
    };
    let (mut i, mut t) = (0, 0);
    while let Some(part) = template.get(t) {
        match part.as_str() {
            "{n}" => {
                if template.get(t + 1).map(String::as_str) != Some("{value}") {
                    return None;
                }
                let mut pairs = 0;
                loop {
                    // A connector between pairs: "2 weeks and 3 days".
                    let at = if pairs > 0 && input.get(i).is_some_and(|w| words.is_filler(w)) {
                        i + 1
                    } else {
                        i
                    };
                    let count = input
                        .get(at)
                        .and_then(|w| w.parse::<i64>().ok())
                        .filter(|n| *n <= 100_000);
                    let unit = input.get(at + 1).and_then(|w| words.unit(w));
                    let (Some(count), Some(unit)) = (count, unit) else {
                        break;
                    };
                    add(unit, count);
                    i = at + 2;
                    pairs += 1;
                }
                if pairs == 0 {
                    return None;
                }
                t += 2;
            }
            "{value}" => {
                add(words.unit(input.get(i)?)?, 1);
                i += 1;
                t += 1;
            }
            literal => {
                if literal.contains('{') || bare(input.get(i)?) != bare(literal) {
                    return None;
                }
                i += 1;
                t += 1;
            }
        }
    }
    if i != input.len() {
        return None;
    }
    before(reference, amounts, clock_units)
}

/// The reference time less `amounts` (indexed by `TimeUnit`): a date, with the time of
/// day when `clock` says an hour, minute or second was counted.
fn before(reference: DateTime, amounts: [i64; 7], clock: bool) -> Option<ParsedDate> {
    let [seconds, minutes, hours, days, weeks, months, years] = amounts;
    let span = Span::new()
        .try_years(years)
        .ok()?
        .try_months(months)
        .ok()?
        .try_weeks(weeks)
        .ok()?
        .try_days(days)
        .ok()?
        .try_hours(hours)
        .ok()?
        .try_minutes(minutes)
        .ok()?
        .try_seconds(seconds)
        .ok()?;
    let when = reference.checked_sub(span).ok()?;
    ParsedDate::new(when.date(), clock.then(|| when.time()), true, false)
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use jiff::civil::{Date, DateTime, date};
    use proptest::prelude::*;
    use threadmill_lexicon::{Lexicon, LexiconBuilder};

    use super::{DateContext, DateOrder, ParsedDate, infer_order, parse_date};

    /// The ten languages the built-in lexicon carries date words for.
    const LANGS: [&str; 10] = ["en", "nl", "de", "fr", "es", "it", "pt", "pl", "ru", "sv"];

    /// "2 Wochen 14 Stunden her" needs an `ago` template the built-in German file lacks.
    const DE_HER: &str = r#"
        lang = "de"
        [dates.relative]
        ago = ["{n} {value} her"]
    "#;

    static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
        let builtin = Lexicon::builtin().expect("built-in lexicon");
        for lang in LANGS {
            assert!(
                builtin.lang(lang).is_some(),
                "the built-in lexicon has no date words for {lang}"
            );
        }
        Lexicon::builder()
            .builtin()
            .and_then(|b| b.add_toml("test-de-her.toml", DE_HER))
            .and_then(LexiconBuilder::build)
            .expect("lexicon with the test additions")
    });

    /// A Wednesday noon.
    fn reference() -> DateTime {
        date(2023, 9, 20).at(12, 0, 0, 0)
    }

    fn ctx(langs: &[&str]) -> DateContext<'static> {
        DateContext {
            lexicon: &LEXICON,
            langs: langs.iter().map(|l| (*l).to_owned()).collect(),
            order: None,
            reference: Some(reference()),
        }
    }

    fn iso(raw: &str, ctx: &DateContext<'_>) -> Option<String> {
        parse_date(raw, ctx).map(|d| d.iso)
    }

    #[track_caller]
    fn check(raw: &str, langs: &[&str], want: &str) {
        assert_eq!(
            iso(raw, &ctx(langs)).as_deref(),
            Some(want),
            "{raw:?} in {langs:?}"
        );
    }

    #[track_caller]
    fn refuse(raw: &str, ctx: &DateContext<'_>) {
        assert_eq!(parse_date(raw, ctx), None, "{raw:?} should not parse");
    }

    #[test]
    fn dates_with_month_names() {
        check("22 nov 2020 15:27", &["nl"], "2020-11-22T15:27");
        check("22 nov 2020 15:27", &["en"], "2020-11-22T15:27");
        check("Wednesday 13 September 2023", &["en"], "2023-09-13");
        check("Fri Nov 10, 2017 2:35 pm", &["en"], "2017-11-10T14:35");
        check("9. März 2020", &["de"], "2020-03-09");
        check("Fri, Jun 24 '05, 7:30 AM", &["en"], "2005-06-24T07:30");
        check("4 December 2016 at 12:39AM", &["en"], "2016-12-04T00:39");
        check("10-August-2011 20:18", &["en"], "2011-08-10T20:18");
        check("Tue 16-Jun-20 16:12:14", &["en"], "2020-06-16T16:12");
        check("12 Jan 2018, 12:15", &["en"], "2018-01-12T12:15");
        check("2018 Jan 12", &["en"], "2018-01-12");
        check("21. Apr 2020, 19:40", &["de"], "2020-04-21T19:40");
        check("Mo 3. Feb 2020, 10:00", &["de"], "2020-02-03T10:00");
        check("13 septembre 2023 à 21h40", &["fr"], "2023-09-13T21:40");
        check("16 сентября 2023, 21:40", &["ru"], "2023-09-16T21:40");
    }

    #[test]
    fn dates_in_the_other_languages() {
        check(
            "13 de septiembre de 2023 a las 21:40",
            &["es"],
            "2023-09-13T21:40",
        );
        check("mié 13 sep 2023", &["es"], "2023-09-13");
        check("13 settembre 2023 alle 21:40", &["it"], "2023-09-13T21:40");
        check(
            "segunda-feira, 3 de fevereiro de 2020 às 10:00",
            &["pt"],
            "2020-02-03T10:00",
        );
        check("13 września 2023 o 21:40", &["pl"], "2023-09-13T21:40");
        check("ons 13 sep 2023 kl. 21:40", &["sv"], "2023-09-13T21:40");
        check(
            "woensdag 13 september 2023 om 21:40",
            &["nl"],
            "2023-09-13T21:40",
        );
        check(
            "Mittwoch, 13. September 2023 um 21:40 Uhr",
            &["de"],
            "2023-09-13T21:40",
        );
        // A 24-hour time takes no "am": here it is German for "on the".
        check("um 15:00 am 3. Februar 2020", &["de"], "2020-02-03T15:00");
        check("um 10:00 am 3. Februar 2020", &["de"], "2020-02-03T10:00");
        check("3pm 1 Jan 2020", &["en"], "2020-01-01T15:00");
        check("Do 5. März 2020", &["nl", "de"], "2020-03-05");
    }

    #[test]
    fn numeric_dates() {
        check("13.03.2019", &["de"], "2019-03-13");
        check("2020.03.12 13:17", &["en"], "2020-03-12T13:17");
        check("04-23-2020 at 3:40 pm", &["en"], "2020-04-23T15:40");
        check("2011-12-03T17:27:18-05:00", &["en"], "2011-12-03T17:27");
        check("05.05.2020", &["en"], "2020-05-05"); // day and month may swap: same date
        let mut dmy = ctx(&["de"]);
        dmy.order = Some(DateOrder::Dmy);
        assert_eq!(iso("01.02.19", &dmy).as_deref(), Some("2019-02-01"));
        dmy.langs = vec!["fr".into()];
        assert_eq!(
            iso("11/02/2008, 16h32", &dmy).as_deref(),
            Some("2008-02-11T16:32")
        );
        // A part above 12 overrides the page's order.
        assert_eq!(iso("04-23-2020", &dmy).as_deref(), Some("2020-04-23"));
        let mut mdy = ctx(&["en"]);
        mdy.order = Some(DateOrder::Mdy);
        assert_eq!(iso("01.02.19", &mdy).as_deref(), Some("2019-01-02"));
        let mut ymd = ctx(&["sv"]);
        ymd.order = Some(DateOrder::Ymd);
        assert_eq!(iso("19.02.01", &ymd).as_deref(), Some("2019-02-01"));
    }

    #[test]
    fn ambiguous_numeric_dates_need_an_order() {
        let none = ctx(&["en"]);
        refuse("01.02.03", &none);
        refuse("01.02.19", &none);
        refuse("11/02/2008, 16h32", &none);
        // The weekday settles it: 5 April 2021 was a Monday, 4 May a Tuesday.
        assert_eq!(iso("Mon 05.04.2021", &none).as_deref(), Some("2021-04-05"));
        assert_eq!(iso("Tue 05.04.2021", &none).as_deref(), Some("2021-05-04"));
    }

    #[test]
    fn missing_years_come_from_the_reference() {
        let got = parse_date("5:42am On Apr 24", &ctx(&["en"])).expect("a date");
        assert_eq!(got.iso, "2023-04-24T05:42");
        assert!(got.year_from_reference && !got.relative);
        check("March 30", &["en"], "2023-03-30");
        // Not after the reference: a later day this year is last year's.
        check("Nov 2", &["en"], "2022-11-02");
        check("20 Sep 12:00", &["en"], "2023-09-20T12:00");
        check("20 Sep 12:01", &["en"], "2022-09-20T12:01");
        // 8 March was last a Sunday in 2020.
        check("Sunday 8th March", &["en"], "2020-03-08");
        let mut early = ctx(&["en"]);
        early.reference = Some(date(2020, 6, 1).at(0, 0, 0, 0));
        assert_eq!(
            iso("Sunday 8th March", &early).as_deref(),
            Some("2020-03-08")
        );
        let mut no_reference = ctx(&["en"]);
        no_reference.reference = None;
        refuse("March 30", &no_reference);
        refuse("5:42am On Apr 24", &no_reference);
        refuse("Sunday 8th March", &no_reference);
    }

    #[test]
    fn relative_dates() {
        let got = parse_date("10 days ago", &ctx(&["en"])).expect("a date");
        assert_eq!((got.iso.as_str(), got.relative), ("2023-09-10", true));
        check("vor 2 Stunden", &["de"], "2023-09-20T10:00");
        check("Today, 10:31", &["en"], "2023-09-20T10:31");
        check("Yesterday at 08:12 PM", &["en"], "2023-09-19T20:12");
        check("Gisteren om 08:12", &["nl"], "2023-09-19T08:12");
        check("2 Wochen 14 Stunden her", &["de"], "2023-09-05T22:00");
        check("an hour ago", &["en"], "2023-09-20T11:00");
        check("3 months ago", &["en"], "2023-06-20");
        check("just now", &["en"], "2023-09-20T12:00");
        check("Today", &["en"], "2023-09-20");
        check("Vor 3 Stunden", &["de"], "2023-09-20T09:00");
        check("Aujourd’hui à 10:15", &["fr"], "2023-09-20T10:15");
        check("il y a 1 an", &["fr"], "2022-09-20");
        check("3y", &["en"], "2020-09-20");
        check("7mo", &["en"], "2023-02-20");
        check("5h", &["en"], "2023-09-20T07:00");
        refuse("5m", &ctx(&["en"]));
        refuse("3y ago now", &ctx(&["en"]));
        check("3 yr. ago", &["en"], "2020-09-20");
        check("7 mo. ago", &["en"], "2023-02-20");
        check("2 wk. ago", &["en"], "2023-09-06");
        check("vor einer Stunde", &["de"], "2023-09-20T11:00");
        check("Heute, 10:31", &["de"], "2023-09-20T10:31");
        check("Vorgestern um 10:31", &["de"], "2023-09-18T10:31");
        check("Hier à 21h40", &["fr"], "2023-09-19T21:40");
        check("il y a 3 jours", &["fr"], "2023-09-17");
        check("hace 2 horas", &["es"], "2023-09-20T10:00");
        check("3 giorni fa", &["it"], "2023-09-17");
        check("há 2 dias", &["pt"], "2023-09-18");
        check("2 godziny temu", &["pl"], "2023-09-20T10:00");
        check("вчера в 21:40", &["ru"], "2023-09-19T21:40");
        check("2 часа назад", &["ru"], "2023-09-20T10:00");
        check("i går kl. 08:12", &["sv"], "2023-09-19T08:12");
        check("för 3 dagar sedan", &["sv"], "2023-09-17");
        // XenForo's "Sunday at 10:31 PM" for the last week.
        check("Sunday at 10:31 PM", &["en"], "2023-09-17T22:31");
        check("Wednesday at 13:00", &["en"], "2023-09-13T13:00");
        let mut no_reference = ctx(&["en"]);
        no_reference.reference = None;
        refuse("10 days ago", &no_reference);
        refuse("Today, 10:31", &no_reference);
    }

    #[test]
    fn every_language_at_once_must_agree() {
        let all = ctx(&[]);
        assert_eq!(
            iso("22 nov 2020 15:27", &all).as_deref(),
            Some("2020-11-22T15:27")
        );
        let russian = iso("16 сентября 2023, 21:40", &all);
        assert_eq!(russian.as_deref(), Some("2023-09-16T21:40"));
        assert_eq!(iso("13.03.2019", &all).as_deref(), Some("2019-03-13"));
        // "mar" is March and Tuesday in Spanish; 3 March 2020 was a Tuesday either way.
        check("mar 3 mar 2020", &["es"], "2020-03-03");
    }

    #[test]
    fn first_language_that_reads_the_date_wins() {
        // Dutch words do not read it; English does.
        check(
            "Fri Nov 10, 2017 2:35 pm",
            &["nl", "en"],
            "2017-11-10T14:35",
        );
        // Numeric dates need no language with data at all.
        check("13.03.2019", &["xx"], "2019-03-13");
    }

    #[test]
    fn a_users_file_adds_ordinal_suffixes() {
        check("8th March 2020", &["en"], "2020-03-08");
        check("1er mars 2020", &["fr"], "2020-03-01");
        refuse("12ème mars 2020", &ctx(&["fr"]));
        let extended = Lexicon::builder()
            .builtin()
            .and_then(|b| {
                b.add_toml(
                    "fr-extra.toml",
                    "lang = \"fr\"\n[dates]\nordinal_suffixes = [\"ème\"]",
                )
            })
            .and_then(LexiconBuilder::build)
            .expect("lexicon");
        let ctx = DateContext {
            lexicon: &extended,
            ..ctx(&["fr"])
        };
        assert_eq!(iso("12ème mars 2020", &ctx).as_deref(), Some("2020-03-12"));
    }

    #[test]
    fn month_and_year_give_a_month() {
        let lexicon = Lexicon::builtin().expect("lexicon");
        let ctx = DateContext::new(&lexicon);
        for (raw, iso) in [
            ("September 2019", "2019-09"),
            ("Mar 2010", "2010-03"),
            ("März 2020", "2020-03"),
        ] {
            let parsed = parse_date(raw, &ctx).unwrap_or_else(|| panic!("{raw}"));
            assert_eq!(
                (parsed.iso.as_str(), parsed.month_only),
                (iso, true),
                "{raw}"
            );
        }
    }

    #[test]
    fn what_cannot_be_resolved_is_none() {
        let c = ctx(&["en"]);
        for raw in [
            "",
            "   ",
            "hello world",
            "Posts: 5989",
            "10:31",
            "Monday March 2020",
            "March 2020 10:00",
            "32.13.2020",
            "31 February 2020",
            "1 Jan 2020 25:00",
            "1 Jan 2020 13:00 pm",
            "1 Jan 2020 10:00 11:00",
            "Thursday 13 September 2023", // it was a Wednesday
            "1.2.3.4",
            "13.03.2019.5",
            "13.03.2019 14.03.2019",
            "Nov 10, 2017 and more",
            "Nov Dec 10, 2017",
            "10 11 Nov 2017",
            "20 2017 Nov",
            "2017 20 Nov",
            "Nov 2017 20",
            "16-Jun-20th",
            "Jun 2020 2021",
            "99999 days ago",
            "2 fortnights ago",
            "ago",
            "yesterday yesterday",
            "22 nov 12020",
            "0.0.0",
            "2020-13-01",
        ] {
            refuse(raw, &c);
        }
        // Month names of another language are not guessed at.
        refuse("22 mrt 2020", &c);
        refuse("x".repeat(500).as_str(), &c);
    }

    #[test]
    fn words_come_from_the_lexicon_only() {
        let invented = r#"
            lang = "xx"
            [dates]
            months = [
                ["unu"], ["du"], ["tri"], ["kvar"], ["kvin"], ["ses"],
                ["sep"], ["ok"], ["nau"], ["dek"], ["dekunu"], ["dekdu"],
            ]
            weekdays = [
                ["lundo"], ["mardo"], ["merkredo"], ["jaudo"], ["vendredo"], ["sabato"], ["dimanco"],
            ]
            filler = ["je la"]
            am = ["atm"]
            pm = ["ptm"]
            [dates.relative]
            yesterday = ["hieraŭ"]
            ago = ["antaŭ {n} {value}"]
            [dates.relative.units]
            day = ["tago", "tagoj"]
        "#;
        let lexicon = Lexicon::builder()
            .add_toml("xx.toml", invented)
            .and_then(LexiconBuilder::build)
            .expect("invented language");
        let mut c = DateContext::new(&lexicon);
        c.langs = vec!["xx".into()];
        c.reference = Some(reference());
        assert_eq!(
            iso("merkredo 13 nau 2023 je la 9:40 ptm", &c).as_deref(),
            Some("2023-09-13T21:40")
        );
        assert_eq!(
            iso("hieraŭ je la 08:12", &c).as_deref(),
            Some("2023-09-19T08:12")
        );
        assert_eq!(iso("antaŭ 3 tagoj", &c).as_deref(), Some("2023-09-17"));
        refuse("13 September 2023", &c);
        refuse("Wednesday 13.09.2023", &c);
    }

    #[test]
    fn parsed_date_fields() {
        let got = parse_date("Tue 16-Jun-20 16:12:14", &ctx(&["en"])).expect("a date");
        assert_eq!(got.date, date(2020, 6, 16));
        assert_eq!(got.time, Some(jiff::civil::time(16, 12, 14, 0)));
        assert!(!got.relative && !got.year_from_reference);
        let got = parse_date("Wednesday 13 September 2023", &ctx(&["en"])).expect("a date");
        assert_eq!((got.iso.as_str(), got.time), ("2023-09-13", None));
    }

    #[test]
    fn order_from_the_page() {
        assert_eq!(
            infer_order(&["13.03.2019", "01.02.19"]),
            Some(DateOrder::Dmy)
        );
        assert_eq!(
            infer_order(&["04-23-2020 at 3:40 pm", "01/02/2020"]),
            Some(DateOrder::Mdy)
        );
        assert_eq!(
            infer_order(&["01.02.19", "2020.03.12 13:17", "22 nov 2020"]),
            None
        );
        assert_eq!(
            infer_order(&["13.03.2019", "04/23/2020"]),
            None,
            "a page that contradicts itself"
        );
        assert_eq!(infer_order(&[]), None);
        assert_eq!(
            super::dotted_order(&["11.06.2020, 16:22", "07.06.2020, 22:28"]),
            Some(DateOrder::Dmy)
        );
        assert_eq!(super::dotted_order(&["11.06.2020", "06/07/2020"]), None);
        assert_eq!(super::dotted_order(&["01.02.19"]), None, "a two-digit year");
        assert_eq!(DateOrder::from_code("DMY"), Some(DateOrder::Dmy));
        assert_eq!(DateOrder::from_code("dym"), None);
        let sv = LEXICON.lang("sv").expect("Swedish");
        assert_eq!(DateOrder::of_lang(sv), Some(DateOrder::Ymd));
    }

    // ---- round trips ----

    /// Ways forums print a date: the template, the numeric order it needs, and whether it
    /// carries the time. `{F}` is a connector word of the language (or nothing).
    const PATTERNS: [(&str, Option<DateOrder>, bool); 19] = [
        ("{d} {M} {Y} {HH}:{MM}", None, true),
        ("{W} {d} {M} {Y}", None, false),
        ("{W} {M} {d}, {Y} {h}:{MM} {ap}", None, true),
        ("{dd}.{mm}.{Y}", Some(DateOrder::Dmy), false),
        ("{dd}.{mm}.{yy}", Some(DateOrder::Dmy), false),
        ("{d}. {M} {Y}", None, false),
        ("{dd}/{mm}/{Y}, {HH}h{MM}", Some(DateOrder::Dmy), true),
        ("{W}, {M} {dd} '{yy}, {h}:{MM} {AP}", None, true),
        ("{h}:{MM}{ap} {F} {M} {d}", None, true),
        ("{d} {M} {Y} {F} {h}:{MM}{AP}", None, true),
        ("{Y}.{mm}.{dd} {HH}:{MM}", None, true),
        ("{dd}-{M}-{Y} {HH}:{MM}", None, true),
        ("{W} {dd}-{M}-{yy} {HH}:{MM}:{SS}", None, true),
        ("{W} {d}{o} {M}", None, false),
        (
            "{mm}-{dd}-{Y} {F} {h}:{MM} {ap}",
            Some(DateOrder::Mdy),
            true,
        ),
        ("{Y}-{mm}-{dd}T{HH}:{MM}:{SS}-05:00", None, true),
        ("{d} {M} {Y}, {HH}:{MM}", None, true),
        ("{mm}/{dd}/{Y}", Some(DateOrder::Mdy), false),
        ("{d} {M} {F} {HH}:{MM}", None, true),
    ];

    /// The names `map` gives `number`, in the lexicon's (sorted) order.
    fn names(map: &std::collections::BTreeMap<String, u8>, number: u8) -> Vec<&str> {
        map.iter()
            .filter(|(_, n)| **n == number)
            .map(|(name, _)| name.as_str())
            .collect()
    }

    fn pick<'a>(list: &[&'a str], seed: u8) -> &'a str {
        if list.is_empty() {
            ""
        } else {
            list[usize::from(seed) % list.len()]
        }
    }

    fn render(pattern: &str, lang: &str, when: DateTime, seeds: [u8; 5]) -> String {
        let data = LEXICON.lang(lang).expect("language data");
        let month = names(&data.months, when.month().unsigned_abs());
        let weekday = names(
            &data.weekdays,
            when.weekday().to_monday_one_offset().unsigned_abs(),
        );
        let filler: Vec<&str> = data.file.filler.iter().map(String::as_str).collect();
        let hour12 = match when.hour() % 12 {
            0 => 12,
            h => h,
        };
        let ap = if when.hour() < 12 { "am" } else { "pm" };
        let ap_upper = ap.to_uppercase();
        let ordinal = pick(&["", ".", "th"], seeds[4]);
        let year = when.year();
        pattern
            .replace("{Y}", &format!("{year:04}"))
            .replace("{yy}", &format!("{:02}", year % 100))
            .replace("{mm}", &format!("{:02}", when.month()))
            .replace("{dd}", &format!("{:02}", when.day()))
            .replace("{d}", &when.day().to_string())
            .replace("{M}", pick(&month, seeds[0]))
            .replace("{W}", pick(&weekday, seeds[1]))
            .replace("{F}", pick(&filler, seeds[2]))
            .replace("{o}", ordinal)
            .replace("{HH}", &format!("{:02}", when.hour()))
            .replace("{h}", &hour12.to_string())
            .replace("{MM}", &format!("{:02}", when.minute()))
            .replace("{SS}", &format!("{:02}", when.second()))
            .replace(
                "{ap}",
                if seeds[3].is_multiple_of(2) {
                    ap
                } else {
                    &ap_upper
                },
            )
            .replace("{AP}", &ap_upper)
    }

    fn expected(when: DateTime, with_time: bool) -> String {
        let d = when.date();
        let day = format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        if with_time {
            format!("{day}T{:02}:{:02}", when.hour(), when.minute())
        } else {
            day
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn formatted_dates_parse_back(
            day in 0_i64..(41 * 366),
            minute in 0_i64..1440,
            second in 0_i8..60,
            seeds in any::<[u8; 5]>(),
            later_days in 0_i64..365,
            later_minutes in 0_i64..1440,
        ) {
            let start = Date::new(1995, 1, 1).expect("valid");
            let when = start
                .to_datetime(jiff::civil::Time::midnight())
                .checked_add(jiff::Span::new().days(day).minutes(minute).seconds(i64::from(second)))
                .expect("in range");
            prop_assume!(when.year() <= 2035);
            // Less than a year later, so a year-less date is this one, not a later one.
            let reference = when
                .checked_add(jiff::Span::new().days(later_days).minutes(later_minutes))
                .expect("in range");
            for lang in LANGS {
                for (pattern, order, with_time) in PATTERNS {
                    let text = render(pattern, lang, when, seeds);
                    let ctx = DateContext {
                        lexicon: &LEXICON,
                        langs: vec![lang.to_owned()],
                        order,
                        reference: Some(reference),
                    };
                    let got = parse_date(&text, &ctx).map(|p| p.iso);
                    prop_assert_eq!(got, Some(expected(when, with_time)), "{:?} in {}", text, lang);
                }
            }
        }

        #[test]
        fn arbitrary_text_never_panics(raw in any::<String>()) {
            let mut c = ctx(&[]);
            let _ = parse_date(&raw, &c);
            c.order = Some(DateOrder::Ymd);
            let _ = parse_date(&raw, &c);
            let _ = infer_order(&[raw.as_str()]);
        }

        #[test]
        fn date_like_text_never_panics(
            raw in concat!(
                r"[0-9 :./'’h,-]{0,12}",
                r"(am|pm|nov|März|ago|days|vor|Stunden|heute|сентября|à|de)?",
                r"[0-9 :./'’h,-]{0,12}",
            ),
        ) {
            for langs in [&[][..], &["en"], &["de", "fr"]] {
                let mut c = ctx(langs);
                let result = parse_date(&raw, &c);
                if let Some(ParsedDate { iso, month_only, .. }) = &result {
                    // "’00 nov" names a month: `2000-11`.
                    let lengths: &[usize] = if *month_only { &[7] } else { &[10, 16] };
                    prop_assert!(lengths.contains(&iso.len()), "{}", iso);
                }
                c.order = Some(DateOrder::Dmy);
                let _ = parse_date(&raw, &c);
            }
        }
    }
}
