//! The record: one [`Thread`] per output line.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::page::{Repairs, Source};

/// The schema name and major version written in every record.
pub const SCHEMA: &str = "threadmill.thread/3";

/// One thread page (or, once stitched, one whole thread): the unit of output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Stable hex id of the source (path and member), the same on every run.
    pub id: String,
    /// Where the record came from.
    pub source: Source,
    /// The page URL (canonical link, og:url, or the input's own URL), when known.
    pub url: Option<String>,
    /// The thread a stitched record was grouped by (see `threadmill-stitch`); absent on a
    /// record of a single page, so such records are unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_key: Option<String>,
    /// A stitched record's pages, in thread order, with where each came from; absent on
    /// a record of a single page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<PageRef>,
    /// Page numbers of a stitched thread that were not in the input (up to the total the
    /// pagination printed, or the highest page seen); absent when none is missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_pages: Vec<u32>,
    /// The forum engine (`phpbb`, `vbulletin`, `xenforo`, …) or `unknown`.
    pub engine: String,
    /// How sure engine detection is, from 0 to 1.
    pub engine_confidence: f32,
    /// Which extractor built the posts: an engine profile name or `generic`.
    pub extractor: String,
    /// How sure the extractor is of its post boundaries, from 0 to 1.
    pub extractor_confidence: f32,
    /// ISO 639-1 language of the forum's own chrome.
    pub ui_lang: Option<String>,
    /// ISO 639-1 language of the posts, weighted by text length.
    pub lang: Option<String>,
    /// The thread title.
    pub title: Option<String>,
    /// The sub-forum the thread lives in.
    pub board: Option<String>,
    /// The time relative dates were resolved against, when one was known.
    pub reference_time: Option<String>,
    /// The reposted news article, when a post copies one.
    pub article: Option<Article>,
    /// The posts, in page order.
    pub posts: Vec<Post>,
    /// Direct quotations found in the posts, with their speakers.
    pub quotes: Vec<Quotation>,
    /// Named people, places and organisations the posts mention, each under its fullest
    /// name. Absent in records written before the field existed, hence the default.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// The forum UI set aside, each line with its role: nothing is lost.
    pub chrome: Vec<ChromeLine>,
    /// What cleaning changed, counted.
    pub repairs: Repairs,
}

impl Thread {
    /// An empty record for `source`; the stages fill it in.
    pub fn new(source: Source) -> Self {
        Self {
            schema: SCHEMA.to_owned(),
            id: String::new(),
            source,
            url: None,
            thread_key: None,
            pages: Vec::new(),
            missing_pages: Vec::new(),
            engine: "unknown".to_owned(),
            engine_confidence: 0.0,
            extractor: "generic".to_owned(),
            extractor_confidence: 0.0,
            ui_lang: None,
            lang: None,
            title: None,
            board: None,
            reference_time: None,
            article: None,
            posts: Vec::new(),
            quotes: Vec::new(),
            entities: Vec::new(),
            chrome: Vec::new(),
            repairs: Repairs::default(),
        }
    }

    /// One user reads the same throughout the record: a name printed with a profile link
    /// on some posts and without one on others (a quote header, a compact reply) gets the
    /// link and user key on all of them. A name linked to two profiles is two users and is
    /// left as printed.
    pub fn unify_authors(&mut self) {
        /// A profile link and its user key; `None` for a name linked to two profiles.
        type Profile = Option<(Option<String>, Option<String>)>;
        let mut profiles: BTreeMap<String, Profile> = BTreeMap::new();
        for post in &self.posts {
            let (Some(name), Some(url)) = (&post.author, &post.author_url) else {
                continue;
            };
            let found = (Some(url.clone()), post.author_id.clone());
            profiles
                .entry(name.clone())
                .and_modify(|known| {
                    if known.as_ref().is_some_and(|k| k.0 != found.0) {
                        *known = None;
                    }
                })
                .or_insert(Some(found));
        }
        for post in &mut self.posts {
            if post.author_url.is_some() {
                continue;
            }
            if let Some(Some((url, id))) = post.author.as_ref().and_then(|n| profiles.get(n)) {
                post.author_url.clone_from(url);
                post.author_id.clone_from(id);
            }
        }
    }
}

/// One page of a stitched thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRef {
    /// The page number, from 1.
    pub n: u32,
    /// Where the page came from.
    pub source: Source,
}

