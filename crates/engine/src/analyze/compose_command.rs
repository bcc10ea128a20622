//! The command the repository's main compose file runs the app with (`command:` of the service
//! built from the repository root), in its production form: when the repository has no image
//! command and no Procfile, this is the maintainers' word on how the app starts and on which
//! port, better than a command derived from the framework.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact, shell_words};
use crate::model::Finding;

/// Flags that make a server a development one; the first set takes no value, the second one.
const DEVELOPMENT_FLAGS: [&str; 3] = ["--reload", "--debug", "--use-reloader"];
const DEVELOPMENT_FLAGS_WITH_VALUE: [&str; 3] = ["--reload-dir", "--reload-include", "--reload-exclude"];

/// The start command of the main compose file's app service, with its development flags
/// removed and its host made every interface.
pub fn compose_start(files: &AppFiles) -> Option<Fact<Vec<String>>> {
    let mut composes: Vec<(&String, &String)> = files
        .files
        .iter()
        .filter(|(path, _)| !path.contains('/') && crate::analyze::declared_state::main_compose(path))
        .collect();
    composes.sort();
    composes.into_iter().find_map(|(path, text)| {
        let (line, command) = app_command(text)?;
        let words = production_form(last_step(&command)?);
        (!words.is_empty()).then(|| fact(words, format!("{path}:{line} (the app service's `command:`)")))
    })
}

/// The compose file's start command, with the warning that says where it came from.
pub fn compose_start_said(files: &AppFiles, findings: &mut Vec<Finding>) -> Option<Fact<Vec<String>>> {
    let composed = compose_start(files)?;
    findings.push(said(&composed));
    Some(composed)
}

/// The warning that goes with a start command taken from the compose file.
fn said(start: &Fact<Vec<String>>) -> Finding {
    Finding::warning(
        "start-from-compose",
        format!("the start command is the one the repository's compose file runs: `{}`", start.value.join(" ")),
        start.source.clone(),
    )
    .with_fix("check that it serves the app in production (ferry removed development flags), or set the start command by hand")
}

/// The `command:` of the service built from `.`, as written (one string, or a list's items
/// joined), and its line. Folded strings over several lines are joined with spaces.
fn app_command(text: &str) -> Option<(usize, String)> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let lines: Vec<&str> = text.lines().collect();
    let service = crate::analyze::declared_state::services(text).into_iter().find(|s| s.builds_the_root)?;
    let at = service.command_line?;
    let key_indent = indent(lines[at]);
    let first = lines[at].trim().strip_prefix("command:")?.trim();
    let continued = lines[at + 1..]
        .iter()
        .take_while(|line| line.trim().is_empty() || indent(line) > key_indent)
        .map(|line| line.trim());
    let command = if first.is_empty() {
        // A block list: `- uvicorn`, `- app.main:app`.
        let items: Vec<String> =
            continued.filter_map(|item| item.strip_prefix("- ")).map(|item| quote(unquote(item))).collect();
        items.join(" ")
    } else if let Some(list) = first.strip_prefix('[') {
        let list = list.trim_end_matches(']');
        list.split(',').map(|item| quote(unquote(item.trim()))).collect::<Vec<_>>().join(" ")
    } else {
        let mut joined = first.to_string();
        for line in continued.filter(|line| !line.is_empty()) {
            joined.push(' ');
            joined.push_str(line);
        }
        unquote_whole(&joined)
    };
    Some((at + 1, command))
}

/// The server step of a command: the script of `bash -c "..."`, and its last `&&`/`;` step
/// (`alembic upgrade head && uvicorn ...` starts the server last).
fn last_step(command: &str) -> Option<Vec<String>> {
    let words = shell_words(command)?;
    let script = match words.as_slice() {
        [shell, flag, script, ..]
            if matches!(shell.as_str(), "bash" | "sh" | "/bin/sh" | "/bin/bash") && flag == "-c" =>
        {
            script.clone()
        }
        _ => return last_of_words(words),
    };
    last_of_words(shell_words(&script)?)
}

