//! The run: streaming, bounded, ordered, parallel, resumable.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use threadmill_export::{Compression, JsonlWriter, RecordWriter, to_line};
use threadmill_lexicon::Lexicon;
use threadmill_model::{Format, Page, Reject, Source, SourceRef, Stage};

use crate::checkpoint::{Checkpoint, RecordMeta, Reused};
use crate::config::{Duplicates, PipelineConfig};
use crate::error::Error;
use crate::group::{Group, PageIndex};
use crate::inputs::Input;
use crate::paths::{IdRoots, id_of_line, page_id};
use crate::read::{Event, Item, read_input};
use crate::report::{RecordSummary, Report, StageTimes};
use crate::state::{Change, State};
use crate::workers::{Ticket, Workers};

/// Pages in flight per worker: enough to keep workers busy while the writer catches up,
/// few enough that memory stays flat whatever the size of the input.
const IN_FLIGHT_PER_JOB: usize = 4;
/// What a page costs in memory while it is worked on, as a multiple of its bytes: the DOM,
/// the lines, posts, blocks and the serialised record. Measured at 8–15× on real HTML
/// pages (peak RSS with one 0.8 MB and one 6.4 MB page); rounded up.
const PAGE_MEMORY_FACTOR: u64 = 16;
/// The smallest sort buffer: the external sort keeps one open file per spilled segment,
/// so a tiny buffer over a large night would run out of file handles.
const MIN_SORT_BUFFER: usize = 10_000;
/// How often the checkpoint is made durable, in written outcomes.
const COMMIT_EVERY: u64 = 256;
/// How long pages in flight may still finish after a stop signal; those still running then
/// are left to the next run, so a stuck page cannot hold the stop.
const STOP_GRACE: Duration = Duration::from_secs(2);

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

/// The pages one shard of a plan processes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// `(path, member)` of each selected page.
    pub pages: std::collections::BTreeSet<(String, Option<String>)>,
    /// Paths whose input-level events (an archive that cannot be opened) this shard reports.
    pub owns_path: std::collections::BTreeSet<String>,
}

impl Selection {
    fn admits(&self, path: &str, member: Option<&str>) -> bool {
        match member {
            None if self.owns_path.contains(path) => true,
            _ => self
                .pages
                .contains(&(path.to_owned(), member.map(str::to_owned))),
        }
    }
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

/// The run's progress, as the progress callback sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Input files finished so far.
    pub inputs_done: u64,
    /// Pages (and archive entries) finished so far.
    pub pages_done: u64,
    /// Input file bytes finished so far.
    pub bytes: u64,
}

