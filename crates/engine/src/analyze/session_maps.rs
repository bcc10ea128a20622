//! Login sessions a compiled service keeps in its own process, with no dependency that says so:
//! a Go struct holding `sessions map[string]...` behind a mutex, or servlet code putting the
//! login in `request.getSession()` with no Spring Session store behind it (the container's
//! sessions live in the JVM's memory). With two tasks a user's next request reaches the other
//! one and is logged out; every restart logs everybody out.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::source::is_test_path;
use crate::model::Finding;

/// A struct field, variable or assignment of a map keyed by string whose name says sessions.
static GO_SESSION_MAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:var\s+)?(\w*(?i:session)\w*)\s+(?:=\s*(?:make\()?)?map\[string\]").expect("valid pattern")
});

/// Spring Session modules that keep sessions outside the JVM.
const SESSION_STORES: [&str; 5] = [
    "spring-session-data-redis",
    "spring-session-jdbc",
    "spring-session-hazelcast",
    "spring-session-data-mongodb",
    "spring-session-data-geode",
];

/// The first place a Go service or a servlet app keeps sessions in the process.
pub fn finding(files: &AppFiles) -> Option<Finding> {
    go_session_map(files).or_else(|| servlet_session(files))
}

/// `sessions map[string]int64` in a Go file that also holds a mutex: the map is the session
/// table the handlers share.
fn go_session_map(files: &AppFiles) -> Option<Finding> {
    let sources = files.with_extensions(&["go"]).filter(|(path, _)| !is_test_path(path));
    sources.filter(|(_, text)| text.contains("sync.Mutex") || text.contains("sync.RWMutex")).find_map(|(path, text)| {
        let (index, name) = text
            .lines()
            .enumerate()
            .find_map(|(index, line)| Some((index, GO_SESSION_MAP.captures(line)?.get(1)?.as_str().to_string())))?;
        Some(blocker(format!("the map {name}, in the process"), format!("{path}:{}", index + 1)))
    })
}

/// `request.getSession().setAttribute(...)` (or `session.setAttribute` on an `HttpSession`)
/// with no Spring Session store among the dependencies.
fn servlet_session(files: &AppFiles) -> Option<Finding> {
    let manifests = ["pom.xml", "build.gradle", "build.gradle.kts"];
    if manifests.iter().filter_map(|m| files.get(m)).any(|text| SESSION_STORES.iter().any(|s| text.contains(s))) {
        return None;
    }
    let sources = files.with_extensions(&["java", "kt"]).filter(|(path, _)| !is_test_path(path));
    sources.filter(|(_, text)| text.contains("HttpSession") || text.contains("getSession()")).find_map(
        |(path, text)| {
            let index = text.lines().position(|line| {
                let code = line.trim_start();
                !code.starts_with("//")
                    && !code.starts_with('*')
                    && (code.contains("getSession().getAttribute(") || code.contains("getSession().setAttribute("))
            })?;
            Some(blocker(
                "the servlet container's HttpSession, in the JVM".to_string(),
                format!("{path}:{}", index + 1),
            ))
        },
    )
}

fn blocker(what: String, source: String) -> Finding {
    Finding::blocker(
        "in-memory-sessions",
        format!(
            "keeps login sessions in memory ({what}): with more than one task a user's next request may reach another task and be logged out, and every restart logs everybody out"
        ),
        source,
    )
    .with_fix("run exactly one task, or keep sessions in Redis (ElastiCache) or the database (Spring Session for a servlet app)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_go_session_table_behind_a_mutex() {
        let text =
            "package web\n\nimport \"sync\"\n\ntype Web struct {\n\tsessions map[string]int64\n\tmu sync.Mutex\n}\n";
        let files = AppFiles::from_pairs([("go.mod", "module x\n"), ("internal/web/web.go", text)]);
        assert_eq!(finding(&files).map(|f| f.source).as_deref(), Some("internal/web/web.go:6"));
        let unguarded = AppFiles::from_pairs([("web.go", "var sessionNames = map[string]string{}\n")]);
        assert!(finding(&unguarded).is_none());
    }

    #[test]
    fn servlet_sessions_without_a_store() {
        let interceptor = "class Guard {\n  boolean preHandle(HttpServletRequest request) {\n    return request.getSession().getAttribute(\"user\") != null;\n  }\n}\n";
        let files = AppFiles::from_pairs([
            ("pom.xml", "<artifactId>spring-session-core</artifactId>"),
            ("src/main/java/a/Guard.java", interceptor),
        ]);
        assert_eq!(finding(&files).map(|f| f.source).as_deref(), Some("src/main/java/a/Guard.java:3"));
        let stored = AppFiles::from_pairs([
            ("pom.xml", "<artifactId>spring-session-data-redis</artifactId>"),
            ("src/main/java/a/Guard.java", interceptor),
        ]);
        assert!(finding(&stored).is_none());
    }
}
