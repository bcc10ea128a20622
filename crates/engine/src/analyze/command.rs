//! A start command taken from the instance, made fit for the container: it listens on every
//! interface on the service's port, and names no path that only the instance has.

use crate::model::Finding;

/// Options whose value is a log file: in a container, logs go to stdout (`-`).
const LOG_FILE_OPTIONS: [&str; 3] = ["--access-logfile", "--error-logfile", "--log-file"];
/// Options whose value is an instance path the image does not have: dropped with their value.
const HOST_PATH_OPTIONS: [&str; 3] = ["--chdir", "--pythonpath", "--pid"];

/// Rewrites `command` for the container; each change is an info finding naming `source`.
pub fn fit_for_container(command: Vec<String>, source: &str, findings: &mut Vec<Finding>) -> Vec<String> {
    let mut fitted: Vec<String> = Vec::with_capacity(command.len());
    let mut changes: Vec<String> = Vec::new();
    let mut words = command.into_iter().peekable();
    while let Some(word) = words.next() {
        let (flag, inline) = match word.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_string(), Some(value.to_string())),
            _ => (word.clone(), None),
        };
        let takes_value = LOG_FILE_OPTIONS.contains(&flag.as_str()) || HOST_PATH_OPTIONS.contains(&flag.as_str());
        if takes_value {
            let was_inline = inline.is_some();
            let value = match inline {
                Some(value) => Some(value),
                None => words.next(),
            };
            let value = value.unwrap_or_default();
            let outside_app = value.starts_with('/') && !value.starts_with("/app");
            if LOG_FILE_OPTIONS.contains(&flag.as_str()) && outside_app {
                changes.push(format!("{flag} {value} → {flag} - (logs to stdout)"));
                fitted.extend([flag, "-".into()]);
            } else if HOST_PATH_OPTIONS.contains(&flag.as_str()) && outside_app {
                changes.push(format!("{flag} {value} dropped (an instance path)"));
            } else if was_inline {
                fitted.push(word);
            } else {
                fitted.extend([flag, value]);
            }
            continue;
        }
        match rebind(&word) {
            Some(rebound) => {
                changes.push(format!("{word} → {rebound}"));
                fitted.push(rebound);
            }
            None => fitted.push(word),
        }
    }
    if !changes.is_empty() {
        findings.push(Finding::info(
            "command-adapted",
            format!("the instance's command is adapted for the container: {}", changes.join("; ")),
            source,
        ));
    }
    fitted
}

/// Servers that listen on loopback unless told otherwise get told: gunicorn (127.0.0.1:8000),
/// uvicorn and `flask run` (127.0.0.1). Each addition is a finding naming `source`.
pub fn bind_every_interface(mut command: Vec<String>, source: &str, findings: &mut Vec<Finding>) -> Vec<String> {
    let program = command.first().map(|p| p.rsplit('/').next().unwrap_or(p).to_string()).unwrap_or_default();
    let has =
        |options: &[&str]| command.iter().any(|w| options.iter().any(|o| w == o || w.starts_with(&format!("{o}="))));
    let (added, default): (Vec<&str>, &str) = match program.as_str() {
        "gunicorn" if !has(&["-b", "--bind"]) => (vec!["--bind", "0.0.0.0:$PORT"], "127.0.0.1:8000"),
        "uvicorn" if !has(&["--host"]) => {
            let mut added = vec!["--host", "0.0.0.0"];
            if !has(&["--port"]) {
                added.extend(["--port", "$PORT"]);
            }
            (added, "127.0.0.1:8000")
        }
        "flask" if command.get(1).is_some_and(|w| w == "run") && !has(&["-h", "--host"]) => {
            let mut added = vec!["--host", "0.0.0.0"];
            if !has(&["-p", "--port"]) {
                added.extend(["--port", "$PORT"]);
            }
            (added, "127.0.0.1:5000")
        }
        _ => return command,
    };
    let at = if program == "flask" { 2 } else { 1 };
    findings.push(
        Finding::warning(
            "loopback-bind",
            format!("{program} listens on {default} unless told otherwise: the load balancer could not reach it"),
            source,
        )
        .with_fix(format!("the container command adds `{}`", added.join(" "))),
    );
    command.splice(at.min(command.len())..at.min(command.len()), added.into_iter().map(str::to_string));
    command
}

