//! A disk write inside one backend among several that a setting picks: `if (type === 'file')
//! { new FileBackend() } else { S3 }` with `STORAGE_BACKEND` read beside it. Until the
//! operator picks that backend the write never runs, so it is no blocker: a warning that names
//! the switch, and what picks the write's backend.

use super::app_files::AppFiles;
use super::source::is_test_path;
use crate::model::{CodeVariable, Finding, FindingLevel, VariableScope};
use regex::Regex;
use std::sync::LazyLock;

const EXTENSIONS: [&str; 6] = ["js", "mjs", "cjs", "ts", "mts", "cts"];

/// Last words that say a setting chooses among implementations.
const SWITCH_WORDS: [&str; 7] = ["backend", "driver", "provider", "adapter", "storage", "store", "type"];

/// How far above a use its branch may start.
const LOOK_BACK: usize = 30;

/// How many modules a write may be wrapped in before the branch that picks it.
const DEPTH: usize = 2;

static EXPORTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^export\s+(?:default\s+)?(?:abstract\s+)?(?:class|function|const)\s+(\w+)").expect("regex")
});

/// `if (type === 'file')` or `if (config.kind == "disk")`.
static BRANCH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"if\s*\(\s*([\w.]+)\s*===?\s*['"]([\w-]+)['"]\s*\)"#).expect("regex"));

/// Which way a use sits in a branch: inside `if (x === lit)`, or after one that returned.
#[derive(Debug, Clone, PartialEq)]
struct Gate {
    ident: String,
    literal: String,
    /// The use runs when the switch is anything but `literal`.
    negated: bool,
}

/// Lowers each local-disk-writes blocker whose writing module runs only under a backend
/// switch that, by default, picks another backend.
pub fn relax(files: &AppFiles, variables: &[CodeVariable], findings: &mut [Finding]) {
    for finding in findings.iter_mut() {
        if finding.kind != "local-disk-writes" || finding.level != FindingLevel::Blocker {
            continue;
        }
        let Some((path, _)) = finding.source.rsplit_once(':') else { continue };
        let Some(gates) = gates_of(files, path, DEPTH) else { continue };
        let Some((switch, value)) = switch_for(files, variables, path, &gates) else { continue };
        let off = gates
            .iter()
            .all(|gate| (gate.literal.eq_ignore_ascii_case(value.as_deref().unwrap_or(""))) == gate.negated);
        if !off {
            continue;
        }
        let literal = &gates.iter().find(|g| !g.negated).unwrap_or(&gates[0]).literal;
        finding.level = FindingLevel::Warning;
        finding.message = format!(
            "{}, but only in the backend {} picks when set to `{literal}` ({}); by default it picks another",
            finding.message,
            switch.name,
            read_site(files, &switch.name, path).unwrap_or_else(|| switch.source.clone())
        );
        finding.fix = Some(format!(
            "leave {} on its default backend; to keep `{literal}`, mount EFS at that folder",
            switch.name
        ));
    }
}

/// The branch every running use of `path`'s exports sits in, following a module that wraps
/// them up to `depth` times; `None` when some use runs under no branch.
fn gates_of(files: &AppFiles, path: &str, depth: usize) -> Option<Vec<Gate>> {
    let names: Vec<String> = EXPORTED.captures_iter(files.get(path)?).map(|c| c[1].to_string()).collect();
    if names.is_empty() {
        return None;
    }
    let mut gates = Vec::new();
    for (user, text) in files.with_extensions(&EXTENSIONS).filter(|(p, _)| *p != path && !is_test_path(p)) {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let called = names.iter().any(|name| line.contains(&format!("new {name}(")) || calls(line, name));
            if !called || line.trim_start().starts_with("import") {
                continue;
            }
            match gate_at(&lines, index) {
                Some(gate) => gates.push(gate),
                None if depth > 0 => gates.extend(gates_of(files, user, depth - 1)?),
                None => return None,
            }
        }
    }
    (!gates.is_empty()).then_some(gates)
}

/// `name(` called on `line`, not a longer name's tail nor a declaration.
fn calls(line: &str, name: &str) -> bool {
    line.match_indices(&format!("{name}(")).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && !line[..at].trim_end().ends_with("function")
    })
}

