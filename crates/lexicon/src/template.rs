//! Templates such as `"Post by {author} » {date}"` compiled to anchored regexes.

/// The most characters an `{author}` placeholder takes.
pub(crate) const MAX_AUTHOR_CHARS: usize = 80;

/// The placeholders a template may use, and what each matches.
const PLACEHOLDERS: &[(&str, &str)] = &[
    ("author", r".{1,80}?"),
    ("date", r".*?"),
    ("n", r"\d[\d.,']*"),
    ("total", r"\d[\d.,']*"),
    ("count", r"\d[\d.,']*"),
    ("value", r".+?"),
    ("board", r".+?"),
    ("title", r".+?"),
];

/// A template turned into a regex pattern, with how specific it is.
pub(crate) struct CompiledTemplate {
    pub(crate) pattern: String,
    /// With an `{author}`, the same pattern with the author's length left open. The bound
    /// repeats the any-character automaton eighty times, which made such a template ten
    /// times dearer to compile and to run; see [`QUICK_AUTHOR`] for why a match of this
    /// pattern whose author is short enough is the match of `pattern`.
    pub(crate) quick: Option<String>,
    /// Non-space characters of literal text: more is a more specific match.
    pub(crate) literal_len: usize,
    /// The longest run of literal text without white space, lower-cased: a line can only
    /// match the template if it contains this, which makes it the prefilter's key.
    pub(crate) anchor: String,
    /// What a matching line must start and end with.
    pub(crate) ends: LiteralEnds,
}

/// The literal text before a template's first placeholder and after its last, white space
/// removed: a line the template matches starts and ends with them, ignoring case and white
/// space. Checking that costs a few character comparisons, where the anchored regex costs
/// a run of an NFA over the line, and most lines the anchor lets through fail it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LiteralEnds {
    head: Vec<char>,
    tail: Vec<char>,
}

impl LiteralEnds {
    /// False only when the template's regex cannot match `line`.
    pub(crate) fn admit(&self, line: &str) -> bool {
        let visible = |c: &char| !c.is_whitespace();
        starts_with_folded(line.chars().filter(visible), self.head.iter().copied())
            && starts_with_folded(
                line.chars().rev().filter(visible),
                self.tail.iter().rev().copied(),
            )
    }
}

fn starts_with_folded(
    mut text: impl Iterator<Item = char>,
    literal: impl Iterator<Item = char>,
) -> bool {
    literal
        .into_iter()
        .all(|want| text.next().is_some_and(|got| same_letter(got, want)))
}

/// Whether the `(?i)` regex could take `a` for `b`. Every pair that Unicode simple case
/// folding makes equal (`k`/`K`/KELVIN SIGN, `s`/`ſ`, `σ`/`ς`/`Σ`) shares a lower-case or an
/// upper-case form, so this never refuses what the regex accepts; it may accept a little
/// more, which the regex then refuses.
fn same_letter(a: char, b: char) -> bool {
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(&b);
    }
    a.to_lowercase().eq(b.to_lowercase()) || a.to_uppercase().eq(b.to_uppercase())
}

/// Longer templates are refused. The longest built-in one has about a hundred characters,
/// and the cap keeps every pattern `compile` makes inside the regex size limits, so a
/// template `compile` accepts always compiles to a regex.
pub(crate) const MAX_TEMPLATE_CHARS: usize = 300;

/// The anchored regex of a compiled pattern, with the NFA engines only (no lazy DFA):
/// lines are short, and a lazy-DFA cache per template and thread grew to hundreds of
/// megabytes over a night's lines.
pub(crate) fn regex(
    pattern: &str,
) -> Result<regex_automata::meta::Regex, Box<regex_automata::meta::BuildError>> {
    regex_automata::meta::Regex::builder()
        .configure(regex_automata::meta::Config::new().hybrid(false).dfa(false))
        .build(pattern)
        .map_err(Box::new)
}

/// What `{author}` matches in [`CompiledTemplate::quick`]. Both quantifiers are lazy, so
/// the regex prefers the shortest author that lets the rest of the line match, under the
/// same preferences for every other placeholder. The bounded pattern's matches are those
/// of the quick one with an author of at most [`MAX_AUTHOR_CHARS`], in the same order of
/// preference; so when the quick pattern's preferred match has such an author, it is the
/// bounded pattern's preferred match too. Only when it does not must the bounded pattern run.
const QUICK_AUTHOR: &str = ".+?";

