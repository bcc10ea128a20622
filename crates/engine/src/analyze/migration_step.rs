//! Migrations the app keeps but never runs as it starts: a package.json script (`prisma migrate
//! deploy`, `knex migrate:latest`, `sequelize db:migrate`), a Prisma or Django migrations
//! folder, or Alembic's. On a fresh database the tables are missing until someone runs them,
//! and a new release that adds a column fails until they run. A platform engineer runs them
//! once per release as a one-off task before the service update, and says so.
//!
//! Said only when nothing already says the start migrates (`migrations-at-start`) or that a CLI
//! command makes the tables (`migrations-separate-step`).

use serde_json::Value;

use super::app_files::AppFiles;
use super::source::is_test_path;
use crate::model::Finding;

/// What a script runs that applies migrations to a database.
const APPLYING: [&str; 12] = [
    "prisma migrate deploy",
    "prisma db push",
    "knex migrate:latest",
    "sequelize db:migrate",
    "sequelize-cli db:migrate",
    "typeorm migration:run",
    "migration:run",
    "migrate-mongo up",
    "node-pg-migrate up",
    "db-migrate up",
    "drizzle-kit migrate",
    "drizzle-kit push",
];
/// Script names that are never the production step (a developer's loop, a reset, an undo).
const NOT_PRODUCTION: [&str; 7] = ["dev", "test", "reset", "rollback", "undo", "down", "revert"];

/// The warning, unless `said` already covers how the schema is made.
pub fn finding(files: &AppFiles, said: &[Finding], start: &[String]) -> Option<Finding> {
    if said.iter().any(|f| f.kind == "migrations-at-start" || f.kind == "migrations-separate-step") {
        return None;
    }
    let Some((command, source)) = migration_script(files).or_else(|| migrations_folder(files)) else {
        return super::sync_script::finding(files);
    };
    if let Some(at) = release_phase(files) {
        return Some(separate_step(&command, at));
    }
    if let Some((step, at)) = started_with(files, &command) {
        return Some(
            Finding::warning("migrations-at-start", at_start_message(&step, &at, start), at)
                .with_fix(format!("run `{command}` once per release, as a one-off task before the service update")),
        );
    }
    Some(separate_step(&command, source))
}

/// What the warning says: when ferry's start command runs the script that migrates
/// (`./bin/run.sh web`), the service migrates at every start too; otherwise only the
/// repository's own start does, and ferry's runs the server alone.
fn at_start_message(step: &str, at: &str, start: &[String]) -> String {
    let script = at.rsplit_once(':').map_or(at, |(path, _)| path);
    let runs_it = start.iter().any(|word| word.trim_start_matches("./").trim_start_matches("/app/") == script);
    if runs_it {
        return format!(
            "the start command runs `{script}`, which migrates the database (`{step}`) at every start of every task: tasks starting together race on it"
        );
    }
    format!(
        "the repository's own start migrates the database (`{step}`) at every start of every task: ferry's container command runs only the server, as tasks starting together would race on it"
    )
}

/// A start command that asks the server to migrate as it starts (`serve -automigrate`,
/// `--migrate`, `--run-migrations=true`): every task migrates, and tasks starting together race
/// on the schema. The flag stays (a first release needs its tables); the warning says how to
/// take it out.
pub fn start_flag(start: &[String], source: &str, findings: &mut Vec<Finding>) {
    if findings.iter().any(|f| f.kind == "migrations-at-start") {
        return;
    }
    let asks = |word: &&String| {
        let lower = word.to_ascii_lowercase();
        let (flag, value) = lower.split_once('=').unwrap_or((&lower, "true"));
        // `-migrations-dir ./db` names a folder: only a switch asks to migrate.
        const NOT_SWITCHES: [&str; 9] = ["no-", "skip", "disable", "dir", "path", "table", "source", "file", "folder"];
        flag.starts_with('-')
            && flag.contains("migrat")
            && !NOT_SWITCHES.iter().any(|off| flag.contains(off))
            && matches!(value, "true" | "1" | "yes" | "on")
    };
    let Some(flag) = start.iter().skip(1).find(asks) else { return };
    findings.push(
        Finding::warning(
            "migrations-at-start",
            format!("the start command's `{flag}` migrates the database at every start of every task: tasks starting together race on it"),
            source.to_string(),
        )
        .with_fix(format!("once the schema exists, run the migration as a one-off task before each release and start the service without `{flag}`")),
    );
}

