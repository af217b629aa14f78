//! The run report: what went in, what came out, how long each stage took.

use std::collections::BTreeMap;
use std::ops::{AddAssign, SubAssign};

use serde::{Deserialize, Serialize};
use threadmill_model::Thread;

/// Time spent in each per-page stage, summed over workers, in seconds. (Reading and
/// decompressing happen on the main thread, interleaved with writing: the wall time
/// covers them.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct StageTimes {
    /// Bytes to text.
    pub decode: f64,
    /// Text repair and chrome classification.
    pub clean: f64,
    /// Posts and blocks.
    pub segment: f64,
    /// Dates, links, languages, articles.
    pub extract: f64,
    /// Serialising records.
    pub export: f64,
}

impl AddAssign for StageTimes {
    fn add_assign(&mut self, o: Self) {
        self.decode += o.decode;
        self.clean += o.clean;
        self.segment += o.segment;
        self.extract += o.extract;
        self.export += o.export;
    }
}

/// Versions of what produced the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Versions {
    /// threadmill's version.
    pub threadmill: String,
    /// The record schema.
    pub schema: String,
}

impl Default for Versions {
    fn default() -> Self {
        Self {
            threadmill: env!("CARGO_PKG_VERSION").to_owned(),
            schema: threadmill_model::SCHEMA.to_owned(),
        }
    }
}

/// What the report counts of one record, kept with it in the checkpoint journal so that a
/// resumed run counts reused records the same.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordSummary {
    /// Posts in the record.
    pub posts: u64,
    /// The record's engine.
    pub engine: String,
    /// The extractor that built its posts (`html:schema.org`, `html:main-text`, …).
    #[serde(default)]
    pub extractor: String,
    /// Its content language.
    pub lang: Option<String>,
    /// How many of its posts have each field.
    #[serde(default)]
    pub fields: FieldCounts,
}

impl RecordSummary {
    /// The summary of a record.
    pub fn of(thread: &Thread) -> Self {
        let mut fields = FieldCounts::default();
        for post in &thread.posts {
            let count = |present: bool| u64::from(present);
            fields.author += count(post.author.is_some());
            fields.author_url += count(post.author_url.is_some());
            fields.posted_at += count(post.posted_at.is_some());
            fields.posted_at_utc += count(post.posted_at_utc.is_some());
            fields.id += count(post.id.is_some());
            fields.links += count(!post.links.is_empty());
            fields.lang += count(post.lang.is_some());
        }
        Self {
            posts: thread.posts.len() as u64,
            engine: thread.engine.clone(),
            extractor: thread.extractor.clone(),
            lang: thread.lang.clone(),
            fields,
        }
    }
}

/// Posts that have each field: a field going empty shows as a falling count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FieldCounts {
    /// An author's name.
    pub author: u64,
    /// A profile link.
    pub author_url: u64,
    /// A resolved post date.
    pub posted_at: u64,
    /// A post time in UTC.
    pub posted_at_utc: u64,
    /// The forum's post id.
    pub id: u64,
    /// At least one link.
    pub links: u64,
    /// A detected or inherited language.
    pub lang: u64,
}

impl FieldCounts {
    /// Each field's share of `posts`, 0 to 1, by field name.
    pub fn rates(&self, posts: u64) -> BTreeMap<String, f64> {
        let rate = |n: u64| {
            if posts == 0 {
                0.0
            } else {
                (n as f64 / posts as f64 * 1000.0).round() / 1000.0
            }
        };
        [
            ("author", self.author),
            ("author_url", self.author_url),
            ("posted_at", self.posted_at),
            ("posted_at_utc", self.posted_at_utc),
            ("id", self.id),
            ("links", self.links),
            ("lang", self.lang),
        ]
        .into_iter()
        .map(|(name, n)| (name.to_owned(), rate(n)))
        .collect()
    }
}

impl AddAssign for FieldCounts {
    fn add_assign(&mut self, o: Self) {
        self.author += o.author;
        self.author_url += o.author_url;
        self.posted_at += o.posted_at;
        self.posted_at_utc += o.posted_at_utc;
        self.id += o.id;
        self.links += o.links;
        self.lang += o.lang;
    }
}

impl SubAssign for FieldCounts {
    fn sub_assign(&mut self, o: Self) {
        self.author = self.author.saturating_sub(o.author);
        self.author_url = self.author_url.saturating_sub(o.author_url);
        self.posted_at = self.posted_at.saturating_sub(o.posted_at);
        self.posted_at_utc = self.posted_at_utc.saturating_sub(o.posted_at_utc);
        self.id = self.id.saturating_sub(o.id);
        self.links = self.links.saturating_sub(o.links);
        self.lang = self.lang.saturating_sub(o.lang);
    }
}

/// How many example sources the report keeps per reject reason.
const EXAMPLES_PER_REASON: usize = 3;

