//! Parquet output: the records' JSON lines decoded into Arrow batches of [`arrow_schema`] and written with zstd.
//!
//! The lines are the JSONL writer's own, decoded against an explicit schema in strict mode,
//! so a Parquet file holds exactly what the JSONL would: a field the schema lacks is an
//! error, never silently dropped. Memory is bounded by [`ParquetLimits`]: a batch of lines
//! is decoded at a time, and a row group is written out once it reaches its bound.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::{Compression as Codec, ZstdLevel};
use ::parquet::file::properties::WriterProperties;
use arrow_json::reader::Decoder;
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use tempfile::NamedTempFile;

use crate::{Error, Written, temp_beside};

/// The Arrow schema of a record (`threadmill.thread/3`), nested as the JSON is: a thread
/// per row, its posts a list of structs, each post's blocks and links lists of structs.
///
/// Integers are `Int64` (every reader has it; none of the counts comes near 2⁶³),
/// confidences `Float32` (the record's own precision), enumerations strings. A field is
/// nullable where the record may write `null` or leave the key out (`thread_key`, `pages`,
/// `missing_pages`, a block's `author`, a chrome line's `post`).
#[allow(
    clippy::too_many_lines,
    reason = "the record's schema, field by field in the order of the JSON Schema"
)]
pub fn arrow_schema() -> Schema {
    let source = Field::new_struct("source", source_fields(), false);
    let page = Fields::from(vec![int("n"), source.clone()]);
    let post = Fields::from(vec![
        int("index"),
        opt_text("id"),
        opt_text("permalink"),
        opt_text("author"),
        opt_text("author_url"),
        opt_text("author_id"),
        opt_text("author_rank"),
        Field::new("author_posts", DataType::Int64, true),
        opt_text("author_joined"),
        opt_text("author_joined_raw"),
        opt_text("posted_at"),
        opt_text("posted_at_raw"),
        opt_text("posted_at_attr"),
        opt_text("posted_at_utc"),
        opt_text("subject"),
        opt_text("edited"),
        opt_text("lang"),
        Field::new("lang_inherited", DataType::Boolean, false),
        text("text"),
        list(
            "blocks",
            structs(vec![
                text("kind"),
                text("text"),
                list("sentences", DataType::Utf8, false),
                opt_text("author"),
            ]),
            false,
        ),
        list(
            "links",
            structs(vec![
                text("url"),
                opt_text("text"),
                opt_text("domain"),
                Field::new("truncated", DataType::Boolean, false),
            ]),
            false,
        ),
    ]);
    let article = Fields::from(vec![
        int("post"),
        opt_text("headline"),
        opt_text("standfirst"),
        list("byline", DataType::Utf8, false),
        opt_text("published"),
        opt_text("published_raw"),
        list(
            "captions",
            structs(vec![text("text"), opt_text("credit")]),
            false,
        ),
    ]);
    let mut repairs = vec![opt_text("transcoded_from")];
    repairs.extend(
        [
            "replacement_chars",
            "mojibake",
            "normalized",
            "invisible_removed",
            "spaces_normalized",
            "glued_sentences_split",
            "hard_wraps_joined",
            "duplicate_lines_dropped",
        ]
        .map(int),
    );
    Schema::new(vec![
        text("schema"),
        text("id"),
        source,
        opt_text("url"),
        opt_text("thread_key"),
        list("pages", DataType::Struct(page), true),
        list("missing_pages", DataType::Int64, true),
        text("engine"),
        Field::new("engine_confidence", DataType::Float32, false),
        text("extractor"),
        Field::new("extractor_confidence", DataType::Float32, false),
        opt_text("ui_lang"),
        opt_text("lang"),
        opt_text("title"),
        opt_text("board"),
        opt_text("reference_time"),
        Field::new_struct("article", article, true),
        list("posts", DataType::Struct(post), false),
        list(
            "quotes",
            structs(vec![text("text"), opt_text("speaker"), int("post")]),
            false,
        ),
        list(
            "entities",
            structs(vec![
                text("name"),
                text("kind"),
                int("mentions"),
                list("posts", DataType::Int64, false),
            ]),
            false,
        ),
        list(
            "chrome",
            structs(vec![
                text("role"),
                text("text"),
                Field::new("post", DataType::Int64, true),
            ]),
            false,
        ),
        Field::new_struct("repairs", repairs, false),
    ])
}

