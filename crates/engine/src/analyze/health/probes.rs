//! Health checks the repository already declares for its own container: a Dockerfile's
//! `HEALTHCHECK` (or the script it runs), a compose service's `healthcheck`, a Kubernetes
//! probe. Each names a path the maintainers know answers, which beats any guess from route
//! names.

use crate::analyze::app_files::AppFiles;
use crate::analyze::container_start::{dockerfiles, instructions, is_elsewhere};
use crate::analyze::source::{Fact, fact};
use crate::analyze::yaml_leaves::yaml_leaves;

/// A YAML leaf: its line, its dotted key and its value.
type YamlLeaf = (usize, String, String);

/// The path the repository's own health check requests, from the first place that names one:
/// a Dockerfile, then compose files, then Kubernetes manifests.
pub fn declared(files: &AppFiles) -> Option<Fact<String>> {
    dockerfile_probe(files).or_else(|| compose_probe(files)).or_else(|| kubernetes_probe(files))
}

fn is_compose_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    (name.starts_with("docker-compose") || name.starts_with("compose"))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
        && !is_elsewhere(path)
}

/// `HEALTHCHECK ... CMD curl -f http://localhost:8080/health`, or `CMD ./healthcheck.py` whose
/// script requests the path. Continuation lines are joined first.
fn dockerfile_probe(files: &AppFiles) -> Option<Fact<String>> {
    for (path, text) in dockerfiles(files) {
        for (index, instruction) in instructions(text) {
            let Some(rest) = strip_keyword(&instruction, "HEALTHCHECK") else { continue };
            let Some((_, command)) = rest.split_once("CMD") else { continue };
            if let Some(route) = local_url_path(command) {
                return Some(fact(route, format!("{path}:{} HEALTHCHECK", index + 1)));
            }
            if let Some(found) = script_probe(files, command) {
                return Some(found);
            }
        }
    }
    None
}

fn strip_keyword<'a>(line: &'a str, keyword: &str) -> Option<&'a str> {
    let trimmed = line.trim_start();
    let head = trimmed.get(..keyword.len())?;
    head.eq_ignore_ascii_case(keyword).then(|| &trimmed[keyword.len()..])
}

/// The script a `HEALTHCHECK CMD` runs (`./fetchstatus.py`, `python $HOME/app/healthcheck.py`),
/// found in the folder by its name, and the local URL it requests.
fn script_probe(files: &AppFiles, command: &str) -> Option<Fact<String>> {
    let words = command.split_whitespace().map(|w| w.trim_matches(['"', '\'', '[', ']', ',']));
    for word in words {
        let name = word.rsplit('/').next().unwrap_or(word);
        if name.is_empty() || !name.contains('.') || name.starts_with('-') {
            continue;
        }
        let script = files.files.iter().find(|(path, _)| path.rsplit('/').next() == Some(name));
        let Some((path, text)) = script else { continue };
        // A bare `http://localhost:8000` is the base the script builds its URL on.
        let mut urls = text.lines().enumerate().filter_map(|(index, line)| Some((index, local_url_path(line)?)));
        let first = urls.next();
        let found = first.clone().into_iter().chain(urls).find(|(_, route)| route != "/").or(first);
        if let Some((index, route)) = found {
            return Some(fact(route, format!("{path}:{}", index + 1)));
        }
    }
    None
}

/// A compose service's `healthcheck.test` that requests a local URL. Only the services that
/// build this repository (or extend one that does) are the app: the others (Loki, Prometheus,
/// postgres beside it) run someone else's image. Compose files that build nothing describe
/// what runs around the app (a development stack of databases and monitoring), so none of
/// their probes is the app's.
fn compose_probe(files: &AppFiles) -> Option<Fact<String>> {
    let composes: Vec<(&String, Vec<YamlLeaf>)> = files
        .files
        .iter()
        .filter(|(path, _)| is_compose_file(path))
        .map(|(path, text)| (path, yaml_leaves(text)))
        .collect();
    if !composes.iter().any(|(_, leaves)| leaves.iter().any(|(_, key, _)| builds_service(key))) {
        return None;
    }
    for (path, leaves) in &composes {
        let has = |service: &str, field: &str| {
            let key = format!("services.{service}.{field}");
            leaves.iter().find(|(_, k, _)| k == &key || k.starts_with(&format!("{key}."))).map(|(_, _, v)| v.clone())
        };
        for (line, key, value) in leaves {
            let Some(service) = key.strip_prefix("services.").and_then(|k| k.strip_suffix(".healthcheck.test")) else {
                continue;
            };
            if has(service, "build").is_none() && has(service, "extends").is_none() {
                continue;
            }
            if let Some(route) = local_url_path(value) {
                return Some(fact(route, format!("{path}:{line} healthcheck of {service}")));
            }
        }
    }
    None
}

