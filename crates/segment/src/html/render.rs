//! A post body's subtree to blocks: paragraphs, quotes, signatures and code.
//!
//! A quote of another post says whom it quotes where the page does.

use threadmill_clean::{repair_text, split_glued_sentences};
use threadmill_lexicon::{Label, Lexicon};
use threadmill_model::{Block, BlockKind, Repairs};

use super::cues::{self, QuoteTest};
use super::dom::{Dom, Kind, collapse};
use super::vocabulary::vocabulary;

/// Deeper nesting than this is flattened: no real post nests so deep, and a crafted page
/// must not exhaust the stack.
const DEPTH_MAX: usize = 120;
/// A quote header is a short line ("ann wrote:", "Originally Posted by ann").
const HEADER_MAX: usize = 100;

/// Turns subtrees into blocks, repairing their text on the way.
pub(crate) struct Renderer<'r, 'a> {
    pub dom: &'r Dom<'a>,
    pub lexicon: &'r Lexicon,
    /// Subtrees to leave out (author panels, buttons, signatures handled elsewhere).
    pub skip: &'r [usize],
    /// Nodes before this index are a header printed inside the body (name, date): left out.
    pub from: usize,
    pub repairs: &'r mut Repairs,
    /// Signatures met inside the body, in order.
    pub signatures: Vec<String>,
}

struct State {
    blocks: Vec<Block>,
    buf: String,
}

impl Renderer<'_, '_> {
    /// The blocks of the body at `root`.
    pub fn blocks(&mut self, root: usize) -> Vec<Block> {
        let mut st = State {
            blocks: Vec::new(),
            buf: String::new(),
        };
        self.walk(root, root, 0, &mut st);
        self.flush(&mut st, BlockKind::Paragraph);
        self.attach_quote_headers(&mut st.blocks);
        st.blocks
    }

    /// A header printed just outside its quote ("Quote from: ann on …" above the box)
    /// names the quoted user and is not the post's own words.
    fn attach_quote_headers(&self, blocks: &mut Vec<Block>) {
        let mut k = 1;
        while k < blocks.len() {
            let (prev, next) = (&blocks[k - 1], &blocks[k]);
            if prev.kind == BlockKind::Paragraph
                && next.kind == BlockKind::Quote
                && next.author.is_none()
                && let Some(who) = self.author_from_header(&prev.text)
            {
                blocks[k].author = Some(who);
                blocks.remove(k - 1);
                continue;
            }
            k += 1;
        }
    }

    fn walk(&mut self, i: usize, root: usize, depth: usize, st: &mut State) {
        if i != root && self.skip.contains(&i) {
            return;
        }
        let dom = self.dom;
        if i < self.from
            && (dom.nodes[i].end < self.from || matches!(dom.nodes[i].kind, Kind::Text(_)))
        {
            return;
        }
        let e = match dom.nodes[i].kind {
            Kind::Text(t) => {
                st.buf.push_str(t);
                return;
            }
            Kind::Elem(e) => e,
        };
        let name = e.name();
        if depth > DEPTH_MAX {
            st.buf.push_str(&dom.text(i));
            return;
        }
        if i != root {
            if name == "br" {
                st.buf.push('\n');
                return;
            }
            if name == "img" {
                st.buf.push(' ');
                return;
            }
            if cues::is_signature(dom, i) {
                // Not the post's words: set aside with the author's details.
                self.flush(st, BlockKind::Paragraph);
                let text = dom.lines(i).join("\n");
                if !text.is_empty() {
                    self.signatures.push(text);
                }
                return;
            }
            if cues::is_link_preview(dom, i) {
                // The linked page's words; the link stays among the post's links.
                return;
            }
            if cues::is_quote(dom, i, QuoteTest::Any) {
                self.flush(st, BlockKind::Paragraph);
                self.quote(i, depth, st);
                return;
            }
            if name == "pre" || is_code_box(dom, i) {
                self.flush(st, BlockKind::Paragraph);
                let code = code_text(dom, i);
                self.push(st, BlockKind::Code, &code, None);
                return;
            }
        }
        let block = dom.is_block(i);
        if block {
            st.buf.push_str("\n\n");
        }
        for &c in dom.children(i) {
            self.walk(c, root, depth + 1, st);
        }
        if block {
            st.buf.push_str("\n\n");
        } else if matches!(name, "td" | "th") {
            st.buf.push(' ');
        }
    }

