//! A password the app hands to another server to log in (`SQL_PASSWORD`, `EMAIL_HOST_PASSWORD`,
//! `DJANGO_MYSQL_PASSWORD`), told apart from a key the app signs or checks with itself. A
//! committed default for the first forges nothing: the server decides what it accepts, and the
//! service gives its own secret; so it is said at warning level, not as a forgeable key.

use super::words::STORES;
use crate::model::{CodeVariable, Finding};

/// Mail, cache and directory servers the app logs in to, beside the stores of [`STORES`]
/// (`CACHE_PASSWORD` is the Redis or Memcached server's).
const SERVERS: [&str; 5] = ["SMTP", "MAIL", "EMAIL", "CACHE", "LDAP"];

/// Words of a key the app itself signs, encrypts or checks logins with.
const OWN: [&str; 8] = ["ADMIN", "SECRET", "KEY", "TOKEN", "JWT", "SESSION", "SIGNING", "SALT"];

/// Whether the name's words say a password for a store or a mail server, and none says a key
/// of the app's own.
pub fn is_client_password(has: &impl Fn(&[&str]) -> bool) -> bool {
    has(&["PASSWORD", "PASS", "PASSWD", "PWD"]) && (has(&STORES) || has(&SERVERS)) && !has(&OWN)
}

/// The warning for a client password's committed default.
pub fn committed_client_password(variable: &CodeVariable) -> Finding {
    let name = variable.name.as_str();
    Finding::warning(
        "secret-default",
        format!(
            "{name}, what the app logs in to its database or mail server with, falls back to a value committed with the code: the app connects only where a server accepts it, and a server left on it is open to anyone with the code"
        ),
        variable.source.clone(),
    )
    .with_fix(format!("give the real one with --secret {name}=env:VAR or --secret {name}=file:PATH"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(name: &str) -> bool {
        let parts: Vec<String> = name.split('_').map(str::to_string).collect();
        is_client_password(&|words: &[&str]| parts.iter().any(|p| words.contains(&p.as_str())))
    }

    #[test]
    fn passwords_given_to_other_servers() {
        for name in
            ["SQL_PASSWORD", "EMAIL_HOST_PASSWORD", "DJANGO_MYSQL_PASSWORD", "REDIS_PASS", "SMTP_PWD", "CACHE_PASSWORD"]
        {
            assert!(judged(name), "{name}");
        }
    }

    #[test]
    fn keys_and_logins_of_the_app_itself() {
        for name in ["ADMIN_PASSWORD", "SECRET_KEY", "DB_ENCRYPTION_KEY", "MAIL_TOKEN", "WXADMIN_PASSWORD", "PASSWORD"]
        {
            assert!(!judged(name), "{name}");
        }
    }
}
