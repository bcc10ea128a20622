//! A TypeScript `paths` alias in an import (`import routes from '@server/routes'`), resolved
//! through the nearest tsconfig.json above the importing file: the router a mount call names may
//! live behind one, and its routes answer under that mount like a relative import's.

use crate::analyze::app_files::AppFiles;

/// The repository path, without extension, an aliased `specifier` imported from `file` names:
/// the first target of the matching `paths` entry under `baseUrl`.
pub(super) fn resolve(files: &AppFiles, file: &str, specifier: &str) -> Option<String> {
    let mut folder = file.rsplit_once('/').map_or("", |(folder, _)| folder);
    loop {
        let config = if folder.is_empty() { "tsconfig.json".to_string() } else { format!("{folder}/tsconfig.json") };
        if let Some(found) = files.get(&config).and_then(|text| target(text, specifier)) {
            return Some(super::mounts::normalize(&format!("{folder}/{found}")));
        }
        if folder.is_empty() {
            return None;
        }
        folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
}

/// The target, relative to the tsconfig's folder, its `paths` give `specifier`.
fn target(tsconfig: &str, specifier: &str) -> Option<String> {
    let config = crate::analyze::ts_output_layout::parse(tsconfig)?;
    let options = config.get("compilerOptions")?;
    let base = options.get("baseUrl").and_then(|b| b.as_str()).unwrap_or(".");
    let paths = options.get("paths")?.as_object()?;
    paths.iter().find_map(|(key, targets)| {
        let first = targets.as_array()?.first()?.as_str()?;
        let rest = match key.strip_suffix('*') {
            Some(prefix) => specifier.strip_prefix(prefix)?,
            None if key == specifier => "",
            None => return None,
        };
        Some(format!("{base}/{}", first.replace('*', rest)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_resolves_through_the_nearest_tsconfig() {
        let root = r#"{ "compilerOptions": { "baseUrl": "web", "paths": { "@back/*": ["../back/*"] } } }"#;
        let files = AppFiles::from_pairs([("tsconfig.json", root), ("back/main.ts", "")]);
        assert_eq!(resolve(&files, "back/main.ts", "@back/routes").as_deref(), Some("back/routes"));
        assert_eq!(resolve(&files, "back/main.ts", "express"), None);
        let inner = r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "~/*": ["*"] } } }"#;
        let files = AppFiles::from_pairs([("back/tsconfig.json", inner), ("back/main.ts", "")]);
        assert_eq!(resolve(&files, "back/main.ts", "~/api/index").as_deref(), Some("back/api/index"));
    }
}
