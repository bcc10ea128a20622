//! The shell script the app starts through (`./bin/docker-entrypoint server`, `boot.sh`): its
//! `${NAME:-default}` expansions read the environment before the server starts, with the
//! default written after the `:-`, and `${NAME:?}` refuses to start without one. A start
//! command run by a shell (`sh -c "uv run app --port $APP_PORT"`) reads what it expands too.
//! The image's own entrypoint script counts as well, with its plain `$NAME` reads and exports.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use crate::analyze::app_files::AppFiles;
use crate::analyze::container_start::dockerfiles;
use crate::analyze::source::{Fact, fact};

static EXPANSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-=?+])([^}]*)\}").expect("valid pattern"));

/// The reads of the scripts the container starts through: the one the start command runs,
/// and the entrypoint of the repository's own image (see `container_scripts`).
/// An image entrypoint the start does not run (it ends in `exec "$@"`, and ferry's container
/// runs the server directly) prepares nothing in ferry's image: what only it reads is the
/// maintainers' tooling there.
pub fn reads(files: &AppFiles, start: &[String]) -> Vec<VariableRead> {
    let mut found: Vec<VariableRead> = Vec::new();
    let started = script_of(files, start);
    for (path, text) in super::container_scripts::scripts(files, started) {
        let first = found.len();
        expansions(path, text, &mut found);
        for read in super::container_scripts::plain_reads(path, text) {
            if !found[first..].iter().any(|r| r.name == read.name) {
                found.push(read);
            }
        }
        let run = started.is_some_and(|(script, _)| script == path) || !passes_through(text);
        for read in &mut found[first..] {
            read.tooling |= !run;
        }
    }
    found
}

/// Whether a script ends by running whatever command it was given (`exec "$@"`): an
/// entrypoint that only prepares, which ferry's image does without.
fn passes_through(text: &str) -> bool {
    text.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|last| last.contains("\"$@\"") || last.contains("$@") || last.contains("$*"))
}

/// `${NAME:-default}`, `${NAME:=default}` and `${NAME:?}` expansions of one script.
fn expansions(path: &str, text: &str, found: &mut Vec<VariableRead>) {
    let first = found.len();
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        for captures in EXPANSION.captures_iter(line) {
            let name = &captures[1];
            if found[first..].iter().any(|r| r.name == name) || set_by_script_before(&lines[..index], name) {
                continue;
            }
            let value = captures[3].trim_matches(['"', '\'']).to_string();
            let read = VariableRead::new(name, format!("{path}:{}", index + 1));
            found.push(match &captures[2] {
                "?" | ":?" => read.required(true),
                // `${IPV4_ONLY+x}` asks whether it is set: a switch, its value never used.
                "+" | ":+" => read,
                // A default that expands another variable is no value of its own.
                _ => read.with_default(Some(value).filter(|v| !v.is_empty() && !v.contains('$'))),
            });
        }
    }
}

/// The script gives `name` a value of its own above the expansion (`TIMEOUT="$2"` while it
/// parses its arguments, `QUIET=1`): the expansion defaults the script's own state, which no
/// operator sets. Its own default (`NAME=${NAME:-15}`) is no such value.
fn set_by_script_before(lines: &[&str], name: &str) -> bool {
    lines.iter().filter(|line| !line.trim_start().starts_with('#')).any(|line| {
        line.match_indices(&format!("{name}=")).any(|(at, _)| {
            let before = line[..at].chars().next_back();
            let starts_word = before.is_none_or(|c| c.is_whitespace() || matches!(c, ';' | '(' | '&' | '|'));
            starts_word && !line[at..].contains(&format!("${{{name}"))
        })
    })
}

static COMMAND_EXPANSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)").expect("valid pattern"));

