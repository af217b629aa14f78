//! Side files that cannot be turned against the machine: a symbolic link, FIFO or device
//! planted where the run writes is refused, never followed, and nothing the run did not
//! create is truncated. A nightly job runs as a service account; whoever can write to its
//! output folder must not be able to make it overwrite other files.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Component, Path, PathBuf};

/// Open flags for every side file: never through a symbolic link (`ELOOP` instead), and
/// never block on a FIFO swapped in at the last moment.
const SIDE_FILE_FLAGS: i32 = libc::O_NOFOLLOW | libc::O_NONBLOCK;

/// Refuses anything but a regular file (or nothing) at `path`, without following links.
pub(crate) fn refuse_non_regular(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_file() => Ok(()),
        Ok(meta) => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} is a {}, not a regular file: refused (move it away)",
                path.display(),
                describe(meta.file_type())
            ),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

fn describe(file_type: fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_symlink() {
        "symbolic link"
    } else if file_type.is_dir() {
        "folder"
    } else if file_type.is_fifo() {
        "FIFO"
    } else if file_type.is_socket() {
        "socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "device"
    } else {
        "special file"
    }
}

/// Opens (creating if absent) a lock file: never through a link, never truncated, and
/// only a regular file.
pub(crate) fn open_lock(path: &Path) -> io::Result<File> {
    refuse_non_regular(path)?;
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(SIDE_FILE_FLAGS)
        .open(path)
        .map_err(|e| named(path, e))?;
    if !file.metadata()?.file_type().is_file() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is not a regular file: refused", path.display()),
        ));
    }
    Ok(file)
}

/// Creates a file of our own inside a folder of our own, replacing what was there: the old
/// entry (a file or a link) is unlinked, never opened, and the new one is created
/// exclusively, so a link planted in between makes this fail rather than write through it.
pub(crate) fn create_fresh(path: &Path) -> io::Result<File> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_dir() => {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} is a folder: refused", path.display()),
            ));
        }
        Ok(_) => fs::remove_file(path)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(SIDE_FILE_FLAGS)
        .open(path)
        .map_err(|e| named(path, e))
}

/// Writes `bytes` to `path` through a new temporary file in the same folder, renamed over
/// it: a link at `path` is replaced, never written through.
pub(crate) fn write_replacing(path: &Path, bytes: &[u8]) -> io::Result<()> {
    refuse_non_regular(path)?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".threadmill-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    // Readable as any file the run writes (a temporary file starts private).
    temp.as_file()
        .set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644))?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Makes `dir` a real folder: creates it if absent, refuses a link or anything else there.
pub(crate) fn own_dir(dir: &Path) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_dir() => Ok(()),
        Ok(_) => refuse_non_regular(dir).and(Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is not a folder: refused", dir.display()),
        ))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir(dir),
        Err(e) => Err(e),
    }
}

/// Removes the temporary files (`.threadmill-*.tmp`) that killed runs left in `dir`, but
/// only when no other run is writing there: every run holds its `*.lock` (taken before it
/// makes temporary files, kept while they exist), so if none but `own_lock` is held, every
/// temporary file listed before the check is an orphan. Returns how many were removed.
pub(crate) fn remove_orphan_temps(dir: &Path, own_lock: &Path) -> io::Result<usize> {
    let mut temps = Vec::new();
    let mut locks = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type()?.is_file() {
            continue;
        }
        let extension = Path::new(&name).extension();
        if is_temp_name(&name) {
            temps.push(entry.path());
        } else if extension.is_some_and(|e| e == "lock") && entry.path() != own_lock {
            locks.push(entry.path());
        }
    }
    if temps.is_empty() {
        return Ok(0);
    }
    for lock in &locks {
        let Ok(file) = OpenOptions::new()
            .read(true)
            .custom_flags(SIDE_FILE_FLAGS)
            .open(lock)
        else {
            continue;
        };
        if file.try_lock().is_err() {
            // Another run is live here: its temporary files are not ours to judge.
            return Ok(0);
        }
    }
    let mut removed = 0;
    for temp in temps {
        if fs::remove_file(&temp).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

/// Whether a file name is one of the run's temporary files (`.threadmill-*.tmp`).
pub(crate) fn is_temp_name(name: &str) -> bool {
    name.starts_with(".threadmill-") && Path::new(name).extension().is_some_and(|e| e == "tmp")
}

/// `path` made absolute and free of `.`, `..` and links in the part that exists, without
/// requiring the rest to exist (an output folder is created later). `..` is taken
/// lexically first, as a shell does.
pub(crate) fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut lexical = PathBuf::new();
    for part in std::path::absolute(path)?.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return Ok(out);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            // The root itself cannot be resolved: keep the lexical form.
            _ => return Ok(lexical),
        }
    }
}

