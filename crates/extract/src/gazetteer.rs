//! The data entity and quotation rules work from: gazetteers of places and organisations,
//! name cues and speech verbs, shipped as files in `data/` and compiled into the binary so
//! that nothing is read or downloaded at run time.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

const NAMES_TOML: &str = include_str!("../data/names.toml");
const SPEECH_TOML: &str = include_str!("../data/speech.toml");
const PLACES_TSV: &str = include_str!("../data/places.tsv");
const ORGS_TSV: &str = include_str!("../data/orgs.tsv");

/// What a gazetteer phrase found in text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phrase {
    /// A place: index into [`Gazetteer::places`].
    Place(usize),
    /// An organisation: index into [`Gazetteer::orgs`].
    Org(usize),
    /// A demonym ("Russian"): index of its place.
    Demonym(usize),
    /// A title that puts a person's name after it ("Mr", "President").
    Honorific,
}

/// A gazetteer phrase found in a text, by byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PhraseHit {
    pub start: usize,
    pub end: usize,
    pub phrase: Phrase,
}

/// A place of the gazetteer with every name it goes by.
#[derive(Debug)]
pub(crate) struct Place {
    pub name: String,
    /// Its other names and demonyms, lowercased: what a descriptor's modifier is compared
    /// with ("the North Korean leader" → North Korea).
    pub forms_lower: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct NamesFile {
    honorifics: Vec<String>,
    weak_titles: Vec<String>,
    not_after: Vec<String>,
    given: Vec<String>,
    surname_first: Vec<String>,
    epithets: Vec<String>,
    epithet_articles: Vec<String>,
    particles: Vec<String>,
    appositive_articles: Vec<String>,
    appositive_roles: Vec<String>,
    place_suffixes: Vec<String>,
    org_suffixes: Vec<String>,
    of_heads_org: Vec<String>,
    of_heads_place: Vec<String>,
    of_words: Vec<String>,
    closings: Vec<String>,
    stopwords: Vec<String>,
}

/// One language's section of `speech.toml`.
#[derive(Debug, Deserialize)]
struct SpeechLang {
    verbs: Vec<String>,
    #[serde(default)]
    after_only: Vec<String>,
    pronouns: Vec<String>,
    inversions: Vec<String>,
    roles: Vec<String>,
    determiners: Vec<String>,
    #[serde(default)]
    adverbs: Vec<String>,
    #[serde(default)]
    adverb_endings: Vec<String>,
}

/// Everything the rules look up, loaded once.
#[derive(Debug)]
pub(crate) struct Gazetteer {
    matcher: AhoCorasick,
    phrases: Vec<Phrase>,
    pub places: Vec<Place>,
    pub orgs: Vec<String>,
    pub not_after: BTreeSet<String>,
    pub weak_titles: BTreeSet<String>,
    pub given: BTreeSet<String>,
    pub surname_first: BTreeSet<String>,
    pub epithets: BTreeSet<String>,
    /// The word between a name and its epithet ("the"), as written.
    pub epithet_articles: BTreeSet<String>,
    pub particles: BTreeSet<String>,
    /// Articles a role after a name and a comma may take, as written.
    pub appositive_articles: Vec<String>,
    pub appositive_roles: BTreeSet<String>,
    pub place_suffixes: BTreeSet<String>,
    pub org_suffixes: BTreeSet<String>,
    pub of_heads_org: BTreeSet<String>,
    pub of_heads_place: BTreeSet<String>,
    /// The words between an "X of Y" name's head and the rest ("of"), as written.
    pub of_words: BTreeSet<String>,
    /// Sign-off formulas, lowercased ("lg", "viele grüße", "regards").
    pub closings: BTreeSet<String>,
    pub stopwords: BTreeSet<String>,
    /// Honorifics as written, for stripping them from speaker names.
    pub honorifics: Vec<String>,
    /// Speech verbs of every language, longest first (so alternations prefer "as saying"
    /// over "saying").
    pub verbs: Vec<String>,
    /// Words that attribute a quotation only right after it ("so", "aldus", "selon").
    pub after_only: Vec<String>,
    /// Pronouns that stand for the speaker in focus, lowercased.
    pub pronouns: Vec<String>,
    /// Verb forms with the pronoun inside ("a-t-il déclaré").
    pub inversions: Vec<String>,
    /// Role nouns, lowercased, longest first.
    pub roles: Vec<String>,
    /// Determiners that open a descriptor, lowercased.
    pub determiners: Vec<String>,
    /// Adverbs between a speaker and the speech verb ("also"), as written.
    pub adverbs: Vec<String>,
    /// Endings of such adverbs ("ly" of "reportedly"), as written.
    pub adverb_endings: Vec<String>,
}

/// The gazetteer built from the embedded data files.
pub(crate) static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    // The data files are part of the build, not input: a test loads them, so a broken file
    // fails the test suite rather than a run.
    Gazetteer::from_data(NAMES_TOML, SPEECH_TOML, PLACES_TSV, ORGS_TSV)
        .expect("embedded gazetteer data is valid")
});

