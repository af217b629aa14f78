//! Engine profiles: per-engine CSS selectors kept as data, and the posts they find.
//!
//! The profiles are `profiles/*.toml`, one file per engine family.
//!
//! A profile says how to recognise an engine (generator meta, class names only its
//! templates use, selectors that must match) and where each part of a post is. Every
//! field takes a list of selectors, tried in order: themes move things around, and the
//! first selector that finds something in a post wins. A profile without post selectors
//! only names its engine from the generator meta.

use foldhash::HashSet;
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};
use serde::Deserialize;
use threadmill_lexicon::Lexicon;

use super::cues::{self, IdReach};
use super::dom::{Dom, collapse};
use super::probe::{Probe, probes};
use super::vocabulary::vocabulary;
use super::{Page, RawPost};
use crate::dates::find_date;

// The weights of a profile's fit to a page: its share of the most it could score.

/// A generator meta naming the profile's engine weighs this much...
const GENERATOR_WEIGHT: f32 = 3.0;
/// ...each of the profile's class names the page uses this much...
const CLASS_WEIGHT: f32 = 1.0;
/// ...and each of its detection selectors that matches this much.
const SELECTOR_WEIGHT: f32 = 2.0;
/// A profile fitting the page less than this is not used.
const FIT_MIN: f32 = 0.5;

/// How sure the profile's posts are: this share of its fit for any posts...
const INCOMPLETE_SHARE: f32 = 0.5;
/// ...and this share more in proportion to the posts with an author and a date...
const COMPLETE_SHARE: f32 = 0.5;
/// ...at most this much.
const CONFIDENCE_MAX: f32 = 0.99;

/// An author's rank is this many characters at most: longer text is a panel's.
const RANK_CHARS_MAX: usize = 80;
/// A post's subject is this many characters at most.
const SUBJECT_CHARS_MAX: usize = 300;
/// A join date's value after its label is this many characters at most.
const JOINED_CHARS_MAX: usize = 60;

/// The built-in profiles, one TOML file per engine family.
const BUILTIN: &[(&str, &str)] = &[
    ("phpbb.toml", include_str!("../../profiles/phpbb.toml")),
    (
        "vbulletin.toml",
        include_str!("../../profiles/vbulletin.toml"),
    ),
    ("xenforo.toml", include_str!("../../profiles/xenforo.toml")),
    (
        "discourse.toml",
        include_str!("../../profiles/discourse.toml"),
    ),
    ("smf.toml", include_str!("../../profiles/smf.toml")),
    (
        "invision.toml",
        include_str!("../../profiles/invision.toml"),
    ),
    ("vanilla.toml", include_str!("../../profiles/vanilla.toml")),
    ("fluxbb.toml", include_str!("../../profiles/fluxbb.toml")),
    ("woltlab.toml", include_str!("../../profiles/woltlab.toml")),
    ("bbpress.toml", include_str!("../../profiles/bbpress.toml")),
    ("kunena.toml", include_str!("../../profiles/kunena.toml")),
    ("mybb.toml", include_str!("../../profiles/mybb.toml")),
    ("phorum.toml", include_str!("../../profiles/phorum.toml")),
    ("nodebb.toml", include_str!("../../profiles/nodebb.toml")),
    ("flarum.toml", include_str!("../../profiles/flarum.toml")),
    (
        "hypermail.toml",
        include_str!("../../profiles/hypermail.toml"),
    ),
    ("mailman.toml", include_str!("../../profiles/mailman.toml")),
];

