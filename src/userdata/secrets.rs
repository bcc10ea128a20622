//! Recognising secrets in user data and masking them.
//!
//! Masking is deliberately generous: a false positive costs a secret in Secrets Manager, a
//! false negative puts a password on a screen.

/// What every masked secret looks like on screen and in files.
pub const MASK: &str = "••••";

/// Name parts (split on `_`, `-`, `.`) that mark a secret.
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

/// Whether a variable's or option's name says it holds a secret (`DB_PASS`, `api-key`,
/// `aws_secret_access_key`, `--password`).
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.trim_start_matches('-').to_ascii_uppercase();
    let parts: Vec<&str> = upper.split(['_', '-', '.']).filter(|p| !p.is_empty()).collect();
    parts.iter().any(|part| SECRET_PARTS.contains(part)) || (parts.len() > 1 && parts.last() == Some(&"KEY"))
}

/// Byte range of the password inside `scheme://user:password@host`. The last `@` ends it, so
/// passwords holding `/`, `?` or `#` are still found.
fn url_password_span(value: &str) -> Option<(usize, usize)> {
    let scheme_end = value.find("://")? + 3;
    let rest = &value[scheme_end..];
    let at = rest.rfind('@')?;
    let colon = rest[..at].find(':')?;
    if rest[..colon].contains('/') {
        return None;
    }
    let (start, end) = (scheme_end + colon + 1, scheme_end + at);
    (end > start).then_some((start, end))
}

/// A long token that looks machine-made (keys, tokens, hex secrets) rather than a word,
/// host, path or URL.
pub fn looks_random(value: &str) -> bool {
    if value.len() < 24 || value.contains(char::is_whitespace) || value.contains("://") || value.contains('/') {
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

/// Whether an assignment carries a secret: by its name, an embedded URL password, or a value
/// that looks random.
pub fn is_secret(name: &str, value: &str) -> bool {
    !value.is_empty() && (is_secret_name(name) || url_password_span(value).is_some() || looks_random(value))
}

/// User data with every secret value masked, and the names of what held one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub secret_names: Vec<String>,
}

/// Masks secrets line by line: every `NAME=value` on a line (also inside quotes, after
/// `export` or systemd's `Environment=`), values after secret-named options
/// (`--password x`, `aws configure set aws_secret_access_key x`, `mysql -px`), URL passwords
/// anywhere, and whole PEM private key blocks. A URL keeps its host so evidence still matches.
pub fn redact(user_data: &str) -> Redacted {
    let mut secret_names = Vec::new();
    let mut out = String::with_capacity(user_data.len());
    let mut in_private_key = false;
    for line in user_data.split_inclusive('\n') {
        let (body, newline) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        if let Some(at) = body.find("-----BEGIN").filter(|_| body.contains("PRIVATE KEY")) {
            // A key may sit on this very line (a one-line PEM, escaped newlines): keep the
            // marker, mask the rest, and everything until the END line.
            in_private_key = !body[at..].contains("-----END");
            secret_names.push("PRIVATE KEY".to_string());
            let marker_end = body[at + 10..].find("-----").map_or(body.len(), |e| at + 10 + e + 5);
            out.push_str(&body[..marker_end]);
            if marker_end < body.len() {
                out.push_str(MASK);
            }
        } else if in_private_key {
            in_private_key = !body.contains("-----END");
            out.push_str(if in_private_key { MASK } else { body });
        } else {
            out.push_str(&redact_line(body, &mut secret_names));
        }
        out.push_str(newline);
    }
    Redacted { text: out, secret_names }
}

/// One shell word with its byte offset; quotes keep spaces inside one word.
fn words(line: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => {
                quote = Some(c);
                start.get_or_insert(i);
            }
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    words.push((s, &line[s..i]));
                }
            }
            (None, _) => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        words.push((s, &line[s..]));
    }
    words
}

