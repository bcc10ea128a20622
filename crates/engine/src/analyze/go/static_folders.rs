//! Templates and static folders a Go server reads from disk at run time, by a path written in
//! its code (`r.LoadHTMLGlob("templates/*")`, `http.Dir("./public")`). The image's final stage
//! holds the binary alone, so a committed folder read this way is copied beside it. A path the
//! code computes (a setting, a data directory, a folder the app fills itself) is no committed
//! folder, and nothing is said about it: the code does not show what it holds.

use super::EXTENSIONS;
use super::code::{literals, without_comment};
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact, is_test_path};
use crate::model::{Finding, is_copyable_path};

/// Calls that read files from disk by a path given as an argument.
const DISK_READS: [&str; 11] = [
    "LoadHTMLGlob(",
    "LoadHTMLFiles(",
    "ParseGlob(",
    "ParseFiles(",
    "http.Dir(",
    ".Static(",
    ".StaticFS(",
    ".StaticFile(",
    // `ioutil.ReadFile("./VERSION")`, `os.ReadFile(...)`: a committed file read by path.
    "ReadFile(",
    "os.Open(",
    // golang-migrate's source URL (`migrate.New("file://migrations", url)`): the folder of
    // migrations, read when the binary applies them.
    "migrate.New(",
];

/// The committed folders and files the code reads at run time, each once, with where.
pub(super) fn read_at_run_time(files: &AppFiles) -> Vec<Fact<String>> {
    let mut found: Vec<Fact<String>> = Vec::new();
    for (path, text) in files.with_extensions(&EXTENSIONS) {
        if is_test_path(path) || text.contains("//go:embed") {
            continue;
        }
        for (index, line) in text.lines().enumerate() {
            let code = without_comment(line);
            if !DISK_READS.iter().any(|call| code.contains(call)) {
                continue;
            }
            for literal in literals(code) {
                let literal = literal.strip_prefix("file://").unwrap_or(literal);
                let Some(folder) = committed_path(files, literal) else { continue };
                if !found.iter().any(|f| f.value == folder) {
                    found.push(fact(folder, format!("{path}:{}", index + 1)));
                }
            }
        }
    }
    found
}

/// The info that says the image copies what the code reads.
pub(super) fn copied(read: &Fact<String>) -> Finding {
    Finding::info(
        "files-at-runtime",
        format!("the server reads {} from disk at run time: ferry's image copies it beside the binary", read.value),
        read.source.clone(),
    )
}

/// `literal` as a path in the repository: `./templates/*.html` → `templates`, when that
/// folder or file is committed. URL prefixes (`/static`) and absolute paths are not.
pub(super) fn committed_path(files: &AppFiles, literal: &str) -> Option<String> {
    let before_glob = literal.split(['*', '?', '[']).next().unwrap_or("");
    let path = before_glob.trim_start_matches("./").trim_end_matches('/');
    // A glob's last part names files, not the folder: `templates/*.html` gives `templates/`.
    let path = if before_glob.len() < literal.len() && !before_glob.ends_with('/') {
        path.rsplit_once('/').map_or("", |(folder, _)| folder)
    } else {
        path
    };
    if path.is_empty() || path == "." || !is_copyable_path(path) {
        return None;
    }
    let in_listing = files.has(path) || files.files.keys().any(|p| p.starts_with(&format!("{path}/")));
    let on_disk = files.root.as_ref().is_some_and(|root| root.join(path).exists());
    (in_listing || on_disk).then(|| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(pairs: &[(&str, &str)]) -> Vec<String> {
        read_at_run_time(&AppFiles::from_pairs(pairs.iter().copied())).into_iter().map(|f| f.value).collect()
    }

    #[test]
    fn a_migrations_folder_golang_migrate_reads_is_copied() {
        let migrate = "package app\n\nfunc init() {\n\tm, err := migrate.New(\"file://migrations\", url)\n}\n";
        let found =
            reads(&[("internal/app/migrate.go", migrate), ("migrations/0001_init.up.sql", "create table t();")]);
        assert_eq!(found, ["migrations"]);
        assert!(reads(&[("internal/app/migrate.go", migrate)]).is_empty(), "nothing committed there");
    }

    #[test]
    fn a_committed_template_folder_read_by_a_glob_is_copied() {
        let main = "package main\n\nfunc main() {\n\tr.LoadHTMLGlob(\"templates/*\")\n\tr.Static(\"/static\", \"./static\")\n}\n";
        let found = reads(&[("main.go", main), ("templates/index.tmpl", "<p>"), ("static/app.css", "p{}")]);
        assert_eq!(found, ["templates", "static"]);
    }

    #[test]
    fn a_folder_the_code_computes_or_fills_is_not_a_committed_one() {
        let main = "package main\n\nfunc main() {\n\tr.StaticFS(\"/export\", http.Dir(export.GetExcelFullPath()))\n\tr.StaticFS(\"/qrcode\", http.Dir(\"runtime/qrcode/\"))\n}\n";
        assert!(reads(&[("main.go", main)]).is_empty());
    }

    #[test]
    fn an_app_that_embeds_its_files_reads_none_from_disk() {
        let main = "package main\n\n//go:embed web\nvar web embed.FS\n\nfunc main() {\n\thttp.Handle(\"/\", http.FileServer(http.Dir(\"web\")))\n}\n";
        assert!(reads(&[("main.go", main), ("web/index.html", "<p>")]).is_empty());
    }
}
