//! Finding the secret part inside one value: credentials in URLs, password parameters of
//! connection strings (JDBC, SQL Server, libpq), `user:password` pairs and `.pgpass` lines.
//! Each finder returns byte ranges into the text it was given and keeps everything else
//! (user names, hosts, databases) visible.

use super::names::{is_reference, is_secret_key, looks_random};

/// A byte range to mask.
pub(super) type Span = (usize, usize);

/// Prefixes of the access tokens that code hosts issue (GitHub, GitLab), which git URLs carry
/// as their user (`https://ghp_x@github.com/o/r`).
const TOKEN_PREFIXES: [&str; 8] = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-"];

/// Whether a URL's user part is an access token rather than a login name.
fn user_is_token(user: &str) -> bool {
    TOKEN_PREFIXES.iter().any(|p| user.starts_with(p)) || looks_random(user) || user.len() >= 20
}

/// The credentials of `scheme://user:password@host`: the password, and the user too when it
/// is a token (`https://TOKEN:x-oauth-basic@github.com`, `https://TOKEN@github.com`). The last
/// `@` ends the password, so passwords holding `/`, `?` or `#` are still found. A reference
/// (`https://u:$TOKEN@h`) is left as it is.
pub(super) fn url_credential_spans(value: &str) -> Vec<Span> {
    let Some(scheme_end) = value.find("://").map(|i| i + 3) else { return Vec::new() };
    let rest = &value[scheme_end..];
    let mut spans = Vec::new();
    let first_at = rest.find('@');
    let user_end = rest.find([':', '@']).filter(|&end| first_at.is_some_and(|at| end <= at));
    let Some(user_end) = user_end else { return spans };
    let user = &rest[..user_end];
    if user.contains('/') {
        return spans;
    }
    if !user.is_empty() && !is_reference(user) && user_is_token(user) {
        spans.push((scheme_end, scheme_end + user_end));
    }
    if rest[user_end..].starts_with(':')
        && let Some(at) = rest.rfind('@')
    {
        let (start, end) = (scheme_end + user_end + 1, scheme_end + at);
        if end > start && !is_reference(&value[start..end]) {
            spans.push((start, end));
        }
    }
    spans
}

/// Characters that end a parameter's value in a connection string or URL query.
const PARAMETER_END: [char; 11] = ['&', ';', ',', ' ', '\t', '"', '\'', ')', ']', '}', '\\'];

/// Values of secret-named parameters inside a longer value: `?user=u&password=p` (JDBC, URL
/// queries), `;password=p;` (SQL Server, ADO.NET), `,password=p` (mount options),
/// `/:_authToken=t` (.npmrc), `--from-literal=password=p`. A value in braces (`{p;w}`, how SQL
/// Server quotes one) ends at the brace, as a `${VAR}` reference does.
pub(super) fn parameter_spans(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    for (equals, _) in text.match_indices('=') {
        let name_start =
            text[..equals].rfind(|c: char| !(c.is_ascii_alphanumeric() || "_.-".contains(c))).map_or(0, |i| i + 1);
        let preceded_by_separator = name_start > 0 && "?&;,:=".contains(&text[name_start - 1..name_start]);
        let name = &text[name_start..equals];
        if !preceded_by_separator || name.is_empty() || !is_secret_key(name) {
            continue;
        }
        let value_start = equals + 1;
        let value = &text[value_start..];
        let length = if value.starts_with('{') || value.starts_with("${") {
            value.find('}').map_or(value.len(), |close| close + 1)
        } else {
            value.find(PARAMETER_END).unwrap_or(value.len())
        };
        if length > 0 && !is_reference(&value[..length]) {
            spans.push((value_start, value_start + length));
        }
    }
    spans
}

/// The password of a `user:password` pair as `chpasswd` reads it; `text` is one pair with no
/// quotes around it. A user name is what `useradd` accepts; a password that starts with a
/// space is a YAML key's value (`expire: false`), not a pair.
pub(super) fn user_password_span(text: &str) -> Option<Span> {
    let (user, password) = text.split_once(':')?;
    let mut chars = user.chars();
    let user_like = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && user.trim_end_matches('$').chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    let start = user.len() + 1;
    (user_like && !password.is_empty() && !password.starts_with(char::is_whitespace) && !is_reference(password))
        .then_some((start, text.len()))
}

/// The password of every pair in a word fed to `chpasswd`: `root:pw`, and `a:x\nb:y` as
/// `echo -e` and `printf` write several lines in one word.
pub(super) fn user_password_spans(word: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut from = 0;
    for piece in word.split("\\n") {
        let opening = piece.trim_start_matches(['[', '{', '-', ' ', '"', '\'']);
        let trimmed = opening.trim_end_matches([',', ']', '}', '"', '\'']);
        let lead = piece.len() - opening.len();
        if let Some((s, e)) = user_password_span(trimmed) {
            spans.push((from + lead + s, from + lead + e));
        }
        from += piece.len() + 2;
    }
    spans
}