/// A loopback or unix-socket listen address as the one the load balancer reaches: the whole
/// word must be the address (`127.0.0.1:8000`, `--bind=localhost:8000`, `unix:/run/x.sock`), so
/// a database URL that mentions localhost is left alone.
fn rebind(word: &str) -> Option<String> {
    let (prefix, address) = match word.split_once('=') {
        Some((flag, address)) if flag.starts_with('-') => (format!("{flag}="), address),
        _ => (String::new(), word),
    };
    let host = match address.rsplit_once(':') {
        _ if address.starts_with("unix:") => return Some(format!("{prefix}0.0.0.0:$PORT")),
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) && !port.is_empty() => host,
        _ => address,
    };
    match host {
        "127.0.0.1" | "localhost" if host == address => Some(format!("{prefix}0.0.0.0")),
        "127.0.0.1" | "localhost" => Some(format!("{prefix}0.0.0.0:$PORT")),
        _ => None,
    }
}

/// Python project runners that only put the project's virtual environment on `PATH`
/// (`poetry run uvicorn ...`): ferry's image has that environment on `PATH` already, and not
/// the runner, so the command runs without it.
const PYTHON_RUNNERS: [&str; 5] = ["poetry", "uv", "pipenv", "pdm", "hatch"];

/// Runner options that take the next word as their value (`uv run --with httpx`,
/// `poetry run -C api`): dropped with the runner, so the value is not taken for the command.
const RUNNER_VALUE_OPTIONS: [&str; 16] = [
    "--with",
    "--with-editable",
    "--with-requirements",
    "--env-file",
    "--directory",
    "--project",
    "--python",
    "-p",
    "--extra",
    "--group",
    "--only-group",
    "--no-group",
    "--package",
    "--index",
    "-C",
    "-P",
];

/// The command without a Python project runner in front, said as a finding when one goes.
pub fn without_project_runner(command: Vec<String>, source: &str, findings: &mut Vec<Finding>) -> Vec<String> {
    match command.as_slice() {
        [runner, run, rest @ ..] if PYTHON_RUNNERS.contains(&runner.as_str()) && run == "run" => {
            let Some(rest) = after_runner_options(rest) else { return command };
            findings.push(Finding::info(
                "start-adjusted",
                format!(
                    "`{runner} run` dropped from the start command: the image puts the virtual environment on PATH"
                ),
                source.to_string(),
            ));
            rest
        }
        _ => command,
    }
}

/// What the runner runs: the words after its own options (`--no-dev --locked --`), since
/// a runner's flags are no command; `-m module` runs the module with the environment's Python.
/// None when nothing is left to run.
fn after_runner_options(words: &[String]) -> Option<Vec<String>> {
    let mut at = 0;
    while let Some(word) = words.get(at) {
        match word.as_str() {
            "--" => return non_empty(&words[at + 1..]),
            "-m" | "--module" => {
                let module = non_empty(&words[at + 1..])?;
                return Some(["python", "-m"].iter().map(|w| w.to_string()).chain(module).collect());
            }
            option if RUNNER_VALUE_OPTIONS.contains(&option) => at += 2,
            option if option.starts_with('-') => at += 1,
            _ => return non_empty(&words[at..]),
        }
    }
    None
}

fn non_empty(words: &[String]) -> Option<Vec<String>> {
    (!words.is_empty()).then(|| words.to_vec())
}

