//! What every segmenter shares once posts have blocks: article structure, captions,
//! repeated paragraphs, language and sentences.

use threadmill_lexicon::Lexicon;
use threadmill_model::{BlockKind, ChromeLine, ChromeRole, Post, Thread};

use crate::SegmentConfig;
use crate::dates::looks_like_date;
use crate::lang::detect_thread_langs;
use crate::sentences::split_sentences;

/// A caption is a line or two, not a paragraph of prose.
const CAPTION_MAX: usize = 400;
/// A standfirst is one or two sentences.
const STANDFIRST_RANGE: std::ops::RangeInclusive<usize> = 40..=400;
/// A post is a reposted article where it shows this many kinds of an article's parts (a
/// headline, a byline over a date line, captions).
const ARTICLE_EVIDENCE_MIN: usize = 2;

pub(crate) fn finish(thread: &mut Thread, lexicon: &Lexicon, config: &SegmentConfig) {
    set_ads_aside(thread, lexicon);
    let title = thread.title.clone();
    let page_url = thread.url.clone();
    for (index, post) in thread.posts.iter_mut().enumerate() {
        post.index = index;
        post.settle_author(page_url.as_deref(), |segment| {
            lexicon.chrome_words().profile_segment.contains(segment)
        });
        if config.drop_duplicate_blocks {
            thread.repairs.duplicate_lines_dropped += drop_repeated_blocks(post);
        }
        if config.articles {
            mark_article(post, title.as_deref(), lexicon);
        }
    }
    thread.unify_authors();
    let langs = if config.lang {
        let own_words: Vec<String> = thread.posts.iter().map(own_words).collect();
        detect_thread_langs(&own_words, lexicon)
    } else {
        vec![None; thread.posts.len()]
    };
    for (post, lang) in thread.posts.iter_mut().zip(langs) {
        post.lang = lang.map(str::to_owned);
        if config.sentences {
            for block in &mut post.blocks {
                if block.kind != BlockKind::Code {
                    block.sentences = split_sentences(&block.text, post.lang.as_deref());
                }
            }
        }
        post.refresh_text();
    }
}

/// Forums place advertisements among the posts in the posts' own frame, an ad label where
/// the poster's name stands ("Advertisement", "Anzeige") and no link to a page: such a
/// "post" is the forum's, so its text goes to the chrome, and the posts after it move up.
/// A record keeps at least one post.
fn set_ads_aside(thread: &mut Thread, lexicon: &Lexicon) {
    let labels = &lexicon.chrome_words().advertisement;
    let is_ad = |post: &Post| {
        !post
            .author_url
            .as_deref()
            .is_some_and(threadmill_model::url::is_page_link)
            && post.author_name.as_deref().is_some_and(|name| {
                name.chars().count() <= labels.longest_chars()
                    && labels.contains(&name.trim().to_lowercase())
            })
    };
    let ads: Vec<bool> = thread.posts.iter().map(is_ad).collect();
    let count = ads.iter().filter(|&&ad| ad).count();
    if count == 0 || count == ads.len() {
        return;
    }
    // Where each post lands once the ads are out; `None` for an ad.
    let mut kept = 0;
    let new_index: Vec<Option<usize>> = ads
        .iter()
        .map(|&ad| {
            (!ad).then(|| {
                kept += 1;
                kept - 1
            })
        })
        .collect();
    for line in &mut thread.chrome {
        line.post = line.post.and_then(|i| new_index.get(i).copied().flatten());
    }
    let posts = std::mem::take(&mut thread.posts);
    for (post, ad) in posts.into_iter().zip(ads) {
        if ad {
            let text: Vec<&str> = post.blocks.iter().map(|b| b.text.as_str()).collect();
            thread.chrome.push(ChromeLine {
                role: ChromeRole::Ad,
                text: text.join("\n"),
                post: None,
            });
        } else {
            thread.posts.push(post);
        }
    }
}

