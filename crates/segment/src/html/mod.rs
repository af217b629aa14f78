//! Segmenting HTML thread pages from their DOM.
//!
//! One parse per page. Two extractors read the tree: engine profiles (CSS selectors per
//! engine, kept as data in `profiles/*.toml`) and a generic segmenter that learns the
//! page's own post template from its repetition. Whichever is surer of its post boundaries
//! wins. A page with no repeated post structure is an article or a single message: its
//! main text, found by text density, becomes one post.

mod anchors;
mod article;
mod dates;
mod dom;
mod generic;
mod meta;
mod prep;
mod profile;
mod render;

use scraper::Html;
use threadmill_lexicon::Lexicon;
use threadmill_model::{Block, BlockKind, ChromeLine, ChromeRole, Post, Thread};

use anchors::Anchors;
use dom::Dom;
use render::Renderer;

/// A post as an extractor found it: where its parts are in the tree, and its facts.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawPost {
    /// The record's node range.
    pub record: (usize, usize),
    /// The element holding the post's own content.
    pub body: usize,
    /// Subtrees inside the body that are not content (buttons, edit notes).
    pub skip: Vec<usize>,
    /// Nodes of the body before this index are a header (name, date) printed inside it.
    pub from: usize,
    /// The signature, when it sits outside the body.
    pub signature: Option<usize>,
    pub author: Option<String>,
    pub author_url: Option<String>,
    pub author_node: Option<usize>,
    pub author_rank: Option<String>,
    pub author_posts: Option<u64>,
    pub author_joined_raw: Option<String>,
    pub date_raw: Option<String>,
    pub date_node: Option<usize>,
    pub id: Option<String>,
    pub permalink: Option<String>,
    pub subject: Option<String>,
}

impl RawPost {
    pub(crate) fn new(record: (usize, usize), body: usize) -> Self {
        Self {
            record,
            body,
            ..Self::default()
        }
    }
}

/// Segments an HTML page into `thread`.
pub(crate) fn segment_html(html: &str, lexicon: &Lexicon, thread: &mut Thread) {
    let prepared = prep::fix_self_closing(html);
    let doc = Html::parse_document(&prepared);
    let dom = Dom::new(&doc);

    thread.title = meta::title(&doc);
    if thread.url.is_none() {
        thread.url = meta::url(&doc);
    }
    let crumbs = meta::board(&doc, thread.title.as_deref());
    thread.board = crumbs.as_ref().map(|(b, _)| b.clone());
    let generator = meta::generator(&doc);
    let (engine, ui_lang) = meta::detect_engine(&dom, lexicon, generator.as_deref());
    let profile_match = profile::best(&dom, &doc, generator.as_deref());
    match (&engine, &profile_match) {
        (Some((e, c)), _) => {
            thread.engine.clone_from(e);
            thread.engine_confidence = *c;
        }
        (None, Some(m)) => {
            thread.engine.clone_from(&m.profile.engine);
            thread.engine_confidence = m.confidence * 0.8;
        }
        (None, None) => {}
    }
    if thread.ui_lang.is_none() {
        thread.ui_lang = ui_lang;
    }
    meta::chrome(thread, crumbs.as_ref().map(|(_, t)| t.as_str()));

    let anchors = Anchors::find(&dom, lexicon);
    let by_profile = profile_match
        .as_ref()
        .filter(|_| std::env::var_os("TM_NO_PROFILES").is_none()) // DEVTEMP
        .and_then(|m| profile::extract(&dom, &doc, &anchors, lexicon, m));
    let by_generic = generic::find_records(&dom, &anchors)
        .map(|c| generic::extract(&dom, &anchors, lexicon, &c));

    let (posts, extractor, confidence) = match (by_profile, by_generic) {
        // A profile that recognised its engine and found whole posts is trusted over the
        // generic finder, which can mistake a list of linked threads for posts.
        (Some((p, name, pc)), Some(g))
            if (pc >= 0.6 && p.len() * 2 >= g.posts.len())
                || p.len() + 1 >= g.posts.len()
                || pc >= g.confidence =>
        {
            (p, format!("html:{name}"), pc)
        }
        (Some((p, name, pc)), None) => (p, format!("html:{name}"), pc),
        (_, Some(g)) if looks_like_thread(&g.posts) => {
            (g.posts, "html:generic".to_owned(), g.confidence)
        }
        _ => {
            single_post(&dom, &anchors, lexicon, thread);
            return;
        }
    };
    thread.extractor = extractor;
    thread.extractor_confidence = confidence;
    for raw in &posts {
        let post = build_post(&dom, lexicon, raw, thread);
        thread.posts.push(post);
    }
}

