//! Reading inputs as streams of pages: plain and compressed files, tar and zip archives,
//! WARC files and scrapers' JSONL, without unpacking anything to disk.
//!
//! Each input yields [`Event`]s in a fixed order (entry order in an archive, record order in
//! a WARC, line order in JSONL): a page, a reject for an entry that cannot be read, or a skip
//! for an entry that is not a page (a WARC request record, a PNG in a tarball).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::ops::ControlFlow;

use threadmill_model::{Format, Stage};

use crate::config::InputConfig;
use crate::inputs::{Codec, Input, Kind};

/// Most memory the xz decoder may use (the presets need at most 65 MiB to decode).
const XZ_MEMORY_LIMIT: u64 = 256 << 20;
/// Largest tar metadata entry (a GNU long name or link, a PAX header) read: real ones
/// hold a path of a few hundred bytes, while a forged one can claim gigabytes, which the
/// tar crate would read into memory whole.
const MAX_TAR_METADATA: u64 = 64 << 10;
/// Most bytes of the HTTP response head in a WARC record, searched for its end.
const MAX_HTTP_HEAD: usize = 256 << 10;

/// One page read from an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The entry inside the input: archive path, WARC record id, JSONL line number.
    pub member: Option<String>,
    /// How the page is to be read.
    pub format: Format,
    /// The page's bytes, decompressed.
    pub bytes: Vec<u8>,
    /// The entry's size as stored (before its own decompression).
    pub stored_bytes: u64,
    /// The page URL when the input carries one.
    pub url: Option<String>,
    /// The crawl time, for relative dates.
    pub reference_time: Option<String>,
    /// The charset the HTTP headers declare.
    pub charset: Option<String>,
}

/// What reading an input produces.
#[derive(Debug)]
pub enum Event {
    /// A page.
    Item(Item),
    /// An entry (or the whole input, `member: None`) that could not be read.
    Reject {
        /// The entry.
        member: Option<String>,
        /// Where it failed (`read` or `decode`).
        stage: Stage,
        /// Why.
        error: String,
    },
    /// An entry that is not a page.
    Skip {
        /// The entry.
        member: Option<String>,
        /// Why it was passed over.
        reason: SkipReason,
    },
}

/// Why an entry, or a page, was passed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// An archive member whose name is not a page's.
    NotAPageByName,
    /// An archive member that is not a regular file (the entry type as the archive says).
    NotARegularFile(String),
    /// A WARC record that holds no page (its `WARC-Type`).
    WarcRecord(String),
    /// A WARC response that was no success (its HTTP status).
    HttpStatus(u16),
    /// A response or resource of another media type (its `Content-Type`).
    NotHtml(String),
    /// A page whose bytes an earlier page of the run already had.
    Duplicate,
}

impl SkipReason {
    /// The reason without its particulars: what the report counts skips by.
    pub fn label(&self) -> String {
        match self {
            Self::NotAPageByName => "not a page".to_owned(),
            Self::NotARegularFile(_) => "not a regular file".to_owned(),
            Self::WarcRecord(kind) => format!("WARC {kind} record"),
            Self::HttpStatus(status) => format!("HTTP status {status}"),
            Self::NotHtml(_) => "not HTML".to_owned(),
            Self::Duplicate => "duplicate of an earlier page".to_owned(),
        }
    }
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAPageByName => f.write_str("not a page (by its name)"),
            Self::NotARegularFile(kind) => write!(f, "not a regular file ({kind})"),
            Self::NotHtml(media) => write!(f, "not HTML ({media})"),
            Self::Duplicate => f.write_str("duplicate of an earlier page (same SHA-256)"),
            Self::WarcRecord(_) | Self::HttpStatus(_) => f.write_str(&self.label()),
        }
    }
}

