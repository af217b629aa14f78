//! The compiled lexicon.

use std::collections::BTreeMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use crate::builtin::BUILTIN;
use crate::chrome::ChromeWords;
use crate::dates::{DateWords, LangData, Roles};
use crate::detection::FunctionWords;
use crate::error::Error;
use crate::file::{Label, LexiconFile};
use crate::template::{self, Spans};

/// One compiled label template.
#[derive(Debug)]
struct Template {
    label: Label,
    engine: Option<String>,
    lang: Option<String>,
    matcher: template::Matcher,
    literal_len: usize,
    /// Words and then a date, nothing else ("edited {date}"): such a template would take
    /// any line of prose that begins with its words, so its date is checked.
    checks_date: bool,
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

/// Every label template, signature, date word and chrome word, compiled.
#[derive(Debug)]
pub struct Lexicon {
    templates: Vec<Template>,
    /// Prefilter: every template's anchor (its longest literal run, lower-cased).
    anchors: AhoCorasick,
    /// For each anchor, the templates that have it.
    anchor_templates: Vec<Vec<usize>>,
    signatures: AhoCorasick,
    signature_engine: Vec<String>,
    date_words: DateWords,
    chrome_words: ChromeWords,
    function_words: FunctionWords,
    caption_credit: Option<Regex>,
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
        let file: LexiconFile = toml::from_str(text).map_err(|source| Error::Parse {
            name: name.to_owned(),
            source: Box::new(source),
        })?;
        self.files.push((name.to_owned(), file));
        Ok(self)
    }

    /// Adds a lexicon file from disk, or every `*.toml` file below a directory (sorted).
    pub fn add_path(mut self, path: &Path) -> Result<Self, Error> {
        if path.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(path)
                .map_err(|source| Error::Read {
                    path: path.to_owned(),
                    source,
                })?
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
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        self.add_toml(&path.display().to_string(), &text)
    }

    /// Compiles everything added so far.
    pub fn build(self) -> Result<Lexicon, Error> {
        let mut templates = Vec::new();
        let mut folds = std::collections::HashMap::new();
        let mut anchors = Vec::new();
        let mut signatures = Vec::new();
        let mut signature_engine = Vec::new();
        let mut langs: BTreeMap<String, LangData> = BTreeMap::new();
        let mut credits: Vec<String> = Vec::new();
        for (name, file) in &self.files {
            credits.extend(file.caption_credits.iter().map(|c| regex::escape(c.trim())));
            for (&label, list) in &file.labels {
                for text in list {
                    let compiled = template::compile_with(text, &mut folds).map_err(|reason| {
                        Error::Template {
                            name: name.clone(),
                            template: text.clone(),
                            reason,
                        }
                    })?;
                    anchors.push(compiled.anchor);
                    templates.push(Template {
                        label,
                        engine: file.engine.clone(),
                        lang: file.lang.clone(),
                        matcher: compiled.matcher,
                        literal_len: compiled.literal_len,
                        checks_date: words_then_date(text),
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
                langs.entry(lang.clone()).or_default().merge(name, dates)?;
            }
        }
        // Templates sharing an anchor share one automaton pattern.
        let mut by_anchor: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (id, anchor) in anchors.into_iter().enumerate() {
            by_anchor.entry(anchor).or_default().push(id);
        }
        let (anchor_texts, anchor_templates): (Vec<String>, Vec<Vec<usize>>) =
            by_anchor.into_iter().unzip();
        // A DFA: every line of every page is scanned for anchors, and the few hundred
        // kilobytes it takes once per run buy a faster scan than the default NFA's.
        let anchors = AhoCorasickBuilder::new()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&anchor_texts)
            .map_err(|e| Error::Compile(Box::new(e)))?;
        let signatures = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&signatures)
            .map_err(|e| Error::Compile(Box::new(e)))?;
        credits.sort();
        credits.dedup();
        // The credit closes the caption: "… cosmodrome. Pic: AP" or "… (Foto: ANP)".
        let caption_credit = if credits.is_empty() {
            None
        } else {
            let pattern = format!(
                r"(?i)^(?P<text>.*?)[\s(\[]*\b(?:{})\s*:\s*(?P<credit>[^.:()\[\]]{{1,{MAX_CREDIT_CHARS}}}?)[)\]]?\.?\s*$",
                credits.join("|")
            );
            Some(Regex::new(&pattern).map_err(|e| Error::Compile(Box::new(e)))?)
        };
        let chrome_words = ChromeWords::new(self.files.iter().map(|(_, f)| &f.chrome_words))?;
        let function_words = FunctionWords::new(self.files.iter().map(|(name, f)| {
            (
                name.as_str(),
                f.lang.as_deref(),
                f.detection.function_words.as_slice(),
            )
        }))?;
        Ok(Lexicon {
            templates,
            anchors,
            anchor_templates,
            signatures,
            signature_engine,
            date_words: DateWords::new(langs),
            chrome_words,
            function_words,
            caption_credit,
        })
    }
}

/// Chrome is short: longer lines are prose, and the template matchers, whose cost grows
/// with the square of a line's length at worst, never see them.
const MAX_CHROME_BYTES: usize = 1000;

/// The caption regex's split of `text` into its text and credit.
fn split_credit<'a>(regex: &Regex, text: &'a str) -> Option<(&'a str, &'a str)> {
    let caps = regex.captures(text)?;
    let body = caps.name("text")?.as_str().trim();
    let credit = caps.name("credit")?.as_str().trim();
    (!credit.is_empty()).then_some((body, credit))
}