/// The branch above the use at `index`: the use inside its block, or after a block that
/// returned (so the use runs only when the switch is something else).
fn gate_at(lines: &[&str], index: usize) -> Option<Gate> {
    let start = index.saturating_sub(LOOK_BACK);
    (start..=index).rev().find_map(|at| {
        let caps = BRANCH.captures(lines[at])?;
        // Brace depth from the branch's line up to the use: above zero, the use is inside.
        let depth: i64 =
            lines[at..index].iter().flat_map(|l| l.chars()).map(|c| (c == '{') as i64 - (c == '}') as i64).sum();
        let block_returns = lines[at..index].iter().any(|l| l.contains("return"));
        let negated = depth <= 0 && at < index;
        if negated && !block_returns {
            return None;
        }
        Some(Gate { ident: caps[1].to_string(), literal: caps[2].to_string(), negated })
    })
}

/// The setting that picks the backend: a runtime variable named like a switch whose words
/// meet the branch's identifier or the write's folders, with the value it has unless set
/// (its default, else the maintainers' example env file's).
fn switch_for<'v>(
    files: &AppFiles,
    variables: &'v [CodeVariable],
    path: &str,
    gates: &[Gate],
) -> Option<(&'v CodeVariable, Option<String>)> {
    let mut context: Vec<String> = path.split(['/', '.', '-', '_']).map(str::to_ascii_lowercase).collect();
    for gate in gates {
        context.extend(split_camel(&gate.ident));
    }
    // The setting named for a switch (`STORAGE_BACKEND`, not the file backend's
    // `STORAGE_FILE_BACKEND_PATH`) that shares the most words with the branch and the folders.
    let variable = variables
        .iter()
        .filter(|v| v.scope == VariableScope::Runtime)
        .filter_map(|v| {
            let words: Vec<String> = v.name.split('_').map(str::to_ascii_lowercase).collect();
            let shared = words.iter().filter(|w| context.contains(w)).count();
            (words.last().is_some_and(|w| SWITCH_WORDS.contains(&w.as_str())) && shared > 0).then_some((shared, v))
        })
        .max_by_key(|(shared, _)| *shared)?
        .1;
    let value = variable.default.clone().or_else(|| example_value(files, &variable.name));
    Some((variable, value))
}

fn split_camel(ident: &str) -> Vec<String> {
    let mut words = vec![String::new()];
    for c in ident.chars() {
        if c.is_uppercase() || c == '.' || c == '_' {
            words.push(String::new());
        }
        if c.is_alphanumeric() {
            words.last_mut().expect("a word").push(c.to_ascii_lowercase());
        }
    }
    words.retain(|w| !w.is_empty());
    words
}

/// Where the running code beside the write (same top folder) reads the setting by name: the
/// variable's own source may be a test harness's read.
fn read_site(files: &AppFiles, name: &str, path: &str) -> Option<String> {
    let top = path.split('/').next().unwrap_or("");
    let quoted = [format!("'{name}'"), format!("\"{name}\""), format!("env.{name}")];
    let mut sources: Vec<(&str, &str)> = files
        .with_extensions(&EXTENSIONS)
        .filter(|(p, _)| !is_test_path(p) && p.split('/').next() == Some(top))
        .collect();
    sources.sort_by_key(|(p, _)| *p);
    sources.iter().find_map(|(file, text)| {
        let index = text.lines().position(|line| quoted.iter().any(|q| line.contains(q.as_str())))?;
        Some(format!("{file}:{}", index + 1))
    })
}

/// `NAME=value` in the maintainers' example env file.
fn example_value(files: &AppFiles, name: &str) -> Option<String> {
    [".env.example", ".env.sample", ".env.template", "example.env", "sample.env", "env.example"].iter().find_map(
        |file| {
            files.get(file)?.lines().find_map(|line| {
                let (key, value) = line.trim().trim_start_matches("export ").split_once('=')?;
                (key.trim() == name)
                    .then(|| value.split(" #").next().unwrap_or("").trim().trim_matches(['"', '\'']).to_string())
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_use_inside_a_branch_and_one_after_a_branch_that_returned() {
        let inside = ["if (type === 'file') {", "  backend = new FileBackend()", "}"];
        assert_eq!(gate_at(&inside, 1), Some(Gate { ident: "type".into(), literal: "file".into(), negated: false }));
        let after = ["if (kind === 's3') {", "  return new S3()", "}", "return new Disk()"];
        assert_eq!(gate_at(&after, 3).map(|g| g.negated), Some(true));
        let plain = ["const a = 1", "const b = new Disk()"];
        assert_eq!(gate_at(&plain, 1), None);
    }

    #[test]
    fn camel_case_identifiers_split_into_words() {
        assert_eq!(split_camel("config.storageBackendType"), ["config", "storage", "backend", "type"]);
    }
}
