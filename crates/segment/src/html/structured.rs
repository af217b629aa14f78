//! Posts from schema.org microdata.
//!
//! The engine-neutral markup (`DiscussionForumPosting`, `Comment`, `Question`, `Answer`,
//! `SocialMediaPosting`) that many engines print for search engines, whatever their own
//! class names.
//!
//! Each post item must have its text in the page (an element with `itemprop="text"` or
//! `"articleBody"` holding visible text): a `<meta content>` text alone is a summary, not
//! the post as a reader sees it.

use super::RawPost;
use super::anchors::Anchors;
use super::dom::Dom;

/// The item types that are posts: a thread's opening post, its replies, questions and
/// answers, social posts.
const POST_TYPES: &[&str] = &[
    "discussionforumposting",
    "comment",
    "question",
    "answer",
    "socialmediaposting",
    "blogposting",
];
/// The item types of a question-and-answer page: a `Comment` item inside one of them is a
/// remark on the question or answer (a clarification, a "thanks"), which a reader of the
/// page sees as small print beside the answers, not as a post of the thread.
const QA_TYPES: &[&str] = &["question", "answer"];
/// Properties holding a post's text.
const BODY_PROPS: &[&str] = &["text", "articlebody"];
/// Properties holding when a post was written.
const DATE_PROPS: &[&str] = &["datepublished", "datecreated", "uploaddate"];

/// What the microdata gave, in document order.
pub(crate) struct StructuredFind {
    pub posts: Vec<RawPost>,
    /// The share of posts whose markup names an author, from 0 to 1.
    pub with_author: f32,
    /// How many post items the markup marks, the comments on questions and answers
    /// (left out of `posts`) too: what a layout finder that reads the comments as records
    /// is measured against.
    pub marked: usize,
}

/// The page's microdata properties, each with the item it belongs to, found in one pass.
struct Microdata {
    /// `(item, property element)` in document order; the property's names are read from
    /// the element when asked.
    props: Vec<(usize, usize)>,
}

impl Microdata {
    fn new(dom: &Dom<'_>) -> Self {
        // A property belongs to its nearest `itemscope` ancestor; parents come before
        // their children, so one forward pass finds every node's item.
        let mut item_of: Vec<Option<usize>> = vec![None; dom.nodes.len()];
        let mut props = Vec::new();
        for j in 0..dom.nodes.len() {
            let Some(p) = dom.nodes[j].parent else {
                continue;
            };
            item_of[j] = if dom.attr(p, "itemscope").is_some() {
                Some(p)
            } else {
                item_of[p]
            };
            if let (Some(item), Some(_)) = (item_of[j], dom.attr(j, "itemprop")) {
                props.push((item, j));
            }
        }
        Self { props }
    }

    /// The elements carrying one of `names` for `item` itself (not for an item nested in
    /// it), in document order.
    fn of<'s>(
        &'s self,
        dom: &'s Dom<'_>,
        item: usize,
        names: &'s [&'s str],
    ) -> impl Iterator<Item = usize> + 's {
        let start = self.props.partition_point(|&(_, j)| j <= item);
        self.props[start..]
            .iter()
            .take_while(move |&&(_, j)| j <= dom.nodes[item].end)
            .filter(move |&&(owner, j)| {
                owner == item
                    && dom.attr(j, "itemprop").is_some_and(|v| {
                        v.split_whitespace()
                            .any(|p| names.iter().any(|w| p.eq_ignore_ascii_case(w)))
                    })
            })
            .map(|&(_, j)| j)
    }
}

/// The posts that schema.org microdata marks on the page, or `None` when it marks none
/// with visible text.
pub(crate) fn find_posts(dom: &Dom<'_>, anchors: &Anchors) -> Option<StructuredFind> {
    let items: Vec<usize> = (0..dom.nodes.len())
        .filter(|&i| is_post_item(dom, i))
        .collect();
    let posts_of = without_qa_comments(dom, &items);
    if posts_of.is_empty() {
        return None;
    }
    let microdata = Microdata::new(dom);
    // Every item, the dropped comments too, stays in `items`: a comment inside an
    // answer's text is still not the answer's own words.
    let mut posts: Vec<RawPost> = posts_of
        .iter()
        .filter_map(|&item| read_item(dom, &microdata, anchors, &items, item))
        .collect();
    posts.sort_by_key(|p| p.body);
    posts.dedup_by_key(|p| p.body);
    if posts.is_empty() {
        return None;
    }
    let named = posts.iter().filter(|p| p.author.is_some()).count();
    let with_author = named as f32 / posts.len() as f32;
    Some(StructuredFind {
        posts,
        with_author,
        marked: items.len(),
    })
}

