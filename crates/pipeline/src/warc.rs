//! A streaming reader of WARC record heads, bounded for untrusted input.
//!
//! The published WARC crates were measured against this project's rules and failed them:
//! `warc` 0.4 panics on a header value that is not UTF-8 (found by the `readers` fuzz
//! target), and `rust_warc` 1.2 allocates the declared `Content-Length` up front, so one
//! forged header asks for any amount of memory. WARC's record head is a few lines of
//! `Name: value`; reading it here, with bounds, is less code than guarding either crate.

use std::io::{self, BufRead, Read};

/// Longest header line accepted.
const MAX_LINE: usize = 64 << 10;
/// Most header lines in one record.
const MAX_FIELDS: usize = 256;
/// Most bytes of one record head, folded continuation lines included (they add no field,
/// so the field count alone does not bound them).
const MAX_HEAD: usize = 256 << 10;

/// The head of one WARC record: its named fields and the length of the block after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    /// Field names lower-cased, values as text (invalid UTF-8 replaced).
    fields: Vec<(String, String)>,
    /// Bytes of the record block.
    pub content_length: u64,
}

impl Head {
    /// The first value of a field, by lower-case name.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }
}

fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<usize> {
    line.clear();
    let n = reader.take(MAX_LINE as u64 + 1).read_until(b'\n', line)?;
    if n > MAX_LINE {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "header line too long",
        ));
    }
    while line.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
        line.pop();
    }
    Ok(n)
}

/// Reads the next record's head, or `None` at the end of the stream.
pub(crate) fn next_head(reader: &mut impl BufRead) -> io::Result<Option<Head>> {
    let invalid = |why: &str| io::Error::new(io::ErrorKind::InvalidData, why.to_owned());
    let mut line = Vec::new();
    // Records are separated by blank lines; tolerate extra ones.
    loop {
        if read_line(reader, &mut line)? == 0 {
            return Ok(None);
        }
        if !line.is_empty() {
            break;
        }
    }
    if !line.starts_with(b"WARC/") {
        return Err(invalid("a record does not start with a WARC/ version line"));
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut head_bytes = line.len();
    loop {
        let n = read_line(reader, &mut line)?;
        if n == 0 {
            return Err(invalid("the stream ends inside a record head"));
        }
        head_bytes += n;
        if head_bytes > MAX_HEAD {
            return Err(invalid("a record head over 256 KiB"));
        }
        if line.is_empty() {
            break;
        }
        if fields.len() >= MAX_FIELDS {
            return Err(invalid("too many header fields"));
        }
        let text = String::from_utf8_lossy(&line);
        if text.starts_with([' ', '\t']) {
            // A folded continuation line belongs to the previous field.
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(text.trim());
            }
            continue;
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(invalid("a header line without a colon"));
        };
        fields.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let content_length = fields
        .iter()
        .find(|(n, _)| n == "content-length")
        .ok_or_else(|| invalid("a record without Content-Length"))?
        .1
        .parse()
        .map_err(|_| invalid("a Content-Length that is not a number"))?;
    Ok(Some(Head {
        fields,
        content_length,
    }))
}

/// Passes over what is left of a record's block and the blank lines that end it.
pub(crate) fn finish_record(reader: &mut impl BufRead, unread: u64) -> io::Result<()> {
    let skipped = io::copy(&mut reader.take(unread), &mut io::sink())?;
    if skipped < unread {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the stream ends inside a record block",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_heads_and_skips_blocks() {
        let data = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5\r\nX-Folded: a\r\n b\r\n\r\nhello\r\n\r\nWARC/1.1\r\nWARC-Type: request\r\nContent-Length: 0\r\n\r\n\r\n\r\n";
        let mut reader = &data[..];
        let head = next_head(&mut reader).expect("read").expect("a record");
        assert_eq!(
            (head.get("warc-type").as_deref(), head.content_length),
            (Some("response"), 5)
        );
        assert_eq!(head.get("x-folded").as_deref(), Some("a b"));
        finish_record(&mut reader, 5).expect("skip");
        let head = next_head(&mut reader)
            .expect("read")
            .expect("a second record");
        assert_eq!(head.get("warc-type").as_deref(), Some("request"));
        finish_record(&mut reader, 0).expect("skip");
        assert_eq!(next_head(&mut reader).expect("read"), None);
    }

    #[test]
    fn bad_heads_are_errors_not_panics() {
        for data in [
            &b"HTTP/1.1 200\r\n\r\n"[..],
            b"WARC/1.0\r\nContent-Length: x\r\n\r\n",
            b"WARC/1.0\r\nNo colon\r\n\r\n",
            b"WARC/1.0\r\nWARC-Type: \xff\xfe\r\n",
        ] {
            assert!(next_head(&mut &data[..]).is_err());
        }
        // Folded lines add no field: the head's size bounds them.
        let mut folded = b"WARC/1.0\r\nX: a\r\n".to_vec();
        for _ in 0..100_000 {
            folded.extend_from_slice(b" more\r\n");
        }
        let error = next_head(&mut &folded[..]).expect_err("too big");
        assert!(error.to_string().contains("256 KiB"), "{error}");
        let huge = b"WARC/1.0\r\nContent-Length: 99999999999999\r\n\r\nabc";
        let mut reader = &huge[..];
        let head = next_head(&mut reader).expect("head").expect("record");
        assert!(finish_record(&mut reader, head.content_length).is_err());
    }
}
