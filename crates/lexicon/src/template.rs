//! Templates such as `"Post by {author} » {date}"` compiled to anchored matchers.
//!
//! A template reads as the regex `(?i)^\s*Post\s*by\s*(?P<author>.{1,80}?)\s*»\s*(?P<date>.*?)\s*$`
//! (the tests keep that translation and check the matcher against it), but runs on its own
//! small backtracking matcher: a template is a handful of literal letters, white space
//! runs and placeholders, and the regex engines cost thousands of instructions per line
//! and a compile per template, most of it spent on Unicode case folding and the
//! any-character automaton.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, HirKind};

/// The most characters an `{author}` placeholder takes.
pub(crate) const MAX_AUTHOR_CHARS: usize = 80;

/// What a placeholder matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Between `min` and `max` characters other than a line feed, the fewest first (the
    /// regex `.{min,max}?`).
    Lazy { min: usize, max: Option<usize> },
    /// A decimal digit, then digits and `.,'`, the most first (the regex `\d[\d.,']*`).
    Number,
}

/// The placeholders a template may use, and what each matches.
const PLACEHOLDERS: &[(&str, Shape)] = &[
    (
        "author",
        Shape::Lazy {
            min: 1,
            max: Some(MAX_AUTHOR_CHARS),
        },
    ),
    ("date", Shape::Lazy { min: 0, max: None }),
    ("n", Shape::Number),
    ("total", Shape::Number),
    ("count", Shape::Number),
    ("value", Shape::Lazy { min: 1, max: None }),
    ("board", Shape::Lazy { min: 1, max: None }),
    ("title", Shape::Lazy { min: 1, max: None }),
];

/// A template turned into a matcher, with how specific it is.
pub(crate) struct CompiledTemplate {
    pub(crate) matcher: Matcher,
    /// Non-space characters of literal text: more is a more specific match.
    pub(crate) literal_len: usize,
    /// The longest run of literal text without white space, lower-cased: a line can only
    /// match the template if it contains this, which makes it the prefilter's key.
    pub(crate) anchor: String,
}

/// One step of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// Letters, each in any case: a letter is the list of every character Unicode simple
    /// case folding makes equal to it, as the `(?i)` regex compares them.
    Letters(Vec<Box<[char]>>),
    /// Any run of white space, the longest first (the regex `\s*`).
    Space,
    /// The placeholder at this index of [`PLACEHOLDERS`].
    Field(usize),
}

/// Where each placeholder matched in a line, by byte range.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Spans([Option<(usize, usize)>; PLACEHOLDERS.len()]);

impl Spans {
    /// The range the placeholder `name` matched, if the template has it.
    pub(crate) fn get(&self, name: &str) -> Option<Range<usize>> {
        let index = PLACEHOLDERS.iter().position(|(known, _)| *known == name)?;
        self.0[index].map(|(start, end)| start..end)
    }
}

/// A compiled template: matches a whole line, as the template's regex would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Matcher {
    steps: Vec<Step>,
    /// What a matching line starts and ends with, checked before the search.
    ends: LiteralEnds,
}

impl Matcher {
    /// The placeholders' spans when the template matches all of `line`. Of several ways
    /// to match, this takes the one the regex takes: placeholders as short as they can
    /// be from the left, numbers and white space as long as they can be.
    pub(crate) fn captures(&self, line: &str) -> Option<Spans> {
        if !self.ends.admit(line) {
            return None;
        }
        let mut search = Search {
            steps: &self.steps,
            line,
            failed: vec![0; (self.steps.len() * (line.len() + 1)).div_ceil(64)],
            spans: Spans::default(),
        };
        search.at(0, 0).then_some(search.spans)
    }
}

/// One backtracking search. A step tried at a position and failed fails there again
/// whatever came before it, so `failed` remembers it: every (step, position) pair is
/// searched once, and a placeholder's loop over where it ends costs one lookup per
/// place. A line costs at most steps × length² lookups, never an exponential number of
/// tries (lines reach the matcher with at most 1,000 bytes).
struct Search<'a> {
    steps: &'a [Step],
    line: &'a str,
    failed: Vec<u64>,
    spans: Spans,
}

