//! threadmill's runner: pipeline files, inputs, the ordered parallel run, rejects, report.
//!
//! A pipeline file ([`PipelineConfig`], TOML, unknown keys refused) configures the stages;
//! [`discover`] turns input paths into a sorted list of [`Input`]s (pages, compressed
//! files, tar and zip archives, WARC files, scrapers' JSONL); [`read_input`] streams each
//! one's pages; [`Runner::run`] decodes, cleans, segments, extracts and serialises them on a
//! rayon pool with a bounded number of pages in flight, and writes records in input order,
//! so the output bytes are the same for any number of threads. An input that fails a stage
//! becomes a [`Reject`] naming the stage and the whole cause chain; the run goes on. The
//! [`Report`] counts everything. A checkpoint beside the output lets an interrupted run be
//! resumed, and a state folder makes nightly runs incremental.
//!
//! To extract threads from pages you already hold in memory, without files, use an
//! [`Extractor`]: one call per page, usable from a rayon loop.
//!
//! ```
//! use threadmill_pipeline::{discover, PipelineConfig, Runner, RunOptions};
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("a.txt"), "A title\n\nPost by ann » Mon Jan 06, 2020 10:00 am\nHello there, forum.\n")?;
//! std::fs::write(dir.path().join("b.txt"), "")?;
//! let config = PipelineConfig::from_toml("inline", "")?;
//! let runner = Runner::new(config)?;
//! let (inputs, early_rejects) = discover(&[dir.path().to_path_buf()], &runner.config().input)?;
//! let output = dir.path().join("out/threads.jsonl");
//! let report = runner.run(&inputs, early_rejects, &RunOptions::new(&output, 2), &|_| {})?;
//! assert_eq!((report.records, report.rejects), (1, 1));
//! assert!(output.exists());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod checkpoint;
mod config;
mod error;
mod extractor;
mod group;
mod inputs;
mod paths;
mod read;
mod report;
mod report_html;
mod run;
mod safe_files;
pub mod shard;
mod stages;
mod state;
mod warc;
mod window;
mod workers;

pub use config::{
    Duplicates, ExportConfig, InputConfig, JsonlFields, PipelineConfig, StitchConfig,
};
pub use error::Error;
pub use extractor::Extractor;
pub use group::{Cmp, PageIndex, Placement, Placements};
pub use inputs::{Codec, Input, Kind, check_output, discover};
pub use paths::{IdRoot, IdRoots, page_id, record_id, rejects_path, report_path};
pub use read::{Event, Item, SkipReason, read_bytes, read_input};
pub use report::{FieldCounts, RecordSummary, RejectReason, Report, StageTimes, Versions};
pub use run::{RunOptions, Runner};
pub use threadmill_export::THREAD_SCHEMA;
pub use threadmill_model::{Format, Reject, Thread};
pub use window::{Progress, Selection};