struct Shared {
    config: PipelineConfig,
    lexicon: Lexicon,
    /// Present when pages are grouped into threads.
    recogniser: Option<threadmill_stitch::Recogniser>,
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

/// What became of one page.
enum Outcome {
    Record {
        line: Vec<u8>,
        summary: RecordSummary,
        id: String,
        group: Option<Group>,
    },
    Reject(Reject),
    Skip(String),
    Unchanged,
}

struct Done {
    outcome: Outcome,
    times: StageTimes,
    /// For processed (or reused) pages: the checkpoint and state key.
    key: Option<(String, Option<String>, String)>,
}

enum Slot {
    Ready(Box<Done>),
    Pending {
        rx: Receiver<Done>,
        ticket: Ticket,
        source: SourceRef,
        sha256: String,
        /// Its share of the memory budget, given back when it is written.
        memory: u64,
    },
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
        let io = |source: std::io::Error| {
            Error::Output(threadmill_export::Error::Io {
                path: output.clone(),
                source,
            })
        };
        // Never write over an input; never read what this run writes.
        // (Paths are resolved only for inputs of the output's file name: a system call each.)
        if let Some(input) = inputs.iter().find(|i| {
            i.path.file_name() == output.file_name()
                && crate::safe_files::resolve(&i.path).ok()
                    == crate::safe_files::resolve(output).ok()
        }) {
            return Err(Error::OutputPlace {
                output: output.clone(),
                reason: format!("it is also an input ({})", input.path.display()),
            });
        }
        let inputs: Vec<Input> = inputs
            .iter()
            .filter(|i| !crate::inputs::is_own_file(&i.path, output))
            .cloned()
            .collect();
        // Refused up front, before any work: a link or special file where a side file goes.
        for path in [
            output.clone(),
            report_path(output),
            sibling(output, ".report.html"),
            rejects_path(output),
            sibling(output, ".vanished.jsonl"),
        ] {
            crate::safe_files::refuse_non_regular(&path)
                .map_err(|source| Error::Output(threadmill_export::Error::Io { path, source }))?;
        }
        let output_dir = match output.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(output_dir).map_err(io)?;
        let lock_path = sibling(output, ".lock");
        let lock = crate::safe_files::open_lock(&lock_path).map_err(io)?;
        if lock.try_lock().is_err() {
            return Err(Error::Locked {
                output: output.clone(),
            });
        }
        match crate::safe_files::remove_orphan_temps(output_dir, &lock_path) {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "removed temporary files of killed runs"),
            Err(error) => tracing::warn!(%error, "cannot look for temporary files of killed runs"),
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(options.jobs)
            .thread_name(|i| format!("threadmill-{i}"))
            .build()
            .map_err(|source| Error::Pool {
                jobs: options.jobs,
                source,
            })?;
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
        let stop = options.stop.clone().unwrap_or_default();
        let workers = Workers::new(options.jobs, started).map_err(|source| Error::Workers {
            jobs: options.jobs,
            source,
        })?;
        let mut run = RunState {
            shared: &self.shared,
            workers,
            stop: Arc::clone(&stop),
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
            window: VecDeque::new(),
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
        };
        if let Some(why) = run.state.reprocess() {
            tracing::warn!(why, "processing every input again");
            run.report.reprocessed = Some(why.to_owned());
        }
        for reject in early_rejects {
            run.report.inputs += 1;
            run.push(Slot::Ready(Box::new(Done {
                outcome: Outcome::Reject(reject),
                times: StageTimes::default(),
                key: None,
            })));
        }
        for input in &inputs {
            if stop.load(Ordering::Relaxed) || run.error.is_some() {
                run.report.interrupted = true;
                break;
            }
            // A reader is third-party decompression and archive code on untrusted bytes: if
            // one panics (a bug), the input becomes a reject and the night goes on.
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                read_input(input, &self.shared.config.input, &mut |event| {
                    run.on_event(input, event, &stop)
                });
            }));
            if read.is_err() {
                let error = "internal error while reading (a bug, please report it); entries after it were not read".to_owned();
                let _ = run.on_event(
                    input,
                    Event::Reject {
                        member: None,
                        stage: Stage::Read,
                        error,
                    },
                    &stop,
                );
            }
            let bytes = std::fs::metadata(&input.path).map_or(0, |m| m.len());
            run.progress.inputs_done += 1;
            run.progress.bytes += bytes;
            run.report.bytes_in += bytes;
        }
        if stop.load(Ordering::Relaxed) {
            run.report.interrupted = true;
        }
        while !run.window.is_empty() && run.error.is_none() {
            run.pop();
        }
        if let Some(error) = run.error.take() {
            return Err(error);
        }
        let RunState {
            checkpoint,
            rejects,
            state,
            mut report,
            index,
            ..
        } = run;
        report.resumed = checkpoint.reused;
        if report.interrupted {
            // Keep the checkpoint for the next run; no output under the final names.
            let mut checkpoint = checkpoint;
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
                    crate::group::regroup(&records, index, output, &mut report, &pool, &finish)?
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
        // An interrupted rerun beside a completed output keeps its report in its checkpoint
        // folder: the complete run's report stays the one beside its records.
        let (report_file, html_file) = if report.interrupted && output.exists() {
            let dir = crate::checkpoint::partial_dir(output);
            (dir.join("report.json"), dir.join("report.html"))
        } else {
            (report_path(output), sibling(output, ".report.html"))
        };
        let json = serde_json::to_vec_pretty(&report).map_err(|e| Error::Output(e.into()))?;
        crate::safe_files::write_replacing(&report_file, &json).map_err(|source| {
            Error::Report {
                path: report_file,
                source,
            }
        })?;
        crate::report_html::write(&report, &html_file).map_err(io)?;
        drop(lock);
        let _ = std::fs::remove_file(lock_path);
        Ok(report)
    }
}

