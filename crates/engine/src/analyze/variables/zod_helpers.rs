//! Schema helpers a config module defines for its own fields: `const stringBool = (fallback:
//! string) => z.string().prefault(fallback)...`, then `DISABLE_SIGNUPS: stringBool("false")`.
//! A field written with one is a zod field; its default and `.optional()` are the helper's,
//! with the call's arguments in place of the parameters.

use std::sync::LazyLock;

use regex::Regex;

/// `const name = (a: string, b) =>` with what follows the arrow.
static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:export\s+)?const\s+([A-Za-z_$][\w$]*)\s*=\s*\(([^)]*)\)\s*(?::\s*[^=]+)?=>\s*(.*)$")
        .expect("valid pattern")
});

/// How many lines a helper's chain may run over.
const MAX_LINES: usize = 12;

/// A helper that returns a zod schema: its name, parameters and body.
pub(super) struct ZodHelper {
    name: String,
    parameters: Vec<String>,
    body: String,
}

/// The zod helpers `text` defines.
pub(super) fn helpers(text: &str) -> Vec<ZodHelper> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(captures) = DEFINITION.captures(line) else { continue };
        let mut body = captures[3].to_string();
        for next in lines.iter().skip(index + 1).take(MAX_LINES) {
            if body.trim_end().ends_with(';') || next.trim().is_empty() {
                break;
            }
            body.push('\n');
            body.push_str(next.trim());
        }
        let first = body.trim_start();
        if !(first.starts_with("z.") || first.starts_with("z\n") || first == "z") {
            continue;
        }
        let parameters = captures[2]
            .split(',')
            .map(|p| p.split([':', '=']).next().unwrap_or("").trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        found.push(ZodHelper { name: captures[1].to_string(), parameters, body });
    }
    found
}

/// The schema a field's value (`stringBool("false"),`) stands for when it calls one of
/// `helpers`: the helper's body with the call's arguments in place of its parameters.
pub(super) fn expanded(helpers: &[ZodHelper], value: &str) -> Option<String> {
    let helper = helpers.iter().find(|h| value.strip_prefix(h.name.as_str()).is_some_and(|r| r.starts_with('(')))?;
    let inside = &value[helper.name.len() + 1..];
    let arguments: Vec<&str> = inside[..inside.rfind(')').unwrap_or(inside.len())].split(',').map(str::trim).collect();
    let mut body = helper.body.clone();
    for (parameter, argument) in helper.parameters.iter().zip(arguments) {
        let Ok(word) = Regex::new(&format!(r"\b{}\b", regex::escape(parameter))) else { continue };
        body = word.replace_all(&body, regex::NoExpand(argument)).into_owned();
    }
    Some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "import { z } from \"zod\";\n\nconst stringBool = (defaultValue: string) =>\n  z\n    .string()\n    .prefault(defaultValue)\n    .transform((s) => s === \"true\");\n\nconst optionalStringBool = () =>\n  z\n    .string()\n    .optional();\n\nconst label = (s: string) => s.toUpperCase();\n";

    #[test]
    fn a_helper_call_stands_for_its_body_with_the_arguments() {
        let found = helpers(CONFIG);
        let names: Vec<&str> = found.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["stringBool", "optionalStringBool"], "label returns no schema");
        let body = expanded(&found, "stringBool(\"false\"),").unwrap();
        assert!(body.contains(".prefault(\"false\")"), "{body}");
        assert!(expanded(&found, "optionalStringBool(),").unwrap().contains(".optional()"));
        assert!(expanded(&found, "stringBoolean(\"x\"),").is_none());
    }
}
