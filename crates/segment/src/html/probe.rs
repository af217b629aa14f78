//! A profile's selector with the classes it needs: most pages answer it without a walk.

use foldhash::HashSet;

use scraper::{ElementRef, Html, Selector};

use super::dom::Dom;

/// A selector asked only "is it anywhere in the page?", with the classes it cannot match
/// without: a page lacking them is answered without a walk of its tree (most profiles'
/// selectors fail on most pages, and each failure would visit every element).
#[derive(Debug)]
pub(crate) struct Probe {
    pub selector: Selector,
    /// Per alternative of the selector list, the classes of its subject element.
    needs: Vec<Vec<String>>,
}

impl Probe {
    pub fn in_page(&self, doc: &Html, classes: &HashSet<&str>) -> bool {
        self.possible(classes) && doc.select(&self.selector).next().is_some()
    }

    /// False when no element of the page has the classes the selector needs, so that no
    /// walk can match it. Invisible elements are left out of `classes`, and of every
    /// answer a walk gives.
    pub fn possible(&self, classes: &HashSet<&str>) -> bool {
        self.needs
            .iter()
            .any(|alt| alt.iter().all(|c| classes.contains(c.as_str())))
    }

    /// The visible elements under `el` that the selector matches, if it can match any.
    pub fn select_in<'d>(
        &'d self,
        dom: &'d Dom<'_>,
        el: ElementRef<'d>,
        classes: &HashSet<&str>,
    ) -> impl Iterator<Item = usize> + 'd {
        self.possible(classes)
            .then(|| {
                el.select(&self.selector)
                    .filter_map(|e| dom.index_of(e.id()))
            })
            .into_iter()
            .flatten()
    }
}

/// The probes of a field's selectors, compiled from `sources`.
pub(crate) fn probes(sources: &[String], selectors: Vec<Selector>) -> Vec<Probe> {
    sources
        .iter()
        .zip(selectors)
        .map(|(src, selector)| Probe {
            selector,
            needs: split_top(src, |c| c == ',')
                .into_iter()
                .map(subject_classes)
                .collect(),
        })
        .collect()
}

/// `src` cut at the characters `cut` accepts outside brackets, parentheses and quotes.
fn split_top(src: &str, cut: impl Fn(char) -> bool) -> Vec<&str> {
    let (mut depth, mut quote, mut from, mut out) = (0i32, None, 0, Vec::new());
    for (i, c) in src.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '[' | '(') => depth += 1,
            (None, ']' | ')') => depth -= 1,
            (None, _) if depth == 0 && cut(c) => {
                out.push(&src[from..i]);
                from = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&src[from..]);
    out
}

/// The plain `.class` parts of a complex selector's last compound ("li article.message"
/// → `message`); classes inside `:not(…)` or attribute tests are not requirements.
fn subject_classes(alternative: &str) -> Vec<String> {
    let compound = split_top(alternative.trim(), |c| {
        c.is_whitespace() || matches!(c, '>' | '+' | '~')
    })
    .into_iter()
    .rev()
    .find(|c| !c.is_empty())
    .unwrap_or_default();
    let outside = split_top(compound, |c| c == ':')
        .first()
        .copied()
        .unwrap_or_default();
    let mut needs = Vec::new();
    let mut depth = 0i32;
    let mut chars = outside.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            '.' if depth == 0 => {
                let start = i + 1;
                let mut end = start;
                while let Some(&(j, n)) = chars.peek() {
                    if n.is_alphanumeric() || n == '-' || n == '_' {
                        end = j + n.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                if end > start {
                    needs.push(outside[start..end].to_owned());
                }
            }
            _ => {}
        }
    }
    needs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_know_the_classes_their_subject_needs() {
        let needs = |src: &str| {
            split_top(src, |c| c == ',')
                .into_iter()
                .map(subject_classes)
                .collect::<Vec<_>>()
        };
        assert_eq!(needs("li article.message"), [["message"]]);
        assert_eq!(needs("div.post.has-panel"), [["post", "has-panel"]]);
        assert_eq!(needs(".OpeningPost, .Reply"), [["OpeningPost"], ["Reply"]]);
        assert_eq!(needs("ol#postList > li.message"), [["message"]]);
        // Attribute tests, ids and negations are not class requirements.
        assert_eq!(needs("article[id^='post_']"), [Vec::<String>::new()]);
        assert_eq!(needs("div[class='a.b'] > p"), [Vec::<String>::new()]);
        assert_eq!(needs("div.reply:not(.hidden)"), [["reply"]]);
    }
}
