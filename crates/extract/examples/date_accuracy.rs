//! Date normalisation accuracy over the absolute printed dates of the gold corpus.
//!
//! ```text
//! cargo run --release -p threadmill-extract --example date_accuracy -- [CORPUS_DIR] [DATES_TSV]
//! ```
//!
//! `DATES_TSV` (default `crates/extract/eval/dates.tsv`) is a hand annotation: one line per
//! distinct absolute printed date of each gold page, `stem<TAB>printed<TAB>expected ISO`.
//! For every post of `CORPUS_DIR/gold/<stem>.gold.json` (default `/work/shared/corpus`)
//! whose printed date is annotated, `parse_date` runs with the page's language from
//! `MANIFEST.tsv` first, then `en`, no reference time, and the day/month order
//! `infer_order` learns from all printed dates of that page. Prints the accuracy over posts
//! and over distinct (page, string) pairs, and every miss. A second line shows what the
//! figures would be if a page whose dates do not decide the order fell back on its
//! language's usual order (the lexicon's `order`), as the caller may choose to do.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use threadmill_extract::{DateContext, DateOrder, infer_order, parse_date};
use threadmill_lexicon::Lexicon;

#[path = "common/corpus.rs"]
mod corpus;

/// Page language codes by stem.
fn page_languages(manifest: &str) -> Result<BTreeMap<String, String>, String> {
    Ok(corpus::page_languages(manifest)?
        .into_iter()
        .filter_map(|(stem, lang)| corpus::code(&lang).map(|c| (stem, c.to_owned())))
        .collect())
}

/// `(stem, printed) -> expected ISO` from the annotation; `#` lines and the header skipped.
fn annotation(tsv: &str) -> Result<BTreeMap<(String, String), String>, String> {
    let mut out = BTreeMap::new();
    for (n, line) in tsv.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("stem\t") {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [stem, printed, iso] = fields[..] else {
            return Err(format!("line {}: expected 3 columns", n + 1));
        };
        out.insert((stem.to_owned(), printed.trim().to_owned()), iso.to_owned());
    }
    Ok(out)
}

#[derive(Default)]
struct Tally {
    posts: usize,
    posts_ok: usize,
    strings: usize,
    strings_ok: usize,
}

impl Tally {
    fn line(&self, label: &str) -> String {
        let ratio = |ok: usize, all: usize| {
            if all == 0 {
                0.0
            } else {
                #[allow(clippy::cast_precision_loss)]
                let r = ok as f64 / all as f64;
                r
            }
        };
        format!(
            "{label}: posts {}/{} = {:.4}; distinct strings {}/{} = {:.4}",
            self.posts_ok,
            self.posts,
            ratio(self.posts_ok, self.posts),
            self.strings_ok,
            self.strings,
            ratio(self.strings_ok, self.strings),
        )
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let corpus = args
        .next()
        .unwrap_or_else(|| "/work/shared/corpus".to_owned());
    let tsv = args
        .next()
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/eval/dates.tsv").to_owned());
    let corpus = Path::new(&corpus);
    let langs = page_languages(&std::fs::read_to_string(corpus.join("MANIFEST.tsv"))?)?;
    let expected = annotation(&std::fs::read_to_string(&tsv)?)?;
    let lexicon = Lexicon::builtin()?;

    let pages: BTreeSet<&str> = expected.keys().map(|(stem, _)| stem.as_str()).collect();
    let (mut plain, mut fallback) = (Tally::default(), Tally::default());
    let mut misses = Vec::new();
    for stem in &pages {
        let path = corpus.join("gold").join(format!("{stem}.gold.json"));
        let gold: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let printed: Vec<&str> = gold["posts"]
            .as_array()
            .map(|posts| {
                posts
                    .iter()
                    .filter_map(|p| p["datetime"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        let lang = langs.get(*stem).cloned().unwrap_or_else(|| "en".to_owned());
        let mut ctx = DateContext::new(&lexicon);
        ctx.langs = vec![lang.clone()];
        if lang != "en" {
            ctx.langs.push("en".to_owned());
        }
        ctx.order = infer_order(&printed);
        let mut with_habit = ctx.clone();
        with_habit.order = ctx
            .order
            .or_else(|| lexicon.lang(&lang).and_then(DateOrder::of_lang));
        let mut counted: BTreeSet<&str> = BTreeSet::new();
        for raw in &printed {
            let Some(want) = expected.get(&((*stem).to_owned(), raw.trim().to_owned())) else {
                continue;
            };
            let first = counted.insert(raw.trim());
            for (tally, ctx, report) in [
                (&mut plain, &ctx, true),
                (&mut fallback, &with_habit, false),
            ] {
                let got = parse_date(raw, ctx).map(|d| d.iso);
                let ok = got.as_deref() == Some(want.as_str());
                tally.posts += 1;
                tally.posts_ok += usize::from(ok);
                if first {
                    tally.strings += 1;
                    tally.strings_ok += usize::from(ok);
                }
                if report && !ok {
                    misses.push(format!(
                        "{stem}\t[{lang}, order {:?}]\t{raw:?}\twant {want}\tgot {}",
                        ctx.order,
                        got.as_deref().unwrap_or("None"),
                    ));
                }
            }
        }
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", plain.line("date accuracy (order from the page)"))?;
    writeln!(
        out,
        "{}",
        fallback.line("date accuracy (order from the page, else the language's)")
    )?;
    // Misses per post, each distinct string once with its count.
    let mut grouped: BTreeMap<&str, usize> = BTreeMap::new();
    for miss in &misses {
        *grouped.entry(miss.as_str()).or_default() += 1;
    }
    writeln!(out, "misses (order from the page): {}", misses.len())?;
    for (miss, count) in grouped {
        writeln!(out, "  {count}x\t{miss}")?;
    }
    Ok(())
}