/// The shape of a profile file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    #[serde(default)]
    profile: Vec<ProfileEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileEntry {
    name: String,
    engine: String,
    #[serde(default)]
    detect: DetectFile,
    #[serde(default)]
    select: SelectFile,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DetectFile {
    /// Substrings of `<meta name="generator">`, lower-case.
    #[serde(default)]
    generator: Vec<String>,
    /// Class names only this engine's templates use.
    #[serde(default)]
    classes: Vec<String>,
    /// Selectors that match on this engine's thread pages.
    #[serde(default)]
    selectors: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SelectFile {
    #[serde(default)]
    post: Vec<String>,
    #[serde(default)]
    body: Vec<String>,
    #[serde(default)]
    author: Vec<String>,
    #[serde(default)]
    author_link: Vec<String>,
    #[serde(default)]
    date: Vec<String>,
    #[serde(default)]
    quote: Vec<String>,
    #[serde(default)]
    quote_author: Vec<String>,
    #[serde(default)]
    signature: Vec<String>,
    #[serde(default)]
    rank: Vec<String>,
    #[serde(default)]
    posts: Vec<String>,
    #[serde(default)]
    joined: Vec<String>,
    #[serde(default)]
    permalink: Vec<String>,
    #[serde(default)]
    subject: Vec<String>,
    #[serde(default)]
    skip: Vec<String>,
}

/// A compiled engine profile.
#[derive(Debug)]
pub struct Profile {
    /// The profile's name ("phpbb3").
    pub name: String,
    /// The engine it identifies ("phpbb").
    pub engine: String,
    generator: Vec<String>,
    classes: Vec<String>,
    detect: Vec<Probe>,
    post: Vec<Probe>,
    body: Vec<Probe>,
    author: Vec<Probe>,
    author_link: Vec<Probe>,
    date: Vec<Probe>,
    signature: Vec<Probe>,
    rank: Vec<Probe>,
    posts: Vec<Probe>,
    joined: Vec<Probe>,
    permalink: Vec<Probe>,
    subject: Vec<Probe>,
    skip: Vec<Probe>,
}

/// Why a profile file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The TOML did not parse or had unknown keys.
    #[error("{name}: {message}")]
    Parse {
        /// The file's name.
        name: String,
        /// What was wrong.
        message: String,
    },
    /// A selector did not compile.
    #[error("{name}: bad selector {selector:?}")]
    Selector {
        /// The file's name.
        name: String,
        /// The selector.
        selector: String,
    },
}

impl Profile {
    /// Compiles the profiles in one TOML file (`[[profile]]` tables).
    pub fn from_toml(name: &str, text: &str) -> Result<Vec<Profile>, ProfileError> {
        let file: ProfileFile = toml::from_str(text).map_err(|e| ProfileError::Parse {
            name: name.to_owned(),
            message: e.to_string(),
        })?;
        let compile = |list: &[String]| -> Result<Vec<Selector>, ProfileError> {
            list.iter()
                .map(|s| {
                    Selector::parse(s).map_err(|_| ProfileError::Selector {
                        name: name.to_owned(),
                        selector: s.clone(),
                    })
                })
                .collect()
        };
        let probe = |list: &[String]| compile(list).map(|selectors| probes(list, selectors));
        file.profile
            .into_iter()
            .map(|p| {
                let s = &p.select;
                // Quotes are recognised in the body by the renderer's own cues; the
                // profile's quote selectors only add to them, so they are checked here
                // and kept for documentation.
                compile(&s.quote)?;
                compile(&s.quote_author)?;
                Ok(Profile {
                    name: p.name.clone(),
                    engine: p.engine.clone(),
                    generator: p
                        .detect
                        .generator
                        .iter()
                        .map(|g| g.to_lowercase())
                        .collect(),
                    classes: p.detect.classes.clone(),
                    detect: probe(&p.detect.selectors)?,
                    post: probe(&s.post)?,
                    body: probe(&s.body)?,
                    author: probe(&s.author)?,
                    author_link: probe(&s.author_link)?,
                    date: probe(&s.date)?,
                    signature: probe(&s.signature)?,
                    rank: probe(&s.rank)?,
                    posts: probe(&s.posts)?,
                    joined: probe(&s.joined)?,
                    permalink: probe(&s.permalink)?,
                    subject: probe(&s.subject)?,
                    skip: probe(&s.skip)?,
                })
            })
            .collect()
    }
}

static PROFILES: LazyLock<Vec<Profile>> = LazyLock::new(|| {
    // The built-in files are tested to compile; a broken one is left out rather than
    // taking every page down with it.
    BUILTIN
        .iter()
        .filter_map(|(name, text)| Profile::from_toml(name, text).ok())
        .flatten()
        .collect()
});

/// The engine profiles, compiled once.
pub fn profiles() -> &'static [Profile] {
    &PROFILES
}

/// The engine whose profile knows the generator meta's value (lower-cased substrings of
/// it, in the profiles' order), if one does.
pub(crate) fn engine_of_generator(generator: &str) -> Option<&'static str> {
    let lower = generator.to_lowercase();
    profiles()
        .iter()
        .find(|p| p.generator.iter().any(|g| lower.contains(g.as_str())))
        .map(|p| p.engine.as_str())
}

/// A profile that recognised the page, and how sure it is.
pub(crate) struct ProfileMatch {
    pub profile: &'static Profile,
    pub confidence: f32,
}