/// `services.<name>.build` (`build: .`) or one of its keys (`build.context`).
fn builds_service(key: &str) -> bool {
    key.strip_prefix("services.")
        .and_then(|k| k.split_once('.'))
        .is_some_and(|(_, field)| field == "build" || field.starts_with("build."))
}

/// A container's `readinessProbe` (or else `livenessProbe`) `httpGet.path` in a Kubernetes
/// manifest. Templated values (`{{ .Values.x }}`) are not a path.
fn kubernetes_probe(files: &AppFiles) -> Option<Fact<String>> {
    let mut liveness = None;
    for (path, text) in files.with_extensions(&["yml", "yaml"]) {
        if !text.contains("Probe:") || is_elsewhere(path) {
            continue;
        }
        for (line, key, value) in yaml_leaves(text) {
            let value = value.trim_matches(['"', '\'']);
            if !value.starts_with('/') || value.contains("{{") {
                continue;
            }
            let found = || fact(value.to_string(), format!("{path}:{line} {}", key.rsplit('.').nth(2).unwrap_or("")));
            if key.ends_with("readinessProbe.httpGet.path") {
                return Some(found());
            }
            if key.ends_with("livenessProbe.httpGet.path") || key.ends_with("startupProbe.httpGet.path") {
                liveness.get_or_insert_with(found);
            }
        }
    }
    liveness
}

/// The path of the first URL in `text` that points at the container itself (`localhost`,
/// `127.0.0.1`, `0.0.0.0`), with interpolated pieces (`{root.path}`, `${PREFIX}`) dropped:
/// `http://localhost:8000{site.path}/api/v3/status/` → `/api/v3/status/`. `None` when what is
/// left still depends on a value only known at run time.
pub fn local_url_path(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let after = &rest[at + 3..];
        rest = after;
        let Some(host_end) = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '[' || c == ']'))
        else {
            continue;
        };
        let host = &after[..host_end];
        if !["localhost", "127.0.0.1", "0.0.0.0", "[::1]"].contains(&host) {
            continue;
        }
        let tail = after[host_end..].split(|c: char| c.is_whitespace() || "\"'`|)?#,;".contains(c)).next()?;
        let raw_len = tail.len();
        let Some(tail) = drop_interpolations(tail) else { continue };
        let path = match tail.strip_prefix(':') {
            Some(port) => port.trim_start_matches(|c: char| c.is_ascii_digit()),
            None => tail.as_str(),
        };
        if path.is_empty() {
            // `'http://127.0.0.1:' + port + '/health'`: the literal ends at the port and the
            // path is glued on after it, so the URL is not the root page.
            let closed = &after[host_end + raw_len..];
            if closed.starts_with(['\'', '"', '`']) && closed[1..].trim_start().starts_with('+') {
                return concatenated_path(&closed[1..]);
            }
            return Some("/".into());
        }
        if path.starts_with('/') && !path.contains(['$', '%', '{', '}', ':']) {
            return Some(path.to_string());
        }
    }
    None
}

/// The path a concatenation glues onto a URL that stops at its port: the first string literal
/// after it that starts with `/` (`+ (process.env.PORT || 3000) + '/api/health'` → `/api/health`).
/// `None` when no such literal follows in the same expression: the path is a run-time value.
fn concatenated_path(rest: &str) -> Option<String> {
    let end = rest.find([';', '\n', ',']).unwrap_or(rest.len());
    let expression = &rest[..end];
    let quote_at = expression.find(|c: char| "'\"`".contains(c))?;
    let quote = expression[quote_at..].chars().next()?;
    let literal = &expression[quote_at + 1..];
    let literal = &literal[..literal.find(quote)?];
    let clean = literal.starts_with('/') && !literal.contains(['$', '{', '}', ' ']);
    clean.then(|| literal.to_string())
}

/// `:{port}{root}/x` → `:/x`; `:${PORT:-3000}/x` → `:/x`. `None` when braces do not close, or
/// when the path ends in a value only known at run time (`/${HEALTH_PATH}`).
fn drop_interpolations(tail: &str) -> Option<String> {
    let mut out = String::new();
    let mut ends_interpolated = false;
    let mut chars = tail.chars().peekable();
    while let Some(c) = chars.next() {
        ends_interpolated = true;
        match c {
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                skip_to_close(&mut chars)?;
            }
            '{' => skip_to_close(&mut chars)?,
            '$' => while chars.next_if(|c| c.is_ascii_alphanumeric() || *c == '_').is_some() {},
            _ => {
                out.push(c);
                ends_interpolated = false;
            }
        }
    }
    (!(ends_interpolated && out.contains('/'))).then_some(out)
}

