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

/// `file:line` of the first live line of the app's code that names `word` (case-insensitive):
/// an ORM's `dialect: 'sqlite'` uses the driver without importing it.
pub fn named_at(files: &AppFiles, word: &str) -> Option<String> {
    let word = word.to_ascii_lowercase();
    // A settings file the code loads (`config/config.json` of sequelize-cli) names it too; the
    // manifest and lockfiles only list packages.
    let settings = files.with_extensions(&["json"]).filter(|(path, _)| {
        let name = path.rsplit('/').next().unwrap_or(path);
        !name.starts_with("package") && !name.contains("lock") && !path.contains("node_modules/")
    });
    app_code(files).chain(settings).find_map(|(path, text)| {
        let lines = live_lines(text);
        let index = lines.iter().position(|line| line.to_ascii_lowercase().contains(&word))?;
        Some(format!("{path}:{}", index + 1))
    })
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
