//! Sharded runs for cluster engines: a frozen plan, one shard per array task, markers, merge.
//!
//! `plan` lists every page (archive members included) in input order with its size, and
//! assigns pages to shards balancing bytes. A shard reads the plan, processes only its pages
//! and writes `parts/part-IIIII-of-NNNNN.jsonl.zst` (with its rejects and report) through a
//! temporary name, then its completion marker, last. `merge` checks every marker against the
//! plan and the part's checksum, says which shards are missing, adds up the reports, writes
//! `_SUCCESS`, and can interleave the parts back into exactly the order of a single run.
//!
//! Plans are sealed: every marker carries the hash of the plan it was made for, a shard
//! or merge refuses (naming them) parts of another plan, and `plan` refuses a folder that
//! holds another plan unless forced, which then clears the old parts.

use std::collections::{BTreeMap, BinaryHeap};
use std::io::{BufRead, BufReader, Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use threadmill_export::RecordWriter;
use threadmill_model::Reject;

use crate::config::PipelineConfig;
use crate::inputs::{Input, Kind};
use crate::paths::hex;
use crate::read::{Event, read_input};
use crate::window::Selection;

/// The plan file inside a plan folder.
pub const PLAN_FILE: &str = "plan.json";
/// The pipeline the plan was made with, kept beside it so every shard runs the same one.
pub const PIPELINE_FILE: &str = "pipeline.toml";

/// Why a plan, shard or merge could not be done.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ShardError {
    /// A file of the plan folder could not be read or written.
    #[error("{path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The plan folder already holds another plan (re-plan with `--force` to replace it).
    #[error(
        "{dir} already holds another plan: plan into a fresh folder, or give --force to replace it and delete its parts"
    )]
    OtherPlan {
        /// The plan folder.
        dir: PathBuf,
    },
    /// A shard's marker was made for another plan than the folder's.
    #[error(
        "{marker} was made for another plan than {dir}'s: delete it and its part, or re-plan with --force"
    )]
    StaleMarker {
        /// The plan folder.
        dir: PathBuf,
        /// The marker.
        marker: PathBuf,
    },
    /// A plan or marker is not what this version writes.
    #[error("invalid {what} {path}: {reason}")]
    Invalid {
        /// Plan or marker.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The shard index or count is out of range or disagrees with the plan.
    #[error("{0}")]
    Shard(String),
    /// Shards have not finished: resubmit these indices.
    #[error("{} of {total} shards missing or incomplete (resubmit array indices {}): {}", missing.len(), join(missing), problems.join("; "))]
    Missing {
        /// Their indices.
        missing: Vec<usize>,
        /// The number of shards.
        total: usize,
        /// What is wrong with each.
        problems: Vec<String>,
    },
}

fn join(indices: &[usize]) -> String {
    indices
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ShardError + '_ {
    move |source| ShardError::Io {
        path: path.to_owned(),
        source,
    }
}

/// One page of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanEntry {
    /// The input path.
    pub path: String,
    /// The entry inside it.
    pub member: Option<String>,
    /// Its stored size, for balancing.
    pub bytes: u64,
    /// The shard it is assigned to.
    pub shard: usize,
}

/// A frozen sharded run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// threadmill's version that made the plan.
    pub version: String,
    /// SHA-256 of the pipeline file's text and the version: shards and parts must agree.
    pub pipeline_hash: String,
    /// Number of shards.
    pub shards: usize,
    /// Every page, in input order.
    pub entries: Vec<PlanEntry>,
}

/// The completion marker of one shard, written after its part is in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    /// The shard index.
    pub shard: usize,
    /// The number of shards.
    pub shards: usize,
    /// Records in the part.
    pub rows: u64,
    /// Bytes of the part file.
    pub bytes: u64,
    /// SHA-256 of the part file.
    pub sha256: String,
    /// Pages the shard was assigned.
    pub inputs: u64,
    /// threadmill's version.
    pub version: String,
    /// The plan's pipeline hash.
    pub pipeline_hash: String,
    /// The hash of the plan the shard ran ([`plan_hash`]); empty in markers of older
    /// versions, which no plan accepts.
    #[serde(default)]
    pub plan_hash: String,
}

/// SHA-256 of a plan: its pages, shards and pipeline. Markers carry it, so a part made for
/// another plan in the same folder is never taken for this plan's.
pub fn plan_hash(plan: &Plan) -> String {
    let json = serde_json::to_vec(plan).unwrap_or_default();
    hex(&Sha256::digest(&json))
}

