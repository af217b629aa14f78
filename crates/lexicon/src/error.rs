use std::path::PathBuf;

/// What can go wrong loading or compiling lexicon files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A lexicon file could not be read.
    #[error("cannot read lexicon file {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A lexicon file is not valid TOML of the expected shape.
    #[error("invalid lexicon file {name}")]
    Parse {
        /// The file name.
        name: String,
        /// Why.
        #[source]
        source: Box<toml::de::Error>,
    },
    /// A template has an unknown or repeated placeholder, or is empty.
    #[error("invalid template {template:?} in {name}: {reason}")]
    Template {
        /// The file name.
        name: String,
        /// The template text.
        template: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A file's data does not fit (a month list without twelve entries, say).
    #[error("invalid lexicon data in {name}: {reason}")]
    Data {
        /// The file name.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// The compiled matchers could not be built (too large, usually).
    #[error("cannot compile the lexicon")]
    Compile(#[source] Box<dyn std::error::Error + Send + Sync>),
}
