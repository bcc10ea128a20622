//! Deciding from a name or a value alone whether it is a secret: variable and option names,
//! machine-made tokens, and shell references that only point at a secret held elsewhere.

/// Name parts (split on `_`, `-`, `.` and camel case) that mark a secret.
const SECRET_PARTS: [&str; 12] = [
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "SECRET",
    "TOKEN",
    "PASSPHRASE",
    "AUTH",
    "CREDENTIAL",
    "CREDENTIALS",
    "APIKEY",
    "PRIVATE",
];

/// Whole names that hold a password without a separated part saying so: the variables the
/// PostgreSQL, sshpass and Redis clients read their password from, and the Java keystore
/// options.
const SECRET_WORDS: [&str; 10] = [
    "PGPASSWORD",
    "SSHPASS",
    "REDISCLI_AUTH",
    "MYSQL_PWD",
    "STOREPASS",
    "KEYPASS",
    "SRCSTOREPASS",
    "DESTSTOREPASS",
    "SRCKEYPASS",
    "DESTKEYPASS",
];

/// Whether a variable's or option's name says it holds a secret (`DB_PASS`, `api-key`,
/// `aws_secret_access_key`, `--password`, `PGPASSWORD`).
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.trim_start_matches('-').to_ascii_uppercase();
    if SECRET_WORDS.contains(&upper.as_str()) {
        return true;
    }
    let parts: Vec<&str> = upper.split(['_', '-', '.']).filter(|p| !p.is_empty()).collect();
    parts.iter().any(|part| SECRET_PARTS.contains(part)) || (parts.len() > 1 && parts.last() == Some(&"KEY"))
}

/// [`is_secret_name`] for names written in camel case too (`dbPassword`, `_authToken`), as
/// JSON keys, YAML keys and connection-string parameters are.
pub(super) fn is_secret_key(key: &str) -> bool {
    is_secret_name(key) || is_secret_name(&camel_to_snake(key))
}

/// `dbPassword` → `db_Password`, so camel-case keys split into name parts too.
fn camel_to_snake(key: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if previous_lower && c.is_ascii_uppercase() {
            out.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c);
    }
    out
}

/// Last name parts that make a secret-named option a flag or a pointer rather than the
/// secret itself: `--password-stdin` takes no value, `--secret-id prod/db` names a secret,
/// `--token-file PATH` says where one is.
const NOT_A_VALUE: [&str; 11] = ["STDIN", "ID", "ARN", "NAME", "FILE", "PATH", "TYPE", "PROMPT", "ENV", "DIR", "ARNS"];

/// Whether a secret-named option (`--password x`) takes the secret as its next word.
pub(super) fn takes_secret_value(option: &str) -> bool {
    let upper = option.trim_start_matches('-').to_ascii_uppercase();
    let last = upper.rsplit(['_', '-', '.']).next().unwrap_or("");
    // `--no-auth-warning`, `--no-password`: a negated option is a flag.
    let negated = upper.starts_with("NO-") || upper.starts_with("NO_");
    is_secret_key(option) && !negated && !NOT_A_VALUE.contains(&last)
}

/// A long token that looks machine-made (keys, tokens, hex secrets) rather than a word,
/// host, path, URL or list of settings (`user=u,vers=3`; base64 padding `==` may end one).
pub fn looks_random(value: &str) -> bool {
    let settings = value.contains([',', ';', '&']) || value.trim_end_matches('=').contains('=');
    if value.len() < 24
        || value.contains(char::is_whitespace)
        || value.contains("://")
        || value.contains('/')
        || settings
    {
        return false;
    }
    let has_digit = value.chars().any(|c| c.is_ascii_digit());
    let has_letter = value.chars().any(|c| c.is_ascii_alphabetic());
    has_digit && has_letter && shannon_entropy(value) >= 3.5
}

fn shannon_entropy(text: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in text.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let len = text.chars().count() as f64;
    counts.values().map(|&n| n as f64 / len).map(|p| -p * p.log2()).sum()
}

/// Whether a value only refers to a secret kept elsewhere: `$DB_PASS`, `${DB_PASS}`, a
/// command substitution (`$(cat /run/secrets/db)`, backquotes). Such a value holds nothing to
/// hide, and keeping it visible shows the reviewer where the secret comes from. A default
/// (`${DB_PASS:-hunter2}`) is not a bare reference: it holds a value.
pub(super) fn is_reference(value: &str) -> bool {
    let value = value.trim_matches(['"', '\'']);
    if value.starts_with("$(") || value.starts_with('`') {
        return true;
    }
    let Some(rest) = value.strip_prefix('$') else { return false };
    let name = rest.strip_prefix('{').and_then(|r| r.strip_suffix('}')).unwrap_or(rest);
    let mut chars = name.chars();
    let single_special = name.len() == 1 && name.chars().all(|c| c.is_ascii_digit() || "@*#?$!".contains(c));
    single_special
        || (chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_secret_name("DB_PASS") && is_secret_name("api-key") && is_secret_name("STRIPE_API_KEY"));
        assert!(is_secret_name("PGPASSWORD") && is_secret_name("SSHPASS") && is_secret_name("-storepass"));
        assert!(!is_secret_name("PASSENGER_COUNT") && !is_secret_name("KEYBOARD") && !is_secret_name("PORT"));
        assert!(!is_secret_name("BYPASS_CACHE"), "a part that only ends in PASS is not one");
        assert!(is_secret_key("dbPassword") && is_secret_key("_authToken") && is_secret_key("Password"));
        assert!(!is_secret_key("passengerCount") && !is_secret_key("userName"));
    }

    #[test]
    fn options_that_take_the_secret_itself() {
        assert!(takes_secret_value("--password") && takes_secret_value("--client-secret"));
        assert!(takes_secret_value("aws_secret_access_key"));
        for pointer in
            ["--password-stdin", "--secret-id", "--token-file", "--auth-type", "--secret-arn", "--no-auth-warning"]
        {
            assert!(!takes_secret_value(pointer), "{pointer}");
        }
    }

    #[test]
    fn references_point_at_secrets_without_holding_them() {
        for reference in ["$DB_PASS", "${DB_PASS}", "\"$PW\"", "$(cat /run/secrets/db)", "`cat f`", "$1"] {
            assert!(is_reference(reference), "{reference}");
        }
        for value in ["${DB_PASS:-hunter2}", "pa$S", "hunter2", "$", "${}", "$9x"] {
            assert!(!is_reference(value), "{value}");
        }
    }

    #[test]
    fn random_tokens() {
        assert!(looks_random("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"));
        assert!(!looks_random("shop-uploads-111122223333"), "a bucket name is a name");
        assert!(!looks_random("https://example.com/a1b2c3d4e5f6g7h8i9j0"));
        assert!(!looks_random("username=svc1,password=x2,vers=3.0"), "settings, not a token");
        assert!(looks_random("dGhpcyBpcyBhIHRva2VuIDEyMzQ1Njc4OQ=="), "base64 padding ends a token");
    }
}