/// True for a template of words and then a date alone ("answered {date}").
fn words_then_date(template: &str) -> bool {
    template.strip_suffix("{date}").is_some_and(|words| {
        !words.trim().is_empty()
            && words
                .chars()
                .all(|c| c.is_alphabetic() || c.is_whitespace())
    })
}

/// The most characters of a caption's credit ("AP", "Reuters/John Smith").
const MAX_CREDIT_CHARS: usize = 60;

impl Lexicon {
    /// The built-in lexicon alone.
    pub fn builtin() -> Result<Self, Error> {
        Self::builder().builtin()?.build()
    }

    /// A builder to combine built-in and user files.
    pub fn builder() -> LexiconBuilder {
        LexiconBuilder::default()
    }

    /// The templates that match the whole (trimmed) line, in template order, each with
    /// where its fields matched.
    ///
    /// An Aho-Corasick pass over the lower-cased line finds the templates whose anchor it
    /// contains; only those run their matcher. (A `RegexSet` over all templates needs a
    /// lazy DFA of tens of megabytes per thread to stay fast: this needs none.) A line
    /// longer than [`MAX_CHROME_BYTES`] matches nothing.
    fn matching(&self, line: &str) -> Vec<(&Template, Spans)> {
        if line.len() > MAX_CHROME_BYTES {
            return Vec::new();
        }
        let lower = line.to_lowercase();
        let mut ids: Vec<usize> = self.anchored_templates(&lower).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .filter_map(|i| {
                let template = &self.templates[i];
                let spans = template.matcher.captures(line)?;
                let date = spans.get("date").and_then(|r| line.get(r));
                (!template.checks_date || date.is_none_or(|d| self.could_be_date(d)))
                    .then_some((template, spans))
            })
            .collect()
    }

    /// True when `text`, a template's date field, may be a date: empty, or holding a
    /// number, a month, a weekday or a relative date's word of some language.
    fn could_be_date(&self, text: &str) -> bool {
        let strong =
            Roles::MONTH | Roles::WEEKDAY | Roles::DAY | Roles::AGO | Roles::UNIT | Roles::RELATIVE;
        let mut words = text
            .split(|c: char| {
                c.is_whitespace() || matches!(c, ',' | '.' | '/' | '-' | ':' | '(' | ')')
            })
            .filter(|w| !w.is_empty())
            .peekable();
        words.peek().is_none()
            || words.any(|w| {
                w.chars().any(|c| c.is_ascii_digit()) || self.date_words.roles(w).intersects(strong)
            })
    }

    /// True when `text` holds, anywhere, the literal word (each template's longest run of
    /// literal text, which any line it matches holds) of a template of `label`: a text
    /// without one holds no part that template matches, so a caller trying many parts asks
    /// this once.
    pub fn may_hold(&self, label: Label, text: &str) -> bool {
        self.anchored_templates(&text.to_lowercase())
            .any(|t| self.templates[t].label == label)
    }

    /// The templates whose anchor (their longest run of literal text) the lower-cased
    /// `lower` holds, by index, once per occurrence.
    fn anchored_templates<'s>(&'s self, lower: &'s str) -> impl Iterator<Item = usize> + 's {
        self.anchors.find_overlapping_iter(lower).flat_map(|m| {
            self.anchor_templates[m.pattern().as_usize()]
                .iter()
                .copied()
        })
    }

