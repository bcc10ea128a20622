//! A store whose type defaults to memory (`if c.Type == "" { c.Type = TypeMemory }` in
//! `storage/config.go`, with `TypeMemory Type = "memory"`): unless the operator configures
//! another, what the app records lives in each task's memory, differs between tasks and is lost
//! whenever one stops.

use std::sync::LazyLock;

use regex::Regex;

use super::EXTENSIONS;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;
use crate::model::Finding;

/// `TypeMemory Type = "memory"`, `memoryStore = "inmemory"`: a constant naming the memory kind.
static MEMORY_CONSTANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*([A-Za-z_]\w*)\s+(?:[A-Za-z_][\w.]*\s+)?=\s+"(?:memory|inmemory|in-memory|mem)""#)
        .expect("valid pattern")
});
/// `if c.Type == "" {`: a setting left empty.
static UNSET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*if\s+([\w.]+)\s*==\s*""\s*\{\s*$"#).expect("valid pattern"));

/// Folders whose code configures where the app keeps its data.
const STORE_FOLDERS: [&str; 5] = ["storage", "store", "database", "persist", "repository"];

pub fn finding(files: &AppFiles) -> Option<Finding> {
    let code = || files.with_extensions(&EXTENSIONS).filter(|(path, _)| !is_test_path(path));
    let constants: Vec<String> = code()
        .flat_map(|(_, text)| text.lines().filter_map(|l| MEMORY_CONSTANT.captures(l).map(|c| c[1].to_string())))
        .collect();
    let stores = |path: &str| path.split('/').any(|folder| STORE_FOLDERS.iter().any(|s| folder.starts_with(s)));
    code().filter(|(path, _)| stores(path)).find_map(|(path, text)| {
        let lines: Vec<&str> = text.lines().collect();
        lines.windows(2).enumerate().find_map(|(index, pair)| {
            let setting = UNSET.captures(pair[0])?[1].to_string();
            let (target, value) = pair[1].trim().split_once('=')?;
            let value = value.trim();
            let memory = constants.iter().any(|c| value == c || value.ends_with(&format!(".{c}"))) || value == "\"memory\"";
            (target.trim() == setting && memory).then(|| {
                Finding::blocker(
                    "in-memory-store",
                    "keeps its data in memory unless a storage type is configured: each task has its own, and loses it when it stops",
                    format!("{path}:{}", index + 2),
                )
                .with_fix("configure a database it supports (PostgreSQL on RDS) in the settings the image carries")
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_storage_type_that_defaults_to_memory() {
        let types =
            "package storage\n\nconst (\n\tTypeMemory   Type = \"memory\"\n\tTypeSQLite   Type = \"sqlite\"\n)\n";
        let config = "package storage\n\nfunc (c *Config) ValidateAndSetDefaults() error {\n\tif c.Type == \"\" {\n\t\tc.Type = TypeMemory\n\t}\n\treturn nil\n}\n";
        let files = AppFiles::from_pairs([("storage/type.go", types), ("storage/config.go", config)]);
        assert_eq!(finding(&files).map(|f| f.source), Some("storage/config.go:5".into()));
        let cache = AppFiles::from_pairs([("storage/type.go", types), ("cache/config.go", config)]);
        assert_eq!(finding(&cache), None, "a cache in memory is a cache");
        let postgres = config.replace("TypeMemory", "TypeSQLite");
        assert_eq!(
            finding(&AppFiles::from_pairs([("storage/type.go", types), ("storage/config.go", &postgres)])),
            None
        );
    }
}
