//! Integration tests of the skill framework.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod builtin;
mod day;
mod http;
mod intents;
mod llm;
mod messages;
mod pipeline;
mod pm5;
mod score;
mod sequences;

use std::path::PathBuf;

pub fn data_dir() -> PathBuf {
    std::env::var_os("BATON_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    )
}

/// The meeting files of a data set's `meetings/` folder (not their truth files), in order.
pub fn meeting_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p.to_string_lossy().ends_with(".truth.json")
        })
        .collect();
    files.sort();
    files
}

pub fn read_json(path: PathBuf) -> serde_json::Value {
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}
