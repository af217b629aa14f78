//! The class, id and attribute words of forum pages: data, compiled once.
//!
//! The words are `profiles/vocabulary.toml`, grouped by concept; this file compiles them
//! into the matchers the HTML code asks.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;
use scraper::Selector;
use serde::Deserialize;

/// The built-in vocabulary, kept beside the engine profiles.
const BUILTIN: &str = include_str!("../../profiles/vocabulary.toml");

/// The shape of the vocabulary file: one table per concept.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct VocabularyFile {
    quotes: QuotesFile,
    signatures: Words,
    link_previews: Words,
    authors: AuthorsFile,
    user_links: UserLinksFile,
    post_ids: PostIdsFile,
    dates: DatesFile,
    breadcrumbs: BreadcrumbsFile,
    records: RecordsFile,
    boilerplate: BoilerplateFile,
    hidden: HiddenFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct QuotesFile {
    blockquote_holding: Vec<String>,
    box_holding: Vec<String>,
    part_holding: Vec<String>,
    box_equal: Vec<String>,
    header_edges: Vec<String>,
    expand_holding: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct AuthorsFile {
    attributes: Vec<String>,
    name_parts: Vec<String>,
    name_classes: Vec<String>,
    rank_parts: Vec<String>,
    join_date_holding: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct UserLinksFile {
    hrefs: Vec<String>,
    not_hrefs: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct PostIdsFile {
    attributes: Vec<String>,
    prefixes: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct DatesFile {
    timed_attributes: Vec<String>,
    time_attributes: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct BreadcrumbsFile {
    selectors: Vec<String>,
    words: Vec<String>,
    action_hrefs: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RecordsFile {
    alternating_classes: Vec<String>,
    aside_holding: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct BoilerplateFile {
    holding: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct HiddenFile {
    classes: Vec<String>,
}

/// Words a class or id word is tested against: held anywhere in it, equal to it, or
/// starting it. The words are lower-case; the word tested must be lower-cased too.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct Words {
    holding: Vec<String>,
    equal: Vec<String>,
    starting: Vec<String>,
}

impl Words {
    /// True when the lower-case `word` holds, equals or starts with one of the words.
    pub(crate) fn fit(&self, word: &str) -> bool {
        self.holding.iter().any(|w| word.contains(w.as_str()))
            || self.equal.iter().any(|w| word == w)
            || self.starting.iter().any(|w| word.starts_with(w.as_str()))
    }

    fn lower(self) -> Self {
        Self {
            holding: lower(self.holding),
            equal: lower(self.equal),
            starting: lower(self.starting),
        }
    }
}

/// How quotes of other posts look (see the file's `[quotes]`).
#[derive(Debug, Default)]
pub(crate) struct Quotes {
    /// Words a `<blockquote>`'s class holds when it is a quote.
    pub blockquote_holding: Vec<String>,
    /// Words a quote box's class word holds...
    pub box_holding: Vec<String>,
    /// ...unless it also holds one of these (a part of the box, a quote button).
    pub part_holding: Vec<String>,
    /// Class words that are quote boxes whatever they hold.
    pub box_equal: Vec<String>,
    /// Words a part of a quote header's class starts or ends with.
    pub header_edges: Vec<String>,
    /// Words the class of a toggle inside a quote holds.
    pub expand_holding: Vec<String>,
}

/// The compiled vocabulary. Word lists are lower-case; a pattern is `None` only when the
/// file failed to compile (the built-in one is tested to).
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    pub quotes: Quotes,
    /// Class and id words of signatures.
    pub signatures: Words,
    /// Class words of link preview cards.
    pub link_previews: Words,
    /// Attributes holding the poster's (or the quoted poster's) name.
    pub author_attributes: Vec<String>,
    /// Class attributes of elements holding the poster's name.
    pub author_name_class: Option<Regex>,
    /// A class word that holds a name part beside a rank part (`user_title`,
    /// `author-badge`): the poster's rank, not the name.
    pub author_rank_class: Option<Regex>,
    /// Class or id attributes of elements holding the poster's registration date.
    pub join_date_class: Option<Regex>,
    /// Links to a member's page...
    pub user_link: Option<Regex>,
    /// ...that are not account pages, member lists or thread links.
    pub not_user_link: Option<Regex>,
    /// Attributes holding a post's number, most specific first.
    pub post_id_attributes: Vec<String>,
    /// A post id's shape in those attributes; the number is the first group.
    pub post_id: Option<Regex>,
    /// Attributes that make an element a machine-readable time.
    pub timed_attributes: Vec<String>,
    /// Attributes a time is printed in when the text has none.
    pub time_attributes: Vec<String>,
    /// Breadcrumb trail selectors, surest first.
    pub crumb_selectors: Vec<Selector>,
    /// Words every value a trail selector tests for holds, without ASCII case.
    pub crumb_words: Option<AhoCorasick>,
    /// Links of a trail that act on the forum rather than lead to a board.
    pub action_href: Option<Regex>,
    /// Class words that alternate from post to post.
    pub alternating_classes: Vec<String>,
    /// Class and id words of sidebars and lists of other threads.
    pub aside_holding: Vec<String>,
    /// Class and id words of the boilerplate around an article.
    pub boilerplate_holding: Vec<String>,
    /// Class words of elements never read as page text.
    pub hidden_classes: Vec<String>,
}

/// Why a vocabulary file was refused.
#[derive(Debug, thiserror::Error)]
pub(crate) enum VocabularyError {
    /// The TOML did not parse or had unknown keys.
    #[error("vocabulary: {0}")]
    Parse(String),
    /// A group of patterns did not compile.
    #[error("vocabulary: bad pattern in {group}: {message}")]
    Pattern {
        /// The group.
        group: &'static str,
        /// What was wrong.
        message: String,
    },
}

impl Vocabulary {
    /// Compiles a vocabulary file.
    pub(crate) fn from_toml(text: &str) -> Result<Self, VocabularyError> {
        let file: VocabularyFile =
            toml::from_str(text).map_err(|e| VocabularyError::Parse(e.to_string()))?;
        let q = file.quotes;
        let a = file.authors;
        let crumbs = file.breadcrumbs;
        let literals = |words: &[String]| {
            let escaped: Vec<String> = words
                .iter()
                .map(|w| regex::escape(&w.to_ascii_lowercase()))
                .collect();
            any_of(&escaped)
        };
        let name_class = format!(
            r"(?i)(?:^|[\s_-])(?:{})(?:$|[\s_-])|(?:^|\s)(?:{})(?:$|\s)",
            literals(&a.name_parts),
            literals(&a.name_classes)
        );
        let rank_class = format!(
            r"(?i)(?:^|[\s_-])(?:{})(?:$|[\s_-])",
            literals(&a.rank_parts)
        );
        let post_id = format!(
            r"(?i)^(?:(?:{})[-_]?)?(\d{{1,12}})$",
            literals(&file.post_ids.prefixes)
        );
        let crumb_selectors = crumbs
            .selectors
            .iter()
            .map(|s| {
                Selector::parse(s).map_err(|e| VocabularyError::Pattern {
                    group: "breadcrumbs.selectors",
                    message: format!("{s}: {e:?}"),
                })
            })
            .collect::<Result<_, _>>()?;
        let crumb_words = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&crumbs.words)
            .map_err(|e| VocabularyError::Pattern {
                group: "breadcrumbs.words",
                message: e.to_string(),
            })?;
        Ok(Self {
            quotes: Quotes {
                blockquote_holding: lower(q.blockquote_holding),
                box_holding: lower(q.box_holding),
                part_holding: lower(q.part_holding),
                box_equal: lower(q.box_equal),
                header_edges: lower(q.header_edges),
                expand_holding: lower(q.expand_holding),
            },
            signatures: file.signatures.lower(),
            link_previews: file.link_previews.lower(),
            author_attributes: lower(a.attributes),
            author_name_class: Some(pattern("authors.name_parts", &name_class)?),
            author_rank_class: Some(pattern("authors.rank_parts", &rank_class)?),
            join_date_class: Some(pattern(
                "authors.join_date_holding",
                &format!("(?i){}", literals(&a.join_date_holding)),
            )?),
            user_link: Some(alternatives("user_links.hrefs", &file.user_links.hrefs)?),
            not_user_link: Some(alternatives(
                "user_links.not_hrefs",
                &file.user_links.not_hrefs,
            )?),
            post_id_attributes: lower(file.post_ids.attributes),
            post_id: Some(pattern("post_ids.prefixes", &post_id)?),
            timed_attributes: lower(file.dates.timed_attributes),
            time_attributes: lower(file.dates.time_attributes),
            crumb_selectors,
            crumb_words: Some(crumb_words),
            action_href: Some(alternatives(
                "breadcrumbs.action_hrefs",
                &crumbs.action_hrefs,
            )?),
            alternating_classes: lower(file.records.alternating_classes),
            aside_holding: lower(file.records.aside_holding),
            boilerplate_holding: lower(file.boilerplate.holding),
            hidden_classes: lower(file.hidden.classes),
        })
    }
}

fn lower(words: Vec<String>) -> Vec<String> {
    words.into_iter().map(|w| w.to_ascii_lowercase()).collect()
}

fn pattern(group: &'static str, source: &str) -> Result<Regex, VocabularyError> {
    Regex::new(source).map_err(|e| VocabularyError::Pattern {
        group,
        message: e.to_string(),
    })
}

/// One case-insensitive pattern matching where any of `sources` matches; each source is
/// compiled alone first, so that a broken one is named and cannot swallow its neighbours.
fn alternatives(group: &'static str, sources: &[String]) -> Result<Regex, VocabularyError> {
    for s in sources {
        pattern(group, s)?;
    }
    let wrapped: Vec<String> = sources.iter().map(|s| format!("(?:{s})")).collect();
    pattern(group, &format!("(?i){}", any_of(&wrapped)))
}

/// The alternation of `parts`; of no parts, a pattern that matches nothing (an empty
/// alternation would match everywhere).
fn any_of(parts: &[String]) -> String {
    if parts.is_empty() {
        NOTHING.to_owned()
    } else {
        parts.join("|")
    }
}

/// A pattern no text matches.
const NOTHING: &str = r"[^\s\S]";

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    // The built-in file is tested to compile; were it broken, pages would still be read
    // by the cues that need no words rather than not at all.
    Vocabulary::from_toml(BUILTIN).unwrap_or_default()
});

/// The built-in vocabulary, compiled once.
pub(crate) fn vocabulary() -> &'static Vocabulary {
    &VOCABULARY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_vocabulary_compiles() {
        let v = Vocabulary::from_toml(BUILTIN).unwrap_or_else(|e| panic!("{e}"));
        assert!(!v.signatures.holding.is_empty() && !v.crumb_selectors.is_empty());
    }

    #[test]
    fn words_hold_no_white_space() {
        // Holding tests read a whole class attribute or its words alike only so.
        let file: VocabularyFile = toml::from_str(BUILTIN).expect("parses");
        let lists = [
            &file.quotes.blockquote_holding,
            &file.quotes.box_holding,
            &file.quotes.part_holding,
            &file.quotes.box_equal,
            &file.quotes.header_edges,
            &file.quotes.expand_holding,
            &file.signatures.holding,
            &file.signatures.equal,
            &file.signatures.starting,
            &file.link_previews.holding,
            &file.authors.attributes,
            &file.authors.name_parts,
            &file.authors.name_classes,
            &file.authors.rank_parts,
            &file.authors.join_date_holding,
            &file.post_ids.attributes,
            &file.post_ids.prefixes,
            &file.records.alternating_classes,
            &file.records.aside_holding,
            &file.boilerplate.holding,
            &file.hidden.classes,
        ];
        for word in lists.into_iter().flatten() {
            assert!(
                !word.is_empty() && !word.contains(char::is_whitespace),
                "{word:?}"
            );
        }
    }

    #[test]
    fn every_trail_selector_looks_for_a_crumb_word() {
        let file: VocabularyFile = toml::from_str(BUILTIN).expect("parses");
        for list in &file.breadcrumbs.selectors {
            for test in list.split(", ") {
                let (name, value) = test
                    .strip_prefix('[')
                    .and_then(|t| t.strip_suffix("\"]"))
                    .and_then(|t| t.split_once("*=\""))
                    .unwrap_or_else(|| panic!("not a substring test: {test}"));
                assert!(matches!(name, "class" | "id" | "itemtype"), "{test}");
                let lower = value.to_ascii_lowercase();
                assert!(
                    file.breadcrumbs.words.iter().any(|w| lower.contains(w)),
                    "{test}"
                );
            }
        }
    }

    #[test]
    fn name_classes_are_words_or_their_parts() {
        let v = vocabulary();
        let re = v.author_name_class.as_ref().expect("compiled");
        for class in [
            "username",
            "post User_Name",
            "x-author-name",
            "name",
            "a Name",
        ] {
            assert!(re.is_match(class), "{class}");
        }
        for class in ["usernames", "nameplate", "first-name"] {
            assert!(!re.is_match(class), "{class}");
        }
        let rank = v.author_rank_class.as_ref().expect("compiled");
        for class in ["user_title", "user-title", "author-rank", "poster_badge"] {
            assert!(re.is_match(class) && rank.is_match(class), "{class}");
        }
        for class in ["username", "usertitle", "post-author-link"] {
            assert!(!rank.is_match(class), "{class}");
        }
    }

    #[test]
    fn an_empty_group_matches_nothing() {
        let v = Vocabulary::from_toml("").expect("an empty file is a vocabulary");
        let empty = [
            &v.user_link,
            &v.author_name_class,
            &v.author_rank_class,
            &v.join_date_class,
        ];
        for re in empty.into_iter().flatten() {
            assert!(!re.is_match("") && !re.is_match("a user/name"), "{re}");
        }
    }

    #[test]
    fn a_broken_pattern_names_its_group() {
        let err = Vocabulary::from_toml("[user_links]\nhrefs = ['(']\n").expect_err("refused");
        assert!(err.to_string().contains("user_links.hrefs"), "{err}");
    }
}
