//! The variables `github.com/kelseyhightower/envconfig` derives from a struct's fields: for
//! `envconfig.Process("app", &cfg)` every exported field of `cfg`'s type is read as
//! `APP_FIELD`, so a struct with no `envconfig` tags at all still names its variables.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::line_of;

static PROCESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"envconfig\.(?:Must)?Process\(\s*(?:"([A-Za-z0-9_]*)"|([A-Za-z_][A-Za-z0-9_]*))\s*,\s*&\s*([A-Za-z_][A-Za-z0-9_]*)"#)
        .expect("valid pattern")
});
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*([A-Z][A-Za-z0-9_]*)\s+(\*?[A-Za-z0-9_.\[\]]+)\s*(`[^`]*`)?\s*(?://.*)?$"#)
        .expect("valid pattern")
});
static EMBEDDED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*\*?([A-Z][A-Za-z0-9_]*)\s*(`[^`]*`)?\s*$"#).expect("valid pattern"));
static GATHER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[^A-Z]+|[A-Z]+[^A-Z]+|[A-Z]+").expect("valid pattern"));
static ACRONYM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([A-Z]+)([A-Z][^A-Z]+)").expect("valid pattern"));

/// The reads of every `envconfig.Process` call among the Go `sources` (path, text).
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let mut found = Vec::new();
    for (_, text) in sources {
        for captures in PROCESS.captures_iter(text) {
            // The prefix is often a package variable: `prefix = "traggo"`.
            let prefix = match (captures.get(1), captures.get(2)) {
                (Some(literal), _) => Some(literal.as_str().to_string()),
                (_, Some(name)) => string_constant(text, name.as_str()),
                _ => None,
            };
            let Some(prefix) = prefix else { continue };
            let Some(type_name) = type_of(text, &captures[3]) else { continue };
            fields(sources, &type_name, &prefix, 0, &mut found);
        }
    }
    found
}

/// The string `name` is given in `text`: `name = "x"`, `name := "x"`, `const name = "x"`.
fn string_constant(text: &str, name: &str) -> Option<String> {
    let pattern = format!(r#"\b{}\s*(?:string\s*)?:?=\s*"([A-Za-z0-9_]*)""#, regex::escape(name));
    Regex::new(&pattern).ok()?.captures(text).map(|c| c[1].to_string())
}

/// The struct type of variable `name`: `name := Config{}`, `var name Config`, `name *Config`.
fn type_of(text: &str, name: &str) -> Option<String> {
    let name = regex::escape(name);
    let pattern = format!(
        r"\b{name}\s*:?=\s*&?([A-Za-z_][A-Za-z0-9_.]*)\s*\{{|\bvar\s+{name}\s+\*?([A-Za-z_][A-Za-z0-9_.]*)|\b{name}\s+\*?([A-Z][A-Za-z0-9_.]*)\s*[,)]"
    );
    let captures = Regex::new(&pattern).ok()?.captures(text)?;
    let found = (1..=3).find_map(|i| captures.get(i))?.as_str();
    Some(found.rsplit('.').next().unwrap_or(found).to_string())
}

/// The body of `type name struct { … }` among `sources`: (path, line of the first field, lines).
fn struct_body<'a>(sources: &[(&'a str, &'a str)], name: &str) -> Option<(&'a str, usize, Vec<&'a str>)> {
    let opening = Regex::new(&format!(r"\btype\s+{}\s+struct\s*\{{", regex::escape(name))).ok()?;
    sources.iter().find_map(|(path, text)| {
        let at = opening.find(text)?;
        let first_line = line_of(text, at.end()) + 1;
        let mut depth = 0usize;
        let mut body = Vec::new();
        for line in text[at.end()..].lines().skip(1) {
            depth += line.matches('{').count();
            let closing = line.matches('}').count();
            if closing > depth {
                break;
            }
            depth -= closing;
            body.push(line);
        }
        Some((*path, first_line, body))
    })
}

