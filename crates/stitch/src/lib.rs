//! Threads across pages: which thread a page belongs to, which page of it it is, and one
//! record stitched from a thread's pages.
//!
//! A scraper saves a long thread as many pages (`viewtopic.php?t=123&start=25`,
//! `/page-2`, `?page=3`). [`Recogniser::recognise`] gives a page record its [`PageId`]:
//! the [`ThreadKey`] (from the canonical or `og:url` URL, else the saved file's path,
//! matched against the engines' [`UrlPatterns`]; else the board and title of a page that
//! shows pagination) and its page number (from pagination chrome such as "Page 2 of 5",
//! "Pagina 2 van 5", "Seite 2 von 5" in the lexicon, else the URL). [`stitch`] merges the
//! pages of one thread into one [`Thread`]: pages in order, each post once (by post id or
//! permalink, else author, date and text), `pages` saying where each page came from and
//! `missing_pages` which pages were not there.
//!
//! URL patterns are data (`data/patterns.toml`), extendable with files of the same shape.
//!
//! ```
//! use threadmill_lexicon::Lexicon;
//! use threadmill_model::{Block, BlockKind, Format, Post, Source, Thread};
//! use threadmill_stitch::{Page, Recogniser, stitch};
//!
//! fn page(url: &str, posts: &[(&str, &str)]) -> Thread {
//!     let mut source = Source::unnamed(Format::Html);
//!     source.path = url.rsplit('/').next().unwrap_or_default().to_owned();
//!     let mut thread = Thread::new(source);
//!     thread.url = Some(url.to_owned());
//!     for (i, (id, text)) in posts.iter().enumerate() {
//!         let mut post = Post::new(i);
//!         post.id = Some((*id).to_owned());
//!         post.blocks.push(Block::new(BlockKind::Paragraph, *text));
//!         post.refresh_text();
//!         thread.posts.push(post);
//!     }
//!     thread
//! }
//!
//! let lexicon = Lexicon::builtin()?;
//! let recogniser = Recogniser::builtin()?;
//! // Page 3 first, then page 1; page 2 was never saved. vBulletin repeats the first post.
//! let three = page("https://forum.example/showthread.php?t=7&page=3", &[("1", "Hello."), ("5", "Bye.")]);
//! let one = page("https://forum.example/showthread.php?t=7", &[("1", "Hello."), ("2", "Hi!")]);
//! let mut pages = Vec::new();
//! for thread in [three, one] {
//!     let id = recogniser.recognise(&thread, &lexicon, Vec::new).expect("a thread URL");
//!     assert_eq!(id.key.as_str(), "url:forum.example/vbulletin/7");
//!     pages.push(Page { n: id.n, total: id.total, thread });
//! }
//! let thread = stitch(pages)?;
//! let texts: Vec<&str> = thread.posts.iter().map(|p| p.text.as_str()).collect();
//! assert_eq!(texts, ["Hello.", "Hi!", "Bye."]);
//! assert_eq!(thread.pages.iter().map(|p| p.n).collect::<Vec<_>>(), [1, 3]);
//! assert_eq!(thread.missing_pages, [2]);
//! assert_eq!(thread.source.path, "showthread.php?t=7");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod html;
mod merge;
mod patterns;

use std::path::PathBuf;

use threadmill_lexicon::{Label, Lexicon};
use threadmill_model::{ChromeRole, Format, Thread};

pub use html::{head_url, visible_lines};
pub use merge::{MAX_PAGES, Page, stitch};
pub use patterns::{BUILTIN_PATTERNS, UrlMatch, UrlPatterns, UrlPatternsBuilder};

/// Why patterns could not be loaded or pages not stitched.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A pattern file is not valid TOML of the expected shape.
    #[error("invalid pattern file {name}")]
    Patterns {
        /// The file.
        name: String,
        /// Why.
        #[source]
        source: Box<toml::de::Error>,
    },
    /// A pattern file could not be read.
    #[error("cannot read pattern file {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A pattern is not a valid regex.
    #[error("invalid regex in {name}")]
    Regex {
        /// The file.
        name: String,
        /// Why.
        #[source]
        source: Box<regex::Error>,
    },
    /// A `thread` regex without its `thread` group.
    #[error("pattern {pattern:?} in {name} has no (?P<thread>…) group")]
    NoThreadGroup {
        /// The file.
        name: String,
        /// The regex.
        pattern: String,
    },
    /// `stitch` was given no page.
    #[error("no page to stitch")]
    NoPages,
    /// Two pages with different posts claim one page number: two threads, not one.
    #[error("two pages with different posts claim page {n}: they are not one thread")]
    PageClaimedTwice {
        /// The page number.
        n: u32,
    },
}

