//! Short visible text lines of an HTML page, where pagination chrome hides.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// Tags that do not break a line: "Page <strong>2</strong> of 5" reads as one line.
const INLINE: &[&str] = &[
    "a", "b", "strong", "em", "i", "span", "small", "font", "abbr", "bdi", "u",
];

/// `<link rel="canonical" href=…>` or `<meta property="og:url" content=…>`, attributes in
/// either order.
static HEAD_URL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)<link\s[^>]*?rel\s*=\s*["']?canonical["']?[^>]*?\shref\s*=\s*["']([^"'>\s]+)|<link\s[^>]*?href\s*=\s*["']([^"'>\s]+)["'][^>]*?rel\s*=\s*["']?canonical|<meta\s[^>]*?property\s*=\s*["']og:url["'][^>]*?content\s*=\s*["']([^"'>\s]+)"#,
    )
    .ok()
});
/// Two numbers a short word apart ("2 of 5", "2 van 5", "2 von 5", "2 из 5", "2/5"): what
/// a page number with its total looks like in any language. Lines without it are not
/// matched against the lexicon's templates, the costly part.
static TWO_NUMBERS: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\d\s*(?:[^\W\d]{1,6}|/)\s*\d").ok());

/// The canonical or `og:url` URL in the first 64 KiB of an HTML page: what a plan can
/// learn of a page's thread without parsing it.
pub fn head_url(html: &[u8]) -> Option<String> {
    let head = &html[..html.len().min(64 << 10)];
    let text = String::from_utf8_lossy(head);
    let caps = HEAD_URL.as_ref()?.captures(&text)?;
    (1..=3)
        .find_map(|i| caps.get(i))
        .map(|m| m.as_str().replace("&amp;", "&"))
}

static HEAD_TITLE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?is)<title[^>]*>([^<]{1,300})</title").ok());

/// The `<title>` text in the first 64 KiB of an HTML page, entities for spaces decoded.
pub(crate) fn head_title(html: &[u8]) -> Option<String> {
    let head = &html[..html.len().min(64 << 10)];
    let text = String::from_utf8_lossy(head);
    let caps = HEAD_TITLE.as_ref()?.captures(&text)?;
    Some(
        caps.get(1)?
            .as_str()
            .replace("&nbsp;", " ")
            .replace("&amp;", "&"),
    )
}

/// The page's short visible lines that hold two numbers a short word apart (at most 100,
/// each at most 200 bytes), entities for spaces and bullets decoded: enough to find
/// "Page 2 of 5" without building a DOM.
pub fn visible_lines(html: &str) -> Vec<String> {
    let Some(two) = &*TWO_NUMBERS else {
        return Vec::new();
    };
    let text = text_lines(html);
    let mut out = Vec::new();
    // Split by hand as `str::lines` does: most lines are empty or long, and are dropped
    // after one search for the next line break.
    let mut rest = text.as_str();
    while !rest.is_empty() && out.len() < 100 {
        let line = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(at) => {
                let line = &rest[..at];
                rest = &rest[at + 1..];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => std::mem::take(&mut rest),
        };
        if line.len() > 400 || !line.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let line = collapse(&decode_entities(line));
        if line.len() <= 200 && two.is_match(&line) {
            out.push(line);
        }
    }
    out
}

/// The entities for spaces, bullets and `&` decoded, with what each stands for.
const ENTITIES: &[(&str, &str)] = &[
    ("&nbsp;", " "),
    ("&#160;", " "),
    ("&bull;", "•"),
    ("&#8226;", "•"),
    ("&raquo;", "»"),
    ("&amp;", "&"),
];

/// The [`ENTITIES`] of a line decoded, in one pass: each starts with its only `&` and
/// none stands for text that could start another, so no decoding order matters.
fn decode_entities(line: &str) -> Cow<'_, str> {
    // Most lines hold no entity: borrowed as they are.
    let Some(first) = memchr::memchr(b'&', line.as_bytes()) else {
        return Cow::Borrowed(line);
    };
    let mut out = String::with_capacity(line.len());
    let mut copied = 0;
    let mut at = first;
    while let Some(i) = memchr::memchr(b'&', &line.as_bytes()[at..]) {
        at += i;
        match ENTITIES.iter().find(|(e, _)| line[at..].starts_with(e)) {
            Some((entity, text)) => {
                out.push_str(&line[copied..at]);
                out.push_str(text);
                at += entity.len();
                copied = at;
            }
            None => at += 1,
        }
    }
    out.push_str(&line[copied..]);
    Cow::Owned(out)
}

/// White space runs as one space, trimmed.
fn collapse(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for word in line.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// What follows the `</name …>` that closes a script or style, or nothing.
fn end_of<'a>(rest: &'a str, name: &str) -> &'a str {
    let bytes = rest.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&bytes[from..], b"</") {
        let start = from + i + 2;
        let matches = bytes
            .get(start..start + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        if matches {
            return memchr::memchr(b'>', &bytes[start..]).map_or("", |e| &rest[start + e + 1..]);
        }
        from = start;
    }
    ""
}

