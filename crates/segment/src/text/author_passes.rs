//! Whole-thread passes over authors: names that stand before the ranks a page repeats, names
//! said twice at a post's head, panels a flattened copy ran onto the text before them, and
//! the last check that a name names someone.

use std::collections::{HashMap, HashSet};

use threadmill_lexicon::Lexicon;
use threadmill_model::{BlockKind, ChromeLine, ChromeRole, Post, Thread};

use super::authors::{is_letter_avatar, name_like};
use super::name_cues;

/// A rank printed after a name at a post's head is at most this many words ("Schaut ab und
/// zu mal vorbei").
const RANK_WORDS: usize = 6;

/// A run after a name that only one member's posts repeat is a rank from this many words:
/// a shorter one is as often how the member opens a post.
const SAID_RANK_WORDS: usize = 3;

/// The last word on every post's author, whichever pass named it: a date ("Jan 13 2024")
/// or a post's button ("Reply", "1 Share") names no one. A rank may: forums run accounts named
/// "Moderator" or "Modérateur", and the passes that read ranks keep them where they stand
/// in a name's place.
pub(super) fn drop_names_that_name_no_one(thread: &mut Thread, lexicon: &Lexicon) {
    let dates = lexicon.date_words();
    let buttons = &lexicon.chrome_words().post_action;
    for post in &mut thread.posts {
        if post.author_name.as_deref().is_some_and(|name| {
            // A button with its count run on ("1 Share", "0Report").
            let button = name
                .trim()
                .trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace())
                .to_lowercase();
            name_cues::is_date_text(name, dates) || buttons.contains(&button)
        }) {
            post.author_name = None;
        }
    }
}

/// A name and a rank of several words printed on one line ("xJewishNinjax Discussion
/// starter", "ann Senior Member"): the rank (lexicon `rank`) goes to `author_rank` and the
/// name stays. A one-word rank is left alone: "Forum Admin" may be an account's name.
pub(super) fn ranks_after_names(thread: &mut Thread, lexicon: &Lexicon) {
    let ranks = &lexicon.chrome_words().rank;
    for post in &mut thread.posts {
        let Some(name) = post.author_name.as_deref() else {
            continue;
        };
        let words: Vec<&str> = name.split_whitespace().collect();
        // The longest rank first: "senior member" before "member".
        let split = (1..words.len()).find(|&at| {
            words.len() - at >= 2 && ranks.contains(&words[at..].join(" ").to_lowercase())
        });
        let Some(at) = split else {
            continue;
        };
        let rank = words[at..].join(" ");
        post.author_name = Some(words[..at].join(" "));
        post.author_rank.get_or_insert(rank);
    }
}

