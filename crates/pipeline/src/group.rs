//! Threads across pages in a run: every page record is written as usual (checkpointed,
//! resumable); a small index entry per keyed page (thread key, page number, where its line
//! is) goes to an external sort that spills to disk past `[stitch] sort_buffer` entries.
//! When the run completes, the sorted index gives each thread's pages; a second external
//! sort puts the stitched records in the place of their first page, and one sequential
//! pass over the page records writes the output. Memory holds one thread at a time.

use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use extsort::{ExternalSorter, Sortable};
use serde::{Deserialize, Serialize};
use threadmill_export::{RecordWriter, to_line};
use threadmill_model::Thread;

use crate::error::Error;
use crate::report::{RecordSummary, Report};

/// Pages of one thread beyond this many are left as records of their own: one key (a
/// title fallback gone wrong, a hostile input) must not pull a whole night into memory.
pub(crate) const MAX_GROUP_PAGES: usize = 10_000;

/// What the worker recognised of a page: its thread and page number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Group {
    pub key: String,
    pub n: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
}

/// One keyed page record in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    key: String,
    n: u32,
    total: u32,
    ordinal: u64,
    offset: u64,
    len: u64,
}

fn put_u64(w: &mut impl Write, v: u64) -> io::Result<()> {
    w.write_all(&v.to_le_bytes())
}

fn get_u64(r: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn put_u32(w: &mut impl Write, v: u32) -> io::Result<()> {
    w.write_all(&v.to_le_bytes())
}

fn get_u32(r: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn get_string(r: &mut impl Read) -> io::Result<String> {
    let len = get_u32(r)? as usize;
    let mut bytes = vec![0u8; len];
    r.read_exact(&mut bytes)?;
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

impl Sortable for Entry {
    fn encode<W: Write>(&self, w: &mut W) -> io::Result<()> {
        let key = self.key.as_bytes();
        put_u32(w, u32::try_from(key.len()).unwrap_or(u32::MAX))?;
        w.write_all(&key[..key.len().min(u32::MAX as usize)])?;
        put_u32(w, self.n)?;
        put_u32(w, self.total)?;
        put_u64(w, self.ordinal)?;
        put_u64(w, self.offset)?;
        put_u64(w, self.len)
    }

    fn decode<R: Read>(r: &mut R) -> io::Result<Self> {
        Ok(Self {
            key: get_string(r)?,
            n: get_u32(r)?,
            total: get_u32(r)?,
            ordinal: get_u64(r)?,
            offset: get_u64(r)?,
            len: get_u64(r)?,
        })
    }
}

/// A stitched record's place: at `ordinal` (the record of its first page), the member
/// pages' records in thread order; with no members, a page folded into an earlier record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The position, among the run's records, this placement applies to.
    pub ordinal: u64,
    /// The thread key (empty for a folded page).
    pub key: String,
    /// `(offset, len, n, total)` of each page's record line, in thread order; `total` is 0
    /// when the page printed none.
    pub members: Vec<(u64, u64, u32, u32)>,
}

impl Sortable for Placement {
    fn encode<W: Write>(&self, w: &mut W) -> io::Result<()> {
        put_u64(w, self.ordinal)?;
        let key = self.key.as_bytes();
        put_u32(w, u32::try_from(key.len()).unwrap_or(u32::MAX))?;
        w.write_all(&key[..key.len().min(u32::MAX as usize)])?;
        put_u64(w, self.members.len() as u64)?;
        for &(offset, len, n, total) in &self.members {
            put_u64(w, offset)?;
            put_u64(w, len)?;
            put_u32(w, n)?;
            put_u32(w, total)?;
        }
        Ok(())
    }

    fn decode<R: Read>(r: &mut R) -> io::Result<Self> {
        let ordinal = get_u64(r)?;
        let key = get_string(r)?;
        let count = get_u64(r)?;
        let mut members = Vec::new();
        for _ in 0..count {
            members.push((get_u64(r)?, get_u64(r)?, get_u32(r)?, get_u32(r)?));
        }
        Ok(Self {
            ordinal,
            key,
            members,
        })
    }
}

/// The comparison an index sorts by.
pub type Cmp<T> = fn(&T, &T) -> Ordering;

fn by_thread(a: &Entry, b: &Entry) -> Ordering {
    (&a.key, a.n, a.ordinal).cmp(&(&b.key, b.n, b.ordinal))
}

fn by_ordinal(a: &Placement, b: &Placement) -> Ordering {
    a.ordinal.cmp(&b.ordinal)
}

/// The page index of a run: one entry per page record that has a thread key, sorted by
/// thread externally (spilling to disk past `buffer` entries).
pub struct PageIndex {
    sorter: Spill<Entry>,
    dir: PathBuf,
    buffer: usize,
    entries: u64,
}

impl std::fmt::Debug for PageIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageIndex")
            .field("dir", &self.dir)
            .field("entries", &self.entries)
            .finish_non_exhaustive()
    }
}

