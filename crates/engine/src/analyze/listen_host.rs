//! A bare `HOST` variable on loopback is only a warning: it may name the app in its own links.
//! When the setting it fills is handed to the server's listen call
//! (`server.listen(config.site.port, config.site.host)`), it is where the server binds, and the
//! warning becomes a blocker.

use super::app_files::AppFiles;
use super::source::is_test_path;
use crate::model::{Finding, FindingLevel};

const CODE: [&str; 8] = ["js", "mjs", "cjs", "ts", "py", "go", "java", "kt"];
const LISTEN_CALLS: [&str; 4] = ["listen(", "ListenAndServe(", ".run(", "serve("];

/// Servers whose command line sets where they listen, overriding whatever the app's settings
/// say: `gunicorn --bind 0.0.0.0:8000`, `uvicorn --host 0.0.0.0`.
const BINDING_SERVERS: [&str; 8] =
    ["gunicorn", "uvicorn", "granian", "hypercorn", "daphne", "waitress-serve", "uwsgi", "flask"];

/// Whether the start command runs a server it binds to every interface itself: then a host
/// setting the app's code defaults to loopback (for its development server, or its links)
/// does not decide where the task listens.
pub fn bound_by_command(start: &[String]) -> bool {
    let program = start.first().map(|p| p.rsplit('/').next().unwrap_or(p)).unwrap_or_default();
    let every_interface = start.iter().any(|w| w.contains("0.0.0.0") || w.contains("[::]"));
    BINDING_SERVERS.contains(&program) && every_interface
}

/// Raises each loopback warning (of `findings[from..]`) whose setting reaches a listen call in
/// `files`, and drops the ones whose setting the app's own listen calls never name: a `HOST`
/// that only builds the app's links is no bind. Without a listen call in the code (a framework
/// listens for it) the warning stays, as nothing says where it binds.
pub fn confirm(files: &AppFiles, findings: &mut Vec<Finding>, from: usize) {
    let listens = has_listen_call(files);
    let mut judged = findings.split_off(from.min(findings.len()));
    judged.retain_mut(|finding| {
        // `http://${process.env.HOST || 'localhost'}:...`: an address the app calls, not one it
        // binds (the listen call may take the same variable without that default).
        if finding.kind == "loopback-bind" && builds_url(files, &finding.source) {
            return false;
        }
        if finding.kind != "loopback-bind" || finding.level != FindingLevel::Warning {
            return true;
        }
        let Some(key) = setting_at(files, &finding.source) else { return true };
        match listen_with(files, &key) {
            Some(at) => {
                finding.level = FindingLevel::Blocker;
                finding.message = format!("{}; the server listens on it ({at})", finding.message);
                true
            }
            None => !listens,
        }
    });
    findings.extend(judged);
}

/// Whether the app's code calls a server's listen itself.
fn has_listen_call(files: &AppFiles) -> bool {
    files
        .with_extensions(&CODE)
        .filter(|(path, _)| !is_test_path(path))
        .any(|(_, text)| text.lines().any(|line| LISTEN_CALLS.iter().any(|call| line.contains(call))))
}

/// Where the server listens on the setting read at `source`, when it does: a bare `HOST` the
/// code hands to its listen call is the listen address.
pub fn listened_on(files: &AppFiles, source: &str) -> Option<String> {
    listen_with(files, &setting_at(files, source)?)
}

/// Whether the read at `path:line` is a host the app connects to: the line builds a URL
/// around it, or the name it is stored under goes into a URL in the same file
/// (`f"ws://{address}/rpc"`). Such a host is never where the server listens.
pub fn builds_url(files: &AppFiles, source: &str) -> bool {
    let Some((path, line)) = source.rsplit_once(':') else { return false };
    let Some(text) = files.get(path) else { return false };
    let Some(read) = line.parse::<usize>().ok().and_then(|n| text.lines().nth(n.checked_sub(1)?)) else {
        return false;
    };
    if read.contains("://") {
        return true;
    }
    let Some(key) = setting_at(files, source) else { return false };
    // A log line's `Listening on http://${host}:${port}` tells where the server is.
    let logs = |l: &str| ["console.", "log.", "logger.", "print(", "Printf(", "info("].iter().any(|w| l.contains(w));
    text.lines().filter(|l| !l.contains(read.trim()) && !logs(l)).any(|l| {
        l.match_indices("://").any(|(at, _)| {
            let target = l[at + 3..].split(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '`').next();
            target.is_some_and(|t| t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|w| w == key))
        })
    })
}