/// A start that migrates (the instance's, or the repository's) says where migrations run: a
/// separate step said beside it would contradict it.
pub fn one_say(findings: &mut Vec<Finding>) {
    if findings.iter().any(|f| f.kind == "migrations-at-start") {
        findings.retain(|f| f.kind != "migrations-separate-step");
    }
}

fn separate_step(command: &str, source: String) -> Finding {
    Finding::warning(
        "migrations-separate-step",
        format!("the schema is applied by `{command}`, which the start does not run: on a fresh database, or after a release that changes the schema, queries fail until it runs"),
        source,
    )
    .with_fix(format!("run `{command}` once per release, as a one-off task before the service update"))
}

/// A Procfile `release:` line that migrates: the maintainers run migrations as a release step.
fn release_phase(files: &AppFiles) -> Option<String> {
    let text = files.get("Procfile")?;
    let index = text.lines().position(|line| {
        line.starts_with("release:") && APPLYING.iter().chain(&PYTHON_APPLYING).any(|step| line.contains(step))
    })?;
    Some(format!("Procfile:{}", index + 1))
}

/// The first line of the repository's own start (its image's `CMD`/`ENTRYPOINT`, a start or
/// entrypoint script, a compose `command:`, a start script in package.json, a Procfile `web:`)
/// that applies migrations: `command` itself, or the tools' own words. Gives the line's text
/// and `path:line`.
fn started_with(files: &AppFiles, command: &str) -> Option<(String, String)> {
    let script = command.strip_prefix("npm run ");
    let migrates = |line: &str| {
        let line = line.trim();
        !line.starts_with('#')
            && (APPLYING.iter().chain(&PYTHON_APPLYING).any(|step| line.contains(step))
                || script.is_some_and(|name| {
                    line.split(|c: char| c.is_whitespace() || c == '"' || c == '\'').any(|word| word == name)
                }))
    };
    let mut places: Vec<(&str, &str)> = files.files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    places.sort_by_key(|(path, _)| !is_dockerfile(path));
    for (path, text) in places.into_iter().filter(|(path, _)| !is_test_path(path)) {
        let starts = start_lines(path, text);
        if let Some((index, line)) = starts.into_iter().find(|(_, line)| migrates(line)) {
            return Some((line.trim().chars().take(120).collect(), format!("{path}:{}", index + 1)));
        }
    }
    None
}

/// What Python's migration tools run.
const PYTHON_APPLYING: [&str; 3] = ["manage.py migrate", "db upgrade", "alembic upgrade"];

fn is_dockerfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.starts_with("Dockerfile") || name.ends_with(".dockerfile")
}

/// The 0-based lines of `path` that run when the app starts, by the kind of file it is.
fn start_lines<'a>(path: &str, text: &'a str) -> Vec<(usize, &'a str)> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let lines = text.lines().enumerate();
    let lower = path.to_ascii_lowercase();
    let dev = ["dev", "test", "local", "override"]
        .iter()
        .any(|word| name.contains(word) || lower.split('/').rev().skip(1).any(|folder| folder.starts_with(word)));
    if is_dockerfile(path) {
        return lines
            .filter(|(_, l)| l.trim_start().starts_with("CMD") || l.trim_start().starts_with("ENTRYPOINT"))
            .collect();
    }
    if name.ends_with(".sh") {
        let starts = ["entrypoint", "start", "run", "boot", "docker", "prod"].iter().any(|word| name.contains(word));
        return if starts && !dev {
            lines.filter(|(index, _)| !in_development_branch(text, *index)).collect()
        } else {
            Vec::new()
        };
    }
    if name.starts_with("docker-compose") || name.starts_with("compose.") {
        return if dev { Vec::new() } else { lines.filter(|(_, l)| l.contains("command:")).collect() };
    }
    if name == "procfile" {
        return lines.filter(|(_, l)| l.starts_with("web:")).collect();
    }
    if path == "package.json" {
        let script_name = |line: &str| line.trim().trim_start_matches('"').split('"').next().unwrap_or("").to_string();
        return lines
            .filter(|(_, l)| {
                let name = script_name(l);
                (name.contains("start") || name.contains("prod")) && !name.contains("dev")
            })
            .collect();
    }
    Vec::new()
}

