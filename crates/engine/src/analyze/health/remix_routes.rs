//! React Router's (Remix's) file routes: `app/routes/api+/health.ts` (flat routes' `+`
//! folders) and `app/routes/api.health.ts` (dots) answer at `/api/health` with their
//! `loader`, the module's GET handler. A route with a dynamic segment (`$id`) has no fixed
//! path to check; pathless segments (`_auth`, `_index`) add nothing to the path.

use super::routes::Route;

/// The route of a file route that exports a loader.
pub(super) fn route(path: &str, text: &str) -> Option<Route> {
    let at = path.find("app/routes/").filter(|&at| at == 0 || path[..at].ends_with('/'))?;
    let relative = &path[at + "app/routes/".len()..];
    let serves_get = ["export const loader", "export async function loader", "export function loader"]
        .iter()
        .any(|export| text.contains(export));
    if !serves_get {
        return None;
    }
    let (stem, extension) = relative.rsplit_once('.')?;
    if !["ts", "tsx", "js", "jsx"].contains(&extension) {
        return None;
    }
    // `api+/health/route.ts`: a folder route's module.
    let stem = stem.strip_suffix("/route").unwrap_or(stem);
    let mut segments = Vec::new();
    for part in stem.split(['/', '.']) {
        let part = part.trim_end_matches('+');
        if part.starts_with('$') || part.contains('[') {
            return None;
        }
        if part.is_empty() || part.starts_with('_') || part == "index" {
            continue;
        }
        segments.push(part);
    }
    Some(Route { path: format!("/{}", segments.join("/")), at: path.to_string(), guarded: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOADER: &str = "export const loader = async () => {\n  return Response.json({ status: 'ok' });\n};\n";

    fn path_of(path: &str, text: &str) -> Option<String> {
        route(path, text).map(|r| r.path)
    }

    #[test]
    fn flat_and_dotted_file_routes_answer_at_their_paths() {
        assert_eq!(path_of("app/routes/api+/health.ts", LOADER).as_deref(), Some("/api/health"));
        assert_eq!(path_of("apps/web/app/routes/api.status.ts", LOADER).as_deref(), Some("/api/status"));
        assert_eq!(path_of("app/routes/_unauthenticated+/healthz/route.tsx", LOADER).as_deref(), Some("/healthz"));
        assert_eq!(path_of("app/routes/_index.tsx", LOADER).as_deref(), Some("/"));
    }

    #[test]
    fn no_loader_or_a_dynamic_segment_is_no_route_to_check() {
        assert_eq!(path_of("app/routes/api+/health.ts", "export const action = async () => null;\n"), None);
        assert_eq!(path_of("app/routes/t.$token.ts", LOADER), None);
        assert_eq!(path_of("src/routes/api/health.ts", LOADER), None, "not React Router's folder");
    }
}
