//! The run report: what went in, what came out, how long each stage took.

use std::collections::BTreeMap;
use std::ops::AddAssign;

use serde::Serialize;

/// Time spent in each stage, summed over workers, in seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct StageTimes {
    /// Reading files and decompressing.
    pub read: f64,
    /// Bytes to text.
    pub decode: f64,
    /// Text repair and chrome classification.
    pub clean: f64,
    /// Posts and blocks.
    pub segment: f64,
    /// Dates, links, languages, articles.
    pub extract: f64,
    /// Serialising records.
    pub export: f64,
}

impl AddAssign for StageTimes {
    fn add_assign(&mut self, o: Self) {
        self.read += o.read;
        self.decode += o.decode;
        self.clean += o.clean;
        self.segment += o.segment;
        self.extract += o.extract;
        self.export += o.export;
    }
}

/// Versions of what produced the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Versions {
    /// threadmill's version.
    pub threadmill: String,
    /// The record schema.
    pub schema: String,
}

impl Default for Versions {
    fn default() -> Self {
        Self {
            threadmill: env!("CARGO_PKG_VERSION").to_owned(),
            schema: threadmill_model::SCHEMA.to_owned(),
        }
    }
}

/// `threads.report.json`: every input ends as exactly one record or one reject, and the
/// report shows it (`inputs == records + rejects`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// The pipeline's name.
    pub pipeline: Option<String>,
    /// Inputs found (and paths that could not be opened).
    pub inputs: u64,
    /// Records written.
    pub records: u64,
    /// Inputs rejected.
    pub rejects: u64,
    /// Rejects per stage name.
    pub rejects_by_stage: BTreeMap<String, u64>,
    /// Posts in all records.
    pub posts: u64,
    /// Input bytes read (before decompression).
    pub bytes_in: u64,
    /// Output bytes (uncompressed JSON).
    pub bytes_out: u64,
    /// Records per engine.
    pub engines: BTreeMap<String, u64>,
    /// Worker threads used.
    pub jobs: usize,
    /// Wall-clock seconds.
    pub wall_seconds: f64,
    /// Input megabytes (10^6 bytes) per wall-clock second.
    pub mb_per_second: f64,
    /// Records per wall-clock second.
    pub threads_per_second: f64,
    /// Seconds per stage, summed over workers.
    pub stage_seconds: StageTimes,
    /// Where the records went.
    pub output: String,
    /// Versions.
    pub versions: Versions,
}

impl Report {
    /// Fills in the rates from the totals and the wall time.
    pub fn finish(&mut self, wall_seconds: f64) {
        self.wall_seconds = wall_seconds;
        if wall_seconds > 0.0 {
            self.mb_per_second = self.bytes_in as f64 / 1e6 / wall_seconds;
            self.threads_per_second = self.records as f64 / wall_seconds;
        }
    }
}