impl Search<'_> {
    fn at(&mut self, step: usize, pos: usize) -> bool {
        let Some(current) = self.steps.get(step) else {
            return pos == self.line.len();
        };
        let bit = step * (self.line.len() + 1) + pos;
        if self.failed[bit / 64] & (1 << (bit % 64)) != 0 {
            return false;
        }
        let found = match current {
            Step::Letters(letters) => {
                let mut end = pos;
                let mut chars = self.line[pos..].chars();
                let all = letters.iter().all(|folds| {
                    chars.next().is_some_and(|c| {
                        end += c.len_utf8();
                        folds.contains(&c)
                    })
                });
                all && self.at(step + 1, end)
            }
            Step::Space => {
                let run = self.run_end(pos, char::is_whitespace);
                self.longest_first(pos, run, |this, end| this.at(step + 1, end))
            }
            Step::Field(index) => self.field(step, pos, *index),
        };
        if !found {
            self.failed[bit / 64] |= 1 << (bit % 64);
        }
        found
    }

    fn field(&mut self, step: usize, pos: usize, index: usize) -> bool {
        let matched = |this: &mut Self, end: usize| {
            let found = this.at(step + 1, end);
            if found {
                this.spans.0[index] = Some((pos, end));
            }
            found
        };
        match PLACEHOLDERS[index].1 {
            Shape::Lazy { min, max } => {
                let mut taken = 0;
                let mut end = pos;
                let mut chars = self.line[pos..].chars();
                loop {
                    if taken >= min && matched(self, end) {
                        return true;
                    }
                    if max.is_some_and(|max| taken == max) {
                        return false;
                    }
                    match chars.next() {
                        Some(c) if c != '\n' => {
                            taken += 1;
                            end += c.len_utf8();
                        }
                        _ => return false,
                    }
                }
            }
            Shape::Number => {
                let Some(first) = self.line[pos..]
                    .chars()
                    .next()
                    .filter(|&c| is_decimal_digit(c))
                else {
                    return false;
                };
                let first_end = pos + first.len_utf8();
                let run = self.run_end(first_end, |c| {
                    is_decimal_digit(c) || matches!(c, '.' | ',' | '\'')
                });
                self.longest_first(first_end, run, matched)
            }
        }
    }

    /// Where the run of characters `in_run` from `pos` on ends.
    fn run_end(&self, pos: usize, in_run: impl Fn(char) -> bool) -> usize {
        self.line[pos..]
            .char_indices()
            .find(|&(_, c)| !in_run(c))
            .map_or(self.line.len(), |(i, _)| pos + i)
    }

    /// A greedy run (`\s*`, the tail of `\d[\d.,']*`): `rest` is tried after the longest
    /// run first, then one character shorter each time, down to `shortest`.
    fn longest_first(
        &mut self,
        shortest: usize,
        longest: usize,
        mut rest: impl FnMut(&mut Self, usize) -> bool,
    ) -> bool {
        let mut end = longest;
        loop {
            if rest(self, end) {
                return true;
            }
            if end == shortest {
                return false;
            }
            end = self.line.floor_char_boundary(end - 1);
        }
    }
}

/// Unicode decimal digits (`Nd`), the regex's `\d`.
fn is_decimal_digit(c: char) -> bool {
    static DIGITS: LazyLock<Vec<(char, char)>> = LazyLock::new(|| unicode_class(r"\d"));
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    let after = DIGITS.partition_point(|&(_, end)| end < c);
    DIGITS.get(after).is_some_and(|&(start, _)| start <= c)
}

/// The ranges of a Unicode class as the regex crate defines it.
fn unicode_class(class: &str) -> Vec<(char, char)> {
    match regex_syntax::parse(class).map(regex_syntax::hir::Hir::into_kind) {
        Ok(HirKind::Class(Class::Unicode(class))) => class
            .ranges()
            .iter()
            .map(|r| (r.start(), r.end()))
            .collect(),
        _ => Vec::new(),
    }
}

/// Every character Unicode simple case folding makes equal to `c`, `c` first.
fn case_folds(c: char) -> Box<[char]> {
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    class.case_fold_simple();
    std::iter::once(c)
        .chain(
            class
                .ranges()
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .filter(|&other| other != c),
        )
        .collect()
}

