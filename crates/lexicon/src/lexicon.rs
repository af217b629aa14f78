//! The compiled lexicon.

use std::collections::BTreeMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::{Regex, RegexSet, RegexSetBuilder};

use crate::builtin::BUILTIN;
use crate::error::Error;
use crate::file::{Label, LangFile, LexiconFile};
use crate::template;

/// One compiled label template.
#[derive(Debug)]
struct Template {
    label: Label,
    engine: Option<String>,
    lang: Option<String>,
    regex: Regex,
    literal_len: usize,
}

/// Date words of one language, ready for lookup (all names lower-cased).
#[derive(Debug, Clone, Default)]
pub struct LangData {
    /// Lower-cased month name → month number (1–12).
    pub months: BTreeMap<String, u8>,
    /// Lower-cased weekday name → weekday number (1 = Monday).
    pub weekdays: BTreeMap<String, u8>,
    /// The raw file data: order, filler and relative words.
    pub file: LangFile,
}

/// The fields a template captured from a line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    /// `{author}`.
    pub author: Option<String>,
    /// `{date}`.
    pub date: Option<String>,
    /// `{n}`.
    pub n: Option<String>,
    /// `{total}`.
    pub total: Option<String>,
    /// `{count}`.
    pub count: Option<String>,
    /// `{value}`.
    pub value: Option<String>,
    /// `{board}`.
    pub board: Option<String>,
    /// `{title}`.
    pub title: Option<String>,
}

/// A line recognised as chrome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineMatch<'a> {
    /// What kind of chrome it is.
    pub label: Label,
    /// The engine whose template matched, if engine-specific.
    pub engine: Option<&'a str>,
    /// The UI language of the template, if any.
    pub lang: Option<&'a str>,
    /// What the placeholders captured, trimmed.
    pub fields: Fields,
}

/// Which engine and UI language a page's chrome belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// The engine, or `None` when nothing engine-specific was seen.
    pub engine: Option<String>,
    /// Share of the engine evidence that points at `engine`, 0 to 1.
    pub engine_confidence: f32,
    /// The UI language, or `None`.
    pub ui_lang: Option<String>,
    /// Share of the language evidence that points at `ui_lang`, 0 to 1.
    pub ui_lang_confidence: f32,
}

/// Every label template, signature and date word, compiled.
#[derive(Debug)]
pub struct Lexicon {
    templates: Vec<Template>,
    set: RegexSet,
    signatures: AhoCorasick,
    signature_engine: Vec<String>,
    langs: BTreeMap<String, LangData>,
}

/// Collects lexicon files, then compiles them into a [`Lexicon`].
#[derive(Debug, Default)]
pub struct LexiconBuilder {
    files: Vec<(String, LexiconFile)>,
}

impl LexiconBuilder {
    /// Adds the files built into threadmill.
    pub fn builtin(mut self) -> Result<Self, Error> {
        for (name, text) in BUILTIN {
            self = self.add_toml(name, text)?;
        }
        Ok(self)
    }

    /// Adds one file's TOML text; `name` is used in error messages.
    pub fn add_toml(mut self, name: &str, text: &str) -> Result<Self, Error> {
        let file: LexiconFile = toml::from_str(text)
            .map_err(|source| Error::Parse { name: name.to_owned(), source: Box::new(source) })?;
        self.files.push((name.to_owned(), file));
        Ok(self)
    }

    /// Adds a lexicon file from disk, or every `*.toml` file below a directory (sorted).
    pub fn add_path(mut self, path: &Path) -> Result<Self, Error> {
        if path.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(path)
                .map_err(|source| Error::Read { path: path.to_owned(), source })?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .collect();
            entries.sort();
            for entry in entries {
                if entry.is_dir() || entry.extension().is_some_and(|e| e == "toml") {
                    self = self.add_path(&entry)?;
                }
            }
            return Ok(self);
        }
        let text = std::fs::read_to_string(path)
            .map_err(|source| Error::Read { path: path.to_owned(), source })?;
        self.add_toml(&path.display().to_string(), &text)
    }

    /// Compiles everything added so far.
    pub fn build(self) -> Result<Lexicon, Error> {
        let mut templates = Vec::new();
        let mut patterns = Vec::new();
        let mut signatures = Vec::new();
        let mut signature_engine = Vec::new();
        let mut langs: BTreeMap<String, LangData> = BTreeMap::new();
        for (name, file) in &self.files {
            for (&label, list) in &file.labels {
                for text in list {
                    let compiled = template::compile(text).map_err(|reason| Error::Template {
                        name: name.clone(),
                        template: text.clone(),
                        reason,
                    })?;
                    let regex = Regex::new(&compiled.pattern)
                        .map_err(|e| Error::Compile(Box::new(e)))?;
                    patterns.push(compiled.pattern);
                    templates.push(Template {
                        label,
                        engine: file.engine.clone(),
                        lang: file.lang.clone(),
                        regex,
                        literal_len: compiled.literal_len,
                    });
                }
            }
            if let Some(engine) = &file.engine {
                for signature in &file.signatures {
                    signatures.push(signature.clone());
                    signature_engine.push(engine.clone());
                }
            }
            if let (Some(lang), Some(dates)) = (&file.lang, &file.dates) {
                merge_lang(langs.entry(lang.clone()).or_default(), name, dates)?;
            }
        }
        let set = RegexSetBuilder::new(&patterns)
            .size_limit(64 << 20)
            .build()
            .map_err(|e| Error::Compile(Box::new(e)))?;
        let signatures = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&signatures)
            .map_err(|e| Error::Compile(Box::new(e)))?;
        Ok(Lexicon { templates, set, signatures, signature_engine, langs })
    }
}

