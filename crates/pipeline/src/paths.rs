//! The names a run gives: stable record ids (from the page's URL when one is known, else from
//! its path below the input root named on the command line, whatever the spelling of that
//! root), checkpoint keys, and the files beside the output.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One input root: as the user spelled it, and the name it stands for in ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdRoot {
    /// The root as given (`data`, `./data/`, `/srv/crawl/data`): input paths start with it.
    pub given: PathBuf,
    /// Its own name once resolved (`data` for all three): the first part of an id's path.
    pub name: String,
}

/// The input roots of a run, for ids that do not depend on how a root was spelled.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdRoots {
    roots: Vec<IdRoot>,
}

impl IdRoots {
    /// Resolves each root named on the command line. A root that cannot be resolved (it
    /// does not exist, or is standard input `-`) is left out: its pages keep their path.
    pub fn new(given: &[PathBuf]) -> Self {
        let roots = given
            .iter()
            .filter(|root| root.as_os_str() != "-")
            .filter_map(|root| {
                let resolved = std::fs::canonicalize(root).ok()?;
                let name = resolved
                    .file_name()
                    .map_or_else(|| "/".to_owned(), |n| n.to_string_lossy().into_owned());
                Some(IdRoot {
                    given: root.clone(),
                    name,
                })
            })
            .collect();
        Self { roots }
    }

    /// The path an id is made from: the root's name joined with the path below it
    /// (`data/sub/a.html`), `/`-separated. A path under no root is taken as it is.
    pub fn key(&self, path: &str) -> String {
        let path = Path::new(path);
        let below = self
            .roots
            .iter()
            .filter_map(|root| Some((root, path.strip_prefix(&root.given).ok()?)))
            // The innermost root when roots nest.
            .max_by_key(|(root, _)| root.given.components().count());
        match below {
            Some((root, rest)) => {
                let mut key = root.name.clone();
                for part in rest.components() {
                    if let Component::Normal(part) = part {
                        key.push('/');
                        key.push_str(&part.to_string_lossy());
                    }
                }
                key
            }
            None => path.to_string_lossy().into_owned(),
        }
    }
}

/// A record's id: the first 16 hex digits of SHA-256 over the page's URL when it has one,
/// else over its path key and archive member (see [`IdRoots::key`]).
pub fn page_id(url: Option<&str>, key: &str, member: Option<&str>) -> String {
    match url {
        Some(url) => {
            let mut hasher = Sha256::new();
            hasher.update(b"url\0");
            hasher.update(url.as_bytes());
            hex(&hasher.finalize()[..8])
        }
        None => record_id(key, member),
    }
}

/// The id a serialised record carries, read back from its line (a resumed run's records).
pub(crate) fn id_of_line(line: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct IdOnly {
        id: String,
    }
    serde_json::from_slice::<IdOnly>(line).ok().map(|r| r.id)
}

/// Lower-case hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The checkpoint journal's key of a page: its path and member.
pub(crate) fn checkpoint_key(path: &str, member: Option<&str>) -> String {
    format!("{path}\u{0}{}", member.unwrap_or_default())
}

/// The id of a page without a URL: the first 16 hex digits of SHA-256 over its path key
/// (see [`IdRoots::key`]) and member.
pub fn record_id(path: &str, member: Option<&str>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(path.as_bytes());
    hasher.update([0]);
    hasher.update(member.unwrap_or_default().as_bytes());
    hex(&hasher.finalize()[..8])
}

/// A file beside the output sharing its stem: `out/threads.jsonl` (or `.parquet`) + `.x` →
/// `out/threads.x`.
pub(crate) fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = [".jsonl.gz", ".jsonl.zst", ".jsonl", ".json", ".parquet"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(&name);
    output.with_file_name(format!("{stem}{suffix}"))
}

/// `out/threads.jsonl` → `out/threads.rejects.jsonl`.
pub fn rejects_path(output: &Path) -> PathBuf {
    sibling(output, ".rejects.jsonl")
}

/// `out/threads.jsonl` → `out/threads.report.json`.
pub fn report_path(output: &Path) -> PathBuf {
    sibling(output, ".report.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sibling_names() {
        assert_eq!(
            rejects_path(Path::new("out/threads.jsonl.zst")),
            PathBuf::from("out/threads.rejects.jsonl")
        );
        assert_eq!(
            report_path(Path::new("dev.jsonl")),
            PathBuf::from("dev.report.json")
        );
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(record_id("a.txt", None), record_id("a.txt", None));
        assert_ne!(record_id("a.txt", None), record_id("a.txt", Some("x")));
        assert_eq!(record_id("a.txt", None).len(), 16);
    }

    #[test]
    fn a_root_gives_the_same_key_however_it_is_spelled() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        std::fs::create_dir_all(data.join("sub")).expect("mkdir");
        let spellings = [
            data.clone(),
            PathBuf::from(format!("{}/", data.display())),
            dir.path().join("./data/../data"),
        ];
        for root in spellings {
            let roots = IdRoots::new(std::slice::from_ref(&root));
            let page = root.join("sub/a.html");
            assert_eq!(
                roots.key(&page.to_string_lossy()),
                "data/sub/a.html",
                "{}",
                root.display()
            );
        }
    }

    #[test]
    fn the_innermost_root_wins_and_other_paths_stay() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outer = dir.path().join("outer");
        let inner = outer.join("inner");
        std::fs::create_dir_all(&inner).expect("mkdir");
        let roots = IdRoots::new(&[outer.clone(), inner.clone(), PathBuf::from("-")]);
        assert_eq!(
            roots.key(&inner.join("a.txt").to_string_lossy()),
            "inner/a.txt"
        );
        assert_eq!(roots.key(&outer.to_string_lossy()), "outer");
        assert_eq!(roots.key("-"), "-");
        assert_eq!(roots.key("elsewhere/b.txt"), "elsewhere/b.txt");
    }

    #[test]
    fn urls_win_over_paths() {
        let by_url = page_id(Some("https://f.example/t/1"), "data/a.html", None);
        assert_eq!(
            by_url,
            page_id(Some("https://f.example/t/1"), "x.html", Some("m"))
        );
        assert_ne!(by_url, page_id(None, "data/a.html", None));
        assert_eq!(page_id(None, "data/a.html", None).len(), 16);
        assert_eq!(
            id_of_line(br#"{"schema":"s","id":"abc","posts":[]}"#).as_deref(),
            Some("abc")
        );
    }
}