/// The letters of a template's literal text before its first placeholder and after its
/// last: a line the template matches starts and ends with them, in any case and ignoring
/// white space. Checking that costs a few character comparisons, where the search costs
/// a walk of the line, and most lines the anchor lets through fail it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LiteralEnds {
    head: Vec<Box<[char]>>,
    tail: Vec<Box<[char]>>,
}

impl LiteralEnds {
    /// The ends of the template made of `steps`.
    fn of(steps: &[Step]) -> Self {
        let letters = |steps: &[Step]| -> Vec<Box<[char]>> {
            steps
                .iter()
                .filter_map(|step| match step {
                    Step::Letters(letters) => Some(letters.iter().cloned()),
                    Step::Space | Step::Field(_) => None,
                })
                .flatten()
                .collect()
        };
        let is_field = |step: &Step| matches!(step, Step::Field(_));
        let first_field = steps.iter().position(is_field).unwrap_or(steps.len());
        let after_last_field = steps.iter().rposition(is_field).map_or(0, |i| i + 1);
        Self {
            head: letters(&steps[..first_field]),
            tail: letters(&steps[after_last_field..]),
        }
    }

    /// False only when the template cannot match `line`.
    pub(crate) fn admit(&self, line: &str) -> bool {
        let visible = |c: &char| !c.is_whitespace();
        starts_with_letters(line.chars().filter(visible), &self.head)
            && starts_with_letters(line.chars().rev().filter(visible), self.tail.iter().rev())
    }
}

fn starts_with_letters<'a>(
    mut text: impl Iterator<Item = char>,
    letters: impl IntoIterator<Item = &'a Box<[char]>>,
) -> bool {
    letters
        .into_iter()
        .all(|folds| text.next().is_some_and(|got| folds.contains(&got)))
}

/// Longer templates are refused. The longest built-in one has about a hundred characters;
/// the cap bounds the matcher's recursion, one level per step.
pub(crate) const MAX_TEMPLATE_CHARS: usize = 300;

/// Compiles a template. `folds` keeps the case folds of the letters seen so far: a lexicon
/// compiles thousands of templates over a few hundred distinct letters.
pub(crate) fn compile_with(
    template: &str,
    folds: &mut HashMap<char, Box<[char]>>,
) -> Result<CompiledTemplate, String> {
    if template.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(format!("longer than {MAX_TEMPLATE_CHARS} characters"));
    }
    let mut steps = vec![Step::Space];
    let mut literal_len = 0;
    let mut seen: Vec<usize> = Vec::new();
    let mut rest = template.trim();
    if rest.is_empty() {
        return Err("empty template".into());
    }
    while !rest.is_empty() {
        let Some(open) = rest.find('{') else {
            push_literal(&mut steps, rest, &mut literal_len, folds);
            break;
        };
        push_literal(&mut steps, &rest[..open], &mut literal_len, folds);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| "unclosed '{'".to_owned())?;
        let name = &after[..close];
        let index = PLACEHOLDERS
            .iter()
            .position(|(known, _)| *known == name)
            .ok_or_else(|| format!("unknown placeholder {{{name}}}"))?;
        if seen.contains(&index) {
            return Err(format!("placeholder {{{name}}} used twice"));
        }
        seen.push(index);
        steps.push(Step::Field(index));
        rest = &after[close + 1..];
    }
    if literal_len == 0 {
        return Err("a template needs some literal text".into());
    }
    if steps.last() != Some(&Step::Space) {
        steps.push(Step::Space);
    }
    Ok(CompiledTemplate {
        matcher: Matcher {
            ends: LiteralEnds::of(&steps),
            steps,
        },
        literal_len,
        anchor: anchor(template),
    })
}

/// The longest white-space-free run of literal text (placeholders cut runs), lower-cased.
fn anchor(template: &str) -> String {
    let mut literal = String::with_capacity(template.len());
    let mut in_placeholder = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_placeholder = true;
                literal.push(' ');
            }
            '}' if in_placeholder => in_placeholder = false,
            _ if !in_placeholder => literal.push(c),
            _ => {}
        }
    }
    literal
        .split_whitespace()
        .max_by_key(|token| token.chars().count())
        .unwrap_or_default()
        .to_lowercase()
}

