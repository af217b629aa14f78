//! Named people, places and organisations, found offline by rules and small gazetteers.
//!
//! Places and organisations come from the gazetteers in `data/` (any of their names in
//! English, German, French or Dutch, reported under the English one), or from a
//! capitalised run ending in a feature or institution word ("Vostochny Cosmodrome",
//! "Unification Ministry"). A capitalised run is a person when something says so: an
//! honorific before it ("Mr", "President", "Herr"), a known given name or a family name
//! written first ("Kim Jong Un") at its start, an epithet ("Peter the Great") or a role after
//! a comma ("Pak Thae Song, chairman of …"). Other capitalised words, the sentence-initial
//! common words and German nouns among them, are only kept when they are a short form of
//! such a name ("Putin", "Kim"), and are then counted under the fullest form the thread uses.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;
use threadmill_model::{Block, BlockKind, Entity, EntityKind, Thread};

use crate::gazetteer::{GAZETTEER, Gazetteer, Phrase, PhraseHit};

/// A word: letters, with inner hyphens ("Jean-Claude", "Saint-Pétersbourg").
#[cfg(test)]
const WORD_PATTERN: &str = r"\p{L}[\p{L}\p{M}\p{N}]*(?:[-‐]\p{L}[\p{L}\p{M}\p{N}]*)*";

/// The words of `text` as byte ranges, left to right, as a search for `WORD_PATTERN`
/// finds them (the tests check it).
///
/// Read character by character: a regex search per word, on every word of every post,
/// cost about a thousand instructions each. The pattern leaves no choice to make: a word
/// starts at a letter and takes every letter, mark and digit after it, and a hyphen only
/// when a letter follows it.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = rest.by_ref().find(|&(_, c)| is_letter(c))?;
        let mut end = text.len();
        while let Some(&(i, c)) = rest.peek() {
            let joins_a_letter = || {
                matches!(c, '-' | '‐')
                    && text[i + c.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(is_letter)
            };
            if !is_word_char(c) && !joins_a_letter() {
                end = i;
                break;
            }
            rest.next();
        }
        Some((start, end))
    })
}

/// `\p{L}`, as the regex crate reads it.
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    in_class(&UNICODE_CLASSES.0, c)
}

/// `[\p{L}\p{M}\p{N}]`, as the regex crate reads it.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    in_class(&UNICODE_CLASSES.0, c) || in_class(&UNICODE_CLASSES.1, c)
}

/// Ranges of characters, sorted.
type Ranges = Vec<(char, char)>;

/// The ranges of `\p{L}` and of `[\p{M}\p{N}]`, from the regex crate's own tables.
static UNICODE_CLASSES: LazyLock<(Ranges, Ranges)> =
    LazyLock::new(|| (class_ranges(r"\p{L}"), class_ranges(r"[\p{M}\p{N}]")));

fn class_ranges(class: &str) -> Ranges {
    match regex_syntax::parse(class).map(regex_syntax::hir::Hir::into_kind) {
        Ok(regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(class))) => class
            .ranges()
            .iter()
            .map(|r| (r.start(), r.end()))
            .collect(),
        _ => Vec::new(),
    }
}

fn in_class(ranges: &[(char, char)], c: char) -> bool {
    let after = ranges.partition_point(|&(_, end)| end < c);
    ranges.get(after).is_some_and(|&(start, _)| start <= c)
}

/// A comma and the word after it, maybe after an article, for appositive roles.
static APPOSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    let articles: Vec<String> = GAZETTEER
        .appositive_articles
        .iter()
        .map(|a| regex::escape(a))
        .collect();
    Regex::new(&format!(
        r"^,\s+(?:(?:{})\s+)?(\p{{L}}+)",
        articles.join("|")
    ))
    .expect("the gazetteer's articles make a valid pattern")
});

/// How sure a mention is to be a name of its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Evidence {
    /// A cue or gazetteer entry says so.
    Strong,
    /// Just a capitalised word: a name only if it is a short form of a strong one.
    Weak,
}

/// A name found in one block, by byte offsets into the block's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mention {
    pub start: usize,
    pub end: usize,
    pub kind: EntityKind,
    /// The name as printed, without honorific or possessive; for gazetteer entries the
    /// canonical name.
    pub name: String,
    pub evidence: Evidence,
}