/// Every class word of the page's visible elements.
pub(crate) fn page_classes<'a>(dom: &Dom<'a>) -> HashSet<&'a str> {
    // Every class word of every element goes in: a fast hash. Each distinct class
    // attribute is split once: a page repeats the same few on every post.
    let mut classes: HashSet<&str> = HashSet::default();
    let mut attrs: HashSet<&str> = HashSet::default();
    for i in 0..dom.nodes.len() {
        let class = dom.class(i);
        if !class.is_empty() && attrs.insert(class) {
            classes.extend(class.split_whitespace());
        }
    }
    classes
}

/// The profile whose cues fit the page best, if any fits at all; `classes` are the
/// page's ([`page_classes`]).
pub(crate) fn best(
    doc: &Html,
    classes: &HashSet<&str>,
    generator: Option<&str>,
) -> Option<ProfileMatch> {
    let generator = generator.map(str::to_lowercase);
    let mut best: Option<(f32, &'static Profile)> = None;
    for profile in profiles() {
        let mut score = 0.0f32;
        let mut max = 0.0f32;
        if !profile.generator.is_empty() {
            max += GENERATOR_WEIGHT;
            if generator
                .as_deref()
                .is_some_and(|g| profile.generator.iter().any(|p| g.contains(p.as_str())))
            {
                score += GENERATOR_WEIGHT;
            }
        }
        for class in &profile.classes {
            max += CLASS_WEIGHT;
            if classes.contains(class.as_str()) {
                score += CLASS_WEIGHT;
            }
        }
        let mut open = SELECTOR_WEIGHT * profile.detect.len() as f32;
        max += open;
        // A profile that cannot beat the best so far even if all its probes match is not
        // looked for: each probe can walk the whole page, and a sure match (a generator,
        // its classes) leaves the other profiles nothing to win.
        let can_win = |score: f32, open: f32| {
            best.is_none_or(|(b, _)| max > 0.0 && ((score + open) / max).min(1.0) > b)
        };
        if !can_win(score, open) || !profile.post.iter().any(|p| p.in_page(doc, classes)) {
            continue;
        }
        for probe in &profile.detect {
            open -= SELECTOR_WEIGHT;
            if probe.in_page(doc, classes) {
                score += SELECTOR_WEIGHT;
            }
            if !can_win(score, open) {
                break;
            }
        }
        if !can_win(score, open) {
            continue;
        }
        if max <= 0.0 || score <= 0.0 {
            continue;
        }
        let confidence = (score / max).min(1.0);
        if best.is_none_or(|(b, _)| confidence > b) {
            best = Some((confidence, profile));
        }
    }
    best.filter(|(c, _)| *c >= FIT_MIN)
        .map(|(confidence, profile)| ProfileMatch {
            profile,
            confidence,
        })
}

/// The posts an engine profile's selectors found.
pub(crate) struct ProfileFind {
    pub posts: Vec<RawPost>,
    /// The profile's name, which names the extractor (`html:` and the name).
    pub name: &'static str,
    /// How sure the posts are: the profile's fit, less for posts missing an author or date.
    pub confidence: f32,
}

/// The posts as the matched profile's selectors find them; `classes` are the page's.
#[allow(
    clippy::too_many_lines,
    reason = "a profile's selectors read field by field in the order posts print them"
)]
pub(crate) fn read_posts(
    page: &Page<'_, '_>,
    m: &ProfileMatch,
    classes: &HashSet<&str>,
) -> Option<ProfileFind> {
    let Page {
        doc,
        dom,
        anchors,
        lexicon,
    } = *page;
    let p = m.profile;
    let mut records: Vec<usize> = Vec::new();
    for s in &p.post {
        if s.possible(classes) {
            records.extend(doc.select(&s.selector).filter_map(|e| dom.index_of(e.id())));
        }
        if !records.is_empty() {
            break;
        }
    }
    records.sort_unstable();
    records.dedup();
    // A post inside another (a quoted post rendered with the post template) is not one.
    let mut outer: Vec<usize> = Vec::new();
    for r in records {
        if outer.last().is_none_or(|&o| !dom.contains(o, r)) {
            outer.push(r);
        }
    }
    let mut posts = Vec::new();
    let mut complete = 0usize;
    for r in outer {
        let Some(el) = dom
            .html
            .tree
            .get(dom.nodes[r].ego)
            .and_then(ElementRef::wrap)
        else {
            continue;
        };
        let Some(body) = first_in(dom, el, &p.body, classes) else {
            continue;
        };
        let mut raw = RawPost::new((r, dom.nodes[r].end), body);
        // The author is named in the post's header or panel, never in its body: a name
        // there is a mention or a quote of someone else.
        if let Some(a) = first_outside(dom, el, &p.author, classes, body) {
            raw.author = Some(collapse(&dom.text(a))).filter(|n| !n.is_empty());
            raw.author_url = link_of(dom, a);
            raw.author_node = Some(a);
        }
        if raw.author_url.is_none() {
            raw.author_url =
                first_outside(dom, el, &p.author_link, classes, body).and_then(|a| link_of(dom, a));
        }
        // The engine's own record of the poster, where it keeps one.
        if let Some(name) = cues::author_attr(dom, r) {
            raw.author = Some(name);
        }
        if raw.author.is_none() {
            // The profile's author element was missing: a user cue of the record.
            if let Some(u) = anchors
                .users_in(r, dom.nodes[r].end)
                .iter()
                .find(|u| u.name.is_some() && !dom.contains(body, u.node))
            {
                raw.author.clone_from(&u.name);
                raw.author_url = raw.author_url.or_else(|| u.href.clone());
            }
        }
        if let Some(d) = first_in(dom, el, &p.date, classes) {
            raw.date_raw = date_of(dom, d, lexicon);
            raw.date_node = Some(d);
        }
        if raw.date_raw.is_none() {
            let printed = anchors
                .dates_in(r, dom.nodes[r].end)
                .iter()
                .find(|d| !d.joined && !dom.contains(body, d.node));
            raw.date_raw = printed.map(|d| d.raw.clone());
            raw.date_node = printed.map(|d| d.node);
        }
        raw.signature =
            first_in(dom, el, &p.signature, classes).filter(|&s| !dom.contains(body, s));
        raw.author_rank = first_in(dom, el, &p.rank, classes)
            .map(|n| dom.text(n))
            .filter(|t| !t.is_empty() && t.chars().count() <= RANK_CHARS_MAX);
        raw.author_posts =
            first_in(dom, el, &p.posts, classes).and_then(|n| cues::post_count(&dom.text(n)));
        raw.author_joined_raw = first_in(dom, el, &p.joined, classes).and_then(|n| {
            let t = dom.text(n);
            find_date(&t, lexicon)
                .map(str::to_owned)
                .or_else(|| value_after_label(&t))
        });
        raw.permalink = first_in(dom, el, &p.permalink, classes)
            .and_then(|n| dom.attr(n, "href"))
            .map(str::to_owned);
        raw.subject = first_in(dom, el, &p.subject, classes)
            .map(|n| dom.text(n))
            .filter(|t| !t.is_empty() && t.chars().count() <= SUBJECT_CHARS_MAX);
        raw.id = cues::post_id(dom, r, IdReach::Element);
        let body_el = dom
            .html
            .tree
            .get(dom.nodes[body].ego)
            .and_then(ElementRef::wrap);
        if let Some(body_el) = body_el {
            for s in &p.skip {
                raw.skip.extend(s.select_in(dom, body_el, classes));
            }
        }
        if raw.author.is_some() && raw.date_raw.is_some() {
            complete += 1;
        }
        posts.push(raw);
    }
    if posts.is_empty() {
        return None;
    }
    let completeness = complete as f32 / posts.len() as f32;
    let confidence =
        (m.confidence * (INCOMPLETE_SHARE + COMPLETE_SHARE * completeness)).min(CONFIDENCE_MAX);
    Some(ProfileFind {
        posts,
        name: &p.name,
        confidence,
    })
}

