//! The quote headers no engine's template covers, as one regex of every language's words.
//!
//! "X said:", "Quote from: X on 12 May 2020", "Zitat von X": the shapes most engines share.

use regex::Regex;

use crate::chrome::folded;
use crate::error::Error;

/// A quote's header in the shapes most engines share, in every language of the lexicon:
/// "ann wrote:", "Quote from: ann on 12 May 2020", "Originally Posted by ann",
/// "Zitat von ann", "ann a écrit :".
///
/// Built once with the lexicon from the `quote_*` lists of `[chrome_words]`; compared
/// without case, any run of white space in a word matching any other.
#[derive(Debug, Default)]
pub struct QuoteHeader {
    regex: Option<Regex>,
}

/// The words of each part of a header, as the files list them.
pub(crate) struct QuoteWords<'a> {
    /// "quote", "zitat": opens a header of the first shape.
    pub label: &'a [String],
    /// "from", "von": between the label and the author, or nothing.
    pub from: &'a [String],
    /// "on", "am": between the author and the date, when there is a date.
    pub on: &'a [String],
    /// "posted by", "quoting": opens a header of the second shape.
    pub by: &'a [String],
    /// "wrote", "said": closes a header of the third shape.
    pub said: &'a [String],
}

impl QuoteHeader {
    pub(crate) fn new(words: &QuoteWords<'_>) -> Result<Self, Error> {
        let label = alternation(words.label);
        let from = alternation(words.from);
        let on = alternation(words.on);
        let by = alternation(words.by);
        let said = alternation(words.said);
        let mut shapes = Vec::new();
        // "Quote from: ann on <date>", "Zitat von ann", "Citation ann".
        if let Some(label) = &label {
            let from = from.map(|f| format!("(?:{f})?")).unwrap_or_default();
            let on = on
                .map(|o| format!(r"(?:\s+(?:{o})\s+.{{4,60}})?"))
                .unwrap_or_default();
            shapes.push(format!(
                r"(?:{label})\s*{from}\s*:?\s+(?P<a1>[^:]{{1,60}}?){on}"
            ));
        }
        // "Originally Posted by ann".
        if let Some(by) = &by {
            shapes.push(format!(r"(?:{by})\s+(?P<a2>.{{1,60}}?)"));
        }
        // "ann wrote:", "ann said on 12 May:".
        if let Some(said) = &said {
            shapes.push(format!(
                r"(?P<a3>[^:]{{1,60}}?)\s+(?:{said})(?:\s+.{{0,40}})?"
            ));
        }
        if shapes.is_empty() {
            return Ok(Self::default());
        }
        let pattern = format!(r"(?i)^\s*(?:{})\s*:?\s*(?:…|\.\.\.)?\s*$", shapes.join("|"));
        let regex = Regex::new(&pattern).map_err(|e| Error::Compile(Box::new(e)))?;
        Ok(Self { regex: Some(regex) })
    }

    /// The quoted author as the header names them, untrimmed: "ann" of "ann wrote:".
    /// `None` when the line is no such header.
    pub fn author<'t>(&self, line: &'t str) -> Option<&'t str> {
        let caps = self.regex.as_ref()?.captures(line)?;
        let who = caps
            .name("a1")
            .or_else(|| caps.name("a2"))
            .or_else(|| caps.name("a3"))?;
        Some(who.as_str())
    }
}

