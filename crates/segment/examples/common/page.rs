//! Reading a page file for the examples: `.gz` files are decompressed.

use std::io::Read;
use std::path::Path;

/// The file's bytes, decompressed when its name ends in `.gz`, and how many were read.
pub fn read_page(path: &Path) -> std::io::Result<(Vec<u8>, usize)> {
    let raw = std::fs::read(path)?;
    let read = raw.len();
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    if !gz {
        return Ok((raw, read));
    }
    let mut bytes = Vec::new();
    flate2::read::MultiGzDecoder::new(raw.as_slice()).read_to_end(&mut bytes)?;
    Ok((bytes, read))
}
