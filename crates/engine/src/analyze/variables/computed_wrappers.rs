//! Helpers that build the variable's name from their argument:
//! `def setting(name, default=None): return os.environ.get(f"APP_{name.upper()}", default)`
//! then `setting("debug", False)`, or `const env = (key, fallback) =>
//! process.env[`SHOP_${key}`] ?? fallback` then `env('PORT', 3000)`. Each call names a
//! variable (`APP_DEBUG`, `SHOP_PORT`), with the call's second argument as its default.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::computed_names::{Naming, naming, split_top};
use super::key_loops::{balanced, constant_in};
use super::text::{line_of, literal};

static PY_DEF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^(\s*)def\s+(\w+)\s*\(\s*(\w+)").expect("valid pattern"));
static JS_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:function\s+([\w$]+)\s*\(\s*([\w$]+)|(?:const|let|var)\s+([\w$]+)\s*=\s*(?:async\s*)?(?:function\s*)?\(\s*([\w$]+))")
        .expect("valid pattern")
});
static PY_READ: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:os\.)?(?:environ\.get|getenv)\(|(?:os\.)?environ\[").expect("valid pattern"));

/// A helper: its name, and how it names the variable from its first argument.
struct Wrapper {
    name: String,
    naming: Naming,
    /// Reads the bare parameter (`getSecret(key)` → `process.env[key]`): its calls name the
    /// variable whole, and a fallback follows the call (`getSecret('KEY') || 'sample'`).
    /// The file that defines it maps its own calls already: its calls count in other files.
    bare: bool,
    home: Option<String>,
}

/// Every call of a Python helper that computes the name it reads.
pub fn python_reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let mut wrappers = Vec::new();
    for &(_, text) in sources {
        for caps in PY_DEF.captures_iter(text) {
            let indent = caps[1].len();
            let rest = &text[caps.get(0).expect("match").end()..];
            let body: String = rest
                .lines()
                .skip(1)
                .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() > indent)
                .collect::<Vec<_>>()
                .join("\n");
            let expression = PY_READ.find(&body).and_then(|m| {
                let close = if m.as_str().ends_with('[') { ']' } else { ')' };
                balanced(&body[m.end()..], close).map(|inside| split_top(inside, ',')[0].to_string())
            });
            wrappers.extend(wrapper(sources, text, &caps[2], &caps[3], expression));
        }
    }
    // A Python helper that reads its parameter whole (`os.environ.get(key)`) is read where it
    // is called, by the Python reader's own wrappers.
    let wrappers: Vec<Wrapper> = wrappers.into_iter().filter(|w| !w.bare).collect();
    calls(sources, &wrappers)
}

/// Every call of a JavaScript or TypeScript helper that computes the name it reads.
pub fn node_reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let mut wrappers = Vec::new();
    for &(home, text) in sources.iter().filter(|(_, text)| text.contains("process.env[")) {
        for caps in JS_DEF.captures_iter(text) {
            let name = caps.get(1).or(caps.get(3)).map_or("", |m| m.as_str());
            let parameter = caps.get(2).or(caps.get(4)).map_or("", |m| m.as_str());
            let rest = &text[caps.get(0).expect("match").end()..];
            let body: String = rest.lines().take(8).collect::<Vec<_>>().join("\n");
            // A helper that tries an override first (`${PREFIX}_${name}`, then
            // `CB_${name}`) reads each name it can build.
            let expressions = body
                .match_indices("process.env[")
                .filter_map(|(at, open)| balanced(&body[at + open.len()..], ']'))
                .map(|inside| inside.trim().to_string());
            for expression in expressions {
                let found = wrapper(sources, text, name, parameter, Some(expression));
                wrappers.extend(found.map(|w| Wrapper { home: w.bare.then(|| home.to_string()), ..w }));
            }
        }
    }
    calls(sources, &wrappers)
}

/// The helper `name(parameter)` when its read's name is computed from the parameter (a read
/// of the bare parameter is another reader's).
fn wrapper(
    sources: &[(&str, &str)],
    text: &str,
    name: &str,
    parameter: &str,
    expression: Option<String>,
) -> Option<Wrapper> {
    let expression = expression?;
    // A helper named for the environment (`env(key)`) is the env-helper reader's.
    let bare = expression == parameter;
    if bare && name.to_ascii_lowercase().contains("env") || matches!(parameter, "self" | "cls") {
        return None;
    }
    let constant = |c: &str| constant_in(text, c).or_else(|| sources.iter().find_map(|(_, t)| constant_in(t, c)));
    let naming = naming(&expression, parameter, &constant)?;
    Some(Wrapper { name: name.to_string(), naming, bare, home: None })
}

