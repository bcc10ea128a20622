//! A helper handed the variable's name inside an options object: `getOrCreateStoredSecret({
//! envKey: 'TOKEN_HASH_SECRET', fileName: ... })`, whose body takes `const { envKey } = options`
//! and reads `process.env[envKey]`. Each call names a variable by that key.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::key_loops::balanced;
use super::text::line_of;
use crate::analyze::enclosing::enclosing_lines;

/// `process.env[envKey]`: the key read through a name.
static COMPUTED_READ: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"process\.env\[\s*([A-Za-z_$][\w$]*)\s*\]").expect("valid pattern"));
/// A function's head: `async function name(`, `export const name = async (`.
static FUNCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:function\s+([A-Za-z_$][\w$]*)\s*[<(]|(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?\()")
        .expect("valid pattern")
});

/// A helper that reads the variable an options field names: its name and the field.
struct OptionKeyHelper {
    name: String,
    field: String,
}

/// Every variable named in a call of such a helper, anywhere in `sources`.
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let helpers: Vec<OptionKeyHelper> = sources.iter().flat_map(|(_, text)| helpers_in(text)).collect();
    let mut found = Vec::new();
    for helper in &helpers {
        let call = format!("{}({{", helper.name);
        let field = Regex::new(&format!(r#"\b{}\s*:\s*['"]([A-Z][A-Z0-9_]*)['"]"#, regex::escape(&helper.field)))
            .expect("an escaped name is a valid pattern");
        for (path, text) in sources {
            for (at, _) in text.match_indices(&call) {
                let Some(object) = balanced(&text[at + call.len()..], '}') else { continue };
                let Some(name) = field.captures(object) else { continue };
                let offset = at + call.len() + name.get(1).map_or(0, |m| m.start());
                found.push(VariableRead::new(&name[1], format!("{path}:{}", line_of(text, offset))));
            }
        }
    }
    found
}

/// The helpers in `text`: functions whose body reads `process.env[field]` where `field` comes
/// out of an options object (`const { envKey } = options`, or `({ envKey }) =>`).
fn helpers_in(text: &str) -> Vec<OptionKeyHelper> {
    if !text.contains("process.env[") {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut helpers = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(field) = COMPUTED_READ.captures(line).map(|c| c[1].to_string()) else { continue };
        let destructured = Regex::new(&format!(r"\{{[^{{}}]*\b{}\b[^{{}}]*\}}", regex::escape(&field)))
            .expect("an escaped name is a valid pattern");
        let mut blocks = enclosing_lines(&lines, index);
        let Some(head) = blocks.find_map(|(at, head)| FUNCTION.captures(head).map(|c| (at, c))) else { continue };
        let (start, captures) = head;
        let name = captures.get(1).or(captures.get(2)).map(|m| m.as_str().to_string()).unwrap_or_default();
        let taken = lines[start..=index].iter().any(|l| destructured.is_match(l));
        if taken && !name.is_empty() && !helpers.iter().any(|h: &OptionKeyHelper| h.name == name) {
            helpers.push(OptionKeyHelper { name, field });
        }
    }
    helpers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_call_names_the_variable_in_its_options() {
        let helper = "export async function getOrCreateStoredSecret(options: Options): Promise<string> {\n    const { envKey, fileName } = options\n    const envVal = process.env[envKey]\n    if (envVal) return envVal\n    return create(fileName)\n}\n";
        let callers = "export async function initAuthSecrets() {\n    tokenHashSecret = await getOrCreateStoredSecret({\n        envKey: 'TOKEN_HASH_SECRET',\n        fileName: 'token_hash_secret.key'\n    })\n    issuer = await getOrCreateStoredSecret({ envKey: \"JWT_ISSUER\", fileName: 'jwt_issuer.key' })\n}\n";
        let unrelated = "function pick(key) {\n  return process.env[key]\n}\npick({ key: 'NOT_THIS' })\n";
        let sources = [("utils/index.ts", helper), ("auth/secrets.ts", callers), ("misc.ts", unrelated)];
        let names: Vec<(String, String)> = reads(&sources).into_iter().map(|r| (r.name, r.source)).collect();
        assert_eq!(
            names,
            [
                ("TOKEN_HASH_SECRET".to_string(), "auth/secrets.ts:3".to_string()),
                ("JWT_ISSUER".into(), "auth/secrets.ts:6".into())
            ]
        );
    }
}
