//! Links in post text: full URLs, `www.` and bare-domain links, and the shortened forms
//! forums print for long URLs.
//!
//! phpBB shows a long URL as its first 39 characters, ` ... `, and its last 10
//! (`https://news.sky.com/story/north-korea- ... n-12960252`). That is one link whose middle
//! is lost: it is kept as printed and marked truncated. When a copy lost the head too, the
//! tail alone (`... n-12960252`) is still reported, with no domain.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::{Captures, Regex};
use threadmill_model::Link;

/// How the middle of a shortened link is joined in [`Link::url`].
const GAP: &str = " ... ";
/// phpBB's shortened display: this many characters of head and of tail.
const PHPBB_HEAD: usize = 39;
/// See [`PHPBB_HEAD`].
const PHPBB_TAIL: usize = 10;
/// Below this a head is not a URL anyone would shorten.
const MIN_HEAD: usize = 20;
/// Longer tails are prose, not the end of a shortened URL.
const MAX_TAIL: usize = 30;

/// One pass finds every kind of link start; which group matched says what it is.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    // Characters that end a URL in running text: white space, quotes, angle brackets, and
    // the BBCode and Markdown brackets around it.
    let url = r#"[^\s<>"“”«»`\[\]{}|\\^]"#;
    let pattern = [
        format!(r"(?P<scheme>(?i:https?)://{url}+)"),
        format!(r"(?P<www>(?i:www)\.{url}+)"),
        // A lower-case top-level domain, so that "Mr.Smith/Jones" is no link.
        format!(
            r"(?P<bare>(?:[\p{{L}}\p{{N}}][\p{{L}}\p{{N}}-]*\.)+[a-z]{{2,24}}(?::\d{{1,5}})?/{url}*)"
        ),
        r"(?P<tail>(?:\.\.\.|…) (?P<tailtext>\S+))".to_owned(),
    ];
    Regex::new(&pattern.join("|")).expect("valid link regex")
});

/// Every link in `text`, in order of appearance, each URL once.
///
/// ```
/// use threadmill_extract::find_links;
///
/// let text = "Read https://news.sky.com/story/north-korea- ... n-12960252 (www.bbc.co.uk).";
/// let links = find_links(text);
/// assert_eq!(links[0].url, "https://news.sky.com/story/north-korea- ... n-12960252");
/// assert!(links[0].truncated);
/// assert_eq!(links[1].url, "www.bbc.co.uk");
/// assert_eq!(links[1].domain.as_deref(), Some("www.bbc.co.uk"));
/// ```
pub fn find_links(text: &str) -> Vec<Link> {
    let mut links = Vec::new();
    let mut seen = BTreeSet::new();
    let mut pos = 0;
    while let Some(caps) = LINK.captures_at(text, pos) {
        let Some(whole) = caps.get(0) else { break };
        match link_at(text, &caps) {
            Some((link, end)) => {
                if seen.insert(link.url.clone()) {
                    links.push(link);
                }
                pos = end.max(whole.start() + 1);
            }
            // Not a link after all. Rescanning inside a rejected URL could only find pieces
            // of it, at quadratic cost; after a rejected "..." the words may hold a link.
            None if caps.name("tail").is_some() => pos = whole.start() + 1,
            None => pos = whole.end(),
        }
        while !text.is_char_boundary(pos) {
            pos += 1;
        }
    }
    links
}

/// The link a match stands for, and the byte where it ends.
fn link_at(text: &str, caps: &Captures<'_>) -> Option<(Link, usize)> {
    if let Some(m) = caps.name("scheme") {
        return full_link(text, m.start(), m.as_str(), false);
    }
    if let Some(m) = caps.name("www").or_else(|| caps.name("bare")) {
        // "user@mail.example.com/x", "?next=example.com/x": part of something else.
        let glued = text[..m.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || "@.-_/\\=&%+".contains(c));
        if glued {
            return None;
        }
        return full_link(text, m.start(), m.as_str(), true);
    }
    let m = caps.name("tail")?;
    let shown = caps.name("tailtext")?;
    let starts_clear = text[..m.start()]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace);
    let tail = trim_trailing(shown.as_str());
    let lone = starts_clear
        && tail.chars().count() == PHPBB_TAIL
        && url_ish(tail)
        // "... 2020-09-13", "... 12,000,000": a number, not the end of a URL.
        && !tail.chars().all(|c| c.is_ascii_digit() || "-./,:".contains(c));
    let link = Link {
        text: None,
        url: format!("{}{tail}", GAP.trim_start()),
        domain: None,
        truncated: true,
    };
    lone.then(|| (link, shown.start() + tail.len()))
}

