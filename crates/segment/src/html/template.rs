//! The template learner: what each record of a repeated structure holds.
//!
//! The records come from the record finder (`records.rs`). The template is learnt by
//! comparing records with each other: text repeated at the same place in many records
//! ("Posts:", "Quote", "Report") is chrome; the element that holds most of the remaining
//! text, at the place most records agree on, is the body; the date and the author are
//! the cues outside the body at the place most records agree on.

use threadmill_lexicon::Lexicon;

use super::anchors::{Anchors, DateAnchor, UserAnchor};
use super::cues::{self, IdReach, QuoteTest};
use super::dom::{Dom, Kind};
use super::records::{RecordSet, shape_key};
use super::{Page, RawPost};

/// How much of a record's remaining text a child must hold for the body search to go down.
const DESCEND_SHARE: f64 = 0.7;
/// Text repeated at the same place in this percentage of records is template text.
const TEMPLATE_PERCENT: usize = 30;
/// Texts longer than this (non-space characters) are a post's words, never template
/// text.
const TEMPLATE_TEXT_MAX: u32 = 80;

/// How sure the learner is of its posts: this much for any set of records...
const CONFIDENCE_BASE: f32 = 0.4;
/// ...and this much more in proportion to the records that became posts...
const COVERED_WEIGHT: f32 = 0.5;
/// ...at most this much: repetition is never the engine's own word for what a post is.
const CONFIDENCE_MAX: f32 = 0.9;

/// An opening post above the records holds at least this much prose (non-space
/// characters out of links)...
const LEADING_PROSE_MIN: u32 = 30;
/// ...and at most this share of its text in links.
const LEADING_LINK_SHARE_MAX: f64 = 0.5;

/// A name printed without a user cue is this many words at most...
const NAME_WORDS_MAX: usize = 4;
/// ...and this many characters.
const NAME_CHARS_MAX: usize = 40;

/// A "Label: value" line is this many characters at most...
const LABEL_LINE_CHARS_MAX: usize = 40;
/// ...its label this many words.
const LABEL_WORDS_MAX: usize = 3;

/// An element of the author panel showing the post count holds this much text at most
/// (non-space characters)...
const POST_COUNT_TEXT_MAX: u32 = 30;
/// ...and, when it holds elements, this many children at most.
const POST_COUNT_CHILDREN_MAX: usize = 4;

/// What the template learner found in a record set.
pub(crate) struct TemplateFind {
    pub posts: Vec<RawPost>,
    pub confidence: f32,
}

/// Per-record facts the template learning needs.
struct Learner<'d, 'a> {
    dom: &'d Dom<'a>,
    anchors: &'d Anchors,
    lexicon: &'d Lexicon,
    /// Path hash of each node relative to its record, 0 outside records.
    path: Vec<u64>,
    /// Non-space characters of text that is not template chrome, per subtree.
    content: Vec<u32>,
}

