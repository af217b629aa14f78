//! Per-stage throughput on the project's own pages: the `text` group on the bundled sample
//! and the text fixtures, the `html` group on the invented forum pages in
//! `benches/fixtures/html` (phpBB, vBulletin, `XenForo`, Discourse).
//!
//! `cargo bench --bench stages` (`-- --quick` for a fast pass, `-- html` for one group).
//! Whole-run figures (MB/s, pages/s, peak RSS, scaling) come from `scripts/bench-run.sh`;
//! this isolates each stage. See `docs/speed.md`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use threadmill_clean::{CleanConfig, clean, decode};
use threadmill_extract::{ExtractConfig, extract};
use threadmill_lexicon::Lexicon;
use threadmill_model::{Format, Page, Source};
use threadmill_segment::{SegmentConfig, segment};

fn pages() -> Vec<(String, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("data/phpbb-nl-kim-putin.txt")];
    if let Ok(dir) = std::fs::read_dir(root.join("tests/fixtures/text")) {
        let mut more: Vec<_> = dir.filter_map(Result::ok).map(|e| e.path()).collect();
        more.sort();
        files.extend(more);
    }
    files
        .into_iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read(&p).ok()?)))
        .collect()
}

fn html_pages() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fixtures/html");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("benches/fixtures/html")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read(&p).ok()?)))
        .collect()
}

fn page(name: &str, bytes: &[u8], format: Format) -> Page {
    let decoded = decode(bytes, format).expect("fixtures decode");
    let source = Source {
        path: name.to_owned(),
        member: None,
        sha256: String::new(),
        bytes: bytes.len() as u64,
        format,
    };
    Page {
        source,
        body: decoded.text,
        url: None,
        reference_time: None,
        repairs: decoded.repairs,
    }
}

fn text_stages(c: &mut Criterion) {
    stages(c, "text", Format::Text, &pages());
}

/// The HTML path adds `parse` (scraper's DOM alone, as the segmenter builds it, for
/// reference): `segment` includes the parse, which the public API does not separate.
fn html_stages(c: &mut Criterion) {
    let pages = html_pages();
    assert!(!pages.is_empty(), "no pages in benches/fixtures/html");
    stages(c, "html", Format::Html, &pages);
}

/// decode, clean, (parse), segment, extract, serialise: each stage on the output of the
/// one before.
fn stages(c: &mut Criterion, name: &str, format: Format, pages: &[(String, Vec<u8>)]) {
    let lexicon = Lexicon::builtin().expect("lexicon");
    let total: u64 = pages.iter().map(|(_, b)| b.len() as u64).sum();
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(total));
    group.bench_function("decode", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|(_, bytes)| decode(black_box(bytes), format).map_or(0, |d| d.text.len()))
                .sum::<usize>()
        });
    });
    let decoded: Vec<Page> = pages.iter().map(|(n, b)| page(n, b, format)).collect();
    group.bench_function("clean", |b| {
        b.iter(|| {
            decoded
                .iter()
                .filter_map(|p| clean(black_box(p), &lexicon, &CleanConfig::default()).ok())
                .count()
        });
    });
    if format == Format::Html {
        group.bench_function("parse", |b| {
            b.iter(|| {
                decoded
                    .iter()
                    .map(|p| {
                        scraper::Html::parse_document(black_box(&p.body))
                            .tree
                            .nodes()
                            .count()
                    })
                    .sum::<usize>()
            });
        });
    }
    let cleaned: Vec<_> = decoded
        .iter()
        .filter_map(|p| clean(p, &lexicon, &CleanConfig::default()).ok())
        .collect();
    group.bench_function("segment", |b| {
        b.iter(|| {
            cleaned
                .iter()
                .filter_map(|c| {
                    segment(black_box(c.clone()), &lexicon, &SegmentConfig::default()).ok()
                })
                .map(|t| t.posts.len())
                .sum::<usize>()
        });
    });
    let threads: Vec<_> = cleaned
        .iter()
        .filter_map(|c| segment(c.clone(), &lexicon, &SegmentConfig::default()).ok())
        .collect();
    group.bench_function("extract", |b| {
        b.iter(|| {
            threads
                .iter()
                .map(|t| {
                    let mut t = t.clone();
                    extract(&mut t, &lexicon, &ExtractConfig::default())
                        .map_or(0, |()| t.posts.len())
                })
                .sum::<usize>()
        });
    });
    let extracted: Vec<_> = threads
        .iter()
        .filter_map(|t| {
            let mut t = t.clone();
            extract(&mut t, &lexicon, &ExtractConfig::default()).ok()?;
            Some(t)
        })
        .collect();
    group.bench_function("serialise", |b| {
        b.iter(|| {
            extracted
                .iter()
                .filter_map(|t| threadmill_export::to_line(black_box(t)).ok())
                .map(|l| l.len())
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, text_stages, html_stages);
criterion_main!(benches);
