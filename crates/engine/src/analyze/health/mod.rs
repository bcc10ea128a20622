//! The path a load balancer should check, read from the code when the instance has no health
//! check to copy. In order of trust: the health check the repository declares for its own
//! container, a health route the code declares (at its full path, prefixes followed), and
//! last a page that must answer without a login (a login page, Django's admin login), which
//! is said as a finding.

mod action_words;
mod adonis_groups;
mod before_request_guards;
mod comment_lines;
mod django_language;
mod django_urls;
mod django_views;
mod fastify_routes;
mod go_mounts;
mod go_page_lists;
mod handler_guards;
mod handler_modules;
mod hapi_prefixes;
mod koa_routers;
mod mount_calls;
mod mount_guards;
mod mounts;
mod nest_class_guards;
mod nest_modules;
mod nest_opt_in_guards;
mod next_routes;
mod optional_prefix;
mod prefixed_paths;
mod probes;
mod remix_routes;
mod routes;
mod routing_controllers;
mod sails_routes;
mod spring_security;
mod static_root;
mod swagger_ui;
mod ts_aliases;
mod unread_routes;

use std::sync::LazyLock;

use regex::Regex;

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact};
use crate::model::Finding;

/// Last path segments of health routes, most specific first.
const HEALTH_WORDS: [&str; 20] = [
    // Dockerflow's check for load balancers: answers without touching the backends.
    "__lbheartbeat__",
    "healthz",
    "health",
    "_health",
    "healthcheck",
    "health-check",
    "health_check",
    // Apollo Server's `/.well-known/apollo/server-health`.
    "server-health",
    "livez",
    "liveness",
    "readyz",
    "readiness",
    "heartbeat",
    "__heartbeat__",
    "status",
    "_status",
    "ping",
    // Not health routes, but ones most APIs leave open and cheap.
    "version",
    "info",
    "hello",
];