/// The pipeline hash: the pipeline's text and the version that runs it.
pub fn pipeline_hash(pipeline_text: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(pipeline_text.as_bytes());
    hasher.update([0]);
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hex(&hasher.finalize())
}

/// Lists every page of `inputs` and balances them over `shards` by size (largest first,
/// each to the least loaded shard; ties to the lower index), so the plan is the same on
/// every machine for the same inputs.
#[allow(
    clippy::too_many_lines,
    reason = "the plan's steps in the order they run, each feeding the next"
)]
pub fn make_plan(
    inputs: &[Input],
    early_rejects: &[Reject],
    config: &PipelineConfig,
    pipeline_text: &str,
    shards: usize,
) -> Result<Plan, ShardError> {
    if shards == 0 {
        return Err(ShardError::Shard("a plan needs at least one shard".into()));
    }
    let mut entries: Vec<PlanEntry> = early_rejects
        .iter()
        .map(|r| PlanEntry {
            path: r.source.path.clone(),
            member: None,
            bytes: 0,
            shard: 0,
        })
        .collect();
    // With grouping on, every page's cheap thread key (its URL, the canonical or og:url in
    // an HTML head, the path pattern; else the HTML title or a text copy's first line): the
    // pages of one thread are one unit of balancing, so they land in one shard and are
    // stitched there.
    let stitching = if config.stitch.enabled {
        let mut patterns = threadmill_stitch::UrlPatterns::builder()
            .builtin()
            .map_err(|e| ShardError::Shard(e.to_string()))?;
        for file in &config.stitch.patterns {
            patterns = patterns
                .add_path(file)
                .map_err(|e| ShardError::Shard(e.to_string()))?;
        }
        let recogniser = threadmill_stitch::Recogniser::new(
            patterns
                .build()
                .map_err(|e| ShardError::Shard(e.to_string()))?,
        );
        // The run's lexicon: a title's "Page 2" is in the words of its languages.
        let mut lexicon = threadmill_lexicon::Lexicon::builder()
            .builtin()
            .map_err(|e| ShardError::Shard(e.to_string()))?;
        for path in &config.lexicons {
            lexicon = lexicon
                .add_path(path)
                .map_err(|e| ShardError::Shard(e.to_string()))?;
        }
        let lexicon = lexicon
            .build()
            .map_err(|e| ShardError::Shard(e.to_string()))?;
        Some((recogniser, lexicon))
    } else {
        None
    };
    let mut keys: Vec<Option<String>> = vec![None; entries.len()];
    for input in inputs {
        let path = input.display();
        if let Kind::Page { format } = input.kind {
            let bytes = std::fs::metadata(&input.path).map_or(0, |m| m.len());
            let key = stitching.as_ref().and_then(|(r, lexicon)| {
                let head = (format == threadmill_model::Format::Html
                    && input.codec == crate::inputs::Codec::None)
                    .then(|| read_head(&input.path))
                    .flatten();
                let url = head.as_deref().and_then(threadmill_stitch::head_url);
                r.key_of(url.as_deref(), &path, None, format)
                    .map(String::from)
                    .or_else(|| {
                        head.as_deref()
                            .and_then(|h| threadmill_stitch::plan_title_key(h, lexicon))
                    })
                    .or_else(|| {
                        let head = (format == threadmill_model::Format::Text
                            && input.codec == crate::inputs::Codec::None)
                            .then(|| read_head(&input.path))
                            .flatten()?;
                        text_head_key(&head)
                    })
            });
            entries.push(PlanEntry {
                path,
                member: None,
                bytes,
                shard: 0,
            });
            keys.push(key);
            continue;
        }
        read_input(input, &config.input, &mut |event| {
            let (member, bytes, key) = match event {
                Event::Item(item) => {
                    let key = stitching.as_ref().and_then(|(r, lexicon)| {
                        let head = match (&item.url, item.format) {
                            (None, threadmill_model::Format::Html) => {
                                threadmill_stitch::head_url(&item.bytes)
                            }
                            _ => None,
                        };
                        let url = item.url.as_deref().or(head.as_deref());
                        r.key_of(url, &path, item.member.as_deref(), item.format)
                            .map(String::from)
                            .or_else(|| match item.format {
                                threadmill_model::Format::Text => text_head_key(&item.bytes),
                                threadmill_model::Format::Html => {
                                    threadmill_stitch::plan_title_key(&item.bytes, lexicon)
                                }
                            })
                    });
                    (item.member, item.stored_bytes, key)
                }
                Event::Reject { member, .. } | Event::Skip { member, .. } => (member, 0, None),
            };
            entries.push(PlanEntry {
                path: path.clone(),
                member,
                bytes,
                shard: 0,
            });
            keys.push(key);
            ControlFlow::Continue(())
        });
    }
    // Units: each thread's pages together, every other page alone; first entry names it.
    let mut units: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut unit_of_key: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, key) in keys.iter().enumerate() {
        match key.as_deref() {
            Some(key) => {
                let weak = key.starts_with("text-head:") || key.starts_with("html-title:");
                let open = unit_of_key
                    .get(key)
                    .copied()
                    .filter(|&u| !weak || units[u].1.len() < WEAK_UNIT_PAGES);
                if let Some(u) = open {
                    units[u].1.push(i);
                } else {
                    unit_of_key.insert(key, units.len());
                    units.push((i, vec![i]));
                }
            }
            None => units.push((i, vec![i])),
        }
    }
    let size = |unit: &(usize, Vec<usize>)| unit.1.iter().map(|&i| entries[i].bytes).sum::<u64>();
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by(|&a, &b| {
        size(&units[b])
            .cmp(&size(&units[a]))
            .then(units[a].0.cmp(&units[b].0))
    });
    let mut load = vec![0u64; shards];
    for u in order {
        let (shard, _) = load
            .iter()
            .enumerate()
            .min_by_key(|&(s, l)| (*l, s))
            .unwrap_or((0, &0));
        for &i in &units[u].1 {
            entries[i].shard = shard;
            load[shard] += entries[i].bytes.max(1);
        }
    }
    Ok(Plan {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        pipeline_hash: pipeline_hash(pipeline_text),
        shards,
        entries,
    })
}

