use std::path::PathBuf;

/// What stops a whole run (as opposed to one input, which becomes a reject).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A pipeline file is not valid.
    #[error("invalid pipeline file {name}")]
    Pipeline {
        /// The file.
        name: String,
        /// Why.
        #[source]
        source: Box<toml::de::Error>,
    },
    /// A pipeline file's value is out of its range.
    #[error("invalid pipeline file {name}: {reason}")]
    PipelineValue {
        /// The file.
        name: String,
        /// Which value, and why.
        reason: String,
    },
    /// A lexicon file named by the pipeline could not be loaded.
    #[error("cannot load lexicons")]
    Lexicon(#[from] threadmill_lexicon::Error),
    /// The extract settings are not valid (a `now` that is not a date).
    #[error("invalid extract settings (extract.now or --now)")]
    Extract(#[from] threadmill_extract::Error),
    /// A thread URL pattern file could not be loaded.
    #[error("cannot load thread URL patterns")]
    Patterns(#[from] threadmill_stitch::Error),
    /// An output file could not be written.
    #[error("cannot write output")]
    Output(#[from] threadmill_export::Error),
    /// The worker pool could not be started.
    #[error("cannot start {jobs} worker threads")]
    Pool {
        /// How many were asked for.
        jobs: usize,
        /// Why.
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
    /// The page workers could not be started (or a given-up one replaced).
    #[error("cannot start page worker threads ({jobs} asked for)")]
    Workers {
        /// How many were asked for.
        jobs: usize,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The output cannot be written where it was asked for without harm.
    #[error("refused to write {output}: {reason}")]
    OutputPlace {
        /// The output.
        output: PathBuf,
        /// Why.
        reason: String,
    },
    /// The state folder could not be read or locked.
    #[error("cannot use the state folder {dir}")]
    State {
        /// The folder.
        dir: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Another run is using the same state folder.
    #[error("another threadmill run is using the state folder {dir} (its state.lock is held)")]
    StateLocked {
        /// The folder.
        dir: PathBuf,
    },
    /// An include or exclude pattern is not a valid glob.
    #[error("invalid glob pattern {pattern:?}")]
    Glob {
        /// The pattern.
        pattern: String,
        /// Why.
        #[source]
        source: globset::Error,
    },
    /// Another run is writing the same output.
    #[error("another threadmill run is writing {output} (its .lock file is held)")]
    Locked {
        /// The output.
        output: PathBuf,
    },
    /// The report could not be written.
    #[error("cannot write the report {path}")]
    Report {
        /// Where.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// An I/O failure on the output (or a file the run writes beside it).
    pub(crate) fn output_io(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Output(threadmill_export::Error::Io {
            path: path.to_owned(),
            source,
        })
    }
}

/// The whole cause chain of an error, outermost first.
pub(crate) fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
