//! What `next build` loads: it imports every page, layout and route module under `app/` or
//! `pages/` to prerender them and collect their settings, and with them every module of the app
//! they import. A module that throws at import when a variable is unset (`if
//! (!process.env.POSTGRES_URL) throw new Error(...)` at its top level, or a database client made
//! there from it, `drizzle(neon(process.env.POSTGRES_URL!))`) stops the image build, which has
//! no such value.

use std::collections::{HashMap, VecDeque};
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::app_files::{AppFiles, normalized};
use super::node_imports::{imports, live_lines};
use crate::model::Finding;

const EXTENSIONS: [&str; 6] = ["ts", "tsx", "js", "jsx", "mjs", "cjs"];

static ENV_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"process\.env\.([A-Za-z_][A-Za-z0-9_]*)").expect("valid pattern"));

/// A blocker for each variable a module `next build` loads requires at import.
pub fn findings(files: &AppFiles, manifest: &Value) -> Vec<Finding> {
    if manifest.pointer("/dependencies/next").is_none() {
        return Vec::new();
    }
    let loaded = loaded_by_build(files);
    let mut found = Vec::new();
    let mut paths: Vec<&String> = loaded.keys().collect();
    paths.sort();
    for path in paths {
        let Some(text) = files.get(path) else { continue };
        // A check that throws, or a client that throws when handed nothing (`neon(process.env.X!)`).
        let mut throws = import_time_throws(text);
        for found in super::variables::node_load_time(text) {
            if !throws.contains(&found) {
                throws.push(found);
            }
        }
        for (index, name) in throws {
            let page = &loaded[path];
            let through = if page == path { String::new() } else { format!(" (imported by {page})") };
            let client =
                text.lines().nth(index).is_some_and(|line| line.contains("neon(") || line.contains("drizzle("));
            let database = client
                || ["DATABASE", "POSTGRES", "MYSQL", "MONGO", "DB_", "_DB", "REDIS", "SQL"]
                    .iter()
                    .any(|word| name.contains(word));
            let kind = if database { "build-needs-database" } else { "build-needs-env" };
            found.push(
                Finding::blocker(
                    kind,
                    format!(
                        "`next build` loads {path}{through}, which throws at import when {name} is unset: the image build has no {name}"
                    ),
                    format!("{path}:{}", index + 1),
                )
                .with_fix(format!(
                    "give the build {name} as a build argument, or move the check into the function that uses it"
                )),
            );
        }
    }
    found
}

/// Every app module the build loads, each with the page or layout that leads to it.
fn loaded_by_build(files: &AppFiles) -> HashMap<String, String> {
    let mut roots: Vec<&String> = files
        .files
        .keys()
        .filter(|path| {
            let routed = path.strip_prefix("src/").unwrap_or(path);
            let extension = path.rsplit_once('.').map_or("", |(_, ext)| ext);
            (routed.starts_with("app/") || routed.starts_with("pages/")) && EXTENSIONS.contains(&extension)
        })
        .collect();
    // Layouts first, then pages: the message names what every page loads when it can.
    let rank = |path: &str| match path.rsplit('/').next().and_then(|file| file.split('.').next()) {
        Some("layout" | "_app") => 0,
        Some("page" | "index") => 1,
        _ => 2,
    };
    roots.sort_by_key(|path| (rank(path), path.matches('/').count(), path.to_string()));
    // Each root's modules are followed to the end before the next root's.
    let mut loaded: HashMap<String, String> = HashMap::new();
    for root in roots {
        if loaded.contains_key(root) {
            continue;
        }
        loaded.insert(root.clone(), root.clone());
        let mut pending: VecDeque<String> = VecDeque::from([root.clone()]);
        while let Some(path) = pending.pop_front() {
            let Some(text) = files.get(&path) else { continue };
            for (_, specifier) in imports(text) {
                let Some(target) = resolve(files, &path, &specifier) else { continue };
                if !loaded.contains_key(&target) {
                    loaded.insert(target.clone(), root.clone());
                    pending.push_back(target);
                }
            }
        }
    }
    loaded
}