fn set(words: &[String]) -> BTreeSet<String> {
    words.iter().cloned().collect()
}

fn lower_set(words: &[String]) -> BTreeSet<String> {
    words.iter().map(|w| w.to_lowercase()).collect()
}

fn longest_first(mut words: Vec<String>) -> Vec<String> {
    words.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    words.dedup();
    words
}

/// The `|`-separated column of a TSV row, `-` meaning none.
fn column(field: Option<&str>) -> Vec<&str> {
    match field.map(str::trim) {
        None | Some("-" | "") => Vec::new(),
        Some(f) => f
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect(),
    }
}

impl Gazetteer {
    #[allow(
        clippy::too_many_lines,
        reason = "each data file's lists read into the gazetteer in the order the files give them"
    )]
    fn from_data(names: &str, speech: &str, places: &str, orgs: &str) -> Result<Self, String> {
        let names: NamesFile = toml::from_str(names).map_err(|e| format!("names.toml: {e}"))?;
        let speech: BTreeMap<String, SpeechLang> =
            toml::from_str(speech).map_err(|e| format!("speech.toml: {e}"))?;

        let mut patterns: Vec<String> = Vec::new();
        let mut phrases = Vec::new();
        let mut place_list = Vec::new();
        for line in places.lines() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let name = fields.next().unwrap_or_default().trim().to_owned();
            let others = column(fields.next());
            let demonyms = column(fields.next());
            let index = place_list.len();
            for form in std::iter::once(name.as_str()).chain(others.iter().copied()) {
                patterns.push(form.to_owned());
                phrases.push(Phrase::Place(index));
            }
            for demonym in &demonyms {
                patterns.push((*demonym).to_owned());
                phrases.push(Phrase::Demonym(index));
            }
            let forms_lower = std::iter::once(name.as_str())
                .chain(others)
                .chain(demonyms)
                .map(str::to_lowercase)
                .collect();
            place_list.push(Place { name, forms_lower });
        }
        let mut org_list = Vec::new();
        for line in orgs.lines() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let name = fields.next().unwrap_or_default().trim().to_owned();
            let index = org_list.len();
            for form in std::iter::once(name.as_str()).chain(column(fields.next())) {
                patterns.push(form.to_owned());
                phrases.push(Phrase::Org(index));
            }
            org_list.push(name);
        }
        for honorific in &names.honorifics {
            patterns.push(honorific.clone());
            phrases.push(Phrase::Honorific);
        }
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| format!("gazetteer patterns: {e}"))?;

        let mut verbs = Vec::new();
        let mut after_only = Vec::new();
        let mut pronouns = Vec::new();
        let mut inversions = Vec::new();
        let mut roles = Vec::new();
        let mut determiners = Vec::new();
        let mut adverbs = Vec::new();
        let mut adverb_endings = Vec::new();
        for lang in speech.into_values() {
            verbs.extend(lang.verbs);
            after_only.extend(lang.after_only);
            pronouns.extend(lang.pronouns.iter().map(|p| p.to_lowercase()));
            inversions.extend(lang.inversions);
            roles.extend(lang.roles.iter().map(|r| r.to_lowercase()));
            determiners.extend(lang.determiners.iter().map(|d| d.to_lowercase()));
            adverbs.extend(lang.adverbs);
            adverb_endings.extend(lang.adverb_endings);
        }

        Ok(Self {
            matcher,
            phrases,
            places: place_list,
            orgs: org_list,
            not_after: lower_set(&names.not_after),
            weak_titles: set(&names.weak_titles),
            given: set(&names.given),
            surname_first: set(&names.surname_first),
            epithets: set(&names.epithets),
            epithet_articles: set(&names.epithet_articles),
            particles: set(&names.particles),
            appositive_articles: names.appositive_articles,
            appositive_roles: lower_set(&names.appositive_roles),
            place_suffixes: lower_set(&names.place_suffixes),
            org_suffixes: lower_set(&names.org_suffixes),
            of_heads_org: set(&names.of_heads_org),
            of_heads_place: set(&names.of_heads_place),
            of_words: set(&names.of_words),
            closings: lower_set(&names.closings),
            stopwords: set(&names.stopwords),
            honorifics: longest_first(names.honorifics),
            verbs: longest_first(verbs),
            after_only: longest_first(after_only),
            pronouns: longest_first(pronouns),
            inversions: longest_first(inversions),
            roles: longest_first(roles),
            determiners: longest_first(determiners),
            adverbs,
            adverb_endings,
        })
    }

    /// Gazetteer phrases in `text` that stand as whole words, leftmost-longest.
    pub(crate) fn phrases(&self, text: &str) -> Vec<PhraseHit> {
        self.matcher
            .find_iter(text)
            .filter(|m| is_word_boundary(text, m.start(), m.end()))
            .map(|m| PhraseHit {
                start: m.start(),
                end: m.end(),
                phrase: self.phrases[m.pattern().as_usize()],
            })
            .collect()
    }

    /// The place a descriptor's modifier names ("North Korean", "russische", "Russia's").
    pub(crate) fn place_of_modifier(&self, modifier: &str) -> Option<usize> {
        let modifier = modifier
            .trim_end_matches("'s")
            .trim_end_matches("’s")
            .to_lowercase();
        self.places
            .iter()
            .position(|p| p.forms_lower.contains(&modifier))
    }
}

/// True when `text[start..end]` is not glued to letters or digits on either side.
pub(crate) fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    // A phrase that ends in a dot ("M.", "U.S.") has its own boundary on that side.
    let glued = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    !glued(before) && (text[..end].ends_with('.') || !glued(after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_loads_and_matches_whole_words() {
        let g = &*GAZETTEER;
        assert!(g.places.iter().any(|p| p.name == "North Korea"));
        let hits = g.phrases("Russian President Vladimir Putin met Kim in North Korea's east.");
        let kinds: Vec<_> = hits.iter().map(|h| h.phrase).collect();
        assert!(matches!(kinds[0], Phrase::Demonym(_)));
        assert_eq!(kinds[1], Phrase::Honorific);
        assert!(matches!(kinds[2], Phrase::Place(_)));
        // "Russians" is not the word "Russian".
        assert!(g.phrases("Russians").is_empty());
        assert_eq!(
            g.place_of_modifier("North Korean"),
            g.place_of_modifier("DPRK")
        );
        assert!(g.verbs.iter().any(|v| v == "sagte"));
        assert!(g.verbs.iter().any(|v| v == "a déclaré"));
        assert!(g.verbs.iter().any(|v| v == "zei"));
    }
}
