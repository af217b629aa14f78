//! Segmenting HTML thread pages from their DOM.
//!
//! One parse per page. Several extractors read the tree: engine profiles (CSS selectors
//! per engine, kept as data in `profiles/*.toml`, `engine_profile.rs`), schema.org
//! microdata (`structured.rs`) and JSON-LD (`linked_data.rs`), and the record finder
//! (`records.rs`), which finds the page's repeated sibling structures, with the template
//! learner (`template.rs`), which learns what each of them holds. `arbitrate.rs` decides
//! whose posts the page keeps. A page with no repeated post structure is an article or a
//! single message: its main text, found by text density, becomes one post. The class, id
//! and attribute words all of them look for are data too (`profiles/vocabulary.toml`).

mod anchors;
mod arbitrate;
mod article;
mod cues;
mod dates;
mod dom;
mod engine_profile;
mod linked_data;
mod meta;
mod post;
mod prep;
mod probe;
mod records;
mod render;
mod structured;
mod template;
mod vocabulary;

use threadmill_lexicon::Lexicon;
use threadmill_model::Thread;

use anchors::Anchors;
use dom::Dom;

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

/// The parsed page and what every extractor reads of it.
pub(crate) struct Page<'p, 'a> {
    pub doc: &'a scraper::Html,
    pub dom: &'p Dom<'a>,
    pub anchors: &'p Anchors,
    pub lexicon: &'p Lexicon,
}

/// Segments an HTML page into `thread`.
pub(crate) fn segment_html(html: &str, lexicon: &Lexicon, use_profiles: bool, thread: &mut Thread) {
    let prepared = prep::fix_self_closing(html);
    let doc = dom::parse(&prepared);
    let dom = Dom::new(&doc);

    let heads = meta::HeadElements::new(&doc);
    thread.title = meta::title(&heads, lexicon);
    if thread.url.is_none() {
        thread.url = meta::url(&heads);
    }
    let crumbs = meta::board(&doc, thread.title.as_deref());
    thread.board = crumbs.as_ref().map(|(b, _)| b.clone());
    let generator = meta::generator(&heads);
    let (detected, ui_lang) = meta::detect_engine(&dom, lexicon, generator.as_deref());
    let classes = engine_profile::page_classes(&dom);
    let profile_match =
        engine_profile::best(&doc, &classes, generator.as_deref()).filter(|_| use_profiles);
    if let Some((engine, confidence)) = meta::engine(detected, profile_match.as_ref()) {
        thread.engine = engine;
        thread.engine_confidence = confidence;
    }
    if thread.ui_lang.is_none() {
        thread.ui_lang = ui_lang;
    }
    meta::chrome(thread, crumbs.as_ref().map(|(_, t)| t.as_str()));

    let anchors = Anchors::find(&dom, lexicon);
    let page = Page {
        doc: &doc,
        dom: &dom,
        anchors: &anchors,
        lexicon,
    };
    let finds = arbitrate::Finds {
        profile: profile_match
            .as_ref()
            .and_then(|m| engine_profile::read_posts(&page, m, &classes)),
        records: records::find(&dom, &anchors, lexicon)
            .map(|set| template::read_posts(&page, &set)),
        markup: structured::find_posts(&dom, &anchors),
    };
    arbitrate::arbitrate(&page, finds, thread);
}

#[cfg(test)]
mod tests {
    use threadmill_model::{BlockKind, Cleaned, Document, Format, Post, Repairs, Source};

    use super::*;
    use crate::{SegmentConfig, segment};

