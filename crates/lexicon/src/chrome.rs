//! The `[chrome_words]` of every lexicon file, merged and compiled once into matchers.

use std::collections::HashSet;

use aho_corasick::AhoCorasick;
use regex::Regex;

use crate::error::Error;
use crate::file::ChromeWordsFile;
use crate::quote::{QuoteHeader, QuoteWords};

/// UI words looked for inside a line: every language's, merged, lower-cased.
///
/// Each matcher takes text the caller has already lower-cased (with `str::to_lowercase`),
/// so that a page's word is folded once however many lists it is compared with.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct ChromeWords {
    /// Words of a join date's label, found anywhere in it ("joined", "member since").
    pub joined: PhraseSet,
    /// Beginnings of the words that label a post's own date ("post", "datum").
    pub post_date: PrefixSet,
    /// A teaser's link to the rest of the text, whole ("read more").
    pub read_more: WordSet,
    /// The label of an author's post count, whole ("posts").
    pub post_count: WordSet,
    /// Words found anywhere in the address of a member's profile ("member", "benutzer").
    pub profile_path: PhraseSet,
    /// Words of a profile link's text that make it a button ("view", "profile").
    pub profile_button: WordSet,
    /// The word that introduces an author ("by", "von"), whole.
    pub by: WordSet,
    /// Prefixes of a reply's subject ("re:", "aw:").
    pub reply_prefix: PrefixSet,
    /// "Page" before a page number, whole.
    pub page: WordSet,
    /// The word that opens a byline ("by"): see [`ChromeWords::without_byline_word`].
    pub byline: WordSet,
    /// Words that join two names in a byline ("and"), whole.
    pub name_joiner: WordSet,
    /// Words of a name printed in lower case ("van", "von"), whole.
    pub name_particle: WordSet,
    /// A post's buttons, whole ("reply", "inhalt melden"): never a poster's name.
    pub post_action: WordSet,
    /// The label of an advertisement placed among the posts, whole ("advertisement",
    /// "anzeige"): a post under it is an ad.
    pub advertisement: WordSet,
    /// A member's rank or badge, whole ("senior member", "moderator"): never a name.
    pub rank: WordSet,
    /// The heading of the lists a page prints after the thread ("related topics",
    /// "similar threads"), whole: the thread ends above it.
    pub thread_end: WordSet,
    /// The page's own footer links ("terms of service", "impressum"), whole: a run of them
    /// ends a copy.
    pub footer_link: WordSet,
    /// Path segments of a member's profile address in the forum's language ("mitglied").
    pub profile_segment: SegmentWords,
    /// Quote headers in the shapes engines share ("ann wrote:", "Zitat von ann").
    pub quote_header: QuoteHeader,
}

