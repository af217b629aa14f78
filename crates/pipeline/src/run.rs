//! The run: bounded, ordered, parallel.

use std::cell::Cell;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use threadmill_export::{JsonlWriter, to_line};
use threadmill_lexicon::Lexicon;
use threadmill_model::{Page, Reject, Source, Stage};

use crate::config::PipelineConfig;
use crate::error::Error;
use crate::inputs::Input;
use crate::report::{Report, StageTimes};

/// How many inputs per worker are in flight at once: enough to keep workers busy while
/// the writer catches up, few enough that memory stays flat.
const BATCH_PER_JOB: usize = 16;

/// Where and how a run writes.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The records file (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`).
    pub output: PathBuf,
    /// Worker threads.
    pub jobs: usize,
}

impl RunOptions {
    /// Options writing to `output` with `jobs` workers (at least one).
    pub fn new(output: &Path, jobs: usize) -> Self {
        Self {
            output: output.to_owned(),
            jobs: jobs.max(1),
        }
    }
}

/// One finished input, as the progress callback sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Inputs finished so far.
    pub done: u64,
    /// Input bytes read so far.
    pub bytes: u64,
}

/// A compiled pipeline: configuration plus the lexicon every worker shares.
#[derive(Debug)]
pub struct Runner {
    config: PipelineConfig,
    lexicon: Lexicon,
}

enum Outcome {
    Record {
        line: Vec<u8>,
        posts: u64,
        engine: String,
    },
    Reject(Reject),
}

struct Processed {
    outcome: Outcome,
    times: StageTimes,
    bytes_in: u64,
}

impl Runner {
    /// Compiles the lexicon (built-in files plus those the pipeline names).
    pub fn new(config: PipelineConfig) -> Result<Self, Error> {
        let mut builder = Lexicon::builder().builtin()?;
        for path in &config.lexicons {
            builder = builder.add_path(path)?;
        }
        Ok(Self {
            lexicon: builder.build()?,
            config,
        })
    }

    /// The pipeline configuration.
    pub fn config(&self) -> &PipelineConfig {
        &self.config
    }

    /// The compiled lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Processes `inputs` and writes records, rejects and the report.
    ///
    /// `early_rejects` (inputs that could not even be opened) are written first. Records
    /// come out in input order whatever `jobs` is.
    pub fn run(
        &self,
        inputs: &[Input],
        early_rejects: Vec<Reject>,
        options: &RunOptions,
        on_progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Report, Error> {
        let started = Instant::now();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(options.jobs)
            .thread_name(|i| format!("threadmill-{i}"))
            .build()
            .map_err(|source| Error::Pool {
                jobs: options.jobs,
                source,
            })?;
        let mut records = JsonlWriter::create(&options.output)?;
        let mut rejects = JsonlWriter::create(&rejects_path(&options.output))?;
        let mut report = Report {
            pipeline: self.config.name.clone(),
            inputs: (inputs.len() + early_rejects.len()) as u64,
            jobs: options.jobs,
            output: options.output.to_string_lossy().into_owned(),
            ..Report::default()
        };
        for reject in &early_rejects {
            rejects.write(reject)?;
            report.rejects += 1;
            *report
                .rejects_by_stage
                .entry(reject.stage.name().to_owned())
                .or_default() += 1;
        }
        let mut progress = Progress { done: 0, bytes: 0 };
        for batch in inputs.chunks(options.jobs * BATCH_PER_JOB) {
            let processed: Vec<Processed> =
                pool.install(|| batch.par_iter().map(|input| self.process(input)).collect());
            for item in processed {
                report.bytes_in += item.bytes_in;
                report.stage_seconds += item.times;
                match item.outcome {
                    Outcome::Record {
                        line,
                        posts,
                        engine,
                    } => {
                        records.write_line(&line)?;
                        report.records += 1;
                        report.posts += posts;
                        report.bytes_out += line.len() as u64;
                        *report.engines.entry(engine).or_default() += 1;
                    }
                    Outcome::Reject(reject) => {
                        tracing::warn!(source = %reject.source.path, stage = %reject.stage, error = %reject.error, "input rejected");
                        rejects.write(&reject)?;
                        report.rejects += 1;
                        *report
                            .rejects_by_stage
                            .entry(reject.stage.name().to_owned())
                            .or_default() += 1;
                    }
                }
                progress.done += 1;
                progress.bytes += item.bytes_in;
                on_progress(progress);
            }
        }
        records.finish()?;
        rejects.finish()?;
        report.finish(started.elapsed().as_secs_f64());
        let report_file = report_path(&options.output);
        let json = serde_json::to_vec_pretty(&report).map_err(|e| Error::Output(e.into()))?;
        std::fs::write(&report_file, json).map_err(|source| Error::Report {
            path: report_file,
            source,
        })?;
        Ok(report)
    }

    /// Runs every stage on one input. A panic inside a stage (a bug, never expected) is
    /// caught and becomes a reject of that stage, so one page cannot end the night.
    fn process(&self, input: &Input) -> Processed {
        let stage = Cell::new(Stage::Read);
        let mut times = StageTimes::default();
        let mut bytes_in = 0;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.stages(input, &stage, &mut times, &mut bytes_in)
        }));
        let outcome = match result {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(error)) => Outcome::Reject(Reject {
                source: threadmill_model::SourceRef {
                    path: input.display(),
                    member: None,
                },
                stage: stage.get(),
                error,
            }),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_owned());
                Outcome::Reject(Reject {
                    source: threadmill_model::SourceRef {
                        path: input.display(),
                        member: None,
                    },
                    stage: stage.get(),
                    error: format!("internal error (a bug, please report it): {message}"),
                })
            }
        };
        Processed {
            outcome,
            times,
            bytes_in,
        }
    }

    fn stages(
        &self,
        input: &Input,
        stage: &Cell<Stage>,
        times: &mut StageTimes,
        bytes_in: &mut u64,
    ) -> Result<Outcome, String> {
        let config = &self.config;
        let mut clock = Instant::now();
        let mut lap = |slot: &mut f64| {
            let now = Instant::now();
            *slot += (now - clock).as_secs_f64();
            clock = now;
        };

        stage.set(Stage::Read);
        let raw = std::fs::read(&input.path).map_err(|e| format!("cannot read input: {e}"))?;
        *bytes_in = raw.len() as u64;
        let sha256 = hex(&Sha256::digest(&raw));
        let bytes = if input.gzip {
            gunzip(&raw, config.input.max_bytes)?
        } else {
            raw
        };
        if bytes.len() as u64 > config.input.max_bytes {
            return Err(format!(
                "input is {} bytes, over the limit of {} (input.max_bytes)",
                bytes.len(),
                config.input.max_bytes
            ));
        }
        lap(&mut times.read);

        stage.set(Stage::Decode);
        let decoded = threadmill_clean::decode(&bytes, input.format).map_err(|e| chain(&e))?;
        let path = input.display();
        let source = Source {
            path,
            member: None,
            sha256,
            bytes: *bytes_in,
            format: input.format,
        };
        let page = Page {
            source,
            body: decoded.text,
            url: None,
            reference_time: None,
            repairs: decoded.repairs,
        };
        lap(&mut times.decode);

        stage.set(Stage::Clean);
        let cleaned =
            threadmill_clean::clean(&page, &self.lexicon, &config.clean).map_err(|e| chain(&e))?;
        lap(&mut times.clean);

        stage.set(Stage::Segment);
        let mut thread = threadmill_segment::segment(cleaned, &self.lexicon, &config.segment)
            .map_err(|e| chain(&e))?;
        thread.id = record_id(&thread.source.path, thread.source.member.as_deref());
        lap(&mut times.segment);

        stage.set(Stage::Extract);
        threadmill_extract::extract(&mut thread, &self.lexicon, &config.extract)
            .map_err(|e| chain(&e))?;
        lap(&mut times.extract);

        stage.set(Stage::Export);
        let line = to_line(&thread).map_err(|e| chain(&e))?;
        lap(&mut times.export);
        Ok(Outcome::Record {
            line,
            posts: thread.posts.len() as u64,
            engine: thread.engine,
        })
    }
}

