//! A class's own readers of a named variable: a config service's
//! `private getString(key: string) { const value = this.configService.get<string>(key); ... }`,
//! then `this.getString('DB_HOST')`. A method that hands its key parameter whole to
//! `configService.get`, `process.env[...]` or another such method reads the variable each call
//! with a literal names. When the chain throws on a missing value the read is required, unless
//! the call passes a fallback the method returns instead.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::key_loops::balanced;
use super::text::{line_of, literal};

/// A class method's head: `private getString(key: string`, `async get(name`.
static METHOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^[ \t]+(?:(?:private|protected|public|static|async|readonly)\s+)*([A-Za-z_$][\w$]*)\s*(?:<[^<>()]*>)?\(",
    )
    .expect("valid pattern")
});

/// A method that reads the variable its first parameter names.
struct KeyMethod {
    name: String,
    /// The file the class is in: `this.` calls name it only there.
    home: String,
    key: String,
    /// The second parameter, the value to fall back to, when the body uses it.
    fallback: Option<String>,
    body: String,
    throws: bool,
}

/// A read per `this.method('NAME')` call of a key-reading method.
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let mut candidates: Vec<KeyMethod> =
        sources.iter().filter(|(_, text)| text.contains("class ")).flat_map(|(p, t)| methods(p, t)).collect();
    let mut readers: Vec<KeyMethod> = Vec::new();
    // Methods that hand the key on to a reader found before are readers too (`getNumber`
    // calls `this.get(key)`): repeat until none is added.
    loop {
        let (found, rest): (Vec<KeyMethod>, Vec<KeyMethod>) =
            candidates.into_iter().partition(|m| reads_key(m, &readers).is_some());
        candidates = rest;
        if found.is_empty() {
            break;
        }
        for mut method in found {
            let inner = reads_key(&method, &readers).unwrap_or(false);
            method.throws = inner || throws_when_missing(&method.body);
            readers.push(method);
        }
    }
    readers.iter().flat_map(|m| calls(sources, m)).collect()
}

