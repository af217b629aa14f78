//! Whose posts a page keeps, and how sure that is.
//!
//! The candidates: an engine profile's posts, the record finder's, schema.org
//! microdata's or JSON-LD's, the page read as one article, or its main text as a
//! fallback. Every threshold and weight of the choice is a named constant here.

use threadmill_model::{Block, BlockKind, Post, Thread};

use super::engine_profile::ProfileFind;
use super::structured::StructuredFind;
use super::template::TemplateFind;
use super::{Page, RawPost, linked_data, post};

/// Extractor name of posts found by the record finder and the template learner (the
/// name records have always carried).
const RECORDS_EXTRACTOR: &str = "html:generic";
/// Extractor name of posts found from schema.org microdata.
pub(crate) const MARKUP_EXTRACTOR: &str = "html:schema.org";
/// Extractor name of posts read from schema.org JSON-LD.
const LINKED_DATA_EXTRACTOR: &str = "html:json-ld";
/// Extractor name of a page read as one article.
const ARTICLE_EXTRACTOR: &str = "html:article";
/// Extractor name of a page whose posts were not found: its visible text as one post.
pub(crate) const MAIN_TEXT_EXTRACTOR: &str = "html:main-text";

// The share of pages' posts each extractor got right on the dev pages
// (`scripts/quality.sh`, table in docs/quality.md).

/// An engine profile's record.
const PROFILE_SHARE_RIGHT: f32 = 0.92;
/// schema.org markup's record (microdata or JSON-LD).
const MARKUP_SHARE_RIGHT: f32 = 0.82;
/// The record finder's record.
const RECORDS_SHARE_RIGHT: f32 = 0.88;
/// A page read as one article's record.
const ARTICLE_SHARE_RIGHT: f32 = 0.42;
/// Confidence of [`MAIN_TEXT_EXTRACTOR`]: the text is the page's, its boundaries are not
/// a post's.
const MAIN_TEXT_CONFIDENCE: f32 = 0.1;

/// The share of its record an extractor keeps for a page whose posts name no author and
/// date (a list of teasers, a sidebar)...
const UNNAMED_EVIDENCE: f32 = 0.5;
/// ...and the share more in proportion to its posts that name both.
const NAMED_EVIDENCE: f32 = 0.5;
/// Confidences are written in steps of one over this (hundredths).
const CONFIDENCE_STEPS: f32 = 100.0;

/// A profile at least this sure of its posts...
const PROFILE_SURE: f32 = 0.6;
/// ...is kept over the record finder when the finder found at most this many times as
/// many posts.
const SURE_PROFILE_POSTS_RATIO: usize = 2;
/// Any profile is kept over the record finder when it found all of the finder's posts
/// but this many at most.
const PROFILE_MISSED_POSTS_MAX: usize = 1;
/// The record finder's posts replace a profile's that they hold more than this many times
/// the text of: the profile's body selector then misses most of each post in the theme.
const BODY_TEXT_RATIO: u64 = 2;

/// schema.org microdata is used when at least this share of its posts name an author.
const MARKUP_AUTHORS_SHARE_MIN: f32 = 0.5;
/// JSON-LD posts replace the page's when there are at least this many of them...
const LINKED_POSTS_MIN: usize = 2;
/// ...and this many times as many as the page's posts.
const LINKED_POSTS_RATIO: usize = 2;

/// A thread's posts: at least this many name their author and date...
const THREAD_NAMED_POSTS_MIN: usize = 2;
/// ...and at least one in this many.
const THREAD_NAMED_POSTS_RATIO: usize = 2;
/// Share of a thread's post text that may sit in links: above it, the "posts" are a list
/// of linked titles (related threads, a sidebar), not what people wrote.
const POST_LINK_SHARE_MAX: f64 = 0.5;
/// Share of a find's posts that may repeat an earlier one's text: above it, the "posts"
/// are one answer rendered in several views (a page's collapsed and expanded copies), not
/// a thread.
const REPEATED_POSTS_SHARE_MAX: f64 = 0.5;

/// What the extractors found on a page, before any is chosen.
pub(crate) struct Finds {
    /// An engine profile's posts, when a profile recognised the page.
    pub profile: Option<ProfileFind>,
    /// The record finder's records as the template learner read them.
    pub records: Option<TemplateFind>,
    /// schema.org microdata's posts.
    pub markup: Option<StructuredFind>,
}

/// Posts as an extractor found them, with the extractor's name (how sure it is comes from
/// [`calibrated_confidence`] once the posts are built).
type Chosen = (Vec<RawPost>, String);

