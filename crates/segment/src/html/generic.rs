//! The template-independent segmenter, for forums no profile knows.
//!
//! A thread page repeats one record per post: sibling subtrees built from the same
//! template, each holding a printed date, usually a link to the poster's profile, and the
//! post's text. We look for the set of same-shaped siblings that best fits that (or, for
//! table layouts where a post spans a header row and a body row, the runs of siblings
//! that start at each such member). Inside the records, the template is learnt by
//! comparing records with each other: text repeated at the same place in many records
//! ("Posts:", "Quote", "Report") is chrome; the element that holds most of the remaining
//! text, at the place most records agree on, is the body; the date and the author are
//! the cues outside the body at the place most records agree on.

use threadmill_lexicon::Lexicon;

use super::RawPost;
use super::anchors::{Anchors, DateAnchor, UserAnchor};
use super::dom::{Dom, Kind};

/// A record holds at least this much text (non-space characters) to count as a post.
const MIN_TEXT: u32 = 3;
/// How much of a record's remaining text a child must hold for the body search to go down.
const DESCEND_SHARE: f64 = 0.7;
/// Text repeated at the same place in this percentage of records is template text.
const TEMPLATE_PERCENT: usize = 30;

/// Records of one candidate: `[start, end]` index ranges in document order.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub records: Vec<(usize, usize)>,
    pub score: f64,
}

/// What the generic segmenter found.
pub(crate) struct Found {
    pub posts: Vec<RawPost>,
    pub confidence: f32,
}

