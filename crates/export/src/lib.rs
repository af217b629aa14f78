//! Output of threadmill records: JSONL (plain, gzip, zstd) and, with the `parquet` feature, Parquet.
//!
//! [`JsonlWriter`] writes one JSON object per line to a `.jsonl`, `.jsonl.gz` or
//! `.jsonl.zst` file (compression chosen by the name). It writes to a temporary file in
//! the same folder and renames it into place in [`JsonlWriter::finish`], so a crash never
//! leaves a half-written file under the final name. [`to_line`] serialises a record on its
//! own, so workers can serialise in parallel and one writer can append the lines in order.
//! [`RecordWriter`] picks the writer from the output's name: a `.parquet` name takes the
//! same lines into a Parquet file (`ParquetWriter`, feature `parquet`), any other a JSONL
//! file. The record's JSON Schema is [`THREAD_SCHEMA`].
//!
//! ```
//! use threadmill_export::{to_line, JsonlWriter};
//! use threadmill_model::{Format, Source, Thread};
//!
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("threads.jsonl.gz");
//! let source = Source {
//!     path: "a.txt".into(), member: None, sha256: "0".repeat(64), bytes: 1,
//!     format: Format::Text,
//! };
//! let mut writer = JsonlWriter::create(&path)?;
//! writer.write_line(&to_line(&Thread::new(source))?)?;
//! let written = writer.finish()?;
//! assert_eq!(written.records, 1);
//! assert!(path.exists());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tempfile::NamedTempFile;

#[cfg(feature = "parquet")]
mod parquet;
#[cfg(feature = "parquet")]
pub use parquet::{ParquetLimits, ParquetWriter, arrow_schema};

/// The JSON Schema (draft 2020-12) of a thread record, `threadmill.thread/3`.
pub const THREAD_SCHEMA: &str = include_str!("../schema/thread.schema.json");

/// What can go wrong writing output.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The output file or its folder could not be created or written.
    #[error("cannot write {path}")]
    Io {
        /// The final output path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A record could not be serialised.
    #[error("cannot serialise a record")]
    Serialize(#[from] serde_json::Error),
    /// A `.parquet` output was asked of a build without the `parquet` feature.
    #[error(
        "cannot write {path}: this build has no Parquet output (threadmill-export's `parquet` feature); name a .jsonl, .jsonl.gz or .jsonl.zst file"
    )]
    NoParquet {
        /// The output path.
        path: PathBuf,
    },
    /// Records could not be turned into Arrow columns: a field or value the Parquet
    /// schema does not have.
    #[cfg(feature = "parquet")]
    #[error("cannot write {path}: records {first} to {last} do not fit its Parquet schema")]
    Records {
        /// The output path.
        path: PathBuf,
        /// The first record of the batch (from 1).
        first: u64,
        /// The last record read when it failed.
        last: u64,
        /// Why.
        #[source]
        source: arrow_schema::ArrowError,
    },
    /// The Parquet writer failed.
    #[cfg(feature = "parquet")]
    #[error("cannot write the Parquet file {path}")]
    Parquet {
        /// The output path.
        path: PathBuf,
        /// Why.
        #[source]
        source: ::parquet::errors::ParquetError,
    },
}

/// Whether `path` names a Parquet output (`.parquet`).
pub fn is_parquet(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "parquet")
}

/// How an output file is compressed, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain text.
    None,
    /// `.gz`.
    Gzip,
    /// `.zst`.
    Zstd,
}

impl Compression {
    /// `.gz` → gzip, `.zst` → zstd, anything else plain.
    pub fn from_path(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some("gz") => Compression::Gzip,
            Some("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }
}

/// Serialises one record as a JSON line (with its trailing newline).
pub fn to_line<T: Serialize>(record: &T) -> Result<Vec<u8>, Error> {
    let mut line = serde_json::to_vec(record)?;
    line.push(b'\n');
    Ok(line)
}

enum Sink {
    Plain(BufWriter<File>),
    Gzip(flate2::write::GzEncoder<BufWriter<File>>),
    Zstd(zstd::stream::write::Encoder<'static, BufWriter<File>>),
}

/// Totals of a finished output file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Lines written.
    pub records: u64,
    /// Uncompressed bytes written.
    pub bytes: u64,
}

/// Writes JSON lines to a temporary file and renames it into place when finished.
pub struct JsonlWriter {
    path: PathBuf,
    temp: NamedTempFile,
    sink: Sink,
    written: Written,
}

impl std::fmt::Debug for JsonlWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonlWriter")
            .field("path", &self.path)
            .field("written", &self.written)
            .finish_non_exhaustive()
    }
}

/// Creates `path`'s folder if needed and a temporary file in it, to be renamed to `path`
/// once complete.
fn temp_beside(path: &Path) -> Result<NamedTempFile, Error> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".threadmill-").suffix(".tmp");
    // Temporary files are private by default; the output is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder.tempfile_in(&dir).map_err(io)
}

impl JsonlWriter {
    /// Creates the output's folder if needed and a temporary file beside `path`.
    pub fn create(path: &Path) -> Result<Self, Error> {
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        let temp = temp_beside(path)?;
        let file = temp.reopen().map_err(io)?;
        let buffered = BufWriter::with_capacity(1 << 20, file);
        let sink = match Compression::from_path(path) {
            Compression::None => Sink::Plain(buffered),
            Compression::Gzip => Sink::Gzip(flate2::write::GzEncoder::new(
                buffered,
                flate2::Compression::default(),
            )),
            Compression::Zstd => {
                Sink::Zstd(zstd::stream::write::Encoder::new(buffered, 3).map_err(io)?)
            }
        };
        Ok(Self {
            path: path.to_owned(),
            temp,
            sink,
            written: Written::default(),
        })
    }