impl ChromeWords {
    /// Merges the `[chrome_words]` of every file, in file order, and compiles them.
    pub(crate) fn new<'f>(
        files: impl IntoIterator<Item = &'f ChromeWordsFile>,
    ) -> Result<Self, Error> {
        let mut merged = ChromeWordsFile::default();
        for file in files {
            for (into, from) in [
                (&mut merged.joined, &file.joined),
                (&mut merged.post_date, &file.post_date),
                (&mut merged.read_more, &file.read_more),
                (&mut merged.post_count, &file.post_count),
                (&mut merged.profile_path, &file.profile_path),
                (&mut merged.profile_button, &file.profile_button),
                (&mut merged.by, &file.by),
                (&mut merged.reply_prefix, &file.reply_prefix),
                (&mut merged.page, &file.page),
                (&mut merged.byline, &file.byline),
                (&mut merged.name_joiner, &file.name_joiner),
                (&mut merged.name_particle, &file.name_particle),
                (&mut merged.post_action, &file.post_action),
                (&mut merged.advertisement, &file.advertisement),
                (&mut merged.rank, &file.rank),
                (&mut merged.thread_end, &file.thread_end),
                (&mut merged.footer_link, &file.footer_link),
                (&mut merged.profile_segment, &file.profile_segment),
                (&mut merged.quote_label, &file.quote_label),
                (&mut merged.quote_from, &file.quote_from),
                (&mut merged.quote_on, &file.quote_on),
                (&mut merged.quote_by, &file.quote_by),
                (&mut merged.quote_said, &file.quote_said),
            ] {
                into.extend(from.iter().cloned());
            }
        }
        Ok(Self {
            joined: PhraseSet::new(&merged.joined)?,
            post_date: PrefixSet::new(&merged.post_date),
            read_more: WordSet::new(&merged.read_more),
            post_count: WordSet::new(&merged.post_count),
            profile_path: PhraseSet::new(&merged.profile_path)?,
            profile_button: WordSet::new(&merged.profile_button),
            by: WordSet::new(&merged.by),
            reply_prefix: PrefixSet::new(&merged.reply_prefix),
            page: WordSet::new(&merged.page),
            byline: WordSet::new(&merged.byline),
            name_joiner: WordSet::new(&merged.name_joiner),
            name_particle: WordSet::new(&merged.name_particle),
            post_action: WordSet::new(&merged.post_action),
            advertisement: WordSet::new(&merged.advertisement),
            rank: WordSet::new(&merged.rank),
            thread_end: WordSet::new(&merged.thread_end),
            footer_link: WordSet::new(&merged.footer_link),
            profile_segment: SegmentWords::new(&merged.profile_segment)?,
            quote_header: QuoteHeader::new(&QuoteWords {
                label: &merged.quote_label,
                from: &merged.quote_from,
                on: &merged.quote_on,
                by: &merged.quote_by,
                said: &merged.quote_said,
            })?,
        })
    }

    /// A reply's subject without its reply prefix ("Re: Brot backen" → "Brot backen"), by
    /// the prefixes of every language. A capital whose lower case has another length
    /// leaves the subject whole rather than cut inside a character.
    pub fn without_reply_prefix<'t>(&self, subject: &'t str) -> &'t str {
        let lower = subject.to_lowercase();
        self.reply_prefix
            .prefix_of(&lower)
            .and_then(|prefix| subject.get(prefix.len()..))
            .map_or(subject, str::trim_start)
    }

    /// The byline without the word that opens it and the space after it: "By Jane Doe" →
    /// "Jane Doe". The word counts in lower case or with a capital first letter, as a
    /// byline prints it ("By", "by"), not in capitals.
    pub fn without_byline_word<'t>(&self, text: &'t str) -> &'t str {
        let Some((first, rest)) = text.split_once(' ') else {
            return text;
        };
        let lower = first.to_lowercase();
        let mut letters = lower.chars();
        let capitalised: String = letters
            .next()
            .into_iter()
            .flat_map(char::to_uppercase)
            .chain(letters)
            .collect();
        if self.byline.contains(&lower) && (first == lower || first == capitalised) {
            rest
        } else {
            text
        }
    }
}

/// The entries of a list as compared: lower-cased, none empty, each once, in the order
/// first met.
pub(crate) fn folded(words: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    words
        .iter()
        .map(|w| w.to_lowercase())
        .filter(|w| !w.is_empty() && seen.insert(w.clone()))
        .collect()
}

/// Words or phrases compared with a whole (lower-cased) text.
#[derive(Debug, Default)]
pub struct WordSet {
    words: foldhash::HashSet<String>,
    longest_chars: usize,
}

impl WordSet {
    pub(crate) fn new(words: &[String]) -> Self {
        let words: foldhash::HashSet<String> = folded(words).into_iter().collect();
        let longest_chars = words.iter().map(|w| w.chars().count()).max().unwrap_or(0);
        Self {
            words,
            longest_chars,
        }
    }

    /// True when the lower-cased `text` is one of the words.
    #[inline]
    pub fn contains(&self, text: &str) -> bool {
        self.words.contains(text)
    }

    /// Characters of the longest word: a longer text is none of them, and need not be
    /// lower-cased to tell.
    pub fn longest_chars(&self) -> usize {
        self.longest_chars
    }

    /// The words, sorted.
    pub fn sorted(&self) -> Vec<&str> {
        let mut words: Vec<&str> = self.words.iter().map(String::as_str).collect();
        words.sort_unstable();
        words
    }
}

/// Phrases found anywhere in a (lower-cased) text, in one automaton pass.
#[derive(Debug, Default)]
pub struct PhraseSet {
    automaton: Option<AhoCorasick>,
}

impl PhraseSet {
    fn new(phrases: &[String]) -> Result<Self, Error> {
        let phrases = folded(phrases);
        if phrases.is_empty() {
            return Ok(Self::default());
        }
        let automaton = AhoCorasick::new(&phrases).map_err(|e| Error::Compile(Box::new(e)))?;
        Ok(Self {
            automaton: Some(automaton),
        })
    }

