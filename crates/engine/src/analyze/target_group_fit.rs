//! Where the instance's target group and the app's code disagree on port or health path.
//!
//! On the instance, a proxy (nginx, a local load balancer) may sit between the target group and
//! the app: the group sends traffic to 80 and checks `/healthz`, which the proxy answers, while
//! the app listens on 3333. The container runs the app alone, so what the code fixes is what the
//! service must use, and the operator is told why it differs from the instance.

use crate::model::{CodeVariable, EnvVar, Finding, RouteEdge, VariableScope};

use super::app_files::AppFiles;

/// The port the code fixes, when the target group's differs and nothing the service sets can
/// move the app there: it reads no `PORT` (which the service sets to the group's port) and no
/// listen setting of its own that the instance sets (a `METRICS_PORT` is not one). `None` when
/// the target group's port can be kept.
pub fn code_port_over_target_group(
    route: &RouteEdge,
    code: Option<&(u16, String)>,
    env: &[EnvVar],
    variables: &[CodeVariable],
    findings: &mut Vec<Finding>,
) -> Option<(u16, String)> {
    let (port, source) = code?.clone();
    let group = route.target_group.port;
    if port == group || port == 0 {
        return None;
    }
    let told = variables.iter().filter(|v| v.scope == VariableScope::Runtime).any(|v| {
        v.name == "PORT" || (super::variables::is_listen_setting(&v.name) && env.iter().any(|e| e.name == v.name))
    });
    if told {
        return None;
    }
    findings.push(
        Finding::warning(
            "port-disagreement",
            format!(
                "the target group {} sends traffic to port {group}, but the app listens on {port} ({source}) and reads no PORT: on the instance something in between (a proxy) maps the ports; the service sends traffic to {port}",
                route.target_group.name
            ),
            source.clone(),
        )
        .with_fix(format!("if the app really listens on {group}, edit the service's port")),
    );
    Some((port, source))
}

/// The health path the service checks when the target group's is one the code never serves:
/// the code's own health route, else `/`, with a warning either way. `None` keeps the group's
/// path without a word.
pub fn health_over_target_group(
    route: &RouteEdge,
    code: Option<&super::Fact<String>>,
    app: &AppFiles,
    findings: &mut Vec<Finding>,
) -> Option<(String, String)> {
    let path = route.target_group.health_check.path.as_deref()?;
    if code.is_some_and(|c| c.value == path) || served_in_code(app, path) {
        return None;
    }
    let group = &route.target_group.name;
    match code {
        Some(code) => {
            findings.push(Finding::warning(
                "health-disagreement",
                format!(
                    "the target group {group} checks {path}, which nothing in the code serves (on the instance a proxy may answer it): the service checks {} ({})",
                    code.value, code.source
                ),
                format!("target group {group}"),
            ));
            Some((code.value.clone(), code.source.clone()))
        }
        None => {
            findings.push(
                Finding::warning(
                    "health-disagreement",
                    format!(
                        "the target group {group} checks {path}, which nothing in the code serves, and the code has no health route: the service checks /, which may need a login or redirect"
                    ),
                    format!("target group {group}"),
                )
                .with_fix("add a GET /health route that answers 200 without a login, and set it as the health check path"),
            );
            Some(("/".into(), format!("default: nothing in the code serves the target group's {path}")))
        }
    }
}

/// The source and settings files a route can be declared in.
const ROUTE_FILES: [&str; 16] = [
    "js",
    "mjs",
    "cjs",
    "ts",
    "mts",
    "cts",
    "py",
    "go",
    "java",
    "kt",
    "rb",
    "php",
    "yml",
    "yaml",
    "properties",
    "conf",
];

/// Whether any code or settings file names the path's last segment as a route would: after a
/// `/` or a quote, and before a quote, a `/` or the end of a pattern (`'/healthz'`,
/// `path("healthz/", ...)`, `@GetMapping("/status")`). The root path is always taken as served:
/// some handler or static page answers it.
fn served_in_code(app: &AppFiles, path: &str) -> bool {
    let segment = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    if segment.is_empty() {
        return true;
    }
    app.with_extensions(&ROUTE_FILES).any(|(_, text)| names_segment(text, segment))
}

fn names_segment(text: &str, segment: &str) -> bool {
    text.match_indices(segment).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + segment.len()..].chars().next();
        matches!(before, Some('/' | '\'' | '"' | '`'))
            && matches!(after, None | Some('\'' | '"' | '`' | '/' | '$' | '?' | ')'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_counts_only_where_a_route_would_name_it() {
        assert!(names_segment("app.get('/healthz', ok)", "healthz"));
        assert!(names_segment("path(\"healthz/\", views.ok)", "healthz"));
        assert!(names_segment("@GetMapping(\"/status\")", "status"));
        assert!(!names_segment("const healthzCount = 1", "healthz"));
        assert!(!names_segment("// see /healthzone for more", "healthz"));
    }

    #[test]
    fn only_the_apps_own_listen_settings_move_it() {
        let setting = crate::analyze::variables::is_listen_setting;
        assert!(setting("PORT") && setting("HTTP_PORT") && setting("LISTEN_ADDR") && setting("HttpPort"));
        assert!(!setting("METRICS_PORT") && !setting("DB_PORT") && !setting("REDIS_ADDR"));
    }

    #[test]
    fn the_root_is_always_served() {
        assert!(served_in_code(&AppFiles::from_pairs([("a.js", "x")]), "/"));
    }
}
