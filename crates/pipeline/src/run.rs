//! The run: what a run writes where, the checks before it starts, the reading of every
//! input into the window, and the finishing (records into place, state, report).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use threadmill_export::{Compression, JsonlWriter, RecordWriter};
use threadmill_lexicon::Lexicon;
use threadmill_model::{Reject, Stage};

use crate::checkpoint::Checkpoint;
use crate::config::{PipelineConfig, pipeline_hash};
use crate::error::{Error, chain};
use crate::group::PageIndex;
use crate::inputs::Input;
use crate::paths::{IdRoots, rejects_path, report_path, sibling};
use crate::read::{Event, read_input};
use crate::report::{Report, StageTimes};
use crate::stages::{Done, Outcome, Shared};
use crate::state::State;
use crate::window::{IN_FLIGHT_PER_JOB, Progress, Selection, Slot, Window};
use crate::workers::Workers;

/// The smallest sort buffer: the external sort keeps one open file per spilled segment,
/// so a tiny buffer over a large night would run out of file handles.
const MIN_SORT_BUFFER: usize = 10_000;

/// Where and how a run writes.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The records file (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`).
    pub output: PathBuf,
    /// Worker threads.
    pub jobs: usize,
    /// The nightly state folder: process only new and changed inputs.
    pub state: Option<PathBuf>,
    /// Set (by a signal handler) to stop after the pages in flight.
    pub stop: Option<Arc<AtomicBool>>,
    /// Only these pages (a shard of a plan); everything else is read past unnoticed.
    pub select: Option<Arc<Selection>>,
    /// With a state: process every input again, changed or not.
    pub reprocess: bool,
    /// The input roots named on the command line, which ids of pages without a URL are
    /// made relative to (none: ids from the paths as given).
    pub id_roots: IdRoots,
}

impl RunOptions {
    /// Options writing to `output` with `jobs` workers (at least one), no state.
    pub fn new(output: &Path, jobs: usize) -> Self {
        Self {
            output: output.to_owned(),
            jobs: jobs.max(1),
            state: None,
            stop: None,
            select: None,
            reprocess: false,
            id_roots: IdRoots::default(),
        }
    }
}

/// A compiled pipeline: configuration plus the lexicon every worker shares.
pub struct Runner {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

impl Runner {
    /// Compiles the lexicon (built-in files plus those the pipeline names).
    pub fn new(config: PipelineConfig) -> Result<Self, Error> {
        config.extract.check()?;
        let mut builder = Lexicon::builder().builtin()?;
        for path in &config.lexicons {
            builder = builder.add_path(path)?;
        }
        let recogniser = if config.stitch.enabled {
            let mut patterns = threadmill_stitch::UrlPatterns::builder().builtin()?;
            for path in &config.stitch.patterns {
                patterns = patterns.add_path(path)?;
            }
            Some(
                threadmill_stitch::Recogniser::new(patterns.build()?)
                    .by_title(config.stitch.by_title),
            )
        } else {
            None
        };
        Ok(Self {
            shared: Arc::new(Shared {
                lexicon: builder.build()?,
                config,
                recogniser,
            }),
        })
    }

    /// The pipeline configuration.
    pub fn config(&self) -> &PipelineConfig {
        &self.shared.config
    }

    /// The compiled lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.shared.lexicon
    }

