//! The run's checkpoint: records written so far and a journal of which inputs they came
//! from, kept beside the output (`NAME.partial/`) until the run completes.
//!
//! Records are flushed before the journal lines that name them, so after a crash (even
//! `kill -9`) every journal entry's record is on disk. The next run over the same inputs
//! reuses the journalled outcomes, in order, for as long as its inputs match the journal
//! (same key, same content hash), and processes the rest: the final output equals that of a
//! run never interrupted.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use threadmill_model::Reject;

use crate::group::Group;
use crate::report::RecordSummary;

/// One processed input in the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// `path` + NUL + `member`.
    pub key: String,
    /// Content hash of the input.
    pub sha256: String,
    /// The reject, when the input did not become a record.
    pub reject: Option<Reject>,
    /// For a record: what the report counts of it.
    #[serde(flatten)]
    pub summary: RecordSummary,
    /// For a record: the thread and page it belongs to, when grouping recognised one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
}

/// A reused outcome of an earlier, interrupted run.
pub(crate) enum Reused {
    Record {
        line: Vec<u8>,
        summary: RecordSummary,
        group: Option<Group>,
    },
    Reject(Reject),
}

struct Previous {
    entries: std::vec::IntoIter<Entry>,
    records: BufReader<File>,
}

/// What the journal keeps of a record besides its line.
pub(crate) struct RecordMeta {
    pub summary: RecordSummary,
    pub group: Option<Group>,
}

pub(crate) struct Checkpoint {
    dir: PathBuf,
    records: BufWriter<File>,
    journal: BufWriter<File>,
    pending: Vec<Entry>,
    previous: Option<Previous>,
    /// Outcomes reused from the previous run.
    pub reused: u64,
}

/// `out/threads.jsonl` → `out/threads.partial`.
pub(crate) fn partial_dir(output: &Path) -> PathBuf {
    crate::paths::sibling(output, ".partial")
}

impl Checkpoint {
    /// Opens the checkpoint folder, keeping what an interrupted run left for reuse.
    pub(crate) fn open(output: &Path) -> io::Result<Self> {
        let dir = partial_dir(output);
        // A link or file planted at the folder's name is refused, never written through.
        crate::safe_files::own_dir(&dir)?;
        let (journal_path, records_path) = (dir.join("journal.jsonl"), dir.join("records.jsonl"));
        let (old_journal, old_records) = (
            dir.join("journal.prev.jsonl"),
            dir.join("records.prev.jsonl"),
        );
        let previous = if journal_path.exists() && records_path.exists() {
            fs::rename(&journal_path, &old_journal)?;
            fs::rename(&records_path, &old_records)?;
            let entries = read_journal(&old_journal)?;
            Some(Previous {
                entries: entries.into_iter(),
                records: BufReader::new(File::open(&old_records)?),
            })
        } else {
            None
        };
        let create = |path: &Path| crate::safe_files::create_fresh(path);
        Ok(Self {
            records: BufWriter::with_capacity(1 << 20, create(&records_path)?),
            journal: BufWriter::new(create(&journal_path)?),
            dir,
            pending: Vec::new(),
            previous,
            reused: 0,
        })
    }

    /// The outcome an interrupted run journalled for this input, if the journal still
    /// matches the inputs. The first mismatch ends reuse for the rest of the run.
    pub(crate) fn reuse(&mut self, key: &str, sha256: &str) -> io::Result<Option<Reused>> {
        let Some(previous) = self.previous.as_mut() else {
            return Ok(None);
        };
        let Some(entry) = previous.entries.next() else {
            self.previous = None;
            return Ok(None);
        };
        if entry.key != key || entry.sha256 != sha256 {
            self.previous = None;
            return Ok(None);
        }
        let reused = if let Some(reject) = &entry.reject {
            Reused::Reject(reject.clone())
        } else {
            {
                let mut line = Vec::new();
                previous.records.read_until(b'\n', &mut line)?;
                if !line.ends_with(b"\n") {
                    // The journal never runs ahead of the records; a short file means it
                    // was tampered with: stop reusing.
                    self.previous = None;
                    return Ok(None);
                }
                Reused::Record {
                    line,
                    summary: entry.summary.clone(),
                    group: entry.group.clone(),
                }
            }
        };
        self.reused += 1;
        Ok(Some(reused))
    }

    /// Notes a record written for `key`.
    pub(crate) fn record(
        &mut self,
        key: String,
        sha256: String,
        line: &[u8],
        meta: RecordMeta,
    ) -> io::Result<()> {
        self.records.write_all(line)?;
        self.pending.push(Entry {
            key,
            sha256,
            reject: None,
            summary: meta.summary,
            group: meta.group,
        });
        Ok(())
    }

    /// Notes a processed input that became a reject.
    pub(crate) fn reject(&mut self, key: String, sha256: String, reject: Reject) {
        self.pending.push(Entry {
            key,
            sha256,
            reject: Some(reject),
            summary: RecordSummary::default(),
            group: None,
        });
    }

    /// Makes what was noted durable against a crash of this process: records first, then
    /// the journal lines that name them.
    pub(crate) fn commit(&mut self) -> io::Result<()> {
        self.records.flush()?;
        for entry in self.pending.drain(..) {
            serde_json::to_writer(&mut self.journal, &entry)?;
            self.journal.write_all(b"\n")?;
        }
        self.journal.flush()
    }

    /// Finishes the run: returns the records file, to be moved to the output; the caller
    /// removes the folder with [`Checkpoint::remove`] once the output is in place.
    pub(crate) fn finish(mut self) -> io::Result<PathBuf> {
        self.commit()?;
        self.records.get_ref().sync_all()?;
        Ok(self.dir.join("records.jsonl"))
    }

    /// The checkpoint folder, where the grouping index spills.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Deletes the checkpoint folder.
    pub(crate) fn remove(output: &Path) -> io::Result<()> {
        let dir = partial_dir(output);
        if dir.exists() {
            fs::remove_dir_all(dir)?;
        }
        Ok(())
    }
}

/// Reads journal entries, stopping at the first line that is cut short or unreadable
/// (the crash point).
fn read_journal(path: &Path) -> io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for line in BufReader::new(File::open(path)?).lines() {
        let Ok(line) = line else { break };
        match serde_json::from_str::<Entry>(&line) {
            Ok(entry) => entries.push(entry),
            Err(_) => break,
        }
    }
    Ok(entries)
}
