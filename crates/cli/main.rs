//! The `threadmill` command line.

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the binary is where output is printed"
)]

mod logging;
mod plan_roots;
mod preflight;
mod shard;
mod streams;

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use threadmill_pipeline::{IdRoots, PipelineConfig, Report, RunOptions, Runner, discover};

// mimalloc: about a tenth more pages per second than the system allocator on 2 cores, and
// flat memory over long archives (docs/speed.md has the measurements).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The default pipeline, compiled in so that `run` needs no file.
const DEFAULT_PIPELINE: &str = include_str!("../../pipelines/default.toml");

/// Turns archives of scraped forum threads into clean, structured JSONL.
#[derive(Debug, Parser)]
#[command(name = "threadmill", version, about)]
struct Cli {
    /// More logging (-v info, -vv debug); `RUST_LOG` overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    /// How log events are written to stderr: text lines, or one JSON object per event.
    #[arg(long, value_enum, default_value = "text", global = true)]
    log_format: logging::LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Process inputs into one JSON line per thread.
    Run(Box<RunArgs>),
    /// Validate pipeline files.
    Check {
        /// Pipeline files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the JSON Schema of the records.
    Schema,
    /// Freeze a sharded run: list every page and assign pages to shards.
    Plan(shard::PlanArgs),
    /// Check a sharded run's parts, add up their reports, write `_SUCCESS`.
    Merge(shard::MergeArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct RunArgs {
    /// Pipeline file (TOML); the built-in default pipeline when absent.
    #[arg(long)]
    pipeline: Option<PathBuf>,
    /// Input files or folders (recursive); repeatable. `-` reads scraper JSONL from stdin.
    #[arg(long, short, default_value = "data")]
    input: Vec<PathBuf>,
    /// Output file: .jsonl, .jsonl.gz, .jsonl.zst or .parquet, or `-` for JSONL on stdout
    /// [default: the pipeline's, out/threads.jsonl].
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Also write the run's report (JSON) here; with `--output -` it goes to stderr otherwise.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Succeed when the inputs hold nothing to read (otherwise exit 2).
    #[arg(long)]
    allow_empty: bool,
    /// Worker threads [default: all cores].
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Extra lexicon file or folder; repeatable.
    #[arg(long)]
    lexicon: Vec<PathBuf>,
    /// Reference time for relative dates when an input has none (ISO 8601).
    #[arg(long)]
    now: Option<String>,
    /// Nightly state folder: process only new and changed inputs (the output is the delta).
    #[arg(long)]
    state: Option<PathBuf>,
    /// Run one shard of the plan in this folder (see `threadmill plan`).
    #[arg(long, conflicts_with_all = ["pipeline", "output", "state"])]
    plan: Option<PathBuf>,
    /// The shard to run, `I/N` or `I`; else from `SHARD_INDEX`, `SLURM_ARRAY_TASK_ID`,
    /// `JOB_COMPLETION_INDEX` or `AWS_BATCH_JOB_ARRAY_INDEX`, with N from `SHARD_COUNT` or
    /// the plan.
    #[arg(long, requires = "plan")]
    shard: Option<String>,
    /// Only walk files whose path below an input folder matches this glob; repeatable.
    #[arg(long)]
    include: Vec<String>,
    /// Leave out walked files whose path below an input folder matches this glob; repeatable.
    #[arg(long)]
    exclude: Vec<String>,
    /// With a state folder: process every input again, changed or not.
    #[arg(long)]
    reprocess: bool,
}

/// Exit codes: 0 all inputs became records, 1 some were rejected, 2 the run could not be
/// done, 130 the run was interrupted (the next run resumes it).
fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(cli.verbose, cli.log_format);
    let result = match cli.command {
        Command::Run(args) if args.plan.is_some() => shard::run_shard(&args),
        Command::Run(args) => run(*args),
        Command::Plan(args) => shard::plan(&args),
        Command::Merge(args) => shard::merge(&args),
        Command::Check { files } => check(&files),
        Command::Schema => {
            print!("{}", threadmill_export_schema());
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // One line, whatever the causes print (TOML errors quote the file over several).
            let message = format!("{err:#}")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            eprintln!("threadmill: {message}");
            ExitCode::from(2)
        }
    }
}

fn threadmill_export_schema() -> &'static str {
    threadmill_pipeline::THREAD_SCHEMA
}

fn load_pipeline(path: Option<&PathBuf>) -> anyhow::Result<PipelineConfig> {
    let (name, text) = pipeline_text(path)?;
    Ok(PipelineConfig::from_toml(&name, &text)?)
}

/// The pipeline file's name (for errors) and text; the built-in default when absent.
pub(crate) fn pipeline_text(path: Option<&PathBuf>) -> anyhow::Result<(String, String)> {
    Ok(match path {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read pipeline file {}", path.display()))?;
            (path.display().to_string(), text)
        }
        None => (
            "built-in default pipeline".to_owned(),
            DEFAULT_PIPELINE.to_owned(),
        ),
    })
}

