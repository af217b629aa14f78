//! Repairs to the markup before parsing.

use std::borrow::Cow;

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
///
/// A tag is `<name` (`[A-Za-z][A-Za-z0-9:-]*`), attributes each after white space
/// (`name`, `name=value`, the value quoted or not), then `/>`; tags are taken leftmost
/// first and do not overlap. Scanned by hand rather than by a regex: a regex walked every
/// tag of every page through its lazy DFA, a visible share of the HTML path.
pub(crate) fn fix_self_closing(html: &str) -> Cow<'_, str> {
    // Every tag rewritten ends in "/>": none can start after the last one.
    let Some(last) = memchr::memmem::rfind(html.as_bytes(), b"/>") else {
        return Cow::Borrowed(html);
    };
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut at = 0;
    while let Some(i) = memchr::memchr(b'<', &html.as_bytes()[at..last]) {
        let start = at + i;
        let Some(tag) = self_closing_at(html, start) else {
            at = start + 1;
            continue;
        };
        let name = &html[start + 1..tag.name_end];
        if !VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len() + 64));
            out.push_str(&html[copied..start]);
            out.push('<');
            out.push_str(name);
            out.push_str(&html[tag.name_end..tag.attrs_end]);
            out.push_str("></");
            out.push_str(name);
            out.push('>');
            copied = tag.end;
        }
        at = tag.end;
        if at >= last {
            break;
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(html),
    }
}

/// Where the parts of a self-closing tag end (byte offsets into the page).
struct Tag {
    /// End of the tag name.
    name_end: usize,
    /// End of the last attribute (white space before `/>` excluded).
    attrs_end: usize,
    /// Just after the `/>`.
    end: usize,
}

/// The self-closing tag starting at the `<` at `start`, if one does.
///
/// The grammar has one way to read a tag, with one exception: an unquoted value takes a
/// slash before `>` (`<a href=x/>`) only when nothing else could close the tag, so the
/// slash then closes it.
fn self_closing_at(html: &str, start: usize) -> Option<Tag> {
    let bytes = html.as_bytes();
    let mut at = start + 1;
    if !bytes.get(at)?.is_ascii_alphabetic() || !may_self_close(bytes, start) {
        return None;
    }
    at += 1;
    while bytes
        .get(at)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b':' || b == b'-')
    {
        at += 1;
    }
    let name_end = at;
    loop {
        let attrs_end = at;
        let next = skip_while(html, at, char::is_whitespace);
        match html[next..].chars().next()? {
            '/' if bytes.get(next + 1) == Some(&b'>') => {
                return Some(Tag {
                    name_end,
                    attrs_end,
                    end: next + 2,
                });
            }
            first if next > at && is_attr_name_char(first) => {
                at = skip_while(html, next, is_attr_name_char);
                let equals = skip_while(html, at, char::is_whitespace);
                if bytes.get(equals) != Some(&b'=') {
                    continue;
                }
                let value = skip_while(html, equals + 1, char::is_whitespace);
                let quote = *bytes.get(value)?;
                if matches!(quote, b'"' | b'\'') {
                    let close = bytes[value + 1..].iter().position(|&b| b == quote)?;
                    at = value + 1 + close + 1;
                    continue;
                }
                let value_end = skip_while(html, value, |c| {
                    !c.is_whitespace() && !matches!(c, '"' | '\'' | '>')
                });
                if value_end == value {
                    return None;
                }
                if value_end - 1 > value
                    && bytes[value_end - 1] == b'/'
                    && bytes.get(value_end) == Some(&b'>')
                {
                    return Some(Tag {
                        name_end,
                        attrs_end: value_end - 1,
                        end: value_end + 1,
                    });
                }
                at = value_end;
            }
            _ => return None,
        }
    }
}

/// False when the tag at `start` cannot be self-closing, read by bytes: quotes paired
/// as quoted values pair them, up to the first `>` outside them, which must follow a `/`.
/// In a tag the grammar takes, quotes only delimit values and no `>` stands outside
/// them before its closing `/>`, so this never refuses one; it spares reading the
/// attributes of the many tags that end in a plain `>`.
fn may_self_close(bytes: &[u8], start: usize) -> bool {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'>' => return bytes[i - 1] == b'/',
            b'"' | b'\'' => match memchr::memchr(b, &bytes[i + 1..]) {
                Some(close) => i += close + 2,
                None => return false,
            },
            _ => i += 1,
        }
    }
    false
}

fn is_attr_name_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '/' | '>' | '"' | '\'' | '=')
}

/// The offset after the run of characters from `i` that `keep` accepts.
fn skip_while(s: &str, mut i: usize, keep: impl Fn(char) -> bool) -> usize {
    let b = s.as_bytes();
    while let Some(&byte) = b.get(i) {
        // Tags are mostly ASCII: decode a character only where one starts a sequence.
        let (c, len) = if byte.is_ascii() {
            (char::from(byte), 1)
        } else {
            match s[i..].chars().next() {
                Some(c) => (c, c.len_utf8()),
                None => break,
            }
        };
        if !keep(c) {
            break;
        }
        i += len;
    }
    i
}

#[cfg(test)]
mod tests {
    use regex::{Captures, Regex};

    use super::*;

    /// The rewrite as a regex states it: the scanner must agree with it on any input.
    fn by_regex(html: &str) -> String {
        let re = Regex::new(r#"<([A-Za-z][A-Za-z0-9:-]*)((?:\s+[^\s/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*/>"#)
            .expect("regex");
        re.replace_all(html, |caps: &Captures<'_>| {
            let tag = &caps[1];
            if VOID.contains(&tag.to_ascii_lowercase().as_str()) {
                caps[0].to_owned()
            } else {
                format!("<{tag}{}></{tag}>", &caps[2])
            }
        })
        .into_owned()
    }

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
        for html in [
            "<a href=x/>",
            "<a href=x//>",
            "<a x=a/ y=b/>",
            "<a x = 'q' y/>",
            "<a\u{a0}x=1/>",
            "<img alt=\"<b/>\"/><b/>",
            "<a x=\"unclosed/>",
            "<a x=/>",
            "<a\"x\"/>",
            "<ns:tag-1 a/>",
            "<BR/><Script/>",
            "<a title='a>b' x=\"/\"/>",
            "<a x='\"'/><b y=\"'>\"/>",
            "<p x=\"1\">text</p><i/>",
            "<a x=\"/\">",
        ] {
            assert_eq!(fix_self_closing(html), by_regex(html), "{html:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_regex(html in "([<>/=\"' \t\na-cA1:é\u{a0}\u{2003}-]|br|<a |<br ){0,40}") {
            proptest::prop_assert_eq!(fix_self_closing(&html), by_regex(&html));
        }
    }
}
