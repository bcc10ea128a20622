//! Output of a container CLI on its way to a screen, a log or an error: secrets masked, control
//! characters escaped.
//!
//! A CLI can echo what it was given (a warning quoting a config file, a registry error quoting a
//! header, a build step printing its environment), so every line is masked three ways: the
//! secrets this call knows (the registry password), the shapes `userdata::redact` knows
//! (`PASSWORD=x`, `--password x`, `Authorization: ...`, URL passwords), and long random-looking
//! words (tokens, keys) whatever surrounds them.

use crate::userdata::MASK;

/// Words this long or longer are checked for looking like a token.
const TOKEN_MIN_LEN: usize = 32;

/// One line of CLI output made safe to show: the `secrets` given (verbatim), secret-looking
/// assignments and options, and long random-looking tokens masked; then control characters
/// escaped.
pub fn redact_output(line: &str, secrets: &[&str]) -> String {
    let mut text = line.to_string();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        text = text.replace(secret, MASK);
    }
    let text = crate::userdata::redact(&text).text;
    let text = mask_tokens(&text);
    crate::text::escape_controls(&text)
}

/// Characters a token (base64, base64url, JWT) is made of.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-' | '.')
}

/// Every run of token characters that looks machine-made replaced by the mask.
fn mask_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(is_token_char) {
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let end = run.find(|c: char| !is_token_char(c)).unwrap_or(run.len());
        let word = &run[..end];
        out.push_str(if looks_like_token(word) { MASK } else { word });
        rest = &run[end..];
    }
    out.push_str(rest);
    out
}

/// Long, mixed-case letters and digits, high entropy; not a hex digest or commit (those are
/// what a build and a push report and are no secret), not a path or a dotted name.
fn looks_like_token(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    if word.len() < TOKEN_MIN_LEN {
        return false;
    }
    if word.chars().all(|c| c.is_ascii_hexdigit()) {
        return false;
    }
    let slashes = word.matches('/').count();
    let dots = word.matches('.').count();
    if slashes * 10 > word.len() || word.starts_with('/') || dots > 2 {
        return false;
    }
    let upper = word.chars().any(|c| c.is_ascii_uppercase());
    let lower = word.chars().any(|c| c.is_ascii_lowercase());
    let digit = word.chars().any(|c| c.is_ascii_digit());
    upper && lower && digit && entropy(word) >= 4.0
}

fn entropy(text: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in text.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let len = text.chars().count() as f64;
    counts.values().map(|&n| n as f64 / len).map(|p| -p * p.log2()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_secrets_are_masked_wherever_they_appear() {
        assert_eq!(redact_output("bad password hunter22 for AWS", &["hunter22"]), "bad password •••• for AWS");
        // Too short to mask without mangling the line.
        assert_eq!(redact_output("a b c", &["b"]), "a b c");
    }

    #[test]
    fn tokens_are_masked_but_digests_paths_and_hosts_stay() {
        let token = "eyJwYXlsb2FkIjoiQUJDREVGRzEyMzQ1Njc4OTAiLCJkYXRha2V5IjoieHl6In0=";
        assert_eq!(redact_output(&format!("warning: token {token} expires"), &[]), "warning: token •••• expires");
        let aws_secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert_eq!(redact_output(&format!("key {aws_secret}"), &[]), "key ••••");
        let kept = [
            "latest: digest: sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae size: 1573",
            "#5 [2/6] COPY requirements.txt /app/requirements.txt",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-api:latest",
            "/usr/local/lib/python3.12/site-packages/Django-5.0.dist-info",
            "org.springframework.boot.autoconfigure.SpringBootApplication4",
            "Successfully built 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
        ];
        for line in kept {
            assert_eq!(redact_output(line, &[]), line);
        }
    }

    #[test]
    fn assignments_options_and_headers_are_masked_then_controls_escaped() {
        assert_eq!(redact_output("ENV DB_PASSWORD=hunter2", &[]), "ENV DB_PASSWORD=••••");
        assert_eq!(redact_output("Authorization: Basic QVdTOnNlY3JldA==", &[]), "Authorization: ••••");
        assert_eq!(redact_output("\u{1b}[31mred\u{1b}[0m", &[]), "\\u{1b}[31mred\\u{1b}[0m");
    }
}
