//! Direct quotations and who said them.
//!
//! A quotation is text in double quotes (`"…"`, `“…”`, `„…“`, `«…»`) that reads as a full
//! sentence or more (it starts with a capital and has at least three words) and is
//! attributed by a speech verb from `data/speech.toml`, in any of its languages:
//! after it (`"…," Kim told Mr Putin`, `„…“, sagte er`, `« … », a déclaré Macron`,
//! `"…," study lead author Lucas Paganini, a planetary scientist at NASA, said`) or
//! before it in the same sentence (`Mr Putin was quoted … as saying: "…"`). A paragraph that
//! is nothing but a quotation, right after a paragraph with an attributed one, continues
//! that speaker (the news convention for long quotes). Scare quotes and titles ("sacred
//! war", "Help Us Build the Next Product") are left out.
//!
//! The speaker is resolved to the fullest name the thread uses for them ("Kim" → "Kim Jong
//! Un"). A pronoun ("he", "er", "il", "hij") stands for the person in focus: the nearest
//! person named before the quotation in subject position (opening a sentence or clause, or
//! the speaker of a quotation), outside quotations; failing that, the nearest person named
//! at all. A descriptor ("the Russian president", "le président russe") stands for the
//! person the thread introduces with that role and nationality ("Russian President Vladimir
//! Putin"). A speaker that cannot be resolved to a name is `null`, never a guess.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;
use threadmill_model::{EntityKind, Quotation};

use crate::entities::{Analysis, Evidence, Mention};
use crate::gazetteer::{GAZETTEER, Gazetteer};

/// Pairs of opening and closing quotation marks.
const PAIRS: &[(char, &[char])] = &[
    ('"', &['"', '”']),
    ('“', &['”', '"']),
    ('„', &['“', '”']),
    ('«', &['»']),
];

/// Regexes built from the speech data.
struct Patterns {
    /// Attribution right after a quotation.
    after: Regex,
    /// A speech verb anywhere.
    verb: Regex,
    /// The subject right before a speech verb, anchored at the end.
    subject_before: Regex,
    /// The subject right after a speech verb, anchored at the start.
    subject_after: Regex,
    /// A pronoun, as a whole word.
    pronoun: Regex,
    /// A descriptor: determiner, up to two modifiers, a role noun (either order).
    descriptor: Regex,
    /// The last word of each role noun, lower-cased: `descriptor` only runs around these.
    roles: AhoCorasick,
    /// How far before a role's last word a descriptor may start: the determiner, two
    /// modifiers and the role's other words.
    words_before_role: usize,
}

impl Patterns {
    /// The descriptors in `text`.
    ///
    /// Unicode word boundaries keep `descriptor` on the slowest of the regex engines on
    /// any non-ASCII text, so it runs only over a few words around each role noun: a
    /// descriptor ends at most one word after its role and starts at most
    /// `self.words_before_role` words before it.
    fn descriptors<'t>(&self, text: &'t str) -> Vec<regex::Match<'t>> {
        let lower = text.to_lowercase();
        let hits = self.roles.find_overlapping_iter(&lower).filter(|m| {
            // As whole words: "king" is in "working", "rey" in "they".
            let before = lower[..m.start()].chars().next_back();
            let after = lower[m.end()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        });
        if lower.len() != text.len() {
            // Lower-casing moved the offsets: no windows, search all of it.
            return match hits.count() {
                0 => Vec::new(),
                _ => self.descriptor.find_iter(text).collect(),
            };
        }
        let mut found: Vec<regex::Match<'t>> = Vec::new();
        let mut searched_to = 0;
        for hit in hits {
            let from = word_starts_back(text, hit.start(), self.words_before_role);
            let to = word_ends_forward(text, hit.end(), 2);
            let mut at = from.max(found.last().map_or(0, regex::Match::end));
            if to <= searched_to.max(at) {
                continue;
            }
            while let Some(m) = self.descriptor.find_at(&text[..to], at) {
                found.push(m);
                at = m.end().max(m.start() + 1);
                if at >= to {
                    break;
                }
            }
            searched_to = to;
        }
        found
    }
}

