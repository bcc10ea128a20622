//! State a task keeps in its own memory that the app means to share between requests of all
//! its users: rate limits counted per process (connect-ratelimit, express-brute's
//! MemoryStore, Flask-Limiter without a storage, a hand-rolled `new Map()` in a rate-limit
//! module) and caches held per process (Django's LocMemCache, Flask-Caching's SimpleCache).
//! Behind a load balancer each task counts and caches alone.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::readiness::in_memory_rate_limit;
use super::source::is_test_path;
use super::variables::scope_of;
use crate::model::{Finding, VariableScope};

/// `const hits = new Map();`, `HITS = {}` at a module's top.
static STORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:export\s+)?(?:(?:const|let|var)\s+)?[\w$]+\s*(?::[^=]+)?=\s*(?:new Map(?:<[^>]*>)?\(\)|\{\}|dict\(\))\s*;?\s*$")
        .expect("valid pattern")
});

const CODE: [&str; 8] = ["js", "mjs", "cjs", "ts", "py", "go", "java", "kt"];

/// The findings for every such store in the running app's code.
pub fn findings(files: &AppFiles) -> Vec<Finding> {
    let mut found = Vec::new();
    // Flask-Limiter and slowapi also take their storage from the app's config.
    let configured_storage = files.files.values().any(|text| text.contains("RATELIMIT_STORAGE_"));
    let running =
        |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime && !for_development(path);
    for (path, text) in files.with_extensions(&CODE).filter(|(path, _)| running(path)) {
        let lines: Vec<&str> = text.lines().collect();
        let rate_module = {
            let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase().replace(['-', '_'], "");
            name.contains("ratelimit") || name.contains("throttl")
        };
        for (index, line) in lines.iter().enumerate() {
            let at = || format!("{path}:{}", index + 1);
            let code = line.trim_start();
            if code.starts_with("//") || code.starts_with('#') {
                continue;
            }
            if in_development_class(&lines, index) {
                continue;
            }
            let limiter = rate_limiter(&lines, index, rate_module);
            if let Some(what) = limiter.filter(|what| !(what.starts_with("Flask") && configured_storage)) {
                found.push(in_memory_rate_limit(what, at()));
            }
            // `LocMemCache if DEBUG else RedisCache`: production gets the shared one.
            let debug_only = lines[index..lines.len().min(index + 3)].iter().any(|l| l.contains("if DEBUG"));
            if let Some(what) = process_cache(line).filter(|_| !debug_only) {
                found.push(
                    Finding::warning(
                        "in-memory-cache",
                        format!("caches in the process's memory ({what}): each task has its own cache, so what one task stores or invalidates the others do not see"),
                        at(),
                    )
                    .with_fix("use a shared cache (ElastiCache Redis or Memcached)"),
                );
            }
        }
    }
    found
}

/// A settings file for tests or development (`config/django/test.py`, `settings/local.py`).
fn for_development(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    stem.split(['_', '-'])
        .any(|part| matches!(part, "test" | "tests" | "testing" | "dev" | "development" | "local" | "ci"))
}

/// Whether line `index` sits in a Python class for tests or development (`class
/// TestingConfig(Config):`), which production does not load.
pub(super) fn in_development_class(lines: &[&str], index: usize) -> bool {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let own = indent(lines[index]);
    if own == 0 {
        return false;
    }
    let class = lines[..index].iter().rev().find(|l| indent(l) < own && !l.trim().is_empty());
    class.and_then(|l| l.trim_start().strip_prefix("class ")).is_some_and(|name| {
        let name = name.to_ascii_lowercase();
        ["test", "dev", "local"].iter().any(|word| name.starts_with(word) || name.contains(&format!("{word}config")))
    })
}