fn merge_lang(data: &mut LangData, name: &str, file: &LangFile) -> Result<(), Error> {
    let bad = |reason: &str| Error::Data { name: name.to_owned(), reason: reason.to_owned() };
    if !file.months.is_empty() && file.months.len() != 12 {
        return Err(bad("`months` needs twelve entries, January first"));
    }
    if !file.weekdays.is_empty() && file.weekdays.len() != 7 {
        return Err(bad("`weekdays` needs seven entries, Monday first"));
    }
    for (number, names) in (1u8..).zip(&file.months) {
        for month in names {
            data.months.insert(month.to_lowercase(), number);
        }
    }
    for (number, names) in (1u8..).zip(&file.weekdays) {
        for day in names {
            data.weekdays.insert(day.to_lowercase(), number);
        }
    }
    let merged = &mut data.file;
    if file.order.is_some() {
        merged.order.clone_from(&file.order);
    }
    merged.filler.extend(file.filler.iter().cloned());
    merged.am.extend(file.am.iter().cloned());
    merged.pm.extend(file.pm.iter().cloned());
    let (into, from) = (&mut merged.relative, &file.relative);
    into.today.extend(from.today.iter().cloned());
    into.yesterday.extend(from.yesterday.iter().cloned());
    into.day_before_yesterday.extend(from.day_before_yesterday.iter().cloned());
    into.now.extend(from.now.iter().cloned());
    into.ago.extend(from.ago.iter().cloned());
    for (unit, words) in &from.units {
        into.units.entry(unit.clone()).or_default().extend(words.iter().cloned());
    }
    Ok(())
}

impl Lexicon {
    /// The built-in lexicon alone.
    pub fn builtin() -> Result<Self, Error> {
        Self::builder().builtin()?.build()
    }

    /// A builder to combine built-in and user files.
    pub fn builder() -> LexiconBuilder {
        LexiconBuilder::default()
    }

    /// The most specific template matching the whole line, if any.
    ///
    /// More literal text wins (so `Re: {title}` loses to a pagination template that also
    /// starts with text); ties go to the label listed first in [`Label::ALL`].
    pub fn match_line(&self, line: &str) -> Option<LineMatch<'_>> {
        let line = line.trim();
        if line.is_empty() || line.len() > 1000 {
            return None;
        }
        let best = self
            .set
            .matches(line)
            .into_iter()
            .map(|i| &self.templates[i])
            .max_by_key(|t| {
                let order = Label::ALL.iter().position(|l| *l == t.label).unwrap_or(usize::MAX);
                (t.literal_len, std::cmp::Reverse(order))
            })?;
        self.capture(best, line)
    }

    /// Every label the line matches, most specific first.
    pub fn match_line_all(&self, line: &str) -> Vec<LineMatch<'_>> {
        let line = line.trim();
        let mut hits: Vec<&Template> =
            self.set.matches(line).into_iter().map(|i| &self.templates[i]).collect();
        hits.sort_by_key(|t| std::cmp::Reverse(t.literal_len));
        hits.into_iter().filter_map(|t| self.capture(t, line)).collect()
    }

    fn capture<'a>(&'a self, template: &'a Template, line: &str) -> Option<LineMatch<'a>> {
        let caps = template.regex.captures(line)?;
        let get = |name: &str| {
            caps.name(name).map(|m| m.as_str().trim().to_owned()).filter(|s| !s.is_empty())
        };
        Some(LineMatch {
            label: template.label,
            engine: template.engine.as_deref(),
            lang: template.lang.as_deref(),
            fields: Fields {
                author: get("author"),
                date: get("date"),
                n: get("n"),
                total: get("total"),
                count: get("count"),
                value: get("value"),
                board: get("board"),
                title: get("title"),
            },
        })
    }

    /// Detects engine and UI language from chrome lines and engine signatures.
    ///
    /// Each matched template votes for its engine and language with the length of its
    /// literal text; a signature ("Powered by phpBB") votes with ten times its length.
    pub fn detect<'t>(&self, text: &str, lines: impl IntoIterator<Item = &'t str>) -> Detection {
        let mut engines: BTreeMap<&str, f32> = BTreeMap::new();
        let mut langs: BTreeMap<&str, f32> = BTreeMap::new();
        for line in lines {
            let line = line.trim();
            if line.is_empty() || line.len() > 300 {
                continue;
            }
            for i in &self.set.matches(line) {
                let t = &self.templates[i];
                let weight = t.literal_len as f32;
                if let Some(engine) = &t.engine {
                    *engines.entry(engine).or_default() += weight;
                }
                if let Some(lang) = &t.lang {
                    *langs.entry(lang).or_default() += weight;
                }
            }
        }
        for m in self.signatures.find_iter(text) {
            let engine = &self.signature_engine[m.pattern().as_usize()];
            *engines.entry(engine).or_default() += 10.0 * (m.end() - m.start()) as f32;
        }
        let (engine, engine_confidence) = strongest(&engines);
        let (ui_lang, ui_lang_confidence) = strongest(&langs);
        Detection { engine, engine_confidence, ui_lang, ui_lang_confidence }
    }

    /// Date words for `lang` (ISO 639-1), if a file provides them.
    pub fn lang(&self, lang: &str) -> Option<&LangData> {
        self.langs.get(lang)
    }

    /// Every language with date words, by code.
    pub fn langs(&self) -> impl Iterator<Item = (&str, &LangData)> {
        self.langs.iter().map(|(code, data)| (code.as_str(), data))
    }

    /// How many label templates are compiled.
    pub fn template_count(&self) -> usize {
        self.templates.len()
    }
}

