//! The input roots of a plan, kept beside it so that every shard gives its pages the ids a
//! single run over the same roots gives them.

use std::path::{Path, PathBuf};

use anyhow::Context;
use threadmill_pipeline::IdRoots;

/// The file in the plan folder that holds the roots.
const ROOTS_FILE: &str = "id-roots.json";

/// Resolves and records the roots the plan was made from.
pub(crate) fn write(plan_dir: &Path, inputs: &[PathBuf]) -> anyhow::Result<()> {
    let path = plan_dir.join(ROOTS_FILE);
    let json = serde_json::to_vec_pretty(&IdRoots::new(inputs))?;
    std::fs::write(&path, json).with_context(|| format!("cannot write {}", path.display()))
}

/// The roots recorded with the plan; none for a plan made before they were recorded (its
/// ids are then made from the paths as the plan lists them).
pub(crate) fn read(plan_dir: &Path) -> anyhow::Result<IdRoots> {
    let path = plan_dir.join(ROOTS_FILE);
    match std::fs::read(&path) {
        Ok(json) => serde_json::from_slice(&json)
            .with_context(|| format!("invalid plan file {}", path.display())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(IdRoots::default()),
        Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
    }
}