fn source_fields() -> Fields {
    Fields::from(vec![
        text("path"),
        opt_text("member"),
        text("sha256"),
        int("bytes"),
        text("format"),
    ])
}

fn text(name: &str) -> Field {
    Field::new(name, DataType::Utf8, false)
}

fn opt_text(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}

fn int(name: &str) -> Field {
    Field::new(name, DataType::Int64, false)
}

fn structs(fields: Vec<Field>) -> DataType {
    DataType::Struct(Fields::from(fields))
}

/// A list whose items are never null.
fn list(name: &str, item: DataType, nullable: bool) -> Field {
    Field::new_list(name, Field::new_list_field(item, false), nullable)
}

/// What a [`ParquetWriter`] holds in memory at most before writing it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParquetLimits {
    /// Records decoded into one Arrow batch.
    pub batch_records: usize,
    /// JSON bytes decoded into one Arrow batch (a batch ends at the first line past it).
    pub batch_bytes: usize,
    /// Records in one row group.
    pub row_group_records: usize,
    /// Encoded bytes of one row group, as the Parquet writer estimates them.
    pub row_group_bytes: usize,
}

impl Default for ParquetLimits {
    /// Row groups of at most 100 000 records or 64 MiB encoded (query engines hand each
    /// core a row group, and a merge task on a cluster has little memory), decoded 1024
    /// records or 16 MiB of JSON at a time.
    fn default() -> Self {
        Self {
            batch_records: 1024,
            batch_bytes: 16 << 20,
            row_group_records: 100_000,
            row_group_bytes: 64 << 20,
        }
    }
}

/// Writes record lines (see [`crate::to_line`]) as a Parquet file: to a temporary file
/// beside `path`, renamed into place by [`ParquetWriter::finish`].
pub struct ParquetWriter {
    path: PathBuf,
    temp: NamedTempFile,
    decoder: Decoder,
    writer: ArrowWriter<File>,
    limits: ParquetLimits,
    /// JSON bytes in the decoder since its last batch.
    pending_bytes: usize,
    /// Records written before the decoder's current batch (for errors).
    batch_start: u64,
    written: Written,
}

impl std::fmt::Debug for ParquetWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetWriter")
            .field("path", &self.path)
            .field("limits", &self.limits)
            .field("written", &self.written)
            .finish_non_exhaustive()
    }
}

impl ParquetWriter {
    /// Creates the output's folder if needed and a temporary file beside `path`, with the
    /// default [`ParquetLimits`].
    pub fn create(path: &Path) -> Result<Self, Error> {
        Self::with_limits(path, ParquetLimits::default())
    }

    /// As [`ParquetWriter::create`], holding at most `limits` in memory (each at least 1).
    pub fn with_limits(path: &Path, limits: ParquetLimits) -> Result<Self, Error> {
        let limits = ParquetLimits {
            batch_records: limits.batch_records.max(1),
            batch_bytes: limits.batch_bytes.max(1),
            row_group_records: limits.row_group_records.max(1),
            row_group_bytes: limits.row_group_bytes.max(1),
        };
        let schema: SchemaRef = Arc::new(arrow_schema());
        let decoder = arrow_json::ReaderBuilder::new(Arc::clone(&schema))
            .with_batch_size(limits.batch_records)
            .with_strict_mode(true)
            .build_decoder()
            .map_err(|source| Error::Records {
                path: path.to_owned(),
                first: 1,
                last: 0,
                source,
            })?;
        let parquet = |source| Error::Parquet {
            path: path.to_owned(),
            source,
        };
        let properties = WriterProperties::builder()
            .set_compression(Codec::ZSTD(ZstdLevel::try_new(3).map_err(parquet)?))
            .set_max_row_group_row_count(Some(limits.row_group_records))
            .set_max_row_group_bytes(Some(limits.row_group_bytes))
            .build();
        let temp = temp_beside(path)?;
        let file = temp.reopen().map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        let writer = ArrowWriter::try_new(file, schema, Some(properties)).map_err(parquet)?;
        Ok(Self {
            path: path.to_owned(),
            temp,
            decoder,
            writer,
            limits,
            pending_bytes: 0,
            batch_start: 0,
            written: Written::default(),
        })
    }

