//! What Gin reads from the environment itself: `GIN_MODE` when the package loads (debug
//! unless set), and `PORT` when an engine is run without an address (`r.Run()` serves on
//! `:$PORT`, else `:8080`). The app's own code never names them.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;
use crate::analyze::variables::VariableRead;

pub(super) fn reads(files: &AppFiles) -> Vec<VariableRead> {
    let mut found = Vec::new();
    let code = || files.with_extensions(&["go"]).filter(|(path, _)| !is_test_path(path));
    // `gin.SetMode(gin.ReleaseMode)` decides the mode after Gin has read GIN_MODE: the
    // variable then changes nothing.
    let mode_set_in_code = code().any(|(_, text)| text.contains("gin.SetMode("));
    for (path, text) in code() {
        let lines: Vec<&str> = text.lines().collect();
        let engines: Vec<&str> = lines.iter().filter_map(|line| engine_made(line)).collect();
        for (index, line) in lines.iter().enumerate() {
            let at = format!("{path}:{}", index + 1);
            if engine_made(line).is_some()
                && !mode_set_in_code
                && !found.iter().any(|r: &VariableRead| r.name == "GIN_MODE")
            {
                found.push(VariableRead::new("GIN_MODE", at.clone()).with_default(Some("debug".into())));
            }
            let code = line.split("//").next().unwrap_or("").trim();
            let runs_without_address = engines.iter().any(|engine| code == format!("{engine}.Run()"));
            if runs_without_address {
                found.push(VariableRead::new("PORT", at).with_default(Some("8080".into())));
            }
        }
    }
    found
}

/// The variable a line makes a Gin engine into: `r := gin.Default()`, `router = gin.New()`.
fn engine_made(line: &str) -> Option<&str> {
    let (target, value) = line.split_once(":=").or_else(|| line.split_once('='))?;
    let value = value.trim_start();
    (value.starts_with("gin.Default()") || value.starts_with("gin.New()")).then(|| target.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mode_the_code_sets_is_not_read() {
        let files = AppFiles::from_pairs([(
            "main.go",
            "package main\n\nfunc main() {\n\tgin.SetMode(gin.ReleaseMode)\n\tr := gin.New()\n\tr.Run(\":80\")\n}\n",
        )]);
        assert!(reads(&files).is_empty());
    }

    #[test]
    fn gin_reads_its_mode_and_the_port_of_a_bare_run() {
        let files = AppFiles::from_pairs([
            ("main.go", "package main\n\nfunc main() {\n\tr := gin.Default()\n\tr.Run() // 0.0.0.0:8080\n}\n"),
            ("other.go", "package main\n\nfunc serve(r *gin.Engine) {\n\tr.Run(\":9000\")\n}\n"),
        ]);
        let found: Vec<(String, Option<String>, String)> =
            reads(&files).into_iter().map(|r| (r.name, r.default, r.source)).collect();
        assert_eq!(
            found,
            [
                ("GIN_MODE".into(), Some("debug".into()), "main.go:4".into()),
                ("PORT".into(), Some("8080".into()), "main.go:5".into()),
            ]
        );
    }
}
