//! Express routers mounted behind a login middleware (`app.use('/api/items', requireAuth,
//! items)`): Express runs the middleware before every route of the router, so none of them
//! answers a load balancer's GET without a session, whatever their own declarations say.

use super::routes::Route;

/// Words naming a middleware that asks who sends the request.
const LOGIN_WORDS: [&str; 5] = ["auth", "login", "jwt", "loggedin", "signedin"];

/// Marks guarded the routes under a prefix the code mounts behind a login middleware.
pub(super) fn mark(routes: &mut [Route], code: &[(&str, &str)]) {
    let prefixes = guarded_prefixes(code);
    routes.iter_mut().filter(|route| under(&route.path, &prefixes)).for_each(|route| route.guarded = true);
}

/// The prefixes the code's mount calls put behind a login middleware.
fn guarded_prefixes(code: &[(&str, &str)]) -> Vec<String> {
    let mut prefixes = Vec::new();
    for (_, text) in code {
        for line in text.lines().filter(|line| line.contains(".use(")) {
            let Some((_, arguments)) = line.split_once(".use(") else { continue };
            let arguments: Vec<&str> = arguments.split(',').map(str::trim).collect();
            let [first, middle @ .., _router] = arguments.as_slice() else { continue };
            let Some(prefix) = super::mounts::first_literal(first).filter(|p| p.starts_with('/') && p.len() > 1) else {
                continue;
            };
            let asks = |argument: &&str| {
                let lower = argument.to_ascii_lowercase();
                !lower.starts_with("require(") && LOGIN_WORDS.iter().any(|word| lower.contains(word))
            };
            if middle.iter().any(asks) {
                prefixes.push(prefix.trim_end_matches('/').to_string());
            }
        }
    }
    prefixes
}

/// Whether `path` answers under one of `prefixes`.
fn under(path: &str, prefixes: &[String]) -> bool {
    prefixes
        .iter()
        .any(|prefix| path == prefix || path.strip_prefix(prefix.as_str()).is_some_and(|rest| rest.starts_with('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_router_mounted_behind_a_login_middleware() {
        let app = "app.use('/api/items', requireAuth, items);\napp.use('/public', express.static('public'));\napp.use('/auth', require('./routes/auth'));\n";
        let prefixes = guarded_prefixes(&[("app.js", app)]);
        assert_eq!(prefixes, ["/api/items"]);
        assert!(under("/api/items/all", &prefixes));
        assert!(!under("/api/items-public", &prefixes));
    }
}
