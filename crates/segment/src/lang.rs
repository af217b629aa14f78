//! Language of a piece of post text.

use std::borrow::Cow;
use std::sync::LazyLock;

use whatlang::{Detector, Lang};

/// Below this many letters whatlang's guesses are mostly noise on forum text.
const MIN_LETTERS: usize = 12;

/// ISO 639-1 code of the language `text` is written in, when it can be told.
///
/// Uses whatlang's trigram model over the languages threadmill reports (close relatives
/// such as Afrikaans, which short Dutch posts are often taken for, are left out), and
/// answers only when the guess is reliable or clearly ahead. When it cannot tell (short
/// posts), the function words of English, German, French, Dutch and Spanish decide if
/// they clearly point to one. Measured on the corpus gold posts, a page at a time through
/// [`detect_thread_langs`], by `threadmill-extract`'s `lang_accuracy` example: 99.7% of
/// answers right; 41% of posts of 4–8 words answered, 97% of posts of 9–25 words.
pub fn detect_lang(text: &str) -> Option<&'static str> {
    let by_words = function_words(text);
    if !has_enough_letters(text) {
        return by_words;
    }
    by_trigrams(text).or(by_words)
}

/// The language of each of a thread's posts: what [`detect_lang`] tells, for a fraction of
/// its cost on a long thread.
///
/// The trigram model costs the same tens of microseconds on every post, which made it the
/// most expensive step of a whole run. Here it reads the thread once, from a sample of all
/// its posts; a post whose function words clearly point to that same language takes it
/// without a trigram pass of its own, since both kinds of evidence agree. Every other post
/// (another language, too few function words) is read as [`detect_lang`] reads it.
pub fn detect_thread_langs<S: AsRef<str>>(posts: &[S]) -> Vec<Option<&'static str>> {
    let thread = if posts.len() >= 3 {
        let all = posts
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join("\n");
        by_trigrams(&all)
    } else {
        None
    };
    posts
        .iter()
        .map(|post| {
            let text = post.as_ref();
            let by_words = function_words(text);
            if !has_enough_letters(text) {
                return by_words;
            }
            if thread.is_some() && by_words == thread {
                return thread;
            }
            by_trigrams(text).or(by_words)
        })
        .collect()
}

fn has_enough_letters(text: &str) -> bool {
    text.chars()
        .filter(|c| c.is_alphabetic())
        .take(MIN_LETTERS)
        .count()
        >= MIN_LETTERS
}

/// whatlang's answer, when it is reliable or clearly ahead: trigrams cannot tell on short
/// text, where the little words often can.
fn by_trigrams(text: &str) -> Option<&'static str> {
    static DETECTOR: LazyLock<Detector> =
        LazyLock::new(|| Detector::with_allowlist(LANGS.iter().map(|(lang, _)| *lang).collect()));
    let info = DETECTOR.detect(&sample(text))?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    iso639_1(info.lang())
}

/// The language whose most frequent function words the text uses, when at least two of
/// them and at least two more than any other language's: enough for "ich habe das nicht"
/// and "is this the right one", not for a name or a single word.
/// Bytes of text the trigram detector sees: its cost grows with the text, its accuracy
/// stops growing long before.
const SAMPLE_BYTES: usize = 2048;
const SAMPLE_WINDOWS: usize = 4;

/// `text` itself when short, else windows spread over it, so a long post's language is
/// read from all of it and not only from a quoted opening.
fn sample(text: &str) -> Cow<'_, str> {
    if text.len() <= SAMPLE_BYTES {
        return Cow::Borrowed(text);
    }
    let window = SAMPLE_BYTES / SAMPLE_WINDOWS;
    let stride = text.len() / SAMPLE_WINDOWS;
    let mut out = String::with_capacity(SAMPLE_BYTES + SAMPLE_WINDOWS);
    for k in 0..SAMPLE_WINDOWS {
        let start = text.floor_char_boundary(k * stride);
        let end = text.floor_char_boundary(start + window);
        out.push_str(&text[start..end]);
        out.push(' ');
    }
    Cow::Owned(out)
}

fn function_words(text: &str) -> Option<&'static str> {
    static INDEX: LazyLock<foldhash::HashMap<&'static str, usize>> = LazyLock::new(|| {
        FUNCTION_WORDS
            .iter()
            .enumerate()
            .flat_map(|(lang, (_, words))| words.iter().map(move |w| (*w, lang)))
            .collect()
    });
    let mut hits = [0_usize; FUNCTION_WORDS.len()];
    let mut lower = String::new();
    for word in text
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty() && w.len() <= LONGEST_FUNCTION_WORD)
    {
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        if let Some(&lang) = INDEX.get(lower.as_str()) {
            hits[lang] += 1;
        }
    }
    let (best, &top) = hits.iter().enumerate().max_by_key(|(_, n)| **n)?;
    let runner_up = hits
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0);
    (top >= 2 && top >= runner_up + 2).then_some(FUNCTION_WORDS[best].0)
}

