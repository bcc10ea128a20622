//! Go servers that register pages from a list: `pages := []string{"/login", "/signup"}` and a
//! loop that calls `router.HandleFunc(p, serve)` with a name, not a literal. Each listed path
//! is a route the server answers, declared at its own line of the list.

use std::sync::LazyLock;

use regex::Regex;

use super::routes::Route;

/// `pages := []string{` or `var pages = []string{`: a list of strings opening.
static STRING_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:var\s+)?\w+\s*:?=\s*\[\]string\s*\{\s*$").expect("valid pattern"));
/// `HandleFunc(p,` or `Handle(path,`: a route registered under a name the code computes.
static COMPUTED_ROUTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\.Handle(?:Func)?\(\s*[A-Za-z_]\w*\s*[,+]").expect("valid pattern"));

/// The routes every listed page of a Go file that registers routes by name declares.
pub(super) fn declared(code: &[(&str, &str)]) -> Vec<Route> {
    let mut routes = Vec::new();
    for (path, text) in code.iter().filter(|(path, text)| path.ends_with(".go") && COMPUTED_ROUTE.is_match(text)) {
        let lines: Vec<&str> = text.lines().collect();
        for (open, _) in lines.iter().enumerate().filter(|(_, line)| STRING_LIST.is_match(line)) {
            let items: Vec<(usize, &str)> = lines[open + 1..]
                .iter()
                .enumerate()
                .take_while(|(_, line)| !line.trim_start().starts_with('}'))
                .map(|(offset, line)| (open + 2 + offset, line.trim().trim_end_matches(',')))
                .filter(|(_, item)| !item.is_empty() && !item.starts_with("//"))
                .collect();
            let paths: Vec<(usize, &str)> = items
                .iter()
                .filter_map(|(line, item)| Some((*line, item.strip_prefix('"')?.strip_suffix('"')?)))
                .filter(|(_, path)| path.starts_with('/'))
                .collect();
            // Only a list of nothing but paths is a list of pages.
            if paths.len() == items.len() && !paths.is_empty() {
                let route = |(line, page): &(usize, &str)| Route {
                    path: page.to_string(),
                    at: format!("{path}:{line}"),
                    guarded: false,
                };
                routes.extend(paths.iter().map(route));
            }
        }
    }
    routes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_pages_registered_by_name() {
        let text = "package main\n\nfunc static(router *mux.Router) {\n\tpages := []string{\n\t\t\"/login\",\n\t\t\"/signup\",\n\t}\n\tnames := []string{\n\t\t\"a\",\n\t}\n\tfor _, p := range pages {\n\t\trouter.HandleFunc(p, serve)\n\t}\n}\n";
        let routes = declared(&[("api/router_static.go", text)]);
        let found: Vec<(&str, &str)> = routes.iter().map(|r| (r.path.as_str(), r.at.as_str())).collect();
        assert_eq!(found, [("/login", "api/router_static.go:5"), ("/signup", "api/router_static.go:6")]);
        assert!(declared(&[("a.go", "var pages = []string{\n\t\"/x\",\n}\n")]).is_empty(), "nothing registers them");
    }
}
