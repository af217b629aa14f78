//! The cues that mark a post whatever its template: printed dates, and user names.
//!
//! A user name is a user link (to a member's page) or an element named like a user name.

use threadmill_lexicon::Lexicon;

use super::cues::in_signature;
use super::dom::{Dom, Kind, attr};
use super::vocabulary::{Vocabulary, vocabulary};
use crate::dates::find_date;

/// Elements with more text than this are prose, not a header holding a date or name.
const SHORT_TEXT: u32 = 160;
/// A user name is short.
pub(crate) const NAME_MAX: usize = 60;

/// A printed date.
#[derive(Debug, Clone)]
pub(crate) struct DateAnchor {
    /// The smallest element holding the whole date.
    pub node: usize,
    /// The date as printed.
    pub raw: String,
    /// The element's text reads as a join date ("Joined: Mar 2010"), not a post date.
    pub joined: bool,
    /// It is a `<time>` element or carries a machine-readable time.
    pub timed: bool,
}

/// A user link (to a member's page) or an element named as a user name.
#[derive(Debug, Clone)]
pub(crate) struct UserAnchor {
    pub node: usize,
    /// Display name; `None` for an avatar link.
    pub name: Option<String>,
    /// The user link as written in the page.
    pub href: Option<String>,
}

/// Every date and user cue of the page, in document order.
#[derive(Debug, Default)]
pub(crate) struct Anchors {
    pub dates: Vec<DateAnchor>,
    pub users: Vec<UserAnchor>,
}

impl Anchors {
    /// Finds the cues in one pass over the page.
    pub fn find(dom: &Dom<'_>, lexicon: &Lexicon) -> Self {
        let vocabulary = vocabulary();
        let mut dates: Vec<DateAnchor> = Vec::new();
        // Children come after parents: walking backwards finds the smallest element
        // holding a whole date first, so its ancestors can be skipped.
        let mut has_date_below = vec![false; dom.nodes.len()];
        for i in (0..dom.nodes.len()).rev() {
            let Some(e) = dom.elem(i) else { continue };
            let below = has_date_below[i];
            if let Some(p) = dom.nodes[i].parent {
                has_date_below[p] |= below;
            }
            if below || dom.nodes[i].text_len > SHORT_TEXT {
                continue;
            }
            let timed = e.name() == "time"
                || vocabulary
                    .timed_attributes
                    .iter()
                    .any(|a| attr(e, a).is_some());
            let own_digit = dom.children(i).iter().any(|&c| match dom.nodes[c].kind {
                Kind::Text(t) => {
                    t.bytes().any(|b| b.is_ascii_digit()) || (timed && !t.trim().is_empty())
                }
                Kind::Elem(_) => false,
            });
            let text = if own_digit || timed {
                dom.text(i)
            } else {
                String::new()
            };
            let mut raw = if own_digit || (timed && !text.is_empty()) {
                find_date(&text, lexicon).map(str::to_owned)
            } else {
                None
            };
            if raw.is_none() && timed {
                // Only a machine-readable time: keep the attribute as the page wrote it.
                raw = vocabulary
                    .time_attributes
                    .iter()
                    .filter_map(|a| attr(e, a))
                    .map(str::trim)
                    .find(|v| !v.is_empty())
                    .map(str::to_owned);
            }
            let Some(raw) = raw else { continue };
            has_date_below[i] = true;
            if let Some(p) = dom.nodes[i].parent {
                has_date_below[p] = true;
            }
            // A date under another label than a post date's ("Joined:", "Founded:",
            // "Last visit:") belongs to the poster's profile, not to the post.
            let joined = is_join_line(&text, lexicon)
                || parent_is_join_line(dom, i, lexicon)
                || named_as_join_date(dom, i)
                || other_label(dom, i, &text, &raw, lexicon)
                // Dates in a signature are the poster's, not the post's.
                || in_signature(dom, i);
            dates.push(DateAnchor {
                node: i,
                raw,
                joined,
                timed,
            });
        }
        dates.reverse();

        let mut users = Vec::new();
        let mut j = 0;
        while j < dom.nodes.len() {
            if let Some(u) = user_anchor(dom, j, vocabulary, lexicon) {
                let end = dom.nodes[j].end;
                users.push(u);
                j = end + 1;
                continue;
            }
            j += 1;
        }
        Anchors { dates, users }
    }

    /// Date anchors inside `[start, end]`.
    pub fn dates_in(&self, start: usize, end: usize) -> &[DateAnchor] {
        let a = self.dates.partition_point(|d| d.node < start);
        let b = self.dates.partition_point(|d| d.node <= end);
        &self.dates[a..b]
    }

