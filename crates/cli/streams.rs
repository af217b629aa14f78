//! `--output -` and `--input -`: records piped on to the next program, scraper JSONL piped in.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use threadmill_pipeline::{Codec, Input, Kind, report_path};

use crate::preflight::STDIN;

/// Where a run writes: a file, or a scratch folder whose records go to stdout at the end.
pub(crate) struct Destination {
    /// What the runner writes to.
    pub(crate) output: PathBuf,
    /// Holds the scratch files of a stdout run until they have been copied out.
    scratch: Option<tempfile::TempDir>,
}

impl Destination {
    /// `-` runs into a fresh scratch folder: the records come out on stdout only once the
    /// run is complete (grouped and in input order, as in a file), and a stdout run is not
    /// resumed after a crash, since nothing of it is kept.
    pub(crate) fn new(output: PathBuf) -> anyhow::Result<Self> {
        if output.as_os_str() != STDIN {
            return Ok(Self {
                output,
                scratch: None,
            });
        }
        let scratch = tempfile::Builder::new()
            .prefix("threadmill-stdout-")
            .tempdir()
            .context("cannot create a scratch folder for --output -")?;
        Ok(Self {
            output: scratch.path().join("threads.jsonl"),
            scratch: Some(scratch),
        })
    }

    /// Whether the records go to stdout.
    pub(crate) fn is_stdout(&self) -> bool {
        self.scratch.is_some()
    }

    /// After the run: a stdout run copies its records to stdout; the report goes to
    /// `report` when given, else (for a stdout run) to stderr.
    pub(crate) fn deliver(self, report: Option<&Path>, completed: bool) -> anyhow::Result<()> {
        let written_report = report_path(&self.output);
        if let Some(target) = report {
            std::fs::copy(&written_report, target)
                .with_context(|| format!("cannot write the report {}", target.display()))?;
        }
        if self.scratch.is_none() {
            return Ok(());
        }
        if report.is_none() {
            let json = std::fs::read(&written_report).context("cannot read the run's report")?;
            let mut stderr = std::io::stderr().lock();
            stderr.write_all(&json).context("cannot write the report")?;
            stderr.write_all(b"\n").context("cannot write the report")?;
        }
        if completed {
            let mut records = std::fs::File::open(&self.output)
                .context("cannot read the run's records for --output -")?;
            let mut stdout = std::io::stdout().lock();
            std::io::copy(&mut records, &mut stdout).context("cannot write records to stdout")?;
            stdout.flush().context("cannot write records to stdout")?;
        }
        Ok(())
    }
}

/// The `--input -` input: scraper JSONL read from standard input, named `-` in records.
pub(crate) fn stdin_input() -> Input {
    Input {
        path: PathBuf::from(STDIN),
        kind: Kind::Jsonl,
        codec: Codec::None,
    }
}
