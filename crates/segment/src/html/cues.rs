//! The questions every extractor asks of an element, each with one answer.
//!
//! Is it a quote, a signature; the post's id, the poster's name from an attribute, an
//! author's post count: asked by the engine profiles, the record finder's template
//! learner and the renderer alike. The words the answers look for are the vocabulary's
//! (`profiles/vocabulary.toml`).

use super::anchors::NAME_MAX;
use super::dom::Dom;
use super::vocabulary::vocabulary;

/// Which elements [`is_quote`] takes for a quote of another post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QuoteTest {
    /// Every box a post shows a quote in: a `<blockquote>` that is not the post's own
    /// content wrapper, or any element whose class names a quote box. The renderer asks
    /// inside a post's body, where such a box can only be a quote.
    Any,
    /// Only a `<blockquote>` whose class names it a quote. The template learner asks while
    /// it looks for the element that holds a post's body: there the broad test would stop
    /// it at wrappers around the whole post that are no quotes (a plain `<blockquote>`
    /// body, a `message-body select-to-quote` whose class mentions quoting), which on the
    /// dev pages changes the posts found.
    Marked,
}

/// True when the element at `i` is a quote of another post, as `test` reads quotes.
pub(crate) fn is_quote(dom: &Dom<'_>, i: usize, test: QuoteTest) -> bool {
    let quotes = &vocabulary().quotes;
    let name = dom.name(i);
    if test == QuoteTest::Marked {
        if name != "blockquote" {
            return false;
        }
        let class = dom.class(i).to_ascii_lowercase();
        return quotes
            .box_holding
            .iter()
            .any(|w| class.contains(w.as_str()));
    }
    if matches!(
        name,
        "a" | "span" | "button" | "img" | "li" | "ul" | "i" | "b" | "strong" | "em" | "p" | "input"
    ) {
        return false;
    }
    let class = dom.class(i).to_ascii_lowercase();
    if name == "blockquote" {
        return class.is_empty()
            || quotes
                .blockquote_holding
                .iter()
                .any(|w| class.contains(w.as_str()))
            || dom.attr(i, "cite").is_some();
    }
    // A quote box, not one of its parts (header, contents, footer) or a quote button.
    let boxed = class.split_whitespace().any(|c| {
        (quotes.box_holding.iter().any(|w| c.contains(w.as_str()))
            && !quotes.part_holding.iter().any(|p| c.contains(p.as_str())))
            || quotes.box_equal.iter().any(|w| c == w)
    });
    boxed && dom.nodes[i].text_len > 0
}

/// True when the element at `i` is a signature: a class or id word says so.
pub(crate) fn is_signature(dom: &Dom<'_>, i: usize) -> bool {
    let signatures = &vocabulary().signatures;
    let class = dom.class(i).to_ascii_lowercase();
    let id = dom.attr(i, "id").unwrap_or("").to_ascii_lowercase();
    class
        .split_whitespace()
        .chain(id.split_whitespace())
        .any(|c| signatures.fit(c))
}

/// True when the element at `i` is a link preview card (a block whose class word says
/// so): the linked page's title and summary, which the forum fetched, not the poster's
/// words.
pub(crate) fn is_link_preview(dom: &Dom<'_>, i: usize) -> bool {
    let previews = &vocabulary().link_previews;
    dom.is_block(i)
        && dom
            .class(i)
            .split_whitespace()
            .any(|c| previews.fit(&c.to_ascii_lowercase()))
}

/// How far up a signature is looked for around an element: signatures are small
/// subtrees, and a deeper element is a post's own.
const SIGNATURE_DEPTH_MAX: usize = 12;

/// True when the element at `i` sits inside a signature.
pub(crate) fn in_signature(dom: &Dom<'_>, i: usize) -> bool {
    dom.ancestors(i)
        .take(SIGNATURE_DEPTH_MAX)
        .any(|a| is_signature(dom, a))
}

/// Where [`post_id`] looks for the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdReach {
    /// The element alone: an engine profile's post element or a schema.org item, which
    /// the engine marks as the post. (Reaching in as for records would give ids to the
    /// answers of one dev site, whose id sits one element down: a change of output left
    /// for a change that is meant to make one.)
    Element,
    /// The element and its first elements inside: the record finder's records are
    /// wrappers found by their shape (a table row, a card), and the engine's post element
    /// with its id is often just inside one.
    Head,
}

/// The elements of a record [`IdReach::Head`] reads, the record's own included.
const HEAD_ELEMENTS: usize = 4;

/// The post's id as the engine wrote it at `i` (or just inside, as `reach` says), when an
/// attribute has a post id's shape.
pub(crate) fn post_id(dom: &Dom<'_>, i: usize, reach: IdReach) -> Option<String> {
    match reach {
        IdReach::Element => id_attr(dom, i),
        IdReach::Head => std::iter::once(i)
            .chain(dom.elems_in(i).take(HEAD_ELEMENTS))
            .find_map(|j| id_attr(dom, j)),
    }
}

fn id_attr(dom: &Dom<'_>, i: usize) -> Option<String> {
    let v = vocabulary();
    let re = v.post_id.as_ref()?;
    v.post_id_attributes.iter().find_map(|a| {
        let value = dom.attr(i, a)?.trim();
        let caps = re.captures(value)?;
        Some(caps.get(1)?.as_str().to_owned())
    })
}

/// The poster's name as the engine writes it on a post or a quote element
/// (`data-author`), when it is one.
pub(crate) fn author_attr(dom: &Dom<'_>, i: usize) -> Option<String> {
    vocabulary()
        .author_attributes
        .iter()
        .filter_map(|a| dom.attr(i, a))
        .map(str::trim)
        .find(|v| !v.is_empty() && v.chars().count() <= NAME_MAX)
        .map(str::to_owned)
}

