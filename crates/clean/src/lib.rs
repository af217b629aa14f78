//! Text repair for scraped forum pages.
//!
//! The clean stage takes a decoded [`Page`] and returns a [`Cleaned`] document:
//!
//! - bytes become text the way a browser would decode them ([`decode`]): BOM, `<meta
//!   charset>`, then detection, with broken UTF-8 refused for text scrapes;
//! - text is repaired ([`repair_text`]): mojibake (UTF-8 read as Windows-1252), invisible
//!   characters, exotic spaces, Unicode NFC;
//! - glued sentences (`him.During`) are split ([`split_glued_sentences`]);
//! - for text scrapes, every line is classified against the [`Lexicon`]: chrome keeps its
//!   role, hard wraps are joined, repeated lines dropped.
//!
//! Every change is counted in [`Repairs`], so a user can see what was done.
//!
//! [`Repairs`]: threadmill_model::Repairs
//!
//! ```
//! use threadmill_clean::{clean, decode, CleanConfig};
//! use threadmill_lexicon::Lexicon;
//! use threadmill_model::{ChromeRole, Document, Format, Page, Source};
//!
//! let bytes = "Berichten: 12\nIt was a great\nevil.During the day it rained.\n".as_bytes();
//! let decoded = decode(bytes, Format::Text)?;
//! let source = Source {
//!     path: "x.txt".into(), member: None, sha256: String::new(),
//!     bytes: bytes.len() as u64, format: Format::Text,
//! };
//! let page = Page { source, body: decoded.text, url: None, reference_time: None,
//!                   repairs: decoded.repairs };
//! let lexicon = Lexicon::builtin()?;
//! let cleaned = clean(&page, &lexicon, &CleanConfig::default())?;
//! let Document::Text(lines) = &cleaned.document else { unreachable!() };
//! assert_eq!(lines[0].chrome, Some(ChromeRole::AuthorPosts));
//! assert_eq!(lines[1].text, "It was a great evil. During the day it rained.");
//! assert_eq!(cleaned.repairs.hard_wraps_joined, 1);
//! assert_eq!(cleaned.repairs.glued_sentences_split, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod decode;
mod lines;
mod repair;

pub use decode::{DecodeError, Decoded, decode, decode_with_charset};
pub use lines::{chrome_role, clean_lines};
pub use repair::{repair_text, split_glued_sentences};

use serde::Deserialize;
use threadmill_lexicon::Lexicon;
use threadmill_model::{Cleaned, Document, Format, Page};

/// What the clean stage does; every repair can be turned off.
#[expect(
    clippy::struct_excessive_bools,
    reason = "one switch per independent repair, as in the pipeline file"
)]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CleanConfig {
    /// Repair UTF-8 read as Windows-1252 or Latin-1.
    pub mojibake: bool,
    /// Split sentences glued together without a space.
    pub split_glued: bool,
    /// Join hard-wrapped lines back into paragraphs.
    pub join_wraps: bool,
    /// Drop a line repeated right after itself.
    pub drop_duplicates: bool,
}

impl Default for CleanConfig {
    fn default() -> Self {
        Self {
            mojibake: true,
            split_glued: true,
            join_wraps: true,
            drop_duplicates: true,
        }
    }
}

/// Why cleaning failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The page had no text left after repair.
    #[error("no text left after cleaning")]
    Empty,
}

/// The clean stage: repairs a page and classifies its lines.
///
/// HTML pages keep their markup (the segmenter needs the tree); text repair is applied to
/// the text the segmenter takes out of it.
pub fn clean(page: &Page, lexicon: &Lexicon, config: &CleanConfig) -> Result<Cleaned, Error> {
    let mut repairs = page.repairs.clone();
    let document = match page.source.format {
        Format::Html => Document::Html(page.body.clone()),
        Format::Text => {
            let lines = clean_lines(&page.body, lexicon, config, &mut repairs);
            if lines.iter().all(|l| l.text.trim().is_empty()) {
                return Err(Error::Empty);
            }
            Document::Text(lines)
        }
    };
    Ok(Cleaned {
        source: page.source.clone(),
        url: page.url.clone(),
        reference_time: page.reference_time.clone(),
        document,
        chrome: Vec::new(),
        repairs,
    })
}
