//! supervisord as an image's command (`supervisord -c supervisord.conf`): ferry's image has no
//! supervisord, and a task runs one process. The config's programs say what really runs: the
//! one that serves HTTP is the start command (with its port), every other one is a worker that
//! needs a service of its own.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact, shell_words};
use crate::model::Finding;

/// Programs that serve HTTP: a supervised program running one of them is the web process.
const SERVERS: [&str; 8] =
    ["uvicorn", "gunicorn", "hypercorn", "daphne", "granian", "waitress-serve", "uwsgi", "fastapi"];

/// Config files supervisord reads when told none, as the repository holds them.
const DEFAULT_CONFIGS: [&str; 3] = ["supervisord.conf", "etc/supervisord.conf", "supervisor/supervisord.conf"];

/// What the source of a start taken from a supervised program says after its config's line.
const MARK: &str = "] of supervisord";

/// One `[program:NAME]` of the config: its name, `command=` line number and words.
struct Program {
    name: String,
    line: usize,
    words: Vec<String>,
}

/// The HTTP-serving program of the config `command` runs supervisord with, as the start.
pub fn server_program(files: &AppFiles, command: &[String], run_by: &str) -> Option<Fact<Vec<String>>> {
    let (config, programs) = programs_run_by(files, command)?;
    let server = programs.into_iter().find(|program| serves_http(&program.words))?;
    let source = format!("{config}:{} ([program:{}{MARK}, run by {run_by})", server.line, server.name);
    Some(fact(server.words, source))
}

/// The config's other programs, when `start` is one supervised program: each runs beside the
/// server in the maintainers' image and needs its own service here.
pub fn other_programs(files: &AppFiles, start: &Fact<Vec<String>>) -> Vec<Finding> {
    let Some((at, _)) = start.source.split_once(" ([program:").filter(|_| start.source.contains(MARK)) else {
        return Vec::new();
    };
    let Some((config, _)) = at.rsplit_once(':') else { return Vec::new() };
    let folder = config.rsplit_once('/').map_or("", |(folder, _)| folder);
    let beside = |path: &str| path.rsplit_once('/').map_or("", |(folder, _)| folder) == folder;
    // The config's own programs, and those of its sibling files the image includes with it.
    let programs: Vec<(&str, Program)> = program_files(files)
        .filter(|(path, _)| *path == config || beside(path))
        .flat_map(|(path, programs)| programs.into_iter().map(move |program| (path, program)))
        .collect();
    programs
        .into_iter()
        .filter(|(_, program)| {
            program.words != start.value && !serves_http(&program.words) && !is_proxy(&program.words)
        })
        .map(|(config, program)| {
            Finding::warning(
                "worker-process",
                format!(
                    "supervisord runs a second process ({}): a task runs one; give it its own service",
                    program.name
                ),
                format!("{config}:{}", program.line),
            )
        })
        .collect()
}

/// The repository's config `command` (`supervisord -c /etc/supervisor/app.conf`) reads, and
/// its programs; `None` unless the command runs supervisord.
fn programs_run_by<'a>(files: &'a AppFiles, command: &[String]) -> Option<(&'a str, Vec<Program>)> {
    let program = command.first()?;
    if program.rsplit('/').next() != Some("supervisord") {
        return None;
    }
    let named = command.iter().enumerate().find_map(|(at, word)| match word.as_str() {
        "-c" | "--configuration" => command.get(at + 1).cloned(),
        _ => word.strip_prefix("--configuration=").map(str::to_string),
    });
    let config = match named {
        Some(path) => in_repository(files, &path)?,
        None => match DEFAULT_CONFIGS.iter().find_map(|path| files.files.get_key_value(*path).map(|(p, _)| p.as_str()))
        {
            Some(config) => config,
            // The image copies its programs into supervisord's own include folder
            // (`conf.d/gunicorn.conf`): the repository's file that runs a server is the one.
            None => program_files(files).find(|(_, programs)| programs.iter().any(|p| serves_http(&p.words)))?.0,
        },
    };
    Some((config, programs(files.get(config)?)))
}

/// The repository's supervisord program files (`[program:NAME]` sections), each with its
/// programs.
fn program_files(files: &AppFiles) -> impl Iterator<Item = (&str, Vec<Program>)> {
    files
        .files
        .iter()
        .filter(|(path, text)| (path.ends_with(".conf") || path.ends_with(".ini")) && text.contains("[program:"))
        .map(|(path, text)| (path.as_str(), programs(text)))
}

/// The config's path in the repository: as written, else the shallowest file of its name (the
/// image copies it to `/etc/supervisor/conf.d/`).
fn in_repository<'a>(files: &'a AppFiles, path: &str) -> Option<&'a str> {
    let bare = path.trim_start_matches("./").trim_start_matches('/');
    if let Some((found, _)) = files.files.get_key_value(bare) {
        return Some(found.as_str());
    }
    let name = bare.rsplit('/').next()?;
    files
        .files
        .keys()
        .filter(|p| p.rsplit('/').next() == Some(name))
        .min_by_key(|p| (p.matches('/').count(), p.len()))
        .map(String::as_str)
}

/// Each `[program:NAME]` section with a `command=`, in the file's order.
fn programs(text: &str) -> Vec<Program> {
    let mut found = Vec::new();
    let mut section: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.strip_prefix("[program:").and_then(|rest| rest.strip_suffix(']')).map(str::to_string);
            continue;
        }
        let (Some(name), Some(value)) = (section.as_ref(), line.strip_prefix("command")) else { continue };
        let Some(value) = value.trim_start().strip_prefix('=') else { continue };
        if let Some(words) = command_of(value.trim()) {
            found.push(Program { name: name.clone(), line: index + 1, words });
        }
    }
    found
}

