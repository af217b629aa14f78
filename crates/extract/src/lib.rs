//! Extraction from segmented forum threads: what an analyst queries.
//!
//! [`extract`] fills in a [`Thread`] that segmentation built: the thread's language
//! (the posts' languages weighted by text; posts too short to tell inherit it, marked
//! `lang_inherited`), post and join dates normalised to ISO 8601 in
//! any UI language, links (phpBB's shortened `… n-12960252` form too), the reposted news
//! [`Article`] (headline, standfirst, byline, date, captions with credits), direct
//! quotations with their speakers, and the people, places and organisations named.
//!
//! Quotations and entities work offline from rules and data shipped in `data/`: speech
//! verbs, pronouns and role nouns per language (`speech.toml`: English, German, French,
//! Dutch, Spanish, Italian), name cues (`names.toml`) and gazetteers of places and
//! organisations (`places.tsv`, `orgs.tsv`). Speakers and entities share one resolution of
//! names, so "Kim" and "Mr Putin" are "Kim Jong Un" and "Vladimir Putin" in both.
//! `examples/extract_eval.rs` scores them against the hand annotation in
//! `eval/gold.json`; `examples/lang_accuracy.rs` measures the language detector on short
//! posts.
//!
//! [`Article`]: threadmill_model::Article
//!
//! ```
//! use threadmill_extract::{extract, ExtractConfig};
//! use threadmill_lexicon::Lexicon;
//! use threadmill_model::{Block, BlockKind, Format, Post, Source, Thread};
//!
//! let source = Source {
//!     path: "t.txt".into(), member: None, sha256: String::new(), bytes: 0,
//!     format: Format::Text,
//! };
//! let mut thread = Thread::new(source);
//! thread.ui_lang = Some("nl".into());
//! let mut post = Post::new(0);
//! post.author_joined_raw = Some("22 nov 2020 15:27".into());
//! post.lang = Some("en".into());
//! post.blocks.push(Block::new(BlockKind::Caption, "Kim and Putin meet. Pic: AP"));
//! post.blocks.push(Block::new(BlockKind::Paragraph, "See https://news.sky.com/story/x-12960252 for more."));
//! post.refresh_text();
//! thread.posts.push(post);
//!
//! extract(&mut thread, &Lexicon::builtin()?, &ExtractConfig::default())?;
//! let post = &thread.posts[0];
//! assert_eq!(post.author_joined.as_deref(), Some("2020-11-22T15:27"));
//! assert_eq!(post.links[0].domain.as_deref(), Some("news.sky.com"));
//! let article = thread.article.as_ref().expect("a caption makes an article");
//! assert_eq!(article.captions[0].credit.as_deref(), Some("AP"));
//! assert_eq!(thread.lang.as_deref(), Some("en"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod article;
mod dates;
mod entities;
mod gazetteer;
mod links;
mod machine_time;
mod quotes;

pub use dates::*;
pub use links::*;
pub use machine_time::{MachineTime, parse_machine_time};

use std::collections::BTreeMap;

use serde::Deserialize;
use threadmill_lexicon::Lexicon;
use threadmill_model::{ChromeRole, Link, Thread};

/// What the extract stage does.
#[expect(
    clippy::struct_excessive_bools,
    reason = "one switch per independent extraction, as in the pipeline file"
)]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExtractConfig {
    /// Normalise dates.
    pub dates: bool,
    /// Collect links.
    pub links: bool,
    /// Fill `article` for reposted news articles.
    pub articles: bool,
    /// Collect direct quotations.
    pub quotations: bool,
    /// Collect named people, places and organisations.
    pub entities: bool,
    /// Give posts too short for their language to be detected the thread's language,
    /// marked `lang_inherited`. Forum threads rarely change language, and the detector
    /// abstains on most posts under nine words (see `examples/lang_accuracy.rs`).
    pub inherit_lang: bool,
    /// The time relative dates are resolved against when the input has none
    /// (ISO 8601, e.g. `2024-05-01T00:00`).
    pub now: Option<String>,
}

impl Default for ExtractConfig {
    fn default() -> Self {
        Self {
            dates: true,
            links: true,
            articles: true,
            quotations: true,
            entities: true,
            inherit_lang: true,
            now: None,
        }
    }
}

impl ExtractConfig {
    /// Checks the settings before a run: a `now` that is not ISO 8601 would otherwise
    /// reject every page at extract.
    pub fn check(&self) -> Result<(), Error> {
        match self.now.as_deref() {
            Some(raw) if parse_reference(raw).is_none() => {
                Err(Error::ReferenceTime(raw.to_owned()))
            }
            _ => Ok(()),
        }
    }
}

