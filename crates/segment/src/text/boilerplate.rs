//! The page's footer inside the last post.
//!
//! Nothing on a copied page says where the last post's words stop: the next post header
//! ends every other post, but after the last one comes the page's footer, and in a
//! flattened copy it is glued to the post ("… took more. Quick links Essential Money | …").
//! Footers repeat what the page's header holds (navigation, the board list, "Sign in",
//! pagination), so the last post ends where a run of the header's words comes back.

use std::collections::HashSet;

use threadmill_lexicon::Lexicon;
use threadmill_model::{ChromeLine, ChromeRole, Post, Thread};

/// Words in a run that must appear together in the header: three words recur in prose
/// ("in this topic"), four rarely do outside chrome.
const RUN: usize = 4;

/// Words of the header just above the first post that may be the thread's heading.
const HEADING_WORDS: usize = 12;

/// Footer links in a row that make the page's footer: one "Home" or "Help" may end a post.
const FOOTER_LINKS_MIN: usize = 3;

/// Share of a page's other posts that must have an author for unsigned posts at its end
/// to be taken for the page's tail.
const SIGNED_SHARE: f32 = 0.75;

/// Drops the unsigned posts at the end of a thread whose posts are signed: after the last
/// post come the reply form and lists of related threads ("– 2 Beiträge Hifi-Klassiker?",
/// "von Helmut Erfahrungen mit …"), which print dates and so look like posts, but no
/// member wrote them. A list is two entries or more: one unsigned last post is more often a
/// post whose author was missed. At least three signed posts, and three in four of all the
/// posts before them, must have an author. Their text becomes footer chrome.
pub(crate) fn drop_unsigned_tail(thread: &mut Thread) {
    let Some(last_signed) = thread.posts.iter().rposition(Post::has_author) else {
        return;
    };
    let kept = last_signed + 1;
    let with_author = thread.posts[..kept]
        .iter()
        .filter(|p| p.has_author())
        .count();
    if thread.posts.len() < kept + 2
        || with_author < 3
        || (with_author as f32) < SIGNED_SHARE * kept as f32
    {
        return;
    }
    for post in thread.posts.drain(kept..) {
        thread
            .chrome
            .extend(post.blocks.into_iter().map(|block| ChromeLine {
                role: ChromeRole::Footer,
                text: block.text,
                post: None,
            }));
        if let Some(date) = post.posted_at_raw {
            thread.chrome.push(ChromeLine {
                role: ChromeRole::Footer,
                text: date,
                post: None,
            });
        }
    }
}

/// Moves the run of the page's own footer links that ends the last post ("• Home",
/// "• Terms of Service", "• Privacy Policy": lexicon `footer_link` words, each a whole
/// line, bullets aside) to the footer chrome. A page with no heading over its footer
/// leaves it under the last post, and a run of such links is never what a member wrote.
pub(crate) fn drop_footer_links(thread: &mut Thread, lexicon: &Lexicon) {
    let links = &lexicon.chrome_words().footer_link;
    let is_link = |text: &str| {
        let text = text
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .trim();
        text.chars().count() <= links.longest_chars() && links.contains(&text.to_lowercase())
    };
    let bare = |text: &str| !text.chars().any(char::is_alphanumeric);
    let Some(post) = thread.posts.last_mut() else {
        return;
    };
    let mut start = post.blocks.len();
    let mut found = 0;
    while start > 0 {
        let text = post.blocks[start - 1].text.as_str();
        if is_link(text) {
            found += 1;
        } else if !bare(text) {
            break;
        }
        start -= 1;
    }
    if found < FOOTER_LINKS_MIN || start == 0 {
        return;
    }
    let footer: Vec<String> = post.blocks.drain(start..).map(|b| b.text).collect();
    post.refresh_text();
    keep_as_footer(thread, footer);
}

