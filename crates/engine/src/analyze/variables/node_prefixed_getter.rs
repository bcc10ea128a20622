//! Reads through a getter made from `process.env` and a prefix:
//! `const env = createEnvGetter(process.env, 'APP')`, then `env('PORT')` or
//! `env({ key: 'DB_URL', default: '...' })` reads `APP_DB_URL`. The factory's own code says how
//! it joins the prefix to the key (`${prefix}_${key}`); without it the common `_` is assumed.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::secrets::secret_by_use;
use super::text::{key_before, line_of, literal};

/// `const arg = createEnvGetter(process.env, 'NP')`.
static GETTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*)\(\s*process\.env\s*,\s*['"]([A-Za-z0-9_]*)['"]\s*\)"#)
        .expect("valid pattern")
});
/// `function createEnvGetter(processEnv, prefix?: string)`, `const make = (env, prefix) =>`.
static FACTORY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:function\s+([A-Za-z_$][\w$]*)|(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*)\s*\(\s*[A-Za-z_$][\w$]*\??\s*(?::[^,()<>]+(?:<[^<>()]*>)?)?,\s*([A-Za-z_$][\w$]*)")
        .expect("valid pattern")
});
static KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\bkey\s*:\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]"#).expect("valid pattern"));
static DEFAULT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bdefault\s*:\s*").expect("valid pattern"));

/// A read per call, with a literal key, of a prefixed getter the file makes.
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let separators = separators(sources);
    let mut found = Vec::new();
    for (path, text) in sources {
        for getter in GETTER.captures_iter(text) {
            let prefix = &getter[3];
            let separator = separators.get(&getter[2]).map_or("_", String::as_str);
            let joined = |key: &str| match prefix.is_empty() {
                true => key.to_string(),
                false => format!("{prefix}{separator}{key}"),
            };
            for (key, default, at) in calls(text, &getter[1]) {
                let mut read = VariableRead::new(joined(&key), format!("{path}:{}", line_of(text, at)));
                read = read.with_default(default);
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let call_start = text[line_start..at].find(&getter[1]).map_or(at, |i| line_start + i);
                read.secret_use = key_before(&text[line_start..call_start]).and_then(secret_by_use);
                found.push(read);
            }
        }
    }
    found
}

/// The calls of `getter` in `text`: each key, its `default:` and the offset of the key.
fn calls(text: &str, getter: &str) -> Vec<(String, Option<String>, usize)> {
    let call = Regex::new(&format!(
        r#"(?:^|[^\w.$]){}\s*(?:<[^;]{{0,60}}?>)?\(\s*(?:['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\)|\{{)"#,
        regex::escape(getter)
    ))
    .expect("valid pattern");
    let mut found = Vec::new();
    for captures in call.captures_iter(text) {
        if let Some(key) = captures.get(1) {
            found.push((key.as_str().to_string(), None, key.start()));
            continue;
        }
        let open = captures.get(0).expect("match").end();
        let options = object_body(&text[open..]);
        if let Some(key) = KEY.captures(options) {
            let default = DEFAULT.find(options).and_then(|m| literal(&options[m.end()..]));
            found.push((key[1].to_string(), default, open + key.get(1).expect("group").start()));
        }
    }
    found
}

/// The text of an object literal up to its closing brace, `rest` starting after its `{`.
fn object_body(rest: &str) -> &str {
    let mut depth = 1;
    for (at, c) in rest.char_indices().take(1000) {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return &rest[..at];
        }
    }
    ""
}

/// How each factory of the app joins its prefix to a key, read from its own code:
/// `` `${prefix}_${key}` `` or `prefix + '_' + key`.
fn separators(sources: &[(&str, &str)]) -> HashMap<String, String> {
    let mut found = HashMap::new();
    for (_, text) in sources {
        for captures in FACTORY.captures_iter(text) {
            let name = captures.get(1).or(captures.get(2)).expect("one group").as_str();
            let prefix = regex::escape(&captures[3]);
            let end = captures.get(0).expect("match").end();
            let mut stop = text.len().min(end + 3000);
            while !text.is_char_boundary(stop) {
                stop -= 1;
            }
            let body = &text[end..stop];
            let joined =
                Regex::new(&format!(r#"\$\{{\s*{prefix}\s*\}}([^`$]*)\$\{{|\b{prefix}\s*\+\s*['"]([^'"]*)['"]\s*\+"#))
                    .expect("valid pattern");
            if let Some(join) = joined.captures(body) {
                let separator = join.get(1).or(join.get(2)).expect("one group").as_str();
                found.insert(name.to_string(), separator.to_string());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_get_the_prefix_the_factory_joins() {
        let helper = "export function makeEnv(source: Record<string, string>, prefix?: string) {\n  const name = (key: string) => (prefix ? `${prefix}__${key}` : key)\n  return (input) => source[name(input.key ?? input)]\n}\n";
        let config = "const env = makeEnv(process.env, 'SHOP')\nexport const db = {\n  url: env({ key: 'DB_URL', default: 'postgres://localhost/shop' }),\n  password: env('DB_PASSWORD'),\n  pool: env<number | null>({\n    key: 'POOL',\n    default: 5,\n  }),\n  user: env({ key: 'DB_USER', default: null }),\n}\n";
        let f: Vec<(String, Option<String>, bool)> = reads(&[("src/env.ts", helper), ("src/config.ts", config)])
            .into_iter()
            .map(|r| (r.name, r.default, r.secret_use.is_some()))
            .collect();
        assert_eq!(f[0], ("SHOP__DB_URL".into(), Some("postgres://localhost/shop".into()), false));
        assert_eq!(f[1], ("SHOP__DB_PASSWORD".into(), None, true));
        assert_eq!(f[2], ("SHOP__POOL".into(), Some("5".into()), false));
        assert_eq!(f[3], ("SHOP__DB_USER".into(), None, false));
        assert_eq!(f.len(), 4);
    }

    #[test]
    fn without_the_factory_the_common_underscore() {
        let config = "const get = envReader(process.env, 'APP')\nconst port = get('PORT')\n";
        let names: Vec<String> = reads(&[("config.js", config)]).into_iter().map(|r| r.name).collect();
        assert_eq!(names, vec!["APP_PORT".to_string()]);
    }
}