    /// A quote of another post: its header names the quoted user and is not part of
    /// the quoted words; quotes inside it become blocks of their own, before it.
    fn quote(&mut self, q: usize, depth: usize, st: &mut State) {
        let dom = self.dom;
        let mut author = cues::author_attr(dom, q);
        // Boxes nested only to be styled (a container around the quote itself) are one
        // quote: go down to the innermost box that still holds all the words.
        let mut q = q;
        while let Some(c) = dom.elem_children(q).find(|&c| {
            dom.nodes[c].text_len == dom.nodes[q].text_len && cues::is_quote(dom, c, QuoteTest::Any)
        }) {
            if author.is_none() {
                author = cues::author_attr(dom, c);
            }
            q = c;
        }
        let header = quote_header(dom, q);
        if author.is_none()
            && let Some(h) = header
        {
            author = self.author_from_header(&dom.text(h));
        }
        let mut inner = State {
            blocks: Vec::new(),
            buf: String::new(),
        };
        let skip_header: Vec<usize> = header.into_iter().collect();
        for &c in dom.children(q) {
            self.walk_quote(c, depth + 1, &skip_header, &mut inner);
        }
        let mut text = collapse_lines(&inner.buf);
        // "ann wrote: the words" in one line: split the header off the words.
        if author.is_none()
            && header.is_none()
            && let Some((who, rest)) = self.split_header_line(&text)
        {
            author = who;
            text = rest;
        }
        for mut b in inner.blocks {
            if b.kind == BlockKind::Paragraph {
                b.kind = BlockKind::Quote;
            }
            st.blocks.push(b);
        }
        self.push(st, BlockKind::Quote, &text, author);
    }

    fn walk_quote(&mut self, i: usize, depth: usize, skip: &[usize], st: &mut State) {
        if skip.contains(&i)
            || self.skip.contains(&i)
            || is_expand_link(self.dom, i)
            || cues::is_link_preview(self.dom, i)
        {
            return;
        }
        if matches!(self.dom.nodes[i].kind, Kind::Elem(_))
            && cues::is_quote(self.dom, i, QuoteTest::Any)
        {
            // A nested quote: its own block, ahead of the outer quote's words.
            self.quote(i, depth, st);
            return;
        }
        match self.dom.nodes[i].kind {
            Kind::Text(t) => st.buf.push_str(t),
            Kind::Elem(e) => {
                let block = self.dom.is_block(i) || e.name() == "br";
                if block {
                    st.buf.push('\n');
                }
                if e.name() != "br" && depth <= DEPTH_MAX {
                    for &c in self.dom.children(i) {
                        self.walk_quote(c, depth + 1, skip, st);
                    }
                }
                if block {
                    st.buf.push('\n');
                }
            }
        }
    }

    fn author_from_header(&self, header: &str) -> Option<String> {
        let header = header.trim();
        if header.is_empty() || header.chars().count() > HEADER_MAX {
            return None;
        }
        for m in self.lexicon.match_line_all(header) {
            if m.label == Label::QuoteHeader
                && let Some(a) = m.fields.author
            {
                return Some(a);
            }
        }
        // The shapes most engines share, which no engine's template covers: "X said:",
        // "Quote from: X on <date>", "Zitat von X".
        let who = self
            .lexicon
            .chrome_words()
            .quote_header
            .author(header)?
            .trim()
            .trim_matches(|c| matches!(c, '"' | '\'' | '“' | '”' | '@'));
        (!who.is_empty()).then(|| who.to_owned())
    }