/// The port a server's command line tells it to listen on: `--port 8000`, `-p 8000`,
/// `--bind 0.0.0.0:8000`, `-b :8000`, uwsgi's `--http :9090`, waitress's `--listen=*:8080`.
pub fn explicit_port(command: &[String]) -> Option<u16> {
    let mut words = command.iter().skip(1).peekable();
    while let Some(word) = words.next() {
        let (flag, inline) = match word.split_once('=') {
            Some((flag, value)) if flag.starts_with('-') => (flag, Some(value.to_string())),
            _ => (word.as_str(), None),
        };
        let address = matches!(flag, "-b" | "--bind" | "--http" | "--http-socket" | "--listen");
        if !(address || matches!(flag, "--port" | "-p")) {
            continue;
        }
        let value = match inline {
            Some(value) => value,
            None => words.next()?.clone(),
        };
        let port = if address { value.rsplit_once(':').map_or("", |(_, port)| port) } else { value.as_str() };
        return port.parse().ok();
    }
    None
}

/// Changes the port the command names (as `explicit_port` reads it) to `port`; false when it
/// names none.
pub fn set_port(command: &mut [String], port: u16) -> bool {
    let mut index = 1;
    while index < command.len() {
        let word = command[index].clone();
        let (flag, inline) = match word.split_once('=') {
            Some((flag, value)) if flag.starts_with('-') => (flag.to_string(), Some(value.to_string())),
            _ => (word.clone(), None),
        };
        let address = matches!(flag.as_str(), "-b" | "--bind" | "--http" | "--http-socket" | "--listen");
        if !(address || matches!(flag.as_str(), "--port" | "-p")) {
            index += 1;
            continue;
        }
        let (at, value) = match inline {
            Some(value) => (index, value),
            None if index + 1 < command.len() => (index + 1, command[index + 1].clone()),
            None => return false,
        };
        let new_value = match (address, value.rsplit_once(':')) {
            (true, Some((host, _))) => format!("{host}:{port}"),
            (true, None) => return false,
            (false, _) => port.to_string(),
        };
        command[at] = if at == index { format!("{flag}={new_value}") } else { new_value };
        return true;
    }
    false
}

