//! Checks made before a run starts, so that a night that cannot succeed fails at once with
//! exit code 2 and one line naming the cause, instead of an empty output.

use std::path::{Path, PathBuf};

use anyhow::bail;
use threadmill_pipeline::Input;

/// The input name that means standard input.
pub(crate) const STDIN: &str = "-";

/// Every input named on the command line is a local path that exists and can be read.
///
/// Files deeper in a folder that cannot be read still become `read` rejects (exit 1): only
/// the roots the user named are checked here.
pub(crate) fn check_inputs(paths: &[PathBuf]) -> anyhow::Result<()> {
    for path in paths.iter().filter(|p| p.as_os_str() != STDIN) {
        let shown = path.display();
        if let Some(scheme) = url_scheme(path) {
            bail!(
                "input {shown}: threadmill cannot read {scheme}:// URLs; it reads local files and folders (copy or mount the data first)"
            );
        }
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                bail!("input {shown} does not exist")
            }
            Err(err) => bail!("input {shown} cannot be read: {err}"),
        };
        let readable = if meta.is_dir() {
            std::fs::read_dir(path).map(drop)
        } else {
            std::fs::File::open(path).map(drop)
        };
        if let Err(err) = readable {
            bail!("input {shown} cannot be read: {err}");
        }
    }
    Ok(())
}

/// `s3` for `s3://bucket/key`: a scheme of letters, digits, `+`, `-`, `.` before `://`.
fn url_scheme(path: &Path) -> Option<&str> {
    let text = path.to_str()?;
    let (scheme, _) = text.split_once("://")?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// Fails a run that found nothing to read, unless an empty night was declared normal.
pub(crate) fn check_not_empty(
    paths: &[PathBuf],
    inputs: &[Input],
    early_rejects: usize,
    allow_empty: bool,
) -> anyhow::Result<()> {
    if inputs.is_empty() && early_rejects == 0 && !allow_empty {
        let named: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        bail!(
            "no inputs matched in {} (no page, archive, WARC or JSONL files, or --include/--exclude left none); pass --allow-empty when an empty night is normal",
            named.join(", ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_schemes_are_recognised() {
        assert_eq!(url_scheme(Path::new("s3://bucket/key")), Some("s3"));
        assert_eq!(url_scheme(Path::new("gs+x://b")), Some("gs+x"));
        assert_eq!(url_scheme(Path::new("data/a.txt")), None);
        assert_eq!(url_scheme(Path::new("odd name://x")), None);
    }

    #[test]
    fn missing_inputs_are_named() {
        let err = check_inputs(&[PathBuf::from("/nonexistent/threadmill")])
            .expect_err("a missing path fails");
        assert!(
            err.to_string()
                .contains("/nonexistent/threadmill does not exist")
        );
        assert!(check_inputs(&[PathBuf::from(STDIN)]).is_ok());
    }
}
