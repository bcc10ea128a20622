//! What Next.js reads once, when it builds: `NEXT_PUBLIC_*` anywhere, and every variable its
//! `next.config.*` reads (the config's `env`, `basePath`, rewrites and headers are written into
//! the build's manifests and bundle). The keys of the config's `env` map (`env: { basePath,
//! cloudUrl: process.env.CLOUD_URL }`) become `process.env.cloudUrl` in the code by inlining:
//! names the build defines, never an operator's setting.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::computed_names::split_top;
use super::key_loops::balanced;
use crate::analyze::app_files::AppFiles;

static ENV_MAP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\benv\s*:\s*\{").expect("valid pattern"));
static KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^['"]?([A-Za-z_$][A-Za-z0-9_$]*)['"]?\s*(?::|$)"#).expect("valid pattern"));

/// Marks what the build reads and drops reads of the names the config's `env` map defines.
pub fn settle(files: &AppFiles, found: &mut Vec<VariableRead>) {
    if !uses_next(files) {
        return;
    }
    let configs: Vec<(&str, &str)> = files
        .files
        .iter()
        .filter(|(path, _)| is_next_config(path))
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let defined: BTreeSet<String> = configs.iter().flat_map(|(_, text)| env_map_keys(text)).collect();
    let read_by_config = |read: &VariableRead| {
        configs.iter().any(|(path, _)| read.source.rsplit_once(':').is_some_and(|(file, _)| file == *path))
    };
    let build_names: BTreeSet<String> = found
        .iter()
        // A secret the config reads (a rewrite's token) stays the server's: never a build argument.
        .filter(|read| {
            read.name.starts_with("NEXT_PUBLIC_")
                || (read_by_config(read) && read.name != "NODE_ENV" && super::secret_by_name(&read.name).is_none())
        })
        .map(|read| read.name.clone())
        .collect();
    // `env: { DATABASE_URL: process.env.DATABASE_URL }`: a key the config reads by the same
    // name is that variable, still the server's.
    let read_in_config: BTreeSet<String> = found.iter().filter(|r| read_by_config(r)).map(|r| r.name.clone()).collect();
    found.retain(|read| {
        build_names.contains(&read.name) || read_in_config.contains(&read.name) || !defined.contains(&read.name)
    });
    for read in found.iter_mut().filter(|read| build_names.contains(&read.name)) {
        read.build_time = true;
    }
}

fn uses_next(files: &AppFiles) -> bool {
    files.files.iter().any(|(path, text)| {
        path.rsplit('/').next() == Some("package.json") && !path.contains("node_modules") && text.contains("\"next\":")
    })
}

fn is_next_config(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    !path.contains("node_modules")
        && name.strip_prefix("next.config.").is_some_and(|ext| matches!(ext, "js" | "mjs" | "cjs" | "ts" | "mts"))
}

/// The keys of every `env: { ... }` map in a Next.js config.
fn env_map_keys(text: &str) -> Vec<String> {
    ENV_MAP
        .find_iter(text)
        .filter_map(|found| balanced(&text[found.end()..], '}'))
        .flat_map(|body| split_top(body, ','))
        .filter(|entry| !entry.starts_with("..."))
        .filter_map(|entry| KEY.captures(entry).map(|c| c[1].to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settled(pairs: &[(&str, &str)], reads: Vec<VariableRead>) -> Vec<(String, bool)> {
        let mut reads = reads;
        settle(&AppFiles::from_pairs(pairs.iter().copied()), &mut reads);
        reads.into_iter().map(|r| (r.name, r.build_time)).collect()
    }

    #[test]
    fn the_configs_reads_are_build_time_and_its_env_keys_are_no_settings() {
        let config = "const basePath = process.env.BASE_PATH || '';\nconst isProd = process.env.NODE_ENV === 'production';\nexport default {\n  env: {\n    basePath,\n    cloudUrl: process.env.CLOUD_URL,\n    'currentVersion': pkg.version,\n  },\n  basePath,\n};\n";
        let pairs = [("package.json", r#"{"dependencies": {"next": "15.0.0"}}"#), ("next.config.ts", config)];
        let reads = vec![
            VariableRead::new("BASE_PATH", "next.config.ts:1"),
            VariableRead::new("NODE_ENV", "next.config.ts:2"),
            VariableRead::new("CLOUD_URL", "next.config.ts:6"),
            VariableRead::new("basePath", "src/hooks/useApi.ts:3"),
            VariableRead::new("cloudUrl", "src/App.tsx:40"),
            VariableRead::new("currentVersion", "src/App.tsx:41"),
            VariableRead::new("NEXT_PUBLIC_SITE", "src/page.tsx:2"),
            VariableRead::new("DATABASE_URL", "src/lib/db.ts:4"),
        ];
        let expected = [
            ("BASE_PATH", true),
            ("NODE_ENV", false),
            ("CLOUD_URL", true),
            ("NEXT_PUBLIC_SITE", true),
            ("DATABASE_URL", false),
        ];
        assert_eq!(settled(&pairs, reads), expected.map(|(n, b)| (n.to_string(), b)).to_vec());
    }

    #[test]
    fn without_next_nothing_changes() {
        let pairs = [
            ("package.json", r#"{"dependencies": {"express": "4"}}"#),
            ("next.config.js", "module.exports = { env: { basePath: '' } }"),
        ];
        let reads = vec![VariableRead::new("basePath", "src/a.js:1"), VariableRead::new("NEXT_PUBLIC_X", "src/a.js:2")];
        assert_eq!(settled(&pairs, reads), vec![("basePath".to_string(), false), ("NEXT_PUBLIC_X".to_string(), false)]);
    }
}