    /// Appends one record line.
    pub fn write_line(&mut self, line: &[u8]) -> Result<(), Error> {
        let mut rest = line;
        // Ends: each pass either takes bytes of the line, or writes out a full batch after
        // which the decoder takes bytes again.
        while !rest.is_empty() {
            let used = self
                .decoder
                .decode(rest)
                .map_err(|source| self.records_error(source))?;
            rest = &rest[used..];
            if !rest.is_empty() {
                // The decoder holds `batch_records` records and takes no more.
                if used == 0 && self.decoder.is_empty() {
                    return Err(self.records_error(arrow_schema::ArrowError::JsonError(
                        "the JSON decoder takes no more input".to_owned(),
                    )));
                }
                self.write_batch()?;
            }
        }
        self.written.records += 1;
        self.written.bytes += line.len() as u64;
        self.pending_bytes += line.len();
        if self.pending_bytes >= self.limits.batch_bytes {
            self.write_batch()?;
        }
        Ok(())
    }

    /// Decodes the lines held so far into a batch and hands it to the Parquet writer,
    /// which writes out every row group that reaches its bound.
    fn write_batch(&mut self) -> Result<(), Error> {
        let batch = self
            .decoder
            .flush()
            .map_err(|source| self.records_error(source))?;
        self.pending_bytes = 0;
        self.batch_start = self.written.records;
        if let Some(batch) = batch {
            self.writer.write(&batch).map_err(|source| Error::Parquet {
                path: self.path.clone(),
                source,
            })?;
        }
        Ok(())
    }

    fn records_error(&self, source: arrow_schema::ArrowError) -> Error {
        Error::Records {
            path: self.path.clone(),
            first: self.batch_start + 1,
            last: self.written.records + 1,
            source,
        }
    }

