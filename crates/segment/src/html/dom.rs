//! A flat, pre-ordered view of the parsed page that the segmenters walk.
//!
//! scraper's tree is linked; the record finder needs "is X inside Y", subtree text sizes
//! and per-node statistics many times over. Numbering nodes in document order, with the
//! index of each node's last descendant, turns containment into two comparisons and
//! subtree walks into index ranges. Invisible subtrees (scripts, styles, form controls)
//! are left out, so no later step can pick their text by accident.

use std::cell::OnceCell;

use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::{Html, Node};

use super::vocabulary::vocabulary;

/// An attribute's value, found by comparing names: scraper's `Element::attr` turns the
/// name into an interned atom first, which for names outside html5ever's static set
/// ("data-time") takes a lock shared by every worker, once per element asked.
pub(crate) fn attr<'a>(e: &'a Element, name: &str) -> Option<&'a str> {
    e.attrs().find(|&(n, _)| n == name).map(|(_, v)| v)
}

/// Elements whose content is never shown as page text. A `match` rather than a list
/// searched: this is asked of every element of the page.
fn is_invisible(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "template"
            | "svg"
            | "math"
            | "head"
            | "iframe"
            | "object"
            | "embed"
            | "select"
            | "option"
            | "textarea"
            | "input"
            | "button"
            | "canvas"
            | "audio"
            | "video"
            | "map"
    )
}

/// Visible characters a `<noscript>` must hold to be read as page content. A crawler's
/// copy of the page (some engines keep their posts there) is long; "enable JavaScript"
/// notes and tracking pixels are not.
const NOSCRIPT_CONTENT_CHARS: usize = 200;

/// True for a `<noscript>` that holds the page's own content rather than a note.
fn noscript_is_content(node: NodeRef<'_, Node>) -> bool {
    let mut chars = 0;
    for d in node.descendants() {
        if let Node::Text(t) = d.value() {
            chars += visible_chars(t);
            if chars >= NOSCRIPT_CONTENT_CHARS {
                return true;
            }
        }
    }
    false
}

/// Parses a page as a crawler sees it: scripting off, so that `<noscript>` content is
/// a tree, not one opaque run of text.
pub(crate) fn parse(html: &str) -> Html {
    use html5ever::tendril::TendrilSink;
    let opts = html5ever::ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    html5ever::driver::parse_document(scraper::HtmlTreeSink::new(Html::new_document()), opts)
        .one(html)
}

/// Elements that start a new line of text: everything else flows inline.
fn is_block_name(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "caption"
            | "legend"
    )
}

/// What a node is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind<'a> {
    /// An element.
    Elem(&'a Element),
    /// A run of text.
    Text(&'a str),
}

/// One node of the page, in document order.
#[derive(Debug)]
pub(crate) struct DNode<'a> {
    /// The node in scraper's tree (for selector matching).
    pub ego: NodeId,
    pub parent: Option<usize>,
    /// Where the node's children start in [`Dom`]'s list of children, and how many.
    kids: (usize, usize),
    /// Index of the last node of the subtree (the node itself when it has none).
    pub end: usize,
    pub kind: Kind<'a>,
    /// Visible non-space characters in the subtree.
    pub text_len: u32,
    /// Of those, the ones inside links.
    pub link_len: u32,
}

/// The page, flattened.
pub(crate) struct Dom<'a> {
    pub nodes: Vec<DNode<'a>>,
    pub html: &'a Html,
    /// The children of every node, each node's in one run: one list for the page, not
    /// an allocation per node.
    children: Vec<usize>,
    /// Scraper's node ids to indexes: hashed once per visible node, so a fast hash; built
    /// on first use, as only the engine profiles ask.
    index: OnceCell<foldhash::HashMap<NodeId, usize>>,
}