/// Pages one title or first line may hold together: a site that puts its own name in every
/// title (or opens every text copy with "Skip to content") must not make one shard of the
/// night, and a thread of more pages than this without a URL is rare.
const WEAK_UNIT_PAGES: usize = 1000;

/// A text copy without a thread URL is keyed at run time by its title; the plan cannot
/// afford that, so it keeps text pages that open with the same line together: pages of
/// one thread share their first line (the title), and unrelated pages that share one only
/// share a shard.
fn text_head_key(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let line = head.lines().map(str::trim).find(|l| !l.is_empty())?;
    let words: Vec<String> = line.split_whitespace().map(str::to_lowercase).collect();
    Some(format!("text-head:{}", words.join(" ")))
}

/// The first 64 KiB of a file, where an HTML page's canonical URL is.
fn read_head(path: &Path) -> Option<Vec<u8>> {
    let mut head = Vec::with_capacity(64 << 10);
    std::fs::File::open(path)
        .ok()?
        .take(64 << 10)
        .read_to_end(&mut head)
        .ok()?;
    Some(head)
}

/// Writes the plan and its pipeline into `dir`. A folder holding another plan is refused
/// unless `force`, which deletes its parts, markers, report and `_SUCCESS` first.
pub fn write_plan(
    dir: &Path,
    plan: &Plan,
    pipeline_text: &str,
    force: bool,
) -> Result<(), ShardError> {
    let existing = dir.join(PLAN_FILE);
    let same = std::fs::read(&existing)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Plan>(&bytes).ok())
        .is_some_and(|old| plan_hash(&old) == plan_hash(plan));
    let occupied = existing.exists()
        || dir
            .join("parts")
            .read_dir()
            .is_ok_and(|mut d| d.next().is_some());
    if occupied && !same {
        if !force {
            return Err(ShardError::OtherPlan {
                dir: dir.to_owned(),
            });
        }
        for stale in [dir.join("_SUCCESS"), dir.join("report.json")] {
            if stale.exists() {
                std::fs::remove_file(&stale).map_err(io(&stale))?;
            }
        }
        let parts = dir.join("parts");
        if parts.exists() {
            std::fs::remove_dir_all(&parts).map_err(io(&parts))?;
        }
    }
    std::fs::create_dir_all(dir.join("parts")).map_err(io(dir))?;
    let path = dir.join(PLAN_FILE);
    let json = serde_json::to_vec_pretty(plan).map_err(|e| ShardError::Invalid {
        what: "plan",
        path: path.clone(),
        reason: e.to_string(),
    })?;
    write_atomic(&path, &json)?;
    write_atomic(&dir.join(PIPELINE_FILE), pipeline_text.as_bytes())
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ShardError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io(path))?;
    temp.write_all(bytes).map_err(io(path))?;
    temp.as_file().sync_all().map_err(io(path))?;
    temp.persist(path).map_err(|e| ShardError::Io {
        path: path.to_owned(),
        source: e.error,
    })?;
    Ok(())
}

