//! Reading the sequence definitions from their directory (the parsing and every rule are in
//! `baton_core::sequence`, which does no I/O).

use std::path::Path;

use baton_core::sequence::{Catalog, Sequence, SequenceSet};
use sqlx::PgConnection;

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

/// The definitions a service runs: the current set from `sequences/`, and every version a
/// run was pinned to, read back from `sequence_definitions` when it is no longer current.
#[derive(Debug)]
pub struct Definitions {
    current: SequenceSet,
    catalog: Catalog,
    pinned: std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<Sequence>>>,
}

impl Definitions {
    pub fn new(current: SequenceSet, catalog: Catalog) -> Self {
        let pinned = current
            .iter()
            .map(|s| (s.version.clone(), std::sync::Arc::new(s.clone())))
            .collect();
        Self {
            current,
            catalog,
            pinned: std::sync::Mutex::new(pinned),
        }
    }

    /// The current definition for `event_type`.
    pub fn current(&self, event_type: &str) -> Option<&Sequence> {
        self.current.get(event_type)
    }

    /// Stores `seq`'s version (once) so runs pinned to it can finish after the file changes.
    pub async fn store(&self, tx: &mut PgConnection, seq: &Sequence) -> Result<()> {
        let mut definition = serde_json::to_value(seq).map_err(|e| {
            Error::Config(vec![format!(
                "sequence {} ({}) cannot be stored: {e}",
                seq.event, seq.source_file
            )])
        })?;
        definition["source"] = serde_json::Value::String(seq.source.clone());
        sqlx::query!(
            "INSERT INTO sequence_definitions (version_hash, event_type, source_file, definition)
             VALUES ($1, $2, $3, $4) ON CONFLICT (version_hash) DO NOTHING",
            &seq.version,
            &seq.event,
            &seq.source_file,
            definition,
        )
        .execute(tx)
        .await?;
        Ok(())
    }

    /// The definition with version hash `version`.
    pub async fn pinned(
        &self,
        tx: &mut PgConnection,
        version: &str,
    ) -> Result<std::sync::Arc<Sequence>> {
        if let Some(seq) = self.cache().get(version) {
            return Ok(seq.clone());
        }
        let row = sqlx::query!(
            "SELECT source_file, definition FROM sequence_definitions WHERE version_hash = $1",
            version,
        )
        .fetch_optional(tx)
        .await?
        .ok_or_else(|| {
            Error::Config(vec![format!(
                "sequence version {version} is not in sequence_definitions"
            )])
        })?;
        let text = row.definition["source"].as_str().ok_or_else(|| {
            Error::Config(vec![format!(
                "sequence version {version} in sequence_definitions has no `source` to run from"
            )])
        })?;
        let seq = std::sync::Arc::new(SequenceSet::parse_pinned(
            &row.source_file,
            text,
            &self.catalog,
        )?);
        self.cache().insert(version.to_string(), seq.clone());
        Ok(seq)
    }

    fn cache(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, std::sync::Arc<Sequence>>>
    {
        self.pinned.lock().unwrap_or_else(|e| e.into_inner())
    }
}
