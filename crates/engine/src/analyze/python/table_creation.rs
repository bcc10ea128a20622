//! Where a SQLAlchemy app creates its tables. `metadata.create_all(engine)` at the top of a
//! module runs in every task and worker as it imports the app; tasks starting together race on
//! it. When only a CLI command creates them (`@app.cli.command() def initdb(): db.create_all()`),
//! a fresh database has no tables until someone runs it, and pages that query them fail, the
//! health check's among them.

use crate::analyze::app_files::AppFiles;
use crate::analyze::readiness::migrations_at_start;
use crate::analyze::source::app_code_lines;
use crate::model::Finding;

/// The findings of where the app's code creates its tables.
pub(super) fn findings(files: &AppFiles, findings: &mut Vec<Finding>) {
    let lines: Vec<(String, &str)> = app_code_lines(files, &["py"]).collect();
    let creates = |line: &str| {
        let code = line.trim_start();
        !code.starts_with('#') && code.contains(".create_all(")
    };
    let mut at_import = None;
    let mut in_commands = Vec::new();
    let mut other = false;
    for (index, (at, line)) in lines.iter().enumerate().filter(|(_, (_, line))| creates(line)) {
        if !line.starts_with([' ', '\t']) {
            at_import.get_or_insert_with(|| (at.clone(), line.trim().to_string()));
        } else if let Some(command) = cli_command(&lines, index) {
            in_commands.push((at.clone(), command));
        } else {
            other = true;
        }
    }
    if let Some((at, code)) = at_import {
        findings.push(migrations_at_start(&format!("`{code}` when the app is imported"), at));
    } else if let (false, Some((at, command))) = (other, in_commands.first()) {
        findings.push(
            Finding::warning(
                "migrations-separate-step",
                format!("only the `{command}` command creates the database tables: on a fresh database pages that query them fail, the health check's too, until it runs"),
                at.clone(),
            )
            .with_fix(format!("run `{command}` once as a one-off task before the service takes traffic")),
        );
    }
}

/// The CLI command whose function holds the line at `index`: the decorated `def` above it
/// (`@app.cli.command()`, `@click.command('initdb')`, `@manager.command`), as `flask initdb`.
fn cli_command(lines: &[(String, &str)], index: usize) -> Option<String> {
    let file = |at: &str| at.rsplit_once(':').map(|(path, _)| path.to_string());
    let here = file(&lines[index].0);
    let def = (0..index).rev().take_while(|&i| file(&lines[i].0) == here).find(|&i| lines[i].1.starts_with("def "))?;
    let name = lines[def].1.trim_start_matches("def ").split('(').next()?.trim().to_string();
    let decorators = (0..def).rev().take_while(|&i| lines[i].1.starts_with('@')).map(|i| lines[i].1);
    let mut named = None;
    let mut is_command = false;
    for decorator in decorators {
        if decorator.contains(".command") || decorator.starts_with("@command") {
            is_command = true;
            let argument = decorator.split_once("command(").map(|(_, rest)| rest.trim_start());
            named = argument
                .and_then(|rest| rest.strip_prefix(['"', '\'']))
                .and_then(|rest| rest.split(['"', '\'']).next())
                .map(str::to_string);
        }
    }
    let flask = lines.iter().any(|(_, line)| line.contains(".cli.command"));
    let command = named.unwrap_or_else(|| name.replace('_', "-"));
    is_command.then(|| if flask { format!("flask {command}") } else { command })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(files: &[(&str, &str)]) -> Vec<(String, String, String)> {
        let files = AppFiles::from_pairs(files.iter().copied());
        let mut found = Vec::new();
        findings(&files, &mut found);
        found.into_iter().map(|f| (f.kind, f.source, f.message)).collect()
    }

    #[test]
    fn tables_made_at_import_and_tables_made_by_a_command() {
        let main = "from app.db import engine, metadata\n\nmetadata.create_all(engine)\napp = FastAPI()\n";
        let found = kinds(&[("app/main.py", main)]);
        assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("migrations-at-start", "app/main.py:3"));
        let commands = "import click\n\n@app.cli.command()\n@click.option('--drop', is_flag=True)\ndef initdb(drop):\n    db.create_all()\n";
        let found = kinds(&[("guestbook/commands.py", commands)]);
        assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("migrations-separate-step", "guestbook/commands.py:6"));
        assert!(found[0].2.contains("`flask initdb`"), "{}", found[0].2);
        let startup =
            "def create_app():\n    app = Flask(__name__)\n    with app.app_context():\n        db.create_all()\n";
        assert!(kinds(&[("guestbook/commands.py", commands), ("guestbook/factory.py", startup)]).is_empty());
    }
}
