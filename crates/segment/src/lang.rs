//! Language of a piece of post text.

use std::sync::LazyLock;

use whatlang::{Detector, Lang};

/// Below this many letters whatlang's guesses are mostly noise on forum text.
const MIN_LETTERS: usize = 12;

/// ISO 639-1 code of the language `text` is written in, when it can be told.
///
/// Uses whatlang's trigram model over the languages threadmill reports (close relatives
/// such as Afrikaans, which short Dutch posts are often taken for, are left out), and
/// answers only when the guess is reliable or clearly ahead.
pub fn detect_lang(text: &str) -> Option<&'static str> {
    static DETECTOR: LazyLock<Detector> =
        LazyLock::new(|| Detector::with_allowlist(LANGS.iter().map(|(lang, _)| *lang).collect()));
    if text
        .chars()
        .filter(|c| c.is_alphabetic())
        .take(MIN_LETTERS)
        .count()
        < MIN_LETTERS
    {
        return None;
    }
    let info = DETECTOR.detect(text)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    iso639_1(info.lang())
}

fn iso639_1(lang: Lang) -> Option<&'static str> {
    LANGS
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, code)| *code)
}

/// The languages reported, with their ISO 639-1 codes.
const LANGS: &[(Lang, &str)] = &[
    (Lang::Eng, "en"),
    (Lang::Nld, "nl"),
    (Lang::Deu, "de"),
    (Lang::Fra, "fr"),
    (Lang::Spa, "es"),
    (Lang::Ita, "it"),
    (Lang::Por, "pt"),
    (Lang::Pol, "pl"),
    (Lang::Rus, "ru"),
    (Lang::Swe, "sv"),
    (Lang::Dan, "da"),
    (Lang::Nob, "nb"),
    (Lang::Fin, "fi"),
    (Lang::Ces, "cs"),
    (Lang::Slk, "sk"),
    (Lang::Hun, "hu"),
    (Lang::Ron, "ro"),
    (Lang::Tur, "tr"),
    (Lang::Ukr, "uk"),
    (Lang::Bul, "bg"),
    (Lang::Ell, "el"),
    (Lang::Hrv, "hr"),
    (Lang::Srp, "sr"),
    (Lang::Slv, "sl"),
    (Lang::Lit, "lt"),
    (Lang::Lav, "lv"),
    (Lang::Est, "et"),
    (Lang::Cat, "ca"),
    (Lang::Ara, "ar"),
    (Lang::Heb, "he"),
    (Lang::Hin, "hi"),
    (Lang::Jpn, "ja"),
    (Lang::Kor, "ko"),
    (Lang::Cmn, "zh"),
    (Lang::Vie, "vi"),
    (Lang::Tha, "th"),
    (Lang::Ind, "id"),
    (Lang::Pes, "fa"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_languages() {
        assert_eq!(
            detect_lang(
                "Kim Jong Un has pledged his support to Russia in what he has described as the fight"
            ),
            Some("en")
        );
        assert_eq!(
            detect_lang("Ik heb gisteren de nieuwe versie geïnstalleerd en het werkt prima"),
            Some("nl")
        );
        assert_eq!(
            detect_lang("Ich habe gestern die neue Version installiert und es funktioniert"),
            Some("de")
        );
    }

    #[test]
    fn too_short_is_unknown() {
        assert_eq!(detect_lang("ok thx"), None);
        assert_eq!(detect_lang(""), None);
    }
}
