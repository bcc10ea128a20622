//! A demand inside a function that only a switched-off feature calls: `getFederatedToken()`
//! throws `'POOL_ID is not set'`, and its one caller hands it over inside
//! `if (config.get('federated.enabled'))`, whose variable defaults to false. Until the operator
//! turns the feature on the function never runs, so the setting is not needed to start.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::enclosing::enclosing_lines;
use super::source::is_test_path;
use crate::model::CodeVariable;

const SCRIPT: [&str; 6] = ["js", "mjs", "cjs", "ts", "mts", "cts"];

/// A function declared at the left margin: `export async function getToken(`,
/// `const getToken = async (`.
static FUNCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(|^(?:export\s+)?(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:\(|function)")
        .expect("valid pattern")
});
/// What a condition reads: `config.get('a.b.enabled')` or `process.env.A_ENABLED`.
static SWITCH_READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\.get\(\s*['"]([\w.-]+)['"]\s*\)|process\.env\.([A-Z][A-Z0-9_]*)"#).expect("valid pattern")
});

/// Whether the demand on line `index` of `path` sits in a function every caller reaches only
/// through a switch that is off unless set.
pub fn behind_off_switch(
    files: &AppFiles,
    path: &str,
    lines: &[&str],
    index: usize,
    variables: &BTreeMap<&str, &CodeVariable>,
) -> bool {
    let Some(function) = enclosing_function(lines, index) else { return false };
    let word = Regex::new(&format!(r"(?:^|[^\w$]){}(?:[^\w$]|$)", regex::escape(&function))).expect("escaped");
    let mut uses = 0;
    for (_, text) in files.with_extensions(&SCRIPT).filter(|(p, _)| *p != path && !is_test_path(p)) {
        let other_lines: Vec<&str> = text.lines().collect();
        for (at, line) in other_lines.iter().enumerate().filter(|(_, l)| word.is_match(l)) {
            let code = line.trim_start();
            if code.starts_with("import ") || code.starts_with("//") || code.contains("require(") {
                continue;
            }
            let switched = enclosing_lines(&other_lines, at).any(|(_, opener)| off_switch(opener, variables));
            if !switched {
                return false;
            }
            uses += 1;
        }
    }
    uses > 0
}

/// The name of the function at the left margin that holds line `index`.
fn enclosing_function(lines: &[&str], index: usize) -> Option<String> {
    let (_, head) = enclosing_lines(lines, index).last()?;
    let found = FUNCTION.captures(head)?;
    Some(found.get(1).or(found.get(2))?.as_str().to_string())
}

/// Whether `opener` is `if (...)` on a switch whose variable is off unless set: named like a
/// switch, with no default or a false one.
fn off_switch(opener: &str, variables: &BTreeMap<&str, &CodeVariable>) -> bool {
    let Some(condition) = opener.trim_start().strip_prefix("if") else { return false };
    let condition = condition.trim_start().trim_start_matches('(').trim_start();
    if condition.starts_with('!') {
        return false;
    }
    let Some(read) = SWITCH_READ.captures(condition) else { return false };
    let key = squeezed(read.get(1).or(read.get(2)).map_or("", |m| m.as_str()));
    variables.values().any(|variable| {
        let name = variable.name.to_ascii_uppercase();
        let switch = name.ends_with("_ENABLED") || name.starts_with("ENABLE_") || name.starts_with("USE_");
        let off = variable
            .default
            .as_deref()
            .is_none_or(|d| matches!(d.trim().to_ascii_lowercase().as_str(), "" | "false" | "0" | "no" | "off"));
        switch && off && !key.is_empty() && squeezed(&variable.name) == key
    })
}

/// `azureFederated.enabled` and `AZURE_FEDERATED_ENABLED` alike: letters and digits, lower case.
fn squeezed(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}
