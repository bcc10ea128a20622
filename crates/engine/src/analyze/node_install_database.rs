//! Install lifecycle scripts that reach a database: `postinstall: prisma migrate deploy &&
//! prisma generate`. The image's dependency install runs the package's own `preinstall`,
//! `install`, `postinstall` and `prepare` scripts, and a build has no database: the install
//! fails. The image keeps only the steps that need no database (`prisma generate`), and the
//! migrations become a separate step before each release.

use serde_json::Value;

use crate::model::Finding;

/// The lifecycle scripts an install runs of the package itself, in the order it runs them.
const LIFECYCLE: [&str; 4] = ["preinstall", "install", "postinstall", "prepare"];

/// How deep `npm run a` → `npm run b` chains are followed (a cycle stops here too).
const MAX_DEPTH: usize = 4;

/// One install script, split into the steps that reach the database and the others.
#[derive(Debug, PartialEq)]
pub struct Split {
    pub script: String,
    pub database: Vec<String>,
    pub rest: Vec<String>,
}

/// The install scripts with a step that reaches the database.
pub fn splits(manifest: &Value) -> Vec<Split> {
    LIFECYCLE
        .iter()
        .filter_map(|name| {
            let body = manifest.pointer(&format!("/scripts/{name}"))?.as_str()?;
            let (database, rest): (Vec<String>, Vec<String>) = body
                .split("&&")
                .map(|step| step.trim().to_string())
                .filter(|step| !step.is_empty())
                .partition(|step| reaches_database(manifest, step, 0));
            (!database.is_empty()).then(|| Split { script: name.to_string(), database, rest })
        })
        .collect()
}

/// A `build-needs-database` blocker for each install script that reaches the database.
pub fn findings(manifest: &Value, text: &str) -> Vec<Finding> {
    splits(manifest)
        .into_iter()
        .map(|split| {
            let at = text.lines().position(|l| l.contains(&format!("\"{}\"", split.script))).map_or(1, |i| i + 1);
            let steps = split.database.join(" && ");
            let command = runnable(&split.database);
            let kept = if split.rest.is_empty() {
                format!("the image's install leaves the {} script out", split.script)
            } else {
                format!("the image's install keeps only `{}` of it", split.rest.join(" && "))
            };
            Finding::blocker(
                "build-needs-database",
                format!(
                    "the {} script runs `{steps}`, which needs the database: the dependency install in the image build has none, and fails",
                    split.script
                ),
                format!("package.json:{at}"),
            )
            .with_fix(format!("{kept}; run `{command}` as a separate step against the database before each release"))
        })
        .collect()
}

/// The database steps of the install script `script`, as a one-off task runs them.
pub fn database_command(manifest: &Value, script: &str) -> Option<String> {
    splits(manifest).into_iter().find(|split| split.script == script).map(|split| runnable(&split.database))
}

/// Steps as a shell outside npm runs them: a script's tools come from node_modules/.bin, which
/// only npm puts on the PATH, so each is run through `npx`.
fn runnable(steps: &[String]) -> String {
    let through_npx = |step: &String| {
        let first = step.split_whitespace().next().unwrap_or_default();
        if ["npm", "npx", "yarn", "pnpm", "bun", "node"].contains(&first) {
            step.clone()
        } else {
            format!("npx {step}")
        }
    };
    steps.iter().map(through_npx).collect::<Vec<_>>().join(" && ")
}

/// Whether one step of a script migrates, pushes or seeds a database: a migration tool's
/// command, or a package script (`npm run migrate`) that does.
fn reaches_database(manifest: &Value, step: &str, depth: usize) -> bool {
    let words: Vec<&str> = step.split_whitespace().map(|w| w.trim_matches(['"', '\'', '(', ')'])).collect();
    let migrates = words.iter().any(|word| {
        word.starts_with("migrat")
            || word.starts_with("seed")
            || word.contains(":migrat")
            || word.contains(":seed")
            || ["node-pg-migrate", "schema:sync", "schema:update", "db-migrate"].contains(word)
    });
    // `prisma db push`, `drizzle-kit push`: pushing the schema writes to the database.
    let pushes = words.windows(2).any(|pair| {
        (pair[0] == "db" && ["push", "seed", "execute", "pull"].contains(&pair[1]))
            || (pair[0] == "drizzle-kit" && pair[1] == "push")
    });
    if migrates || pushes {
        return true;
    }
    depth < MAX_DEPTH
        && script_called(&words).is_some_and(|name| {
            manifest
                .pointer(&format!("/scripts/{}", name.replace('~', "~0").replace('/', "~1")))
                .and_then(Value::as_str)
                .is_some_and(|body| body.split("&&").any(|part| reaches_database(manifest, part, depth + 1)))
        })
}

/// The package script a step runs: `npm run NAME`, `yarn NAME`, `pnpm run NAME`.
fn script_called<'a>(words: &[&'a str]) -> Option<&'a str> {
    let (first, rest) = words.split_first()?;
    if !["npm", "yarn", "pnpm", "bun"].contains(first) {
        return None;
    }
    let rest: Vec<&str> = rest.iter().copied().filter(|w| !w.starts_with('-')).collect();
    match rest.as_slice() {
        ["run" | "run-script", name, ..] => Some(name),
        [name, ..] if *first != "npm" => Some(name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(scripts: &str) -> Value {
        serde_json::from_str(&format!(r#"{{"scripts":{{{scripts}}}}}"#)).unwrap()
    }

    #[test]
    fn a_postinstall_that_migrates_keeps_its_generate_step() {
        let found = splits(&manifest(r#""postinstall":"prisma migrate deploy && prisma generate""#));
        let expected = Split {
            script: "postinstall".into(),
            database: vec!["prisma migrate deploy".into()],
            rest: vec!["prisma generate".into()],
        };
        assert_eq!(found, [expected]);
    }

    #[test]
    fn a_package_script_that_migrates_counts_too() {
        let found = splits(&manifest(r#""prepare":"npm run db:setup","db:setup":"knex migrate:latest""#));
        assert_eq!(found[0].database, ["npm run db:setup"]);
        assert!(found[0].rest.is_empty());
        let pushed = splits(&manifest(r#""postinstall":"yarn push","push":"prisma db push""#));
        assert_eq!(pushed[0].script, "postinstall");
    }

    #[test]
    fn generating_or_building_needs_no_database() {
        let scripts = r#""postinstall":"prisma generate && npm run build","build":"tsc","prepare":"husky""#;
        assert!(splits(&manifest(scripts)).is_empty());
        let looped = splits(&manifest(r#""postinstall":"npm run a","a":"npm run postinstall""#));
        assert!(looped.is_empty(), "a cycle ends");
    }
}
