//! The in-order window: pages in flight on the workers, their outcomes written strictly in
//! input order (records, rejects, checkpoint, state, report), and the run's progress.

use std::collections::VecDeque;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use threadmill_export::JsonlWriter;
use threadmill_model::{Reject, SourceRef, Stage};

use crate::checkpoint::{Checkpoint, RecordMeta, Reused};
use crate::config::Duplicates;
use crate::error::Error;
use crate::group::PageIndex;
use crate::inputs::Input;
use crate::paths::{IdRoots, checkpoint_key, hex, id_of_line, page_id};
use crate::read::{Event, Item, SkipReason};
use crate::report::{Report, StageTimes};
use crate::stages::{Done, Outcome, Shared, process};
use crate::state::{Change, State};
use crate::workers::{Ticket, Workers};

/// Pages in flight per worker: enough to keep workers busy while the writer catches up,
/// few enough that memory stays flat whatever the size of the input.
pub(crate) const IN_FLIGHT_PER_JOB: usize = 4;
/// What a page costs in memory while it is worked on, as a multiple of its bytes: the DOM,
/// the lines, posts, blocks and the serialised record. Measured at 8–15× on real HTML
/// pages (peak RSS with one 0.8 MB and one 6.4 MB page); rounded up.
const PAGE_MEMORY_FACTOR: u64 = 16;
/// How often the checkpoint is made durable, in written outcomes.
const COMMIT_EVERY: u64 = 256;
/// How long pages in flight may still finish after a stop signal; those still running then
/// are left to the next run, so a stuck page cannot hold the stop.
const STOP_GRACE: Duration = Duration::from_secs(2);

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

/// The pages one shard of a plan processes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// `(path, member)` of each selected page.
    pub pages: std::collections::BTreeSet<(String, Option<String>)>,
    /// Paths whose input-level events (an archive that cannot be opened) this shard reports.
    pub owns_path: std::collections::BTreeSet<String>,
}

impl Selection {
    pub(crate) fn admits(&self, path: &str, member: Option<&str>) -> bool {
        match member {
            None if self.owns_path.contains(path) => true,
            _ => self
                .pages
                .contains(&(path.to_owned(), member.map(str::to_owned))),
        }
    }
}

/// One page in the window: its outcome, or the worker that will give it.
pub(crate) enum Slot {
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

/// The pages in flight and everything their outcomes are written to, in input order.
pub(crate) struct Window<'a> {
    pub(crate) shared: &'a Arc<Shared>,
    /// Where pages are processed; a page past its deadline cannot stall them.
    pub(crate) workers: Workers,
    /// The stop flag (a signal), and when this run first saw it set.
    pub(crate) stop: Arc<AtomicBool>,
    pub(crate) stop_seen: Option<Instant>,
    /// Pages given up at their deadline, with their memory estimate, until they end.
    pub(crate) given_up: Vec<(Ticket, u64)>,
    pub(crate) checkpoint: Checkpoint,
    /// The page → thread index, when pages are grouped.
    pub(crate) index: Option<PageIndex>,
    /// Record lines written to the checkpoint so far, and their bytes: where the next
    /// record's line starts.
    pub(crate) record_ordinal: u64,
    pub(crate) record_offset: u64,
    pub(crate) rejects: JsonlWriter,
    pub(crate) state: State,
    pub(crate) report: Report,
    pub(crate) slots: VecDeque<Slot>,
    pub(crate) capacity: usize,
    /// The memory estimate of the pages in flight (see [`PAGE_MEMORY_FACTOR`]).
    pub(crate) in_flight_memory: u64,
    /// The first 128 bits of every page's content hash seen so far: 16 bytes a page, so a
    /// night of millions of pages stays within tens of megabytes. Only membership is asked
    /// of it, so its order cannot reach the output.
    pub(crate) seen: std::collections::HashSet<u128>,
    pub(crate) epoch: Instant,
    pub(crate) error: Option<Error>,
    pub(crate) progress: Progress,
    pub(crate) on_progress: &'a (dyn Fn(Progress) + Sync),
    pub(crate) since_commit: u64,
    pub(crate) select: Option<Arc<Selection>>,
    pub(crate) id_roots: &'a IdRoots,
}

impl Window<'_> {
    pub(crate) fn on_event(
        &mut self,
        input: &Input,
        event: Event,
        stop: &AtomicBool,
    ) -> ControlFlow<()> {
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
                return ready(Outcome::Skip(SkipReason::Duplicate));
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
                self.error = Some(Error::output_io(Path::new(&path), source));
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
            if !self.slots.is_empty() {
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

    pub(crate) fn push(&mut self, slot: Slot) {
        self.slots.push_back(slot);
        while self.slots.len() > self.capacity && self.error.is_none() {
            self.pop();
        }
    }

    /// Waits for the oldest page and writes its outcome. A page over its time budget is
    /// rejected and its worker given up (its result is dropped if it ever comes). After a
    /// stop signal and [`STOP_GRACE`], the pages still in flight are left unwritten, for
    /// the next run to process.
    pub(crate) fn pop(&mut self) {
        let Some(slot) = self.slots.pop_front() else {
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
        for slot in self.slots.drain(..) {
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
        let io_error = |source| Error::output_io(&output, source);
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
                *self
                    .report
                    .skipped_by_reason
                    .entry(reason.label())
                    .or_default() += 1;
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

pub(crate) fn ready(outcome: Outcome) -> Slot {
    Slot::Ready(Box::new(Done {
        outcome,
        times: StageTimes::default(),
        key: None,
    }))
}