/// The mentions of one searched block.
#[derive(Debug)]
pub(crate) struct BlockMentions {
    pub post: usize,
    pub block: usize,
    pub text: String,
    pub mentions: Vec<Mention>,
}

/// Every block's mentions, for one thread.
#[derive(Debug, Default)]
pub(crate) struct Analysis {
    pub blocks: Vec<BlockMentions>,
    pub resolver: Resolver,
    /// Descriptors already resolved ("the russian president" → "Vladimir Putin"): each
    /// resolution scans every mention of the thread.
    pub descriptors: RefCell<BTreeMap<String, Option<String>>>,
}

/// The blocks whose text is the post's own or an article's: not quotes of other posts
/// (their names are counted where the quoted post is), not signatures, code or date lines.
/// A quote that names no author quotes no post: an article's block quote, a pasted source.
pub(crate) fn searched(block: &Block) -> bool {
    match block.kind {
        BlockKind::Paragraph
        | BlockKind::Headline
        | BlockKind::Standfirst
        | BlockKind::Byline
        | BlockKind::Caption => true,
        BlockKind::Quote => block.author.is_none(),
        BlockKind::Signature | BlockKind::Dateline | BlockKind::Code => false,
    }
}

/// Finds the mentions in every searched block of `thread`.
pub(crate) fn analyse(thread: &Thread) -> Analysis {
    let gaz = &*GAZETTEER;
    let mut blocks = Vec::new();
    for post in &thread.posts {
        // Words the post also writes in lower case are common words when they open a
        // sentence ("During", "Spanning"), whatever the language.
        // Each block is cut into words once, for both. The post's text is its blocks
        // without signatures, and no word runs across the blank line between two.
        let block_words: Vec<Vec<(usize, usize)>> = post
            .blocks
            .iter()
            .map(|block| {
                if block.kind == BlockKind::Signature {
                    Vec::new()
                } else {
                    words(&block.text).collect()
                }
            })
            .collect();
        let lower: foldhash::HashSet<&str> = post
            .blocks
            .iter()
            .zip(&block_words)
            .flat_map(|(block, spans)| spans.iter().map(|&(a, b)| &block.text[a..b]))
            .filter(|w| w.starts_with(char::is_lowercase))
            .collect();
        let mut after_closing = false;
        for (b, (block, spans)) in post.blocks.iter().zip(&block_words).enumerate() {
            if searched(block) {
                let mut mentions = block_mentions(&block.text, spans, gaz, &lower);
                for signed in signatures(&block.text, gaz, &mut after_closing) {
                    mentions.retain(|m| m.end <= signed.start || m.start >= signed.end);
                    mentions.push(signed);
                }
                mentions.sort_by_key(|m| (m.start, m.end));
                blocks.push(BlockMentions {
                    post: post.index,
                    block: b,
                    text: block.text.clone(),
                    mentions,
                });
            }
        }
    }
    let resolver = Resolver::new(blocks.iter().flat_map(|b| &b.mentions));
    Analysis {
        blocks,
        resolver,
        descriptors: RefCell::default(),
    }
}

/// Names that sign a post off: a capitalised word or two alone on the line after a closing
/// formula ("LG" / "Tanja"), or after one on the same line ("Viele Grüße Irmhild", "Thanks,
/// Ben"). `after_closing` carries "the previous line was a closing formula" across blocks.
fn signatures(text: &str, gaz: &Gazetteer, after_closing: &mut bool) -> Vec<Mention> {
    let is_name = |words: &str| {
        let parts: Vec<&str> = words.split_whitespace().collect();
        (1..=2).contains(&parts.len())
            && parts.iter().all(|w| {
                w.starts_with(char::is_uppercase)
                    && w.chars().all(|c| c.is_alphabetic() || c == '-')
                    && !gaz.stopwords.contains(*w)
                    && !gaz.closings.contains(&w.to_lowercase())
            })
    };
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim();
        let line_start = offset + (raw.len() - raw.trim_start().len());
        offset += raw.len();
        if line.is_empty() {
            continue;
        }
        let mut signed = None;
        let lower = line.to_lowercase();
        if *after_closing && is_name(line) {
            signed = Some((line_start, line));
        } else if let Some(closing) = gaz
            .closings
            .iter()
            .filter(|c| lower.starts_with(c.as_str()))
            .max_by_key(|c| c.len())
        {
            // Lower-casing can change byte lengths; count characters instead.
            let skip: usize = line
                .chars()
                .take(closing.chars().count())
                .map(char::len_utf8)
                .sum();
            let rest = &line[skip..];
            let name = rest.trim_start_matches([',', '!', '.', ':', ' ']);
            if rest.starts_with([',', '!', '.', ':', ' ']) && is_name(name) {
                signed = Some((line_start + (line.len() - name.len()), name));
            }
        }
        if let Some((start, name)) = signed {
            out.push(Mention {
                start,
                end: start + name.len(),
                kind: EntityKind::Person,
                name: name.to_owned(),
                evidence: Evidence::Strong,
            });
        }
        *after_closing = gaz
            .closings
            .contains(lower.trim_end_matches([',', '!', '.', ':', ' ']));
    }
    out
}

