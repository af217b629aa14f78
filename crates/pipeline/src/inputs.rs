//! Finding inputs: explicit files and recursive folders, sorted, with early rejects for
//! paths that cannot be read at all.

use std::path::{Path, PathBuf};

use threadmill_model::{Format, Reject, SourceRef, Stage};

use crate::config::InputConfig;

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    /// The path as the user named it (a folder input joined with the walked path).
    pub path: PathBuf,
    /// How the page is read.
    pub format: Format,
    /// Whether the file is gzip-compressed (`.gz`).
    pub gzip: bool,
}

impl Input {
    /// The path as written in records and rejects.
    pub fn display(&self) -> String {
        self.path.to_string_lossy().into_owned()
    }
}

/// Which format a file name says, and whether it is gzipped; `None` for files that are
/// not inputs.
fn classify(path: &Path, config: &InputConfig) -> Option<(Format, bool)> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    let (stem, gzip) = match name.strip_suffix(".gz") {
        Some(stem) => (stem.to_owned(), true),
        None => (name, false),
    };
    let ext = Path::new(&stem).extension()?.to_string_lossy().into_owned();
    if config
        .html_extensions
        .iter()
        .any(|e| e.eq_ignore_ascii_case(&ext))
    {
        Some((Format::Html, gzip))
    } else if config
        .text_extensions
        .iter()
        .any(|e| e.eq_ignore_ascii_case(&ext))
    {
        Some((Format::Text, gzip))
    } else {
        None
    }
}

/// Expands input paths into a sorted, de-duplicated list of inputs.
///
/// A path that does not exist, a dangling symbolic link, or a folder that cannot be read
/// becomes a `read` reject rather than stopping the run. Files named explicitly are read
/// whatever their extension (as text unless they look like HTML by name).
pub fn discover(paths: &[PathBuf], config: &InputConfig) -> (Vec<Input>, Vec<Reject>) {
    let mut inputs = Vec::new();
    let mut rejects = Vec::new();
    let reject = |path: &Path, error: String| Reject {
        source: SourceRef {
            path: path.to_string_lossy().into_owned(),
            member: None,
        },
        stage: Stage::Read,
        error,
    };
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(err) => {
                rejects.push(reject(root, format!("cannot open input: {err}")));
                continue;
            }
        };
        if meta.is_file() {
            let (format, gzip) = classify(root, config).unwrap_or((Format::Text, false));
            inputs.push(Input {
                path: root.clone(),
                format,
                gzip,
            });
            continue;
        }
        let walker = walkdir::WalkDir::new(root)
            .follow_links(config.follow_links)
            .sort_by_file_name();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    let path = entry.path();
                    let file_type = entry.file_type();
                    if file_type.is_symlink() {
                        // Not followed: a link inside a folder may point anywhere.
                        if classify(path, config).is_some() {
                            let why = if std::fs::metadata(path).is_err() {
                                "dangling symbolic link".to_owned()
                            } else {
                                "symbolic link not followed (set input.follow_links)".to_owned()
                            };
                            rejects.push(reject(path, why));
                        }
                        continue;
                    }
                    if !file_type.is_file() {
                        continue;
                    }
                    if let Some((format, gzip)) = classify(path, config) {
                        inputs.push(Input {
                            path: path.to_owned(),
                            format,
                            gzip,
                        });
                    }
                }
                Err(err) => {
                    let path = err.path().map_or_else(|| root.clone(), Path::to_owned);
                    rejects.push(reject(&path, format!("cannot walk folder: {err}")));
                }
            }
        }
    }
    inputs.sort();
    inputs.dedup();
    rejects.sort_by(|a, b| a.source.path.cmp(&b.source.path));
    (inputs, rejects)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_sorted_and_filtered() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).expect("mkdir");
        for name in ["b.txt", "a.html", "sub/c.htm.gz", "notes.md", "d.TXT"] {
            std::fs::write(root.join(name), "x").expect("write");
        }
        let (inputs, rejects) = discover(&[root.to_owned()], &InputConfig::default());
        let names: Vec<_> = inputs
            .iter()
            .map(|i| i.path.strip_prefix(root).expect("below").to_owned())
            .collect();
        assert_eq!(
            names,
            ["a.html", "b.txt", "d.TXT", "sub/c.htm.gz"].map(PathBuf::from)
        );
        assert!(inputs[3].gzip && inputs[3].format == Format::Html);
        assert!(rejects.is_empty());
    }

    #[test]
    fn missing_paths_and_dangling_links_are_rejects() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("nowhere.txt"), root.join("link.txt"))
            .expect("symlink");
        let (inputs, rejects) = discover(
            &[root.to_owned(), root.join("missing.txt")],
            &InputConfig::default(),
        );
        assert!(inputs.is_empty());
        assert!(rejects.iter().all(|r| r.stage == Stage::Read));
        assert_eq!(rejects.len(), if cfg!(unix) { 2 } else { 1 });
    }
}