/// The items less the comments on a question or an answer (a `Comment` whose nearest
/// enclosing post item is a `Question` or an `Answer`). Comments nested in a forum post
/// (`DiscussionForumPosting`) stay: some engines nest a thread's replies so.
fn without_qa_comments(dom: &Dom<'_>, items: &[usize]) -> Vec<usize> {
    let typed = |i: usize, names: &[&str]| {
        dom.attr(i, "itemtype")
            .is_some_and(|t| t.split_whitespace().any(|u| type_in(u, names)))
    };
    // Items come in document order, so the open ones form a stack of nested ranges.
    let mut open: Vec<usize> = Vec::new();
    let mut kept = Vec::with_capacity(items.len());
    for &item in items {
        while open.last().is_some_and(|&o| !dom.contains(o, item)) {
            open.pop();
        }
        let on_qa = open.last().is_some_and(|&o| typed(o, QA_TYPES));
        open.push(item);
        if !(on_qa && typed(item, &["comment"])) {
            kept.push(item);
        }
    }
    kept
}

fn is_post_item(dom: &Dom<'_>, i: usize) -> bool {
    if dom.attr(i, "itemscope").is_none() {
        return false;
    }
    dom.attr(i, "itemtype")
        .is_some_and(|t| t.split_whitespace().any(is_post_type))
}

/// True for a schema.org type (`Comment`, or as a URL `https://schema.org/Comment`) that
/// is a post.
pub(crate) fn is_post_type(type_or_url: &str) -> bool {
    type_in(type_or_url, POST_TYPES)
}

/// True for a schema.org type, or its URL, that is one of `names` (lowercase).
fn type_in(type_or_url: &str, names: &[&str]) -> bool {
    let name = type_or_url.rsplit('/').next().unwrap_or(type_or_url);
    names.iter().any(|p| name.eq_ignore_ascii_case(p))
}