/// Options that place a server in the maintainers' image: its user and folder. ferry's image
/// runs as its own user in /app.
const IMAGE_PLACEMENT: [&str; 3] = ["--user", "--group", "--chdir"];

/// A program's command as exec words: supervisord's `%(ENV_HOST)s` given as a host is every
/// interface (the container's listen address); any other one is the variable, for a shell.
/// A server run by its path in the image's virtualenv (`/srv/venv/bin/gunicorn`) runs by name.
fn command_of(value: &str) -> Option<Vec<String>> {
    let mut words = shell_words(value)?;
    if let Some(program) = words.first_mut()
        && let Some((_, name)) = program.rsplit_once('/')
        && SERVERS.contains(&name)
    {
        *program = name.to_string();
    }
    if words.first().is_some_and(|program| SERVERS.contains(&program.as_str())) {
        let mut kept = Vec::new();
        let mut rest = words.into_iter();
        while let Some(word) = rest.next() {
            if IMAGE_PLACEMENT.contains(&word.as_str()) {
                rest.next();
            } else if !IMAGE_PLACEMENT.iter().any(|option| word.starts_with(&format!("{option}="))) {
                kept.push(word);
            }
        }
        words = kept;
    }
    for at in 1..words.len() {
        let host = matches!(words[at - 1].as_str(), "--host" | "-h" | "--bind" | "-b");
        if host
            && words[at].starts_with("%(ENV_")
            && let Some(end) = words[at].find(")s")
        {
            words[at] = format!("0.0.0.0{}", &words[at][end + 2..]);
        }
    }
    if words.iter().any(|w| w.contains("%(ENV_")) {
        let line = words.join(" ");
        return Some(vec!["sh".into(), "-c".into(), environment_references(&line)]);
    }
    Some(words)
}

/// `%(ENV_NAME)s` → `${NAME}`.
fn environment_references(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("%(ENV_") {
        let Some(end) = rest[start..].find(")s") else { break };
        out.push_str(&rest[..start]);
        out.push_str(&format!("${{{}}}", &rest[start + 6..start + end]));
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}

/// A reverse proxy in front of the server (nginx): the load balancer takes its place.
fn is_proxy(words: &[String]) -> bool {
    words.first().is_some_and(|program| {
        matches!(program.rsplit('/').next(), Some("nginx" | "caddy" | "httpd" | "apache2" | "haproxy" | "traefik"))
    })
}

/// Whether a program's words run an HTTP server, directly or through `sh -c "…"`.
fn serves_http(words: &[String]) -> bool {
    let inner: Vec<String> = match words {
        [shell, flag, line] if flag == "-c" && matches!(shell.as_str(), "sh" | "bash") => {
            shell_words(line).unwrap_or_default()
        }
        _ => words.to_vec(),
    };
    inner.iter().any(|w| SERVERS.contains(&w.rsplit('/').next().unwrap_or(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "[supervisord]\nnodaemon=true\n\n[program:jobs]\ncommand=python -m jobs.consume\n\n[program:web]\ncommand=gunicorn shop.wsgi:application --bind %(ENV_BIND_HOST)s:7010\n";

    #[test]
    fn a_script_that_ends_in_supervisord_runs_the_included_programs_server() {
        let files = AppFiles::from_pairs([
            (
                "deploy/supervisord/supervisord-gunicorn.conf",
                "[program:gunicorn]\ncommand=/home/site/bin/gunicorn cms.wsgi:application --workers=2 --bind=127.0.0.1:9000 --user=www-data --group=www-data --chdir=/home/site/app\n",
            ),
            ("deploy/supervisord/supervisord-celery.conf", "[program:celery]\ncommand=celery -A cms worker\n"),
            (
                "deploy/supervisord/supervisord-nginx.conf",
                "[program:nginx]\ncommand=/usr/sbin/nginx -g 'daemon off;'\n",
            ),
        ]);
        let command: Vec<String> = vec!["/usr/bin/supervisord".into()];
        let start = server_program(&files, &command, "deploy/start.sh:17").unwrap();
        assert_eq!(start.value, ["gunicorn", "cms.wsgi:application", "--workers=2", "--bind=127.0.0.1:9000"]);
        let workers = other_programs(&files, &start);
        assert_eq!(
            workers.iter().map(|w| w.source.as_str()).collect::<Vec<_>>(),
            ["deploy/supervisord/supervisord-celery.conf:2"]
        );
    }

    #[test]
    fn the_program_serving_http_is_the_start_and_the_others_workers() {
        let files = AppFiles::from_pairs([("deploy/supervisord.conf", CONFIG)]);
        let command: Vec<String> = ["supervisord", "-c", "/etc/supervisor/supervisord.conf"].map(String::from).to_vec();
        let start = server_program(&files, &command, "Dockerfile:9").unwrap();
        assert_eq!(start.value, ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:7010"]);
        assert!(start.source.starts_with("deploy/supervisord.conf:8 ([program:web"), "{}", start.source);
        let workers = other_programs(&files, &start);
        assert_eq!(workers.len(), 1);
        assert_eq!(workers[0].source, "deploy/supervisord.conf:5");
    }
}