/// The entities of the thread, each under its fullest name, sorted by kind, then count
/// (most first), then name.
pub(crate) fn collect(analysis: &Analysis) -> Vec<Entity> {
    #[derive(Default)]
    struct Tally {
        forms: BTreeMap<String, usize>,
        count: usize,
        posts: BTreeSet<usize>,
    }
    let mut tallies: BTreeMap<(EntityKind, String), Tally> = BTreeMap::new();
    // Places and organisations some cue made sure of, by lowercased name.
    let strong: BTreeSet<(EntityKind, String)> = analysis
        .blocks
        .iter()
        .flat_map(|b| &b.mentions)
        .filter(|m| m.kind != EntityKind::Person && m.evidence == Evidence::Strong)
        .map(|m| (m.kind, m.name.to_lowercase()))
        .collect();
    for block in &analysis.blocks {
        for mention in &block.mentions {
            let name = match mention.kind {
                EntityKind::Person => match analysis.resolver.resolve(&mention.name) {
                    Some(full) => full,
                    None if mention.evidence == Evidence::Strong => mention.name.clone(),
                    None => continue,
                },
                EntityKind::Place | EntityKind::Org => {
                    if mention.evidence == Evidence::Weak
                        && !strong.contains(&(mention.kind, mention.name.to_lowercase()))
                    {
                        continue;
                    }
                    mention.name.clone()
                }
            };
            let tally = tallies
                .entry((mention.kind, name.to_lowercase()))
                .or_default();
            tally.count += 1;
            tally.posts.insert(block.post);
            *tally.forms.entry(name).or_default() += 1;
        }
    }
    let mut entities: Vec<Entity> = tallies
        .into_iter()
        .map(|((kind, _), tally)| {
            // The display form: the most capitalised spelling ("Vostochny Cosmodrome"
            // over "Vostochny cosmodrome"), then the most used; the map's order breaks ties.
            let text = tally
                .forms
                .iter()
                .rev()
                .max_by_key(|(form, n)| (form.chars().filter(|c| c.is_uppercase()).count(), **n))
                .map_or_else(String::new, |(form, _)| form.clone());
            Entity {
                name: text,
                kind,
                mentions: tally.count,
                posts: tally.posts.into_iter().collect(),
            }
        })
        .collect();
    entities.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then_with(|| b.mentions.cmp(&a.mentions))
            .then_with(|| a.name.cmp(&b.name))
    });
    entities
}

/// Full person names of a thread, and the short forms that stand for them.
#[derive(Debug, Default)]
pub(crate) struct Resolver {
    /// `(words, name, mentions, first seen)` of every strong person name of two words or
    /// more (regnal numbers not counted: "Peter I" is a short form).
    full: Vec<(Vec<String>, String, usize, usize)>,
    /// `(word, name, mentions)` of every one-word person name given with a title
    /// ("Prince Andrew"): what the bare word stands for when no full name fits.
    titled: Vec<(String, String, usize)>,
    /// Names already resolved: a long thread asks for the same few names many times.
    cache: RefCell<BTreeMap<String, Option<String>>>,
}

fn is_roman(word: &str) -> bool {
    matches!(
        word,
        "I" | "II" | "III" | "IV" | "V" | "VI" | "VII" | "VIII" | "IX" | "X" | "XI" | "XII"
    )
}