fn skip_to_close(chars: &mut std::iter::Peekable<std::str::Chars>) -> Option<()> {
    let mut depth = 1;
    for c in chars.by_ref() {
        depth += match c {
            '{' => 1,
            '}' => -1,
            _ => 0,
        };
        if depth == 0 {
            return Some(());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_urls_give_their_path_without_interpolations() {
        assert_eq!(local_url_path("curl -f http://localhost:8080/health || exit 1").as_deref(), Some("/health"));
        assert_eq!(
            local_url_path(r#"url = f"http://localhost:8000{parsed.path}/api/v3/status/""#).as_deref(),
            Some("/api/v3/status/")
        );
        assert_eq!(
            local_url_path(r#"wget -qO- "http://localhost:${PORT:-3000}/_health" | grep OK"#).as_deref(),
            Some("/_health")
        );
        assert_eq!(local_url_path("curl http://127.0.0.1:$APP_PORT/ping").as_deref(), Some("/ping"));
        assert_eq!(local_url_path("curl http://localhost:3000").as_deref(), Some("/"));
        let glued = "node -e \"get('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/v1/health/live',r=>{})\"";
        assert_eq!(local_url_path(glued).as_deref(), Some("/api/v1/health/live"));
        assert_eq!(local_url_path("fetch('http://localhost:' + port + path)"), None);
        assert_eq!(local_url_path("curl https://example.com/health"), None);
        assert_eq!(local_url_path("curl http://localhost:3000/${HEALTH_PATH}"), None);
        assert_eq!(local_url_path("curl http://localhost:3000/{unclosed"), None);
    }

    #[test]
    fn a_dockerfile_healthcheck_and_the_script_it_runs() {
        let files = AppFiles::from_pairs([(
            "docker/Dockerfile",
            "FROM node\nHEALTHCHECK --interval=30s \\\n  CMD curl --fail http://localhost:$PORT/health || exit 1\n",
        )]);
        let found = declared(&files).unwrap();
        assert_eq!((found.value.as_str(), found.source.as_str()), ("/health", "docker/Dockerfile:2 HEALTHCHECK"));

        let files = AppFiles::from_pairs([
            ("Dockerfile", "FROM python\nHEALTHCHECK CMD python $APP_HOME/app/scripts/healthcheck.py || exit 1\n"),
            (
                "app/scripts/healthcheck.py",
                "base = \"http://localhost:9000\"\nurl = f\"http://127.0.0.1:{port}/api/app/about\"\n",
            ),
        ]);
        let found = declared(&files).unwrap();
        assert_eq!((found.value.as_str(), found.source.as_str()), ("/api/app/about", "app/scripts/healthcheck.py:2"));
    }

    #[test]
    fn a_compose_healthcheck_of_the_app_not_of_its_database() {
        let compose = "services:\n  minio:\n    image: minio/minio\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:9000/minio/health/live\"]\n  web:\n    build: .\n    healthcheck:\n      test: [\"CMD-SHELL\", \"curl http://localhost:3000/api/heartbeat\"]\n";
        let found = declared(&AppFiles::from_pairs([("docker-compose.yml", compose)])).unwrap();
        assert_eq!(
            (found.value.as_str(), found.source.as_str()),
            ("/api/heartbeat", "docker-compose.yml:9 healthcheck of web")
        );
    }

    #[test]
    fn a_compose_healthcheck_of_another_container_is_not_the_apps() {
        let observability = "services:\n  loki:\n    image: grafana/loki:3\n    healthcheck:\n      test: wget --spider http://localhost:3100/ready || exit 1\n";
        let app = "services:\n  api:\n    build:\n      context: .\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"http://0.0.0.0:8000/health\"]\n";
        let both = AppFiles::from_pairs([("compose.observability.yaml", observability), ("compose.yaml", app)]);
        assert_eq!(declared(&both).unwrap().value, "/health");
        let no_probe =
            app.replace("    healthcheck:\n      test: [\"CMD\", \"curl\", \"http://0.0.0.0:8000/health\"]\n", "");
        let other_only =
            AppFiles::from_pairs([("compose.observability.yaml", observability), ("compose.yaml", no_probe.as_str())]);
        assert_eq!(declared(&other_only), None, "loki's probe is loki's");
    }

    #[test]
    fn a_kubernetes_readiness_probe_before_a_liveness_probe() {
        let manifest = "spec:\n  template:\n    spec:\n      containers:\n        - name: app\n          livenessProbe:\n            httpGet:\n              path: /livez\n          readinessProbe:\n            httpGet:\n              path: /readyz\n";
        let found = declared(&AppFiles::from_pairs([("k8s/deployment.yaml", manifest)])).unwrap();
        assert_eq!(found.value, "/readyz");
        let templated = manifest.replace("/readyz", "{{ .Values.probe }}");
        assert_eq!(
            declared(&AppFiles::from_pairs([("k8s/deployment.yaml", templated.as_str())])).unwrap().value,
            "/livez"
        );
    }

    #[test]
    fn nothing_declared_is_none() {
        let files = AppFiles::from_pairs([
            ("Dockerfile", "FROM go\nHEALTHCHECK NONE\n"),
            ("compose.yaml", "services:\n  db:\n    image: postgres:16\n"),
        ]);
        assert_eq!(declared(&files), None);
    }
}
