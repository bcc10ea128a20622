//! Middleware that redirects every plain-HTTP request to HTTPS (`x-forwarded-proto` is not
//! `https`, or `req.secure` is false): the load balancer's health checks reach the task over
//! plain HTTP without that header, get a 302, and the target group marks the task unhealthy.

use super::app_files::AppFiles;
use super::source::is_test_path;
use crate::model::Finding;

/// How many lines around the protocol check the redirect is looked for.
const SPAN: usize = 8;

pub fn findings(files: &AppFiles) -> Vec<Finding> {
    let code = files.with_extensions(&["js", "mjs", "cjs", "ts", "mts", "cts"]).filter(|(path, _)| !is_test_path(path));
    let mut found = Vec::new();
    for (path, text) in code {
        let lower = text.to_ascii_lowercase();
        if !(lower.contains("x-forwarded-proto") || text.contains(".secure") || text.contains("enforce.HTTPS(")) {
            continue;
        }
        let lines = super::node_imports::live_lines(text);
        let Some(index) = (0..lines.len()).find(|&at| redirects_plain_http(&lines, at)) else { continue };
        let window = lines[index.saturating_sub(SPAN)..lines.len().min(index + SPAN)].join("\n").to_ascii_lowercase();
        // A redirect that lets the health path through already answers the check.
        if window.contains("health") || window.contains("/status") || window.contains("/ping") {
            continue;
        }
        found.push(blocker(format!("{path}:{}", index + 1)));
    }
    found
}

/// The line holding the protocol check, when a redirect to `https` follows close by.
fn redirects_plain_http(lines: &[String], index: usize) -> bool {
    let line = lines[index].as_str();
    let lower = line.to_ascii_lowercase();
    if line.contains("enforce.HTTPS(") {
        return true;
    }
    let checks = lower.contains("x-forwarded-proto") || line.contains("!req.secure") || line.contains("req.secure ?");
    let near = lines[index..lines.len().min(index + SPAN)].join("\n");
    checks && near.contains("redirect(") && near.contains("https")
}

fn blocker(at: String) -> Finding {
    Finding::blocker(
        "health-check-redirect",
        "redirects every request that did not come over HTTPS: the load balancer's health checks are plain HTTP, get a redirect, and the task is marked unhealthy",
        at,
    )
    .with_fix("let the health path through before the redirect, or accept 301/302 in the target group's health check matcher")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_to_https_without_an_exemption() {
        let redirect = "module.exports = (req, res, next) => {\n  if (req.get('x-forwarded-proto') !== 'https') {\n    return res.redirect('https://' + req.get('host') + req.url);\n  }\n  next();\n};\n";
        let exempt = redirect.replace("!== 'https'", "!== 'https' && req.path !== '/healthz'");
        let files = AppFiles::from_pairs([("src/https.js", redirect), ("src/exempt.js", exempt.as_str())]);
        let sources: Vec<String> = findings(&files).into_iter().map(|f| f.source).collect();
        assert_eq!(sources, ["src/https.js:2"]);
    }
}