/// Names printed at the head of the post body, before a rank ("Sober Stammgast Hy, ich
/// habe …", "Maleica Gast Guten Tag!", "horst.b. Hat sich gelöscht Klasse Idee"): on a page
/// where most posts found no author, the first word of a post is its author when the words
/// after it are a rank. A rank is a run of up to [`RANK_WORDS`] capitalised-first words that
/// stands second in other posts too after a different first word (a name varies, a rank
/// repeats; "Ich habe …" twice repeats both and names no one), a run of three words or more
/// that the same name heads several posts with ("foreveryoung Schaut ab und zu mal vorbei",
/// every post of one member), or a rank the lexicon knows ("Zweck0r Moderator"). The
/// longest such run is the rank.
pub(super) fn names_before_ranks(thread: &mut Thread, lexicon: &Lexicon) {
    let ranks = &lexicon.chrome_words().rank;
    // Each unsigned post's first word and the words after it, up to a rank's length.
    let heads: Vec<Option<(String, Vec<String>)>> = thread
        .posts
        .iter()
        .map(|p| {
            if p.has_author() {
                return None;
            }
            let mut words = p.blocks.first()?.text.split_whitespace();
            let first = words.next()?.to_owned();
            let rest: Vec<String> = words.take(RANK_WORDS).map(str::to_owned).collect();
            rest.first()?
                .starts_with(char::is_uppercase)
                .then_some((first, rest))
        })
        .collect();
    let without = heads.iter().filter(|h| h.is_some()).count();
    if without < 2 || without * 2 < thread.posts.len() {
        return;
    }
    // A run of words after the first → the first words it follows, and how many posts.
    let mut runs: HashMap<Vec<&str>, (HashSet<&str>, usize)> = HashMap::new();
    for (first, rest) in heads.iter().flatten() {
        for len in 1..=rest.len() {
            let run: Vec<&str> = rest[..len].iter().map(String::as_str).collect();
            let entry = runs.entry(run).or_default();
            entry.0.insert(first);
            entry.1 += 1;
        }
    }
    let is_rank = |run: &[&str]| {
        // A rank's last word ends no clause ("Markus,", "Idee!").
        if run
            .last()
            .is_none_or(|w| w.ends_with([',', '.', ':', '!', '?', ';']))
        {
            return false;
        }
        let (names, posts) = runs.get(run).map_or((0, 0), |(n, p)| (n.len(), *p));
        names >= 2
            || (run.len() >= SAID_RANK_WORDS && posts >= 2)
            || ranks.contains(&run.join(" ").to_lowercase())
    };
    let mut panels: Vec<ChromeLine> = Vec::new();
    for (index, (post, head)) in thread.posts.iter_mut().zip(&heads).enumerate() {
        let Some((first, rest)) = head else {
            continue;
        };
        let words: Vec<&str> = rest.iter().map(String::as_str).collect();
        let Some(len) = (1..=words.len()).rev().find(|&len| is_rank(&words[..len])) else {
            continue;
        };
        if lexicon.match_line(first).is_some() {
            continue;
        }
        post.author_name = name_like(first);
        if post.author_name.is_none() {
            continue;
        }
        let rank = words[..len].join(" ");
        // The name and rank are the author panel, not what the author wrote.
        post.author_rank = Some(rank.clone());
        if let Some(block) = post.blocks.first_mut() {
            let mut rest = block.text.as_str();
            // Past the name and the rank.
            for _ in 0..=len {
                rest = rest
                    .trim_start()
                    .split_once(char::is_whitespace)
                    .map_or("", |(_, r)| r);
            }
            block.text = rest.trim_start().to_owned();
            if block.text.is_empty() {
                post.blocks.remove(0);
            }
        }
        post.refresh_text();
        for (role, text) in [
            (ChromeRole::AuthorName, first.clone()),
            (ChromeRole::AuthorRank, rank),
        ] {
            panels.push(ChromeLine {
                role,
                text,
                post: Some(index),
            });
        }
    }
    thread.chrome.extend(panels);
}