/// Every method defined in `text` with at least one parameter.
fn methods(path: &str, text: &str) -> Vec<KeyMethod> {
    let mut found = Vec::new();
    for caps in METHOD.captures_iter(text) {
        let name = &caps[1];
        if matches!(name, "if" | "for" | "while" | "switch" | "catch" | "function" | "return" | "constructor") {
            continue;
        }
        let open = caps.get(0).expect("match").end();
        let Some(parameters) = balanced(&text[open..], ')') else { continue };
        let after = text[open + parameters.len() + 1..].trim_start();
        // A definition: `) {` or `): string {`; a call is followed by anything else.
        let Some(brace) = after.find('{').filter(|&at| after[..at].is_empty() || after.starts_with(':')) else {
            continue;
        };
        if after[..brace].contains([';', '=', '(']) {
            continue;
        }
        let Some(body) = balanced(&after[brace + 1..], '}') else { continue };
        let names: Vec<String> = parameters
            .split(',')
            .map(|p| p.split([':', '?', '=']).next().unwrap_or("").trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let Some(key) = names.first().cloned() else { continue };
        // `getDuration(key, format)` hands its second parameter to a parser: only one the body
        // returns (or falls back to) is the value used when the variable is unset.
        let returned = |second: &&String| {
            ["return ", "?? ", "|| "].iter().any(|before| body.contains(&format!("{before}{second}")))
        };
        let fallback = names.get(1).filter(returned).cloned();
        found.push(KeyMethod {
            name: name.to_string(),
            home: path.to_string(),
            key,
            fallback,
            body: body.to_string(),
            throws: false,
        });
    }
    found
}

/// `Some(throws)` when `method` reads its key whole: through `configService.get(key)`,
/// `process.env[key]`, or a reader in `readers` (`this.get(key)`), whose throwing it inherits.
fn reads_key(method: &KeyMethod, readers: &[KeyMethod]) -> Option<bool> {
    let key = regex::escape(&method.key);
    let direct = Regex::new(&format!(
        r"(?:[Cc]onfig(?:Service)?\.(get|getOrThrow)\s*(?:<[^<>()]*>)?\(\s*{key}\s*[,)]|process\.env\[\s*{key}\s*\])"
    ))
    .ok()?;
    if let Some(caps) = direct.captures(&method.body) {
        return Some(caps.get(1).is_some_and(|m| m.as_str() == "getOrThrow"));
    }
    readers.iter().filter(|r| r.home == method.home && r.name != method.name).find_map(|reader| {
        let call = format!(r"this\.{}\(\s*{key}\s*[,)]", regex::escape(&reader.name));
        Regex::new(&call).ok()?.is_match(&method.body).then_some(reader.throws)
    })
}

/// A body that checks for a missing value and throws: `if (value === undefined) throw ...`.
fn throws_when_missing(body: &str) -> bool {
    body.contains("throw ") && (body.contains("undefined") || body.contains("null") || body.contains("if (!"))
}

/// The reads of `method`'s calls with a literal variable name in its own file.
fn calls(sources: &[(&str, &str)], method: &KeyMethod) -> Vec<VariableRead> {
    let Ok(call) = Regex::new(&format!(r#"\bthis\.{}\(\s*['"]([A-Z][A-Z0-9_]*)['"]"#, regex::escape(&method.name)))
    else {
        return Vec::new();
    };
    let Some((path, text)) = sources.iter().find(|(path, _)| *path == method.home) else { return Vec::new() };
    let mut found = Vec::new();
    for caps in call.captures_iter(text) {
        let whole = caps.get(0).expect("match");
        let arguments = balanced(&text[whole.end()..], ')').unwrap_or("");
        // `this.getString('MODE', 'dev')`: the method returns the call's fallback instead.
        let default = method.fallback.as_ref().and_then(|_| arguments.trim_start().strip_prefix(',').and_then(literal));
        let mut read = VariableRead::new(&caps[1], format!("{path}:{}", line_of(text, whole.start())));
        read.required = method.throws && default.is_none();
        found.push(read.with_default(default));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_services_own_typed_getters() {
        let text = "export class Settings {\n  constructor(private configService: ConfigService) {}\n\n  get db() {\n    return { host: this.text('DB_HOST'), port: this.count('DB_PORT'), mode: this.text('MODE', 'dev') };\n  }\n\n  private count(key: string): number {\n    return Number(this.raw(key));\n  }\n\n  private text(key: string, fallback?: string): string {\n    const value = this.configService.get<string>(key);\n    if (value === undefined) {\n      if (fallback !== undefined) {\n        return fallback;\n      }\n      throw new Error(`${key} is missing`);\n    }\n    return value;\n  }\n\n  private raw(key: string): string | undefined {\n    return this.configService.get(key);\n  }\n}\n";
        let found: Vec<(String, bool, Option<String>)> =
            reads(&[("src/settings.ts", text)]).into_iter().map(|r| (r.name, r.required, r.default)).collect();
        assert!(found.contains(&("DB_HOST".into(), true, None)), "{found:?}");
        assert!(found.contains(&("DB_PORT".into(), false, None)), "{found:?}");
        assert!(found.contains(&("MODE".into(), false, Some("dev".into()))), "{found:?}");
        let parsed = "class S {\n  private text(key: string) {\n    const v = this.config.get(key);\n    if (!v) throw new Error(key);\n    return v;\n  }\n  private span(key: string, unit?: string) {\n    return parse(this.text(key), unit);\n  }\n  get ttl() {\n    return this.span('TTL', 'second');\n  }\n}\n";
        let found: Vec<(String, bool, Option<String>)> =
            reads(&[("src/s.ts", parsed)]).into_iter().map(|r| (r.name, r.required, r.default)).collect();
        assert_eq!(found, [("TTL".into(), true, None)], "a parser's argument is no fallback");
    }
}
