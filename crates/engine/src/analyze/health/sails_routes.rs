//! Sails 1 declares its routes in `config/routes.js` as keys of one object (`'GET /ping':
//! 'PingController.ping'`, `'/': { view: 'home' }`, `'GET /me': { action: 'user/me' }`), not
//! in route calls; `config/policies.js` decides which need a login, per controller and action,
//! over the app-wide `'*'` list.

use super::routes::Route;
use crate::analyze::app_files::AppFiles;

/// Policy names that ask who sends the request.
const LOGIN_POLICIES: [&str; 6] = ["auth", "login", "logged", "token", "acl", "session"];

/// The routes declared as keys of a table: Sails's, and other apps' tables that say who may
/// call each entry.
pub(super) fn keyed_routes(files: &AppFiles) -> Vec<Route> {
    declared(files).into_iter().chain(keyed_tables(files)).collect()
}

/// The GET routes of a Sails app's `config/routes.js`, guarded when their policies ask for a
/// login.
fn declared(files: &AppFiles) -> Vec<Route> {
    let sails = files.get("package.json").is_some_and(|manifest| manifest.contains("\"sails\":"));
    let Some(text) = files.get("config/routes.js").filter(|_| sails) else {
        return Vec::new();
    };
    let policies = files.get("config/policies.js").unwrap_or("");
    let mut routes = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some((verb, path, target)) = route_key(line) else { continue };
        if !matches!(verb.as_deref(), None | Some("get" | "all")) {
            continue;
        }
        let (controller, action) = target_of(target);
        let guarded = controller.is_none_or(|controller| policy_guards(policies, &controller, &action));
        routes.push(Route { path, at: format!("config/routes.js:{}", index + 1), guarded });
    }
    routes
}

/// Route tables keyed the same way outside Sails, whose entries say themselves whether they
/// need a login (`'get /api/v1/ping': { authenticated: false, controller: ... }`, Gladys): a
/// GET entry with `authenticated: false` is an open page, one with `true` a guarded one. An
/// entry that says neither is left out: nothing tells who may call it.
fn keyed_tables(files: &AppFiles) -> Vec<Route> {
    let code = files.with_extensions(&["js", "mjs", "cjs", "ts"]).filter(|(path, _)| {
        *path != "config/routes.js" && !crate::analyze::source::is_test_path(path) && !path.contains("node_modules/")
    });
    let mut routes = Vec::new();
    for (path, text) in code.filter(|(_, text)| text.contains("authenticated:")) {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let Some((Some(verb), route, target)) = route_key(line) else { continue };
            if verb != "get" || !target.trim_start().starts_with('{') {
                continue;
            }
            let entry = lines[index..lines.len().min(index + 6)].join(" ");
            let entry = entry.split('}').next().unwrap_or("").replace(' ', "").to_ascii_lowercase();
            // `externalIntegrationAuth: true` beside `authenticated: false`: another login.
            let other_login = entry.contains("auth:true");
            let guarded = match (entry.contains("authenticated:false"), entry.contains("authenticated:true")) {
                (_, true) => true,
                (true, false) => other_login,
                (false, false) => continue,
            };
            routes.push(Route { path: route, at: format!("{path}:{}", index + 1), guarded });
        }
    }
    routes
}

/// `'GET /ping': 'PingController.ping',` → (`get`, `/ping`, `'PingController.ping',`).
fn route_key(line: &str) -> Option<(Option<String>, String, &str)> {
    let code = line.trim_start();
    let quote = code.chars().next().filter(|c| ['\'', '"'].contains(c))?;
    let (key, target) = code[1..].split_once(quote)?;
    let target = target.trim_start().strip_prefix(':')?;
    let (verb, path) = match key.split_once(' ') {
        Some((verb, path)) => (Some(verb.to_ascii_lowercase()), path.trim()),
        None => (None, key),
    };
    path.starts_with('/').then(|| (verb, path.to_string(), target))
}