/// Reads one input, handing each event to `emit`; stops early when `emit` breaks.
pub fn read_input(
    input: &Input,
    config: &InputConfig,
    emit: &mut dyn FnMut(Event) -> ControlFlow<()>,
) {
    let result = open(input)
        .and_then(|(file, stored)| read_from(input.kind, input.codec, file, stored, config, emit));
    if let Err(error) = result {
        let _ = emit(Event::Reject {
            member: None,
            stage: Stage::Read,
            error,
        });
    }
}

/// Reads pages from bytes already in memory: what [`read_input`] does with a file's content.
pub fn read_bytes(
    kind: Kind,
    codec: Codec,
    bytes: &[u8],
    config: &InputConfig,
    emit: &mut dyn FnMut(Event) -> ControlFlow<()>,
) {
    if let Err(error) = read_from(
        kind,
        codec,
        std::io::Cursor::new(bytes),
        bytes.len() as u64,
        config,
        emit,
    ) {
        let _ = emit(Event::Reject {
            member: None,
            stage: Stage::Read,
            error,
        });
    }
}

fn read_from(
    kind: Kind,
    codec: Codec,
    file: impl Read + Seek,
    stored: u64,
    config: &InputConfig,
    emit: &mut dyn FnMut(Event) -> ControlFlow<()>,
) -> Result<(), String> {
    match kind {
        Kind::Page { format } => read_page(file, stored, codec, format, config).map(|item| {
            let _ = emit(Event::Item(item));
        }),
        Kind::Tar => read_tar(file, stored, codec, config, emit),
        Kind::Zip => read_zip(file, stored, codec, config, emit),
        Kind::Warc => read_warc(file, stored, codec, config, emit),
        Kind::Jsonl => read_jsonl(file, stored, codec, config, emit),
    }
}

fn open(input: &Input) -> Result<(File, u64), String> {
    let file = if input.path.as_os_str() == "-" {
        stdin_file().map_err(|e| format!("cannot read standard input: {e}"))?
    } else {
        File::open(&input.path).map_err(|e| format!("cannot open input: {e}"))?
    };
    let len = file
        .metadata()
        .map_err(|e| format!("cannot stat input: {e}"))?
        .len();
    Ok((file, len))
}

/// Standard input as a file, for the input named `-` (read as a stream, never seeked).
#[cfg(unix)]
fn stdin_file() -> io::Result<File> {
    use std::os::fd::AsFd as _;
    Ok(File::from(io::stdin().as_fd().try_clone_to_owned()?))
}

#[cfg(not(unix))]
fn stdin_file() -> io::Result<File> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "reading standard input is supported on Unix only",
    ))
}

/// The decompressed stream of a file, counting what it gives out so that a bomb stops at
/// the configured size and ratio.
fn decompressed<'a, R: Read + 'a>(raw: R, codec: Codec) -> Result<Box<dyn Read + 'a>, String> {
    Ok(match codec {
        Codec::None => Box::new(raw),
        Codec::Gzip => Box::new(flate2::read::MultiGzDecoder::new(raw)),
        Codec::Zstd => Box::new(
            zstd::stream::read::Decoder::new(raw).map_err(|e| format!("cannot start zstd: {e}"))?,
        ),
        Codec::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(raw)),
        Codec::Xz => {
            // The .xz format only (not legacy .lzma, whose header names any dictionary
            // size), and a memory limit: a forged header cannot ask for gigabytes.
            let stream = liblzma::stream::Stream::new_stream_decoder(
                XZ_MEMORY_LIMIT,
                liblzma::stream::CONCATENATED,
            )
            .map_err(|e| format!("cannot start xz: {e}"))?;
            Box::new(liblzma::read::XzDecoder::new_stream(raw, stream))
        }
    })
}

/// Reads at most `limit` bytes; more is an error naming the limit.
fn read_limited(reader: impl Read, limit: u64, what: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot read {what}: {e}"))?;
    if out.len() as u64 > limit {
        return Err(format!(
            "{what} is larger than {limit} bytes (input.max_bytes, or input.max_ratio times its stored size)"
        ));
    }
    Ok(out)
}