/// The posts of the records found: each record's body, date and author at the places
/// the records agree on.
#[allow(
    clippy::too_many_lines,
    reason = "one post per record, each field read at the place most records agree on"
)]
pub(crate) fn read_posts(page: &Page<'_, '_>, set: &RecordSet) -> TemplateFind {
    let Page {
        dom,
        anchors,
        lexicon,
        ..
    } = *page;
    let mut learner = Learner {
        dom,
        anchors,
        lexicon,
        path: vec![0; dom.nodes.len()],
        content: vec![0; dom.nodes.len()],
    };
    learner.learn_paths(&set.records);
    learner.mark_template_text(&set.records);

    // The body: per record the deepest node with most of its content, then the place
    // most records agree on.
    let own: Vec<Option<usize>> = set.records.iter().map(|&r| learner.body_of(r)).collect();
    let body_path = majority(own.iter().flatten().map(|&b| learner.path[b]));
    let mut posts = Vec::new();
    let date_path = majority(
        set.records
            .iter()
            .zip(&own)
            .filter_map(|(&r, &b)| learner.post_date(r, b).map(|d| learner.path[d.node])),
    );
    let user_path = majority(
        set.records
            .iter()
            .zip(&own)
            .filter_map(|(&r, &b)| learner.post_user(r, b, None).map(|u| learner.path[u.node])),
    );
    // Members without any cue (navigation tables, ads) are dropped when most have cues.
    let cued = |&(s, e): &(usize, usize)| {
        !anchors.dates_in(s, e).is_empty() || !anchors.users_in(s, e).is_empty()
    };
    let with_cues = set.records.iter().filter(|r| cued(r)).count();
    let keep_uncued = with_cues * 2 < set.records.len();
    // Replies are read at the places their parents taught: their paths are taken from
    // their own start, after the parents' (which held them).
    learner.learn_paths(&set.replies);
    let mut read: Vec<((usize, usize), Option<usize>)> = set
        .records
        .iter()
        .copied()
        .zip(own.iter().copied())
        .collect();
    if !set.replies.is_empty() {
        read.extend(set.replies.iter().map(|&r| (r, learner.body_of(r))));
        read.sort_by_key(|&((s, _), _)| s);
    }
    let ranges: Vec<(usize, usize)> = read.iter().map(|&(r, _)| r).collect();
    for (k, &((s, e), own_body)) in read.iter().enumerate() {
        if !keep_uncued && !cued(&(s, e)) {
            continue;
        }
        let at_path = body_path
            .and_then(|p| (s..=e).find(|&j| learner.path[j] == p && dom.elem(j).is_some()));
        // Where most posts are one paragraph, the place the records agree on is the
        // body's first paragraph: a post of several, or of a quote and its reply, keeps
        // its own body, the parent of that paragraph and of the other parts.
        let body = match (at_path, own_body) {
            (Some(a), Some(o)) => Some(whole_body(dom, a, o).unwrap_or(a)),
            (a, o) => a.or(o),
        };
        let Some(body) = body.map(|b| marked_body(dom, anchors, (s, e), b)) else {
            continue;
        };
        let mut date = learner
            .post_date_at((s, e), Some(body), date_path)
            .or_else(|| learner.post_date((s, e), Some(body)));
        let mut user = learner
            .post_user((s, e), Some(body), user_path)
            .or_else(|| learner.post_user((s, e), Some(body), None));
        let mut post = RawPost::new((s, e), body);
        post.skip.extend(super::records::nested_in(&ranges, k));
        // Name and date printed inside the body ahead of its words ("ann Says: <date>
        // the words"): taken, and the body starts after them.
        let words = first_words(dom, body);
        if date.is_none() {
            date = learner
                .post_date((s, e), None)
                .filter(|d| dom.contains(body, d.node) && d.node < words);
            if let Some(d) = date {
                post.from = post.from.max(dom.nodes[d.node].end + 1);
            }
        }
        if user.is_none() {
            user = learner
                .post_user((s, e), None, None)
                .filter(|u| dom.contains(body, u.node) && u.node < words);
            if let Some(u) = user {
                post.from = post.from.max(dom.nodes[u.node].end + 1);
            }
        }
        post.date_raw = date.map(|d| d.raw.clone());
        post.date_node = date.map(|d| d.node);
        if let Some(u) = user {
            post.author = u
                .name
                .clone()
                .filter(|n| !is_avatar_letters(n))
                .or_else(|| name_near(anchors, (s, e), u))
                .or_else(|| u.name.clone());
            post.author_url = u
                .href
                .clone()
                .or_else(|| href_near(dom, anchors, (s, e), body));
            post.author_node = Some(u.node);
        }
        // A user link without a name (an avatar, a "profile" button): the name is
        // printed on its own nearby.
        if post.author.is_none()
            && let Some((name, node)) = learner.name_fallback((s, e), body)
        {
            post.author = Some(name);
            post.author_node = Some(node);
            if dom.contains(body, node) {
                post.from = post.from.max(dom.nodes[node].end + 1);
            }
        }
        if post.author.is_none()
            && let Some(d) = date
            && let Some((name, node)) = name_before_date(dom, lexicon, d.node)
                .filter(|&(_, node)| learner.content[node] > 0 && !dom.contains(body, node))
        {
            post.author = Some(name);
            post.author_node = Some(node);
        }
        if let Some(name) = cues::author_attr(dom, s) {
            post.author = Some(name);
        }
        post.author_joined_raw = anchors
            .dates_in(s, e)
            .iter()
            .find(|d| {
                d.joined
                    && !dom.contains(body, d.node)
                    && super::anchors::is_join_text(&dom.text(d.node), lexicon)
            })
            .map(|d| d.raw.clone());
        post.author_posts = post_count(dom, (s, e), body, lexicon);
        post.id = cues::post_id(dom, s, IdReach::Head);
        posts.push(post);
    }
    if let Some(first) = posts.first().map(|p| p.record.0)
        && let Some(op) = learner.leading_post(first)
    {
        posts.insert(0, op);
    }
    // A record whose body is empty and holds no cue is no post (a deleted post, an ad).
    posts.retain(|p| dom.nodes[p.body].text_len > 0 || p.date_raw.is_some());
    let covered = posts.len() as f32 / set.records.len().max(1) as f32;
    let confidence = (CONFIDENCE_BASE + COVERED_WEIGHT * covered).min(CONFIDENCE_MAX);
    TemplateFind { posts, confidence }
}