/// Decompresses a `.gz` input, refusing to grow past `limit` bytes (a decompression bomb
/// stops there instead of filling memory).
fn gunzip(raw: &[u8], limit: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(raw)
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot decompress gzip: {e}"))?;
    if out.len() as u64 > limit {
        return Err(format!(
            "decompresses to more than {limit} bytes (input.max_bytes)"
        ));
    }
    Ok(out)
}

/// The whole cause chain of an error, outermost first.
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The stable id of a source: the first 16 hex digits of SHA-256 over its path and member.
pub fn record_id(path: &str, member: Option<&str>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(path.as_bytes());
    hasher.update([0]);
    hasher.update(member.unwrap_or_default().as_bytes());
    hex(&hasher.finalize()[..8])
}

fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = [".jsonl.gz", ".jsonl.zst", ".jsonl", ".json"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(&name);
    output.with_file_name(format!("{stem}{suffix}"))
}

/// `out/threads.jsonl` → `out/threads.rejects.jsonl`.
pub fn rejects_path(output: &Path) -> PathBuf {
    sibling(output, ".rejects.jsonl")
}

/// `out/threads.jsonl` → `out/threads.report.json`.
pub fn report_path(output: &Path) -> PathBuf {
    sibling(output, ".report.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sibling_names() {
        assert_eq!(
            rejects_path(Path::new("out/threads.jsonl.zst")),
            PathBuf::from("out/threads.rejects.jsonl")
        );
        assert_eq!(
            report_path(Path::new("dev.jsonl")),
            PathBuf::from("dev.report.json")
        );
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(record_id("a.txt", None), record_id("a.txt", None));
        assert_ne!(record_id("a.txt", None), record_id("a.txt", Some("x")));
        assert_eq!(record_id("a.txt", None).len(), 16);
    }

    #[test]
    fn gzip_bombs_stop_at_the_limit() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&vec![b'a'; 1 << 20]).expect("compress");
        let gz = enc.finish().expect("finish");
        assert!(gunzip(&gz, 1000).is_err());
        assert_eq!(gunzip(&gz, 2 << 20).expect("fits").len(), 1 << 20);
    }
}