/// The first element inside `el` matched by the first selector that matches anything.
fn first_in(
    dom: &Dom<'_>,
    el: ElementRef<'_>,
    selectors: &[Probe],
    classes: &HashSet<&str>,
) -> Option<usize> {
    selectors
        .iter()
        .find_map(|s| s.select_in(dom, el, classes).next())
}

/// The first element the selectors find outside the post's body.
fn first_outside(
    dom: &Dom<'_>,
    el: ElementRef<'_>,
    selectors: &[Probe],
    classes: &HashSet<&str>,
    body: usize,
) -> Option<usize> {
    selectors.iter().find_map(|s| {
        s.select_in(dom, el, classes)
            .find(|&i| !dom.contains(body, i))
    })
}

/// The `href` of a link, or of the first link inside the element.
fn link_of(dom: &Dom<'_>, i: usize) -> Option<String> {
    if let Some(h) = dom.attr(i, "href") {
        return Some(h.to_owned());
    }
    dom.elems_in(i)
        .find_map(|j| (dom.name(j) == "a").then(|| dom.attr(j, "href")).flatten())
        .map(str::to_owned)
}

/// The date as printed in the element, else its machine-readable attribute.
fn date_of(dom: &Dom<'_>, i: usize, lexicon: &Lexicon) -> Option<String> {
    let text = dom.text(i);
    if let Some(d) = find_date(&text, lexicon) {
        return Some(d.to_owned());
    }
    // A <time> or timestamped element inside.
    let attributes = &vocabulary().time_attributes;
    for j in dom.elems_in(i) {
        for a in attributes {
            if let Some(v) = dom.attr(j, a).map(str::trim).filter(|v| !v.is_empty()) {
                return Some(v.to_owned());
            }
        }
    }
    None
}