/// Posts show who wrote them and when: repeated sections of an article (a gallery, a
/// list of dated events) do not, so without that the page is read as one text.
fn looks_like_thread(posts: &[RawPost]) -> bool {
    let strong = posts
        .iter()
        .filter(|p| p.author.is_some() && p.date_raw.is_some())
        .count();
    strong >= 2 && strong * 2 >= posts.len()
}

/// The poster's name as the engine writes it on the post element (`data-author`).
pub(crate) fn author_attr(dom: &Dom<'_>, record: usize) -> Option<String> {
    ["data-author", "data-username", "data-user-name"]
        .iter()
        .filter_map(|a| dom.attr(record, a))
        .map(str::trim)
        .find(|v| !v.is_empty() && v.chars().count() <= 60)
        .map(str::to_owned)
}

/// Turns an extractor's find into a post: blocks from the body, facts as found.
fn build_post(dom: &Dom<'_>, lexicon: &Lexicon, raw: &RawPost, thread: &mut Thread) -> Post {
    let index = thread.posts.len();
    let mut post = Post::new(index);
    let mut renderer = Renderer {
        dom,
        lexicon,
        skip: &raw.skip,
        from: raw.from,
        repairs: &mut thread.repairs,
    };
    post.blocks = renderer.blocks(raw.body);
    if let Some(sig) = raw.signature {
        let text = dom.lines(sig).join("\n");
        if !text.is_empty() {
            thread.chrome.push(ChromeLine {
                role: ChromeRole::Other,
                text,
                post: Some(index),
            });
        }
    }
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    post.author = clean(&raw.author);
    post.author_url = clean(&raw.author_url);
    post.author_rank = clean(&raw.author_rank);
    post.author_posts = raw.author_posts;
    post.author_joined_raw = clean(&raw.author_joined_raw);
    post.posted_at_raw = clean(&raw.date_raw);
    post.id = clean(&raw.id);
    post.permalink = clean(&raw.permalink);
    post.subject = clean(&raw.subject);
    for (role, text) in [
        (ChromeRole::AuthorName, &post.author),
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

/// A page without repeated posts: its main text is one post, with the first date and
/// author cue outside it when there are any.
fn single_post(dom: &Dom<'_>, anchors: &Anchors, lexicon: &Lexicon, thread: &mut Thread) {
    "html:article".clone_into(&mut thread.extractor);
    let Some((body, skip)) = article::main_content(dom) else {
        thread.extractor_confidence = 0.1;
        let mut post = Post::new(0);
        let root = 0;
        for line in dom.lines(root) {
            post.blocks.push(Block::new(BlockKind::Paragraph, line));
        }
        thread.posts.push(post);
        return;
    };
    thread.extractor_confidence = 0.5;
    let mut raw = RawPost::new((body, dom.nodes[body].end), body);
    raw.skip = skip;
    if let Some(d) = anchors
        .dates
        .iter()
        .find(|d| !d.joined && !dom.contains(body, d.node))
    {
        raw.date_raw = Some(d.raw.clone());
    }
    let post = build_post(dom, lexicon, &raw, thread);
    thread.posts.push(post);
}