    /// Appends one serialised line (see [`to_line`]).
    pub fn write_line(&mut self, line: &[u8]) -> Result<(), Error> {
        let result = match &mut self.sink {
            Sink::Plain(w) => w.write_all(line),
            Sink::Gzip(w) => w.write_all(line),
            Sink::Zstd(w) => w.write_all(line),
        };
        result.map_err(|source| Error::Io {
            path: self.path.clone(),
            source,
        })?;
        self.written.records += 1;
        self.written.bytes += line.len() as u64;
        Ok(())
    }

    /// Serialises and appends one record.
    pub fn write<T: Serialize>(&mut self, record: &T) -> Result<(), Error> {
        let line = to_line(record)?;
        self.write_line(&line)
    }

    /// Flushes, syncs and renames the file into place.
    pub fn finish(self) -> Result<Written, Error> {
        let path = self.path;
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        let buffered = match self.sink {
            Sink::Plain(w) => w,
            Sink::Gzip(w) => w.finish().map_err(io)?,
            Sink::Zstd(w) => w.finish().map_err(io)?,
        };
        let file = buffered.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        self.temp.persist(&path).map_err(|e| io(e.error))?;
        Ok(self.written)
    }
}

/// Writes record lines to the file `path` names: Parquet for a `.parquet` name, else JSON
/// lines compressed as [`Compression::from_path`] says.
#[derive(Debug)]
#[non_exhaustive]
#[allow(
    clippy::large_enum_variant,
    reason = "one writer per output file, made once: its size does not matter"
)]
pub enum RecordWriter {
    /// JSON lines.
    Jsonl(JsonlWriter),
    /// A Parquet file.
    #[cfg(feature = "parquet")]
    Parquet(ParquetWriter),
}

impl RecordWriter {
    /// Creates the writer `path`'s name asks for (see [`JsonlWriter::create`]).
    pub fn create(path: &Path) -> Result<Self, Error> {
        if !is_parquet(path) {
            return Ok(Self::Jsonl(JsonlWriter::create(path)?));
        }
        #[cfg(feature = "parquet")]
        return Ok(Self::Parquet(ParquetWriter::create(path)?));
        #[cfg(not(feature = "parquet"))]
        Err(Error::NoParquet {
            path: path.to_owned(),
        })
    }

    /// Appends one serialised record (see [`to_line`]).
    pub fn write_line(&mut self, line: &[u8]) -> Result<(), Error> {
        match self {
            Self::Jsonl(writer) => writer.write_line(line),
            #[cfg(feature = "parquet")]
            Self::Parquet(writer) => writer.write_line(line),
        }
    }

    /// Completes the file and renames it into place.
    pub fn finish(self) -> Result<Written, Error> {
        match self {
            Self::Jsonl(writer) => writer.finish(),
            #[cfg(feature = "parquet")]
            Self::Parquet(writer) => writer.finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn roundtrip(name: &str) -> String {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join(name);
        let mut w = JsonlWriter::create(&path).expect("create");
        w.write(&serde_json::json!({"a": 1})).expect("write");
        w.write(&serde_json::json!({"b": "é"})).expect("write");
        assert_eq!(w.finish().expect("finish").records, 2);
        let raw = std::fs::read(&path).expect("read back");
        let mut text = String::new();
        match Compression::from_path(&path) {
            Compression::None => text = String::from_utf8(raw).expect("utf-8"),
            Compression::Gzip => {
                flate2::read::GzDecoder::new(&raw[..])
                    .read_to_string(&mut text)
                    .expect("gunzip");
            }
            Compression::Zstd => {
                text =
                    String::from_utf8(zstd::decode_all(&raw[..]).expect("unzstd")).expect("utf-8");
            }
        }
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().expect("dir"))
            .expect("list")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
        text
    }

    #[test]
    fn writes_every_compression() {
        for name in ["t.jsonl", "t.jsonl.gz", "t.jsonl.zst"] {
            assert_eq!(roundtrip(name), "{\"a\":1}\n{\"b\":\"é\"}\n", "{name}");
        }
    }

    #[test]
    fn an_unfinished_writer_leaves_no_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.jsonl");
        let mut w = JsonlWriter::create(&path).expect("create");
        w.write(&serde_json::json!({"a": 1})).expect("write");
        drop(w);
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0);
    }

    #[test]
    fn the_name_picks_the_writer() {
        let dir = tempfile::tempdir().expect("tempdir");
        let jsonl = RecordWriter::create(&dir.path().join("t.jsonl.zst"));
        assert!(matches!(jsonl, Ok(RecordWriter::Jsonl(_))));
        let parquet = RecordWriter::create(&dir.path().join("t.parquet"));
        #[cfg(feature = "parquet")]
        assert!(matches!(parquet, Ok(RecordWriter::Parquet(_))));
        #[cfg(not(feature = "parquet"))]
        assert!(
            matches!(&parquet, Err(e @ Error::NoParquet { .. }) if e.to_string().contains("t.parquet"))
        );
    }

    #[test]
    fn the_schema_is_json() {
        let schema: serde_json::Value = serde_json::from_str(THREAD_SCHEMA).expect("schema parses");
        assert_eq!(
            schema["properties"]["schema"]["const"],
            "threadmill.thread/3"
        );
    }
}