/// A link starting at byte `start` whose raw text (up to white space) is `raw`.
/// `schemeless` links need a dotted host: "www." alone or "foo/bar" is no link.
fn full_link(text: &str, start: usize, raw: &str, schemeless: bool) -> Option<(Link, usize)> {
    let end = start + raw.len();
    if let Some((tail, tail_end)) = shortened_tail(text, end, raw) {
        let domain = host(raw, schemeless)?;
        let url = format!("{raw}{GAP}{tail}");
        return Some((
            Link {
                text: None,
                url,
                domain: Some(domain),
                truncated: true,
            },
            tail_end,
        ));
    }
    let url = trim_trailing(raw);
    let domain = host(url, schemeless)?;
    let end = start + url.len();
    // A display shortened in place: vBulletin's "showthr...php?t=1", or a trailing "…".
    let after_host = url.find("://").map_or(0, |i| i + 3);
    let path = &url[after_host..];
    let parts: Vec<&str> = path.split("...").flat_map(|p| p.split('…')).collect();
    if parts.len() > 1 {
        let head = &url[..after_host];
        let kept: Vec<&str> = parts.into_iter().filter(|p| !p.is_empty()).collect();
        let ellipsis_last = if path.ends_with('…') {
            GAP.trim_end()
        } else {
            ""
        };
        let url = format!("{head}{}{ellipsis_last}", kept.join(GAP));
        return Some((
            Link {
                text: None,
                url,
                domain: Some(domain),
                truncated: true,
            },
            end,
        ));
    }
    Some((
        Link {
            text: None,
            url: url.to_owned(),
            domain: Some(domain),
            truncated: false,
        },
        end,
    ))
}

/// The tail of phpBB's shortened display right after a head ending at byte `at`.
fn shortened_tail<'t>(text: &'t str, at: usize, head: &str) -> Option<(&'t str, usize)> {
    let rest = &text[at..];
    let after = rest
        .strip_prefix(GAP)
        .or_else(|| rest.strip_prefix(" … "))?;
    let token = &after[..after.find(char::is_whitespace).unwrap_or(after.len())];
    let tail = trim_trailing(token);
    let (head_len, tail_len) = (head.chars().count(), tail.chars().count());
    let phpbb = head_len == PHPBB_HEAD && tail_len == PHPBB_TAIL;
    // Other lengths only when the tail could not be a word of prose after a URL.
    let other = head_len >= MIN_HEAD && (1..=MAX_TAIL).contains(&tail_len) && url_ish(tail);
    let fits =
        !tail.is_empty() && tail.chars().all(url_char) && !tail.contains("://") && (phpbb || other);
    fits.then(|| (tail, at + (rest.len() - after.len()) + tail.len()))
}

/// Has something only URLs have: a digit or URL punctuation.
fn url_ish(tail: &str) -> bool {
    tail.chars().all(url_char)
        && tail
            .chars()
            .any(|c| c.is_ascii_digit() || "/=?&_%#.".contains(c))
}

fn url_char(c: char) -> bool {
    c.is_alphanumeric() || "-._~:/?#@!$&'()*+,;=%".contains(c)
}

/// Drops the punctuation that ends the sentence around a URL, keeping a closing
/// parenthesis the URL opened itself (`…/wiki/Foo_(bar)`).
fn trim_trailing(url: &str) -> &str {
    let mut url = url;
    while let Some(c) = url.chars().next_back() {
        let drop = match c {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '’' | '”' | '»' | '*' => true,
            ')' => url.matches('(').count() < url.matches(')').count(),
            _ => false,
        };
        if !drop {
            break;
        }
        url = &url[..url.len() - c.len_utf8()];
    }
    url
}

