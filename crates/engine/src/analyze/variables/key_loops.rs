//! Reads whose names a loop builds from the keys of a settings object:
//! `for (const key of Object.keys(defaults)) process.env[PREFIX + key.toUpperCase()]` in
//! JavaScript, `for key, default in DEFAULTS.items(): os.environ.get(f"APP_{key.upper()}",
//! default)` in Python. No read spells a name, yet each key of the object is a variable an
//! operator sets; the object's value for it is the default when the loop falls back to it.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::computed_names::{mentions, naming, split_top};
use super::text::{line_of, literal, without_line_comments};
use crate::analyze::app_files::AppFiles;

/// `for (const key of Object.keys(defaults))`, `for (const [key, value] of Object.entries(x))`,
/// `for (const key in defaults)`, `for (const name of ['A', 'B'])`, `for (const name of
/// Object.values(Names))` (an enum's or object's values).
static JS_FOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"for\s*\(\s*(?:const|let|var)\s+(?:([\w$]+)|\[\s*([\w$]+)\s*,\s*([\w$]+)\s*\])\s+(?:of|in)\s+(?:Object\.(keys|entries|values)\(\s*)?([\w.$]+|\[[^\]]*\])")
        .expect("valid pattern")
});
/// `Object.keys(defaults).forEach((key) => {`, `Object.entries(x).map(([key, value]) =>`,
/// `['A', 'B'].forEach(function (name) {`.
static JS_CALLBACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:Object\.(keys|entries|values)\(\s*([\w.$]+)\s*\)|(\[[^\]\n]*\]))\s*\.(forEach|map|filter|reduce)\(\s*(?:function\s*[\w$]*\s*)?\(?([^()=]*?)\)?\s*(?:=>|\{)")
        .expect("valid pattern")
});
/// `for key, default in DEFAULTS.items():`, `for name in ("A", "B"):`, or a comprehension's.
static PY_FOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bfor\s+(\w+)(?:\s*,\s*(\w+))?\s+in\s+([\w.]+|\([^)]*\)|\[[^\]]*\])(?:\.(?:items|keys)\(\))?")
        .expect("valid pattern")
});
static PY_READ: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:os\.)?(?:environ\.get|getenv)\(|(?:os\.)?environ\[").expect("valid pattern"));

/// A loop over an object's keys: the names it binds and the text that runs per key.
pub(super) struct KeyLoop<'a> {
    pub key: String,
    pub value: Option<String>,
    pub object: String,
    pub body: &'a str,
    /// The loop walks the object's values (`Object.values`), which are the names.
    pub over_values: bool,
}

/// Every variable JavaScript and TypeScript loops read by a computed name, over an object
/// of the code or one parsed from a JSON file (`JSON.parse(readFileSync('settings.json'))`).
pub fn node_reads(files: &AppFiles, sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let mut found = Vec::new();
    for &(path, text) in sources.iter().filter(|(_, text)| text.contains("process.env")) {
        for found_loop in js_loops(text) {
            for expression in js_env_reads(found_loop.body) {
                let expression = assigned_in(found_loop.body, &expression, &found_loop.key).unwrap_or(expression);
                let defaults = uses_value(&found_loop);
                let mut reads = reads_of(sources, path, &found_loop, &expression, defaults);
                if reads.is_empty() {
                    let over = (found_loop.object.as_str(), found_loop.key.as_str());
                    reads = super::json_keys::reads(files, text, over, &expression, defaults);
                }
                found.extend(reads);
            }
        }
    }
    found
}

/// Every variable Python loops and comprehensions read by a computed name.
pub fn python_reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let mut found = Vec::new();
    for &(path, text) in sources.iter().filter(|(_, text)| text.contains("environ") || text.contains("getenv")) {
        for found_loop in python_loops(text) {
            for captures in PY_READ.find_iter(found_loop.body) {
                let close = if captures.as_str().ends_with('[') { ']' } else { ')' };
                let Some(inside) = balanced(&found_loop.body[captures.end()..], close) else { continue };
                let arguments = split_top(inside, ',');
                let expression = assigned_in(found_loop.body, arguments[0], &found_loop.key)
                    .unwrap_or_else(|| arguments[0].to_string());
                found.extend(reads_of(sources, path, &found_loop, &expression, uses_value(&found_loop)));
            }
        }
    }
    found
}

