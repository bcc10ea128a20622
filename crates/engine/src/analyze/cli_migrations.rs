//! A script step that runs one of the app's own CLI commands (`flask deploy`), when that
//! command migrates the database (`upgrade()` in its body). The step is where the migration
//! runs at start; the command's body only says what it does.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

/// Whether the script `line` runs an app command (`flask deploy`) whose body migrates.
pub fn runs_migrating_command(files: &AppFiles, line: &str) -> bool {
    // `flask release`, also inside a retry loop (`until flask release; do`).
    let words: Vec<&str> = line.split_whitespace().map(|w| w.trim_end_matches(';')).collect();
    let Some(command) = words.windows(2).find(|pair| pair[0] == "flask").map(|pair| pair[1]) else { return false };
    if command.starts_with('-') || command.is_empty() {
        return false;
    }
    files
        .with_extensions(&["py"])
        .filter(|(path, _)| !is_test_path(path))
        .any(|(_, text)| command_body(text, command).is_some_and(migrates))
}

/// The body of the click command `name` a `@app.cli.command()` (or `@cli.command("name")`)
/// declares, as its lines.
fn command_body<'a>(text: &'a str, name: &str) -> Option<Vec<&'a str>> {
    let lines: Vec<&str> = text.lines().collect();
    let definition = format!("def {}(", name.replace('-', "_"));
    let named = |line: &str| line.contains(&format!("\"{name}\"")) || line.contains(&format!("'{name}'"));
    let at = lines.iter().enumerate().position(|(index, line)| {
        let decorators = lines[index.saturating_sub(4)..index].iter().filter(|l| l.trim_start().starts_with('@'));
        let declared: Vec<&&str> =
            decorators.filter(|l| l.contains("cli.command(") || l.contains("@click.command(")).collect();
        line.trim_start().starts_with(&definition) && declared.iter().any(|d| d.contains("command()") || named(d))
    })?;
    let indent = |line: &str| line.len() - line.trim_start().len();
    let own = indent(lines[at]);
    let body =
        lines[at + 1..].iter().take_while(|line| line.trim().is_empty() || indent(line) > own).copied().collect();
    Some(body)
}

/// Whether a command's body migrates the database: Flask-Migrate's or Alembic's `upgrade()`.
fn migrates(body: Vec<&str>) -> bool {
    body.iter().map(|line| line.trim()).any(|line| {
        !line.starts_with('#')
            && (line.starts_with("upgrade(") || line.contains("command.upgrade(") || line.contains("migrate("))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flask_command_that_upgrades_the_database() {
        let app = "@app.cli.command()\ndef release():\n    \"\"\"Release tasks.\"\"\"\n    upgrade()\n\n@app.cli.command()\ndef seed():\n    load()\n";
        let files = AppFiles::from_pairs([("manage.py", app)]);
        assert!(runs_migrating_command(&files, "flask release"));
        assert!(runs_migrating_command(&files, "until flask release; do"));
        assert!(!runs_migrating_command(&files, "flask seed"));
        assert!(!runs_migrating_command(&files, "flask run"));
    }
}
