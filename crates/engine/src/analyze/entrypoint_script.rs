//! The shell script a repository's own image starts through (`deploy/entrypoint.sh`): the
//! server line it ends with, and the migrations it runs before it.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact, shell_words};
use crate::model::Finding;

/// `NAME=value` or `NAME="value"` at the top of a script, a value without expansions.
static LITERAL_ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"$`]*)"|'([^']*)'|([^\s$`;"'&|]*))$"#)
        .expect("valid pattern")
});

/// What an entrypoint script runs in the end (`exec uvicorn app.asgi:application`), when all it
/// does before is prepare: activate an environment, wait for the database, collect static
/// files, migrate. ferry's image has none of the maintainers' paths the script sources, so the
/// server runs directly. A script that writes files (a config from the environment) stays the
/// command: what it writes is what the server reads.
pub fn server_line(files: &AppFiles, script: &str, run_by: &str) -> Option<Fact<Vec<String>>> {
    let text = files.get(script)?;
    let shell = script.ends_with(".sh") || text.lines().next().is_some_and(|l| l.starts_with("#!") && l.contains("sh"));
    if !shell {
        return None;
    }
    let lines = statements(text);
    let (last_number, last) = lines.last()?;
    // `uv run gunicorn ...`: ferry's runtime stage has the environment on PATH but not the
    // runner, so a script that calls one cannot run there; its last line, the server, can.
    let runner = lines.iter().any(|(_, line)| runs_a_project_runner(line));
    let run = last.strip_prefix("exec ").or_else(|| runner.then_some(last.as_str()))?.trim();
    let writes = |line: &str| {
        line.contains('>') || ["envsubst", "sed -i", "tee ", "cp ", "mv ", "<<"].iter().any(|w| line.contains(w))
    };
    // Branches and loops choose what runs; only a straight list of steps is read.
    let branches = |line: &str| {
        let first = line.split_whitespace().next().unwrap_or("");
        ["if", "case", "for", "while", "then", "else", "fi", "do", "done"].contains(&first)
    };
    // A script ferry's image can run stays the command; one that activates the maintainers'
    // environment (a path only their image has) or migrates at every start gives way.
    let activates = lines
        .iter()
        .any(|(_, line)| (line.starts_with("source ") || line.starts_with(". ")) && line.contains("activate"));
    let migrating = lines.iter().any(|(_, line)| migrates(line));
    if !activates && !migrating && !runner {
        return None;
    }
    // Branches may choose what runs, unless the script cannot run in ferry's image anyway (it
    // activates an environment only the maintainers' image has): then its last line, which
    // every path that starts the server reaches, is what runs.
    let chooses = !activates && lines.iter().any(|(_, line)| branches(line));
    // The script's own values (`DJANGO_WSGI_MODULE=app.wsgi`) are filled in; a server line
    // that still expands variables (`--http 0.0.0.0:$PORT`) needs the script's shell.
    let run = with_script_values(without_script_arguments(run), &lines);
    if run.contains('$') || chooses || lines.iter().any(|(_, line)| writes(line)) {
        return None;
    }
    // `migrate && exec server`: a shell runs the whole line, never its words split apart.
    // `exec gosu taiga gunicorn ...`: ferry's image already runs as its non-root user.
    let (words, _) = super::init_wrapper::unwrap(&super::source::command_words(&run)?);
    let program = words.first()?;
    let runnable = !program.contains('$') && !program.contains('/');
    if !runnable {
        return None;
    }
    let run_by = run_by.trim_end_matches(" (the repository's own image)");
    Some(fact(words, format!("{script}:{last_number} (run by {run_by}, the repository's own image)")))
}

