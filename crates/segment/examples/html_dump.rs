//! Segments every HTML page in a directory and prints one thread record per line (JSONL),
//! with `source.path` set to the file's path: enough for the corpus scorer until the CLI
//! runs HTML end to end.
//!
//! `cargo run --release -p threadmill-segment --example html_dump -- DIR > out.jsonl`

use std::io::Write;
use std::path::Path;

use threadmill_clean::{CleanConfig, clean, decode};
use threadmill_lexicon::Lexicon;
use threadmill_model::{Format, Page, Source};
use threadmill_segment::{SegmentConfig, segment};

#[path = "common/page.rs"]
mod page;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: html_dump DIR")?;
    let lexicon = Lexicon::builtin()?;
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    paths.sort();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in paths {
        if !path.is_file() {
            continue;
        }
        match dump(&path, &lexicon) {
            Ok(line) => writeln!(out, "{line}")?,
            #[expect(
                clippy::print_stderr,
                reason = "a dev tool: a page that fails is reported and the run goes on"
            )]
            Err(e) => eprintln!("{}: {e}", path.display()),
        }
    }
    Ok(())
}

fn dump(path: &Path, lexicon: &Lexicon) -> Result<String, Box<dyn std::error::Error>> {
    let (bytes, read) = page::read_page(path)?;
    let decoded = decode(&bytes, Format::Html)?;
    let source = Source {
        path: path.display().to_string(),
        member: None,
        sha256: String::new(),
        bytes: read as u64,
        format: Format::Html,
    };
    let page = Page {
        source,
        body: decoded.text,
        url: None,
        reference_time: None,
        repairs: decoded.repairs,
    };
    let cleaned = clean(&page, lexicon, &CleanConfig::default())?;
    let thread = segment(cleaned, lexicon, &SegmentConfig::default())?;
    Ok(serde_json::to_string(&thread)?)
}
