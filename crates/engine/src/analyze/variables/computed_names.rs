//! The name a read computes from a loop's key: `PREFIX + key.toUpperCase()`,
//! `` `APP_${key}` ``, `f"{ENV_PREFIX}{key.upper()}"`, `"APP_%s" % key`, `"APP_{}".format(key)`.
//! Written as pieces, so the name of every key the loop walks can be said.

/// One piece of a computed name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// The loop's key, upper-cased, and turned from camelCase into snake_case.
    Key {
        upper: bool,
        snake: bool,
    },
}

/// How a read turns a key into a variable name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Naming {
    pieces: Vec<Piece>,
}

impl Naming {
    /// The variable a key names: `sessionSecret` with `APP_` and snake upper → `APP_SESSION_SECRET`.
    pub fn name(&self, key: &str) -> String {
        let mut name = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => name.push_str(text),
                Piece::Key { upper, snake } => {
                    let key = if *snake { snake_case(key) } else { key.to_string() };
                    name.push_str(&if *upper { key.to_ascii_uppercase() } else { key });
                }
            }
        }
        name
    }
}

/// The naming `expression` writes with the loop's `key`, resolving constants through
/// `constant`; `None` when a part of it cannot be known from the code (a call, a variable
/// read from elsewhere) or the key is not in it exactly once.
pub fn naming(expression: &str, key: &str, constant: &dyn Fn(&str) -> Option<String>) -> Option<Naming> {
    let mut pieces = pieces(expression.trim(), key, constant, 0)?;
    if pieces.iter().filter(|p| matches!(p, Piece::Key { .. })).count() != 1 {
        return None;
    }
    pieces.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
    Some(Naming { pieces })
}

fn pieces(expression: &str, key: &str, constant: &dyn Fn(&str) -> Option<String>, depth: u8) -> Option<Vec<Piece>> {
    if depth > 4 {
        return None;
    }
    let expression = expression.trim();
    // `(PREFIX + key).toUpperCase()`: the whole name upper-cased.
    for upper in [".toUpperCase()", ".upper()"] {
        if let Some(inner) = expression.strip_suffix(upper).and_then(|e| enclosed(e, '(', ')')) {
            let inner = pieces(inner, key, constant, depth + 1)?;
            return Some(inner.into_iter().map(upper_cased).collect());
        }
    }
    if let Some(inner) = enclosed(expression, '(', ')') {
        return pieces(inner, key, constant, depth + 1);
    }
    let terms = split_top(expression, '+');
    if terms.len() > 1 {
        let parts: Option<Vec<Vec<Piece>>> = terms.iter().map(|t| pieces(t, key, constant, depth + 1)).collect();
        return Some(parts?.concat());
    }
    // `"APP_%s" % key`: the key where `%s` is.
    if let [format, argument] = split_top(expression, '%').as_slice()
        && let Some(text) = quoted(format)
        && let Some((before, after)) = text.split_once("%s")
    {
        let mut found = vec![Piece::Text(before.to_string())];
        found.extend(pieces(argument, key, constant, depth + 1)?);
        found.push(Piece::Text(after.to_string()));
        return Some(found);
    }
    term(expression, key, constant, depth)
}

/// One term: a string, a template or f-string, the key itself (maybe transformed), a
/// `.format(key)` call or a constant.
fn term(text: &str, key: &str, constant: &dyn Fn(&str) -> Option<String>, depth: u8) -> Option<Vec<Piece>> {
    if let Some(literal) = quoted(text) {
        return Some(vec![Piece::Text(literal.to_string())]);
    }
    if let Some(body) = text.strip_prefix('`').and_then(|t| t.strip_suffix('`')) {
        return template(body, "${", key, constant, depth);
    }
    if let Some(body) = text.strip_prefix(['f', 'F']).and_then(quoted) {
        return template(body, "{", key, constant, depth);
    }
    if let Some((format, argument)) = text.split_once(".format(")
        && let Some(format) = quoted(format)
        && let Some((before, after)) = format.split_once("{}")
    {
        let mut found = vec![Piece::Text(before.to_string())];
        found.extend(pieces(argument.strip_suffix(')')?, key, constant, depth + 1)?);
        found.push(Piece::Text(after.to_string()));
        return Some(found);
    }
    if mentions(text, key) {
        return key_piece(text, key);
    }
    let plain = text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'));
    plain.then(|| constant(text.rsplit('.').next().unwrap_or(text))).flatten().map(|value| vec![Piece::Text(value)])
}