/// The words of a name that identify it: no honorifics, possessives or regnal numbers.
fn name_words(name: &str, gaz: &Gazetteer) -> Vec<String> {
    let mut rest = name.trim();
    loop {
        let stripped = gaz.honorifics.iter().find_map(|h| {
            rest.strip_prefix(h.as_str())
                .and_then(|r| r.strip_prefix('.').or(Some(r)))
                .filter(|r| r.starts_with(char::is_whitespace))
        });
        match stripped {
            Some(r) => rest = r.trim_start(),
            None => break,
        }
    }
    let words: Vec<String> = rest
        .split_whitespace()
        .map(|w| w.trim_end_matches("'s").trim_end_matches("’s").to_owned())
        .collect();
    let n = words.len();
    words
        .into_iter()
        .enumerate()
        .filter(|(i, w)| *i == 0 || n == 1 || !is_roman(w))
        .map(|(_, w)| w)
        .collect()
}

impl Resolver {
    fn new<'a>(mentions: impl Iterator<Item = &'a Mention>) -> Self {
        let gaz = &*GAZETTEER;
        let mut full: Vec<(Vec<String>, String, usize, usize)> = Vec::new();
        let mut titled: Vec<(String, String, usize)> = Vec::new();
        for (order, m) in mentions.enumerate() {
            if m.kind != EntityKind::Person || m.evidence != Evidence::Strong {
                continue;
            }
            let words = name_words(&m.name, gaz);
            if let [word] = words.as_slice()
                && m.name.contains(' ')
            {
                match titled.iter_mut().find(|t| t.1 == m.name) {
                    Some(t) => t.2 += 1,
                    None => titled.push((word.clone(), m.name.clone(), 1)),
                }
            }
            if words.len() < 2 {
                continue;
            }
            match full.iter_mut().find(|f| f.0 == words) {
                Some(f) => f.2 += 1,
                None => full.push((words.clone(), words.join(" "), 1, order)),
            }
        }
        Self {
            full,
            titled,
            cache: RefCell::default(),
        }
    }

    /// The full name `name` stands for: itself when it is one, else the full name it starts
    /// or ends ("Putin", "Mr Putin" → "Vladimir Putin"; "Kim" → the most mentioned of the
    /// thread's Kims, the first introduced on a tie); a lone word, failing that, the titled
    /// name it is ("Andrew" → "Prince Andrew"). `None` when no name fits.
    pub(crate) fn resolve(&self, name: &str) -> Option<String> {
        if let Some(known) = self.cache.borrow().get(name) {
            return known.clone();
        }
        let resolved = self.resolve_uncached(name);
        self.cache
            .borrow_mut()
            .insert(name.to_owned(), resolved.clone());
        resolved
    }

    fn resolve_uncached(&self, name: &str) -> Option<String> {
        let words = name_words(name, &GAZETTEER);
        if words.is_empty() {
            return None;
        }
        if let Some(f) = self.full.iter().find(|f| f.0 == words) {
            return Some(f.1.clone());
        }
        self.full
            .iter()
            .filter(|f| {
                f.0.len() > words.len() && (f.0.starts_with(&words) || f.0.ends_with(&words))
            })
            .max_by(|a, b| a.2.cmp(&b.2).then_with(|| b.3.cmp(&a.3)))
            .map(|f| f.1.clone())
            .or_else(|| {
                let [word] = words.as_slice() else {
                    return None;
                };
                // Most mentioned first; `titled` is in order of appearance, so ties go to the
                // first introduced.
                self.titled
                    .iter()
                    .filter(|t| t.0 == *word)
                    .rev()
                    .max_by_key(|t| t.2)
                    .map(|t| t.1.clone())
            })
    }
}

/// A word of the block.
#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    /// Followed by `'s`: a name ends here.
    possessive: bool,
}

