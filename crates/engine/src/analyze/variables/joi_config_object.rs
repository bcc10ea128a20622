//! A settings object checked against a Joi schema of the same shape (the hapi pattern):
//! `const schema = Joi.object({ port: Joi.number().default(3001), api: { url:
//! Joi.string().required() } })`, then `const config = { port: process.env.PORT, api: { url:
//! process.env.API_URL } }` and `schema.validate(config)`, thrown on error at start. The schema
//! entry at the same key path as a read says whether the variable is required and what it
//! defaults to.

use std::collections::HashMap;

use super::VariableRead;
use super::text::literal;

/// What a schema entry says of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    required: bool,
    default: Option<String>,
    has_default: bool,
}

/// Applies the schema of `text` to the reads found in it (`reads`, all from this file).
pub fn apply(text: &str, reads: &mut [VariableRead]) {
    if !(text.contains("Joi.object(") || text.contains("joi.object(")) || !text.contains(".validate(") {
        return;
    }
    let lines: Vec<&str> = text.lines().collect();
    let entries = key_paths(&lines);
    let mut rules: HashMap<&str, Rule> = HashMap::new();
    let mut read_paths: HashMap<usize, &str> = HashMap::new();
    for (index, path, value) in &entries {
        if value.starts_with("Joi.") || value.starts_with("joi.") {
            rules.insert(path.as_str(), rule_of(value));
        } else if let Some(line) = declaration_of(&lines, value) {
            // `baseUrl: ddiApiBaseUrl`, the constant read from the environment above.
            read_paths.insert(line, path.as_str());
            read_paths.entry(*index).or_insert(path.as_str());
        } else {
            read_paths.insert(*index, path.as_str());
        }
    }
    for read in reads.iter_mut() {
        let Some(line) = read.source.rsplit_once(':').and_then(|(_, l)| l.parse::<usize>().ok()) else { continue };
        let Some(rule) = read_paths.get(&(line.saturating_sub(1))).and_then(|path| rules.get(path)) else { continue };
        if rule.has_default {
            read.optional = true;
            read.required = false;
            if read.default.is_none() {
                read.default.clone_from(&rule.default);
            }
        } else if rule.required {
            read.required = true;
        }
    }
}

/// `Joi.string().required()`, `Joi.number().default(3001)`; a requirement that depends on
/// another setting (`.when(...)`) is no requirement of its own.
fn rule_of(value: &str) -> Rule {
    let conditional = value.contains(".when(");
    let default_at = value.find(".default(").map(|at| at + ".default(".len());
    Rule {
        required: value.contains(".required()") && !conditional,
        default: default_at.and_then(|at| literal(&value[at..])),
        has_default: default_at.is_some(),
    }
}

/// The line (0-based) of `const name = ...` when `value` is a plain name.
fn declaration_of(lines: &[&str], value: &str) -> Option<usize> {
    let name = value.trim_end_matches(',').trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
        return None;
    }
    lines.iter().position(|line| {
        let line = line.trim_start();
        ["const ", "let ", "var "].iter().any(|k| {
            line.strip_prefix(k)
                .and_then(|rest| rest.strip_prefix(name))
                .is_some_and(|after| after.trim_start().starts_with('='))
        })
    })
}

/// Each `key: value` line with its 0-based index, its key path from the outermost object
/// (`cookie.password`) and the value's text.
fn key_paths<'a>(lines: &[&'a str]) -> Vec<(usize, String, &'a str)> {
    let mut stack: Vec<String> = Vec::new();
    let mut entries = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let key: String = code.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$').collect();
        let value = code[key.len()..].trim_start().strip_prefix(':').map(str::trim);
        let key = (!key.is_empty() && value.is_some()).then_some(key);
        if let (Some(key), Some(value)) = (&key, value) {
            let path: Vec<&str> =
                stack.iter().map(String::as_str).filter(|k| !k.is_empty()).chain([key.as_str()]).collect();
            entries.push((index, path.join("."), value));
        }
        let mut first = true;
        for c in code.chars() {
            match c {
                '{' => {
                    stack.push(if first { key.clone().unwrap_or_default() } else { String::new() });
                    first = false;
                }
                '}' => {
                    stack.pop();
                }
                _ => {}
            }
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_entry_at_the_reads_path_rules_it() {
        let text = "const schema = Joi.object({\n  port: Joi.number().default(3001),\n  api: {\n    url: Joi.string().required()\n  },\n  link: Joi.string().when('x', { then: Joi.required() })\n})\nconst token = process.env.API_TOKEN\nconst config = {\n  port: process.env.PORT,\n  api: {\n    url: token\n  },\n  link: process.env.LINK\n}\nschema.validate(config)\n";
        let mut reads = vec![
            VariableRead::new("API_TOKEN", "c.js:8"),
            VariableRead::new("PORT", "c.js:10"),
            VariableRead::new("LINK", "c.js:14"),
        ];
        apply(text, &mut reads);
        assert!(reads[0].required);
        assert_eq!((reads[1].required, reads[1].default.as_deref()), (false, Some("3001")));
        assert!(!reads[2].required);
    }
}