/// Cuts the last post of `thread` where a run of `RUN` words of `head` (the page text
/// before the first post, the title left out) reappears; the cut text becomes footer
/// chrome. A thread of one post is left alone: with nothing to compare the post against,
/// an article that repeats the header's words would lose its body.
pub(crate) fn trim_last_post(thread: &mut Thread, head: &[&str]) {
    if thread.posts.len() < 2 {
        return;
    }
    let runs = word_runs(head);
    if runs.is_empty() {
        return;
    }
    let Some(post) = thread.posts.last_mut() else {
        return;
    };
    // Every word of the post's blocks, in order: (block, byte offset, lower-cased word).
    let words: Vec<(usize, usize, String)> = post
        .blocks
        .iter()
        .enumerate()
        .flat_map(|(b, block)| {
            word_spans(&block.text).map(move |(at, word)| (b, at, word.to_lowercase()))
        })
        .collect();
    let in_head = |k: &usize| {
        let run: Vec<&str> = words[*k..*k + RUN].iter().map(|w| w.2.as_str()).collect();
        runs.contains(&run.join(" "))
    };
    let mut hits = (0..words.len().saturating_sub(RUN - 1)).filter(in_head);
    let Some(cut) = hits.next() else {
        return;
    };
    // One stretch of the header's words at the very top of the post is a heading said
    // twice ("Replies to: {title}"), not the footer: a footer follows the post's words,
    // or goes on repeating the header.
    let repeated = hits.any(|k| k >= cut + RUN);
    if !repeated && cut < 2 * RUN {
        return;
    }
    let (block, at, _) = words[cut];
    let mut footer: Vec<String> = post.blocks[block + 1..]
        .iter()
        .map(|b| b.text.clone())
        .collect();
    post.blocks.truncate(block + 1);
    let kept = post.blocks[block].text[..at].trim_end().to_owned();
    footer.insert(0, post.blocks[block].text[at..].to_owned());
    if kept.is_empty() {
        post.blocks.pop();
    } else {
        post.blocks[block].text = kept;
    }
    post.refresh_text();
    if post.blocks.is_empty() {
        thread.posts.pop();
    }
    keep_as_footer(thread, footer);
}

/// Every run of `RUN` consecutive words of the lines, lower-cased and joined by a space.
/// The last `HEADING_WORDS` words are left out: just above the first post stand the
/// thread's own heading and counts, which a post may well repeat.
fn word_runs(lines: &[&str]) -> HashSet<String> {
    let mut words: Vec<String> = lines
        .iter()
        .flat_map(|l| word_spans(l))
        .map(|(_, w)| w.to_lowercase())
        .collect();
    words.truncate(words.len().saturating_sub(HEADING_WORDS));
    words.windows(RUN).map(|run| run.join(" ")).collect()
}

/// Runs of letters and digits with their byte offsets.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// Texts cut from a post, kept as the page's footer chrome.
fn keep_as_footer(thread: &mut Thread, texts: Vec<String>) {
    thread
        .chrome
        .extend(texts.into_iter().map(|text| ChromeLine {
            role: ChromeRole::Footer,
            text,
            post: None,
        }));
}

#[cfg(test)]
mod tests {
    use threadmill_model::{Block, BlockKind};

    use super::super::tests::thread_of_blocks as thread;
    use super::*;

    fn signed(mut t: Thread, authors: &[Option<&str>]) -> Thread {
        for (post, author) in t.posts.iter_mut().zip(authors) {
            post.author_name = author.map(str::to_owned);
        }
        t
    }

    #[test]
    fn an_unsigned_list_after_signed_posts_is_the_page_tail() {
        let posts: &[&[&str]] = &[
            &["Wer hat Erfahrungen?"],
            &["Das fällt sehr unterschiedlich aus."],
            &["Habe seit 14 Jahren Parkinson."],
            &["von Helmut Erfahrungen mit Apomorphin Pumpe? Neuer Beitrag:"],
            &["von Palladino Flugreise mit Parkinson Neuer Beitrag:"],
        ];
        let names = [
            Some("Maleica"),
            Some("Marder40"),
            Some("schachi"),
            None,
            None,
        ];
        let mut t = signed(thread(posts), &names);
        drop_unsigned_tail(&mut t);
        assert_eq!(t.posts.len(), 3);
        // Nothing is lost: the list is footer chrome.
        let footer: Vec<&str> = t.chrome.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(footer.len(), 2);
        assert!(footer[0].starts_with("von Helmut"));
        assert!(t.chrome.iter().all(|c| c.role == ChromeRole::Footer));
    }

    #[test]
    fn one_unsigned_last_post_or_an_unsigned_page_stays() {
        let posts: &[&[&str]] = &[&["a"], &["b"], &["c"], &["d"], &["e"]];
        // One unsigned post at the end: more likely a post whose author was missed.
        let mut t = signed(
            thread(posts),
            &[Some("x"), Some("y"), Some("z"), Some("w"), None],
        );
        drop_unsigned_tail(&mut t);
        assert_eq!(t.posts.len(), 5);
        // Too few signed posts before the tail to tell.
        let mut t = signed(thread(posts), &[Some("x"), None, Some("z"), None, None]);
        drop_unsigned_tail(&mut t);
        assert_eq!(t.posts.len(), 5);
    }

