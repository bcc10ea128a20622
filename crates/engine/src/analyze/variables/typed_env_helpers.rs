//! A settings library's typed readers: Strapi's `env.int('PORT', 1337)`, `env.bool('SSL',
//! false)`, `env.array('APP_KEYS', ['a', 'b'])`, `env.json(...)`, `env.float(...)`,
//! `env.date(...)` (and envalid-like `Env.str(...)`). Each reads the named variable and falls
//! back to its second argument, like the plain `env('HOST', '0.0.0.0')` call beside them.

/// The typed readers a settings library hangs on its `env` function.
const TYPED_READERS: [&str; 9] = ["int", "bool", "array", "json", "float", "date", "str", "number", "uri"];

/// Whether `function` called right after `before` (the line up to the call) is a typed reader
/// of an environment object: `env.int(`, `Env.bool(`.
pub fn is_typed_reader(before: &str, function: &str) -> bool {
    let object = before.strip_suffix('.').unwrap_or_default();
    let object: String =
        object.chars().rev().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$').collect();
    let object: String = object.chars().rev().collect();
    TYPED_READERS.contains(&function) && object.eq_ignore_ascii_case("env")
}

/// The default of `env.array('KEYS', ['a', 'b'])` written as the text the variable would hold
/// (`a,b`): the array's quoted items joined by commas; `None` for anything computed.
pub fn array_default(text: &str) -> Option<String> {
    let inner = text.trim_start().strip_prefix('[')?;
    let (inner, _) = inner.split_once(']')?;
    let items: Option<Vec<String>> = inner
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let quote = item.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
            item.strip_prefix(quote)?.strip_suffix(quote).map(str::to_string)
        })
        .collect();
    items.filter(|items| !items.is_empty()).map(|items| items.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_readers_of_the_environment() {
        assert!(is_typed_reader("  port: env.", "int"));
        assert!(is_typed_reader("ssl: Env.", "bool"));
        assert!(!is_typed_reader("  port: Math.", "int"));
        assert!(!is_typed_reader("  env.", "parse"));
    }

    #[test]
    fn an_array_default_as_the_variable_would_hold_it() {
        assert_eq!(array_default(" ['testKey1', \"k2\"]),"), Some("testKey1,k2".to_string()));
        assert_eq!(array_default(" [a, b])"), None);
        assert_eq!(array_default(" [])"), None);
    }
}