/// A rate limiter that counts in memory, declared on line `index`.
fn rate_limiter(lines: &[&str], index: usize, rate_module: bool) -> Option<&'static str> {
    let line = lines[index];
    if line.contains("connect_rate_limit(")
        || line.contains("connectRateLimit(")
        || line.contains("connect-ratelimit") && line.contains("app.use")
    {
        return Some("connect-ratelimit");
    }
    if line.contains("ExpressBrute.MemoryStore") || line.contains("new MemoryStore(") && line.contains("Brute") {
        return Some("express-brute's MemoryStore");
    }
    // Flask-Limiter keeps its counts in memory unless given a storage.
    if line.contains("Limiter(") && !line.trim_start().starts_with("from ") && !line.contains("import") {
        let call = call_text(lines, index);
        let call = call.as_str();
        let storage = call.contains("storage_uri") && !call.contains("memory://");
        let python_call =
            call.contains("key_func") || call.contains("get_remote_address") || call.contains("default_limits");
        if python_call && !storage {
            return Some("Flask-Limiter without storage_uri");
        }
    }
    // A module of its own counting requests in a Map at its top.
    (rate_module && STORE.is_match(line)).then_some("a Map in the rate-limit module")
}

/// The text of the call opened on line `index`, up to the line whose parentheses close it: a
/// `Limiter(` spread over many lines keeps its `storage_uri=` far below the opening line.
fn call_text(lines: &[&str], index: usize) -> String {
    let mut depth = 0i32;
    let mut taken = Vec::new();
    for line in lines.iter().skip(index).take(60) {
        taken.push(*line);
        depth += line.matches('(').count() as i32 - line.matches(')').count() as i32;
        if depth <= 0 {
            break;
        }
    }
    taken.join("\n")
}

/// A cache backend that lives in the process.
fn process_cache(line: &str) -> Option<&'static str> {
    if line.contains("backends.locmem.LocMemCache") {
        return Some("Django's LocMemCache");
    }
    let flask_simple = (line.contains("CACHE_TYPE") || line.contains("cache_type"))
        && (line.contains("\"SimpleCache\"")
            || line.contains("'SimpleCache'")
            || line.contains("\"simple\"")
            || line.contains("'simple'"));
    flask_simple.then_some("Flask-Caching's SimpleCache")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_caches_kept_per_task() {
        let files = AppFiles::from_pairs([
            (
                "server.js",
                "var limit = require('connect-ratelimit');\napp.use(connect_rate_limit(config.rateLimits));\n",
            ),
            (
                "server/plugins/rate-limit.js",
                "import fp from 'fastify-plugin';\nconst store = new Map();\nfunction hit() {\n  const seen = {};\n}\n",
            ),
            (
                "app/__init__.py",
                "from flask_limiter import Limiter\nlimiter = Limiter(\n    get_remote_address,\n    default_limits=[\"200 per day\"],\n)\nshared = Limiter(get_remote_address, storage_uri=\"redis://cache:6379\")\n",
            ),
            (
                "site/settings.py",
                "CACHES = {\"default\": {\"BACKEND\": \"django.core.cache.backends.locmem.LocMemCache\"}}\n",
            ),
            ("tests/test_limits.py", "limiter = Limiter(get_remote_address)\n"),
            (
                "config/django/test.py",
                "CACHES = {\"default\": {\"BACKEND\": \"django.core.cache.backends.locmem.LocMemCache\"}}\n",
            ),
            ("app/config.py", "class TestingConfig(Config):\n    CACHE_TYPE = \"simple\"\n"),
            (
                "paperless/settings.py",
                "BACKEND = os.environ.get(\n    \"CACHE\",\n    \"django.core.cache.backends.locmem.LocMemCache\"\n    if DEBUG\n    else \"redis\",\n)\n",
            ),
            ("server/plugins/throttle.js", "export default fp((fastify, options = {}, done) => {\n});\n"),
        ]);
        let found: Vec<(String, String)> = findings(&files).into_iter().map(|f| (f.kind, f.source)).collect();
        let pair = |k: &str, s: &str| (k.to_string(), s.to_string());
        assert_eq!(
            found,
            [
                pair("in-memory-rate-limit", "app/__init__.py:2"),
                pair("in-memory-rate-limit", "server.js:2"),
                pair("in-memory-rate-limit", "server/plugins/rate-limit.js:2"),
                pair("in-memory-cache", "site/settings.py:1"),
            ]
        );
    }
}