/// The variables one computed read names: one per key of the object the loop walks, found in
/// this file or, when defined once, another source; each at the key's own line.
pub(super) fn reads_of(
    sources: &[(&str, &str)],
    path: &str,
    found_loop: &KeyLoop,
    expression: &str,
    defaults: bool,
) -> Vec<VariableRead> {
    let here = sources.iter().find(|(p, _)| *p == path).map_or("", |(_, t)| *t);
    let constant =
        |name: &str| constant_in(here, name).or_else(|| sources.iter().find_map(|(_, t)| constant_in(t, name)));
    let Some(naming) = naming(expression, &found_loop.key, &constant) else { return Vec::new() };
    // An inline list or Go's `[]string{"A", "B"}` (whose object is its `{…}`).
    let inline = found_loop.object.starts_with(['[', '(', '{']);
    let (object_path, keys) = if inline {
        (path, object_keys(here, here.find(found_loop.object.as_str()).unwrap_or(0)))
    } else {
        let name = found_loop.object.rsplit('.').next().unwrap_or(&found_loop.object);
        // Keys taken from the environment itself (`Object.keys(process.env).filter(…)`) are
        // known only through the list the body admits them by: `if (availableKeys.includes(k))`.
        let admitted = admitting_list(found_loop.body, &found_loop.key);
        let Some((object_path, keys)) = std::iter::once(&(path, here))
            .chain(sources.iter())
            .find_map(|(p, t)| defined_keys(t, name).map(|keys| (*p, keys)))
            .or_else(|| admitted.and_then(|list| defined_keys(here, list)).map(|keys| (path, keys)))
        else {
            return Vec::new();
        };
        (object_path, keys)
    };
    let mut found = Vec::new();
    for (key, default, line) in keys {
        // `Object.values(Names)` walks the names; `[Names.OPENAI_KEY]: …` keys by a member.
        let key = match (found_loop.over_values, computed_key(sources, &key)) {
            (true, _) => default.clone(),
            (false, Some(member)) => Some(member),
            (false, None) => Some(key).filter(|k| !k.starts_with('[')),
        };
        let Some(key) = key.filter(|k| !k.is_empty()) else { continue };
        let read = VariableRead::new(naming.name(&key), format!("{object_path}:{line}"));
        found.push(read.with_default(default.filter(|_| defaults && !found_loop.over_values)));
    }
    found
}

/// The list a loop's body checks its key against before reading (`if (names.includes(k))`).
fn admitting_list<'a>(body: &'a str, key: &str) -> Option<&'a str> {
    let call = format!(".includes({key})");
    let at = body.find(&call)?;
    let before = &body[..at];
    let start = before.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$')).map_or(0, |i| i + 1);
    let list = &before[start..];
    (!list.is_empty()).then_some(list)
}

/// JavaScript loops over an object's keys or an array of names.
fn js_loops(text: &str) -> Vec<KeyLoop<'_>> {
    let mut loops = Vec::new();
    for captures in JS_FOR.captures_iter(text) {
        let key = captures.get(1).or(captures.get(2)).map_or("", |m| m.as_str()).to_string();
        let value = captures.get(3).map(|m| m.as_str().to_string());
        let end = captures.get(0).expect("match").end();
        let body = block_after(text, end);
        let over_values = captures.get(4).is_some_and(|m| m.as_str() == "values");
        loops.push(KeyLoop { key, value, object: captures[5].to_string(), body, over_values });
    }
    for captures in JS_CALLBACK.captures_iter(text) {
        let object = captures.get(2).or(captures.get(3)).map_or("", |m| m.as_str()).to_string();
        let over_values = captures.get(1).is_some_and(|m| m.as_str() == "values");
        let parameters: Vec<&str> = captures[5].split(',').map(|p| p.trim_matches([' ', '[', ']', '('])).collect();
        // `reduce((settings, key) => …)` walks the keys in its second parameter.
        let skip = usize::from(&captures[4] == "reduce");
        let Some(key) = parameters.get(skip).filter(|k| !k.is_empty()) else { continue };
        let whole = captures.get(0).expect("match");
        let body = block_after(text, whole.end() - usize::from(whole.as_str().ends_with('{')));
        let value = parameters.get(skip + 1).map(|v| v.to_string());
        loops.push(KeyLoop { key: key.to_string(), value, object, body, over_values });
    }
    loops
}

