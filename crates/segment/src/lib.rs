//! Forum thread segmentation: thread → posts → blocks → sentences.
//!
//! [`segment`] turns a [`Cleaned`] page into a [`Thread`]. Text scrapes are segmented from
//! their chrome: the lexicon's post headers, author panels and subject lines delimit posts,
//! whatever the engine and UI language. HTML pages are segmented from their DOM. Either way
//! each post's content becomes [`Block`]s (paragraphs, quotes of other posts with who was
//! quoted, signatures, an article's headline, standfirst, byline and captions), each split
//! into sentences with rules for its language.
//!
//! [`Block`]: threadmill_model::Block
//!
//! ```
//! use threadmill_clean::{clean, CleanConfig};
//! use threadmill_lexicon::Lexicon;
//! use threadmill_model::{BlockKind, Format, Page, Repairs, Source};
//! use threadmill_segment::{segment, SegmentConfig};
//!
//! let text = "My first thread\n\nPost by ann » Mon Jan 06, 2020 10:00 am\n\
//!             Hello all. Mr Smith said hi.\n\nPosts: 12\n\n\
//!             Re: My first thread\n\nPost by bob » Mon Jan 06, 2020 11:00 am\n\
//!             ann wrote: Hello all.\n\nHi ann.\n\nPosts: 3\n";
//! let source = Source {
//!     path: "t.txt".into(), member: None, sha256: String::new(),
//!     bytes: text.len() as u64, format: Format::Text,
//! };
//! let page = Page { source, body: text.into(), url: None, reference_time: None,
//!                   repairs: Repairs::default() };
//! let lexicon = Lexicon::builtin()?;
//! let cleaned = clean(&page, &lexicon, &CleanConfig::default())?;
//! let thread = segment(cleaned, &lexicon, &SegmentConfig::default())?;
//!
//! assert_eq!(thread.title.as_deref(), Some("My first thread"));
//! assert_eq!(thread.posts.len(), 2);
//! assert_eq!(thread.posts[0].author_name.as_deref(), Some("ann"));
//! assert_eq!(thread.posts[0].blocks[0].sentences, ["Hello all.", "Mr Smith said hi."]);
//! let quote = &thread.posts[1].blocks[0];
//! assert_eq!((quote.kind, quote.author.as_deref()), (BlockKind::Quote, Some("ann")));
//! assert_eq!(thread.posts[1].author_posts, Some(3));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod blocks;
mod dates;
mod html;
mod lang;
mod sentences;
mod text;

pub use dates::looks_like_date;
pub use lang::{detect_lang, detect_thread_langs};
pub use sentences::split_sentences;

use serde::Deserialize;
use threadmill_lexicon::Lexicon;
use threadmill_model::{Cleaned, Document, Thread};

/// What the segment stage does.
#[expect(
    clippy::struct_excessive_bools,
    reason = "one switch per independent step, as in the pipeline file"
)]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SegmentConfig {
    /// Split blocks into sentences.
    pub sentences: bool,
    /// Detect each post's language (the sentence splitter and the thread's language use
    /// it). Off, `lang` stays empty and sentences are split the language-neutral way.
    pub lang: bool,
    /// Recognise reposted news articles (headline, standfirst, byline, captions).
    pub articles: bool,
    /// Drop a paragraph repeated inside the same post.
    pub drop_duplicate_blocks: bool,
    /// Use the engine profiles (each engine's own class names, `profiles/*.toml`) on HTML
    /// pages. Off, posts are found by engine-neutral cues alone (repeated structure,
    /// schema.org data, dates, profile links): how a forum no profile knows is read, and
    /// how the quality script measures it.
    pub profiles: bool,
}

impl Default for SegmentConfig {
    fn default() -> Self {
        Self {
            sentences: true,
            lang: true,
            articles: true,
            drop_duplicate_blocks: true,
            profiles: true,
        }
    }
}

/// Why segmentation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Nothing that could be a post was found.
    #[error("no post content found")]
    NoContent,
}

/// The segment stage: builds the thread's posts and blocks.
pub fn segment(
    cleaned: Cleaned,
    lexicon: &Lexicon,
    config: &SegmentConfig,
) -> Result<Thread, Error> {
    let mut thread = Thread::new(cleaned.source);
    thread.url = cleaned.url;
    thread.reference_time = cleaned.reference_time;
    thread.repairs = cleaned.repairs;
    thread.chrome = cleaned.chrome;
    match cleaned.document {
        Document::Text(lines) => text::segment_text(&lines, lexicon, &mut thread),
        Document::Html(html) => html::segment_html(&html, lexicon, config.profiles, &mut thread),
    }
    blocks::finish(&mut thread, lexicon, config);
    if thread.posts.iter().all(|p| p.blocks.is_empty()) {
        return Err(Error::NoContent);
    }
    Ok(thread)
}