/// Which thread a page belongs to: equal keys, one thread.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ThreadKey(String);

impl ThreadKey {
    /// The key as text: `url:HOST/ENGINE/ID` from a URL or path, `title:ENGINE/BOARD/TITLE`
    /// from the page's title; text copies get `text:` in front, so an HTML and a text copy
    /// of one page, which would give every post twice, stay apart.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for a key made from a page's title rather than its URL: weaker evidence, so a
    /// group of such pages that has one page number twice is two threads that share a
    /// title (or a site name taken for one), not one thread.
    pub fn is_title(key: &str) -> bool {
        key.starts_with("title:") || key.starts_with("text:title:")
    }

    /// The key of a URL match, for a page read as `format`.
    pub fn from_url(m: &UrlMatch, format: Format) -> Self {
        Self(format!(
            "{}url:{}/{}/{}",
            prefix(format),
            m.host.as_deref().unwrap_or_default(),
            m.engine,
            m.thread
        ))
    }
}

fn prefix(format: Format) -> &'static str {
    match format {
        Format::Html => "",
        Format::Text => "text:",
    }
}

impl From<ThreadKey> for String {
    fn from(key: ThreadKey) -> Self {
        key.0
    }
}

/// A page's place in its thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageId {
    /// The thread.
    pub key: ThreadKey,
    /// The page number, from 1.
    pub n: u32,
    /// The number of pages the pagination chrome printed, if it did.
    pub total: Option<u32>,
}

/// Recognises the thread and page number of page records.
#[derive(Debug)]
pub struct Recogniser {
    patterns: UrlPatterns,
    by_title: bool,
}

impl Recogniser {
    /// A recogniser over `patterns`.
    pub fn new(patterns: UrlPatterns) -> Self {
        Self {
            patterns,
            by_title: true,
        }
    }

    /// Whether pages without a thread URL are keyed by engine, board and title (on by
    /// default). Titles are weaker evidence than URLs: a text copy may give the site name
    /// for a title.
    #[must_use]
    pub fn by_title(mut self, on: bool) -> Self {
        self.by_title = on;
        self
    }

    /// A recogniser over the built-in patterns.
    pub fn builtin() -> Result<Self, Error> {
        Ok(Self::new(UrlPatterns::builtin()?))
    }

    /// The URL patterns.
    pub fn patterns(&self) -> &UrlPatterns {
        &self.patterns
    }

    /// The cheap key of a page, before any processing: its URL, else the archive member's
    /// or the file's path. What a sharded plan groups pages by.
    pub fn key_of(
        &self,
        url: Option<&str>,
        path: &str,
        member: Option<&str>,
        format: Format,
    ) -> Option<ThreadKey> {
        url.into_iter()
            .chain(member)
            .chain([path])
            .find_map(|text| self.patterns.match_url(text))
            .map(|m| ThreadKey::from_url(&m, format))
    }

    /// The page's thread and page number, or `None` when nothing ties it to a thread.
    ///
    /// `extra_lines` gives text lines of the page that are not in its chrome (the visible
    /// lines of an HTML page, see [`visible_lines`]), searched for pagination when the
    /// chrome has none. The page number comes from pagination chrome, else the URL, else
    /// it is page 1 of a URL that names no page. Without a thread URL, a page that shows
    /// pagination is keyed by its engine, board and title.
    pub fn recognise(
        &self,
        thread: &Thread,
        lexicon: &Lexicon,
        extra_lines: impl FnOnce() -> Vec<String>,
    ) -> Option<PageId> {
        let chrome = thread
            .chrome
            .iter()
            .filter(|c| matches!(c.role, ChromeRole::Pagination | ChromeRole::Navigation))
            .map(|c| c.text.as_str());
        // The extra lines cost a pass over the page: asked for only when the chrome has
        // no pagination.
        let printed = pagination(lexicon, chrome)
            .or_else(|| pagination(lexicon, extra_lines().iter().map(String::as_str)));
        let url = thread
            .url
            .as_deref()
            .into_iter()
            .chain(thread.source.member.as_deref())
            .chain([thread.source.path.as_str()])
            .find_map(|text| self.patterns.match_url(text));
        let (n, total) = match printed {
            Some((n, total)) => (n, total),
            None => (None, None),
        };
        if let Some(m) = url {
            let n = n.or(m.page).unwrap_or(1);
            return Some(PageId {
                key: ThreadKey::from_url(&m, thread.source.format),
                n,
                total,
            });
        }
        // Without a URL, only a page that says which page of several it is joins a thread:
        // a title alone would merge unrelated one-page threads that happen to share a title.
        let n = n?;
        if !self.by_title || total.is_some_and(|t| t < 2) {
            return None;
        }
        let title = normalise(thread.title.as_deref()?, lexicon);
        if title.is_empty() {
            return None;
        }
        let board = normalise(thread.board.as_deref().unwrap_or_default(), lexicon);
        Some(PageId {
            key: ThreadKey(format!(
                "{}title:{}/{board}/{title}",
                prefix(thread.source.format),
                thread.engine
            )),
            n,
            total,
        })
    }
}

