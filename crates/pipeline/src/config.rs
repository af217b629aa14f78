//! Pipeline files.

use std::path::PathBuf;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use threadmill_clean::CleanConfig;
use threadmill_extract::ExtractConfig;
use threadmill_segment::SegmentConfig;

use crate::error::Error;

/// A pipeline file: what the run reads and how each stage behaves. Every section and key
/// is optional; unknown keys are errors, so a typo never passes silently.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    /// A name for the report.
    #[serde(default)]
    pub name: Option<String>,
    /// Extra lexicon files or folders, added to the built-in ones.
    #[serde(default)]
    pub lexicons: Vec<PathBuf>,
    /// The nightly state folder (`--state`): process only new and changed inputs.
    #[serde(default)]
    pub state: Option<PathBuf>,
    /// Which inputs are read.
    #[serde(default)]
    pub input: InputConfig,
    /// The clean stage.
    #[serde(default)]
    pub clean: CleanConfig,
    /// The segment stage.
    #[serde(default)]
    pub segment: SegmentConfig,
    /// The extract stage.
    #[serde(default)]
    pub extract: ExtractConfig,
    /// The export stage.
    #[serde(default)]
    pub export: ExportConfig,
    /// Grouping the pages of one thread into one record.
    #[serde(default)]
    pub stitch: StitchConfig,
}

impl PipelineConfig {
    /// Parses a pipeline file's text; `name` is used in errors.
    pub fn from_toml(name: &str, text: &str) -> Result<Self, Error> {
        let config: Self = toml::from_str(text).map_err(|source| Error::Pipeline {
            name: name.to_owned(),
            source: Box::new(source),
        })?;
        config
            .input
            .validate()
            .map_err(|reason| Error::PipelineValue {
                name: name.to_owned(),
                reason,
            })?;
        Ok(config)
    }
}

impl InputConfig {
    /// Refuses limits that would not limit: a ratio of 1 or less (every compressed file
    /// would be a bomb), NaN or infinite numbers, a negative time.
    pub fn validate(&self) -> Result<(), String> {
        if !self.max_ratio.is_finite() || self.max_ratio <= 1.0 {
            return Err(format!(
                "input.max_ratio must be a finite number over 1, not {}",
                self.max_ratio
            ));
        }
        if !self.page_seconds.is_finite() || self.page_seconds < 0.0 {
            return Err(format!(
                "input.page_seconds must be a finite number of seconds, 0 or more (0: no limit), not {}",
                self.page_seconds
            ));
        }
        Ok(())
    }
}

/// Which files are inputs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InputConfig {
    /// File name endings read as text scrapes (also with `.gz`).
    pub text_extensions: Vec<String>,
    /// File name endings read as HTML (also with `.gz`).
    pub html_extensions: Vec<String>,
    /// Follow symbolic links while walking folders.
    pub follow_links: bool,
    /// Glob patterns a walked file's path (below its input folder) must match, if any.
    pub include: Vec<String>,
    /// Glob patterns that leave a walked file out.
    pub exclude: Vec<String>,
    /// Largest page read, in bytes (after decompression): larger ones are rejected.
    pub max_bytes: u64,
    /// Largest ratio of decompressed to stored size: a decompression bomb stops here.
    pub max_ratio: f64,
    /// Longest line of a JSONL input, in bytes.
    pub max_line: usize,
    /// Seconds one page may take through all stages before it is rejected (0: no limit).
    pub page_seconds: f64,
    /// The run's memory budget for pages in flight, in bytes (0: none). A page is counted
    /// at 16 times its size; one that alone would exceed the budget is rejected, and the
    /// others wait for room.
    pub max_memory: u64,
    /// What to do with an input whose bytes repeat an earlier one in the same run:
    /// `"keep"` makes a record for each (counted as duplicates), `"skip"` counts it only.
    pub duplicates: Duplicates,
    /// Field names of JSONL scraper output.
    pub jsonl: JsonlFields,
}