/// Reads a plan folder: the plan and its pipeline's text, checked against each other.
pub fn read_plan(dir: &Path) -> Result<(Plan, String), ShardError> {
    let path = dir.join(PLAN_FILE);
    let text = std::fs::read(&path).map_err(io(&path))?;
    let plan: Plan = serde_json::from_slice(&text).map_err(|e| ShardError::Invalid {
        what: "plan",
        path: path.clone(),
        reason: e.to_string(),
    })?;
    let pipeline_path = dir.join(PIPELINE_FILE);
    let pipeline = std::fs::read_to_string(&pipeline_path).map_err(io(&pipeline_path))?;
    if pipeline_hash(&pipeline) != plan.pipeline_hash {
        return Err(ShardError::Invalid {
            what: "plan",
            path,
            reason: format!(
                "its pipeline hash does not match {} (changed after planning, or made by another version than {})",
                pipeline_path.display(),
                env!("CARGO_PKG_VERSION")
            ),
        });
    }
    Ok((plan, pipeline))
}

/// The shard index from the first of `SHARD_INDEX`, `SLURM_ARRAY_TASK_ID`,
/// `JOB_COMPLETION_INDEX` (Kubernetes Indexed Jobs) and `AWS_BATCH_JOB_ARRAY_INDEX` that is
/// set. The count never comes from `SLURM_ARRAY_TASK_COUNT`: it shrinks when only failed
/// indices are resubmitted.
pub fn shard_index_from_env(
    get: impl Fn(&str) -> Option<String>,
) -> Option<Result<usize, ShardError>> {
    [
        "SHARD_INDEX",
        "SLURM_ARRAY_TASK_ID",
        "JOB_COMPLETION_INDEX",
        "AWS_BATCH_JOB_ARRAY_INDEX",
    ]
    .iter()
    .find_map(|name| {
        get(name).map(|value| {
            value
                .trim()
                .parse()
                .map_err(|_| ShardError::Shard(format!("{name}={value:?} is not a shard index")))
        })
    })
}

/// `part-00002-of-00004`.
pub fn part_stem(shard: usize, shards: usize) -> String {
    format!("part-{shard:05}-of-{shards:05}")
}

/// Where shard `shard` writes its records.
pub fn part_path(dir: &Path, shard: usize, shards: usize) -> PathBuf {
    dir.join("parts")
        .join(format!("{}.jsonl.zst", part_stem(shard, shards)))
}

/// Where shard `shard` writes its completion marker.
pub fn marker_path(dir: &Path, shard: usize, shards: usize) -> PathBuf {
    dir.join("parts")
        .join(format!("{}.done.json", part_stem(shard, shards)))
}

/// The input files (in order) and pages shard `shard` processes.
pub fn shard_work(plan: &Plan, shard: usize) -> (Vec<PathBuf>, Selection) {
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut selection = Selection::default();
    let mut first_of_path: BTreeMap<&str, usize> = BTreeMap::new();
    for entry in &plan.entries {
        first_of_path
            .entry(entry.path.as_str())
            .or_insert(entry.shard);
    }
    for entry in plan.entries.iter().filter(|e| e.shard == shard) {
        if paths
            .last()
            .is_none_or(|p| p.as_os_str() != entry.path.as_str())
            && !paths.iter().any(|p| p.as_os_str() == entry.path.as_str())
        {
            paths.push(PathBuf::from(&entry.path));
        }
        selection
            .pages
            .insert((entry.path.clone(), entry.member.clone()));
    }
    for (path, owner) in first_of_path {
        if owner == shard {
            selection.owns_path.insert(path.to_owned());
            if !paths.iter().any(|p| p.as_os_str() == path) {
                paths.push(PathBuf::from(path));
            }
        }
    }
    // Files in plan order, so the part is in the order of a single run.
    let position: BTreeMap<&str, usize> = plan
        .entries
        .iter()
        .enumerate()
        .rev()
        .map(|(i, e)| (e.path.as_str(), i))
        .collect();
    paths.sort_by_key(|p| {
        position
            .get(p.to_string_lossy().as_ref())
            .copied()
            .unwrap_or(usize::MAX)
    });
    (paths, selection)
}

