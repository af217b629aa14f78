//! Pipeline files.

use std::path::PathBuf;

use serde::Deserialize;
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
}

impl PipelineConfig {
    /// Parses a pipeline file's text; `name` is used in errors.
    pub fn from_toml(name: &str, text: &str) -> Result<Self, Error> {
        toml::from_str(text).map_err(|source| Error::Pipeline {
            name: name.to_owned(),
            source: Box::new(source),
        })
    }
}

/// Which files are inputs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InputConfig {
    /// File name endings read as text scrapes (also with `.gz`).
    pub text_extensions: Vec<String>,
    /// File name endings read as HTML (also with `.gz`).
    pub html_extensions: Vec<String>,
    /// Follow symbolic links while walking folders.
    pub follow_links: bool,
    /// Largest input read, in bytes (after decompression): larger ones are rejected.
    pub max_bytes: u64,
}

impl Default for InputConfig {
    fn default() -> Self {
        Self {
            text_extensions: vec!["txt".into()],
            html_extensions: vec!["html".into(), "htm".into()],
            follow_links: false,
            max_bytes: 64 << 20,
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