    /// "ann wrote: the words" → (Some("ann"), "the words").
    fn split_header_line(&self, text: &str) -> Option<(Option<String>, String)> {
        let first = text.lines().next()?;
        if first.chars().count() > HEADER_MAX {
            return None;
        }
        if let Some(m) = self.lexicon.match_line(first)
            && m.label == Label::QuoteHeader
        {
            let rest = text[first.len()..].trim_start().to_owned();
            let rest = match m.fields.value {
                Some(v) if rest.is_empty() => v,
                Some(v) => format!("{v}\n{rest}"),
                None => rest,
            };
            return Some((m.fields.author, rest));
        }
        let who = self.author_from_header(first)?;
        Some((Some(who), text[first.len()..].trim_start().to_owned()))
    }

    fn flush(&mut self, st: &mut State, kind: BlockKind) {
        let buf = std::mem::take(&mut st.buf);
        for para in split_paragraphs(&buf) {
            self.push(st, kind, &para, None);
        }
    }

    fn push(&mut self, st: &mut State, kind: BlockKind, text: &str, author: Option<String>) {
        let text = if kind == BlockKind::Code {
            text.trim_matches('\n').to_owned()
        } else {
            collapse_lines(text)
        };
        if text.trim().is_empty() {
            // An empty quote still says whom the post answered; nothing to keep otherwise.
            return;
        }
        let mut text = repair_text(&text, true, self.repairs);
        if kind != BlockKind::Code {
            text = split_glued_sentences(&text, self.repairs);
        }
        let mut block = Block::new(kind, text);
        block.author = author;
        st.blocks.push(block);
    }
}

/// Paragraphs of a text buffer: blank lines separate them, single line breaks stay.
fn split_paragraphs(buf: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for line in buf.split('\n') {
        let line = collapse(line);
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(cur.join("\n"));
                cur.clear();
            }
        } else {
            cur.push(line);
        }
    }
    if !cur.is_empty() {
        out.push(cur.join("\n"));
    }
    out
}

/// Each line collapsed, empty lines dropped.
fn collapse_lines(s: &str) -> String {
    s.split('\n')
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_code_box(dom: &Dom<'_>, i: usize) -> bool {
    dom.name(i) == "code" && dom.children(i).iter().any(|&c| dom.name(c) == "br")
}

/// Code keeps its lines; the "Code: Select all" caption of a code box is chrome.
fn code_text(dom: &Dom<'_>, i: usize) -> String {
    let mut out = String::new();
    for j in i..=dom.nodes[i].end {
        match dom.nodes[j].kind {
            Kind::Text(t) => out.push_str(t),
            Kind::Elem(e) if e.name() == "br" => out.push('\n'),
            Kind::Elem(_) => {}
        }
    }
    out
}

/// A toggle inside a quote ("Click to expand..."): not the quoted words.
fn is_expand_link(dom: &Dom<'_>, i: usize) -> bool {
    let class = dom.class(i).to_ascii_lowercase();
    vocabulary()
        .quotes
        .expand_holding
        .iter()
        .any(|w| class.contains(w.as_str()))
}

/// The quote's header element ("ann wrote:"), when the quote starts with one.
fn quote_header(dom: &Dom<'_>, q: usize) -> Option<usize> {
    for j in q + 1..=dom.nodes[q].end {
        match dom.nodes[j].kind {
            // Words before any header-like element: the quote has no header of its own.
            Kind::Text(_) if dom.nodes[j].text_len > 0 => return None,
            Kind::Text(_) => {}
            Kind::Elem(e) => {
                if dom.nodes[j].text_len == 0 || cues::is_quote(dom, j, QuoteTest::Any) {
                    continue;
                }
                let class = dom.class(j).to_ascii_lowercase();
                let edges = &vocabulary().quotes.header_edges;
                let headerish = e.name() == "cite"
                    || class
                        .split(|c: char| !c.is_ascii_alphanumeric())
                        .any(|part| {
                            edges
                                .iter()
                                .any(|w| part.ends_with(w.as_str()) || part.starts_with(w.as_str()))
                        });
                if headerish && dom.text(j).chars().count() <= HEADER_MAX {
                    return Some(j);
                }
            }
        }
    }
    None
}
