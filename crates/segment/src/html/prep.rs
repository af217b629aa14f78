//! Repairs to the markup before parsing.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

/// An XML-style self-closing tag: `<script src="x"/>`, `<a name="1"/>`, `<div/>`.
static SELF_CLOSING: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"<([A-Za-z][A-Za-z0-9:-]*)((?:\s+[^\s/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*/>"#).ok()
});

/// Elements HTML5 knows to have no content: a trailing slash on them is harmless.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "command", "basefont", "bgsound", "frame", "spacer",
];

/// Rewrites self-closing tags of elements that HTML5 does not close that way.
///
/// Pages saved as XHTML write `<script src="x"/>`, `<iframe/>`, `<textarea/>` or
/// `<a name="1"/>`. An HTML5 parser ignores the slash: a `<script/>` or `<textarea/>` then
/// swallows the rest of the page as its text, and an `<a/>` wraps everything after it
/// in a link. Writing the end tag keeps the page whole, as its author meant.
pub(crate) fn fix_self_closing(html: &str) -> Cow<'_, str> {
    if !html.contains("/>") {
        return Cow::Borrowed(html);
    }
    let Some(re) = SELF_CLOSING.as_ref() else {
        return Cow::Borrowed(html);
    };
    re.replace_all(html, |caps: &Captures<'_>| {
        let tag = &caps[1];
        let lower = tag.to_ascii_lowercase();
        if VOID.contains(&lower.as_str()) {
            caps[0].to_owned()
        } else {
            format!("<{tag}{}></{tag}>", &caps[2])
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_closing_tags_get_their_end_tag() {
        assert_eq!(
            fix_self_closing(r#"<script src="a.js"/><p>x</p>"#),
            r#"<script src="a.js"></script><p>x</p>"#
        );
        assert_eq!(fix_self_closing("<textarea/>"), "<textarea></textarea>");
        assert_eq!(fix_self_closing(r#"<a name="1" />"#), r#"<a name="1"></a>"#);
        assert_eq!(
            fix_self_closing("<br/><img src='x'/>"),
            "<br/><img src='x'/>"
        );
        assert!(matches!(fix_self_closing("<p>plain</p>"), Cow::Borrowed(_)));
    }
}