/// Names at the end of the text before a post ("… natürlich meinen auch zeigen. M
/// `MeisterPanse` Stammgast"): a flattened page runs the next post's panel (letter avatar,
/// name, rank) onto the last line of the post before. On a page where most posts found no
/// author, a rank is the one or two last words that end the text before two posts or more
/// after different names (a name varies, a rank repeats), or two words the lexicon knows
/// as a rank. A one-word rank that ends a
/// two-word rank too ("Mitglied" of "Erfahrenes Mitglied") says nothing alone. The name is
/// the word before the rank, or the words after a letter avatar that starts them ("B Baci
/// Ton"). Panels must head a quarter of the posts. Name and rank move from the text before
/// to the chrome of the post they head.
pub(super) fn names_before_next_post(thread: &mut Thread, lexicon: &Lexicon) {
    let unsigned = thread.posts.iter().filter(|p| !p.has_author()).count();
    if thread.posts.len() < 3 || unsigned * 2 < thread.posts.len() {
        return;
    }
    // The last words of the text before each post (none for the first).
    let tail_words = |k: usize| -> Vec<&str> {
        let Some(block) = k
            .checked_sub(1)
            .and_then(|j| thread.posts[j].blocks.last())
            .filter(|b| b.kind == BlockKind::Paragraph)
        else {
            return Vec::new();
        };
        let words: Vec<&str> = block.text.split_whitespace().collect();
        words[words.len().saturating_sub(6)..].to_vec()
    };
    let tails: Vec<Vec<&str>> = (0..thread.posts.len()).map(tail_words).collect();
    // Suffix of one or two words → the different words before it.
    let mut before: HashMap<Vec<&str>, HashSet<&str>> = HashMap::new();
    for tail in &tails {
        for len in 1..=2 {
            if tail.len() > len {
                let at = tail.len() - len;
                before
                    .entry(tail[at..].to_vec())
                    .or_default()
                    .insert(tail[at - 1]);
            }
        }
    }
    // Rank words are letters only: not names ("Orangehase07 Experte", "M--G Inventar"),
    // not list marks ("++"). Names stand before a rank, so a two-word rank follows two
    // name-like words at least: a name said twice with its one-word rank ("… keine. mista
    // Experte", "… Frequenzbändern? mista Experte") follows the ends of sentences.
    // A rank the lexicon knows needs no repeat ("T Tobbel Erfahrenes Mitglied", once).
    let ranks = &lexicon.chrome_words().rank;
    let is_rank = |words: &[&str]| {
        words.iter().all(|w| w.chars().all(char::is_alphabetic))
            && (before.get(words).is_some_and(|names| {
                let named = names.iter().filter(|n| name_like(n).is_some()).count();
                names.len() >= 2 && (words.len() < 2 || named >= 2)
            }) || (words.len() == 2 && ranks.contains(&words.join(" ").to_lowercase())))
    };
    let long_rank_ends: HashSet<&str> = before
        .keys()
        .filter(|k| k.len() == 2 && is_rank(k))
        .filter_map(|k| k.last().copied())
        .collect();
    let mut panels: Vec<Option<(usize, String, String)>> = vec![None; thread.posts.len()];
    for (k, tail) in tails.iter().enumerate() {
        let post = &thread.posts[k];
        if post.has_author() || tail.len() < 2 {
            continue;
        }
        let rank_len = if tail.len() > 2 && is_rank(&tail[tail.len() - 2..]) {
            2
        } else if is_rank(&tail[tail.len() - 1..]) && !long_rank_ends.contains(tail[tail.len() - 1])
        {
            1
        } else {
            continue;
        };
        let rank_at = tail.len() - rank_len;
        // A letter avatar a few words up starts the name; else the name is one word.
        let avatar = (rank_at.saturating_sub(4)..rank_at.saturating_sub(1))
            .rev()
            .find(|&a| is_letter_avatar(tail[a], tail[a + 1]));
        let name_at = avatar.map_or(rank_at - 1, |a| a + 1);
        let name = tail[name_at..rank_at].join(" ");
        if name.ends_with(':') || lexicon.match_line(&name).is_some() {
            continue;
        }
        let Some(name) = name_like(&name) else {
            continue;
        };
        let cut_words = tail.len() - avatar.unwrap_or(name_at);
        panels[k] = Some((cut_words, name, tail[rank_at..].join(" ")));
    }
    // Panels head a good share of the posts, not two of them (badges that end a few).
    if panels.iter().flatten().count() < 2.max(thread.posts.len() / 4) {
        return;
    }
    for (k, panel) in panels.into_iter().enumerate() {
        let (Some(j), Some((cut_words, name, rank))) = (k.checked_sub(1), panel) else {
            continue;
        };
        let previous = &mut thread.posts[j];
        let Some(block) = previous.blocks.last_mut() else {
            continue;
        };
        let keep = cut_point(&block.text, cut_words);
        let panel = block.text[keep..].trim().to_owned();
        block.text.truncate(keep);
        let emptied = block.text.trim().is_empty();
        if emptied {
            previous.blocks.pop();
        } else {
            block.text = block.text.trim_end().to_owned();
        }
        previous.refresh_text();
        let post = &mut thread.posts[k];
        post.author_name = Some(name);
        post.author_rank = Some(rank);
        thread.chrome.push(ChromeLine {
            role: ChromeRole::AuthorInfo,
            text: panel,
            post: Some(k),
        });
    }
}

