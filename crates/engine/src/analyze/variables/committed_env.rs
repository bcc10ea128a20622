//! A `.env` committed with the code that reaches the running app: the image copies it (`COPY
//! .env ./`, or `COPY . .` with no `.dockerignore` line keeping it out) and the app loads it
//! (dotenv, or Prisma, which loads it by itself), or the start script sources it. Its values are
//! then what the app runs with unless the operator sets the names, so they are defaults: a name
//! set there is never "required and unset".

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;
use crate::model::Finding;

/// The `.env` files an app may load: the folder's own, and Prisma's beside its schema.
const ENV_FILES: [&str; 2] = [".env", "prisma/.env"];

static SOURCED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)(?:^|[\s;&(])(?:source|\.)\s+["']?(?:\./|\$\w+/|/app/)?\.env["']?(?:\s|$|;|&|\))"#)
        .expect("valid pattern")
});

/// Defaults for the names the code reads (`reads`) that a committed `.env` the app runs with
/// sets; `start` is the start command, whose script may source the file.
pub fn defaults(files: &AppFiles, reads: &[VariableRead], start: &[String]) -> Vec<VariableRead> {
    let sourced = super::start_script(files, start).is_some_and(|(_, text)| SOURCED.is_match(text));
    let read: std::collections::HashSet<&str> = reads.iter().map(|r| r.name.as_str()).collect();
    let mut found = Vec::new();
    for file in ENV_FILES {
        let Some(text) = files.files.get(file) else { continue };
        let prisma = file.starts_with("prisma/") || files.with_extensions(&["prisma"]).next().is_some();
        if !(sourced || (copied_into_image(files, file) && (prisma || loads_dotenv(files)))) {
            continue;
        }
        for (line, name, value) in assignments(text).filter(|(_, name, _)| read.contains(name)) {
            found.push(VariableRead::new(name, format!("{file}:{line}")).with_default(Some(value.to_string())));
        }
    }
    found
}

/// A warning for each secret a committed `.env` the app loads gives a value to: the value is
/// public to anyone with the repository. ferry's image leaves `.env` out (`.dockerignore`), so
/// the service's own secret is what runs; the committed one must still be changed wherever it
/// was used. The value itself is never repeated.
pub fn committed_secrets(files: &AppFiles, reads: &[VariableRead]) -> Vec<Finding> {
    let read: std::collections::HashSet<&str> = reads.iter().map(|r| r.name.as_str()).collect();
    let mut found = Vec::new();
    for file in ENV_FILES {
        let Some(text) = files.files.get(file) else { continue };
        let prisma = file.starts_with("prisma/") || files.with_extensions(&["prisma"]).next().is_some();
        if !(prisma || loads_env_file(files, true)) {
            continue;
        }
        for (line, name, value) in assignments(text).filter(|(_, name, _)| read.contains(name)) {
            let secret =
                super::secrets::secret_by_name(name).is_some() || super::secrets::secret_by_default(value).is_some();
            if !secret {
                continue;
            }
            found.push(
                Finding::warning(
                    "secret-default",
                    format!("{name} has a value committed in {file}, which the app loads: anyone with the repository has it; ferry's image leaves {file} out, so the service's own secret is used"),
                    format!("{file}:{line}"),
                )
                .with_fix(format!("change {name} wherever the committed value was used, and remove {file} from the repository")),
            );
        }
    }
    found
}

/// The `NAME=value` lines of an env file that give a value (`export ` and quotes taken off,
/// comments and empty values skipped), with their 1-based line numbers.
fn assignments(text: &str) -> impl Iterator<Item = (usize, &str, &str)> {
    text.lines().enumerate().filter_map(|(index, line)| {
        let line = line.trim().trim_start_matches("export ");
        let (name, value) = line.split_once('=').filter(|_| !line.starts_with('#'))?;
        let (name, value) = (name.trim(), value.trim().trim_matches(['"', '\'']));
        (!value.is_empty()).then_some((index + 1, name, value))
    })
}

/// Whether the app's code loads a `.env` file by itself (dotenv in Node or Python, or NestJS's
/// `ConfigModule`, which loads it through dotenv).
fn loads_dotenv(files: &AppFiles) -> bool {
    loads_env_file(files, false)
}

/// The same, or also pydantic-settings' `env_file=".env"` when `settings_classes`: a file it
/// reads where the app runs, which makes its secrets public but is no default ferry's image
/// (which leaves `.env` out) runs with.
fn loads_env_file(files: &AppFiles, settings_classes: bool) -> bool {
    files.files.iter().any(|(path, text)| {
        let code = [".js", ".cjs", ".mjs", ".ts", ".py"].iter().any(|ext| path.ends_with(ext));
        let pydantic = settings_classes && path.ends_with(".py") && text.contains("env_file") && text.contains(".env");
        code && !is_test_path(path)
            && (text.contains("dotenv")
                || text.contains("loadEnvFile")
                || text.contains("ConfigModule.forRoot")
                || pydantic)
    })
}