/// The most a stored entry of `stored` bytes may decompress to.
fn entry_limit(stored: u64, codec: Codec, config: &InputConfig) -> u64 {
    if codec == Codec::None {
        return config.max_bytes;
    }
    let by_ratio = (stored as f64 * config.max_ratio).min(u64::MAX as f64);
    // A tiny compressed file legitimately has a high ratio: allow a floor of 1 MiB.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "clamped to u64 range above"
    )]
    let by_ratio = (by_ratio as u64).max(1 << 20);
    config.max_bytes.min(by_ratio)
}

fn read_page(
    file: impl Read,
    stored: u64,
    codec: Codec,
    format: Format,
    config: &InputConfig,
) -> Result<Item, String> {
    let reader = decompressed(BufReader::new(file), codec)?;
    let bytes = read_limited(reader, entry_limit(stored, codec, config), "the input")?;
    Ok(Item {
        member: None,
        format,
        bytes,
        stored_bytes: stored,
        url: None,
        reference_time: None,
        charset: None,
    })
}

/// A member of an archive: its page format and its own compression, from its name.
fn member_kind(name: &str, config: &InputConfig) -> Option<(Format, Codec)> {
    let (stem, codec) = Codec::strip(name);
    let ext = std::path::Path::new(stem)
        .extension()?
        .to_string_lossy()
        .to_lowercase();
    if config
        .html_extensions
        .iter()
        .any(|e| e.eq_ignore_ascii_case(&ext))
    {
        Some((Format::Html, codec))
    } else if config
        .text_extensions
        .iter()
        .any(|e| e.eq_ignore_ascii_case(&ext))
    {
        Some((Format::Text, codec))
    } else {
        None
    }
}

/// Turns one archive member into an event.
fn member_event(name: String, reader: impl Read, stored: u64, config: &InputConfig) -> Event {
    let Some((format, codec)) = member_kind(&name, config) else {
        return Event::Skip {
            member: Some(name),
            reason: SkipReason::NotAPageByName,
        };
    };
    let bytes = decompressed(reader, codec)
        .and_then(|r| read_limited(r, entry_limit(stored, codec, config), "the entry"));
    match bytes {
        Ok(bytes) => Event::Item(Item {
            member: Some(name),
            format,
            bytes,
            stored_bytes: stored,
            url: None,
            reference_time: None,
            charset: None,
        }),
        Err(error) => Event::Reject {
            member: Some(name),
            stage: Stage::Read,
            error,
        },
    }
}