fn redact_line(line: &str, names: &mut Vec<String>) -> String {
    let words = words(line);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    spans.extend(key_value_secrets(line, names));
    if let Some(at) = line.find("Authorization:").or_else(|| line.find("authorization:")) {
        let value_start = at + "Authorization:".len();
        let value = &line[value_start..];
        let end = value.find(['"', '\'']).map_or(line.len(), |e| value_start + e);
        names.push("Authorization".into());
        spans.push((value_start + (value.len() - value.trim_start().len()), end));
    }
    for (index, &(offset, word)) in words.iter().enumerate() {
        let trimmed = word.trim_start_matches(['"', '\'']);
        let lead = word.len() - trimmed.len();
        let unquoted = trimmed.trim_end_matches(['"', '\'']);
        let mut inner = unquoted;
        let mut inner_offset = offset + lead;
        while let Some(rest) = inner.strip_prefix("Environment=").or_else(|| inner.strip_prefix("export=")) {
            inner_offset += inner.len() - rest.len();
            inner = rest;
        }
        if let Some((name, value)) = inner.split_once('=')
            && is_name(name)
        {
            let value = value.trim_matches(['"', '\'']);
            let value_start = inner_offset + inner.find('=').unwrap_or(0) + 1;
            let value_start = value_start + line[value_start..].find(value).unwrap_or(0);
            if let Some((s, e)) = secret_span(name, value) {
                names.push(name.trim_start_matches('-').to_string());
                spans.push((value_start + s, value_start + e));
            }
            continue;
        }
        if let Some((s, e)) = url_password_span(unquoted).or_else(|| url_token_span(unquoted)) {
            spans.push((offset + lead + s, offset + lead + e));
            continue;
        }
        let next = words.get(index + 1);
        let mysql = line.contains("mysql") && unquoted.starts_with("-p") && unquoted.len() > 2;
        if mysql {
            spans.push((offset + lead + 2, offset + lead + unquoted.len()));
        } else if let Some(&(next_offset, next_word)) = next.filter(|_| is_option_name(unquoted)) {
            let value = next_word.trim_matches(['"', '\'']);
            if !value.is_empty() && !value.starts_with('-') {
                names.push(unquoted.trim_start_matches('-').to_string());
                let start = next_offset + next_word.find(value).unwrap_or(0);
                spans.push((start, start + value.len()));
            }
        }
    }
    mask(line, spans)
}

/// `password: x` (YAML) and every `"dbPassword": "x"` (JSON): secret-named keys, values masked.
fn key_value_secrets(line: &str, names: &mut Vec<String>) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    // JSON: "key" : "value", as many as the line holds.
    let mut from = 0;
    while let Some(open) = line[from..].find('"').map(|i| from + i) {
        let Some(close) = line[open + 1..].find('"').map(|i| open + 1 + i) else { break };
        let key = &line[open + 1..close];
        let after = line[close + 1..].trim_start();
        from = close + 1;
        let Some(value_part) = after.strip_prefix(':').map(str::trim_start) else { continue };
        let Some(value_body) = value_part.strip_prefix('"') else { continue };
        let Some(end) = value_body.find('"') else { break };
        let start = line.len() - value_body.len();
        if is_secret_name(&camel_to_snake(key)) && end > 0 && &value_body[..end] != MASK {
            names.push(key.to_string());
            spans.push((start, start + end));
        }
        from = start + end + 1;
    }
    // YAML: key: value, the key first on the line.
    let trimmed = line.trim_start().trim_start_matches("- ");
    if spans.is_empty()
        && !trimmed.starts_with(['{', '"', '#'])
        && let Some(colon) = trimmed.find(':')
    {
        let key = &trimmed[..colon];
        let value = trimmed[colon + 1..].trim().trim_matches(['"', '\'']);
        let plain_key = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if plain_key
            && is_secret_name(&camel_to_snake(key))
            && !value.is_empty()
            && value != MASK
            && let Some(offset) = line.rfind(value)
        {
            names.push(key.to_string());
            spans.push((offset, offset + value.len()));
        }
    }
    spans
}

/// `dbPassword` → `db_Password`, so camel-case keys split into name parts too.
fn camel_to_snake(key: &str) -> String {
    let mut out = String::new();
    for (i, c) in key.chars().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c);
    }
    out
}

/// A token standing alone as a URL's user (`https://ghp_abc@github.com`).
fn url_token_span(value: &str) -> Option<(usize, usize)> {
    let start = value.find("://")? + 3;
    let rest = &value[start..];
    let at = rest.find('@')?;
    let user = &rest[..at];
    (!user.contains([':', '/']) && (looks_random(user) || user.len() >= 20)).then_some((start, start + at))
}

/// The part of a value to mask: all of it for a secret name or random-looking value, only
/// the password for a URL with credentials.
fn secret_span(name: &str, value: &str) -> Option<(usize, usize)> {
    if value.is_empty() || value == MASK {
        return None;
    }
    if is_secret_name(name) || looks_random(value) {
        return Some((0, value.len()));
    }
    url_password_span(value)
}

