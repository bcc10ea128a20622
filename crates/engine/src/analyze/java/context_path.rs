//! Spring's `server.servlet.context-path`: the servlet container serves every controller route,
//! springdoc's `/v3/api-docs` and Actuator under it, so the load balancer must ask for
//! `/api/v1/v3/api-docs`, not `/v3/api-docs` (a 404 that fails every task).

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact};
use crate::model::Finding;

/// `found`, a path the code serves within the servlet context, moved under `context`; the
/// findings that said which path the service checks say the whole one. A path the repository's
/// own health check requests is a whole URL path already and stays as it is.
pub(super) fn under_context(
    files: &AppFiles,
    found: Option<Fact<String>>,
    context: &str,
    findings: &mut [Finding],
) -> Option<Fact<String>> {
    let found = found?;
    let probe = crate::analyze::health::declared_probe(files);
    if context.is_empty() || probe.is_some_and(|p| p.value == found.value && p.source == found.source) {
        return Some(found);
    }
    let whole = format!("{context}{}", found.value);
    for finding in findings.iter_mut() {
        finding.message = replace_checked(&finding.message, &found.value, &whole);
    }
    Some(fact(whole, found.source))
}

/// With no route to check, the servlet context's root (`/api/v1/`): outside the context path
/// the container answers 404 to everything, so `/` fails every task for sure.
pub(super) fn context_root(context: &str, findings: &mut Vec<Finding>) -> Option<Fact<String>> {
    if context.is_empty() {
        return None;
    }
    let root = format!("{context}/");
    findings.retain(|f| f.kind != "no-health-route");
    findings.push(
        Finding::warning(
            "no-health-route",
            format!(
                "no health route found in the code and no load balancer health check to copy: the service checks {root}, the root of the servlet context path, which may need a login or answer 404"
            ),
            "source folder",
        )
        .with_fix("add Actuator (or a GET health route that answers 200 without a login) and set it as the health check path"),
    );
    Some(fact(root, "default: the root of server.servlet.context-path, with no health route found"))
}

/// `message` with "checks {old}" said as "checks {new}", where `old` is the whole path.
fn replace_checked(message: &str, old: &str, new: &str) -> String {
    let said = format!("checks {old}");
    let mut out = String::new();
    let mut rest = message;
    while let Some(at) = rest.find(&said) {
        let after = &rest[at + said.len()..];
        let whole = !after.starts_with(|c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_'));
        out.push_str(&rest[..at]);
        out.push_str(if whole { "checks " } else { &said });
        if whole {
            out.push_str(new);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_no_route_the_context_root_is_checked() {
        let mut findings = Vec::new();
        assert!(context_root("", &mut findings).is_none(), "without a context path, the usual fallback");
        let root = context_root("/api/v1", &mut findings).expect("the context root");
        assert_eq!(root.value, "/api/v1/");
        assert!(findings.len() == 1 && findings[0].message.contains("checks /api/v1/,"), "{findings:?}");
    }

    #[test]
    fn only_the_whole_path_is_replaced() {
        let message = "the service checks /v3/api-docs, the API description; it checks /v3/api-docs/x too";
        assert_eq!(
            replace_checked(message, "/v3/api-docs", "/api/v1/v3/api-docs"),
            "the service checks /api/v1/v3/api-docs, the API description; it checks /v3/api-docs/x too"
        );
    }
}