/// The program a supervising entrypoint script runs in the end, on every path through it:
/// `run_as_user python3 app/main.py` then `exit $?` in each branch, where `run_as_user` is the
/// script's own function that runs `"$@"` (and maybe `gosu`). Read only when the script is run
/// behind an init (`wrapped`) or switches users: the supervision is the maintainers' image's,
/// and ferry's image (one process per task, a non-root user) runs the program directly. A
/// script that writes files the server reads (a config from the environment) stays.
pub fn supervised_program(files: &AppFiles, script: &str, wrapped: bool, run_by: &str) -> Option<Fact<Vec<String>>> {
    let text = files.get(script)?;
    let lines = statements(text);
    if !wrapped && !lines.iter().any(|(_, line)| super::init_wrapper::switches_user(line)) {
        return None;
    }
    let (runners, top_level) = functions_running_arguments(&lines);
    if top_level.iter().any(|(_, line)| writes_a_file(line)) {
        return None;
    }
    let mut found: Option<(usize, Vec<String>)> = None;
    for (index, (number, line)) in top_level.iter().enumerate() {
        let next = top_level.get(index + 1).map(|(_, l)| l.as_str());
        let ends = line.starts_with("exec ")
            || next.is_some_and(|n| n == "exit" || n.starts_with("exit $"))
            || next.is_none() && !is_keyword(line);
        if !ends || line.ends_with('&') {
            continue;
        }
        let mut words = shell_words(line.trim_start_matches("exec "))?;
        while words.first().is_some_and(|w| runners.contains(w)) {
            words.remove(0);
        }
        let (words, _) = super::init_wrapper::unwrap(&words);
        match &found {
            Some((_, seen)) if *seen != words => return None,
            _ => found = Some((*number, words)),
        }
    }
    let (number, words) = found?;
    let program = words.first()?;
    let runnable = words.iter().all(|w| !w.contains('$')) && !program.contains('/') && !program.starts_with('-');
    let run_by = run_by.trim_end_matches(" (the repository's own image)");
    runnable.then(|| fact(words, format!("{script}:{number} (run by {run_by}, the repository's own image)")))
}

/// The names of the script's functions that run their arguments (`"$@"`), and the statements
/// outside any function.
fn functions_running_arguments(lines: &[(usize, String)]) -> (Vec<String>, Vec<(usize, String)>) {
    let mut runners = Vec::new();
    let mut top_level = Vec::new();
    let mut open: Option<(String, usize)> = None;
    for (number, line) in lines {
        if let Some((name, depth)) = open.as_mut() {
            *depth += line.matches('{').count();
            *depth = depth.saturating_sub(line.matches('}').count());
            let first = line.trim_start_matches("exec ").split_whitespace().next().unwrap_or("");
            if first == "\"$@\"" && !runners.contains(name) {
                runners.push(name.clone());
            }
            if *depth == 0 {
                open = None;
            }
            continue;
        }
        let declared = line.split_once("()").filter(|(name, rest)| {
            rest.trim_start().starts_with('{') && !name.trim().is_empty() && !name.contains(' ')
        });
        match declared {
            Some((name, rest)) => {
                let depth = rest.matches('{').count().saturating_sub(rest.matches('}').count());
                (depth > 0).then(|| open = Some((name.trim().to_string(), depth)));
            }
            None => top_level.push((*number, line.clone())),
        }
    }
    (runners, top_level)
}

/// A statement that writes a file the server may read (a redirection into anything but a log
/// under /tmp or /dev, a template filled in, a copy).
fn writes_a_file(line: &str) -> bool {
    let redirects = line.match_indices('>').any(|(at, _)| {
        let target = line[at + 1..].trim_start_matches(['>', '&']).trim_start();
        !(target.starts_with("/tmp/") || target.starts_with("/dev/") || target.starts_with(char::is_numeric))
    });
    redirects || ["envsubst", "sed -i", "tee ", "cp ", "mv ", "<<"].iter().any(|w| line.contains(w))
}

fn is_keyword(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    ["fi", "done", "esac", "exit", "}", "wait"].contains(&first)
}

/// The program a script the start command names runs in the end (`exec gunicorn ...` gives
/// `gunicorn`), when the start command is such a script.
pub fn final_program(files: &AppFiles, start: &[String]) -> Option<String> {
    final_exec(files, start.first()?)?.into_iter().next()
}

/// The words of the `exec` a script the start command names ends with
/// (`exec /usr/bin/supervisord` gives `/usr/bin/supervisord`).
pub fn final_exec(files: &AppFiles, script: &str) -> Option<Vec<String>> {
    let script = script_file(files, script)?;
    let statements = statements(files.get(&script)?);
    let (_, last) = statements.last()?;
    shell_words(last.strip_prefix("exec ")?)
}

