//! Sentence splitting, with the abbreviation rules of the text's language.

/// Splits `text` into trimmed sentences using sentencex's rules for `lang` (ISO 639-1;
/// English rules when unknown). Line breaks inside a block are sentence boundaries too:
/// a block's lines are separate paragraphs or list items.
pub fn split_sentences(text: &str, lang: Option<&str>) -> Vec<String> {
    let lang = lang.unwrap_or("en");
    let mut out = Vec::new();
    for line in text.lines() {
        for sentence in sentencex::segment(lang, line) {
            let sentence = sentence.trim();
            if !sentence.is_empty() {
                out.push(sentence.to_owned());
            }
        }
    }
    out
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

    proptest::proptest! {
        #[test]
        fn sentences_cover_the_words(s in "[a-zA-Z .!?\\n]{0,80}") {
            let joined: String = split_sentences(&s, None).concat();
            let strip = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            proptest::prop_assert_eq!(strip(&joined), strip(&s));
        }
    }
}