/// The variables a shell-form start command expands, read where the command was found, and
/// those of them the repository's own image gives a value with `ENV` (never a secret's: that
/// value is not copied into the service in plain text).
pub fn command_expansions(
    files: &AppFiles,
    start: &Fact<Vec<String>>,
) -> (Vec<VariableRead>, Vec<Fact<(String, String)>>) {
    let at = start.source.split_whitespace().next().unwrap_or_default().to_string();
    // Only a command written in the repository (`Dockerfile:46`): one ferry derives itself
    // expands what ferry's own image sets.
    let written = at.rsplit_once(':').is_some_and(|(path, line)| !path.is_empty() && line.parse::<usize>().is_ok());
    if !written {
        return (Vec::new(), Vec::new());
    }
    let mut reads: Vec<VariableRead> = Vec::new();
    for captures in start.value.iter().flat_map(|word| COMMAND_EXPANSION.captures_iter(word)) {
        if !reads.iter().any(|r| r.name == captures[1]) {
            reads.push(VariableRead::new(&captures[1], at.clone()));
        }
    }
    let image = dockerfiles(files).into_iter().next();
    let mut image_env = Vec::new();
    for read in reads.iter_mut() {
        let Some((value, line)) = image.and_then(|(_, text)| env_instruction(text, &read.name)) else { continue };
        read.default = Some(value.clone()).filter(|v| !v.is_empty());
        if super::secret_by_name(&read.name).is_none() && !value.is_empty() {
            let path = image.map_or("", |(path, _)| path);
            image_env.push(fact((read.name.clone(), value), format!("{path}:{line}")));
        }
    }
    (reads, image_env)
}

/// The variable through which the repository's image sets the port it exposes
/// (`ENV PG_META_PORT=8080`, read by the code with its own fallback): ferry's image does not
/// set it, so the service must, or the app listens on the code's fallback instead.
pub fn image_port_setting(files: &AppFiles, read: &[String], port: u16) -> Option<Fact<(String, String)>> {
    let (path, text) = dockerfiles(files).into_iter().next()?;
    read.iter().filter(|name| name.ends_with("PORT") && name.as_str() != "PORT").find_map(|name| {
        let (value, line) = env_instruction(text, name)?;
        (value == port.to_string()).then(|| fact((name.clone(), value), format!("{path}:{line}")))
    })
}

/// The value and line of the last `ENV NAME=value` (or `ENV NAME value`) of a Dockerfile.
fn env_instruction(text: &str, name: &str) -> Option<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    lines.iter().enumerate().rev().find_map(|(index, line)| {
        let rest = line.trim().strip_prefix("ENV ")?.trim();
        let value = rest.strip_prefix(name)?.strip_prefix(['=', ' '])?.trim();
        let value = value.split_whitespace().next().unwrap_or("").trim_matches(['"', '\'']);
        (!value.contains('$')).then(|| (value.to_string(), index + 1))
    })
}

/// The folder's shell script the start command runs (`./boot.sh`, `sh /app/bin/start`), with
/// its text.
pub fn script_of<'a>(files: &'a AppFiles, start: &[String]) -> Option<(&'a str, &'a str)> {
    start.iter().take(2).find_map(|word| script(files, word))
}

