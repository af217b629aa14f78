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
//!
//! An input that became a reject keeps its line, marked `rejected` (it is neither vanished
//! nor new), and is processed again the next night whatever its content. `DIR/tool.json`
//! names the pipeline (a hash of its settings) and the threadmill version that wrote the
//! manifest: when either differs, or `--reprocess` asks, every input is processed again.
//! One run at a time uses a state folder (`DIR/state.lock`).

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// One line of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ManifestLine {
    pub path: String,
    pub member: Option<String>,
    pub sha256: String,
    pub id: String,
    /// The input became a reject: it is processed again next time, whatever its content.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rejected: bool,
}

/// `DIR/tool.json`: what wrote the manifest. Outcomes depend on it as much as on the inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Tool {
    /// SHA-256 of the pipeline's settings (see [`crate::config::pipeline_hash`]).
    pub pipeline: String,
    /// threadmill's version.
    pub threadmill: String,
}

/// What the manifest says about one input this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    New,
    Changed,
    /// Rejected last time: tried again.
    Retried,
    Unchanged,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    dir: Option<PathBuf>,
    old: BTreeMap<(String, Option<String>), ManifestLine>,
    new: BTreeMap<(String, Option<String>), ManifestLine>,
    /// What this run is: saved with the manifest.
    tool: Option<Tool>,
    /// Why every input is processed again this run, if it is.
    reprocess: Option<String>,
    /// Held for the whole run: one run per state folder.
    _lock: Option<fs::File>,
}