/// The element holding all of a post's text where the place the records agree on, `at`,
/// is one part of it inside the record's own body `own`: the parent of `at` when it also
/// holds siblings of `at`'s shape (the first of several paragraphs) or a quote box (the
/// reply below the post it quotes). None where `at` is the one part of its kind (a content
/// box beside a subject line).
fn whole_body(dom: &Dom<'_>, at: usize, own: usize) -> Option<usize> {
    let parent = dom.nodes[at].parent?;
    if !dom.contains(own, parent) {
        return None;
    }
    let shape = shape_key(dom, at);
    dom.elem_children(parent)
        .any(|c| {
            c != at
                && (shape_key(dom, c) == shape
                    || (dom.nodes[c].text_len > 0 && cues::is_quote(dom, c, QuoteTest::Any)))
        })
        .then_some(parent)
}

/// The element the page marks as the post's text (schema.org `itemprop="text"` or
/// `"articleBody"`) around `body` inside the record, else `body`: where most posts are
/// one paragraph the learned place is a first paragraph, and the mark holds all of them.
fn marked_body(dom: &Dom<'_>, anchors: &Anchors, (s, e): (usize, usize), body: usize) -> usize {
    std::iter::once(body)
        .chain(dom.ancestors(body))
        .take_while(|&a| a >= s && a <= e)
        .find(|&a| {
            dom.attr(a, "itemprop").is_some_and(|v| {
                v.split_whitespace().any(|p| {
                    p.eq_ignore_ascii_case("text") || p.eq_ignore_ascii_case("articlebody")
                })
            })
        })
        .unwrap_or_else(|| paragraph_box(dom, anchors, (s, e), body))
}

/// The box around a paragraph taken as the body, where that box holds none of the post's
/// header (its date, its poster): the post's text may go on past the first paragraph.
fn paragraph_box(dom: &Dom<'_>, anchors: &Anchors, (s, e): (usize, usize), body: usize) -> usize {
    if dom.name(body) != "p" {
        return body;
    }
    match dom.nodes[body].parent {
        Some(p)
            if p > s
                && dom.nodes[p].end <= e
                && anchors.dates_in(p, dom.nodes[p].end).is_empty()
                && anchors.users_in(p, dom.nodes[p].end).is_empty() =>
        {
            p
        }
        _ => body,
    }
}