/// The script's statements with their first line numbers: lines continued with `\` joined,
/// blank lines and comments left out.
fn statements(text: &str) -> Vec<(usize, String)> {
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut open = false;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if !open && (line.is_empty() || line.starts_with('#')) {
            continue;
        }
        let (continues, piece) = match line.strip_suffix('\\') {
            Some(piece) => (true, piece.trim_end()),
            None => (false, line),
        };
        match found.last_mut().filter(|_| open) {
            Some((_, statement)) => {
                statement.push(' ');
                statement.push_str(piece);
            }
            None => found.push((index + 1, piece.to_string())),
        }
        open = continues;
    }
    found
}

/// `run` with each `$NAME` or `${NAME}` the script itself sets once, to a plain value, at its
/// top level, replaced by that value.
fn with_script_values(run: &str, lines: &[(usize, String)]) -> String {
    let mut values: HashMap<&str, Option<&str>> = HashMap::new();
    for (_, line) in lines {
        let Some(caps) = LITERAL_ASSIGNMENT.captures(line) else { continue };
        let name = caps.get(1).map_or("", |m| m.as_str());
        let value = caps.get(2).or(caps.get(3)).or(caps.get(4)).map_or("", |m| m.as_str());
        // Set twice, the value depends on where the line is: left as it is.
        values.entry(name).and_modify(|known| *known = None).or_insert(Some(value));
    }
    let mut run = run.to_string();
    for (name, value) in values.iter().filter_map(|(name, value)| value.map(|v| (name, v))) {
        run = run.replace(&format!("${{{name}}}"), value);
        let plain = Regex::new(&format!(r"\${}\b", regex::escape(name))).expect("valid pattern");
        run = plain.replace_all(&run, regex::NoExpand(value)).into_owned();
    }
    run
}

/// A server line without the script's own arguments passed on at its end (`"$@"`): the
/// container command starts the script with none, so they add nothing.
fn without_script_arguments(run: &str) -> &str {
    ["\"$@\"", "$@", "\"${@}\""].iter().find_map(|all| run.strip_suffix(all)).map_or(run, str::trim_end)
}

/// `uv run ...`, `poetry run ...`, `pipenv run ...`: a Python project runner in front.
fn runs_a_project_runner(line: &str) -> bool {
    let words: Vec<&str> = line.trim_start_matches("exec ").split_whitespace().take(2).collect();
    matches!(words.as_slice(), [runner, "run"] if ["uv", "poetry", "pipenv", "pdm", "hatch"].contains(runner))
}

/// A script's line that migrates a database (`python manage.py migrate`, `flask db upgrade`).
fn migrates(line: &str) -> bool {
    let commands = unquoted(line);
    !line.starts_with('#')
        && !line.starts_with("exec ")
        && !["echo", "printf"].contains(&commands.split_whitespace().next().unwrap_or(""))
        && commands.split_whitespace().any(|w| ["migrate", "upgrade"].contains(&w))
        && !line.contains("pip ")
}

/// A line without the text it quotes: `echo "upgrade failed"` says the word, it runs nothing.
fn unquoted(line: &str) -> String {
    let mut quote = None;
    line.chars()
        .filter(|&c| match quote {
            Some(open) if c == open => {
                quote = None;
                false
            }
            Some(_) => false,
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                false
            }
            None => true,
        })
        .collect()
}

/// The steps an entrypoint script runs before its server that migrate a database, each with its
/// line. When ferry took only the script's server line, they no longer run; when the start
/// command is the script itself, they run at every start of every task.
pub fn migrations(files: &AppFiles, start: &Fact<Vec<String>>) -> Vec<Finding> {
    let taken_from = start.source.contains("(run by ").then(|| start.source.split_once(':').map(|(script, _)| script));
    let (script, whole) = match taken_from.flatten() {
        Some(script) => (script.to_string(), false),
        None => match start.value.first().and_then(|program| script_file(files, program)) {
            Some(script) => (script, true),
            None => return Vec::new(),
        },
    };
    let Some(text) = files.get(&script) else { return Vec::new() };
    let consequence = if whole {
        "the start command runs it at every start of every task, and several tasks starting together race on it"
    } else {
        "ferry's container runs only the server, and several tasks starting together would race on it"
    };
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim();
            migrates(line)
                || (!line.starts_with('#') && crate::analyze::cli_migrations::runs_migrating_command(files, line))
        })
        .map(|(index, line)| {
            let step = line.trim().trim_end_matches(['\\', '&', ' ']);
            Finding::warning(
                "migrations-at-start",
                format!(
                    "the repository's entrypoint migrates the database before the server (`{step}`): {consequence}"
                ),
                format!("{script}:{}", index + 1),
            )
            .with_fix(format!("run `{step}` once per release, as a one-off task before the service update"))
        })
        .collect()
}

