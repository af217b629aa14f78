//! Bytes to text, the way a browser would do it, and refusing what is not text.

use encoding_rs::{Encoding, UTF_8};
use threadmill_model::{Format, Repairs};

/// How far into an HTML page a `<meta charset>` is looked for (the HTML standard says 1024
/// bytes; real pages put it later, behind long `<script>`s).
const META_PRESCAN: usize = 4096;
/// chardetng runs slower than parsing: feed it a prefix only.
const DETECT_PREFIX: usize = 64 * 1024;
/// How much of the start is checked for NUL and control bytes.
const BINARY_PREFIX: usize = 8 * 1024;

/// A page decoded to text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The source encoding (when not UTF-8) and replacements made.
    pub repairs: Repairs,
}

/// Why bytes could not be taken as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// Zero bytes, or nothing but white space.
    #[error("empty input")]
    Empty,
    /// NUL bytes or control characters: not a page.
    #[error("binary content: {0}")]
    Binary(String),
    /// A text scrape that is mostly UTF-8 but has broken sequences.
    #[error(
        "invalid UTF-8 at byte {offset}: a text scrape with valid multi-byte characters elsewhere is corrupt, not in a legacy encoding"
    )]
    InvalidUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
}

/// Decodes a page's bytes.
///
/// Order of checks: binary sniffing, BOM, valid UTF-8, then for HTML the `<meta charset>`
/// prescan, and only then charset detection on a prefix. A text scrape whose bytes hold
/// valid UTF-8 multi-byte characters *and* broken sequences is refused: guessing a legacy
/// encoding for it would turn the valid characters into mojibake.
pub fn decode(bytes: &[u8], format: Format) -> Result<Decoded, DecodeError> {
    decode_with_charset(bytes, format, None)
}

/// [`decode`] with the charset a transport declared (an HTTP `Content-Type` header): it
/// ranks after a BOM and valid UTF-8 but before the page's own `<meta charset>`, as in a
/// browser.
pub fn decode_with_charset(
    bytes: &[u8],
    format: Format,
    charset: Option<&str>,
) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty);
    }
    sniff_binary(bytes)?;
    let mut repairs = Repairs::default();
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if encoding != UTF_8 {
            repairs.transcoded_from = Some(encoding.name().to_owned());
        }
        if had_errors {
            repairs.replacement_chars = count_replacements(&text);
        }
        return Ok(Decoded {
            text: text.into_owned(),
            repairs,
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            return Ok(Decoded {
                text: text.to_owned(),
                repairs,
            });
        }
        Err(err) if format == Format::Text && has_valid_multibyte(bytes) => {
            return Err(DecodeError::InvalidUtf8 {
                offset: err.valid_up_to(),
            });
        }
        Err(_) => {}
    }
    let declared = charset.and_then(|c| Encoding::for_label(c.trim().as_bytes()));
    let encoding = match (declared, format) {
        (Some(encoding), _) => encoding,
        (None, Format::Html) => meta_charset(bytes).unwrap_or_else(|| detect(bytes)),
        (None, Format::Text) => detect(bytes),
    };
    let (text, had_errors) = decode_legacy(bytes, encoding);
    if encoding != UTF_8 {
        repairs.transcoded_from = Some(encoding.name().to_owned());
    }
    if had_errors {
        repairs.replacement_chars = count_replacements(&text);
    }
    Ok(Decoded { text, repairs })
}

/// The UTF-8 replacement character's bytes, as a lossy UTF-8 pass leaves them.
const REPLACEMENT_BYTES: &[u8] = "\u{fffd}".as_bytes();

/// Decodes a page in `encoding`. A page saved in a single-byte encoding may still hold
/// replacement characters that a lossy UTF-8 pass wrote into it (a title in cp1251 whose
/// letters were lost on the way): their three bytes are one lost character, not three
/// letters ("пїЅ"), and count as a repair.
fn decode_legacy(bytes: &[u8], encoding: &'static Encoding) -> (String, bool) {
    let lost = |at: usize| bytes[at..].starts_with(REPLACEMENT_BYTES);
    if !encoding.is_single_byte() || !(0..bytes.len()).any(lost) {
        let (text, _, had_errors) = encoding.decode(bytes);
        return (text.into_owned(), had_errors);
    }
    let mut text = String::with_capacity(bytes.len());
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        if lost(at) {
            text.push_str(&encoding.decode_without_bom_handling(&bytes[start..at]).0);
            text.push('\u{fffd}');
            at += REPLACEMENT_BYTES.len();
            start = at;
        } else {
            at += 1;
        }
    }
    text.push_str(&encoding.decode_without_bom_handling(&bytes[start..]).0);
    (text, true)
}