/// Why extraction failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The reference time given for relative dates is not a date.
    #[error("invalid reference time {0:?}: expected ISO 8601 such as 2024-05-01T00:00")]
    ReferenceTime(String),
}

/// The extract stage.
pub fn extract(
    thread: &mut Thread,
    lexicon: &Lexicon,
    config: &ExtractConfig,
) -> Result<(), Error> {
    for post in &mut thread.posts {
        // Re-running extract on a record must not count an inherited language as detected.
        if post.lang_inherited {
            post.lang = None;
            post.lang_inherited = false;
        }
    }
    thread.lang = thread_lang(thread);
    if config.inherit_lang
        && let Some(lang) = &thread.lang
    {
        for post in thread.posts.iter_mut().filter(|p| p.lang.is_none()) {
            // Only posts with words of their own: an empty post has no language at all.
            if post.text.chars().any(char::is_alphabetic) {
                post.lang = Some(lang.clone());
                post.lang_inherited = true;
            }
        }
    }
    let ctx = date_context(thread, lexicon, config)?;
    if config.dates {
        // Each printed date is read once: the page's full years, which fix the century of
        // its two-digit ones, come from the same readings.
        let read: Vec<(Option<Reading>, Option<Reading>)> = thread
            .posts
            .iter()
            .map(|p| {
                let read = |raw: &Option<String>| Reading::of(raw.as_deref()?, &ctx);
                (read(&p.posted_at_raw), read(&p.author_joined_raw))
            })
            .collect();
        let printed_years = printed_years(read.iter().flat_map(|(a, b)| [a, b]).flatten());
        for (post, (posted, joined)) in thread.posts.iter_mut().zip(read) {
            let fixed = |r: Option<Reading>| {
                r.filter(|r| r.century_is_fixed(&ctx, &printed_years))
                    .map(|r| r.date)
            };
            let printed = fixed(posted);
            // The printed date itself may be machine-readable ("2012-08-25 11:55:23 -0500").
            let machine = post
                .posted_at_attr
                .as_deref()
                .and_then(parse_machine_time)
                .or_else(|| post.posted_at_raw.as_deref().and_then(parse_machine_time))
                .filter(|m| agrees_with_printed(m, printed.as_ref()));
            // A relative display's tooltip may print the absolute date ("2y" under "August
            // 13, 2023 - 3:05pm"): read as a printed date, it comes before the age.
            let titled = post
                .posted_at_attr
                .as_deref()
                .filter(|_| machine.is_none() && printed.as_ref().is_none_or(|p| p.relative))
                .and_then(|attr| Reading::of(attr, &ctx))
                .filter(|r| !r.date.relative && r.century_is_fixed(&ctx, &printed_years))
                .map(|r| r.date);
            post.posted_at_utc = machine.as_ref().and_then(|m| m.utc.clone());
            post.posted_at = machine
                .map(|m| m.iso)
                .or(titled.map(|d| d.iso))
                .or(printed.map(|d| d.iso));
            post.author_joined = fixed(joined).map(|d| d.iso);
        }
    }
    if config.links {
        for post in &mut thread.posts {
            let header_lines = thread
                .chrome
                .iter()
                .filter(|c| c.post == Some(post.index) && c.role == ChromeRole::PostHeader)
                .map(|c| c.text.as_str());
            // The links the page marks up come first, as the segmenter read them from
            // their href; URLs written in plain text are added unless one of those shows
            // them already (a forum's shortened display of its own href).
            let mut links: Vec<Link> = std::mem::take(&mut post.links)
                .into_iter()
                .filter(|l| l.text.is_some())
                .map(|mut l| {
                    l.domain = links::host(&l.url, false);
                    l
                })
                .collect();
            let marked = links.len();
            for text in header_lines.chain(std::iter::once(post.text.as_str())) {
                for link in find_links(text) {
                    let shown_by_href = links[..marked]
                        .iter()
                        .any(|m| m.text.as_deref().is_some_and(|t| shows(t, &link.url)));
                    if !shown_by_href && !links.iter().any(|l| l.url == link.url) {
                        links.push(link);
                    }
                }
            }
            post.links = links;
        }
    }
    if config.articles {
        thread.article = article::find_article(thread, lexicon, config.dates.then_some(&ctx));
    }
    if config.quotations || config.entities {
        // Quotations resolve speakers against the same names the entities report.
        let analysis = entities::analyse(thread);
        if config.quotations {
            thread.quotes = quotes::find_quotations(&analysis);
        }
        if config.entities {
            thread.entities = entities::collect(&analysis);
        }
    }
    Ok(())
}