/// Python `for` loops (their indented body) and comprehensions (their statement).
fn python_loops(text: &str) -> Vec<KeyLoop<'_>> {
    let mut loops = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(captures) = PY_FOR.captures(line) else { continue };
        let header = line.trim_end().ends_with(':') && line.trim_start().starts_with("for ");
        let body = if header {
            let indent = line.len() - line.trim_start().len();
            let rest = &text[offset..];
            let mut end = 0;
            for next in rest.split_inclusive('\n') {
                let blank = next.trim().is_empty();
                if !blank && next.len() - next.trim_start().len() <= indent {
                    break;
                }
                end += next.len();
            }
            &rest[..end]
        } else {
            // A comprehension's read may sit on the lines just above its `for`.
            let from = text[..start].char_indices().rev().filter(|(_, c)| *c == '\n').nth(2).map_or(0, |(i, _)| i);
            &text[from..offset]
        };
        let key = captures[1].to_string();
        let value = captures.get(2).map(|m| m.as_str().to_string());
        // `DEFAULTS.items` is the dict `DEFAULTS`.
        let object = captures[3].trim_end_matches(".items").trim_end_matches(".keys").to_string();
        loops.push(KeyLoop { key, value, object, body, over_values: false });
    }
    loops
}

/// The expressions of the `process.env[EXPRESSION]` reads in a loop's body.
fn js_env_reads(body: &str) -> Vec<String> {
    let mut found = Vec::new();
    for marker in ["process.env[", "process.env?.["] {
        for (at, _) in body.match_indices(marker) {
            if let Some(inside) = balanced(&body[at + marker.len()..], ']') {
                found.push(inside.trim().to_string());
            }
        }
    }
    found
}

/// When the read names a variable of the body (`const envName = PREFIX + key;`), what it
/// holds.
fn assigned_in(body: &str, expression: &str, key: &str) -> Option<String> {
    let name = expression.trim();
    if name == key || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
        return None;
    }
    let pattern =
        Regex::new(&format!(r"(?m)(?:^|[\s;{{])(?:const\s+|let\s+|var\s+)?{}\s*=\s*([^;\n]+)", regex::escape(name)))
            .ok()?;
    let value = pattern.captures(body)?.get(1)?.as_str().trim().to_string();
    mentions(&value, key).then_some(value)
}

/// The loop falls back to the object's value when the variable is unset: the value it walks
/// (`value`) or the object indexed by the key (`defaults[key]`, `DEFAULTS.get(key)`) comes after
/// `||`, `??`, a ternary's `:`, `or`, or as a getter's second argument. Compared with the
/// read (`process.env[name] === placeholder`), it is no default.
pub(super) fn uses_value(found_loop: &KeyLoop) -> bool {
    let object = found_loop.object.rsplit('.').next().unwrap_or(&found_loop.object);
    // `config[key] = process.env[key]` overrides the object in place: what it held stays.
    let in_place =
        [format!("{object}[{}] = process.env", found_loop.key), format!("{object}[{}] = os.environ", found_loop.key)];
    if in_place.iter().any(|i| found_loop.body.contains(i.as_str())) {
        return true;
    }
    let mut values = vec![format!("{object}[{}]", found_loop.key), format!("{object}.get({}", found_loop.key)];
    values.extend(found_loop.value.clone());
    let body = found_loop.body;
    values.iter().any(|value| {
        body.match_indices(value.as_str()).any(|(at, _)| {
            let whole_word = mentions(&body[at..(at + value.len() + 1).min(body.len())], value) || value.contains('[');
            let before = body[..at].trim_end();
            let fallback = ["||", "??", ":", " or", ",", "default="].iter().any(|op| before.ends_with(op));
            whole_word && fallback
        })
    })
}

