//! Precision and recall of quotations and named entities against hand annotation.
//!
//! ```text
//! threadmill run --input ../shared/corpus/articles/html --output out/eval-articles.jsonl
//! threadmill run --input ../shared/corpus/html --output out/eval-html.jsonl
//! threadmill run --input ../shared/data/phpbb-nl-kim-putin.txt --output out/eval-ref.jsonl
//! cargo run --release -p threadmill-extract --example extract_eval -- \
//!     crates/extract/eval/gold.json out/eval-*.jsonl
//! ```
//!
//! Each gold unit names an input; the record whose `source.path` ends with it is scored.
//! Entities match on name and kind (names compared without case; the gold may list several
//! accepted spellings separated by `|`). A quotation matches when its text starts with the
//! gold's first words (compared without case, quote marks and extra spaces) and its speaker
//! is the gold one (both `null` counts). Prints per-unit counts, the misses and false
//! alarms, then micro-averaged precision and recall.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};

use serde::Deserialize;
use threadmill_model::{EntityKind, Thread};

#[derive(Deserialize)]
struct Gold {
    units: Vec<Unit>,
}

#[derive(Deserialize)]
struct Unit {
    input: String,
    lang: String,
    entities: Vec<(String, EntityKind)>,
    quotes: Vec<(String, Option<String>)>,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn add(&mut self, other: Self) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
    fn precision(self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

/// Lower case, straight apostrophes, single spaces: for comparing quotation text.
fn norm(text: &str) -> String {
    text.replace(['’', '‘'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// True when `name` is one of the `|`-separated spellings of `gold`.
fn spelled(gold: &str, name: &str) -> bool {
    gold.split('|').any(|g| g.eq_ignore_ascii_case(name))
}

#[allow(clippy::too_many_lines, reason = "an example reads top to bottom")]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let gold_path = args
        .next()
        .ok_or("usage: extract_eval GOLD.json RECORDS.jsonl...")?;
    let gold: Gold = serde_json::from_str(&std::fs::read_to_string(gold_path)?)?;
    let mut records: Vec<Thread> = Vec::new();
    for path in args {
        for line in BufReader::new(std::fs::File::open(path)?).lines() {
            records.push(serde_json::from_str(&line?)?);
        }
    }
    let mut out = std::io::stdout().lock();
    let (mut ent_total, mut quote_total) = (Counts::default(), Counts::default());
    let mut by_lang: BTreeMap<&str, Counts> = BTreeMap::new();
    for unit in &gold.units {
        let Some(record) = records
            .iter()
            .find(|r| r.source.path.ends_with(&unit.input))
        else {
            writeln!(
                out,
                "{}: no record (run threadmill on it first)",
                unit.input
            )?;
            continue;
        };
        // Entities.
        let mut ent = Counts::default();
        let mut matched = vec![false; unit.entities.len()];
        for e in &record.entities {
            match unit
                .entities
                .iter()
                .position(|(name, kind)| *kind == e.kind && spelled(name, &e.name))
            {
                Some(i) if !matched[i] => {
                    matched[i] = true;
                    ent.tp += 1;
                }
                Some(_) => {}
                None => {
                    ent.fp += 1;
                    writeln!(out, "  false entity: {} ({:?})", e.name, e.kind)?;
                }
            }
        }
        for ((name, kind), hit) in unit.entities.iter().zip(&matched) {
            if !hit {
                ent.fn_ += 1;
                writeln!(out, "  missed entity: {name} ({kind:?})")?;
            }
        }
        // Quotations.
        let mut quo = Counts::default();
        let mut matched = vec![false; unit.quotes.len()];
        for q in &record.quotes {
            let text = norm(&q.text);
            let hit = unit
                .quotes
                .iter()
                .enumerate()
                .position(|(i, (start, speaker))| {
                    !matched[i]
                        && text.starts_with(&norm(start))
                        && match (speaker, &q.speaker) {
                            (None, None) => true,
                            (Some(g), Some(s)) => spelled(g, s),
                            _ => false,
                        }
                });
            if let Some(i) = hit {
                matched[i] = true;
                quo.tp += 1;
            } else {
                quo.fp += 1;
                let head: String = q.text.chars().take(60).collect();
                writeln!(out, "  false quotation: {head:?} by {:?}", q.speaker)?;
            }
        }
        for ((start, speaker), hit) in unit.quotes.iter().zip(&matched) {
            if !hit {
                quo.fn_ += 1;
                writeln!(out, "  missed quotation: {start:?} by {speaker:?}")?;
            }
        }
        writeln!(
            out,
            "{} [{}]: entities tp {} fp {} fn {}; quotations tp {} fp {} fn {}",
            unit.input, unit.lang, ent.tp, ent.fp, ent.fn_, quo.tp, quo.fp, quo.fn_
        )?;
        ent_total.add(ent);
        quote_total.add(quo);
        by_lang.entry(&unit.lang).or_default().add(ent);
    }
    writeln!(
        out,
        "\nentities:   P {:.3} R {:.3} (tp {} fp {} fn {})",
        ent_total.precision(),
        ent_total.recall(),
        ent_total.tp,
        ent_total.fp,
        ent_total.fn_
    )?;
    for (lang, c) in &by_lang {
        writeln!(
            out,
            "  {lang}: P {:.3} R {:.3} (tp {} fp {} fn {})",
            c.precision(),
            c.recall(),
            c.tp,
            c.fp,
            c.fn_
        )?;
    }
    writeln!(
        out,
        "quotations: P {:.3} R {:.3} (tp {} fp {} fn {})",
        quote_total.precision(),
        quote_total.recall(),
        quote_total.tp,
        quote_total.fp,
        quote_total.fn_
    )?;
    Ok(())
}