/// Bytes of the longest function word, with room for upper-case forms that take more bytes
/// than their lower case: longer words are not looked up.
const LONGEST_FUNCTION_WORD: usize = 16;

/// Very frequent words that belong to one language only, for the languages forum posts
/// here come in most. Words two of them share ("de", "en", "is", "je", "du", "es", "la",
/// "die", "met", "wie", "mal") are left out.
const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "it", "to", "of", "you", "that", "this", "with", "for", "not", "have",
            "my", "i", "i'm", "it's", "are", "but", "what", "if", "just", "thanks", "do", "can",
            "be", "your",
        ],
    ),
    (
        "de",
        &[
            "und", "ich", "ist", "nicht", "der", "das", "mit", "ein", "eine", "zu", "auf", "wir",
            "sich", "auch", "habe", "hab", "bei", "mir", "danke", "noch", "aber", "schon", "oder",
            "kann",
        ],
    ),
    (
        "fr",
        &[
            "le", "les", "et", "est", "pas", "des", "une", "pour", "vous", "il", "c'est", "merci",
            "avec", "sur", "mais", "ce", "qui", "au", "bonjour", "j'ai", "ne", "nous",
        ],
    ),
    (
        "nl",
        &[
            "het", "een", "ik", "niet", "dat", "van", "voor", "zijn", "maar", "ook", "wel",
            "bedankt", "heb", "nog", "wat", "naar", "kan", "mijn", "dit", "bij",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "las", "y", "por", "para", "pero", "muy", "gracias", "hola", "tengo",
            "yo", "del", "más", "está",
        ],
    ),
];

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
    fn long_texts_are_sampled_on_char_boundaries() {
        let german = "Ich habe gestern die neue Version installiert und es läuft prächtig. ";
        let text = german.repeat(200);
        let sampled = sample(&text);
        assert!(sampled.len() <= SAMPLE_BYTES + SAMPLE_WINDOWS);
        assert_eq!(detect_lang(&text), Some("de"));
        // Two-byte letters everywhere: every window must still cut between characters.
        let russian = "Вчера я установил новую версию, и всё работает отлично. ".repeat(150);
        assert_eq!(detect_lang(&russian), Some("ru"));
    }

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
    fn short_posts_by_their_function_words() {
        assert_eq!(detect_lang("Ich habe das nicht"), Some("de"));
        assert_eq!(detect_lang("is this the right one?"), Some("en"));
        assert_eq!(detect_lang("Merci, c'est pas grave"), Some("fr"));
        assert_eq!(detect_lang("Ik heb het niet"), Some("nl"));
        // One function word, or a tie, says nothing.
        assert_eq!(detect_lang("the Rolex"), None);
        assert_eq!(detect_lang("und the"), None);
    }

    #[test]
    fn no_function_word_belongs_to_two_languages() {
        let mut seen = std::collections::BTreeMap::new();
        for (lang, words) in FUNCTION_WORDS {
            for word in *words {
                assert!(
                    word.len() <= LONGEST_FUNCTION_WORD / 2,
                    "{word} is too long"
                );
                if let Some(other) = seen.insert(*word, *lang) {
                    panic!("{word:?} is listed for {other} and {lang}");
                }
            }
        }
    }

    #[test]
    fn thread_langs_agree_with_post_by_post_detection() {
        let posts = [
            "Ich habe gestern die neue Version installiert und es funktioniert nicht.",
            "Hast du auch das Update gemacht? Bei mir ist das schon länger so.",
            "Danke, ich probiere es noch mal mit der alten Version.",
            "Thanks, I have the same problem with the new version of it.",
            "ok",
            "Merci, c'est pas grave, je vais essayer avec une autre version.",
        ];
        let thread = detect_thread_langs(&posts);
        let one_by_one: Vec<_> = posts.iter().map(|p| detect_lang(p)).collect();
        assert_eq!(thread, one_by_one);
        assert_eq!(
            thread,
            [
                Some("de"),
                Some("de"),
                Some("de"),
                Some("en"),
                None,
                Some("fr")
            ]
        );
    }

    #[test]
    fn too_short_is_unknown() {
        assert_eq!(detect_lang("ok thx"), None);
        assert_eq!(detect_lang(""), None);
    }
}