/// A required variable that a committed `.env` the app loads sets, but that the image leaves
/// out, is not set by "nothing": its finding says the committed file is left out of the image.
pub fn say_left_out(files: &AppFiles, findings: &mut [Finding]) {
    if !loads_env_file(files, true) {
        return;
    }
    for file in ENV_FILES {
        let Some(text) = files.files.get(file) else { continue };
        for (index, line) in text.lines().enumerate().filter(|(_, line)| !line.trim_start().starts_with('#')) {
            let Some((name, value)) = line.trim().trim_start_matches("export ").split_once('=') else { continue };
            if value.trim().is_empty() {
                continue;
            }
            let unset = format!(" {} and nothing sets it", name.trim());
            let said = format!(
                " {} and only the committed {file} sets it ({file}:{}), which the image leaves out",
                name.trim(),
                index + 1
            );
            for finding in findings.iter_mut().filter(|f| f.kind == "required-env" && f.message.contains(&unset)) {
                finding.message = finding.message.replace(&unset, &said);
            }
        }
    }
}

/// Whether the image the repository builds copies `file`: named in a `COPY`/`ADD`, or in a
/// whole-context copy that `.dockerignore` does not keep it out of.
fn copied_into_image(files: &AppFiles, file: &str) -> bool {
    let Some((_, dockerfile)) = crate::analyze::container_start::dockerfiles(files).into_iter().next() else {
        return false;
    };
    let name = file.rsplit('/').next().unwrap_or(file);
    let folder = file.strip_suffix(name).unwrap_or("").trim_end_matches('/');
    dockerfile.lines().any(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some((command, args)) = words.split_first() else { return false };
        if !matches!(command.to_ascii_uppercase().as_str(), "COPY" | "ADD")
            || args.iter().any(|a| a.starts_with("--from"))
        {
            return false;
        }
        let sources = &args[..args.len().saturating_sub(1)];
        let named = sources.iter().any(|s| s.trim_start_matches("./") == file);
        let whole = sources.iter().any(|s| {
            let s = s.trim_start_matches("./").trim_end_matches('/');
            s.is_empty() || s == "." || (!folder.is_empty() && s == folder)
        });
        named || (whole && !ignored(files, file))
    })
}

/// Whether `.dockerignore` keeps `file` out of the build context.
fn ignored(files: &AppFiles, file: &str) -> bool {
    let Some(text) = files.files.get(".dockerignore") else { return false };
    let name = file.rsplit('/').next().unwrap_or(file);
    text.lines().map(|l| l.trim().trim_start_matches('/')).any(|pattern| {
        pattern == file
            || pattern == format!("**/{name}")
            || pattern == "*.env"
            || pattern == "**/*.env"
            || (pattern.ends_with('*') && name.starts_with(pattern.trim_end_matches('*')) && !pattern.contains('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database_read() -> Vec<VariableRead> {
        vec![VariableRead::new("DATABASE_URL", "prisma/schema.prisma:3").required(true)]
    }

    #[test]
    fn secrets_committed_in_a_loaded_env_are_said_by_name_only() {
        let reads = vec![VariableRead::new("JWT_SECRET", "src/jwt.ts:4"), VariableRead::new("PORT", "src/main.ts:2")];
        let env = (".env", "JWT_SECRET='super-secret'\nPORT=3000\nAPI_TOKEN=unread\n");
        let nest = ("src/app.module.ts", "imports: [ConfigModule.forRoot({ isGlobal: true })]\n");
        let found = committed_secrets(&AppFiles::from_pairs([env, nest]), &reads);
        let said: Vec<(&str, &str)> = found.iter().map(|f| (f.kind.as_str(), f.source.as_str())).collect();
        assert_eq!(said, [("secret-default", ".env:1")]);
        assert!(!found[0].message.contains("super-secret"));
        assert!(committed_secrets(&AppFiles::from_pairs([env]), &reads).is_empty(), "an .env nothing loads");
    }

    #[test]
    fn a_committed_env_the_image_copies_gives_defaults() {
        let schema = ("prisma/schema.prisma", "datasource db {\n  url = env(\"DATABASE_URL\")\n}\n");
        let env = (".env", "# by prisma init\nDATABASE_URL=\"file:../database/app.db\"\nUNREAD=1\n");
        let named = AppFiles::from_pairs([("Dockerfile", "FROM node:20\nCOPY server.js .env ./\n"), schema, env]);
        let found: Vec<(String, Option<String>, String)> =
            defaults(&named, &database_read(), &[]).into_iter().map(|r| (r.name, r.default, r.source)).collect();
        assert_eq!(found, [("DATABASE_URL".into(), Some("file:../database/app.db".into()), ".env:2".into())]);

        let whole = AppFiles::from_pairs([("Dockerfile", "FROM node:20\nCOPY . .\n"), schema, env]);
        assert_eq!(defaults(&whole, &database_read(), &[]).len(), 1, "the whole context holds it");
        let kept_out = AppFiles::from_pairs([
            ("Dockerfile", "FROM node:20\nCOPY . .\n"),
            (".dockerignore", "node_modules\n.env\n"),
            schema,
            env,
        ]);
        assert!(defaults(&kept_out, &database_read(), &[]).is_empty(), ".dockerignore keeps it out");
        let not_loaded = AppFiles::from_pairs([("Dockerfile", "FROM node:20\nCOPY . .\n"), env]);
        assert!(defaults(&not_loaded, &database_read(), &[]).is_empty(), "nothing loads it");
    }

    #[test]
    fn a_start_script_that_sources_it() {
        let files = AppFiles::from_pairs([
            ("start.sh", "#!/bin/sh\nset -a\n. ./.env\nset +a\nexec node app.js\n"),
            (".env", "DATABASE_URL=postgres://db/app\n"),
        ]);
        assert_eq!(defaults(&files, &database_read(), &["./start.sh".to_string()]).len(), 1);
        assert!(defaults(&files, &database_read(), &["node".to_string()]).is_empty());
    }
}
