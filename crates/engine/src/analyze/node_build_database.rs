//! A build script that reaches the database (`run-s db:migrate build:next`,
//! `prisma migrate deploy && next build`): an image build has no database to reach. When
//! the database steps are links of a chain, the image builds with the other links alone
//! and the migration becomes a step of its own; a build that cannot be taken apart stays a
//! blocker.

use serde_json::{Map, Value};

use crate::model::Finding;

/// One link of the build chain: a script run by name, or a command of its own.
#[derive(Debug, PartialEq)]
enum Link {
    Script(String),
    Command(String),
}

/// The build the image runs when the build script's database steps can be left out
/// (`npm run build:next`), and the finding that says what was left out or what blocks.
pub(super) struct DatabaseBuild {
    pub finding: Finding,
    pub image_build: Option<Vec<String>>,
}

pub(super) fn judged(manifest: &Value, pm: &str) -> Option<DatabaseBuild> {
    let scripts = manifest.get("scripts")?.as_object()?;
    let build = scripts.get("build")?.as_str()?;
    let reached = reaches_database(scripts, build)?;
    let split = split(scripts, build, pm);
    let own = for_images(scripts, pm).map(|own| {
        let left_out = split.as_ref().map(|(_, left_out)| left_out.clone());
        (vec![own], left_out.unwrap_or_else(|| vec![reached.trim().to_string()]))
    });
    let Some((kept, left_out)) = own.or(split) else {
        let finding = Finding::blocker(
            "build-needs-database",
            format!("the build reaches the database (`{}`): an image build has none", reached.trim()),
            "package.json scripts.build",
        )
        .with_fix("take the database steps out of the build and run them as a one-off task before the service update");
        return Some(DatabaseBuild { finding, image_build: None });
    };
    let finding = Finding::warning(
        "build-needs-database",
        format!(
            "the build runs `{}`, which reaches the database: the image builds with `{}` alone",
            left_out.join(" && "),
            kept.join(" && ")
        ),
        "package.json scripts.build",
    )
    .with_fix(format!("run `{}` as a one-off task before each service update", left_out.join(" && ")));
    Some(DatabaseBuild { finding, image_build: Some(super::node::chained_words(&kept)) })
}

/// The repository's own build for images (`build-docker`), when it leaves the database alone.
fn for_images(scripts: &Map<String, Value>, pm: &str) -> Option<String> {
    let name = ["build-docker", "build:docker", "docker:build", "docker-build"].into_iter().find(|name| {
        scripts.get(*name).and_then(Value::as_str).is_some_and(|text| reaches_database(scripts, text).is_none())
    })?;
    Some(format!("{pm} run {name}"))
}

/// The first line the build runs that migrates or checks the database, following the
/// scripts it runs by name (`npm-run-all a b`, `run-s a`, `npm run a`).
fn reaches_database(scripts: &Map<String, Value>, build: &str) -> Option<String> {
    let mut pending = vec![build.to_string()];
    let mut visited: Vec<String> = vec!["build".into()];
    while let Some(line) = pending.pop() {
        if touches_database(&line) {
            return Some(line);
        }
        for word in line.split(|c: char| c.is_whitespace() || c == '&' || c == ';') {
            if visited.iter().any(|v| v == word) {
                continue;
            }
            if let Some(script) = scripts.get(word).and_then(Value::as_str) {
                visited.push(word.to_string());
                // A script named for the database says so even when its text is a tool's name.
                pending.push(if word.contains("db") { format!("{word}: {script}") } else { script.to_string() });
            }
        }
    }
    None
}

fn touches_database(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("migrate") || lower.contains("db push") || lower.contains("check-db")
}

/// The build's links that stay in the image, as commands, and the database links left out;
/// `None` when the build is no plain chain or every link reaches the database.
fn split(scripts: &Map<String, Value>, build: &str, pm: &str) -> Option<(Vec<String>, Vec<String>)> {
    let (mut kept, mut left_out) = (Vec::new(), Vec::new());
    for link in links(build, scripts)? {
        let (command, database) = match &link {
            Link::Script(name) => {
                let text = scripts.get(name).and_then(Value::as_str).unwrap_or("");
                (format!("{pm} run {name}"), reaches_database(scripts, &format!("{name}: {text}")).is_some())
            }
            Link::Command(text) => (runnable(text)?, touches_database(text)),
        };
        if database { left_out.push(command) } else { kept.push(command) }
    }
    (!kept.is_empty() && !left_out.is_empty()).then_some((kept, left_out))
}

