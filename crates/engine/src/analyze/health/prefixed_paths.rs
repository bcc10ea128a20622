//! A route path joined from a constant prefix: `` `${baseUrl}/health` `` or
//! `baseUrl + '/health'`, with `const baseUrl = '/api/v1'` in the same file or exported from
//! another. The route answers under the prefix, not at the bare literal.

use super::mounts::first_literal;

/// The full path of a route call's `arguments` whose first argument joins a constant `NAME`
/// to a literal; `None` when it does not start that way or the constant is not found.
pub fn joined(arguments: &str, text: &str, code: &[(&str, &str)]) -> Option<String> {
    let arguments = arguments.trim_start();
    let (name, tail) = if let Some(template) = arguments.strip_prefix("`${") {
        let (name, rest) = template.split_once('}')?;
        (name.trim(), rest.split('`').next()?.to_string())
    } else {
        let (name, rest) = arguments.split_once('+')?;
        let rest = rest.trim_start();
        if !rest.starts_with(['"', '\'', '`']) {
            return None;
        }
        (name.trim(), first_literal(rest)?)
    };
    let named = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if !named || tail.contains("${") {
        return None;
    }
    let prefix = constant(text, name).or_else(|| {
        // Exported from another file: `export const baseUrl = '/api/v1'`.
        code.iter().find_map(|(_, other)| constant(other, name).filter(|_| other.contains("export")))
    })?;
    let joined = format!("{}/{}", prefix.trim_end_matches('/'), tail.trim_start_matches('/'));
    joined.starts_with('/').then_some(joined)
}

/// The literal a `const NAME = "value"` (or `let`, `var`, exported) in `text` gives.
fn constant(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let line = line.trim_start().trim_start_matches("export ");
        let rest = ["const ", "let ", "var "].iter().find_map(|k| line.strip_prefix(k))?;
        let (target, value) = rest.split_once('=')?;
        let target = target.split(':').next().unwrap_or("").trim();
        (target == name).then(|| first_literal(value)).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_prefix_joins_the_literal() {
        let text = "const baseUrl = \"/api/v1\";\n";
        assert_eq!(joined("`${baseUrl}/health`, (ctx) => {", text, &[]).as_deref(), Some("/api/v1/health"));
        assert_eq!(joined("baseUrl + '/health', handler)", text, &[]).as_deref(), Some("/api/v1/health"));
        assert_eq!(joined("'/health', handler)", text, &[]), None, "a plain literal is no join");
        let other = [("src/config.ts", "export const base = '/v2';\n")];
        assert_eq!(joined("`${base}/ping`)", "", &other).as_deref(), Some("/v2/ping"));
        assert_eq!(joined("`${unknown}/ping`)", "", &other), None);
    }
}