    /// True when one of the phrases occurs in the lower-cased `text`.
    #[inline]
    pub fn found_in(&self, text: &str) -> bool {
        self.automaton.as_ref().is_some_and(|a| a.is_match(text))
    }

    /// True when the lower-cased `text` is one of the phrases, whole.
    pub fn is_one(&self, text: &str) -> bool {
        self.automaton.as_ref().is_some_and(|a| {
            a.find_overlapping_iter(text)
                .any(|m| m.start() == 0 && m.end() == text.len())
        })
    }
}

/// Segments of a link's path, compared without case: one reading finds a segment that
/// begins with a word anywhere in an address, the other compares a segment whole.
#[derive(Debug, Default)]
pub struct SegmentWords {
    words: WordSet,
    /// `/` and any of the words, without case: the regex crate's case folding, which
    /// the address needs no lower-casing copy for.
    begins: Option<Regex>,
}

impl SegmentWords {
    fn new(words: &[String]) -> Result<Self, Error> {
        let folded = folded(words);
        if folded.is_empty() {
            return Ok(Self::default());
        }
        let alternatives: Vec<String> = folded.iter().map(|w| regex::escape(w)).collect();
        let begins = Regex::new(&format!("(?i)/(?:{})", alternatives.join("|")))
            .map_err(|e| Error::Compile(Box::new(e)))?;
        Ok(Self {
            words: WordSet::new(&folded),
            begins: Some(begins),
        })
    }

    /// True when a segment of the address begins with one of the words, in any case:
    /// anywhere after a `/` ("/Mitglieder/12", "/membre-7").
    #[inline]
    pub fn begins_a_segment_of(&self, href: &str) -> bool {
        self.begins.as_ref().is_some_and(|r| r.is_match(href))
    }

    /// True when the lower-cased `segment` is one of the words.
    #[inline]
    pub fn contains(&self, segment: &str) -> bool {
        self.words.contains(segment)
    }
}

/// Beginnings of a (lower-cased) word or text.
#[derive(Debug, Default)]
pub struct PrefixSet {
    /// Longest first, so that the most specific prefix is the one found.
    prefixes: Vec<String>,
}

impl PrefixSet {
    fn new(prefixes: &[String]) -> Self {
        let mut prefixes = folded(prefixes);
        prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Self { prefixes }
    }

