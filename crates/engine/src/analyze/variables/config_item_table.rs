//! A config table of items, each naming its variable and its default:
//! `[{ key: 'port', envVar: 'APP_PORT', default: 80 }, ...]`, which the config module walks
//! with `process.env[item.envVar]`. Each item is a variable with the item's default.

use super::VariableRead;
use super::text::literal;

/// The item properties that hold a variable's name.
const NAME_KEYS: [&str; 3] = ["envVar", "envName", "env_var"];

/// The variables every item of a table names, when some module reads the environment by the
/// items' name property (`process.env[item.envVar]`).
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let walked: Vec<&str> =
        NAME_KEYS.iter().copied().filter(|key| sources.iter().any(|(_, text)| indexes_by(text, key))).collect();
    let mut found = Vec::new();
    for &(path, text) in sources {
        for key in &walked {
            found.extend(items(path, text, key));
        }
    }
    found
}

/// Whether `text` indexes the environment by a property `key`: `process.env[item.envVar]`,
/// or `env[envVar]` after `const { envVar } = item`.
fn indexes_by(text: &str, key: &str) -> bool {
    text.match_indices("env[").any(|(at, open)| {
        let inside = text[at + open.len()..].split(']').next().unwrap_or("").trim();
        inside == key || inside.ends_with(&format!(".{key}"))
    })
}

/// Each `key: 'NAME'` of `text` with the `default:` of the same object, at its line.
fn items(path: &str, text: &str, key: &str) -> Vec<VariableRead> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(name) = value_of(line, key).filter(|n| is_variable_name(n)) else { continue };
        // An item on one line (`{ key: 'a', envVar: 'A', default: 1 }`) holds its own default.
        let one_line = line.contains('{') && line.contains('}');
        let object: Vec<&str> = if one_line { vec![line] } else { object_lines(&lines, index).collect() };
        let default = object
            .iter()
            .find_map(|l| value_of(l, "default"))
            .filter(|v| !v.is_empty() && v != "null" && v != "undefined");
        found.push(VariableRead::new(name, format!("{path}:{}", index + 1)).with_default(default));
    }
    found
}

/// The literal after a property `key:` of `line` (`envVar: 'A'` → `A`).
fn value_of(line: &str, key: &str) -> Option<String> {
    line.match_indices(key).find_map(|(at, _)| {
        let before = line[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            return None;
        }
        literal(line[at + key.len()..].trim_start().strip_prefix(':')?)
    })
}

/// The lines of the object literal around line `index`: back to its `{`, on to its `}`.
fn object_lines<'a>(lines: &'a [&'a str], index: usize) -> impl Iterator<Item = &'a str> + 'a {
    let start = (0..=index).rev().find(|&i| lines[i].contains('{')).unwrap_or(index);
    let end = (index..lines.len()).find(|&i| lines[i].contains('}')).unwrap_or(index);
    lines[start..=end].iter().copied()
}

fn is_variable_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_item_is_a_variable_with_its_default() {
        let table = "module.exports = [\n  {\n    key: 'port',\n    envVar: 'SHOP_PORT',\n    default: 80,\n  },\n  { key: 'secret', envVar: 'SHOP_SECRET', default: '' },\n  {\n    envVar: 'SHOP_MODE',\n    key: 'mode',\n    default: 'full',\n  },\n];\n";
        let walker = "for (const item of items) { values[item.key] = process.env[item.envVar] ?? item.default; }\n";
        let found: Vec<(String, Option<String>, String)> = reads(&[("lib/items.js", table), ("lib/store.js", walker)])
            .into_iter()
            .map(|r| (r.name, r.default, r.source))
            .collect();
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            found,
            [
                ("SHOP_PORT".into(), some("80"), "lib/items.js:4".into()),
                ("SHOP_SECRET".into(), None, "lib/items.js:7".into()),
                ("SHOP_MODE".into(), some("full"), "lib/items.js:9".into()),
            ]
        );
        assert!(reads(&[("lib/items.js", table)]).is_empty(), "a table nothing walks reads nothing");
    }
}