/// The key as a term: `key`, `key.toUpperCase()`, `key.upper()`, `snakeCase(key)`,
/// `key.replace(/([A-Z])/g, '_$1').toUpperCase()`. Another call on it is not known.
fn key_piece(text: &str, key: &str) -> Option<Vec<Piece>> {
    let lower = text.to_ascii_lowercase();
    let upper = lower.contains("touppercase()") || lower.contains(".upper()") || lower.contains("constant");
    // `replace(/([A-Z])/g, '_$1')`, or a callback that puts `_` before each capital
    // (`$1 => "_" + $1`).
    let capitals = text.contains("replace(/([A-Z])/g") || text.contains("replace(/[A-Z]/g");
    let underscored = ["\"_\"", "'_'", "`_${"].iter().any(|u| text.contains(u));
    let snake =
        lower.contains("snake") || lower.contains("constant") || lower.contains("_$1") || (capitals && underscored);
    let rest = text.replacen(key, "", 1);
    let known = ["toUpperCase()", "upper()", "replace(", "snake", "Snake", "constant", "Constant", "."];
    let unexplained = rest.contains('(') && !known.iter().any(|k| rest.contains(k) && *k != ".");
    (text == key || !unexplained).then(|| vec![Piece::Key { upper, snake }])
}

/// A template's pieces: text, and the `${…}` (JavaScript) or `{…}` (Python) expressions in it.
fn template(
    body: &str,
    open: &str,
    key: &str,
    constant: &dyn Fn(&str) -> Option<String>,
    depth: u8,
) -> Option<Vec<Piece>> {
    let mut found = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find(open) {
        found.push(Piece::Text(rest[..start].to_string()));
        let after = &rest[start + open.len()..];
        let end = after.find('}')?;
        found.extend(pieces(&after[..end], key, constant, depth + 1)?);
        rest = &after[end + 1..];
    }
    found.push(Piece::Text(rest.to_string()));
    Some(found)
}

fn upper_cased(piece: Piece) -> Piece {
    match piece {
        Piece::Text(text) => Piece::Text(text.to_ascii_uppercase()),
        Piece::Key { snake, .. } => Piece::Key { upper: true, snake },
    }
}

/// `text` names the identifier `key` as a whole word.
pub fn mentions(text: &str, key: &str) -> bool {
    text.match_indices(key).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + key.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        !word(before) && !word(after)
    })
}

/// The body of a string literal that is the whole of `text`, without interpolation.
fn quoted(text: &str) -> Option<&str> {
    let text = text.trim();
    let quote = text.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let body = text.strip_prefix(quote)?.strip_suffix(quote)?;
    (!body.contains(quote)).then_some(body)
}

/// The inside of `text` when one pair of `open`/`close` encloses all of it.
fn enclosed(text: &str, open: char, close: char) -> Option<&str> {
    let inner = text.strip_prefix(open)?.strip_suffix(close)?;
    let mut depth = 0i32;
    for c in inner.chars() {
        depth += i32::from(c == open) - i32::from(c == close);
        if depth < 0 {
            return None;
        }
    }
    (depth == 0).then_some(inner)
}

/// `text` split at `separator` outside strings, templates and brackets.
pub fn split_top(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0);
    for (at, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, _) if c == separator && depth == 0 => {
                parts.push(text[start..at].trim());
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts
}

/// `sessionSecret` → `session_secret`; `max_size` stays.
fn snake_case(key: &str) -> String {
    let mut out = String::new();
    for (index, c) in key.chars().enumerate() {
        if c.is_ascii_uppercase() && index > 0 && !out.ends_with('_') {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_a_read_computes_from_a_key() {
        let constant = |name: &str| (name == "PREFIX" || name == "ENV_PREFIX").then(|| "APP_".to_string());
        let name = |expression: &str, key: &str| naming(expression, "key", &constant).map(|n| n.name(key));
        assert_eq!(name("PREFIX + key.toUpperCase()", "port").as_deref(), Some("APP_PORT"));
        assert_eq!(name("`SHOP_${key}`", "PORT").as_deref(), Some("SHOP_PORT"));
        assert_eq!(name("(PREFIX + key).toUpperCase()", "log_level").as_deref(), Some("APP_LOG_LEVEL"));
        assert_eq!(name("f\"{ENV_PREFIX}{key.upper()}\"", "auth_type").as_deref(), Some("APP_AUTH_TYPE"));
        assert_eq!(name("\"NOTES_%s\" % key.upper()", "path").as_deref(), Some("NOTES_PATH"));
        assert_eq!(name("\"NOTES_{}\".format(key)", "PATH").as_deref(), Some("NOTES_PATH"));
        assert_eq!(name("key.toUpperCase()", "host").as_deref(), Some("HOST"));
        assert_eq!(
            name("'APP_' + key.replace(/([A-Z])/g, '_$1').toUpperCase()", "sessionSecret").as_deref(),
            Some("APP_SESSION_SECRET")
        );
        assert_eq!(
            name("'APP_' + key.replace(/([A-Z])/g, $1 => \"_\" + $1).toUpperCase()", "adminPass").as_deref(),
            Some("APP_ADMIN_PASS")
        );
        assert_eq!(name("lookup(key)", "port"), None, "an unknown call");
        assert_eq!(name("OTHER + key", "port"), None, "an unknown constant");
        assert_eq!(name("'X'", "port"), None, "no key");
        assert!(mentions("defaults[key]", "key") && !mentions("keys", "key"));
        assert_eq!(split_top("a + `${b + c}` + 'd+e'", '+'), ["a", "`${b + c}`", "'d+e'"]);
    }
}
