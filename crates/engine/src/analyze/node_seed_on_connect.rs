//! Seed data a Node.js server writes each time it connects to its database: `mongoose.connect(
//! url).then(() => initial())`, where `initial()` counts a collection and inserts its rows
//! when it is empty. Every task that starts runs it, so tasks starting together against a
//! fresh database can insert the rows twice.

use super::app_files::AppFiles;
use super::node_imports::{self, live_lines};
use super::readiness;
use super::source::is_test_path;
use crate::model::Finding;
use serde_json::Value;

/// Calls that open the database connection, after which a `.then(...)` runs at start.
const CONNECTS: [&str; 4] = [".connect(", ".sync(", ".authenticate(", ".initialize("];
/// How many lines after the connect call its `.then(...)` body is looked for in.
const THEN_SPAN: usize = 12;
/// How many lines of the seeding function are read.
const BODY_SPAN: usize = 40;

/// The finding for the first seeding function the start entry's code calls once connected.
pub fn finding(files: &AppFiles, manifest: &Value, start: &[String]) -> Option<Finding> {
    let entry = super::node_dev_runtime::entry_file(files, manifest, start)?;
    let (reached, _) = node_imports::reached(files, &entry);
    reached.iter().filter(|path| !is_test_path(path)).find_map(|path| {
        let lines = live_lines(files.get(path)?);
        let (index, name) = seed_call(&lines)?;
        let what = format!("`{name}()` fills empty collections once the database connects, in {path}");
        Some(readiness::migrations_at_start(&what, format!("{path}:{}", index + 1)))
    })
}

/// The 0-based line and name of a local function called in a connect call's `.then(...)` that
/// counts rows and inserts when there are none.
fn seed_call(lines: &[String]) -> Option<(usize, String)> {
    let connects = lines.iter().enumerate().filter(|(_, line)| CONNECTS.iter().any(|c| line.contains(c)));
    for (at, _) in connects {
        let window = &lines[at..lines.len().min(at + THEN_SPAN)];
        if !window.iter().any(|line| line.contains(".then(")) {
            continue;
        }
        for (offset, line) in window.iter().enumerate() {
            let Some(name) = bare_call(line) else { continue };
            if seeds(lines, &name) {
                return Some((at + offset, name));
            }
        }
    }
    None
}

/// `initial();` alone on its line: a call of a function of this file.
fn bare_call(line: &str) -> Option<String> {
    let code = line.trim().trim_end_matches(';');
    let name = code.strip_suffix("()")?;
    (!name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$')).then(|| name.to_string())
}

/// Whether the function `name` declared in the file counts rows and inserts some.
fn seeds(lines: &[String], name: &str) -> bool {
    let declared = [format!("function {name}("), format!("const {name} = "), format!("async function {name}(")];
    let Some(start) = lines.iter().position(|line| declared.iter().any(|d| line.contains(d.as_str()))) else {
        return false;
    };
    let body = lines[start..lines.len().min(start + BODY_SPAN)].join("\n");
    let counts = ["estimatedDocumentCount(", "countDocuments(", ".count("].iter().any(|c| body.contains(c));
    let inserts = [".save(", ".create(", "insertMany(", "bulkCreate(", "insertOne("].iter().any(|c| body.contains(c));
    counts && inserts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn a_seed_called_once_connected() {
        let text = "db.mongoose\n  .connect(url)\n  .then(() => {\n    console.log('ok');\n    initial();\n  });\n\nfunction initial() {\n  Role.estimatedDocumentCount((err, count) => {\n    if (count === 0) new Role({ name: 'user' }).save();\n  });\n}\n";
        assert_eq!(seed_call(&lines(text)), Some((4, "initial".to_string())));
        let logging = "db.connect(url).then(() => {\n  report();\n});\nfunction report() { console.log('up'); }\n";
        assert_eq!(seed_call(&lines(logging)), None);
    }
}
