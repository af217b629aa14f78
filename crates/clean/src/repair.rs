//! Character-level repairs: mojibake, invisible characters, spaces, NFC, glued sentences.

use std::sync::LazyLock;

use encoding_rs::WINDOWS_1252;
use regex::Regex;
use threadmill_model::Repairs;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Repairs one piece of text and counts what changed.
///
/// Mojibake is repaired first (it creates the characters the other steps look at), then
/// invisible characters are removed, exotic spaces made plain, and the result put in NFC.
/// Line breaks are kept.
pub fn repair_text(text: &str, mojibake: bool, repairs: &mut Repairs) -> String {
    let mut out = if mojibake && text.chars().any(is_mojibake_marker) {
        fix_mojibake(text, repairs)
    } else {
        text.to_owned()
    };
    if out.chars().any(|c| is_invisible(c) || is_odd_space(c)) {
        let mut cleaned = String::with_capacity(out.len());
        for c in out.chars() {
            if is_invisible(c) {
                repairs.invisible_removed += 1;
            } else if is_odd_space(c) {
                repairs.spaces_normalized += 1;
                cleaned.push(' ');
            } else {
                cleaned.push(c);
            }
        }
        out = cleaned;
    }
    if is_nfc_quick(out.chars()) != IsNormalized::Yes {
        let normalized: String = out.nfc().collect();
        if normalized != out {
            repairs.normalized += out
                .chars()
                .count()
                .abs_diff(normalized.chars().count())
                .max(1) as u64;
            out = normalized;
        }
    }
    out
}

/// Characters that start the usual mojibake sequences (the lead bytes 0xC2–0xC5, 0xD0,
/// 0xD1 and 0xE2 of UTF-8 seen as Windows-1252).
fn is_mojibake_marker(c: char) -> bool {
    matches!(c, 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ð' | 'Ñ' | 'â')
}

/// Re-decodes runs of non-ASCII characters that, written back as Windows-1252, form valid
/// UTF-8. A run that does not (genuine "çã" in Portuguese) is left alone: the UTF-8
/// validity check is what keeps real Latin-1 text safe.
fn fix_mojibake(text: &str, repairs: &mut Repairs) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run_start: Option<usize> = None;
    let flush = |out: &mut String, run: &str, repairs: &mut Repairs| {
        if run.chars().any(is_mojibake_marker)
            && let Some(fixed) = redecode(run)
        {
            out.push_str(&fixed);
            repairs.mojibake += 1;
            return;
        }
        out.push_str(run);
    };
    for (i, c) in text.char_indices() {
        if !c.is_ascii() && encodes_in_1252(c) {
            run_start.get_or_insert(i);
        } else {
            if let Some(start) = run_start.take() {
                flush(&mut out, &text[start..i], repairs);
            }
            out.push(c);
        }
    }
    if let Some(start) = run_start {
        flush(&mut out, &text[start..], repairs);
    }
    out
}

fn encodes_in_1252(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = WINDOWS_1252.encode(c.encode_utf8(&mut buf));
    !unmappable && bytes.len() == 1
}

fn redecode(run: &str) -> Option<String> {
    let (bytes, _, unmappable) = WINDOWS_1252.encode(run);
    if unmappable {
        return None;
    }
    let fixed = std::str::from_utf8(&bytes).ok()?;
    // C1 controls in the result mean the bytes were not text either way.
    if fixed.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
        return None;
    }
    Some(fixed.to_owned())
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}' | '\u{2060}' | '\u{feff}' | '\u{00ad}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    ) || (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
}

fn is_odd_space(c: char) -> bool {
    matches!(
        c,
        '\u{00a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// A sentence end glued to the next sentence: `him.During`, `West."We`, `now!Then`.
/// The left side needs two lower-case letters so that initials and acronyms (`U.S.A`,
/// `J.R.R`) stay; the right side needs a capital then a lower-case letter.
static GLUED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\p{Ll}{2}[.!?](?P<quote>["”’»)“]?)(?P<next>\p{Lu}\p{Ll})"#)
        .expect("static pattern")
});

/// Splits sentences glued together without a space, except inside URLs, e-mail
/// addresses and file names.
///
/// A quote mark between the two sentences goes with the one it belongs to: `”` closes the
/// first, `“` opens the second, and a straight `"` opens the second when the quotes before
/// it are balanced (`the West."We will` → `the West. "We will`).
pub fn split_glued_sentences(text: &str, repairs: &mut Repairs) -> String {
    if !GLUED.is_match(text) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut last = 0;
    for caps in GLUED.captures_iter(text) {
        let (Some(quote), Some(next)) = (caps.name("quote"), caps.name("next")) else {
            continue;
        };
        if in_url_like_token(text, next.start()) {
            continue;
        }
        let opens = match quote.as_str() {
            "“" => true,
            "\"" => text[..quote.start()].matches('"').count().is_multiple_of(2),
            _ => false,
        };
        let at = if opens { quote.start() } else { next.start() };
        out.push_str(&text[last..at]);
        out.push(' ');
        last = at;
        repairs.glued_sentences_split += 1;
    }
    out.push_str(&text[last..]);
    out
}

fn in_url_like_token(text: &str, at: usize) -> bool {
    let start = text[..at].rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let end = text[at..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| at + i);
    let token = &text[start..end];
    token.contains("://") || token.contains("www.") || token.contains('@') || token.contains('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(s: &str) -> (String, Repairs) {
        let mut r = Repairs::default();
        (repair_text(s, true, &mut r), r)
    }

    #[test]
    fn mojibake_is_repaired() {
        let (text, r) = repaired("MÃ¼llerâ€™s cafÃ© said â€œhiâ€\u{9d}");
        assert_eq!(text, "Müller’s café said “hi”");
        assert_eq!(r.mojibake, 5);
    }

    #[test]
    fn genuine_latin_text_is_kept() {
        for s in [
            "ação e não",
            "Ærøskøbing",
            "Å se",
            "Ça va, à la française",
            "naïve Âge",
        ] {
            assert_eq!(repaired(s).0, s);
        }
    }

    #[test]
    fn invisible_and_spaces() {
        let (text, r) = repaired("a\u{200b}b\u{a0}c\u{ad}d");
        assert_eq!(text, "ab cd");
        assert_eq!((r.invisible_removed, r.spaces_normalized), (2, 1));
    }

    #[test]
    fn nfc() {
        let (text, r) = repaired("Cafe\u{301}");
        assert_eq!(text, "Café");
        assert_eq!(r.normalized, 1);
    }

    #[test]
    fn glued_sentences_split() {
        let mut r = Repairs::default();
        let s = split_glued_sentences(
            r#"a "war" to the West."We will. see" him.During the "tour."Then U.S.A and e.g. www.bbc.co.Uk"#,
            &mut r,
        );
        assert_eq!(
            s,
            r#"a "war" to the West. "We will. see" him. During the "tour." Then U.S.A and e.g. www.bbc.co.Uk"#
        );
        assert_eq!(r.glued_sentences_split, 3);
    }

    proptest::proptest! {
        #[test]
        fn repair_never_panics_and_is_idempotent(s in "\\PC{0,64}") {
            let mut r = Repairs::default();
            let once = repair_text(&s, true, &mut r);
            let twice = repair_text(&once, true, &mut r);
            let glued = split_glued_sentences(&twice, &mut r);
            proptest::prop_assert_eq!(split_glued_sentences(&glued, &mut r), glued);
        }
    }
}