/// Fills the thread with the posts of the extractor the page is best read by, in this
/// order: the layout (an engine profile or the record finder, [`prefer_layout`]), then
/// schema.org microdata where it names more posts ([`prefer_markup`]), else the page as
/// one article; JSON-LD where it states many more posts ([`prefer_linked_data`]); the
/// page's main text where nothing kept any text ([`main_text_fallback`]). Sets the
/// extractor's name and confidence.
pub(crate) fn arbitrate(page: &Page<'_, '_>, finds: Finds, thread: &mut Thread) {
    let by_layout = prefer_layout(page, finds.profile, finds.records);
    if let Some((posts, extractor)) = prefer_markup(by_layout, finds.markup) {
        thread.extractor = extractor;
        for raw in &posts {
            let post = post::build(page.dom, page.lexicon, raw, thread);
            thread.posts.push(post);
        }
    } else {
        ARTICLE_EXTRACTOR.clone_into(&mut thread.extractor);
        post::push_article(page.dom, page.anchors, page.lexicon, thread);
    }
    prefer_linked_data(page, thread);
    main_text_fallback(page, thread);
    thread.extractor_confidence = calibrated_confidence(thread);
}

/// A profile that recognised its engine and found whole posts is trusted over the record
/// finder, which can mistake a list of linked threads for posts; the finder's posts are
/// kept where they look like a thread's.
fn prefer_layout(
    page: &Page<'_, '_>,
    profile: Option<ProfileFind>,
    records: Option<TemplateFind>,
) -> Option<Chosen> {
    match (profile, records) {
        (Some(p), Some(r)) if profile_wins(page, &p, &r) => {
            Some((p.posts, format!("html:{}", p.name)))
        }
        (Some(p), None) => Some((p.posts, format!("html:{}", p.name))),
        (_, Some(r)) if looks_like_thread(page, &r.posts) => {
            Some((r.posts, RECORDS_EXTRACTOR.to_owned()))
        }
        _ => None,
    }
}

/// True when the profile's posts are kept over the record finder's: it is sure and found
/// about as many, or missed hardly any, or is surer than the finder; unless the finder's
/// posts look like a thread, are as many, and hold far more text.
fn profile_wins(page: &Page<'_, '_>, profile: &ProfileFind, records: &TemplateFind) -> bool {
    let (found, by_records) = (profile.posts.len(), records.posts.len());
    let trusted = (profile.confidence >= PROFILE_SURE
        && found * SURE_PROFILE_POSTS_RATIO >= by_records)
        || found + PROFILE_MISSED_POSTS_MAX >= by_records
        || profile.confidence >= records.confidence;
    let missed_text = looks_like_thread(page, &records.posts)
        && by_records >= found
        && body_text(page, &records.posts) > body_text(page, &profile.posts) * BODY_TEXT_RATIO;
    trusted && !missed_text
}

/// The schema.org markup wins where it names more posts than the layout found (or the
/// layout found none): the markup is the engine's own statement of what a post is, but
/// some engines mark only the opening post, so fewer marked posts are not preferred.
/// The layout is measured against every item the markup marks: on a question-and-answer
/// page the layout may take the comments the markup sets aside for posts.
fn prefer_markup(by_layout: Option<Chosen>, by_markup: Option<StructuredFind>) -> Option<Chosen> {
    let Some(markup) = by_markup.filter(|m| m.with_author >= MARKUP_AUTHORS_SHARE_MIN) else {
        return by_layout;
    };
    match by_layout {
        Some(layout) if layout.0.len() >= markup.marked => Some(layout),
        _ => Some((markup.posts, MARKUP_EXTRACTOR.to_owned())),
    }
}

