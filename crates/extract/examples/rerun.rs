//! Re-runs the extract stage on thread records and prints their quotations and entities.
//!
//! `cargo run -p threadmill-extract --example rerun -- out/threads.jsonl`: handy when the
//! rest of the pipeline is being rebuilt, and for checking rule changes against a corpus
//! already segmented.

use std::io::{BufRead, BufReader, Write};

use threadmill_extract::{ExtractConfig, extract};
use threadmill_lexicon::Lexicon;
use threadmill_model::Thread;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: rerun THREADS.jsonl")?;
    let lexicon = Lexicon::builtin()?;
    let config = ExtractConfig::default();
    let mut out = std::io::stdout().lock();
    for line in BufReader::new(std::fs::File::open(path)?).lines() {
        let mut thread: Thread = serde_json::from_str(&line?)?;
        extract(&mut thread, &lexicon, &config)?;
        let summary = serde_json::json!({
            "path": thread.source.path,
            "quotes": thread.quotes,
            "entities": thread.entities,
        });
        writeln!(out, "{summary}")?;
    }
    Ok(())
}