/// The words as alternatives, longest first (so that "posted by" is tried before a
/// "posted" of its own), each escaped, its spaces matching any run of white space; `None`
/// for no words.
fn alternation(words: &[String]) -> Option<String> {
    let mut words = folded(words);
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let parts: Vec<String> = words
        .iter()
        .map(|w| {
            w.split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+")
        })
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Lexicon, LexiconBuilder};
    use proptest::strategy::Strategy as _;

    /// The pattern the built-in words stand for, as it was written by hand before the
    /// words moved into the lexicon files.
    const HAND_WRITTEN: &str = r"(?ix)^\s*(?:
            (?:quote|zitat|citation|cita|citazione|цитата)\s*(?:from|von|de|di|)\s*:?\s+(?P<a1>[^:]{1,60}?)(?:\s+(?:on|am|le|el|il)\s+.{4,60})?
          | (?:originally\s+posted\s+by|posted\s+by|quoting)\s+(?P<a2>.{1,60}?)
          | (?P<a3>[^:]{1,60}?)\s+(?:said|wrote|schrieb|a\s+écrit|escribió|ha\s+scritto|schreef|написал(?:\(а\))?|pisze|skrev|disse)
            (?:\s+.{0,40})?
        )\s*:?\s*(?:…|\.\.\.)?\s*$";

    fn hand_written(line: &str) -> Option<&str> {
        static REGEX: std::sync::LazyLock<Regex> =
            std::sync::LazyLock::new(|| Regex::new(HAND_WRITTEN).expect("compiles"));
        let caps = REGEX.captures(line)?;
        let who = caps
            .name("a1")
            .or_else(|| caps.name("a2"))
            .or_else(|| caps.name("a3"))?;
        Some(who.as_str())
    }

    static LEXICON: std::sync::LazyLock<Lexicon> =
        std::sync::LazyLock::new(|| Lexicon::builtin().expect("built-in lexicon"));

    #[test]
    fn headers_of_every_shape() {
        let header = &LEXICON.chrome_words().quote_header;
        for (line, who) in [
            ("ann wrote:", Some("ann")),
            ("Quote from: mmccarn on September 19, 2007", Some("mmccarn")),
            ("Zitat von Chuma", Some("Chuma")),
            ("Originally Posted by KIAaze", Some("KIAaze")),
            ("Вася написал(а):", Some("Вася")),
            ("Marie a   écrit :", Some("Marie")),
            ("ann wrote on 12 May 2020...", Some("ann")),
            ("The weather is fine", None),
            ("", None),
        ] {
            assert_eq!(header.author(line), who, "{line:?}");
            assert_eq!(hand_written(line), who, "{line:?}");
        }
    }

    #[test]
    fn no_words_no_headers() {
        let lx = Lexicon::builder()
            .add_toml("x.toml", "lang = \"xx\"")
            .and_then(LexiconBuilder::build)
            .expect("compiles");
        assert_eq!(lx.chrome_words().quote_header.author("ann wrote:"), None);
        // One shape alone: the others are left out, not matched by an empty word.
        let lx = Lexicon::builder()
            .add_toml("x.toml", "[chrome_words]\nquote_label = [\"Quote\"]")
            .and_then(LexiconBuilder::build)
            .expect("compiles");
        let header = &lx.chrome_words().quote_header;
        assert_eq!(header.author("Quote: ann"), Some("ann"));
        assert_eq!(header.author("Quote from ann"), Some("from ann"));
        assert_eq!(header.author("ann wrote:"), None);
    }

    #[test]
    fn a_users_file_adds_a_language() {
        let extra = r#"
            lang = "fi"
            [chrome_words]
            quote_label = ["Lainaus"]
            quote_from = ["käyttäjältä"]
            quote_said = ["kirjoitti"]
        "#;
        let lx = Lexicon::builder()
            .builtin()
            .and_then(|b| b.add_toml("fi.toml", extra))
            .and_then(LexiconBuilder::build)
            .expect("compiles");
        let header = &lx.chrome_words().quote_header;
        assert_eq!(
            LEXICON
                .chrome_words()
                .quote_header
                .author("Matti kirjoitti:"),
            None
        );
        assert_eq!(header.author("Matti kirjoitti:"), Some("Matti"));
        assert_eq!(header.author("Lainaus käyttäjältä: Matti"), Some("Matti"));
        assert_eq!(header.author("ann wrote:"), Some("ann"));
    }

    #[test]
    fn a_longer_word_is_tried_before_its_beginning() {
        let lx = Lexicon::builder()
            .add_toml(
                "x.toml",
                "[chrome_words]\nquote_label = [\"cita\"]\nquote_from = [\"de\", \"de la\"]",
            )
            .and_then(LexiconBuilder::build)
            .expect("compiles");
        assert_eq!(
            lx.chrome_words().quote_header.author("Cita de la Ana"),
            Some("Ana")
        );
    }

    proptest::proptest! {
        /// The header built from the lexicon files finds the author the hand-written
        /// pattern found, in the same place.
        #[test]
        fn the_built_in_words_read_as_the_hand_written_pattern(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec![
                        "quote", "Quote", "zitat", "citation", "cita", "citazione", "цитата",
                        "from", "von", "de", "di", "on", "am", "le", "el", "il", "originally",
                        "posted", "by", "quoting", "said", "WROTE", "schrieb", "a", "écrit",
                        "escribió", "ha", "scritto", "schreef", "написал", "написал(а)",
                        "(а)", "pisze", "skrev", "disse", ":", " : ", " ", "  ", "\t", "\n",
                        "…", "...", "ann", "12 May 2020", "2020",
                    ]).prop_map(str::to_owned),
                    "[a-zA-Z: ]{0,12}",
                ],
                0..10,
            ),
        ) {
            let line = pieces.concat();
            let header = &LEXICON.chrome_words().quote_header;
            proptest::prop_assert_eq!(
                header.author(&line).map(str::as_ptr),
                hand_written(&line).map(str::as_ptr)
            );
            proptest::prop_assert_eq!(header.author(&line), hand_written(&line));
        }
    }
}