/// Pagination chrome ("Page 2 of 5" in any lexicon language): the page number and the
/// total, from the first line that gives a page number.
pub fn pagination<'a>(
    lexicon: &Lexicon,
    lines: impl IntoIterator<Item = &'a str>,
) -> Option<(Option<u32>, Option<u32>)> {
    let number = |s: &Option<String>| {
        s.as_deref()
            .and_then(|s| s.trim().parse::<u32>().ok())
            .filter(|&n| n > 0)
    };
    for line in lines {
        if line.len() > 200 {
            continue;
        }
        for m in lexicon.match_line_all(line) {
            if m.label != Label::Pagination {
                continue;
            }
            let (n, total) = (number(&m.fields.n), number(&m.fields.total));
            if let Some(n) = n
                && total.is_none_or(|t| t >= n)
            {
                return Some((Some(n), total));
            }
        }
    }
    None
}

/// What a plan can key an HTML page without a thread URL by: its `<title>` (in the first
/// 64 KiB), lower-cased, without any "Page 2" in it (in a lexicon language) and the
/// separators around it. Pages of one thread share it; unrelated pages that share it only
/// share a shard.
pub fn plan_title_key(html: &[u8], lexicon: &Lexicon) -> Option<String> {
    let title = html::head_title(html)?;
    let words: Vec<String> = title.split_whitespace().map(str::to_lowercase).collect();
    let mut kept: Vec<&str> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let word = words[i].trim_matches(|c: char| !c.is_alphanumeric());
        let next_is_number = words
            .get(i + 1)
            .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
        if next_is_number && lexicon.chrome_words().page.contains(word) {
            while kept.last().is_some_and(|w| SEPARATORS.contains(w)) {
                kept.pop();
            }
            i += 2;
            continue;
        }
        kept.push(&words[i]);
        i += 1;
    }
    let key = kept.join(" ");
    (!key.is_empty()).then(|| format!("html-title:{key}"))
}

/// What stands between a title and its page number.
const SEPARATORS: &[&str] = &["-", "|", "–", "—", "•", "·", ","];