/// The lower-case host of a URL, without user, port or trailing dot; `None` when there is
/// no well-formed one.
pub(crate) fn host(url: &str, schemeless: bool) -> Option<String> {
    let rest = url.find("://").map_or(url, |i| &url[i + 3..]);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let (host, port) = host_port.split_once(':').unwrap_or((host_port, ""));
    if !port.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let host = host.strip_suffix('.').unwrap_or(host).to_lowercase();
    let labels_ok = host.split('.').all(|label| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    let dotted = host
        .rsplit_once('.')
        .is_some_and(|(_, tld)| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    (labels_ok && (dotted || !schemeless)).then_some(host)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use threadmill_model::Link;

    use super::find_links;

    fn link(url: &str, domain: Option<&str>, truncated: bool) -> Link {
        Link {
            text: None,
            url: url.to_owned(),
            domain: domain.map(str::to_owned),
            truncated,
        }
    }

    fn urls(text: &str) -> Vec<String> {
        find_links(text).into_iter().map(|l| l.url).collect()
    }

    #[test]
    fn full_urls_with_their_domains() {
        assert_eq!(
            find_links(
                "See https://News.Sky.com:443/story/x-12960252 and http://user@example.org/a?b=1#c"
            ),
            vec![
                link(
                    "https://News.Sky.com:443/story/x-12960252",
                    Some("news.sky.com"),
                    false
                ),
                link(
                    "http://user@example.org/a?b=1#c",
                    Some("example.org"),
                    false
                ),
            ]
        );
        assert_eq!(
            find_links("HTTPS://localhost:8080/x"),
            vec![link("HTTPS://localhost:8080/x", Some("localhost"), false)]
        );
        assert_eq!(
            find_links("Köln: https://de.wikipedia.org/wiki/Köln"),
            vec![link(
                "https://de.wikipedia.org/wiki/Köln",
                Some("de.wikipedia.org"),
                false
            )]
        );
    }

    #[test]
    fn www_and_bare_domains() {
        assert_eq!(
            find_links("via www.bbc.co.uk/news, or news.sky.com/story/north-korea-12960252."),
            vec![
                link("www.bbc.co.uk/news", Some("www.bbc.co.uk"), false),
                link(
                    "news.sky.com/story/north-korea-12960252",
                    Some("news.sky.com"),
                    false
                ),
            ]
        );
        assert_eq!(urls("go to www.example.com!"), ["www.example.com"]);
        // A bare domain needs a path; file names, e-mail addresses and sentence-gluing
        // dots are not links.
        for text in [
            "news.sky.com is down",
            "write to kim@news.sky.com/x",
            "Mr.Smith/Jones",
            "version 1.2.3/4",
            "and/or",
            "e.g. this",
            "www. is a prefix",
            "http://",
            "https://-bad-.com/x",
            "http://exa..mple.com/",
        ] {
            assert_eq!(find_links(text), Vec::<Link>::new(), "{text:?}");
        }
    }

    #[test]
    fn trailing_punctuation_is_trimmed() {
        assert_eq!(
            urls("(see https://example.com/a)."),
            ["https://example.com/a"]
        );
        assert_eq!(
            urls("https://example.com/a, https://example.com/b; "),
            ["https://example.com/a", "https://example.com/b"]
        );
        assert_eq!(
            urls("“https://example.com/q?x=1”"),
            ["https://example.com/q?x=1"]
        );
        assert_eq!(
            urls("Wiki: https://en.wikipedia.org/wiki/Foo_(bar)."),
            ["https://en.wikipedia.org/wiki/Foo_(bar)"]
        );
        assert_eq!(
            urls("[url=https://example.com/a]text[/url]"),
            ["https://example.com/a"]
        );
        assert_eq!(
            urls("[text](https://example.com/a)"),
            ["https://example.com/a"]
        );
        assert_eq!(urls("<https://example.com/a>"), ["https://example.com/a"]);
        assert_eq!(
            urls("Wait for it... https://example.com/a..."),
            ["https://example.com/a"]
        );
    }

    #[test]
    fn phpbb_shortened_links() {
        let text = "Source: https://news.sky.com/story/north-korea- ... n-12960252 today";
        assert_eq!(
            find_links(text),
            vec![link(
                "https://news.sky.com/story/north-korea- ... n-12960252",
                Some("news.sky.com"),
                true
            )]
        );
        // The head ends mid-word with a dot, the tail before a full stop.
        let text = "https://www.example.com/forum/viewtopic. ... 5&start=10.";
        assert_eq!(
            urls(text),
            ["https://www.example.com/forum/viewtopic. ... 5&start=10"]
        );
    }

    #[test]
    fn a_lone_tail_is_a_truncated_link_without_domain() {
        assert_eq!(
            find_links("... n-12960252"),
            vec![link("... n-12960252", None, true)]
        );
        assert_eq!(
            find_links("Kim said so.\n... n-12960252\nMore."),
            vec![link("... n-12960252", None, true)]
        );
        // Prose after an ellipsis is not a link.
        for text in [
            "Well... absolutely",
            "and then ... yes-really",
            "... 2020-09-13",
            "... 12,000,000",
            "... n-1296025",
            "word... n-12960252",
        ] {
            assert_eq!(find_links(text), Vec::<Link>::new(), "{text:?}");
        }
        // After a rejected tail, a link among the words is still found.
        assert_eq!(urls("... news.sky.com/story/x"), ["news.sky.com/story/x"]);
    }

    #[test]
    fn shortened_in_place() {
        let got = find_links("http://www.example.com/forum/showthr...php?t=12345");
        assert_eq!(
            got,
            vec![link(
                "http://www.example.com/forum/showthr ... php?t=12345",
                Some("www.example.com"),
                true
            )]
        );
        let got = find_links("https://example.com/very/long/pa…");
        assert_eq!(
            got,
            vec![link(
                "https://example.com/very/long/pa ...",
                Some("example.com"),
                true
            )]
        );
    }

    #[test]
    fn order_is_kept_and_repeats_dropped() {
        let text = "b.com/1 https://a.com/2 b.com/1 https://a.com/2. www.c.org";
        assert_eq!(urls(text), ["b.com/1", "https://a.com/2", "www.c.org"]);
        assert!(find_links("").is_empty());
        assert!(find_links("no links here.").is_empty());
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            for link in find_links(&text) {
                prop_assert!(!link.url.is_empty());
                prop_assert!(link.domain.is_some() || link.truncated);
            }
        }

        #[test]
        fn link_like_text_never_panics(
            text in r"(https?://|www\.|\.\.\. |…| |[a-z]{1,4}\.|/|[0-9]|[.,()@:-]){0,30}",
        ) {
            let _ = find_links(&text);
        }

        #[test]
        fn urls_in_prose_are_found_whole(
            host in "[a-z]{1,12}(\\.[a-z]{2,8}){1,2}",
            path in "(/[a-zA-Z0-9_-]{1,12}){0,4}",
            query in "(\\?[a-z]=[0-9]{1,5})?",
            before in "(|see |\\(|“)",
            after in "(|\\.|,|\\)|!| and more|”)",
        ) {
            let url = format!("https://{host}{path}{query}");
            let found = find_links(&format!("{before}{url}{after}"));
            prop_assert_eq!(found, vec![Link { text: None, url, domain: Some(host), truncated: false }]);
        }

        #[test]
        fn phpbb_shortening_is_recognised(
            host in "[a-z]{3,12}\\.(com|org|co\\.uk)",
            path in "(/[a-z0-9_-]{4,16}){3,6}",
        ) {
            let url = format!("https://{host}{path}");
            prop_assume!(url.chars().count() > 55);
            let chars: Vec<char> = url.chars().collect();
            let head: String = chars[..39].iter().collect();
            let tail: String = chars[chars.len() - 10..].iter().collect();
            let shown = format!("{head} ... {tail}");
            let found = find_links(&format!("Read {shown}. Then more."));
            prop_assert_eq!(found, vec![Link { text: None, url: shown, domain: Some(host), truncated: true }]);
        }
    }
}
