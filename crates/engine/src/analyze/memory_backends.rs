//! A data backend whose default is the process's memory: `"storage_backend":
//! "kinto.core.storage.memory"` in a defaults table, `store: 'memory'`. Unless the operator
//! configures another, what the app records lives in each task's memory, differs between the
//! tasks behind the load balancer and is lost whenever one stops. A cache kept in memory is
//! only slower, and is said elsewhere.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::source::is_test_path;
use super::variables::scope_of;
use crate::model::{Finding, VariableScope};

/// `"storage_backend": "kinto.core.storage.memory"`, `storage_backend = 'memory'`: a key and
/// the literal it is given, whose last segment says which backend.
static MEMORY_DEFAULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*['"]?([A-Za-z_][\w.-]*)['"]?\s*[:=]\s*['"]([\w.:/-]+)['"]\s*,?\s*$"#).expect("valid pattern")
});

/// Words of a key that names where the app keeps its records.
const DATA_KEYS: [&str; 6] = ["storage", "store", "permission", "database", "persistence", "repository"];

const CODE: [&str; 7] = ["py", "js", "mjs", "cjs", "ts", "rb", "go"];

/// The first such default in the running app's code.
pub fn finding(files: &AppFiles) -> Option<Finding> {
    let running = |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime;
    files.with_extensions(&CODE).filter(|(path, _)| running(path)).find_map(|(path, text)| {
        text.lines().enumerate().find_map(|(index, line)| {
            let captures = MEMORY_DEFAULT.captures(line)?;
            let key = captures[1].to_ascii_lowercase();
            let words: Vec<&str> = key.split(['_', '.', '-']).collect();
            let data = words.iter().any(|w| DATA_KEYS.contains(w)) && !words.contains(&"cache");
            let value = &captures[2];
            let memory = value.rsplit(['.', '/', ':']).next().is_some_and(|last| {
                matches!(last.to_ascii_lowercase().as_str(), "memory" | "inmemory" | "in-memory" | "mem")
            });
            (data && memory).then(|| {
                Finding::blocker(
                    "in-memory-store",
                    format!(
                        "{} defaults to {value}: the app keeps its data in each task's memory, so the tasks disagree and lose it when they stop",
                        &captures[1]
                    ),
                    format!("{path}:{}", index + 1),
                )
                .with_fix(format!("set {} to a database backend (PostgreSQL on RDS) in the settings the service gives the app", &captures[1]))
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_storage_backend_that_defaults_to_memory() {
        let defaults = "DEFAULT_SETTINGS = {\n    \"cache_backend\": \"kinto.core.cache.memory\",\n    \"storage_backend\": \"kinto.core.storage.memory\",\n}\n";
        let files = AppFiles::from_pairs([("kinto/__init__.py", defaults)]);
        let found = finding(&files).expect("storage in memory");
        assert_eq!(found.source, "kinto/__init__.py:3");
        assert!(
            found.message.starts_with("storage_backend defaults to kinto.core.storage.memory"),
            "{}",
            found.message
        );
        let cache = AppFiles::from_pairs([("app/settings.py", "CACHE_BACKEND = 'memory'\n")]);
        assert_eq!(finding(&cache), None, "a cache in memory is only a cache");
        let postgres = AppFiles::from_pairs([("app/settings.py", "STORAGE_BACKEND = 'app.storage.postgresql'\n")]);
        assert_eq!(finding(&postgres), None);
        let memo = AppFiles::from_pairs([("app/settings.py", "store_name = 'memoryview'\n")]);
        assert_eq!(finding(&memo), None);
    }
}
