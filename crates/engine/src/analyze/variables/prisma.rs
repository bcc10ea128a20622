//! Variables a Prisma schema reads (`url = env("DATABASE_URL")`): Prisma refuses to connect,
//! and the app to start, without them, though no line of code names them.

use super::VariableRead;
use crate::analyze::app_files::AppFiles;

/// Every `env("X")` in the `.prisma` files; the datasource's `url` is required. A shadow
/// database is used only by `prisma migrate dev`, on a developer's machine: the running app
/// never reads it, so it is tooling.
pub fn reads(files: &AppFiles) -> Vec<VariableRead> {
    let mut found = Vec::new();
    for (path, text) in files.with_extensions(&["prisma"]) {
        for (index, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let required = code.trim_start().starts_with("url");
            let development_only = code.trim_start().starts_with("shadowDatabaseUrl");
            for (at, _) in code.match_indices("env(") {
                let rest = code[at + 4..].trim_start().trim_start_matches('"');
                let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if crate::model::is_variable_name(&name) {
                    let mut read = VariableRead::new(name, format!("{path}:{}", index + 1)).required(required);
                    read.tooling = development_only;
                    found.push(read);
                }
            }
        }
    }
    found
}

/// Marks the variables a Prisma config reads through `env('X')` of `prisma/config` as needed
/// at build when a script of the package runs Prisma: that `env` throws when the variable is
/// unset, and every Prisma command loads the config, `prisma generate` in the image's build
/// too, though generating the client keeps no value.
pub fn mark_config_reads(files: &AppFiles, found: &mut [VariableRead]) {
    let runs_prisma = files.files.iter().any(|(path, text)| {
        path.rsplit('/').next() == Some("package.json")
            && !path.contains("node_modules")
            && serde_json::from_str::<serde_json::Value>(text).ok().is_some_and(|manifest| {
                // The image generates the client itself when the app uses it (`prisma_client`).
                let client = manifest.pointer("/dependencies/@prisma~1client").is_some();
                client
                    || manifest.get("scripts").and_then(|s| s.as_object()).is_some_and(|scripts| {
                        scripts.values().filter_map(|v| v.as_str()).any(|body| body.contains("prisma "))
                    })
            })
    });
    if !runs_prisma {
        return;
    }
    let configs: Vec<&str> = files
        .files
        .iter()
        .filter(|(path, text)| {
            let name = path.rsplit('/').next().unwrap_or(path);
            name.starts_with("prisma.config.") && !path.contains("node_modules") && text.contains("prisma/config")
        })
        .map(|(path, _)| path.as_str())
        .collect();
    for read in found.iter_mut() {
        let file = read.source.rsplit_once(':').map_or(read.source.as_str(), |(file, _)| file);
        read.needed_at_build |= configs.contains(&file);
    }
}

/// Where a Prisma schema's datasource says it is SQLite (`provider = "sqlite"` inside
/// `datasource db { ... }`): the database is a file on the task's disk, whatever the URL names.
/// Schemas kept as examples or as a migration's copy are not the app's.
pub fn sqlite_datasource(files: &AppFiles) -> Option<String> {
    const NOT_THE_APPS: [&str; 4] = ["examples", "example", "migrations", "node_modules"];
    let the_apps = |path: &str| {
        !crate::analyze::source::is_test_path(path) && !path.split('/').any(|folder| NOT_THE_APPS.contains(&folder))
    };
    files.with_extensions(&["prisma"]).filter(|(path, _)| the_apps(path)).find_map(|(path, text)| {
        let mut in_datasource = false;
        text.lines().enumerate().find_map(|(index, line)| {
            let code = line.split("//").next().unwrap_or("").trim();
            if code.starts_with("datasource ") {
                in_datasource = true;
            } else if code.starts_with('}') {
                in_datasource = false;
            }
            let provider = code.strip_prefix("provider").map(|rest| rest.trim_start_matches([' ', '=']).trim());
            (in_datasource && provider == Some("\"sqlite\"")).then(|| format!("{path}:{}", index + 1))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_sqlite_datasource_and_not_a_generator() {
        let schema = "generator client {\n  provider = \"prisma-client-js\"\n}\n\ndatasource db {\n  provider = \"sqlite\"\n  url      = env(\"DATABASE_URL\")\n}\n";
        let files = AppFiles::from_pairs([("prisma/schema.prisma", schema)]);
        assert_eq!(sqlite_datasource(&files).as_deref(), Some("prisma/schema.prisma:6"));
        let postgres = schema.replace("sqlite", "postgresql");
        assert_eq!(sqlite_datasource(&AppFiles::from_pairs([("schema.prisma", postgres.as_str())])), None);
        let example = AppFiles::from_pairs([("examples/blog/db/schema.prisma", schema)]);
        assert_eq!(sqlite_datasource(&example), None);
    }

    #[test]
    fn a_prisma_configs_reads_are_needed_when_a_script_runs_prisma() {
        let config = "import { defineConfig, env } from 'prisma/config';\nexport default defineConfig({ datasource: { url: env('DATABASE_URL') } });\n";
        let manifest = r#"{"scripts": {"build-db": "prisma generate", "start": "next start"}}"#;
        let marked = |manifest: &str| {
            let files = AppFiles::from_pairs([("package.json", manifest), ("prisma.config.ts", config)]);
            let mut reads =
                vec![VariableRead::new("DATABASE_URL", "prisma.config.ts:2"), VariableRead::new("PORT", "server.ts:1")];
            mark_config_reads(&files, &mut reads);
            reads.iter().map(|r| r.needed_at_build).collect::<Vec<bool>>()
        };
        assert_eq!(marked(manifest), [true, false]);
        assert_eq!(marked(r#"{"scripts": {"start": "next start"}}"#), [false, false], "no script runs prisma");
    }

    #[test]
    fn the_datasource_and_its_shadow_database() {
        let schema = "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n  // directUrl = env(\"DIRECT_URL\")\n  shadowDatabaseUrl = env(\"SHADOW_DATABASE_URL\")\n}\n";
        let found = reads(&AppFiles::from_pairs([("prisma/schema.prisma", schema)]));
        let names: Vec<(&str, bool, bool, &str)> =
            found.iter().map(|r| (r.name.as_str(), r.required, r.tooling, r.source.as_str())).collect();
        assert_eq!(
            names,
            [
                ("DATABASE_URL", true, false, "prisma/schema.prisma:3"),
                ("SHADOW_DATABASE_URL", false, true, "prisma/schema.prisma:5")
            ]
        );
    }
}