    /// Processes `inputs` and writes records, rejects and the report.
    ///
    /// `early_rejects` (paths that could not even be opened) are written first. Records
    /// come out in input order whatever `jobs` is. An interrupted run (the stop flag, or a
    /// crash) leaves a checkpoint that the same command resumes from.
    pub fn run(
        &self,
        inputs: &[Input],
        early_rejects: Vec<Reject>,
        options: &RunOptions,
        on_progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Report, Error> {
        let started = Instant::now();
        let output = &options.output;
        let inputs = inputs_beside(inputs, output)?;
        let (lock, lock_path) = lock_output(output)?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(options.jobs)
            .thread_name(|i| format!("threadmill-{i}"))
            .build()
            .map_err(|source| Error::Pool {
                jobs: options.jobs,
                source,
            })?;
        let stop = options.stop.clone().unwrap_or_default();
        let mut window = self.open_window(options, Arc::clone(&stop), started, on_progress)?;
        if let Some(why) = window.state.reprocess() {
            tracing::warn!(why, "processing every input again");
            window.report.reprocessed = Some(why.to_owned());
        }
        for reject in early_rejects {
            window.report.inputs += 1;
            window.push(Slot::Ready(Box::new(Done {
                outcome: Outcome::Reject(reject),
                times: StageTimes::default(),
                key: None,
            })));
        }
        self.read_all(&mut window, &inputs, &stop);
        while !window.slots.is_empty() && window.error.is_none() {
            window.pop();
        }
        if let Some(error) = window.error.take() {
            return Err(error);
        }
        let report = self.finish(window, output, &pool, started)?;
        write_report(&report, output)?;
        drop(lock);
        let _ = std::fs::remove_file(lock_path);
        Ok(report)
    }

    /// The window of a new run: its checkpoint (resumed where one is left), the page index
    /// when pages are grouped, the rejects file, the nightly state and the report.
    fn open_window<'a>(
        &'a self,
        options: &'a RunOptions,
        stop: Arc<AtomicBool>,
        started: Instant,
        on_progress: &'a (dyn Fn(Progress) + Sync),
    ) -> Result<Window<'a>, Error> {
        let output = &options.output;
        let io = |source| Error::output_io(output, source);
        let checkpoint = Checkpoint::open(output).map_err(io)?;
        let index = if self.shared.recogniser.is_some() {
            Some(
                PageIndex::new(
                    checkpoint.dir(),
                    self.shared.config.stitch.sort_buffer.max(MIN_SORT_BUFFER),
                )
                .map_err(io)?,
            )
        } else {
            None
        };
        let workers = Workers::new(options.jobs, started).map_err(|source| Error::Workers {
            jobs: options.jobs,
            source,
        })?;
        Ok(Window {
            shared: &self.shared,
            workers,
            stop,
            stop_seen: None,
            given_up: Vec::new(),
            checkpoint,
            index,
            record_ordinal: 0,
            record_offset: 0,
            rejects: JsonlWriter::create(&rejects_path(output))?,
            state: State::load(
                options.state.as_deref(),
                crate::state::Tool {
                    pipeline: pipeline_hash(&self.shared.config),
                    threadmill: env!("CARGO_PKG_VERSION").to_owned(),
                },
                options.reprocess,
            )?,
            report: Report {
                pipeline: self.shared.config.name.clone(),
                jobs: options.jobs,
                output: output.to_string_lossy().into_owned(),
                ..Report::default()
            },
            slots: std::collections::VecDeque::new(),
            capacity: options.jobs * IN_FLIGHT_PER_JOB,
            in_flight_memory: 0,
            seen: std::collections::HashSet::new(),
            epoch: started,
            error: None,
            progress: Progress {
                inputs_done: 0,
                pages_done: 0,
                bytes: 0,
            },
            on_progress,
            since_commit: 0,
            select: options.select.clone(),
            id_roots: &options.id_roots,
        })
    }

    /// Streams every input's pages into the window, until the inputs end, a stop signal
    /// comes or writing fails.
    fn read_all(&self, window: &mut Window<'_>, inputs: &[Input], stop: &AtomicBool) {
        for input in inputs {
            if stop.load(Ordering::Relaxed) || window.error.is_some() {
                window.report.interrupted = true;
                break;
            }
            // A reader is third-party decompression and archive code on untrusted bytes: if
            // one panics (a bug), the input becomes a reject and the night goes on.
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                read_input(input, &self.shared.config.input, &mut |event| {
                    window.on_event(input, event, stop)
                });
            }));
            if read.is_err() {
                let error = "internal error while reading (a bug, please report it); entries after it were not read".to_owned();
                let _ = window.on_event(
                    input,
                    Event::Reject {
                        member: None,
                        stage: Stage::Read,
                        error,
                    },
                    stop,
                );
            }
            let bytes = std::fs::metadata(&input.path).map_or(0, |m| m.len());
            window.progress.inputs_done += 1;
            window.progress.bytes += bytes;
            window.report.bytes_in += bytes;
        }
        if stop.load(Ordering::Relaxed) {
            window.report.interrupted = true;
        }
    }

    /// Ends the run: an interrupted run keeps its checkpoint for the next; a complete one
    /// puts its records in place (stitched into threads when pages are grouped), its
    /// rejects, and the nightly state with the inputs that vanished.
    fn finish(
        &self,
        window: Window<'_>,
        output: &Path,
        pool: &rayon::ThreadPool,
        started: Instant,
    ) -> Result<Report, Error> {
        let io = |source| Error::output_io(output, source);
        let Window {
            mut checkpoint,
            rejects,
            state,
            mut report,
            index,
            ..
        } = window;
        report.resumed = checkpoint.reused;
        if report.interrupted {
            // Keep the checkpoint for the next run; no output under the final names.
            checkpoint.commit().map_err(io)?;
            drop(rejects);
        } else {
            let records = checkpoint.finish().map_err(io)?;
            let shared = &self.shared;
            let finish = |thread: &mut threadmill_model::Thread| {
                threadmill_extract::extract(thread, &shared.lexicon, &shared.config.extract)
                    .map_err(|e| chain(&e))
            };
            let regrouped = match index {
                Some(index) => {
                    crate::group::regroup(&records, index, output, &mut report, pool, &finish)?
                }
                None => false,
            };
            if !regrouped {
                place_output(&records, output)?;
            }
            Checkpoint::remove(output).map_err(io)?;
            rejects.finish()?;
            if state.enabled() {
                let vanished = state.vanished();
                report.vanished = vanished.len() as u64;
                let mut writer = JsonlWriter::create(&sibling(output, ".vanished.jsonl"))?;
                for line in vanished {
                    writer.write(line)?;
                }
                writer.finish()?;
                state.save().map_err(io)?;
            }
        }
        report.finish(started.elapsed().as_secs_f64());
        Ok(report)
    }
}

