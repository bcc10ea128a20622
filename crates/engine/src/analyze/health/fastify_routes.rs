//! Fastify routes declared as route-options objects (`{ method: 'GET', url: '/status',
//! handler }`), given to `instance.route(...)` inline or by name, at the full path they answer
//! on: under the `prefix` of every `register(plugin, { prefix })` whose plugin body holds the
//! `route` call (`register(async (i) => { i.route(getStatus) }, { prefix: '/v8' })`).

use std::sync::LazyLock;

use regex::Regex;

use super::handler_guards;
use super::mounts::join;
use super::routes::Route;

/// `method: 'GET'` or `method: ['GET', 'HEAD']`.
static GET_METHOD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*method\s*:\s*(?:['"]GET['"]|\[[^\]]*['"]GET['"])"#).expect("valid pattern"));
static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*(?:url|path)\s*:\s*['"`](/[^'"`]*)['"`]"#).expect("valid pattern"));
static BOUND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:const|let|var)\s+([A-Za-z_$][\w$]*)").expect("valid pattern"));
/// What follows the `}` that closes a plugin's body: `}, { prefix: '/v8' })`.
static PREFIX_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*\)?\s*,\s*\{[^}]*?\bprefix\s*:\s*(['"`][^'"`]*['"`]|[\w$.]+)"#).expect("valid pattern")
});

/// The GET routes the code declares as route-options objects, at their full paths.
pub(super) fn routes(code: &[(&str, &str)]) -> Vec<Route> {
    let mut routes = Vec::new();
    for (path, text) in code {
        let lines: Vec<&str> = text.lines().collect();
        for (index, _) in lines.iter().enumerate().filter(|(_, line)| GET_METHOD.is_match(line)) {
            let Some(opener) = opening_line(&lines, index) else { continue };
            let Some(url) = own_url(&lines, opener) else { continue };
            // An inline `instance.route({...})` is behind the hooks its instance was given.
            let hooked = lines[opener].split_once(".route(").is_some_and(|(before, _)| {
                let receiver = before.rsplit(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).next();
                receiver.is_some_and(|r| handler_guards::behind_plugin_hook(&lines, opener, r))
            });
            let no_content = handler_guards::replies_no_content(&lines, opener) || hooked;
            let at = format!("{path}:{}", index + 1);
            let call_sites: Vec<(&str, usize)> = if lines[opener].contains(".route(") {
                vec![(*text, offset_of(text, opener))]
            } else {
                let Some(name) = lines[..=opener].iter().rev().take(10).find_map(|l| BOUND.captures(l)) else {
                    continue;
                };
                calls_of(code, &name[1])
            };
            for (text, offset) in call_sites {
                if let Some(prefix) = prefix_at(text, offset) {
                    routes.push(Route { path: join(&prefix, &url), at: at.clone(), guarded: no_content });
                }
            }
        }
    }
    routes
}

/// The line holding the `{` that opens the object the line at `index` is a property of.
fn opening_line(lines: &[&str], index: usize) -> Option<usize> {
    let mut depth = 0i32;
    for at in (0..index).rev() {
        for c in lines[at].chars().rev() {
            match c {
                '}' => depth += 1,
                '{' if depth == 0 => return Some(at),
                '{' => depth -= 1,
                _ => {}
            }
        }
    }
    None
}

/// The `url` of the object opened at line `opener`: a property of its own, not of an object
/// nested in it or declared after it.
fn own_url(lines: &[&str], opener: usize) -> Option<String> {
    let mut depth = 0i32;
    for line in &lines[opener + 1..] {
        if depth == 0
            && let Some(caps) = URL.captures(line)
        {
            return Some(caps[1].to_string());
        }
        depth += line.matches(['{', '(', '[']).count() as i32 - line.matches(['}', ')', ']']).count() as i32;
        if depth < 0 {
            return None;
        }
    }
    None
}

fn offset_of(text: &str, line: usize) -> usize {
    text.lines().take(line).map(|l| l.len() + 1).sum()
}

/// Where `.route(name)` is called, as (file text, offset).
fn calls_of<'a>(code: &[(&str, &'a str)], name: &str) -> Vec<(&'a str, usize)> {
    let call = format!(".route({name})");
    code.iter().flat_map(|(_, text)| text.match_indices(&call).map(move |(offset, _)| (*text, offset))).collect()
}

/// The prefixes of the plugins whose bodies hold `offset`, outermost first; `None` when one is
/// a value ferry cannot read.
fn prefix_at(text: &str, offset: usize) -> Option<String> {
    let mut prefixes = Vec::new();
    let mut depth = 0i32;
    for (at, c) in text[offset..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                let after = &text[offset + at + 1..];
                if let Some(caps) = PREFIX_AFTER.captures(after) {
                    prefixes.push(prefix_value(text, &caps[1])?);
                }
            }
            '}' => depth -= 1,
            _ => {}
        }
    }
    Some(prefixes.iter().rev().fold(String::new(), |path, prefix| join(&path, prefix)))
}

/// A prefix literal, with `${name}` filled from the file's `const name = '...'`, or a
/// destructuring default (`const { apiVersion = 'v8' } = options`).
fn prefix_value(text: &str, value: &str) -> Option<String> {
    let quoted = value.starts_with(['\'', '"', '`']);
    let mut literal = if quoted { value[1..value.len() - 1].to_string() } else { format!("${{{value}}}") };
    while let Some(start) = literal.find("${") {
        let end = start + literal[start..].find('}')?;
        let name = literal[start + 2..end].trim().to_string();
        let constant = assigned(text, &name)?;
        literal.replace_range(start..=end, &constant);
    }
    Some(literal)
}

/// The literal `name` is assigned, or defaults to in a destructuring (`name = 'v8'`).
fn assigned(text: &str, name: &str) -> Option<String> {
    let pattern = format!(r#"\b{}\s*=\s*['"`]([^'"`$]*)['"`]"#, regex::escape(name));
    Some(Regex::new(&pattern).ok()?.captures(text)?[1].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_objects_under_the_prefixes_of_their_plugins() {
        let status = "export const getStatus: RouteOptions<\n  Server\n> = {\n  method: 'GET',\n  url: '/artifacts/status',\n  async handler(req, reply) {\n    reply.send({ ok: true })\n  },\n}\nexport const getEvents = {\n  method: 'GET',\n  url: '/artifacts/events',\n  handler,\n}\n";
        let plugin = "const { apiVersion = 'v8' } = options\nexport default async function cache(instance) {\n  await instance.register(\n    async (i) => {\n      i.route(getStatus)\n      i.route(getEvents)\n    },\n    { prefix: `/${apiVersion}` },\n  )\n  instance.route({\n    method: ['GET', 'HEAD'],\n    url: '/ping',\n    handler: (req, reply) => reply.code(204).send(),\n  })\n}\n";
        let code = [("src/routes/get-status.ts", status), ("src/plugin.ts", plugin)];
        let found: Vec<(String, String, bool)> = routes(&code).into_iter().map(|r| (r.path, r.at, r.guarded)).collect();
        assert_eq!(
            found,
            [
                ("/v8/artifacts/status".to_string(), "src/routes/get-status.ts:4".to_string(), false),
                ("/v8/artifacts/events".to_string(), "src/routes/get-status.ts:11".to_string(), false),
                ("/ping".to_string(), "src/plugin.ts:11".to_string(), true),
            ]
        );
    }
}
