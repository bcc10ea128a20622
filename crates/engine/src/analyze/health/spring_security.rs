//! Spring Security's rules for which requests need a login: with
//! `.anyRequest().authenticated()`, only the paths a `requestMatchers(...).permitAll()` opens
//! (for GET, or any method) answer a load balancer; every other controller route answers 401.

use std::sync::LazyLock;

use regex::Regex;

use super::routes::Route;
use crate::analyze::app_files::AppFiles;

/// `requestMatchers(GET, "/articles/**", "/tags").permitAll()` (also `antMatchers`,
/// `mvcMatchers`, `HttpMethod.GET`).
static PERMITTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:requestMatchers|antMatchers|mvcMatchers)\(([^()]*)\)\s*\.permitAll\(\)").expect("valid pattern")
});

/// Marks the Java and Kotlin routes a security filter chain keeps behind a login.
pub(super) fn guard(files: &AppFiles, routes: &mut [Route]) {
    let Some(open) = open_patterns(files) else { return };
    let spring_route = |at: &str| at.contains(".java:") || at.contains(".kt:");
    for route in routes.iter_mut().filter(|r| spring_route(&r.at)) {
        if !open.iter().any(|pattern| matches(pattern, &route.path)) {
            route.guarded = true;
        }
    }
}

/// Whether a GET of `path` passes the filter chain; `None` without a chain that asks for a
/// login.
pub(super) fn permits(files: &AppFiles, path: &str) -> Option<bool> {
    open_patterns(files).map(|open| open.iter().any(|pattern| matches(pattern, path)))
}

/// The path patterns open to a GET, when a filter chain asks every other request for a login;
/// `None` without such a chain.
fn open_patterns(files: &AppFiles) -> Option<Vec<String>> {
    let chain = files.with_extensions(&["java", "kt"]).find(|(_, text)| {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        compact.contains(".anyRequest().authenticated()") || compact.contains(".anyRequest().hasRole(")
    })?;
    let compact: String = chain.1.chars().filter(|c| !c.is_whitespace()).collect();
    let mut open = Vec::new();
    for caps in PERMITTED.captures_iter(&compact) {
        let arguments: Vec<&str> = caps[1].split(',').collect();
        // `requestMatchers(HttpMethod.POST, ...)`: a method first; a constant's name is no method.
        const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
        let method = arguments.first().map(|a| a.rsplit('.').next().unwrap_or(a)).filter(|m| METHODS.contains(m));
        if method.is_some_and(|m| !matches!(m, "GET" | "HEAD")) {
            continue;
        }
        for argument in arguments.iter().skip(usize::from(method.is_some())) {
            match argument.strip_prefix('"').and_then(|a| a.strip_suffix('"')) {
                Some(pattern) => open.push(pattern.to_string()),
                None => open.extend(constant_patterns(&compact, argument.rsplit('.').next().unwrap_or(argument))),
            }
        }
    }
    Some(open)
}

/// The patterns of a constant array the matcher is handed by name: `requestMatchers(WHITE_LIST)`
/// over `String[] WHITE_LIST = {"/api/v1/auth/**", "/v3/api-docs"};` (Kotlin: `arrayOf(...)`).
/// `compact` is the file without whitespace.
fn constant_patterns(compact: &str, name: &str) -> Vec<String> {
    let is_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let declared = [format!("{name}={{"), format!("{name}=arrayOf("), format!("{name}=listOf(")];
    let Some(body) =
        declared.iter().filter(|_| is_name).find_map(|d| compact.split_once(d.as_str()).map(|(_, rest)| rest))
    else {
        return Vec::new();
    };
    let body = body.split(['}', ')']).next().unwrap_or("");
    body.split(',').filter_map(|a| a.strip_prefix('"')?.strip_suffix('"')).map(str::to_string).collect()
}

/// Whether an Ant-style pattern (`/articles/**`, `/profiles/*`, `/tags`) covers `path`.
fn matches(pattern: &str, path: &str) -> bool {
    if let Some(base) = pattern.strip_suffix("/**") {
        return path == base || path.starts_with(&format!("{base}/"));
    }
    let parts: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let path_parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    parts.len() == path_parts.len() && parts.iter().zip(&path_parts).all(|(p, q)| *p == "*" || p == q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_array_of_open_patterns_is_read() {
        let config = "class SecurityConfiguration {\n  private static final String[] WHITE_LIST_URL = {\"/api/v1/auth/**\",\n    \"/v3/api-docs\",\n    \"/swagger-ui/**\"};\n  SecurityFilterChain chain(HttpSecurity http) {\n    http.authorizeHttpRequests(req -> req.requestMatchers(WHITE_LIST_URL).permitAll()\n      .anyRequest().authenticated());\n  }\n}\n";
        let files = AppFiles::from_pairs([("src/main/java/app/SecurityConfiguration.java", config)]);
        assert_eq!(permits(&files, "/v3/api-docs"), Some(true));
        assert_eq!(permits(&files, "/swagger-ui/index.html"), Some(true));
        assert_eq!(permits(&files, "/api/v1/books"), Some(false));
    }

    #[test]
    fn routes_outside_the_permitted_patterns_need_a_login() {
        let security = "http.authorizeHttpRequests(requests -> requests\n    .requestMatchers(GET, \"/profiles/*\").permitAll()\n    .requestMatchers(HttpMethod.GET, \"/articles/**\", \"/tags\").permitAll()\n    .requestMatchers(POST, \"/users\").permitAll()\n    .anyRequest().authenticated());\n";
        let files = AppFiles::from_pairs([("src/main/java/app/Security.java", security)]);
        let route = |path: &str| Route { path: path.into(), at: "src/main/java/app/Api.java:3".into(), guarded: false };
        let mut routes =
            vec![route("/user"), route("/tags"), route("/articles/feed"), route("/profiles/ann"), route("/users")];
        guard(&files, &mut routes);
        let guarded: Vec<(&str, bool)> = routes.iter().map(|r| (r.path.as_str(), r.guarded)).collect();
        assert_eq!(
            guarded,
            [("/user", true), ("/tags", false), ("/articles/feed", false), ("/profiles/ann", false), ("/users", true)]
        );
    }
}
