//! The routes the code declares, at the full path they answer on: a receiver's route
//! (`@router.get`, `r.GET`, `app.get`) under its router's prefixes, a Nest controller's or a
//! Spring controller's methods under the class's path, a Django `path()` under the prefixes
//! of the `include()`s that reach its module, a Next.js route file under its folder.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::adonis_groups;
use super::comment_lines::after_in_code;
use super::mounts::{Mounts, first_literal, join};
use super::nest_class_guards::nest_guarded;
use super::prefixed_paths;
use super::{
    django_urls, django_views, fastify_routes, go_mounts, handler_guards, handler_modules, mount_guards, nest_modules,
    next_routes, routing_controllers,
};
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

/// A route the app answers, and where it is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub path: String,
    pub at: String,
    /// Declared behind a login (`@login_required`, an `isAuthenticated` middleware).
    pub guarded: bool,
}

// gorilla/mux chains the method before the path: `router.Methods("GET").Path("/health")`;
// Express in TypeScript may give the handler's types first: `router.get<P, Body>('/status', ...)`.
static RECEIVER_ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(\w+)(?:\.Methods\([^)]*\))?\.(?:get|head|route|api_route|all|GET|HEAD|Get|Head|Any|Match|HandleFunc|Handle|HandlerFunc|add_url_rule|Path)(?:<[^()]*>)?\((.*)"#)
        .expect("valid pattern")
});
/// microrouter's bare method helpers: `get('/health', handler)` inside `router(...)`.
static BARE_ROUTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\w.])(?:get|head)\((\s*['`\x22]/.*)").expect("valid pattern"));
/// werkzeug's URL map rules, in an app on werkzeug alone: `Rule("/info", endpoint=self.show)`.
static WERKZEUG_RULE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\w.])Rule\((\s*['\x22]/.*)").expect("valid pattern"));

/// Folders of client apps (mobile shells, Cordova, Electron): routes there are not the server's.
const CLIENT_FOLDERS: [&str; 6] = ["android", "ios", "cordova", "mobile", "electron", "capacitor"];
static DECORATOR_ROUTE: LazyLock<Regex> =
    // A bare `@GetMapping` maps the controller's own path.
    LazyLock::new(|| Regex::new(r"@(?:Get|All|GetMapping|RequestMapping)(?:\((.*)|\s*$)").expect("valid pattern"));
static CLASS_PREFIX: LazyLock<Regex> =
    // routing-controllers' `@JsonController('/pets')` prefixes its actions as Nest's `@Controller` does.
    LazyLock::new(|| {
        Regex::new(r"^\s*@(?:Controller|JsonController|RestController|RequestMapping)\((.*)").expect("valid pattern")
    });

/// Receivers that name the application or its router by convention, for routes declared on a
/// parameter (`func routes(r *gin.Engine)`, `module.exports = (app) => ...`), and Go's
/// `http.HandleFunc`, which registers on the default mux.
pub(super) const CONVENTIONAL: [&str; 13] =
    ["app", "router", "r", "e", "g", "mux", "server", "api", "engine", "routes", "fastify", "instance", "http"];

/// A route at its full path under its mount. Express answers a mounted router's `/` without
/// the slash (`/posts`); FastAPI and Go keep it as declared.
fn mounted_route(path: &str, prefix: &str, literal: &str, at: String, guarded: bool) -> Route {
    let script = !path.ends_with(".go") && !path.ends_with(".py");
    let joined = join(prefix, literal);
    let full = match joined.strip_suffix('/') {
        Some(bare) if script && literal == "/" && !bare.is_empty() => bare.to_string(),
        _ => joined,
    };
    Route { path: full, at, guarded }
}

/// A framework's file route (Next.js, React Router): `Some` for a route file, with its route
/// when it answers GET.
fn file_route(path: &str, text: &str) -> Option<Option<Route>> {
    if next_routes::is_route_file(path) {
        return Some(next_routes::route(path, text));
    }
    super::remix_routes::route(path, text).map(Some)
}

/// Every route the non-test code in `extensions` declares whose full path is known.
pub fn declared(files: &AppFiles, extensions: &[&str]) -> Vec<Route> {
    let code = server_code(files, extensions);
    let mounts = Mounts::read(files, &code);
    let django = django_prefixes(files);
    let global = NestPrefix { prefix: nest_global_prefix(&code), excluded: nest_prefix_exclusions(&code) };
    let nest_modules = nest_modules::controller_prefixes(&code);
    let plugin_prefixes = super::hapi_prefixes::plugin_prefixes(&code);
    let mut routes = Vec::new();
    let mut views = None;
    for (path, text) in &code {
        if let Some((prefix, redirects)) = django.get(*path) {
            let views = views.get_or_insert_with(|| django_views::Views::read(files));
            routes.extend(django_routes(path, text, prefix, *redirects, views));
            continue;
        }
        if let Some(route) = file_route(path, text) {
            routes.extend(route);
            continue;
        }
        let Some(class_prefix) = controller_prefix(text, &code) else {
            library_routes(path, text, &mut routes);
            continue;
        };
        // A Nest controller whose module RouterModule mounts answers under the module's path.
        let module_prefix = module_prefix_of(&nest_modules, text);
        library_routes(path, text, &mut routes);
        let lines: Vec<&str> = text.lines().collect();
        let bare_kinds = (text.contains("microrouter"), path.ends_with(".py") && text.contains("import Rule"));
        let in_python_string = python_string_lines(path, text);
        for (index, line) in lines.iter().enumerate() {
            let at = || format!("{path}:{}", index + 1);
            // A route names a path or sits under a decorator; most lines skip the patterns below.
            // A docstring's usage example (`@app.route('/post')`) is no route either.
            if cannot_declare_a_route(line, in_python_string.contains(&(index + 1))) {
                continue;
            }
            // A route that only redirects (to HTTPS, to a login) is no open page either.
            let guarded = || guarded(&lines, index) || line.to_ascii_lowercase().contains("redirect");
            if path.ends_with(".go") && not_a_default_get(&lines, index) {
                continue;
            }
            if let Some(literal) = bare_declaration(line, bare_kinds) {
                routes.push(Route { path: literal, at: at(), guarded: guarded() });
            } else if let Some(caps) = RECEIVER_ROUTE.captures(line).filter(|c| !mounts_sub_app(line, &c[2])) {
                let guarded = || {
                    guarded()
                        || turned_away(&lines, index, &caps[1], &caps[2])
                        || handler_modules::handler(&code, path, &caps[2], login_page(&caps[2]))
                            == handler_modules::Handler::Read { redirects: true }
                };
                let literal = prefixed_paths::joined(&caps[2], text, &code).or_else(|| route_literal(&caps[2]));
                let Some((literal, in_group)) = adonis_groups::place(text, &lines, index, literal) else { continue };
                let conventional = CONVENTIONAL.contains(&&caps[1]) && !mounts.is_made(path, &caps[1]);
                let prefix = mounts
                    .prefix_of(path, &caps[1])
                    .or_else(|| conventional.then(|| plugin_prefixes.get(*path).cloned().unwrap_or_default()));
                if let Some(prefix) = prefix {
                    let behind = in_group || path.ends_with(".go") && group_guarded(&lines, index, &caps[1]);
                    routes.push(mounted_route(path, &prefix, &literal, at(), guarded() || behind));
                }
            } else if line.contains('@')
                && let Some(caps) = DECORATOR_ROUTE.captures(line)
                && !CLASS_PREFIX.is_match(line)
            {
                let literal = caps.get(1).and_then(|arguments| first_literal(arguments.as_str())).unwrap_or_default();
                let below_global = join(&join(module_prefix, class_prefix.as_deref().unwrap_or("")), &literal);
                let refuses = guarded() || needs_query_parameter(&lines, index) || nest_guarded(&lines, index);
                // Under a global prefix the code computes, the full path is not known.
                let Some(full) = global.over(&below_global) else { continue };
                routes.push(Route { path: rooted(&full), at: at(), guarded: refuses });
            }
        }
    }
    routes.extend(next_routes::root_pages(files));
    routes.extend(super::sails_routes::keyed_routes(files));
    routes.extend(super::go_page_lists::declared(&code));
    routes.extend(route_objects(&code, &plugin_prefixes));
    settle(&mut routes, &code);
    routes
}

/// The prefix a Nest module's RouterModule mounts the controller declared in `text` under.
fn module_prefix_of<'a>(nest_modules: &'a std::collections::HashMap<String, String>, text: &str) -> &'a str {
    nest_modules
        .iter()
        .find(|(controller, _)| text.contains(&format!("class {controller} ")))
        .map_or("", |(_, prefix)| prefix.as_str())
}

/// A comment, a line of a Python docstring (`in_string`), or a line with nothing a route
/// needs: no path, decorator or `path(` call.
fn cannot_declare_a_route(line: &str, in_string: bool) -> bool {
    let comment = ["#", "//", "*", "/*"].iter().any(|c| line.trim_start().starts_with(c)) || in_string;
    comment || !(line.contains('/') || line.contains('@') || line.contains("path("))
}

/// Marks the routes a mount's login guards, and drops those kept only to answer 404
/// (`next({ status: 404 })`): as good as undeclared, neither an open page nor one behind a login.
fn settle(routes: &mut Vec<Route>, code: &[(&str, &str)]) {
    mount_guards::mark(routes, code);
    super::nest_class_guards::mark_app_guarded(routes, code);
    routes.retain(|route| {
        let Some((file, line)) = route.at.rsplit_once(':') else { return true };
        let Some((_, text)) = code.iter().find(|(path, _)| *path == file) else { return true };
        let lines: Vec<&str> = text.lines().collect();
        let index = line.parse::<usize>().ok().and_then(|n| n.checked_sub(1)).filter(|i| *i < lines.len());
        !index.is_some_and(|index| handler_guards::replies_not_found(&lines, index))
    });
}

/// The handler's body, or a login middleware for the whole app or its plugin, may turn a
/// visitor away though the route's declaration (`receiver.get(path, ...)`) does not say so.
fn turned_away(lines: &[&str], index: usize, receiver: &str, path: &str) -> bool {
    handler_guards::body_redirects(lines, index, login_page(path))
        || handler_guards::behind_app_middleware(lines, index, receiver)
        || handler_guards::behind_inline_guard(lines, index, receiver)
        || handler_guards::replies_no_content(lines, index)
        || handler_guards::redirected_by_middleware(lines, index, path)
        || handler_guards::behind_plugin_hook(lines, index, receiver)
        || handler_guards::dereferences_session_user(lines, index)
}

/// Routes declared as route-options objects (in a plugin file they answer under the prefix
/// the plugin is registered with), and paths a Next.js middleware answers itself.
fn route_objects(code: &[(&str, &str)], plugin_prefixes: &HashMap<String, String>) -> Vec<Route> {
    let mut routes = fastify_routes::routes(code);
    routes.extend(code.iter().flat_map(|(path, text)| next_routes::middleware_routes(path, text)));
    for route in &mut routes {
        let file = route.at.rsplit_once(':').map_or(route.at.as_str(), |(file, _)| file);
        if let Some(prefix) = plugin_prefixes.get(file) {
            // hapi answers a plugin's `/` at the prefix itself (`/api`, not `/api/`).
            route.path = if route.path == "/" { prefix.clone() } else { join(prefix, &route.path) };
        }
    }
    routes
}

/// A Go route for other methods only, or registered only when a setting turns it on.
fn not_a_default_get(lines: &[&str], index: usize) -> bool {
    only_other_methods(lines[index]) || go_mounts::registered_conditionally(lines, index)
}

/// The routes of a Django URL module mounted at `prefix`, guarded where their view asks for a
/// login.
fn django_routes(path: &str, text: &str, prefix: &str, redirects: bool, views: &django_views::Views) -> Vec<Route> {
    let module = django_urls::read(text, prefix, redirects);
    module
        .routes
        .into_iter()
        .map(|route| Route {
            guarded: route.guarded || route.view.and_then(|view| views.needs_login(&view)).unwrap_or(false),
            path: route.path,
            at: format!("{path}:{}", route.line),
        })
        .collect()
}

/// The path a file's `@Controller(...)`, `@JsonController(...)` or `@RequestMapping(...)` gives its routes: `Some(None)`
/// without one, `None` when the code computes it (`@Controller(pluralizeName)` in a factory).
/// routing-controllers' classes answer under the `routePrefix` the server is given.
fn controller_prefix(text: &str, code: &[(&str, &str)]) -> Option<Option<String>> {
    let declared = text
        .lines()
        .filter(|line| line.contains('@'))
        .find_map(|line| CLASS_PREFIX.captures(line))
        .map(|caps| class_path(&caps[1]));
    let class_prefix = declared.map_or(Some(None), |known| known.map(Some))?;
    routing_controllers::full_prefix(text, class_prefix, code)
}

/// The numbers of a Python file's lines that are not code (docstrings, comments); none for
/// other languages.
fn python_string_lines(path: &str, text: &str) -> std::collections::HashSet<usize> {
    if !path.ends_with(".py") {
        return std::collections::HashSet::new();
    }
    let code: std::collections::HashSet<usize> =
        crate::analyze::python_code::code_lines(text).into_iter().map(|(number, _)| number).collect();
    (1..=text.lines().count()).filter(|number| !code.contains(number)).collect()
}

/// The files whose routes the server has: tests, tools and examples beside the server, and
/// client apps (a mobile shell's web view), declare routes it does not.
fn server_code<'a>(files: &'a AppFiles, extensions: &'a [&str]) -> Vec<(&'a str, &'a str)> {
    files
        .with_extensions(extensions)
        .filter(|(path, _)| !is_test_path(path))
        .filter(|(path, _)| crate::analyze::variables::scope_of(path) == crate::model::VariableScope::Runtime)
        .filter(|(path, _)| !path.split('/').rev().skip(1).any(|dir| CLIENT_FOLDERS.contains(&dir)))
        .collect()
}

/// A route declared without a receiver: microrouter's `get('/health', handler)` or a werkzeug
/// `Rule("/info", ...)`, each only where the file uses that library.
fn bare_declaration(line: &str, (microrouter, werkzeug_rules): (bool, bool)) -> Option<String> {
    if microrouter && let Some(literal) = bare_route(line) {
        return Some(literal);
    }
    let caps = WERKZEUG_RULE.captures(line).filter(|_| werkzeug_rules)?;
    route_literal(&caps[1])
}

/// The path of microrouter's bare `get('/health', handler)`, not a receiver's `app.get(...)`.
fn bare_route(line: &str) -> Option<String> {
    let caps = BARE_ROUTE.captures(line).filter(|_| !RECEIVER_ROUTE.is_match(line))?;
    route_literal(&caps[1])
}

/// A Go route limited to other methods (`.Methods("POST")`) never answers a GET.
fn only_other_methods(line: &str) -> bool {
    line.split_once(".Methods(").is_some_and(|(_, methods)| !methods.split(')').next().unwrap_or("").contains("GET"))
}

/// Nest's global prefix and the routes `exclude` keeps at the root.
struct NestPrefix {
    /// `None` when `setGlobalPrefix` is given a value the code computes.
    prefix: Option<String>,
    excluded: Vec<String>,
}

impl NestPrefix {
    /// `path` under the prefix, unless `setGlobalPrefix('api', { exclude: ['health'] })` keeps it out.
    fn over(&self, path: &str) -> Option<String> {
        let kept_at_root = self.excluded.iter().any(|e| e.trim_matches('/') == path.trim_matches('/'));
        if kept_at_root { Some(path.to_string()) } else { self.prefix.as_ref().map(|prefix| join(prefix, path)) }
    }
}

/// Whether a route's arguments declare a login page (`'/admin/login'`, `"/signin"`).
fn login_page(arguments: &str) -> bool {
    let path = route_literal(arguments).unwrap_or_default();
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_string();
    super::PUBLIC_PAGES.contains(&last.as_str())
}

/// Whether the Spring handler declared on line `index` takes a query parameter it requires
/// (`@RequestParam("email") String email`): a load balancer's GET without it gets a 400.
fn needs_query_parameter(lines: &[&str], index: usize) -> bool {
    let signature: String = lines[index + 1..]
        .iter()
        .take(6)
        .take_while(|line| !line.trim_start().starts_with('}'))
        .scan(false, |opened, line| {
            let before = !*opened;
            *opened |= line.contains('{');
            before.then_some(*line)
        })
        .collect();
    signature.split("@RequestParam").skip(1).any(|parameter| {
        let annotation = parameter.split_once(')').map_or("", |(inside, _)| inside);
        let optional = annotation.contains("required = false")
            || annotation.contains("required=false")
            || annotation.contains("defaultValue")
            || parameter.trim_start().starts_with(|c: char| c.is_alphabetic()) && parameter.contains("Optional<");
        !optional
    })
}

/// Whether the declaration on line `index` asks for a login: in its own arguments (Express
/// middleware) or in the decorators between it and the function (Python, Nest).
fn guarded(lines: &[&str], index: usize) -> bool {
    let asks = |line: &str| {
        let lower = line.to_ascii_lowercase();
        // `mid.Use(h, mid.RequireLogin)`, `loginRequired(h)`: Go and Node wrappers say it in a name.
        [
            "login_required",
            "requirelogin",
            "require_login",
            "loginrequired",
            "auth",
            "jwt_required",
            "permission",
            "guard",
        ]
        .iter()
        .any(|w| lower.contains(w))
    };
    let call = lines[index].split_once('(').map_or("", |(_, args)| args);
    let after_path = call.split_once(',').map_or("", |(_, rest)| rest);
    asks(after_path)
        || middleware_below(lines, index, after_path).any(asks)
        || lines[index + 1..].iter().take(6).take_while(|l| l.trim_start().starts_with('@')).any(|l| asks(l))
}

/// The middleware lines of `app.get('/me', [` whose list runs over the lines below, up to the
/// handler (`], async (req, res) => {`): `passport.authenticate('jwt')` there guards the route.
fn middleware_below<'a>(lines: &'a [&'a str], index: usize, after_path: &str) -> impl Iterator<Item = &'a str> {
    let listed = after_path.trim() == "[";
    let handler = |l: &&str| l.contains("=>") || l.contains("function");
    lines[index + 1..].iter().copied().take(if listed { 6 } else { 0 }).take_while(move |l| !handler(l))
}

/// Whether the Go group `receiver` that line `index` routes on was last made with, or since
/// given, a login middleware: `g = e.Group("", a.auth.Middleware)`, `g.Use(authMiddleware)`.
/// The nearest assignment above counts: one function may build an open and a guarded `g`.
fn group_guarded(lines: &[&str], index: usize, receiver: &str) -> bool {
    let asks = |text: &str| {
        let lower = text.to_ascii_lowercase();
        ["auth", "jwt", "login", "session", "guard"].iter().any(|w| lower.contains(w))
    };
    for line in lines[..index].iter().rev() {
        let code = line.trim_start();
        if code.starts_with(&format!("{receiver}.Use(")) && asks(code) {
            return true;
        }
        let Some(made) = code
            .strip_prefix(receiver)
            .and_then(|r| r.trim_start().strip_prefix(":=").or(r.trim_start().strip_prefix('=')))
        else {
            continue;
        };
        if let Some((_, arguments)) = made.split_once(".Group(") {
            // The first argument is the prefix; the rest are its middleware.
            return arguments.split_once(',').is_some_and(|(_, middleware)| asks(middleware));
        }
        return false;
    }
    false
}

/// Health endpoints a library answers once it is plugged in, with the code that plugs it in:
/// go-pkgz/rest's `Ping` middleware, chi's `Heartbeat("/ping")`, express-actuator.
fn library_routes(path: &str, text: &str, routes: &mut Vec<Route>) {
    let go_pkgz = text.contains("go-pkgz/rest");
    let actuator = text.contains("express-actuator");
    if !(go_pkgz || actuator || text.contains("Heartbeat(")) {
        return;
    }
    for (index, line) in text.lines().enumerate() {
        let at = format!("{path}:{}", index + 1);
        let code = line.trim_start();
        if code.starts_with("//") || code.starts_with('#') {
            continue;
        }
        let found = if go_pkgz && (line.contains("R.Ping") || line.contains("rest.Ping")) {
            Some("/ping".to_string())
        } else if let Some((_, rest)) = line.split_once("Heartbeat(") {
            first_literal(rest)
        } else if actuator && line.contains("actuator(") && line.contains(".use(") {
            // Its endpoints sit under `basePath` when one is given.
            let base = line.split_once("basePath").and_then(|(_, rest)| first_literal(rest)).unwrap_or_default();
            Some(join(&base, "/health"))
        } else {
            None
        };
        if let Some(found) = found.filter(|p| p.starts_with('/')) {
            routes.push(Route { path: found, at, guarded: false });
        }
    }
}

// Hono's `app.route('/api/ai', aiRoute)`: a path and a sub-app, no handler.
static SUB_APP_ARGUMENTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*(['"`])[^'"`]*['"`]\s*,\s*[A-Za-z_$][\w$.]*\s*\)"#).expect("valid pattern"));

/// Whether a `.route(path, subApp)` call mounts a sub-app under the path: only the sub-app's
/// own routes answer there, so the path itself is no route the app declares.
fn mounts_sub_app(line: &str, arguments: &str) -> bool {
    line.contains(".route(") && !line.trim_start().starts_with('@') && SUB_APP_ARGUMENTS.is_match(arguments)
}

fn rooted(path: &str) -> String {
    if path.starts_with('/') { path.to_string() } else { format!("/{path}") }
}

/// The path a route call's arguments give: the first literal that is a path, or a Go 1.22
/// pattern's path (`"GET /healthcheck"`); `Match([]string{"GET"}, "/health")` skips the verbs.
/// A literal appended to a value the code computes (`this.host + '/'`, an HTTP client's call)
/// is no path the scan knows: `None`.
fn route_literal(arguments: &str) -> Option<String> {
    let first_quote = arguments.find(['"', '\'', '`'])?;
    if arguments[..first_quote].trim_end().ends_with('+') {
        return None;
    }
    let mut rest = arguments;
    while let Some(start) = rest.find(['"', '\'', '`']) {
        let quote = rest[start..].chars().next()?;
        let after = &rest[start + 1..];
        let end = after.find(quote)?;
        let literal = &after[..end];
        let path = match literal.split_once(' ') {
            Some((verb, path)) if verb.chars().all(|c| c.is_ascii_uppercase()) => path,
            _ => literal,
        };
        if path.starts_with('/') {
            return Some(path.to_string());
        }
        rest = &after[end + 1..];
    }
    None
}

/// `@Controller('health')`, `@Controller({ path: 'users', version: '1' })`,
/// `@RequestMapping("/api")`, `@RequestMapping(value = "/api")`.
/// `None` for a path the code computes (`@Controller(pluralizeName)`).
fn class_path(arguments: &str) -> Option<String> {
    // `@Controller()` (the regex keeps the closing parenthesis) maps the root, as no argument does.
    let arguments = arguments.trim();
    let bare = arguments.is_empty() || arguments.starts_with([')', '{']);
    first_literal(arguments).or_else(|| bare.then(String::new))
}

/// Nest's `app.setGlobalPrefix('api')`, `""` without one, `None` when the code computes it.
/// The prefix may be a constant of the same file: `const globalPrefix = "api";`.
fn nest_global_prefix(code: &[(&str, &str)]) -> Option<String> {
    let Some((text, rest)) =
        code.iter().find_map(|(_, text)| after_in_code(text, "setGlobalPrefix(").map(|r| (*text, r)))
    else {
        return Some(String::new());
    };
    let argument = rest.split([')', ',']).next().unwrap_or("").trim();
    // `process.env.GLOBAL_PREFIX ?? '/api/v2'`: with the setting unset, the fallback.
    let fallback_at = ["??", "||"].iter().filter_map(|op| argument.rfind(op).map(|at| at + op.len())).max();
    let argument = fallback_at.map_or(argument, |at| argument[at..].trim());
    let prefix = if argument.starts_with(['"', '\'', '`']) {
        first_literal(argument)
    } else {
        let named = argument.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !argument.is_empty();
        if super::optional_prefix::unset_by_default(text, argument, code) {
            return Some(String::new());
        }
        named.then(|| constant(text, argument)).flatten()
    };
    prefix.filter(|prefix| !prefix.contains(['{', '$']))
}

/// The paths `setGlobalPrefix(prefix, { exclude: ['health', { path: 'ping', method: ... }] })`
/// leaves outside the prefix.
fn nest_prefix_exclusions(code: &[(&str, &str)]) -> Vec<String> {
    let Some(rest) = code.iter().find_map(|(_, text)| after_in_code(text, "setGlobalPrefix(")) else {
        return Vec::new();
    };
    let call = rest.split(");").next().unwrap_or(rest);
    let Some((_, list)) = call.split_once("exclude") else { return Vec::new() };
    let list = list.split_once('[').map_or("", |(_, inner)| inner.split(']').next().unwrap_or(""));
    let mut found = Vec::new();
    let mut rest = list;
    while let Some(literal) = first_literal(rest) {
        let quote_at = rest.find(['"', '\'', '`']).unwrap_or(0);
        let before = &rest[..quote_at];
        // In `{ path: 'ping', method: RequestMethod.GET }` only the path's literal is a path.
        if !before.trim_end().ends_with("method:") {
            found.push(literal.clone());
        }
        rest = &rest[quote_at + literal.len() + 2..];
    }
    found
}

/// The literal a `const NAME = "value"` (or `let`, `var`) in `text` gives.
fn constant(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let line = line.trim_start();
        let rest = ["const ", "let ", "var "].iter().find_map(|k| line.strip_prefix(k))?;
        let (target, value) = rest.split_once('=')?;
        let target = target.split(':').next().unwrap_or("").trim();
        (target == name).then(|| first_literal(value)).flatten()
    })
}

/// The prefix of every Django URL module the root one reaches through `include()` with a literal
/// prefix, and whether its routes redirect (included under `i18n_patterns`). The root is
/// `ROOT_URLCONF`'s module.
fn django_prefixes(files: &AppFiles) -> HashMap<String, (String, bool)> {
    let mut prefixes = HashMap::new();
    let Some(root) = django_root(files) else { return prefixes };
    let mut queue = vec![(root, String::new(), false)];
    while let Some((file, prefix, redirects)) = queue.pop() {
        if prefixes.contains_key(&file) || prefixes.len() > 200 {
            continue;
        }
        let text = files.get(&file).unwrap_or("");
        for (module, at, redirects) in django_urls::read(text, &prefix, redirects).includes {
            if let Some(target) = module_file(files, &module) {
                queue.push((target, at, redirects));
            }
        }
        prefixes.insert(file, (prefix, redirects));
    }
    prefixes
}

fn django_root(files: &AppFiles) -> Option<String> {
    let setting = files
        .with_extensions(&["py"])
        .flat_map(|(_, text)| text.lines())
        .find_map(|line| line.trim().strip_prefix("ROOT_URLCONF").and_then(first_literal));
    setting.and_then(|module| module_file(files, &module))
}

fn module_file(files: &AppFiles, module: &str) -> Option<String> {
    let wanted = format!("{}.py", module.replace('.', "/"));
    files.files.keys().find(|path| **path == wanted || path.ends_with(&format!("/{wanted}"))).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(pairs: &[(&str, &str)], extensions: &[&str]) -> Vec<String> {
        declared(&AppFiles::from_pairs(pairs.iter().copied()), extensions).into_iter().map(|r| r.path).collect()
    }

    #[test]
    fn routes_on_receivers_under_their_prefixes() {
        let go = [(
            "router/router.go",
            "g := gin.New()\ng.Match([]string{\"GET\", \"HEAD\"}, \"/health\", h.Health)\nv1 := g.Group(\"/v1\")\nv1.GET(\"/ping\", h)\n",
        )];
        assert_eq!(paths(&go, &["go"]), ["/health", "/v1/ping"]);
        let mux = [(
            "server.go",
            "func routes(mux *http.ServeMux) {\n\tmux.HandleFunc(\"GET /healthcheck\", probe)\n\tc.request.Get(ctx, \"/healthz\")\n}\n",
        )];
        assert_eq!(paths(&mux, &["go"]), ["/healthcheck"]);
    }

    #[test]
    fn a_group_made_with_a_login_middleware_guards_its_routes() {
        let handlers = "func routes(a *App) {\n\te := echo.New()\n\t{\n\t\tg := e.Group(\"\", a.auth.Middleware)\n\t\tg.GET(\"/api/health\", a.HealthCheck)\n\t}\n\t{\n\t\tg := e.Group(\"\")\n\t\tg.GET(\"/health\", a.HealthCheck)\n\t}\n}\n";
        let files = AppFiles::from_pairs([("cmd/handlers.go", handlers)]);
        let routes: Vec<(String, bool)> = declared(&files, &["go"]).into_iter().map(|r| (r.path, r.guarded)).collect();
        assert_eq!(routes, [("/api/health".to_string(), true), ("/health".to_string(), false)]);
    }

    #[test]
    fn controllers_under_their_class_and_global_prefix() {
        let nest = [
            ("src/main.ts", "app.setGlobalPrefix('api');\n"),
            (
                "src/health/health.controller.ts",
                "@Controller('health')\nexport class HealthController {\n  @Get()\n  check() {}\n  @Get('db')\n  db() {}\n}\n",
            ),
        ];
        assert_eq!(paths(&nest, &["ts"]), ["/api/health", "/api/health/db"]);
        let fallback = [("src/main.ts", "app.setGlobalPrefix(process.env.GLOBAL_PREFIX ?? '/api/v2');\n"), nest[1]];
        assert_eq!(
            paths(&fallback, &["ts"]),
            ["/api/v2/health", "/api/v2/health/db"],
            "the prefix with the setting unset"
        );
    }

    #[test]
    fn django_paths_under_their_includes() {
        let django = [
            ("config/settings.py", "ROOT_URLCONF = \"config.urls\"\n"),
            (
                "config/urls.py",
                "urlpatterns = [\n    path(\"admin/\", admin.site.urls),\n    path(\"api/\", include(\"app.api.urls\")),\n]\n",
            ),
            ("app/api/urls.py", "urlpatterns = [path(\"v3/status/\", views.status)]\n"),
        ];
        assert_eq!(paths(&django, &["py"]), ["/api/v3/status/", "/admin/"]);
    }

    #[test]
    fn health_endpoints_of_libraries() {
        let go = [(
            "rest.go",
            "import R \"github.com/go-pkgz/rest\"\nrouter.Use(R.Ping)\nr.Use(middleware.Heartbeat(\"/healthz\"))\n",
        )];
        assert_eq!(paths(&go, &["go"]), ["/ping", "/healthz"]);
        let node =
            [("src/app.js", "import actuator from 'express-actuator';\napp.use(actuator()); // Provides /health\n")];
        assert_eq!(paths(&node, &["js"]), ["/health"]);
    }
}