/// The ordinal of the item that keeps an external sort's buffer from being empty.
const SENTINEL: u64 = u64::MAX;

/// An external sort that cannot lose items. extsort 0.5.0's `done()` drops every segment
/// already spilled to disk when its in-memory buffer happens to be empty at the end (after
/// a multiple of `segment_size + 1` pushes): when that would happen, one sentinel item
/// (ordinal [`SENTINEL`]) is pushed, and readers skip it.
struct Spill<T: Sortable> {
    sorter: extsort::PushExternalSorter<T, Cmp<T>>,
    segment_size: usize,
    buffered: usize,
    spilled: bool,
}

impl<T: Sortable> Spill<T> {
    fn new(dir: PathBuf, segment_size: usize, cmp: Cmp<T>) -> Self {
        let segment_size = segment_size.max(1);
        Self {
            sorter: ExternalSorter::new()
                .with_segment_size(segment_size)
                .with_sort_dir(dir)
                .pushed_by(cmp),
            segment_size,
            buffered: 0,
            spilled: false,
        }
    }

    fn push(&mut self, item: T) -> io::Result<()> {
        self.sorter.push(item)?;
        // extsort writes a segment once its buffer holds more than `segment_size` items.
        self.buffered += 1;
        if self.buffered > self.segment_size {
            self.buffered = 0;
            self.spilled = true;
        }
        Ok(())
    }

    fn done(mut self, sentinel: T) -> io::Result<extsort::SortedIterator<T, Cmp<T>>> {
        if self.spilled && self.buffered == 0 {
            self.sorter.push(sentinel)?;
        }
        self.sorter.done()
    }
}

/// The sorted placements of a grouped run, by record position.
pub struct Placements(extsort::SortedIterator<Placement, Cmp<Placement>>);

impl std::fmt::Debug for Placements {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Placements").finish_non_exhaustive()
    }
}

impl Iterator for Placements {
    type Item = io::Result<Placement>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0
            .by_ref()
            .find(|p| !matches!(p, Ok(p) if p.ordinal == SENTINEL))
    }
}

impl PageIndex {
    /// An index spilling into `dir` past `buffer` entries.
    pub fn new(dir: &Path, buffer: usize) -> io::Result<Self> {
        let sort_dir = dir.join("index");
        // Segments of an interrupted run are of no use: the index is rebuilt with the
        // records file.
        if sort_dir.exists() {
            std::fs::remove_dir_all(&sort_dir)?;
        }
        std::fs::create_dir_all(&sort_dir)?;
        let sorter = Spill::new(sort_dir, buffer, by_thread as Cmp<Entry>);
        Ok(Self {
            sorter,
            dir: dir.to_owned(),
            buffer: buffer.max(1),
            entries: 0,
        })
    }

    /// Notes the record at `ordinal` (its line at `offset`, `len` bytes) as page `n` (of
    /// `total`, if printed) of the thread `key`.
    pub fn add(
        &mut self,
        key: &str,
        n: u32,
        total: Option<u32>,
        ordinal: u64,
        line: (u64, u64),
    ) -> io::Result<()> {
        self.entries += 1;
        self.sorter.push(Entry {
            key: key.to_owned(),
            n,
            total: total.unwrap_or(0),
            ordinal,
            offset: line.0,
            len: line.1,
        })
    }

    /// Pages noted so far.
    pub fn len(&self) -> u64 {
        self.entries
    }