fn is_name(text: &str) -> bool {
    let text = text.trim_start_matches('-');
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// A secret-named word whose value follows it: `--password`, `aws_secret_access_key`.
fn is_option_name(word: &str) -> bool {
    is_name(word) && is_secret_name(word) && (word.starts_with('-') || word.contains('_'))
}

fn mask(line: &str, mut spans: Vec<(usize, usize)>) -> String {
    spans.sort_unstable();
    spans.dedup();
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    for (start, end) in spans {
        if start < at || end > line.len() || !line.is_char_boundary(start) || !line.is_char_boundary(end) {
            continue;
        }
        out.push_str(&line[at..start]);
        out.push_str(MASK);
        at = end;
    }
    out.push_str(&line[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> String {
        redact(text).text
    }

    #[test]
    fn masks_url_passwords_and_secret_names() {
        let text = "PORT=3000\nDATABASE_URL=postgres://shop:hunter2@db.x:5432/shop\nSESSION_SECRET=abc\n";
        let redacted = redact(text);
        assert_eq!(redacted.text, "PORT=3000\nDATABASE_URL=postgres://shop:••••@db.x:5432/shop\nSESSION_SECRET=••••\n");
        assert_eq!(redacted.secret_names, vec!["DATABASE_URL", "SESSION_SECRET"]);
    }

    #[test]
    fn masks_every_form_a_secret_takes_on_a_line() {
        let cases = [
            (
                "NODE_ENV=production SESSION_SECRET=s3 pm2 start x",
                "NODE_ENV=production SESSION_SECRET=•••• pm2 start x",
            ),
            ("echo \"DB_PASSWORD=pa ss\" >> .env", "echo \"DB_PASSWORD=••••\" >> .env"),
            ("Environment=SESSION_SECRET=xyz", "Environment=SESSION_SECRET=••••"),
            ("docker run -e API_TOKEN=t0k image", "docker run -e API_TOKEN=•••• image"),
            ("mysql -uroot -phunter2 shop", "mysql -uroot -p•••• shop"),
            ("aws configure set aws_secret_access_key wJalr", "aws configure set aws_secret_access_key ••••"),
            ("app --password 'pa ss' --port 80", "app --password '••••' --port 80"),
            ("export db_pass=x", "export db_pass=••••"),
            ("psql postgres://u:p/w?d#x@h:5432/db", "psql postgres://u:••••@h:5432/db"),
            ("REDIS_AUTH=x", "REDIS_AUTH=••••"),
            ("RELEASE=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", "RELEASE=••••"),
            ("  password: hunter2", "  password: ••••"),
            ("{\"dbPassword\": \"hunter2\", \"port\": 5432}", "{\"dbPassword\": \"••••\", \"port\": 5432}"),
            ("curl -H \"Authorization: Bearer abc.def\" https://x", "curl -H \"Authorization: ••••\" https://x"),
            ("git clone https://ghp_0123456789abcdefghijAB@github.com/o/r", "git clone https://••••@github.com/o/r"),
            (
                "KEY=\"-----BEGIN PRIVATE KEY-----MIIEab\\nxyz-----END PRIVATE KEY-----\"",
                "KEY=\"-----BEGIN PRIVATE KEY-----••••",
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(masked(line), expected, "{line}");
        }
    }

    #[test]
    fn masks_private_key_blocks() {
        let text =
            "cat > k.pem <<EOF\n-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\nxyz\n-----END RSA PRIVATE KEY-----\nEOF\n";
        let out = masked(text);
        assert!(!out.contains("MIIEabc") && !out.contains("xyz"), "{out}");
        assert!(out.contains("-----END RSA PRIVATE KEY-----"));
    }

    #[test]
    fn leaves_ordinary_settings_alone_and_is_idempotent() {
        let text = "PORT=3000\nREDIS_URL=redis://cache:6379\nHOME_URL=https://user@example.com/\nUPLOADS_BUCKET=shop-uploads-111122223333\nimage: node:20\n";
        assert_eq!(masked(text), text);
        let once = masked("SESSION_SECRET=abc\nDATABASE_URL=postgres://u:p@h/d\n");
        assert_eq!(masked(&once), once);
    }

    #[test]
    fn names_and_values() {
        assert!(is_secret_name("DB_PASS") && is_secret_name("api-key") && is_secret_name("STRIPE_API_KEY"));
        assert!(!is_secret_name("PASSENGER_COUNT") && !is_secret_name("KEYBOARD") && !is_secret_name("PORT"));
        assert!(!is_secret("REDIS_URL", "redis://cache:6379"));
        assert!(is_secret("X", "postgres://u:p@h/d"));
    }
}
