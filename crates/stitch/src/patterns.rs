//! Engines' thread URL patterns, as data.

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Deserialize;

use crate::Error;

/// The patterns built into threadmill.
pub const BUILTIN_PATTERNS: &str = include_str!("../data/patterns.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternFile {
    #[serde(default)]
    pattern: Vec<PatternSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternSpec {
    engine: String,
    thread: String,
    #[serde(default)]
    page: Vec<String>,
    #[serde(default)]
    per_page: Option<u32>,
}

#[derive(Debug)]
struct Pattern {
    engine: String,
    thread: Regex,
    page: Vec<Regex>,
    per_page: u32,
}

/// What a URL (or a saved file's path) says about its thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlMatch {
    /// The engine whose pattern matched.
    pub engine: String,
    /// The thread id in the URL.
    pub thread: String,
    /// The host, lower-cased and without `www.`, when the text names one.
    pub host: Option<String>,
    /// The page number the URL names, if any (an offset already turned into a page).
    pub page: Option<u32>,
}

/// Every engine's thread URL patterns, compiled into one [`RegexSet`].
#[derive(Debug)]
pub struct UrlPatterns {
    set: RegexSet,
    patterns: Vec<Pattern>,
}

/// Collects pattern files, then compiles them.
#[derive(Debug, Default)]
pub struct UrlPatternsBuilder {
    specs: Vec<(String, PatternSpec)>,
}

impl UrlPatternsBuilder {
    /// Adds the built-in patterns.
    pub fn builtin(self) -> Result<Self, Error> {
        self.add_toml("builtin patterns.toml", BUILTIN_PATTERNS)
    }

    /// Adds the patterns of one TOML file's text; `name` is used in errors.
    pub fn add_toml(mut self, name: &str, text: &str) -> Result<Self, Error> {
        let file: PatternFile = toml::from_str(text).map_err(|source| Error::Patterns {
            name: name.to_owned(),
            source: Box::new(source),
        })?;
        self.specs
            .extend(file.pattern.into_iter().map(|p| (name.to_owned(), p)));
        Ok(self)
    }

    /// Adds a pattern file from disk.
    pub fn add_path(self, path: &std::path::Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        self.add_toml(&path.display().to_string(), &text)
    }

    /// Compiles every pattern. User files come after the built-in ones, and the first
    /// pattern that matches wins, so a user pattern only adds URLs the built-in ones miss.
    pub fn build(self) -> Result<UrlPatterns, Error> {
        let compile = |name: &str, re: &str| {
            RegexBuilder::new(re)
                .case_insensitive(true)
                .size_limit(1 << 20)
                .build()
                .map_err(|source| Error::Regex {
                    name: name.to_owned(),
                    source: Box::new(source),
                })
        };
        let mut patterns = Vec::with_capacity(self.specs.len());
        for (name, spec) in &self.specs {
            let thread = compile(name, &spec.thread)?;
            if !thread.capture_names().flatten().any(|n| n == "thread") {
                return Err(Error::NoThreadGroup {
                    name: name.clone(),
                    pattern: spec.thread.clone(),
                });
            }
            let page = spec
                .page
                .iter()
                .map(|p| compile(name, p))
                .collect::<Result<Vec<_>, _>>()?;
            patterns.push(Pattern {
                engine: spec.engine.clone(),
                thread,
                page,
                per_page: spec.per_page.unwrap_or(10).max(1),
            });
        }
        let set = RegexSetBuilder::new(self.specs.iter().map(|(_, s)| s.thread.as_str()))
            .case_insensitive(true)
            .size_limit(8 << 20)
            .build()
            .map_err(|source| Error::Regex {
                name: "pattern set".to_owned(),
                source: Box::new(source),
            })?;
        Ok(UrlPatterns { set, patterns })
    }
}

impl UrlPatterns {
    /// A builder, to add the built-in patterns and the user's files.
    pub fn builder() -> UrlPatternsBuilder {
        UrlPatternsBuilder::default()
    }

    /// The built-in patterns alone.
    pub fn builtin() -> Result<Self, Error> {
        Self::builder().builtin()?.build()
    }

    /// The thread a URL (or a path that holds one) belongs to, by the first pattern that
    /// matches.
    pub fn match_url(&self, url: &str) -> Option<UrlMatch> {
        // Bound the work on input-derived text: thread URLs are short.
        let url = url.get(..2048).unwrap_or(url);
        let decoded = decode_separators(url);
        let index = self.set.matches(&decoded).iter().next()?;
        let pattern = &self.patterns[index];
        let id = pattern.thread.captures(&decoded)?.name("thread")?.as_str();
        // `t=007` and `t=7` are one thread; `t=0` stays `0`.
        let trimmed = id.trim_start_matches('0');
        let thread = if trimmed.is_empty() && !id.is_empty() {
            "0"
        } else {
            trimmed
        }
        .to_owned();
        let page = pattern.page.iter().find_map(|re| {
            let caps = re.captures(&decoded)?;
            if let Some(n) = caps.name("n") {
                n.as_str().parse::<u32>().ok()
            } else {
                let start = caps.name("start")?.as_str().parse::<u64>().ok()?;
                u32::try_from(start / u64::from(pattern.per_page) + 1).ok()
            }
        });
        Some(UrlMatch {
            engine: pattern.engine.clone(),
            thread,
            host: host(&decoded),
            page: page.filter(|&n| n > 0),
        })
    }
}