/// The links of `run-s a b`, `npm-run-all a b` (serial only) or `a && b && c`.
fn links(build: &str, scripts: &Map<String, Value>) -> Option<Vec<Link>> {
    let build = build.trim();
    if build.contains(['|', ';', '>', '<', '`', '$']) {
        return None;
    }
    let mut words = build.split_whitespace();
    if let Some(runner) = words.next().filter(|w| *w == "run-s" || *w == "npm-run-all") {
        let rest: Vec<&str> = words.collect();
        let parallel = rest.iter().any(|w| ["-p", "--parallel"].contains(w));
        if parallel || rest.iter().any(|w| w.contains('*')) || (runner == "npm-run-all" && rest.is_empty()) {
            return None;
        }
        return Some(rest.iter().filter(|w| !w.starts_with('-')).map(|w| Link::Script(w.to_string())).collect());
    }
    if !build.contains("&&") || build.replace("&&", "").contains('&') {
        return None;
    }
    Some(build.split("&&").map(|part| by_name(part.trim(), scripts)).collect())
}

/// `npm run x`, `yarn x`, `pnpm run x` name a script; anything else is a command.
fn by_name(part: &str, scripts: &Map<String, Value>) -> Link {
    let words: Vec<&str> = part.split_whitespace().collect();
    let name = match words.as_slice() {
        ["npm" | "yarn" | "pnpm" | "bun", "run", name] => Some(*name),
        ["yarn" | "pnpm", name] if scripts.contains_key(*name) => Some(*name),
        _ => None,
    };
    match name {
        Some(name) => Link::Script(name.to_string()),
        None => Link::Command(part.to_string()),
    }
}

/// A command as the image's shell runs it: a package's tool through npx, which finds
/// `node_modules/.bin`; `None` for one that sets variables inline.
fn runnable(text: &str) -> Option<String> {
    let first = text.split_whitespace().next()?;
    if first.contains('=') {
        return None;
    }
    Some(match first {
        "npm" | "yarn" | "pnpm" | "npx" | "node" | "bun" => text.to_string(),
        _ => format!("npx {text}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(scripts: &str) -> Option<(String, String, Option<String>)> {
        let manifest: Value = serde_json::from_str(&format!(r#"{{"scripts":{scripts}}}"#)).unwrap();
        judged(&manifest, "npm").map(|j| {
            (format!("{:?}", j.finding.level).to_lowercase(), j.finding.message, j.image_build.map(|b| b.join(" ")))
        })
    }

    #[test]
    fn a_serial_runner_drops_its_migration_link() {
        let (level, message, build) = judge(
            r#"{"build":"run-s db:migrate build:next","db:migrate":"drizzle-kit migrate","build:next":"next build"}"#,
        )
        .unwrap();
        assert_eq!(level, "warning");
        assert_eq!(build.as_deref(), Some("npm run build:next"));
        assert!(message.contains("`npm run db:migrate`"), "{message}");
    }

    #[test]
    fn the_repositorys_own_build_for_images_comes_first() {
        let scripts = r#"{"build":"npm-run-all check-db build-app","check-db":"node scripts/check-db.js && prisma migrate deploy",
            "build-app":"next build","build-docker":"npm-run-all build-app"}"#;
        let (level, message, build) = judge(scripts).unwrap();
        assert_eq!((level.as_str(), build.as_deref()), ("warning", Some("npm run build-docker")));
        assert!(message.contains("the build runs `npm run check-db`"), "{message}");
    }

    #[test]
    fn a_chain_of_commands_keeps_its_tools_through_npx() {
        let (_, _, build) = judge(r#"{"build":"prisma generate && prisma migrate deploy && next build"}"#).unwrap();
        assert_eq!(build.as_deref(), Some("npx prisma generate && npx next build"));
    }

    #[test]
    fn builds_that_cannot_be_taken_apart_stay_blockers() {
        for scripts in [
            r#"{"build":"prisma migrate deploy"}"#,
            r#"{"build":"run-p db:migrate build:next","db:migrate":"knex migrate:latest","build:next":"next build"}"#,
            r#"{"build":"NODE_ENV=production next build && prisma migrate deploy"}"#,
            r#"{"build":"node scripts/migrate.js; next build"}"#,
        ] {
            let (level, _, build) = judge(scripts).unwrap();
            assert_eq!((level.as_str(), build), ("blocker", None), "{scripts}");
        }
    }

    #[test]
    fn a_build_that_never_reaches_the_database_says_nothing() {
        assert!(judge(r#"{"build":"tsc && vite build"}"#).is_none());
        assert!(judge(r#"{"start":"node ."}"#).is_none());
    }
}