/// The signature of an element among its siblings: tag and first class, without the
/// digits and alternation suffixes that vary from post to post (`bg1`/`bg2`,
/// `windowbg`/`windowbg2`, `post_123`).
pub(crate) fn key(dom: &Dom<'_>, i: usize) -> String {
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

fn is_alternation(c: &str) -> bool {
    [
        "odd", "even", "alt", "bg", "row", "first", "last", "clearfix", "clear", "group", "online",
        "offline", "new", "old", "unread", "read", "hidden", "visible",
    ]
    .iter()
    .any(|w| w.eq_ignore_ascii_case(c))
}

/// Finds the records of the page, or `None` when it shows no repeated post structure.
pub(crate) fn find_records(
    dom: &Dom<'_>,
    anchors: &Anchors,
    lexicon: &Lexicon,
) -> Option<Candidate> {
    let teasers = Teasers::new(dom, lexicon);
    let mut best: Option<Candidate> = None;
    for p in 0..dom.nodes.len() {
        if dom.elem(p).is_none() || dom.children(p).len() < 2 {
            continue;
        }
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for c in dom.elem_children(p) {
            if dom.nodes[c].text_len == 0 && anchors.dates_in(c, dom.nodes[c].end).is_empty() {
                continue;
            }
            let k = key(dom, c);
            match groups.iter_mut().find(|(g, _)| *g == k) {
                Some((_, members)) => members.push(c),
                None => groups.push((k, vec![c])),
            }
        }
        // Rows of one shape that alternate roles (a header row, then a body row) tell
        // apart by their first child: split such groups once more.
        let mut split: Vec<(String, Vec<usize>)> = Vec::new();
        for (k, members) in &groups {
            if members.len() < 4 {
                continue;
            }
            let mut sub: Vec<(String, Vec<usize>)> = Vec::new();
            for &m in members {
                let first = dom
                    .elem_children(m)
                    .next()
                    .map(|c| key(dom, c))
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
                Candidate {
                    score: score(dom, anchors, &teasers, &alone),
                    records: alone,
                },
            );
            if let Some(runs) = runs(dom, p, &members) {
                let s = score(dom, anchors, &teasers, &runs) * 0.97;
                consider(
                    &mut best,
                    Candidate {
                        score: s,
                        records: runs,
                    },
                );
            }
        }
    }
    best.filter(|b| b.score > 0.0)
}

fn consider(best: &mut Option<Candidate>, c: Candidate) {
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
        // Link text counts a quarter: signatures and menus are links, posts mostly not.
        let text = all - links + links / 4;
        let dates = anchors.dates_in(s, e).iter().filter(|d| !d.joined).count();
        let users = anchors.users_in(s, e).len();
        date_counts.push(dates);
        if dates == 0 || text < MIN_TEXT {
            continue;
        }
        good += 1;
        let user_factor = if users > 0 { 1.5 } else { 1.0 };
        // Lists of links (related threads, latest posts) carry dates and names too, but
        // their text is links; a post's is mostly not.
        let prose = (1.0 - f64::from(links) / f64::from(all.max(1))).max(0.2);
        // A record holding several dated items is a container of posts, not one.
        let crowd = if dates > 2 { 2.0 / dates as f64 } else { 1.0 };
        total += user_factor * prose * crowd * f64::from(text).sqrt();
    }
    if good < 2 {
        return 0.0;
    }
    date_counts.sort_unstable();
    let median = date_counts[date_counts.len() / 2];
    if median > 6 {
        total *= 6.0 / median as f64;
    }
    // Teasers ("… read more") are a list of other threads, not this thread's posts.
    if teasers * 2 >= records.len() {
        total *= 0.2;
    }
    if records.first().is_some_and(|&(s, _)| in_aside(dom, s)) {
        total *= 0.3;
    }
    // Records without cues (ads, separators) among the members lower the fit a little.
    total * (0.5 + 0.5 * good as f64 / records.len() as f64)
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
        [
            "sidebar",
            "related",
            "similar",
            "recent",
            "latest",
            "popular",
            "widget",
            "suggested",
        ]
        .iter()
        .any(|w| class.contains(w) || id.contains(w))
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

/// Segments the page with the records found.
pub(crate) fn extract(
    dom: &Dom<'_>,
    anchors: &Anchors,
    lexicon: &Lexicon,
    cand: &Candidate,
) -> Found {
    let mut learner = Learner {
        dom,
        anchors,
        lexicon,
        path: vec![0; dom.nodes.len()],
        content: vec![0; dom.nodes.len()],
    };
    learner.learn_paths(&cand.records);
    learner.mark_template_text(&cand.records);

    // The body: per record the deepest node with most of its content, then the place
    // most records agree on.
    let own: Vec<Option<usize>> = cand.records.iter().map(|&r| learner.body_of(r)).collect();
    let body_path = majority(own.iter().flatten().map(|&b| learner.path[b]));
    let mut posts = Vec::new();
    let date_path = majority(
        cand.records
            .iter()
            .zip(&own)
            .filter_map(|(&r, &b)| learner.post_date(r, b).map(|d| learner.path[d.node])),
    );
    let user_path = majority(
        cand.records
            .iter()
            .zip(&own)
            .filter_map(|(&r, &b)| learner.post_user(r, b, None).map(|u| learner.path[u.node])),
    );
    // Members without any cue (navigation tables, ads) are dropped when most have cues.
    let cued = |&(s, e): &(usize, usize)| {
        !anchors.dates_in(s, e).is_empty() || !anchors.users_in(s, e).is_empty()
    };
    let with_cues = cand.records.iter().filter(|r| cued(r)).count();
    let keep_uncued = with_cues * 2 < cand.records.len();
    for (k, &(s, e)) in cand.records.iter().enumerate() {
        if !keep_uncued && !cued(&(s, e)) {
            continue;
        }
        let body = body_path
            .and_then(|p| (s..=e).find(|&j| learner.path[j] == p && dom.elem(j).is_some()))
            .or(own[k]);
        let Some(body) = body else { continue };
        let mut date = learner
            .post_date_at((s, e), Some(body), date_path)
            .or_else(|| learner.post_date((s, e), Some(body)));
        let mut user = learner
            .post_user((s, e), Some(body), user_path)
            .or_else(|| learner.post_user((s, e), Some(body), None));
        let mut post = RawPost::new((s, e), body);
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
                .or_else(|| name_near(dom, anchors, (s, e), u));
            post.author_url = u
                .href
                .clone()
                .or_else(|| href_near(dom, anchors, (s, e), body));
            post.author_node = Some(u.node);
        }
        // A profile link without a name (an avatar, a "profile" button): the name is
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
        if let Some(name) = super::author_attr(dom, s) {
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
        post.id = record_id(dom, s);
        posts.push(post);
    }
    if let Some(first) = posts.first().map(|p| p.record.0)
        && let Some(op) = learner.leading_post(first)
    {
        posts.insert(0, op);
    }
    // A record whose body is empty and holds no cue is no post (a deleted post, an ad).
    posts.retain(|p| dom.nodes[p.body].text_len > 0 || p.date_raw.is_some());
    let covered = posts.len() as f32 / cand.records.len().max(1) as f32;
    let confidence = (0.4 + 0.5 * covered).min(0.9);
    Found { posts, confidence }
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
            Kind::Elem(_) => key(dom, j),
            Kind::Text(_) => "#text".to_owned(),
        };
        // The position among same-keyed siblings tells a header row from the body row
        // of the same shape; positions past a few are all alike (paragraphs of a body).
        let mut counts: foldhash::HashMap<String, u32> = foldhash::HashMap::default();
        for &(s, e) in records {
            let mut j = s;
            while j <= e {
                self.path[j] = hash(hash(0x9e37_79b9_7f4a_7c15, &node_key(j)), "0");
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
                    if dom.nodes[j].text_len == 0 || dom.nodes[j].text_len > 80 {
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
                f64::from(self.content[c]) >= DESCEND_SHARE * total && !is_quote_like(dom, c)
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
            .find(|u| u.name.is_some())?;
        let users = self.anchors.users_in(cs, ce);
        let mut best: Option<(usize, u32)> = None;
        for b in dom.elems_in(card) {
            let n = &dom.nodes[b];
            if dom.contains(b, date.node) || users.iter().any(|u| dom.contains(b, u.node)) {
                continue;
            }
            if matches!(
                dom.name(b),
                "h1" | "h2" | "h3" | "a" | "nav" | "form" | "ul" | "ol" | "li" | "label"
            ) || dom.elems_in(b).any(|h| matches!(dom.name(h), "h1" | "h2"))
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
        if prose < 30 || f64::from(n.link_len) > 0.5 * f64::from(n.text_len) {
            return None;
        }
        let mut post = RawPost::new((cs, ce), body);
        post.date_raw = Some(date.raw.clone());
        post.date_node = Some(date.node);
        post.author.clone_from(&user.name);
        post.author_url = user
            .href
            .clone()
            .or_else(|| users.iter().find_map(|u| u.href.clone()));
        post.author_node = Some(user.node);
        post.id = record_id(dom, cs);
        Some(post)
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
            if (1..=4).contains(&words)
                && text.chars().count() <= 40
                && !crate::dates::is_date(&text, self.lexicon)
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

/// "Label: value" in a short line, the label a word or three.
fn is_label_value(text: &str) -> bool {
    if text.chars().count() > 40 || !super::dates::has_label_colon(text) {
        return false;
    }
    text.split_once(':')
        .is_some_and(|(label, _)| (1..=3).contains(&label.split_whitespace().count()))
}

/// Labels that profile-like links carry instead of a name ("View Profile", "Profile").
fn looks_like_label(name: &str, lexicon: &Lexicon) -> bool {
    let buttons = &lexicon.chrome_words().profile_button;
    name.to_lowercase()
        .split_whitespace()
        .any(|w| buttons.contains(w))
}

fn is_quote_like(dom: &Dom<'_>, i: usize) -> bool {
    dom.name(i) == "blockquote" && dom.class(i).to_ascii_lowercase().contains("quote")
}

/// A name for an avatar-only profile link: another link to the same href with text.
fn name_near(
    dom: &Dom<'_>,
    anchors: &Anchors,
    (s, e): (usize, usize),
    u: &UserAnchor,
) -> Option<String> {
    let _ = dom;
    anchors
        .users_in(s, e)
        .iter()
        .filter(|o| o.href == u.href)
        .find_map(|o| o.name.clone())
}

/// A profile link for a name found without one.
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
        if dom.contains(body, j) || dom.nodes[j].text_len > 30 || dom.elem(j).is_none() {
            continue;
        }
        if dom.elem_children(j).next().is_some() && dom.children(j).len() > 4 {
            continue;
        }
        let text = dom.text(j);
        let Some((label, value)) = text.split_once(':') else {
            continue;
        };
        let label = label.trim().to_lowercase();
        if lexicon.chrome_words().post_count.contains(&label) {
            let digits: String = value.chars().filter(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse() {
                return Some(n);
            }
        }
    }
    None
}

/// The forum's own post id, from the record's id attribute (`p12345`, `post_12345`).
fn record_id(dom: &Dom<'_>, s: usize) -> Option<String> {
    std::iter::once(s)
        .chain(dom.elems_in(s).take(4))
        .find_map(|i| super::cues::post_id(dom, i))
}

/// The position among same-keyed siblings as hashed into a path, the last for all past it.
const POSITIONS: [&str; 9] = ["0", "1", "2", "3", "4", "5", "6", "7", "8"];

fn hash(seed: u64, s: &str) -> u64 {
    // FNV-1a over the key, chained with the parent's hash: paths compare by value.
    let mut h = seed ^ 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
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
