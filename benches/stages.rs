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

fn stages(c: &mut Criterion) {
    let lexicon = Lexicon::builtin().expect("lexicon");
    let pages = pages();
    let total: u64 = pages.iter().map(|(_, b)| b.len() as u64).sum();
    let mut group = c.benchmark_group("text");
    group.throughput(Throughput::Bytes(total));
    group.bench_function("decode", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|(_, bytes)| {
                    decode(black_box(bytes), Format::Text).map_or(0, |d| d.text.len())
                })
                .sum::<usize>()
        });
    });
    let decoded: Vec<Page> = pages
        .iter()
        .map(|(n, b)| page(n, b, Format::Text))
        .collect();
    group.bench_function("clean", |b| {
        b.iter(|| {
            decoded
                .iter()
                .filter_map(|p| clean(black_box(p), &lexicon, &CleanConfig::default()).ok())
                .count()
        });
    });
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
                .count()
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
    group.bench_function("serialise", |b| {
        b.iter(|| {
            threads
                .iter()
                .filter_map(|t| threadmill_export::to_line(black_box(t)).ok())
                .map(|l| l.len())
                .sum::<usize>()
        });
    });
    group.finish();
}

/// The HTML path: decode (charset), clean (keeps the markup), parse (the DOM alone, with
/// scraper as the segmenter uses it, for reference), segment (parse + DOM walk into posts,
/// blocks and sentences: the parse is not separable through the public API), extract,
/// serialise.
fn html_stages(c: &mut Criterion) {
    let lexicon = Lexicon::builtin().expect("lexicon");
    let pages = html_pages();
    assert!(!pages.is_empty(), "no pages in benches/fixtures/html");
    let total: u64 = pages.iter().map(|(_, b)| b.len() as u64).sum();
    let mut group = c.benchmark_group("html");
    group.throughput(Throughput::Bytes(total));
    group.bench_function("decode", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|(_, bytes)| {
                    decode(black_box(bytes), Format::Html).map_or(0, |d| d.text.len())
                })
                .sum::<usize>()
        });
    });
    let decoded: Vec<Page> = pages
        .iter()
        .map(|(n, b)| page(n, b, Format::Html))
        .collect();
    group.bench_function("clean", |b| {
        b.iter(|| {
            decoded
                .iter()
                .filter_map(|p| clean(black_box(p), &lexicon, &CleanConfig::default()).ok())
                .count()
        });
    });
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
    let cleaned: Vec<_> = decoded
        .iter()
        .map(|p| clean(p, &lexicon, &CleanConfig::default()).expect("fixtures clean"))
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
        .map(|c| segment(c.clone(), &lexicon, &SegmentConfig::default()).expect("fixtures segment"))
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
        .map(|t| {
            let mut t = t.clone();
            extract(&mut t, &lexicon, &ExtractConfig::default()).expect("fixtures extract");
            t
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

criterion_group!(benches, stages, html_stages);
criterion_main!(benches);
