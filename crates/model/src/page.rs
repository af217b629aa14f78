//! What goes into the pipeline: a source, its decoded page, and the cleaned document.

use serde::{Deserialize, Serialize};

use crate::thread::ChromeLine;

/// The two kinds of page threadmill reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A plain-text copy of a thread page, forum chrome mixed in.
    Text,
    /// A raw HTML page as the forum served it.
    Html,
}

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The input path as the user named it (a directory input joined with the walked path).
    pub path: String,
    /// The archive entry, WARC record or JSONL line inside `path`; `None` for a plain file.
    pub member: Option<String>,
    /// Hex SHA-256 of the raw input bytes, before any decompression of the file itself.
    pub sha256: String,
    /// Size of the raw input in bytes.
    pub bytes: u64,
    /// How the page was read.
    pub format: Format,
}

impl Source {
    /// A source with no path and no content hash: for records built by hand (tests,
    /// library users segmenting text they already hold).
    pub fn unnamed(format: Format) -> Self {
        Self {
            path: String::new(),
            member: None,
            sha256: String::new(),
            bytes: 0,
            format,
        }
    }

    /// The `{path, member}` part, enough to name an input in a reject.
    pub fn to_ref(&self) -> SourceRef {
        SourceRef {
            path: self.path.clone(),
            member: self.member.clone(),
        }
    }
}

/// Names an input without claiming anything about its content: what a reject points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// The input path as the user named it.
    pub path: String,
    /// The archive entry inside `path`, if any.
    pub member: Option<String>,
}

/// One decoded input page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Where it came from.
    pub source: Source,
    /// The page as Unicode text (HTML markup included for HTML pages).
    pub body: String,
    /// The page URL when the input carried one (WARC target, scraper field).
    pub url: Option<String>,
    /// The time relative dates on the page are resolved against, ISO 8601, when known.
    pub reference_time: Option<String>,
    /// What decoding did to get `body`: the source encoding and replacements.
    pub repairs: Repairs,
}

/// What the clean stage hands to segmentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// A text scrape as classified lines: chrome lines keep their role, because the
    /// chrome (post headers, author panels) is what delimits posts.
    Text(Vec<Line>),
    /// An HTML page, decoded; the DOM is built by the segmenter that walks it.
    Html(String),
}

/// One line of a cleaned text scrape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// The repaired text of the line (hard wraps already joined).
    pub text: String,
    /// The chrome role when the line is forum UI rather than content.
    pub chrome: Option<crate::ChromeRole>,
    /// Leading spaces in the copy: text browsers indent quotes and author panels.
    pub indent: u16,
}

impl Line {
    /// A content line.
    pub fn body(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            chrome: None,
            indent: 0,
        }
    }
}

/// The output of the clean stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// Where it came from.
    pub source: Source,
    /// Carried over from the [`Page`].
    pub url: Option<String>,
    /// Carried over from the [`Page`].
    pub reference_time: Option<String>,
    /// The repaired document.
    pub document: Document,
    /// Chrome already set aside by cleaning (lines that structure nothing, such as
    /// navigation and footers).
    pub chrome: Vec<ChromeLine>,
    /// Every repair made so far, counted.
    pub repairs: Repairs,
}

/// Counts of every change made to the text, so a user can see what was repaired.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repairs {
    /// The encoding the input was decoded from when it was not UTF-8.
    pub transcoded_from: Option<String>,
    /// Undecodable byte sequences replaced by U+FFFD while decoding.
    pub replacement_chars: u64,
    /// Runs of mojibake (UTF-8 read as Windows-1252/Latin-1) repaired.
    pub mojibake: u64,
    /// Characters changed by Unicode NFC normalisation.
    pub normalized: u64,
    /// Invisible characters removed (zero-width spaces, soft hyphens, BOMs, controls).
    pub invisible_removed: u64,
    /// Non-breaking and other exotic spaces turned into plain spaces.
    pub spaces_normalized: u64,
    /// Sentences glued together without a space (`him.During`) split apart.
    pub glued_sentences_split: u64,
    /// Hard line wraps joined back into their paragraph.
    pub hard_wraps_joined: u64,
    /// Repeated lines dropped.
    pub duplicate_lines_dropped: u64,
}

impl std::ops::AddAssign<&Repairs> for Repairs {
    fn add_assign(&mut self, other: &Repairs) {
        if self.transcoded_from.is_none() {
            self.transcoded_from.clone_from(&other.transcoded_from);
        }
        self.replacement_chars += other.replacement_chars;
        self.mojibake += other.mojibake;
        self.normalized += other.normalized;
        self.invisible_removed += other.invisible_removed;
        self.spaces_normalized += other.spaces_normalized;
        self.glued_sentences_split += other.glued_sentences_split;
        self.hard_wraps_joined += other.hard_wraps_joined;
        self.duplicate_lines_dropped += other.duplicate_lines_dropped;
    }
}

/// The pipeline stage an input failed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Opening or reading the input.
    Read,
    /// Turning bytes into text (compression, charset, binary detection).
    Decode,
    /// Repairing text and setting chrome aside.
    Clean,
    /// Building posts and blocks.
    Segment,
    /// Dates, links, languages, articles.
    Extract,
    /// Serialising the record.
    Export,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 6] = [
        Stage::Read,
        Stage::Decode,
        Stage::Clean,
        Stage::Segment,
        Stage::Extract,
        Stage::Export,
    ];

    /// The lower-case name used in rejects and reports.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Decode => "decode",
            Stage::Clean => "clean",
            Stage::Segment => "segment",
            Stage::Extract => "extract",
            Stage::Export => "export",
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An input that failed a stage: one line of the rejects file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    /// The input that failed.
    pub source: SourceRef,
    /// The stage it failed in.
    pub stage: Stage,
    /// The whole cause chain, outermost first, joined by `": "`.
    pub error: String,
}

/// `data/a.html: segment: no posts found` (with ` [member]` after the path when there is
/// one), so that a library caller can pass a reject on with `?`.
impl std::fmt::Display for Reject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.source.path)?;
        if let Some(member) = &self.source.member {
            write!(f, " [{member}]")?;
        }
        write!(f, ": {}: {}", self.stage, self.error)
    }
}

impl std::error::Error for Reject {}