/// The inputs less the run's own files, once the output is known not to be one of them and
/// no side file's place holds a link or a special file.
fn inputs_beside(inputs: &[Input], output: &Path) -> Result<Vec<Input>, Error> {
    // Never write over an input; never read what this run writes.
    // (Paths are resolved only for inputs of the output's file name: a system call each.)
    if let Some(input) = inputs.iter().find(|i| {
        i.path.file_name() == output.file_name()
            && crate::safe_files::resolve(&i.path).ok() == crate::safe_files::resolve(output).ok()
    }) {
        return Err(Error::OutputPlace {
            output: output.to_owned(),
            reason: format!("it is also an input ({})", input.path.display()),
        });
    }
    // Refused up front, before any work: a link or special file where a side file goes.
    for path in [
        output.to_owned(),
        report_path(output),
        sibling(output, ".report.html"),
        rejects_path(output),
        sibling(output, ".vanished.jsonl"),
    ] {
        crate::safe_files::refuse_non_regular(&path)
            .map_err(|source| Error::output_io(&path, source))?;
    }
    Ok(inputs
        .iter()
        .filter(|i| !crate::inputs::is_own_file(&i.path, output))
        .cloned()
        .collect())
}

/// Creates the output's folder and takes the output's lock (one run per output at a time),
/// then removes the temporary files that killed runs left there.
fn lock_output(output: &Path) -> Result<(File, PathBuf), Error> {
    let io = |source| Error::output_io(output, source);
    let output_dir = match output.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(output_dir).map_err(io)?;
    let lock_path = sibling(output, ".lock");
    let lock = crate::safe_files::open_lock(&lock_path).map_err(io)?;
    if lock.try_lock().is_err() {
        return Err(Error::Locked {
            output: output.to_owned(),
        });
    }
    match crate::safe_files::remove_orphan_temps(output_dir, &lock_path) {
        Ok(0) => {}
        Ok(removed) => tracing::info!(removed, "removed temporary files of killed runs"),
        Err(error) => tracing::warn!(%error, "cannot look for temporary files of killed runs"),
    }
    Ok((lock, lock_path))
}

/// Writes the report as JSON and as a page. An interrupted rerun beside a completed output
/// keeps its report in its checkpoint folder: the complete run's report stays the one beside
/// its records.
fn write_report(report: &Report, output: &Path) -> Result<(), Error> {
    let (report_file, html_file) = if report.interrupted && output.exists() {
        let dir = crate::checkpoint::partial_dir(output);
        (dir.join("report.json"), dir.join("report.html"))
    } else {
        (report_path(output), sibling(output, ".report.html"))
    };
    let json = serde_json::to_vec_pretty(report).map_err(|e| Error::Output(e.into()))?;
    crate::safe_files::write_replacing(&report_file, &json).map_err(|source| Error::Report {
        path: report_file,
        source,
    })?;
    crate::report_html::write(report, &html_file).map_err(|source| Error::output_io(output, source))
}

