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
        let helper = files.get(path).is_some_and(|text| is_test_helper_package(files, text));
        if in_other_command || helper {
            read.tooling = true;
            read.required = false;
        }
    }
}

/// The subcommands other than `served` that the main package dispatches on, in the switch
/// that dispatches `served` (`case "dashboard":` beside `case "serve":`), each with a file of
/// its own beside it. Other switches (`switch cfg.Storage { case "s3": ...}`) name no commands.
fn subcommands(files: &AppFiles, prefix: &str, served: &str) -> Vec<String> {
    let quoted = format!("\"{served}\"");
    let mut found: Vec<String> = files
        .with_extensions(&["go"])
        .filter(|(path, _)| path.strip_prefix(prefix).is_some_and(|name| !name.contains('/')))
        .flat_map(|(_, text)| dispatch_labels(text, &quoted))
        .filter(|name| name != served && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .filter(|name| files.get(&format!("{prefix}{name}.go")).is_some())
        .collect();
    found.sort();
    found.dedup();
    found
}

/// The labels of every `case` in the switch whose case names `quoted`.
fn dispatch_labels(text: &str, quoted: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |line: &str| line.len() - line.trim_start().len();
    let Some(served) = lines.iter().position(|l| l.trim_start().starts_with("case ") && l.contains(quoted)) else {
        return Vec::new();
    };
    let depth = indent(lines[served]);
    // gofmt puts `switch`, its `case`s and its closing brace at one depth: the switch runs from
    // its `switch` line to that brace.
    let outside = |line: &str| !line.trim().is_empty() && indent(line) < depth;
    let opens = |line: &&&str| !(outside(line) || (indent(line) == depth && line.trim_start().starts_with("switch ")));
    let closes = |line: &&&str| !(outside(line) || (indent(line) == depth && line.trim() == "}"));
    let first = served - lines[..served].iter().rev().take_while(opens).count();
    let last = served + lines[served..].iter().take_while(closes).count();
    lines[first..last]
        .iter()
        .filter(|line| indent(line) == depth)
        .filter_map(|line| line.trim().strip_prefix("case "))
        .flat_map(|labels| labels.trim_end_matches(':').split(','))
        .map(|label| label.trim().trim_matches('"').to_string())
        .filter(|label| !label.is_empty())
        .collect()
}

/// `package gctest`: a package of helpers for tests, which only tests import (a `speedtest`
/// package the server imports is the app's).
fn is_test_helper_package(files: &AppFiles, text: &str) -> bool {
    let package = text.lines().find_map(|line| line.trim().strip_prefix("package ")).map(str::trim);
    let Some(name) = package.filter(|name| name.len() > 4 && name.ends_with("test")) else { return false };
    let import = format!("/{name}\"");
    !files
        .with_extensions(&["go"])
        .filter(|(path, _)| !path.ends_with("_test.go"))
        .any(|(_, other)| other.contains(&import) && !other.contains(&format!("package {name}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_subcommands_reads_and_a_test_helpers_are_tooling() {
        let main = "package main\n\nfunc main() {\n\tswitch cmd {\n\tcase \"serve\":\n\t\tserve()\n\tcase \"dashboard\":\n\t\tdashboard()\n\tcase \"db\", \"database\":\n\t\tdb()\n\t}\n\tswitch storage {\n\tcase \"s3\":\n\t}\n}\n";
        let files = AppFiles::from_pairs([
            ("cmd/app/main.go", main),
            ("cmd/app/serve.go", "package main\n"),
            ("cmd/app/dashboard.go", "package main\n"),
            ("cmd/app/s3.go", "package main\n"),
            ("apptest/apptest.go", "package apptest\n"),
        ]);
        let mut reads = vec![
            VariableRead::new("APP_API_KEY", "cmd/app/dashboard.go:82").required(true),
            VariableRead::new("HOSTNAME", "cmd/app/serve.go:3"),
            VariableRead::new("KEEPDB", "apptest/apptest.go:12"),
            VariableRead::new("BUCKET", "cmd/app/s3.go:4"),
        ];
        mark(&files, "cmd/app", Some("serve"), &mut reads);
        let judged: Vec<(bool, bool)> = reads.iter().map(|r| (r.tooling, r.required)).collect();
        assert_eq!(judged, [(true, false), (false, false), (true, false), (false, false)]);
    }
}
