//! Signatures a copy prints with no rule above them: the lines an author ends posts with.
//!
//! Many engines set the signature apart by style alone, which a text copy loses; what stays
//! is that the signature comes back, word for word, at the end of each post its author
//! wrote. A line the same author prints at the end of two posts or more is signature, as is
//! the run of such lines that closes a post. A quote repeats a line too, but inside a
//! reply, never at the end of both posts.

use std::collections::{HashMap, HashSet};

use threadmill_model::{BlockKind, Thread};

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