/// The folder's shell script a start command's word names (`./boot.sh`, `/app/bin/start`).
fn script<'a>(files: &'a AppFiles, word: &str) -> Option<(&'a str, &'a str)> {
    let path = word.trim_start_matches("./").trim_start_matches("/app/");
    let (path, text) = files.files.get_key_value(path)?;
    let first = text.lines().next().unwrap_or("");
    let shell = path.ends_with(".sh") || (first.starts_with("#!") && first.contains("sh"));
    shell.then_some((path.as_str(), text.as_str()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_variable_the_image_sets_its_port_through() {
        let files = AppFiles::from_pairs([(
            "Dockerfile",
            "FROM node:22\nENV META_PORT=8080\nCMD [\"node\", \"server.js\"]\nEXPOSE 8080\n",
        )]);
        let read = vec!["META_PORT".to_string(), "DB_PORT".to_string()];
        let set = image_port_setting(&files, &read, 8080).expect("set through META_PORT");
        assert_eq!((set.value, set.source.as_str()), (("META_PORT".to_string(), "8080".to_string()), "Dockerfile:2"));
        assert!(image_port_setting(&files, &read, 3000).is_none());
    }

    use super::*;

    #[test]
    fn state_a_script_sets_from_its_arguments_is_its_own() {
        let wait = "#!/usr/bin/env bash\nwhile [[ $# -gt 0 ]]; do\n  case \"$1\" in\n    -q) QUIET_MODE=1; shift 1;;\n    -t) WAIT_SECONDS=\"$2\"; shift 2;;\n  esac\ndone\nWAIT_SECONDS=${WAIT_SECONDS:-15}\nQUIET_MODE=${QUIET_MODE:-0}\nHOST_NAME=${TARGET_HOST:-db}\n";
        let mut found = Vec::new();
        expansions("wait.sh", wait, &mut found);
        let names: Vec<&str> = found.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["TARGET_HOST"]);
    }

    #[test]
    fn expansions_of_the_script_the_app_starts_through() {
        let entrypoint = "#!/bin/bash\nserver() {\n  # ${NOT_READ:-x}\n  TIMEOUT=${APP_TIMEOUT:-60}\n  BIND=${APP_BIND:-[::]:5000}\n  : \"${SECRET_KEY:?set it}\"\n  exec gunicorn -b \"$BIND\" -w${APP_WORKERS:-4} -t $TIMEOUT app.wsgi:app --log ${LOG:-$DEFAULT_LOG}\n}\n";
        let files = AppFiles::from_pairs([("bin/docker-entrypoint", entrypoint), ("other.sh", "X=${OTHER:-1}\n")]);
        let start = ["./bin/docker-entrypoint".to_string(), "server".to_string()];
        let read: Vec<(String, Option<String>, bool, String)> =
            reads(&files, &start).into_iter().map(|r| (r.name, r.default, r.required, r.source)).collect();
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            read,
            [
                ("APP_TIMEOUT".into(), some("60"), false, "bin/docker-entrypoint:4".into()),
                ("APP_BIND".into(), some("[::]:5000"), false, "bin/docker-entrypoint:5".into()),
                ("SECRET_KEY".into(), None, true, "bin/docker-entrypoint:6".into()),
                ("APP_WORKERS".into(), some("4"), false, "bin/docker-entrypoint:7".into()),
                ("LOG".into(), None, false, "bin/docker-entrypoint:7".into()),
                // The fallback's own variable is read too.
                ("DEFAULT_LOG".into(), None, false, "bin/docker-entrypoint:7".into()),
            ]
        );
        assert!(reads(&files, &["gunicorn".to_string(), "app.wsgi:app".to_string()]).is_empty());
    }

    #[test]
    fn what_a_shell_form_command_expands_and_the_image_sets() {
        let dockerfile = "FROM python:3.12\nENV APP_PORT=\"5000\"\nENV APP_HOST 0.0.0.0\nENV APP_SECRET=abc\nCMD [\"sh\", \"-c\", \"uv run app --port $APP_PORT --host ${APP_HOST} --key $APP_SECRET --log $LOG_DIR\"]\n";
        let files = AppFiles::from_pairs([("Dockerfile", dockerfile)]);
        let words = ["sh", "-c", "uv run app --port $APP_PORT --host ${APP_HOST} --key $APP_SECRET --log $LOG_DIR"];
        let start = fact(words.map(str::to_string).to_vec(), "Dockerfile:5 (the repository's own image)");
        let (reads, image_env) = command_expansions(&files, &start);
        let read: Vec<(&str, Option<&str>, &str)> =
            reads.iter().map(|r| (r.name.as_str(), r.default.as_deref(), r.source.as_str())).collect();
        assert_eq!(
            read,
            [
                ("APP_PORT", Some("5000"), "Dockerfile:5"),
                ("APP_HOST", Some("0.0.0.0"), "Dockerfile:5"),
                ("APP_SECRET", Some("abc"), "Dockerfile:5"),
                ("LOG_DIR", None, "Dockerfile:5"),
            ]
        );
        let set: Vec<(&str, &str, &str)> =
            image_env.iter().map(|f| (f.value.0.as_str(), f.value.1.as_str(), f.source.as_str())).collect();
        assert_eq!(set, [("APP_PORT", "5000", "Dockerfile:2"), ("APP_HOST", "0.0.0.0", "Dockerfile:3")], "no secret");
        let derived = fact(words.map(str::to_string).to_vec(), "derived: gunicorn serves the app");
        assert_eq!(command_expansions(&files, &derived).0, [], "ferry's own command is not the app's");
    }
}