/// The name the read at `path:line` is stored under: `host` in `host: process.env.HOST || ...`,
/// `HOST` in `HOST = os.getenv(...)`, `host` in `const host = ...`.
fn setting_at(files: &AppFiles, source: &str) -> Option<String> {
    let (path, line) = source.rsplit_once(':')?;
    let text = files.get(path)?.lines().nth(line.parse::<usize>().ok()?.checked_sub(1)?)?;
    let head = text.split(['=', ':']).next()?.trim();
    let name = head.rsplit(' ').next()?.trim_matches(['"', '\'']);
    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    plain.then(|| name.to_string())
}

/// The first listen call whose arguments name `key` as a whole word, as `path:line`.
fn listen_with(files: &AppFiles, key: &str) -> Option<String> {
    let code = files.with_extensions(&CODE).filter(|(path, _)| !is_test_path(path));
    for (path, text) in code {
        for (index, line) in text.lines().enumerate() {
            let Some(arguments) = LISTEN_CALLS.iter().find_map(|call| line.split_once(call).map(|(_, rest)| rest))
            else {
                continue;
            };
            // A schema's `HOST` reaches the call as `config.server.host`: the word, in any case.
            let names_key = arguments.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|word| {
                word == key || (key.chars().all(|c| !c.is_ascii_lowercase()) && word.eq_ignore_ascii_case(key))
            });
            if names_key {
                return Some(format!("{path}:{}", index + 1));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schemas_host_handed_to_listen_in_any_case() {
        let env = "const schema = Type.Object({\n  HOST: Type.String({ default: 'localhost' }),\n});\n";
        let index = "await fastify.listen({ port: env.server.port, host: env.server.host });\n";
        let files = AppFiles::from_pairs([("src/config/env.ts", env), ("src/index.ts", index)]);
        assert_eq!(listened_on(&files, "src/config/env.ts:2").as_deref(), Some("src/index.ts:1"));
        let elsewhere =
            AppFiles::from_pairs([("src/config/env.ts", env), ("src/index.ts", "await app.listen({ port })\n")]);
        assert_eq!(listened_on(&elsewhere, "src/config/env.ts:2"), None);
    }

    fn level_after(app_js: &str) -> Option<FindingLevel> {
        let files = AppFiles::from_pairs([
            (
                "config.default.js",
                "module.exports = {\n  site: {\n    host: process.env.VCAP_APP_HOST || 'localhost',\n  },\n};\n",
            ),
            ("app.js", app_js),
        ]);
        let mut findings = vec![Finding::warning(
            "loopback-bind",
            "listens on localhost by default (VCAP_APP_HOST)",
            "config.default.js:3",
        )];
        confirm(&files, &mut findings, 0);
        findings.first().map(|f| f.level)
    }

    #[test]
    fn a_host_setting_handed_to_listen_blocks() {
        assert_eq!(
            level_after("server.listen(config.site.port, config.site.host, () => {});\n"),
            Some(FindingLevel::Blocker)
        );
    }

    #[test]
    fn a_host_setting_only_used_in_links_is_no_bind() {
        assert_eq!(
            level_after("const link = `http://${config.site.host}/`;\nserver.listen(config.site.port);\n"),
            None
        );
        // Without a listen call of the app's own, nothing says where it binds: the warning stays.
        assert_eq!(level_after("const link = `http://${config.site.host}/`;\n"), Some(FindingLevel::Warning));
    }
}
