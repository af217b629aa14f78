//! A flat, pre-ordered view of the parsed page that the segmenters walk.
//!
//! scraper's tree is linked; the record finder needs "is X inside Y", subtree text sizes
//! and per-node statistics many times over. Numbering nodes in document order, with the
//! index of each node's last descendant, turns containment into two comparisons and
//! subtree walks into index ranges. Invisible subtrees (scripts, styles, form controls)
//! are left out, so no later step can pick their text by accident.

use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::{Html, Node};

/// An attribute's value, found by comparing names: scraper's `Element::attr` turns the
/// name into an interned atom first, which for names outside html5ever's static set
/// ("data-time") takes a lock shared by every worker, once per element asked.
pub(crate) fn attr<'a>(e: &'a Element, name: &str) -> Option<&'a str> {
    e.attrs().find(|&(n, _)| n == name).map(|(_, v)| v)
}

/// Elements whose content is never shown as page text.
const INVISIBLE: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object", "embed",
    "select", "option", "textarea", "input", "button", "canvas", "audio", "video", "map",
];

/// Elements that start a new line of text: everything else flows inline.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "caption",
    "legend",
];

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
    pub children: Vec<usize>,
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
    /// Scraper's node ids to indexes: hashed once per visible node, so a fast hash.
    index: foldhash::HashMap<NodeId, usize>,
}

impl<'a> Dom<'a> {
    /// Flattens the parsed page.
    pub fn new(html: &'a Html) -> Self {
        let mut dom = Dom {
            nodes: Vec::with_capacity(4096),
            html,
            index: foldhash::HashMap::default(),
        };
        // An explicit stack: real pages nest deeper than a comfortable recursion.
        let mut stack: Vec<(NodeRef<'a, Node>, Option<usize>)> = vec![(html.tree.root(), None)];
        while let Some((node, parent)) = stack.pop() {
            let kind = match node.value() {
                Node::Element(e) => {
                    if INVISIBLE.contains(&e.name()) || is_dialog(e) {
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
                children: Vec::new(),
                end: idx,
                kind,
                text_len: 0,
                link_len: 0,
            });
            if let Some(p) = parent {
                dom.nodes[p].children.push(idx);
            }
            for child in node.children().rev() {
                stack.push((child, Some(idx)));
            }
        }
        // Filled at once at its final size: growing it rehashed every entry several times.
        dom.index.reserve(dom.nodes.len());
        dom.index
            .extend(dom.nodes.iter().enumerate().map(|(i, n)| (n.ego, i)));
        // Sizes bottom-up: children always come after their parent.
        for i in (0..dom.nodes.len()).rev() {
            let (own, in_link) = match dom.nodes[i].kind {
                Kind::Text(t) => {
                    let n = u32::try_from(t.chars().filter(|c| !c.is_whitespace()).count())
                        .unwrap_or(u32::MAX);
                    (n, 0)
                }
                Kind::Elem(_) => (0, 0),
            };
            dom.nodes[i].text_len += own;
            dom.nodes[i].link_len += in_link;
            if dom.name(i) == "a" {
                dom.nodes[i].link_len = dom.nodes[i].text_len;
            }
            let last = dom.nodes[i]
                .children
                .last()
                .map_or(i, |&c| dom.nodes[c].end);
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
        self.index.get(&id).copied()
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
        BLOCK.contains(&self.name(i))
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

    fn text_into(&self, i: usize, out: &mut String) {
        for j in i..=self.nodes[i].end {
            match self.nodes[j].kind {
                Kind::Text(t) => out.push_str(t),
                Kind::Elem(e) => {
                    if BLOCK.contains(&e.name()) || e.name() == "br" {
                        out.push('\n');
                    } else if e.name() == "img" {
                        out.push(' ');
                    }
                }
            }
        }
    }

    /// Element children of `i`.
    pub fn elem_children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.nodes[i]
            .children
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
/// as read.
fn is_dialog(e: &Element) -> bool {
    attr(e, "hidden").is_some()
        || attr(e, "role").is_some_and(|r| r.eq_ignore_ascii_case("dialog"))
        || attr(e, "class").is_some_and(|c| {
            c.split_whitespace()
                .any(|w| w.eq_ignore_ascii_case("modal"))
        })
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