/// A middleware answering a path it compares the request's with: `if r.URL.Path == "/status"`,
/// `req.path === '/ping'`.
static PATH_COMPARED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)path\s*(?:===?|\.equals\()\s*["'`]/"#).expect("valid pattern"));

/// What serves a folder of files, perhaps at the root: `/` may answer without a route.
const STATIC_SERVERS: [&str; 6] =
    ["fastify-static", "@fastify/static", ".static(", "serve-static", "StaticFS(", "useStaticAssets("];

/// Pages every visitor may open, so they answer 200 without a session.
const PUBLIC_PAGES: [&str; 4] = ["login", "signin", "sign-in", "sign_in"];

/// Whether Spring Security lets a load balancer's GET reach `path` without a login: `None`
/// when no filter chain asks for one.
pub fn spring_permits(files: &AppFiles, path: &str) -> Option<bool> {
    spring_security::permits(files, path)
}

/// The path the repository's own health check (Dockerfile, compose, Kubernetes) requests:
/// a whole URL path, already under any context the server adds.
pub fn declared_probe(files: &AppFiles) -> Option<Fact<String>> {
    probes::declared(files)
}

/// The health check path for the code in `extensions`; a fallback page adds a finding.
pub fn health_path(files: &AppFiles, extensions: &[&str], findings: &mut Vec<Finding>) -> Option<Fact<String>> {
    let mut routes = routes::declared(files, extensions);
    spring_security::guard(files, &mut routes);
    before_request_guards::guard(files, &mut routes);
    let plain: Vec<&routes::Route> = routes.iter().filter(|r| is_one_endpoint(&r.path)).collect();
    let health_route = health_route(&plain);
    // A probe of the root page is the image's least effort: a health route the code
    // declares says more.
    let root_only = |probe: &Fact<String>| probe.value == "/" && health_route.is_some();
    if let Some(declared) = probes::declared(files) {
        // A container probe may follow redirects (`curl -L`); a load balancer does not, and a
        // page behind a login answers it with a redirect.
        match routes.iter().find(|r| r.path == declared.value && r.guarded) {
            None if root_only(&declared) => {}
            None => return Some(declared),
            Some(guarded) => findings.push(Finding::info(
                "health-probe-redirects",
                format!(
                    "the repository's health check ({}) asks for {}, which answers with a redirect (to a login, or to a language prefix): a load balancer counts that as unhealthy, so ferry checks another path",
                    declared.source, declared.value
                ),
                guarded.at.clone(),
            )),
        }
    }
    if let Some(route) = health_route.or_else(|| mentioned(files, extensions)) {
        return Some(route);
    }
    let page = open_page(files, extensions, &plain);
    let fix = "add a GET /health route that answers 200 without a login, and set it as the health check path";
    let Some(page) = page else {
        return last_resort(files, extensions, &routes, &plain, findings);
    };
    let unread = handler_modules::unread_at(&all_code(files), &page.source);
    let what = match page.value.as_str() {
        "/" if unread => "the root page, whose handler ferry could not read: check it answers 200 without a session",
        "/" => "the root page, which no login guards in the code",
        _ => "a page that answers without a login",
    };
    findings.push(
        Finding::info(
            "health-page",
            format!("no health route in the code: the service checks {}, {what}", page.value),
            page.source.clone(),
        )
        .with_fix(fix),
    );
    Some(page)
}

/// When the code has no health route and no open page: an API route no login guards in its
/// declaration (an app-wide middleware may, so the operator is asked to look), else the API
/// docs a Swagger UI handler serves. With neither, and routes that all need a login and none
/// at `/`, a check of `/` would get a 404: said here, with the routes' place.
fn last_resort(
    files: &AppFiles,
    extensions: &[&str],
    routes: &[routes::Route],
    plain: &[&routes::Route],
    findings: &mut Vec<Finding>,
) -> Option<Fact<String>> {
    let fix = "add a GET /health route that answers 200 without a login, and set it as the health check path";
    let warn = |message: String, source: &str| Finding::warning("no-health-route", message, source).with_fix(fix);
    if let Some(route) = open_route(files, plain) {
        findings.push(warn(
            format!(
                "no health route or open page in the code: the service checks {}, a route no login guards in its declaration; check it answers 200 without a session",
                route.value
            ),
            &route.source,
        ));
        return Some(route);
    }
    if let Some(docs) = swagger_ui::docs_page(files, routes) {
        findings.push(warn(
            format!(
                "no health route or open page in the code: the service checks {}, the API docs page a Swagger UI handler serves without a login; a health route says more",
                docs.value
            ),
            &docs.source,
        ));
        return Some(docs);
    }
    if let Some(docs) = swagger_ui::nest_docs_page(files, extensions) {
        findings.push(warn(
            format!(
                "no health route or open page in the code: the service checks {}, the API docs page Nest's Swagger module serves without a login; a health route says more",
                docs.value
            ),
            &docs.source,
        ));
        return Some(docs);
    }
    if let Some(docs) = swagger_ui::springdoc_page(files) {
        findings.push(warn(
            format!(
                "no health route or open page in the code: the service checks {}, the API description springdoc builds, which the security chain lets through without a login; a health route says more",
                docs.value
            ),
            &docs.source,
        ));
        return Some(docs);
    }
    // A static file server (`fastify-static`, `express.static`) may answer `/` with a page.
    let serves_files =
        files.with_extensions(extensions).any(|(_, text)| STATIC_SERVERS.iter().any(|server| text.contains(server)));
    // A GET route whose path the scan could not read may be an open one.
    let all_read = !unread_routes::any(files, extensions);
    let first =
        routes.first().filter(|_| !serves_files && all_read && routes.iter().all(|r| r.guarded && r.path != "/"))?;
    // swagger-ui-express's pages answer without a login: not every GET needs one.
    if let Some(docs) = swagger_ui::express_docs_mount(files, extensions) {
        findings.push(warn(
            format!(
                "no health route in the code, and no GET /: a check of / answers 404 and every task fails it; the GET routes it declares need a login (first: {}), and the only open pages are the API docs swagger-ui-express serves ({docs}) at a path its mount calls decide",
                first.path
            ),
            &first.at,
        ));
        return None;
    }
    findings.push(warn(
        format!(
            "no health route or open page in the code, and no GET /: every GET route it declares needs a login (first: {}), so a check of / answers 404 or 401 and every task fails it",
            first.path
        ),
        &first.at,
    ));
    None
}

/// A page that answers without a login, when the code declares no health route: the root
/// (a route, or a single-page app's static folder), a login page, Django's admin login,
/// FastAPI's docs.
fn open_page(files: &AppFiles, extensions: &[&str], plain: &[&routes::Route]) -> Option<Fact<String>> {
    let open_root = plain
        .iter()
        .find(|r| r.path == "/" && !r.guarded)
        .map(|r| fact(r.path.clone(), r.at.clone()))
        .or_else(|| redirect_target(files, plain))
        .or_else(|| static_root::spa_root(files, extensions));
    // An API's login takes a POST; a page's answers a GET.
    // A login page that sends a fresh install to its setup page is no open page either.
    let login = plain
        .iter()
        .filter(|r| !r.path.contains("/api/") && !r.guarded)
        .find(|r| PUBLIC_PAGES.contains(&last_segment(&r.path).as_str()))
        .map(|r| fact(r.path.clone(), r.at.clone()));
    open_root
        .or(login)
        .or_else(|| {
            let admin = plain
                .iter()
                .find(|r| r.path.ends_with("/admin/") && files.files.values().any(|t| t.contains("admin.site.urls")))?;
            if !admin.path.starts_with("/admin") || !admin.guarded {
                return Some(fact(format!("{}login/", admin.path), admin.at.clone()));
            }
            // Mounted inside `i18n_patterns(...)` (so marked guarded) it redirects to its
            // language prefix: the page that answers is the default language's.
            let language = django_language::default_language_prefix(files)?;
            Some(fact(format!("/{language}{}login/", admin.path), format!("{} (under {language}/)", admin.at)))
        })
        .or_else(|| fastapi_docs(files, extensions))
}

/// The page a root route sends every visitor to (`res.redirect('/posts')`), when the code
/// declares it and no login guards it: it answers the load balancer where the root redirects.
fn redirect_target(files: &AppFiles, plain: &[&routes::Route]) -> Option<Fact<String>> {
    let code = all_code(files);
    let root = plain.iter().find(|r| r.path == "/")?;
    let target = handler_modules::always_redirects_to(&code, &root.at)?;
    let page = plain.iter().find(|r| r.path.trim_end_matches('/') == target.trim_end_matches('/') && !r.guarded)?;
    // The path as the redirect writes it: `/posts`, not the mounted router's `/posts/`.
    Some(fact(target, format!("{} (the root page redirects there)", page.at)))
}

fn all_code(files: &AppFiles) -> Vec<(&str, &str)> {
    files.files.iter().map(|(path, text)| (path.as_str(), text.as_str())).collect()
}

/// The open route whose last segment is the most specific health word; else one under a
/// health segment (`/v1/health/redis`, a health router mounted at a prefix whose own path
/// answers 404).
fn health_route(plain: &[&routes::Route]) -> Option<Fact<String>> {
    let rank = |path: &str| {
        // `/_readiness`, `/__healthcheck`: an underscore only keeps the route out of the app's
        // own namespace, the word is still the health word.
        let bare = |s: &str| s.trim_matches('_').to_ascii_lowercase();
        let word = |segment: &str| HEALTH_WORDS.iter().position(|w| bare(segment) == bare(w));
        // `info` and `hello` say health only as the last segment, and never of a person's
        // (`/api/user/info` answers for a session).
        let weak = |rank: usize| HEALTH_WORDS[rank] == "info" || HEALTH_WORDS[rank] == "hello";
        let personal = path.trim_matches('/').split('/').any(|s| PERSONAL.contains(&s.to_ascii_lowercase().as_str()));
        match word(&last_segment(path)) {
            Some(rank) if weak(rank) && personal => None,
            Some(rank) => Some(rank),
            None => {
                let under = path.trim_end_matches('/').rsplit('/').skip(1).find_map(word).filter(|r| !weak(*r))?;
                Some(HEALTH_WORDS.len() + under)
            }
        }
    };
    plain
        .iter()
        .filter(|r| !r.guarded && !in_a_staff_area(&r.path))
        .filter_map(|r| rank(&r.path).map(|rank| (rank, *r)))
        .min_by_key(|(rank, r)| (*rank, r.path.len()))
        .map(|(_, r)| fact(r.path.clone(), r.at.clone()))
}

/// Path segments that make a route a person's: what it answers needs their session.
const PERSONAL: [&str; 6] = ["user", "users", "me", "account", "profile", "session"];

/// Whether `path` sits in an admin or settings area (`/settings/celery/ping`): a page for the
/// app's staff, commonly behind a login the route's declaration does not show, and one that
/// checks a back-office service rather than the web server itself.
fn in_a_staff_area(path: &str) -> bool {
    const AREAS: [&str; 2] = ["admin", "settings"];
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let above_last = &segments[..segments.len().saturating_sub(1)];
    above_last.iter().any(|segment| AREAS.contains(&segment.to_ascii_lowercase().as_str()))
}

/// FastAPI serves its API docs at `/docs` unless the app turns them off (`docs_url=None`):
/// a page with no login and no database behind it.
fn fastapi_docs(files: &AppFiles, extensions: &[&str]) -> Option<Fact<String>> {
    let code = files.with_extensions(extensions).filter(|(path, _)| !crate::analyze::source::is_test_path(path));
    for (path, text) in code {
        if let Some(index) = text.lines().position(|line| line.contains("FastAPI(")) {
            // `docs_url=None` turns the docs off; `docs_url=None if ENV == "production" else
            // "/docs"` only in one environment, and the literal after `else` serves otherwise.
            let turned_off = text.lines().any(|line| {
                let line = line.replace(' ', "");
                line.split_once("docs_url=None").is_some_and(|(_, rest)| !rest.starts_with("if"))
            });
            let custom =
                text.lines().find_map(|line| line.split_once("docs_url=").and_then(|(_, rest)| docs_literal(rest)));
            return match (turned_off, custom) {
                (true, _) => None,
                (false, Some(custom)) if custom.starts_with('/') => Some(fact(custom, format!("{path}:{}", index + 1))),
                (false, _) => Some(fact("/docs".to_string(), format!("{path}:{} FastAPI's API docs", index + 1))),
            };
        }
    }
    None
}

/// The path a `docs_url=` argument gives: its literal, or the `else` branch's when the docs are
/// turned off in one environment only.
fn docs_literal(argument: &str) -> Option<String> {
    let argument = argument.split_once(" else ").map_or(argument, |(_, otherwise)| otherwise);
    mounts::first_literal(argument)
}

/// The shortest route no login guards that takes no parameter and changes nothing by its name
/// (`/api/tags`): when the app has no health route and no open page, a read of a public list
/// answers 200. A route whose path or handler names an action (`/api/email/moderate`,
/// `commentApproveHandler`) is no candidate: it answers for one request it expects, often
/// with an error body, and a check must not run the action.
fn open_route(files: &AppFiles, routes: &[&routes::Route]) -> Option<Fact<String>> {
    const ACTIONS: [&str; 10] =
        ["logout", "callback", "oauth", "webhook", "delete", "export", "download", "reset", "verify", "confirm"];
    let names_action = |r: &&&routes::Route| {
        ACTIONS.iter().any(|action| r.path.to_ascii_lowercase().contains(action))
            || action_words::names_action(&r.path)
            || declaration_line(files, &r.at).is_some_and(action_words::names_action)
    };
    routes
        .iter()
        .filter(|r| !r.guarded && r.path != "/")
        .filter(|r| !names_action(r))
        .min_by_key(|r| (r.path.len(), r.path.clone()))
        .map(|r| fact(r.path.clone(), r.at.clone()))
}

/// The line a route is declared on (`router_api.go:40`), where its handler is named.
fn declaration_line<'a>(files: &'a AppFiles, at: &str) -> Option<&'a str> {
    let (path, line) = at.rsplit_once(':')?;
    let line: usize = line.trim().parse().ok()?;
    files.get(path)?.lines().nth(line.checked_sub(1)?)
}