/// One post.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// Position in the thread, from 0.
    pub index: usize,
    /// The forum's own post id, when the page shows one.
    pub id: Option<String>,
    /// Link to this post, when the page has one.
    pub permalink: Option<String>,
    /// Who wrote the post: the display name as printed. Set by [`Post::settle_author`].
    pub author: Option<String>,
    /// The display name as the segmenters find it, before [`Post::settle_author`] makes
    /// it the `author`; not written to records.
    #[serde(skip_serializing, default)]
    pub author_name: Option<String>,
    /// The author's profile page: absolute where the page's address is known, without
    /// session parameters.
    pub author_url: Option<String>,
    /// A stable key of the user where the profile link carries one (the numeric user id,
    /// else the profile's name slug): one user is one key however the name is printed.
    pub author_id: Option<String>,
    /// The author's rank or title ("Site Admin", "Senior Member").
    pub author_rank: Option<String>,
    /// The author's post count as shown next to the post.
    pub author_posts: Option<u64>,
    /// When the author joined, ISO 8601, or `None` when it cannot be resolved.
    pub author_joined: Option<String>,
    /// The join date exactly as printed.
    pub author_joined_raw: Option<String>,
    /// When the post was written, ISO 8601: with the page's offset where it gives one
    /// (`2020-04-23T13:40:04+02:00`), else the forum's local time (`2020-11-22T15:27`);
    /// `None` when it cannot be resolved.
    pub posted_at: Option<String>,
    /// The post date exactly as printed.
    pub posted_at_raw: Option<String>,
    /// The machine-readable time the page gives for the post (`<time datetime>`, a
    /// `data-time` epoch), as written; read before the printed date.
    pub posted_at_attr: Option<String>,
    /// When the post was written in UTC (`2020-04-23T13:40:04Z`), where the page gives
    /// the offset or an epoch; `None` where the zone is unknown and `posted_at` is the
    /// forum's local time.
    pub posted_at_utc: Option<String>,
    /// The post's own subject line.
    pub subject: Option<String>,
    /// The "last edited by …" note, as printed.
    pub edited: Option<String>,
    /// ISO 639-1 language of the post's own words.
    pub lang: Option<String>,
    /// True when `lang` was not detected from the post's own words (too short to tell)
    /// but inherited from the thread's language. Absent in older records, hence the default.
    #[serde(default)]
    pub lang_inherited: bool,
    /// The clean post text: the texts of every block but signatures, separated by a blank
    /// line.
    pub text: String,
    /// The post's blocks, in order.
    pub blocks: Vec<Block>,
    /// Every link in the post.
    pub links: Vec<Link>,
}

impl Post {
    /// An empty post at `index`.
    pub fn new(index: usize) -> Self {
        Self {
            index,
            ..Self::default()
        }
    }

    /// A post at `index` made of these paragraphs, its text built from them: the shape of
    /// plain text handed to a single stage.
    pub fn of_paragraphs<S: Into<String>>(
        index: usize,
        paragraphs: impl IntoIterator<Item = S>,
    ) -> Self {
        let mut post = Self::new(index);
        post.blocks = paragraphs
            .into_iter()
            .map(|text| Block::new(BlockKind::Paragraph, text))
            .collect();
        post.refresh_text();
        post
    }

    /// Rebuilds [`Post::text`] from the blocks. Signatures are left out: they repeat under
    /// every post of their author and are not the post's words.
    pub fn refresh_text(&mut self) {
        let mut text = String::new();
        for block in self
            .blocks
            .iter()
            .filter(|b| b.kind != BlockKind::Signature)
        {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&block.text);
        }
        self.text = text;
    }

    /// True when the page named who wrote the post: a display name or a profile link.
    pub fn has_author(&self) -> bool {
        self.author_name.is_some() || self.author_url.is_some()
    }

    /// Sets [`Post::author`] to the display name, makes the profile link absolute
    /// against `page_url` (when it is known) and free of session parameters, and reads
    /// the user key from it ([`crate::url::user_key`], to which `profile_segment` tells
    /// the path segments of a profile address in the forum's language).
    pub fn settle_author(
        &mut self,
        page_url: Option<&str>,
        profile_segment: impl Fn(&str) -> bool,
    ) {
        if let Some(href) = self
            .author_url
            .take()
            .filter(|h| crate::url::is_page_link(h))
        {
            let absolute = crate::url::resolve(page_url, &href).unwrap_or(href);
            let clean = crate::url::without_session(&absolute);
            self.author_id = crate::url::user_key(&clean, profile_segment);
            self.author_url = Some(clean);
        }
        self.author.clone_from(&self.author_name);
    }
}

/// A run of post content with one role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Its clean text.
    pub text: String,
    /// The text split into sentences.
    pub sentences: Vec<String>,
    /// For a quote: whom it quotes, when the page says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

impl Block {
    /// A block with no sentences yet (segmentation fills them in).
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Self {
        Self {
            kind,
            text: text.into(),
            sentences: Vec::new(),
            author: None,
        }
    }
}

