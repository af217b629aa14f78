//! Page-level facts: title, canonical URL, board (breadcrumbs), forum engine.

use std::sync::LazyLock;

use scraper::node::Element;
use scraper::{ElementRef, Html, Selector};
use threadmill_lexicon::Lexicon;
use threadmill_model::{ChromeLine, ChromeRole, Thread};

use super::dom::{Dom, collapse};
use super::engine_profile::{ProfileMatch, engine_of_generator};
use super::vocabulary::vocabulary;

fn sel(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

static TITLE: LazyLock<Option<Selector>> = LazyLock::new(|| sel("title"));
static OG_TITLE: LazyLock<Option<Selector>> =
    LazyLock::new(|| sel(r#"meta[property="og:title"], meta[name="twitter:title"]"#));
static HEADINGS: LazyLock<Option<Selector>> = LazyLock::new(|| sel("h1, h2, h3"));
static CANONICAL: LazyLock<Option<Selector>> = LazyLock::new(|| sel(r#"link[rel="canonical"]"#));
static OG_URL: LazyLock<Option<Selector>> = LazyLock::new(|| sel(r#"meta[property="og:url"]"#));
static GENERATOR: LazyLock<Option<Selector>> =
    LazyLock::new(|| sel(r#"meta[name="generator"], meta[name="Generator"]"#));
static ITEMS: LazyLock<Option<Selector>> = LazyLock::new(|| sel("li"));
static LINKS: LazyLock<Option<Selector>> = LazyLock::new(|| sel("a[href]"));

/// The page's `title`, `meta`, `link` and `h1`–`h3` elements, in the order a selector
/// walk finds them. Every selector of the title, URL and generator names one of these
/// tags, so each is tried on these few elements: a walk of the whole page per selector
/// cost a full walk for every meta a page lacks.
pub(crate) struct HeadElements<'a>(Vec<ElementRef<'a>>);

impl<'a> HeadElements<'a> {
    pub(crate) fn new(doc: &'a Html) -> Self {
        Self(elements_where(doc, |e| {
            matches!(e.name(), "title" | "meta" | "link" | "h1" | "h2" | "h3")
        }))
    }

    fn select<'s>(&'s self, s: &'s Selector) -> impl Iterator<Item = ElementRef<'a>> + 's {
        self.0.iter().copied().filter(|e| s.matches(e))
    }
}

/// Separators between a page title and the site name.
///
/// The spaced colon comes last: Reddit and phpBB 2 boards write "Thread : board", while a
/// title of its own may hold one ("Problème : écran noir"), so every other separator is
/// tried first.
const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " • ", " » ", " · ", " / ", " : ",
];

/// The thread title: a heading of the page that the `<title>` repeats, else `og:title`,
/// else the `<title>` without the site name.
pub(crate) fn title(heads: &HeadElements<'_>, lexicon: &Lexicon) -> Option<String> {
    let page_title = first_text(heads, TITLE.as_ref())
        .map(|t| collapse(&t))
        .filter(|t| !t.is_empty());
    let og = meta_content(heads, OG_TITLE.as_ref());
    let headings: Vec<Heading> = HEADINGS.as_ref().map_or_else(Vec::new, |h| {
        heads
            .select(h)
            .map(|e| Heading {
                text: collapse(&e.text().collect::<String>()),
                marked: is_marked_headline(&e),
                logo: is_logo(&e),
            })
            .collect()
    });
    // A logo's heading names the site: that part of a title is not the thread's.
    let site_names: Vec<&str> = headings
        .iter()
        .filter(|h| h.logo && !h.text.is_empty())
        .map(|h| h.text.as_str())
        .collect();
    // A heading that says what og:title says is the thread's title, whatever else the
    // page's headings and title hold (a logo heading, the site's name).
    if let Some(og) = &og
        && headings
            .iter()
            .any(|h| !h.logo && h.text.eq_ignore_ascii_case(og))
    {
        return Some(og.clone());
    }
    if let Some(pt) = &page_title {
        let lower = pt.to_lowercase();
        let in_title: Vec<&Heading> = headings
            .iter()
            .filter(|h| !h.logo)
            .filter(|h| (3..=300).contains(&h.text.chars().count()))
            .filter(|h| lower.contains(&h.text.to_lowercase()))
            .collect();
        // The posts' subjects repeat the thread's title with a reply prefix ("Re:
        // Foto-Threads"); a site's name is never repeated that way.
        let replied = |h: &Heading| {
            headings.iter().any(|other| {
                other.text.len() > h.text.len()
                    && lexicon
                        .chrome_words()
                        .without_reply_prefix(&other.text)
                        .eq_ignore_ascii_case(&h.text)
            })
        };
        let vouched = |h: &Heading| h.marked || replied(h);
        let found = in_title
            .iter()
            .filter(|h| vouched(h))
            .max_by_key(|h| h.text.len())
            .or_else(|| in_title.iter().max_by_key(|h| h.text.len()));
        if let Some(found) = found {
            // A heading equal to a shorter part of the title than another may be the site
            // name, unless the page marks it as the headline or its replies repeat it.
            if vouched(found) || !is_site_name(&found.text, pt) {
                return Some(found.text.clone());
            }
        }
    }
    if let Some(og) = og {
        return Some(without_site_names(&og, &site_names).unwrap_or(og));
    }
    page_title.map(|t| without_site_names(&t, &site_names).unwrap_or_else(|| strip_site_name(&t)))
}

/// What the title finder knows of a heading.
struct Heading {
    text: String,
    /// schema.org marks it as the item's headline or name.
    marked: bool,
    /// It is the site's logo: a link to the home page holds it, or it holds one.
    logo: bool,
}

/// A heading inside, or holding, a link to the site's home page: the site's logo.
fn is_logo(heading: &ElementRef<'_>) -> bool {
    let home = |e: &ElementRef<'_>| {
        e.value().name() == "a" && e.value().attr("href").is_some_and(is_home_href)
    };
    heading
        .ancestors()
        .take(3)
        .filter_map(ElementRef::wrap)
        .any(|a| home(&a))
        || LINKS
            .as_ref()
            .is_some_and(|l| heading.select(l).any(|a| home(&a)))
}

/// "/", "./", "index.php" or a bare host: the address of a site's home page.
fn is_home_href(href: &str) -> bool {
    let href = href.trim();
    let path = href
        .split_once("://")
        .map_or(href, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    let path = path.trim_start_matches("./").trim_start_matches('/');
    path.is_empty() || (path.starts_with("index.") && !path.contains(['?', '/']))
}

/// The title without the parts that name the site, when a separator sets one apart.
fn without_site_names(title: &str, site_names: &[&str]) -> Option<String> {
    TITLE_SEPARATORS.iter().find_map(|sep| {
        let parts: Vec<&str> = title.split(sep).map(str::trim).collect();
        let kept: Vec<&str> = parts
            .iter()
            .copied()
            .filter(|p| !site_names.iter().any(|s| s.eq_ignore_ascii_case(p)))
            .collect();
        (parts.len() > 1 && !kept.is_empty() && kept.len() < parts.len()).then(|| kept.join(sep))
    })
}

/// A heading that schema.org marks as the item's headline or name.
fn is_marked_headline(heading: &ElementRef<'_>) -> bool {
    heading.value().attr("itemprop").is_some_and(|v| {
        v.split_whitespace()
            .any(|p| p.eq_ignore_ascii_case("headline") || p.eq_ignore_ascii_case("name"))
    })
}

fn is_site_name(heading: &str, page_title: &str) -> bool {
    // The title "Thread - Site" or "Site | Thread": the site is a part of it, not the
    // longest one. A title of three parts or more is "Thread - Board - Site": its first
    // part is the thread's.
    TITLE_SEPARATORS.iter().any(|sep| {
        let parts: Vec<&str> = page_title.split(sep).map(str::trim).collect();
        let longest = parts.iter().map(|p| p.len()).max().unwrap_or(0);
        parts.len() > 1
            && parts.iter().enumerate().any(|(k, p)| {
                p.eq_ignore_ascii_case(heading) && p.len() < longest && !(k == 0 && parts.len() > 2)
            })
    })
}

/// "Thread title - Forum name" → "Thread title": the longest part.
fn strip_site_name(title: &str) -> String {
    for sep in TITLE_SEPARATORS {
        if title.contains(sep)
            && let Some(best) = title
                .split(sep)
                .map(str::trim)
                .max_by_key(|p| p.chars().count())
        {
            return best.to_owned();
        }
    }
    title.to_owned()
}

/// The canonical URL or `og:url`.
pub(crate) fn url(heads: &HeadElements<'_>) -> Option<String> {
    CANONICAL
        .as_ref()
        .and_then(|s| heads.select(s).find_map(|e| e.value().attr("href")))
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
        .or_else(|| meta_content(heads, OG_URL.as_ref()))
}

/// The `<meta name="generator">` value.
pub(crate) fn generator(heads: &HeadElements<'_>) -> Option<String> {
    meta_content(heads, GENERATOR.as_ref())
}

/// The board: the last breadcrumb that is not the thread itself.
pub(crate) fn board(doc: &Html, title: Option<&str>) -> Option<(String, String)> {
    let links = LINKS.as_ref()?;
    // The elements a trail selector can match, in the order a selector's walk of the page
    // finds them: one cheap walk instead of a matching walk per selector.
    let candidates = elements_where(doc, may_be_crumbs);
    let trails = vocabulary()
        .crumb_selectors
        .iter()
        .flat_map(|s| candidates.iter().copied().filter(move |e| s.matches(e)));
    for trail in trails {
        // Crumbs gathered in one list item beside other items ("Print view", "Font
        // size"): the first item holding several links is the trail.
        let scope = ITEMS
            .as_ref()
            .and_then(|li| trail.select(li).find(|i| i.select(links).nth(1).is_some()))
            .unwrap_or(trail);
        // Where the page marks its crumbs (schema.org or data-vocabulary items,
        // rel="up"), only they count: the links beside them are account and feed actions
        // ("Watched Threads", "Friends' Activity").
        let marked = scope.select(links).any(|a| is_marked_crumb(&a, &scope));
        let names: Vec<String> = scope
            .select(links)
            .filter(|a| !marked || is_marked_crumb(a, &scope))
            .filter(|a| !a.value().attr("href").is_some_and(is_action_href))
            .map(|a| collapse(&a.text().collect::<String>()))
            .filter(|t| !t.is_empty() && t.chars().count() <= 120)
            .collect();
        if names.is_empty() {
            continue;
        }
        let last = names
            .iter()
            .rev()
            .find(|n| title.is_none_or(|t| !t.eq_ignore_ascii_case(n)))
            .cloned();
        if let Some(last) = last {
            return Some((last, names.join(" › ")));
        }
    }
    None
}

/// A crumb link the page marks as one: `rel="up"`, or inside a breadcrumb or list item
/// of schema.org or data-vocabulary.org (which nests each crumb in the one before) within
/// the trail.
fn is_marked_crumb(link: &ElementRef<'_>, trail: &ElementRef<'_>) -> bool {
    let crumb_item = |e: &ElementRef<'_>| {
        e.value().attr("itemtype").is_some_and(|t| {
            let t = t.to_ascii_lowercase();
            t.contains("breadcrumb") || t.contains("listitem")
        })
    };
    link.value()
        .attr("rel")
        .is_some_and(|r| r.split_whitespace().any(|w| w.eq_ignore_ascii_case("up")))
        || crumb_item(link)
        || link
            .ancestors()
            .filter_map(ElementRef::wrap)
            .take_while(|e| e.id() != trail.id())
            .chain(std::iter::once(*trail))
            .any(|e| crumb_item(&e))
}

/// Links that act on the forum ("Mark Forums Read", log in, search, feeds) rather than
/// lead to a board: they stand beside the crumbs in some trails and are never the board.
fn is_action_href(href: &str) -> bool {
    vocabulary()
        .action_href
        .as_ref()
        .is_some_and(|re| re.is_match(href.trim()))
}

/// The page's elements that `keep` accepts, in the order a selector's walk finds them.
fn elements_where(doc: &Html, keep: impl Fn(&Element) -> bool) -> Vec<ElementRef<'_>> {
    doc.tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.parent().is_some() && keep(e.value()))
        .collect()
}

/// True when an attribute that a trail selector tests holds one of the breadcrumb words:
/// every value a trail selector looks for holds one (tested), so an element none of whose
/// `itemtype`, `class` or `id` holds one matches no trail selector.
fn may_be_crumbs(e: &Element) -> bool {
    // One automaton pass per attribute: this runs for every element.
    let Some(words) = vocabulary().crumb_words.as_ref() else {
        return false;
    };
    e.attrs()
        .any(|(name, value)| matches!(name, "class" | "id" | "itemtype") && words.is_match(value))
}

/// How sure a generator meta's engine is.
const GENERATOR_CONFIDENCE: f32 = 0.95;
/// The share of the lexicon's confidence in a footer signature ("Powered by …") that
/// counts: a line of the page is a weaker word than the generator meta.
const SIGNATURE_SHARE: f32 = 0.8;
/// The share of a profile's confidence in its match that counts as confidence in the
/// engine it names: class names are shared by themes and by engines of one family.
const PROFILE_ENGINE_SHARE: f32 = 0.8;

/// The page's engine and how sure it is: the generator meta and footer signatures
/// (`detected`) name it; the class vocabulary a profile recognised names it when they
/// are silent or weaker.
pub(crate) fn engine(
    detected: Option<(String, f32)>,
    profile: Option<&ProfileMatch>,
) -> Option<(String, f32)> {
    let by_profile = profile.map(|m| {
        (
            m.profile.engine.clone(),
            m.confidence * PROFILE_ENGINE_SHARE,
        )
    });
    match (detected, by_profile) {
        (Some((e, c)), Some((p, pc))) if p != e && pc > c => Some((p, pc)),
        (Some(found), _) => Some(found),
        (None, by_profile) => by_profile,
    }
}

/// Engine from the generator (as the engine profiles know generators) and from the
/// lexicon's signatures ("Powered by …") in the page's short lines; and the UI language.
pub(crate) fn detect_engine(
    dom: &Dom<'_>,
    lexicon: &Lexicon,
    generator: Option<&str>,
) -> (Option<(String, f32)>, Option<String>) {
    let mut found = generator
        .and_then(engine_of_generator)
        .map(|engine| (engine.to_owned(), GENERATOR_CONFIDENCE));
    // Signatures live in footers: short lines only, to keep the scan cheap.
    let mut footer = String::new();
    let mut lines = Vec::new();
    for i in 0..dom.nodes.len() {
        if let super::dom::Kind::Text(t) = dom.nodes[i].kind {
            let t = t.trim();
            if !t.is_empty()
                && t.len() <= 200
                && dom.nodes[i]
                    .parent
                    .is_some_and(|p| dom.nodes[p].text_len <= 300)
            {
                footer.push_str(t);
                footer.push('\n');
                // Label-shaped lines tell the UI language; the matcher is costly, so a
                // sample of them is enough.
                if lines.len() < 12 && t.len() <= 40 && super::dates::has_label_colon(t) {
                    lines.push(t);
                }
            }
        }
    }
    // The engine from signatures alone ("Powered by …"): label templates are shared
    // between engines ("Posts:"), so they only tell the UI language.
    if found.is_none() {
        let signatures = lexicon.detect(&footer, std::iter::empty::<&str>());
        found = signatures
            .engine
            .map(|e| (e, signatures.engine_confidence * SIGNATURE_SHARE));
    }
    let labels = lexicon.detect("", lines.iter().copied());
    (found, labels.ui_lang)
}

fn first_text(heads: &HeadElements<'_>, s: Option<&Selector>) -> Option<String> {
    heads
        .select(s?)
        .next()
        .map(|e| e.text().collect::<String>())
}

fn meta_content(heads: &HeadElements<'_>, s: Option<&Selector>) -> Option<String> {
    heads
        .select(s?)
        .find_map(|e| e.value().attr("content"))
        .map(collapse)
        .filter(|c| !c.is_empty())
}

/// Page-level chrome lines: the title and the breadcrumb trail.
pub(crate) fn chrome(thread: &mut Thread, trail: Option<&str>) {
    if let Some(t) = &thread.title {
        thread.chrome.push(ChromeLine {
            role: ChromeRole::Title,
            text: t.clone(),
            post: None,
        });
    }
    if let Some(trail) = trail {
        thread.chrome.push(ChromeLine {
            role: ChromeRole::Board,
            text: trail.to_owned(),
            post: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_names_the_engine_unless_a_profile_is_surer() {
        let profile = &crate::html::engine_profile::profiles()[0];
        let sure = ProfileMatch {
            profile,
            confidence: 1.0,
        };
        let unsure = ProfileMatch {
            profile,
            confidence: 0.5,
        };
        let detected = Some(("other".to_owned(), 0.7));
        assert_eq!(
            engine(detected.clone(), Some(&sure)),
            Some((profile.engine.clone(), PROFILE_ENGINE_SHARE))
        );
        assert_eq!(engine(detected.clone(), Some(&unsure)), detected);
        assert_eq!(
            engine(None, Some(&unsure)),
            Some((profile.engine.clone(), 0.5 * PROFILE_ENGINE_SHARE))
        );
        assert_eq!(engine(None, None), None);
    }

    fn title_of(page: &str) -> Option<String> {
        let doc = Html::parse_document(page);
        let lexicon = Lexicon::builtin().expect("lexicon");
        title(&HeadElements::new(&doc), &lexicon)
    }

    #[test]
    fn a_marked_headline_is_the_title_though_the_site_name_is_longer() {
        assert_eq!(
            title_of(
                "<title>First Trip to Japan - Southern Travellers Forum</title>\
                 <h1 itemprop='headline'>First Trip to Japan</h1>"
            )
            .as_deref(),
            Some("First Trip to Japan")
        );
        // Unmarked, a heading repeating the shorter part may be a logo's site name.
        assert_eq!(
            title_of("<title>Which walking boots for the Alps? | Hikers</title><h1>Hikers</h1>")
                .as_deref(),
            Some("Which walking boots for the Alps?")
        );
    }

    #[test]
    fn the_first_of_three_title_parts_is_the_threads() {
        assert_eq!(
            title_of(
                "<title>Reisen per StreetView? - Forum: Multiple Sklerose Forum - AMSEL e.V.</title>\
                 <h1>Reisen per StreetView?</h1>"
            )
            .as_deref(),
            Some("Reisen per StreetView?")
        );
    }

    #[test]
    fn replies_repeating_a_heading_make_it_the_title() {
        assert_eq!(
            title_of(
                "<title>Foto-Threads - Mein schöner Garten Forum</title>\
                 <h2>Foto-Threads</h2><h3>Foto-Threads</h3><h3>Re: Foto-Threads</h3>"
            )
            .as_deref(),
            Some("Foto-Threads")
        );
    }

    #[test]
    fn a_logo_heading_names_the_site_and_leaves_the_title() {
        let page = "<title>News on myelin repair - Shift.example</title>\
                    <meta property='og:title' content='News on myelin repair - Shift.example'>\
                    <div id='logo'><a href='https://shift.example'><h1>shift.example</h1></a></div>";
        assert_eq!(title_of(page).as_deref(), Some("News on myelin repair"));
        assert!(is_home_href("./index.php"));
        assert!(is_home_href("/"));
        assert!(!is_home_href("/topic/12-news"));
        assert!(!is_home_href("index.php?topic=12"));
    }

    #[test]
    fn marked_crumbs_leave_the_account_links_beside_them_out() {
        let doc = Html::parse_document(
            r#"<nav class="breadcrumb">
            <span itemscope itemtype="http://data-vocabulary.org/Breadcrumb"><a href="/forum/" rel="up">Forums</a></span>
            <span itemscope itemtype="http://data-vocabulary.org/Breadcrumb"><a href="/forum/board/f1/">F1 2018</a></span>
            <ul><li><a href="watched/threads">Watched Threads</a></li><li><a href="account/news-feed">Friends' Activity</a></li></ul>
            </nav>"#,
        );
        assert_eq!(
            board(&doc, Some("Historic cars")),
            Some(("F1 2018".to_owned(), "Forums › F1 2018".to_owned()))
        );
    }

    #[test]
    fn trails_are_found_in_selector_order() {
        let doc = Html::parse_document(
            r#"<div class="navbit"><a href="/">Home</a><a href="/b">Nav board</a></div>
            <UL ID="BreadCrumbs" class="x BREADCRUMB"><li><a href="/">Home</a></li><li><a href="/c">Crumb board</a></li></UL>
            <p class="crumbs"><a href="/">Home</a><a href="/d">Thread</a></p>"#,
        );
        assert_eq!(
            board(&doc, Some("Thread")),
            Some(("Home".to_owned(), "Home › Thread".to_owned()))
        );
        let doc = Html::parse_document(
            r#"<div class="navbit"><a href="/">Home</a><a href="/b">Nav board</a></div>
            <ol itemtype="https://schema.org/BreadcrumbList"><li><a href="/">Home</a></li><li><a href="/c">Crumb board</a></li></ol>"#,
        );
        assert_eq!(
            board(&doc, None),
            Some(("Crumb board".to_owned(), "Home › Crumb board".to_owned()))
        );
    }
}
