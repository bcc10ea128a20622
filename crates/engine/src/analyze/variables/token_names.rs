//! Settings that name where a token travels rather than hold one: Spring's
//! `sso.token.key=app_login_token` is the cookie or header name a login token is sent under,
//! `SESSION_COOKIE_KEY=app_sid` the cookie's name. Their names say "token" and "key", but their
//! committed defaults are identifiers anyone may read; the signing secret lives elsewhere.

/// Whether `name` (`XXLSSO_TOKEN_KEY`) is the key a token or cookie is stored under and its
/// default (`app_login_token`) is such a name: lowercase words, one of them saying what is
/// carried, none saying it is itself a secret.
pub fn names_where_a_token_goes(name: &str, default: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let parts: Vec<&str> = upper.split('_').filter(|p| !p.is_empty()).collect();
    let [.., carried, last] = parts.as_slice() else { return false };
    let key_of_a_carrier =
        matches!(*last, "KEY" | "NAME") && matches!(*carried, "TOKEN" | "COOKIE" | "SESSION" | "HEADER");
    let identifier = default.len() <= 40
        && default.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.'));
    let words: Vec<&str> = default.split(['_', '-', '.']).filter(|w| !w.is_empty()).collect();
    let says_what_is_carried =
        words.iter().any(|w| matches!(*w, "token" | "cookie" | "session" | "sid" | "sess" | "login" | "auth"));
    let says_secret = words.iter().any(|w| w.contains("secret") || w.contains("pass") || *w == "changeme");
    key_of_a_carrier && identifier && words.len() >= 2 && says_what_is_carried && !says_secret
}

#[cfg(test)]
mod tests {
    use super::names_where_a_token_goes;

    #[test]
    fn a_cookie_name_is_no_secret() {
        assert!(names_where_a_token_goes("XXLSSO_TOKEN_KEY", "shop_login_token"));
        assert!(names_where_a_token_goes("APP_SESSION_COOKIE_NAME", "app-sid"));
        assert!(!names_where_a_token_goes("JWT_TOKEN_KEY", "my_secret_token"), "says it is a secret");
        assert!(!names_where_a_token_goes("APP_TOKEN_KEY", "Zx81kQpL0aa91"), "random-looking");
        assert!(!names_where_a_token_goes("SIGNING_KEY", "login_token"), "a signing key");
    }
}