/// The kinds of block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Ordinary text.
    Paragraph,
    /// A quote of another post or source.
    Quote,
    /// The author's signature.
    Signature,
    /// A photo caption.
    Caption,
    /// An article's author line.
    Byline,
    /// An article's date line.
    Dateline,
    /// An article's headline.
    Headline,
    /// An article's standfirst (the summary under the headline).
    Standfirst,
    /// Source code or preformatted text.
    Code,
}

/// A link found in a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The URL: for a link the page marks up, its `href` (made absolute where the page's
    /// address is known); for a URL written in plain text, as it appears (for a truncated
    /// one, its visible parts joined by ` ... `).
    pub url: String,
    /// The link's text as the page shows it, for links the page marks up (`<a href>`);
    /// `None` for URLs found in plain text.
    #[serde(default)]
    pub text: Option<String>,
    /// The host, when the URL has one.
    pub domain: Option<String>,
    /// True when the forum shortened the URL for display and the middle is lost.
    pub truncated: bool,
}

/// A copied news article inside a post.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Index of the post that holds it.
    pub post: usize,
    /// The headline.
    pub headline: Option<String>,
    /// The summary under the headline.
    pub standfirst: Option<String>,
    /// The authors' names.
    pub byline: Vec<String>,
    /// Publication date, ISO 8601.
    pub published: Option<String>,
    /// Publication date as printed.
    pub published_raw: Option<String>,
    /// Photo captions with their credits.
    pub captions: Vec<Caption>,
}

/// A photo caption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caption {
    /// The caption without its credit.
    pub text: String,
    /// Who took or supplied the picture ("AP" for "Pic: AP").
    pub credit: Option<String>,
}

/// A direct quotation and who said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quotation {
    /// The quoted words.
    pub text: String,
    /// The speaker, resolved to a full name when the text names one.
    pub speaker: Option<String>,
    /// Index of the post it appears in.
    pub post: usize,
}

/// A named entity mentioned in the thread's posts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// The fullest name the thread uses ("Vladimir Putin" for "Mr Putin" and "Putin").
    pub name: String,
    /// What it names.
    pub kind: EntityKind,
    /// How many times it is mentioned, short forms included.
    pub mentions: usize,
    /// Indexes of the posts that mention it, ascending.
    pub posts: Vec<usize>,
}

/// The kinds of named entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A country, city, region or named facility.
    Place,
    /// An organisation: a company, agency, ministry, party, news agency.
    Org,
}

/// A line of forum UI set aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChromeLine {
    /// What the line is.
    pub role: ChromeRole,
    /// The line as it was.
    pub text: String,
    /// The post it belongs to, for per-post chrome (headers, author panels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<usize>,
}

/// The roles of forum UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChromeRole {
    /// The page's thread title.
    Title,
    /// Breadcrumbs or a "return to board" line naming the board.
    Board,
    /// Site navigation, menus, jump boxes.
    Navigation,
    /// Pagination ("Page 1 of 3").
    Pagination,
    /// A post's header line ("Post by X » date").
    PostHeader,
    /// A post's own subject line ("Re: …").
    Subject,
    /// The author's name in the author panel.
    AuthorName,
    /// The author's rank or title.
    AuthorRank,
    /// The author's post count.
    AuthorPosts,
    /// The author's join date.
    AuthorJoined,
    /// The author's location or other profile fields.
    AuthorInfo,
    /// Buttons: reply, quote, report, like, top.
    Action,
    /// "Last edited by …".
    EditNote,
    /// Login and registration boxes.
    Login,
    /// Advertisements, cookie banners.
    Ad,
    /// Footers, copyright lines, "Powered by".
    Footer,
    /// Anything else the forum put around the content.
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Format;

    fn post(name: &str, url: Option<&str>) -> Post {
        let mut post = Post::new(0);
        post.author_name = Some(name.to_owned());
        post.author_url = url.map(str::to_owned);
        post.settle_author(Some("https://f.example/t/1"), |_| false);
        post
    }

    #[test]
    fn one_user_reads_the_same_throughout_a_record() {
        let mut thread = Thread::new(Source::unnamed(Format::Html));
        thread.posts = vec![
            post("slartus", None),
            post("slartus", Some("index.php?showuser=236113")),
            post("ann", Some("/u/ann")),
            post("ann", Some("/u/ann-2")),
            post("ann", None),
        ];
        thread.unify_authors();
        let got: Vec<_> = thread
            .posts
            .iter()
            .map(|p| (p.author.as_deref(), p.author_id.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (Some("slartus"), Some("236113")),
                (Some("slartus"), Some("236113")),
                (Some("ann"), Some("ann")),
                (Some("ann"), Some("ann-2")),
                (Some("ann"), None),
            ],
            "a name linked to two profiles is left as printed"
        );
        assert_eq!(
            thread.posts[0].author_url.as_deref(),
            Some("https://f.example/t/index.php?showuser=236113")
        );
    }
}
