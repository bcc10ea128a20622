//! Where the running code uses a package it depends on. A dependency in package.json is only a
//! name: one the code never imports (left over, or its wiring commented out) runs nothing, so a
//! claim about what it does cites the live line that loads it, or is not made.

use super::app_files::AppFiles;
use super::node_imports::{imports, live_lines, package_of};
use super::source::is_test_path;

const EXTENSIONS: [&str; 8] = ["js", "mjs", "cjs", "ts", "mts", "cts", "jsx", "tsx"];

/// The app's own code: not tests, not installed or built packages. React files count: a Next.js
/// server component or route handler written in `.tsx` runs on the server.
fn app_code(files: &AppFiles) -> impl Iterator<Item = (&str, &str)> {
    files.with_extensions(&EXTENSIONS).filter(|(path, _)| {
        !is_test_path(path) && !path.contains("node_modules/") && !path.starts_with("dist/") && !path.contains("/dist/")
    })
}

/// `file:line` of the first live import of `package` in the app's code.
pub fn imported_at(files: &AppFiles, package: &str) -> Option<String> {
    app_code(files).find_map(|(path, text)| {
        imports(text)
            .into_iter()
            .find(|(_, specifier)| package_of(specifier).as_deref() == Some(package))
            .map(|(index, _)| format!("{path}:{}", index + 1))
    })
}

/// `file:line` of the first live line of the app's code that names `word` (case-insensitive) as
/// a quoted value: an ORM's `dialect: 'sqlite'` uses the driver without importing it. The word
/// inside prose (a hint that quotes an error code, `SQLITE_ERROR`) or an identifier selects
/// nothing, so it is no evidence.
pub fn named_at(files: &AppFiles, word: &str) -> Option<String> {
    let word = word.to_ascii_lowercase();
    let names_it = |line: &str| quoted_values(line).any(|value| names_driver(&value.to_ascii_lowercase(), &word));
    // A settings file the code loads (`config/config.json` of sequelize-cli) names it too; the
    // manifest and lockfiles only list packages.
    let settings = files.with_extensions(&["json"]).filter(|(path, _)| {
        let name = path.rsplit('/').next().unwrap_or(path);
        !name.starts_with("package") && !name.contains("lock") && !path.contains("node_modules/")
    });
    app_code(files).chain(settings).find_map(|(path, text)| {
        let lines = live_lines(text);
        let index = lines.iter().position(|line| names_it(line))?;
        Some(format!("{path}:{}", index + 1))
    })
}

/// The contents of the quoted strings on a line.
fn quoted_values(line: &str) -> impl Iterator<Item = &str> {
    static QUOTED: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r#"'([^']*)'|"([^"]*)"|`([^`]*)`"#).expect("valid pattern"));
    QUOTED.captures_iter(line).filter_map(|c| c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3)).map(|m| m.as_str()))
}

/// Whether a quoted value names the driver `word`: `sqlite`, `sqlite3`, `better-sqlite3`,
/// `@scope/sqlite3`. A value with other words around it (`SQLITE_ERROR`, a sentence) does not.
fn names_driver(value: &str, word: &str) -> bool {
    let Some(at) = value.find(word) else { return false };
    let before = &value[..at];
    let after = &value[at + word.len()..];
    let prefix_ok = before.is_empty() || before.ends_with('-') || before.ends_with('/');
    let prefix_plain = before.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '@'));
    prefix_ok && prefix_plain && after.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_live_code_counts() {
        let files = AppFiles::from_pairs([
            ("src/jobs.js", "// const schedule = require('node-schedule');\nconst x = 1;\n"),
            ("test/jobs.test.js", "const schedule = require('node-schedule');\n"),
            (
                "src/db.js",
                "const { Sequelize } = require('sequelize');\nconst db = new Sequelize({ dialect: 'sqlite' });\n",
            ),
        ]);
        assert_eq!(imported_at(&files, "node-schedule"), None);
        assert_eq!(imported_at(&files, "sequelize").as_deref(), Some("src/db.js:1"));
        assert_eq!(named_at(&files, "SQLite").as_deref(), Some("src/db.js:2"));
    }

    #[test]
    fn a_word_in_prose_names_no_driver() {
        let files = AppFiles::from_pairs([
            ("client/hints.ts", "const hint = 'Did you see the SQLITE_ERROR in the response?';\n"),
            ("server/db.ts", "const db = knex({ client: 'better-sqlite3' });\n"),
        ]);
        assert_eq!(named_at(&files, "sqlite").as_deref(), Some("server/db.ts:1"));
        assert!(names_driver("@louislam/sqlite3", "sqlite"));
        assert!(!names_driver("sqlite_error", "sqlite"));
    }

    #[test]
    fn react_server_files_count_too() {
        // A Next.js server component or route handler in `.tsx` loads packages as any module does.
        let files = AppFiles::from_pairs([(
            "app/page.tsx",
            "import { Low } from 'lowdb';
export default function P() {}
",
        )]);
        assert_eq!(imported_at(&files, "lowdb").as_deref(), Some("app/page.tsx:1"));
    }
}
