//! Python code under `if __name__ == "__main__":` runs only when its file is run as a script.
//! A server the start command runs (`gunicorn wsgi:app`) imports modules, so what such a block
//! does in a file the start does not name never happens in the service.

use crate::analyze::app_files::AppFiles;

/// Whether the line at `at` (`path:line`) of a Python file sits in its `__main__` block and the
/// start command does not run that file (`python tester.py`, `python -m pkg.tester`).
pub fn only_when_run_as_script(files: &AppFiles, at: &str, start: &[String]) -> bool {
    let Some((path, line)) = at.rsplit_once(':') else { return false };
    let (Some(text), Ok(number)) = (files.get(path), line.parse::<usize>()) else { return false };
    path.ends_with(".py") && in_main_block(text, number) && !started(path, start)
}

/// Whether line `number` (from 1) is inside a top-level `if __name__ == "__main__":` block.
fn in_main_block(text: &str, number: usize) -> bool {
    let lines: Vec<&str> = text.lines().take(number).collect();
    let Some((own, before)) = lines.split_last() else { return false };
    if !own.starts_with([' ', '\t']) {
        return false;
    }
    // The top-level statement the line belongs to: the last unindented line above it.
    let parent = before.iter().rev().find(|l| !l.trim().is_empty() && !l.starts_with([' ', '\t', '#']));
    parent.is_some_and(|l| l.starts_with("if __name__") && l.contains("__main__"))
}

/// Whether a word of the start command names the file: its path, or its module for `-m`.
fn started(path: &str, start: &[String]) -> bool {
    let module = path.trim_end_matches(".py").trim_end_matches("/__main__").replace('/', ".");
    start.iter().any(|word| {
        let word = word.trim_start_matches("./");
        (word.ends_with(".py") && path.ends_with(word)) || word == module || module.ends_with(&format!(".{word}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TESTER: &str = "import os\nfrom flask import Flask\napp = Flask(__name__)\n\nif __name__ == \"__main__\":\n    app.secret_key = os.urandom(24)\n    app.run()\n";

    fn words(line: &str) -> Vec<String> {
        line.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn a_main_block_runs_only_when_its_file_is_the_start() {
        let files = AppFiles::from_pairs([("tools/tester.py", TESTER)]);
        assert!(only_when_run_as_script(&files, "tools/tester.py:6", &words("gunicorn wsgi:app")));
        assert!(!only_when_run_as_script(&files, "tools/tester.py:6", &words("python tools/tester.py")));
        assert!(!only_when_run_as_script(&files, "tools/tester.py:6", &words("python -m tools.tester")));
        assert!(!only_when_run_as_script(&files, "tools/tester.py:3", &words("gunicorn wsgi:app")));
    }
}
