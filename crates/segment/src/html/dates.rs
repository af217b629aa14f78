//! A post's date as the markup gives it: the machine-readable time beside the printed one.
//!
//! Also the test for a label's colon. The printed date itself is read by `crate::dates`.

use threadmill_lexicon::Lexicon;

use super::dom::Dom;

/// True when the text has a label's colon ("Posts: 12", "Joined:"), not only a time's
/// ("10:31"): the cheap test before asking the lexicon's costly matcher.
pub(crate) fn has_label_colon(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        (c == b':' || c == 0xbc/* the tail of a full-width colon */)
            && b.get(i + 1).is_none_or(|n| !n.is_ascii_digit())
            && i > 0
            && !b[i - 1].is_ascii_digit()
    })
}

/// Attributes where engines write a post's time for machines, most exact first. A
/// relative display ("4 months ago") often keeps the absolute time in its `title` (the
/// timeago plugin's `<abbr title="2008-07-17T09:24:17Z">`): read only when it is an
/// ISO 8601 time or an epoch, never a printed date or a tooltip.
const MACHINE_TIME_ATTRS: &[&str] = &[
    "datetime",
    "data-time",
    "data-timestamp",
    "data-date",
    "title",
];
/// Elements looked through (the date's own subtree, then its ancestors) for a
/// machine-readable time: a `<time>` sits in or right around the printed date.
const MACHINE_TIME_REACH: usize = 12;

/// The machine-readable time beside a printed date at `node` (`<time datetime>`,
/// `data-time` epochs), as the page wrote it: an ISO 8601 value or epoch digits.
pub(crate) fn machine_time(dom: &Dom<'_>, node: usize) -> Option<String> {
    for j in around(dom, node) {
        for a in MACHINE_TIME_ATTRS {
            if let Some(v) = dom.attr(j, a).map(str::trim).filter(|v| is_machine_time(v)) {
                return Some(v.to_owned());
            }
        }
    }
    None
}

/// The absolute date a relative display's tooltip prints ("2y" under `title="August 13,
/// 2023 - 3:05pm"`), as written: the element's own or a near ancestor's `title`.
pub(crate) fn titled_date(dom: &Dom<'_>, node: usize, lexicon: &Lexicon) -> Option<String> {
    for j in around(dom, node) {
        if let Some(title) = dom
            .attr(j, "title")
            .map(str::trim)
            .filter(|t| t.len() <= TITLE_DATE_MAX && crate::dates::looks_like_date(t, lexicon))
        {
            return Some(title.to_owned());
        }
    }
    None
}

/// The elements a printed date's times are looked for in: its own subtree, then its
/// parent and grandparent.
fn around<'d>(dom: &'d Dom<'_>, node: usize) -> impl Iterator<Item = usize> + 'd {
    dom.elems_in(node)
        .take(MACHINE_TIME_REACH)
        .chain(dom.ancestors(node).take(2))
}

/// A tooltip longer than this is prose, not a date.
const TITLE_DATE_MAX: usize = 80;

/// An ISO 8601 date (`2020-04-23…`) or epoch seconds or milliseconds.
fn is_machine_time(v: &str) -> bool {
    let b = v.as_bytes();
    let epoch = (9..=13).contains(&b.len()) && b.iter().all(u8::is_ascii_digit);
    let iso = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    epoch || iso
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The machine time beside the first text node that holds `printed`.
    fn beside(html: &str, printed: &str) -> Option<String> {
        let doc = scraper::Html::parse_document(html);
        let dom = Dom::new(&doc);
        let node = (0..dom.nodes.len()).find(|&i| {
            matches!(dom.nodes[i].kind, super::super::dom::Kind::Text(t) if t.contains(printed))
        })?;
        let element = dom.ancestors(node).next()?;
        machine_time(&dom, element)
    }

    #[test]
    fn a_relative_display_keeps_its_absolute_title() {
        let page =
            r#"<p><span class="timeago" title="2020-08-02T21:15:00+00:00">4 months ago</span></p>"#;
        assert_eq!(
            beside(page, "months ago").as_deref(),
            Some("2020-08-02T21:15:00+00:00")
        );
        // A printed date or a tooltip in a title is no machine time.
        let printed = r#"<p><abbr title="Jan 5, 2021 at 9:12 AM">Tuesday</abbr> <a title="Link to this post">#</a></p>"#;
        assert_eq!(beside(printed, "Tuesday"), None);
    }
}