/// Pushes a read for each field of struct `name` under `prefix`, nested structs in turn.
fn fields(sources: &[(&str, &str)], name: &str, prefix: &str, depth: usize, found: &mut Vec<VariableRead>) {
    let Some((path, first_line, body)) = struct_body(sources, name) else { return };
    // A struct that holds itself would never end.
    if depth > 4 {
        return;
    }
    for (offset, line) in body.iter().enumerate() {
        let at = format!("{path}:{}", first_line + offset);
        if let Some(captures) = EMBEDDED.captures(line) {
            // An embedded struct's fields sit at the outer level unless it is tagged.
            let tag = captures.get(2).map_or("", |t| t.as_str());
            let inner = match tag_value(tag, "envconfig") {
                Some(alt) => join(prefix, &alt),
                None => prefix.to_string(),
            };
            fields(sources, &captures[1], &inner, depth + 1, found);
            continue;
        }
        let Some(captures) = FIELD.captures(line) else { continue };
        let tag = captures.get(3).map_or("", |t| t.as_str());
        if tag_value(tag, "ignored").as_deref() == Some("true") {
            continue;
        }
        let key = key(&captures[1], tag, prefix);
        let type_name = captures[2].trim_start_matches('*');
        if !type_name.contains(['.', '[']) && struct_body(sources, type_name).is_some() {
            fields(sources, type_name, &key, depth + 1, found);
            continue;
        }
        let required = tag_value(tag, "required").as_deref() == Some("true");
        found.push(VariableRead::new(key, at).with_default(tag_value(tag, "default")).required(required));
    }
}

/// The variable a field reads: its `envconfig` tag or its name (split at words with
/// `split_words`), after the prefix, upper-cased.
fn key(field: &str, tag: &str, prefix: &str) -> String {
    let own = match tag_value(tag, "envconfig") {
        Some(alt) if !alt.is_empty() => alt,
        _ if tag_value(tag, "split_words").as_deref() == Some("true") => split_words(field),
        _ => field.to_string(),
    };
    join(prefix, &own)
}

fn join(prefix: &str, key: &str) -> String {
    match prefix {
        "" => key.to_ascii_uppercase(),
        _ => format!("{prefix}_{key}").to_ascii_uppercase(),
    }
}

/// envconfig's own word split: `DatabaseURL` → `Database_URL`, `HTTPServer` → `HTTP_Server`.
fn split_words(field: &str) -> String {
    let mut words = Vec::new();
    for word in GATHER.find_iter(field) {
        match ACRONYM.captures(word.as_str()) {
            Some(parts) => words.extend([parts[1].to_string(), parts[2].to_string()]),
            None => words.push(word.as_str().to_string()),
        }
    }
    words.join("_")
}

/// The value of `key:"value"` in a struct tag.
fn tag_value(tag: &str, key: &str) -> Option<String> {
    let pattern = format!(r#"(?:^|[`\s]){}:"([^"]*)""#, regex::escape(key));
    Regex::new(&pattern).ok()?.captures(tag).map(|c| c[1].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn process_reads_every_field_of_the_struct() {
        let config = "package config\n\nvar (\n\tprefix = \"traggo\"\n)\n\ntype Config struct {\n\tPort int `default:\"3030\"`\n\tLogLevel string `default:\"info\" split_words:\"true\"`\n\tDatabaseURL string `split_words:\"true\" required:\"true\"`\n\tSecret string `envconfig:\"JWT_SECRET\"`\n\tSkip string `ignored:\"true\"`\n\tunexported string\n\tMail Mail\n}\n\ntype Mail struct {\n\tHost string `default:\"localhost\"`\n}\n\nfunc Get() Config {\n\tconfig := Config{}\n\tenvconfig.Process(prefix, &config)\n\treturn config\n}\n";
        let found: Vec<(String, Option<String>, bool, String)> = reads(&[("config/config.go", config)])
            .into_iter()
            .map(|r| (r.name, r.default, r.required, r.source))
            .collect();
        let expected = [
            ("TRAGGO_PORT", Some("3030"), false, "config/config.go:8"),
            ("TRAGGO_LOG_LEVEL", Some("info"), false, "config/config.go:9"),
            ("TRAGGO_DATABASE_URL", None, true, "config/config.go:10"),
            ("TRAGGO_JWT_SECRET", None, false, "config/config.go:11"),
            ("TRAGGO_MAIL_HOST", Some("localhost"), false, "config/config.go:18"),
        ];
        let expected: Vec<(String, Option<String>, bool, String)> =
            expected.iter().map(|(n, d, r, s)| (n.to_string(), d.map(str::to_string), *r, s.to_string())).collect();
        assert_eq!(found, expected);
        let literal = "type C struct {\n\tPort int\n}\nvar c C\nfunc main() { envconfig.MustProcess(\"app\", &c) }\n";
        assert_eq!(reads(&[("main.go", literal)])[0].name, "APP_PORT");
    }
}