    /// The posts' authors in order, as a test compares them.
    fn authors_of(t: &Thread) -> Vec<Option<&str>> {
        t.posts.iter().map(|p| p.author_name.as_deref()).collect()
    }

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
    fn questions_and_answers_from_schema_org_microdata() {
        let t = run(&fixture("qa-microdata.html"));
        assert_eq!(t.extractor, arbitrate::MARKUP_EXTRACTOR);
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
                (
                    Some("marco"),
                    Some("312"),
                    Some("2021-05-04T12:45:00+02:00")
                ),
            ]
        );
        assert!(t.posts[0].text.contains("wilts within a week"));
        assert!(
            !t.posts.iter().any(|p| p.text.contains("Which way")),
            "a comment on the question is neither a post nor part of the question"
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
        let links: Vec<_> = t.posts[1]
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

    /// A comment tree nests each reply inside the comment it answers, built from the same
    /// template: every reply is a post of its own, and no post holds its replies' words.
    #[test]
    fn threaded_replies_are_posts_of_their_own() {
        let comment = |id: &str, who: &str, at: &str, words: &str, children: &str| {
            format!(
                r#"<div class="thing comment" id="thing_t1_{id}"><p class="tagline"><a class="author" href="/user/{who}">{who}</a> <time datetime="{at}">3 years ago</time></p><div class="usertext-body"><p>{words}</p></div><div class="child">{children}</div></div>"#
            )
        };
        let reply = comment(
            "b2",
            "doorguy",
            "2018-04-16T15:20:40+00:00",
            "Turn the handles upright, a cat cannot pull a lever up, only push it down.",
            "",
        );
        let html = format!(
            r#"<html><head><title>My cat learned to open doors : aww</title><meta property="og:title" content="My cat learned to open doors"></head><body><div class="side"><h2>aww</h2></div><div class="commentarea">{}{}</div></body></html>"#,
            comment(
                "a1",
                "whiskers_fan",
                "2018-04-16T14:02:11+00:00",
                "Mine figured out the lever handles last spring, so now we lock the pantry.",
                &reply,
            ),
            comment(
                "c3",
                "tabby_owner",
                "2018-04-16T18:45:00+00:00",
                "Ours opens the fridge, we had to buy a child lock after she ate a chicken.",
                "",
            ),
        );
        let t = run(&html);
        let authors = authors_of(&t);
        assert_eq!(
            authors,
            [Some("whiskers_fan"), Some("doorguy"), Some("tabby_owner")]
        );
        assert!(!t.posts[0].text.contains("upright"), "{}", t.posts[0].text);
        // "Thread : board": the board's name is no title, though a heading repeats it.
        assert_eq!(t.title.as_deref(), Some("My cat learned to open doors"));
    }

    /// Comment trees that indent replies in a box after the comment they answer (rather
    /// than inside it) keep every reply a post, in page order.
    #[test]
    fn replies_indented_beside_their_comment_are_posts() {
        let comment = |who: &str, at: &str, words: &str| {
            format!(
                r#"<article class="comment"><div class="head"><a href="/user/{who}">{who}</a> <time datetime="{at}">{at}</time></div><div class="body"><p>{words}</p></div></article>"#
            )
        };
        let html = format!(
            r#"<html><body><main><section class="comments">{}<div class="indented">{}<div class="indented">{}{}</div></div>{}{}</section></main></body></html>"#,
            comment(
                "ann",
                "2023-08-14",
                "I went from banking to a strategy firm and never looked back."
            ),
            comment(
                "bob",
                "2023-08-14",
                "What are the hours generally at your firm compared to banking?"
            ),
            comment(
                "ann",
                "2023-08-15",
                "About sixty a week, with the weekends free most of the time."
            ),
            comment(
                "eve",
                "2023-08-15",
                "Same at my firm, though the travel adds a day some weeks."
            ),
            comment(
                "cat",
                "2023-08-16",
                "A note on the region: the hours are notably worse here."
            ),
            comment(
                "dan",
                "2023-08-17",
                "Happy to answer questions about the firm, here or by message."
            ),
        );
        let t = run(&html);
        let authors = authors_of(&t);
        assert_eq!(
            authors,
            [
                Some("ann"),
                Some("bob"),
                Some("ann"),
                Some("eve"),
                Some("cat"),
                Some("dan")
            ],
            "{}",
            t.extractor
        );
        assert!(t.posts[2].text.contains("sixty"), "{}", t.posts[2].text);
        assert!(!t.posts[0].text.contains("hours"), "{}", t.posts[0].text);
    }

    /// Engines that build every box from one class nest a post's header and text in
    /// several boxes of it: those wrappers are the post itself, not replies, so each
    /// answer is one post.
    #[test]
    fn boxes_nested_around_one_post_are_not_replies() {
        let answer = |who: &str, age: &str, words: &str| {
            format!(
                r#"<div class="box"><div class="box"><div class="box"><a href="/profile/{who}">{who}</a> · <span>{age}</span></div><div class="box"><p>{words}</p><p>{words}</p></div></div></div>"#
            )
        };
        let html = format!(
            "<html><body><main>{}{}{}</main></body></html>",
            answer(
                "Greta-Kemp",
                "3y",
                "I have been reading about the war for weeks, one day at a time."
            ),
            answer(
                "Mats-Anders",
                "1y",
                "No, it was far worse than any of the books can tell you."
            ),
            answer(
                "Ben-Michael",
                "7mo",
                "Around seventy million people are thought to have died in it."
            ),
        );
        let t = run(&html);
        let authors = authors_of(&t);
        assert_eq!(
            authors,
            [Some("Greta-Kemp"), Some("Mats-Anders"), Some("Ben-Michael")],
            "{}",
            t.extractor
        );
    }

    /// Engines that link no profile print the poster's name as plain text just before
    /// the date ("ann · 03/03/2026 19:49", a name box beside a date box): the name is the
    /// author, for the replies and for an opening post built apart from them.
    #[test]
    fn a_plain_name_before_the_date_is_the_author() {
        let reply = |who: &str, at: &str, words: &str| {
            format!(
                r#"<div><div class="reply"><div class="head"><div class="who">{who}</div><div class="when">{at}</div></div><div class="body"><p>{words}</p></div></div></div>"#
            )
        };
        let html = format!(
            r#"<html><body><main><div class="thread"><div class="opening"><div class="byline">kate · <span>28/11/2025 at 7:07 pm</span></div><div class="body"><p>Would you ever consider a career in childcare, and what would put you off?</p></div></div><div class="more"><button>See last answer</button></div>{}{}{}</div></main></body></html>"#,
            reply(
                "Judith C(157)",
                "28/11/2025 at 7:16 pm",
                "No, the training was unpaid and the hours were long."
            ),
            reply(
                "Otterlie B",
                "28/11/2025 at 7:22 pm",
                "I did once, and I loved the children, but the paperwork spilled into my evenings."
            ),
            reply(
                "Indi",
                "28/11/2025 at 7:28 pm",
                "It is more of a vocation than a job, given the wages."
            ),
        );
        let t = run(&html);
        let authors = authors_of(&t);
        assert_eq!(
            authors,
            [
                Some("kate"),
                Some("Judith C(157)"),
                Some("Otterlie B"),
                Some("Indi")
            ],
            "{}",
            t.extractor
        );
        assert!(
            t.posts[1].text.starts_with("No, the training"),
            "{}",
            t.posts[1].text
        );
    }

    /// A link preview card (the linked page's title and summary, fetched by the forum) is
    /// not the poster's words; the link stays among the post's links, and a link written
    /// inline keeps its text.
    #[test]
    fn link_preview_cards_are_not_post_text() {
        let post = |who: &str, at: &str, body: &str| {
            format!(
                r#"<div class="post"><div class="meta"><a href="/u/{who}">{who}</a> <time datetime="{at}">{at}</time></div><div class="body">{body}</div></div>"#
            )
        };
        let card = r#"<aside class="onebox allowlistedgeneric"><header class="source"><a href="https://news.example/easy">news.example</a></header><article class="onebox-body"><h3><a href="https://news.example/easy">Easy News for Learners</a></h3><p>We write the news in three levels of English every day.</p></article></aside>"#;
        let html = format!(
            "<html><body><main>{}{}</main></body></html>",
            post(
                "ann",
                "2023-04-05",
                "<p>Which daily news site suits a beginner in English?</p>"
            ),
            post(
                "bob",
                "2023-04-06",
                &format!(
                    r#"<blockquote><p>Any site with short articles?</p>{card}</blockquote><p>Try <a class="inline-onebox" href="https://radio.example/">Radio Learners</a> or this one:</p>{card}<p>Both are free to read.</p>"#
                )
            ),
        );
        let t = run(&html);
        assert_eq!(t.posts.len(), 2, "{}", t.extractor);
        let text = &t.posts[1].text;
        assert!(
            text.contains("Radio Learners") && text.contains("Both are free"),
            "{text}"
        );
        assert!(
            !text.contains("three levels") && !text.contains("news.example"),
            "{text}"
        );
        assert!(
            t.posts[1]
                .links
                .iter()
                .any(|l| l.url == "https://news.example/easy"),
            "{:?}",
            t.posts[1].links
        );
    }

    /// Most posts are one paragraph, so the place the records agree on for the body is a
    /// first paragraph: a post of several paragraphs keeps them all.
    #[test]
    fn a_post_of_several_paragraphs_keeps_them_all() {
        let post = |who: &str, at: &str, body: &str| {
            format!(
                r#"<div class="post"><div class="meta"><a href="/u/{who}">{who}</a> <time datetime="{at}">{at}</time></div><div class="body">{body}</div></div>"#
            )
        };
        let html = format!(
            "<html><body><main>{}{}{}</main></body></html>",
            post(
                "ann",
                "2024-07-30",
                "<p>So, there is a new training tool in the game.</p>"
            ),
            post(
                "bob",
                "2024-07-30",
                "<p>I just clicked a few times and got it right.</p>"
            ),
            post(
                "cat",
                "2024-07-31",
                "<p>I went through the tutorial several times.</p><p>The density curves still confuse me.</p>"
            ),
        );
        let t = run(&html);
        assert_eq!(t.posts.len(), 3, "{}", t.extractor);
        let text = &t.posts[2].text;
        assert!(
            text.contains("several times") && text.contains("density curves"),
            "{text}"
        );
    }

    /// A letter avatar links the poster's profile with their initial ahead of the link
    /// that prints the name: the name is the author.
    #[test]
    fn a_letter_avatar_is_not_the_author() {
        let post = |who: &str, at: &str, words: &str| {
            let letter: String = who.chars().take(1).flat_map(char::to_uppercase).collect();
            format!(
                r#"<article class="message"><div class="cell"><a class="avatar" href="/members/{who}.1/"><span>{letter}</span></a><h4><a href="/members/{who}.1/">{who}</a></h4></div><div class="main"><time datetime="{at}">{at}</time><div class="body"><p>{words}</p></div></div></article>"#
            )
        };
        let html = format!(
            "<html><body><main>{}{}{}</main></body></html>",
            post(
                "sean_g",
                "2024-02-01",
                "Looking for beginner projects that teach the basics."
            ),
            post(
                "packard",
                "2024-02-01",
                "A simple box with hand cut joints teaches a lot."
            ),
            post(
                "cider",
                "2024-02-02",
                "Build a cutting board first, then a small shelf."
            ),
        );
        let t = run(&html);
        let authors = authors_of(&t);
        assert_eq!(
            authors,
            [Some("sean_g"), Some("packard"), Some("cider")],
            "{}",
            t.extractor
        );
    }

    /// Where most posts are one paragraph, a post whose text goes on in a list or a code
    /// block keeps it all: inside the element the page marks as its text (schema.org
    /// `itemprop="text"`), or else inside the box around the first paragraph that holds
    /// none of the post's header.
    #[test]
    fn a_post_keeps_its_lists_and_code_past_its_first_paragraph() {
        for mark in [r#" itemprop="text""#, ""] {
            let post = |who: &str, at: &str, body: &str| {
                format!(
                    r#"<div class="topic-body"><div class="meta"><a href="/u/{who}">{who}</a> <time datetime="{at}">{at}</time></div><div class="post"{mark}>{body}</div></div>"#
                )
            };
            let html = format!(
                "<html><body><main>{}{}{}</main></body></html>",
                post(
                    "ann",
                    "2023-08-31",
                    "<p>Which headphones would you buy for about a hundred dollars?</p>"
                ),
                post(
                    "bob",
                    "2023-08-31",
                    "<p>A few questions,</p><ol><li>do you have an amp?</li><li>what do you listen to?</li></ol>"
                ),
                post(
                    "cat",
                    "2023-09-01",
                    "<p>This is part of the log:</p><pre><code>ERROR Future exception was never retrieved</code></pre>"
                ),
            );
            let t = run(&html);
            assert_eq!(t.posts.len(), 3, "{mark}: {}", t.extractor);
            let (list, code) = (&t.posts[1].text, &t.posts[2].text);
            assert!(list.contains("do you have an amp"), "{mark}: {list}");
            assert!(code.contains("never retrieved"), "{mark}: {code}");
        }
    }

    /// A reply below the post it quotes keeps the quote, where the text box sits inside a
    /// wider post box (reactions, a signature) and most posts are one paragraph.
    #[test]
    fn a_reply_of_one_paragraph_keeps_the_quote_above_it() {
        let post = |who: &str, at: &str, body: &str| {
            format!(
                r#"<article class="entry"><div class="meta"><a href="/u/{who}">{who}</a> <time datetime="{at}">{at}</time></div><div class="entry-post"><div class="rich">{body}</div><ul class="reactions"><li>Like</li></ul></div></article>"#
            )
        };
        let html = format!(
            "<html><body><main>{}{}{}</main></body></html>",
            post(
                "ann",
                "2024-08-26",
                "<p>I would like to know the roadmap for future products.</p>"
            ),
            post(
                "bob",
                "2024-08-27",
                "<p>There is a members circle that sees the plans early.</p>"
            ),
            post(
                "cat",
                "2024-08-27",
                r#"<blockquote class="quote"><div>ann said:</div><div><p>the roadmap for future products</p></div></blockquote><p>Nobody outside the company knows it.</p>"#
            ),
        );
        let t = run(&html);
        assert_eq!(t.posts.len(), 3, "{}", t.extractor);
        let post = &t.posts[2];
        assert!(post.text.contains("Nobody outside"), "{}", post.text);
        assert!(
            post.blocks
                .iter()
                .any(|b| b.kind == BlockKind::Quote && b.text.contains("roadmap")),
            "{:?}",
            post.blocks
        );
    }

    /// An opening post whose header (name, date) and text are sibling blocks above the
    /// replies is a post; a thread header naming the starter and start date above a
    /// notice is not, where the first reply record repeats that name and date.
    #[test]
    fn an_opening_post_below_its_header_is_a_post() {
        let reply = |who: &str, at: &str, words: &str| {
            format!(
                r#"<li class="reply"><div class="info"><a class="author" href="/profile/{who}">{who}</a> <time>{at}</time></div><div class="copy"><p>{words}</p></div></li>"#
            )
        };
        let replies = format!(
            "{}{}",
            reply(
                "bob",
                "Feb 24, 2006 02:35am",
                "I started when my furniture taste exceeded my budget."
            ),
            reply(
                "cat",
                "Feb 24, 2006 05:13am",
                "A trip to a colonial village got me hooked on hand tools."
            ),
        );
        let html = format!(
            r#"<html><body><main><div class="question"><div class="head"><h1>Beginning woodworking</h1><div class="by"><a class="author" href="/profile/ann">ann</a> | Posted on <time>February 24, 2006 02:01am</time></div></div><div class="text"><p>How did you get into woodworking as a hobby? Any advice on a first project would be welcome.</p></div><div class="replies"><ol>{replies}</ol></div></div></main></body></html>"#
        );
        let t = run(&html);
        let authors = authors_of(&t);
        assert_eq!(
            authors,
            [Some("ann"), Some("bob"), Some("cat")],
            "{}",
            t.extractor
        );
        assert!(
            t.posts[0].text.contains("first project"),
            "{}",
            t.posts[0].text
        );

        let header = format!(
            r#"<html><body><main><div class="head"><h1>Guide</h1><span>Thread starter</span> <a class="author" href="/profile/bob">bob</a> <time>Feb 24, 2006 02:35am</time></div><div class="notice">You are using an out of date browser, it may not display this website correctly.</div><div class="replies"><ol>{replies}</ol></div></main></body></html>"#
        );
        let t = run(&header);
        let authors = authors_of(&t);
        assert_eq!(authors, [Some("bob"), Some("cat")], "{}", t.extractor);

        // A long title wrapped in spans inside its heading is no opening post's text.
        let wrapped = format!(
            r#"<html><body><main><div class="head"><h1><span><span>Payment issues - how to delete or change the payment method</span></span></h1><div class="by">By <a class="author" href="/profile/dan">dan</a>, <time>February 20, 2006 09:15am</time></div></div><div class="replies"><ol>{replies}</ol></div></main></body></html>"#
        );
        let t = run(&wrapped);
        let authors = authors_of(&t);
        assert_eq!(authors, [Some("bob"), Some("cat")], "{}", t.extractor);
    }
}
