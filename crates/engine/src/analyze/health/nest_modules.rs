//! Where a Nest module's controllers answer when `RouterModule.register(routes)` mounts the
//! module under a path: `{ path: '/api/v2', module: PublicApiModule, children: [...] }`, and
//! `@Module({ controllers: [MonitoringController] })` says which controllers it holds.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::mounts::{first_literal, join};

static ROUTE_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(path|module)\s*:\s*([\w.]+|'[^']*'|\x22[^\x22]*\x22)").expect("valid pattern"));
static CLASS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bclass\s+(\w+)").expect("valid pattern"));

/// The path prefix of each controller class whose module `RouterModule` mounts.
pub(super) fn controller_prefixes(code: &[(&str, &str)]) -> HashMap<String, String> {
    let modules: HashMap<String, String> = code
        .iter()
        .filter(|(_, text)| text.contains("RouterModule.register("))
        .flat_map(|(_, text)| module_paths(text, code))
        .collect();
    let mut prefixes = HashMap::new();
    if modules.is_empty() {
        return prefixes;
    }
    for (_, text) in code.iter().filter(|(_, text)| text.contains("@Module(")) {
        let Some(module) = text.split("@Module(").nth(1).and_then(|rest| CLASS.captures(rest)) else { continue };
        let Some(prefix) = modules.get(&module[1]) else { continue };
        for controller in listed_controllers(text) {
            prefixes.insert(controller, prefix.clone());
        }
    }
    prefixes
}

/// `module → path` for every route object in the file, children under their parents' paths.
fn module_paths(text: &str, code: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    // The path of each open object, by brace depth.
    let mut open: Vec<(usize, String)> = Vec::new();
    let mut depth = 0;
    for line in text.lines() {
        for caps in ROUTE_KEY.captures_iter(line) {
            let before = &line[..caps.get(0).map_or(0, |m| m.start())];
            let depth = (depth + before.matches('{').count()).saturating_sub(before.matches('}').count());
            match &caps[1] {
                "path" => {
                    open.retain(|(d, _)| *d < depth);
                    let value = first_literal(&caps[2]).or_else(|| constant(code, &caps[2])).unwrap_or_default();
                    open.push((depth, value));
                }
                _ => {
                    let prefix = open.iter().filter(|(d, _)| *d <= depth).fold(String::new(), |p, (_, v)| join(&p, v));
                    found.push((caps[2].to_string(), prefix));
                }
            }
        }
        depth += line.matches('{').count();
        depth = depth.saturating_sub(line.matches('}').count());
        open.retain(|(d, _)| *d <= depth);
    }
    found
}

/// `export const PUBLIC_API_PREFIX = '/api/v2';` anywhere in the code.
fn constant(code: &[(&str, &str)], name: &str) -> Option<String> {
    let name = name.rsplit('.').next()?;
    let pattern =
        Regex::new(&format!(r#"\bconst\s+{}\s*(?::\s*\w+)?\s*=\s*['"]([^'"$]*)['"]"#, regex::escape(name))).ok()?;
    code.iter().find_map(|(_, text)| pattern.captures(text).map(|c| c[1].to_string()))
}

/// The classes in a `@Module`'s `controllers: [...]` list.
fn listed_controllers(text: &str) -> Vec<String> {
    let Some((_, rest)) = text.split_once("controllers:") else { return Vec::new() };
    let list = rest.split_once(']').map_or(rest, |(list, _)| list);
    list.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.ends_with("Controller"))
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controllers_under_their_modules_router_path() {
        let app = "export const PUBLIC_API_PREFIX = '/api/v2';\nconst routes: Routes = [\n  {\n    path: PUBLIC_API_PREFIX,\n    module: PublicApiModule,\n    children: [{ path: 'admin', module: AdminModule }],\n  },\n  { path: '/media', module: MediaModule },\n];\n@Module({ imports: [RouterModule.register(routes)] })\nexport class AppModule {}\n";
        let public = "@Module({\n  imports: [],\n  controllers: [\n    MonitoringController,\n    NotesController,\n  ],\n})\nexport class PublicApiModule {}\n";
        let admin = "@Module({ controllers: [UsersController] })\nexport class AdminModule {}\n";
        let code = [("src/app.module.ts", app), ("src/public.module.ts", public), ("src/admin.module.ts", admin)];
        let prefixes = controller_prefixes(&code);
        assert_eq!(prefixes["MonitoringController"], "/api/v2");
        assert_eq!(prefixes["NotesController"], "/api/v2");
        assert_eq!(prefixes["UsersController"], "/api/v2/admin");
        assert_eq!(prefixes.len(), 3);
    }
}