/// The byte offset where the last `words` white-space separated words of `text` start
/// (0 when it has fewer).
pub(super) fn cut_point(text: &str, words: usize) -> usize {
    let mut at = text.len();
    for _ in 0..words {
        let head = text[..at].trim_end();
        at = head
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
    }
    at
}

/// An author panel printed at the head of a post body: the name, maybe a rank under it.
pub(super) struct BodyPanel {
    pub(super) name: String,
    /// How many blocks the panel takes.
    pub(super) len: usize,
    /// Which of them is the rank.
    pub(super) rank: Option<usize>,
}

impl BodyPanel {
    fn rank<'p>(&self, post: &'p Post) -> Option<&'p str> {
        self.rank.map(|r| post.blocks[r].text.trim())
    }
}

/// The panel at the head of `post`: its name said twice ("Marder40 / Gast / Marder40", an
/// avatar's caption and the name under it), or, when the name above the body was already
/// taken for the author, that name again under a rank.
pub(super) fn body_panel(post: &Post, lexicon: &Lexicon) -> Option<BodyPanel> {
    // Quotes and signatures are never a panel.
    let block = |i: usize| {
        post.blocks
            .get(i)
            .filter(|b| b.kind == BlockKind::Paragraph)
            .map(|b| b.text.trim())
    };
    let short = |text: &str| text.split_whitespace().count() <= 3 && text.chars().count() <= 40;
    if post.author_url.is_some() {
        return None;
    }
    if let Some(name) = post.author_name.as_deref() {
        if block(0) == Some(name) {
            return Some(BodyPanel {
                name: name.to_owned(),
                len: 1,
                rank: None,
            });
        }
        return (block(1) == Some(name) && block(0).is_some_and(short)).then(|| BodyPanel {
            name: name.to_owned(),
            len: 2,
            rank: Some(0),
        });
    }
    let first = block(0)?;
    let again = (1..3).find(|&i| block(i) == Some(first))?;
    let rank_fits = again == 1 || block(1).is_some_and(short);
    if !(short(first) && rank_fits && lexicon.match_line(first).is_none()) {
        return None;
    }
    Some(BodyPanel {
        name: name_like(first)?,
        len: again + 1,
        rank: (again == 2).then_some(1),
    })
}