/// Whether the 0-based line `index` of a shell script sits in a `case` branch whose label is a
/// development or test mode (`web-dev)`, `test)`): a script that starts the app in several
/// modes migrates in the production one on its own line, which is the one to point at.
fn in_development_branch(text: &str, index: usize) -> bool {
    for line in text.lines().take(index + 1).collect::<Vec<_>>().into_iter().rev() {
        let line = line.trim();
        if line.starts_with(";;") || line.starts_with("case ") || line == "esac" {
            return false;
        }
        let Some(label) = line.strip_suffix(')').filter(|l| !l.contains([' ', '(', '$', '"'])) else { continue };
        let words = label.split(['|', '-', '_', ':']).map(str::to_ascii_lowercase);
        return words.into_iter().any(|word| NOT_PRODUCTION.contains(&word.as_str()));
    }
    false
}

/// A package.json script that applies migrations, as `npm run <name>`, with its line.
fn migration_script(files: &AppFiles) -> Option<(String, String)> {
    let text = files.get("package.json")?;
    let manifest: Value = serde_json::from_str(text).ok()?;
    let scripts = manifest.get("scripts")?.as_object()?;
    let mongodb = prisma_on_mongodb(files);
    let mut applying: Vec<(&String, &str)> = scripts
        .iter()
        .filter_map(|(name, body)| Some((name, body.as_str()?)))
        .filter(|(name, body)| {
            let name = name.to_ascii_lowercase();
            APPLYING.iter().any(|step| body.contains(step) && !(mongodb && *step == "prisma db push"))
                && !NOT_PRODUCTION.iter().any(|word| name.split([':', '-', '_']).any(|part| part == *word))
                && !body.contains("--env test")
        })
        .collect();
    // The script whose name says it deploys wins over one that also builds or seeds.
    applying.sort_by_key(|(name, _)| (!name.contains("deploy"), !name.contains("migrat"), name.len()));
    let (name, _) = applying.first()?;
    let line = text.lines().position(|l| l.contains(&format!("\"{name}\""))).map_or(1, |i| i + 1);
    // An install script's database steps are left out of the image: the task runs them alone.
    let command = super::node_install_database::database_command(&manifest, name);
    Some((command.unwrap_or_else(|| format!("npm run {name}")), format!("package.json:{line}")))
}

/// Whether the app's Prisma schema keeps its data in MongoDB: there `prisma db push` only
/// builds indexes, and collections appear at their first write, so no query waits on it.
fn prisma_on_mongodb(files: &AppFiles) -> bool {
    files.files.iter().filter(|(path, _)| path.ends_with(".prisma")).any(|(_, text)| {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        compact.contains("provider=\"mongodb\"")
    })
}