/// Registers SIGINT and SIGTERM: the first stops the run after the pages in flight, a
/// second ends the process at once.
pub(crate) fn stop_on_signals() -> anyhow::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop))
            .context("cannot install signal handlers")?;
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("cannot install signal handlers")?;
    }
    Ok(stop)
}

/// A progress bar over input bytes on a terminal, hidden otherwise.
pub(crate) fn progress_bar(total_bytes: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total_bytes);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} {msg} ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

fn check(files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    for file in files {
        let config = load_pipeline(Some(file))?;
        Runner::new(config)
            .with_context(|| format!("pipeline {} does not compile", file.display()))?;
        println!("{}: ok", file.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    preflight::check_inputs(&args.input)?;
    let mut config = load_pipeline(args.pipeline.as_ref())?;
    config.lexicons.extend(args.lexicon);
    config.input.include.extend(args.include);
    config.input.exclude.extend(args.exclude);
    if args.now.is_some() {
        config.extract.now = args.now;
    }
    let destination =
        streams::Destination::new(args.output.unwrap_or_else(|| config.export.output.clone()))?;
    let output = destination.output.clone();
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let runner = Runner::new(config)?;
    let (stdin, paths): (Vec<PathBuf>, Vec<PathBuf>) = args
        .input
        .iter()
        .cloned()
        .partition(|p| p.as_os_str() == preflight::STDIN);
    let (mut inputs, early_rejects) = discover(&paths, &runner.config().input)?;
    if !stdin.is_empty() {
        inputs.push(streams::stdin_input());
    }
    threadmill_pipeline::check_output(&paths, &output, &runner.config().input)?;
    preflight::check_not_empty(&args.input, &inputs, early_rejects.len(), args.allow_empty)?;
    tracing::info!(inputs = inputs.len(), jobs, output = %output.display(), "starting run");

    let total_bytes: u64 = inputs
        .iter()
        .filter_map(|i| std::fs::metadata(&i.path).ok())
        .map(|m| m.len())
        .sum();
    let bar = progress_bar(total_bytes);
    let total_inputs = inputs.len();
    let stop = stop_on_signals()?;
    let mut options = RunOptions::new(&output, jobs);
    options.state = args.state.or_else(|| runner.config().state.clone());
    options.stop = Some(stop);
    options.reprocess = args.reprocess;
    options.id_roots = IdRoots::new(&args.input);
    let mut report = runner
        .run(&inputs, early_rejects, &options, &|p| {
            bar.set_position(p.bytes);
            bar.set_message(format!(
                "{}/{} inputs, {} pages",
                p.inputs_done, total_inputs, p.pages_done
            ));
        })
        .with_context(|| format!("run writing {} failed", output.display()))?;
    bar.finish_and_clear();
    if destination.is_stdout() {
        "stdout".clone_into(&mut report.output);
    }
    summarise(&report);
    destination.deliver(args.report.as_deref(), !report.interrupted)?;
    Ok(if report.interrupted {
        ExitCode::from(130)
    } else if report.rejects > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub(crate) fn summarise(report: &Report) {
    let rejects = if report.rejects_by_stage.is_empty() {
        String::new()
    } else {
        let by: Vec<String> = report
            .rejects_by_stage
            .iter()
            .map(|(stage, n)| format!("{stage} {n}"))
            .collect();
        format!(" ({})", by.join(", "))
    };
    let mut extra = String::new();
    if report.skipped > 0 {
        let _ = write!(extra, ", {} skipped", report.skipped);
    }
    if report.stitched_pages > 0 {
        let _ = write!(
            extra,
            ", {} pages folded into {} stitched threads",
            report.stitched_pages, report.stitched_threads
        );
    }
    if report.new + report.changed + report.unchanged + report.vanished > 0 {
        let _ = write!(
            extra,
            ", {} new, {} changed, {} unchanged, {} vanished",
            report.new, report.changed, report.unchanged, report.vanished
        );
    }
    if report.resumed > 0 {
        let _ = write!(extra, ", {} resumed from the checkpoint", report.resumed);
    }
    if report.interrupted {
        extra.push_str(", INTERRUPTED: run the same command again to resume");
    }
    eprintln!(
        "threadmill: {} inputs → {} records ({} posts), {} rejects{rejects}{extra} in {:.2}s: {:.2} MB/s, {:.1} threads/s → {}",
        report.inputs,
        report.records,
        report.posts,
        report.rejects,
        report.wall_seconds,
        report.mb_per_second,
        report.threads_per_second,
        report.output,
    );
}
