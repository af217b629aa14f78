//! Signatures a copy prints with no rule above them: the lines an author ends posts with.
//!
//! Many engines set the signature apart by style alone, which a text copy loses; what stays
//! is that the signature comes back, word for word, at the end of each post its author
//! wrote. A line the same author prints at the end of two posts or more is signature, as is
//! the run of such lines that closes a post. A quote repeats a line too, but inside a
//! reply, never at the end of both posts.

use std::collections::{HashMap, HashSet};

use threadmill_lexicon::Lexicon;
use threadmill_model::{Block, BlockKind, Thread};

use super::author_passes::cut_point;

/// Words a run of repeated closing lines must hold to be a signature: a greeting and a
/// name ("Gruß, Dirk", "LG Uwe") close posts alike and are the post's own words.
const SIGNATURE_WORDS: usize = 5;

/// Rounds of narrowing the repeated lines to those that close posts: each round keeps the
/// lines found in the closing runs of the round before; a run settles in two or three.
const ROUNDS: usize = 3;

/// Marks the closing blocks each post shares with another post of the same author as its
/// signature.
pub(super) fn mark_repeated_signatures(thread: &mut Thread) {
    let authors: Vec<Option<String>> = thread
        .posts
        .iter()
        .map(|p| p.author_name.clone().or_else(|| p.author_url.clone()))
        .collect();
    if authors.iter().flatten().count() < 2 {
        return;
    }
    // Round 0 counts every line of every post; later rounds only the closing runs.
    let mut repeated: Option<HashSet<(&str, &str)>> = None;
    let mut runs: Vec<usize> = vec![0; thread.posts.len()];
    for _ in 0..ROUNDS {
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        for (k, (post, author)) in thread.posts.iter().zip(&authors).enumerate() {
            let Some(author) = author.as_deref() else {
                continue;
            };
            let texts: Vec<&str> = post
                .blocks
                .iter()
                .filter(|b| b.kind != BlockKind::Signature)
                .map(|b| b.text.as_str())
                .collect();
            let counted: &[&str] = match &repeated {
                None => &texts,
                Some(set) => {
                    let run = texts
                        .iter()
                        .rev()
                        .take_while(|t| set.contains(&(author, **t)))
                        .count();
                    runs[k] = run;
                    &texts[texts.len() - run..]
                }
            };
            let unique: HashSet<&str> = counted.iter().copied().collect();
            for text in unique {
                *seen.entry((author, text)).or_default() += 1;
            }
        }
        repeated = Some(
            seen.into_iter()
                .filter(|&(_, posts)| posts >= 2)
                .map(|(key, _)| key)
                .collect(),
        );
    }
    for (post, run) in thread.posts.iter_mut().zip(runs) {
        let body: Vec<usize> = (0..post.blocks.len())
            .filter(|&i| post.blocks[i].kind != BlockKind::Signature)
            .collect();
        // A post that is all signature is more likely a post said twice.
        if run == 0 || run >= body.len() {
            continue;
        }
        let tail = &body[body.len() - run..];
        let words: usize = tail
            .iter()
            .map(|&i| post.blocks[i].text.split_whitespace().count())
            .sum();
        if words < SIGNATURE_WORDS {
            continue;
        }
        for &i in tail {
            post.blocks[i].kind = BlockKind::Signature;
        }
        post.refresh_text();
    }
}

/// Posts of one author compared with each other for a run-on signature, at most.
const SAME_AUTHOR_POSTS: usize = 64;

/// A flattened copy runs the signature onto the last paragraph of the post ("… schiebe ich
/// nochmal. Heiligenschein? Hatte ich schon, …"): the words an author ends two posts or more
/// with, word for word, are split off that paragraph as the signature. A run of at least
/// [`SIGNATURE_WORDS`] words besides the post's buttons after it (lexicon `post_action`:
/// "Un abrazo. Responder citando" is a sign-off and a button), that leaves the post words
/// of its own.
pub(super) fn split_run_on_signatures(thread: &mut Thread, lexicon: &Lexicon) {
    let buttons = &lexicon.chrome_words().post_action;
    // How many of the last words of `words` are buttons, a button of up to three words.
    let trailing_buttons = |words: &[&str]| {
        let mut end = words.len();
        'strip: while end > 0 {
            for n in (1..=3.min(end)).rev() {
                if buttons.contains(&words[end - n..end].join(" ").to_lowercase()) {
                    end -= n;
                    continue 'strip;
                }
            }
            break;
        }
        words.len() - end
    };
    let mut by_author: HashMap<String, Vec<usize>> = HashMap::new();
    for (k, post) in thread.posts.iter().enumerate() {
        if let Some(author) = post.author_name.clone().or_else(|| post.author_url.clone()) {
            let posts = by_author.entry(author).or_default();
            if posts.len() < SAME_AUTHOR_POSTS {
                posts.push(k);
            }
        }
    }
    let last_words = |k: usize| -> Vec<&str> {
        thread.posts[k]
            .blocks
            .last()
            .filter(|b| b.kind == BlockKind::Paragraph)
            .map(|b| b.text.split_whitespace().collect())
            .unwrap_or_default()
    };
    let mut cuts: Vec<usize> = vec![0; thread.posts.len()];
    for posts in by_author.values() {
        let words: Vec<Vec<&str>> = posts.iter().map(|&k| last_words(k)).collect();
        for (a, wa) in words.iter().enumerate() {
            for (b, wb) in words.iter().enumerate().skip(a + 1) {
                let shared = wa
                    .iter()
                    .rev()
                    .zip(wb.iter().rev())
                    .take_while(|(x, y)| x == y)
                    .count();
                let own = shared - trailing_buttons(&wa[wa.len() - shared..]);
                // A paragraph said whole in both is a post said twice, not a signature.
                if own < SIGNATURE_WORDS || shared >= wa.len() || shared >= wb.len() {
                    continue;
                }
                for k in [posts[a], posts[b]] {
                    cuts[k] = cuts[k].max(shared);
                }
            }
        }
    }
    for (post, words) in thread.posts.iter_mut().zip(cuts) {
        if words == 0 {
            continue;
        }
        let Some(block) = post.blocks.last_mut() else {
            continue;
        };
        let at = cut_point(&block.text, words);
        let signature = block.text[at..].trim().to_owned();
        block.text.truncate(at);
        let kept = block.text.trim_end().to_owned();
        block.text = kept;
        post.blocks
            .push(Block::new(BlockKind::Signature, signature));
        post.refresh_text();
    }
}