fn last_of_words(words: Vec<String>) -> Option<Vec<String>> {
    let step = words.split(|w| w == "&&" || w == ";").rfind(|step| !step.is_empty())?;
    Some(step.to_vec())
}

/// The words without the server's development flags (`--reload`, `--reload-dir src`,
/// `--debug`), and the flags removed.
pub(crate) fn without_development_flags(words: Vec<String>) -> (Vec<String>, Vec<String>) {
    let (mut kept, mut removed) = (Vec::new(), Vec::new());
    let mut words = words.into_iter();
    while let Some(word) = words.next() {
        let flag = word.split('=').next().unwrap_or(&word).to_string();
        if DEVELOPMENT_FLAGS.contains(&flag.as_str()) {
            removed.push(flag);
            continue;
        }
        if DEVELOPMENT_FLAGS_WITH_VALUE.contains(&flag.as_str()) {
            if !word.contains('=') {
                words.next();
            }
            removed.push(flag);
            continue;
        }
        kept.push(word);
    }
    (kept, removed)
}

/// Without the reloader and bound to every interface.
fn production_form(words: Vec<String>) -> Vec<String> {
    let mut kept = Vec::new();
    for word in without_development_flags(words).0 {
        let loopback = |host: &str| matches!(host, "127.0.0.1" | "localhost");
        if kept.last().is_some_and(|w: &String| w == "--host") && loopback(&word) {
            kept.push("0.0.0.0".into());
            continue;
        }
        kept.push(word);
    }
    kept
}

fn unquote(item: &str) -> &str {
    item.trim().trim_matches(['"', '\''])
}

/// A list item as one shell word, whatever it holds.
fn quote(item: &str) -> String {
    if item.contains([' ', '"', '\'']) { format!("'{}'", item.replace('\'', "'\\''")) } else { item.to_string() }
}

/// A YAML scalar in quotes (`"uvicorn app:app"`) loses them; a shell command's own quotes stay.
fn unquote_whole(text: &str) -> String {
    let text = text.trim();
    for mark in ['"', '\''] {
        if text.len() > 1 && text.starts_with(mark) && text.ends_with(mark) && !text[1..text.len() - 1].contains(mark) {
            return text[1..text.len() - 1].to_string();
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(compose: &str) -> Option<Vec<String>> {
        compose_start(&AppFiles::from_pairs([("compose.yml", compose)])).map(|f| f.value)
    }

    #[test]
    fn a_bash_script_over_several_lines_without_the_reloader() {
        let compose = "services:\n  api:\n    build: .\n    command: bash -c \"\n      uvicorn app.main:app\n      --host 0.0.0.0 --port 8080\n      --use-colors --reload\n      \"\n    ports:\n      - 8080:8080\n  db:\n    image: postgres:16\n    command: postgres -c max_connections=200\n";
        assert_eq!(
            start(compose).unwrap(),
            ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8080", "--use-colors"]
        );
    }

    #[test]
    fn a_string_a_list_and_a_block_list() {
        let string = "services:\n  web:\n    build: .\n    command: alembic upgrade head && uvicorn main:app --host 127.0.0.1 --port 9000\n";
        assert_eq!(start(string).unwrap(), ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "9000"]);
        let list = "services:\n  web:\n    build:\n      context: .\n    command: [\"gunicorn\", \"app:app\", \"-b\", \"0.0.0.0:5000\"]\n";
        assert_eq!(start(list).unwrap(), ["gunicorn", "app:app", "-b", "0.0.0.0:5000"]);
        let block = "services:\n  web:\n    build: .\n    command:\n      - uvicorn\n      - main:app\n      - --reload-dir\n      - src\n";
        assert_eq!(start(block).unwrap(), ["uvicorn", "main:app"]);
    }

    #[test]
    fn only_the_service_built_from_the_root_counts() {
        let compose = "services:\n  worker:\n    build: ./worker\n    command: celery -A tasks worker\n  db:\n    image: postgres\n";
        assert_eq!(start(compose), None);
    }
}
