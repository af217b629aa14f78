//! Short visible text lines of an HTML page, where pagination chrome hides.

use std::sync::LazyLock;

use regex::Regex;

/// Scripts, styles and comments: never visible.
static HIDDEN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?is)<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->").ok()
});
/// Inline tags vanish ("Page <strong>2</strong> of 5" reads as one line); any other tag
/// ends a line.
static INLINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)</?(?:a|b|strong|em|i|span|small|font|abbr|bdi|u)\b[^>]*>").ok()
});
/// `<link rel="canonical" href=…>` or `<meta property="og:url" content=…>`, attributes in
/// either order.
static HEAD_URL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)<link\s[^>]*?rel\s*=\s*["']?canonical["']?[^>]*?\shref\s*=\s*["']([^"'>\s]+)|<link\s[^>]*?href\s*=\s*["']([^"'>\s]+)["'][^>]*?rel\s*=\s*["']?canonical|<meta\s[^>]*?property\s*=\s*["']og:url["'][^>]*?content\s*=\s*["']([^"'>\s]+)"#,
    )
    .ok()
});
static TAG: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"<[^>]*>").ok());

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

/// The page's short visible lines that hold a digit (at most 500, each at most 200 bytes),
/// entities for spaces and bullets decoded: enough to find "Page 2 of 5" without building
/// a DOM.
pub fn visible_lines(html: &str) -> Vec<String> {
    let (Some(hidden), Some(inline), Some(tag)) = (&*HIDDEN, &*INLINE, &*TAG) else {
        return Vec::new();
    };
    let text = hidden.replace_all(html, "\n");
    let text = inline.replace_all(&text, "");
    let text = tag.replace_all(&text, "\n");
    text.lines()
        .map(|line| {
            let line = line
                .replace("&nbsp;", " ")
                .replace("&#160;", " ")
                .replace("&bull;", "•")
                .replace("&#8226;", "•")
                .replace("&raquo;", "»")
                .replace("&amp;", "&");
            line.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|l| !l.is_empty() && l.len() <= 200 && l.chars().any(|c| c.is_ascii_digit()))
        .take(500)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markup_joins() {
        let html = "<div class=\"pagination\">3 posts &bull; Page <strong>2</strong> of <strong>5</strong></div><script>var page = 9;</script><p>No digits</p>";
        assert_eq!(visible_lines(html), ["3 posts • Page 2 of 5"]);
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