impl State {
    /// Loads `dir/manifest.jsonl` (an absent file is an empty manifest) and locks the
    /// folder. `tool` is this run's pipeline and version; `reprocess` forces every input
    /// through again.
    pub(crate) fn load(dir: Option<&Path>, tool: Tool, reprocess: bool) -> Result<Self, Error> {
        let Some(dir) = dir else {
            return Ok(Self::default());
        };
        let io = |source: io::Error| Error::State {
            dir: dir.to_owned(),
            source,
        };
        fs::create_dir_all(dir).map_err(io)?;
        let lock = crate::safe_files::open_lock(&dir.join("state.lock")).map_err(io)?;
        if lock.try_lock().is_err() {
            return Err(Error::StateLocked {
                dir: dir.to_owned(),
            });
        }
        let mut old = BTreeMap::new();
        let path = dir.join("manifest.jsonl");
        if path.exists() {
            for line in BufReader::new(fs::File::open(&path).map_err(io)?).lines() {
                let line = line.map_err(io)?;
                let entry: ManifestLine = serde_json::from_str(&line).map_err(|e| {
                    io(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{}: {e}", path.display()),
                    ))
                })?;
                old.insert((entry.path.clone(), entry.member.clone()), entry);
            }
        }
        let previous: Option<Tool> = fs::read(dir.join("tool.json"))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
        let reprocess = if reprocess {
            Some("--reprocess was given".to_owned())
        } else if old.is_empty() {
            None
        } else {
            match previous {
                None => Some("the state does not say which pipeline and version wrote it".into()),
                Some(previous) if previous.threadmill != tool.threadmill => Some(format!(
                    "threadmill changed from {} to {}",
                    previous.threadmill, tool.threadmill
                )),
                Some(previous) if previous.pipeline != tool.pipeline => {
                    Some("the pipeline's settings changed".into())
                }
                Some(_) => None,
            }
        };
        Ok(Self {
            dir: Some(dir.to_owned()),
            old,
            new: BTreeMap::new(),
            tool: Some(tool),
            reprocess,
            _lock: Some(lock),
        })
    }

    /// Why every input is processed again this run, if it is.
    pub(crate) fn reprocess(&self) -> Option<&str> {
        self.reprocess.as_deref()
    }

    pub(crate) fn enabled(&self) -> bool {
        self.dir.is_some()
    }

    /// How this input compares with the last run.
    pub(crate) fn change(&self, path: &str, member: Option<&str>, sha256: &str) -> Change {
        match self.old.get(&(path.to_owned(), member.map(str::to_owned))) {
            None => Change::New,
            Some(line) if line.rejected => Change::Retried,
            Some(line) if line.sha256 == sha256 && self.reprocess.is_none() => Change::Unchanged,
            Some(_) => Change::Changed,
        }
    }

    /// Notes an input that is accounted for this run (processed, or unchanged).
    pub(crate) fn keep(&mut self, path: &str, member: Option<&str>, sha256: &str, id: &str) {
        self.note(path, member, sha256, id, false);
    }

    /// Notes an input that became a reject: kept (so it has not vanished), marked to be
    /// tried again. `sha256` is empty when the input could not even be read; `id` is the
    /// id its record would have had.
    pub(crate) fn keep_rejected(
        &mut self,
        path: &str,
        member: Option<&str>,
        sha256: &str,
        id: &str,
    ) {
        self.note(path, member, sha256, id, true);
    }

    fn note(&mut self, path: &str, member: Option<&str>, sha256: &str, id: &str, rejected: bool) {
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
            rejected,
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
        // After the manifest: a crash between the two makes the next run reprocess all,
        // never trust a manifest another pipeline wrote.
        if let Some(tool) = &self.tool {
            let json = serde_json::to_vec_pretty(tool)?;
            crate::safe_files::write_replacing(&dir.join("tool.json"), &json)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_folder_nothing_is_kept() {
        let mut state = State::load(None, tool("p"), false).expect("no folder, no I/O");
        for n in 0..1000 {
            state.keep("pages.tar", Some(&format!("p{n}.txt")), "00", "id");
        }
        assert!(state.new.is_empty());
    }

    #[test]
    fn with_a_folder_every_page_is_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut state = State::load(Some(dir.path()), tool("p"), false).expect("empty folder");
        state.keep("pages.tar", Some("p1.txt"), "00", "id");
        assert_eq!(state.new.len(), 1);
    }

    fn tool(pipeline: &str) -> Tool {
        Tool {
            pipeline: pipeline.to_owned(),
            threadmill: "1.0.0".to_owned(),
        }
    }

    /// A night's state, saved with `pipeline`, and the next night's view of `a.txt`.
    fn next_night(first: &Tool, second: Tool, reprocess: bool) -> (Change, Option<String>) {
        let dir = tempfile::tempdir().expect("temp dir");
        {
            let mut state = State::load(Some(dir.path()), first.clone(), false).expect("load");
            state.keep("a.txt", None, "00", "id");
            state.keep_rejected("b.txt", None, "11", "id-b");
            state.save().expect("save");
        }
        let state = State::load(Some(dir.path()), second, reprocess).expect("load");
        assert_eq!(state.change("b.txt", None, "11"), Change::Retried);
        (
            state.change("a.txt", None, "00"),
            state.reprocess().map(str::to_owned),
        )
    }

    #[test]
    fn a_new_pipeline_version_or_flag_reprocesses_everything() {
        let first = tool("p");
        assert_eq!(
            next_night(&first, tool("p"), false),
            (Change::Unchanged, None)
        );
        let (change, why) = next_night(&first, tool("q"), false);
        assert_eq!(change, Change::Changed);
        assert!(why.expect("a reason").contains("pipeline"));
        let upgraded = Tool {
            threadmill: "2.0.0".into(),
            ..tool("p")
        };
        let (change, why) = next_night(&first, upgraded, false);
        assert_eq!(change, Change::Changed);
        assert!(why.expect("a reason").contains("2.0.0"));
        let (change, why) = next_night(&first, tool("p"), true);
        assert_eq!(change, Change::Changed);
        assert!(why.expect("a reason").contains("--reprocess"));
    }

    #[test]
    fn a_state_folder_is_used_by_one_run_at_a_time() {
        let dir = tempfile::tempdir().expect("temp dir");
        let _first = State::load(Some(dir.path()), tool("p"), false).expect("load");
        assert!(matches!(
            State::load(Some(dir.path()), tool("p"), false),
            Err(Error::StateLocked { .. })
        ));
    }
}
