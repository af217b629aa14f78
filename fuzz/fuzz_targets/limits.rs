//! The limits of issue #19 on arbitrary bytes: tight `max_ratio`, `max_line` and
//! `max_bytes` that every reader must keep (tar long-name and PAX headers, WARC and HTTP
//! heads, JSONL lines, compressed streams), and the sentence splitter on long lines, which
//! must stay linear and lose no word.
#![no_main]

use std::ops::ControlFlow;

use libfuzzer_sys::fuzz_target;
use threadmill_pipeline::{read_bytes, Codec, Event, InputConfig, Kind};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    if selector == 255 {
        // The sentence splitter: pieces of a long line keep every word.
        let text = String::from_utf8_lossy(bytes).repeat(64);
        let joined: String = threadmill_segment::split_sentences(&text, None).concat();
        let strip = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(strip(&joined), strip(&text));
        return;
    }
    let kind = [Kind::Tar, Kind::Warc, Kind::Jsonl][usize::from(selector % 3)];
    let codec = [Codec::None, Codec::Gzip, Codec::Zstd][usize::from(selector / 3 % 3)];
    let config = InputConfig {
        max_bytes: 1 << 16,
        max_line: 1 << 10,
        max_ratio: 2.0,
        ..InputConfig::default()
    };
    let mut produced = 0u64;
    read_bytes(kind, codec, bytes, &config, &mut |event| {
        if let Event::Item(item) = event {
            assert!(item.bytes.len() as u64 <= config.max_bytes);
            produced += item.bytes.len() as u64;
        }
        ControlFlow::Continue(())
    });
    // A compressed stream gives out at most max_ratio times the floor of 1 MiB.
    if codec != Codec::None && kind != Kind::Tar {
        assert!(produced as f64 <= config.max_ratio * f64::from(1u32 << 20) + 1.0);
    }
});
