//! Next.js route files: `pages/api/*` API pages and `app/**/route.ts` route handlers answer at
//! the path of their file, but only the methods their handler serves. A handler that serves
//! no GET leaves a load balancer's check unanswered or refused, so it is no route to check.

use std::sync::LazyLock;

use regex::Regex;

use super::routes::Route;
use crate::analyze::app_files::AppFiles;

/// `req.method === 'PUT'`, `request.method !== "POST"`, `case 'DELETE':`: a method the
/// handler tests for.
static METHOD_TESTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?:\.method\s*[!=]==?\s*|case\s+)['"]([A-Za-z]+)['"]"#).expect("valid pattern"));
/// `.post(async (req, res) => {` on a line of its own: next-connect's per-method handlers,
/// chained on the router the page exports (a call's own `.delete(` mid-line is not one).
static METHOD_CHAINED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^\s*\.(get|post|put|patch|delete)\(").expect("valid pattern"));
/// `.use(useAuth)`, `.use(requireAuth())`, `.use(ensureLoggedIn)`: a login middleware chained on
/// the page's router, which refuses a visitor without a session before any handler runs.
static AUTH_MIDDLEWARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\.use\(\s*[\w.]*(?:auth|login|session(?:required|guard))[\w.]*\s*[,)(]").expect("valid pattern")
});
/// `export async function GET`, `export const GET =`, `export { handler as GET }`,
/// `export const { GET, POST } = handlers`.
static EXPORTS_GET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^\s*export\b[^\n]*\bGET\b").expect("valid pattern"));

/// Whether `path` is a Next.js route handler or API page.
pub(super) fn is_route_file(path: &str) -> bool {
    route_path(path).is_some()
}

/// The route of a Next.js route file, when its handler serves GET.
pub(super) fn route(path: &str, text: &str) -> Option<Route> {
    let route = route_path(path)?;
    let app_router = path.rsplit('/').next().is_some_and(|file| file.starts_with("route."));
    let serves_get = if app_router { EXPORTS_GET.is_match(text) } else { page_serves_get(text) };
    serves_get.then(|| Route { path: route, at: path.to_string(), guarded: guarded(text) })
}

/// The root and login pages of a Next.js app (a package.json that depends on `next`), whatever
/// their extension: pages are mostly `.tsx`, which the server code's scan leaves out.
pub(super) fn root_pages(files: &AppFiles) -> Vec<Route> {
    let next = files.get("package.json").is_some_and(|manifest| manifest.contains("\"next\":"));
    if !next {
        return Vec::new();
    }
    // A custom `_app` whose `getInitialProps` redirects (to a setup or login page) runs before
    // every page: the root answers a redirect, not the page.
    let app_redirects = files.files.iter().any(|(path, text)| is_custom_app(path) && initial_props_redirect(text));
    files
        .files
        .iter()
        .filter_map(|(path, text)| root_page(path, text).or_else(|| login_page(path, text)))
        .map(|page| Route { guarded: page.guarded || app_redirects, ..page })
        .collect()
}

/// `pages/_app.tsx` (or under `src/`), whatever its extension.
fn is_custom_app(path: &str) -> bool {
    let path = path.strip_prefix("src/").unwrap_or(path);
    path.strip_prefix("pages/_app.").is_some_and(|ext| ["tsx", "jsx", "js", "ts"].contains(&ext))
}

/// Whether `getInitialProps` answers with a redirect on the server: `res.writeHead(307, {
/// Location: '/login' })`, `res.redirect(...)`.
fn initial_props_redirect(text: &str) -> bool {
    let Some((_, after)) = text.split_once("getInitialProps") else {
        return false;
    };
    ["writeHead(30", "Location:", "redirect("].iter().any(|sign| after.contains(sign))
}

/// The app's root page, `app/page.tsx` (also inside a route group, `app/(marketing)/page.tsx`)
/// or `pages/index.tsx`: what `/` answers. One that redirects or asks for a session is guarded.
pub(super) fn root_page(path: &str, text: &str) -> Option<Route> {
    let path_in_app = path.strip_prefix("src/").unwrap_or(path);
    let (folder, file) = path_in_app.rsplit_once('/')?;
    let extension = file.rsplit_once('.').map_or("", |(_, ext)| ext);
    if !["tsx", "jsx", "js", "ts"].contains(&extension) {
        return None;
    }
    let stem = file.split('.').next()?;
    let root = match (folder, stem) {
        ("pages", "index") => true,
        (folder, "page") => folder.strip_prefix("app").is_some_and(|rest| without_groups(rest).is_empty()),
        _ => false,
    };
    // `redirect('/login')`, or `getServerSideProps` returning `{ redirect: { destination } }`.
    let refuses = text.contains("redirect(") || text.contains("destination:") || guarded(text);
    root.then(|| Route { path: "/".into(), at: path.to_string(), guarded: refuses })
}

/// A login page (`pages/login.tsx`, `app/(auth)/signin/page.tsx`): every visitor may open it,
/// so it answers a load balancer when the root and the API need a session.
fn login_page(path: &str, text: &str) -> Option<Route> {
    let path_in_app = path.strip_prefix("src/").unwrap_or(path);
    let (folder, file) = path_in_app.rsplit_once('/')?;
    let (stem, extension) = file.split_once('.')?;
    if !["tsx", "jsx", "js", "ts"].contains(&extension) {
        return None;
    }
    let route = match (folder, stem) {
        ("pages", stem) => format!("/{stem}"),
        (folder, "index") => folder.strip_prefix("pages").filter(|rest| rest.starts_with('/'))?.to_string(),
        (folder, "page") => without_groups(folder.strip_prefix("app")?),
        _ => return None,
    };
    let last = route.rsplit('/').next().unwrap_or("");
    let refuses = text.contains("redirect(") || text.contains("destination:") || guarded(text);
    super::PUBLIC_PAGES.contains(&last).then(|| Route { path: route, at: path.to_string(), guarded: refuses })
}

/// A folder path without its route groups (`/(dashboard)/pricing` → `/pricing`): groups
/// organise files and add nothing to the URL.
fn without_groups(folder: &str) -> String {
    folder
        .split('/')
        .filter(|segment| !(segment.starts_with('(') && segment.ends_with(')')))
        .filter(|segment| !segment.is_empty())
        .map(|segment| format!("/{segment}"))
        .collect()
}

/// The middleware file (`middleware.ts`, Next 16's `proxy.ts`, at the root or in `src/`).
fn is_middleware(path: &str) -> bool {
    let path = path.strip_prefix("src/").unwrap_or(path);
    ["middleware.", "proxy."].iter().any(|stem| path.starts_with(stem)) && !path.contains('/')
}

/// Paths the middleware answers itself before anything else runs:
/// `if (pathname.startsWith("/ping")) { return new Response("pong", { status: 200 }); }`.
pub(super) fn middleware_routes(path: &str, text: &str) -> Vec<Route> {
    if !is_middleware(path) {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut routes = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let tested = ["pathname.startsWith(", "pathname === ", "pathname == "]
            .iter()
            .find_map(|test| line.split_once(test).map(|(_, rest)| rest));
        let Some(literal) = tested.and_then(super::mounts::first_literal).filter(|p| p.starts_with('/')) else {
            continue;
        };
        let body = lines[index..lines.len().min(index + 3)].join("\n");
        let answers = ["new Response(", "NextResponse.json("].iter().any(|r| body.contains(r))
            && !body.contains("status: 4")
            && !body.contains("status: 5");
        if answers {
            routes.push(Route { path: literal, at: format!("{path}:{}", index + 1), guarded: false });
        }
    }
    routes
}

/// An API page serves every method unless its handler tests for some, or chains per-method
/// handlers (next-connect's `api().post(...)`): then GET must be one of them.
fn page_serves_get(text: &str) -> bool {
    let tested: Vec<String> = METHOD_TESTED.captures_iter(text).map(|c| c[1].to_ascii_uppercase()).collect();
    let chained: Vec<String> = METHOD_CHAINED.captures_iter(text).map(|c| c[1].to_ascii_uppercase()).collect();
    let methods: Vec<&String> = tested.iter().chain(&chained).collect();
    methods.is_empty() || methods.iter().any(|m| *m == "GET")
}

/// Whether a Next.js route file turns a load balancer's GET away: a handler wrapper given
/// `user: true` or `auth: true`, a session looked up and refused (`getServerSession`,
/// `withAuth`, a `.use(useAuth)` middleware), a method list without GET (`methods: ['POST']`),
/// or a redirect (without the
/// query it expects, `/api/checkout` sends a visitor on).
fn guarded(text: &str) -> bool {
    if text.contains("NextResponse.redirect(") || text.contains("Response.redirect(") {
        return true;
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    if AUTH_MIDDLEWARE.is_match(text) {
        return true;
    }
    let asks = ["user:true", "auth:true", "requireauth", "withauth(", "getserversession(", "withapiauthrequired("]
        .iter()
        .any(|asks| compact.contains(asks));
    let no_get = compact.split_once("methods:[").is_some_and(|(_, methods)| {
        let list = methods.split(']').next().unwrap_or("");
        !list.contains("'get'") && !list.contains("\"get\"")
    });
    asks || no_get
}

/// A Next.js route handler or API page: `src/app/api/heartbeat/route.ts` → `/api/heartbeat`,
/// `pages/api/health.ts` → `/api/health`.
fn route_path(path: &str) -> Option<String> {
    let (folder, file) = path.rsplit_once('/')?;
    let stem = file.split('.').next()?;
    if stem == "route" {
        let at = folder.find("app/")?;
        (at == 0 || folder[..at].ends_with('/')).then(|| without_groups(&folder[at + "app".len()..]))
    } else {
        let at = folder.find("pages/api")?;
        Some(format!("{}/{stem}", &folder[at + "pages".len()..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_next_route_that_asks_for_a_user_is_guarded() {
        let version = "async function handler(req, res) { return res.json({ v: 1 }); }\nexport default withZipline(handler, {\n  methods: ['GET'],\n  user: true,\n});\n";
        let open = "export default function handler(req, res) { res.json({ ok: true }); }\n";
        let upload = "export default withZipline(handler, {\n  methods: ['POST'],\n});\n";
        let files = AppFiles::from_pairs([
            ("src/pages/api/version.ts", version),
            ("src/pages/api/healthz.ts", open),
            ("src/pages/api/upload.ts", upload),
        ]);
        let routes: Vec<(String, bool)> =
            super::super::routes::declared(&files, &["ts"]).into_iter().map(|r| (r.path, r.guarded)).collect();
        let expected = [("/api/healthz", false), ("/api/upload", true), ("/api/version", true)];
        assert_eq!(routes, expected.map(|(p, g)| (p.to_string(), g)));
    }

    #[test]
    fn handlers_that_serve_no_get_are_no_routes() {
        let put_only = "export default async function handler(req, res) {\n  if (req.method === 'PUT') {\n    res.json({})\n  }\n}\n";
        assert_eq!(route("pages/api/user.ts", put_only), None);
        let get_too = "export default function handler(req, res) {\n  if (req.method !== 'GET') return res.status(405).end()\n}\n";
        assert!(route("pages/api/stats.ts", get_too).is_some());
        assert_eq!(route("app/api/hook/route.ts", "export async function POST(req) {}\n"), None);
        let get = route("src/app/api/ping/route.ts", "export const GET = () => Response.json({ ok: true })\n");
        assert_eq!(get.map(|r| r.path).as_deref(), Some("/api/ping"));
        assert!(route("app/api/auth/route.ts", "export { handler as GET, handler as POST }\n").is_some());
    }

    #[test]
    fn next_route_files() {
        assert_eq!(route_path("src/app/api/heartbeat/route.ts").as_deref(), Some("/api/heartbeat"));
        assert_eq!(route_path("pages/api/health.ts").as_deref(), Some("/api/health"));
        assert_eq!(route_path("src/routes/health.ts"), None);
    }

    #[test]
    fn the_root_page_in_a_route_group_and_one_that_redirects() {
        let landing = "export default function Landing() { return <main/> }\n";
        assert_eq!(
            root_page("app/(marketing)/page.tsx", landing).map(|r| (r.path, r.guarded)),
            Some(("/".into(), false))
        );
        assert!(root_page("app/(marketing)/pricing/page.tsx", landing).is_none());
        let redirects = "export const getServerSideProps = async () => ({ redirect: { destination: '/dashboard' } })\n";
        assert_eq!(root_page("pages/index.tsx", redirects).map(|r| r.guarded), Some(true));
        assert_eq!(route_path("app/(shop)/api/items/route.ts").as_deref(), Some("/api/items"));
    }

    #[test]
    fn a_custom_app_that_redirects_in_initial_props_guards_the_root() {
        let landing = "export default function Landing() { return <main/> }\n";
        let app = "Shell.getInitialProps = async ({ ctx }) => {\n  if (!ready) {\n    ctx.res.writeHead(307, { Location: '/setup' });\n    ctx.res.end();\n  }\n};\n";
        let manifest = r#"{"dependencies":{"next":"14.0.0"}}"#;
        let files = AppFiles::from_pairs([("package.json", manifest), ("src/pages/index.tsx", landing)]);
        assert_eq!(root_pages(&files).iter().map(|r| r.guarded).collect::<Vec<_>>(), [false]);
        let files = AppFiles::from_pairs([
            ("package.json", manifest),
            ("src/pages/index.tsx", landing),
            ("src/pages/_app.tsx", app),
        ]);
        assert_eq!(root_pages(&files).iter().map(|r| r.guarded).collect::<Vec<_>>(), [true]);
    }
}