/// The most used post language, weighted by text length; ties go to the earlier code.
fn thread_lang(thread: &Thread) -> Option<String> {
    let mut weight: BTreeMap<&str, usize> = BTreeMap::new();
    for post in &thread.posts {
        if let Some(lang) = &post.lang {
            *weight.entry(lang).or_default() += post.text.len();
        }
    }
    let best = weight
        .iter()
        .fold(None::<(&str, usize)>, |best, (&k, &v)| match best {
            Some((_, bv)) if bv >= v => best,
            _ => Some((k, v)),
        });
    best.map(|(lang, _)| lang.to_owned())
}

/// Everything date parsing needs to know about this page: its languages, the day/month
/// order its other dates reveal, and the reference time for relative dates.
fn date_context<'a>(
    thread: &mut Thread,
    lexicon: &'a Lexicon,
    config: &ExtractConfig,
) -> Result<DateContext<'a>, Error> {
    let reference = match thread.reference_time.as_deref().or(config.now.as_deref()) {
        Some(raw) => {
            Some(parse_reference(raw).ok_or_else(|| Error::ReferenceTime(raw.to_owned()))?)
        }
        None => None,
    };
    if thread.reference_time.is_none() {
        thread.reference_time.clone_from(&config.now);
    }
    let mut langs: Vec<String> = Vec::new();
    for lang in thread
        .ui_lang
        .iter()
        .chain(thread.lang.iter())
        .map(String::as_str)
        .chain(["en"])
    {
        if !langs.iter().any(|l| l == lang) {
            langs.push(lang.to_owned());
        }
    }
    let raws: Vec<&str> = thread
        .posts
        .iter()
        .flat_map(|p| [p.posted_at_raw.as_deref(), p.author_joined_raw.as_deref()])
        .flatten()
        .collect();
    // Day/month order from the page's other dates; failing that, from its UI language;
    // failing that, from how the dates are written.
    let order = infer_order(&raws)
        .or_else(|| {
            thread
                .ui_lang
                .as_deref()
                .and_then(|l| lexicon.lang(l))
                .and_then(DateOrder::of_lang)
        })
        .or_else(|| dotted_order(&raws));
    Ok(DateContext {
        lexicon,
        langs,
        order,
        reference,
    })
}

/// `2024-05-01`, `2024-05-01T10:00`, `2024-05-01T10:00:00` or a full RFC 3339 time.
fn parse_reference(raw: &str) -> Option<jiff::civil::DateTime> {
    if let Ok(ts) = raw.parse::<jiff::Timestamp>() {
        return Some(jiff::tz::TimeZone::UTC.to_datetime(ts));
    }
    raw.parse::<jiff::civil::DateTime>().ok().or_else(|| {
        raw.parse::<jiff::civil::Date>()
            .ok()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    })
}

/// Years apart that a two-digit year may be from a year the page prints in full: one
/// thread's dates lie within a few years of each other.
const PRINTED_YEAR_REACH: i16 = 10;

/// A printed date as read, with what in its text can fix its century.
struct Reading {
    date: ParsedDate,
    /// The text prints the year with four digits.
    full_year: bool,
    /// The text names a weekday, which the parser checked the date against.
    names_weekday: bool,
}

impl Reading {
    fn of(raw: &str, ctx: &DateContext<'_>) -> Option<Self> {
        let date = parse_date(raw, ctx)?;
        let full_year = raw.contains(&format!("{:04}", date.date.year()));
        let names_weekday = !full_year
            && raw
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .any(|w| {
                    let w = w.to_lowercase();
                    ctx.lexicon
                        .langs()
                        .any(|(_, lang)| lang.weekdays.contains_key(&w))
                });
        Some(Self {
            date,
            full_year,
            names_weekday,
        })
    }

    /// A century is never guessed: a date printed with a two-digit year ("05.01.12",
    /// "21-Nov-19") stands only where something fixes its century: a weekday printed with
    /// it, another date of the page printed with four digits within a few years of it, or
    /// the reference time (the date is not after it, nor a century before it).
    fn century_is_fixed(&self, ctx: &DateContext<'_>, printed_years: &[i16]) -> bool {
        let date = &self.date;
        let year = date.date.year();
        if date.relative || date.year_from_reference || self.full_year || self.names_weekday {
            return true;
        }
        if printed_years
            .iter()
            .any(|&y| (y - year).abs() <= PRINTED_YEAR_REACH)
        {
            return true;
        }
        ctx.reference.is_some_and(|r| {
            let reference = r.date();
            date.date <= reference && reference.year() - year < 100
        })
    }
}