/// A health path the code names in a health setting (`healthCheck: { path: process.env.X ||
/// '/status' }`) rather than in a route call: the app serves it through a library.
fn mentioned(files: &AppFiles, extensions: &[&str]) -> Option<Fact<String>> {
    // An integration's or a client's code names the paths of the services it calls
    // (`packages/integrations/src/coolify/…`, `clients/`), never the app's own.
    let calls_others = |path: &str| {
        path.split('/').any(|segment| {
            let segment = segment.to_ascii_lowercase();
            segment.contains("integration") || segment == "clients" || segment == "client"
        })
    };
    let code = files.with_extensions(extensions).filter(|(path, _)| {
        crate::analyze::variables::scope_of(path) == crate::model::VariableScope::Runtime && !calls_others(path)
    });
    let mut best: Option<(usize, Fact<String>)> = None;
    for (path, text) in code {
        let names_health = |line: &str| line.as_bytes().windows(6).any(|w| w.eq_ignore_ascii_case(b"health"));
        // `self.get_response("/_cluster/health")`: a path the code requests is another
        // service's (a search cluster's, an upstream's), not one the app answers.
        let requests = |line: &str| {
            let lower = line.to_ascii_lowercase();
            // `this.url("/api/health")`: an integration building another server's address.
            ["request", "response", "fetch(", "axios", "client", "urlopen", "curl", "http.get(", ".url(", "new url("]
                .iter()
                .any(|w| lower.contains(w))
        };
        // A path named in a comment (what another service's routes require) is no setting.
        let named = |line: &str| {
            (names_health(line) || PATH_COMPARED.is_match(line)) && !requests(line) && !comment_lines::commented(line)
        };
        for (index, line) in text.lines().enumerate().filter(|(_, l)| named(l)) {
            for literal in ['"', '\'', '`'].iter().flat_map(|q| line.split(*q).skip(1).step_by(2)) {
                // `include_router(health, prefix="/v1/health")`: a router's mount point, where
                // only the routes below it answer.
                if is_a_mount_prefix(line, literal) {
                    continue;
                }
                let rank = HEALTH_WORDS.iter().position(|w| *w == last_segment(literal));
                if let Some(rank) = rank.filter(|_| is_one_endpoint(literal))
                    && best.as_ref().is_none_or(|(r, _)| rank < *r)
                {
                    best = Some((rank, fact(literal.to_string(), format!("{path}:{}", index + 1))));
                }
            }
        }
    }
    best.map(|(_, found)| found)
}

