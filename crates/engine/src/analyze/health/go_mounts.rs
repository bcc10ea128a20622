//! Go routers hung under a path: chi's `r.Mount("/api", apiRouter)`, and a router a function
//! takes as a parameter (`func (h *HealthHandler) RegisterRoutes(router chi.Router)`) answering
//! under the prefix of the router its callers hand it (`healthHandler.RegisterRoutes(apiRouter)`).

use std::sync::LazyLock;

use regex::Regex;

use super::mounts::Router;
use crate::analyze::app_files::AppFiles;

static CHI_MOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(\w+)\.Mount\(\s*("[^"]*")\s*,\s*(\w+)\s*\)"#).expect("valid pattern"));
static FUNC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*func\s+(?:\(\s*\w*\s*\*?(\w+)\s*\)\s*)?(\w+)\s*\(([^)]*)\)").expect("valid pattern")
});

/// `r.Mount("/api", apiRouter)`: (target, reference, quoted prefix).
pub(super) fn chi_mount(line: &str) -> Option<(String, String, String)> {
    let caps = CHI_MOUNT.captures(line)?;
    Some((caps[1].to_string(), caps[3].to_string(), caps[2].to_string()))
}

/// The routers callers hand to the Go function that takes `router` as a parameter, each in
/// its caller's file. A method's callers whose receiver is named for the method's type
/// (`healthHandler` for `*HealthHandler`) are the ones meant when several types share the
/// method's name (`RegisterRoutes`); other callers count only when none is.
pub(super) fn passed_to(files: &AppFiles, router: &Router) -> Vec<Router> {
    let Some(text) = files.get(&router.file) else { return Vec::new() };
    let Some((receiver_type, function, position)) = taking(text, &router.name) else { return Vec::new() };
    let call = Regex::new(&format!(r"(?:(\w+)\.)?\b{}\(([^()]*)\)", regex::escape(&function))).expect("valid pattern");
    let mut named_for_type = Vec::new();
    let mut others = Vec::new();
    for (path, code) in files.with_extensions(&["go"]) {
        for line in code.lines().filter(|line| !FUNC.is_match(line)) {
            for caps in call.captures_iter(line) {
                let Some(argument) = caps[2].split(',').nth(position).map(str::trim) else { continue };
                if argument.is_empty() || !argument.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    continue;
                }
                let passed = Router { file: path.to_string(), name: argument.to_string() };
                let receiver = caps.get(1).map_or("", |m| m.as_str());
                match &receiver_type {
                    Some(kind) if of_type(code, receiver, kind) => named_for_type.push(passed),
                    _ => others.push(passed),
                }
            }
        }
    }
    if named_for_type.is_empty() { others } else { named_for_type }
}

/// Whether the variable `receiver` in `code` holds a `kind`: named for it (`healthHandler`), or
/// made by its constructor or literal (`status := handlers.NewStatusHandler()`).
fn of_type(code: &str, receiver: &str, kind: &str) -> bool {
    if receiver.is_empty() {
        return false;
    }
    let assigned = format!("{receiver} :=");
    receiver.eq_ignore_ascii_case(kind)
        || code.lines().map(str::trim_start).any(|line| {
            line.starts_with(&assigned)
                && (line.contains(&format!("New{kind}(")) || line.contains(&format!("{kind}{{")))
        })
}

/// The function in `text` that takes `parameter`: its receiver's type, its name, and the
/// parameter's position.
fn taking(text: &str, parameter: &str) -> Option<(Option<String>, String, usize)> {
    text.lines().find_map(|line| {
        let caps = FUNC.captures(line)?;
        let position = caps[3].split(',').position(|p| p.split_whitespace().next() == Some(parameter))?;
        Some((caps.get(1).map(|m| m.as_str().to_string()), caps[2].to_string(), position))
    })
}

/// Whether the Go route at `index` is registered only when a condition holds: some block that
/// encloses it, up to its function, opens with `if` or `else` (`if h.oidc != nil {`). Such a
/// route answers 404 when the setting is off, as it is by default.
pub(super) fn registered_conditionally(lines: &[&str], index: usize) -> bool {
    let mut depth = 0i32;
    for line in lines[..index].iter().rev() {
        let code = line.split("//").next().unwrap_or_default();
        depth += code.matches('}').count() as i32 - code.matches('{').count() as i32;
        let trimmed = code.trim_start();
        if trimmed.starts_with("func ") {
            return false;
        }
        if depth < 0 {
            if trimmed.starts_with("if ") || trimmed.starts_with("} else") {
                return true;
            }
            depth = 0;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_only_a_setting_turns_on() {
        let text = "func (w *Web) Router() {\n\tv1 := r.Group(\"/v1\")\n\t{\n\t\tv1.GET(\"/open\", w.open)\n\t\tif w.sso != \"\" {\n\t\t\tv1.GET(\"/sso/login\", w.login)\n\t\t}\n\t\tv1.GET(\"/after\", w.after)\n\t}\n}\n";
        let lines: Vec<&str> = text.lines().collect();
        assert!(!registered_conditionally(&lines, 3));
        assert!(registered_conditionally(&lines, 5));
        assert!(!registered_conditionally(&lines, 7));
    }

    #[test]
    fn routers_handed_to_a_method_of_the_same_type() {
        let files = AppFiles::from_pairs([
            (
                "main.go",
                "apiRouter := chi.NewRouter()\nrouter.Mount(\"/api\", apiRouter)\nhealthHandler.RegisterRoutes(apiRouter)\nloginHandler.RegisterRoutes(rootRouter)\nstatus := api.NewStatusHandler()\nstatus.RegisterRoutes(apiRouter)\n",
            ),
            (
                "api/health.go",
                "func (h *HealthHandler) RegisterRoutes(router chi.Router) {\n\trouter.Get(\"/health\", h.Get)\n}\n",
            ),
        ]);
        let router = Router { file: "api/health.go".into(), name: "router".into() };
        assert_eq!(passed_to(&files, &router), [Router { file: "main.go".into(), name: "apiRouter".into() }]);
        let files = AppFiles::from_pairs([
            ("main.go", files.get("main.go").unwrap()),
            ("api/status.go", "func (h *StatusHandler) RegisterRoutes(router chi.Router) {\n}\n"),
        ]);
        let router = Router { file: "api/status.go".into(), name: "router".into() };
        assert_eq!(passed_to(&files, &router), [Router { file: "main.go".into(), name: "apiRouter".into() }]);
        assert_eq!(
            chi_mount("\trouter.Mount(\"/api\", apiRouter)"),
            Some(("router".into(), "apiRouter".into(), "\"/api\"".into()))
        );
    }
}
