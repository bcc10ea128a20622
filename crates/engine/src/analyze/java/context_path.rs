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
    fn only_the_whole_path_is_replaced() {
        let message = "the service checks /v3/api-docs, the API description; it checks /v3/api-docs/x too";
        assert_eq!(
            replace_checked(message, "/v3/api-docs", "/api/v1/v3/api-docs"),
            "the service checks /api/v1/v3/api-docs, the API description; it checks /v3/api-docs/x too"
        );
    }
}
