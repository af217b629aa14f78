//! Finding inputs: explicit files and recursive folders, sorted, with early rejects for
//! paths that cannot be read at all.

use std::path::{Path, PathBuf};

use threadmill_model::{Format, Reject, SourceRef, Stage};

use crate::config::InputConfig;
use crate::error::Error;

/// How a file (or an archive member) is compressed, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Codec {
    /// Not compressed.
    None,
    /// `.gz`, `.tgz`.
    Gzip,
    /// `.zst`.
    Zstd,
    /// `.bz2`.
    Bzip2,
    /// `.xz`.
    Xz,
}

impl Codec {
    /// Splits a compression suffix off a file name: `a.html.gz` → (`a.html`, gzip);
    /// `a.tgz` → (`a.tar`, gzip) is handled by the caller.
    pub fn strip(name: &str) -> (&str, Codec) {
        let lower = name.to_ascii_lowercase();
        for (suffix, codec) in [
            (".gz", Codec::Gzip),
            (".zst", Codec::Zstd),
            (".bz2", Codec::Bzip2),
            (".xz", Codec::Xz),
        ] {
            if lower.ends_with(suffix) {
                return (&name[..name.len() - suffix.len()], codec);
            }
        }
        (name, Codec::None)
    }
}

/// What kind of container an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// One page.
    Page {
        /// Text scrape or HTML.
        format: Format,
    },
    /// A tar archive of pages.
    Tar,
    /// A zip archive of pages.
    Zip,
    /// A WARC file of HTTP responses.
    Warc,
    /// One page per line, as scrapers write them.
    Jsonl,
}

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    /// The path as the user named it (a folder input joined with the walked path).
    pub path: PathBuf,
    /// What it holds.
    pub kind: Kind,
    /// How the file itself is compressed.
    pub codec: Codec,
}

impl Input {
    /// The path as written in records and rejects.
    pub fn display(&self) -> String {
        self.path.to_string_lossy().into_owned()
    }
}

/// What a file name says the file is; `None` for files that are not inputs.
pub(crate) fn classify(path: &Path, config: &InputConfig) -> Option<(Kind, Codec)> {
    let lower = path.file_name()?.to_string_lossy().to_lowercase();
    if Path::new(&lower).extension().is_some_and(|e| e == "tgz") {
        return Some((Kind::Tar, Codec::Gzip));
    }
    let (stem, codec) = Codec::strip(&lower);
    let ext = Path::new(stem).extension()?.to_string_lossy().into_owned();
    let kind = match ext.as_str() {
        "tar" => Kind::Tar,
        "zip" if codec == Codec::None => Kind::Zip,
        "warc" | "arc" => Kind::Warc,
        "jsonl" | "ndjson" => Kind::Jsonl,
        _ if config
            .html_extensions
            .iter()
            .any(|e| e.eq_ignore_ascii_case(&ext)) =>
        {
            Kind::Page {
                format: Format::Html,
            }
        }
        _ if config
            .text_extensions
            .iter()
            .any(|e| e.eq_ignore_ascii_case(&ext)) =>
        {
            Kind::Page {
                format: Format::Text,
            }
        }
        _ => return None,
    };
    Some((kind, codec))
}

