//! A start command that chains steps (`flask db upgrade; gunicorn app:app`,
//! `npm run build && node dist/server.js`) taken apart the way a platform engineer would:
//! build steps move to the image build, migrations leave the start (several tasks starting
//! together would race on them), and only the server runs in the container.

use crate::model::Finding;

/// What one step of a chain does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Changes the database schema.
    Migration,
    /// Produces files the server needs: it belongs in the image build.
    Build,
    /// Anything else: it must stay where it is.
    Other,
}

/// Judges a step by what it runs.
pub fn step_kind(step: &str) -> Step {
    let lower = step.to_ascii_lowercase();
    let migration = ["migrate", "db upgrade", "alembic upgrade", "migration:run", "flyway", "liquibase update"]
        .iter()
        .any(|m| lower.contains(m));
    if migration {
        return Step::Migration;
    }
    let build = ["build", "compile", "collectstatic", "scss", "webpack", "tsc", "prisma generate", "sass", "vite"]
        .iter()
        .any(|m| lower.contains(m));
    if build { Step::Build } else { Step::Other }
}

/// The steps of a shell line split at `;` and `&&`, trimmed; `None` when it has other shell
/// syntax (`||`, pipes, redirections, substitutions) that must stay with a shell.
pub fn steps(line: &str) -> Option<Vec<String>> {
    let shell_syntax = ['|', '>', '<', '`', '"', '\''].iter().any(|c| line.contains(*c))
        || line.contains("$(")
        // A lone `&` runs a step in the background: only `&&` chains.
        || line.replace("&&", "").contains('&');
    if shell_syntax {
        return None;
    }
    let steps: Vec<String> = line
        .split("&&")
        .flat_map(|part| part.split(';'))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    (!steps.is_empty()).then_some(steps)
}

/// A chain untangled: the server's own command, and the steps for the image build.
pub struct Untangled {
    pub run: String,
    pub build_steps: Vec<String>,
}

/// Takes `line` apart when every step before the last is a build step or a migration; each
/// move is a finding naming `source`. `None` when a step must stay with the server.
pub fn untangle(line: &str, source: &str, findings: &mut Vec<Finding>) -> Option<Untangled> {
    let steps = steps(line)?;
    let (run, before) = steps.split_last()?;
    if before.is_empty() || before.iter().any(|s| step_kind(s) == Step::Other) {
        return None;
    }
    let mut build_steps = Vec::new();
    for step in before {
        match step_kind(step) {
            Step::Migration => findings.push(
                Finding::warning(
                    "migrations-at-start",
                    format!("the start command runs `{step}` at every start: several tasks starting together would race on it, so the container command leaves it out"),
                    source,
                )
                .with_fix(format!("run `{step}` once per release, as a one-off task before the service update")),
            ),
            _ => {
                findings.push(Finding::info(
                    "build-at-start",
                    format!("the start command runs `{step}` first: the image build runs it once instead"),
                    source,
                ));
                build_steps.push(step.clone());
            }
        }
    }
    Some(Untangled { run: run.clone(), build_steps })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_procfile_chain_keeps_only_the_server() {
        let mut findings = Vec::new();
        let untangled = untangle(
            "flask db upgrade; flask translate compile; gunicorn microblog:app",
            "Procfile line 1",
            &mut findings,
        )
        .unwrap();
        assert_eq!(untangled.run, "gunicorn microblog:app");
        assert_eq!(untangled.build_steps, ["flask translate compile"]);
        let kinds: Vec<&str> = findings.iter().map(|f| f.kind.as_str()).collect();
        assert_eq!(kinds, ["migrations-at-start", "build-at-start"]);
    }

    #[test]
    fn unknown_steps_and_shell_syntax_stay_with_a_shell() {
        assert!(untangle("./wait-for db; node server.js", "x", &mut Vec::new()).is_none());
        assert!(untangle("npm run build || true; node x.js", "x", &mut Vec::new()).is_none());
        assert!(steps("node worker.js & node server.js").is_none(), "a background job needs a shell");
        assert!(steps("echo 'a; b'").is_none(), "separators inside quotes");
        assert!(untangle("node server.js", "x", &mut Vec::new()).is_none(), "nothing to take apart");
    }
}