/// An author's post count from the text that shows it: "Posts: 1,234" → 1234. The first
/// number counts, its group separators dropped; what follows ("(3 per day)") does not.
pub(crate) fn post_count(text: &str) -> Option<u64> {
    let digits: String = text
        .split(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.' || c == '\u{a0}' || c == ' '))
        .map(|s| s.chars().filter(char::is_ascii_digit).collect::<String>())
        .find(|s| !s.is_empty())?;
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::dom;

    /// The answer of `ask` for the first `div`, `blockquote` or `article` of the page.
    fn ask<T>(html: &str, ask: impl Fn(&Dom<'_>, usize) -> T) -> Option<T> {
        let doc = dom::parse(&format!("<html><body>{html}</body></html>"));
        let d = Dom::new(&doc);
        let at = (0..d.nodes.len())
            .find(|&i| matches!(d.name(i), "div" | "blockquote" | "article" | "aside"))?;
        Some(ask(&d, at))
    }

    fn id_of(attrs: &str) -> Option<String> {
        ask(&format!("<div {attrs}>x</div>"), |d, i| {
            post_id(d, i, IdReach::Element)
        })
        .flatten()
    }

    #[test]
    fn post_ids_come_from_post_shaped_attributes() {
        assert_eq!(id_of(r#"id="post_123""#).as_deref(), Some("123"));
        assert_eq!(id_of(r#"id="p4567""#).as_deref(), Some("4567"));
        assert_eq!(id_of(r#"id="msg89""#).as_deref(), Some("89"));
        assert_eq!(id_of(r#"data-content="post-77""#).as_deref(), Some("77"));
        assert_eq!(
            id_of(r#"data-post-id="501" id="x""#).as_deref(),
            Some("501")
        );
        assert_eq!(id_of(r#"id="comment-14266""#).as_deref(), Some("14266"));
    }

    #[test]
    fn other_ids_are_no_post_ids() {
        assert_eq!(id_of(r#"id="thing_t1_dxr6ht6""#), None);
        assert_eq!(id_of(r#"id="sidebar2""#), None);
        assert_eq!(id_of(r#"id="main""#), None);
    }

    #[test]
    fn a_record_head_is_read_for_its_id_the_element_alone_is_not() {
        let html = r#"<div class="row"><span><a id="msg_42">#</a></span> words</div>"#;
        assert_eq!(
            ask(html, |d, i| post_id(d, i, IdReach::Head)).flatten(),
            Some("42".to_owned())
        );
        assert_eq!(
            ask(html, |d, i| post_id(d, i, IdReach::Element)).flatten(),
            None
        );
    }

    #[test]
    fn quote_tests() {
        let any = |html: &str| ask(html, |d, i| is_quote(d, i, QuoteTest::Any)) == Some(true);
        let marked = |html: &str| ask(html, |d, i| is_quote(d, i, QuoteTest::Marked)) == Some(true);
        // A plain blockquote is a quote inside a body, but no reason to stop looking for one.
        assert!(any("<blockquote>q</blockquote>") && !marked("<blockquote>q</blockquote>"));
        for box_ in [
            r#"<blockquote class="bbQuote">q</blockquote>"#,
            r#"<div class="post-quote">q</div>"#,
        ] {
            assert!(any(box_), "{box_}");
        }
        assert!(marked(r#"<blockquote class="Quote x">q</blockquote>"#));
        // A quote box's parts and a body wrapper are no quotes.
        assert!(!any(r#"<div class="quote-header">ann wrote:</div>"#));
        assert!(!any(r#"<blockquote class="main-content">q</blockquote>"#));
        assert!(!any(r#"<div class="quote"></div>"#), "an empty box");
        // Broad enough to take a wrapper whose class mentions quoting: why the body
        // finder asks the marked test.
        assert!(any(r#"<article class="body select-to-quote">t</article>"#));
    }

    #[test]
    fn signatures_are_named_by_class_or_id() {
        let sig = |html: &str| ask(html, is_signature) == Some(true);
        assert!(sig(r#"<div class="PostSignature">s</div>"#));
        assert!(sig(r#"<div id="sig_12">s</div>"#));
        assert!(sig(r#"<div class="a sig">s</div>"#));
        assert!(!sig(r#"<div class="design">s</div>"#));
        let inside = ask(
            r#"<div class="signature"><p><b>since 2004</b></p></div>"#,
            |d, i| in_signature(d, i + 3),
        );
        assert_eq!(inside, Some(true));
    }

    #[test]
    fn author_attributes_hold_short_names() {
        let author = |html: &str| ask(html, author_attr).flatten();
        assert_eq!(
            author(r#"<div data-author=" ann ">x</div>"#).as_deref(),
            Some("ann")
        );
        assert_eq!(
            author(r#"<div data-author="" data-username="bob">x</div>"#).as_deref(),
            Some("bob")
        );
        let long = format!(r#"<div data-author="{}">x</div>"#, "n".repeat(61));
        assert_eq!(author(&long), None);
    }

    #[test]
    fn post_counts() {
        assert_eq!(post_count("Posts: 1,234"), Some(1234));
        assert_eq!(post_count("Beiträge: 12"), Some(12));
        assert_eq!(post_count(" 5\u{a0}120 "), Some(5120));
        assert_eq!(post_count("12 (3 per day)"), Some(12));
        assert_eq!(post_count("none"), None);
    }
}