impl<'a> Dom<'a> {
    /// Flattens the parsed page.
    pub fn new(html: &'a Html) -> Self {
        let mut dom = Dom {
            nodes: Vec::with_capacity(4096),
            html,
            children: Vec::new(),
            index: OnceCell::new(),
        };
        let hidden_classes = &vocabulary().hidden_classes;
        // An explicit stack: real pages nest deeper than a comfortable recursion.
        let mut stack: Vec<(NodeRef<'a, Node>, Option<usize>)> = vec![(html.tree.root(), None)];
        while let Some((node, parent)) = stack.pop() {
            let kind = match node.value() {
                Node::Element(e) => {
                    if is_invisible(e.name())
                        || is_dialog(e, hidden_classes)
                        || (e.name() == "noscript" && !noscript_is_content(node))
                    {
                        continue;
                    }
                    Kind::Elem(e)
                }
                Node::Text(t) => Kind::Text(t),
                Node::Document | Node::Fragment => {
                    for child in node.children().rev() {
                        stack.push((child, parent));
                    }
                    continue;
                }
                _ => continue,
            };
            let idx = dom.nodes.len();
            dom.nodes.push(DNode {
                ego: node.id(),
                parent,
                kids: (0, 0),
                end: idx,
                kind,
                text_len: 0,
                link_len: 0,
            });
            if let Some(p) = parent {
                dom.nodes[p].kids.1 += 1;
            }
            for child in node.children().rev() {
                stack.push((child, Some(idx)));
            }
        }
        // Each node's run of children, then the runs filled in document order (the
        // counts counted up again as the run fills).
        let mut next = 0;
        for n in &mut dom.nodes {
            let count = n.kids.1;
            n.kids = (next, 0);
            next += count;
        }
        dom.children = vec![0; next];
        for i in 0..dom.nodes.len() {
            if let Some(p) = dom.nodes[i].parent {
                let (start, filled) = dom.nodes[p].kids;
                dom.children[start + filled] = i;
                dom.nodes[p].kids.1 += 1;
            }
        }
        // Sizes bottom-up: children always come after their parent.
        for i in (0..dom.nodes.len()).rev() {
            let (own, in_link) = match dom.nodes[i].kind {
                Kind::Text(t) => (u32::try_from(visible_chars(t)).unwrap_or(u32::MAX), 0),
                Kind::Elem(_) => (0, 0),
            };
            dom.nodes[i].text_len += own;
            dom.nodes[i].link_len += in_link;
            if dom.name(i) == "a" {
                dom.nodes[i].link_len = dom.nodes[i].text_len;
            }
            let last = dom.children(i).last().map_or(i, |&c| dom.nodes[c].end);
            dom.nodes[i].end = last;
            if let Some(p) = dom.nodes[i].parent {
                let (t, l) = (dom.nodes[i].text_len, dom.nodes[i].link_len);
                dom.nodes[p].text_len += t;
                dom.nodes[p].link_len += l;
            }
        }
        dom
    }

    /// The index of a scraper node, when it is visible.
    pub fn index_of(&self, id: NodeId) -> Option<usize> {
        self.index
            .get_or_init(|| {
                self.nodes
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.ego, i))
                    .collect()
            })
            .get(&id)
            .copied()
    }

    /// The children of `i`, in document order.
    pub fn children(&self, i: usize) -> &[usize] {
        let (start, count) = self.nodes[i].kids;
        &self.children[start..start + count]
    }

    /// The element at `i`, if it is one.
    pub fn elem(&self, i: usize) -> Option<&'a Element> {
        match self.nodes.get(i)?.kind {
            Kind::Elem(e) => Some(e),
            Kind::Text(_) => None,
        }
    }

    /// The tag name, or `""` for text.
    pub fn name(&self, i: usize) -> &'a str {
        self.elem(i).map_or("", Element::name)
    }

    /// An attribute of the element at `i`.
    pub fn attr(&self, i: usize, name: &str) -> Option<&'a str> {
        attr(self.elem(i)?, name)
    }

    /// The raw `class` attribute (in page order, unlike scraper's sorted classes).
    pub fn class(&self, i: usize) -> &'a str {
        self.attr(i, "class").unwrap_or("")
    }

    /// True when `inner` is `outer` or inside it.
    pub fn contains(&self, outer: usize, inner: usize) -> bool {
        inner >= outer && inner <= self.nodes[outer].end
    }

    /// Ancestors of `i`, nearest first (not including `i`).
    pub fn ancestors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.nodes[i].parent, move |&p| self.nodes[p].parent)
    }

    /// True when the element starts a new line of text.
    pub fn is_block(&self, i: usize) -> bool {
        is_block_name(self.name(i))
    }

    /// Visible text of the subtree, white space collapsed, block boundaries as spaces.
    pub fn text(&self, i: usize) -> String {
        let mut out = String::new();
        self.text_into(i, &mut out);
        collapse(&out)
    }

    /// Visible text, block boundaries and `<br>` as line breaks, each line collapsed.
    pub fn lines(&self, i: usize) -> Vec<String> {
        let mut raw = String::new();
        self.text_into(i, &mut raw);
        raw.split('\n')
            .map(collapse)
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// [`Dom::lines`], leaving out the subtrees `skip` picks.
    pub fn lines_except(&self, i: usize, skip: impl Fn(usize) -> bool) -> Vec<String> {
        let mut raw = String::new();
        let mut j = i;
        while j <= self.nodes[i].end {
            if j != i && skip(j) {
                raw.push('\n');
                j = self.nodes[j].end + 1;
                continue;
            }
            self.push_own_text(j, &mut raw);
            j += 1;
        }
        raw.split('\n')
            .map(collapse)
            .filter(|l| !l.is_empty())
            .collect()
    }

    fn text_into(&self, i: usize, out: &mut String) {
        for j in i..=self.nodes[i].end {
            self.push_own_text(j, out);
        }
    }

    /// The text node `j` adds to a rendering in document order, or the break its element
    /// starts.
    fn push_own_text(&self, j: usize, out: &mut String) {
        match self.nodes[j].kind {
            Kind::Text(t) => out.push_str(t),
            Kind::Elem(e) => {
                if is_block_name(e.name()) || e.name() == "br" {
                    out.push('\n');
                } else if e.name() == "img" {
                    out.push(' ');
                }
            }
        }
    }

    /// Element children of `i`.
    pub fn elem_children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.children(i)
            .iter()
            .copied()
            .filter(|&c| matches!(self.nodes[c].kind, Kind::Elem(_)))
    }

    /// Elements of the subtree of `i` (itself included), in document order.
    pub fn elems_in(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        (i..=self.nodes[i].end).filter(|&j| matches!(self.nodes[j].kind, Kind::Elem(_)))
    }
}

