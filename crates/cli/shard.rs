//! `threadmill plan`, `threadmill run --plan`, `threadmill merge`: sharded runs as array
//! tasks of a cluster engine (Slurm, Kubernetes Indexed Jobs, AWS Batch).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use threadmill_pipeline::shard::{self, Plan};
use threadmill_pipeline::{PipelineConfig, RunOptions, Runner, discover};

use crate::{RunArgs, pipeline_text, progress_bar, stop_on_signals, summarise};

#[derive(Debug, clap::Args)]
pub(crate) struct PlanArgs {
    /// Input files or folders (recursive); repeatable.
    #[arg(long, short, default_value = "data")]
    input: Vec<PathBuf>,
    /// Number of shards (array tasks).
    #[arg(long)]
    shards: usize,
    /// The plan folder: the plan, its pipeline, and later the parts and markers.
    #[arg(long)]
    out: PathBuf,
    /// Pipeline file (TOML); the built-in default pipeline when absent.
    #[arg(long)]
    pipeline: Option<PathBuf>,
    /// Replace another plan in the folder, deleting its parts and markers.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct MergeArgs {
    /// The plan folder.
    dir: PathBuf,
    /// Also write every record, in the order of a single run, to this file (.jsonl,
    /// .jsonl.gz, .jsonl.zst or .parquet).
    #[arg(long)]
    concat: Option<PathBuf>,
}

pub(crate) fn plan(args: &PlanArgs) -> anyhow::Result<ExitCode> {
    crate::preflight::check_inputs(&args.input)?;
    let (name, text) = pipeline_text(args.pipeline.as_ref())?;
    let config = PipelineConfig::from_toml(&name, &text)?;
    let (inputs, early_rejects) = discover(&args.input, &config.input)?;
    let plan = shard::make_plan(&inputs, &early_rejects, &config, &text, args.shards)?;
    shard::write_plan(&args.out, &plan, &text, args.force)?;
    crate::plan_roots::write(&args.out, &args.input)?;
    let mut sizes = vec![(0u64, 0u64); plan.shards];
    for entry in &plan.entries {
        sizes[entry.shard].0 += 1;
        sizes[entry.shard].1 += entry.bytes;
    }
    println!(
        "{}: {} pages in {} shards",
        args.out.display(),
        plan.entries.len(),
        plan.shards
    );
    for (i, (pages, bytes)) in sizes.iter().enumerate() {
        println!("  shard {i}: {pages} pages, {bytes} bytes");
    }
    Ok(ExitCode::SUCCESS)
}

/// Parses `I/N` or `I`.
fn parse_shard(text: &str) -> anyhow::Result<(usize, Option<usize>)> {
    let (index, count) = match text.split_once('/') {
        Some((i, n)) => (i, Some(n)),
        None => (text, None),
    };
    let index = index
        .trim()
        .parse()
        .with_context(|| format!("--shard {text:?}: expected I/N"))?;
    let count = count
        .map(|n| n.trim().parse())
        .transpose()
        .with_context(|| format!("--shard {text:?}: expected I/N"))?;
    Ok((index, count))
}

/// Which shard this task runs, and checks it against the plan.
fn shard_of(args: &RunArgs, plan: &Plan) -> anyhow::Result<usize> {
    let (index, count) = if let Some(text) = &args.shard {
        parse_shard(text)?
    } else {
        let index = shard::shard_index_from_env(|name| std::env::var(name).ok()).context(
            "no shard given: pass --shard I/N or set SHARD_INDEX (or run as an array task)",
        )??;
        (index, None)
    };
    let count = match count {
        Some(n) => Some(n),
        None => std::env::var("SHARD_COUNT")
            .ok()
            .map(|n| n.trim().parse::<usize>())
            .transpose()
            .context("SHARD_COUNT is not a number")?,
    };
    if let Some(count) = count
        && count != plan.shards
    {
        bail!(
            "shard count {count} does not match the plan's {} shards",
            plan.shards
        );
    }
    if index >= plan.shards {
        bail!(
            "shard index {index} is out of range for a plan of {} shards (indices 0..{})",
            plan.shards,
            plan.shards - 1
        );
    }
    Ok(index)
}

/// Runs one shard. A shard whose marker exists is done: it exits at once. Rejected pages
/// do not fail the task (they are in the shard's rejects file and report); only a run
/// that could not be done does, so the cluster retries just that.
pub(crate) fn run_shard(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let dir = args.plan.clone().context("--plan is required")?;
    let (plan, text) = shard::read_plan(&dir)?;
    let index = shard_of(args, &plan)?;
    let marker = shard::marker_path(&dir, index, plan.shards);
    if shard::shard_done(&dir, &plan, index)? {
        eprintln!(
            "threadmill: shard {index} of {} is already complete ({})",
            plan.shards,
            marker.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut config = PipelineConfig::from_toml(shard::PIPELINE_FILE, &text)?;
    config.lexicons.extend(args.lexicon.iter().cloned());
    if args.now.is_some() {
        config.extract.now.clone_from(&args.now);
    }
    let runner = Runner::new(config)?;
    let (paths, selection) = shard::shard_work(&plan, index);
    let (inputs, early_rejects) = discover(&paths, &runner.config().input)?;
    let output = shard::part_path(&dir, index, plan.shards);
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let mut options = RunOptions::new(&output, jobs);
    options.stop = Some(stop_on_signals()?);
    options.select = Some(Arc::new(selection));
    options.id_roots = crate::plan_roots::read(&dir)?;
    let bar = progress_bar(0);
    let report = runner
        .run(&inputs, early_rejects, &options, &|p| {
            bar.set_position(p.bytes);
        })
        .with_context(|| format!("shard {index} failed"))?;
    bar.finish_and_clear();
    summarise(&report);
    if report.interrupted {
        return Ok(ExitCode::from(130));
    }
    shard::write_marker(&dir, &plan, index, report.records)?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn merge(args: &MergeArgs) -> anyhow::Result<ExitCode> {
    let summary = shard::merge(&args.dir, args.concat.as_deref())?;
    println!(
        "{}: {} shards, {} records: _SUCCESS",
        args.dir.display(),
        summary.shards,
        summary.rows
    );
    Ok(ExitCode::SUCCESS)
}