/// Whether shard `shard` of `plan` is complete: `Ok(false)` without a marker, an error
/// when its marker was made for another plan.
pub fn shard_done(dir: &Path, plan: &Plan, shard: usize) -> Result<bool, ShardError> {
    let path = marker_path(dir, shard, plan.shards);
    let Ok(text) = std::fs::read(&path) else {
        return Ok(false);
    };
    let sealed = serde_json::from_slice::<Marker>(&text)
        .is_ok_and(|marker| marker.plan_hash == plan_hash(plan));
    if sealed {
        Ok(true)
    } else {
        Err(ShardError::StaleMarker {
            dir: dir.to_owned(),
            marker: path,
        })
    }
}

/// Writes the marker of a finished shard, after checksumming its part.
pub fn write_marker(
    dir: &Path,
    plan: &Plan,
    shard: usize,
    rows: u64,
) -> Result<Marker, ShardError> {
    let part = part_path(dir, shard, plan.shards);
    let (sha256, bytes) = checksum(&part)?;
    let inputs = plan.entries.iter().filter(|e| e.shard == shard).count() as u64;
    let marker = Marker {
        shard,
        shards: plan.shards,
        rows,
        bytes,
        sha256,
        inputs,
        version: plan.version.clone(),
        pipeline_hash: plan.pipeline_hash.clone(),
        plan_hash: plan_hash(plan),
    };
    let path = marker_path(dir, shard, plan.shards);
    let json = serde_json::to_vec_pretty(&marker).map_err(|e| ShardError::Invalid {
        what: "marker",
        path: path.clone(),
        reason: e.to_string(),
    })?;
    write_atomic(&path, &json)?;
    Ok(marker)
}

fn checksum(path: &Path) -> Result<(String, u64), ShardError> {
    let mut file = std::fs::File::open(path).map_err(io(path))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(io(path))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hex(&hasher.finalize()), total))
}

/// What a successful merge found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergeSummary {
    /// Shards merged.
    pub shards: usize,
    /// Records in all parts.
    pub rows: u64,
    /// The pipeline hash every part shares.
    pub pipeline_hash: String,
}

/// Checks every shard's marker and part, adds up their reports into `report.json`, writes
/// `_SUCCESS`, and, when asked, one file with every record in single-run order.
pub fn merge(dir: &Path, concat: Option<&Path>) -> Result<MergeSummary, ShardError> {
    let (plan, _) = read_plan(dir)?;
    // A merge that fails must not leave the success marker of an earlier one.
    let success = dir.join("_SUCCESS");
    if success.exists() {
        std::fs::remove_file(&success).map_err(io(&success))?;
    }
    let mut missing = Vec::new();
    let mut problems = Vec::new();
    let mut rows = 0;
    for shard in 0..plan.shards {
        match check_shard(dir, &plan, shard) {
            Ok(marker) => rows += marker.rows,
            Err(problem) => {
                missing.push(shard);
                problems.push(format!("shard {shard}: {problem}"));
            }
        }
    }
    // Parts of another shard count or pipeline are refused, not mixed in.
    if let Ok(listing) = std::fs::read_dir(dir.join("parts")) {
        let expected = format!("-of-{:05}.", plan.shards);
        for entry in listing.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("part-")
                && name.ends_with(".done.json")
                && !name.contains(&expected)
            {
                problems.push(format!("{name} belongs to a plan with another shard count"));
                missing.sort_unstable();
            }
        }
    }
    if !missing.is_empty() || !problems.is_empty() {
        return Err(ShardError::Missing {
            missing,
            total: plan.shards,
            problems,
        });
    }
    let report = add_reports(dir, &plan)?;
    write_atomic(
        &dir.join("report.json"),
        &serde_json::to_vec_pretty(&report).unwrap_or_default(),
    )?;
    if let Some(out) = concat {
        concatenate(dir, &plan, out)?;
    }
    let summary = MergeSummary {
        shards: plan.shards,
        rows,
        pipeline_hash: plan.pipeline_hash.clone(),
    };
    write_atomic(
        &dir.join("_SUCCESS"),
        &serde_json::to_vec_pretty(&summary).unwrap_or_default(),
    )?;
    Ok(summary)
}

