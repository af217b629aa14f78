//! One call for library users: a page's bytes in, its thread out, through the whole chain
//! (decode, clean, segment, extract with dates), built once and shared across threads.

use sha2::{Digest, Sha256};
use threadmill_model::{Format, Page, Reject, Source, SourceRef, Stage, Thread};

use crate::config::PipelineConfig;
use crate::error::Error;
use crate::paths::hex;
use crate::run::Runner;

/// The stages of a pipeline, ready to extract threads from pages held in memory.
///
/// Build it once (compiling the lexicon takes milliseconds, not microseconds) and call it
/// from as many threads as you like: it is `Send + Sync` and every call is independent.
///
/// ```
/// use rayon::prelude::*;
/// use threadmill_pipeline::Extractor;
///
/// let extractor = Extractor::new()?;
///
/// // An HTML page: posts, authors, and dates parsed to ISO 8601 (relative ones against
/// // `reference_time`, or the pipeline's `extract.now`).
/// let html = br##"<html><head><title>Kettles - Test Forum</title></head><body>
/// <div id="p1" class="post"><div class="postbody">
///   <h3><a href="#p1">Kettles</a></h3>
///   <p class="author">by <a href="./memberlist.php?u=2" class="username">ann</a> &raquo; Mon Jan 06, 2020 10:00 am</p>
///   <div class="content">Which kettle do you use for tea? Mine is too slow.</div>
/// </div></div>
/// <div id="p2" class="post"><div class="postbody">
///   <h3><a href="#p2">Re: Kettles</a></h3>
///   <p class="author">by <a href="./memberlist.php?u=3" class="username">bob</a> &raquo; Tue Jan 07, 2020 9:30 pm</p>
///   <div class="content">A stove-top one: slow, but it whistles when it is done.</div>
/// </div></div>
/// </body></html>"##;
/// let thread = extractor.extract_html(html, Some("https://forum.example/viewtopic.php?t=7"))?;
/// assert_eq!(thread.posts.len(), 2);
/// assert_eq!(thread.posts[1].author.as_deref(), Some("bob"));
/// assert_eq!(thread.posts[1].posted_at.as_deref(), Some("2020-01-07T21:30"));
///
/// // Many pages on a rayon pool, one extractor for all.
/// let pages = ["Kettles\n\nPost by ann » Mon Jan 06, 2020 10:00 am\nWhich kettle do you use?\n"; 8];
/// let threads: Vec<_> = pages
///     .par_iter()
///     .map(|text| extractor.extract_text(text, None))
///     .collect::<Result<_, _>>()?;
/// assert!(threads.iter().all(|t| t.posts.len() == 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Extractor {
    runner: Runner,
}

impl Extractor {
    /// The built-in defaults: every stage on, built-in lexicons only.
    pub fn new() -> Result<Self, Error> {
        Self::from_pipeline(PipelineConfig::from_toml("built-in defaults", "")?)
    }

    /// The stages as a pipeline file configures them (its `[input]` limits and output
    /// settings do not apply: the caller holds the page).
    pub fn from_pipeline(config: PipelineConfig) -> Result<Self, Error> {
        Ok(Self {
            runner: Runner::new(config)?,
        })
    }

    /// Extracts the thread of an HTML page (any charset; the `<meta>` charset is honoured).
    /// `url`, when known, names the page in the record and makes its id.
    pub fn extract_html(&self, bytes: &[u8], url: Option<&str>) -> Result<Thread, Reject> {
        self.extract(bytes, Format::Html, url, None)
    }

    /// Extracts the thread of a text copy of a page (forum chrome and all).
    pub fn extract_text(&self, text: &str, url: Option<&str>) -> Result<Thread, Reject> {
        self.extract(text.as_bytes(), Format::Text, url, None)
    }

    /// The whole chain with everything a reader knows about the page: its format, its URL,
    /// and the time it was fetched (ISO 8601), against which "yesterday" and "2 hours ago"
    /// are resolved.
    pub fn extract(
        &self,
        bytes: &[u8],
        format: Format,
        url: Option<&str>,
        reference_time: Option<&str>,
    ) -> Result<Thread, Reject> {
        let config = self.runner.config();
        let lexicon = self.runner.lexicon();
        let name = url.unwrap_or_default().to_owned();
        let fail = |stage: Stage, error: &dyn std::error::Error| Reject {
            source: SourceRef {
                path: name.clone(),
                member: None,
            },
            stage,
            error: crate::error::chain(error),
        };
        let decoded =
            threadmill_clean::decode(bytes, format).map_err(|e| fail(Stage::Decode, &e))?;
        let page = Page {
            source: Source {
                path: name.clone(),
                member: None,
                sha256: hex(&Sha256::digest(bytes)),
                bytes: bytes.len() as u64,
                format,
            },
            body: decoded.text,
            url: url.map(str::to_owned),
            reference_time: reference_time.map(str::to_owned),
            repairs: decoded.repairs,
        };
        let cleaned = threadmill_clean::clean(&page, lexicon, &config.clean)
            .map_err(|e| fail(Stage::Clean, &e))?;
        let mut thread = threadmill_segment::segment(cleaned, lexicon, &config.segment)
            .map_err(|e| fail(Stage::Segment, &e))?;
        thread.id = crate::paths::page_id(thread.url.as_deref(), &name, None);
        threadmill_extract::extract(&mut thread, lexicon, &config.extract)
            .map_err(|e| fail(Stage::Extract, &e))?;
        Ok(thread)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_page_is_a_reject_naming_its_stage() {
        let extractor = Extractor::new().expect("defaults compile");
        let reject = extractor
            .extract_text("", Some("https://f.example/t/1"))
            .expect_err("nothing to extract");
        assert_eq!(reject.stage, Stage::Decode);
        assert_eq!(reject.source.path, "https://f.example/t/1");
        assert!(!reject.error.is_empty());
    }

    #[test]
    fn dates_are_parsed_and_the_reference_time_kept() {
        let extractor = Extractor::new().expect("defaults compile");
        let text = "Kettles\n\nPost by ann » Mon Jan 06, 2020 10:00 am\nWhich kettle do you use?\n";
        let thread = extractor
            .extract(
                text.as_bytes(),
                Format::Text,
                None,
                Some("2024-05-02T12:00:00"),
            )
            .expect("a thread");
        assert_eq!(thread.posts.len(), 1);
        assert_eq!(
            thread.posts[0].posted_at.as_deref(),
            Some("2020-01-06T10:00")
        );
        assert_eq!(
            thread.reference_time.as_deref(),
            Some("2024-05-02T12:00:00")
        );
    }

    #[test]
    fn an_invalid_now_fails_at_construction() {
        let config =
            PipelineConfig::from_toml("t", "[extract]\nnow = \"tomorrow\"").expect("parses");
        assert!(Extractor::from_pipeline(config).is_err());
    }
}
