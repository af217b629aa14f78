//! The per-page chain: decode, clean, segment, extract and serialise one page, in a worker.

use std::time::Instant;

use threadmill_export::to_line;
use threadmill_lexicon::Lexicon;
use threadmill_model::{Format, Page, Reject, Source, SourceRef, Stage};

use crate::config::PipelineConfig;
use crate::error::chain;
use crate::group::Group;
use crate::paths::page_id;
use crate::read::{Item, SkipReason};
use crate::report::{RecordSummary, StageTimes};

/// What every worker shares: the pipeline, its compiled lexicon and the thread recogniser.
pub(crate) struct Shared {
    pub(crate) config: PipelineConfig,
    pub(crate) lexicon: Lexicon,
    /// Present when pages are grouped into threads.
    pub(crate) recogniser: Option<threadmill_stitch::Recogniser>,
}

/// What became of one page.
pub(crate) enum Outcome {
    Record {
        line: Vec<u8>,
        summary: RecordSummary,
        id: String,
        group: Option<Group>,
    },
    Reject(Reject),
    Skip(SkipReason),
    Unchanged,
}

pub(crate) struct Done {
    pub(crate) outcome: Outcome,
    pub(crate) times: StageTimes,
    /// For processed (or reused) pages: the checkpoint and state key.
    pub(crate) key: Option<(String, Option<String>, String)>,
}

/// Runs every stage on one page, in a worker. A panic inside a stage (a bug, never
/// expected) is caught and becomes a reject of that stage, so one page cannot end the night.
pub(crate) fn process(
    shared: &Shared,
    path: String,
    id_key: &str,
    sha256: String,
    item: Item,
) -> Done {
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
