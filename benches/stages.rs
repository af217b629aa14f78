//! Per-stage throughput on the bundled sample and the text fixtures.
//!
//! `cargo bench --bench stages`. Whole-run figures (MB/s, threads/s, seconds per stage)
//! come from the report of `threadmill run`; this isolates each stage.

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

fn page(name: &str, bytes: &[u8]) -> Page {
    let decoded = decode(bytes, Format::Text).expect("fixtures decode");
    let source = Source {
        path: name.to_owned(),
        member: None,
        sha256: String::new(),
        bytes: bytes.len() as u64,
        format: Format::Text,
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
    let decoded: Vec<Page> = pages.iter().map(|(n, b)| page(n, b)).collect();
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

criterion_group!(benches, stages);
criterion_main!(benches);