    /// True when no page was noted.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// Groups the pages by thread and sorts the placements of the threads of two pages or
    /// more by record position: `None` when there is no such thread. Holds one thread's
    /// entries in memory at a time; both sorts spill past the buffer.
    pub fn place(self) -> io::Result<Option<Placements>> {
        if self.entries < 2 {
            return Ok(None);
        }
        let place_dir = self.dir.join("placements");
        if place_dir.exists() {
            std::fs::remove_dir_all(&place_dir)?;
        }
        std::fs::create_dir_all(&place_dir)?;
        let mut placements = Spill::new(place_dir, self.buffer, by_ordinal as Cmp<Placement>);
        let mut any = false;
        let mut group: Vec<Entry> = Vec::new();
        let mut flush = |group: &mut Vec<Entry>| -> io::Result<()> {
            // Sorted by page number, so a number given twice sits side by side.
            let ambiguous = threadmill_stitch::ThreadKey::is_title(&group[0].key)
                && group.windows(2).any(|w| w[0].n == w[1].n);
            if group.len() >= 2 && !ambiguous {
                any = true;
                let members = group
                    .iter()
                    .map(|e| (e.offset, e.len, e.n, e.total))
                    .collect();
                placements.push(Placement {
                    ordinal: group[0].ordinal,
                    key: group[0].key.clone(),
                    members,
                })?;
                for entry in &group[1..] {
                    placements.push(Placement {
                        ordinal: entry.ordinal,
                        key: String::new(),
                        members: Vec::new(),
                    })?;
                }
            }
            group.clear();
            Ok(())
        };
        let sentinel = Entry {
            key: String::new(),
            n: 0,
            total: 0,
            ordinal: SENTINEL,
            offset: 0,
            len: 0,
        };
        for entry in self.sorter.done(sentinel)? {
            let entry = entry?;
            if entry.ordinal == SENTINEL {
                continue;
            }
            let same = group.first().is_some_and(|g| g.key == entry.key);
            if !group.is_empty() && (!same || group.len() >= MAX_GROUP_PAGES) {
                flush(&mut group)?;
            }
            group.push(entry);
        }
        if !group.is_empty() {
            flush(&mut group)?;
        }
        if !any {
            return Ok(None);
        }
        let sentinel = Placement {
            ordinal: SENTINEL,
            key: String::new(),
            members: Vec::new(),
        };
        Ok(Some(Placements(placements.done(sentinel)?)))
    }
}

/// Threads stitched at once, in parallel, before their lines are written in order.
const BATCH_THREADS: usize = 64;
/// Bytes of page records a batch may hold.
const BATCH_BYTES: usize = 64 << 20;

/// The stages a whole thread runs again once stitched (the extract stage).
pub(crate) type Finish<'a> = &'a (dyn Fn(&mut Thread) -> Result<(), String> + Sync);

/// One output line to be: a page record as it is, or a thread to stitch from its pages.
enum Pending {
    Line(Vec<u8>),
    Thread {
        key: String,
        members: Vec<(Vec<u8>, u32, u32)>,
    },
}

/// Writes `output` from the page records in `records`, each thread's pages as one record
/// at the place of its first page. Returns `false` (and writes nothing) when no thread has
/// two pages: the records file is then the output as it is. Threads are stitched on
/// `pool` in batches, written in order.
pub(crate) fn regroup(
    records: &Path,
    index: PageIndex,
    output: &Path,
    report: &mut Report,
    pool: &rayon::ThreadPool,
    finish: Finish<'_>,
) -> Result<bool, Error> {
    let io = |source: io::Error| Error::output_io(output, source);
    let Some(placements) = index.place().map_err(io)? else {
        return Ok(false);
    };
    let mut placements = placements.peekable();
    let mut lines = BufReader::with_capacity(1 << 20, File::open(records).map_err(io)?);
    let mut members_file = File::open(records).map_err(io)?;
    let mut writer = RecordWriter::create(output)?;
    let mut batch: Vec<Pending> = Vec::new();
    let (mut threads, mut bytes) = (0usize, 0usize);
    let mut ordinal = 0u64;
    loop {
        let mut line = Vec::new();
        if lines.read_until(b'\n', &mut line).map_err(io)? == 0 {
            break;
        }
        let due = match placements.peek() {
            Some(Ok(p)) => p.ordinal == ordinal,
            Some(Err(_)) => true,
            None => false,
        };
        let placement = if due {
            placements.next().transpose().map_err(io)?
        } else {
            None
        };
        ordinal += 1;
        match placement {
            None => {
                bytes += line.len();
                batch.push(Pending::Line(line));
            }
            Some(placement) if placement.members.is_empty() => {}
            Some(placement) => {
                let mut members = Vec::with_capacity(placement.members.len());
                for &(offset, len, n, total) in &placement.members {
                    let mut page = vec![0u8; usize::try_from(len).unwrap_or(0)];
                    members_file.seek(SeekFrom::Start(offset)).map_err(io)?;
                    members_file.read_exact(&mut page).map_err(io)?;
                    bytes += page.len();
                    members.push((page, n, total));
                }
                threads += 1;
                batch.push(Pending::Thread {
                    key: placement.key,
                    members,
                });
            }
        }
        if threads >= BATCH_THREADS || bytes >= BATCH_BYTES {
            write_batch(&mut batch, &mut writer, report, pool, finish)?;
            (threads, bytes) = (0, 0);
        }
    }
    write_batch(&mut batch, &mut writer, report, pool, finish)?;
    writer.finish()?;
    Ok(true)
}