/// Where the body's own words start: the first text node with more than a few words
/// (header bits before it are names, dates and labels).
fn first_words(dom: &Dom<'_>, body: usize) -> usize {
    (body..=dom.nodes[body].end)
        .find(|&j| matches!(dom.nodes[j].kind, Kind::Text(t) if t.split_whitespace().count() > 3))
        .unwrap_or(dom.nodes[body].end + 1)
}

/// The most frequent value, if any.
fn majority(values: impl Iterator<Item = u64>) -> Option<u64> {
    let mut counts: Vec<(u64, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(k, _)| *k == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    // Ties go to the value seen first.
    let mut best: Option<(u64, usize)> = None;
    for (k, n) in counts {
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((k, n));
        }
    }
    best.map(|(k, _)| k)
}

impl Learner<'_, '_> {
    fn learn_paths(&mut self, records: &[(usize, usize)]) {
        let dom = self.dom;
        let node_key = |j: usize| match dom.nodes[j].kind {
            Kind::Elem(_) => shape_key(dom, j),
            Kind::Text(_) => "#text".to_owned(),
        };
        // The position among same-keyed siblings tells a header row from the body row
        // of the same shape; positions past a few are all alike (paragraphs of a body).
        let mut counts: foldhash::HashMap<String, u32> = foldhash::HashMap::default();
        for &(s, e) in records {
            let mut j = s;
            while j <= e {
                self.path[j] = hash(hash(PATH_SEED, &node_key(j)), POSITIONS[0]);
                j = dom.nodes[j].end + 1;
            }
            for p in s..=e {
                if dom.children(p).is_empty() {
                    continue;
                }
                counts.clear();
                for &c in dom.children(p) {
                    let k = node_key(c);
                    let h = hash(self.path[p], &k);
                    // Looked up before inserting: most keys repeat among siblings, and
                    // need no copy then.
                    if let Some(n) = counts.get_mut(&k) {
                        self.path[c] = hash(h, POSITIONS[(*n).min(8) as usize]);
                        *n += 1;
                    } else {
                        self.path[c] = hash(h, POSITIONS[0]);
                        counts.insert(k, 1);
                    }
                }
            }
        }
    }

    /// Text that repeats at the same place across records (labels, buttons, the
    /// thread title repeated as each post's subject), and the cues themselves, are not
    /// content; everything else is.
    fn mark_template_text(&mut self, records: &[(usize, usize)]) {
        let dom = self.dom;
        // Looked up per short text of every record: a fast hash.
        let mut seen: foldhash::HashMap<(u64, String), usize> = foldhash::HashMap::default();
        let mut texts: Vec<(usize, String)> = Vec::new();
        for &(s, e) in records {
            let mut local: foldhash::HashSet<(u64, String)> = foldhash::HashSet::default();
            for j in s..=e {
                if let Kind::Text(t) = dom.nodes[j].kind {
                    if dom.nodes[j].text_len == 0 || dom.nodes[j].text_len > TEMPLATE_TEXT_MAX {
                        continue;
                    }
                    let t = super::dom::collapse(t).to_lowercase();
                    let k = (self.path[j], t.clone());
                    if local.insert(k.clone()) {
                        *seen.entry(k).or_default() += 1;
                    }
                    texts.push((j, t));
                }
            }
        }
        let threshold = (records.len() * TEMPLATE_PERCENT).div_ceil(100).max(2);
        let mut chrome = vec![false; dom.nodes.len()];
        for (j, t) in texts {
            if seen.get(&(self.path[j], t.clone())).copied().unwrap_or(0) >= threshold {
                chrome[j] = true;
            } else if is_label_value(&t) {
                // "Posts: 1,234", "Location: Berlin": a label and its value.
                chrome[j] = true;
            }
        }
        let cues = self
            .anchors
            .dates
            .iter()
            .map(|d| d.node)
            .chain(self.anchors.users.iter().map(|u| u.node));
        for node in cues {
            chrome[node..=dom.nodes[node].end].fill(true);
        }
        for &(s, e) in records {
            for j in (s..=e).rev() {
                if matches!(dom.nodes[j].kind, Kind::Text(_)) && !chrome[j] {
                    self.content[j] = dom.nodes[j].text_len;
                }
                if let Some(p) = dom.nodes[j].parent
                    && p >= s
                {
                    self.content[p] += self.content[j];
                }
            }
        }
    }