/// "Joined: March 2010" → "March 2010".
fn value_after_label(text: &str) -> Option<String> {
    let (_, v) = text.split_once(':')?;
    let v = v.trim();
    (!v.is_empty() && v.chars().count() <= JOINED_CHARS_MAX).then(|| v.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of every profile, on every element of every fixture page: the walks
    /// left out for classes the page lacks find what the walks themselves find.
    #[test]
    fn skipped_walks_would_have_found_nothing() {
        let dir = format!("{}/tests/fixtures/html", env!("CARGO_MANIFEST_DIR"));
        let mut pages = 0;
        for entry in std::fs::read_dir(&dir).expect("fixtures") {
            let html = std::fs::read_to_string(entry.expect("entry").path()).expect("page");
            let doc = Html::parse_document(&html);
            let dom = Dom::new(&doc);
            let classes = page_classes(&dom);
            pages += 1;
            for p in profiles() {
                let fields = [
                    &p.body,
                    &p.author,
                    &p.author_link,
                    &p.date,
                    &p.signature,
                    &p.rank,
                    &p.posts,
                    &p.joined,
                    &p.permalink,
                    &p.subject,
                    &p.skip,
                    &p.post,
                ];
                for i in (0..dom.nodes.len()).filter(|&i| dom.elem(i).is_some()) {
                    let Some(el) = doc.tree.get(dom.nodes[i].ego).and_then(ElementRef::wrap) else {
                        continue;
                    };
                    for field in fields {
                        for probe in field {
                            let walked: Vec<usize> = el
                                .select(&probe.selector)
                                .filter_map(|e| dom.index_of(e.id()))
                                .collect();
                            let kept: Vec<usize> = probe.select_in(&dom, el, &classes).collect();
                            assert_eq!(walked, kept, "{}: {}", p.name, i);
                        }
                    }
                }
            }
        }
        assert!(pages > 0);
    }

    #[test]
    fn builtin_profiles_compile() {
        for (name, text) in BUILTIN {
            let compiled = Profile::from_toml(name, text).unwrap_or_else(|e| panic!("{e}"));
            assert!(!compiled.is_empty(), "{name} has no profile");
        }
        assert!(profiles().len() >= BUILTIN.len());
    }

    #[test]
    fn every_profile_file_is_built_in() {
        let dir = format!("{}/profiles", env!("CARGO_MANIFEST_DIR"));
        for entry in std::fs::read_dir(&dir).expect("profiles") {
            let name = entry.expect("entry").file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".toml") && name != "vocabulary.toml" {
                assert!(BUILTIN.iter().any(|(b, _)| *b == name), "{name}");
            }
        }
    }

    #[test]
    fn generators_name_engines_in_the_profiles_order() {
        assert_eq!(engine_of_generator("SMF 2.0"), Some("smf"));
        assert_eq!(engine_of_generator("IP.Board 3.4.5"), Some("invision"));
        assert_eq!(
            engine_of_generator("IPS Community Suite 4"),
            Some("invision")
        );
        assert_eq!(engine_of_generator("hypermail 2.3.0"), Some("hypermail"));
        assert_eq!(engine_of_generator("WordPress 6.1"), None);
    }

    #[test]
    fn a_profile_without_post_selectors_only_names_its_engine() {
        let doc = Html::parse_document("<div class='post'><p>words</p></div>");
        let dom = Dom::new(&doc);
        assert!(best(&doc, &page_classes(&dom), Some("hypermail 2.3.0")).is_none());
        assert_eq!(engine_of_generator("hypermail 2.3.0"), Some("hypermail"));
    }

    #[test]
    fn bad_selectors_name_their_file() {
        let err = Profile::from_toml(
            "mine.toml",
            "[[profile]]\nname='x'\nengine='x'\n[profile.select]\npost=['div[']\nbody=['p']\n",
        )
        .expect_err("bad selector");
        assert!(err.to_string().contains("mine.toml"));
    }
}