/// The byte offset where the `n`th word before `at` starts (words split by white space);
/// always a character boundary.
fn word_starts_back(text: &str, at: usize, n: usize) -> usize {
    let head = &text[..text.floor_char_boundary(at)];
    let mut starts = 0;
    let mut in_word = false;
    for (i, c) in head.char_indices().rev() {
        if c.is_whitespace() {
            if in_word {
                starts += 1;
                if starts == n {
                    return i + c.len_utf8();
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    0
}

/// The byte offset of the white space that ends the `n`th word from `at` on, or the end of
/// `text`: a place where a word boundary holds as it would in all of `text`.
fn word_ends_forward(text: &str, at: usize, n: usize) -> usize {
    let tail_start = text.ceil_char_boundary(at);
    let mut ends = 0;
    let mut in_word = true;
    for (i, c) in text[tail_start..].char_indices() {
        if c.is_whitespace() {
            if in_word {
                ends += 1;
                if ends > n {
                    return tail_start + i;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    text.len()
}

/// Escaped alternation of `words`, spaces matching any whitespace.
fn alternation(words: &[String]) -> String {
    words
        .iter()
        .map(|w| regex::escape(w).replace(' ', r"\s+"))
        .collect::<Vec<_>>()
        .join("|")
}

/// The subject of a speech verb: descriptor, pronoun or name; group names get `n`.
fn subject(g: &Gazetteer, n: u8) -> String {
    let honorifics = alternation(&g.honorifics);
    let particles = alternation(&g.particles.iter().cloned().collect::<Vec<_>>());
    let det = alternation(&g.determiners);
    let role = alternation(&g.roles);
    let pron = alternation(&g.pronouns);
    format!(
        r"(?:(?P<desc{n}>(?i:{det})\s+(?:[\p{{L}}'’-]+\s+){{0,2}}?(?i:{role})\b(?:\s+\p{{Ll}}+\b)?)|(?P<pron{n}>(?i:{pron}))\b|(?P<name{n}>(?:(?:{honorifics})\.?\s+)*\p{{Lu}}[\p{{L}}\p{{M}}'’-]+(?:\s+(?:(?:{particles})\s+)?\p{{Lu}}[\p{{L}}\p{{M}}'’-]+)*))"
    )
}

/// An adverb between a speaker and the verb ("also", "reportedly"): a listed one, or a
/// lower-case word with a listed ending.
fn adverb(g: &Gazetteer) -> String {
    let endings = g
        .adverb_endings
        .iter()
        .map(|e| format!(r"\p{{Ll}}+{}", regex::escape(e)));
    let words = g
        .adverbs
        .iter()
        .map(|w| regex::escape(w).replace(' ', r"\s+"));
    let parts: Vec<String> = endings.chain(words).collect();
    if parts.is_empty() {
        // No adverbs: a pattern that matches nothing, so the optional adverb is absent.
        return r"[^\s\S]".to_owned();
    }
    format!("(?:{})", parts.join("|"))
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let g = &*GAZETTEER;
    let verb = alternation(&g.verbs);
    let mut after_verbs = [g.verbs.clone(), g.after_only.clone()].concat();
    // Longest first, so that "as saying" wins over "saying".
    after_verbs.sort_by_key(|v| std::cmp::Reverse(v.len()));
    let verb_after = alternation(&after_verbs);
    let inv = alternation(&g.inversions);
    let adverb = adverb(g);
    let after = format!(
        r"^\s*,?\s*(?:(?P<inv>(?i:{inv}))\b|(?:{verb_after})\s+{s1}|(?:\p{{Ll}}[\p{{L}}-]*\s+){{0,4}}?{s2}(?:,[^\x22“”„«»]{{1,250}}?,)?\s+(?:{adverb}\s+)?(?:{verb})\b|(?P<bare>(?:[\p{{L}}'’-]+\s+){{0,4}}?(?:{verb}))\b)",
        s1 = subject(g, 1),
        s2 = subject(g, 2),
    );
    let descriptor_src = {
        let det = alternation(&g.determiners);
        let role = alternation(&g.roles);
        format!(r"(?i:\b(?:{det})\s+(?:[\p{{L}}'’-]+\s+){{0,2}}?(?:{role})\b(?:\s+\p{{Ll}}+\b)?)")
    };
    Patterns {
        after: Regex::new(&after).expect("speech data makes a valid pattern"),
        verb: Regex::new(&format!(r"\b(?:{verb})\b")).expect("speech data makes a valid pattern"),
        subject_before: Regex::new(&format!(r"{}\s+(?:{adverb}\s+)?$", subject(g, 1)))
            .expect("speech data makes a valid pattern"),
        subject_after: Regex::new(&format!(r"^\s+{}", subject(g, 1)))
            .expect("speech data makes a valid pattern"),
        pronoun: Regex::new(&format!(r"(?i)\b(?:{})\b", alternation(&g.pronouns)))
            .expect("speech data makes a valid pattern"),
        descriptor: Regex::new(&descriptor_src).expect("speech data makes a valid pattern"),
        // A role of several words ("prime minister") may be split by any whitespace: look
        // for its last word.
        roles: AhoCorasick::new(g.roles.iter().filter_map(|r| r.split_whitespace().last()))
            .expect("speech data makes a valid automaton"),
        words_before_role: 3 + g
            .roles
            .iter()
            .map(|r| r.split_whitespace().count().saturating_sub(1))
            .max()
            .unwrap_or(0),
    }
});

/// Someone named before a quotation: a candidate for "he".
#[derive(Debug, Clone)]
struct Focus {
    block: usize,
    offset: usize,
    /// `None` for someone in focus the text does not name ("the top official said").
    name: Option<String>,
    /// Opens a sentence or clause, or is a speaker: what a pronoun most likely means.
    subject: bool,
}

/// A quotation found in a block, by byte offsets of its marks.
#[derive(Debug, Clone, Copy)]
struct Span {
    open: usize,
    close_end: usize,
    inner: (usize, usize),
}

/// Quotation mark pairs in `text`, in order.
fn spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut rest = 0;
    while rest < text.len() {
        let Some((open, c)) = text[rest..]
            .char_indices()
            .find(|(_, c)| PAIRS.iter().any(|(o, _)| o == c))
            .map(|(i, c)| (rest + i, c))
        else {
            break;
        };
        let closers = PAIRS
            .iter()
            .find(|(o, _)| *o == c)
            .map_or(&[][..], |(_, cl)| *cl);
        let inner_start = open + c.len_utf8();
        match text[inner_start..]
            .char_indices()
            .find(|(_, ch)| closers.contains(ch))
        {
            Some((i, close)) => {
                let close_at = inner_start + i;
                let close_end = close_at + close.len_utf8();
                out.push(Span {
                    open,
                    close_end,
                    inner: (inner_start, close_at),
                });
                rest = close_end;
            }
            None => break,
        }
    }
    out
}

/// Reads as a full sentence: a capital first letter, three words or more, and not a title
/// ("Help Us Build the Next Great Product") unless it ends like a sentence.
fn is_sentence(inner: &str) -> bool {
    let Some(first) = inner.chars().find(|c| c.is_alphanumeric()) else {
        return false;
    };
    let words: Vec<&str> = inner.split_whitespace().collect();
    if !first.is_uppercase() || words.len() < 3 {
        return false;
    }
    let terminal = inner
        .trim_end_matches([',', ' ', '"', '\'', '’', ')', ']'])
        .ends_with(['.', '!', '?', '…']);
    // Titles capitalise (nearly) every word; sentences, German ones too, far fewer.
    let capitalised = words[1..]
        .iter()
        .filter(|w| w.starts_with(char::is_uppercase))
        .count();
    terminal || capitalised * 3 < (words.len() - 1) * 2
}

/// Every direct quotation of a full sentence or more, with its speaker.
pub(crate) fn find_quotations(analysis: &Analysis) -> Vec<Quotation> {
    let mut out = Vec::new();
    // The searched blocks of each post, in order.
    for post in analysis.blocks.chunk_by(|a, b| a.post == b.post) {
        let mut focus: Vec<Focus> = Vec::new();
        // The speaker of the previous block's last attributed quotation, for continuations.
        let mut previous_speaker: Option<Option<String>> = None;
        for block in post {
            let (b, mentions, text) = (block.block, &block.mentions, block.text.as_str());
            let spans = spans(text);
            let inside = |at: usize| spans.iter().any(|s| s.open <= at && at < s.close_end);
            // Everyone named outside quotation marks in this block.
            let mut named: Vec<Focus> = Vec::new();
            for m in mentions.iter().filter(|m| !inside(m.start)) {
                if let Some(name) = person_name(m, analysis) {
                    named.push(Focus {
                        block: b,
                        offset: m.start,
                        name: Some(name),
                        subject: opens_clause(text, m.start),
                    });
                }
            }
            for d in PATTERNS
                .descriptors(text)
                .into_iter()
                .filter(|d| !inside(d.start()))
            {
                // An unnamed subject ("The top official said …") takes the focus too: a
                // later "he said" is that official, not the last person named.
                let name = resolve_descriptor(d.as_str(), analysis);
                let subject = opens_clause(text, d.start());
                if name.is_some() || subject {
                    named.push(Focus {
                        block: b,
                        offset: d.start(),
                        name,
                        subject,
                    });
                }
            }
            named.sort_by_key(|f| f.offset);
            let mut this_block_speaker: Option<Option<String>> = None;
            for span in &spans {
                let inner = text[span.inner.0..span.inner.1].trim();
                if !is_sentence(inner) {
                    continue;
                }
                // Who was in focus before the quotation opened.
                let before: Vec<&Focus> = focus
                    .iter()
                    .chain(named.iter().filter(|f| f.offset < span.open))
                    .collect();
                let in_focus = before
                    .iter()
                    .rev()
                    .find(|f| f.subject)
                    .or_else(|| before.last())
                    .and_then(|f| f.name.clone());
                let whole_block =
                    text[..span.open].trim().is_empty() && text[span.close_end..].trim().is_empty();
                let speaker = match attribution(text, span, mentions, analysis) {
                    Some(Subject::Pronoun) => Some(in_focus),
                    Some(Subject::Named(name)) => Some(Some(name)),
                    Some(Subject::Unknown) => Some(None),
                    None if whole_block => previous_speaker.clone(),
                    None => None,
                };
                let Some(speaker) = speaker else {
                    continue;
                };
                // The speaker is in focus now, named or not.
                named.push(Focus {
                    block: b,
                    offset: span.open,
                    name: speaker.clone(),
                    subject: true,
                });
                named.sort_by_key(|f| f.offset);
                this_block_speaker = Some(speaker.clone());
                out.push(Quotation {
                    text: inner.trim_end_matches(',').trim_end().to_owned(),
                    speaker,
                    post: block.post,
                });
            }
            previous_speaker = this_block_speaker;
            focus.extend(named);
            debug_assert!(focus.iter().all(|f| f.block <= b));
        }
    }
    out
}

/// Who a speech verb says spoke.
enum Subject {
    /// A pronoun: the person in focus.
    Pronoun,
    /// A name or a resolved descriptor.
    Named(String),
    /// A speech verb with no subject that resolves to a name ("my doctor said").
    Unknown,
}

/// The attribution of the quotation at `span`: after it, else before it in its sentence.
fn attribution(
    text: &str,
    span: &Span,
    mentions: &[Mention],
    analysis: &Analysis,
) -> Option<Subject> {
    let p = &*PATTERNS;
    if let Some(caps) = p.after.captures(&text[span.close_end..]) {
        if caps.name("inv").is_some() {
            return Some(Subject::Pronoun);
        }
        for n in 1..=2 {
            if caps.name(&format!("pron{n}")).is_some() {
                return Some(Subject::Pronoun);
            }
            if let Some(d) = caps.name(&format!("desc{n}")) {
                return Some(
                    resolve_descriptor(d.as_str(), analysis)
                        .map_or(Subject::Unknown, Subject::Named),
                );
            }
            if let Some(name) = caps.name(&format!("name{n}")) {
                return Some(Subject::Named(resolve_name(name.as_str(), analysis)));
            }
        }
        return Some(Subject::Unknown);
    }
    // The sentence before the quotation: back to the previous quotation or sentence end.
    let before = &text[..span.open];
    let clause_start = before
        .rfind(['.', '!', '?', '"', '”', '“', '»', '«', '„'])
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let clause = &before[clause_start..];
    let trimmed = clause.trim_end();
    let verb = p.verb.find_iter(clause).last()?;
    // Only a verb at the clause's end, or a few words before a colon or comma ("told
    // reporters on Monday:"), introduces it.
    let tail = clause[verb.end()..].trim();
    let tail_words = tail.split_whitespace().count();
    if !(tail.is_empty()
        || (trimmed.ends_with([':', ',']) && tail_words <= 5 && !tail.contains(';')))
    {
        return None;
    }
    let head = &clause[..verb.start()];
    if let Some(caps) = p.subject_before.captures(head) {
        if caps.name("pron1").is_some() {
            return Some(Subject::Pronoun);
        }
        if let Some(d) = caps.name("desc1")
            && let Some(name) = resolve_descriptor(d.as_str(), analysis)
        {
            return Some(Subject::Named(name));
        }
        if let Some(name) = caps.name("name1")
            && (clause_start + name.start() > 0 || !GAZETTEER.stopwords.contains(name.as_str()))
        {
            let resolved = resolve_name(name.as_str(), analysis);
            if !GAZETTEER.stopwords.contains(resolved.as_str()) {
                return Some(Subject::Named(resolved));
            }
        }
    }
    // Further back in the clause: the nearest person or pronoun before the verb.
    let limit = clause_start + verb.start();
    let person = mentions
        .iter()
        .filter(|m| m.start >= clause_start && m.end <= limit)
        .rev()
        .find_map(|m| person_name(m, analysis).map(|n| (m.start, n)));
    let pronoun = p
        .pronoun
        .find_iter(head)
        .last()
        .map(|m| clause_start + m.start());
    match (person, pronoun) {
        (Some((at, _)), Some(pr)) if pr > at => Some(Subject::Pronoun),
        (Some((_, name)), _) => Some(Subject::Named(name)),
        (None, Some(_)) => Some(Subject::Pronoun),
        // Nobody before the verb: the subject follows it ("According to him:").
        (None, None) => Some(subject_after(&clause[verb.end()..], analysis)),
    }
}

/// The subject right after a speech verb, else unknown.
fn subject_after(rest: &str, analysis: &Analysis) -> Subject {
    let Some(caps) = PATTERNS.subject_after.captures(rest) else {
        return Subject::Unknown;
    };
    if caps.name("pron1").is_some() {
        Subject::Pronoun
    } else if let Some(d) = caps.name("desc1") {
        resolve_descriptor(d.as_str(), analysis).map_or(Subject::Unknown, Subject::Named)
    } else if let Some(name) = caps.name("name1") {
        Subject::Named(resolve_name(name.as_str(), analysis))
    } else {
        Subject::Unknown
    }
}

/// The full name of a person mention, when it is a person the thread names.
fn person_name(m: &Mention, analysis: &Analysis) -> Option<String> {
    if m.kind != EntityKind::Person {
        return None;
    }
    analysis
        .resolver
        .resolve(&m.name)
        .or_else(|| (m.evidence == Evidence::Strong).then(|| m.name.clone()))
}

/// A speaker's name as written, resolved to the thread's full form when there is one.
fn resolve_name(name: &str, analysis: &Analysis) -> String {
    analysis.resolver.resolve(name).unwrap_or_else(|| {
        // Without a full form, the name without its honorific.
        let g = &*GAZETTEER;
        let mut rest = name.trim();
        while let Some(r) = g.honorifics.iter().find_map(|h| {
            rest.strip_prefix(h.as_str())
                .map(|r| r.trim_start_matches('.'))
                .filter(|r| r.starts_with(char::is_whitespace))
        }) {
            rest = r.trim_start();
        }
        rest.to_owned()
    })
}

/// True when the name at `at` opens a sentence or clause, titles before it included
/// ("…, Prince Andrew has", "Russian President Vladimir Putin said"): a subject, most likely.
fn opens_clause(text: &str, at: usize) -> bool {
    let g = &*GAZETTEER;
    let mut before = text[..at].trim_end_matches([' ', '\t']);
    for _ in 0..3 {
        // The last word, and what is before it with the whitespace that ends it.
        let cut = before
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let (rest, last) = before.split_at(cut);
        let title = last.trim_end_matches('.');
        let is_title = title.starts_with(char::is_uppercase)
            && (g
                .honorifics
                .iter()
                .any(|h| h.trim_end_matches('.') == title)
                || g.place_of_modifier(title).is_some());
        if !is_title {
            break;
        }
        before = rest.trim_end_matches([' ', '\t']);
    }
    // A line break ends a line of text-scrape or a paragraph of a block: a new clause.
    if before.ends_with('\n') {
        return true;
    }
    let before = before.trim_end();
    before.is_empty() || before.ends_with(['.', '!', '?', ',', ';', ':', '"', '”', '“', '»', '«'])
}

/// The person a descriptor ("the Russian president", "le président russe") stands for: a
/// person the thread names right after that role and nationality ("Russian President
/// Vladimir Putin", "North Korea's leader Kim Jong Un"), the most mentioned if several.
fn resolve_descriptor(descriptor: &str, analysis: &Analysis) -> Option<String> {
    let key = descriptor
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if let Some(known) = analysis.descriptors.borrow().get(&key) {
        return known.clone();
    }
    let resolved = resolve_descriptor_uncached(&key, analysis);
    analysis
        .descriptors
        .borrow_mut()
        .insert(key, resolved.clone());
    resolved
}

/// [`resolve_descriptor`] without the cache; `lower` is the descriptor in lower case.
fn resolve_descriptor_uncached(lower: &str, analysis: &Analysis) -> Option<String> {
    let g = &*GAZETTEER;
    let words: Vec<&str> = lower.split_whitespace().skip(1).collect();
    let role = g.roles.iter().find(|r| lower.contains(r.as_str()))?.clone();
    let role_words: Vec<&str> = role.split_whitespace().collect();
    // The words before the role modify it; of the one after it only a nationality does
    // ("le président russe"), not a verb ("the president said").
    let at = words
        .windows(role_words.len())
        .position(|w| w == role_words.as_slice())
        .unwrap_or(words.len());
    let mut modifiers: Vec<&str> = words[..at].to_vec();
    if let Some(after) = words.get(at + role_words.len())
        && g.place_of_modifier(after).is_some()
    {
        modifiers.push(after);
    }
    let place = g
        .place_of_modifier(&modifiers.join(" "))
        .or_else(|| modifiers.iter().find_map(|m| g.place_of_modifier(m)));
    if place.is_none() && !modifiers.is_empty() {
        // A modifier that is not a nationality ("the former president") says too little.
        return None;
    }
    let mut found: Vec<String> = Vec::new();
    for block in &analysis.blocks {
        let text = block.text.as_str();
        for m in &block.mentions {
            let Some(name) = person_name(m, analysis) else {
                continue;
            };
            // The words since the last punctuation before the name: its title.
            let lead = &text[..m.start];
            let from = lead
                .rfind([',', ';', '.', ':', '(', '!', '?'])
                .map_or(0, |i| i + 1);
            let title = lead[from..].to_lowercase();
            let has_role = title
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .collect::<Vec<_>>()
                .windows(role_words.len())
                .any(|w| w == role_words.as_slice());
            let has_place = place.is_none_or(|p| {
                g.places[p]
                    .forms_lower
                    .iter()
                    .any(|f| title.contains(f.as_str()))
            });
            if has_role && has_place {
                found.push(name);
            }
        }
    }
    let mut best: Option<(&String, usize)> = None;
    for name in &found {
        let n = found.iter().filter(|f| *f == name).count();
        if best.is_none_or(|(_, bn)| n > bn) {
            best = Some((name, n));
        }
    }
    best.map(|(name, _)| name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadmill_model::{Format, Post, Source, Thread};

    fn run(blocks: &[&str]) -> Vec<Quotation> {
        let mut thread = Thread::new(Source::unnamed(Format::Text));
        thread
            .posts
            .push(Post::of_paragraphs(0, blocks.iter().copied()));
        let analysis = crate::entities::analyse(&thread);
        find_quotations(&analysis)
    }

    fn pairs(quotes: &[Quotation]) -> Vec<(&str, Option<&str>)> {
        quotes
            .iter()
            .map(|q| (q.text.as_str(), q.speaker.as_deref()))
            .collect()
    }

    #[test]
    fn news_style_attributions() {
        let quotes = run(&[
            "Russian President Vladimir Putin met North Korea's leader Kim Jong Un on Tuesday.",
            "\"We will always support the decisions of President Putin,\" Kim told Mr Putin.",
            "Kim also said he was \"convinced\" of victory.",
            "\"The army will certainly win a great victory,\" he added.",
            "Speaking after the visit, the Russian president drew a parallel.",
            "\"Peter the Great waged the Great Northern War for 21 years,\" he said.",
            "\"It would seem that he was at war with Sweden.\"",
            "Asked about satellites, Mr Putin was quoted by state media as saying: \"That's why we have come here.\"",
        ]);
        assert_eq!(
            pairs(&quotes),
            [
                (
                    "We will always support the decisions of President Putin",
                    Some("Kim Jong Un")
                ),
                (
                    "The army will certainly win a great victory",
                    Some("Kim Jong Un")
                ),
                (
                    "Peter the Great waged the Great Northern War for 21 years",
                    Some("Vladimir Putin")
                ),
                (
                    "It would seem that he was at war with Sweden.",
                    Some("Vladimir Putin")
                ),
                ("That's why we have come here.", Some("Vladimir Putin")),
            ]
        );
    }

    #[test]
    fn other_languages() {
        let quotes = run(&[
            "Bundeskanzler Olaf Scholz besuchte Kiew. „Wir stehen fest an der Seite der Ukraine“, sagte Scholz.",
            "« Nous ne céderons rien à la menace », a déclaré Emmanuel Macron.",
            "« La France sera toujours là », a-t-il ajouté.",
            "Premier Mark Rutte was duidelijk. \"Nederland blijft Oekraïne steunen\", zei Rutte.",
            "Rutte zei: \"Wij laten Oekraïne niet in de steek.\"",
        ]);
        assert_eq!(
            pairs(&quotes),
            [
                (
                    "Wir stehen fest an der Seite der Ukraine",
                    Some("Olaf Scholz")
                ),
                ("Nous ne céderons rien à la menace", Some("Emmanuel Macron")),
                ("La France sera toujours là", Some("Emmanuel Macron")),
                ("Nederland blijft Oekraïne steunen", Some("Mark Rutte")),
                ("Wij laten Oekraïne niet in de steek.", Some("Mark Rutte")),
            ]
        );
    }

    #[test]
    fn fragments_titles_and_unattributed_text_are_not_quotations() {
        let quotes = run(&[
            "He has described it as the \"fight against imperialism\".",
            "I watched \"The Lord Of The Rings\" again.",
            "The sign said nothing. \"Check on startup\" is an option.",
        ]);
        assert!(quotes.is_empty(), "{quotes:?}");
    }

    #[test]
    fn lead_ins_and_appositions() {
        let quotes = run(&[
            "\"Liquid water is somewhat hard to find beyond Earth,\" study lead author Lucas Paganini, a planetary scientist at NASA's Goddard Space Flight Center in Greenbelt, Maryland, said in a statement.",
            "\"We have found the next best thing,\" Paganini added.",
            "He later told the BBC interviewer: \"I took the judgement call that this was serious.\"",
        ]);
        assert_eq!(
            pairs(&quotes),
            [
                (
                    "Liquid water is somewhat hard to find beyond Earth",
                    Some("Lucas Paganini")
                ),
                ("We have found the next best thing", Some("Lucas Paganini")),
                (
                    "I took the judgement call that this was serious.",
                    Some("Lucas Paganini")
                ),
            ]
        );
    }

    #[test]
    fn an_unnamed_subject_takes_the_focus() {
        let quotes = run(&[
            "Governor Oluwarotimi Akeredolu declined. Read also: Akeredolu releases convicts.",
            "The top official said Akeredolu gave free hands to his deputy. According to him: \"Akeredolu trusted the deputy to handle political matters.\"",
        ]);
        assert_eq!(
            pairs(&quotes),
            [(
                "Akeredolu trusted the deputy to handle political matters.",
                None
            )]
        );
    }

    #[test]
    fn descriptors_with_and_without_nationality() {
        let quotes = run(&[
            "President Emmanuel Macron spoke in Paris.",
            "\"We will stand by Ukraine for as long as it takes,\" the president said.",
            "Le président russe Vladimir Poutine a répondu.",
            "« Nous ne reculerons pas devant la menace », a déclaré le président russe.",
        ]);
        assert_eq!(
            pairs(&quotes),
            [
                (
                    "We will stand by Ukraine for as long as it takes",
                    Some("Emmanuel Macron")
                ),
                (
                    "Nous ne reculerons pas devant la menace",
                    Some("Vladimir Poutine")
                ),
            ]
        );
    }

    #[test]
    fn unresolved_speakers_are_null() {
        let quotes = run(&["\"You need to rest more often,\" my doctor said."]);
        assert_eq!(pairs(&quotes), [("You need to rest more often", None)]);
    }
}