/// The variables the helpers' calls with a literal name read, at each call.
fn calls(sources: &[(&str, &str)], wrappers: &[Wrapper]) -> Vec<VariableRead> {
    let mut found = Vec::new();
    for wrapper in wrappers {
        let Ok(call) = Regex::new(&format!(r#"\b{}\(\s*['"]([\w.-]+)['"]"#, regex::escape(&wrapper.name))) else {
            continue;
        };
        for &(path, text) in sources.iter().filter(|(path, _)| wrapper.home.as_deref() != Some(*path)) {
            for caps in call.captures_iter(text) {
                let whole = caps.get(0).expect("match");
                // A bare helper's calls are a function's (`getSecret('KEY')`), not a method's
                // (`map.get('key')`), and name a variable.
                let method = text[..whole.start()].ends_with('.');
                let variable_like = caps[1].chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                if wrapper.bare && (method || !variable_like) {
                    continue;
                }
                let opened = whole.start() + wrapper.name.len() + 1;
                let arguments = balanced(&text[opened..], ')').unwrap_or("");
                let default = if wrapper.bare {
                    fallback_after(&text[opened + arguments.len() + 1..])
                } else {
                    split_top(arguments, ',').get(1).and_then(|second| {
                        let value = second.trim().strip_prefix("default=").unwrap_or(second);
                        literal(value).filter(|v| !v.is_empty() && v != "none")
                    })
                };
                let at = format!("{path}:{}", line_of(text, whole.start()));
                found.push(VariableRead::new(wrapper.naming.name(&caps[1]), at).with_default(default));
            }
        }
    }
    found
}

/// The literal a call falls back to: `) || 'sample'`, `) ?? 'sample'`.
fn fallback_after(after: &str) -> Option<String> {
    let rest = after.trim_start_matches([')', ' ']);
    let value = rest.strip_prefix("||").or_else(|| rest.strip_prefix("??"))?;
    literal(value).filter(|v| !v.is_empty())
}

/// The app's helpers that build the name they read from their parameter
/// (`` process.env[`CB_REDIS_${name}`] ``): a call's literal (`get("HOST")`) is only the
/// name's tail, never a variable of its own.
pub fn name_builders(sources: &[(&str, &str)]) -> Vec<String> {
    let mut builders = Vec::new();
    for &(_, text) in sources.iter().filter(|(_, text)| text.contains("process.env[")) {
        for caps in JS_DEF.captures_iter(text) {
            let name = caps.get(1).or(caps.get(3)).map_or("", |m| m.as_str());
            let parameter = caps.get(2).or(caps.get(4)).map_or("", |m| m.as_str());
            let rest = &text[caps.get(0).expect("match").end()..];
            let body: String = rest.lines().take(12).collect::<Vec<_>>().join("\n");
            let reads: Vec<&str> = body
                .match_indices("process.env[")
                .filter_map(|(at, open)| balanced(&body[at + open.len()..], ']'))
                .map(str::trim)
                .collect();
            let builds = reads.iter().any(|inside| *inside != parameter && names_parameter(inside, parameter));
            // `getFileEnv(name)` reads `name` itself too, then `name + '_FILE'`: the call's
            // literal is a variable of its own.
            let reads_it_whole = reads.contains(&parameter);
            if builds && !reads_it_whole && !name.is_empty() {
                builders.push(name.to_string());
            }
        }
    }
    builders
}

/// Whether `expression` uses `parameter` itself (`${name}`, `+ name`), not a member of the
/// same name (`m.env`).
fn names_parameter(expression: &str, parameter: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    expression.match_indices(parameter).any(|(at, _)| {
        let before = expression[..at].chars().next_back();
        let after = expression[at + parameter.len()..].chars().next();
        !before.is_some_and(|c| word(c) || c == '.') && !after.is_some_and(word)
    })
}

/// Drops the reads a plain reader took from a name builder's calls: `get("HOST")` where
/// `get` reads `` `CB_REDIS_${name}` `` reads no `HOST`.
pub fn drop_name_tails(sources: &[(&str, &str)], found: &mut Vec<VariableRead>) {
    let builders = name_builders(sources);
    if builders.is_empty() {
        return;
    }
    found.retain(|read| {
        let Some((path, line)) = read.source.rsplit_once(':') else { return true };
        let text = sources.iter().find(|(p, _)| *p == path).map(|(_, t)| *t).unwrap_or("");
        let index = line.parse::<usize>().unwrap_or(0).saturating_sub(1);
        let lines: String = text.lines().skip(index).take(2).collect::<Vec<_>>().join("");
        !builders.iter().any(|b| ['"', '\'', '`'].iter().any(|q| lines.contains(&format!("{b}({q}{}{q}", read.name))))
    });
}

/// Adds the helpers' reads to `found`, dropping what a plain reader took from the same calls
/// (`env('PORT')` read as `PORT`, where the helper reads `SHOP_PORT`).
pub fn add(found: &mut Vec<VariableRead>, wrapped: Vec<VariableRead>) {
    found.retain(|read| {
        !wrapped.iter().any(|w| w.source == read.source && w.name != read.name && w.name.ends_with(&read.name))
    });
    found.extend(wrapped);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(reads: Vec<VariableRead>) -> Vec<(String, Option<String>, String)> {
        reads.into_iter().map(|r| (r.name, r.default, r.source)).collect()
    }

    #[test]
    fn helpers_that_build_the_name() {
        let python = "import os\n\ndef setting(name, default=None):\n    return os.environ.get(f\"APP_{name.upper()}\", default)\n\nDEBUG = setting(\"debug\", False)\nDB = setting(\"database_url\")\nMODE = other(\"x\")\n";
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            read(python_reads(&[("app/settings.py", python)])),
            [
                ("APP_DEBUG".into(), some("false"), "app/settings.py:6".into()),
                ("APP_DATABASE_URL".into(), None, "app/settings.py:7".into()),
            ]
        );
        let node = "const PREFIX = 'SHOP_';\nconst env = (key, fallback) => process.env[PREFIX + key] ?? fallback;\nfunction direct(name) {\n  return process.env[name];\n}\nmodule.exports = { port: env('PORT', 3000), host: direct('HOST') };\n";
        assert_eq!(
            read(node_reads(&[("src/config.js", node)])),
            [("SHOP_PORT".into(), some("3000"), "src/config.js:6".into())],
            "`direct` reads its bare parameter, which the helper reader knows"
        );
    }

    #[test]
    fn a_call_of_a_name_builder_reads_no_tail() {
        let helper = "const PREFIX = 'SHOP';\nconst read = (name, other = null) => {\n  if (other) return process.env[`${other}_${name}`];\n  return process.env[`${PREFIX}_${name}`];\n};\nconst host = read(\"HOST\", 'X');\n";
        assert_eq!(name_builders(&[("src/redis.js", helper)]), ["read"]);
        let mut found = vec![VariableRead::new("HOST", "src/redis.js:6".to_string())];
        drop_name_tails(&[("src/redis.js", helper)], &mut found);
        assert!(found.is_empty());
        let whole = "const env = (key) => process.env[key];\nconst host = env('HOST');\n";
        assert!(name_builders(&[("src/env.js", whole)]).is_empty());
        let both = "function getFileEnv(name) {\n  const origVar = process.env[name];\n  const fileVar = process.env[name + '_FILE'];\n  return fileVar ? read(fileVar) : origVar;\n}\n";
        assert!(name_builders(&[("config.js", both)]).is_empty(), "it reads the name itself too");
    }

    #[test]
    fn a_helper_that_reads_its_parameter_whole() {
        let helper = "export const getSecret = async (key: string) => {\n  const env = process.env[key]\n  if (env) {\n    return env\n  }\n  return ''\n}\n";
        let constants =
            "export const KEY = (await getSecret('CRYPTO_KEY')) || 'SAMPLE_KEY'\nconst x = cache.getSecret('other')\n";
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            read(node_reads(&[("src/lib/secrets.ts", helper), ("src/constants.ts", constants)])),
            [("CRYPTO_KEY".into(), some("SAMPLE_KEY"), "src/constants.ts:1".into())]
        );
    }
}
