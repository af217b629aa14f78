//! Accuracy of per-post language detection on short forum posts.
//!
//! ```text
//! cargo run --release -p threadmill-extract --example lang_accuracy -- [CORPUS_DIR]
//! ```
//!
//! Reads every `gold/<stem>.gold.json` of the corpus (default `/work/shared/corpus`), takes
//! the page's language from `MANIFEST.tsv` (the `file` and `language` columns, found by
//! header), and runs `threadmill_segment::detect_thread_langs` on each page's gold post
//! texts, as the segment stage does. Pages whose language column names more than one
//! language ("en (+fr/es examples)") are left out: their posts' languages are not known. Prints, per post length bucket, how many posts
//! there are, the share answered, the accuracy over all posts (no answer counts as wrong),
//! the precision over the answered ones, and the accuracy when an unanswered post inherits
//! the thread's language (the most used detected language weighted by text, as the extract
//! stage computes it).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use threadmill_lexicon::Lexicon;
use threadmill_segment::detect_thread_langs;

/// The length buckets, by whitespace-separated words: upper bounds, inclusive.
const BUCKETS: &[(&str, usize)] = &[
    ("<= 3 words", 3),
    ("4-8 words", 8),
    ("9-25 words", 25),
    ("> 25 words", usize::MAX),
];

#[derive(Default, Clone, Copy)]
struct Tally {
    posts: usize,
    answered: usize,
    correct: usize,
    correct_inherited: usize,
}

#[path = "common/corpus.rs"]
mod corpus;

/// Page language codes by stem; pages of mixed languages ("de+en") left out.
fn page_languages(manifest: &str) -> Result<BTreeMap<String, String>, String> {
    Ok(corpus::page_languages(manifest)?
        .into_iter()
        .filter(|(_, lang)| !lang.contains('+'))
        .filter_map(|(stem, lang)| corpus::code(&lang).map(|c| (stem, c.to_owned())))
        .collect())
}

#[allow(clippy::too_many_lines, reason = "an example reads top to bottom")]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let corpus = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/work/shared/corpus".to_owned());
    let corpus = Path::new(&corpus);
    let langs = page_languages(&std::fs::read_to_string(corpus.join("MANIFEST.tsv"))?)?;
    let lexicon = Lexicon::builtin()?;
    let mut tallies = [Tally::default(); BUCKETS.len()];
    let mut wrong: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut pages = 0;
    let mut entries: Vec<_> = std::fs::read_dir(corpus.join("gold"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let Some(stem) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".gold.json"))
        else {
            continue;
        };
        let Some(page_lang) = langs.get(stem) else {
            continue;
        };
        pages += 1;
        let gold: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let texts: Vec<&str> = gold["posts"]
            .as_array()
            .map(|posts| posts.iter().filter_map(|p| p["text"].as_str()).collect())
            .unwrap_or_default();
        // A page at a time, as the segment stage detects them.
        let detected = detect_thread_langs(&texts, &lexicon);
        // The thread language, as extract computes it: detected languages weighted by text.
        let mut weight: BTreeMap<&str, usize> = BTreeMap::new();
        for (text, lang) in texts.iter().zip(&detected) {
            if let Some(lang) = lang {
                *weight.entry(lang).or_default() += text.len();
            }
        }
        let thread_lang = weight
            .iter()
            .fold(None::<(&str, usize)>, |best, (&k, &v)| match best {
                Some((_, bv)) if bv >= v => best,
                _ => Some((k, v)),
            })
            .map(|(k, _)| k);
        for (text, lang) in texts.iter().zip(&detected) {
            let words = text.split_whitespace().count();
            let Some(bucket) = BUCKETS.iter().position(|(_, max)| words <= *max) else {
                continue;
            };
            let tally = &mut tallies[bucket];
            tally.posts += 1;
            tally.answered += usize::from(lang.is_some());
            tally.correct += usize::from(*lang == Some(page_lang.as_str()));
            tally.correct_inherited +=
                usize::from(lang.or(thread_lang) == Some(page_lang.as_str()));
            if let Some(lang) = lang
                && lang != page_lang
            {
                *wrong
                    .entry((page_lang.clone(), (*lang).to_owned()))
                    .or_default() += 1;
            }
        }
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{pages} pages with a single known language")?;
    writeln!(
        out,
        "{:<12} {:>6} {:>9} {:>9} {:>10} {:>10}",
        "bucket", "posts", "answered", "accuracy", "precision", "inherited"
    )?;
    let pct = |n: usize, d: usize| {
        if d == 0 {
            0.0
        } else {
            100.0 * n as f64 / d as f64
        }
    };
    let mut total = Tally::default();
    for ((name, _), t) in BUCKETS.iter().zip(&tallies) {
        writeln!(
            out,
            "{name:<12} {:>6} {:>8.1}% {:>8.1}% {:>9.1}% {:>9.1}%",
            t.posts,
            pct(t.answered, t.posts),
            pct(t.correct, t.posts),
            pct(t.correct, t.answered),
            pct(t.correct_inherited, t.posts),
        )?;
        total.posts += t.posts;
        total.answered += t.answered;
        total.correct += t.correct;
        total.correct_inherited += t.correct_inherited;
    }
    writeln!(
        out,
        "{:<12} {:>6} {:>8.1}% {:>8.1}% {:>9.1}% {:>9.1}%",
        "all",
        total.posts,
        pct(total.answered, total.posts),
        pct(total.correct, total.posts),
        pct(total.correct, total.answered),
        pct(total.correct_inherited, total.posts),
    )?;
    writeln!(out, "wrong answers (page language → detected):")?;
    for ((gold, got), n) in &wrong {
        writeln!(out, "  {gold} → {got}: {n}")?;
    }
    Ok(())
}