/// Author panels printed at the head of post bodies ([`body_panel`]) leave the bodies for
/// the chrome, and name the posts' authors and ranks. On a page where at least two posts
/// open so; a rank between must be one other posts print too, so buttons over a reply form
/// ("Antwort schreiben / Neues Thema erstellen / Antwort schreiben") are not a member.
pub(super) fn names_said_twice(thread: &mut Thread, lexicon: &Lexicon) {
    let mut found: Vec<Option<BodyPanel>> = thread
        .posts
        .iter()
        .map(|p| body_panel(p, lexicon))
        .collect();
    let mut ranks: HashMap<&str, usize> = HashMap::new();
    for (post, panel) in thread.posts.iter().zip(&found) {
        if let Some(rank) = panel.as_ref().and_then(|panel| panel.rank(post)) {
            *ranks.entry(rank).or_default() += 1;
        }
    }
    for (post, panel) in thread.posts.iter().zip(found.iter_mut()) {
        if panel
            .as_ref()
            .and_then(|panel| panel.rank(post))
            .is_some_and(|rank| ranks.get(rank).is_none_or(|&n| n < 2))
        {
            *panel = None;
        }
    }
    if found.iter().flatten().count() < 2 {
        return;
    }
    for (index, (post, panel)) in thread.posts.iter_mut().zip(found).enumerate() {
        let Some(panel) = panel else {
            continue;
        };
        let head: Vec<_> = post.blocks.drain(..panel.len).collect();
        for (i, block) in head.into_iter().enumerate() {
            let role = if Some(i) == panel.rank {
                if post.author_rank.is_none() {
                    post.author_rank = Some(block.text.trim().to_owned());
                }
                ChromeRole::AuthorRank
            } else {
                ChromeRole::AuthorName
            };
            thread.chrome.push(ChromeLine {
                role,
                text: block.text,
                post: Some(index),
            });
        }
        post.author_name.get_or_insert(panel.name);
        post.refresh_text();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posts_of(first_blocks: &[&str]) -> Thread {
        let posts: Vec<[&str; 1]> = first_blocks.iter().map(|b| [*b]).collect();
        let posts: Vec<&[&str]> = posts.iter().map(<[&str; 1]>::as_slice).collect();
        super::super::tests::thread_of_blocks(&posts)
    }

    #[test]
    fn a_rank_of_several_words_after_a_name_is_the_rank() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = posts_of(&["Which glue?", "Use PVA.", "Or epoxy."]);
        for (post, name) in t.posts.iter_mut().zip([
            "xJewishNinjax Discussion starter",
            "llcoolrobb Well-Known Member",
            "Forum Admin",
        ]) {
            post.author_name = Some(name.to_owned());
        }
        ranks_after_names(&mut t, &lx);
        let names: Vec<_> = t.posts.iter().map(|p| p.author_name.as_deref()).collect();
        assert_eq!(
            names,
            [
                Some("xJewishNinjax"),
                Some("llcoolrobb"),
                Some("Forum Admin")
            ]
        );
        assert_eq!(
            t.posts[0].author_rank.as_deref(),
            Some("Discussion starter")
        );
        assert_eq!(t.posts[2].author_rank, None);
    }

    #[test]
    fn names_stand_before_the_ranks_a_page_repeats() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = posts_of(&[
            "Sober Stammgast Hy, ich habe eine Idee.",
            "Django8 Inventar Finde ich gut!",
            "marantz-fan Stammgast Klasse Idee, den Gedanken hatte ich auch.",
        ]);
        names_before_ranks(&mut t, &lx);
        let names: Vec<_> = t.posts.iter().map(|p| p.author_name.as_deref()).collect();
        // "Inventar" stands second once only: no rank, no name.
        assert_eq!(names, [Some("Sober"), None, Some("marantz-fan")]);
        // The panel leaves the post's words for the chrome.
        assert_eq!(t.posts[0].text, "Hy, ich habe eine Idee.");
        assert_eq!(t.posts[0].author_rank.as_deref(), Some("Stammgast"));
        assert_eq!(t.posts[1].text, "Django8 Inventar Finde ich gut!");
        assert_eq!(t.chrome.len(), 4);
    }

    #[test]
    fn ranks_of_several_words_and_known_ranks_follow_names() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = posts_of(&[
            "annb Schaut ab und zu mal vorbei Hallo, wer hat einen Tipp?",
            "bob Hat sich gelöscht Nimm den kleinen.",
            "annb Schaut ab und zu mal vorbei Danke, mache ich.",
            "carl Hat sich gelöscht Oder den großen.",
            "dora Moderator Bitte beim Thema bleiben.",
            "annb Schaut ab und zu mal vorbei Gut, ich bleibe dabei.",
        ]);
        names_before_ranks(&mut t, &lx);
        let heads: Vec<_> = t
            .posts
            .iter()
            .map(|p| (p.author_name.as_deref(), p.author_rank.as_deref()))
            .collect();
        assert_eq!(
            heads,
            [
                (Some("annb"), Some("Schaut ab und zu mal vorbei")),
                (Some("bob"), Some("Hat sich gelöscht")),
                (Some("annb"), Some("Schaut ab und zu mal vorbei")),
                (Some("carl"), Some("Hat sich gelöscht")),
                (Some("dora"), Some("Moderator")),
                (Some("annb"), Some("Schaut ab und zu mal vorbei")),
            ]
        );
        assert_eq!(t.posts[0].text, "Hallo, wer hat einen Tipp?");
        assert_eq!(t.posts[1].text, "Nimm den kleinen.");
    }

    #[test]
    fn names_said_twice_head_their_posts() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = super::super::tests::thread_of_blocks(&[
            &[
                "Marder40",
                "Gast",
                "Marder40",
                "Das fällt sehr unterschiedlich aus.",
            ],
            &[
                "schachi",
                "Gast",
                "schachi",
                "Habe seit 14 Jahren Parkinson.",
            ],
            &["Heinz", "Heinz", "Ich kann es nur empfehlen."],
            // A line between that no other post has is no rank: buttons over a form.
            &[
                "Antwort schreiben",
                "Neues Thema erstellen",
                "Antwort schreiben",
                "Name",
            ],
            &["Danke!", "Gerne."],
        ]);
        names_said_twice(&mut t, &lx);
        let heads: Vec<_> = t
            .posts
            .iter()
            .map(|p| {
                (
                    p.author_name.as_deref(),
                    p.author_rank.as_deref(),
                    p.blocks.len(),
                )
            })
            .collect();
        assert_eq!(
            heads,
            [
                (Some("Marder40"), Some("Gast"), 1),
                (Some("schachi"), Some("Gast"), 1),
                (Some("Heinz"), None, 1),
                (None, None, 4),
                (None, None, 2),
            ]
        );
        // Nothing is lost: the name and rank lines are chrome of their posts.
        let kept = t.chrome.iter().filter(|c| c.post == Some(0)).count();
        assert_eq!(kept, 3);
    }

    #[test]
    fn a_name_taken_above_the_body_leaves_it_when_printed_again() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = super::super::tests::thread_of_blocks(&[
            &["Josefin", "Empfehlenswert, dieses Buch."],
            &["Gast", "Heinz", "Die ersten THS hatten nur einen Kontakt."],
            &["Gast", "Ann", "Danke, Heinz!"],
            &["Mitglied", "Bo", "Bei mir auch."],
        ]);
        for (post, name) in t.posts.iter_mut().zip(["Josefin", "Heinz", "Ann", "Bo"]) {
            post.author_name = Some(name.to_owned());
        }
        names_said_twice(&mut t, &lx);
        let texts: Vec<&str> = t.posts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Empfehlenswert, dieses Buch.",
                "Die ersten THS hatten nur einen Kontakt.",
                "Danke, Heinz!",
                // A line above the name that no other post prints is no rank.
                "Mitglied\n\nBo\n\nBei mir auch.",
            ]
        );
        assert_eq!(t.posts[1].author_rank.as_deref(), Some("Gast"));
        assert_eq!(t.posts[3].author_rank, None);
    }

    /// Each post's author and rank.
    fn heads(t: &Thread) -> Vec<(Option<&str>, Option<&str>)> {
        t.posts
            .iter()
            .map(|p| (p.author_name.as_deref(), p.author_rank.as_deref()))
            .collect()
    }

    #[test]
    fn panels_run_onto_the_text_before_name_the_next_posts() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = super::super::tests::thread_of_blocks(&[
            &["Ich eröffne den Thread. M MeisterPanse Stammgast"],
            &["Schöne Bilder! H heatschgern Erfahrenes Mitglied"],
            &["Hier mein Homescreen. B Baci Ton Stammgast"],
            &["Gefällt mir. deineltan Erfahrenes Mitglied"],
            &["Danke euch allen - Ergänzung ++"],
        ]);
        names_before_next_post(&mut t, &lx);
        let heads = heads(&t);
        assert_eq!(
            heads,
            [
                (None, None),
                (Some("MeisterPanse"), Some("Stammgast")),
                (Some("heatschgern"), Some("Erfahrenes Mitglied")),
                (Some("Baci Ton"), Some("Stammgast")),
                (Some("deineltan"), Some("Erfahrenes Mitglied")),
            ]
        );
        assert_eq!(t.posts[0].text, "Ich eröffne den Thread.");
        assert_eq!(t.posts[3].text, "Gefällt mir.");
        // The panels are chrome of the posts they head.
        let panels: Vec<(Option<usize>, &str)> =
            t.chrome.iter().map(|c| (c.post, c.text.as_str())).collect();
        assert_eq!(panels[0], (Some(1), "M MeisterPanse Stammgast"));
    }

    #[test]
    fn a_name_said_twice_before_its_rank_is_no_two_word_rank() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = super::super::tests::thread_of_blocks(&[
            &["Wer hat das schon? Orangehase07 Experte"],
            &["Ich nicht. mista Experte"],
            &["Warum gibt es zwei? mista Experte"],
            &["Wegen der Bänder? T Tobbel Erfahrenes Mitglied"],
            &["Kann sein."],
        ]);
        names_before_next_post(&mut t, &lx);
        let heads = heads(&t);
        assert_eq!(
            heads,
            [
                (None, None),
                (Some("Orangehase07"), Some("Experte")),
                (Some("mista"), Some("Experte")),
                (Some("mista"), Some("Experte")),
                // A rank the lexicon knows needs no second member to repeat it.
                (Some("Tobbel"), Some("Erfahrenes Mitglied")),
            ]
        );
        assert_eq!(t.posts[2].text, "Warum gibt es zwei?");
    }

    #[test]
    fn cut_points_count_words_from_the_end() {
        assert_eq!(cut_point("a bb  ccc", 1), 6);
        assert_eq!(cut_point("a bb  ccc", 2), 2);
        assert_eq!(cut_point("a bb ccc", 5), 0);
        assert_eq!(cut_point("Grüße äh Öl", 1), "Grüße äh ".len());
    }

    #[test]
    fn one_name_said_twice_is_not_a_pattern() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = super::super::tests::thread_of_blocks(&[
            &["Ja", "Ja", "Genau so."],
            &["Gut.", "Danke."],
        ]);
        names_said_twice(&mut t, &lx);
        assert!(t.posts.iter().all(|p| p.author_name.is_none()));
        assert_eq!(t.posts[0].blocks.len(), 3);
    }

    #[test]
    fn openings_that_repeat_whole_name_no_one() {
        let lx = Lexicon::builtin().expect("lexicon");
        let mut t = posts_of(&[
            "Ich Habe das auch.",
            "Ich Habe es probiert.",
            "Danke Leute!",
        ]);
        names_before_ranks(&mut t, &lx);
        assert!(t.posts.iter().all(|p| p.author_name.is_none()));
    }

    #[test]
    fn dates_and_buttons_name_no_one_an_account_named_for_a_rank_does() {
        let lexicon = Lexicon::builtin().expect("lexicon");
        let mut thread = posts_of(&["a", "b", "c", "d", "e", "f"]);
        for (post, name) in thread.posts.iter_mut().zip([
            "Jan 13 2024",
            "Reply",
            "1 Share",
            "0Report",
            "Modérateur",
            "ann",
        ]) {
            post.author_name = Some(name.to_owned());
        }
        drop_names_that_name_no_one(&mut thread, &lexicon);
        let names: Vec<_> = thread
            .posts
            .iter()
            .map(|p| p.author_name.as_deref())
            .collect();
        assert_eq!(
            names,
            [None, None, None, None, Some("Modérateur"), Some("ann")]
        );
    }
}