    const HEAD: &[&str] = &[
        "Home Forums Quick links Essential Money | Work & Benefits | Sign in",
        // The thread's heading, just above its first post.
        "How do balances work? 4 replies 193 views started by ann in Loans",
    ];

    #[test]
    fn the_footer_that_repeats_the_header_leaves_the_last_post() {
        let mut t = thread(&[
            &["First post."],
            &[
                "Thanks, that took more time than I thought it would. Quick links Essential Money | Work & Benefits",
            ],
        ]);
        trim_last_post(&mut t, HEAD);
        assert_eq!(
            t.posts[1].text,
            "Thanks, that took more time than I thought it would."
        );
        assert_eq!(t.chrome.len(), 1);
        assert_eq!(t.chrome[0].role, ChromeRole::Footer);
        assert!(t.chrome[0].text.starts_with("Quick links"));
    }

    #[test]
    fn later_blocks_go_with_the_cut_and_an_emptied_post_is_dropped() {
        let mut t = thread(&[
            &["First post."],
            &[
                "A reply that says a little more than two words.",
                "Quick links Essential Money",
                "More footer",
            ],
            &["Home Forums Quick links Essential Money | Work & Benefits"],
        ]);
        let mut two = t.clone();
        two.posts.pop();
        trim_last_post(&mut two, HEAD);
        assert_eq!(
            two.posts[1].text,
            "A reply that says a little more than two words."
        );
        assert_eq!(two.chrome.len(), 2);
        trim_last_post(&mut t, HEAD);
        assert_eq!(t.posts.len(), 2);
    }

    #[test]
    fn a_heading_said_twice_is_not_a_footer() {
        let head = &["Forums Sign in Application to ivy leagues Search", HEAD[1]];
        let mut t = thread(&[
            &["Can I apply?"],
            &[
                "Replies to: Application to ivy leagues",
                "Yes, apply by the deadline.",
            ],
        ]);
        trim_last_post(&mut t, head);
        assert!(t.chrome.is_empty());
        assert_eq!(t.posts[1].blocks.len(), 2);
    }

    proptest::proptest! {
        /// Whatever the texts, the cut loses no word: the last post keeps some, footer
        /// chrome holds the rest, in order.
        #[test]
        fn no_word_is_lost(
            head in "[a-c ]{0,60}",
            first in "[a-c .]{1,40}",
            last in proptest::collection::vec("[a-cé .|]{0,50}", 1..4),
        ) {
            let mut t = thread(&[&[first.as_str()]]);
            let mut post = Post::new(1);
            for text in &last {
                post.blocks.push(Block::new(BlockKind::Paragraph, text.as_str()));
            }
            t.posts.push(post);
            let words = |s: &str| word_spans(s).map(|(_, w)| w.to_owned()).collect::<Vec<_>>();
            let before: Vec<String> = last.iter().flat_map(|b| words(b)).collect();
            trim_last_post(&mut t, &[head.as_str()]);
            let mut after: Vec<String> = t.posts[1..]
                .iter()
                .flat_map(|p| p.blocks.iter().flat_map(|b| words(&b.text)))
                .collect();
            after.extend(t.chrome.iter().flat_map(|c| words(&c.text)));
            proptest::prop_assert_eq!(before, after);
        }
    }

    #[test]
    fn one_post_and_fewer_shared_words_are_left_alone() {
        let mut single = thread(&[&["Quick links Essential Money | Work & Benefits"]]);
        trim_last_post(&mut single, HEAD);
        assert_eq!(single.posts[0].blocks.len(), 1);
        assert!(single.chrome.is_empty());
        let mut prose = thread(&[&["a"], &["I use quick links for money every day."]]);
        trim_last_post(&mut prose, HEAD);
        assert_eq!(
            prose.posts[1].text,
            "I use quick links for money every day."
        );
    }

    #[test]
    fn a_run_of_footer_links_leaves_the_last_post() {
        let lexicon = Lexicon::builtin().expect("lexicon");
        let mut t = thread(&[
            &["Any glue works on oak."],
            &[
                "I use hide glue.",
                "• Home",
                "•",
                "• Categories",
                "• Terms of Service",
                "• Privacy Policy",
            ],
        ]);
        drop_footer_links(&mut t, &lexicon);
        let last: Vec<&str> = t.posts[1].blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(last, ["I use hide glue."]);
        assert_eq!(t.chrome.len(), 5);
        // Two links may be a post's own words ("Home", "Help").
        let mut t = thread(&[&["Where is the help page?", "• Home", "• Help"]]);
        drop_footer_links(&mut t, &lexicon);
        assert_eq!(t.posts[0].blocks.len(), 3);
    }
}
