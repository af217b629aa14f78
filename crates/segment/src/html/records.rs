//! The record finder: the repeated sibling structures of a page that may be its posts.
//!
//! A thread page repeats one record per post: sibling subtrees built from the same
//! template, each holding a printed date, usually a link to the poster's page, and the
//! post's text. We look for the set of same-shaped siblings that best fits that (or, for
//! table layouts where a post spans a header row and a body row, the runs of siblings
//! that start at each such member). What each record holds is the template learner's
//! question (`template.rs`).

use threadmill_lexicon::Lexicon;

use super::anchors::Anchors;
use super::dom::{Dom, Kind};
use super::vocabulary::vocabulary;

/// A record holds at least this much text (non-space characters) to count as a post.
const MIN_TEXT: u32 = 3;
/// Same-shaped siblings this many or more are split once more by their first child's
/// shape (a header row and a body row of one shape).
const SPLIT_MEMBERS_MIN: usize = 4;
/// A set needs this many records with a date and text to be posts at all.
const GOOD_RECORDS_MIN: usize = 2;

// The weights of a record set's score.

/// Runs of sibling rows score this share of what the same members alone would: a run's
/// end is a guess.
const RUN_WEIGHT: f64 = 0.97;
/// Link text counts one part in this many: signatures and menus are links, posts mostly
/// not.
const LINK_TEXT_DIVISOR: u32 = 4;
/// A record with a user cue weighs this many times one without.
const USER_CUE_WEIGHT: f64 = 1.5;
/// The least share of prose a record's weight is multiplied by, however many links.
const PROSE_SHARE_MIN: f64 = 0.2;
/// A record holding more dates than this is a container of posts: its weight is divided
/// by its dates over this.
const RECORD_DATES_MAX: usize = 2;
/// A set whose median record holds more dates than this is a list of posts or of
/// threads: its score is divided by the median over this.
const MEDIAN_DATES_MAX: usize = 6;
/// A set of teasers ("… read more") keeps this share of its score.
const TEASER_WEIGHT: f64 = 0.2;
/// A set inside a sidebar keeps this share of its score.
const ASIDE_WEIGHT: f64 = 0.3;
/// A set keeps at least this share of its score however many records lack cues...
const UNCUED_WEIGHT: f64 = 0.5;
/// ...and this share more in proportion to its records with a date and text.
const CUED_SHARE_WEIGHT: f64 = 0.5;

/// The records of one candidate set: `[start, end]` index ranges in document order.
#[derive(Debug, Clone)]
pub(crate) struct RecordSet {
    pub records: Vec<(usize, usize)>,
    pub score: f64,
    /// Records nested inside `records` (replies of a comment tree), in document order:
    /// read like the others, but left out of what the template is learnt from.
    pub replies: Vec<(usize, usize)>,
}

/// The shape of an element among its siblings: tag and first class, without the digits
/// and alternation suffixes that vary from post to post (`bg1`/`bg2`, `post_123`).
pub(crate) fn shape_key(dom: &Dom<'_>, i: usize) -> String {
    // Built in one buffer: this runs for nearly every element of the page.
    let name = dom.name(i);
    let mut out = String::with_capacity(name.len() + 24);
    out.push_str(name);
    out.push('.');
    for token in dom.class(i).split_whitespace() {
        push_norm(&mut out, token);
        let class = &out[name.len() + 1..];
        if !class.is_empty() && !is_alternation(class) {
            return out;
        }
        out.truncate(name.len() + 1);
    }
    out.truncate(name.len());
    if let Some(id) = dom.attr(i, "id") {
        out.push('#');
        push_norm(&mut out, id);
        let kept = out.len() - name.len() - 1;
        if kept > 0 && kept < id.len() {
            return out;
        }
        out.truncate(name.len());
    }
    out
}

/// Appends the token without its digits and trailing `-`/`_` separators.
fn push_norm(out: &mut String, s: &str) {
    let t = s.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
    out.extend(t.chars().filter(|c| !c.is_ascii_digit()));
}

/// A class word that alternates from post to post (`odd`, `bg`), not a shape.
fn is_alternation(c: &str) -> bool {
    vocabulary()
        .alternating_classes
        .iter()
        .any(|w| w.eq_ignore_ascii_case(c))
}

