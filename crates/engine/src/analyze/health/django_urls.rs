//! One Django URL module read as Django reads it: `path()` and `re_path()` calls, also when
//! their arguments span lines, under the prefixes of the `include([...])` lists they sit in.
//! Routes inside `i18n_patterns(...)` answer under a language prefix (`/en/...`), and the bare
//! path redirects to it: they are kept at their bare path, as redirects.

use std::sync::LazyLock;

use regex::Regex;

use super::mounts::{first_literal, join};

static PATH_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*(?:urlpatterns\s*\+?=\s*)?\[?\s*(?:re_)?path\(\s*r?(["'][^"']*["'])(.*)"#).expect("valid pattern")
});

/// Wrappers that send a visitor without a session to the login page.
const LOGIN_WRAPPERS: [&str; 5] =
    ["login_required", "permission_required", "staff_member_required", "user_passes_test", "redirectview"];

/// A route a URL module declares: its path under the module's prefix, its line, and whether a
/// login (or a redirect) stands before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DjangoRoute {
    pub path: String,
    pub line: usize,
    pub guarded: bool,
    /// The class-based view it serves (`SystemStatusView` of `SystemStatusView.as_view()`).
    pub view: Option<String>,
}

static VIEW_CLASS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\w+)\.as_view\(").expect("valid pattern"));
/// A function view after the route's pattern: `path('', views.index, name='index')`.
static VIEW_FUNCTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*,\s*(?:\w+\.)*(\w+)\s*[,)]"#).expect("valid pattern"));

/// What one URL module declares: its routes, and the modules it includes with their prefixes.
#[derive(Debug, Default)]
pub(super) struct UrlModule {
    pub routes: Vec<DjangoRoute>,
    /// Each included module, its prefix, and whether its routes redirect.
    pub includes: Vec<(String, String, bool)>,
}

/// A bracketed region that sets the prefix of the routes inside it, or makes them redirect
/// (to a language prefix).
struct Scope {
    prefix: String,
    redirects: bool,
    depth: i32,
}

/// Reads the module `text`, whose routes answer under `prefix` (and redirect, when `redirects`).
pub(super) fn read(text: &str, prefix: &str, redirects: bool) -> UrlModule {
    let lines: Vec<&str> = text.lines().collect();
    let mut module = UrlModule::default();
    let mut scopes = vec![Scope { prefix: prefix.to_string(), redirects, depth: -1 }];
    let mut depth = 0;
    for (index, line) in lines.iter().enumerate() {
        let code = without_strings(line);
        let current = scopes.last().map_or(prefix.to_string(), |scope| scope.prefix.clone());
        let redirects = scopes.iter().any(|scope| scope.redirects);
        if code.trim_start().starts_with('#') {
            continue;
        }
        if code.contains("i18n_patterns(")
            && !call_text(&lines, index, "i18n_patterns(").contains("prefix_default_language=False")
        {
            scopes.push(Scope { prefix: current, redirects: true, depth });
        } else if code.contains("path(") {
            let call = call_text(&lines, index, "path(");
            if let Some(caps) = PATH_CALL.captures(&call) {
                // Django's patterns are plain strings: `$` ends a regex, it interpolates nothing.
                let literal = caps[1].trim_matches(['"', '\'']).to_string();
                let full = join(&current, catch_all_as_root(&literal));
                let rest = &caps[2];
                match rest.split_once("include(") {
                    Some((_, included)) if included.trim_start().starts_with('[') => {
                        scopes.push(Scope { prefix: full, redirects, depth });
                    }
                    Some((_, included)) => {
                        if let Some(target) = imported_module(text, included).or_else(|| first_literal(included)) {
                            module.includes.push((target, full, redirects));
                        }
                    }
                    // A Channels consumer answers websockets, not a load balancer's GET.
                    None if rest.contains(".as_asgi(") => {}
                    // A router's URL list (`api_router.urls`) mounted here answers under its
                    // own prefixes; DRF's DefaultRouter and an admin site have a view at the
                    // mount point itself.
                    None if mounts_a_url_list(rest) && !text.contains("DefaultRouter(") => {}
                    None => {
                        let lower = rest.to_ascii_lowercase();
                        let guarded = redirects || LOGIN_WRAPPERS.iter().any(|w| lower.contains(w));
                        let view = VIEW_CLASS
                            .captures(rest)
                            .or_else(|| VIEW_FUNCTION.captures(rest))
                            .map(|caps| caps[1].to_string());
                        module.routes.push(DjangoRoute { path: rooted(&full), line: index + 1, guarded, view });
                    }
                }
            }
        }
        depth += code.matches(['(', '[']).count() as i32 - code.matches([')', ']']).count() as i32;
        while scopes.last().is_some_and(|scope| depth <= scope.depth) {
            scopes.pop();
        }
    }
    module
}

/// `, api_router.urls)`: the route's target is a router's list of URL patterns (an admin
/// site's, `admin.site.urls`, has its index there).
fn mounts_a_url_list(rest: &str) -> bool {
    let target = rest.trim_start().trim_start_matches(',').split([',', ')']).next().unwrap_or("").trim();
    target.strip_suffix(".urls").is_some_and(|object| {
        let plain = object.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        !object.is_empty() && plain && object != "site" && !object.ends_with(".site")
    })
}

/// A regex route's anchors dropped; a catch-all (`.*`, `^`) answers the root. An optional
/// trailing slash (`^status/?$`) answers without it.
fn catch_all_as_root(literal: &str) -> &str {
    let bare = literal.trim_start_matches('^').trim_end_matches('$');
    let bare = bare.strip_suffix("/?").unwrap_or(bare);
    if bare == ".*" || bare == "(.*)" { "" } else { bare }
}