/// The app's script a start command names (`./deploy/entrypoint.sh`, or
/// `/code/app/deploy/entrypoint.sh` under the image's work folder), as a path in the app.
fn script_file(files: &AppFiles, program: &str) -> Option<String> {
    let relative = program.trim_start_matches("./");
    if !relative.ends_with(".sh") && !files.get(relative).is_some_and(|text| text.starts_with("#!")) {
        return None;
    }
    if files.get(relative).is_some() {
        return Some(relative.to_string());
    }
    // An absolute path in the image: the app's file whose path ends it.
    files.files.keys().filter(|path| program.ends_with(&format!("/{path}"))).max_by_key(|path| path.len()).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_line_over_several_lines_with_the_scripts_own_values() {
        let script = "#!/usr/bin/env bash\nNAME=\"blog\"\nWSGI_MODULE=blog.wsgi\nWORKERS=2\n\npython manage.py migrate && \\\n  python manage.py collectstatic --noinput\n\nexec gunicorn ${WSGI_MODULE}:application \\\n--name $NAME \\\n--workers $WORKERS \\\n--bind 0.0.0.0:8000\n";
        let files = AppFiles::from_pairs([("deploy/entrypoint.sh", script)]);
        let start = server_line(&files, "deploy/entrypoint.sh", "Dockerfile:9 (the repository's own image)").unwrap();
        assert_eq!(
            start.value,
            ["gunicorn", "blog.wsgi:application", "--name", "blog", "--workers", "2", "--bind", "0.0.0.0:8000"]
        );
        assert_eq!(start.source, "deploy/entrypoint.sh:9 (run by Dockerfile:9, the repository's own image)");
    }

    #[test]
    fn a_user_switch_and_the_scripts_arguments_give_way_to_the_server() {
        let script = "#!/usr/bin/env bash\nset -euo pipefail\npython manage.py migrate\nchown -R app:app /srv\nexec gosu app gunicorn app.wsgi:application \\\n    --bind 0.0.0.0:8000 \\\n    \"$@\"\n";
        let files = AppFiles::from_pairs([("docker/entrypoint.sh", script)]);
        let start = server_line(&files, "docker/entrypoint.sh", "docker/Dockerfile:80").unwrap();
        assert_eq!(start.value, ["gunicorn", "app.wsgi:application", "--bind", "0.0.0.0:8000"]);
        assert_eq!(start.source, "docker/entrypoint.sh:5 (run by docker/Dockerfile:80, the repository's own image)");
    }

    #[test]
    fn a_value_from_the_environment_keeps_the_script() {
        let script = "#!/bin/sh\nflask db upgrade\nPORT=${PORT:-8000}\nexec gunicorn app:app --bind 0.0.0.0:$PORT\n";
        let files = AppFiles::from_pairs([("start.sh", script)]);
        assert_eq!(server_line(&files, "start.sh", "Dockerfile:4"), None);
    }

    #[test]
    fn a_message_that_names_an_upgrade_migrates_nothing() {
        assert!(!migrates(r#"echo "Warning: the nightly upgrade failed; continuing""#));
        assert!(!migrates(r#"log "migrate step skipped""#));
        assert!(migrates("flask db upgrade"));
        assert!(migrates(r#"python manage.py migrate --settings "app.settings""#));
    }

    #[test]
    fn the_migrations_of_a_script_the_start_command_runs_whole() {
        let files = AppFiles::from_pairs([(
            "deploy/entrypoint.sh",
            "#!/bin/sh\npython manage.py migrate && \\\n  exec gunicorn app\n",
        )]);
        let start =
            fact(vec!["/code/app/deploy/entrypoint.sh".to_string()], "Dockerfile:9 (the repository's own image)");
        let found = migrations(&files, &start);
        assert_eq!(found.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["deploy/entrypoint.sh:2"]);
        assert!(found[0].message.contains("every start of every task"), "{}", found[0].message);
    }
}