/// Dialogs and `hidden` elements: report forms, login pop-ups, never part of the page
/// as read. `hidden_classes` are the vocabulary's.
fn is_dialog(e: &Element, hidden_classes: &[String]) -> bool {
    // One pass over the attributes, each name at most once in an element.
    e.attrs().any(|(name, value)| match name {
        "hidden" => true,
        "role" => value.eq_ignore_ascii_case("dialog"),
        "class" => value
            .split_whitespace()
            .any(|w| hidden_classes.iter().any(|h| w.eq_ignore_ascii_case(h))),
        _ => false,
    })
}

/// The characters of a text that are not white space.
fn visible_chars(t: &str) -> usize {
    // Mostly ASCII: counted by bytes, as `char::is_whitespace` reads them there.
    if t.is_ascii() {
        t.bytes()
            .filter(|b| !matches!(b, b'\t'..=b'\r' | b' '))
            .count()
    } else {
        t.chars().filter(|c| !c.is_whitespace()).count()
    }
}

/// Collapses runs of white space to one space and trims.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_runs_are_the_nodes_that_name_their_parent() {
        let doc = Html::parse_document(
            "<div><p>a <b>b</b> c</p><script>x</script><ul><li>1</li><li hidden>2</li><li>3</li></ul></div><p>text</p>",
        );
        let dom = Dom::new(&doc);
        for i in 0..dom.nodes.len() {
            let named: Vec<usize> = (0..dom.nodes.len())
                .filter(|&j| dom.nodes[j].parent == Some(i))
                .collect();
            assert_eq!(dom.children(i), named.as_slice(), "node {i}");
            let last = (i..dom.nodes.len())
                .take_while(|&j| j == i || dom.ancestors(j).any(|a| a == i))
                .last();
            assert_eq!(Some(dom.nodes[i].end), last, "node {i}");
        }
        assert_eq!(dom.lines(0), ["a b c", "1", "3", "text"]);
    }

    #[test]
    fn visible_characters_are_counted_as_char_is_whitespace_reads_them() {
        for t in [
            "",
            " a\tb\n\u{b}\u{c}\r",
            "x\u{a0}y\u{2003}z",
            "\u{1c}\u{85}é",
        ] {
            let by_chars = t.chars().filter(|c| !c.is_whitespace()).count();
            assert_eq!(visible_chars(t), by_chars, "{t:?}");
        }
    }
}