/// `%3F`, `%26`, `%3D` and `%2F` back to `?`, `&`, `=` and `/`: scrapers escape them in
/// file names.
fn decode_separators(url: &str) -> String {
    if !url.contains('%') {
        return url.to_owned();
    }
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let code = rest.get(at + 1..at + 3).map(str::to_ascii_uppercase);
        let decoded = match code.as_deref() {
            Some("3F") => Some('?'),
            Some("26") => Some('&'),
            Some("3D") => Some('='),
            Some("2F") => Some('/'),
            _ => None,
        };
        if let Some(c) = decoded {
            out.push(c);
            rest = &rest[at + 3..];
        } else {
            out.push('%');
            rest = &rest[at + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// The host of a URL, or the first path component that looks like one
/// (`mirror/forum.example.com/viewtopic.php…`), lower-cased, without `www.`.
fn host(text: &str) -> Option<String> {
    let after_scheme = text.split_once("://").map_or(text, |(_, rest)| rest);
    let is_url = text.contains("://");
    let candidates: Vec<&str> = if is_url {
        after_scheme.split(['/', '?', '#']).take(1).collect()
    } else {
        after_scheme.split(['/', '\\']).collect()
    };
    candidates.into_iter().find_map(|part| {
        let part = part
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let labels: Vec<&str> = part.split('.').collect();
        let tld = labels.last().copied().unwrap_or_default();
        let looks_like_host = labels.len() >= 2
            && labels
                .iter()
                .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            && tld.len() >= 2
            && tld.chars().all(|c| c.is_ascii_alphabetic())
            && !FILE_EXTENSIONS.contains(&tld);
        looks_like_host.then(|| part.strip_prefix("www.").unwrap_or(&part).to_owned())
    })
}

/// Endings of saved files, which are not top-level domains here.
const FILE_EXTENSIONS: &[&str] = &[
    "php", "html", "htm", "txt", "asp", "aspx", "jsp", "cgi", "pl", "gz", "zst", "tar", "zip",
    "warc", "jsonl", "xz", "bz2", "tgz", "shtml", "xhtml",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn m(url: &str) -> Option<(String, String, Option<String>, Option<u32>)> {
        let patterns = UrlPatterns::builtin().expect("built-in patterns compile");
        patterns
            .match_url(url)
            .map(|m| (m.engine, m.thread, m.host, m.page))
    }

    #[test]
    fn engines_urls() {
        let cases = [
            (
                "https://www.forum.example/viewtopic.php?f=2&t=123&start=20",
                ("phpbb", "123", Some(3)),
            ),
            (
                "https://forum.example/viewtopic.php?t=123",
                ("phpbb", "123", None),
            ),
            (
                "http://forum.example/showthread.php?t=77&page=4",
                ("vbulletin", "77", Some(4)),
            ),
            (
                "https://forum.example/threads/big-cats.4511/page-2",
                ("xenforo", "4511", Some(2)),
            ),
            (
                "https://forum.example/threads/big-cats.4511/",
                ("xenforo", "4511", None),
            ),
            (
                "https://meta.example/t/some-topic/991?page=3",
                ("discourse", "991", Some(3)),
            ),
            (
                "https://meta.example/t/some-topic/991/12",
                ("discourse", "991", None),
            ),
            (
                "https://forum.example/index.php?topic=55.30",
                ("smf", "55", Some(3)),
            ),
            (
                "https://forum.example/showthread.php?tid=9&page=2",
                ("mybb", "9", Some(2)),
            ),
            (
                "https://forum.example/topic/812-cats/page/3/",
                ("invision", "812", Some(3)),
            ),
        ];
        for (url, (engine, thread, page)) in cases {
            let got = m(url).unwrap_or_else(|| panic!("{url} not matched"));
            assert_eq!(
                (got.0.as_str(), got.1.as_str(), got.3),
                (engine, thread, page),
                "{url}"
            );
        }
        assert_eq!(
            m("https://www.forum.example/viewtopic.php?t=1").and_then(|x| x.2),
            Some("forum.example".to_owned())
        );
        assert!(m("https://news.example/2024/05/article.html").is_none());
        assert_eq!(
            m("https://f.example/showthread.php?t=0").map(|x| x.1),
            Some("0".into())
        );
        assert_eq!(
            m("https://f.example/showthread.php?t=007").map(|x| x.1),
            Some("7".into())
        );
    }

    #[test]
    fn saved_file_names() {
        let got = m("mirror/forum.example/viewtopic.php%3Ft%3D12%26start%3D10.html")
            .expect("escaped name");
        assert_eq!(
            got,
            (
                "phpbb".into(),
                "12".into(),
                Some("forum.example".into()),
                Some(2)
            )
        );
        let got = m("pages/showthread.php?t=5&page=2.txt").expect("plain name");
        assert_eq!((got.1.as_str(), got.2, got.3), ("5", None, Some(2)));
    }

    #[test]
    fn user_patterns_extend_the_built_in_ones() {
        let patterns = UrlPatterns::builder()
            .builtin()
            .and_then(|b| {
                b.add_toml(
                    "mine.toml",
                    "[[pattern]]\nengine = \"myforum\"\nthread = 'msg/(?P<thread>\\d+)'\npage = ['p(?P<n>\\d+)$']\n",
                )
            })
            .and_then(UrlPatternsBuilder::build)
            .expect("compiles");
        let got = patterns
            .match_url("https://my.example/msg/42/p3")
            .expect("user pattern");
        assert_eq!((got.engine.as_str(), got.page), ("myforum", Some(3)));
        let bad = UrlPatterns::builder().add_toml(
            "bad.toml",
            "[[pattern]]\nengine = \"x\"\nthread = 'no group'\n",
        );
        assert!(matches!(
            bad.and_then(UrlPatternsBuilder::build),
            Err(Error::NoThreadGroup { .. })
        ));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(url in "\\PC{0,300}") {
            let patterns = UrlPatterns::builtin().expect("compiles");
            let _ = patterns.match_url(&url);
        }
    }
}