/// The page's JSON-LD posts replace what the layout gave where they are at least twice as
/// many: pages that render their replies by script still state them for search engines.
/// Otherwise the layout's find is kept (it knows quotes, signatures and the post's markup,
/// and JSON-LD often repeats the opening post or leaves replies out).
fn prefer_linked_data(page: &Page<'_, '_>, thread: &mut Thread) {
    let linked = linked_data::find_posts(page.doc, page.dom);
    if linked.len() < LINKED_POSTS_MIN
        || linked.len() < LINKED_POSTS_RATIO * thread.posts.len().max(1)
    {
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

/// A page with text never vanishes: when no extractor kept any of it, its visible text
/// (less navigation) becomes one post, marked as a fallback.
fn main_text_fallback(page: &Page<'_, '_>, thread: &mut Thread) {
    if thread.posts.iter().any(|p| !p.blocks.is_empty()) {
        return;
    }
    let dom = page.dom;
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

/// `extractor_confidence` as the expected share of the page's posts that are right: the
/// extractor's record on the dev pages, halved for a page whose posts name no author and
/// date (a list of teasers, a sidebar), less the share of posts that repeat another's text
/// (a doubled post count).
fn calibrated_confidence(thread: &Thread) -> f32 {
    let share_right = match thread.extractor.as_str() {
        MAIN_TEXT_EXTRACTOR => return MAIN_TEXT_CONFIDENCE,
        MARKUP_EXTRACTOR | LINKED_DATA_EXTRACTOR => MARKUP_SHARE_RIGHT,
        RECORDS_EXTRACTOR => RECORDS_SHARE_RIGHT,
        ARTICLE_EXTRACTOR => ARTICLE_SHARE_RIGHT,
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
    let evidence = UNNAMED_EVIDENCE + NAMED_EVIDENCE * named / posts;
    (share_right * evidence * (1.0 - repeated / posts) * CONFIDENCE_STEPS).round()
        / CONFIDENCE_STEPS
}

/// Text of the posts' bodies, to compare two extractors' finds.
fn body_text(page: &Page<'_, '_>, posts: &[RawPost]) -> u64 {
    posts
        .iter()
        .map(|p| u64::from(page.dom.nodes[p.body].text_len))
        .sum()
}

/// Posts show who wrote them and when: repeated sections of an article (a gallery, a
/// list of dated events) do not, so without that the page is read as one text. And they
/// are prose: a repeated list of links with names and dates is a list of threads.
fn looks_like_thread(page: &Page<'_, '_>, posts: &[RawPost]) -> bool {
    let strong = posts
        .iter()
        .filter(|p| p.author.is_some() && p.date_raw.is_some())
        .count();
    let (text, links) = posts.iter().fold((0u64, 0u64), |(t, l), p| {
        let body = &page.dom.nodes[p.body];
        (t + u64::from(body.text_len), l + u64::from(body.link_len))
    });
    strong >= THREAD_NAMED_POSTS_MIN
        && strong * THREAD_NAMED_POSTS_RATIO >= posts.len()
        && (links as f64) <= POST_LINK_SHARE_MAX * (text as f64)
        && (repeated_bodies(page, posts) as f64) <= REPEATED_POSTS_SHARE_MAX * posts.len() as f64
}

/// How many posts hold the same text as an earlier one.
fn repeated_bodies(page: &Page<'_, '_>, posts: &[RawPost]) -> usize {
    let mut seen = std::collections::HashSet::new();
    posts
        .iter()
        .map(|p| page.dom.text(p.body))
        .filter(|t| !t.trim().is_empty() && !seen.insert(t.clone()))
        .count()
}

#[cfg(test)]
mod tests {
    use threadmill_lexicon::Lexicon;
    use threadmill_model::{Format, Source};

    use super::*;
    use crate::html::anchors::Anchors;
    use crate::html::dom::{self, Dom};

    /// Parses `html` and hands its page, with no cues found, to `read`.
    fn with_page<R>(html: &str, read: impl FnOnce(&Page<'_, '_>) -> R) -> R {
        let doc = dom::parse(html);
        let dom = Dom::new(&doc);
        let lexicon = Lexicon::builtin().expect("lexicon");
        let anchors = Anchors::default();
        read(&Page {
            doc: &doc,
            dom: &dom,
            anchors: &anchors,
            lexicon: &lexicon,
        })
    }

    #[test]
    fn a_page_whose_posts_are_not_found_keeps_its_text() {
        let html = "<html><body><nav>Home | Forums</nav><div><span>short</span></div>\
                    <div><span>words</span></div></body></html>";
        let mut thread = Thread::new(Source {
            path: "x.html".into(),
            member: None,
            sha256: String::new(),
            bytes: 0,
            format: Format::Html,
        });
        thread.posts.push(Post::new(0));
        with_page(html, |page| main_text_fallback(page, &mut thread));
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
    fn confidence_is_the_extractors_record_less_for_unnamed_and_repeated_posts() {
        let mut thread = Thread::new(Source {
            path: "x.html".into(),
            member: None,
            sha256: String::new(),
            bytes: 0,
            format: Format::Html,
        });
        RECORDS_EXTRACTOR.clone_into(&mut thread.extractor);
        for (i, text) in ["one", "two", "two", "four"].into_iter().enumerate() {
            let mut post = Post::new(i);
            post.blocks
                .push(Block::new(BlockKind::Paragraph, text.to_owned()));
            post.author_name = Some("ann".to_owned());
            post.posted_at_raw = (i < 2).then(|| "today".to_owned());
            thread.posts.push(post);
        }
        // Half the posts named: three quarters of the evidence; one in four repeated.
        let expected = RECORDS_SHARE_RIGHT * 0.75 * 0.75;
        let got = calibrated_confidence(&thread);
        assert!((got - expected).abs() < 0.006, "{got} vs {expected}");
    }

    #[test]
    fn one_text_in_several_views_is_no_thread() {
        let body = |k: usize, text: &str| {
            format!("<div class=\"p\"><b>ann</b> <i>3y</i><p id=\"b{k}\">{text}</p></div>")
        };
        let answer = "I have been reading about the war for weeks now.";
        let html = format!(
            "<html><body>{}{}{}{}{}{}{}</body></html>",
            body(0, answer),
            body(1, answer),
            body(2, answer),
            body(3, answer),
            body(4, answer),
            body(5, "A reply of its own."),
            body(6, "Another reply.")
        );
        with_page(&html, |page| {
            let posts: Vec<RawPost> = (0..page.dom.nodes.len())
                .filter(|&i| page.dom.name(i) == "p")
                .map(|i| {
                    let mut post = RawPost::new((i, i), i);
                    post.author = Some("ann".to_owned());
                    post.date_raw = Some("3y".to_owned());
                    post
                })
                .collect();
            assert_eq!(posts.len(), 7);
            assert_eq!(repeated_bodies(page, &posts), 4);
            assert!(!looks_like_thread(page, &posts));
            assert!(looks_like_thread(page, &posts[4..]));
        });
    }
}