fn check_shard(dir: &Path, plan: &Plan, shard: usize) -> Result<Marker, String> {
    let path = marker_path(dir, shard, plan.shards);
    let text = std::fs::read(&path).map_err(|_| "no completion marker".to_owned())?;
    let marker: Marker =
        serde_json::from_slice(&text).map_err(|e| format!("unreadable marker: {e}"))?;
    if marker.shards != plan.shards || marker.shard != shard {
        return Err(format!(
            "marker is for shard {} of {}",
            marker.shard, marker.shards
        ));
    }
    if marker.pipeline_hash != plan.pipeline_hash {
        return Err("made with another pipeline or version".into());
    }
    if marker.plan_hash != plan_hash(plan) {
        return Err(format!(
            "{} was made for another plan (re-run the shard after deleting it)",
            path.display()
        ));
    }
    let (sha256, bytes) = checksum(&part_path(dir, shard, plan.shards))
        .map_err(|e| format!("part unreadable: {e}"))?;
    if sha256 != marker.sha256 || bytes != marker.bytes {
        return Err("part does not match its marker's checksum".into());
    }
    Ok(marker)
}

/// Sums every number and every map of numbers in the shards' reports.
fn add_reports(dir: &Path, plan: &Plan) -> Result<serde_json::Value, ShardError> {
    let mut total = serde_json::Value::Null;
    for shard in 0..plan.shards {
        let path = dir
            .join("parts")
            .join(format!("{}.report.json", part_stem(shard, plan.shards)));
        let text = std::fs::read(&path).map_err(io(&path))?;
        let report: serde_json::Value =
            serde_json::from_slice(&text).map_err(|e| ShardError::Invalid {
                what: "report",
                path,
                reason: e.to_string(),
            })?;
        add_values(&mut total, &report);
    }
    // Shares do not add up: they are taken again from the summed counts.
    if let (Ok(fields), Some(posts)) = (
        serde_json::from_value::<crate::report::FieldCounts>(total["fields"].clone()),
        total["posts"].as_u64(),
    ) && let Ok(rates) = serde_json::to_value(fields.rates(posts))
    {
        total["field_rates"] = rates;
    }
    Ok(total)
}

