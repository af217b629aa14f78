//! Cues every extractor reads the same way: a post's own id.

use std::sync::LazyLock;

use regex::Regex;

use super::dom::Dom;

/// Attributes in which engines write a post's number, most specific first.
const POST_ID_ATTRS: &[&str] = &[
    "data-post-id",
    "data-postid",
    "data-pid",
    "data-post",
    "data-comment-id",
    "data-answerid",
    "data-questionid",
    "data-content",
    "id",
];

/// The shapes of post ids in those attributes: a number, alone or behind a word that names
/// a post (`post_123`, `p123`, `msg123`, `post-content-123`, `comment-14266`). An id of
/// another shape (`thing_t1_dxr6ht6`, `sidebar2`) names no post.
static POST_ID: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:post|posts|p|msg|message|comment|answer|question|reply|entry|pid|postid|post_?message|post_?content|postcontainer|td_post|edit|js-post|article)[-_]?)?(\d{1,12})$",
    )
    .ok()
});

/// The post's id as the engine wrote it on the element at `i`, when an attribute has a
/// post id's shape.
pub(crate) fn post_id(dom: &Dom<'_>, i: usize) -> Option<String> {
    let re = POST_ID.as_ref()?;
    POST_ID_ATTRS.iter().find_map(|a| {
        let value = dom.attr(i, a)?.trim();
        let caps = re.captures(value)?;
        Some(caps.get(1)?.as_str().to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::dom;

    fn id_of(attrs: &str) -> Option<String> {
        let html = format!("<html><body><div {attrs}>x</div></body></html>");
        let doc = dom::parse(&html);
        let d = Dom::new(&doc);
        let div = (0..d.nodes.len()).find(|&i| d.name(i) == "div")?;
        post_id(&d, div)
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
}