    /// User anchors inside `[start, end]`.
    pub fn users_in(&self, start: usize, end: usize) -> &[UserAnchor] {
        let a = self.users.partition_point(|u| u.node < start);
        let b = self.users.partition_point(|u| u.node <= end);
        &self.users[a..b]
    }
}

/// True when a short text reads as a join date's label line ("Joined: Mar 2010").
pub(crate) fn is_join_text(text: &str, lexicon: &Lexicon) -> bool {
    let lower = text.to_lowercase();
    text.chars().count() <= 80 && has_join_word(&lower, lexicon)
}

fn is_join_line(text: &str, lexicon: &Lexicon) -> bool {
    if text.is_empty() || text.chars().count() > 80 {
        return false;
    }
    let lower = text.to_lowercase();
    // Words, not the lexicon's line templates: this runs for every date of the page, and
    // the template matcher is far too costly for that.
    has_join_word(&lower, lexicon)
}

/// True when the lower-cased text holds a word of a join date's label, in one automaton
/// pass: a substring search per word cost more than the rest of the date test, which
/// runs for every date and the labels beside it.
fn has_join_word(lower: &str, lexicon: &Lexicon) -> bool {
    lexicon.chrome_words().joined.found_in(lower)
}

/// True when the date at `i` sits in an element named as the poster's registration date
/// rather than the post's: a date printed in the author panel without a label.
fn named_as_join_date(dom: &Dom<'_>, i: usize) -> bool {
    let Some(re) = vocabulary().join_date_class.as_ref() else {
        return false;
    };
    std::iter::once(i)
        .chain(dom.ancestors(i).take(1))
        .any(|a| re.is_match(dom.class(a)) || dom.attr(a, "id").is_some_and(|id| re.is_match(id)))
}

fn parent_is_join_line(dom: &Dom<'_>, i: usize, lexicon: &Lexicon) -> bool {
    dom.nodes[i]
        .parent
        .is_some_and(|p| dom.nodes[p].text_len <= 80 && is_join_line(&dom.text(p), lexicon))
        || dom.nodes[i]
            .parent
            .and_then(|p| {
                let sibs = dom.children(p);
                let at = sibs.iter().position(|&c| c == i)?;
                sibs[..at]
                    .iter()
                    .rev()
                    .find(|&&c| dom.nodes[c].text_len > 0)
                    .copied()
            })
            .is_some_and(|prev| {
                dom.nodes[prev].text_len <= 40 && is_join_line(&dom.text(prev), lexicon)
            })
}

/// The date's label, when it has one that is not a post date's ("Founded: <date>").
fn other_label(dom: &Dom<'_>, i: usize, text: &str, raw: &str, lexicon: &Lexicon) -> bool {
    let label = match text.find(raw) {
        Some(at) if at > 0 => text[..at].trim().to_owned(),
        _ => {
            // "<dt>Joined:</dt><dd>date</dd>": the label is the previous sibling.
            let Some(p) = dom.nodes[i].parent else {
                return false;
            };
            let sibs = dom.children(p);
            let Some(at) = sibs.iter().position(|&c| c == i) else {
                return false;
            };
            match sibs[..at]
                .iter()
                .rev()
                .find(|&&c| dom.nodes[c].text_len > 0)
            {
                Some(&prev) if dom.nodes[prev].text_len <= 30 => dom.text(prev),
                _ => return false,
            }
        }
    };
    let Some(label) = label.strip_suffix(':').or_else(|| label.strip_suffix('：')) else {
        return false;
    };
    // The label is the last words before the colon: a panel runs its fields together
    // ("Senior Member Joined: 20 Oct 2008").
    let lower = label.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let tail = &words[words.len().saturating_sub(2)..];
    let post_date = &lexicon.chrome_words().post_date;
    !tail.is_empty() && !tail.iter().any(|w| post_date.prefix_of(w).is_some())
}