    /// The deepest element holding most of the record's content.
    fn body_of(&self, (s, e): (usize, usize)) -> Option<usize> {
        let dom = self.dom;
        // Top-level nodes of the record; start from the one with the most content.
        let mut tops = Vec::new();
        let mut j = s;
        while j <= e {
            tops.push(j);
            j = dom.nodes[j].end + 1;
        }
        let total: u32 = tops.iter().map(|&t| self.content[t]).sum();
        let mut at = tops
            .into_iter()
            .filter(|&t| dom.elem(t).is_some())
            .max_by_key(|&t| self.content[t])?;
        if total == 0 {
            return Some(at);
        }
        let total = f64::from(total);
        if f64::from(self.content[at]) < DESCEND_SHARE * total {
            return Some(at);
        }
        loop {
            let next = dom.elem_children(at).find(|&c| {
                f64::from(self.content[c]) >= DESCEND_SHARE * total
                    && !cues::is_quote(dom, c, QuoteTest::Marked)
            });
            match next {
                Some(c) => at = c,
                None => return Some(at),
            }
        }
    }

    /// The post date: a date cue outside the body, not a join date; `<time>` first.
    fn post_date(&self, (s, e): (usize, usize), body: Option<usize>) -> Option<&DateAnchor> {
        let outside =
            |d: &&DateAnchor| !d.joined && body.is_none_or(|b| !self.dom.contains(b, d.node));
        let dates = self.anchors.dates_in(s, e);
        dates
            .iter()
            .filter(outside)
            .find(|d| d.timed)
            .or_else(|| dates.iter().find(outside))
    }

    fn post_date_at(
        &self,
        (s, e): (usize, usize),
        body: Option<usize>,
        path: Option<u64>,
    ) -> Option<&DateAnchor> {
        let path = path?;
        self.anchors.dates_in(s, e).iter().find(|d| {
            !d.joined
                && self.path[d.node] == path
                && body.is_none_or(|b| !self.dom.contains(b, d.node))
        })
    }

    /// The author: a user cue outside the body; named ones before avatar links.
    fn post_user(
        &self,
        (s, e): (usize, usize),
        body: Option<usize>,
        path: Option<u64>,
    ) -> Option<&UserAnchor> {
        let users = self.anchors.users_in(s, e);
        let outside = |u: &&UserAnchor| body.is_none_or(|b| !self.dom.contains(b, u.node));
        match path {
            Some(p) => users
                .iter()
                .filter(outside)
                .find(|u| self.path[u.node] == p && u.name.is_some()),
            None => users
                .iter()
                .filter(outside)
                .find(|u| {
                    u.name.is_some()
                        && !looks_like_label(u.name.as_deref().unwrap_or(""), self.lexicon)
                })
                .or_else(|| users.iter().find(outside)),
        }
    }