/// The password of a `.pgpass` line, `host:port:database:user:password` (`\:` is a colon
/// inside a field). With `strict`, for text that is not known to be a `.pgpass` line, the
/// shape must be unmistakable: a host name (or `*`), a numeric port (or `*`), and fields
/// without spaces, so a MAC address or a time of day is not taken for one.
pub(super) fn pgpass_span(text: &str, strict: bool) -> Option<Span> {
    let mut colons = Vec::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            ':' => colons.push(i),
            _ => {}
        }
    }
    if colons.len() < 4 {
        return None;
    }
    let field = |n: usize| &text[if n == 0 { 0 } else { colons[n - 1] + 1 }..colons[n]];
    let fields = [field(0), field(1), field(2), field(3)];
    let start = colons[3] + 1;
    if fields.iter().any(|f| f.is_empty()) || start >= text.len() || is_reference(&text[start..]) {
        return None;
    }
    if strict {
        let host = fields[0];
        let host_like = host == "*"
            || (host.chars().all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
                && host.chars().any(|c| c.is_ascii_alphabetic() || c == '.'));
        let port_like = fields[1] == "*" || fields[1].chars().all(|c| c.is_ascii_digit());
        let plain = fields[2..].iter().all(|f| !f.contains(|c: char| c.is_whitespace() || "=/".contains(c)));
        if !(host_like && port_like && plain) || colons.len() > 4 {
            return None;
        }
    }
    Some((start, text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str, spans: Vec<Span>) -> String {
        let mut out = text.to_string();
        for (start, end) in spans.into_iter().rev() {
            out.replace_range(start..end, "*");
        }
        out
    }

    #[test]
    fn url_credentials_keep_the_user_and_host() {
        let cases = [
            ("postgres://shop:pw@db:5432/x", "postgres://shop:*@db:5432/x"),
            ("https://x-access-token:abc@github.com/o/r", "https://x-access-token:*@github.com/o/r"),
            ("https://ghp_abc@github.com/o/r", "https://*@github.com/o/r"),
            ("https://0123456789abcdef0123:x-oauth-basic@github.com/o", "https://*:*@github.com/o"),
            ("https://user@example.com/", "https://user@example.com/"),
            ("https://u:$TOKEN@github.com/o", "https://u:$TOKEN@github.com/o"),
            ("redis://:pw@cache:6379", "redis://:*@cache:6379"),
            ("https://example.com/a:b@c", "https://example.com/a:b@c"),
        ];
        for (text, expected) in cases {
            assert_eq!(masked(text, url_credential_spans(text)), expected, "{text}");
        }
    }

    #[test]
    fn parameters_of_connection_strings() {
        let cases = [
            ("jdbc:mysql://h/db?user=u&password=p&ssl=1", "jdbc:mysql://h/db?user=u&password=*&ssl=1"),
            ("jdbc:sqlserver://h:1433;user=sa;password={p;w};x=1", "jdbc:sqlserver://h:1433;user=sa;password=*;x=1"),
            ("//registry.npmjs.org/:_authToken=t0k", "//registry.npmjs.org/:_authToken=*"),
            ("-o username=u,password=p,vers=3", "-o username=u,password=*,vers=3"),
            ("jdbc:mysql://h/db?user=u&password=${PW}", "jdbc:mysql://h/db?user=u&password=${PW}"),
            ("https://h/?passenger=3&page=2", "https://h/?passenger=3&page=2"),
        ];
        for (text, expected) in cases {
            assert_eq!(masked(text, parameter_spans(text)), expected, "{text}");
        }
    }

    #[test]
    fn chpasswd_pairs() {
        assert_eq!(masked("root:pw", user_password_spans("root:pw")), "root:*");
        assert_eq!(masked("a:x\\nb-c:y", user_password_spans("a:x\\nb-c:y")), "a:*\\nb-c:*");
        assert_eq!(masked("[ec2-user:pw,", user_password_spans("[ec2-user:pw,")), "[ec2-user:*,");
        for not_a_pair in ["expire: false", "user:$PW", "10:30", "/a:b", "list:"] {
            assert_eq!(user_password_span(not_a_pair), None, "{not_a_pair}");
        }
    }

    #[test]
    fn pgpass_lines() {
        assert_eq!(pgpass_span("db.x:5432:shop:shop:pw", true), Some((20, 22)));
        assert_eq!(pgpass_span("*:*:*:postgres:p\\:w", true), Some((15, 19)));
        assert_eq!(pgpass_span("00:11:22:33:44:55", true), None, "a MAC address");
        assert_eq!(pgpass_span("a b:5432:x:y:z", true), None);
        assert_eq!(pgpass_span("a b:5432:x:y:z", false), Some((13, 14)), "inside a .pgpass file anything goes");
        assert_eq!(pgpass_span("h:1:d:u:$PGPW", false), None);
    }
}