/// A user link, or an element whose class names it as the poster's name.
fn user_anchor(
    dom: &Dom<'_>,
    i: usize,
    vocabulary: &Vocabulary,
    lexicon: &Lexicon,
) -> Option<UserAnchor> {
    // An engine's shape of a profile address ("/members/", "?u=") or a segment in the
    // forum's language ("/mitglied/").
    let user_link = |href: &str| {
        vocabulary
            .user_link
            .as_ref()
            .is_some_and(|r| r.is_match(href))
            || lexicon
                .chrome_words()
                .profile_segment
                .begins_a_segment_of(href)
    };
    // Each class word on its own: "user_title" holds a rank, "author role-admin" a name.
    let name_class = |class: &str| {
        class.split_whitespace().any(|word| {
            vocabulary
                .author_name_class
                .as_ref()
                .is_some_and(|r| r.is_match(word))
                && !vocabulary
                    .author_rank_class
                    .as_ref()
                    .is_some_and(|r| r.is_match(word))
        })
    };
    let e = dom.elem(i)?;
    let text_len = dom.nodes[i].text_len;
    if e.name() == "a" {
        let href = attr(e, "href")?.trim();
        if href.is_empty()
            || href.starts_with('#')
            || href.starts_with("javascript:")
            || text_len > 80
        {
            return None;
        }
        let class = dom.class(i);
        let to_user = user_link(href) || (!class.is_empty() && name_class(class));
        if !to_user
            || vocabulary
                .not_user_link
                .as_ref()
                .is_some_and(|r| r.is_match(href))
        {
            return None;
        }
        let name = dom.text(i);
        let name = clean_name(&name);
        return Some(UserAnchor {
            node: i,
            name,
            href: Some(href.to_owned()),
        });
    }
    if text_len == 0 || text_len as usize > NAME_MAX || matches!(e.name(), "body" | "html" | "img")
    {
        return None;
    }
    let class = dom.class(i);
    let named = (!class.is_empty() && name_class(class))
        || attr(e, "itemprop").is_some_and(|v| {
            v == "author"
                || v == "name"
                    && dom
                        .ancestors(i)
                        .take(3)
                        .any(|a| dom.attr(a, "itemprop") == Some("author"))
        });
    if !named {
        return None;
    }
    // A name panel with a user link or a narrower name element inside: the inner one is
    // the anchor (the panel also holds the date, the rank…).
    if dom.elems_in(i).skip(1).any(|j| {
        (dom.name(j) == "a" && dom.attr(j, "href").is_some_and(user_link))
            || (dom.nodes[j].text_len > 0
                && (name_class(dom.class(j)) || dom.attr(j, "itemprop") == Some("name")))
    }) {
        return None;
    }
    let name = clean_name(&dom.text(i))?;
    if name.split_whitespace().count() > 5 {
        return None;
    }
    Some(UserAnchor {
        node: i,
        name: Some(name),
        href: None,
    })
}

/// A display name as shown, without decoration; `None` when there is none.
fn clean_name(text: &str) -> Option<String> {
    let t = text
        .trim()
        .trim_matches(|c: char| matches!(c, '@' | '|' | '»' | '«' | ':' | ',' | '•'))
        .trim();
    if t.is_empty() || t.chars().count() > NAME_MAX {
        return None;
    }
    Some(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dates of a page and whether each is a join date.
    fn dates(html: &str, lexicon: &Lexicon) -> Vec<(String, bool)> {
        let doc = scraper::Html::parse_document(html);
        let dom = Dom::new(&doc);
        Anchors::find(&dom, lexicon)
            .dates
            .into_iter()
            .map(|d| (d.raw, d.joined))
            .collect()
    }

    #[test]
    fn a_users_language_labels_join_dates() {
        let page = "<div><p>Liittynyt 12.03.2019</p></div><div><p>Joined 12.04.2019</p></div>\
                    <div><p>13.03.2020 10:15</p></div>";
        let builtin = Lexicon::builtin().expect("lexicon");
        assert_eq!(
            dates(page, &builtin),
            [
                ("12.03.2019".to_owned(), false),
                ("12.04.2019".to_owned(), true),
                ("13.03.2020 10:15".to_owned(), false)
            ]
        );
        let finnish = Lexicon::builder()
            .builtin()
            .and_then(|b| {
                b.add_toml(
                    "fi.toml",
                    "lang = \"fi\"\n[chrome_words]\njoined = [\"Liittynyt\"]",
                )
            })
            .and_then(threadmill_lexicon::LexiconBuilder::build)
            .expect("lexicon");
        assert_eq!(dates(page, &finnish)[0], ("12.03.2019".to_owned(), true));
    }

    #[test]
    fn a_rank_beside_the_name_is_no_user_anchor() {
        let page = r#"<div class="resp"><div class="user_title">COMMUNITY LEADER</div>
            <div class="username"><span itemprop="author" itemscope><span itemprop="name">Jerry_NJ</span></span></div></div>
            <dl><dt class="author role-admin">angerbot</dt><dd class="title">Admin</dd></dl>"#;
        let doc = scraper::Html::parse_document(page);
        let dom = Dom::new(&doc);
        let lexicon = Lexicon::builtin().expect("lexicon");
        let names: Vec<Option<String>> = Anchors::find(&dom, &lexicon)
            .users
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(
            names,
            [Some("Jerry_NJ".to_owned()), Some("angerbot".to_owned())]
        );
    }
}
