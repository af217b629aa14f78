//! The thread's own head taken for a post: its starter and start date over the first post.
//!
//! Many boards print who started the thread and when above its first post ("By rob, July
//! 25, 2007 in General", "Discussion in 'iPhone' started by ann, Jun 3, 2019", "ann · Apr
//! 23, 2020" over the thread's status line). The strategies read the name and the date as a
//! post header, and the few words under them (the board, "Start new topic", "Not open for
//! further replies.") as its text: a post before the first post, by its author, on its day.

use threadmill_model::{ChromeLine, ChromeRole, Post, Thread};

/// The head's words under the starter's name and date: a board, a button or a status line,
/// a sentence or two at most; a first post said again by its author is longer.
const HEAD_WORDS: usize = 40;

/// Drops a first post that is the thread's head: fewer than [`HEAD_WORDS`] words, fewer
/// than the post after it, by the same author, and dated on the day that post's date begins
/// with ("Jun 3" over "Jun 3, 2019"). Its words and date become page chrome, and the
/// chrome lines of the posts after it follow them down by one.
pub(super) fn drop_thread_head(thread: &mut Thread) {
    let [first, second, ..] = thread.posts.as_slice() else {
        return;
    };
    let words = |post: &Post| {
        post.blocks
            .iter()
            .map(|b| b.text.split_whitespace().count())
            .sum::<usize>()
    };
    let same_author = first.author_name.is_some() && first.author_name == second.author_name;
    let same_day = match (&first.posted_at_raw, &second.posted_at_raw) {
        (Some(a), Some(b)) => !a.trim().is_empty() && b.trim().starts_with(a.trim()),
        _ => false,
    };
    if !same_author || !same_day || words(first) >= HEAD_WORDS || words(first) >= words(second) {
        return;
    }
    let head = thread.posts.remove(0);
    for line in &mut thread.chrome {
        line.post = match line.post {
            Some(0) | None => None,
            Some(k) => Some(k - 1),
        };
    }
    for (index, post) in thread.posts.iter_mut().enumerate() {
        post.index = index;
    }
    let texts = head
        .blocks
        .into_iter()
        .map(|block| block.text)
        .chain(head.posted_at_raw);
    thread.chrome.extend(texts.map(|text| ChromeLine {
        role: ChromeRole::Other,
        text,
        post: None,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_and_start_date_over_the_first_post_are_no_post() {
        let mut t = super::super::tests::thread_of_blocks(&[
            &["in General Start new topic"],
            &["My client checks every torrent at startup. How do I turn that off?"],
            &["Preferences, Advanced, untick the check."],
        ]);
        for (post, (name, date)) in t.posts.iter_mut().zip([
            ("RobMan", "Jul 25"),
            ("RobMan", "Jul 25, 2007"),
            ("ann", "Jul 26, 2007"),
        ]) {
            post.author_name = Some(name.to_owned());
            post.posted_at_raw = Some(date.to_owned());
        }
        t.chrome.push(ChromeLine {
            role: ChromeRole::AuthorName,
            text: "ann".to_owned(),
            post: Some(2),
        });
        drop_thread_head(&mut t);
        let names: Vec<_> = t.posts.iter().map(|p| p.author_name.as_deref()).collect();
        assert_eq!(names, [Some("RobMan"), Some("ann")]);
        assert_eq!(t.posts[1].index, 1);
        assert_eq!(t.chrome[0].post, Some(1));
        assert!(
            t.chrome
                .iter()
                .any(|c| c.text == "in General Start new topic")
        );
    }

    #[test]
    fn an_author_answering_himself_keeps_both_posts() {
        let mut t = super::super::tests::thread_of_blocks(&[
            &["Which glue for oak? I have PVA and epoxy at hand and want it to last."],
            &["Found it: PVA."],
        ]);
        for post in &mut t.posts {
            post.author_name = Some("ann".to_owned());
            post.posted_at_raw = Some("Jul 25, 2007".to_owned());
        }
        drop_thread_head(&mut t);
        assert_eq!(t.posts.len(), 2);
    }
}