/// The controller (`Ping`, without its suffix) and action a route's target names:
/// `'PingController.ping'`, `{ controller: 'Ping', action: 'ping' }`, or an action path
/// (`{ action: 'user/me' }`), whose policies sit under `'user/me'`.
fn target_of(target: &str) -> (Option<String>, String) {
    let literal = |after: &str| target.split_once(after).and_then(|(_, rest)| super::mounts::first_literal(rest));
    if let Some(action) = literal("action:") {
        let controller = literal("controller:").map(|c| c.trim_end_matches("Controller").to_string());
        return (controller.or(Some(action.clone())), action);
    }
    let Some(named) = super::mounts::first_literal(target) else { return (None, String::new()) };
    match named.split_once('.') {
        Some((controller, action)) => (Some(controller.trim_end_matches("Controller").to_string()), action.into()),
        None => (Some(named.clone()), named),
    }
}

/// Whether the policies for `controller`'s `action` (its own entry, else its `'*'`, else the
/// app-wide `'*'`) ask for a login; `false` refuses everyone.
fn policy_guards(policies: &str, controller: &str, action: &str) -> bool {
    let lines: Vec<&str> = policies.lines().collect();
    let opens = |line: &str| {
        let code = line.trim_start();
        [format!("{controller}Controller:"), format!("{controller}:"), format!("'{controller}':")]
            .iter()
            .any(|name| code.starts_with(name.as_str()))
    };
    let block = lines.iter().position(|line| opens(line)).map(|at| {
        let indent = lines[at].len() - lines[at].trim_start().len();
        let end = lines[at + 1..].iter().position(|l| l.len() - l.trim_start().len() <= indent && !l.trim().is_empty());
        &lines[at + 1..at + 1 + end.unwrap_or(lines.len() - at - 1)]
    });
    let entry = |lines: &[&str], key: &str| {
        lines.iter().find_map(|line| {
            let code = line.trim_start();
            [format!("'{key}':"), format!("\"{key}\":"), format!("{key}:")]
                .iter()
                .find_map(|k| code.strip_prefix(k.as_str()))
                .map(str::to_string)
        })
    };
    let own = block.and_then(|block| entry(block, action).or_else(|| entry(block, "*")));
    // The app-wide default sits at the object's first level.
    let global = || lines.iter().filter(|l| l.len() - l.trim_start().len() <= 2).find_map(|l| entry(&[l], "*"));
    let Some(list) = own.or_else(global) else { return false };
    let list = list.to_ascii_lowercase();
    list.trim_start().starts_with("false") || LOGIN_POLICIES.iter().any(|policy| list.contains(policy))
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICIES: &str = "module.exports.policies = {\n  StatusController: {\n    '*': [],\n  },\n  '*': ['loadTenant', 'isLoggedIn'],\n};\n";

    #[test]
    fn a_route_table_whose_entries_say_who_may_call_them() {
        let table = "  const coreRoutes = {\n    // open routes\n    'get /api/v1/ping': {\n      authenticated: false,\n      controller: pingController.ping,\n    },\n    'get /api/v1/me': {\n      authenticated: true,\n      controller: userController.getMe,\n    },\n    'post /api/v1/login': {\n      authenticated: false,\n    },\n    'get /api/integration/v1/status': {\n      authenticated: false,\n      externalIntegrationAuth: true,\n    },\n  };\n";
        let routes = keyed_tables(&AppFiles::from_pairs([("api/routes.js", table)]));
        let found: Vec<(&str, &str, bool)> =
            routes.iter().map(|r| (r.path.as_str(), r.at.as_str(), r.guarded)).collect();
        assert_eq!(
            found,
            [
                ("/api/v1/ping", "api/routes.js:3", false),
                ("/api/v1/me", "api/routes.js:7", true),
                ("/api/integration/v1/status", "api/routes.js:14", true)
            ]
        );
    }

    #[test]
    fn routes_in_config_with_their_policies() {
        let routes = "module.exports.routes = {\n  'GET /status': 'StatusController.show',\n  'POST /items': 'ItemsController.create',\n  'GET /items': { action: 'items/list' },\n  '/': { view: 'pages/home' },\n};\n";
        let files = AppFiles::from_pairs([
            ("package.json", "{\"dependencies\":{\"sails\":\"1.5.0\"}}"),
            ("config/routes.js", routes),
            ("config/policies.js", POLICIES),
        ]);
        let found: Vec<(String, bool)> = declared(&files).into_iter().map(|r| (r.path, r.guarded)).collect();
        let expected = [("/status", false), ("/items", true), ("/", true)];
        assert_eq!(found, expected.map(|(p, g)| (p.to_string(), g)));
    }
}