fn sniff_binary(bytes: &[u8]) -> Result<(), DecodeError> {
    // UTF-16 pages start with a BOM and legitimately hold NULs.
    if Encoding::for_bom(bytes).is_some_and(|(e, _)| e != UTF_8) {
        return Ok(());
    }
    let head = &bytes[..bytes.len().min(BINARY_PREFIX)];
    if let Some(at) = memchr_nul(head) {
        return Err(DecodeError::Binary(format!("NUL byte at offset {at}")));
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
        .count();
    if controls * 20 > head.len() {
        return Err(DecodeError::Binary(format!(
            "{controls} control bytes in the first {} bytes",
            head.len()
        )));
    }
    Ok(())
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// True when the bytes contain at least one well-formed UTF-8 multi-byte character.
fn has_valid_multibyte(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
}

fn count_replacements(text: &str) -> u64 {
    text.chars().filter(|&c| c == '\u{fffd}').count() as u64
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
    detector.feed(prefix, prefix.len() == bytes.len());
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// Finds `<meta charset=…>` or `<meta http-equiv content="…charset=…">` near the start.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(at) = find(tag, b"charset") {
            let rest = &tag[at + b"charset".len()..];
            let rest = rest.trim_ascii_start();
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = rest.trim_ascii_start();
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let label_end = rest
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                    .unwrap_or(rest.len());
                if let Some(encoding) = Encoding::for_label(&rest[..label_end]) {
                    // A page that claims UTF-16 in ASCII-compatible bytes is really UTF-8.
                    return Some(if encoding.is_single_byte() || encoding == UTF_8 {
                        encoding
                    } else if encoding.output_encoding() == UTF_8 {
                        UTF_8
                    } else {
                        encoding
                    });
                }
            }
        }
        from = end;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through() {
        let d = decode("Café".as_bytes(), Format::Text).expect("utf-8");
        assert_eq!(d.text, "Café");
        assert_eq!(d.repairs, Repairs::default());
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert_eq!(decode(b"", Format::Text), Err(DecodeError::Empty));
        assert_eq!(decode(b"  \n", Format::Html), Err(DecodeError::Empty));
        assert!(matches!(
            decode(b"PK\x03\x04\x00\x00", Format::Text),
            Err(DecodeError::Binary(_))
        ));
    }

    #[test]
    fn broken_utf8_in_text_is_refused() {
        let bytes = b"Caf\xc3\xa9 is fine but \xff is not";
        assert_eq!(
            decode(bytes, Format::Text),
            Err(DecodeError::InvalidUtf8 { offset: 18 })
        );
    }

    #[test]
    fn legacy_text_is_transcoded() {
        let d = decode(
            b"Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade",
            Format::Text,
        )
        .expect("latin-1");
        assert_eq!(d.text, "Café crème brûlée, naïve façade");
        assert_eq!(d.repairs.transcoded_from.as_deref(), Some("windows-1252"));
    }

    #[test]
    fn meta_charset_wins_for_html() {
        let mut page = b"<html><head><meta charset=\"windows-1251\"></head><body>".to_vec();
        page.extend_from_slice(b"\xcf\xf0\xe8\xe2\xe5\xf2</body></html>");
        let d = decode(&page, Format::Html).expect("cp1251");
        assert!(d.text.contains("Привет"), "{}", d.text);
        assert_eq!(d.repairs.transcoded_from.as_deref(), Some("windows-1251"));
    }

    #[test]
    fn a_replacement_character_in_a_single_byte_page_is_one_lost_character() {
        let mut page = b"<html><head><meta charset=\"windows-1251\"><title>".to_vec();
        page.extend_from_slice("\u{fffd}\u{fffd} / The Revenant".as_bytes());
        page.extend_from_slice(b"</title></head><body>\xcf\xf0\xe8\xe2\xe5\xf2</body></html>");
        let d = decode(&page, Format::Html).expect("cp1251");
        assert!(
            d.text
                .contains("<title>\u{fffd}\u{fffd} / The Revenant</title>"),
            "{}",
            d.text
        );
        assert!(d.text.contains("Привет"), "{}", d.text);
        assert_eq!(d.repairs.replacement_chars, 2);
    }

    #[test]
    fn http_equiv_is_read() {
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-2\"><p>\xb1</p>";
        let d = decode(page, Format::Html).expect("latin-2");
        assert!(d.text.contains('ą'), "{}", d.text);
    }

    #[test]
    fn a_transport_charset_beats_meta() {
        let page = b"<meta charset=\"utf-8\"><p>\xe9t\xe9</p>";
        let d = decode_with_charset(page, Format::Html, Some("iso-8859-1")).expect("declared");
        assert!(d.text.contains("été"), "{}", d.text);
    }

    #[test]
    fn bom_decides() {
        let d = decode(b"\xef\xbb\xbfhello", Format::Text).expect("bom");
        assert_eq!(d.text, "hello");
        let d = decode(b"\xff\xfeh\x00i\x00", Format::Text).expect("utf-16le");
        assert_eq!(d.text, "hi");
    }
}