    /// The opening post when its template differs from the replies' (a question above its
    /// answers): the last date before the first record, in a "card" that does not reach
    /// the records and also holds a user cue and a block of prose.
    fn leading_post(&self, first: usize) -> Option<RawPost> {
        let dom = self.dom;
        let date = self
            .anchors
            .dates
            .iter()
            .rev()
            .find(|d| d.node < first && dom.nodes[d.node].end < first && !d.joined)?;
        let mut card = date.node;
        for a in dom.ancestors(date.node) {
            if dom.nodes[a].end >= first {
                break;
            }
            card = a;
        }
        let (cs, ce) = (card, dom.nodes[card].end);
        // A machine-readable date in the card beats a date-like phrase near it.
        let date = self
            .anchors
            .dates_in(cs, ce)
            .iter()
            .rev()
            .find(|d| d.timed && !d.joined)
            .unwrap_or(date);
        let user = self
            .anchors
            .users_in(cs, ce)
            .iter()
            .rev()
            .find(|u| u.name.is_some());
        // Without a named user link, the name printed just before the date.
        let printed = match user {
            Some(_) => None,
            None => Some(name_before_date(dom, self.lexicon, date.node)?),
        };
        let users = self.anchors.users_in(cs, ce);
        let pick = |end: usize| -> Option<usize> {
            let mut best: Option<(usize, u32)> = None;
            for b in (cs..=end).filter(|&b| dom.elem(b).is_some()) {
                let n = &dom.nodes[b];
                if dom.contains(b, date.node)
                    || users.iter().any(|u| dom.contains(b, u.node))
                    || printed.as_ref().is_some_and(|&(_, n)| dom.contains(b, n))
                {
                    continue;
                }
                let heading = |h: usize| matches!(dom.name(h), "h1" | "h2" | "h3");
                if matches!(
                    dom.name(b),
                    "h1" | "h2" | "h3" | "a" | "nav" | "form" | "ul" | "ol" | "li" | "label"
                ) || dom.elems_in(b).any(|h| matches!(dom.name(h), "h1" | "h2"))
                    || dom.ancestors(b).take_while(|&a| a >= cs).any(heading)
                {
                    // Headings hold the thread's title, not an opening post's words.
                    continue;
                }
                let prose = n.text_len - n.link_len;
                if best.is_none_or(|(_, p)| prose > p) {
                    best = Some((b, prose));
                }
            }
            let (body, prose) = best?;
            let n = &dom.nodes[body];
            (prose >= LEADING_PROSE_MIN
                && f64::from(n.link_len) <= LEADING_LINK_SHARE_MAX * f64::from(n.text_len))
            .then_some(body)
        };
        // The card is the post's header alone where the body follows it as a sibling
        // (a question's header, then its text, then the replies): the run of the card's
        // next siblings before the records is the post too.
        let run_end = dom.nodes[card].parent.map_or(ce, |p| {
            dom.children(p)
                .iter()
                .filter(|&&c| c > card && dom.nodes[c].end < first)
                .map(|&c| dom.nodes[c].end)
                .max()
                .unwrap_or(ce)
        });
        let (body, ce) = match pick(ce) {
            Some(body) => (body, ce),
            None if !self.repeats_first_record(first, date, user) => (pick(run_end)?, run_end),
            None => return None,
        };
        let mut post = RawPost::new((cs, ce), body);
        post.date_raw = Some(date.raw.clone());
        post.date_node = Some(date.node);
        if let Some(user) = user {
            post.author.clone_from(&user.name);
            post.author_node = Some(user.node);
        } else if let Some((name, node)) = printed {
            post.author = Some(name);
            post.author_node = Some(node);
        }
        post.author_url = user
            .and_then(|u| u.href.clone())
            .or_else(|| users.iter().find_map(|u| u.href.clone()));
        post.id = cues::post_id(dom, cs, IdReach::Head);
        Some(post)
    }

    /// True when the first record shows the header's date and user: the header is the
    /// thread's (its starter and start date above a notice), and the first record is the
    /// opening post.
    fn repeats_first_record(
        &self,
        first: usize,
        date: &DateAnchor,
        user: Option<&UserAnchor>,
    ) -> bool {
        let end = self.dom.nodes[first].end;
        // Any of the record's dates: a join date the page does not label may come first.
        let same_date = self
            .anchors
            .dates_in(first, end)
            .iter()
            .any(|d| !d.joined && d.raw == date.raw);
        let name = user.and_then(|u| u.name.as_deref());
        let same_user = name.is_some()
            && self
                .anchors
                .users_in(first, end)
                .iter()
                .any(|u| u.name.as_deref() == name);
        same_date && same_user
    }