/// Stitches a batch's threads in parallel and writes every line of it in order.
fn write_batch(
    batch: &mut Vec<Pending>,
    writer: &mut RecordWriter,
    report: &mut Report,
    pool: &rayon::ThreadPool,
    finish: Finish<'_>,
) -> Result<(), Error> {
    use rayon::prelude::*;
    let stitched: Vec<Option<Result<Stitched, String>>> = pool.install(|| {
        batch
            .par_iter()
            .map(|pending| match pending {
                Pending::Line(_) => None,
                Pending::Thread { key, members } => Some(stitch_lines(key, members, finish)),
            })
            .collect()
    });
    for (pending, result) in batch.drain(..).zip(stitched) {
        match (pending, result) {
            (Pending::Line(line), _) => writer.write_line(&line)?,
            (Pending::Thread { .. }, Some(Ok(thread))) => {
                for (summary, bytes) in &thread.pages {
                    report.unnote_record(summary, *bytes);
                }
                report.note_record(&thread.summary, thread.line.len() as u64);
                report.stitched_pages += thread.pages.len() as u64 - 1;
                report.stitched_threads += 1;
                writer.write_line(&thread.line)?;
            }
            (Pending::Thread { members, .. }, error) => {
                // Never lose a page: write them as they were, and say why.
                let error = match error {
                    Some(Err(error)) => error,
                    _ => "no result".to_owned(),
                };
                tracing::warn!(%error, "could not stitch a thread; its pages stay separate");
                for (page, _, _) in &members {
                    writer.write_line(page)?;
                }
            }
        }
    }
    Ok(())
}

/// A stitched thread's line, with what the report counted of its pages and counts of it.
struct Stitched {
    line: Vec<u8>,
    summary: RecordSummary,
    /// Each page's summary and record bytes.
    pages: Vec<(RecordSummary, u64)>,
}

/// One stitched line from the member pages' lines.
fn stitch_lines(
    key: &str,
    members: &[(Vec<u8>, u32, u32)],
    finish: Finish<'_>,
) -> Result<Stitched, String> {
    let mut pages = Vec::with_capacity(members.len());
    let mut noted = Vec::with_capacity(members.len());
    for (bytes, n, total) in members {
        let thread: Thread = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        noted.push((RecordSummary::of(&thread), bytes.len() as u64));
        pages.push(threadmill_stitch::Page {
            n: *n,
            total: (*total > 0).then_some(*total),
            thread,
        });
    }
    let mut thread = threadmill_stitch::stitch(pages).map_err(|e| e.to_string())?;
    thread.thread_key = Some(key.to_owned());
    finish(&mut thread)?;
    let line = to_line(&thread).map_err(|e| e.to_string())?;
    Ok(Stitched {
        line,
        summary: RecordSummary::of(&thread),
        pages: noted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placements(entries: &[(&str, u32)], buffer: usize) -> Vec<Placement> {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut index = PageIndex::new(dir.path(), buffer).expect("index");
        for (ordinal, (key, n)) in entries.iter().enumerate() {
            let ordinal = ordinal as u64;
            index
                .add(key, *n, None, ordinal, (ordinal * 10, 10))
                .expect("add");
        }
        index
            .place()
            .expect("place")
            .map(|p| p.collect::<io::Result<Vec<_>>>().expect("read back"))
            .unwrap_or_default()
    }

    #[test]
    fn threads_are_placed_at_their_first_page_and_spill_the_same() {
        let pages = [
            ("url:a/x/1", 2),
            ("url:a/x/2", 1),
            ("url:a/x/1", 1),
            ("url:a/x/1", 3),
        ];
        for buffer in [1, 2, 3, 100] {
            let got = placements(&pages, buffer);
            let summary: Vec<(u64, usize)> =
                got.iter().map(|p| (p.ordinal, p.members.len())).collect();
            assert_eq!(summary, [(0, 0), (2, 3), (3, 0)], "buffer {buffer}");
            let numbers: Vec<u32> = got[1].members.iter().map(|m| m.2).collect();
            assert_eq!(numbers, [1, 2, 3]);
            assert_eq!(got[1].key, "url:a/x/1");
        }
    }

    #[test]
    fn a_title_key_with_one_page_number_twice_is_not_one_thread() {
        assert!(placements(&[("title:phpbb/b/t", 1), ("title:phpbb/b/t", 1)], 10).is_empty());
        // The same page of a URL-keyed thread twice is a re-scrape: stitched, posts once.
        assert_eq!(
            placements(&[("url:a/x/1", 1), ("url:a/x/1", 1)], 10).len(),
            2
        );
    }

    #[test]
    fn entries_round_trip() {
        let entry = Entry {
            key: "url:é/x/1".into(),
            n: 3,
            total: 9,
            ordinal: 7,
            offset: 1 << 40,
            len: 12,
        };
        let mut bytes = Vec::new();
        entry.encode(&mut bytes).expect("encode");
        assert_eq!(Entry::decode(&mut &bytes[..]).expect("decode"), entry);
    }
}