/// The app's file an import names: relative (`../lib/db`), or through the `@/` and `~/`
/// aliases Next.js projects point at their root or `src/`.
fn resolve(files: &AppFiles, from: &str, specifier: &str) -> Option<String> {
    let bases: Vec<String> = if specifier.starts_with('.') {
        let folder = from.rsplit_once('/').map_or("", |(folder, _)| folder);
        vec![normalized(&format!("{folder}/{specifier}"))?]
    } else if let Some(rest) = specifier.strip_prefix("@/").or_else(|| specifier.strip_prefix("~/")) {
        vec![rest.to_string(), format!("src/{rest}")]
    } else {
        return None;
    };
    bases.iter().find_map(|base| {
        let base = base.trim_end_matches('/');
        if files.get(base).is_some() && EXTENSIONS.iter().any(|ext| base.ends_with(&format!(".{ext}"))) {
            return Some(base.to_string());
        }
        EXTENSIONS
            .iter()
            .map(|ext| format!("{base}.{ext}"))
            .chain(EXTENSIONS.iter().map(|ext| format!("{base}/index.{ext}")))
            .find(|candidate| files.get(candidate).is_some())
    })
}

/// The variables a module's top level throws without: an `if` at the start of a line that
/// tests `!process.env.X` and throws within its next lines, before its block closes.
fn import_time_throws(text: &str) -> Vec<(usize, String)> {
    let lines = live_lines(text);
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if !line.starts_with("if") || !line.contains("!process.env.") {
            continue;
        }
        let block_throws = lines.iter().skip(index).take(4).enumerate().any(|(offset, later)| {
            later.contains("throw ")
                && !(offset > 0 && lines[index + 1..index + offset].iter().any(|l| l.starts_with('}')))
        });
        if block_throws {
            found.extend(ENV_NAME.captures_iter(line).map(|c| (index, c[1].to_string())));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_the_root_layout_imports_throws_without_its_database() {
        let manifest: Value = serde_json::from_str(r#"{"dependencies":{"next":"15.0.0"}}"#).unwrap();
        let files = AppFiles::from_pairs([
            ("app/layout.tsx", "import { getUser } from '@/lib/db/queries';\nexport default function Root() {}\n"),
            ("lib/db/queries.ts", "import { db } from './drizzle';\nexport async function getUser() {}\n"),
            (
                "lib/db/drizzle.ts",
                "if (!process.env.POSTGRES_URL) {\n  throw new Error('POSTGRES_URL is not set');\n}\nexport const db = 1;\n",
            ),
            ("app/products/page.tsx", "import { db } from '@/lib/neon';\n"),
            ("lib/neon.ts", "export const db = drizzle(neon(process.env.NEON_URL!));\n"),
            ("lib/mail.ts", "if (!process.env.SMTP_HOST) {\n  throw new Error('no SMTP');\n}\n"),
            ("lib/stripe.ts", "export function stripe() {\n  if (!process.env.STRIPE_KEY) throw new Error('x');\n}\n"),
            ("app/pricing/page.tsx", "import { stripe } from '../../lib/stripe';\n"),
        ]);
        let found = findings(&files, &manifest);
        let summary: Vec<(&str, &str)> = found.iter().map(|f| (f.kind.as_str(), f.source.as_str())).collect();
        // The mailer is never imported by a page; the Stripe check runs only when called.
        assert_eq!(
            summary,
            [("build-needs-database", "lib/db/drizzle.ts:1"), ("build-needs-database", "lib/neon.ts:1")]
        );
        assert!(found[0].message.contains("imported by app/layout.tsx"), "{}", found[0].message);
        let plain: Value = serde_json::from_str(r#"{"dependencies":{"express":"4"}}"#).unwrap();
        assert!(findings(&files, &plain).is_empty(), "only Next.js builds load every page");
    }
}