/// Finds the records of the page, or `None` when it shows no repeated post structure.
pub(crate) fn find(dom: &Dom<'_>, anchors: &Anchors, lexicon: &Lexicon) -> Option<RecordSet> {
    let teasers = Teasers::new(dom, lexicon);
    let mut best: Option<RecordSet> = None;
    for p in 0..dom.nodes.len() {
        if dom.elem(p).is_none() || dom.children(p).len() < 2 {
            continue;
        }
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for c in dom.elem_children(p) {
            if dom.nodes[c].text_len == 0 && anchors.dates_in(c, dom.nodes[c].end).is_empty() {
                continue;
            }
            let k = shape_key(dom, c);
            match groups.iter_mut().find(|(g, _)| *g == k) {
                Some((_, members)) => members.push(c),
                None => groups.push((k, vec![c])),
            }
        }
        // Rows of one shape that alternate roles (a header row, then a body row) tell
        // apart by their first child: split such groups once more.
        let mut split: Vec<(String, Vec<usize>)> = Vec::new();
        for (k, members) in &groups {
            if members.len() < SPLIT_MEMBERS_MIN {
                continue;
            }
            let mut sub: Vec<(String, Vec<usize>)> = Vec::new();
            for &m in members {
                let first = dom
                    .elem_children(m)
                    .next()
                    .map(|c| shape_key(dom, c))
                    .unwrap_or_default();
                let sk = format!("{k}>{first}");
                match sub.iter_mut().find(|(g, _)| *g == sk) {
                    Some((_, v)) => v.push(m),
                    None => sub.push((sk, vec![m])),
                }
            }
            if sub.len() > 1 {
                split.extend(sub);
            }
        }
        groups.extend(split);
        for (_, members) in groups {
            if members.len() < 2 {
                continue;
            }
            let alone: Vec<(usize, usize)> =
                members.iter().map(|&m| (m, dom.nodes[m].end)).collect();
            consider(
                &mut best,
                RecordSet {
                    score: score(dom, anchors, &teasers, &alone),
                    records: alone,
                    replies: Vec::new(),
                },
            );
            if let Some(runs) = runs(dom, p, &members) {
                let s = score(dom, anchors, &teasers, &runs) * RUN_WEIGHT;
                consider(
                    &mut best,
                    RecordSet {
                        score: s,
                        records: runs,
                        replies: Vec::new(),
                    },
                );
            }
        }
    }
    let mut best = best.filter(|b| b.score > 0.0)?;
    best.replies = replies(dom, anchors, &best.records);
    Some(best)
}

/// The replies nested inside the records: threaded comment trees (Reddit, Lemmy, blog
/// comments) nest each reply inside the record it answers, built from the same template.
/// A descendant of a record's own shape that holds a date of its own, while the record
/// keeps one outside it, is a reply, in document order; the reader leaves each one out of
/// the record around it.
fn replies(dom: &Dom<'_>, anchors: &Anchors, records: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for &(s, e) in records {
        // A run of sibling rows is no nestable record: only whole elements nest.
        if dom.nodes[s].end != e {
            continue;
        }
        let shape = shape_key(dom, s);
        // A bare tag (a layout table in a table) says nothing of a template.
        if shape == dom.name(s) {
            continue;
        }
        let dates = anchors.dates_in(s, e);
        for j in s + 1..=e {
            let end = dom.nodes[j].end;
            // A wrapper around the record's own header and text (one post rendered in
            // nested boxes of one class) holds every date of the record: a reply leaves
            // the record a date of its own outside it.
            if dom.elem(j).is_some()
                && shape_key(dom, j) == shape
                && dates
                    .iter()
                    .any(|d| !d.joined && (j..=end).contains(&d.node))
                && dates
                    .iter()
                    .any(|d| !d.joined && !(j..=end).contains(&d.node))
            {
                out.push((j, end));
            }
        }
    }
    out.extend(indented_replies(dom, anchors, records));
    out.sort_unstable();
    out
}

/// Replies kept beside the comment they answer rather than inside it: comment trees that
/// indent each level of replies in a box of its own after the comment (Drupal's
/// `indented` blocks). Below the records' parent, an element of the records' shape that is
/// no record and holds a date of its own is a reply.
fn indented_replies(
    dom: &Dom<'_>,
    anchors: &Anchors,
    records: &[(usize, usize)],
) -> Vec<(usize, usize)> {
    let Some(&(first, _)) = records.first() else {
        return Vec::new();
    };
    let Some(parent) = dom.nodes[first].parent else {
        return Vec::new();
    };
    let shape = shape_key(dom, first);
    // A bare tag (a layout table in a table) says nothing of a template; records read as
    // runs of siblings already hold what follows each member.
    if shape == dom.name(first)
        || records
            .iter()
            .any(|&(s, e)| dom.nodes[s].parent != Some(parent) || dom.nodes[s].end != e)
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut j = parent + 1;
    let end = dom.nodes[parent].end;
    while j <= end {
        let elem_end = dom.nodes[j].end;
        let is_record = records.binary_search_by_key(&j, |&(s, _)| s).is_ok();
        if !is_record
            && dom.elem(j).is_some()
            && shape_key(dom, j) == shape
            && anchors.dates_in(j, elem_end).iter().any(|d| !d.joined)
        {
            out.push((j, elem_end));
        }
        // Replies nested inside a record or a reply are `replies`' to find.
        j = if is_record || out.last().is_some_and(|&(s, _)| s == j) {
            elem_end + 1
        } else {
            j + 1
        };
    }
    out
}

