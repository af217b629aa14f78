//! decode → clean → segment → extract on arbitrary bytes, as text and as HTML: every stage
//! returns a value or an error, never a panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use threadmill_clean::{clean, decode, CleanConfig};
use threadmill_extract::{extract, ExtractConfig};
use threadmill_lexicon::Lexicon;
use threadmill_model::{Format, Page, Source};
use threadmill_segment::{segment, SegmentConfig};

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::builtin().expect("built-in lexicon"));

fuzz_target!(|data: &[u8]| {
    for format in [Format::Text, Format::Html] {
        let Ok(decoded) = decode(data, format) else { continue };
        let source = Source { path: "fuzz".into(), member: None, sha256: String::new(), bytes: data.len() as u64, format };
        let page = Page { source, body: decoded.text, url: None, reference_time: None, repairs: decoded.repairs };
        let Ok(cleaned) = clean(&page, &LEXICON, &CleanConfig::default()) else { continue };
        let Ok(mut thread) = segment(cleaned, &LEXICON, &SegmentConfig::default()) else { continue };
        let _ = extract(&mut thread, &LEXICON, &ExtractConfig::default());
    }
});
