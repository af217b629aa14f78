//! The nightly state: which inputs were processed, with which content, into which record.
//!
//! `--state DIR` keeps `DIR/manifest.jsonl`, one line per input key (`path`, `member`)
//! with the content hash and the record id, sorted by key. A run with a state processes only
//! inputs that are new or whose content changed; unchanged ones are counted and passed over,
//! so the output is the night's delta (upsert it by `id`), and inputs that vanished since
//! the last run are listed in `NAME.vanished.jsonl`. The manifest is replaced, atomically,
//! only when the run completes.
//!
//! With pages grouped into threads (`[stitch]`), the manifest stays one line per page; a
//! night's delta holds the new and changed pages only, and those are what is stitched: two
//! new pages of a thread make one record of those two (`pages` names them, its `id` is
//! the first's), a single new page stays a one-page record. Rebuilding whole threads from
//! deltas is left to the consumer (merge by `thread_key` and `pages`), or to a run
//! without `--state`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One line of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ManifestLine {
    pub path: String,
    pub member: Option<String>,
    pub sha256: String,
    pub id: String,
}

/// What the manifest says about one input this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    New,
    Changed,
    Unchanged,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    dir: Option<PathBuf>,
    old: BTreeMap<(String, Option<String>), ManifestLine>,
    new: BTreeMap<(String, Option<String>), ManifestLine>,
}

impl State {
    /// Loads `dir/manifest.jsonl` (an absent file is an empty manifest).
    pub(crate) fn load(dir: Option<&Path>) -> io::Result<Self> {
        let Some(dir) = dir else {
            return Ok(Self::default());
        };
        fs::create_dir_all(dir)?;
        let mut old = BTreeMap::new();
        let path = dir.join("manifest.jsonl");
        if path.exists() {
            for line in BufReader::new(fs::File::open(&path)?).lines() {
                let line = line?;
                let entry: ManifestLine = serde_json::from_str(&line).map_err(|e| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{}: {e}", path.display()),
                    )
                })?;
                old.insert((entry.path.clone(), entry.member.clone()), entry);
            }
        }
        Ok(Self {
            dir: Some(dir.to_owned()),
            old,
            new: BTreeMap::new(),
        })
    }

    pub(crate) fn enabled(&self) -> bool {
        self.dir.is_some()
    }

    /// How this input compares with the last run.
    pub(crate) fn change(&self, path: &str, member: Option<&str>, sha256: &str) -> Change {
        match self.old.get(&(path.to_owned(), member.map(str::to_owned))) {
            None => Change::New,
            Some(line) if line.sha256 == sha256 => Change::Unchanged,
            Some(_) => Change::Changed,
        }
    }

    /// Notes an input that is accounted for this run (processed, or unchanged).
    pub(crate) fn keep(&mut self, path: &str, member: Option<&str>, sha256: &str, id: &str) {
        // Without a state folder nothing is saved: keeping a line per page would grow the
        // run's memory with the size of its input.
        if !self.enabled() {
            return;
        }
        let line = ManifestLine {
            path: path.to_owned(),
            member: member.map(str::to_owned),
            sha256: sha256.to_owned(),
            id: id.to_owned(),
        };
        self.new
            .insert((line.path.clone(), line.member.clone()), line);
    }

    /// Keeps the old entry of an input that was seen but not processed (unchanged).
    pub(crate) fn keep_old(&mut self, path: &str, member: Option<&str>) {
        let key = (path.to_owned(), member.map(str::to_owned));
        if let Some(line) = self.old.get(&key) {
            self.new.insert(key, line.clone());
        }
    }

    /// Inputs in the old manifest that this run did not see.
    pub(crate) fn vanished(&self) -> Vec<&ManifestLine> {
        self.old
            .iter()
            .filter(|(k, _)| !self.new.contains_key(*k))
            .map(|(_, v)| v)
            .collect()
    }

    /// Replaces the manifest with what this run saw, atomically.
    pub(crate) fn save(&self) -> io::Result<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        {
            let mut out = io::BufWriter::new(temp.as_file_mut());
            for line in self.new.values() {
                serde_json::to_writer(&mut out, line)?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
        }
        temp.as_file().sync_all()?;
        temp.persist(dir.join("manifest.jsonl"))
            .map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_folder_nothing_is_kept() {
        let mut state = State::load(None).expect("no folder, no I/O");
        for n in 0..1000 {
            state.keep("pages.tar", Some(&format!("p{n}.txt")), "00", "id");
        }
        assert!(state.new.is_empty());
    }

    #[test]
    fn with_a_folder_every_page_is_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut state = State::load(Some(dir.path())).expect("empty folder");
        state.keep("pages.tar", Some("p1.txt"), "00", "id");
        assert_eq!(state.new.len(), 1);
    }
}
