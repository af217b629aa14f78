//! An extractor's find made a post: blocks from the body, links, and facts as found.

use threadmill_lexicon::Lexicon;
use threadmill_model::{Block, BlockKind, ChromeLine, ChromeRole, Link, Post, Thread};

use super::RawPost;
use super::anchors::Anchors;
use super::dom::Dom;
use super::render::Renderer;
use super::{article, dates};

/// Turns an extractor's find into a post: blocks from the body, facts as found.
pub(crate) fn build(dom: &Dom<'_>, lexicon: &Lexicon, raw: &RawPost, thread: &mut Thread) -> Post {
    let index = thread.posts.len();
    let mut post = Post::new(index);
    let mut renderer = Renderer {
        dom,
        lexicon,
        skip: &raw.skip,
        from: raw.from,
        repairs: &mut thread.repairs,
        signatures: Vec::new(),
    };
    post.blocks = renderer.blocks(raw.body);
    // Signatures are blocks of their own, left out of the post's text: they repeat under
    // every post of their author and say nothing about the thread.
    let mut signatures = std::mem::take(&mut renderer.signatures);
    signatures.extend(
        raw.signature
            .map(|sig| dom.lines(sig).join("\n"))
            .filter(|t| !t.is_empty()),
    );
    for text in signatures {
        post.blocks.push(Block::new(BlockKind::Signature, text));
    }
    post.links = body_links(dom, raw, thread.url.as_deref());
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    post.author_name = clean(&raw.author);
    post.author_url = clean(&raw.author_url);
    post.author_rank = clean(&raw.author_rank);
    post.author_posts = raw.author_posts;
    post.author_joined_raw = clean(&raw.author_joined_raw);
    post.posted_at_raw = clean(&raw.date_raw);
    // A relative display ("2y", "4 months ago") with no machine time beside it may print
    // the absolute date in its tooltip.
    let relative = post
        .posted_at_raw
        .as_deref()
        .is_some_and(|d| !crate::dates::looks_like_date(d, lexicon));
    post.posted_at_attr = raw
        .date_machine
        .clone()
        .or_else(|| raw.date_node.and_then(|n| dates::machine_time(dom, n)))
        .or_else(|| {
            raw.date_node
                .filter(|_| relative)
                .and_then(|n| dates::titled_date(dom, n, lexicon))
        });
    post.id = clean(&raw.id);
    post.permalink = clean(&raw.permalink);
    post.subject = clean(&raw.subject);
    for (role, text) in [
        (ChromeRole::AuthorName, &post.author_name),
        (ChromeRole::AuthorRank, &post.author_rank),
        (ChromeRole::PostHeader, &post.posted_at_raw),
        (ChromeRole::Subject, &post.subject),
    ] {
        if let Some(text) = text {
            thread.chrome.push(ChromeLine {
                role,
                text: text.clone(),
                post: Some(index),
            });
        }
    }
    post
}

/// The links the post's body marks up, in order, each URL once: the `href` (absolute
/// where the page's address is known) with the text shown. Links in the header before
/// `from` and in skipped subtrees (buttons, nested posts) are not the post's.
fn body_links(dom: &Dom<'_>, raw: &RawPost, page_url: Option<&str>) -> Vec<Link> {
    let mut links: Vec<Link> = Vec::new();
    for j in dom.elems_in(raw.body) {
        if j < raw.from || dom.name(j) != "a" || raw.skip.iter().any(|&s| dom.contains(s, j)) {
            continue;
        }
        let Some(href) = dom.attr(j, "href").map(str::trim) else {
            continue;
        };
        let lower = href.to_ascii_lowercase();
        if href.is_empty()
            || href.starts_with('#')
            || lower.starts_with("javascript:")
            || lower.starts_with("mailto:")
        {
            continue;
        }
        let url = threadmill_model::url::resolve(page_url, href).unwrap_or_else(|| href.to_owned());
        if links.iter().any(|l| l.url == url) {
            continue;
        }
        links.push(Link {
            url,
            text: Some(dom.text(j)),
            domain: None,
            truncated: false,
        });
    }
    links
}

/// A page without repeated posts: its main text is one post, with the first date cue
/// outside it when there is one.
pub(crate) fn push_article(
    dom: &Dom<'_>,
    anchors: &Anchors,
    lexicon: &Lexicon,
    thread: &mut Thread,
) {
    let Some((body, skip)) = article::main_content(dom) else {
        let mut post = Post::new(0);
        let root = 0;
        for line in dom.lines(root) {
            post.blocks.push(Block::new(BlockKind::Paragraph, line));
        }
        thread.posts.push(post);
        return;
    };
    let mut raw = RawPost::new((body, dom.nodes[body].end), body);
    raw.skip = skip;
    if let Some(d) = anchors
        .dates
        .iter()
        .find(|d| !d.joined && !dom.contains(body, d.node))
    {
        raw.date_raw = Some(d.raw.clone());
        raw.date_node = Some(d.node);
    }
    let post = build(dom, lexicon, &raw, thread);
    thread.posts.push(post);
}