/// A property's value as written: `content`, `datetime`, `href` or the visible text.
fn value(dom: &Dom<'_>, j: usize) -> Option<String> {
    let v = ["content", "datetime"]
        .iter()
        .find_map(|a| dom.attr(j, a))
        .map(str::to_owned)
        .or_else(|| {
            matches!(dom.name(j), "a" | "link")
                .then(|| dom.attr(j, "href").map(str::to_owned))
                .flatten()
        })
        .unwrap_or_else(|| dom.text(j));
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

fn read_item(
    dom: &Dom<'_>,
    microdata: &Microdata,
    anchors: &Anchors,
    items: &[usize],
    item: usize,
) -> Option<RawPost> {
    let body = microdata
        .of(dom, item, BODY_PROPS)
        .find(|&j| dom.nodes[j].text_len > 0)?;
    let end = dom.nodes[item].end;
    let mut raw = RawPost::new((item, end), body);
    // Items nested in this one (the replies some engines nest in the opening post, the
    // comments under an answer) are posts of their own, not part of this one's text.
    // `items` is in document order: the nested ones are the run after `item` that ends
    // inside it (a binary search, not a scan of every item per item).
    let nested =
        &items[items.partition_point(|&j| j <= item)..items.partition_point(|&j| j <= end)];
    raw.skip = nested
        .iter()
        .copied()
        .filter(|&j| dom.contains(body, j))
        .collect();
    if let Some(author) = microdata.of(dom, item, &["author", "creator"]).next() {
        read_author(dom, microdata, author, &mut raw);
    }
    let machine = microdata
        .of(dom, item, DATE_PROPS)
        .find_map(|j| value(dom, j));
    // The date as printed, where one stands in the item's own part (before any nested
    // post); the markup's machine-readable value otherwise.
    let own_end = nested.first().map_or(end, |&j| j.saturating_sub(1));
    let mut candidates = anchors
        .dates_in(item, own_end)
        .iter()
        .filter(|d| !d.joined && !dom.contains(body, d.node));
    // An opening post's item can wrap the thread's header, whose "last post" date comes
    // first: the printed date whose own machine time falls on the item's day is the post's.
    let first = candidates.clone().next();
    let same_day = machine.as_deref().and_then(iso_day).and_then(|day| {
        candidates.find(|d| {
            super::dates::machine_time(dom, d.node).is_some_and(|t| iso_day(&t) == Some(day))
        })
    });
    let printed = same_day.or(first);
    raw.date_raw = printed.map(|d| d.raw.clone()).or_else(|| machine.clone());
    raw.date_node = printed.map(|d| d.node);
    raw.date_machine = machine;
    raw.id = super::cues::post_id(dom, item, super::cues::IdReach::Element);
    raw.permalink = microdata
        .of(dom, item, &["url"])
        .find_map(|j| value(dom, j));
    Some(raw)
}

/// The calendar day of an ISO 8601 time ("2024-01-03" of "2024-01-03T11:23:42-05:00").
fn iso_day(time: &str) -> Option<&str> {
    time.get(..10)
        .filter(|day| day.as_bytes().get(4) == Some(&b'-') && day.as_bytes().get(7) == Some(&b'-'))
}

/// The author's name and user link from an `author` property: a `Person` item with
/// `name` and `url`, or a plain element whose text is the name.
fn read_author(dom: &Dom<'_>, microdata: &Microdata, author: usize, raw: &mut RawPost) {
    raw.author_node = Some(author);
    if dom.attr(author, "itemscope").is_some() {
        raw.author = microdata
            .of(dom, author, &["name"])
            .find_map(|j| value(dom, j));
        raw.author_url = microdata
            .of(dom, author, &["url"])
            .find_map(|j| value(dom, j));
    } else if dom.name(author) == "a" {
        raw.author = Some(dom.text(author));
        raw.author_url = dom.attr(author, "href").map(str::to_owned);
    } else {
        raw.author = value(dom, author);
    }
    if raw.author_url.is_none() {
        raw.author_url = dom
            .elems_in(author)
            .find(|&j| dom.name(j) == "a")
            .and_then(|j| dom.attr(j, "href"))
            .map(str::to_owned);
    }
    raw.author = raw
        .author
        .take()
        .filter(|n| !n.is_empty() && n.chars().count() <= super::anchors::NAME_MAX);
}

#[cfg(test)]
mod tests {
    use threadmill_lexicon::Lexicon;

    use super::*;
    use crate::html::dom;

    fn authors(html: &str) -> (Vec<String>, usize) {
        let doc = dom::parse(html);
        let dom = Dom::new(&doc);
        let lexicon = Lexicon::builtin().expect("lexicon");
        let anchors = Anchors::find(&dom, &lexicon);
        let found = find_posts(&dom, &anchors).expect("posts");
        let names = found
            .posts
            .iter()
            .filter_map(|p| p.author.clone())
            .collect();
        (names, found.marked)
    }

    fn item(kind: &str, who: &str, text: &str, inner: &str) -> String {
        format!(
            "<div itemscope itemtype=\"https://schema.org/{kind}\">\
             <span itemprop=\"author\">{who}</span>\
             <div itemprop=\"text\"><p>{text}</p></div>{inner}</div>"
        )
    }

    #[test]
    fn comments_on_questions_and_answers_are_not_posts() {
        let remark = item("Comment", "cat", "Which version?", "");
        let thanks = item("Comment", "ann", "Thanks, that worked.", "");
        let html = format!(
            "<html><body>{}{}</body></html>",
            item("Question", "ann", "How do I focus the file pane?", &remark),
            item("Answer", "bob", "Press Ctrl and Tab.", &thanks),
        );
        let (names, marked) = authors(&html);
        assert_eq!(names, ["ann", "bob"]);
        assert_eq!(marked, 4, "the comments still count as marked items");
    }

    #[test]
    fn replies_nested_in_a_forum_post_stay_posts() {
        let reply = item("Comment", "bob", "Mine too.", "");
        let html = format!(
            "<html><body>{}</body></html>",
            item("DiscussionForumPosting", "ann", "My roses wilt.", &reply),
        );
        assert_eq!(authors(&html).0, ["ann", "bob"]);
    }

    fn dates_of(page: &str) -> Vec<Option<String>> {
        let doc = dom::parse(page);
        let dom = Dom::new(&doc);
        let lexicon = Lexicon::builtin().expect("lexicon");
        let anchors = Anchors::find(&dom, &lexicon);
        find_posts(&dom, &anchors)
            .map(|found| found.posts.into_iter().map(|p| p.date_raw).collect())
            .unwrap_or_default()
    }

    #[test]
    fn an_opening_item_wrapping_the_thread_header_keeps_its_own_date() {
        // The header's "last post" date comes first in the item; the post's own printed
        // date is the one whose machine time falls on the item's datePublished.
        let page = r#"<html><body>
            <div itemscope itemtype="https://schema.org/DiscussionForumPosting">
              <p>last post by wren <time datetime="2024-09-26T01:50:27-04:00">Sep 26, 2024</time></p>
              <meta itemprop="dateModified" content="2024-09-26T01:50:27-04:00">
              <meta itemprop="datePublished" content="2024-01-03T11:23:42-05:00">
              <p>joseph · <time datetime="2024-01-03T11:23:42-05:00">Jan 3, 2024</time></p>
              <div itemprop="text">Which projector would you buy today for a small room?</div>
              <div itemscope itemprop="comment" itemtype="https://schema.org/Comment">
                <p>wren · <time datetime="2024-09-26T01:50:27-04:00">Sep 26, 2024</time></p>
                <meta itemprop="datePublished" content="2024-09-26T01:50:27-04:00">
                <div itemprop="text">A short-throw model, for a room that size.</div>
              </div>
            </div></body></html>"#;
        assert_eq!(
            dates_of(page),
            [
                Some("Jan 3, 2024".to_owned()),
                Some("Sep 26, 2024".to_owned())
            ]
        );
    }

    #[test]
    fn without_a_machine_date_the_first_printed_date_stands() {
        let page = r#"<html><body>
            <div itemscope itemtype="https://schema.org/Comment">
              <p>ann · <span>Mar 6, 2016</span></p>
              <div itemprop="text">The first printed date of the item is its date.</div>
            </div></body></html>"#;
        assert_eq!(dates_of(page), [Some("Mar 6, 2016".to_owned())]);
    }
}
