//! An entrypoint script that turns environment variables into a configuration file the app
//! reads (`cat <<EOF >/etc/app/app.cfg` with `SECRET_KEY = "$SECRET_KEY"`, `envsubst`, `sed -i`,
//! `echo ... > file`). The variables reach the app only through that script: a start command
//! that runs the server directly leaves them unread, and the app falls back to the defaults
//! committed with its code (a database under /tmp, a published secret key) without a word.

use std::sync::LazyLock;

use regex::Regex;

use crate::analyze::app_files::AppFiles;
use crate::model::Finding;

static EXPANSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)").expect("valid pattern"));
/// `<<EOF`, `<<-EOF`, `<< "EOF"`: a heredoc and its end word (quoted: nothing expands).
static HEREDOC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"<<-?\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)["']?"#).expect("valid pattern"));
/// `> /etc/app/app.cfg`, `>> "$CONF"`: where a statement writes.
static TARGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?:^|[^0-9&<>])>>?\s*"?([^\s"';|&]+)"#).expect("valid pattern"));

/// A file a script fills from the environment: the script, the line, the file and the names.
#[derive(Debug, PartialEq)]
struct Templated {
    script: String,
    line: usize,
    file: String,
    names: Vec<String>,
}

/// A blocker when the repository's image fills a configuration file from the environment in
/// its entrypoint script and `start` does not run that script, or runs it while the file is
/// in a folder ferry's image cannot write.
pub fn finding(files: &AppFiles, start: &[String]) -> Option<Finding> {
    let started_script = crate::analyze::variables::start_script(files, start);
    let started = started_script.map(|(path, _)| path);
    let scripts = crate::analyze::variables::container_scripts(files, started_script);
    let templated =
        scripts.into_iter().find_map(|(path, text)| templated_files(files, path, text).into_iter().next())?;
    let shown: Vec<&str> = templated.names.iter().take(4).map(String::as_str).collect();
    let more = if templated.names.len() > shown.len() { ", ..." } else { "" };
    let writes = format!(
        "{} writes {} from the environment ({}{more}), and the app reads that file, not the variables",
        templated.script,
        templated.file,
        shown.join(", ")
    );
    let source = format!("{}:{}", templated.script, templated.line);
    let unwritable = unwritable(&templated.file);
    if started == Some(templated.script.as_str()) {
        let folder = unwritable?;
        let message = format!(
            "{writes}: ferry's image runs as uid 1000, which cannot write in {folder}, so the script fails before the server starts"
        );
        let fix = "have the script write the file under /tmp or /app and point the app at it there";
        return Some(Finding::blocker("config-from-entrypoint", message, source).with_fix(fix));
    }
    let message = format!(
        "{writes}: the start command runs the server without the script, so those settings are ignored and the app runs on the defaults committed with its code"
    );
    let fix = match unwritable {
        Some(folder) => format!(
            "start through {} once it writes a file the image's user (uid 1000) can write ({folder} is root's), or ship the settings file with the app and point it at the variables",
            templated.script
        ),
        None => format!(
            "start through {}, which then runs the server, or have the app read the variables itself",
            templated.script
        ),
    };
    Some(Finding::blocker("config-from-entrypoint", message, source).with_fix(fix))
}

/// A folder ferry's image (uid 1000, working directory /app) cannot write in.
fn unwritable(file: &str) -> Option<&str> {
    let absolute = file.starts_with('/');
    let writable = ["/app/", "/tmp/", "/dev/"].iter().any(|folder| file.starts_with(folder));
    (absolute && !writable).then(|| file.rsplit_once('/').map_or(file, |(folder, _)| folder)).filter(|f| !f.is_empty())
}

/// The files `text` fills from the environment, in order: a heredoc into a file, an `echo` or
/// `printf` redirected into one, `sed -i` with an expansion, `envsubst` into one.
fn templated_files(files: &AppFiles, path: &str, text: &str) -> Vec<Templated> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let (number, line) = (index + 1, lines[index].trim());
        index += 1;
        if line.starts_with('#') {
            continue;
        }
        let target = TARGET.captures(line).map(|c| c[1].to_string()).filter(|t| !t.starts_with("/dev/"));
        // `sed -i -e "..." \` names its file on a continuation line.
        let statement = continued(&lines, index - 1);
        let sed_file = (line.starts_with("sed ") && line.contains(" -i"))
            .then(|| statement.split_whitespace().last().map(|file| file.trim_matches('"')))
            .flatten();
        let mut names: Vec<String> = Vec::new();
        let file = if let (Some(heredoc), Some(file)) = (HEREDOC.captures(line), target.clone()) {
            let end = heredoc[2].to_string();
            let body: Vec<&str> = lines[index..].iter().take_while(|l| l.trim() != end).copied().collect();
            index += body.len() + 1;
            if heredoc[1].is_empty() {
                names = body.iter().flat_map(|l| expansions(l)).collect();
            }
            Some(file)
        } else if line.starts_with("envsubst") {
            let template = line.split('<').nth(1).and_then(|t| t.split_whitespace().next()).unwrap_or("");
            let template = files.get(template.trim_matches('"').trim_start_matches("/app/")).unwrap_or("");
            names = expansions(template);
            target
        } else if ["echo ", "printf ", "sed "].iter().any(|w| line.starts_with(w)) {
            names = expansions(line.split('>').next().unwrap_or(line));
            target.or(sed_file.map(str::to_string))
        } else {
            None
        };
        names.dedup();
        names.retain(|name| !own_variable(text, name));
        if let Some(file) = file.filter(|f| !f.contains('$') && !names.is_empty()) {
            found.push(Templated { script: path.to_string(), line: number, file, names });
        }
    }
    found
}

