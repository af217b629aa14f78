//! Every input reader (tar, zip, WARC, JSONL, single pages) under every compression, on
//! arbitrary bytes: no panic, no hang, nothing larger than the limits allows.
#![no_main]

use std::ops::ControlFlow;

use libfuzzer_sys::fuzz_target;
use threadmill_model::Format;
use threadmill_pipeline::{read_bytes, Codec, Event, InputConfig, Kind};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let kind = [Kind::Tar, Kind::Zip, Kind::Warc, Kind::Jsonl, Kind::Page { format: Format::Html }][usize::from(selector % 5)];
    let codec = [Codec::None, Codec::Gzip, Codec::Zstd, Codec::Bzip2, Codec::Xz][usize::from(selector / 5 % 5)];
    let config = InputConfig { max_bytes: 1 << 20, max_line: 1 << 16, ..InputConfig::default() };
    read_bytes(kind, codec, bytes, &config, &mut |event| {
        if let Event::Item(item) = event {
            assert!(item.bytes.len() as u64 <= config.max_bytes);
        }
        ControlFlow::Continue(())
    });
});