/// Moves the finished records into place, compressing them or writing them as Parquet
/// when the output name asks.
fn place_output(records: &Path, output: &Path) -> Result<(), Error> {
    let io = |source| {
        Error::Output(threadmill_export::Error::Io {
            path: output.to_owned(),
            source,
        })
    };
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

struct RunState<'a> {
    shared: &'a Arc<Shared>,
    /// Where pages are processed; a page past its deadline cannot stall them.
    workers: Workers,
    /// The stop flag (a signal), and when this run first saw it set.
    stop: Arc<AtomicBool>,
    stop_seen: Option<Instant>,
    /// Pages given up at their deadline, with their memory estimate, until they end.
    given_up: Vec<(Ticket, u64)>,
    checkpoint: Checkpoint,
    /// The page → thread index, when pages are grouped.
    index: Option<PageIndex>,
    /// Record lines written to the checkpoint so far, and their bytes: where the next
    /// record's line starts.
    record_ordinal: u64,
    record_offset: u64,
    rejects: JsonlWriter,
    state: State,
    report: Report,
    window: VecDeque<Slot>,
    capacity: usize,
    /// The memory estimate of the pages in flight (see [`PAGE_MEMORY_FACTOR`]).
    in_flight_memory: u64,
    /// The first 128 bits of every page's content hash seen so far: 16 bytes a page, so a
    /// night of millions of pages stays within tens of megabytes. Only membership is asked
    /// of it, so its order cannot reach the output.
    seen: std::collections::HashSet<u128>,
    epoch: Instant,
    error: Option<Error>,
    progress: Progress,
    on_progress: &'a (dyn Fn(Progress) + Sync),
    since_commit: u64,
    select: Option<Arc<Selection>>,
    id_roots: &'a IdRoots,
}