    /// Without a user cue: the first short, bold or heading text before the body that is
    /// neither a date nor chrome.
    fn name_fallback(&self, (s, _e): (usize, usize), body: usize) -> Option<(String, usize)> {
        let dom = self.dom;
        // Before the body, or inside it ahead of its words.
        for j in s..first_words(dom, body) {
            if !matches!(dom.name(j), "b" | "strong" | "h3" | "h4" | "h5" | "cite") {
                continue;
            }
            let text = dom.text(j);
            let words = text.split_whitespace().count();
            let when = crate::dates::is_date(&text, self.lexicon)
                || crate::dates::is_clock_time(&text, self.lexicon);
            if (1..=NAME_WORDS_MAX).contains(&words)
                && text.chars().count() <= NAME_CHARS_MAX
                && !when
                && !(super::dates::has_label_colon(&text)
                    && self.lexicon.match_line(&text).is_some())
                && !text.ends_with(':')
            {
                return Some((text, j));
            }
        }
        None
    }
}

/// A name printed as plain text just before the post's date, in the element that holds
/// the date ("ann · 03/03/2026 19:49", `<div>ann</div><div>28/11/2025</div>`): engines that
/// link no profile print the byline so. The nearest text before the date in its parent,
/// less a trailing separator, when it is short and neither a date nor a label.
fn name_before_date(dom: &Dom<'_>, lexicon: &Lexicon, date: usize) -> Option<(String, usize)> {
    let parent = dom.nodes[date].parent?;
    let text_node = (parent + 1..date)
        .rev()
        .find(|&j| matches!(dom.nodes[j].kind, Kind::Text(t) if !t.trim().is_empty()))?;
    let Kind::Text(raw) = dom.nodes[text_node].kind else {
        return None;
    };
    let name = super::dom::collapse(raw)
        .trim_end_matches(|c: char| c.is_whitespace() || BYLINE_SEPARATORS.contains(&c))
        .to_owned();
    let words = name.split_whitespace().count();
    let name_like = (1..=NAME_WORDS_MAX).contains(&words)
        && name.chars().count() <= NAME_CHARS_MAX
        // A post's number ("#3", "Reply #12", "15") is no name.
        && name.chars().any(char::is_alphabetic)
        && !name
            .split('#')
            .skip(1)
            .any(|after| after.starts_with(|c: char| c.is_ascii_digit()))
        && !name.ends_with(':')
        // A byline's label ("Posted by", "Geschrieben von") ends in the word before a name.
        && !name
            .split_whitespace()
            .last()
            .is_some_and(|w| words > 1 && lexicon.chrome_words().by.contains(&w.to_lowercase()))
        && !crate::dates::is_date(&name, lexicon)
        && lexicon.match_line(&name).is_none();
    name_like.then_some((name, text_node))
}

/// What stands between a name and the date printed after it.
const BYLINE_SEPARATORS: &[char] = &['·', '•', '|', '-', '–', '—', ','];

/// "Label: value" in a short line, the label a word or three.
fn is_label_value(text: &str) -> bool {
    if text.chars().count() > LABEL_LINE_CHARS_MAX || !super::dates::has_label_colon(text) {
        return false;
    }
    text.split_once(':')
        .is_some_and(|(label, _)| (1..=LABEL_WORDS_MAX).contains(&label.split_whitespace().count()))
}

/// Labels that profile-like links carry instead of a name ("View Profile", "Profile").
fn looks_like_label(name: &str, lexicon: &Lexicon) -> bool {
    let buttons = &lexicon.chrome_words().profile_button;
    name.to_lowercase()
        .split_whitespace()
        .any(|w| buttons.contains(w))
}