/// Whether the script gives `name` a value of its own (`local port="${HTTP_PORT:-8000}"`,
/// `RUN_USER=$(id -un)`) rather than passing on the environment's (`NAME=${NAME:-x}`).
fn own_variable(text: &str, name: &str) -> bool {
    text.lines().map(str::trim).any(|line| {
        let line = line.strip_prefix("local ").unwrap_or(line);
        line.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('='))
            .is_some_and(|value| !value.contains(&format!("${{{name}")) && !value.contains(&format!("${name}")))
    })
}

/// The statement that starts on line `index`, with its `\`-continued lines joined.
fn continued(lines: &[&str], index: usize) -> String {
    let mut statement = String::new();
    for line in &lines[index..] {
        let line = line.trim();
        match line.strip_suffix('\\') {
            Some(open) => statement.push_str(open),
            None => {
                statement.push_str(line);
                break;
            }
        }
        statement.push(' ');
    }
    statement
}

fn expansions(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for caps in EXPANSION.captures_iter(text) {
        // `\$host` is the generated file's own variable (nginx's), left unexpanded.
        let escaped = caps.get(0).is_some_and(|m| text[..m.start()].ends_with('\\'));
        if !escaped && !names.iter().any(|n| n == &caps[1]) {
            names.push(caps[1].to_string());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    const SCRIPT: &str = "#!/bin/sh\nset -e\ncat <<EOF >/etc/notes/notes.cfg\nSECRET = \"$NOTES_SECRET\"\nDB = \"${NOTES_DB}\"\nEOF\necho \"LEVEL = '$NOTES_LEVEL'\" >> conf/extra.cfg\nexec waitress-serve notes:app\n";

    #[test]
    fn a_heredoc_and_an_echo_into_files() {
        let files = AppFiles::from_pairs([("docker/run.sh", SCRIPT)]);
        let found = templated_files(&files, "docker/run.sh", SCRIPT);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].line, found[0].file.as_str()), (3, "/etc/notes/notes.cfg"));
        assert_eq!(found[0].names, ["NOTES_SECRET", "NOTES_DB"]);
        assert_eq!(
            (found[1].line, found[1].file.as_str(), found[1].names.as_slice()),
            (7, "conf/extra.cfg", &["NOTES_LEVEL".to_string()][..])
        );
        let quoted = "cat <<'EOF' > /etc/x.cfg\nA = $B\nEOF\n";
        assert!(templated_files(&files, "x.sh", quoted).is_empty(), "a quoted heredoc expands nothing");
    }

    #[test]
    fn a_start_command_that_skips_the_script() {
        let files = AppFiles::from_pairs([
            ("Dockerfile", "FROM python:3.12\nCOPY . /src\nENTRYPOINT [\"/src/docker/run.sh\"]\n"),
            ("docker/run.sh", SCRIPT),
        ]);
        let found = finding(&files, &words("gunicorn notes:app")).expect("a blocker");
        assert_eq!((found.kind.as_str(), found.source.as_str()), ("config-from-entrypoint", "docker/run.sh:3"));
        assert!(found.message.contains("/etc/notes/notes.cfg"), "{}", found.message);
        assert!(found.fix.as_deref().is_some_and(|f| f.contains("/etc/notes is root's")), "{:?}", found.fix);
        let through = finding(&files, &words("./docker/run.sh")).expect("the script cannot write /etc");
        assert!(through.message.contains("cannot write in /etc/notes"), "{}", through.message);
        let writable = SCRIPT.replace("/etc/notes/", "/tmp/");
        let files = AppFiles::from_pairs([("docker/run.sh", writable.as_str())]);
        assert!(finding(&files, &words("./docker/run.sh")).is_none(), "the start command runs the script");
    }
}
