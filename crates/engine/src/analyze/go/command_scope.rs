//! Reads that are not the served command's: a CLI's other subcommands (`goatcounter dashboard`
//! in `dashboard.go`, beside `serve`) and Go's test-helper packages (`package gctest`, what
//! `httptest` is to `net/http`). The service runs one subcommand; what the others or the tests
//! read is no setting of it, and demanding it would be wrong (a CLI that refuses unknown
//! prefixed variables even fails on it).

use crate::analyze::app_files::AppFiles;
use crate::analyze::variables::VariableRead;

/// Marks as tooling the reads in files of `main_dir` named for another subcommand than
/// `served`, and the reads in test-helper packages.
pub(super) fn mark(files: &AppFiles, main_dir: &str, served: Option<&str>, reads: &mut [VariableRead]) {
    let prefix = if main_dir.is_empty() { String::new() } else { format!("{main_dir}/") };
    let subcommands = served.map(|served| subcommands(files, &prefix, served)).unwrap_or_default();
    for read in reads.iter_mut() {
        let path = read.source.rsplit_once(':').map_or(read.source.as_str(), |(path, _)| path);
        let in_other_command = path
            .strip_prefix(&prefix)
            .and_then(|name| name.strip_suffix(".go"))
            .is_some_and(|stem| !stem.contains('/') && subcommands.iter().any(|c| c == stem));
        let helper = files.get(path).is_some_and(is_test_helper_package);
        if in_other_command || helper {
            read.tooling = true;
            read.required = false;
        }
    }
}

/// The subcommands other than `served` that the main package dispatches on
/// (`case "dashboard":`) and that have a file of their own beside it.
fn subcommands(files: &AppFiles, prefix: &str, served: &str) -> Vec<String> {
    let main_texts = files
        .with_extensions(&["go"])
        .filter(|(path, _)| path.strip_prefix(prefix).is_some_and(|name| !name.contains('/')))
        .map(|(_, text)| text)
        .filter(|text| text.contains(&format!("\"{served}\"")));
    let mut found: Vec<String> = main_texts
        .flat_map(|text| text.lines().filter_map(|line| line.trim().strip_prefix("case ")).collect::<Vec<_>>())
        .flat_map(|cases| {
            cases.split(',').map(|c| c.trim().trim_end_matches(':').trim_matches('"').to_string()).collect::<Vec<_>>()
        })
        .filter(|name| {
            !name.is_empty() && name != served && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .filter(|name| files.get(&format!("{prefix}{name}.go")).is_some())
        .collect();
    found.sort();
    found.dedup();
    found
}

/// `package gctest`: a package of helpers for tests.
fn is_test_helper_package(text: &str) -> bool {
    let package = text.lines().find_map(|line| line.trim().strip_prefix("package ")).map(str::trim);
    package.is_some_and(|name| {
        name.len() > 4 && name.ends_with("test") && !["latest", "contest", "protest", "attest"].contains(&name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_subcommands_reads_and_a_test_helpers_are_tooling() {
        let main = "package main\n\nfunc main() {\n\tswitch cmd {\n\tcase \"serve\":\n\t\tserve()\n\tcase \"dashboard\":\n\t\tdashboard()\n\tcase \"db\", \"database\":\n\t\tdb()\n\t}\n}\n";
        let files = AppFiles::from_pairs([
            ("cmd/app/main.go", main),
            ("cmd/app/serve.go", "package main\n"),
            ("cmd/app/dashboard.go", "package main\n"),
            ("apptest/apptest.go", "package apptest\n"),
        ]);
        let mut reads = vec![
            VariableRead::new("APP_API_KEY", "cmd/app/dashboard.go:82").required(true),
            VariableRead::new("HOSTNAME", "cmd/app/serve.go:3"),
            VariableRead::new("KEEPDB", "apptest/apptest.go:12"),
        ];
        mark(&files, "cmd/app", Some("serve"), &mut reads);
        let judged: Vec<(bool, bool)> = reads.iter().map(|r| (r.tooling, r.required)).collect();
        assert_eq!(judged, [(true, false), (false, false), (true, false)]);
    }
}
