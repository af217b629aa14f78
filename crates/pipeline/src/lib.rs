//! threadmill's runner: pipeline files, inputs, the ordered parallel run, rejects, report.
//!
//! A pipeline file ([`PipelineConfig`], TOML, unknown keys refused) configures the stages;
//! [`discover`] turns input paths into a sorted list of [`Input`]s; [`Runner::run`] reads,
//! decodes, cleans, segments, extracts and serialises them on a rayon pool in bounded
//! batches and writes records in input order, so the output bytes are the same for any
//! number of threads. An input that fails a stage becomes a [`Reject`] naming the stage
//! and the whole cause chain; the run goes on. The [`Report`] counts everything.
//!
//! ```
//! use threadmill_pipeline::{discover, PipelineConfig, Runner, RunOptions};
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("a.txt"), "A title\n\nPost by ann » Mon Jan 06, 2020 10:00 am\nHello there, forum.\n")?;
//! std::fs::write(dir.path().join("b.txt"), "")?;
//! let config = PipelineConfig::from_toml("inline", "")?;
//! let runner = Runner::new(config)?;
//! let (inputs, early_rejects) = discover(&[dir.path().to_path_buf()], &runner.config().input);
//! let output = dir.path().join("out/threads.jsonl");
//! let report = runner.run(&inputs, early_rejects, &RunOptions::new(&output, 2), &|_| {})?;
//! assert_eq!((report.records, report.rejects), (1, 1));
//! assert!(output.exists());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod config;
mod error;
mod inputs;
mod report;
mod run;

pub use config::{ExportConfig, InputConfig, PipelineConfig};
pub use error::Error;
pub use inputs::{Input, discover};
pub use report::{Report, StageTimes, Versions};
pub use run::{Progress, RunOptions, Runner, record_id, rejects_path, report_path};
pub use threadmill_export::THREAD_SCHEMA;
pub use threadmill_model::Reject;