/// `threads.report.json`: every input (a page, an archive entry, a WARC record, a JSONL
/// line, or a path that could not be opened) ends as exactly one record, reject, skip,
/// unchanged entry, or page stitched into another page's record:
/// `inputs == records + stitched_pages + rejects + skipped + unchanged`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// The pipeline's name.
    pub pipeline: Option<String>,
    /// Inputs seen.
    pub inputs: u64,
    /// Records written.
    pub records: u64,
    /// Pages folded into the record of an earlier page of their thread (`[stitch]`): a
    /// thread of five pages is one record and four stitched pages.
    pub stitched_pages: u64,
    /// Records stitched from two pages or more.
    pub stitched_threads: u64,
    /// Inputs rejected.
    pub rejects: u64,
    /// Rejects per stage name.
    pub rejects_by_stage: BTreeMap<String, u64>,
    /// Rejects per reason (the error's first clause), with a few example sources.
    pub reject_reasons: BTreeMap<String, RejectReason>,
    /// Entries that are not pages (a WARC request, an image in a tarball), and skipped
    /// duplicates.
    pub skipped: u64,
    /// Skips per reason.
    pub skipped_by_reason: BTreeMap<String, u64>,
    /// Inputs whose bytes repeat an earlier input of the run.
    pub duplicates: u64,
    /// With a state: inputs not seen before.
    pub new: u64,
    /// With a state: inputs whose content changed.
    pub changed: u64,
    /// With a state: inputs passed over because their content did not change.
    pub unchanged: u64,
    /// With a state: inputs rejected last time, tried again.
    pub retried: u64,
    /// With a state: why every input was processed again (another pipeline or threadmill
    /// version wrote the state, or `--reprocess`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reprocessed: Option<String>,
    /// With a state: inputs of the last run that are gone.
    pub vanished: u64,
    /// Outcomes reused from an interrupted run's checkpoint.
    pub resumed: u64,
    /// Pages rejected for running over their time budget.
    pub timeouts: u64,
    /// True when the run was stopped before the end; its checkpoint is kept for resuming.
    pub interrupted: bool,
    /// Posts in all records.
    pub posts: u64,
    /// Input file bytes, as stored (compressed files and archives counted as they are).
    pub bytes_in: u64,
    /// Page bytes after decompression: what the stages processed.
    pub page_bytes: u64,
    /// Output bytes (uncompressed JSON).
    pub bytes_out: u64,
    /// Records per engine.
    pub engines: BTreeMap<String, u64>,
    /// Records per extractor: how many pages fell back (`html:main-text`, `html:article`)
    /// and how many were read by each engine profile, schema.org markup or the generic finder.
    pub extractors: BTreeMap<String, u64>,
    /// Posts that have each field.
    pub fields: FieldCounts,
    /// Each field's share of all posts (`fields` / `posts`).
    pub field_rates: BTreeMap<String, f64>,
    /// Records per content language (`none` when it could not be told).
    pub langs: BTreeMap<String, u64>,
    /// Records by number of posts: `1`, `2-5`, `6-20`, `21-50`, `51+`.
    pub posts_per_thread: BTreeMap<String, u64>,
    /// Worker threads used.
    pub jobs: usize,
    /// Wall-clock seconds.
    pub wall_seconds: f64,
    /// Page megabytes (10^6 bytes, after decompression) per wall-clock second.
    pub mb_per_second: f64,
    /// Records per wall-clock second.
    pub threads_per_second: f64,
    /// Seconds per stage, summed over workers.
    pub stage_seconds: StageTimes,
    /// Where the records went.
    pub output: String,
    /// Versions.
    pub versions: Versions,
}

/// The `posts_per_thread` bucket of a record.
fn bucket(posts: u64) -> &'static str {
    match posts {
        0 | 1 => "1",
        2..=5 => "2-5",
        6..=20 => "6-20",
        21..=50 => "21-50",
        _ => "51+",
    }
}

/// One reject reason in the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RejectReason {
    /// How many rejects gave it.
    pub count: u64,
    /// The first few sources (path, and member when inside an archive).
    pub examples: Vec<String>,
}

impl Report {
    /// Counts a record.
    pub fn note_record(&mut self, record: &RecordSummary, bytes: u64) {
        self.records += 1;
        self.posts += record.posts;
        self.bytes_out += bytes;
        self.fields += record.fields;
        *self.engines.entry(record.engine.clone()).or_default() += 1;
        *self.extractors.entry(record.extractor.clone()).or_default() += 1;
        *self
            .langs
            .entry(record.lang.as_deref().unwrap_or("none").to_owned())
            .or_default() += 1;
        *self
            .posts_per_thread
            .entry(bucket(record.posts).to_owned())
            .or_default() += 1;
    }

    /// Takes back a counted record (a page that became part of a stitched thread).
    pub fn unnote_record(&mut self, record: &RecordSummary, bytes: u64) {
        let take = |map: &mut BTreeMap<String, u64>, key: &str| {
            if let Some(count) = map.get_mut(key) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    map.remove(key);
                }
            }
        };
        self.records = self.records.saturating_sub(1);
        self.posts = self.posts.saturating_sub(record.posts);
        self.bytes_out = self.bytes_out.saturating_sub(bytes);
        self.fields -= record.fields;
        take(&mut self.engines, &record.engine);
        take(&mut self.extractors, &record.extractor);
        take(&mut self.langs, record.lang.as_deref().unwrap_or("none"));
        take(&mut self.posts_per_thread, bucket(record.posts));
    }

    /// Counts a reject under its reason.
    pub fn note_reject(&mut self, reject: &threadmill_model::Reject) {
        let reason = reject.error.split(':').next().unwrap_or_default().trim();
        let key = format!(
            "{}: {}",
            reject.stage,
            reason.chars().take(80).collect::<String>()
        );
        let entry = self.reject_reasons.entry(key).or_default();
        entry.count += 1;
        if entry.examples.len() < EXAMPLES_PER_REASON {
            let source = match &reject.source.member {
                Some(member) => format!("{} ! {member}", reject.source.path),
                None => reject.source.path.clone(),
            };
            entry.examples.push(source);
        }
    }

    /// Fills in the rates from the totals and the wall time.
    pub fn finish(&mut self, wall_seconds: f64) {
        self.wall_seconds = wall_seconds;
        self.field_rates = self.fields.rates(self.posts);
        if wall_seconds > 0.0 {
            self.mb_per_second = self.page_bytes as f64 / 1e6 / wall_seconds;
            self.threads_per_second = self.records as f64 / wall_seconds;
        }
    }
}
