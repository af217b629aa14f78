//! The function words of every language (`[detection]`), compiled once into one table.

use crate::error::Error;

/// Every language's function words in one hash table: a post's words are looked up one by
/// one, and each found word counts for its language.
#[derive(Debug, Default)]
pub struct FunctionWords {
    /// Lower-cased word → index of its language in `langs`.
    index: foldhash::HashMap<String, usize>,
    /// The languages with function words, in the order their files came.
    langs: Vec<String>,
    longest_bytes: usize,
}

impl FunctionWords {
    /// Compiles the `(file name, lang, words)` of every file that lists function words.
    /// A word two languages list is left out: it tells neither.
    pub(crate) fn new<'f>(
        files: impl IntoIterator<Item = (&'f str, Option<&'f str>, &'f [String])>,
    ) -> Result<Self, Error> {
        let mut langs: Vec<String> = Vec::new();
        let mut index: foldhash::HashMap<String, Option<usize>> = foldhash::HashMap::default();
        for (name, lang, words) in files {
            if words.is_empty() {
                continue;
            }
            let Some(lang) = lang else {
                return Err(Error::Data {
                    name: name.to_owned(),
                    reason: "`[detection] function_words` need the file's `lang`".to_owned(),
                });
            };
            let at = langs.iter().position(|l| l == lang).unwrap_or_else(|| {
                langs.push(lang.to_owned());
                langs.len() - 1
            });
            for word in words {
                let word = word.to_lowercase();
                if word.is_empty() {
                    continue;
                }
                let entry = index.entry(word).or_insert(Some(at));
                if *entry != Some(at) {
                    *entry = None;
                }
            }
        }
        let index: foldhash::HashMap<String, usize> = index
            .into_iter()
            .filter_map(|(word, at)| Some((word, at?)))
            .collect();
        let longest_bytes = index.keys().map(String::len).max().unwrap_or(0);
        Ok(Self {
            index,
            langs,
            longest_bytes,
        })
    }

    /// The index of the language whose function word the lower-cased `word` is.
    #[inline]
    pub fn lang_of(&self, word: &str) -> Option<usize> {
        self.index.get(word).copied()
    }

    /// The ISO 639-1 code of the language at `index` (as [`FunctionWords::lang_of`] gives).
    pub fn lang(&self, index: usize) -> Option<&str> {
        self.langs.get(index).map(String::as_str)
    }

    /// How many languages have function words: every index is below it.
    pub fn lang_count(&self) -> usize {
        self.langs.len()
    }

    /// Bytes of the longest function word, lower-cased.
    pub fn longest_bytes(&self) -> usize {
        self.longest_bytes
    }
}

#[cfg(test)]
mod tests {
    use crate::{Lexicon, LexiconBuilder};

    #[test]
    fn every_language_adds_its_words() {
        let lx = Lexicon::builtin().expect("built-in lexicon");
        let words = lx.function_words();
        let lang = |w: &str| words.lang_of(w).and_then(|i| words.lang(i));
        assert_eq!(lang("the"), Some("en"));
        assert_eq!(lang("nicht"), Some("de"));
        assert_eq!(lang("c'est"), Some("fr"));
        assert_eq!(lang("bedankt"), Some("nl"));
        assert_eq!(lang("está"), Some("es"));
        assert_eq!(lang("forum"), None);
        assert_eq!(words.lang_count(), 5);
        assert!(words.longest_bytes() <= 8);
    }

    #[test]
    fn no_built_in_function_word_belongs_to_two_languages() {
        // A shared word would be left out of both: a built-in list should not hold one.
        let mut seen = std::collections::BTreeMap::new();
        for (name, text) in crate::builtin::BUILTIN {
            let file: crate::LexiconFile = toml::from_str(text).expect("parses");
            for word in &file.detection.function_words {
                let word = word.to_lowercase();
                if let Some(other) = seen.insert(word.clone(), *name) {
                    panic!("{word:?} is listed in {other} and {name}");
                }
            }
        }
        assert!(seen.len() > 100);
    }

    #[test]
    fn a_users_file_adds_a_language() {
        let extra = r#"
            lang = "fi"
            [detection]
            function_words = ["ja", "ei", "on", "Minä", "il"]
        "#;
        let lx = Lexicon::builder()
            .builtin()
            .and_then(|b| b.add_toml("fi.toml", extra))
            .and_then(LexiconBuilder::build)
            .expect("compiles");
        let words = lx.function_words();
        let lang = |w: &str| words.lang_of(w).and_then(|i| words.lang(i));
        assert_eq!(lang("minä"), Some("fi"));
        assert_eq!(lang("ei"), Some("fi"));
        assert_eq!(lang("the"), Some("en"));
        // French lists "il" too: it now tells neither.
        assert_eq!(lang("il"), None);
        let err = Lexicon::builder()
            .add_toml("x.toml", "[detection]\nfunction_words = [\"ja\"]")
            .and_then(LexiconBuilder::build)
            .expect_err("no lang");
        assert!(err.to_string().contains("x.toml"), "{err}");
    }
}
