//! The main text of a page that is not a thread, found by text density.
//!
//! A news article, a single message: paragraphs of prose vote for the element that holds
//! them, links and boilerplate do not.

use super::dom::{Dom, Kind};
use super::records::shape_key;
use super::vocabulary::vocabulary;

/// A paragraph shorter than this (non-space characters) casts no vote.
const PARA_MIN: u32 = 25;
/// A subtree whose text is mostly links is navigation, not prose.
const LINK_DENSITY_MAX: f64 = 0.5;

/// The element holding the page's main text, and the boilerplate subtrees inside it.
pub(crate) fn main_content(dom: &Dom<'_>) -> Option<(usize, Vec<usize>)> {
    let mut score = vec![0.0f64; dom.nodes.len()];
    let mut votes = vec![0.0f64; dom.nodes.len()];
    for (i, slot) in votes.iter_mut().enumerate() {
        if !is_paragraph(dom, i) {
            continue;
        }
        let own = own_text(dom, i);
        if own < PARA_MIN || link_density(dom, i) > LINK_DENSITY_MAX {
            continue;
        }
        let text = dom.text(i);
        let commas = text.matches([',', '，', '،']).count();
        let vote = 1.0 + commas as f64 + (f64::from(own) / 100.0).min(3.0);
        *slot = vote;
        let mut weight = 1.0;
        for (level, a) in dom.ancestors(i).enumerate() {
            if level > 2 {
                break;
            }
            score[a] += vote * weight;
            weight /= 2.0;
        }
    }
    let mut best: Option<(usize, f64)> = None;
    for (i, &s) in score.iter().enumerate() {
        if s <= 0.0 || is_boilerplate(dom, i) {
            continue;
        }
        let adjusted = s * (1.0 - link_density(dom, i));
        if best.is_none_or(|(_, b)| adjusted > b) {
            best = Some((i, adjusted));
        }
    }
    let (mut top, top_score) = best?;
    // Articles split over sibling sections: climb while the parent gathers clearly more
    // prose than the best child alone.
    // prose than the best child alone (votes counted in whole subtrees).
    let mut votes_in = votes.clone();
    for i in (0..dom.nodes.len()).rev() {
        if let Some(p) = dom.nodes[i].parent {
            votes_in[p] += votes_in[i];
        }
    }
    let _ = top_score;
    // Wrappers that add no prose are looked through, to the first ancestor that does.
    // Only prose in sections shaped like the one on the path (the next chunk of the
    // same article) counts: a blurb in the page header is not more of the article.
    'climb: loop {
        let mut child = top;
        for p in dom.ancestors(top) {
            if matches!(dom.name(p), "body" | "html") || is_boilerplate(dom, p) {
                break 'climb;
            }
            let shape = shape_key(dom, child);
            let gain: f64 = dom
                .elem_children(p)
                .filter(|&c| c != child && shape_key(dom, c) == shape)
                .map(|c| votes_in[c])
                .sum();
            if votes_in[p] - votes_in[top] <= 0.0 {
                child = p;
                continue;
            }
            if gain < votes_in[top] * 0.3 {
                break 'climb;
            }
            top = p;
            continue 'climb;
        }
        break;
    }
    let skip: Vec<usize> = dom
        .elems_in(top)
        .skip(1)
        .filter(|&j| {
            let n = &dom.nodes[j];
            n.text_len > 0
                && ((is_boilerplate(dom, j) && n.text_len < dom.nodes[top].text_len / 2)
                    || (link_density(dom, j) > LINK_DENSITY_MAX
                        && !is_paragraph(dom, j)
                        && n.text_len < 400)
                    || matches!(dom.name(j), "nav" | "aside" | "form" | "footer"))
        })
        .collect();
    Some((top, skip))
}

fn is_paragraph(dom: &Dom<'_>, i: usize) -> bool {
    match dom.name(i) {
        "p" | "pre" | "blockquote" | "li" | "h2" | "h3" | "h4" | "td" | "dd" => true,
        "div" | "section" | "article" | "span" | "font" | "center" => dom
            .children(i)
            .iter()
            .any(|&c| matches!(dom.nodes[c].kind, Kind::Text(t) if t.trim().chars().count() >= 20)),
        _ => false,
    }
}

/// Text directly inside `i` or inside its inline children.
fn own_text(dom: &Dom<'_>, i: usize) -> u32 {
    let mut total = 0;
    for &c in dom.children(i) {
        match dom.nodes[c].kind {
            Kind::Text(_) => total += dom.nodes[c].text_len,
            Kind::Elem(_) if !dom.is_block(c) => {
                total += dom.nodes[c].text_len - dom.nodes[c].link_len;
            }
            Kind::Elem(_) => {}
        }
    }
    total
}

fn link_density(dom: &Dom<'_>, i: usize) -> f64 {
    let n = &dom.nodes[i];
    if n.text_len == 0 {
        return 0.0;
    }
    f64::from(n.link_len) / f64::from(n.text_len)
}

fn is_boilerplate(dom: &Dom<'_>, i: usize) -> bool {
    let class = dom.class(i).to_ascii_lowercase();
    let id = dom.attr(i, "id").unwrap_or("").to_ascii_lowercase();
    let role = dom.attr(i, "role").unwrap_or("");
    if matches!(
        role,
        "navigation" | "banner" | "contentinfo" | "complementary"
    ) {
        return true;
    }
    vocabulary().boilerplate_holding.iter().any(|w| {
        class
            .split(|c: char| c.is_whitespace())
            .any(|c| c.contains(w.as_str()))
            || id.contains(w.as_str())
    })
}