/// The module an `include(api_urls)` names through the file's imports: `from api import urls
/// as api_urls` or `import api.urls as api_urls` make it `api.urls`.
fn imported_module(text: &str, included: &str) -> Option<String> {
    let name = included.trim_start().split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).next()?;
    if name.is_empty() {
        return None;
    }
    text.lines().map(str::trim).find_map(|line| {
        if let Some(rest) = line.strip_prefix("from ") {
            let (package, imported) = rest.split_once(" import ")?;
            let package = package.trim();
            imported.split(',').find_map(|item| {
                let (module, alias) = item.trim().split_once(" as ").unwrap_or((item.trim(), item.trim()));
                (alias.trim() == name && !package.starts_with('.')).then(|| format!("{package}.{}", module.trim()))
            })
        } else {
            let rest = line.strip_prefix("import ")?;
            let (module, alias) = rest.split_once(" as ").unwrap_or((rest, rest));
            (alias.trim() == name).then(|| module.trim().to_string())
        }
    })
}

fn rooted(path: &str) -> String {
    if path.starts_with('/') { path.to_string() } else { format!("/{path}") }
}

/// The call that opens on line `index` at `opener`, up to its closing parenthesis, joined onto
/// one line (Django projects often write each argument on its own line).
fn call_text(lines: &[&str], index: usize, opener: &str) -> String {
    let first = lines[index];
    let start = first.find(opener).map_or(0, |at| at);
    let mut text = String::new();
    let mut depth = 0;
    let mut opened = false;
    for (number, line) in lines[index..].iter().take(12).enumerate() {
        let piece = if number == 0 { &first[start..] } else { line.trim() };
        text.push_str(piece);
        text.push(' ');
        let code = without_strings(piece);
        for c in code.chars() {
            match c {
                '(' | '[' => {
                    depth += 1;
                    opened = true;
                }
                ')' | ']' => depth -= 1,
                _ => {}
            }
            if opened && depth <= 0 {
                return format!("{}{text}", &first[..start]);
            }
        }
    }
    format!("{}{text}", &first[..start])
}

/// The line with its string literals emptied: a regex route's brackets are not code.
fn without_strings(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some(_) => {}
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '#' => break,
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str) -> Vec<(String, bool)> {
        read(text, "", false).routes.into_iter().map(|r| (r.path, r.guarded)).collect()
    }

    #[test]
    fn calls_across_lines_and_inline_include_lists() {
        let text = "urlpatterns = [\n    path(\n        \"accounts/\",\n        include(\n            [\n                path(\"login/\", views.login, name=\"login\"),\n            ],\n        ),\n    ),\n    re_path(\n        r\".*\",\n        login_required(IndexView.as_view()),\n    ),\n    path(\"api/\", include(\"app.api.urls\")),\n]\n";
        assert_eq!(paths(text), [("/accounts/login/".to_string(), false), ("/".to_string(), true)]);
        assert_eq!(read(text, "", false).includes, [("app.api.urls".to_string(), "/api/".to_string(), false)]);
    }

    #[test]
    fn language_prefixed_routes_redirect() {
        let text = "urlpatterns = i18n_patterns(\n    path(\"\", views.index),\n    path(\"user/login\", views.login),\n)\nurlpatterns += [\n    path(\"api/v2/version/\", views.version),\n    re_path(r\"^items/(?P<pk>[0-9]+)/$\", views.item),\n]\n";
        assert_eq!(
            paths(text),
            [
                ("/".to_string(), true),
                ("/user/login".to_string(), true),
                ("/api/v2/version/".to_string(), false),
                ("/items/(?P<pk>[0-9]+)/".to_string(), false)
            ]
        );
        let unprefixed =
            "urlpatterns = i18n_patterns(\n    path(\"\", views.index),\n    prefix_default_language=False,\n)\n";
        assert_eq!(paths(unprefixed), [("/".to_string(), false)]);
    }

    #[test]
    fn modules_included_by_their_imported_name_and_optional_slashes() {
        let root = "from django.urls import path\nfrom shop import urls as shop_urls\nimport blog.urls\nurlpatterns = [\n    path(\"\", include(shop_urls)),\n    path(\"blog/\", include(blog.urls)),\n]\n";
        let includes: Vec<(String, String)> =
            read(root, "", false).includes.into_iter().map(|(module, at, _)| (module, at)).collect();
        assert_eq!(
            includes,
            [("shop.urls".to_string(), "".to_string()), ("blog.urls".to_string(), "/blog/".to_string())]
        );
        let optional = "urlpatterns = [\n    re_path(r\"^$\", views.Welcome.as_view()),\n    re_path(r\"^status/?$\", views.Health.as_view(), name=\"health\"),\n]\n";
        assert_eq!(paths(optional), [("/".to_string(), false), ("/status".to_string(), false)]);
    }

    #[test]
    fn a_routers_url_list_is_no_view_at_its_mount_point() {
        let text = "urlpatterns = [\n    path(\"api/v1/\", api_router.urls, name=\"api\"),\n    path(\"search/\", views.search),\n]\n";
        assert_eq!(paths(text), [("/search/".to_string(), false)]);
        let default_router = "router = routers.DefaultRouter()\nurlpatterns = [\n    path(\"api/\", router.urls),\n]\n";
        assert_eq!(paths(default_router), [("/api/".to_string(), false)]);
    }
}