/// The names in one block of text, cut into `words` (byte spans). `lower` holds the words
/// the post writes in lower case.
#[allow(
    clippy::too_many_lines,
    reason = "one pass over a block's words with the state of the name being read; in pieces that state would travel through each"
)]
pub(crate) fn block_mentions(
    text: &str,
    words: &[(usize, usize)],
    gaz: &Gazetteer,
    lower: &foldhash::HashSet<&str>,
) -> Vec<Mention> {
    let toks: Vec<Tok> = words
        .iter()
        .map(|&(start, end)| {
            let rest = &text[end..];
            // "Russia's", "Peter’s" (but not "Peter'sche"): the name ends here.
            let possessive = ["'s", "’s"].iter().any(|p| {
                rest.strip_prefix(p)
                    .is_some_and(|after| !after.starts_with(char::is_alphanumeric))
            });
            Tok {
                start,
                end,
                possessive,
            }
        })
        .collect();
    let hits = gaz.phrases(text);
    // The gazetteer phrase each word belongs to.
    let mut tok_hit: Vec<Option<usize>> = vec![None; toks.len()];
    let mut first = 0;
    for (h, hit) in hits.iter().enumerate() {
        while first < toks.len() && toks[first].start < hit.start {
            first += 1;
        }
        let mut t = first;
        while t < toks.len() && toks[t].start < hit.end {
            tok_hit[t] = Some(h);
            t += 1;
        }
    }
    let word = |t: usize| &text[toks[t].start..toks[t].end];
    let capital = |t: usize| word(t).starts_with(char::is_uppercase);
    let joinable = |a: usize, b: usize| {
        !toks[a].possessive && text[toks[a].end..toks[b].start].chars().all(|c| c == ' ')
    };
    let sentence_initial = |t: usize| {
        let before = &text[..toks[t].start];
        let trimmed = before.trim_end_matches([' ', '\t']);
        trimmed.ends_with('\n')
            || trimmed
                .chars()
                .next_back()
                .is_none_or(|c| ".!?:\"“”„«»(".contains(c))
    };

    let mut mentions = Vec::new();
    let mut absorbed: BTreeSet<usize> = BTreeSet::new();
    let mut t = 0;
    while t < toks.len() {
        if !capital(t) || tok_hit[t].is_some() {
            t += 1;
            continue;
        }
        // Grow the run of capitalised words.
        let mut end = t;
        let mut epithet = false;
        let mut of_head = false;
        loop {
            let next = end + 1;
            if next >= toks.len() || !joinable(end, next) {
                break;
            }
            if word(next).chars().count() == 1
                && capital(next)
                && next + 1 < toks.len()
                && text[toks[next].end..toks[next + 1].start] == *". "
                && capital(next + 1)
                && tok_hit[next + 1].is_none()
            {
                // A middle initial: "Lynne M. Bird".
                end = next + 1;
            } else if capital(next) && tok_hit[next].is_none() && !shouting(word(next)) {
                end = next;
            } else if next + 1 < toks.len()
                && joinable(next, next + 1)
                && tok_hit[next + 1].is_none()
                && capital(next + 1)
                && (gaz.particles.contains(word(next))
                    || (gaz.epithet_articles.contains(word(next))
                        && gaz.epithets.contains(word(next + 1))))
            {
                epithet |= gaz.epithet_articles.contains(word(next));
                end = next + 1;
            } else if (t..end).all(|i| gaz.stopwords.contains(word(i)))
                && gaz.of_words.contains(word(next))
                && (gaz.of_heads_org.contains(word(end)) || gaz.of_heads_place.contains(word(end)))
                && next + 1 < toks.len()
                && joinable(next, next + 1)
                && capital(next + 1)
            {
                // "House of Assembly", "Ministry of Defence", "Bank of England", "Gulf of
                // Mexico": the head word makes the kind, whatever follows.
                of_head = true;
                end = next + 1;
                if let Some(h) = tok_hit[end] {
                    absorbed.insert(h);
                    while end + 1 < toks.len() && tok_hit[end + 1] == Some(h) {
                        end += 1;
                    }
                }
            } else if let Some(h) = tok_hit[next]
                && matches!(hits[h].phrase, Phrase::Place(_))
                && (next + 1 >= toks.len() || tok_hit[next + 1] != Some(h))
                && (gaz.given.contains(word(t)) || gaz.surname_first.contains(word(t)))
                && end == t
            {
                // "George Washington", "Michael Jordan": a given name claims the place word.
                absorbed.insert(h);
                end = next;
            } else {
                break;
            }
        }
        let run_start = t;
        let run_end = end;
        // Drop the common words that open sentences.
        let mut start = t;
        while start <= end {
            let w = word(start);
            let known = gaz.given.contains(w) || gaz.surname_first.contains(w);
            let common = gaz.stopwords.contains(w)
                || (sentence_initial(start) && !known && lower.contains(w.to_lowercase().as_str()));
            if !common {
                break;
            }
            start += 1;
        }
        t = run_end + 1;
        if start > end {
            continue;
        }
        // A capitalised speech verb or function word is a headline's or a label's, not the
        // name's: "Mark Toussaint Says:", "Michelle Sweet The". Short ones stay: they end
        // names too ("Kim Jong Un", "Van de Le").
        while end > start
            && ((gaz.stopwords.contains(word(end)) && word(end).chars().count() > 2)
                || gaz.verbs.iter().any(|v| v.eq_ignore_ascii_case(word(end))))
        {
            end -= 1;
        }
        // A lower-case feature word after the run: "the Vostochny cosmodrome". Only a
        // place the thread also writes in capitals counts ("Any news" is no name).
        let mut lower_suffix = false;
        if end + 1 < toks.len()
            && joinable(end, end + 1)
            && !capital(end + 1)
            && gaz.place_suffixes.contains(&word(end + 1).to_lowercase())
        {
            lower_suffix = true;
            end += 1;
        }
        // A nationality before an institution word belongs to the name: "American
        // University", "Russian Academy".
        let last_word = word(end).to_lowercase();
        if start == run_start
            && start > 0
            && joinable(start - 1, start)
            && tok_hit[start - 1].is_some_and(|h| matches!(hits[h].phrase, Phrase::Demonym(_)))
            && (gaz.org_suffixes.contains(&last_word) || gaz.place_suffixes.contains(&last_word))
        {
            if let Some(h) = tok_hit[start - 1] {
                absorbed.insert(h);
            }
            let demonym = tok_hit[run_start - 1];
            while start > 0 && tok_hit[start - 1] == demonym {
                start -= 1;
            }
        }
        let words: Vec<&str> = (start..=end).map(word).collect();
        let n = words.len();
        // A given name makes a person of what follows only if that is no common word the
        // post also writes in lower case ("Ben Savings", "Mark Forums Read").
        let given_name = gaz.given.contains(words[0])
            && words[1..]
                .iter()
                .all(|w| !lower.contains(w.to_lowercase().as_str()) || gaz.particles.contains(*w));
        let last = words[n - 1].to_lowercase();
        // The honorific cue only counts when it is right before the name; a title that is a
        // common word too only before a full name.
        let title = (start == run_start)
            .then(|| honorific_before(text, &toks, &tok_hit, &hits, gaz, start))
            .flatten()
            .filter(|title| {
                n >= 2 || !gaz.weak_titles.contains(*title) || gaz.given.contains(words[0])
            });
        let cue = title.is_some();
        let effective = words.iter().skip(1).filter(|w| !is_roman(w)).count() + 1;
        let appositive = APPOSITIVE
            .captures(&text[toks[end].end..])
            .and_then(|c| c.get(1))
            .is_some_and(|r| gaz.appositive_roles.contains(&r.as_str().to_lowercase()));
        let (kind, evidence) = if lower_suffix {
            (EntityKind::Place, Evidence::Weak)
        } else if of_head {
            let kind = if gaz.of_heads_org.contains(words[0]) {
                EntityKind::Org
            } else {
                EntityKind::Place
            };
            (kind, Evidence::Strong)
        } else if n >= 2 && gaz.place_suffixes.contains(&last) {
            (EntityKind::Place, Evidence::Strong)
        } else if n >= 2 && gaz.org_suffixes.contains(&last) {
            (EntityKind::Org, Evidence::Strong)
        } else if epithet
            || cue
            || (effective >= 2
                && (given_name || gaz.surname_first.contains(words[0]) || appositive))
        {
            (EntityKind::Person, Evidence::Strong)
        } else {
            (EntityKind::Person, Evidence::Weak)
        };
        // A lone surname keeps its title: "Prince Andrew", "Dr Drosten" are the fullest
        // names such a text gives.
        let name = match title {
            Some(title) if n == 1 && kind == EntityKind::Person => format!("{title} {}", words[0]),
            // Keep "of" and its like: they are no token.
            _ if of_head => text[toks[start].start..toks[end].end].to_owned(),
            // Initials keep their dot: "Lynne M. Bird".
            _ => (start..=end)
                .map(|i| {
                    let w = word(i);
                    if w.chars().count() == 1 && text[toks[i].end..].starts_with('.') {
                        format!("{w}.")
                    } else {
                        w.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
        };
        mentions.push(Mention {
            start: toks[start].start,
            end: toks[end].end,
            kind,
            name,
            evidence,
        });
    }
    for (h, hit) in hits.iter().enumerate() {
        if absorbed.contains(&h) {
            continue;
        }
        let (kind, name) = match hit.phrase {
            Phrase::Place(i) => (EntityKind::Place, gaz.places[i].name.clone()),
            Phrase::Org(i) => (EntityKind::Org, gaz.orgs[i].clone()),
            Phrase::Demonym(_) | Phrase::Honorific => continue,
        };
        mentions.push(Mention {
            start: hit.start,
            end: hit.end,
            kind,
            name,
            evidence: Evidence::Strong,
        });
    }
    mentions.sort_by_key(|m| (m.start, m.end));
    mentions
}

/// All capitals and longer than an initial: "VIDEO", "NEW" end a name.
fn shouting(word: &str) -> bool {
    word.chars().count() > 2 && word.chars().all(|c| !c.is_lowercase())
}

/// The honorific right before word `t` ("Mr Putin", "Dr. Who"), unless it is a common noun
/// there ("meine Frau Müller" is not a title).
fn honorific_before<'a>(
    text: &'a str,
    toks: &[Tok],
    tok_hit: &[Option<usize>],
    hits: &[PhraseHit],
    gaz: &Gazetteer,
    t: usize,
) -> Option<&'a str> {
    let hit = hits[tok_hit[t.checked_sub(1)?]?];
    if hit.phrase != Phrase::Honorific {
        return None;
    }
    // "Mr Putin", "Dr. Who", but not "Mr.Snake": a space must follow.
    let gap = text[hit.end..toks[t].start].trim_start_matches('.');
    if gap.is_empty() || !gap.chars().all(|c| c == ' ') {
        return None;
    }
    // The word before the honorific.
    let before = toks[..t - 1]
        .iter()
        .rev()
        .find(|tok| tok.end <= hit.start)
        .map(|tok| text[tok.start..tok.end].to_lowercase());
    (!before.is_some_and(|w| gaz.not_after.contains(&w)))
        .then(|| text[hit.start..hit.end].trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadmill_model::{Format, Post, Source};

    fn thread(posts: &[&[&str]]) -> Thread {
        let mut thread = Thread::new(Source::unnamed(Format::Text));
        for (i, blocks) in posts.iter().enumerate() {
            thread
                .posts
                .push(Post::of_paragraphs(i, blocks.iter().copied()));
        }
        thread
    }

    fn names(entities: &[Entity], kind: EntityKind) -> Vec<&str> {
        entities
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.name.as_str())
            .collect()
    }

    #[test]
    fn short_forms_count_under_the_full_name() {
        let t = thread(&[
            &[
                "Russian President Vladimir Putin met Kim Jong Un at the Vostochny Cosmodrome.",
                "Mr Putin welcomed Kim, who came from Pyongyang with his sister Kim Yo Jong.",
            ],
            &["During the talks Putin praised Peter the Great. Peter's empire was vast."],
        ]);
        let entities = collect(&analyse(&t));
        assert_eq!(
            names(&entities, EntityKind::Person),
            [
                "Vladimir Putin",
                "Kim Jong Un",
                "Peter the Great",
                "Kim Yo Jong"
            ]
        );
        let putin = &entities[0];
        assert_eq!((putin.mentions, putin.posts.as_slice()), (3, &[0, 1][..]));
        assert_eq!(
            names(&entities, EntityKind::Place),
            ["Pyongyang", "Vostochny Cosmodrome"]
        );
    }

    #[test]
    fn sentence_initial_words_and_german_nouns_are_not_names() {
        let t = thread(&[&[
            "During the visit nothing happened. Spanning much of the day, the talks went on.",
            "Die Bezugsquelle hatte ich angegeben. Kurzes Intermezzo: Herr Müller war in Berlin.",
            "Le président Emmanuel Macron est à Paris, a confirmé l'Élysée.",
            "Premier Mark Rutte zei dat Nederland steun geeft aan Oekraïne.",
        ]]);
        let entities = collect(&analyse(&t));
        assert_eq!(
            names(&entities, EntityKind::Person),
            ["Emmanuel Macron", "Herr Müller", "Mark Rutte"]
        );
        assert_eq!(
            names(&entities, EntityKind::Place),
            ["Berlin", "Netherlands", "Paris", "Ukraine"]
        );
        assert_eq!(names(&entities, EntityKind::Org), ["Élysée"]);
    }

    #[test]
    fn appositions_and_suffixes() {
        let t = thread(&[&[
            "Pak Thae Song, chairman of the committee, spoke to South Korea's Unification Ministry.",
        ]]);
        let entities = collect(&analyse(&t));
        assert_eq!(names(&entities, EntityKind::Person), ["Pak Thae Song"]);
        assert_eq!(names(&entities, EntityKind::Org), ["Unification Ministry"]);
        assert_eq!(names(&entities, EntityKind::Place), ["South Korea"]);
    }

    #[test]
    fn sign_offs_name_their_authors() {
        let t = thread(&[
            &["Das klingt interessant.", "Danke + LG", "Tanja"],
            &["Ich muss da nichts machen, oder?\nViele Grüße Irmhild"],
            &[
                "Thanks, Ben",
                "Best\nJohn Smith",
                "Principal investigator: Lynne M. Bird, MD.",
            ],
            &["LG", "Das Wetter ist schön."],
        ]);
        let entities = collect(&analyse(&t));
        assert_eq!(
            names(&entities, EntityKind::Person),
            ["Ben", "Irmhild", "John Smith", "Lynne M. Bird", "Tanja"]
        );
    }

    #[test]
    fn institutions() {
        let t = thread(&[&[
            "She studied at American University and spoke to the House of Assembly.",
            "The Gulf of Mexico is warm. The Bank of England raised rates.",
        ]]);
        let entities = collect(&analyse(&t));
        assert_eq!(
            names(&entities, EntityKind::Org),
            [
                "American University",
                "Bank of England",
                "House of Assembly"
            ]
        );
        assert_eq!(names(&entities, EntityKind::Place), ["Gulf of Mexico"]);
    }

    #[test]
    fn words_are_what_the_pattern_finds() {
        let re = Regex::new(WORD_PATTERN).expect("pattern");
        for text in [
            "Jean-Claude met Saint-Pétersbourg's mayor—Иван‐Петров, 3rd x-1 a--b ﬁne Ⅻ é\u{301}t\u{301}",
            "-a- ‐b‐ c‐",
            "",
            "日本語のテキスト と English",
        ] {
            let want: Vec<(usize, usize)> =
                re.find_iter(text).map(|m| (m.start(), m.end())).collect();
            assert_eq!(words(text).collect::<Vec<_>>(), want, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn words_agree_with_the_pattern(text in "([a-zA-Z0-9é\u{301}\u{2010}Ⅻß' .,-]|Иван|日本|\u{a0}|\\PC){0,60}") {
            let re = Regex::new(WORD_PATTERN).expect("pattern");
            let want: Vec<(usize, usize)> = re.find_iter(&text).map(|m| (m.start(), m.end())).collect();
            proptest::prop_assert_eq!(words(&text).collect::<Vec<_>>(), want);
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "[A-Za-zÄÖÜäöüéß'’\"“”„«».,:;!? \n\t\u{a0}\u{3000}-]{0,120}") {
            let t = thread(&[&[text.as_str(), "Mr Putin said: \"We are here.\""]]);
            let analysis = analyse(&t);
            let _ = collect(&analysis);
            let _ = crate::quotes::find_quotations(&analysis);
        }
    }

    #[test]
    fn resolver_prefers_the_most_mentioned_full_name() {
        let t = thread(&[&["Kim Jong Un spoke. Kim Jong Un left. His sister Kim Yo Jong stayed."]]);
        let analysis = analyse(&t);
        assert_eq!(
            analysis.resolver.resolve("Kim").as_deref(),
            Some("Kim Jong Un")
        );
        assert_eq!(
            analysis.resolver.resolve("Mr Kim").as_deref(),
            Some("Kim Jong Un")
        );
        assert_eq!(analysis.resolver.resolve("Smith"), None);
    }

    #[test]
    fn a_lone_titled_name_keeps_its_title() {
        let t = thread(&[&[
            "Prince Andrew gave an interview. The claims were denied by Andrew.",
            "General Election news: Professor Moriarty and Dr. Drosten met.",
        ]]);
        let entities = collect(&analyse(&t));
        assert_eq!(
            names(&entities, EntityKind::Person),
            ["Prince Andrew", "Dr Drosten", "Professor Moriarty"]
        );
        assert_eq!(entities[0].mentions, 2);
    }
}