fn read_tar(
    file: impl Read + Seek,
    stored: u64,
    codec: Codec,
    config: &InputConfig,
    emit: &mut dyn FnMut(Event) -> ControlFlow<()>,
) -> Result<(), String> {
    let counted = CountingReader::new(BufReader::new(file));
    let consumed = counted.counter();
    let stream = decompressed(counted, codec)?;
    let mut archive = tar::Archive::new(stream);
    // Raw entries: the long-name and PAX headers come to us as entries of their own, so
    // their size is checked before anything of them is read (see `MAX_TAR_METADATA`).
    let entries = archive
        .entries()
        .map_err(|e| format!("not a tar archive: {e}"))?
        .raw(true);
    let mut unpacked: u64 = 0;
    // The name a GNU long-name or PAX header gives the next entry.
    let mut long_name: Option<String> = None;
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(e) => return Err(format!("broken tar archive: {e}")),
        };
        let entry_type = entry.header().entry_type();
        match tar_metadata(&mut entry, entry_type)? {
            TarMetadata::NotMetadata => {}
            TarMetadata::Name(name) => {
                unpacked = unpacked.saturating_add(entry.size());
                long_name = Some(name);
                continue;
            }
            TarMetadata::Other => {
                unpacked = unpacked.saturating_add(entry.size());
                continue;
            }
        }
        let name = long_name.take().unwrap_or_else(|| {
            entry
                .path()
                .map_or_else(|_| "<unnamed>".into(), |p| p.to_string_lossy().into_owned())
        });
        if !entry_type.is_file() {
            if !entry_type.is_dir()
                && emit(Event::Skip {
                    member: Some(name),
                    reason: SkipReason::NotARegularFile(format!("{entry_type:?}")),
                })
                .is_break()
            {
                return Ok(());
            }
            continue;
        }
        let size = entry.size();
        unpacked = unpacked.saturating_add(size);
        if codec != Codec::None
            && unpacked as f64
                > config.max_ratio * consumed.get().max(stored / 1000).max(1 << 20) as f64
        {
            return Err(format!(
                "decompresses beyond {} times its size (input.max_ratio): a decompression bomb?",
                config.max_ratio
            ));
        }
        let event = if size > config.max_bytes {
            Event::Reject {
                member: Some(name),
                stage: Stage::Read,
                error: format!(
                    "entry is {size} bytes, over input.max_bytes ({})",
                    config.max_bytes
                ),
            }
        } else {
            member_event(name, &mut entry, size, config)
        };
        if emit(event).is_break() {
            return Ok(());
        }
    }
    Ok(())
}

/// What a tar entry is to the reader of names.
enum TarMetadata {
    /// A member: a file, folder, link.
    NotMetadata,
    /// A GNU long-name or PAX header naming the next member.
    Name(String),
    /// Metadata that says nothing we use (a long link, a global PAX header).
    Other,
}

/// Reads a tar metadata entry (GNU long name or link, PAX header). One over
/// [`MAX_TAR_METADATA`] stops the archive.
fn tar_metadata(entry: &mut impl Read, entry_type: tar::EntryType) -> Result<TarMetadata, String> {
    let what = if entry_type.is_gnu_longname() {
        "GNU long-name"
    } else if entry_type.is_gnu_longlink() {
        "GNU long-link"
    } else if entry_type.is_pax_local_extensions() || entry_type.is_pax_global_extensions() {
        "PAX"
    } else {
        return Ok(TarMetadata::NotMetadata);
    };
    let mut data = Vec::new();
    entry
        .take(MAX_TAR_METADATA + 1)
        .read_to_end(&mut data)
        .map_err(|e| format!("broken tar archive: {e}"))?;
    if data.len() as u64 > MAX_TAR_METADATA {
        return Err(format!(
            "tar {what} header over {MAX_TAR_METADATA} bytes: a forged archive?"
        ));
    }
    let name = if entry_type.is_gnu_longname() {
        let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
        Some(String::from_utf8_lossy(&data[..end]).into_owned())
    } else if entry_type.is_pax_local_extensions() {
        tar::PaxExtensions::new(&data)
            .filter_map(Result::ok)
            .find(|e| e.key_bytes() == b"path")
            .map(|e| String::from_utf8_lossy(e.value_bytes()).into_owned())
    } else {
        None
    };
    Ok(name.map_or(TarMetadata::Other, TarMetadata::Name))
}

fn read_zip(
    file: impl Read + Seek,
    _stored: u64,
    _codec: Codec,
    config: &InputConfig,
    emit: &mut dyn FnMut(Event) -> ControlFlow<()>,
) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| format!("not a zip archive: {e}"))?;
    for index in 0..archive.len() {
        let event = match archive.by_index(index) {
            Ok(entry) if entry.is_dir() => continue,
            Ok(entry) => {
                let name = entry
                    .name()
                    .map_or_else(|_| format!("#{index}"), std::borrow::Cow::into_owned);
                let (stored, size) = (entry.compressed_size(), entry.size());
                if size > config.max_bytes
                    || (size as f64) > config.max_ratio * stored.max(1 << 10) as f64
                {
                    Event::Reject {
                        member: Some(name),
                        stage: Stage::Read,
                        error: format!(
                            "entry of {stored} bytes unpacks to {size}: over input.max_bytes or input.max_ratio"
                        ),
                    }
                } else {
                    member_event(name, entry, size, config)
                }
            }
            Err(e) => Event::Reject {
                member: Some(format!("#{index}")),
                stage: Stage::Read,
                error: format!("broken zip entry: {e}"),
            },
        };
        if emit(event).is_break() {
            return Ok(());
        }
    }
    Ok(())
}

