//! Page workers that a stuck page cannot stall: a worker still busy past its page's deadline
//! is given up (left to finish on its own, its result dropped) and a fresh worker takes its
//! place, so the pages behind it start on time.
//!
//! A thread cannot be stopped from outside, so a given-up worker goes on using a core until
//! its page ends; the stages bound their superlinear steps so that it does end. When the
//! run ends first, the process exit ends such threads with it.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A task waits in the queue.
const QUEUED: u8 = 0;
/// A worker runs it.
const RUNNING: u8 = 1;
/// Its worker finished it (and goes on to the next task).
const FINISHED: u8 = 2;
/// The run gave it up: its worker, if any, leaves when the task ends.
const GIVEN_UP: u8 = 3;

/// One page's task as the run sees it: whether and since when it runs.
#[derive(Debug, Clone)]
pub(crate) struct Ticket {
    state: Arc<AtomicU8>,
    /// When a worker took it, in microseconds since the pool started (0: not yet).
    started: Arc<AtomicU64>,
    /// Set when its job has returned, given up or not: what it held is free again.
    ended: Arc<AtomicBool>,
}

impl Ticket {
    /// How long the task has been running (`None` while it waits in the queue).
    pub(crate) fn running_for(&self, epoch: Instant) -> Option<Duration> {
        match self.started.load(Ordering::Acquire) {
            0 => None,
            at => Some(epoch.elapsed().saturating_sub(Duration::from_micros(at))),
        }
    }

    /// Whether the run gave this task up while it ran.
    pub(crate) fn given_up(&self) -> bool {
        self.state.load(Ordering::Acquire) == GIVEN_UP && self.started.load(Ordering::Acquire) > 0
    }

    /// Whether its job has returned (or will never run).
    pub(crate) fn ended(&self) -> bool {
        self.ended.load(Ordering::Acquire)
    }

    /// Gives up a task that has not started: no worker will run it.
    pub(crate) fn cancel(&self) {
        if self
            .state
            .compare_exchange(QUEUED, GIVEN_UP, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            self.ended.store(true, Ordering::Release);
        }
    }
}

struct Task {
    job: Box<dyn FnOnce() + Send>,
    ticket: Ticket,
}

/// A pool of page workers, `jobs` of them busy at most, that replaces a worker it gives up.
pub(crate) struct Workers {
    queue: Sender<Task>,
    tasks: Arc<Mutex<Receiver<Task>>>,
    epoch: Instant,
    /// Workers started so far, for thread names.
    started: usize,
    /// Workers given up so far.
    given_up: u64,
}

impl Workers {
    /// Starts `jobs` workers.
    pub(crate) fn new(jobs: usize, epoch: Instant) -> io::Result<Self> {
        let (queue, tasks) = mpsc::channel();
        let mut workers = Self {
            queue,
            tasks: Arc::new(Mutex::new(tasks)),
            epoch,
            started: 0,
            given_up: 0,
        };
        for _ in 0..jobs.max(1) {
            workers.start_worker()?;
        }
        Ok(workers)
    }

    /// Queues `job`; its ticket tells whether and since when it runs.
    pub(crate) fn spawn(&self, job: impl FnOnce() + Send + 'static) -> Ticket {
        let ticket = Ticket {
            state: Arc::new(AtomicU8::new(QUEUED)),
            started: Arc::new(AtomicU64::new(0)),
            ended: Arc::new(AtomicBool::new(false)),
        };
        let task = Task {
            job: Box::new(job),
            ticket: ticket.clone(),
        };
        // The receiving end lives as long as `self` (the workers only borrow it), so a
        // send cannot fail while a pool exists to call this.
        let _ = self.queue.send(task);
        ticket
    }

    /// Gives up a running task past its deadline and starts a worker in its place.
    /// `Ok(false)` when the task finished meanwhile: its result is on its way.
    pub(crate) fn give_up(&mut self, ticket: &Ticket) -> io::Result<bool> {
        if ticket
            .state
            .compare_exchange(RUNNING, GIVEN_UP, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return Ok(false);
        }
        self.given_up += 1;
        tracing::warn!(
            given_up = self.given_up,
            "a page ran past its deadline: its worker is left to finish alone and a new one takes its place"
        );
        self.start_worker()?;
        Ok(true)
    }

