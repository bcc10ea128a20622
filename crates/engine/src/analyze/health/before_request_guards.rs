//! Flask's app-wide request hooks: a `@app.before_request` (or a blueprint's
//! `@bp.before_app_request`) function that redirects or aborts when the visitor has no login
//! runs before every route, so it guards each route its own tests do not exempt
//! (`request.path.startswith("/login")`, `request.endpoint in ("login", "static")`), whatever
//! the routes' own declarations say.

use super::routes::Route;
use crate::analyze::app_files::AppFiles;

/// Marks the Python routes an app-wide login hook refuses.
pub(super) fn guard(files: &AppFiles, routes: &mut [Route]) {
    let Some(exempt) = files.with_extensions(&["py"]).find_map(|(_, text)| login_hook(text)) else {
        return;
    };
    for route in routes.iter_mut().filter(|r| r.at.contains(".py:")) {
        if !exempt.iter().any(|literal| exempts(literal, &route.path)) {
            route.guarded = true;
        }
    }
}

/// The literals an app-wide hook tests before it refuses a visitor without a login: `None`
/// when the file has no such hook.
fn login_hook(text: &str) -> Option<Vec<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let hook = lines.iter().position(|line| {
        let line = line.trim();
        line == "@app.before_request" || (line.starts_with('@') && line.ends_with(".before_app_request"))
    })?;
    let def = (hook + 1..lines.len()).find(|&i| lines[i].trim_start().starts_with("def "))?;
    let indent = |line: &str| line.len() - line.trim_start().len();
    let body: Vec<&str> = lines[def + 1..]
        .iter()
        .take_while(|line| line.trim().is_empty() || indent(line) > indent(lines[def]))
        .copied()
        .collect();
    let joined = body.join("\n");
    let refuses = ["redirect(", "abort(401", "abort(403", ", 401", ", 403"].iter().any(|r| joined.contains(r));
    // The login is what a condition tests, not what the hook sets (`session.permanent = True`).
    let conditions = body.iter().filter(|line| line.trim_start().starts_with("if ") || line.contains(" = not "));
    let asks = conditions
        .flat_map(|line| ["is_authenticated", "current_user", "session", "login", "g.user"].map(|a| line.contains(a)))
        .any(|found| found);
    if !(refuses && asks) {
        return None;
    }
    // The literals the hook tests, not the ones it redirects to (`url_for("login", next=...)`).
    let tests = body.iter().filter(|line| !line.contains("redirect(") && !line.contains("abort("));
    let literals = tests.flat_map(|line| ['"', '\''].into_iter().flat_map(move |q| line.split(q).skip(1).step_by(2)));
    Some(literals.map(str::to_string).collect())
}

/// Whether a literal the hook tests lets `path` through: a path prefix (`/static`, `/login`),
/// the root only when tested alone, or an endpoint named like the path's last segment.
fn exempts(literal: &str, path: &str) -> bool {
    match literal {
        "/" => path == "/",
        literal if literal.starts_with('/') => path.starts_with(literal),
        literal => !literal.is_empty() && path.trim_end_matches('/').rsplit('/').next() == Some(literal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOOK: &str = "@app.before_request\ndef check():\n    allowed = request.path.startswith('/login') or request.path.startswith('/static')\n    if not current_user.is_authenticated and not allowed:\n        return redirect(url_for('login', next=request.path))\n\n@app.route('/')\ndef index():\n    return 'home'\n";

    #[test]
    fn an_app_wide_login_hook_exempts_what_it_tests() {
        assert_eq!(login_hook(HOOK), Some(vec!["/login".to_string(), "/static".to_string()]));
        let plain = "@app.before_request\ndef timer():\n    g.start = time.time()\n";
        assert_eq!(login_hook(plain), None);
        assert!(exempts("/login", "/login"));
        assert!(!exempts("/login", "/"));
        assert!(exempts("login", "/auth/login"));
    }
}