    /// The most specific template matching the whole line, if any. A line of more than
    /// 1,000 bytes is never chrome.
    ///
    /// More literal text wins (so `Re: {title}` loses to a pagination template that also
    /// starts with text); ties go to the label listed first in [`Label::ALL`].
    pub fn match_line(&self, line: &str) -> Option<LineMatch<'_>> {
        let line = line.trim();
        if line.is_empty() {
            return None;
        }
        let (best, spans) = self.matching(line).into_iter().max_by_key(|(t, _)| {
            let order = Label::ALL
                .iter()
                .position(|l| *l == t.label)
                .unwrap_or(usize::MAX);
            (t.literal_len, std::cmp::Reverse(order))
        })?;
        Some(Self::line_match(best, &spans, line))
    }

    /// Every label the line matches, most specific first (none for a line of more than
    /// 1,000 bytes).
    pub fn match_line_all(&self, line: &str) -> Vec<LineMatch<'_>> {
        let line = line.trim();
        let mut hits = self.matching(line);
        hits.sort_by_key(|(t, _)| std::cmp::Reverse(t.literal_len));
        hits.into_iter()
            .map(|(t, spans)| Self::line_match(t, &spans, line))
            .collect()
    }

    fn line_match<'a>(template: &'a Template, spans: &Spans, line: &str) -> LineMatch<'a> {
        let get = |name: &str| {
            spans
                .get(name)
                .map(|span| line[span].trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        LineMatch {
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
        }
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
            for (t, _) in self.matching(line) {
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
        Detection {
            engine,
            engine_confidence,
            ui_lang,
            ui_lang_confidence,
        }
    }

    /// Date words for `lang` (ISO 639-1), if a file provides them.
    pub fn lang(&self, lang: &str) -> Option<&LangData> {
        self.date_words.lang(lang)
    }

    /// Every language with date words, by code.
    pub fn langs(&self) -> impl Iterator<Item = (&str, &LangData)> {
        self.date_words.langs()
    }

    /// The date words of every language, in one table built with the lexicon.
    pub fn date_words(&self) -> &DateWords {
        &self.date_words
    }

    /// The UI words of every language looked for inside a line (`[chrome_words]`).
    pub fn chrome_words(&self) -> &ChromeWords {
        &self.chrome_words
    }

    /// The function words of every language (`[detection]`), which tell a short post's
    /// language.
    pub fn function_words(&self) -> &FunctionWords {
        &self.function_words
    }

    /// Splits a photo caption into its text and credit: `"… cosmodrome. Pic: AP"` →
    /// `("… cosmodrome.", "AP")`.
    pub fn caption_credit<'a>(&self, text: &'a str) -> Option<(&'a str, &'a str)> {
        let regex = self.caption_credit.as_ref()?;
        // The credit follows the last colon: at most its length, a bracket and a full stop,
        // besides white space. Most paragraphs fail that, and the regex (tens of thousands
        // of instructions on a paragraph) need not run.
        let after_colon = &text[text.rfind(':')? + 1..];
        let mut visible = after_colon.chars().filter(|c| !c.is_whitespace());
        if visible.nth(MAX_CREDIT_CHARS + 2).is_some() {
            return None;
        }
        split_credit(regex, text)
    }

    /// How many label templates are compiled.
    pub fn template_count(&self) -> usize {
        self.templates.len()
    }
}