/// The text a loop runs per key after its header ends at `from`: the `{…}` block that opens on
/// the header's line, or else the rest of that line and the next.
pub(super) fn block_after(text: &str, from: usize) -> &str {
    let rest = &text[from..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    if let Some(open) = rest[..line_end].rfind('{') {
        return balanced(&rest[open + 1..], '}').unwrap_or(&rest[open + 1..]);
    }
    let next_end = rest[line_end..].get(1..).and_then(|r| r.find('\n')).map_or(rest.len(), |n| line_end + 1 + n);
    &rest[..next_end]
}

/// The text up to the `close` that balances the bracket just before `text`.
pub(super) fn balanced(text: &str, close: char) -> Option<&str> {
    let (mut depth, mut quote) = (0i32, None::<char>);
    for (at, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') if depth == 0 => return (c == close).then_some(&text[..at]),
            (None, ')' | ']' | '}') => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `const PREFIX = 'APP_'`, `ENV_PREFIX = "APP_"`: the string a constant holds.
pub(super) fn constant_in(text: &str, name: &str) -> Option<String> {
    if !text.contains(name) {
        return None;
    }
    let pattern = Regex::new(&format!(
        r#"(?m)^\s*(?:export\s+)?(?:const\s+|let\s+|var\s+)?{}\s*(?::[^=\n]*)?=\s*['"`]([^'"`$\n]*)['"`]"#,
        regex::escape(name)
    ))
    .ok()?;
    pattern.captures(text).map(|c| c[1].to_string())
}

/// The keys of the object, dict, list or class `name` defines in `text`, each with its
/// literal value and line.
fn defined_keys(text: &str, name: &str) -> Option<Vec<(String, Option<String>, usize)>> {
    // Asked of every source for every key: a file that never names it is not compiled for.
    if !text.contains(name) {
        return None;
    }
    let assigned = Regex::new(&format!(
        r"(?m)^\s*(?:export\s+)?(?:const\s+|let\s+|var\s+)?{}\s*(?::[^=\n]*)?=\s*[\{{\[\(]",
        regex::escape(name)
    ))
    .ok()?;
    // Go first: `defaults := map[string]string{`, `var names = []string{` (whose `[]` is no list).
    let go = Regex::new(&format!(
        r"(?m)^\s*(?:var\s+)?{}\s*(?:\[\][\w.]+\s*|map\[[\w.]+\][\w.*]+\s*)?:?=\s*(?:\[\][\w.]+|map\[[\w.]+\][\w.*]+)\s*\{{",
        regex::escape(name)
    ))
    .ok()?;
    if let Some(found) = go.find(text) {
        return Some(object_keys(text, found.end() - 1));
    }
    if let Some(found) = assigned.find(text) {
        return Some(object_keys(text, found.end() - 1));
    }
    if let Some(members) = enum_members(text, name) {
        return Some(members);
    }
    let class = Regex::new(&format!(r"(?m)^(\s*)class\s+{}\b[^\n]*:\s*$", regex::escape(name))).ok()?;
    let found = class.captures(text)?;
    let indent = found[1].len();
    let mut keys = Vec::new();
    let first = line_of(text, found.get(0)?.end());
    for (index, line) in text.lines().enumerate().skip(first) {
        if !line.trim().is_empty() && line.len() - line.trim_start().len() <= indent {
            break;
        }
        let Some((key, value)) = line.trim().split_once('=') else { continue };
        let key = key.split(':').next().unwrap_or(key).trim();
        if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !key.starts_with('_') {
            keys.push((key.to_string(), literal(value), index + 1));
        }
    }
    Some(keys)
}

/// The entries of the literal opening at byte `open` of `text`: `key: value` pairs of an
/// object or dict, or the strings of a list.
fn object_keys(text: &str, open: usize) -> Vec<(String, Option<String>, usize)> {
    let Some(close) = text[open..].chars().next().map(|c| match c {
        '{' => '}',
        '[' => ']',
        _ => ')',
    }) else {
        return Vec::new();
    };
    // JavaScript comments are blanked first (offsets kept), so an apostrophe in one opens no
    // string; in Python `//` divides.
    let javascript = ["const ", "let ", "=>", "function "].iter().any(|mark| text.contains(mark));
    let blanked = if javascript { without_line_comments(text) } else { text.to_string() };
    let Some(inside) = balanced(&blanked[open + 1..], close) else { return Vec::new() };
    // Items split at the object's own commas: `SITE_NAME: str({ example: "Kutt", default: "Kutt" })`
    // is one item, whose inner keys are the validator's options.
    let mut keys = Vec::new();
    for item in split_top(inside, ',') {
        let start = item.as_ptr() as usize - blanked.as_ptr() as usize;
        let item = item.trim_end_matches(',');
        let line = line_of(text, start);
        let (key, value) = match split_top(item, ':').as_slice() {
            [key, value] if close != ']' => (key.trim_matches(['"', '\'']).to_string(), literal(value)),
            [only] => (literal(only).unwrap_or_default(), None),
            _ => continue,
        };
        // A computed key (`[Names.OPENAI_KEY]`) is kept as written, for the caller to resolve.
        let computed = key.starts_with('[') && key.ends_with(']');
        if !key.is_empty() && (computed || key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')) {
            keys.push((key, value, line));
        }
    }
    keys
}

/// The members of a TypeScript `enum name { A = "a", B }` in `text`, each with its string
/// value (a member without one has none) and line.
fn enum_members(text: &str, name: &str) -> Option<Vec<(String, Option<String>, usize)>> {
    let header =
        Regex::new(&format!(r"(?m)^\s*(?:export\s+)?(?:declare\s+)?(?:const\s+)?enum\s+{}\s*\{{", regex::escape(name)))
            .ok()?;
    let open = header.find(text)?.end();
    let inside = balanced(&text[open..], '}')?;
    let mut members = Vec::new();
    let mut at = open;
    for item in inside.split_inclusive(',') {
        let start = at + (item.len() - item.trim_start().len());
        at += item.len();
        let item = item.trim().trim_end_matches(',');
        let (member, value) = item.split_once('=').map_or((item, None), |(m, v)| (m, literal(v)));
        let member = member.trim();
        if !member.is_empty() && member.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            members.push((member.to_string(), value, line_of(text, start)));
        }
    }
    Some(members)
}

/// The string a computed key `[Names.MEMBER]` stands for: the member's value in the enum or
/// object `Names` that a source defines.
fn computed_key(sources: &[(&str, &str)], key: &str) -> Option<String> {
    let inner = key.strip_prefix('[')?.strip_suffix(']')?.trim();
    if let Some(text) = inner.strip_prefix(['"', '\'']).and_then(|t| t.strip_suffix(['"', '\''])) {
        return Some(text.to_string());
    }
    let (object, member) = inner.rsplit_once('.')?;
    let object = object.rsplit('.').next().unwrap_or(object);
    sources.iter().find_map(|(_, text)| {
        let members = defined_keys(text, object)?;
        members.into_iter().find(|(m, _, _)| m == member).and_then(|(_, value, _)| value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_objects_own_keys_not_its_validators_options() {
        let text = "const spec = {\n  PORT: num({ default: 3000 }),\n  // the site's name\n  SITE_NAME: str({ example: \"Kutt\", default: \"Kutt\" }),\n};\n";
        let keys: Vec<(String, usize)> =
            object_keys(text, text.find('{').unwrap()).into_iter().map(|(key, _, line)| (key, line)).collect();
        assert_eq!(keys, [("PORT".to_string(), 2), ("SITE_NAME".to_string(), 4)]);
    }

    fn names(reads: &[VariableRead]) -> Vec<(&str, Option<&str>, &str)> {
        reads.iter().map(|r| (r.name.as_str(), r.default.as_deref(), r.source.as_str())).collect()
    }

    #[test]
    fn javascript_loops_over_settings_keys() {
        let settings = "const PREFIX = 'PASTE_';\nconst defaults = {\n  port: 8080,\n  storage_dir: './data',\n};\nfor (const key of Object.keys(defaults)) {\n  const name = PREFIX + key.toUpperCase();\n  settings[key] = process.env[name] ?? defaults[key];\n}\n['ENABLE_SIGNUP'].forEach((flag) => {\n  flags[flag] = process.env[flag] === 'true';\n});\n";
        let reads = node_reads(&AppFiles::default(), &[("src/settings.js", settings)]);
        assert_eq!(
            names(&reads),
            [
                ("PASTE_PORT", Some("8080"), "src/settings.js:3"),
                ("PASTE_STORAGE_DIR", Some("./data"), "src/settings.js:4"),
                ("ENABLE_SIGNUP", None, "src/settings.js:10"),
            ]
        );
    }

    #[test]
    fn loops_over_an_enum_s_values_or_keyed_by_its_members() {
        let enum_text = "export enum ProviderKeys {\n  OPENAI = \"SHOP_OPENAI_KEY\",\n  MAPS = \"SHOP_MAPS_KEY\"\n}\n";
        let keyed = "const keys = {\n  [ProviderKeys.OPENAI]: \"openai\",\n  [ProviderKeys.MAPS]: \"maps\"\n}\nfor (const [envKey, field] of Object.entries(keys)) {\n  user[field] = process.env[envKey] ?? user[field]\n}\n";
        let walked = "for (const name of Object.values(ProviderKeys)) {\n  check(process.env[name])\n}\n";
        let sources = [("types/keys.ts", enum_text), ("lib/keys.ts", keyed), ("lib/check.ts", walked)];
        let reads = node_reads(&AppFiles::default(), &sources);
        assert_eq!(
            names(&reads),
            [
                ("SHOP_OPENAI_KEY", None, "lib/keys.ts:2"),
                ("SHOP_MAPS_KEY", None, "lib/keys.ts:3"),
                ("SHOP_OPENAI_KEY", None, "types/keys.ts:2"),
                ("SHOP_MAPS_KEY", None, "types/keys.ts:3"),
            ]
        );
    }

    #[test]
    fn a_value_compared_with_the_read_is_no_default() {
        let config = "const PLACEHOLDERS = {\n  JWT_SECRET: 'secret',\n};\nconst stale = Object.entries(PLACEHOLDERS)\n  .filter(([name, placeholder]) => process.env[name] === placeholder);\n";
        let reads = node_reads(&AppFiles::default(), &[("src/auth.ts", config)]);
        assert_eq!(names(&reads), [("JWT_SECRET", None, "src/auth.ts:2")]);
    }

    #[test]
    fn python_loops_and_comprehensions() {
        let config = "import os\nENV_PREFIX = \"NOTES_\"\nDEFAULTS = {\n    \"path\": \"/data\",\n    \"auth_type\": \"password\",\n}\n\ndef load():\n    for key, default in DEFAULTS.items():\n        value = os.environ.get(f\"{ENV_PREFIX}{key.upper()}\", default)\n\nclass Limits:\n    max_upload: int = 10\n\nLIMITS = {k: os.getenv(\"LIMIT_\" + k.upper()) for k in vars(Limits)}\nFLAGS = [os.environ.get(name) for name in (\"ENABLE_A\", \"ENABLE_B\")]\n";
        let reads = python_reads(&[("app/config.py", config)]);
        assert_eq!(
            names(&reads),
            [
                ("NOTES_PATH", Some("/data"), "app/config.py:4"),
                ("NOTES_AUTH_TYPE", Some("password"), "app/config.py:5"),
                ("ENABLE_A", None, "app/config.py:16"),
                ("ENABLE_B", None, "app/config.py:16"),
            ],
            "`vars(Limits)` is no object the code spells out"
        );
    }
}