fn add_values(into: &mut serde_json::Value, from: &serde_json::Value) {
    use serde_json::Value;
    match (into, from) {
        (into @ Value::Null, from) => *into = from.clone(),
        (Value::Number(a), Value::Number(b)) => {
            if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
                *a = (x + y).into();
            } else if let (Some(x), Some(y)) = (a.as_f64(), b.as_f64())
                && let Some(n) = serde_json::Number::from_f64(x + y)
            {
                *a = n;
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in b {
                add_values(a.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
        (Value::Bool(a), Value::Bool(b)) => *a |= *b,
        _ => {}
    }
}

/// Interleaves the parts back into plan order: each part is in plan order already, so a
/// k-way merge on the plan position gives the bytes of a single run. The parts are JSONL
/// whatever `out` is: a `.parquet` name gets the same records as Parquet.
fn concatenate(dir: &Path, plan: &Plan, out: &Path) -> Result<(), ShardError> {
    let position: BTreeMap<(&str, Option<&str>), usize> = plan
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.path.as_str(), e.member.as_deref()), i))
        .collect();
    let mut readers = Vec::new();
    for shard in 0..plan.shards {
        let path = part_path(dir, shard, plan.shards);
        let file = std::fs::File::open(&path).map_err(io(&path))?;
        let decoder = zstd::stream::read::Decoder::new(file).map_err(io(&path))?;
        readers.push(BufReader::new(decoder));
    }
    let next =
        |reader: &mut BufReader<_>, path: &Path| -> Result<Option<(usize, Vec<u8>)>, ShardError> {
            let mut line = Vec::new();
            if reader.read_until(b'\n', &mut line).map_err(io(path))? == 0 {
                return Ok(None);
            }
            let value: serde_json::Value =
                serde_json::from_slice(&line).map_err(|e| ShardError::Invalid {
                    what: "part",
                    path: path.to_owned(),
                    reason: e.to_string(),
                })?;
            let source = &value["source"];
            let key = (
                source["path"].as_str().unwrap_or_default(),
                source["member"].as_str(),
            );
            let at = position.get(&key).copied().unwrap_or(usize::MAX);
            Ok(Some((at, line)))
        };
    let mut heap = BinaryHeap::new();
    for (shard, reader) in readers.iter_mut().enumerate() {
        if let Some((at, line)) = next(reader, &part_path(dir, shard, plan.shards))? {
            heap.push(std::cmp::Reverse((at, shard, line)));
        }
    }
    let failed = |e: threadmill_export::Error| ShardError::Invalid {
        what: "output",
        path: out.to_owned(),
        reason: crate::error::chain(&e),
    };
    let mut writer = RecordWriter::create(out).map_err(failed)?;
    while let Some(std::cmp::Reverse((_, shard, line))) = heap.pop() {
        writer.write_line(&line).map_err(failed)?;
        if let Some((at, line)) = next(&mut readers[shard], &part_path(dir, shard, plan.shards))? {
            heap.push(std::cmp::Reverse((at, shard, line)));
        }
    }
    writer.finish().map_err(failed)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_index_comes_from_the_first_variable_set() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert!(shard_index_from_env(env(&[])).is_none());
        assert_eq!(
            shard_index_from_env(env(&[("SLURM_ARRAY_TASK_ID", "3")])).map(Result::ok),
            Some(Some(3))
        );
        assert_eq!(
            shard_index_from_env(env(&[("SHARD_INDEX", "1"), ("SLURM_ARRAY_TASK_ID", "3")]))
                .map(Result::ok),
            Some(Some(1))
        );
        assert_eq!(
            shard_index_from_env(env(&[("JOB_COMPLETION_INDEX", "2")])).map(Result::ok),
            Some(Some(2))
        );
        assert!(
            shard_index_from_env(env(&[("AWS_BATCH_JOB_ARRAY_INDEX", "x")]))
                .is_some_and(|r| r.is_err())
        );
    }

    #[test]
    fn reports_add_up() {
        let mut total = serde_json::Value::Null;
        add_values(
            &mut total,
            &serde_json::json!({"records": 2, "engines": {"phpbb": 1}, "wall_seconds": 1.5, "interrupted": false}),
        );
        add_values(
            &mut total,
            &serde_json::json!({"records": 3, "engines": {"phpbb": 1, "smf": 2}, "wall_seconds": 0.5, "interrupted": false}),
        );
        assert_eq!(
            total,
            serde_json::json!({"records": 5, "engines": {"phpbb": 2, "smf": 2}, "wall_seconds": 2.0, "interrupted": false})
        );
    }

    #[test]
    fn a_threads_pages_share_a_shard() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut inputs = Vec::new();
        for (name, size) in [
            ("showthread.php?t=9&page=2.html", 100),
            ("a.html", 90),
            ("b.html", 80),
            ("showthread.php?t=9.html", 10),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, vec![b'x'; size]).expect("write");
            inputs.push(Input {
                path,
                kind: Kind::Page {
                    format: threadmill_model::Format::Html,
                },
                codec: crate::inputs::Codec::None,
            });
        }
        let plan = make_plan(&inputs, &[], &PipelineConfig::default(), "", 2).expect("plan");
        let shards: Vec<usize> = plan.entries.iter().map(|e| e.shard).collect();
        assert_eq!(shards, [0, 1, 1, 0]);
    }

    #[test]
    fn plans_balance_bytes_deterministically() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut inputs = Vec::new();
        for (name, size) in [("a.txt", 100), ("b.txt", 60), ("c.txt", 50), ("d.txt", 10)] {
            let path = dir.path().join(name);
            std::fs::write(&path, vec![b'x'; size]).expect("write");
            inputs.push(Input {
                path,
                kind: Kind::Page {
                    format: threadmill_model::Format::Text,
                },
                codec: crate::inputs::Codec::None,
            });
        }
        let plan = make_plan(&inputs, &[], &PipelineConfig::default(), "", 2).expect("plan");
        let shards: Vec<usize> = plan.entries.iter().map(|e| e.shard).collect();
        assert_eq!(shards, [0, 1, 1, 0]);
        assert_eq!(
            plan,
            make_plan(&inputs, &[], &PipelineConfig::default(), "", 2).expect("again")
        );
    }
}
