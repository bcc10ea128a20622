//! Variables a launcher's own configuration reads, not the code: uWSGI's ini file
//! (`http-socket=:$(PORT)`) when the start command runs uwsgi with it, and logback's
//! `${LOG_HOME:-/data/applogs}`, which logback fills from the environment when no property
//! of that name is defined.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

/// `$(PORT)` in a uWSGI option: the environment variable of that name.
static UWSGI_ENV: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)").expect("valid pattern"));
/// `${LOG_HOME}` or `${LOG_HOME:-/data/applogs}` in logback's XML.
static LOGBACK_ENV: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\{([A-Z][A-Z0-9_]*)(?::-([^}]*))?\}").expect("valid pattern"));

/// The files that say how the app starts: a Dockerfile, a Procfile, a shell script.
fn start_files(files: &AppFiles) -> impl Iterator<Item = &str> {
    files.files.iter().filter_map(|(path, text)| {
        let name = path.rsplit('/').next().unwrap_or(path);
        (name.starts_with("Dockerfile") || name == "Procfile" || name.ends_with(".sh")).then_some(text.as_str())
    })
}

/// Each `$(NAME)` of a uWSGI ini file a start command runs (`uwsgi /code/etc/uwsgi.ini`).
pub fn uwsgi_reads(files: &AppFiles) -> Vec<VariableRead> {
    let mut found = Vec::new();
    for (path, text) in files.with_extensions(&["ini"]).filter(|(path, _)| !is_test_path(path)) {
        let name = path.rsplit('/').next().unwrap_or(path);
        let run = start_files(files).any(|start| start.lines().any(|l| l.contains("uwsgi") && l.contains(name)));
        if !text.contains("[uwsgi]") || !run {
            continue;
        }
        for (index, line) in text.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with(['#', ';'])) {
            for captures in UWSGI_ENV.captures_iter(line) {
                found.push(VariableRead::new(&captures[1], format!("{path}:{}", index + 1)));
            }
        }
    }
    found
}

/// Each `${NAME}` of a logback configuration that no `<property name="NAME">` defines, with
/// its `:-` default.
pub fn logback_reads(files: &AppFiles) -> Vec<VariableRead> {
    let mut found = Vec::new();
    for (path, text) in files.with_extensions(&["xml"]).filter(|(path, _)| !is_test_path(path)) {
        let name = path.rsplit('/').next().unwrap_or(path);
        if !name.starts_with("logback") || !text.contains("<configuration") {
            continue;
        }
        for (index, line) in text.lines().enumerate() {
            for captures in LOGBACK_ENV.captures_iter(line) {
                let defined = text.contains(&format!("name=\"{}\"", &captures[1]));
                if !defined {
                    let default = captures.get(2).map(|d| d.as_str().to_string());
                    found.push(VariableRead::new(&captures[1], format!("{path}:{}", index + 1)).with_default(default));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uwsgi_ini_the_start_command_runs() {
        let files = AppFiles::from_pairs([
            ("etc/uwsgi.ini", "[uwsgi]\nhttp-socket=:$(PORT)\nvirtualenv=$(VIRTUAL_ENV)\n"),
            ("Dockerfile", "FROM python:3.12\nCMD [\"uwsgi\", \"/code/etc/uwsgi.ini\"]\n"),
            ("etc/other.ini", "[uwsgi]\nhttp-socket=:$(OTHER_PORT)\n"),
        ]);
        let names: Vec<(String, String)> = uwsgi_reads(&files).into_iter().map(|r| (r.name, r.source)).collect();
        assert_eq!(
            names,
            [
                ("PORT".to_string(), "etc/uwsgi.ini:2".to_string()),
                ("VIRTUAL_ENV".to_string(), "etc/uwsgi.ini:3".to_string())
            ]
        );
    }

    #[test]
    fn logback_reads_what_no_property_defines() {
        let xml = "<configuration>\n  <property name=\"log.path\" value=\"${LOG_HOME:-/data/logs}/app.log\" />\n  <property name=\"APP_NAME\" value=\"desk\" />\n  <file>${APP_NAME}.log</file>\n</configuration>\n";
        let files = AppFiles::from_pairs([("src/main/resources/logback.xml", xml)]);
        let reads = logback_reads(&files);
        assert_eq!(reads.len(), 1);
        assert_eq!((reads[0].name.as_str(), reads[0].default.as_deref()), ("LOG_HOME", Some("/data/logs")));
    }
}