/// The records strictly inside record `k` of `records` (in document order): its nested
/// replies, for the reader to leave out of it.
pub(crate) fn nested_in(records: &[(usize, usize)], k: usize) -> impl Iterator<Item = usize> + '_ {
    let (s, e) = records[k];
    records[k + 1..]
        .iter()
        .take_while(move |&&(start, _)| start <= e)
        .filter(move |&&(start, end)| start > s && end <= e)
        .map(|&(start, _)| start)
}

fn consider(best: &mut Option<RecordSet>, c: RecordSet) {
    if c.score > best.as_ref().map_or(0.0, |b| b.score) {
        *best = Some(c);
    }
}

/// Records that run from each member to the next, for posts split over sibling rows.
fn runs(dom: &Dom<'_>, parent: usize, members: &[usize]) -> Option<Vec<(usize, usize)>> {
    let children = dom.children(parent);
    let pos: Vec<usize> = members
        .iter()
        .filter_map(|m| children.iter().position(|c| c == m))
        .collect();
    if pos.len() != members.len() || pos.windows(2).all(|w| w[1] == w[0] + 1) {
        return None;
    }
    // How many element siblings a run usually spans, to bound the last one.
    let mut spans: Vec<usize> = pos
        .windows(2)
        .map(|w| {
            children[w[0]..w[1]]
                .iter()
                .filter(|&&c| dom.elem(c).is_some())
                .count()
        })
        .collect();
    spans.sort_unstable();
    let typical = spans.get(spans.len() / 2).copied().unwrap_or(1);
    let mut out = Vec::new();
    for (k, &at) in pos.iter().enumerate() {
        let start = children[at];
        let end = if let Some(&next) = pos.get(k + 1) {
            children[next] - 1
        } else {
            let mut seen = 0;
            let mut last = start;
            for &c in &children[at..] {
                if dom.elem(c).is_some() {
                    seen += 1;
                    if seen > typical {
                        break;
                    }
                }
                last = c;
            }
            dom.nodes[last].end
        };
        out.push((start, end));
    }
    Some(out)
}

/// How well records fit posts: each record with a date and text counts, more with a user
/// cue, by the square root of its text so that one long page section cannot outweigh
/// many posts; records full of dates are lists of posts or of threads, not posts.
fn score(dom: &Dom<'_>, anchors: &Anchors, texts: &Teasers, records: &[(usize, usize)]) -> f64 {
    let mut total = 0.0;
    let mut good = 0usize;
    let mut date_counts = Vec::with_capacity(records.len());
    let mut teasers = 0usize;
    for &(s, e) in records {
        if texts.is_teaser(s, e) {
            teasers += 1;
        }
        let (all, links) = range_sizes(dom, s, e);
        let text = all - links + links / LINK_TEXT_DIVISOR;
        let dates = anchors.dates_in(s, e).iter().filter(|d| !d.joined).count();
        let users = anchors.users_in(s, e).len();
        date_counts.push(dates);
        if dates == 0 || text < MIN_TEXT {
            continue;
        }
        good += 1;
        let user_factor = if users > 0 { USER_CUE_WEIGHT } else { 1.0 };
        // Lists of links (related threads, latest posts) carry dates and names too, but
        // their text is links; a post's is mostly not.
        let prose = (1.0 - f64::from(links) / f64::from(all.max(1))).max(PROSE_SHARE_MIN);
        // A record holding several dated items is a container of posts, not one.
        let crowd = if dates > RECORD_DATES_MAX {
            RECORD_DATES_MAX as f64 / dates as f64
        } else {
            1.0
        };
        total += user_factor * prose * crowd * f64::from(text).sqrt();
    }
    if good < GOOD_RECORDS_MIN {
        return 0.0;
    }
    date_counts.sort_unstable();
    let median = date_counts[date_counts.len() / 2];
    if median > MEDIAN_DATES_MAX {
        total *= MEDIAN_DATES_MAX as f64 / median as f64;
    }
    // Teasers ("… read more") are a list of other threads, not this thread's posts: so
    // is a set of which half or more are teasers.
    if teasers * 2 >= records.len() {
        total *= TEASER_WEIGHT;
    }
    if records.first().is_some_and(|&(s, _)| in_aside(dom, s)) {
        total *= ASIDE_WEIGHT;
    }
    // Records without cues (ads, separators) among the members lower the fit a little.
    total * (UNCUED_WEIGHT + CUED_SHARE_WEIGHT * good as f64 / records.len() as f64)
}