fn named(path: &Path, error: io::Error) -> io::Error {
    if error.raw_os_error() == Some(libc::ELOOP) {
        io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is a symbolic link: refused", path.display()),
        )
    } else {
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_linked_lock_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").expect("write");
        let lock = dir.path().join("o.lock");
        symlink(&victim, &lock).expect("link");
        assert!(open_lock(&lock).is_err());
        assert_eq!(fs::read_to_string(&victim).expect("read"), "precious");
    }

    #[test]
    fn a_lock_is_never_truncated() {
        let dir = tempfile::tempdir().expect("tempdir");
        let lock = dir.path().join("o.lock");
        fs::write(&lock, "someone's").expect("write");
        drop(open_lock(&lock).expect("open"));
        assert_eq!(fs::read_to_string(&lock).expect("read"), "someone's");
    }

    #[test]
    fn replacing_writes_never_go_through_a_link() {
        let dir = tempfile::tempdir().expect("tempdir");
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").expect("write");
        let report = dir.path().join("o.report.json");
        symlink(&victim, &report).expect("link");
        assert!(write_replacing(&report, b"{}").is_err());
        assert_eq!(fs::read_to_string(&victim).expect("read"), "precious");
        let fresh = dir.path().join("fresh.json");
        write_replacing(&fresh, b"{}").expect("write");
        assert_eq!(fs::read(&fresh).expect("read"), b"{}");
    }

    #[test]
    fn fresh_files_replace_links_instead_of_following_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").expect("write");
        let records = dir.path().join("records.jsonl");
        symlink(&victim, &records).expect("link");
        let mut file = create_fresh(&records).expect("create");
        file.write_all(b"x").expect("write");
        assert_eq!(fs::read_to_string(&victim).expect("read"), "precious");
        assert!(fs::symlink_metadata(&records).expect("meta").is_file());
    }

    #[test]
    fn a_linked_folder_is_not_our_own() {
        let dir = tempfile::tempdir().expect("tempdir");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).expect("mkdir");
        let partial = dir.path().join("o.partial");
        symlink(&elsewhere, &partial).expect("link");
        assert!(own_dir(&partial).is_err());
        own_dir(&dir.path().join("real")).expect("create");
        own_dir(&dir.path().join("real")).expect("exists");
    }

    #[test]
    fn orphan_temps_go_unless_another_run_is_live() {
        let dir = tempfile::tempdir().expect("tempdir");
        let temp = dir.path().join(".threadmill-abc.tmp");
        fs::write(&temp, "half").expect("write");
        let own = dir.path().join("mine.lock");
        let other = dir.path().join("other.lock");
        let held = open_lock(&other).expect("lock");
        held.try_lock().expect("held");
        assert_eq!(remove_orphan_temps(dir.path(), &own).expect("scan"), 0);
        assert!(temp.exists());
        drop(held);
        assert_eq!(remove_orphan_temps(dir.path(), &own).expect("scan"), 1);
        assert!(!temp.exists());
    }

    #[test]
    fn resolve_handles_paths_that_do_not_exist_yet() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().canonicalize().expect("canonical");
        assert_eq!(
            resolve(&dir.path().join("a/./b/../c.jsonl")).expect("resolve"),
            real.join("a/c.jsonl")
        );
    }
}