/// Whether `literal` is the value of a prefix on `line` (`prefix=`, `url_prefix=`, `API_PREFIX =`).
fn is_a_mount_prefix(line: &str, literal: &str) -> bool {
    line.split(literal).next().is_some_and(|before| {
        let before = before.trim_end_matches(['"', '\'', '`']).trim_end().trim_end_matches('=').trim_end();
        before.to_ascii_lowercase().ends_with("prefix")
    })
}

fn last_segment(path: &str) -> String {
    path.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_ascii_lowercase()
}

/// A pattern with parameters (`/badge/:id/status`, `ping/<uuid>`) is not one endpoint; a
/// favicon is the browser's, commonly answered with no content, and says nothing of the app.
fn is_one_endpoint(path: &str) -> bool {
    path.starts_with('/')
        && !path.contains("://")
        && !path.contains([' ', ':', '<', '{', '*', '$', '(', '[', '?'])
        && !path.ends_with("favicon.ico")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(pairs: &[(&str, &str)], extensions: &[&str]) -> (Option<String>, Vec<String>) {
        let mut findings = Vec::new();
        let path = health_path(&AppFiles::from_pairs(pairs.iter().copied()), extensions, &mut findings);
        (path.map(|p| p.value), findings.into_iter().map(|f| f.kind).collect())
    }

    #[test]
    fn the_declared_probe_wins_over_route_names() {
        let pairs = [
            ("Dockerfile", "HEALTHCHECK CMD curl -f http://localhost:8080/api/app/about\n"),
            ("app.py", "app = FastAPI()\n@app.get(\"/healthz\")\n"),
        ];
        assert_eq!(chosen(&pairs, &["py"]).0.as_deref(), Some("/api/app/about"));
    }

    #[test]
    fn a_health_route_before_a_login_page_and_a_login_page_said() {
        let both = [("app.py", "app = Flask(__name__)\n@app.route('/login')\n@app.route('/ping')\n")];
        assert_eq!(chosen(&both, &["py"]), (Some("/ping".into()), vec![]));
        let login =
            [("app.py", "app = Flask(__name__)\n@app.route('/auth/login')\n@app.route('/user/<name>/status')\n")];
        assert_eq!(chosen(&login, &["py"]), (Some("/auth/login".into()), vec!["health-page".into()]));
    }

    #[test]
    fn django_admin_login_when_nothing_else_answers() {
        let pairs = [
            ("config/settings.py", "ROOT_URLCONF = \"config.urls\"\n"),
            ("config/urls.py", "urlpatterns = [path(\"admin/\", admin.site.urls)]\n"),
        ];
        assert_eq!(chosen(&pairs, &["py"]).0.as_deref(), Some("/admin/login/"));
    }

    #[test]
    fn a_path_the_code_requests_is_not_its_own() {
        let runner =
            "class Elastic:\n    def test(self):\n        _, error = self.get_response(\"/_cluster/health\")\n";
        assert_eq!(chosen(&[("query_runner/elastic.py", runner)], &["py"]).0, None);
    }

    #[test]
    fn a_health_router_under_a_prefix_answers_below_it() {
        let main = "from fastapi import FastAPI\nfrom api.probe import router as probe\napp = FastAPI()\napp.include_router(\n    probe,\n    prefix=\"/v3/health\",\n)\n";
        let probe = "from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get(\"/cache\")\nasync def cache():\n    return {}\n";
        assert_eq!(
            chosen(&[("main.py", main), ("api/probe.py", probe)], &["py"]).0.as_deref(),
            Some("/v3/health/cache")
        );
        assert_eq!(chosen(&[("main.py", main)], &["py"]).0.as_deref(), Some("/docs"), "the prefix alone answers 404");
    }

    #[test]
    fn a_root_whose_handler_was_not_read_is_not_called_unguarded() {
        let routes = "const handlers = require('./handlers');\nmodule.exports = (app) => {\n  app.get('/', handlers.home);\n};\n";
        let files = AppFiles::from_pairs([("src/routes.js", routes)]);
        let mut findings = Vec::new();
        let path = health_path(&files, &["js"], &mut findings).map(|p| p.value);
        assert_eq!(path.as_deref(), Some("/"));
        assert!(findings[0].message.contains("could not read"), "{}", findings[0].message);
    }

    #[test]
    fn guarded_routes_without_a_root_are_said_unless_files_are_served() {
        let api = "const app = express();\napp.get('/api/me', requireAuth, (req, res) => res.json(req.user));\n";
        assert_eq!(chosen(&[("app.js", api)], &["js"]), (None, vec!["no-health-route".into()]));
        let site = format!("{api}app.use(express.static('public'));\n");
        assert_eq!(chosen(&[("app.js", site.as_str())], &["js"]), (None, vec![]));
    }

    #[test]
    fn nothing_known_is_none() {
        assert_eq!(chosen(&[("app.js", "module.exports = {}\n")], &["js"]), (None, vec![]));
    }
}
