//! Sentence splitting, with the abbreviation rules of the text's language.

/// The longest piece of a line handed to sentencex at once, in bytes. Some of its rules
/// cost time quadratic in the line (a quote's pairing recounts every quote of the line):
/// a 1 MiB line of quotes and full stops took minutes, while pieces of this size keep the
/// whole line linear (about 0.2 s per MiB of such text). Real paragraphs rarely reach it;
/// a longer one is cut at its last sentence end inside the window (see [`piece_end`]).
const MAX_PIECE: usize = 8 << 10;

/// Splits `text` into trimmed sentences using sentencex's rules for `lang` (ISO 639-1;
/// English rules when unknown). Line breaks inside a block are sentence boundaries too:
/// a block's lines are separate paragraphs or list items.
pub fn split_sentences(text: &str, lang: Option<&str>) -> Vec<String> {
    let lang = lang.unwrap_or("en");
    let mut out = Vec::new();
    for line in text.lines() {
        let mut rest = line;
        while !rest.is_empty() {
            let end = piece_end(rest);
            let (piece, tail) = rest.split_at(end);
            rest = tail;
            for sentence in sentencex::segment(lang, piece) {
                let sentence = sentence.trim();
                if !sentence.is_empty() {
                    out.push(sentence.to_owned());
                }
            }
        }
    }
    out
}

/// Where the next piece of `line` ends: the whole line when short; else just after the
/// last sentence end (`.`, `!` or `?` before white space) in the first [`MAX_PIECE`]
/// bytes, else after its last white space, else at the last character boundary there.
/// Always past zero, so every loop over the pieces advances.
fn piece_end(line: &str) -> usize {
    if line.len() <= MAX_PIECE {
        return line.len();
    }
    let mut limit = MAX_PIECE;
    while !line.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &line.as_bytes()[..limit];
    let sentence_end = window
        .windows(2)
        .rposition(|pair| matches!(pair[0], b'.' | b'!' | b'?') && pair[1].is_ascii_whitespace())
        .map(|at| at + 2);
    let space = window
        .iter()
        .rposition(u8::is_ascii_whitespace)
        .map(|at| at + 1);
    // `limit` is at least MAX_PIECE - 3 (a character is at most 4 bytes), never zero.
    sentence_end.or(space).unwrap_or(limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_do_not_split() {
        assert_eq!(
            split_sentences(
                "Kim told Mr Putin. Dr. Smith in the U.S. agreed.",
                Some("en")
            ),
            ["Kim told Mr Putin.", "Dr. Smith in the U.S. agreed."]
        );
        assert_eq!(
            split_sentences("Am 3. Oktober kam Hr. Müller. Dann ging er.", Some("de")),
            ["Am 3. Oktober kam Hr. Müller.", "Dann ging er."]
        );
    }

    #[test]
    fn a_long_line_is_cut_at_sentence_ends() {
        let sentence = "This sentence is about forty bytes long. ";
        let line = sentence.repeat(1000);
        let sentences = split_sentences(&line, Some("en"));
        assert_eq!(sentences.len(), 1000);
        assert!(sentences.iter().all(|s| s == sentence.trim()));
    }

    /// A line with no sentence end and no white space still advances, piece by piece,
    /// on character boundaries.
    #[test]
    fn a_long_line_without_spaces_is_cut_on_characters() {
        let line = "é".repeat(3 * MAX_PIECE);
        let joined: String = split_sentences(&line, None).concat();
        assert_eq!(joined, line);
    }

    proptest::proptest! {
        #[test]
        fn sentences_cover_the_words(s in "[a-zA-Z .!?\\n]{0,80}") {
            let joined: String = split_sentences(&s, None).concat();
            let strip = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            proptest::prop_assert_eq!(strip(&joined), strip(&s));
        }
    }
}