pub(crate) fn compile(template: &str) -> Result<CompiledTemplate, String> {
    if template.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(format!("longer than {MAX_TEMPLATE_CHARS} characters"));
    }
    let mut pattern = String::from(r"(?i)^\s*");
    let mut literal_len = 0;
    let mut seen: Vec<&str> = Vec::new();
    let mut ends = LiteralEnds::default();
    let mut author_class = None;
    let mut rest = template.trim();
    if rest.is_empty() {
        return Err("empty template".into());
    }
    while !rest.is_empty() {
        let Some(open) = rest.find('{') else {
            push_literal(&mut pattern, rest, &mut literal_len);
            ends.tail = rest.chars().filter(|c| !c.is_whitespace()).collect();
            if seen.is_empty() {
                ends.head.clone_from(&ends.tail);
            }
            break;
        };
        if seen.is_empty() {
            ends.head = rest[..open]
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
        }
        push_literal(&mut pattern, &rest[..open], &mut literal_len);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| "unclosed '{'".to_owned())?;
        let name = &after[..close];
        let class = PLACEHOLDERS
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, class)| *class)
            .ok_or_else(|| format!("unknown placeholder {{{name}}}"))?;
        if seen.contains(&name) {
            return Err(format!("placeholder {{{name}}} used twice"));
        }
        seen.push(name);
        pattern.push_str("(?P<");
        pattern.push_str(name);
        pattern.push('>');
        if name == "author" {
            author_class = Some(pattern.len()..pattern.len() + class.len());
        }
        pattern.push_str(class);
        pattern.push(')');
        rest = &after[close + 1..];
    }
    if literal_len == 0 {
        return Err("a template needs some literal text".into());
    }
    pattern.push_str(r"\s*$");
    let quick = author_class.map(|class| {
        [&pattern[..class.start], QUICK_AUTHOR, &pattern[class.end..]].concat()
    });
    Ok(CompiledTemplate {
        pattern,
        quick,
        literal_len,
        anchor: anchor(template),
        ends,
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

/// Literal text matches itself, except that a run of white space matches any run of white
/// space (copies re-wrap and re-space chrome) and white space next to punctuation such as
/// `:` or `»` is optional.
fn push_literal(pattern: &mut String, literal: &str, literal_len: &mut usize) {
    let mut chars = literal.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            pattern.push_str(r"\s*");
        } else {
            *literal_len += 1;
            pattern.push_str(&regex::escape(c.encode_utf8(&mut [0; 4])));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy as _;

    fn matches(template: &str, line: &str) -> Option<Vec<(String, String)>> {
        let compiled = compile(template).expect("valid template");
        let re = regex::Regex::new(&compiled.pattern).expect("valid regex");
        let caps = re.captures(line)?;
        Some(
            re.capture_names()
                .flatten()
                .filter_map(|n| caps.name(n).map(|m| (n.to_owned(), m.as_str().to_owned())))
                .collect(),
        )
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
            let re = regex::Regex::new(&compiled.pattern).expect("valid regex");
            if re.is_match(line) {
                assert!(compiled.ends.admit(line), "{template:?} refused {line:?}");
            }
        }
    }

    proptest::proptest! {
        /// The check in front of the regex never refuses a line the regex matches: lines
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
            let re = regex::Regex::new(&compiled.pattern).expect("valid regex");
            if re.is_match(&line) {
                proptest::prop_assert!(compiled.ends.admit(&line), "{template:?} refused {line:?}");
            }
        }
    }

    #[test]
    fn literal_ends_refuse_lines_with_other_ends() {
        let ends = |t: &str| compile(t).expect("valid template").ends;
        assert!(!ends("Posts: {n}").admit("Total Posts: 12"));
        assert!(!ends("{author} wrote:").admit("Ann wrote: hello"));
        assert!(!ends("Top").admit("Top of the morning"));
        assert!(!ends("Re: {title}").admit("R"));
        assert!(ends("Re: {title}").admit("RE:x"));
    }

    proptest::proptest! {
        /// Every template `compile` accepts gives a pattern that compiles: the lexicon
        /// compiles its thousands of regexes lazily and does not check them at start-up.
        #[test]
        fn accepted_templates_always_compile(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    "\\PC{0,40}",
                    "[(){}\\[\\]^$.*+?|\\\\ßσΣkKǅ\u{212A}]{0,40}",
                    proptest::sample::select(vec![
                        "{author}", "{date}", "{n}", "{total}", "{count}", "{value}",
                        "{board}", "{title}", "{other}", "{", "}",
                    ]).prop_map(str::to_owned),
                ],
                0..12,
            ),
        ) {
            let template = parts.concat();
            if let Ok(compiled) = compile(&template) {
                proptest::prop_assert!(regex(&compiled.pattern).is_ok(), "{template:?}");
            }
        }
    }

    #[test]
    fn the_longest_template_allowed_compiles() {
        let placeholders = "{date}{author}{value}";
        let filler = "ßΣ\u{212A}ǅ.".chars().cycle();
        let longest: String = filler
            .take(MAX_TEMPLATE_CHARS - placeholders.chars().count())
            .chain(placeholders.chars())
            .collect();
        let compiled = compile(&longest).expect("within the cap");
        assert!(regex(&compiled.pattern).is_ok());
        assert!(compile(&"x".repeat(MAX_TEMPLATE_CHARS + 1)).is_err());
    }

    #[test]
    fn the_author_bound_is_the_documented_one() {
        let author = PLACEHOLDERS.iter().find(|(name, _)| *name == "author");
        assert_eq!(
            author.map(|(_, class)| *class),
            Some(format!(".{{1,{MAX_AUTHOR_CHARS}}}?").as_str())
        );
        let compiled = compile("Post by {author}").expect("valid template");
        assert!(compiled.quick.is_some_and(|q| q.contains("(?P<author>.+?)")));
        assert!(compile("Posts: {n}").expect("valid").quick.is_none());
    }

    #[test]
    fn bad_templates_are_refused() {
        assert!(compile("").is_err());
        assert!(compile("{author}").is_err());
        assert!(compile("{who} wrote").is_err());
        assert!(compile("{author} and {author}").is_err());
        assert!(compile("Posts: {n").is_err());
    }

    #[test]
    fn regex_metacharacters_are_literal() {
        assert!(matches("Re: {title} (1+1)", "Re: x (1+1)").is_some());
        assert!(matches("Re: {title} (1+1)", "Re: x (11)").is_none());
    }
}