    /// Writes the last row group and the footer, syncs, and renames the file into place.
    /// [`Written::bytes`] counts the JSON lines taken in.
    pub fn finish(mut self) -> Result<Written, Error> {
        self.write_batch()?;
        let path = self.path;
        let file = self.writer.into_inner().map_err(|source| Error::Parquet {
            path: path.clone(),
            source,
        })?;
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        file.sync_all().map_err(io)?;
        self.temp.persist(&path).map_err(|e| io(e.error))?;
        Ok(self.written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use serde_json::{Value, json};
    use threadmill_model::{
        Block, BlockKind, ChromeLine, ChromeRole, Format, Link, Post, Source, Thread,
    };

    fn thread(i: usize) -> Thread {
        let mut thread = Thread::new(Source {
            path: format!("in/{i}.html"),
            member: None,
            sha256: "0".repeat(64),
            bytes: 100,
            format: Format::Html,
        });
        thread.id = format!("{i:016x}");
        thread.title = Some(format!("Thread {i}"));
        let mut post = Post::of_paragraphs(0, [format!("Post {i}, with a few words.")]);
        post.blocks.push(Block {
            author: Some("Quoted".into()),
            ..Block::new(BlockKind::Quote, "Quoted words.")
        });
        post.links.push(Link {
            url: "https://example.invalid/".into(),
            text: None,
            domain: Some("example.invalid".into()),
            truncated: false,
        });
        thread.posts.push(post);
        thread.chrome.push(ChromeLine {
            role: ChromeRole::Title,
            text: format!("Thread {i}"),
            post: None,
        });
        thread
    }

    fn write(path: &Path, records: usize, limits: ParquetLimits) -> Written {
        let mut writer = ParquetWriter::with_limits(path, limits).expect("create");
        for i in 0..records {
            writer
                .write_line(&crate::to_line(&thread(i)).expect("line"))
                .expect("write");
        }
        writer.finish().expect("finish")
    }

    #[test]
    fn row_groups_are_bounded_and_every_record_is_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join("t.parquet");
        let limits = ParquetLimits {
            batch_records: 7,
            batch_bytes: 1 << 20,
            row_group_records: 25,
            row_group_bytes: 64 << 20,
        };
        let written = write(&path, 120, limits);
        assert_eq!(written.records, 120);
        let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(&path).expect("open"))
            .expect("read");
        let groups: Vec<i64> = builder
            .metadata()
            .row_groups()
            .iter()
            .map(::parquet::file::metadata::RowGroupMetaData::num_rows)
            .collect();
        assert_eq!(groups, [25, 25, 25, 25, 20]);
        let ids: Vec<String> = builder
            .build()
            .expect("reader")
            .flat_map(|batch| {
                let batch = batch.expect("batch");
                batch
                    .column_by_name("id")
                    .and_then(|c| c.as_any().downcast_ref::<arrow_array::StringArray>())
                    .expect("id column")
                    .iter()
                    .map(|id| id.unwrap_or_default().to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        let expected: Vec<String> = (0..120).map(|i| format!("{i:016x}")).collect();
        assert_eq!(ids, expected);
        let leftovers = std::fs::read_dir(path.parent().expect("dir"))
            .expect("list")
            .count();
        assert_eq!(leftovers, 1, "only the output is left");
    }

    #[test]
    fn a_row_group_ends_at_its_byte_bound() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.parquet");
        let limits = ParquetLimits {
            batch_bytes: 4096,
            row_group_bytes: 8192,
            ..ParquetLimits::default()
        };
        write(&path, 400, limits);
        let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(&path).expect("open"))
            .expect("read");
        let groups = builder.metadata().row_groups();
        assert!(groups.len() > 2, "{} row groups", groups.len());
        assert_eq!(
            groups
                .iter()
                .map(::parquet::file::metadata::RowGroupMetaData::num_rows)
                .sum::<i64>(),
            400
        );
    }

    #[test]
    fn a_field_the_schema_lacks_is_an_error_naming_the_output() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.parquet");
        let mut writer = ParquetWriter::create(&path).expect("create");
        let mut record = serde_json::to_value(thread(0)).expect("value");
        record["new_field"] = json!(1);
        let line = crate::to_line(&record).expect("line");
        let error = writer
            .write_line(&line)
            .and_then(|()| writer.finish().map(|_| ()))
            .expect_err("an unknown field is refused");
        let message = format!("{error}");
        assert!(message.contains("t.parquet"), "{message}");
        assert!(!path.exists());
    }

