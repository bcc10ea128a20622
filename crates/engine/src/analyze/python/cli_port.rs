//! The port a command-line entry point's subcommand serves on. A `fire` or `click` CLI often
//! has several: `run(self, port=8000)` serves the API and `run_web(self, port=8001)` a web UI.
//! The start command names the one the container runs (`python -m app run`), so that
//! function's `port=` default is the server's, whichever comes first in the file.

use std::sync::LazyLock;

use regex::Regex;

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact};

/// `port=8000` (or `port: int = 8000`) among a function's parameters.
static PORT_PARAMETER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bport\s*(?::\s*int\s*)?=\s*(\d{2,5})\b").expect("valid pattern"));

/// How many lines a function's parameters may run over.
const SIGNATURE_LINES: usize = 6;

/// The `port=` default of the function the start command names as its subcommand.
pub fn subcommand_port(files: &AppFiles, start: &[String]) -> Option<Fact<u16>> {
    let subcommands = start.iter().skip(1).filter(|word| is_identifier(word));
    for name in subcommands {
        let definition = format!("def {name}(");
        for (path, text) in files.with_extensions(&["py"]) {
            let lines: Vec<&str> = text.lines().collect();
            let Some(index) = lines.iter().position(|line| line.trim_start().starts_with(&definition)) else {
                continue;
            };
            let signature = signature(&lines[index..]);
            if let Some(port) = PORT_PARAMETER.captures(&signature).and_then(|c| c[1].parse::<u16>().ok()) {
                return Some(fact(port, format!("{path}:{}", index + 1)));
            }
        }
    }
    None
}

/// A subcommand's name: lower-case words, never an option, a module path or a file.
fn is_identifier(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && word.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A function's parameters, from its `def` line to the `:` that ends them.
fn signature(lines: &[&str]) -> String {
    let mut signature = String::new();
    for line in lines.iter().take(SIGNATURE_LINES) {
        signature.push_str(line);
        signature.push(' ');
        if line.trim_end().ends_with(':') {
            break;
        }
    }
    signature
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(command: &[&str]) -> Vec<String> {
        command.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn the_subcommand_the_start_command_names() {
        let files = AppFiles::from_pairs([(
            "svc/__main__.py",
            "class Cli:\n    def run_web(self, port=8001, host='localhost'):\n        ...\n\n    def run(self, port=8000,\n            workers=1):\n        ...\n",
        )]);
        let port = subcommand_port(&files, &words(&["python", "-m", "svc", "run"]));
        assert_eq!(port, Some(fact(8000, "svc/__main__.py:5".to_string())));
        assert_eq!(subcommand_port(&files, &words(&["python", "-m", "svc", "serve"])), None);
        assert_eq!(subcommand_port(&files, &words(&["gunicorn", "app:app"])), None);
    }
}
