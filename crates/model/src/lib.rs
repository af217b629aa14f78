//! The types that flow between threadmill's stages.
//!
//! One input becomes one [`Page`]; the clean stage turns it into [`Cleaned`] (repaired
//! text, the forum chrome set aside with its role, never lost); the segment stage builds a
//! [`Thread`] of [`Post`]s made of [`Block`]s; the extract stage fills in dates, links,
//! languages and the reposted [`Article`]; the export stage writes one thread per JSON line.
//! An input that fails a stage becomes a [`Reject`].
//!
//! Everything that reaches output uses `Vec` or `BTreeMap`, never `HashMap`, so the bytes
//! written are the same for any thread count.
//!
//! ```
//! use threadmill_model::{Block, BlockKind, Post, Thread, Source, Format};
//!
//! let source = Source {
//!     path: "data/example.txt".into(),
//!     member: None,
//!     sha256: "0".repeat(64),
//!     bytes: 5,
//!     format: Format::Text,
//! };
//! let mut thread = Thread::new(source);
//! let mut post = Post::new(0);
//! post.author_name = Some("noumoe".into());
//! post.settle_author(None, |_| false);
//! post.blocks.push(Block::new(BlockKind::Paragraph, "Hello, forum."));
//! post.refresh_text();
//! thread.posts.push(post);
//! assert_eq!(thread.posts[0].text, "Hello, forum.");
//! assert_eq!(thread.posts[0].author.as_deref(), Some("noumoe"));
//! assert_eq!(thread.schema, threadmill_model::SCHEMA);
//! ```

mod page;
mod thread;
pub mod url;

pub use page::{Cleaned, Document, Format, Line, Page, Reject, Repairs, Source, SourceRef, Stage};
pub use thread::{
    Article, Block, BlockKind, Caption, ChromeLine, ChromeRole, Entity, EntityKind, Link, PageRef,
    Post, Quotation, SCHEMA, Thread,
};