/// A name for an avatar-only user link: another link to the same href with text.
fn name_near(anchors: &Anchors, (s, e): (usize, usize), u: &UserAnchor) -> Option<String> {
    anchors
        .users_in(s, e)
        .iter()
        .filter(|o| o.href == u.href)
        .filter_map(|o| o.name.clone())
        .find(|n| !is_avatar_letters(n))
}

/// A letter avatar's text ("S", "JD"): the poster's initials in a profile link beside the
/// link that prints the name, never the name itself where that link is there too.
fn is_avatar_letters(name: &str) -> bool {
    let n = name.chars().count();
    n <= 2 && name.chars().all(char::is_uppercase)
}

/// A user link for a name found without one.
fn href_near(
    dom: &Dom<'_>,
    anchors: &Anchors,
    (s, e): (usize, usize),
    body: usize,
) -> Option<String> {
    anchors
        .users_in(s, e)
        .iter()
        .filter(|u| !dom.contains(body, u.node))
        .find_map(|u| u.href.clone())
}

/// The author's post count from a "Posts: N" line of the author panel.
fn post_count(
    dom: &Dom<'_>,
    (s, e): (usize, usize),
    body: usize,
    lexicon: &Lexicon,
) -> Option<u64> {
    for j in s..=e {
        if dom.contains(body, j)
            || dom.nodes[j].text_len > POST_COUNT_TEXT_MAX
            || dom.elem(j).is_none()
        {
            continue;
        }
        if dom.elem_children(j).next().is_some() && dom.children(j).len() > POST_COUNT_CHILDREN_MAX
        {
            continue;
        }
        let text = dom.text(j);
        let Some((label, value)) = text.split_once(':') else {
            continue;
        };
        let label = label.trim().to_lowercase();
        if lexicon.chrome_words().post_count.contains(&label)
            && let Some(n) = cues::post_count(value)
        {
            return Some(n);
        }
    }
    None
}

/// The position among same-keyed siblings as hashed into a path, the last for all past it.
const POSITIONS: [&str; 9] = ["0", "1", "2", "3", "4", "5", "6", "7", "8"];

/// The seed of a record's top-level nodes' paths.
const PATH_SEED: u64 = 0x9e37_79b9_7f4a_7c15;
/// FNV-1a's offset basis and prime (64 bits).
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

fn hash(seed: u64, s: &str) -> u64 {
    // FNV-1a over the key, chained with the parent's hash: paths compare by value.
    let mut h = seed ^ FNV_OFFSET;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

#[cfg(test)]
mod tests {
    use threadmill_lexicon::Lexicon;

    use super::*;
    use crate::html::dom;

    /// The name `name_before_date` reads before the `<i>` date of `html`.
    fn byline(html: &str) -> Option<String> {
        let doc = dom::parse(html);
        let dom = Dom::new(&doc);
        let lexicon = Lexicon::builtin().expect("lexicon");
        let date = (0..dom.nodes.len()).find(|&i| dom.name(i) == "i")?;
        name_before_date(&dom, &lexicon, date).map(|(name, _)| name)
    }

    #[test]
    fn a_name_before_the_date_is_read_and_a_post_number_is_not() {
        let at = "<i>28/11/2025 at 7:16 pm</i>";
        assert_eq!(
            byline(&format!("<div>keepingsanity · {at}</div>")).as_deref(),
            Some("keepingsanity")
        );
        assert_eq!(
            byline(&format!("<div><div>Judith C(157)</div>{at}</div>")).as_deref(),
            Some("Judith C(157)")
        );
        for not_a_name in ["#3", "Reply #12", "15", "Posted by", "Quote"] {
            assert_eq!(
                byline(&format!("<div><span>{not_a_name}</span> {at}</div>")),
                None,
                "{not_a_name}"
            );
        }
    }
}
