//! How fast the HTML parser alone reads a folder of pages: the ceiling of the HTML path,
//! which parses every page with it before doing anything else.
//!
//! ```text
//! cargo run --release -p threadmill-segment --example parse_ceiling -- DIR [ROUNDS]
//! ```
//!
//! Reads every file of `DIR` (`.gz` files are decompressed) into memory, then parses each
//! with `scraper::Html::parse_document` (html5ever), `ROUNDS` times (default 5), on one
//! thread. Prints the median round's seconds, MB/s (of bytes read, as the whole-run
//! benchmark counts them) and pages/s. Compare with
//! `scripts/bench-run.sh DIR` at `--jobs 1`: the difference is everything threadmill does
//! besides parsing.

use std::time::Instant;

use scraper::Html;

#[path = "common/page.rs"]
mod page;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: parse_ceiling DIR [ROUNDS]")?;
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5).max(1);
    let mut pages = Vec::new();
    let mut read = 0;
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    for path in paths {
        let (bytes, bytes_read) = page::read_page(&path)?;
        read += bytes_read;
        pages.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    let bytes: usize = pages.iter().map(String::len).sum();
    let mut seconds: Vec<f64> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            let mut nodes = 0;
            for page in &pages {
                nodes += Html::parse_document(page).tree.nodes().count();
            }
            std::hint::black_box(nodes);
            started.elapsed().as_secs_f64()
        })
        .collect();
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    let mb = bytes as f64 / 1e6;
    // MB read from disk, as `scripts/bench-run.sh` counts them, beside MB of HTML parsed.
    let read_mb = read as f64 / 1e6;
    let line = format!(
        "{} pages, {read_mb:.2} MB read ({mb:.2} MB of HTML): parse alone {median:.3} s (median of {rounds}), {:.1} MB/s read, {:.0} pages/s\n",
        pages.len(),
        read_mb / median,
        pages.len() as f64 / median
    );
    std::io::Write::write_all(&mut std::io::stdout(), line.as_bytes())?;
    Ok(())
}
