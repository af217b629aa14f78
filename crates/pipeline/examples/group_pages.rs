//! Grouping a million pages into threads: time and memory of the page index.
//!
//! `cargo run --release -p threadmill-pipeline --example group_pages -- [PAGES] [BUFFER]`
//! notes `PAGES` (default 1,000,000) generated pages in the run's page index, as a run
//! does for every page record with a thread key: threads of 5 pages on 50 hosts, the pages
//! of each thread scattered over the whole input (page `i` is position `i × 999983 mod
//! PAGES` of a thread-major order). Then it groups them by thread and sorts the stitched
//! records' placements (both external sorts, spilling past `BUFFER` entries, default
//! 200,000 as in the default pipeline) and reads every placement back. Run it under
//! `/usr/bin/time -v` for the peak resident memory; it prints the time of each step.

use std::io::Write;
use std::time::Instant;

use threadmill_pipeline::PageIndex;

/// A prime that divides no page count made of twos and fives: `i × STRIDE mod PAGES`
/// visits every position once.
const STRIDE: u64 = 999_983;
const PAGES_PER_THREAD: u64 = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let pages: u64 = args.next().map_or(Ok(1_000_000), |a| a.parse())?;
    let buffer: usize = args.next().map_or(Ok(200_000), |a| a.parse())?;
    let dir = tempfile::tempdir()?;
    let mut out = std::io::stdout().lock();

    let start = Instant::now();
    let mut index = PageIndex::new(dir.path(), buffer)?;
    let mut offset = 0u64;
    for ordinal in 0..pages {
        let position = ordinal * STRIDE % pages;
        let thread = position / PAGES_PER_THREAD;
        let n = u32::try_from(position % PAGES_PER_THREAD + 1)?;
        let key = format!("url:forum{}.example/phpbb/{thread}", thread % 50);
        // A record line of 20 KB, as a page record of a few posts is.
        index.add(&key, n, Some(5), ordinal, (offset, 20_000))?;
        offset += 20_000;
    }
    let noted = start.elapsed();

    let start = Instant::now();
    let placements = index.place()?;
    let placed = start.elapsed();

    let start = Instant::now();
    let (mut threads, mut folded, mut members) = (0u64, 0u64, 0u64);
    let mut last = None;
    for placement in placements.into_iter().flatten() {
        let placement = placement?;
        if last.is_some_and(|l| l >= placement.ordinal) {
            return Err("placements out of order".into());
        }
        last = Some(placement.ordinal);
        if placement.members.is_empty() {
            folded += 1;
        } else {
            threads += 1;
            members += placement.members.len() as u64;
        }
    }
    let read = start.elapsed();
    let spilled: u64 = walkdir(dir.path());

    writeln!(out, "pages {pages}, sort buffer {buffer} entries")?;
    writeln!(
        out,
        "note every page in the index: {:.2} s",
        noted.as_secs_f64()
    )?;
    writeln!(
        out,
        "group by thread, sort placements: {:.2} s",
        placed.as_secs_f64()
    )?;
    writeln!(out, "read placements back: {:.2} s", read.as_secs_f64())?;
    writeln!(
        out,
        "total {:.2} s; threads {threads} ({members} pages), pages folded {folded}; spilled {:.1} MB",
        (noted + placed + read).as_secs_f64(),
        spilled as f64 / 1e6
    )?;
    if members != pages || folded + threads != pages {
        return Err("not every page was grouped".into());
    }
    Ok(())
}

/// Bytes of the files below `dir`: what the sorts spilled.
fn walkdir(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => walkdir(&e.path()),
            _ => e.metadata().map_or(0, |m| m.len()),
        })
        .sum()
}