impl RunState<'_> {
    fn on_event(&mut self, input: &Input, event: Event, stop: &AtomicBool) -> ControlFlow<()> {
        let path = input.display();
        if let Some(selection) = &self.select {
            let member = match &event {
                Event::Item(item) => item.member.as_deref(),
                Event::Reject { member, .. } | Event::Skip { member, .. } => member.as_deref(),
            };
            if !selection.admits(&path, member) {
                return ControlFlow::Continue(());
            }
        }
        self.report.inputs += 1;
        let slot = match event {
            Event::Skip { reason, .. } => ready(Outcome::Skip(reason)),
            Event::Reject {
                member,
                stage,
                error,
            } => ready(Outcome::Reject(Reject {
                source: SourceRef { path, member },
                stage,
                error,
            })),
            Event::Item(item) => self.admit(path, item),
        };
        self.push(slot);
        if stop.load(Ordering::Relaxed) || self.error.is_some() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }

    /// Decides what to do with a page: pass it over (unchanged, duplicate), reuse an
    /// interrupted run's outcome, or hand it to a worker.
    fn admit(&mut self, path: String, item: Item) -> Slot {
        self.report.page_bytes += item.bytes.len() as u64;
        let digest = Sha256::digest(&item.bytes);
        let sha256 = hex(&digest);
        let fingerprint = digest[..16]
            .iter()
            .fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
        let member = item.member.clone();
        if self.state.enabled() {
            match self.state.change(&path, member.as_deref(), &sha256) {
                Change::Unchanged => {
                    self.state.keep_old(&path, member.as_deref());
                    return ready(Outcome::Unchanged);
                }
                Change::New => self.report.new += 1,
                Change::Changed => self.report.changed += 1,
                Change::Retried => self.report.retried += 1,
            }
        }
        if !self.seen.insert(fingerprint) {
            self.report.duplicates += 1;
            if self.shared.config.input.duplicates == Duplicates::Skip {
                return ready(Outcome::Skip(
                    "duplicate of an earlier page (same SHA-256)".to_owned(),
                ));
            }
        }
        let key_text = checkpoint_key(&path, member.as_deref());
        match self.checkpoint.reuse(&key_text, &sha256) {
            Ok(Some(reused)) => {
                let outcome = match reused {
                    Reused::Record {
                        line,
                        summary,
                        group,
                    } => Outcome::Record {
                        id: id_of_line(&line).unwrap_or_default(),
                        line,
                        summary,
                        group,
                    },
                    Reused::Reject(reject) => Outcome::Reject(reject),
                };
                return Slot::Ready(Box::new(Done {
                    outcome,
                    times: StageTimes::default(),
                    key: Some((path, member, sha256)),
                }));
            }
            Ok(None) => {}
            Err(source) => {
                self.error = Some(Error::Output(threadmill_export::Error::Io {
                    path: PathBuf::from(&path),
                    source,
                }));
            }
        }
        // The run's memory budget: a page that could not fit even alone is refused; others
        // wait until the pages ahead of them leave room. Decided from sizes alone, so the
        // outcome is the same for any number of workers.
        let memory = (item.bytes.len() as u64).saturating_mul(PAGE_MEMORY_FACTOR);
        let budget = self.shared.config.input.max_memory;
        if budget > 0 && memory > budget {
            return ready(Outcome::Reject(Reject {
                source: SourceRef { path, member },
                stage: Stage::Read,
                error: format!(
                    "a page of {} bytes needs about {} MB to process, over the run's memory budget of {} MB (input.max_memory)",
                    item.bytes.len(),
                    memory >> 20,
                    budget >> 20
                ),
            }));
        }
        // Given-up pages still running hold their memory too: wait for them when nothing
        // else can leave room.
        while budget > 0
            && self.in_flight_memory + self.given_up_memory() + memory > budget
            && self.error.is_none()
        {
            if !self.window.is_empty() {
                self.pop();
            } else if self.given_up_memory() == 0 || self.past_stop_grace() {
                break;
            } else {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        self.in_flight_memory += memory;
        let (tx, rx) = mpsc::sync_channel(1);
        let shared = Arc::clone(self.shared);
        let (job_path, job_sha) = (path.clone(), sha256.clone());
        let id_key = self.id_roots.key(&path);
        let ticket = self.workers.spawn(move || {
            let _ = tx.send(process(&shared, job_path, &id_key, job_sha, item));
        });
        Slot::Pending {
            rx,
            ticket,
            source: SourceRef { path, member },
            sha256,
            memory,
        }
    }

    fn push(&mut self, slot: Slot) {
        self.window.push_back(slot);
        while self.window.len() > self.capacity && self.error.is_none() {
            self.pop();
        }
    }

    /// Waits for the oldest page and writes its outcome. A page over its time budget is
    /// rejected and its worker given up (its result is dropped if it ever comes). After a
    /// stop signal and [`STOP_GRACE`], the pages still in flight are left unwritten, for
    /// the next run to process.
    fn pop(&mut self) {
        let Some(slot) = self.window.pop_front() else {
            return;
        };
        if let Slot::Pending { memory, .. } = &slot {
            self.in_flight_memory = self.in_flight_memory.saturating_sub(*memory);
        }
        let done = match slot {
            Slot::Ready(done) => *done,
            Slot::Pending {
                rx,
                ticket,
                source,
                sha256,
                memory,
            } => {
                let Some(done) = self.wait(&rx, &ticket, &source, sha256) else {
                    ticket.cancel();
                    self.leave_window();
                    return;
                };
                if ticket.given_up() {
                    self.given_up.push((ticket, memory));
                }
                done
            }
        };
        if let Err(error) = self.write(done) {
            self.error = Some(error);
        }
        self.progress.pages_done += 1;
        (self.on_progress)(self.progress);
    }

    /// Waits for a page's outcome: its result, a reject when it runs past its time budget
    /// (or its worker ended without one), `None` when a stop cuts the wait short.
    fn wait(
        &mut self,
        rx: &Receiver<Done>,
        ticket: &Ticket,
        source: &SourceRef,
        sha256: String,
    ) -> Option<Done> {
        let budget = self.shared.config.input.page_seconds;
        let reject = |error: String, key| Done {
            outcome: Outcome::Reject(Reject {
                source: source.clone(),
                stage: Stage::Segment,
                error,
            }),
            times: StageTimes::default(),
            key,
        };
        loop {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(done) => return Some(done),
                Err(RecvTimeoutError::Timeout) => {
                    if self.past_stop_grace() {
                        return None;
                    }
                    let over = ticket
                        .running_for(self.epoch)
                        .is_some_and(|running| budget > 0.0 && running.as_secs_f64() > budget);
                    if !over {
                        continue;
                    }
                    match self.workers.give_up(ticket) {
                        Ok(true) => {
                            self.report.timeouts += 1;
                            let error = format!(
                                "exceeded the time budget of {budget} s per page (input.page_seconds)"
                            );
                            return Some(reject(error, None));
                        }
                        // It finished just now: its result is in the channel.
                        Ok(false) => {}
                        Err(source) => {
                            self.error = Some(Error::Workers { jobs: 1, source });
                            return None;
                        }
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let key = Some((source.path.clone(), source.member.clone(), sha256));
                    return Some(reject("worker ended without a result".into(), key));
                }
            }
        }
    }

    /// The memory estimate of given-up pages whose workers still run them.
    fn given_up_memory(&mut self) -> u64 {
        self.given_up.retain(|(ticket, _)| !ticket.ended());
        self.given_up.iter().map(|(_, memory)| memory).sum()
    }

    /// Whether a stop signal came more than [`STOP_GRACE`] ago.
    fn past_stop_grace(&mut self) -> bool {
        if !self.stop.load(Ordering::Relaxed) {
            return false;
        }
        let seen = *self.stop_seen.get_or_insert_with(Instant::now);
        seen.elapsed() > STOP_GRACE
    }

    /// Leaves the pages still in the window unwritten (the run is stopping): they are not
    /// counted, and the next run processes them.
    fn leave_window(&mut self) {
        // The page whose wait was cut short is no longer in the window; count it out too.
        self.report.inputs = self.report.inputs.saturating_sub(1);
        for slot in self.window.drain(..) {
            self.report.inputs = self.report.inputs.saturating_sub(1);
            if let Slot::Pending { ticket, .. } = slot {
                ticket.cancel();
            }
        }
        self.in_flight_memory = 0;
        self.report.interrupted = true;
    }

    fn write(&mut self, done: Done) -> Result<(), Error> {
        let output = PathBuf::from(&self.report.output);
        let io_error = |source| {
            Error::Output(threadmill_export::Error::Io {
                path: output.clone(),
                source,
            })
        };
        self.report.stage_seconds += done.times;
        match done.outcome {
            Outcome::Record {
                line,
                summary,
                id,
                group,
            } => {
                self.report.note_record(&summary, line.len() as u64);
                if let Some((path, member, sha256)) = done.key {
                    self.state.keep(&path, member.as_deref(), &sha256, &id);
                    let key = checkpoint_key(&path, member.as_deref());
                    if let (Some(index), Some(group)) = (&mut self.index, &group) {
                        index
                            .add(
                                &group.key,
                                group.n,
                                group.total,
                                self.record_ordinal,
                                (self.record_offset, line.len() as u64),
                            )
                            .map_err(io_error)?;
                    }
                    self.record_ordinal += 1;
                    self.record_offset += line.len() as u64;
                    let meta = RecordMeta { summary, group };
                    self.checkpoint
                        .record(key, sha256, &line, meta)
                        .map_err(io_error)?;
                }
            }
            Outcome::Reject(reject) => {
                tracing::warn!(source = %reject.source.path, member = ?reject.source.member, stage = %reject.stage, error = %reject.error, "input rejected");
                self.report.rejects += 1;
                *self
                    .report
                    .rejects_by_stage
                    .entry(reject.stage.name().to_owned())
                    .or_default() += 1;
                self.report.note_reject(&reject);
                self.rejects.write(&reject)?;
                let sha = done.key.as_ref().map_or("", |(_, _, sha)| sha.as_str());
                let source = &reject.source;
                // A reject has no URL to read: the id from its path, as a record's would be.
                let id = page_id(
                    None,
                    &self.id_roots.key(&source.path),
                    source.member.as_deref(),
                );
                self.state
                    .keep_rejected(&source.path, source.member.as_deref(), sha, &id);
                if let Some((path, member, sha256)) = done.key {
                    let key = checkpoint_key(&path, member.as_deref());
                    self.checkpoint.reject(key, sha256, reject);
                }
            }
            Outcome::Skip(reason) => {
                self.report.skipped += 1;
                let reason = reason.split(" (").next().unwrap_or_default().to_owned();
                *self.report.skipped_by_reason.entry(reason).or_default() += 1;
            }
            Outcome::Unchanged => self.report.unchanged += 1,
        }
        self.since_commit += 1;
        if self.since_commit >= COMMIT_EVERY {
            self.since_commit = 0;
            self.checkpoint.commit().map_err(io_error)?;
        }
        Ok(())
    }
}

fn ready(outcome: Outcome) -> Slot {
    Slot::Ready(Box::new(Done {
        outcome,
        times: StageTimes::default(),
        key: None,
    }))
}

/// Runs every stage on one page, in a worker. A panic inside a stage (a bug, never
/// expected) is caught and becomes a reject of that stage, so one page cannot end the night.
fn process(shared: &Shared, path: String, id_key: &str, sha256: String, item: Item) -> Done {
    let stage = std::cell::Cell::new(Stage::Decode);
    let mut times = StageTimes::default();
    let member = item.member.clone();
    let key = Some((path.clone(), member.clone(), sha256.clone()));
    // Names the page in whatever the stages and their libraries log (the HTML parser's
    // diagnostics among them).
    let _page = tracing::warn_span!("page", source = %path, member = member.as_deref()).entered();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        stages(shared, &path, id_key, sha256, item, &stage, &mut times)
    }));
    let outcome = match result {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(error)) => Outcome::Reject(Reject {
            source: SourceRef { path, member },
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
                source: SourceRef { path, member },
                stage: stage.get(),
                error: format!("internal error (a bug, please report it): {message}"),
            })
        }
    };
    Done {
        outcome,
        times,
        key,
    }
}