fn strongest(votes: &BTreeMap<&str, f32>) -> (Option<String>, f32) {
    let total: f32 = votes.values().sum();
    // BTreeMap order makes ties resolve the same way on every run.
    let best = votes
        .iter()
        .fold(None::<(&str, f32)>, |best, (&k, &v)| match best {
            Some((_, bv)) if bv >= v => best,
            _ => Some((k, v)),
        });
    match best {
        Some((name, v)) if total > 0.0 => (
            Some(name.to_owned()),
            ((v / total) * 1000.0).round() / 1000.0,
        ),
        _ => (None, 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy as _;

    fn lexicon() -> Lexicon {
        Lexicon::builtin().expect("built-in lexicon compiles")
    }

    #[test]
    fn classifies_the_reference_chrome() {
        let lx = lexicon();
        let m = lx.match_line("Berichten: 5989").expect("posts");
        assert_eq!(
            (m.label, m.fields.n.as_deref()),
            (Label::Posts, Some("5989"))
        );
        let m = lx
            .match_line("Lid geworden op: 22 nov 2020 15:27")
            .expect("joined");
        assert_eq!(m.label, Label::Joined);
        assert_eq!(m.fields.date.as_deref(), Some("22 nov 2020 15:27"));
        let m = lx.match_line("Terug naar “Korea”").expect("board");
        assert_eq!(
            (m.label, m.fields.board.as_deref()),
            (Label::Board, Some("Korea"))
        );
        assert_eq!(
            lx.match_line("Plaats reactie").map(|m| m.label),
            Some(Label::Action)
        );
        assert!(
            lx.match_line("Kim Jong Un has pledged his support to Russia.")
                .is_none()
        );
    }

    #[test]
    fn detects_engine_and_language_from_chrome() {
        let lx = lexicon();
        let lines = [
            "Berichten: 5989",
            "Lid geworden op: 22 nov 2020 15:27",
            "Plaats reactie",
        ];
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
    fn caption_credits() {
        let lx = lexicon();
        assert_eq!(
            lx.caption_credit("Putin and Kim meet at the cosmodrome. Pic: AP"),
            Some(("Putin and Kim meet at the cosmodrome.", "AP"))
        );
        assert_eq!(
            lx.caption_credit("De premier (Foto: ANP)"),
            Some(("De premier", "ANP"))
        );
        assert_eq!(lx.caption_credit("He said: yes"), None);
        let longest = "A".repeat(MAX_CREDIT_CHARS);
        let line = format!("Kim. (Pic: {longest}).");
        assert_eq!(lx.caption_credit(&line), Some(("Kim.", longest.as_str())));
    }

    proptest::proptest! {
        /// The check in front of the caption regex refuses only what the regex refuses.
        #[test]
        fn caption_credits_are_found_as_the_regex_finds_them(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec![
                        "Pic", "Foto", "Photo", ":", " : ", "(", ")", "]", ".", " ", "\n",
                    ]).prop_map(str::to_owned),
                    "[a-zA-Z ]{0,40}",
                ],
                0..12,
            ),
        ) {
            static LEXICON: std::sync::LazyLock<Lexicon> = std::sync::LazyLock::new(lexicon);
            let lx = &*LEXICON;
            let text = pieces.concat();
            let regex = lx.caption_credit.as_ref().expect("built-in credits");
            proptest::prop_assert_eq!(lx.caption_credit(&text), split_credit(regex, &text));
        }
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
        let err = Lexicon::builder()
            .add_toml("x.toml", "colour = 1")
            .expect_err("unknown key");
        assert!(err.to_string().contains("x.toml"));
    }

    #[test]
    fn long_lines_are_never_chrome() {
        let lx = lexicon();
        let long = format!("Re: {}", "x ".repeat(MAX_CHROME_BYTES));
        assert!(lx.match_line(&long).is_none());
        assert!(lx.match_line_all(&long).is_empty());
        assert!(lx.match_line(&long[..MAX_CHROME_BYTES]).is_some());
    }

    #[test]
    fn match_line_never_panics_on_odd_input() {
        let lx = lexicon();
        for line in [
            "",
            " ",
            "»",
            "{author}",
            &"x".repeat(5000),
            "Re:",
            "\u{0}\u{feff}",
        ] {
            let _ = lx.match_line(line);
        }
    }

    /// The label, engine, language and fields a line is classified with.
    fn classify<'a>(
        lx: &'a Lexicon,
        line: &str,
    ) -> (Label, Option<&'a str>, Option<&'a str>, Fields) {
        let m = lx
            .match_line(line)
            .unwrap_or_else(|| panic!("chrome not recognised: {line:?}"));
        (m.label, m.engine, m.lang, m.fields)
    }

    /// Runs `detect` over lines that stand for a page's chrome.
    fn detect_lines(lx: &Lexicon, lines: &[&str]) -> Detection {
        lx.detect(&lines.join("\n"), lines.iter().copied())
    }

    #[test]
    fn german_phpbb_chrome() {
        let lx = lexicon();
        let (label, _, lang, f) = classify(&lx, "Beiträge: 12");
        assert_eq!(
            (label, lang, f.n.as_deref()),
            (Label::Posts, Some("de"), Some("12"))
        );
        let (label, engine, _, f) = classify(&lx, "Registriert: Mo 3. Feb 2020, 10:00");
        assert_eq!((label, engine), (Label::Joined, Some("phpbb")));
        assert_eq!(f.date.as_deref(), Some("Mo 3. Feb 2020, 10:00"));
        let (label, engine, lang, f) = classify(&lx, "Beitrag von Bjoern1234 » 10 Apr 2020, 09:06");
        assert_eq!(
            (label, engine, lang),
            (Label::PostHeader, Some("phpbb"), Some("de"))
        );
        assert_eq!(f.author.as_deref(), Some("Bjoern1234"));
        assert_eq!(f.date.as_deref(), Some("10 Apr 2020, 09:06"));
        let (label, _, _, f) = classify(&lx, "Zurück zu „Gartenfreunde“");
        assert_eq!(
            (label, f.board.as_deref()),
            (Label::Board, Some("Gartenfreunde"))
        );
        let (label, _, _, f) = classify(&lx, "6 Beiträge • Seite 1 von 3");
        assert_eq!(
            (label, f.n.as_deref(), f.total.as_deref()),
            (Label::Pagination, Some("1"), Some("3"))
        );
        let (label, _, _, f) = classify(&lx, "Saint Marie hat geschrieben:");
        assert_eq!(
            (label, f.author.as_deref()),
            (Label::QuoteHeader, Some("Saint Marie"))
        );

        let d = detect_lines(
            &lx,
            &[
                "Beiträge: 12",
                "Registriert: Mo 3. Feb 2020, 10:00",
                "Beitrag von Bjoern1234 » 10 Apr 2020, 09:06",
                "Nach oben",
                "Powered by phpBB® Forum Software © phpBB Limited",
            ],
        );
        assert_eq!(d.engine.as_deref(), Some("phpbb"), "{d:?}");
        assert_eq!(d.ui_lang.as_deref(), Some("de"), "{d:?}");
    }

    #[test]
    fn russian_and_french_phpbb_chrome() {
        let lx = lexicon();
        let (label, _, lang, f) = classify(&lx, "Сообщения: 12");
        assert_eq!(
            (label, lang, f.n.as_deref()),
            (Label::Posts, Some("ru"), Some("12"))
        );
        let (label, _, lang, f) = classify(&lx, "Зарегистрирован: 12 янв 2010, 10:00");
        assert_eq!(
            (label, lang, f.date.as_deref()),
            (Label::Joined, Some("ru"), Some("12 янв 2010, 10:00"))
        );
        let (label, _, _, f) = classify(&lx, "Вася писал(а):");
        assert_eq!(
            (label, f.author.as_deref()),
            (Label::QuoteHeader, Some("Вася"))
        );
        let d = detect_lines(
            &lx,
            &[
                "Сообщение Вася » 12 янв 2010, 10:00",
                "Сообщения: 12",
                "Зарегистрирован: 12 янв 2010, 10:00",
                "Вернуться к началу",
            ],
        );
        assert_eq!(
            (d.engine.as_deref(), d.ui_lang.as_deref()),
            (Some("phpbb"), Some("ru")),
            "{d:?}"
        );

        // The phpBB 3.0 French pack glues the icon title to "par" and drops the space
        // before the colon; both still match.
        let (label, _, lang, f) = classify(&lx, "Messagepar fltlgt » Dim 29 Oct 2017 16:46");
        assert_eq!(
            (label, lang, f.author.as_deref()),
            (Label::PostHeader, Some("fr"), Some("fltlgt"))
        );
        let (label, _, _, f) = classify(&lx, "Enregistré le: Mer 12 Sep 2012 09:43");
        assert_eq!(
            (label, f.date.as_deref()),
            (Label::Joined, Some("Mer 12 Sep 2012 09:43"))
        );
        let (label, _, _, f) = classify(&lx, "Messages : 1449");
        assert_eq!((label, f.n.as_deref()), (Label::Posts, Some("1449")));
        let d = detect_lines(
            &lx,
            &[
                "Messagepar fltlgt » Dim 29 Oct 2017 16:46",
                "Messages: 1",
                "Enregistré le: Dim 29 Oct 2017 16:41",
                "Haut",
            ],
        );
        assert_eq!(
            (d.engine.as_deref(), d.ui_lang.as_deref()),
            (Some("phpbb"), Some("fr")),
            "{d:?}"
        );
    }

    #[test]
    fn vbulletin_chrome() {
        let lx = lexicon();
        let (label, _, _, f) = classify(&lx, "Join Date: Mar 2010");
        assert_eq!(
            (label, f.date.as_deref()),
            (Label::Joined, Some("Mar 2010"))
        );
        // vBulletin 4's label and value, run together by a copy without line breaks.
        let (label, _, _, f) = classify(&lx, "Join Date Aug 2011");
        assert_eq!(
            (label, f.date.as_deref()),
            (Label::Joined, Some("Aug 2011"))
        );
        let (label, _, lang, f) = classify(&lx, "Posts: 1,234");
        assert_eq!(
            (label, lang, f.n.as_deref()),
            (Label::Posts, Some("en"), Some("1,234"))
        );
        let (label, engine, _, f) = classify(&lx, "Originally Posted by KIAaze");
        assert_eq!((label, engine), (Label::QuoteHeader, Some("vbulletin")));
        assert_eq!(f.author.as_deref(), Some("KIAaze"));
        let (label, _, _, f) = classify(&lx, "Last edited by Crazyguy; 04-06-2019 at 09:29 PM.");
        assert_eq!(
            (label, f.author.as_deref()),
            (Label::EditNote, Some("Crazyguy"))
        );
        let d = detect_lines(
            &lx,
            &[
                "Join Date: Mar 2010",
                "Posts: 1,234",
                "Originally Posted by KIAaze",
                "Reply With Quote",
                "Powered by vBulletin® Version 4.2.2",
            ],
        );
        assert_eq!(
            (d.engine.as_deref(), d.ui_lang.as_deref()),
            (Some("vbulletin"), Some("en")),
            "{d:?}"
        );
    }

    #[test]
    fn xenforo_chrome() {
        let lx = lexicon();
        let (label, _, _, f) = classify(&lx, "reacher said:");
        assert_eq!(
            (label, f.author.as_deref()),
            (Label::QuoteHeader, Some("reacher"))
        );
        let (label, _, _, f) = classify(&lx, "Messages: 12");
        assert_eq!((label, f.n.as_deref()), (Label::Posts, Some("12")));
        let (label, engine, _, f) = classify(&lx, "Reaction score: 3");
        assert_eq!(
            (label, engine, f.n.as_deref()),
            (Label::AuthorInfo, Some("xenforo"), Some("3"))
        );
        let (label, _, lang, f) = classify(&lx, "Townes schrieb:");
        assert_eq!(
            (label, lang, f.author.as_deref()),
            (Label::QuoteHeader, Some("de"), Some("Townes"))
        );
        let d = detect_lines(
            &lx,
            &[
                "reacher said:",
                "Click to expand...",
                "Messages: 12",
                "Reaction score: 3",
                "Forum software by XenForo® © 2010-2020 XenForo Ltd.",
            ],
        );
        assert_eq!(
            (d.engine.as_deref(), d.ui_lang.as_deref()),
            (Some("xenforo"), Some("en")),
            "{d:?}"
        );
    }

    #[test]
    fn smf_and_mybb_chrome() {
        let lx = lexicon();
        let (label, engine, _, f) = classify(
            &lx,
            "Quote from: mmccarn on September 19, 2007, 02:37:35 PM",
        );
        assert_eq!((label, engine), (Label::QuoteHeader, Some("smf")));
        assert_eq!(f.author.as_deref(), Some("mmccarn"));
        assert_eq!(f.date.as_deref(), Some("September 19, 2007, 02:37:35 PM"));
        let (label, _, _, f) = classify(&lx, "« Reply #3 on: September 19, 2007, 02:57:03 PM »");
        assert_eq!((label, f.n.as_deref()), (Label::PostHeader, Some("3")));
        let (label, _, _, f) = classify(
            &lx,
            "« Last Edit: September 24, 2007, 12:57:14 PM by gregswallow »",
        );
        assert_eq!(
            (label, f.author.as_deref()),
            (Label::EditNote, Some("gregswallow"))
        );
        let (label, _, lang, f) = classify(&lx, "Zitat von: Chuma am 02. Oktober 2011, 16:38:00");
        assert_eq!(
            (label, lang, f.author.as_deref()),
            (Label::QuoteHeader, Some("de"), Some("Chuma"))
        );
        let d = detect_lines(
            &lx,
            &[
                "« on: September 19, 2007, 01:08:14 PM »",
                "Quote from: mmccarn on September 19, 2007, 02:37:35 PM",
                "Logged",
                "Pages: [1] 2 All Go Down",
                "Powered by SMF 2.0 RC3 |",
            ],
        );
        assert_eq!(
            (d.engine.as_deref(), d.ui_lang.as_deref()),
            (Some("smf"), Some("en")),
            "{d:?}"
        );

        let (label, engine, lang, f) = classify(&lx, "Registriert seit: 12.03.2010");
        assert_eq!(
            (label, engine, lang),
            (Label::Joined, Some("mybb"), Some("de"))
        );
        assert_eq!(f.date.as_deref(), Some("12.03.2010"));
        let (label, _, _, f) = classify(
            &lx,
            "(This post was last modified: 03-15-2020, 10:00 AM by Ann.)",
        );
        assert_eq!((label, f.author.as_deref()), (Label::EditNote, Some("Ann")));
    }

    #[test]
    fn a_text_without_a_labels_words_holds_none_of_its_lines() {
        let lexicon = Lexicon::builtin().expect("lexicon");
        let prompt = "Glue it twice. You must log in or register to reply here.";
        assert!(lexicon.may_hold(Label::Login, prompt));
        assert!(!lexicon.may_hold(Label::Login, "Glue it twice and clamp it overnight."));
    }

    #[test]
    fn a_word_then_a_date_template_wants_a_date() {
        let lexicon = Lexicon::builtin().expect("lexicon");
        let label = |line: &str| lexicon.match_line(line).map(|m| m.label);
        assert_eq!(label("edited May 4, 2009 at 9:00"), Some(Label::EditNote));
        assert_eq!(label("answered 3 hours ago"), Some(Label::PostDate));
        assert_eq!(label("answered yesterday"), Some(Label::PostDate));
        // Prose that begins with the template's word is no chrome.
        assert_eq!(
            label("asked to resend once again because they could not open it"),
            None
        );
        assert_eq!(label("edited the post because it was wrong"), None);
        // "Posted {date}" no longer takes a byline: the byline is an author line.
        assert_eq!(label("Posted by Barbara"), Some(Label::AuthorLine));
    }

    #[test]
    fn date_words_cover_genitives_and_abbreviations() {
        let lx = lexicon();
        let month = |lang: &str, word: &str| {
            lx.lang(lang)
                .and_then(|d| d.months.get(&word.to_lowercase()).copied())
        };
        assert_eq!(month("ru", "января"), Some(1));
        assert_eq!(month("ru", "сент."), Some(9));
        assert_eq!(month("pl", "września"), Some(9));
        assert_eq!(month("pl", "paź"), Some(10));
        assert_eq!(month("fr", "févr."), Some(2));
        assert_eq!(month("fr", "mars"), Some(3));
        assert_eq!(month("de", "Mär"), Some(3));
        assert_eq!(month("de", "März"), Some(3));
        assert_eq!(month("es", "dic"), Some(12));
        assert_eq!(month("it", "giu"), Some(6));
        assert_eq!(month("pt", "fev"), Some(2));
        assert_eq!(month("sv", "okt"), Some(10));
        for code in ["en", "nl", "de", "fr", "es", "it", "pt", "pl", "ru", "sv"] {
            let data = lx
                .lang(code)
                .unwrap_or_else(|| panic!("date words for {code}"));
            assert_eq!(data.weekdays.values().max(), Some(&7), "{code}");
            assert!(data.file.order.is_some(), "{code}");
            assert!(!data.file.relative.today.is_empty(), "{code}");
            assert!(!data.file.relative.ago.is_empty(), "{code}");
        }
    }

    #[test]
    fn every_builtin_file_names_its_source() {
        for (name, text) in BUILTIN {
            let file: LexiconFile = toml::from_str(text).expect("built-in file parses");
            if file.engine.is_some() {
                assert!(file.source.is_some(), "{name} has no source");
                assert!(file.lang.is_some(), "{name} has no lang");
            }
        }
    }

    #[test]
    fn stackexchange_post_menu_and_user_card() {
        let lx = lexicon();
        for (line, label) in [
            ("Improve this answer", Label::Action),
            ("enter image description here", Label::Action),
            ("[Highest score (default)     ]", Label::Action),
            ("ann's user avatar", Label::AuthorInfo),
            (
                "14.6k2020 gold badges8383 silver badges131131 bronze badges",
                Label::AuthorInfo,
            ),
            ("Viewed 69k times", Label::Navigation),
            ("Asked 16 years, 10 months ago", Label::Navigation),
            ("answered May 2, 2009 at 0:09", Label::PostDate),
            ("Commented May 2, 2009 at 0:53", Label::CommentDate),
            ("14 Answers 14", Label::Subject),
        ] {
            let (found, engine, _, _) = classify(&lx, line);
            assert_eq!((found, engine), (label, Some("stackexchange")), "{line:?}");
        }
        let signed = detect_lines(
            &lx,
            &["Site design / logo © 2026 Stack Exchange Inc; user contributions licensed under"],
        );
        assert_eq!(signed.engine.as_deref(), Some("stackexchange"));
    }

    #[test]
    fn xenforo_2_notices_and_invision_topic_summary() {
        let lx = lexicon();
        for (line, label, engine) in [
            (
                "Oldest first Newest first Most reactions",
                Label::Action,
                "xenforo",
            ),
            ("Not open for further replies.", Label::Action, "xenforo"),
            // The thread's start date heads the page, not a post.
            ("Start date Nov 1, 2024", Label::Navigation, "xenforo"),
            (
                "You should upgrade or use an alternative browser.",
                Label::Login,
                "xenforo",
            ),
            ("Followers 4", Label::Action, "invision"),
            ("Top Posters In This Topic", Label::Action, "invision"),
        ] {
            let (found, by, _, _) = classify(&lx, line);
            assert_eq!((found, by), (label, Some(engine)), "{line:?}");
        }
    }

    #[test]
    fn an_avatars_text_is_author_info() {
        let lx = lexicon();
        for line in [
            "Avatar for ann_b",
            "Ann B's picture",
            "Profile photo for Ann B",
        ] {
            assert_eq!(
                lx.match_line(line).map(|m| m.label),
                Some(Label::AuthorInfo),
                "{line:?}"
            );
        }
    }

    #[test]
    fn a_german_posts_number_date_and_edit_note() {
        let lx = lexicon();
        for (line, label) in [
            ("#3 erstellt: 22. Apr 2020, 00:22", Label::PostDate),
            (
                "[Beitrag von ann am 21. Apr 2020, 19:52 bearbeitet]",
                Label::EditNote,
            ),
        ] {
            assert_eq!(
                lx.match_line(line).map(|m| m.label),
                Some(label),
                "{line:?}"
            );
        }
    }

    #[test]
    fn a_vanilla_panels_counts_and_rank_are_a_post_count() {
        let lx = lexicon();
        for line in [
            "2886 replies 8 threads Senior Member",
            "6 replies 15 threads",
        ] {
            assert_eq!(
                lx.match_line(line).map(|m| m.label),
                Some(Label::Posts),
                "{line:?}"
            );
        }
        // A sentence about replies is no panel.
        assert!(lx.match_line("I got 3 replies to my question").is_none());
    }

    #[test]
    fn nodebb_post_footer_and_presence() {
        let lx = lexicon();
        for (line, label) in [
            ("ann1A 1 Reply Last reply Reply Quote  0", Label::Action),
            ("bob 2 Replies Last reply", Label::Action),
            ("wrote on  last edited by ann1", Label::EditNote),
            ("• ann1A Online", Label::AuthorInfo),
            ("ann1A Offline", Label::AuthorInfo),
        ] {
            let (found, engine, _, _) = classify(&lx, line);
            assert_eq!((found, engine), (label, Some("nodebb")), "{line:?}");
        }
        // A shop's spam line is no one's presence.
        assert!(lx.match_line("coach outlet online").is_none());
    }

    #[test]
    fn reaction_counts_are_a_posts_buttons() {
        let lx = lexicon();
        for line in [
            "3 Likes",
            "1 Like",
            "• Like 12",
            "9 Likes 1 Share",
            "30 Likes 3 Shares",
        ] {
            assert_eq!(
                lx.match_line(line).map(|m| m.label),
                Some(Label::Action),
                "{line:?}"
            );
        }
        assert!(lx.match_line("3 Likes are not enough").is_none());
    }

    #[test]
    fn chrome_templates_leave_prose_alone() {
        let lx = lexicon();
        for line in [
            "The posts on this forum are great, thanks everyone.",
            "Join the discussion today and tell us what you think.",
            "Ich habe mich gestern registriert und finde das Forum toll.",
            "Мы зарегистрировались на форуме в прошлом году.",
            "Merci pour vos messages, ils m'ont beaucoup aidé.",
            "Page through the manual until you find the section on quotes.",
        ] {
            assert!(
                lx.match_line(line).is_none(),
                "{line:?} matched {:?}",
                lx.match_line(line)
            );
        }
    }
}
