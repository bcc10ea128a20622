//! Small readings of source text the variable readers share: a literal default, a line number
//! from an offset, the object key a value is assigned to.

/// The literal at the start of `text` (after spaces): a quoted string without interpolation, a
/// number, or a boolean/None-like word. `None` for anything computed.
pub fn literal(text: &str) -> Option<String> {
    let text = text.trim_start();
    let mut chars = text.chars();
    let first = chars.next()?;
    if matches!(first, '"' | '\'' | '`') {
        let body: String = chars.by_ref().take_while(|c| *c != first).collect();
        let closed = text[first.len_utf8() + body.len()..].starts_with(first);
        if !closed || (first == '`' && body.contains("${")) || body.contains('\n') {
            return None;
        }
        return Some(body);
    }
    let word: String = text.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')).collect();
    if word.is_empty() {
        return None;
    }
    let number = word.trim_start_matches('-').chars().all(|c| c.is_ascii_digit() || c == '.' || c == '_')
        && word.chars().any(|c| c.is_ascii_digit());
    match word.as_str() {
        "true" | "false" | "True" | "False" => Some(word.to_ascii_lowercase()),
        _ if number => arithmetic(text).or_else(|| {
            // `25 * 1024 * 1024` is not 25: a number the code goes on computing is its result
            // or nothing.
            let rest = text[word.len()..].trim_start();
            (!rest.starts_with(['*', '+', '/', '%', '-'])).then(|| word.replace('_', ""))
        }),
        _ => None,
    }
}

/// The value of a product or sum of whole numbers at the start of `text` (`25 * 1024 * 1024`,
/// `60 * 60`), when it is one.
fn arithmetic(text: &str) -> Option<String> {
    let expression: String =
        text.chars().take_while(|c| c.is_ascii_digit() || matches!(c, ' ' | '*' | '+' | '_')).collect();
    let expression = expression.trim_end();
    if !expression.contains(['*', '+']) {
        return None;
    }
    let mut total: u64 = 0;
    for term in expression.split('+') {
        let mut product: u64 = 1;
        for factor in term.split('*') {
            product = product.checked_mul(factor.trim().replace('_', "").parse::<u64>().ok()?)?;
        }
        total = total.checked_add(product)?;
    }
    Some(total.to_string())
}

/// The 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|b| *b == b'\n').count() + 1
}

/// Whether the read whose code follows as `after` is compared with a value, not handed on:
/// `process.env.NODE_ENV === "production" ? a : b` gives `secret = ` a branch's value, never
/// the variable's. (A bare test, `X ? new Redis(X) : ...`, may hand it on after.)
pub fn compared(after: &str) -> bool {
    let after = after.trim_start();
    ["===", "==", "!==", "!="].iter().any(|op| after.starts_with(op))
}

/// The key a value at the end of `before` is assigned to in an object literal or keyword
/// argument: `secret: ` → `secret`, `password=` → `password`.
pub fn key_before(before: &str) -> Option<&str> {
    let trimmed = before.trim_end();
    let trimmed = trimmed.strip_suffix(':').or_else(|| trimmed.strip_suffix('='))?.trim_end();
    let trimmed = trimmed.trim_end_matches(['"', '\'']);
    // The byte after the last character that is not part of a name, whatever its width.
    let start = trimmed
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let key = &trimmed[start..];
    (!key.is_empty()).then_some(key)
}