fn stages(
    shared: &Shared,
    path: &str,
    id_key: &str,
    sha256: String,
    item: Item,
    stage: &std::cell::Cell<Stage>,
    times: &mut StageTimes,
) -> Result<Outcome, String> {
    let config = &shared.config;
    let lexicon = &shared.lexicon;
    let mut clock = Instant::now();
    let mut lap = |slot: &mut f64| {
        let now = Instant::now();
        *slot += (now - clock).as_secs_f64();
        clock = now;
    };

    stage.set(Stage::Decode);
    let decoded =
        threadmill_clean::decode_with_charset(&item.bytes, item.format, item.charset.as_deref())
            .map_err(|e| chain(&e))?;
    let source = Source {
        path: path.to_owned(),
        member: item.member,
        sha256,
        bytes: item.stored_bytes,
        format: item.format,
    };
    let page = Page {
        source,
        body: decoded.text,
        url: item.url,
        reference_time: item.reference_time,
        repairs: decoded.repairs,
    };
    drop(item.bytes);
    lap(&mut times.decode);

    stage.set(Stage::Clean);
    let cleaned = threadmill_clean::clean(&page, lexicon, &config.clean).map_err(|e| chain(&e))?;
    lap(&mut times.clean);

    stage.set(Stage::Segment);
    let mut thread =
        threadmill_segment::segment(cleaned, lexicon, &config.segment).map_err(|e| chain(&e))?;
    thread.id = page_id(
        thread.url.as_deref(),
        id_key,
        thread.source.member.as_deref(),
    );
    lap(&mut times.segment);

    stage.set(Stage::Extract);
    threadmill_extract::extract(&mut thread, lexicon, &config.extract).map_err(|e| chain(&e))?;
    lap(&mut times.extract);

    stage.set(Stage::Export);
    let group = shared.recogniser.as_ref().and_then(|recogniser| {
        // HTML pages keep their pagination outside the posts, where the chrome does not
        // look: their short visible lines are searched instead.
        let lines = || {
            if page.source.format == Format::Html {
                threadmill_stitch::visible_lines(&page.body)
            } else {
                Vec::new()
            }
        };
        recogniser
            .recognise(&thread, lexicon, lines)
            .map(|id| Group {
                key: id.key.into(),
                n: id.n,
                total: id.total,
            })
    });
    let line = to_line(&thread).map_err(|e| chain(&e))?;
    lap(&mut times.export);
    Ok(Outcome::Record {
        line,
        summary: RecordSummary::of(&thread),
        id: thread.id,
        group,
    })
}