#[cfg(test)]
mod tests {
    use BlockKind::{Paragraph, Signature};

    use super::super::tests::thread_of_blocks as thread;
    use super::*;

    fn by(posts: &[&[&str]], authors: &[&str]) -> Thread {
        let mut t = thread(posts);
        for (post, author) in t.posts.iter_mut().zip(authors) {
            post.author_name = Some((*author).to_owned());
        }
        t
    }

    fn kinds(t: &Thread, k: usize) -> Vec<BlockKind> {
        t.posts[k].blocks.iter().map(|b| b.kind).collect()
    }

    const SIG: &str = "Rig: a tower of two fans and a blue lamp";

    #[test]
    fn closing_lines_an_author_repeats_are_the_signature() {
        let mut t = by(
            &[
                &["Which fan is quieter?", SIG],
                &["The larger one, at half speed."],
                &["Thanks, I'll try it.", SIG],
            ],
            &["ann", "bob", "ann"],
        );
        mark_repeated_signatures(&mut t);
        assert_eq!(kinds(&t, 0), [Paragraph, Signature]);
        assert_eq!(kinds(&t, 2), [Paragraph, Signature]);
        assert_eq!(t.posts[2].text, "Thanks, I'll try it.");
    }

    #[test]
    fn a_signature_run_onto_the_last_paragraph_is_split_off() {
        let sig = "Rig: a tower of two fans and a blue lamp";
        let mut t = by(
            &[
                &[&format!("Which fan is quieter? {sig}")],
                &["The larger one, at half speed. Cheers, Cid"],
                &[&format!("Thanks, I'll try it. {sig}")],
                &["Agreed. Cheers, Cid"],
                &[sig],
            ],
            &["ann", "cid", "ann", "cid", "ann"],
        );
        let lx = Lexicon::builtin().expect("lexicon");
        split_run_on_signatures(&mut t, &lx);
        assert_eq!(t.posts[0].text, "Which fan is quieter?");
        assert_eq!(t.posts[2].text, "Thanks, I'll try it.");
        assert_eq!(kinds(&t, 2), [Paragraph, Signature]);
        // A short sign-off is the post's own; a post that is all signature keeps it.
        assert_eq!(
            t.posts[1].text,
            "The larger one, at half speed. Cheers, Cid"
        );
        assert_eq!(t.posts[4].text, sig);

        // A sign-off and the post's buttons are not five words of signature.
        let mut t = by(
            &[
                &["Gracias por todo. Un abrazo. Responder Responder citando"],
                &["Me alegro mucho. Un abrazo. Responder Responder citando"],
            ],
            &["eva", "eva"],
        );
        split_run_on_signatures(&mut t, &lx);
        assert_eq!(kinds(&t, 0), [Paragraph]);
    }

    #[test]
    fn quotes_other_authors_and_short_sign_offs_stay_text() {
        // bob quotes ann's closing line inside his reply; cid ends twice with a greeting;
        // dan ends one post with ann's signature.
        let mut t = by(
            &[
                &["Which fan is quieter?", SIG],
                &[SIG, "Neither, get a bigger case."],
                &["Both are loud.", "Cheers, Cid"],
                &["Agreed.", "Cheers, Cid"],
                &["Mine is quiet.", SIG],
            ],
            &["ann", "bob", "cid", "cid", "dan"],
        );
        mark_repeated_signatures(&mut t);
        for k in 0..5 {
            assert_eq!(kinds(&t, k), [Paragraph, Paragraph], "post {k}");
        }
    }
}