/// The years of the dates the page prints with four digits: what fixes the century of
/// the others.
fn printed_years<'r>(readings: impl Iterator<Item = &'r Reading>) -> Vec<i16> {
    let mut years: Vec<i16> = readings
        .filter(|r| r.full_year)
        .map(|r| r.date.date.year())
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// True when a link's shown text displays `url`: whole, or shortened with an ellipsis
/// (`https://www.example.com/some/lo ... page.html`).
fn shows(text: &str, url: &str) -> bool {
    if text.contains(url) {
        return true;
    }
    let parts: Vec<&str> = url
        .split(" ... ")
        .flat_map(|p| p.split('…'))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() > 1 && parts.iter().all(|p| text.contains(p))
}

/// A machine-readable time stands for the post when the printed date does not
/// contradict it: where the printed date is absolute and more than a day away (beyond any
/// time zone), the attribute belongs to something else (an edit, the author's profile).
fn agrees_with_printed(machine: &MachineTime, printed: Option<&ParsedDate>) -> bool {
    let Some(printed) = printed.filter(|p| !p.relative && !p.year_from_reference) else {
        return true;
    };
    let Some(day) = machine
        .iso
        .get(..10)
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
    else {
        return false;
    };
    let apart = (day - printed.date).get_days().abs();
    apart <= 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadmill_model::{Format, Post, Source};

    #[test]
    fn reference_time_is_checked_up_front() {
        let mut config = ExtractConfig::default();
        assert!(config.check().is_ok());
        config.now = Some("2024-05-01T00:00".into());
        assert!(config.check().is_ok());
        config.now = Some("yesterday".into());
        assert!(config.check().is_err());
    }

    fn thread(posts: &[(&str, Option<&str>)]) -> Thread {
        let source = Source::unnamed(Format::Text);
        let mut thread = Thread::new(source);
        for (i, (text, lang)) in posts.iter().enumerate() {
            let mut post = Post::of_paragraphs(i, [*text]);
            post.lang = lang.map(str::to_owned);
            thread.posts.push(post);
        }
        thread
    }

    fn dated(raws: &[&str]) -> Thread {
        let mut t = thread(&vec![("Some words.", None); raws.len()]);
        for (post, raw) in t.posts.iter_mut().zip(raws) {
            post.posted_at_raw = Some((*raw).to_owned());
        }
        t
    }

    fn posted(raws: &[&str]) -> Vec<Option<String>> {
        let mut t = dated(raws);
        let lexicon = Lexicon::builtin().expect("lexicon");
        extract(&mut t, &lexicon, &ExtractConfig::default()).expect("extract");
        t.posts.into_iter().map(|p| p.posted_at).collect()
    }

    #[test]
    fn a_century_is_never_guessed() {
        // Nothing fixes the century: no weekday, no full year on the page, no reference.
        assert_eq!(posted(&["05.01.12 11:27"]), [None]);
        assert_eq!(posted(&["April 19 42"]), [None]);
        // A weekday printed with it fixes it (1919-11-21 was a Friday).
        assert_eq!(
            posted(&["Thu 21-Nov-19 10:53:49"]),
            [Some("2019-11-21T10:53".to_owned())]
        );
        // So does a full year nearby on the page; a year decades away does not.
        assert_eq!(
            posted(&["05.01.12 11:27", "03.12.2012 14:09"])[0].as_deref(),
            Some("2012-01-05T11:27")
        );
        assert_eq!(posted(&["April 19 42", "April 20, 2020"])[0], None);
    }

    #[test]
    fn short_posts_inherit_the_thread_language_marked() -> Result<(), Box<dyn std::error::Error>> {
        let mut t = thread(&[
            ("Ich habe gestern die neue Version installiert.", Some("de")),
            ("Danke!", None),
            ("", None),
        ]);
        let lexicon = Lexicon::builtin()?;
        extract(&mut t, &lexicon, &ExtractConfig::default())?;
        let langs: Vec<_> = t
            .posts
            .iter()
            .map(|p| (p.lang.as_deref(), p.lang_inherited))
            .collect();
        assert_eq!(
            langs,
            [(Some("de"), false), (Some("de"), true), (None, false)]
        );
        // Running again gives the same record.
        let before = t.clone();
        extract(&mut t, &lexicon, &ExtractConfig::default())?;
        assert_eq!(t, before);

        let mut t = thread(&[("Danke!", None)]);
        let config = ExtractConfig {
            inherit_lang: false,
            ..ExtractConfig::default()
        };
        extract(&mut t, &lexicon, &config)?;
        assert_eq!(
            (t.posts[0].lang.as_deref(), t.posts[0].lang_inherited),
            (None, false)
        );
        Ok(())
    }
}