/// Lower case, single spaces, without a trailing "page 2" the title may carry.
fn normalise(text: &str, lexicon: &Lexicon) -> String {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let mut end = words.len();
    while end >= 2
        && words[end - 1].chars().all(|c| c.is_ascii_digit())
        && lexicon
            .chrome_words()
            .page
            .contains(words[end - 2].trim_matches(|c: char| !c.is_alphanumeric()))
    {
        end -= 2;
        while end > 0 && SEPARATORS.contains(&words[end - 1].as_str()) {
            end -= 1;
        }
    }
    words[..end].join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadmill_model::{ChromeLine, Format, Source};

    fn lexicon() -> Lexicon {
        Lexicon::builtin().expect("lexicon")
    }

    fn text_page(title: &str, pagination: &str) -> Thread {
        let mut thread = Thread::new(Source::unnamed(Format::Text));
        thread.title = Some(title.to_owned());
        thread.board = Some("Cats".to_owned());
        thread.engine = "phpbb".to_owned();
        thread.chrome.push(ChromeLine {
            role: ChromeRole::Pagination,
            text: pagination.to_owned(),
            post: None,
        });
        thread
    }

    #[test]
    fn pagination_in_several_languages() {
        let lexicon = lexicon();
        for (line, expected) in [
            ("Page 2 of 5", (Some(2), Some(5))),
            ("Pagina 2 van 5", (Some(2), Some(5))),
            ("Seite 2 von 5", (Some(2), Some(5))),
            ("3 posts • Page 1 of 2", (Some(1), Some(2))),
        ] {
            assert_eq!(pagination(&lexicon, [line]), Some(expected), "{line}");
        }
        assert_eq!(pagination(&lexicon, ["Page 7 of 5"]), None);
        assert_eq!(pagination(&lexicon, ["Hello there"]), None);
    }

    #[test]
    fn a_url_of_another_shape_is_not_an_engines_thread() {
        let lexicon = lexicon();
        let recogniser = Recogniser::builtin().expect("patterns");
        let page = |url: &str| {
            let mut thread = Thread::new(Source::unnamed(Format::Html));
            thread.url = Some(url.to_owned());
            thread
        };
        // Two threads of board 5, saved side by side: not Invision's /topic/THREAD-slug.
        let key = |url| {
            recogniser
                .recognise(&page(url), &lexicon, Vec::new)
                .map(|id| id.key.as_str().to_owned())
        };
        let a = key("https://board.example/topic/5/100/1/first-thread");
        let b = key("https://board.example/topic/5/200/1/second-thread");
        assert!(a.is_none() || a != b, "{a:?} {b:?}");
        // Invision's own shape still groups its pages.
        assert_eq!(
            key("https://ips.example/topic/123-my-topic/"),
            key("https://ips.example/topic/123-my-topic/page/2/")
        );
        assert!(key("https://ips.example/topic/123-my-topic/").is_some());
    }

    #[test]
    fn title_fallback_needs_a_page_number() {
        let lexicon = lexicon();
        let recogniser = Recogniser::builtin().expect("patterns");
        let two = text_page("Big cats - Page 2", "Page 2 of 3");
        let one = text_page("Big  cats", "Page 1 of 3");
        let a = recogniser
            .recognise(&two, &lexicon, Vec::new)
            .expect("keyed");
        let b = recogniser
            .recognise(&one, &lexicon, Vec::new)
            .expect("keyed");
        assert_eq!(a.key, b.key);
        assert_eq!((a.n, a.total, b.n), (2, Some(3), 1));
        assert!(a.key.as_str().starts_with("text:title:"));
        let mut lone = text_page("Big cats", "");
        lone.chrome.clear();
        assert_eq!(recogniser.recognise(&lone, &lexicon, Vec::new), None);
        let single = text_page("Big cats", "Page 1 of 1");
        assert_eq!(recogniser.recognise(&single, &lexicon, Vec::new), None);
        assert!(ThreadKey::is_title(a.key.as_str()));
        let keys: Vec<Option<String>> = [
            "<title>Big cats | Page 2 | Cat Forum</title>",
            "<TITLE>Big  cats | Cat Forum</TITLE>",
            "<title>Big cats - Page 3 | Cat Forum</title>",
        ]
        .iter()
        .map(|h| plan_title_key(h.as_bytes(), &lexicon))
        .collect();
        assert_eq!(keys[0].as_deref(), Some("html-title:big cats | cat forum"));
        assert!(keys.iter().all(|k| *k == keys[0]));
        let strict = Recogniser::builtin().expect("patterns").by_title(false);
        assert_eq!(strict.recognise(&two, &lexicon, Vec::new), None);
    }

    #[test]
    fn a_users_language_names_the_page_in_a_title() {
        let finnish = Lexicon::builder()
            .builtin()
            .and_then(|b| {
                b.add_toml(
                    "fi.toml",
                    "lang = \"fi\"\n[chrome_words]\npage = [\"Sivu\"]",
                )
            })
            .and_then(threadmill_lexicon::LexiconBuilder::build)
            .expect("lexicon");
        let recogniser = Recogniser::builtin().expect("patterns");
        let two = text_page("Isot kissat - Sivu 2", "Page 2 of 3");
        let one = text_page("Isot kissat", "Page 1 of 3");
        let key = |page: &Thread, lexicon: &Lexicon| {
            recogniser
                .recognise(page, lexicon, Vec::new)
                .map(|id| id.key)
        };
        assert_ne!(key(&two, &lexicon()), key(&one, &lexicon()));
        assert_eq!(key(&two, &finnish), key(&one, &finnish));
        let title = b"<title>Isot kissat | Sivu 2 | Kissafoorumi</title>";
        assert_eq!(
            plan_title_key(title, &finnish).as_deref(),
            Some("html-title:isot kissat | kissafoorumi")
        );
        assert_ne!(
            plan_title_key(title, &lexicon()),
            plan_title_key(title, &finnish)
        );
    }

    #[test]
    fn chrome_page_number_wins_over_the_url() {
        let lexicon = lexicon();
        let recogniser = Recogniser::builtin().expect("patterns");
        let mut page = text_page("Big cats", "Page 3 of 3");
        page.url = Some("https://f.example/viewtopic.php?t=4&start=25".to_owned());
        let id = recogniser
            .recognise(&page, &lexicon, Vec::new)
            .expect("keyed");
        assert_eq!((id.key.as_str(), id.n), ("text:url:f.example/phpbb/4", 3));
        assert_eq!(
            recogniser
                .key_of(
                    None,
                    "in/x.tar",
                    Some("f.example/viewtopic.php?t=4"),
                    Format::Html
                )
                .map(String::from),
            Some("url:f.example/phpbb/4".to_owned())
        );
    }
}