    /// The longest of the prefixes the lower-cased `text` starts with.
    #[inline]
    pub fn prefix_of(&self, text: &str) -> Option<&str> {
        self.prefixes
            .iter()
            .find(|p| text.starts_with(p.as_str()))
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn words_are_folded_once_and_compared_whole() {
        let set = WordSet::new(&list(&["Read More", "read more", "Lire la suite", ""]));
        assert!(set.contains("read more") && set.contains("lire la suite"));
        assert!(!set.contains("Read More") && !set.contains("read") && !set.contains(""));
        assert_eq!(set.longest_chars(), "lire la suite".chars().count());
        assert_eq!(WordSet::new(&[]).longest_chars(), 0);
    }

    #[test]
    fn a_byline_word_comes_off_as_printed() {
        let words = ChromeWords {
            byline: WordSet::new(&list(&["By"])),
            ..ChromeWords::default()
        };
        assert_eq!(words.without_byline_word("By Jane Doe"), "Jane Doe");
        assert_eq!(words.without_byline_word("by Jane Doe"), "Jane Doe");
        assert_eq!(words.without_byline_word("BY JANE DOE"), "BY JANE DOE");
        assert_eq!(words.without_byline_word("By"), "By");
        assert_eq!(words.without_byline_word("Bye Jane"), "Bye Jane");
        assert_eq!(words.without_byline_word("By\tJane"), "By\tJane");
    }

    #[test]
    fn phrases_are_found_anywhere() {
        let set = PhraseSet::new(&list(&["Member since", "с нами"])).expect("compiles");
        assert!(set.found_in("senior member since 2010"));
        assert!(set.found_in("на форуме с нами"));
        assert!(!set.found_in("member"));
        assert!(!PhraseSet::new(&[]).expect("compiles").found_in("anything"));
    }

    #[test]
    fn the_longest_prefix_is_found() {
        let set = PrefixSet::new(&list(&["Re:", "AW:", "r"]));
        assert_eq!(set.prefix_of("re: hello"), Some("re:"));
        assert_eq!(set.prefix_of("aw: hallo"), Some("aw:"));
        assert_eq!(set.prefix_of("rif"), Some("r"));
        assert_eq!(set.prefix_of("hello"), None);
    }

    #[test]
    fn every_language_adds_its_words() {
        let lx = crate::Lexicon::builtin().expect("built-in lexicon");
        let words = lx.chrome_words();
        assert!(words.joined.found_in("senior member · mitglied seit 2010"));
        assert!(words.joined.found_in("с нами с 2010"));
        assert_eq!(
            words.post_date.prefix_of("geschrieben"),
            Some("geschrieben")
        );
        assert!(words.read_more.contains("lire la suite"));
        assert!(words.post_count.contains("beiträge"));
        assert!(words.profile_path.found_in("/forum/benutzer/12"));
        assert!(words.profile_button.contains("pm"));
        assert!(words.by.contains("przez"));
        assert_eq!(words.reply_prefix.prefix_of("aw: hallo"), Some("aw:"));
        assert!(words.page.contains("страница"));
        assert!(words.profile_segment.contains("mitglied"));
        assert!(!words.profile_segment.contains("member"));
        assert!(
            words
                .profile_segment
                .begins_a_segment_of("https://f.example/Membres/12")
        );
        assert!(
            words
                .profile_segment
                .begins_a_segment_of("/community/mitglieder/ann.7/")
        );
        assert!(
            !words
                .profile_segment
                .begins_a_segment_of("/forum?mitglied=1")
        );
        assert!(!words.profile_segment.begins_a_segment_of("/members/ann.7/"));
    }

    #[test]
    fn a_users_file_adds_a_language() {
        let extra = r#"
            lang = "fi"
            [chrome_words]
            joined = ["Liittynyt"]
            page = ["Sivu"]
            profile_segment = ["Jasen"]
        "#;
        let lx = crate::Lexicon::builder()
            .builtin()
            .and_then(|b| b.add_toml("fi.toml", extra))
            .and_then(crate::LexiconBuilder::build)
            .expect("compiles");
        assert!(lx.chrome_words().joined.found_in("liittynyt: 12.03.2019"));
        assert!(lx.chrome_words().page.contains("sivu"));
        assert!(lx.chrome_words().page.contains("page"));
        let segments = &lx.chrome_words().profile_segment;
        assert!(segments.contains("jasen") && segments.contains("mitglied"));
        assert!(segments.begins_a_segment_of("/Jasenet/12"));
        assert!(!segments.begins_a_segment_of("/forum/12?jasen=1"));
        let err = crate::Lexicon::builder()
            .add_toml("fi.toml", "[chrome_words]\nlikes = [\"Tykkää\"]")
            .expect_err("unknown key");
        assert!(err.to_string().contains("fi.toml"));
    }

    proptest::proptest! {
        /// The automaton finds a phrase exactly where a substring search does.
        #[test]
        fn phrases_are_found_as_substring_search_finds_them(
            phrases in proptest::collection::vec("[a-cé ]{1,4}", 0..6),
            text in "[a-cé ]{0,16}",
        ) {
            let set = PhraseSet::new(&phrases).expect("compiles");
            let by_search = phrases
                .iter()
                .map(|p| p.to_lowercase())
                .any(|p| !p.is_empty() && text.contains(&p));
            proptest::prop_assert_eq!(set.found_in(&text), by_search);
        }
    }

    #[test]
    fn reply_prefixes_come_off_the_subject() {
        let cut = |s: &'static str, lx: &crate::Lexicon| -> String {
            lx.chrome_words().without_reply_prefix(s).to_owned()
        };
        let lx = crate::Lexicon::builtin().expect("lexicon");
        assert_eq!(cut("Re: Brot backen", &lx), "Brot backen");
        assert_eq!(cut("AW:Brot backen", &lx), "Brot backen");
        assert_eq!(cut("Brot backen", &lx), "Brot backen");
        // A user's language adds its own; a capital whose lower case is shorter (the
        // Kelvin sign's "k") leaves the subject whole rather than cut inside a character.
        let lx = crate::Lexicon::builder()
            .builtin()
            .and_then(|b| b.add_toml("xx.toml", "[chrome_words]\nreply_prefix = [\"K:\"]"))
            .and_then(crate::LexiconBuilder::build)
            .expect("lexicon");
        assert_eq!(cut("k: Brot", &lx), "Brot");
        assert_eq!(cut("\u{212a}: Brot", &lx), "\u{212a}: Brot");
    }
}
