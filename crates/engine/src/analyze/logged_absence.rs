//! A setting whose absence the code checks and only logs: `if not read("KEY"): log.warning(...)`
//! at start says the app runs without it (the feature that needs it fails when used). A fatal
//! message that names it elsewhere, in the code of that feature, is no demand at start.

use super::app_files::AppFiles;
use super::enclosing::indentation;
use super::source::is_test_path;
use super::variables::scope_of;
use crate::model::VariableScope;

const CODE: [&str; 7] = ["py", "js", "mjs", "cjs", "ts", "mts", "go"];

/// What a block that only reports does.
const LOGS: [&str; 6] = ["warning(", "warn(", "info(", "console.", "print(", "Printf("];
/// What a block that stops does.
const STOPS: [&str; 7] = ["raise", "throw", "exit(", "fatal", "Fatal", "panic(", "abort("];

/// Whether the running code checks that `name` is unset and, when it is, only logs.
pub fn only_logged(files: &AppFiles, name: &str) -> bool {
    let running = |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime;
    let quoted = [format!("\"{name}\""), format!("'{name}'"), format!("process.env.{name}")];
    files.with_extensions(&CODE).filter(|(path, _)| running(path)).any(|(_, text)| {
        let lines: Vec<&str> = text.lines().collect();
        (0..lines.len()).any(|index| {
            let code = lines[index].trim_start();
            let absent = code.starts_with("if not ") || code.starts_with("if (!") || code.starts_with("if !");
            absent && quoted.iter().any(|q| code.contains(q.as_str())) && block_only_logs(&lines, index)
        })
    })
}

/// Whether the block under the `if` on line `index` (its more indented lines, or the rest of
/// the line itself) logs and never stops.
fn block_only_logs(lines: &[&str], index: usize) -> bool {
    let level = indentation(lines[index]);
    let body: Vec<&str> = std::iter::once(lines[index])
        .chain(lines[index + 1..].iter().copied().take_while(|l| l.trim().is_empty() || indentation(l) > level))
        .collect();
    let logs = body.iter().any(|l| LOGS.iter().any(|w| l.contains(w)));
    let stops = body.iter().any(|l| STOPS.iter().any(|w| l.contains(w)));
    logs && !stops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_that_only_warns_is_no_demand() {
        let warned = "def start():\n    if not read(\"SEAL_KEY\"):\n        log.warning(\n            \"SEAL_KEY not set\"\n        )\n    run()\n";
        let files = AppFiles::from_pairs([("app/main.py", warned)]);
        assert!(only_logged(&files, "SEAL_KEY"));
        let raised = "def start():\n    if not read(\"SEAL_KEY\"):\n        log.warning(\"no key\")\n        raise SystemExit(1)\n";
        let files = AppFiles::from_pairs([("app/main.py", raised)]);
        assert!(!only_logged(&files, "SEAL_KEY"));
        let js = "if (!process.env.SEAL_KEY) {\n  console.warn('no SEAL_KEY')\n}\n";
        assert!(only_logged(&AppFiles::from_pairs([("src/index.js", js)]), "SEAL_KEY"));
    }
}