fn strongest(votes: &BTreeMap<&str, f32>) -> (Option<String>, f32) {
    let total: f32 = votes.values().sum();
    // BTreeMap order makes ties resolve the same way on every run.
    let best = votes.iter().fold(None::<(&str, f32)>, |best, (&k, &v)| match best {
        Some((_, bv)) if bv >= v => best,
        _ => Some((k, v)),
    });
    match best {
        Some((name, v)) if total > 0.0 => {
            (Some(name.to_owned()), ((v / total) * 1000.0).round() / 1000.0)
        }
        _ => (None, 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::builtin().expect("built-in lexicon compiles")
    }

    #[test]
    fn classifies_the_reference_chrome() {
        let lx = lexicon();
        let m = lx.match_line("Berichten: 5989").expect("posts");
        assert_eq!((m.label, m.fields.n.as_deref()), (Label::Posts, Some("5989")));
        let m = lx.match_line("Lid geworden op: 22 nov 2020 15:27").expect("joined");
        assert_eq!(m.label, Label::Joined);
        assert_eq!(m.fields.date.as_deref(), Some("22 nov 2020 15:27"));
        let m = lx.match_line("Terug naar “Korea”").expect("board");
        assert_eq!((m.label, m.fields.board.as_deref()), (Label::Board, Some("Korea")));
        assert_eq!(lx.match_line("Plaats reactie").map(|m| m.label), Some(Label::Action));
        assert!(lx.match_line("Kim Jong Un has pledged his support to Russia.").is_none());
    }

    #[test]
    fn detects_engine_and_language_from_chrome() {
        let lx = lexicon();
        let lines = ["Berichten: 5989", "Lid geworden op: 22 nov 2020 15:27", "Plaats reactie"];
        let d = lx.detect(&lines.join("\n"), lines);
        assert_eq!(d.engine.as_deref(), Some("phpbb"));
        assert_eq!(d.ui_lang.as_deref(), Some("nl"));
        assert!(d.ui_lang_confidence > 0.5, "{d:?}");
    }

    #[test]
    fn nothing_detected_from_plain_prose() {
        let lx = lexicon();
        let d = lx.detect("Just some words.", ["Just some words."]);
        assert_eq!(d.engine, None);
        assert!(d.engine_confidence.abs() < f32::EPSILON);
    }

    #[test]
    fn month_names_come_from_data() {
        let lx = lexicon();
        let nl = lx.lang("nl").expect("Dutch date words");
        assert_eq!(nl.months.get("nov"), Some(&11));
        assert_eq!(nl.weekdays.get("woensdag"), Some(&3));
    }

    #[test]
    fn bad_user_files_name_themselves() {
        let err = Lexicon::builder()
            .add_toml("mine.toml", "engine = 3")
            .expect_err("not a string");
        assert!(err.to_string().contains("mine.toml"));
        let err = Lexicon::builder()
            .add_toml("mine.toml", "[labels]\nposts = [\"{who}\"]")
            .and_then(LexiconBuilder::build)
            .expect_err("bad placeholder");
        assert!(err.to_string().contains("mine.toml"), "{err}");
        let err = Lexicon::builder().add_toml("x.toml", "colour = 1").expect_err("unknown key");
        assert!(err.to_string().contains("x.toml"));
    }

    #[test]
    fn match_line_never_panics_on_odd_input() {
        let lx = lexicon();
        for line in ["", " ", "»", "{author}", &"x".repeat(5000), "Re:", "\u{0}\u{feff}"] {
            let _ = lx.match_line(line);
        }
    }
}
