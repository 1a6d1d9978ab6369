//! Reading the sequence definitions from their directory (the parsing and every rule are in
//! `baton_core::sequence`, which does no I/O).

use std::path::Path;

use baton_core::sequence::{Catalog, SequenceSet};

use crate::{Error, Result};

/// Loads and validates every `*.yaml` / `*.yml` file in `dir`; problems name the file (as
/// `dir/<file>`) and line.
pub fn load_dir(dir: &Path, catalog: &Catalog) -> Result<SequenceSet> {
    let read_dir = std::fs::read_dir(dir).map_err(|e| {
        Error::Config(vec![format!(
            "sequences.dir {}: {e} (run from the repository root or set BATON_SEQUENCES__DIR)",
            dir.display()
        )])
    })?;
    let mut files = Vec::new();
    for entry in read_dir {
        let path = entry
            .map_err(|e| Error::Config(vec![format!("reading {}: {e}", dir.display())]))?
            .path();
        if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Error::Config(vec![format!("reading {}: {e}", path.display())]))?;
            files.push((path.display().to_string(), text));
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::Config(vec![format!(
            "sequences.dir {} holds no *.yaml sequence definitions",
            dir.display()
        )]));
    }
    Ok(SequenceSet::parse(
        files.iter().map(|(n, t)| (n.as_str(), t.as_str())),
        catalog,
    )?)
}