/// Literal text matches itself in any case, except that a run of white space matches any
/// run of white space (copies re-wrap and re-space chrome) and white space next to
/// punctuation such as `:` or `»` is optional.
fn push_literal(
    steps: &mut Vec<Step>,
    literal: &str,
    literal_len: &mut usize,
    folds: &mut HashMap<char, Box<[char]>>,
) {
    for c in literal.chars() {
        if c.is_whitespace() {
            if steps.last() != Some(&Step::Space) {
                steps.push(Step::Space);
            }
            continue;
        }
        *literal_len += 1;
        let letter = folds.entry(c).or_insert_with(|| case_folds(c)).clone();
        match steps.last_mut() {
            Some(Step::Letters(letters)) => letters.push(letter),
            _ => steps.push(Step::Letters(vec![letter])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy as _;

    fn compile(template: &str) -> Result<CompiledTemplate, String> {
        compile_with(template, &mut HashMap::new())
    }

    /// The regex a template stands for: the specification the matcher is checked against.
    fn reference_regex(template: &str) -> regex::Regex {
        let classes = [
            ("author", format!(".{{1,{MAX_AUTHOR_CHARS}}}?")),
            ("date", ".*?".to_owned()),
            ("n", r"\d[\d.,']*".to_owned()),
            ("total", r"\d[\d.,']*".to_owned()),
            ("count", r"\d[\d.,']*".to_owned()),
            ("value", ".+?".to_owned()),
            ("board", ".+?".to_owned()),
            ("title", ".+?".to_owned()),
        ];
        let literal = |text: &str| {
            let mut out = String::new();
            let mut in_space = false;
            for c in text.chars() {
                if c.is_whitespace() {
                    if !in_space {
                        out.push_str(r"\s*");
                    }
                    in_space = true;
                } else {
                    in_space = false;
                    out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4])));
                }
            }
            out
        };
        let mut pattern = String::from(r"(?i)^\s*");
        let mut rest = template.trim();
        while let Some(open) = rest.find('{') {
            pattern.push_str(&literal(&rest[..open]));
            let close = open + rest[open..].find('}').expect("closed");
            let name = &rest[open + 1..close];
            let class = &classes.iter().find(|(n, _)| *n == name).expect("known").1;
            pattern.push_str(&["(?P<", name, ">", class, ")"].concat());
            rest = &rest[close + 1..];
        }
        pattern.push_str(&literal(rest));
        pattern.push_str(r"\s*$");
        regex::Regex::new(&pattern).expect("valid regex")
    }

    type Fields = Vec<(String, (usize, usize))>;

    /// Each placeholder's span as the matcher finds it.
    fn matcher_fields(template: &str, line: &str) -> Option<Fields> {
        let spans = compile(template).expect("valid").matcher.captures(line)?;
        Some(
            PLACEHOLDERS
                .iter()
                .filter_map(|(name, _)| {
                    let span = spans.get(name)?;
                    Some(((*name).to_owned(), (span.start, span.end)))
                })
                .collect(),
        )
    }

    /// Each placeholder's span as the reference regex finds it.
    fn regex_fields(template: &str, line: &str) -> Option<Fields> {
        let re = reference_regex(template);
        let caps = re.captures(line)?;
        Some(
            PLACEHOLDERS
                .iter()
                .filter_map(|(name, _)| {
                    let m = caps.name(name)?;
                    Some(((*name).to_owned(), (m.start(), m.end())))
                })
                .collect(),
        )
    }

    fn texts(line: &str, fields: Option<Fields>) -> Option<Vec<(String, String)>> {
        Some(
            fields?
                .into_iter()
                .map(|(name, (start, end))| (name, line[start..end].to_owned()))
                .collect(),
        )
    }

    fn matches(template: &str, line: &str) -> Option<Vec<(String, String)>> {
        let got = matcher_fields(template, line);
        assert_eq!(
            got,
            regex_fields(template, line),
            "{template:?} on {line:?}"
        );
        texts(line, got)
    }

    #[test]
    fn placeholders_capture_fields() {
        let got = matches(
            "Post by {author} » {date}",
            "Post by  Ann Lee »  Sun Mar 06, 2016",
        );
        assert_eq!(
            got,
            Some(vec![
                ("author".into(), "Ann Lee".into()),
                ("date".into(), "Sun Mar 06, 2016".into())
            ])
        );
    }

    #[test]
    fn literals_are_case_insensitive_and_anchored() {
        assert!(matches("Posts: {n}", "POSTS: 12").is_some());
        assert!(matches("Posts: {n}", "Posts:12").is_some());
        assert!(matches("Posts: {n}", "Total Posts: 12").is_none());
        assert!(matches("Top", "Top of the morning").is_none());
        assert!(matches("Top", "  tOP ").is_some());
    }

    #[test]
    fn letters_fold_as_the_regex_folds_them() {
        assert!(matches("Straße {n}", "STRAẞE 5").is_some());
        assert!(matches("Kelvin {n}", "\u{212A}elvin 5").is_some());
        assert!(matches("ΣΟΦΙΑ {n}", "σοφια 5").is_some());
        assert!(matches("ΣΟΦΙΑ {n}", "ςοφια 5").is_some());
        assert!(matches("Mess {n}", "Meſs 5").is_some());
        assert!(matches("Straße {n}", "STRASSE 5").is_none());
        assert!(matches("Posts: {n}", "Posts: ٣٤٥").is_some());
        assert!(matches("Posts: {n}", "Posts: ¾").is_none());
    }

    #[test]
    fn placeholders_take_the_regexs_choice() {
        // The first " - " ends the value, unless the author would be too long.
        let author = "y".repeat(MAX_AUTHOR_CHARS);
        let line = format!("a - bb - {author}");
        let got = matches("{value} - {author}", &line).unwrap_or_default();
        let value = got.iter().find(|(name, _)| name == "value");
        assert_eq!(value.map(|(_, text)| text.as_str()), Some("a - bb"));
        assert!(matches("{value} - {author}", &format!("a - y{author}")).is_none());
        // Numbers take all they can.
        assert_eq!(
            matches("{n} of {total}", "1,234 of 5'678.9"),
            Some(vec![
                ("n".into(), "1,234".into()),
                ("total".into(), "5'678.9".into())
            ])
        );
        // No placeholder crosses a line feed.
        assert!(matches("Re: {title}", "Re: one\ntwo").is_none());
        assert!(matches("Joined: {date}", "Joined:").is_some());
        assert!(matches("Re: {title}", "Re:").is_none());
    }

    proptest::proptest! {
        /// The matcher finds what the template's regex finds, with the same spans: lines
        /// are made of the template's own literal text, re-cased and re-spaced, with
        /// words, digits, separators, line feeds and odd letters between.
        #[test]
        fn the_matcher_matches_as_the_regex(
            template in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec![
                        "{author}", "{date}", "{n}", "{total}", "{value}", "{title}",
                    ]).prop_map(str::to_owned),
                    "[a-zA-Zß:»\\-]{1,5}",
                    proptest::sample::select(vec![" ", " - ", ": ", " by "])
                        .prop_map(str::to_owned),
                ],
                1..7,
            ),
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    "[a-zA-Zß:»\\-]{1,5}",
                    "[0-9.,' ]{1,6}",
                    "[ \t\u{a0}]{1,3}",
                    "[\\PC\n]{0,8}",
                    "[\u{212A}ſẞσςΣ٣]{1,2}",
                ],
                0..12,
            ),
            upper in proptest::bool::ANY,
        ) {
            let template = template.concat();
            let Ok(_) = compile(&template) else { return Ok(()); };
            // Lines built from the template's literal text match often enough to matter.
            let mut line = String::new();
            let mut rest = template.as_str();
            let mut fillers = pieces.iter();
            while let Some(open) = rest.find('{') {
                line.push_str(&rest[..open]);
                line.push_str(fillers.next().map_or("", String::as_str));
                rest = &rest[open + rest[open..].find('}').unwrap_or(0) + 1..];
            }
            line.push_str(rest);
            for filler in fillers {
                line.push_str(filler);
            }
            let line = if upper { line.to_uppercase() } else { line };
            proptest::prop_assert_eq!(
                matcher_fields(&template, &line),
                regex_fields(&template, &line),
                "{:?} on {:?}", template, line
            );
            let everything: String = pieces.concat();
            proptest::prop_assert_eq!(
                matcher_fields(&template, &everything),
                regex_fields(&template, &everything)
            );
        }
    }

    #[test]
    fn anchors_are_the_longest_literal_run() {
        assert_eq!(
            compile("Post by {author} » {date}").expect("valid").anchor,
            "post"
        );
        assert_eq!(
            compile("Lid geworden op: {date}").expect("valid").anchor,
            "geworden"
        );
        assert_eq!(compile("{author} wrote:").expect("valid").anchor, "wrote:");
        assert_eq!(
            compile("Terug naar “{board}”").expect("valid").anchor,
            "terug"
        );
    }

    #[test]
    fn literal_ends_admit_every_line_the_regex_matches() {
        let cases = [
            ("Post by {author} » {date}", "  post BY Ann » today"),
            ("{author} wrote:", "Ann Lee   WROTE :"),
            ("Posts: {n}", "Posts:12"),
            ("Top", " TOP "),
            ("Сообщения: {n}", "СООБЩЕНИЯ: 5"),
            ("Straße {n}", "STRASSE 5"),
            ("Kelvin {n}", "\u{212A}elvin 5"),
            ("ΣΟΦΙΑ {n}", "σοφια 5"),
            ("ΣΟΦΙΑ {n}", "ςοφια 5"),
        ];
        for (template, line) in cases {
            let compiled = compile(template).expect("valid template");
            if reference_regex(template).is_match(line) {
                assert!(
                    compiled.matcher.ends.admit(line),
                    "{template:?} refused {line:?}"
                );
            }
        }
    }

    proptest::proptest! {
        /// The check in front of the matcher never refuses a line the regex matches: lines
        /// are made from the template's own literal text, re-cased and re-spaced, with
        /// arbitrary text for placeholders.
        #[test]
        fn literal_ends_never_refuse_a_match(
            words in proptest::collection::vec("[a-zA-ZäöüßÄÖÜσςΣкК:»\\-]{1,6}", 1..4),
            placeholder_at in 0_usize..4,
            filler in "\\PC{0,12}",
            upper in proptest::bool::ANY,
            spaces in " {0,2}",
        ) {
            let mut template_words = words.clone();
            let at = placeholder_at.min(template_words.len());
            template_words.insert(at, "{value}".to_owned());
            let template = template_words.join(" ");
            let line_words: Vec<String> = words
                .iter()
                .map(|w| if upper { w.to_uppercase() } else { w.to_lowercase() })
                .collect();
            let mut parts = line_words.clone();
            parts.insert(at, filler.clone());
            let line = parts.join(&format!(" {spaces}"));
            let compiled = compile(&template).expect("valid template");
            if reference_regex(&template).is_match(&line) {
                proptest::prop_assert!(compiled.matcher.ends.admit(&line), "{template:?} refused {line:?}");
            }
        }
    }

    #[test]
    fn literal_ends_refuse_lines_with_other_ends() {
        let ends = |t: &str| compile(t).expect("valid template").matcher.ends;
        assert!(!ends("Posts: {n}").admit("Total Posts: 12"));
        assert!(!ends("{author} wrote:").admit("Ann wrote: hello"));
        assert!(!ends("Top").admit("Top of the morning"));
        assert!(!ends("Re: {title}").admit("R"));
        assert!(ends("Re: {title}").admit("RE:x"));
    }

    #[test]
    fn bad_templates_are_refused() {
        assert!(compile("").is_err());
        assert!(compile("{author}").is_err());
        assert!(compile("{who} wrote").is_err());
        assert!(compile("{author} and {author}").is_err());
        assert!(compile("Posts: {n").is_err());
        assert!(compile(&"x".repeat(MAX_TEMPLATE_CHARS + 1)).is_err());
    }

    #[test]
    fn regex_metacharacters_are_literal() {
        assert!(matches("Re: {title} (1+1)", "Re: x (1+1)").is_some());
        assert!(matches("Re: {title} (1+1)", "Re: x (11)").is_none());
    }

    #[test]
    fn the_longest_template_allowed_matches_at_length() {
        let placeholders = "{date}{author}";
        let letters: String = "ßΣ\u{212A}ǅ."
            .chars()
            .cycle()
            .take(MAX_TEMPLATE_CHARS - placeholders.chars().count())
            .collect();
        let template = format!("{letters}{placeholders}");
        let line = format!("{} a b", letters.to_uppercase());
        assert_eq!(
            matcher_fields(&template, &line),
            regex_fields(&template, &line)
        );
    }
}
