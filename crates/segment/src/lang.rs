//! Language of a piece of post text.

use std::borrow::Cow;
use std::sync::LazyLock;

use threadmill_lexicon::{FunctionWords, Lexicon};
use whatlang::{Detector, Lang};

/// Below this many letters whatlang's guesses are mostly noise on forum text.
const MIN_LETTERS: usize = 12;

/// ISO 639-1 code of the language `text` is written in, when it can be told.
///
/// Uses whatlang's trigram model over the languages threadmill reports (close relatives
/// such as Afrikaans, which short Dutch posts are often taken for, are left out), and
/// answers only when the guess is reliable or clearly ahead. When it cannot tell (short
/// posts), the lexicon's function words (`[detection]`: English, German, French, Dutch and
/// Spanish built in) decide if they clearly point to one. Measured on the corpus gold
/// posts, a page at a time through [`detect_thread_langs`], by `threadmill-extract`'s
/// `lang_accuracy` example: 99.7% of answers right; 41% of posts of 4–8 words answered,
/// 97% of posts of 9–25 words.
pub fn detect_lang<'l>(text: &str, lexicon: &'l Lexicon) -> Option<&'l str> {
    let by_words = function_words(text, lexicon.function_words());
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
pub fn detect_thread_langs<'l, S: AsRef<str>>(
    posts: &[S],
    lexicon: &'l Lexicon,
) -> Vec<Option<&'l str>> {
    let words = lexicon.function_words();
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
            let by_words = function_words(text, words);
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

/// The language whose function words the text uses most, when at least two of them and
/// at least two more than any other language's: enough for "ich habe das nicht" and "is
/// this the right one", not for a name or a single word.
fn function_words<'l>(text: &str, words: &'l FunctionWords) -> Option<&'l str> {
    if words.lang_count() == 0 {
        return None;
    }
    // Upper-case forms can take more bytes than the lower case the lexicon holds: a word
    // of a post up to twice the longest is looked up.
    let longest = LONGEST_FUNCTION_WORD.max(2 * words.longest_bytes());
    // One count per language, on the stack for as many as a lexicon usually has: this runs
    // for every post.
    let mut on_stack = [0_usize; 16];
    let mut on_heap = Vec::new();
    let hits: &mut [usize] = if let Some(hits) = on_stack.get_mut(..words.lang_count()) {
        hits
    } else {
        on_heap.resize(words.lang_count(), 0);
        &mut on_heap
    };
    let mut lower = String::new();
    for word in text
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty() && w.len() <= longest)
    {
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        if let Some(lang) = words.lang_of(lower.as_str())
            && let Some(n) = hits.get_mut(lang)
        {
            *n += 1;
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
    if top >= 2 && top >= runner_up + 2 {
        words.lang(best)
    } else {
        None
    }
}

/// Bytes of a post's word looked up as a function word at least: the built-in words are at
/// most 8 bytes, and their upper-case forms at most twice that.
const LONGEST_FUNCTION_WORD: usize = 16;

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

    static LEXICON: LazyLock<Lexicon> =
        LazyLock::new(|| Lexicon::builtin().expect("built-in lexicon"));

    fn detect(text: &str) -> Option<&'static str> {
        detect_lang(text, &LEXICON)
    }

    #[test]
    fn long_texts_are_sampled_on_char_boundaries() {
        let german = "Ich habe gestern die neue Version installiert und es läuft prächtig. ";
        let text = german.repeat(200);
        let sampled = sample(&text);
        assert!(sampled.len() <= SAMPLE_BYTES + SAMPLE_WINDOWS);
        assert_eq!(detect(&text), Some("de"));
        // Two-byte letters everywhere: every window must still cut between characters.
        let russian = "Вчера я установил новую версию, и всё работает отлично. ".repeat(150);
        assert_eq!(detect(&russian), Some("ru"));
    }

    #[test]
    fn common_languages() {
        assert_eq!(
            detect(
                "Kim Jong Un has pledged his support to Russia in what he has described as the fight"
            ),
            Some("en")
        );
        assert_eq!(
            detect("Ik heb gisteren de nieuwe versie geïnstalleerd en het werkt prima"),
            Some("nl")
        );
        assert_eq!(
            detect("Ich habe gestern die neue Version installiert und es funktioniert"),
            Some("de")
        );
    }

    #[test]
    fn short_posts_by_their_function_words() {
        assert_eq!(detect("Ich habe das nicht"), Some("de"));
        assert_eq!(detect("is this the right one?"), Some("en"));
        assert_eq!(detect("Merci, c'est pas grave"), Some("fr"));
        assert_eq!(detect("Ik heb het niet"), Some("nl"));
        // One function word, or a tie, says nothing.
        assert_eq!(detect("the Rolex"), None);
        assert_eq!(detect("und the"), None);
    }

    #[test]
    fn a_users_file_adds_a_languages_function_words() {
        let finnish = Lexicon::builder()
            .builtin()
            .and_then(|b| {
                b.add_toml(
                    "fi.toml",
                    "lang = \"fi\"\n[detection]\nfunction_words = [\"ja\", \"ei\", \"se\"]",
                )
            })
            .and_then(threadmill_lexicon::LexiconBuilder::build)
            .expect("lexicon");
        assert_eq!(detect("Ei, ja se"), None);
        assert_eq!(detect_lang("Ei, ja se", &finnish), Some("fi"));
        // Too few letters for trigrams: the function words alone tell.
        assert_eq!(detect_lang("Ich habe", &finnish), Some("de"));
        let none = Lexicon::builder().build().expect("empty lexicon");
        assert_eq!(detect_lang("Ich habe", &none), None);
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
        let thread = detect_thread_langs(&posts, &LEXICON);
        let one_by_one: Vec<_> = posts.iter().map(|p| detect(p)).collect();
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
        assert_eq!(detect("ok thx"), None);
        assert_eq!(detect(""), None);
    }
}
