//! Segmenting HTML thread pages from their DOM.
//!
//! One parse per page. Two extractors read the tree: engine profiles (CSS selectors per
//! engine, kept as data in `profiles/*.toml`) and a generic segmenter that learns the
//! page's own post template from its repetition. Whichever is surer of its post boundaries
//! wins. A page with no repeated post structure is an article or a single message: its
//! main text, found by text density, becomes one post.

mod anchors;
mod article;
mod cues;
mod dates;
mod dom;
mod generic;
mod linked_data;
mod meta;
mod prep;
mod profile;
mod render;
mod structured;

use threadmill_lexicon::Lexicon;
use threadmill_model::{Block, BlockKind, ChromeLine, ChromeRole, Link, Post, Thread};

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
    /// The machine-readable time when the extractor read it from markup itself.
    pub date_machine: Option<String>,
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
pub(crate) fn segment_html(html: &str, lexicon: &Lexicon, use_profiles: bool, thread: &mut Thread) {
    let prepared = prep::fix_self_closing(html);
    let doc = dom::parse(&prepared);
    let dom = Dom::new(&doc);

    let heads = meta::HeadElements::new(&doc);
    thread.title = meta::title(&heads);
    if thread.url.is_none() {
        thread.url = meta::url(&heads);
    }
    let crumbs = meta::board(&doc, thread.title.as_deref());
    thread.board = crumbs.as_ref().map(|(b, _)| b.clone());
    let generator = meta::generator(&heads);
    let (engine, ui_lang) = meta::detect_engine(&dom, lexicon, generator.as_deref());
    let classes = profile::page_classes(&dom);
    let profile_match =
        profile::best(&doc, &classes, generator.as_deref()).filter(|_| use_profiles);
    // The generator meta and footer signatures name the engine; the class vocabulary a
    // profile recognised names it when they are silent or weaker.
    match (&engine, &profile_match) {
        (Some((e, c)), Some(m)) if m.profile.engine != *e && m.confidence * 0.8 > *c => {
            thread.engine.clone_from(&m.profile.engine);
            thread.engine_confidence = m.confidence * 0.8;
        }
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
        .and_then(|m| profile::extract(&dom, &doc, &anchors, lexicon, m, &classes));
    let by_generic = generic::find_records(&dom, &anchors, lexicon)
        .map(|c| generic::extract(&dom, &anchors, lexicon, &c));

    let by_layout = match (by_profile, by_generic) {
        // A profile that recognised its engine and found whole posts is trusted over the
        // generic finder, which can mistake a list of linked threads for posts.
        // Unless the generic finder's posts hold twice the text: the profile's body
        // selector then misses most of each post in this theme.
        (Some((p, name, pc)), Some(g))
            if ((pc >= 0.6 && p.len() * 2 >= g.posts.len())
                || p.len() + 1 >= g.posts.len()
                || pc >= g.confidence)
                && !(looks_like_thread(&dom, &g.posts)
                    && g.posts.len() >= p.len()
                    && body_text(&dom, &g.posts) > body_text(&dom, &p) * 2) =>
        {
            Some((p, format!("html:{name}")))
        }
        (Some((p, name, _)), None) => Some((p, format!("html:{name}"))),
        (_, Some(g)) if looks_like_thread(&dom, &g.posts) => {
            Some((g.posts, "html:generic".to_owned()))
        }
        _ => None,
    };
    let by_markup = structured::find_posts(&dom, &anchors);
    if let Some((posts, extractor)) = prefer_markup(by_layout, by_markup) {
        thread.extractor = extractor;
        for raw in &posts {
            let post = build_post(&dom, lexicon, raw, thread);
            thread.posts.push(post);
        }
    } else {
        single_post(&dom, &anchors, lexicon, thread);
    }
    prefer_linked_data(&doc, &dom, thread);
    main_text_fallback(&dom, thread);
    thread.extractor_confidence = calibrated_confidence(thread);
}

/// The share of pages' posts each extractor got right on the dev pages
/// (`scripts/quality.sh`, table in docs/quality.md): an engine profile, schema.org markup,
/// the repeated-structure finder, a page read as one article.
const PROFILE_SHARE_RIGHT: f32 = 0.92;
const MARKUP_SHARE_RIGHT: f32 = 0.82;
const GENERIC_SHARE_RIGHT: f32 = 0.88;
const ARTICLE_SHARE_RIGHT: f32 = 0.42;

/// `extractor_confidence` as the expected share of the page's posts that are right: the
/// extractor's record on the dev pages, halved for a page whose posts name no author and
/// date (a list of teasers, a sidebar), less the share of posts that repeat another's text
/// (a doubled post count).
fn calibrated_confidence(thread: &Thread) -> f32 {
    let share_right = match thread.extractor.as_str() {
        MAIN_TEXT_EXTRACTOR => return MAIN_TEXT_CONFIDENCE,
        MARKUP_EXTRACTOR | LINKED_DATA_EXTRACTOR => MARKUP_SHARE_RIGHT,
        "html:generic" => GENERIC_SHARE_RIGHT,
        "html:article" => ARTICLE_SHARE_RIGHT,
        _ => PROFILE_SHARE_RIGHT,
    };
    let posts = thread.posts.len().max(1) as f32;
    let named = thread
        .posts
        .iter()
        .filter(|p| p.has_author() && p.posted_at_raw.is_some())
        .count() as f32;
    // The posts' text is joined from their blocks later, in `blocks::finish`.
    let mut texts: Vec<String> = thread
        .posts
        .iter()
        .map(|p| p.blocks.iter().map(|b| b.text.as_str()).collect())
        .collect();
    texts.sort_unstable();
    let repeated = texts
        .windows(2)
        .filter(|w| w[0] == w[1] && !w[0].is_empty())
        .count() as f32;
    let evidence = 0.5 + 0.5 * named / posts;
    (share_right * evidence * (1.0 - repeated / posts) * 100.0).round() / 100.0
}

/// Extractor name of a page whose posts were not found: its visible text as one post.
pub(crate) const MAIN_TEXT_EXTRACTOR: &str = "html:main-text";
/// Confidence of [`MAIN_TEXT_EXTRACTOR`]: the text is the page's, its boundaries are not
/// a post's.
const MAIN_TEXT_CONFIDENCE: f32 = 0.1;

/// A page with text never vanishes: when no extractor kept any of it, its visible text
/// (less navigation) becomes one post, marked as a fallback.
fn main_text_fallback(dom: &Dom<'_>, thread: &mut Thread) {
    if thread.posts.iter().any(|p| !p.blocks.is_empty()) {
        return;
    }
    let body = (0..dom.nodes.len())
        .find(|&i| dom.name(i) == "body")
        .unwrap_or(0);
    let lines = dom.lines_except(body, |i| matches!(dom.name(i), "nav" | "header" | "footer"));
    if lines.is_empty() {
        return;
    }
    thread.posts.clear();
    MAIN_TEXT_EXTRACTOR.clone_into(&mut thread.extractor);
    thread.extractor_confidence = MAIN_TEXT_CONFIDENCE;
    let mut post = Post::new(0);
    post.blocks = lines
        .into_iter()
        .map(|line| Block::new(BlockKind::Paragraph, line))
        .collect();
    thread.posts.push(post);
}

/// Extractor name of posts read from schema.org JSON-LD.
const LINKED_DATA_EXTRACTOR: &str = "html:json-ld";

/// The page's JSON-LD posts replace what the layout gave where they are at least twice as
/// many: pages that render their replies by script still state them for search engines.
/// Otherwise the layout's find is kept (it knows quotes, signatures and the post's markup,
/// and JSON-LD often repeats the opening post or leaves replies out).
fn prefer_linked_data(doc: &scraper::Html, dom: &Dom<'_>, thread: &mut Thread) {
    let linked = linked_data::find_posts(doc, dom);
    if linked.len() < 2 || linked.len() < 2 * thread.posts.len().max(1) {
        return;
    }
    thread.posts.clear();
    thread.chrome.retain(|c| c.post.is_none());
    LINKED_DATA_EXTRACTOR.clone_into(&mut thread.extractor);
    for (index, found) in linked.into_iter().enumerate() {
        let mut post = Post::new(index);
        post.blocks = found
            .lines
            .into_iter()
            .map(|line| Block::new(BlockKind::Paragraph, line))
            .collect();
        post.author_name = found.author;
        post.author_url = found.author_url;
        post.posted_at_attr.clone_from(&found.date);
        post.posted_at_raw = found.date;
        post.permalink = found.url;
        thread.posts.push(post);
    }
}

/// Extractor name of posts found from schema.org microdata.
const MARKUP_EXTRACTOR: &str = "html:schema.org";

/// Posts as an extractor found them, with the extractor's name (how sure it is comes from
/// [`calibrated_confidence`] once the posts are built).
type Found = (Vec<RawPost>, String);

/// The schema.org markup wins where it names more posts than the layout found (or the
/// layout found none): the markup is the engine's own statement of what a post is, but
/// some engines mark only the opening post, so fewer marked posts are not preferred.
fn prefer_markup(
    by_layout: Option<Found>,
    by_markup: Option<structured::StructuredFind>,
) -> Option<Found> {
    let Some(markup) = by_markup.filter(|m| m.with_author >= 0.5) else {
        return by_layout;
    };
    match by_layout {
        Some(layout) if layout.0.len() >= markup.posts.len() => Some(layout),
        _ => Some((markup.posts, MARKUP_EXTRACTOR.to_owned())),
    }
}

/// Text of the posts' bodies, to compare two extractors' finds.
fn body_text(dom: &Dom<'_>, posts: &[RawPost]) -> u64 {
    posts
        .iter()
        .map(|p| u64::from(dom.nodes[p.body].text_len))
        .sum()
}

/// Share of a thread's post text that may sit in links: above it, the "posts" are a list
/// of linked titles (related threads, a sidebar), not what people wrote.
const POST_LINK_SHARE_MAX: f64 = 0.5;

/// Posts show who wrote them and when: repeated sections of an article (a gallery, a
/// list of dated events) do not, so without that the page is read as one text. And they
/// are prose: a repeated list of links with names and dates is a list of threads.
fn looks_like_thread(dom: &Dom<'_>, posts: &[RawPost]) -> bool {
    let strong = posts
        .iter()
        .filter(|p| p.author.is_some() && p.date_raw.is_some())
        .count();
    let (text, links) = posts.iter().fold((0u64, 0u64), |(t, l), p| {
        let body = &dom.nodes[p.body];
        (t + u64::from(body.text_len), l + u64::from(body.link_len))
    });
    strong >= 2
        && strong * 2 >= posts.len()
        && (links as f64) <= POST_LINK_SHARE_MAX * (text as f64)
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
    post.posted_at_attr = raw
        .date_machine
        .clone()
        .or_else(|| raw.date_node.and_then(|n| dates::machine_time(dom, n)));
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

/// A page without repeated posts: its main text is one post, with the first date and
/// author cue outside it when there are any.
fn single_post(dom: &Dom<'_>, anchors: &Anchors, lexicon: &Lexicon, thread: &mut Thread) {
    "html:article".clone_into(&mut thread.extractor);
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
    let post = build_post(dom, lexicon, &raw, thread);
    thread.posts.push(post);
}

#[cfg(test)]
mod tests {
    use threadmill_model::{Cleaned, Document, Format, Repairs, Source};

    use super::*;
    use crate::{SegmentConfig, segment};

    fn run(html: &str) -> Thread {
        let lexicon = Lexicon::builtin().expect("lexicon");
        let source = Source {
            path: "page.html".into(),
            member: None,
            sha256: String::new(),
            bytes: html.len() as u64,
            format: Format::Html,
        };
        let cleaned = Cleaned {
            source,
            url: None,
            reference_time: None,
            document: Document::Html(html.to_owned()),
            chrome: Vec::new(),
            repairs: Repairs::default(),
        };
        segment(cleaned, &lexicon, &SegmentConfig::default()).expect("segments")
    }

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/html/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// (author, date as printed, a phrase of the post's own words).
    fn assert_posts(thread: &Thread, expected: &[(&str, &str, &str)]) {
        let got: Vec<_> = thread
            .posts
            .iter()
            .map(|p| (p.author_name.as_deref(), p.posted_at_raw.as_deref()))
            .collect();
        assert_eq!(thread.posts.len(), expected.len(), "{got:?}");
        for (post, (author, date, words)) in thread.posts.iter().zip(expected) {
            assert_eq!(post.author_name.as_deref(), Some(*author), "{got:?}");
            assert_eq!(post.posted_at_raw.as_deref(), Some(*date), "{got:?}");
            let own: String = post
                .blocks
                .iter()
                .filter(|b| b.kind == BlockKind::Paragraph)
                .map(|b| b.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            assert!(own.contains(words), "{own:?} lacks {words:?}");
        }
    }

    fn quote_of(post: &Post) -> Option<(&str, Option<&str>)> {
        post.blocks
            .iter()
            .find(|b| b.kind == BlockKind::Quote)
            .map(|b| (b.text.as_str(), b.author.as_deref()))
    }

    #[test]
    fn phpbb3() {
        let t = run(&fixture("phpbb3.html"));
        assert_eq!(t.extractor, "html:phpbb3");
        assert_eq!(t.engine, "phpbb");
        assert_eq!(t.title.as_deref(), Some("Best bread flour?"));
        assert_eq!(
            t.url.as_deref(),
            Some("https://bake.example/viewtopic.php?t=7")
        );
        assert_eq!(t.board.as_deref(), Some("Bread"));
        assert_posts(
            &t,
            &[
                (
                    "ann",
                    "Sun Mar 06, 2016 5:45 am",
                    "Which flour gives the best crust?",
                ),
                ("bob", "Sun Mar 06, 2016 8:00 am", "strong white flour"),
            ],
        );
        let ann = &t.posts[0];
        // Resolved against the page's canonical address.
        assert_eq!(
            ann.author_url.as_deref(),
            Some("https://bake.example/memberlist.php?mode=viewprofile&u=5")
        );
        assert_eq!(ann.author_id.as_deref(), Some("5"));
        assert_eq!(ann.author.as_deref(), Some("ann"));
        assert_eq!(ann.author_rank.as_deref(), Some("Crumb Expert"));
        assert_eq!(ann.author_posts, Some(1234));
        assert_eq!(
            ann.author_joined_raw.as_deref(),
            Some("Tue Jan 05, 2010 9:00 am")
        );
        assert_eq!(ann.id.as_deref(), Some("101"));
        assert!(
            !ann.text.contains("Baking since"),
            "signature kept out of the text"
        );
        let (quoted, who) = quote_of(&t.posts[1]).expect("a quote");
        assert_eq!(
            (quoted, who),
            ("Which flour gives the best crust?", Some("ann"))
        );
        assert!(
            !t.posts[1]
                .blocks
                .iter()
                .any(|b| b.kind == BlockKind::Paragraph && b.text.contains("ann wrote"))
        );
    }

    #[test]
    fn vbulletin4() {
        let t = run(&fixture("vbulletin4.html"));
        assert_eq!(t.extractor, "html:vbulletin4");
        assert_eq!(t.engine, "vbulletin");
        assert_eq!(t.board.as_deref(), Some("Tyres"));
        assert_posts(
            &t,
            &[
                ("carl", "01-12-2018, 08:15 AM", "mild climate"),
                ("dora", "01-12-2018, 09:40 AM", "drive in the hills"),
            ],
        );
        // No page address to resolve against: the link as printed, keyed by its user id.
        assert_eq!(t.posts[0].author_url.as_deref(), Some("member.php?11-carl"));
        assert_eq!(t.posts[0].author_id.as_deref(), Some("11"));
        assert_eq!(t.posts[0].author.as_deref(), Some("carl"));
        assert_eq!(t.posts[0].author_rank.as_deref(), Some("Senior Member"));
        let (quoted, who) = quote_of(&t.posts[1]).expect("a quote");
        assert_eq!(who, Some("carl"));
        assert!(
            quoted.contains("winter tyres") && !quoted.contains("Originally"),
            "{quoted}"
        );
    }

    #[test]
    fn xenforo2() {
        let t = run(&fixture("xenforo2.html"));
        assert_eq!(t.extractor, "html:xenforo2");
        assert_eq!(t.engine, "xenforo");
        assert_eq!(
            t.url.as_deref(),
            Some("https://garden.example/threads/pruning-roses.55/")
        );
        assert_eq!(t.title.as_deref(), Some("Pruning roses in autumn"));
        assert_posts(
            &t,
            &[
                ("gina", "Apr 23, 2020", "climbing roses"),
                ("hugo", "Apr 24, 2020", "late winter"),
            ],
        );
        assert_eq!(
            t.posts[1].author_url.as_deref(),
            Some("https://garden.example/members/hugo.11/")
        );
        assert_eq!(t.posts[1].author_id.as_deref(), Some("11"));
        let (quoted, who) = quote_of(&t.posts[1]).expect("a quote");
        assert_eq!(
            (quoted, who),
            ("Should I cut my climbing roses back now?", Some("gina"))
        );
        assert!(!t.posts[1].text.contains("Click to expand"));
    }

    #[test]
    fn discourse_crawler_view() {
        let t = run(&fixture("discourse.html"));
        assert_eq!(t.extractor, "html:discourse");
        assert_eq!(t.engine, "discourse");
        assert_posts(
            &t,
            &[
                ("ivy", "May 1, 2020, 12:00pm", "nail polish"),
                ("jon", "May 1, 2020, 1:30pm", "hungry"),
            ],
        );
        assert_eq!(
            t.posts[0].author_url.as_deref(),
            Some("https://discourse.example/u/ivy")
        );
        let (quoted, _) = quote_of(&t.posts[1]).expect("a quote");
        assert_eq!(quoted, "Is it dead?");
    }

    #[test]
    fn smf2() {
        let t = run(&fixture("smf2.html"));
        assert_eq!(t.extractor, "html:smf2");
        assert_eq!(t.engine, "smf");
        assert_posts(
            &t,
            &[
                ("kim", "March 03, 2019, 10:12:45 AM", "shows as offline"),
                ("leo", "March 03, 2019, 11:30:00 AM", "Reinstall the driver"),
            ],
        );
        assert_eq!(t.posts[1].author_posts, Some(5120));
        let (quoted, who) = quote_of(&t.posts[1]).expect("a quote");
        assert_eq!((quoted, who), ("Restarting does not help.", Some("kim")));
    }

    #[test]
    fn invision4() {
        let t = run(&fixture("invision4.html"));
        assert_eq!(t.extractor, "html:invision4");
        assert_posts(
            &t,
            &[
                ("mia", "August 19, 2013", "never locks focus"),
                ("ned", "August 20, 2013", "centre focus point"),
            ],
        );
        assert_eq!(
            t.posts[0].author_url.as_deref(),
            Some("https://photo.example/profile/77-mia/")
        );
        let (quoted, who) = quote_of(&t.posts[1]).expect("a quote");
        assert_eq!((quoted, who), ("never locks focus indoors", Some("mia")));
        assert!(
            !t.posts[1].text.contains("film days"),
            "signature kept out of the text"
        );
    }

    #[test]
    fn unknown_layout_is_found_by_its_repetition() {
        let t = run(&fixture("custom.html"));
        assert_eq!(t.extractor, "html:generic");
        assert_eq!(t.title.as_deref(), Some("Which walking boots?"));
        assert_posts(
            &t,
            &[
                ("pat", "12.04.2021 18:40", "My old boots leak."),
                ("quinn", "12.04.2021 19:02", "Leather boots"),
                ("pat", "13.04.2021 07:15", "look for leather"),
            ],
        );
        assert_eq!(
            t.posts[1].author_url.as_deref(),
            Some("show_user.cgi?uid=3")
        );
        assert!(
            !t.posts.iter().any(|p| p.text.contains("Map apps")),
            "the side list is no post"
        );
    }

    #[test]
    fn posts_kept_for_crawlers_in_noscript_are_read() {
        let t = run(&fixture("discourse-noscript.html"));
        assert_posts(
            &t,
            &[
                ("rosa", "March 2, 2023, 8:15am", "white scale"),
                ("tomas", "March 2, 2023, 9:40am", "white vinegar"),
                ("rosa", "March 3, 2023, 6:05pm", "citric acid"),
            ],
        );
        assert!(
            !t.posts.iter().any(|p| p.text.contains("enable JavaScript")),
            "a short noscript note is no content"
        );
        assert_eq!(
            t.posts[1].posted_at_attr.as_deref(),
            Some("2023-03-02T09:40:00Z")
        );
        assert_eq!(
            t.posts[0].author_url.as_deref(),
            Some("https://gadgets.example/u/rosa")
        );
        assert_eq!(t.posts[0].author_id.as_deref(), Some("rosa"));
    }

    #[test]
    fn questions_answers_and_comments_from_schema_org_microdata() {
        let t = run(&fixture("qa-microdata.html"));
        assert_eq!(t.extractor, MARKUP_EXTRACTOR);
        let got: Vec<_> = t
            .posts
            .iter()
            .map(|p| {
                (
                    p.author.as_deref(),
                    p.id.as_deref(),
                    p.posted_at_attr.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some("Lena"), Some("311"), Some("2021-05-04T10:20:00Z")),
                (Some("marco"), Some("901"), Some("2021-05-04T11:00:00Z")),
                (
                    Some("marco"),
                    Some("312"),
                    Some("2021-05-04T12:45:00+02:00")
                ),
            ]
        );
        assert!(t.posts[0].text.contains("wilts within a week"));
        assert!(
            !t.posts[0].text.contains("Which way"),
            "the comment is a post of its own, not part of the question"
        );
        assert!(!t.posts.iter().any(|p| p.text.contains("Mint in winter")));
        // The session id is no part of who the author is.
        assert_eq!(
            t.posts[0].author_url.as_deref(),
            Some("https://plants.example/users/52/lena")
        );
        assert_eq!(t.posts[0].author_id.as_deref(), Some("52"));
    }

    #[test]
    fn links_come_from_their_href_with_the_text_shown() {
        let t = run(&fixture("qa-microdata.html"));
        let links: Vec<_> = t.posts[2]
            .links
            .iter()
            .map(|l| (l.url.as_str(), l.text.as_deref()))
            .collect();
        assert_eq!(
            links,
            [(
                "https://growing.example/guides/herbs/basil-indoors-complete-guide.html",
                Some("https://growing.example/guides/herbs/basil-in...guide.html")
            )]
        );
    }

    #[test]
    fn a_page_whose_posts_are_not_found_keeps_its_text() {
        let html = "<html><body><nav>Home | Forums</nav><div><span>short</span></div>\
                    <div><span>words</span></div></body></html>";
        let doc = dom::parse(html);
        let dom = Dom::new(&doc);
        let mut thread = Thread::new(Source {
            path: "x.html".into(),
            member: None,
            sha256: String::new(),
            bytes: 0,
            format: Format::Html,
        });
        thread.posts.push(Post::new(0));
        main_text_fallback(&dom, &mut thread);
        assert_eq!(thread.extractor, MAIN_TEXT_EXTRACTOR);
        assert!(thread.extractor_confidence < 0.2);
        let texts: Vec<_> = thread.posts[0]
            .blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(texts, ["short", "words"], "navigation left out");
    }

    #[test]
    fn engine_profiles_can_be_turned_off() {
        let lexicon = Lexicon::builtin().expect("lexicon");
        let mut thread = Thread::new(Source {
            path: "x.html".into(),
            member: None,
            sha256: String::new(),
            bytes: 0,
            format: Format::Html,
        });
        segment_html(&fixture("phpbb3.html"), &lexicon, false, &mut thread);
        assert!(
            !thread.extractor.starts_with("html:phpbb"),
            "{}",
            thread.extractor
        );
        assert!(!thread.posts.is_empty(), "the page still makes a record");
    }

    #[test]
    fn a_news_article_is_one_post_of_its_main_text() {
        let t = run(&fixture("article.html"));
        assert_eq!(t.extractor, "html:article");
        assert_eq!(t.posts.len(), 1);
        let text = &t.posts[0].text;
        assert!(
            text.contains("turning an old industrial strip")
                && text.contains("until late in the evening"),
            "{text}"
        );
        assert!(
            !text.contains("Weather") && !text.contains("Bridge repairs"),
            "{text}"
        );
    }

    #[test]
    fn self_closing_script_does_not_swallow_the_page() {
        let html = r#"<html><head><script src="a.js"/><title>T</title></head><body>
            <p>The whole page is still here and readable by the segmenter, all of it.</p>
            <textarea/><p>Also this second paragraph after a self-closed textarea, with words.</p></body></html>"#;
        let t = run(html);
        let text = &t.posts[0].text;
        assert!(
            text.contains("still here") && text.contains("second paragraph"),
            "{text}"
        );
    }

    #[test]
    fn scripts_and_styles_are_not_text() {
        let html = "<html><body><style>p { color: red }</style><script>var x = 'hidden words';</script>\
                    <p>Only this sentence is visible on the page, and it is long enough to count.</p></body></html>";
        let t = run(html);
        assert!(!t.posts[0].text.contains("hidden words") && !t.posts[0].text.contains("color"));
    }

    #[test]
    fn odd_input_does_not_panic() {
        let lexicon = Lexicon::builtin().expect("lexicon");
        let deep = "<div>".repeat(3000) + "deep text here" + &"</div>".repeat(3000);
        for html in [
            "",
            "<",
            "<html>",
            "<table><tr><td>x",
            &deep,
            "<blockquote><blockquote>q</blockquote></blockquote>",
        ] {
            let mut thread = Thread::new(Source {
                path: "x".into(),
                member: None,
                sha256: String::new(),
                bytes: 0,
                format: Format::Html,
            });
            segment_html(html, &lexicon, true, &mut thread);
        }
    }
}
