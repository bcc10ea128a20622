//! The shell scripts the repository's own container starts through: the one ferry's start
//! command runs, and the `ENTRYPOINT` of the maintainers' Dockerfile (`docker-entrypoint.sh`),
//! which prepares the environment even when it ends in `exec "$@"`. What such a script reads
//! (`$NOTES_PASSWORD`, checked with `[ -z ... ] && exit`) or exports
//! (`export APP_MODE=production`) is configuration the running app depends on.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use crate::analyze::app_files::AppFiles;
use crate::analyze::container_start::dockerfiles;

/// `$NAME` or `${NAME}` (an expansion with an operator is read by `start_script`).
static PLAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))").expect("valid pattern")
});
/// `NAME=`, `export NAME=`, `local NAME=`, `read NAME`, `for NAME in`: the script's own.
static ASSIGNS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s;(])(?:export\s+|local\s+|readonly\s+|declare\s+(?:-\w+\s+)?)?([A-Za-z_][A-Za-z0-9_]*)=|\b(?:read(?:\s+-\w+)*|for)\s+([A-Za-z_][A-Za-z0-9_]*)")
        .expect("valid pattern")
});
/// `export NAME=value` with a plain value: what the script hands the app.
static EXPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"$`]*)"|'([^']*)'|([^\s$`;"']*))\s*(?:#.*)?$"#)
        .expect("valid pattern")
});
/// `[ -z "$NAME" ]`, `test -z "${NAME}"`: a check for an unset variable.
static UNSET_CHECK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"-z\s+"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?"#).expect("valid pattern"));

/// `[ "$PORT" ] || PORT=8080`, `[ -n "$X" ] || X=v`, `[ -z "$X" ] && X=v`: a default the
/// script gives a variable it reads from the environment.
static GIVEN_DEFAULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\[\s*(-[nz]\s+)?"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?\s*\]\s*(\|\||&&)\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"$`]*)"|'([^']*)'|([^\s$`;"']*))"#)
        .expect("valid pattern")
});

/// Variables every shell or container sets: reading them configures nothing.
const PROVIDED: [&str; 14] = [
    "PATH", "HOME", "PWD", "OLDPWD", "USER", "HOSTNAME", "UID", "SHELL", "TERM", "IFS", "RANDOM", "LANG", "HOST",
    "SHLVL",
];

/// The repository's shell scripts the container starts through, with their text: the one
/// `script` gives for the start command, then the maintainers' Dockerfile's entrypoint scripts.
pub fn scripts<'a>(files: &'a AppFiles, started: Option<(&'a str, &'a str)>) -> Vec<(&'a str, &'a str)> {
    let mut found: Vec<(&str, &str)> = started.into_iter().collect();
    let Some((_, dockerfile)) = dockerfiles(files).into_iter().next() else { return found };
    for line in dockerfile.lines().map(str::trim) {
        let upper = line.to_ascii_uppercase();
        if !upper.starts_with("ENTRYPOINT") && !upper.starts_with("CMD") {
            continue;
        }
        let words = line.split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | ',' | '"'));
        // A path to a script of the repository's own (`/opt/app/webapp/supervisord-startup`)
        // counts when its file starts with a shell's `#!` line.
        for word in words.filter(|w| w.ends_with(".sh") || w.contains("entrypoint") || w.contains('/')) {
            let name = word.rsplit('/').next().unwrap_or(word);
            let named = word.ends_with(".sh") || word.contains("entrypoint");
            let script = files.files.iter().find(|(path, text)| {
                let shell = text.lines().next().is_some_and(|first| first.starts_with("#!") && first.ends_with("sh"));
                path.rsplit('/').next() == Some(name)
                    && (path.ends_with(".sh") || (named && text.starts_with("#!")) || shell)
            });
            if let Some((path, text)) = script
                && !found.iter().any(|(p, _)| p == path)
            {
                found.push((path.as_str(), text.as_str()));
            }
        }
    }
    found
}