/// Whether the code around a read turns its value into a number or a flag: `before` is the
/// line up to the read, `after` the rest. `parseInt(process.env.X)`,
/// `process.env.X === 'true'`, `int(os.getenv("X", "0"))`, `env.bool("X")`.
pub fn parsed_plain(before: &str, after: &str) -> bool {
    let before = before.trim_end();
    // (`!!process.env.X`, `Boolean(...)` and Python's `bool(os.getenv("X"))` only ask whether
    // it is set: a key is too. `bool(int(...))` is parsed by its `int(`.)
    let presence = before
        .strip_suffix("bool(")
        .is_some_and(|rest| !rest.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.'));
    if presence {
        return false;
    }
    // A whole name: `endpoint(` is no `int(`.
    let converted = ["parseInt(", "parseFloat(", "Number(", "int(", "float("].iter().any(|call| {
        before.strip_suffix(call).is_some_and(|rest| !rest.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
    });
    let typed_helper = [".bool(", ".int(", ".float(", "getBoolean(", "getInt(", "getNumber("]
        .iter()
        .any(|call| before.ends_with(call))
        || typed_call(before);
    let after = after.trim_start().trim_start_matches([')', ']']).trim_start();
    let compared = ["=== 'true'", "=== \"true\"", "== 'true'", "== \"true\"", "=== '1'", "=== \"1\""]
        .iter()
        .chain(&["!== 'false'", "!== \"false\"", ".lower() in (", ".lower() == \"true\"", ".lower() == 'true'"])
        .any(|comparison| after.starts_with(comparison));
    converted || typed_helper || compared
}

/// Whether `before` ends in a call of a helper named for the type it parses
/// (`getEnvBoolean(`, `toBool(`, `envInt(`, `asNumber(`): what it reads is a flag or a number.
fn typed_call(before: &str) -> bool {
    let Some(call) = before.strip_suffix('(') else { return false };
    let name: String = call.chars().rev().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let name: String = name.chars().rev().collect::<String>().to_ascii_lowercase();
    let typed =
        ["bool", "boolean", "int", "integer", "number", "float", "flag", "num"].iter().any(|t| name.ends_with(t));
    typed && !["print", "hint", "point", "mint", "joint", "endpoint"].iter().any(|word| name.ends_with(word))
}

/// The text with each `//` comment that follows a space or starts a line replaced by spaces
/// (`http://` stays), keeping every offset.
pub fn without_line_comments(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let comment = line
                .match_indices("//")
                .map(|(at, _)| at)
                .find(|&at| at == 0 || line.as_bytes()[at - 1].is_ascii_whitespace());
            match comment {
                Some(at) => {
                    let kept = line.trim_end_matches('\n').len();
                    format!("{}{}{}", &line[..at], " ".repeat(kept - at), &line[kept..])
                }
                None => line.to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compared_read_is_a_condition() {
        assert!(compared(" === \"production\" ? a : b"));
        assert!(compared(" != 'test'"));
        assert!(!compared(" ? new Redis(process.env.CACHE) : new Redis()"));
        assert!(!compared(" ?? 'dev'"));
        assert!(!compared(" || 'keyboard cat',"));
        assert!(!compared(","));
    }

    #[test]
    fn literals_and_keys() {
        assert_eq!(literal(" '3000')").as_deref(), Some("3000"));
        assert_eq!(literal("8080;").as_deref(), Some("8080"));
        assert_eq!(literal("True)").as_deref(), Some("true"));
        assert_eq!(literal("25 * 1024 * 1024,").as_deref(), Some("26214400"));
        assert_eq!(literal("60 * 60 + 5)").as_deref(), Some("3605"));
        assert_eq!(literal("25 * size,"), None, "computed from a name");
        assert!(parsed_plain("  userAuth: getEnvBoolean(", ")") && parsed_plain("x = envInt(", ""));
        assert!(!parsed_plain("  url: endpoint(", ")"));
        assert!(!parsed_plain("    configured = bool(", ")"), "bool() of a string asks whether it is set");
        assert!(parsed_plain("DEBUG = env.bool(", ")") && parsed_plain("x = bool(int(", "))"));
        assert_eq!(literal("`x${y}`"), None);
        assert_eq!(literal("config.port"), None);
        assert_eq!(literal("'unclosed"), None);
        assert_eq!(key_before("  secret: "), Some("secret"));
        assert_eq!(key_before("connect(password="), Some("password"));
        assert_eq!(key_before("x = "), Some("x"));
        assert_eq!(key_before("foo("), None);
        assert_eq!(key_before("«secret: "), Some("secret"), "a wide character before the key");
        assert_eq!(key_before("é: "), None);
        assert_eq!(line_of("a\nb\nc", 2), 2);
    }
}