/// What the post's author wrote: its text without quotes of others, signature and code.
fn own_words(post: &Post) -> String {
    post.blocks
        .iter()
        .filter(|b| {
            !matches!(
                b.kind,
                BlockKind::Quote | BlockKind::Signature | BlockKind::Code
            )
        })
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Drops a paragraph that repeats an earlier one of the same post; returns how many.
fn drop_repeated_blocks(post: &mut Post) -> u64 {
    let before = post.blocks.len();
    let mut seen: Vec<String> = Vec::new();
    post.blocks.retain(|b| {
        if b.kind != BlockKind::Paragraph || b.text.chars().count() < 20 {
            return true;
        }
        let key = b.text.to_lowercase();
        if seen.contains(&key) {
            return false;
        }
        seen.push(key);
        true
    });
    (before - post.blocks.len()) as u64
}

/// Recognises a reposted news article: the headline (the thread title repeated as the first
/// paragraph), the standfirst under it, a byline followed by a date line, and photo captions
/// closed by a credit ("Pic: AP"). One of these alone is a forum post's own shape (its
/// subject printed over its text, a name and rank above a join date, "Note: … — man
/// git-branch"), so the marks stand only where two kinds of them are found.
fn mark_article(post: &mut Post, title: Option<&str>, lexicon: &Lexicon) {
    let mut marks: Vec<(usize, BlockKind)> = Vec::new();
    for (i, block) in post.blocks.iter().enumerate() {
        if block.kind == BlockKind::Paragraph
            && block.text.chars().count() <= CAPTION_MAX
            && lexicon.caption_credit(&block.text).is_some()
        {
            marks.push((i, BlockKind::Caption));
        }
    }
    let captions = usize::from(!marks.is_empty());
    let subject = post
        .subject
        .as_deref()
        .map(|s| lexicon.chrome_words().without_reply_prefix(s));
    let Some(first) = post.blocks.first() else {
        return;
    };
    let is_headline = first.kind == BlockKind::Paragraph
        && [title, subject]
            .into_iter()
            .flatten()
            .any(|t| same_text(t, &first.text));
    let mut start = 0;
    if is_headline {
        marks.push((0, BlockKind::Headline));
        start = 1;
        if let Some(next) = post.blocks.get(1) {
            let len = next.text.chars().count();
            if next.kind == BlockKind::Paragraph
                && STANDFIRST_RANGE.contains(&len)
                && !is_name_line(&next.text, lexicon)
            {
                marks.push((1, BlockKind::Standfirst));
                start = 2;
            }
        }
    }
    // A byline and a date line among the first blocks of the article.
    let mut byline = 0;
    for i in start..post.blocks.len().min(start + 4) {
        let (Some(name), Some(date)) = (post.blocks.get(i), post.blocks.get(i + 1)) else {
            break;
        };
        if name.kind == BlockKind::Paragraph
            && date.kind == BlockKind::Paragraph
            && is_name_line(&name.text, lexicon)
            && looks_like_date(&date.text, lexicon)
        {
            marks.push((i, BlockKind::Byline));
            marks.push((i + 1, BlockKind::Dateline));
            byline = 1;
            break;
        }
    }
    if captions + usize::from(is_headline) + byline < ARTICLE_EVIDENCE_MIN {
        return;
    }
    for (i, kind) in marks {
        if let Some(block) = post.blocks.get_mut(i) {
            block.kind = kind;
        }
    }
}

fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

/// "James Robinson", "By Jane Doe and John Roe": two to six capitalised words (or words
/// that join names, or name particles), no digits, no sentence punctuation.
fn is_name_line(text: &str, lexicon: &Lexicon) -> bool {
    let words = lexicon.chrome_words();
    let text = words.without_byline_word(text.trim());
    let parts: Vec<&str> = text.split_whitespace().collect();
    (2..=6).contains(&parts.len())
        && !text.contains(|c: char| c.is_ascii_digit() || matches!(c, '.' | '!' | '?' | ':' | ';'))
        && parts.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || *w == "&"
                || words.name_joiner.contains(w)
                || words.name_particle.contains(w)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ad_among_the_posts_goes_to_the_chrome() {
        let lx = Lexicon::builtin().expect("lexicon");
        let post = |name: &str, url: Option<&str>, words: &str| {
            let mut post = Post::new(0);
            post.author_name = Some(name.to_owned());
            post.author_url = url.map(str::to_owned);
            post.blocks
                .push(threadmill_model::Block::new(BlockKind::Paragraph, words));
            post
        };
        let mut thread = Thread::new(threadmill_model::Source::unnamed(
            threadmill_model::Format::Html,
        ));
        thread.posts = vec![
            post("ann", Some("/u/ann"), "Which camera?"),
            post("Anzeige", None, "Buy a camera here."),
            post("ben", Some("/u/ben"), "The one you have."),
        ];
        thread.chrome.push(ChromeLine {
            role: ChromeRole::AuthorName,
            text: "ben".to_owned(),
            post: Some(2),
        });
        set_ads_aside(&mut thread, &lx);
        let names: Vec<_> = thread
            .posts
            .iter()
            .map(|p| p.author_name.as_deref())
            .collect();
        assert_eq!(names, [Some("ann"), Some("ben")]);
        assert_eq!(thread.chrome[0].post, Some(1));
        assert_eq!(thread.chrome[1].role, ChromeRole::Ad);
        assert_eq!(thread.chrome[1].text, "Buy a camera here.");
        // A poster whose name is an ad word, with a profile, stays; so does a record's
        // only post.
        thread.posts = vec![post("Sponsored", Some("/u/sponsored"), "Hi.")];
        set_ads_aside(&mut thread, &lx);
        assert_eq!(thread.posts.len(), 1);
        thread.posts = vec![post("Advertisement", None, "Ad.")];
        set_ads_aside(&mut thread, &lx);
        assert_eq!(thread.posts.len(), 1);
    }

    /// The reference scrape's article shows a headline, a standfirst, a byline over a date
    /// line and a credited caption; a forum post that only prints its subject over its
    /// text, or only a name above a date, is no article.
    #[test]
    fn an_article_needs_two_kinds_of_its_parts() {
        let lx = Lexicon::builtin().expect("lexicon");
        let post = |paragraphs: &[&str]| {
            let mut post = Post::new(0);
            for text in paragraphs {
                post.blocks
                    .push(threadmill_model::Block::new(BlockKind::Paragraph, *text));
            }
            post
        };
        let kinds = |post: &Post| post.blocks.iter().map(|b| b.kind).collect::<Vec<_>>();
        let title = Some("Sort of new here");

        let mut subject_only = post(&[
            "Sort of new here",
            "I guess I have come here to relate to others who might have gone through this.",
        ]);
        mark_article(&mut subject_only, title, &lx);
        assert!(
            kinds(&subject_only)
                .iter()
                .all(|k| *k == BlockKind::Paragraph),
            "{:?}",
            kinds(&subject_only)
        );

        let mut repost = post(&[
            "Sort of new here",
            "The leader met the president at the cosmodrome in the far east of the country.",
            "James Robinson",
            "Wednesday 13 September 2023",
            "The words of the article go on from here.",
        ]);
        mark_article(&mut repost, title, &lx);
        assert_eq!(
            kinds(&repost),
            [
                BlockKind::Headline,
                BlockKind::Standfirst,
                BlockKind::Byline,
                BlockKind::Dateline,
                BlockKind::Paragraph
            ]
        );
    }

    #[test]
    fn names() {
        let lx = Lexicon::builtin().expect("lexicon");
        assert!(is_name_line("James Robinson", &lx));
        assert!(is_name_line("By Jane Doe and John Roe", &lx));
        assert!(is_name_line("Pieter van der Berg", &lx));
        assert!(is_name_line("BY JANE DOE", &lx));
        assert!(!is_name_line("By Jane", &lx));
        assert!(!is_name_line("Wednesday 13 September 2023", &lx));
        assert!(!is_name_line("Hello there.", &lx));
        assert!(!is_name_line("Admin", &lx));
        assert!(!is_name_line("Jane or John", &lx));
    }
}