/// The plain reads and exports of a script: `$NAME` it does not set itself (required when the
/// script stops on `[ -z "$NAME" ]`), and `export NAME=value`.
pub fn plain_reads(path: &str, text: &str) -> Vec<VariableRead> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found: Vec<VariableRead> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if let Some(read) = given_default(line, format!("{path}:{}", index + 1)) {
            found.push(read);
        }
    }
    // A variable the script fills only when unset is still the environment's to set.
    let own = own_assignments(&lines, &found);
    for (index, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let at = format!("{path}:{}", index + 1);
        // Only what runs on every start counts as given: an export or a check inside a
        // function or a `case` branch (`dev_server) export FLASK_DEBUG=1`) runs for one
        // subcommand, indented by convention.
        let top_level = !line.starts_with([' ', '\t']);
        if let Some(caps) = EXPORT.captures(line).filter(|_| top_level) {
            let value = caps.get(2).or(caps.get(3)).or(caps.get(4)).map(|m| m.as_str().to_string());
            found.push(VariableRead::new(&caps[1], at.clone()).with_default(value.filter(|v| !v.is_empty())));
            continue;
        }
        for caps in PLAIN.captures_iter(line) {
            // `\$uri` in a heredoc is the generated file's own variable (nginx's), not the shell's.
            let escaped = caps.get(0).is_some_and(|m| line[..m.start()].ends_with('\\'));
            let name = caps.get(1).or(caps.get(2)).map_or("", |m| m.as_str());
            // The script's own variable, unless the start reads it before giving it a value
            // (`echo "$STRICT_MODE" | grep ...; STRICT_MODE=$?` turns the operator's switch
            // into the script's own).
            // A script that sets it from its arguments (an indented `case` branch) owns it, and a
            // one-line function (`log() { ... }`) reads it whenever it is called.
            let function = line.contains("() {");
            let own_here = own.iter().any(|(o, first)| {
                o == name && (*first <= index || !top_level || function || lines[*first].starts_with([' ', '\t']))
            });
            // `export PYTHONPATH=$APP_DIR:$PYTHONPATH` extends a search path the image may
            // already set: nothing an operator configures.
            let extends_itself = line.contains(&format!("{name}=")) && !line.contains(&format!("${{{name}:"));
            if own_here || escaped || PROVIDED.contains(&name) || extends_itself || found.iter().any(|r| r.name == name)
            {
                continue;
            }
            let required = top_level && stops_when_unset(&lines, index, name);
            found.push(VariableRead::new(name, at.clone()).required(required));
        }
    }
    found
}

/// The variables the script assigns itself (not by `export`, which hands them on), with the
/// line of their first assignment; those it defaults when unset (`found`) stay the
/// environment's.
fn own_assignments(lines: &[&str], found: &[VariableRead]) -> Vec<(String, usize)> {
    let mut own: Vec<(String, usize)> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let names = ASSIGNS
            .captures_iter(line)
            .filter(|c| !c.get(0).is_some_and(|m| m.as_str().trim_start().starts_with("export ")))
            .filter_map(|c| c.get(1).or(c.get(2)).map(|m| m.as_str().to_string()));
        for name in names {
            if !found.iter().any(|r| r.name == name) && !own.iter().any(|(o, _)| *o == name) {
                own.push((name, index));
            }
        }
    }
    own
}

/// `[ "$X" ] || X=value` (or `[ -z "$X" ] && X=value`) on `line`: `X` read, with `value` as
/// its default.
fn given_default(line: &str, at: String) -> Option<VariableRead> {
    let caps = GIVEN_DEFAULT.captures(line)?;
    let unset_test = caps.get(1).is_some_and(|t| t.as_str().starts_with("-z"));
    let fills_when_unset = if unset_test { &caps[3] == "&&" } else { &caps[3] == "||" };
    if caps[2] != caps[4] || !fills_when_unset {
        return None;
    }
    let value = caps.get(5).or(caps.get(6)).or(caps.get(7)).map(|m| m.as_str().to_string());
    Some(VariableRead::new(&caps[2], at).with_default(value.filter(|v| !v.is_empty())))
}

/// Whether line `index` checks `name` for a missing value and the script exits on it within
/// a few lines.
fn stops_when_unset(lines: &[&str], index: usize, name: &str) -> bool {
    let checks = UNSET_CHECK.captures_iter(lines[index]).any(|c| &c[1] == name);
    checks && lines[index..lines.len().min(index + 4)].iter().any(|l| l.contains("exit 1") || l.contains("exit 2"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_an_entrypoint_reads_and_exports() {
        let script = "#!/bin/sh\n[ \"$APP_PORT\" ] || APP_PORT=8080\nexport APP_MODE=production\nexport NOTES_AUTH=\"${NOTES_AUTH:-password}\"\nDATA=/data\nif [ -z \"$NOTES_PASSWORD\" ]; then\n  echo missing >&2\n  exit 1\nfi\necho \"$HOME $DATA $1 ${LOG_LEVEL}\"\ndev() {\n  export DEBUG=1\n}\nfor f in /docker-entrypoint.d/*; do . \"$f\"; done\nexport PYTHONPATH=/app:$PYTHONPATH\nexec \"$@\"\n";
        let found: Vec<(String, Option<String>, bool, String)> = plain_reads("docker-entrypoint.sh", script)
            .into_iter()
            .map(|r| (r.name, r.default, r.required, r.source))
            .collect();
        assert_eq!(
            found,
            [
                ("APP_PORT".into(), Some("8080".into()), false, "docker-entrypoint.sh:2".into()),
                ("APP_MODE".into(), Some("production".into()), false, "docker-entrypoint.sh:3".into()),
                ("NOTES_PASSWORD".into(), None, true, "docker-entrypoint.sh:6".into()),
                ("LOG_LEVEL".into(), None, false, "docker-entrypoint.sh:10".into()),
            ]
        );
        let files = AppFiles::from_pairs([
            (
                "Dockerfile",
                "FROM node:20\nCOPY docker/docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"node\", \"server.js\"]\n",
            ),
            ("docker/docker-entrypoint.sh", script),
        ]);
        let paths: Vec<&str> = scripts(&files, None).into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["docker/docker-entrypoint.sh"]);
    }
}
