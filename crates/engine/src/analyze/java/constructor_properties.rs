//! `@ConfigurationProperties` bound through a constructor: a Java record's components
//! (`record MailProperties(@NotBlank String host, @DefaultValue("587") int port)`) or a Kotlin
//! class's parameters (`class JwtProperties(val secret: String, val ttl: Long = 3600)`). Each
//! is set as `PREFIX_COMPONENT` by relaxed binding, like a field.

use std::sync::LazyLock;

use regex::Regex;

use super::bound_properties::{SCALARS, literal};
use crate::analyze::variables::{VariableRead, split_top};

/// `record Name(` or Kotlin's `class Name(`: a type whose constructor takes the properties.
static CONSTRUCTOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:record|class)\s+\w+\s*\(").expect("valid pattern"));
static DEFAULT_VALUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"@DefaultValue\(\s*"([^"]*)"\s*\)"#).expect("valid pattern"));
static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"@[\w.]+(?:\([^)]*\))?"#).expect("valid pattern"));
/// Kotlin's scalar types, beside Java's.
const KOTLIN_SCALARS: [&str; 6] = ["String", "Int", "Long", "Boolean", "Double", "Duration"];

/// The variables of the constructor-bound type declared just below the annotation at `index`.
pub(super) fn reads(lines: &[&str], index: usize, prefix: &str, path: &str) -> Vec<VariableRead> {
    let Some((start, column)) =
        (index..lines.len().min(index + 8)).find_map(|i| CONSTRUCTOR.find(lines[i]).map(|m| (i, m.end())))
    else {
        return Vec::new();
    };
    let text = lines[start..].join("\n");
    let Some(parameters) = inside_parentheses(&text[column..]) else { return Vec::new() };
    let kotlin = path.ends_with(".kt");
    let mut found = Vec::new();
    let mut offset = column;
    for parameter in split_top(parameters, ',') {
        let at = text[offset..].find(parameter).map_or(offset, |p| offset + p);
        offset = at + parameter.len();
        let line = start + text[..at].matches('\n').count() + 1;
        if let Some(read) = parameter_read(parameter, prefix, kotlin) {
            found.push(VariableRead { source: format!("{path}:{line}"), ..read });
        }
    }
    found
}

/// One constructor parameter as the variable that sets it, when Spring binds it from one
/// value. A validated one (`@NotBlank`) is required; a Kotlin parameter that is neither
/// nullable nor defaulted fails the binding without a value.
fn parameter_read(parameter: &str, prefix: &str, kotlin: bool) -> Option<VariableRead> {
    let validated = ["@NotBlank", "@NotNull", "@NotEmpty"].iter().any(|a| parameter.contains(a));
    let annotated_default = DEFAULT_VALUE.captures(parameter).map(|c| c[1].to_string());
    let bare = ANNOTATION.replace_all(parameter, "");
    let bare = bare.trim();
    let (name, kind, default, nullable) = if kotlin {
        let declaration = bare.trim_start_matches("val ").trim_start_matches("var ").trim();
        let (declaration, default) = match declaration.split_once('=') {
            Some((declaration, default)) => (declaration.trim(), literal(default)),
            None => (declaration, None),
        };
        let (name, kind) = declaration.split_once(':')?;
        let kind = kind.trim();
        (name.trim(), kind.trim_end_matches('?'), default, kind.ends_with('?'))
    } else {
        let (kind, name) = bare.rsplit_once(char::is_whitespace)?;
        (name.trim(), kind.trim(), None, true)
    };
    if !SCALARS.contains(&kind) && !KOTLIN_SCALARS.contains(&kind) {
        return None;
    }
    let default = annotated_default.or(default);
    let defaulted = default.is_some() || (kotlin && parameter.contains('='));
    let required = !defaulted && (validated || !nullable);
    let read = VariableRead::new(format!("{prefix}_{}", name.to_ascii_uppercase()), String::new());
    Some(read.with_default(default).required(required))
}

/// The text up to the `)` that closes the parenthesis opened just before `text`.
fn inside_parentheses(text: &str) -> Option<&str> {
    let mut depth = 0i32;
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(&text[..at]),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, path: &str) -> Vec<(String, Option<String>, bool, String)> {
        let lines: Vec<&str> = text.lines().collect();
        reads(&lines, 0, "APP_MAIL", path).into_iter().map(|r| (r.name, r.default, r.required, r.source)).collect()
    }

    #[test]
    fn records_and_kotlin_constructors() {
        let record = "@ConfigurationProperties(\"app.mail\")\n@Validated\npublic record MailProperties(\n    @NotBlank String host,\n    @DefaultValue(\"587\") int port,\n    String password,\n    Map<String, String> headers) {}\n";
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            read(record, "src/main/java/app/MailProperties.java"),
            [
                ("APP_MAIL_HOST".into(), None, true, "src/main/java/app/MailProperties.java:4".into()),
                ("APP_MAIL_PORT".into(), some("587"), false, "src/main/java/app/MailProperties.java:5".into()),
                ("APP_MAIL_PASSWORD".into(), None, false, "src/main/java/app/MailProperties.java:6".into()),
            ]
        );
        let kotlin = "@ConfigurationProperties(prefix = \"app.mail\")\ndata class MailProperties(val host: String, val port: Int = 25, val from: String?)\n";
        let found = read(kotlin, "src/main/kotlin/MailProperties.kt");
        let names: Vec<(&str, bool)> = found.iter().map(|(n, _, r, _)| (n.as_str(), *r)).collect();
        assert_eq!(names, [("APP_MAIL_HOST", true), ("APP_MAIL_PORT", false), ("APP_MAIL_FROM", false)]);
    }
}