/// Moves the finished records into place, compressing them or writing them as Parquet
/// when the output name asks.
fn place_output(records: &Path, output: &Path) -> Result<(), Error> {
    let io = |source| Error::output_io(output, source);
    if Compression::from_path(output) == Compression::None && !threadmill_export::is_parquet(output)
    {
        return std::fs::rename(records, output).map_err(io);
    }
    let mut writer = RecordWriter::create(output)?;
    let mut reader = BufReader::with_capacity(1 << 20, File::open(records).map_err(io)?);
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(io)? == 0 {
            break;
        }
        writer.write_line(&line)?;
    }
    writer.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// More threads than one stitching batch holds, pages of each far apart: records in
    /// input order of their first page, the same for any job count.
    #[test]
    fn many_threads_stitch_in_order_across_batches() {
        let dir = tempfile::tempdir().expect("tempdir");
        let inputs = dir.path().join("in");
        std::fs::create_dir(&inputs).expect("mkdir");
        let threads = 150;
        for page in 1..=2 {
            for t in 0..threads {
                let url = format!("https://f.example/showthread.php?t={t}&page={page}");
                let html = format!(
                    "<html><head><title>Thread {t}</title><link rel=\"canonical\" href=\"{url}\"></head>\
                     <body><h1>Thread {t}</h1><article><p>Page {page} of thread {t} says something \
                     worth reading, in a sentence or two.</p></article></body></html>"
                );
                std::fs::write(inputs.join(format!("{page}-{t:03}.html")), html).expect("write");
            }
        }
        let runner = Runner::new(PipelineConfig::default()).expect("runner");
        let (found, early) =
            crate::inputs::discover(&[inputs], &runner.config().input).expect("discover");
        let mut outputs = Vec::new();
        for jobs in [1, 2] {
            let output = dir.path().join(format!("out{jobs}.jsonl"));
            let report = runner
                .run(
                    &found,
                    early.clone(),
                    &RunOptions::new(&output, jobs),
                    &|_| {},
                )
                .expect("run");
            assert_eq!((report.records, report.stitched_pages), (threads, threads));
            outputs.push(std::fs::read_to_string(&output).expect("output"));
        }
        assert!(outputs[0] == outputs[1]);
        let keys: Vec<String> = outputs[0]
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("json");
                assert_eq!(v["pages"].as_array().map(Vec::len), Some(2));
                v["thread_key"].as_str().expect("key").to_owned()
            })
            .collect();
        let expected: Vec<String> = (0..threads)
            .map(|t| format!("url:f.example/vbulletin/{t}"))
            .collect();
        assert_eq!(keys, expected);
    }

    /// A small random input: a page, an empty or binary file, a JSONL dump with good and
    /// bad lines, or a broken archive.
    fn arbitrary_input() -> impl proptest::strategy::Strategy<Value = (String, Vec<u8>)> {
        use proptest::prelude::*;
        prop_oneof![
            Just((
                "page.txt".to_owned(),
                b"A title\n\nPost by ann \xc2\xbb Mon Jan 06, 2020 10:00 am\nHello there, forum.\n"
                    .to_vec()
            )),
            Just(("empty.txt".to_owned(), Vec::new())),
            Just(("binary.html".to_owned(), vec![0u8, 159, 146, 150])),
            Just((
                "dump.jsonl".to_owned(),
                b"{\"text\": \"Hello there, this is a post.\"}\nnot json\n{\"url\": 3}\n".to_vec()
            )),
            Just(("broken.tar.gz".to_owned(), b"\x1f\x8bnot really".to_vec())),
            proptest::collection::vec(any::<u8>(), 0..200)
                .prop_map(|b| ("random.warc".to_owned(), b)),
            proptest::collection::vec(any::<u8>(), 0..200)
                .prop_map(|b| ("random.htm".to_owned(), b)),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
        /// Whatever the inputs, every one of them is accounted for exactly once.
        #[test]
        fn every_input_is_accounted_for(files in proptest::collection::vec(arbitrary_input(), 1..8)) {
            let dir = tempfile::tempdir().expect("tempdir");
            let inputs = dir.path().join("in");
            std::fs::create_dir(&inputs).expect("mkdir");
            for (i, (name, bytes)) in files.iter().enumerate() {
                std::fs::write(inputs.join(format!("{i}-{name}")), bytes).expect("write");
            }
            let runner = Runner::new(PipelineConfig::default()).expect("runner");
            let (found, early) = crate::inputs::discover(&[inputs], &runner.config().input).expect("discover");
            let output = dir.path().join("out.jsonl");
            let report = runner.run(&found, early, &RunOptions::new(&output, 2), &|_| {}).expect("run");
            proptest::prop_assert_eq!(report.inputs, report.records + report.stitched_pages + report.rejects + report.skipped + report.unchanged);
            let lines = std::fs::read_to_string(&output).expect("output").lines().count() as u64;
            proptest::prop_assert_eq!(lines, report.records);
            let rejects = std::fs::read_to_string(rejects_path(&output)).expect("rejects").lines().count() as u64;
            proptest::prop_assert_eq!(rejects, report.rejects);
        }
    }
}
