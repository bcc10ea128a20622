//! convict: a schema of settings, each with its `env: 'NAME'` variable and a `default` it must
//! have. No line reads `process.env`; the schema's keys name the variables.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::literal;

static ENV_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*env\s*:\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]"#).expect("valid pattern"));

/// The variables a convict schema in `text` names, each with the literal default of its setting.
/// Convict demands a default for every setting, so none is required by the schema.
pub fn reads(path: &str, text: &str) -> Vec<VariableRead> {
    if !text.contains("convict") {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(captures) = ENV_KEY.captures(line) else { continue };
        let default = setting_default(&lines, index);
        found.push(VariableRead::new(&captures[1], format!("{path}:{}", index + 1)).with_default(default));
    }
    found
}

/// The literal `default:` of the setting whose `env:` is on line `index`: between the line that
/// opens the setting's object and the one that closes it.
fn setting_default(lines: &[&str], index: usize) -> Option<String> {
    let opens = lines[..index].iter().rposition(|line| line.trim_end().ends_with('{')).unwrap_or(0);
    let closes =
        lines[index..].iter().position(|line| line.trim_start().starts_with('}')).map_or(lines.len(), |at| index + at);
    lines[opens..closes].iter().find_map(|line| {
        let rest = line.trim_start().strip_prefix("default")?.trim_start().strip_prefix(':')?;
        let value = literal(rest)?;
        // An empty string is no value: the setting is unset until the variable gives one.
        (!value.is_empty()).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_keys_are_variables_with_their_defaults() {
        let schema = "const convict = require('convict');\nconst conf = convict({\n  port: {\n    format: 'port',\n    default: 8080,\n    env: 'PORT'\n  },\n  bucket: {\n    format: String,\n    env: 'BUCKET_NAME',\n    default: ''\n  }\n});\n";
        let read: Vec<(String, Option<String>, String)> =
            reads("config.js", schema).into_iter().map(|r| (r.name, r.default, r.source)).collect();
        assert_eq!(
            read,
            [
                ("PORT".to_string(), Some("8080".to_string()), "config.js:6".to_string()),
                ("BUCKET_NAME".to_string(), None, "config.js:10".to_string()),
            ]
        );
        assert!(reads("other.js", "  env: 'NOT_CONVICT'\n").is_empty());
    }
}