fn read_warc(
    file: impl Read + Seek,
    _stored: u64,
    codec: Codec,
    config: &InputConfig,
    emit: &mut dyn FnMut(Event) -> ControlFlow<()>,
) -> Result<(), String> {
    let mut reader = BufReader::new(ratio_guarded(file, codec, config)?);
    let limit = config.max_bytes.saturating_add(64 << 10);
    let mut position = 0usize;
    while let Some(head) = crate::warc::next_head(&mut reader)
        .map_err(|e| format!("broken WARC after {position} records: {e}"))?
    {
        position += 1;
        let member = Some(
            head.get("warc-record-id")
                .unwrap_or_else(|| format!("#{position}")),
        );
        let kind = head.get("warc-type").unwrap_or_default().to_lowercase();
        let length = head.content_length;
        let mut consumed = 0;
        let event = if !matches!(kind.as_str(), "response" | "resource") {
            Event::Skip {
                member,
                reason: SkipReason::WarcRecord(kind),
            }
        } else if length > limit {
            Event::Reject {
                member,
                stage: Stage::Read,
                error: format!("WARC record of {length} bytes, over input.max_bytes"),
            }
        } else {
            let mut block = Vec::new();
            (&mut reader)
                .take(length)
                .read_to_end(&mut block)
                .map_err(|e| format!("cannot read WARC record {position}: {e}"))?;
            consumed = block.len() as u64;
            let url = head
                .get("warc-target-uri")
                .map(|u| u.trim_matches(['<', '>']).to_owned());
            let date = head.get("warc-date");
            let declared = head.get("content-type").unwrap_or_default().to_lowercase();
            warc_page(
                member,
                kind == "response",
                &declared,
                block,
                url,
                date,
                length,
            )
        };
        // Whatever was not read of the block (a skipped record) is passed over.
        crate::warc::finish_record(&mut reader, length - consumed)
            .map_err(|e| format!("broken WARC record {position}: {e}"))?;
        if emit(event).is_break() {
            return Ok(());
        }
    }
    Ok(())
}

/// A response record holds the HTTP response: headers, then the payload. Only HTML
/// payloads are pages; the charset of the `Content-Type` header is kept for decoding.
fn warc_page(
    member: Option<String>,
    is_response: bool,
    declared: &str,
    block: Vec<u8>,
    url: Option<String>,
    date: Option<String>,
    stored: u64,
) -> Event {
    let (content_type, payload) = if is_response && declared.contains("application/http") {
        match split_http(&block) {
            Some((status, content_type, body_at)) if (200..300).contains(&status) => {
                (content_type, block[body_at..].to_vec())
            }
            Some((status, ..)) => {
                return Event::Skip {
                    member,
                    reason: SkipReason::HttpStatus(status),
                };
            }
            None => {
                return Event::Reject {
                    member,
                    stage: Stage::Read,
                    error: "WARC response without a readable HTTP header".into(),
                };
            }
        }
    } else {
        (declared.to_owned(), block)
    };
    if !(content_type.contains("html") || content_type.is_empty()) {
        return Event::Skip {
            member,
            reason: SkipReason::NotHtml(
                content_type
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
            ),
        };
    }
    let charset = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("charset="))
        .map(|c| c.trim_matches('"').to_owned());
    Event::Item(Item {
        member,
        format: Format::Html,
        bytes: payload,
        stored_bytes: stored,
        url,
        reference_time: date,
        charset,
    })
}

