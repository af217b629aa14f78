//! Logging set up for a cluster: colour only on a terminal, JSON lines for log collectors,
//! and the HTML parser's own diagnostics moved down to debug.

use std::io::IsTerminal;

/// How log events are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LogFormat {
    /// One line of text per event.
    Text,
    /// One JSON object per event, for log collectors.
    Json,
}

/// Installs the subscriber: level from `-v` unless `RUST_LOG` says otherwise.
pub(crate) fn init(verbose: u8, format: LogFormat) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    // Fails only when a subscriber is already set, which nothing before this does.
    let _ = match format {
        LogFormat::Text => {
            tracing::subscriber::set_global_default(builder.with_ansi(colour_wanted()).finish())
        }
        LogFormat::Json => tracing::subscriber::set_global_default(builder.json().finish()),
    };
    // Libraries that log through the `log` crate (html5ever) reach tracing through this
    // bridge instead of the default one, so their levels can be adjusted.
    // Records above the most verbose level any filter enables are not even formed: the
    // parser's tokenizer logs at trace on every token.
    if log::set_boxed_logger(Box::new(LogBridge)).is_ok() {
        let most_verbose = match tracing::level_filters::LevelFilter::current().into_level() {
            None => log::LevelFilter::Off,
            Some(tracing::Level::ERROR) => log::LevelFilter::Error,
            Some(tracing::Level::WARN) => log::LevelFilter::Warn,
            Some(tracing::Level::INFO) => log::LevelFilter::Info,
            Some(tracing::Level::DEBUG) => log::LevelFilter::Debug,
            Some(tracing::Level::TRACE) => log::LevelFilter::Trace,
        };
        log::set_max_level(most_verbose);
    }
}

/// ANSI colour only when stderr is a terminal and `NO_COLOR` is unset or empty
/// (<https://no-color.org>): a Slurm `.out` file or a pipe gets plain text.
fn colour_wanted() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    std::io::stderr().is_terminal() && !no_color
}

/// Forwards `log` records to tracing. html5ever's tree-builder messages ("foster parenting
/// not implemented") describe how it repaired a page's markup, not a fault of the run: they
/// become debug events (inside the worker's `page` span, which names the page), so a run
/// over real pages prints only what needs attention.
struct LogBridge;

impl LogBridge {
    fn is_parser(target: &str) -> bool {
        target.starts_with("html5ever") || target.starts_with("markup5ever")
    }
}

impl log::Log for LogBridge {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        if Self::is_parser(metadata.target()) {
            return tracing::enabled!(target: "html5ever", tracing::Level::DEBUG);
        }
        match metadata.level() {
            log::Level::Error => tracing::enabled!(target: "log", tracing::Level::ERROR),
            log::Level::Warn => tracing::enabled!(target: "log", tracing::Level::WARN),
            log::Level::Info => tracing::enabled!(target: "log", tracing::Level::INFO),
            log::Level::Debug => tracing::enabled!(target: "log", tracing::Level::DEBUG),
            log::Level::Trace => tracing::enabled!(target: "log", tracing::Level::TRACE),
        }
    }

    fn log(&self, record: &log::Record<'_>) {
        let from = record.target();
        let message = record.args();
        if Self::is_parser(from) {
            tracing::debug!(target: "html5ever", from, "{message}");
            return;
        }
        match record.level() {
            log::Level::Error => tracing::error!(target: "log", from, "{message}"),
            log::Level::Warn => tracing::warn!(target: "log", from, "{message}"),
            log::Level::Info => tracing::info!(target: "log", from, "{message}"),
            log::Level::Debug => tracing::debug!(target: "log", from, "{message}"),
            log::Level::Trace => tracing::trace!(target: "log", from, "{message}"),
        }
    }

    fn flush(&self) {}
}