/// What the teaser test reads of each text of the page, read once: the candidate
/// records are nested ranges, and each text would be read again for every one holding it.
struct Teasers {
    /// How many texts before each node are a "read more" label.
    read_more_before: Vec<u32>,
    /// The last text up to each node (itself included), if any: the node after it.
    last_text: Vec<usize>,
    /// Texts whose words end in an ellipsis.
    ellipsis: Vec<bool>,
}

impl Teasers {
    fn new(dom: &Dom<'_>, lexicon: &Lexicon) -> Self {
        let read_more = &lexicon.chrome_words().read_more;
        let n = dom.nodes.len();
        let mut read_more_before = Vec::with_capacity(n + 1);
        let mut last_text = Vec::with_capacity(n);
        let mut ellipsis = Vec::with_capacity(n);
        let (mut count, mut last) = (0u32, 0);
        read_more_before.push(0);
        for (j, node) in dom.nodes.iter().enumerate() {
            let mut ends_in_ellipsis = false;
            if let Kind::Text(text) = node.kind
                && node.text_len > 0
            {
                let t = text
                    .trim()
                    .trim_matches(['>', '»', '›', ' ', '.', '…', '[', ']', '(', ')']);
                // Lower-casing never shortens a text in characters: a longer one cannot
                // be "read more", and is not lower-cased (most of a record's text is long).
                if t.chars().nth(read_more.longest_chars()).is_none()
                    && read_more.contains(&t.to_lowercase())
                {
                    count += 1;
                }
                let raw = text.trim();
                ends_in_ellipsis = raw.ends_with("...") || raw.ends_with('…');
                last = j + 1;
            }
            read_more_before.push(count);
            last_text.push(last);
            ellipsis.push(ends_in_ellipsis);
        }
        Self {
            read_more_before,
            last_text,
            ellipsis,
        }
    }

    /// A record that is a teaser of another page: it has a "read more" link or label, or
    /// its text ends in an ellipsis.
    fn is_teaser(&self, s: usize, e: usize) -> bool {
        let last = self.last_text[e];
        self.read_more_before[e + 1] > self.read_more_before[s]
            || (last > s && self.ellipsis[last - 1])
    }
}

/// Inside a sidebar or a list of related or recent threads.
fn in_aside(dom: &Dom<'_>, i: usize) -> bool {
    dom.ancestors(i).any(|a| {
        if dom.name(a) == "aside" {
            return true;
        }
        let class = dom.class(a).to_ascii_lowercase();
        let id = dom.attr(a, "id").unwrap_or("").to_ascii_lowercase();
        vocabulary()
            .aside_holding
            .iter()
            .any(|w| class.contains(w.as_str()) || id.contains(w.as_str()))
    })
}

/// Text and link text of a record range (its top-level subtrees).
fn range_sizes(dom: &Dom<'_>, s: usize, e: usize) -> (u32, u32) {
    let (mut text, mut links) = (0u32, 0u32);
    let mut j = s;
    while j <= e {
        text += dom.nodes[j].text_len;
        links += dom.nodes[j].link_len;
        j = dom.nodes[j].end + 1;
    }
    (text, links)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The teaser test as first written, reading the record's texts backwards.
    fn by_reading(dom: &Dom<'_>, s: usize, e: usize, lexicon: &Lexicon) -> bool {
        let mut last = true;
        for j in (s..=e).rev() {
            let Kind::Text(text) = dom.nodes[j].kind else {
                continue;
            };
            if dom.nodes[j].text_len == 0 {
                continue;
            }
            let t = text
                .trim()
                .trim_matches(['>', '»', '›', ' ', '.', '…', '[', ']', '(', ')']);
            if lexicon.chrome_words().read_more.contains(&t.to_lowercase()) {
                return true;
            }
            if last {
                let raw = text.trim();
                if raw.ends_with("...") || raw.ends_with('…') {
                    return true;
                }
                last = false;
            }
        }
        false
    }

    #[test]
    fn teasers_read_once_agree_with_reading_each_record() {
        let doc = scraper::Html::parse_document(
            "<div><p>First words …</p><p> </p><i></i></div><div><p>Some text... more</p>\
             <a>» Read MORE «</a><p>x</p></div><ul><li>a...</li><li>b</li><li>  </li>\
             <li>[Weiterlesen]</li></ul><p>Tail text ends here…  </p><br>",
        );
        let dom = Dom::new(&doc);
        let lexicon = Lexicon::builtin().expect("lexicon");
        let teasers = Teasers::new(&dom, &lexicon);
        for s in 0..dom.nodes.len() {
            for e in s..dom.nodes.len() {
                assert_eq!(
                    teasers.is_teaser(s, e),
                    by_reading(&dom, s, e, &lexicon),
                    "{s}..={e}"
                );
            }
        }
    }
}
