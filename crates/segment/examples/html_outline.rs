//! Prints the element tree of an HTML page as the segmenter's parser sees it (tags,
//! classes, ids, visible text sizes), to study a layout the segmenter gets wrong.
//!
//! `cargo run -p threadmill-segment --example html_outline -- PAGE.html [MAX_DEPTH] [MIN_TEXT]`

use std::fmt::Write as _;

use ego_tree::NodeRef;
use scraper::{Html, Node};

#[path = "common/page.rs"]
mod page;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: html_outline PAGE [MAX_DEPTH] [MIN_TEXT]")?;
    let max_depth: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(40);
    let min_text: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let (bytes, _) = page::read_page(std::path::Path::new(&path))?;
    let text = String::from_utf8_lossy(&bytes);
    let doc = Html::parse_document(&text);
    let mut out = String::new();
    walk(doc.tree.root(), 0, max_depth, min_text, &mut out);
    std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes())?;
    Ok(())
}

fn text_len(node: NodeRef<'_, Node>) -> usize {
    node.descendants()
        .filter_map(|n| {
            n.value()
                .as_text()
                .map(|t| t.chars().filter(|c| !c.is_whitespace()).count())
        })
        .sum()
}

fn walk(node: NodeRef<'_, Node>, depth: usize, max: usize, min_text: usize, out: &mut String) {
    if depth > max {
        return;
    }
    match node.value() {
        Node::Element(e) => {
            if matches!(e.name(), "script" | "style" | "noscript" | "svg" | "head") {
                return;
            }
            let len = text_len(node);
            if len < min_text {
                return;
            }
            let mut line = format!("{}{}", "  ".repeat(depth), e.name());
            if let Some(id) = e.attr("id") {
                let _ = write!(line, "#{id}");
            }
            if let Some(c) = e.attr("class") {
                let _ = write!(
                    line,
                    ".{}",
                    c.split_whitespace().collect::<Vec<_>>().join(".")
                );
            }
            if let Some(h) = e.attr("href") {
                let _ = write!(line, " href={}", h.chars().take(60).collect::<String>());
            }
            let own: String = node
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let _ = write!(line, " [{len}]");
            if !own.is_empty() {
                let _ = write!(line, " \"{}\"", own.chars().take(70).collect::<String>());
            }
            out.push_str(&line);
            out.push('\n');
            for c in node.children() {
                walk(c, depth + 1, max, min_text, out);
            }
        }
        Node::Document | Node::Fragment => {
            for c in node.children() {
                walk(c, depth, max, min_text, out);
            }
        }
        _ => {}
    }
}