/// `(status, lower-cased content type, offset of the body)` of an HTTP response.
fn split_http(block: &[u8]) -> Option<(u16, String, usize)> {
    let head = &block[..block.len().min(MAX_HTTP_HEAD)];
    let end = head
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4)
        .or_else(|| head.windows(2).position(|w| w == b"\n\n").map(|p| p + 2))?;
    let head = String::from_utf8_lossy(&block[..end]);
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let content_type = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_lowercase())
        .unwrap_or_default();
    Some((status, content_type, end))
}

fn read_jsonl(
    file: impl Read + Seek,
    _stored: u64,
    codec: Codec,
    config: &InputConfig,
    emit: &mut dyn FnMut(Event) -> ControlFlow<()>,
) -> Result<(), String> {
    let mut reader = BufReader::new(ratio_guarded(file, codec, config)?);
    let fields = &config.jsonl;
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        number += 1;
        let read = (&mut reader)
            .take(config.max_line as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("cannot read line {number}: {e}"))?;
        if read == 0 {
            return Ok(());
        }
        let member = Some(format!("line {number}"));
        let event = if line.len() > config.max_line && !line.ends_with(b"\n") {
            // Skip the rest of the over-long line as it streams past, never holding it.
            line = Vec::new();
            skip_line(&mut reader).map_err(|e| format!("cannot read line {number}: {e}"))?;
            Event::Reject {
                member,
                stage: Stage::Read,
                error: format!(
                    "line longer than {} bytes (input.max_line)",
                    config.max_line
                ),
            }
        } else if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        } else {
            jsonl_page(member, &line, fields)
        };
        if emit(event).is_break() {
            return Ok(());
        }
    }
}

/// Passes over the rest of a line, a buffer at a time.
fn skip_line(reader: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(());
        }
        if let Some(at) = buffer.iter().position(|&b| b == b'\n') {
            reader.consume(at + 1);
            return Ok(());
        }
        let n = buffer.len();
        reader.consume(n);
    }
}

fn jsonl_page(member: Option<String>, line: &[u8], fields: &crate::config::JsonlFields) -> Event {
    let value: serde_json::Value = match serde_json::from_slice(line) {
        Ok(value) => value,
        Err(e) => {
            return Event::Reject {
                member,
                stage: Stage::Read,
                error: format!("not a JSON object: {e}"),
            };
        }
    };
    let text_field = |name: &str| {
        value
            .get(name)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let (format, body) = match (text_field(&fields.html), text_field(&fields.text)) {
        (Some(html), _) => (Format::Html, html),
        (None, Some(text)) => (Format::Text, text),
        (None, None) => {
            return Event::Reject {
                member,
                stage: Stage::Read,
                error: format!(
                    "no {:?} or {:?} field with a string",
                    fields.html, fields.text
                ),
            };
        }
    };
    Event::Item(Item {
        member,
        format,
        stored_bytes: body.len() as u64,
        bytes: body.into_bytes(),
        url: text_field(&fields.url),
        reference_time: fields.time.as_deref().and_then(text_field),
        charset: None,
    })
}

/// The decompressed stream of a whole file (WARC, JSONL) that stops with an error once it
/// gives out more than `max_ratio` times what it has read (with a floor of 1 MiB, as tiny
/// files legitimately compress well): what tar and zip check per entry, for streams.
fn ratio_guarded<'a, R: Read + 'a>(
    file: R,
    codec: Codec,
    config: &InputConfig,
) -> Result<Box<dyn Read + 'a>, String> {
    if codec == Codec::None {
        return Ok(Box::new(BufReader::new(file)));
    }
    let counted = CountingReader::new(BufReader::new(file));
    let consumed = counted.counter();
    Ok(Box::new(RatioGuard {
        inner: decompressed(counted, codec)?,
        consumed,
        produced: 0,
        max_ratio: config.max_ratio,
    }))
}