/// The whole cause chain of an error, outermost first.
pub(crate) fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Lower-case hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// SHA-256 of the settings that decide a page's record: the pipeline without the
/// per-night values (`--now`, the state folder, the output path), so that a new pipeline
/// makes the nightly state process every input again and a new night does not.
pub(crate) fn pipeline_hash(config: &PipelineConfig) -> String {
    let mut settings = config.clone();
    settings.extract.now = None;
    settings.state = None;
    settings.export = crate::config::ExportConfig::default();
    hex(&Sha256::digest(format!("{settings:?}").as_bytes()))
}

/// The checkpoint journal's key of a page: its path and member.
fn checkpoint_key(path: &str, member: Option<&str>) -> String {
    format!("{path}\u{0}{}", member.unwrap_or_default())
}

/// The id of a page without a URL: the first 16 hex digits of SHA-256 over its path key
/// (see [`IdRoots::key`]) and member.
pub fn record_id(path: &str, member: Option<&str>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(path.as_bytes());
    hasher.update([0]);
    hasher.update(member.unwrap_or_default().as_bytes());
    hex(&hasher.finalize()[..8])
}

/// A file beside the output sharing its stem: `out/threads.jsonl` (or `.parquet`) + `.x` →
/// `out/threads.x`.
pub(crate) fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = [".jsonl.gz", ".jsonl.zst", ".jsonl", ".json", ".parquet"]
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
