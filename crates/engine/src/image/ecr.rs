//! ECR's registry login: what `GetAuthorizationToken` returns, turned into a host, a user and a
//! password for `docker login`.

use base64::Engine;

use super::ImageError;

/// A registry login. `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct EcrLogin {
    /// The registry host, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com`.
    pub registry: String,
    /// Always `AWS` for ECR tokens.
    pub username: String,
    /// The registry password: a temporary token, passed to the CLI on stdin only.
    pub password: String,
}

impl std::fmt::Debug for EcrLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EcrLogin")
            .field("registry", &self.registry)
            .field("username", &self.username)
            .field("password", &crate::userdata::MASK)
            .finish()
    }
}

/// Decodes ECR's `authorizationToken` (base64 of `user:password`, the user being `AWS`) and its
/// `proxyEndpoint` (`https://123456789012.dkr.ecr.eu-west-1.amazonaws.com`) into a registry
/// host, user and password. No error quotes the token.
pub fn ecr_login_from_token(token: &str, proxy_endpoint: &str) -> Result<EcrLogin, ImageError> {
    let bad = |reason: &str| ImageError::BadEcrToken { reason: reason.to_string() };
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(token.trim())
        .map_err(|_| bad("the authorization token is not base64"))?;
    let decoded = String::from_utf8(decoded).map_err(|_| bad("the decoded authorization token is not text"))?;
    let (username, password) =
        decoded.split_once(':').ok_or_else(|| bad("the decoded authorization token has no user:password form"))?;
    if username.is_empty() || password.is_empty() {
        return Err(bad("the decoded authorization token has an empty user or password"));
    }
    let endpoint = proxy_endpoint.trim();
    let host = endpoint.strip_prefix("https://").or_else(|| endpoint.strip_prefix("http://")).unwrap_or(endpoint);
    let host = host.trim_end_matches('/');
    if host.is_empty() || host.contains(['/', '@']) || host.starts_with('-') || host.contains(char::is_whitespace) {
        return Err(bad("the proxy endpoint is not a registry address"));
    }
    Ok(EcrLogin { registry: host.to_string(), username: username.to_string(), password: password.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(text)
    }

    #[test]
    fn decodes_the_token_and_strips_the_scheme() {
        let login = ecr_login_from_token(&encode("AWS:secret"), "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com")
            .unwrap();
        assert_eq!(login.registry, "123456789012.dkr.ecr.eu-west-1.amazonaws.com");
        assert_eq!(login.username, "AWS");
        assert_eq!(login.password, "secret");
        assert!(!format!("{login:?}").contains("secret"));
    }

    #[test]
    fn a_password_may_hold_colons_and_the_endpoint_a_trailing_slash() {
        let login = ecr_login_from_token(&encode("AWS:a:b:c"), "https://r.example.com/").unwrap();
        assert_eq!((login.registry.as_str(), login.password.as_str()), ("r.example.com", "a:b:c"));
    }

    #[test]
    fn garbage_is_an_error_that_does_not_quote_the_token() {
        for (token, endpoint) in [
            ("!!!not base64!!!", "https://r.example.com"),
            (&encode("no-colon-here"), "https://r.example.com"),
            (&encode("AWS:"), "https://r.example.com"),
            (&base64::engine::general_purpose::STANDARD.encode([0xff, 0xfe, b':', 0x80]), "https://r.example.com"),
            (&encode("AWS:pw"), "https://"),
            (&encode("AWS:pw"), "https://r.example.com/evil path"),
            (&encode("AWS:pw"), "--password=x"),
        ] {
            let error = ecr_login_from_token(token, endpoint).unwrap_err();
            assert!(matches!(error, ImageError::BadEcrToken { .. }), "{error}");
            assert!(!error.to_string().contains(token), "{error}");
        }
    }
}
