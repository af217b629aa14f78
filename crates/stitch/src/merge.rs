//! One record from a thread's pages.

use std::collections::{BTreeMap, BTreeSet};

use threadmill_model::{Entity, PageRef, Post, Thread};

use crate::Error;

/// The highest page number `missing_pages` is listed up to: a page that prints
/// "Page 1 of 4000000" must not make a list of millions.
pub const MAX_PAGES: u32 = 100_000;

/// One page of a thread, with its place in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The page number, from 1.
    pub n: u32,
    /// The number of pages its pagination printed, if it did.
    pub total: Option<u32>,
    /// The page's record.
    pub thread: Thread,
}

/// How a post is told apart from the others: by the forum's id, else its permalink, else
/// what it says and who said it when.
fn identity(post: &Post) -> String {
    if let Some(id) = &post.id {
        return format!("id\u{0}{id}");
    }
    if let Some(link) = &post.permalink {
        return format!("link\u{0}{link}");
    }
    format!(
        "text\u{0}{}\u{0}{}\u{0}{}",
        post.author.as_deref().unwrap_or_default(),
        post.posted_at_raw.as_deref().unwrap_or_default(),
        post.text
    )
}

/// A page number that two pages with different posts claim (pages sorted by number):
/// they are pages of two threads that share a key, never one thread. Two copies of one
/// page (a re-scrape) share most of their posts and are one page.
fn claimed_twice(pages: &[Page]) -> Option<u32> {
    pages.windows(2).find_map(|w| {
        let (a, b) = (&w[0], &w[1]);
        if a.n != b.n || a.thread.posts.is_empty() || b.thread.posts.is_empty() {
            return None;
        }
        let ids: BTreeSet<String> = a.thread.posts.iter().map(identity).collect();
        let shared = b
            .thread
            .posts
            .iter()
            .filter(|p| ids.contains(&identity(p)))
            .count();
        let fewer = a.thread.posts.len().min(b.thread.posts.len());
        (shared * 2 < fewer.max(1)).then_some(a.n)
    })
}