impl Default for InputConfig {
    fn default() -> Self {
        Self {
            text_extensions: vec!["txt".into()],
            html_extensions: vec!["html".into(), "htm".into()],
            follow_links: false,
            include: Vec::new(),
            exclude: Vec::new(),
            max_bytes: 64 << 20,
            max_ratio: 200.0,
            max_line: 64 << 20,
            page_seconds: 30.0,
            max_memory: 1 << 30,
            duplicates: Duplicates::Keep,
            jsonl: JsonlFields::default(),
        }
    }
}

/// What happens to exact duplicate inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Duplicates {
    /// A record for each copy; the report counts the copies.
    #[default]
    Keep,
    /// One record for the first copy; later copies are skipped and counted.
    Skip,
}

/// Field names in scrapers' JSONL.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JsonlFields {
    /// The page URL.
    pub url: String,
    /// Raw HTML.
    pub html: String,
    /// A text copy.
    pub text: String,
    /// The crawl time, for relative dates (none by default).
    pub time: Option<String>,
}

impl Default for JsonlFields {
    fn default() -> Self {
        Self {
            url: "url".into(),
            html: "html".into(),
            text: "text".into(),
            time: None,
        }
    }
}

/// Threads across pages: one record per thread instead of one per page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StitchConfig {
    /// Group the pages of one thread (found anywhere in the input) into one record; off,
    /// every page is its own record.
    pub enabled: bool,
    /// Key pages that have no thread URL but print their page number ("Page 2 of 5") by
    /// engine, board and title. Weaker than a URL: off, such pages stay one record each.
    pub by_title: bool,
    /// Extra thread URL pattern files, in the shape of the built-in
    /// `crates/stitch/data/patterns.toml`.
    pub patterns: Vec<PathBuf>,
    /// Page index entries held in memory before they are sorted to disk (an external
    /// sort, so a night of millions of pages stays within this bound; at least 10000).
    /// Each spilled run of entries keeps a file open while merging: pages divided by this
    /// must stay below the open-file limit (`ulimit -n`).
    pub sort_buffer: usize,
}

impl Default for StitchConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            by_title: true,
            patterns: Vec::new(),
            sort_buffer: 200_000,
        }
    }
}

/// The export stage.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExportConfig {
    /// Where records go when `--output` is not given.
    pub output: PathBuf,
}

impl Default for ExportConfig {
    fn default() -> Self {
        Self {
            output: PathBuf::from("out/threads.jsonl"),
        }
    }
}

/// SHA-256 of the settings that decide a page's record: the pipeline without the
/// per-night values (`--now`, the state folder, the output path), so that a new pipeline
/// makes the nightly state process every input again and a new night does not.
pub(crate) fn pipeline_hash(config: &PipelineConfig) -> String {
    let mut settings = config.clone();
    settings.extract.now = None;
    settings.state = None;
    settings.export = ExportConfig::default();
    crate::paths::hex(&Sha256::digest(format!("{settings:?}").as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_is_the_default() {
        assert_eq!(
            PipelineConfig::from_toml("x", "").expect("valid"),
            PipelineConfig::default()
        );
    }

    #[test]
    fn limits_that_would_not_limit_are_refused() {
        for text in [
            "[input]\nmax_ratio = -1.0",
            "[input]\nmax_ratio = 1.0",
            "[input]\nmax_ratio = nan",
            "[input]\nmax_ratio = inf",
            "[input]\npage_seconds = nan",
            "[input]\npage_seconds = -5.0",
        ] {
            let err = PipelineConfig::from_toml("p.toml", text).expect_err(text);
            assert!(matches!(err, Error::PipelineValue { .. }), "{text}: {err}");
        }
        PipelineConfig::from_toml("p.toml", "[input]\nmax_ratio = 50.0\npage_seconds = 0.0")
            .expect("valid");
    }

    #[test]
    fn unknown_keys_are_refused_with_the_file_name() {
        let err =
            PipelineConfig::from_toml("mine.toml", "[clean]\nmojibakes = true").expect_err("typo");
        let chain = format!(
            "{err}: {}",
            std::error::Error::source(&err)
                .map(ToString::to_string)
                .unwrap_or_default()
        );
        assert!(
            chain.contains("mine.toml") && chain.contains("mojibakes"),
            "{chain}"
        );
    }
}