struct RatioGuard<R> {
    inner: R,
    consumed: std::rc::Rc<std::cell::Cell<u64>>,
    produced: u64,
    max_ratio: f64,
}

impl<R: Read> Read for RatioGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.produced = self.produced.saturating_add(n as u64);
        let allowed = self.max_ratio * self.consumed.get().max(1 << 20) as f64;
        if self.produced as f64 > allowed {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "decompresses beyond {} times its size (input.max_ratio): a decompression bomb?",
                    self.max_ratio
                ),
            ));
        }
        Ok(n)
    }
}

/// Counts the bytes read through it, so the ratio of a compressed stream can be checked.
struct CountingReader<R> {
    inner: R,
    count: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R> CountingReader<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            count: std::rc::Rc::default(),
        }
    }

    fn counter(&self) -> std::rc::Rc<std::cell::Cell<u64>> {
        self.count.clone()
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(kind: Kind, codec: Codec, bytes: &[u8]) -> Vec<Event> {
        let mut out = Vec::new();
        read_bytes(kind, codec, bytes, &InputConfig::default(), &mut |e| {
            out.push(e);
            ControlFlow::Continue(())
        });
        out
    }

    #[test]
    fn jsonl_lines_become_pages_or_rejects() {
        let data = b"{\"url\": \"u\", \"html\": \"<p>x</p>\"}\n\n[1]\n{\"text\": \"t\"}\n";
        let got = events(Kind::Jsonl, Codec::None, data);
        assert_eq!(got.len(), 3);
        assert!(
            matches!(&got[0], Event::Item(i) if i.format == Format::Html && i.url.as_deref() == Some("u"))
        );
        assert!(matches!(&got[1], Event::Reject { member: Some(m), .. } if m == "line 3"));
        assert!(
            matches!(&got[2], Event::Item(i) if i.format == Format::Text && i.member.as_deref() == Some("line 4"))
        );
    }

    #[test]
    fn an_over_long_jsonl_line_is_a_reject_and_reading_goes_on() {
        let config = InputConfig {
            max_line: 16,
            ..InputConfig::default()
        };
        let data = b"{\"text\": \"a very long line indeed\"}\n{\"text\": \"ok\"}\n";
        let mut got = Vec::new();
        read_bytes(Kind::Jsonl, Codec::None, data, &config, &mut |e| {
            got.push(e);
            ControlFlow::Continue(())
        });
        assert!(matches!(&got[0], Event::Reject { error, .. } if error.contains("max_line")));
        assert!(matches!(&got[1], Event::Item(i) if i.bytes == b"ok"));
    }

    #[test]
    fn garbage_is_one_reject_not_a_panic() {
        for kind in [Kind::Tar, Kind::Zip, Kind::Warc] {
            for codec in [
                Codec::None,
                Codec::Gzip,
                Codec::Zstd,
                Codec::Bzip2,
                Codec::Xz,
            ] {
                let got = events(kind, codec, b"\x00\x01garbage\xff");
                assert!(
                    got.iter()
                        .all(|e| matches!(e, Event::Reject { .. } | Event::Skip { .. })),
                    "{kind:?} {codec:?}"
                );
            }
        }
    }

    #[test]
    fn a_forged_xz_dictionary_size_is_refused() {
        // Found by fuzzing: a legacy .lzma header asking for a 4 GiB dictionary.
        let mut bytes = vec![3u8];
        bytes.extend([255u8; 86]);
        bytes.extend(b"${");
        let got = events(Kind::Warc, Codec::Xz, &bytes);
        assert!(matches!(&got[..], [Event::Reject { .. }]), "{got:?}");
    }

    /// A tar whose first header is a GNU long name claiming `claimed` bytes, then `name`.
    fn tar_with_long_name(claimed: u64, name: &[u8]) -> Vec<u8> {
        let mut header = tar::Header::new_gnu();
        header.set_path("././@LongLink").expect("path");
        header.set_entry_type(tar::EntryType::GNULongName);
        header.set_size(claimed);
        header.set_cksum();
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend_from_slice(name);
        bytes.resize(bytes.len().next_multiple_of(512), 0);
        let mut page = tar::Header::new_gnu();
        page.set_path("short.txt").expect("path");
        page.set_size(5);
        page.set_cksum();
        bytes.extend_from_slice(page.as_bytes());
        bytes.extend_from_slice(b"hello");
        bytes.resize(bytes.len().next_multiple_of(512) + 1024, 0);
        bytes
    }

    #[test]
    fn tar_long_names_are_read_within_a_bound() {
        let long = "a/".repeat(100) + "page.txt";
        let got = events(
            Kind::Tar,
            Codec::None,
            &tar_with_long_name(long.len() as u64 + 1, format!("{long}\0").as_bytes()),
        );
        assert!(
            matches!(&got[..], [Event::Item(i)] if i.member.as_deref() == Some(long.as_str())),
            "{got:?}"
        );
        // A 16 MiB long name stops at the bound, having held at most 64 KiB of it.
        let got = events(
            Kind::Tar,
            Codec::None,
            &tar_with_long_name(16 << 20, &vec![b'a'; 16 << 20]),
        );
        assert!(
            matches!(&got[..], [Event::Reject { error, .. }] if error.contains("long-name")),
            "{got:?}"
        );
    }

    #[test]
    fn compressed_streams_keep_to_max_ratio() {
        use std::io::Write;
        let line = format!("{{\"text\": \"{}\"}}\n", "a".repeat(1 << 20));
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        for _ in 0..8 {
            encoder.write_all(line.as_bytes()).expect("gzip");
        }
        let gz = encoder.finish().expect("gzip");
        // 8 MiB from a few kilobytes: over 2 × the 1 MiB floor.
        let config = InputConfig {
            max_ratio: 2.0,
            ..InputConfig::default()
        };
        let read = |kind| {
            let mut out = Vec::new();
            read_bytes(kind, Codec::Gzip, &gz, &config, &mut |e| {
                out.push(e);
                ControlFlow::Continue(())
            });
            out
        };
        let got = read(Kind::Jsonl);
        assert!(
            matches!(got.last(), Some(Event::Reject { error, .. }) if error.contains("max_ratio")),
            "{} events, last {:?}",
            got.len(),
            got.last().map(|e| matches!(e, Event::Item(_)))
        );
        assert!(
            got.len() <= 3,
            "read on past the bound: {} events",
            got.len()
        );
        let warc = read(Kind::Warc);
        assert!(matches!(&warc[..], [Event::Reject { .. }]));
    }

    #[test]
    fn an_over_long_line_is_skipped_without_being_held() {
        let mut reader = std::io::BufReader::with_capacity(16, &b"0123456789abcdefghij\nnext"[..]);
        skip_line(&mut reader).expect("skip");
        let mut rest = String::new();
        reader.read_to_string(&mut rest).expect("rest");
        assert_eq!(rest, "next");
    }

    #[test]
    fn http_responses_are_split() {
        let block =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\n<p>hi</p>";
        assert_eq!(
            split_http(block),
            Some((200, "text/html; charset=iso-8859-1".to_owned(), 64))
        );
        assert_eq!(split_http(b"nonsense"), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn readers_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048), kind in 0..5usize, codec in 0..5usize) {
            let kind = [Kind::Tar, Kind::Zip, Kind::Warc, Kind::Jsonl, Kind::Page { format: Format::Html }][kind];
            let codec = [Codec::None, Codec::Gzip, Codec::Zstd, Codec::Bzip2, Codec::Xz][codec];
            let _ = events(kind, codec, &bytes);
        }
    }
}