/// The page's text in one pass, without a DOM: scripts, styles and comments dropped, inline
/// tags removed, every other tag a line break.
fn text_lines(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 4);
    let mut rest = html;
    // Every search is for an ASCII byte: the offsets found are character boundaries.
    while let Some(at) = memchr::memchr(b'<', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest =
                memchr::memmem::find(after.as_bytes(), b"-->").map_or("", |end| &after[end + 3..]);
            out.push('\n');
            continue;
        }
        // Borrowed and compared without case: this runs for every tag of the page.
        let after = rest[1..].trim_start_matches('/');
        let name = &after[..after.bytes().take_while(u8::is_ascii_alphanumeric).count()];
        let Some(end) = memchr::memchr(b'>', rest.as_bytes()) else {
            break;
        };
        rest = &rest[end + 1..];
        if !rest.is_empty()
            && (name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style"))
        {
            // Up to the matching end tag, compared without case.
            rest = end_of(rest, name);
            out.push('\n');
        } else if !INLINE.iter().any(|t| t.eq_ignore_ascii_case(name)) {
            out.push('\n');
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reading as first written, with the standard library's searches: the scanner
    /// must agree with it on any input.
    fn by_std(html: &str) -> Vec<String> {
        fn end_of<'a>(rest: &'a str, name: &str) -> &'a str {
            let mut from = 0;
            while let Some(i) = rest[from..].find("</") {
                let start = from + i + 2;
                if rest
                    .get(start..start + name.len())
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
                {
                    return rest[start..]
                        .find('>')
                        .map_or("", |e| &rest[start + e + 1..]);
                }
                from = start;
            }
            ""
        }
        let mut out = String::new();
        let mut rest = html;
        while let Some(at) = rest.find('<') {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            if let Some(after) = rest.strip_prefix("<!--") {
                rest = after.find("-->").map_or("", |end| &after[end + 3..]);
                out.push('\n');
                continue;
            }
            let after = rest[1..].trim_start_matches('/');
            let name = &after[..after.bytes().take_while(u8::is_ascii_alphanumeric).count()];
            let Some(end) = rest.find('>') else {
                break;
            };
            rest = &rest[end + 1..];
            if !rest.is_empty()
                && (name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style"))
            {
                rest = end_of(rest, name);
                out.push('\n');
            } else if !INLINE.iter().any(|t| t.eq_ignore_ascii_case(name)) {
                out.push('\n');
            }
        }
        out.push_str(rest);
        let two = TWO_NUMBERS.as_ref().expect("regex");
        out.lines()
            .filter(|l| l.len() <= 400 && l.bytes().any(|b| b.is_ascii_digit()))
            .map(|line| {
                line.replace("&nbsp;", " ")
                    .replace("&#160;", " ")
                    .replace("&bull;", "•")
                    .replace("&#8226;", "•")
                    .replace("&raquo;", "»")
                    .replace("&amp;", "&")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|l| l.len() <= 200 && two.is_match(l))
            .take(100)
            .collect()
    }

    #[test]
    fn agrees_with_the_standard_searches_at_the_bounds() {
        // Spaces written as entities shrink a line: the byte bound applies before.
        let spaces = "&nbsp;".repeat(65);
        let mut pages = vec![
            format!("1 of 2{spaces}ab\n1 of 3{spaces}abcde\n1 of 4{spaces}abcd\r\n"),
            format!("1 of 5{spaces}abcd\r"),
            format!(
                "<p>1 of 2 {}</p>3 of 4 {}",
                "x".repeat(193),
                "x".repeat(194)
            ),
            "&amp;nbsp;1 of 2 &&nbsp;#160; &#8226&#8226; &raquo;".to_owned(),
            "<script>1 of 2</scrip></SCRIPT >3 of 4<style>5 of 6".to_owned(),
            "<!-- 1 of 2 -->3 of 4<!-- 5 of 6".to_owned(),
            "<//b>1 of <b>2</b><a 3 of 4".to_owned(),
        ];
        assert_eq!(visible_lines(&pages[0]), ["1 of 2 ab", "1 of 4 abcd"]);
        pages.push("<p>1 of 2</p>".repeat(120));
        for html in &pages {
            assert_eq!(visible_lines(html), by_std(html), "{html:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_standard_searches(html in "(<[sS][cC]ript ?>|</script ?>|<style>|</STYLE>|<!--|-->|<b>|</b>|<div>|<p/>|<a href='>'>|</|<|>|&nbsp;|&amp;|&#160;|&bull;|&raquo;|&#8226;|&|[0-9]|of|von| |\t|\r|\n|é|·|x|/){0,80}") {
            proptest::prop_assert_eq!(visible_lines(&html), by_std(&html));
        }
    }

    #[test]
    fn inline_markup_joins() {
        let html = "<div class=\"pagination\">3 posts &bull; Page <strong>2</strong> of <strong>5</strong></div><SCRIPT>var page = 9 of 10;</Script><p>No digits</p><!-- 1 of 2 --><style>p{x:1 of 2}</style><p>Seite 3 von 4";
        assert_eq!(
            visible_lines(html),
            ["3 posts • Page 2 of 5", "Seite 3 von 4"]
        );
        assert!(visible_lines("<p>1 of 2<script>").len() == 1);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(html in "(<[a-zA-Z/!-]{0,8}[^>]{0,20}>?|[^<]{0,30}|é|\\d of \\d){0,40}") {
            let _ = visible_lines(&html);
            let _ = head_url(html.as_bytes());
        }
    }

    #[test]
    fn head_urls() {
        let html =
            br#"<html><head><link href="https://f.example/t/1?page=2" rel="canonical"></head>"#;
        assert_eq!(
            head_url(html).as_deref(),
            Some("https://f.example/t/1?page=2")
        );
        let html = br#"<meta property="og:url" content="https://f.example/viewtopic.php?t=1&amp;start=10">"#;
        assert_eq!(
            head_url(html).as_deref(),
            Some("https://f.example/viewtopic.php?t=1&start=10")
        );
        assert_eq!(head_url(b"<html><body>none</body></html>"), None);
    }
}