/// Adds `-Dserver.port=PORT` before `-jar` in a `java ... -jar app.jar` command: Spring Boot
/// takes a system property over its settings files. False for any other command.
pub fn set_jar_server_port(command: &mut Vec<String>, port: u16) -> bool {
    let java = command.first().is_some_and(|program| program.rsplit('/').next() == Some("java"));
    if !java {
        return false;
    }
    command.retain(|word| !word.starts_with("-Dserver.port="));
    let Some(jar) = command.iter().position(|word| word == "-jar") else { return false };
    command.insert(jar, format!("-Dserver.port={port}"));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spring_jar_listens_where_a_system_property_says() {
        let mut command: Vec<String> =
            ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"].map(String::from).into();
        assert!(set_jar_server_port(&mut command, 8080));
        assert_eq!(command, ["java", "-XX:MaxRAMPercentage=75", "-Dserver.port=8080", "-jar", "/app/app.jar"]);
        let mut node: Vec<String> = ["node", "server.js"].map(String::from).into();
        assert!(!set_jar_server_port(&mut node, 8080));
    }

    #[test]
    fn the_port_a_server_command_names() {
        let words = |line: &str| line.split(' ').map(String::from).collect::<Vec<_>>();
        assert_eq!(explicit_port(&words("granian --interface wsgi --port 8000 app:app")), Some(8000));
        assert_eq!(explicit_port(&words("gunicorn -b :5000 app:app")), Some(5000));
        assert_eq!(explicit_port(&words("uvicorn app:app --port=8080")), Some(8080));
        assert_eq!(explicit_port(&words("uwsgi --http 0.0.0.0:9090 uwsgi.ini")), Some(9090));
        assert_eq!(explicit_port(&words("waitress-serve --listen=*:8080 app:app")), Some(8080));
        assert_eq!(explicit_port(&words("node server.js")), None);
        assert_eq!(explicit_port(&words("gunicorn --bind 0.0.0.0:$PORT app:app")), None);
    }

    #[test]
    fn the_port_a_command_names_is_changed_in_place() {
        let moved = |line: &str| {
            let mut command: Vec<String> = line.split(' ').map(String::from).collect();
            let changed = set_port(&mut command, 8080);
            (changed, command.join(" "))
        };
        assert_eq!(
            moved("gunicorn -b 0.0.0.0:80 app:app -k gevent"),
            (true, "gunicorn -b 0.0.0.0:8080 app:app -k gevent".into())
        );
        assert_eq!(moved("uvicorn app:app --port=80"), (true, "uvicorn app:app --port=8080".into()));
        assert_eq!(
            moved("waitress-serve --listen=*:80 app:app"),
            (true, "waitress-serve --listen=*:8080 app:app".into())
        );
        assert_eq!(moved("node server.js"), (false, "node server.js".into()));
    }

    fn fit(line: &str) -> String {
        let words = line.split_whitespace().map(String::from).collect();
        fit_for_container(words, "user data line 3", &mut Vec::new()).join(" ")
    }

    #[test]
    fn gunicorn_behind_nginx_becomes_a_container_command() {
        assert_eq!(
            fit(
                "gunicorn --chdir /opt/app --access-logfile /var/log/gunicorn/access.log --bind 127.0.0.1:8000 shop.wsgi"
            ),
            "gunicorn --access-logfile - --bind 0.0.0.0:$PORT shop.wsgi"
        );
        assert_eq!(
            fit("gunicorn --bind unix:/run/shop.sock --pid=/run/g.pid app:app"),
            "gunicorn --bind 0.0.0.0:$PORT app:app"
        );
        assert_eq!(fit("uvicorn main:app --host 127.0.0.1 --port 8000"), "uvicorn main:app --host 0.0.0.0 --port 8000");
        assert_eq!(fit("gunicorn --bind=localhost:5000 app:app"), "gunicorn --bind=0.0.0.0:$PORT app:app");
    }

    #[test]
    fn servers_that_default_to_loopback_are_bound_to_every_interface() {
        let bind = |line: &str| {
            let words = line.split_whitespace().map(String::from).collect();
            let mut findings = Vec::new();
            let bound = bind_every_interface(words, "Procfile line 1", &mut findings).join(" ");
            (bound, findings.len())
        };
        assert_eq!(bind("gunicorn microblog:app"), ("gunicorn --bind 0.0.0.0:$PORT microblog:app".into(), 1));
        assert_eq!(bind("gunicorn -b :8000 app:app"), ("gunicorn -b :8000 app:app".into(), 0));
        assert_eq!(bind("uvicorn main:app"), ("uvicorn --host 0.0.0.0 --port $PORT main:app".into(), 1));
        assert_eq!(bind("flask run"), ("flask run --host 0.0.0.0 --port $PORT".into(), 1));
        assert_eq!(bind("node server.js"), ("node server.js".into(), 0));
    }

    #[test]
    fn a_runner_goes_with_its_own_options() {
        let drop = |line: &str| {
            let words = line.split_whitespace().map(String::from).collect();
            without_project_runner(words, "Dockerfile:3", &mut Vec::new()).join(" ")
        };
        assert_eq!(drop("uv run --no-dev --locked -- gunicorn app:app"), "gunicorn app:app");
        assert_eq!(drop("uv run --with httpx --frozen uvicorn main:app"), "uvicorn main:app");
        assert_eq!(drop("poetry run -C api gunicorn app:app --workers 2"), "gunicorn app:app --workers 2");
        assert_eq!(drop("pipenv run python app.py"), "python app.py");
        assert_eq!(drop("uv run -m flask run"), "python -m flask run");
        assert_eq!(drop("uv run --locked"), "uv run --locked");
    }

    #[test]
    fn addresses_inside_other_values_are_left_alone() {
        let line = "java -jar app.jar --spring.datasource.url=jdbc:postgresql://localhost:5432/shop --chdir=/app/x";
        assert_eq!(fit(line), line);
    }
}