/// Stitches the pages of one thread, given in input order, into one record.
///
/// Pages are ordered by number (pages with the same number keep their input order); the
/// record is the first page's (its `source`, `id`, `url`, engine and title) with every
/// page's posts in order, each post once: a post that appeared on an earlier page (the
/// first post some engines repeat on every page, overlap between re-scrapes) is dropped,
/// with its chrome, quotations and mentions. `pages` lists each page with its source;
/// `missing_pages` the numbers from 1 to the total (the largest printed total or the
/// highest page seen, at most [`MAX_PAGES`]) that no page had. Chrome of every page is
/// kept. Repairs add up. Quotations, entities and the article keep their posts (renumbered);
/// run the extract stage again over the result for thread-wide languages and entities.
#[allow(
    clippy::too_many_lines,
    reason = "the steps of one merge share the pages' order and the index of posts seen"
)]
pub fn stitch(mut pages: Vec<Page>) -> Result<Thread, Error> {
    pages.sort_by_key(|p| p.n);
    if let Some(n) = claimed_twice(&pages) {
        return Err(Error::PageClaimedTwice { n });
    }
    let mut pages = pages.into_iter();
    let first = pages.next().ok_or(Error::NoPages)?;
    let mut out = first.thread.clone();
    out.posts.clear();
    out.chrome.clear();
    out.quotes.clear();
    out.entities.clear();
    out.article = None;
    out.repairs = threadmill_model::Repairs::default();
    out.pages.clear();
    out.missing_pages.clear();

    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut entities: BTreeMap<(String, threadmill_model::EntityKind), (usize, BTreeSet<usize>)> =
        BTreeMap::new();
    let mut total = 0u32;
    let mut numbers = BTreeSet::new();
    for page in std::iter::once(first).chain(pages) {
        let Page {
            n,
            total: printed,
            thread,
        } = page;
        total = total.max(n).max(printed.unwrap_or(0));
        numbers.insert(n);
        out.pages.push(PageRef {
            n,
            source: thread.source.clone(),
        });
        out.repairs += &thread.repairs;
        out.extractor_confidence = out.extractor_confidence.min(thread.extractor_confidence);
        if out.title.is_none() {
            out.title.clone_from(&thread.title);
        }
        if out.board.is_none() {
            out.board.clone_from(&thread.board);
        }
        // Old post index on this page → new index, and whether the post is new here.
        let mut map: Vec<(usize, bool)> = Vec::with_capacity(thread.posts.len());
        for mut post in thread.posts {
            let identity = identity(&post);
            if let Some(&kept) = seen.get(&identity) {
                map.push((kept, false));
                continue;
            }
            let index = out.posts.len();
            seen.insert(identity, index);
            map.push((index, true));
            post.index = index;
            out.posts.push(post);
        }
        let new_index = |old: usize| map.get(old).filter(|(_, new)| *new).map(|(i, _)| *i);
        for mut line in thread.chrome {
            match line.post {
                None => out.chrome.push(line),
                Some(old) => {
                    if let Some(index) = new_index(old) {
                        line.post = Some(index);
                        out.chrome.push(line);
                    }
                }
            }
        }
        for mut quote in thread.quotes {
            if let Some(index) = new_index(quote.post) {
                quote.post = index;
                out.quotes.push(quote);
            }
        }
        if out.article.is_none()
            && let Some(mut article) = thread.article
            && let Some(index) = new_index(article.post)
        {
            article.post = index;
            out.article = Some(article);
        }
        for entity in thread.entities {
            let posts: BTreeSet<usize> =
                entity.posts.iter().filter_map(|&p| new_index(p)).collect();
            if posts.is_empty() {
                continue;
            }
            // Mentions in dropped duplicates are not counted again: share them out by the
            // posts that stay.
            let kept = entity.mentions * posts.len() / entity.posts.len().max(1);
            let slot = entities.entry((entity.name, entity.kind)).or_default();
            slot.0 += kept.max(1);
            slot.1.extend(posts);
        }
    }
    let mut merged: Vec<Entity> = entities
        .into_iter()
        .map(|((name, kind), (mentions, posts))| Entity {
            name,
            kind,
            mentions,
            posts: posts.into_iter().collect(),
        })
        .collect();
    merged.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(b.mentions.cmp(&a.mentions))
            .then(a.name.cmp(&b.name))
    });
    out.entities = merged;
    let total = total.min(MAX_PAGES);
    out.missing_pages = (1..=total).filter(|n| !numbers.contains(n)).collect();
    if out.pages.len() == 1 && out.missing_pages.is_empty() {
        // One whole page is not a stitched thread: its record stays as it was.
        out.pages.clear();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadmill_model::{ChromeLine, ChromeRole, Format, Source};

    fn page(n: u32, total: Option<u32>, posts: &[(Option<&str>, &str, &str)]) -> Page {
        let mut source = Source::unnamed(Format::Text);
        source.path = format!("p{n}.txt");
        let mut thread = Thread::new(source);
        for (i, (id, author, text)) in posts.iter().enumerate() {
            let mut post = Post::of_paragraphs(i, [*text]);
            post.id = id.map(str::to_owned);
            post.author = Some((*author).to_owned());
            thread.chrome.push(ChromeLine {
                role: ChromeRole::AuthorName,
                text: (*author).to_owned(),
                post: Some(i),
            });
            thread.posts.push(post);
        }
        Page { n, total, thread }
    }

    #[test]
    fn two_pages_claiming_one_number_are_two_threads() {
        let pages = vec![
            page(
                1,
                None,
                &[(Some("10"), "ann", "Cats."), (Some("11"), "bob", "Yes.")],
            ),
            page(
                1,
                None,
                &[(Some("20"), "cy", "Dogs."), (Some("21"), "dan", "No.")],
            ),
        ];
        assert!(matches!(
            stitch(pages),
            Err(Error::PageClaimedTwice { n: 1 })
        ));
    }

    #[test]
    fn two_copies_of_one_page_are_one_page() -> Result<(), Error> {
        let copy = || {
            let posts = [(Some("10"), "ann", "Cats."), (Some("11"), "bob", "Yes.")];
            page(1, None, &posts)
        };
        assert_eq!(stitch(vec![copy(), copy()])?.posts.len(), 2);
        Ok(())
    }

    #[test]
    fn posts_once_in_order_with_missing_pages() -> Result<(), Error> {
        let pages = vec![
            page(
                4,
                Some(4),
                &[(None, "ann", "First."), (None, "dan", "Four.")],
            ),
            page(
                1,
                Some(4),
                &[(None, "ann", "First."), (None, "bob", "Two.")],
            ),
            page(2, None, &[(None, "ann", "First."), (None, "cy", "Three.")]),
        ];
        let thread = stitch(pages)?;
        let texts: Vec<&str> = thread.posts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["First.", "Two.", "Three.", "Four."]);
        let indexes: Vec<usize> = thread.posts.iter().map(|p| p.index).collect();
        assert_eq!(indexes, [0, 1, 2, 3]);
        assert_eq!(thread.missing_pages, [3]);
        assert_eq!(thread.source.path, "p1.txt");
        let chrome: Vec<(Option<usize>, &str)> = thread
            .chrome
            .iter()
            .map(|c| (c.post, c.text.as_str()))
            .collect();
        assert_eq!(
            chrome,
            [
                (Some(0), "ann"),
                (Some(1), "bob"),
                (Some(2), "cy"),
                (Some(3), "dan")
            ]
        );
        Ok(())
    }

    #[test]
    fn ids_tell_posts_apart_before_text() -> Result<(), Error> {
        let pages = vec![
            page(
                1,
                None,
                &[(Some("1"), "ann", "+1"), (Some("2"), "ann", "+1")],
            ),
            page(
                2,
                None,
                &[(Some("2"), "ann", "+1 (edited)"), (Some("3"), "bob", "ok")],
            ),
        ];
        let thread = stitch(pages)?;
        let ids: Vec<&str> = thread
            .posts
            .iter()
            .filter_map(|p| p.id.as_deref())
            .collect();
        assert_eq!(ids, ["1", "2", "3"]);
        assert!(thread.missing_pages.is_empty());
        assert_eq!(thread.pages.len(), 2);
        Ok(())
    }

    #[test]
    fn no_pages_is_an_error() {
        assert!(matches!(stitch(Vec::new()), Err(Error::NoPages)));
    }

    #[test]
    fn absurd_totals_are_bounded() -> Result<(), Error> {
        let thread = stitch(vec![page(1, Some(u32::MAX), &[(None, "a", "x")])])?;
        assert_eq!(thread.missing_pages.len(), (MAX_PAGES - 1) as usize);
        Ok(())
    }
}
