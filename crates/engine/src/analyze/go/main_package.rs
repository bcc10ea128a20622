//! The main package the image is built around, the command that builds it, and the binary's name.

use super::main_choice::service_main;
use super::modfile::GoMod;
use super::{BUILD_DIR, EXTENSIONS};
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{code_lines, is_test_path};
use crate::model::{Finding, FindingLevel};

/// `CGO_ENABLED=0 go build ...`: the command the image's build stage runs, as words. A static
/// binary runs on an empty base image; `timetzdata` embeds the time zone database it would
/// otherwise look for on disk.
pub(super) fn build_command(package: &str, binary: &str, cgo: bool) -> Vec<String> {
    let cgo = if cgo { "CGO_ENABLED=1" } else { "CGO_ENABLED=0" };
    [cgo, "go", "build", "-trimpath", "-ldflags=-s -w", "-tags", "timetzdata", "-o"]
        .iter()
        .map(|w| (*w).to_string())
        .chain([format!("{BUILD_DIR}/{binary}"), package.to_string()])
        .collect()
}

/// A folder with `package main` and `func main()`, and where `func main` is.
pub(super) struct MainPackage {
    /// Relative to the root, empty for the root itself.
    pub(super) dir: String,
    pub(super) source: String,
    /// The folders of the repository's other main packages: other programs, whose code is
    /// not this one's.
    pub(super) others: Vec<String>,
}

/// The main package the image runs: the root's, else the service among those under `cmd/`
/// (see `main_choice`), else among any other (outside examples and tools).
pub(super) fn main_package(files: &AppFiles, module: &GoMod, findings: &mut Vec<Finding>) -> Option<MainPackage> {
    let mut mains: Vec<(String, String)> = Vec::new();
    for (path, text) in files.with_extensions(&EXTENSIONS) {
        if is_test_path(path) || path.starts_with("vendor/") {
            continue;
        }
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        if mains.iter().any(|(d, _)| d == dir) {
            continue;
        }
        let is_main = text.lines().any(|l| l.trim() == "package main");
        let func = text.lines().position(|l| l.starts_with("func main()"));
        if let (true, Some(line)) = (is_main, func) {
            mains.push((dir.to_string(), format!("{path}:{}", line + 1)));
        }
    }
    let chosen = match mains.iter().position(|(dir, _)| dir.is_empty()) {
        Some(root) => root,
        None => chosen_command(files, module, &mains, findings)?,
    };
    let (dir, source) = mains.swap_remove(chosen);
    Some(MainPackage { dir, source, others: mains.into_iter().map(|(dir, _)| dir).collect() })
}

/// Which of `mains` (folder, `func main` line) the image runs when none is at the root, said
/// in an info finding when others would need images of their own.
fn chosen_command(
    files: &AppFiles,
    module: &GoMod,
    mains: &[(String, String)],
    findings: &mut Vec<Finding>,
) -> Option<usize> {
    let commands: Vec<usize> =
        (0..mains.len()).filter(|&i| mains[i].0.strip_prefix("cmd/").is_some_and(|name| !name.contains('/'))).collect();
    let candidates: Vec<usize> = if commands.is_empty() {
        const NOT_THE_APP: [&str; 6] = ["example", "tools/", "scripts/", "hack/", "testdata/", "internal/tools"];
        (0..mains.len()).filter(|&i| !NOT_THE_APP.iter().any(|skip| mains[i].0.contains(skip))).collect()
    } else {
        commands
    };
    let dirs: Vec<&str> = candidates.iter().map(|&i| mains[i].0.as_str()).collect();
    let chosen = candidates[service_main(files, &dirs, module.name())?];
    let others: Vec<String> =
        candidates.iter().filter(|&&i| i != chosen).map(|&i| format!("./{}", mains[i].0)).collect();
    if !others.is_empty() {
        findings.push(Finding {
            kind: "several-main-packages".into(),
            fix: None,
            level: FindingLevel::Info,
            message: format!(
                "several main packages: the image runs ./{}; {} {} an image or a task of their own",
                mains[chosen].0,
                others.join(", "),
                if others.len() == 1 { "needs" } else { "need" }
            ),
            source: mains[chosen].1.clone(),
        });
    }
    Some(chosen)
}

/// The binary's name: the main package's folder, or the module's last element for the root.
pub(super) fn binary_name(dir: &str, module: &GoMod) -> String {
    let name = dir.rsplit('/').next().filter(|n| !n.is_empty()).or_else(|| module.name()).unwrap_or("app");
    let clean: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    if clean.is_empty() || clean.starts_with('.') { "app".to_string() } else { clean }
}

/// go-sqlite3 and `import "C"` compile C code: the binary needs cgo and a C library.
pub(super) fn needs_cgo(files: &AppFiles, module: &GoMod) -> bool {
    ["github.com/mattn/go-sqlite3", "gorm.io/driver/sqlite"]
        .iter()
        .any(|path| super::sqlite_use::used_sqlite(files, module, path).is_some())
        || code_lines(files, &EXTENSIONS).any(|(_, line)| line.trim() == "import \"C\"")
}

#[cfg(test)]
mod tests {
    use super::super::facts;
    use crate::model::FindingLevel;

    #[test]
    fn main_package_at_the_root_is_named_after_the_module() {
        let f = facts(&[
            ("go.mod", "module github.com/acme/inventory/v2\n\ngo 1.21\n"),
            ("main.go", "package main\n\nfunc main() {\n\tr.Run()\n}\n"),
            ("cmd/seed/main.go", "package main\nfunc main() {}\n"),
        ]);
        assert_eq!(f.entry.unwrap().value, ".");
        assert_eq!(f.start.unwrap().value, ["/app/inventory"]);
        assert_eq!(f.build.unwrap().value.last().map(String::as_str), Some("."));
    }

    #[test]
    fn several_commands_prefer_the_module_name_and_say_so() {
        let main = "package main\n\nfunc main() {}\n";
        let f = facts(&[
            ("go.mod", "module example.com/billing\n"),
            ("cmd/billing/main.go", main),
            ("cmd/migrate/main.go", main),
            ("cmd/worker/main.go", main),
        ]);
        assert_eq!(f.entry.unwrap().value, "./cmd/billing");
        let info = f.findings.iter().find(|f| f.level == FindingLevel::Info).unwrap();
        assert!(info.message.contains("./cmd/migrate, ./cmd/worker"), "{}", info.message);
        assert_eq!(info.source, "cmd/billing/main.go:3");

        let f =
            facts(&[("go.mod", "module example.com/x\n"), ("cmd/migrate/main.go", main), ("cmd/zeta/main.go", main)]);
        assert_eq!(f.entry.unwrap().value, "./cmd/migrate");
    }

    #[test]
    fn import_c_needs_cgo() {
        let f = facts(&[("go.mod", "module m\n"), ("main.go", "package main\n\nimport \"C\"\n\nfunc main() {}\n")]);
        assert_eq!(f.build.unwrap().value[0], "CGO_ENABLED=1");
        assert!(f.findings.iter().any(|x| x.message.contains("cgo") && x.source == "main.go:3"));
    }
}