/// A migrations folder the app's tool applies: Prisma's, Django's, or Alembic's (Flask-Migrate
/// keeps it in `migrations/`).
fn migrations_folder(files: &AppFiles) -> Option<(String, String)> {
    let first = |test: &dyn Fn(&str) -> bool| files.files.keys().find(|p| !is_test_path(p) && test(p)).cloned();
    if let Some(path) = first(&|p| p.starts_with("prisma/migrations/") && p.ends_with("migration.sql")) {
        return Some(("npx prisma migrate deploy".into(), format!("{path}:1")));
    }
    if files.has("manage.py")
        && let Some(path) = first(&|p| p.contains("/migrations/0001_") && p.ends_with(".py"))
    {
        return Some(("python manage.py migrate".into(), format!("{path}:1")));
    }
    let alembic = first(&|p| p.ends_with("alembic.ini") || p.ends_with("migrations/env.py"))?;
    let flask_migrate = files.with_extensions(&["py"]).any(|(_, text)| text.contains("flask_migrate"));
    let command = if flask_migrate { "flask db upgrade" } else { "alembic upgrade head" };
    Some((command.into(), format!("{alembic}:1")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(pairs: &[(&str, &str)]) -> Option<(String, String)> {
        finding(&AppFiles::from_pairs(pairs.iter().copied()), &[], &[]).map(|f| (f.message, f.source))
    }

    #[test]
    fn a_start_flag_that_migrates() {
        let start = |words: &[&str]| {
            let mut findings = Vec::new();
            start_flag(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>(), "Dockerfile:32", &mut findings);
            findings.into_iter().map(|f| f.kind).collect::<Vec<_>>()
        };
        assert_eq!(start(&["/app/goatcounter", "serve", "-automigrate"]), ["migrations-at-start"]);
        assert_eq!(start(&["./server", "--run-migrations=true"]), ["migrations-at-start"]);
        assert!(start(&["./server", "--skip-migrations"]).is_empty());
        assert!(start(&["./server", "--migrate=false"]).is_empty());
        assert!(start(&["./migrate-and-serve"]).is_empty(), "the program is no flag");
        assert!(start(&["./server", "-migrations-dir", "./db"]).is_empty(), "a folder, not a switch");
    }

    #[test]
    fn a_script_that_deploys_prisma_migrations_is_named() {
        let manifest = "{\n  \"scripts\": {\n    \"prisma:dev:deploy\": \"prisma migrate deploy\",\n    \"db:deploy\": \"prisma migrate deploy\",\n    \"prisma:test:deploy\": \"dotenv -e .env.test -- prisma migrate deploy\"\n  }\n}\n";
        let (message, source) = said(&[("package.json", manifest)]).expect("a finding");
        assert!(message.contains("`npm run db:deploy`"), "{message}");
        assert_eq!(source, "package.json:4");
    }

    #[test]
    fn a_start_script_migrates_on_its_production_branch() {
        let script = "case $1 in\n  serve-dev)\n    python manage.py migrate\n    exec python manage.py runserver\n    ;;\n  serve)\n    python manage.py migrate\n    gunicorn site.wsgi\n    ;;\nesac\n";
        let django = [("manage.py", ""), ("shop/migrations/0001_initial.py", ""), ("scripts/start.sh", script)];
        assert_eq!(said(&django).expect("django").1, "scripts/start.sh:7");
    }

    #[test]
    fn migrations_folders_name_their_tool() {
        let django = [("manage.py", ""), ("shop/migrations/0001_initial.py", "")];
        assert!(said(&django).expect("django").0.contains("`python manage.py migrate`"));
        let flask = [("migrations/env.py", ""), ("app.py", "from flask_migrate import Migrate\n")];
        assert_eq!(said(&flask).expect("flask").1, "migrations/env.py:1");
        let prisma = [("prisma/migrations/20240101_init/migration.sql", "CREATE TABLE t ();")];
        assert!(said(&prisma).expect("prisma").0.contains("npx prisma migrate deploy"));
    }

    #[test]
    fn a_repository_start_that_migrates_is_said_as_such() {
        let manifest = "{\"scripts\": {\n\"db:deploy\": \"prisma migrate deploy\",\n\"start:with-migrate\": \"npm run db:deploy && next start\"\n}}";
        let files = AppFiles::from_pairs([("package.json", manifest)]);
        let found = finding(&files, &[], &[]).expect("a finding");
        assert_eq!((found.kind.as_str(), found.source.as_str()), ("migrations-at-start", "package.json:3"));
        let entry = [
            ("manage.py", ""),
            ("pins/migrations/0001_initial.py", ""),
            ("docker/scripts/start.sh", "#!/bin/sh\npython manage.py migrate --noinput\nexec gunicorn app.wsgi\n"),
        ];
        let found = finding(&AppFiles::from_pairs(entry), &[], &[]).expect("a finding");
        assert_eq!((found.kind.as_str(), found.source.as_str()), ("migrations-at-start", "docker/scripts/start.sh:2"));
    }

    #[test]
    fn a_prisma_push_to_mongodb_makes_no_tables() {
        let manifest = "{\"scripts\": {\n\"db:migrate\": \"prisma db push\"\n}}";
        let mongo = "datasource db {\n  provider = \"mongodb\"\n  url      = env(\"DATABASE_URL\")\n}\n";
        assert!(said(&[("package.json", manifest), ("prisma/schema.prisma", mongo)]).is_none());
        let postgres = mongo.replace("mongodb", "postgresql");
        let found = said(&[("package.json", manifest), ("prisma/schema.prisma", &postgres)]).expect("a finding");
        assert_eq!(found.1, "package.json:2");
    }

    #[test]
    fn nothing_is_said_when_the_start_migrates_or_there_is_nothing_to_run() {
        let files = AppFiles::from_pairs([("manage.py", ""), ("shop/migrations/0001_initial.py", "")]);
        let at_start = Finding::warning("migrations-at-start", "x", "entrypoint.sh:3");
        assert!(finding(&files, &[at_start], &[]).is_none());
        assert!(said(&[("package.json", "{\"scripts\":{\"start\":\"node .\"}}")]).is_none());
        assert!(said(&[("package.json", "{\"scripts\":{\"db:test\":\"knex migrate:latest\"}}")]).is_none());
    }
}