    fn start_worker(&mut self) -> io::Result<()> {
        let (tasks, epoch) = (Arc::clone(&self.tasks), self.epoch);
        std::thread::Builder::new()
            .name(format!("threadmill-{}", self.started))
            .spawn(move || work(&tasks, epoch))?;
        self.started += 1;
        Ok(())
    }
}

/// A worker's loop: takes tasks until the queue closes (the pool was dropped) or the run
/// gives up its task (another worker has taken its place).
fn work(tasks: &Mutex<Receiver<Task>>, epoch: Instant) {
    loop {
        let next = tasks.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(Task { job, ticket }) = next else {
            return;
        };
        if ticket
            .state
            .compare_exchange(QUEUED, RUNNING, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            // Cancelled before it started (the run is stopping).
            continue;
        }
        let micros = u64::try_from(epoch.elapsed().as_micros())
            .unwrap_or(u64::MAX)
            .max(1);
        ticket.started.store(micros, Ordering::Release);
        // A job catches its own panics (a page's panic is a reject); this one is a last
        // guard so that a worker never dies with tasks still queued.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
        ticket.ended.store(true, Ordering::Release);
        if ticket
            .state
            .compare_exchange(RUNNING, FINISHED, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A task that never ends by itself is given up, and the pages queued behind it still
    /// run: the pool does not stall.
    #[test]
    fn a_stuck_task_is_replaced_and_the_queue_goes_on() {
        let epoch = Instant::now();
        let mut workers = Workers::new(1, epoch).expect("start");
        let release = Arc::new(AtomicBool::new(false));
        let stuck_release = Arc::clone(&release);
        let stuck = workers.spawn(move || {
            while !stuck_release.load(Ordering::Acquire) {
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        let (tx, rx) = mpsc::channel();
        let next = workers.spawn(move || {
            let _ = tx.send(42);
        });
        while stuck.running_for(epoch).is_none() {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(next.running_for(epoch).is_none(), "one worker, busy");
        assert!(workers.give_up(&stuck).expect("replace"));
        assert_eq!(rx.recv(), Ok(42));
        // The given-up worker leaves when its task ends; giving up twice is a no-op.
        assert!(!workers.give_up(&stuck).expect("no-op"));
        assert!(stuck.given_up() && !stuck.ended());
        release.store(true, Ordering::Release);
        while !stuck.ended() {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// A finished task cannot be given up: its result is the one that counts.
    #[test]
    fn a_finished_task_is_not_given_up() {
        let epoch = Instant::now();
        let mut workers = Workers::new(1, epoch).expect("start");
        let (tx, rx) = mpsc::channel();
        let ticket = workers.spawn(move || {
            let _ = tx.send(());
        });
        assert_eq!(rx.recv(), Ok(()));
        while ticket.state.load(Ordering::Acquire) != FINISHED {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(!workers.give_up(&ticket).expect("no-op"));
        assert_eq!(workers.given_up, 0);
    }

    /// A cancelled task never runs.
    #[test]
    fn a_cancelled_task_does_not_run() {
        let epoch = Instant::now();
        let workers = Workers::new(1, epoch).expect("start");
        let (block_tx, block_rx) = mpsc::channel::<()>();
        let _blocker = workers.spawn(move || {
            let _ = block_rx.recv();
        });
        let ran = Arc::new(AtomicBool::new(false));
        let ran_inside = Arc::clone(&ran);
        let cancelled = workers.spawn(move || ran_inside.store(true, Ordering::Release));
        cancelled.cancel();
        let (tx, rx) = mpsc::channel();
        let _after = workers.spawn(move || {
            let _ = tx.send(());
        });
        drop(block_tx);
        assert_eq!(rx.recv(), Ok(()));
        assert!(!ran.load(Ordering::Acquire));
    }
}