/// Expands input paths into a sorted, de-duplicated list of inputs.
///
/// A path that does not exist, a dangling symbolic link, or a folder that cannot be read
/// becomes a `read` reject rather than stopping the run. Files named explicitly are read
/// whatever their extension (as a text scrape unless the name says otherwise).
pub fn discover(
    paths: &[PathBuf],
    config: &InputConfig,
) -> Result<(Vec<Input>, Vec<Reject>), Error> {
    let include = globs(&config.include)?;
    let exclude = globs(&config.exclude)?;
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
            let (kind, codec) = classify(root, config).unwrap_or((
                Kind::Page {
                    format: Format::Text,
                },
                Codec::None,
            ));
            inputs.push(Input {
                path: root.clone(),
                kind,
                codec,
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
                    let relative = path.strip_prefix(root).unwrap_or(path);
                    if include.as_ref().is_some_and(|g| !g.is_match(relative))
                        || exclude.as_ref().is_some_and(|g| g.is_match(relative))
                    {
                        continue;
                    }
                    if let Some((kind, codec)) = classify(path, config) {
                        inputs.push(Input {
                            path: path.to_owned(),
                            kind,
                            codec,
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
    Ok((inputs, rejects))
}

/// Refuses an output that would destroy or feed an input: the output named as an input
/// file, or written inside an input folder where the next walk would read it (and its
/// rejects, checkpoint and reports) back as input, unless `--include`/`--exclude` leave it
/// out. Also refuses a symbolic link, FIFO, device or folder at the output path.
pub fn check_output(paths: &[PathBuf], output: &Path, config: &InputConfig) -> Result<(), Error> {
    let refused = |reason: String| Error::OutputPlace {
        output: output.to_owned(),
        reason,
    };
    crate::safe_files::refuse_non_regular(output).map_err(|e| refused(e.to_string()))?;
    let resolved = crate::safe_files::resolve(output).map_err(|e| refused(e.to_string()))?;
    let include = globs(&config.include)?;
    let exclude = globs(&config.exclude)?;
    for root in paths {
        let Ok(meta) = std::fs::metadata(root) else {
            continue;
        };
        let Ok(real_root) = root.canonicalize() else {
            continue;
        };
        if meta.is_file() {
            if real_root == resolved {
                return Err(refused(format!("it is also an input ({})", root.display())));
            }
            continue;
        }
        let Ok(relative) = resolved.strip_prefix(&real_root) else {
            continue;
        };
        let walked = include.as_ref().is_none_or(|g| g.is_match(relative))
            && !exclude.as_ref().is_some_and(|g| g.is_match(relative));
        if walked {
            return Err(refused(format!(
                "it lies inside the input folder {}, where later runs would read it back as input: \
                 write it elsewhere or leave it out with --exclude '{}'",
                root.display(),
                relative.display()
            )));
        }
    }
    Ok(())
}

/// Whether `path` (an input found by discovery) is one of the files a run writing
/// `output` makes: the output, its rejects, report, vanished list, lock, checkpoint
/// folder, or a temporary file. Such files are never read as input.
pub(crate) fn is_own_file(path: &Path, output: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if crate::safe_files::is_temp_name(&name) {
        return true;
    }
    // Most inputs share nothing with the output's name: settle those without a system call.
    let stem = crate::paths::sibling(output, "")
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = format!("{stem}.partial");
    if !name.starts_with(&stem) && !path.components().any(|c| c.as_os_str() == partial.as_str()) {
        return false;
    }
    let (Ok(path), Ok(output)) = (
        crate::safe_files::resolve(path),
        crate::safe_files::resolve(output),
    ) else {
        return false;
    };
    let sibling = |suffix: &str| crate::paths::sibling(&output, suffix);
    path == output
        || path.starts_with(sibling(".partial"))
        || [
            ".rejects.jsonl",
            ".report.json",
            ".report.html",
            ".vanished.jsonl",
            ".lock",
        ]
        .iter()
        .any(|suffix| path == sibling(suffix))
}

fn globs(patterns: &[String]) -> Result<Option<globset::GlobSet>, Error> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut set = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let glob = globset::Glob::new(pattern).map_err(|source| Error::Glob {
            pattern: pattern.clone(),
            source,
        })?;
        set.add(glob);
    }
    set.build().map(Some).map_err(|source| Error::Glob {
        pattern: patterns.join(", "),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_sorted_and_filtered() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).expect("mkdir");
        for name in [
            "b.txt",
            "a.html",
            "sub/c.htm.gz",
            "notes.md",
            "d.TXT",
            "e.tar.zst",
            "f.warc.gz",
            "g.jsonl",
            "h.tgz",
            "i.zip",
        ] {
            std::fs::write(root.join(name), "x").expect("write");
        }
        let (inputs, rejects) =
            discover(&[root.to_owned()], &InputConfig::default()).expect("discover");
        let names: Vec<_> = inputs
            .iter()
            .map(|i| i.path.strip_prefix(root).expect("below").to_owned())
            .collect();
        assert_eq!(
            names,
            [
                "a.html",
                "b.txt",
                "d.TXT",
                "e.tar.zst",
                "f.warc.gz",
                "g.jsonl",
                "h.tgz",
                "i.zip",
                "sub/c.htm.gz"
            ]
            .map(PathBuf::from)
        );
        let kinds: Vec<_> = inputs.iter().map(|i| (i.kind, i.codec)).collect();
        assert_eq!(
            kinds[3..],
            [
                (Kind::Tar, Codec::Zstd),
                (Kind::Warc, Codec::Gzip),
                (Kind::Jsonl, Codec::None),
                (Kind::Tar, Codec::Gzip),
                (Kind::Zip, Codec::None),
                (
                    Kind::Page {
                        format: Format::Html
                    },
                    Codec::Gzip
                ),
            ]
        );
        assert!(rejects.is_empty());
    }

    #[test]
    fn include_and_exclude_globs() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("keep")).expect("mkdir");
        for name in ["keep/a.html", "keep/b.txt", "c.html"] {
            std::fs::write(dir.path().join(name), "x").expect("write");
        }
        let config = InputConfig {
            include: vec!["keep/**".into()],
            exclude: vec!["*.txt".into(), "**/*.txt".into()],
            ..InputConfig::default()
        };
        let (inputs, _) = discover(&[dir.path().to_owned()], &config).expect("discover");
        assert_eq!(inputs.len(), 1);
        assert!(inputs[0].path.ends_with("keep/a.html"));
        let bad = InputConfig {
            include: vec!["a[".into()],
            ..InputConfig::default()
        };
        assert!(discover(&[dir.path().to_owned()], &bad).is_err());
    }

    #[test]
    fn an_output_that_is_or_feeds_an_input_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = dir.path().join("s.jsonl");
        std::fs::write(&input, "{}").expect("write");
        let config = InputConfig::default();
        let same = check_output(
            std::slice::from_ref(&input),
            &dir.path().join("./s.jsonl"),
            &config,
        );
        assert!(matches!(same, Err(Error::OutputPlace { .. })));
        let inside = dir.path().join("out/o.jsonl");
        assert!(check_output(&[dir.path().to_owned()], &inside, &config).is_err());
        let excluded = InputConfig {
            exclude: vec!["out/**".into()],
            ..InputConfig::default()
        };
        check_output(&[dir.path().to_owned()], &inside, &excluded).expect("left out");
        check_output(&[input], &inside, &config).expect("beside, not inside");
    }

    #[test]
    fn own_files_are_recognised() {
        let output = Path::new("out/o.jsonl.gz");
        for own in [
            "out/o.jsonl.gz",
            "out/./o.rejects.jsonl",
            "out/o.partial/records.jsonl",
            "out/o.vanished.jsonl",
            "out/o.report.html",
            "elsewhere/.threadmill-x1.tmp",
        ] {
            assert!(is_own_file(Path::new(own), output), "{own}");
        }
        assert!(!is_own_file(Path::new("out/p.jsonl"), output));
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
        )
        .expect("discover");
        assert!(inputs.is_empty());
        let _ = Kind::Zip;
        assert!(rejects.iter().all(|r| r.stage == Stage::Read));
        assert_eq!(rejects.len(), if cfg!(unix) { 2 } else { 1 });
    }
}