    #[test]
    fn an_unfinished_writer_leaves_no_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.parquet");
        let mut writer = ParquetWriter::create(&path).expect("create");
        writer
            .write_line(&crate::to_line(&thread(0)).expect("line"))
            .expect("write");
        drop(writer);
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0);
    }

    /// Follows `$ref`s (the schema's own, a few deep) to the node they name.
    fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
        for _ in 0..8 {
            let Some(target) = node.get("$ref").and_then(Value::as_str) else {
                break;
            };
            node = root
                .pointer(target.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("dangling $ref {target}"));
        }
        node
    }

    /// Whether the JSON Schema node allows `null`.
    fn allows_null(root: &Value, node: &Value) -> bool {
        let node = resolve(root, node);
        let null =
            |t: &Value| t == "null" || t.as_array().is_some_and(|a| a.contains(&json!("null")));
        node.get("type").is_some_and(null)
            || node
                .get("oneOf")
                .and_then(Value::as_array)
                .is_some_and(|v| {
                    v.iter()
                        .any(|n| resolve(root, n).get("type").is_some_and(null))
                })
    }

    /// Every difference between a JSON Schema node and an Arrow type, by path.
    fn differences(root: &Value, node: &Value, data_type: &DataType, at: &str) -> Vec<String> {
        let mut node = resolve(root, node);
        if let Some(variants) = node.get("oneOf").and_then(Value::as_array) {
            let not_null: Vec<&Value> = variants
                .iter()
                .map(|v| resolve(root, v))
                .filter(|v| v.get("type") != Some(&json!("null")))
                .collect();
            assert_eq!(not_null.len(), 1, "{at}: one non-null variant expected");
            node = not_null[0];
        }
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            let DataType::Struct(fields) = data_type else {
                return vec![format!("{at}: an object in JSON, {data_type} in Arrow")];
            };
            let required: Vec<&str> = node
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut found = Vec::new();
            for (name, property) in properties {
                let path = format!("{at}.{name}");
                let Some(field) = fields.iter().find(|f| f.name() == name) else {
                    found.push(format!(
                        "{path}: in the JSON Schema, not in the Arrow schema"
                    ));
                    continue;
                };
                let nullable = !required.contains(&name.as_str()) || allows_null(root, property);
                if field.is_nullable() != nullable {
                    found.push(format!(
                        "{path}: nullable {} in Arrow, {nullable} in JSON",
                        field.is_nullable()
                    ));
                }
                found.extend(differences(root, property, field.data_type(), &path));
            }
            for field in fields {
                if !properties.contains_key(field.name()) {
                    found.push(format!(
                        "{at}.{}: in the Arrow schema, not in the JSON Schema",
                        field.name()
                    ));
                }
            }
            return found;
        }
        if let Some(items) = node.get("items") {
            let DataType::List(item) = data_type else {
                return vec![format!("{at}: an array in JSON, {data_type} in Arrow")];
            };
            return differences(root, items, item.data_type(), &format!("{at}[]"));
        }
        let kind = node
            .get("type")
            .map(|t| match t {
                Value::Array(types) => types
                    .iter()
                    .find(|t| *t != "null")
                    .cloned()
                    .unwrap_or(Value::Null),
                t => t.clone(),
            })
            .and_then(|t| t.as_str().map(str::to_owned))
            .or_else(|| {
                (node.get("enum").is_some() || node.get("const").is_some())
                    .then(|| "string".to_owned())
            });
        let expected = match kind.as_deref() {
            Some("string") => DataType::Utf8,
            Some("integer") => DataType::Int64,
            Some("number") => DataType::Float32,
            Some("boolean") => DataType::Boolean,
            other => {
                return vec![format!(
                    "{at}: JSON type {other:?} has no Arrow counterpart here"
                )];
            }
        };
        if *data_type == expected {
            Vec::new()
        } else {
            vec![format!("{at}: {expected} expected, {data_type} in Arrow")]
        }
    }

    #[test]
    fn the_arrow_schema_has_every_field_of_the_json_schema() {
        let root: Value = serde_json::from_str(crate::THREAD_SCHEMA).expect("schema parses");
        let arrow = DataType::Struct(arrow_schema().fields().clone());
        let found = differences(&root, &root, &arrow, "record");
        assert!(
            found.is_empty(),
            "the Arrow schema drifted from the JSON Schema:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn the_drift_check_sees_a_missing_field() {
        let root: Value = serde_json::from_str(crate::THREAD_SCHEMA).expect("schema parses");
        let mut schema = root.clone();
        schema["$defs"]["post"]["properties"]["mood"] = json!({"type": "string"});
        let arrow = DataType::Struct(arrow_schema().fields().clone());
        let found = differences(&schema, &schema, &arrow, "record");
        assert_eq!(
            found,
            ["record.posts[].mood: in the JSON Schema, not in the Arrow schema"]
        );
    }
}
