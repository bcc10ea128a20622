//! "Either of" requirements: `if (!process.env.A && !process.env.B) throw ...` stops the app
//! only when both are missing, so neither is required alone. The first alternative stands for
//! the pair (one finding), and the finding names both.

use crate::analyze::app_files::AppFiles;
use crate::model::Finding;

/// The variables a check like `if (!process.env.A && !isSet(process.env.B))` accepts any one
/// of: every conjunct tests one variable's absence. Empty for any other condition.
pub fn alternatives(line: &str) -> Vec<String> {
    let code = line.trim_start();
    let Some(condition) = code.strip_prefix("if").map(str::trim_start).filter(|c| c.starts_with('(')) else {
        return Vec::new();
    };
    if !condition.contains("&&") || condition.contains("||") {
        return Vec::new();
    }
    let names: Vec<String> = condition.split("&&").map_while(negated_name).collect();
    if names.len() >= 2 && names.len() == condition.split("&&").count() { names } else { Vec::new() }
}

/// The variable a conjunct tests the absence of: `!process.env.A`, `!isSet(process.env.A)`.
fn negated_name(conjunct: &str) -> Option<String> {
    let conjunct = conjunct.trim_start().trim_start_matches('(').trim_start();
    conjunct.strip_prefix('!')?;
    let (_, after) = conjunct.split_once("process.env.")?;
    let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    (!name.is_empty()).then_some(name)
}

/// Rewords a required-env finding made at an either-of check to name every alternative.
pub fn reword(files: &AppFiles, findings: &mut [Finding]) {
    for finding in findings.iter_mut().filter(|f| f.kind == "required-env") {
        let Some((path, line)) = finding.source.rsplit_once(':') else { continue };
        let Some(text) = line.parse::<usize>().ok().and_then(|n| files.get(path)?.lines().nth(n.checked_sub(1)?))
        else {
            continue;
        };
        let names = alternatives(text);
        if names.is_empty() {
            continue;
        }
        let listed = names.join(" or ");
        finding.message = format!(
            "the code requires {listed} (any one of them) and nothing sets them: the app will not start without one"
        );
        finding.fix = Some(format!("set one of {}", names.join(", ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_that_accepts_any_one_of_two_variables() {
        let line = "if (!isNotEmpty(process.env.API_KEY) && !isNotEmpty(process.env.ACCESS_TOKEN))";
        assert_eq!(alternatives(line), ["API_KEY", "ACCESS_TOKEN"]);
        assert!(alternatives("if (!process.env.A || !process.env.B) {").is_empty());
        assert!(alternatives("if (!process.env.A && process.env.NODE_ENV === 'production') {").is_empty());
    }
}
