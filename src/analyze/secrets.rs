//! Recognising secrets in user data and masking them before anything is shown or written.

use super::user_data::parse_assignment;

/// What every masked secret looks like on screen and in files.
pub const MASK: &str = "••••";

const SECRET_WORDS: [&str; 7] = [
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "TOKEN",
    "PRIVATE_KEY",
    "API_KEY",
    "CREDENTIAL",
];

/// Whether a variable's name says it holds a secret.
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|word| upper.contains(word)) || upper.ends_with("_KEY")
}

/// Whether a value is a URL with a password in it (`scheme://user:password@host`).
pub fn has_url_password(value: &str) -> bool {
    url_password_span(value).is_some()
}

/// Byte range of the password inside `scheme://user:password@host`.
fn url_password_span(value: &str) -> Option<(usize, usize)> {
    let scheme_end = value.find("://")? + 3;
    let rest = &value[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..authority_end].rfind('@')?;
    let colon = rest[..at].find(':')?;
    let (start, end) = (scheme_end + colon + 1, scheme_end + at);
    (end > start).then_some((start, end))
}

/// Whether an assignment carries a secret, by its name or by its value.
pub fn is_secret(name: &str, value: &str) -> bool {
    is_secret_name(name) || has_url_password(value)
}

/// User data with every secret value masked, and the names of the variables that held one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub secret_names: Vec<String>,
}

/// Masks secret values line by line; a URL keeps its host so evidence can still be matched.
pub fn redact(user_data: &str) -> Redacted {
    let mut secret_names = Vec::new();
    let mut lines = Vec::new();
    for line in user_data.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        match parse_assignment(body) {
            Some((name, value)) if is_secret(name, value) => {
                secret_names.push(name.to_string());
                let prefix_len = body.len() - value.len();
                lines.push(format!(
                    "{}{}{newline}",
                    &body[..prefix_len],
                    mask_value(name, value)
                ));
            }
            _ => lines.push(line.to_string()),
        }
    }
    Redacted {
        text: lines.concat(),
        secret_names,
    }
}

fn mask_value(name: &str, value: &str) -> String {
    match url_password_span(value) {
        Some((start, end)) if !is_secret_name(name) => {
            format!("{}{MASK}{}", &value[..start], &value[end..])
        }
        _ => MASK.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_url_passwords_and_secret_names() {
        let text =
            "PORT=3000\nDATABASE_URL=postgres://shop:hunter2@db.x:5432/shop\nSESSION_SECRET=abc\n";
        let redacted = redact(text);
        assert_eq!(
            redacted.text,
            "PORT=3000\nDATABASE_URL=postgres://shop:••••@db.x:5432/shop\nSESSION_SECRET=••••\n"
        );
        assert_eq!(
            redacted.secret_names,
            vec!["DATABASE_URL", "SESSION_SECRET"]
        );
        assert!(!redacted.text.contains("hunter2"));
    }

    #[test]
    fn urls_without_passwords_are_not_secrets() {
        assert!(!is_secret("REDIS_URL", "redis://cache:6379"));
        assert!(!is_secret("HOME_URL", "https://user@example.com/"));
        assert!(is_secret("STRIPE_API_KEY", "x"));
    }
}
