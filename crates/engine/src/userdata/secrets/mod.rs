//! Recognising secrets in user data and masking them.
//!
//! Masking is deliberately generous: a false positive costs a secret in Secrets Manager, a
//! false negative puts a password on a screen. Only the secret part is masked: user names,
//! hosts and commands stay, so a reviewer still sees what the script does and evidence still
//! matches hosts. A reference (`$DB_PASS`, `$(cat /run/secrets/db)`) holds no secret and stays.
//!
//! One job a module: [`names`] judges names and lone values, [`shell`] splits lines into words
//! and commands, [`values`] finds the secret inside one value, [`commands`] and [`keyvalue`]
//! read command lines and key/value files, [`line`] merges what one line holds, and [`blocks`]
//! follows what spans lines (private keys, heredocs, cloud-config).

mod blocks;
mod commands;
mod keyvalue;
mod line;
mod names;
mod shell;
mod values;

pub use names::{is_secret_name, looks_random};

/// What every masked secret looks like on screen and in files.
pub const MASK: &str = "••••";

/// Whether an assignment carries a secret: by its name, a value that looks random, or a value
/// that holds one (a URL with a password, a connection string's password parameter...).
pub fn is_secret(name: &str, value: &str) -> bool {
    !value.is_empty()
        && (is_secret_name(name) || looks_random(value) || !line::line_spans(value, &mut Vec::new()).is_empty())
}

/// User data with every secret value masked, and the names of what held one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    /// The user data with each secret replaced by [`MASK`].
    pub text: String,
    /// What held each secret: variable and option names, `PRIVATE KEY`, `chpasswd`...
    pub secret_names: Vec<String>,
}

/// Masks every secret in user data: assignments and options with secret names, passwords
/// that commands take (`curl -u`, `mysql -p`, `sshpass -p`, `chpasswd` input...), credentials
/// in URLs and connection strings, key/value files, and whole PEM private key blocks.
pub fn redact(user_data: &str) -> Redacted {
    let mut secret_names = Vec::new();
    let mut out = String::with_capacity(user_data.len());
    let mut reader = blocks::Reader::default();
    for line in user_data.split_inclusive('\n') {
        let (body, newline) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        // A Windows line end stays on the line, outside any secret.
        let (body, carriage) = body.strip_suffix('\r').map_or((body, ""), |b| (b, "\r"));
        match reader.line(body, &mut secret_names) {
            blocks::Masked::Spans(spans) => out.push_str(&line::mask(body, spans)),
            blocks::Masked::RestFrom(keep) => {
                out.push_str(&body[..keep]);
                if keep < body.len() {
                    out.push_str(MASK);
                }
            }
            blocks::Masked::Whole => out.push_str(MASK),
        }
        out.push_str(carriage);
        out.push_str(newline);
    }
    Redacted { text: out, secret_names }
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
            ("mysql -uroot -phunter2 shop", "mysql -uroot -p•••• shop"),
            ("aws configure set aws_secret_access_key wJalr", "aws configure set aws_secret_access_key ••••"),
            ("app --password 'pa ss' --port 80", "app --password '••••' --port 80"),
            ("export db_pass=x", "export db_pass=••••"),
            ("psql postgres://u:p/w?d#x@h:5432/db", "psql postgres://u:••••@h:5432/db"),
            ("REDIS_AUTH=x", "REDIS_AUTH=••••"),
            ("RELEASE=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", "RELEASE=••••"),
            ("docker run -e API_TOKEN=t0k image", "docker run -e API_TOKEN=•••• image"),
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
    fn masks_what_heredocs_feed_and_write() {
        let text = "chpasswd <<'EOF'\nroot:pw1\nec2-user:pw 2\nEOF\nroot:x\n\
                    cat > ~/.pgpass <<PG\ndb:5432:shop:shop:pw3\nPG\n\
                    passwd --stdin app <<IN\npw4\nIN\n";
        assert_eq!(
            masked(text),
            "chpasswd <<'EOF'\nroot:••••\nec2-user:••••\nEOF\nroot:x\n\
             cat > ~/.pgpass <<PG\ndb:5432:shop:shop:••••\nPG\n\
             passwd --stdin app <<IN\n••••\nIN\n",
            "pairs end with their heredoc"
        );
    }

    #[test]
    fn masks_cloud_config_chpasswd() {
        let text = "#cloud-config\nchpasswd:\n  expire: false\n  list: |\n    root:pw1\n    ubuntu:pw2\n  users:\n  \
                    - {name: admin, password: pw3, type: text}\n  - name: ops\n    password: pw4\nruncmd:\n  - echo a:b\n\
                    other:\n  chpasswd: {list: \"root:pw5\\nubuntu:pw6\", expire: false}\n";
        let out = masked(text);
        for secret in ["pw1", "pw2", "pw3", "pw4", "pw5", "pw6"] {
            assert!(!out.contains(secret), "{secret} in\n{out}");
        }
        for kept in ["expire: false", "root:••••", "ubuntu:••••", "name: admin", "name: ops", "- echo a:b"]
        {
            assert!(out.contains(kept), "{kept} kept in\n{out}");
        }
    }

    #[test]
    fn masks_cloud_config_a_script_writes() {
        let text = "cat > /etc/cloud/cloud.cfg.d/99-users.cfg <<'CFG'\nchpasswd:\n  list: |\n    root:pw1\n  expire: false\nCFG\necho done:ok\n";
        assert_eq!(
            masked(text),
            "cat > /etc/cloud/cloud.cfg.d/99-users.cfg <<'CFG'\nchpasswd:\n  list: |\n    root:••••\n  expire: false\nCFG\necho done:ok\n"
        );
    }

    #[test]
    fn keeps_line_ends() {
        assert_eq!(masked("DB_PASSWORD=x\r\nPORT=1\r\n"), "DB_PASSWORD=••••\r\nPORT=1\r\n");
    }

    #[test]
    fn leaves_ordinary_settings_alone_and_is_idempotent() {
        let text = "PORT=3000\nREDIS_URL=redis://cache:6379\nHOME_URL=https://user@example.com/\nUPLOADS_BUCKET=shop-uploads-111122223333\nimage: node:20\n\
                    docker run -p 8080:80 -u 1000:1000 app\nchown ec2-user:ec2-user /opt/app\nsudo -u app psql -p 5432\n";
        assert_eq!(masked(text), text);
        let once = masked("SESSION_SECRET=abc\nDATABASE_URL=postgres://u:p@h/d\necho root:pw | chpasswd\n");
        assert_eq!(masked(&once), once);
    }

    #[test]
    fn values_that_hold_secrets_are_secrets() {
        assert!(!is_secret("REDIS_URL", "redis://cache:6379"));
        assert!(is_secret("X", "postgres://u:p@h/d"));
        assert!(is_secret("JDBC_URL", "jdbc:mysql://h/db?user=u&password=p"));
        assert!(is_secret("DB_PASSWORD", "$DB_PASSWORD"), "a secret's name decides, whatever the value");
        assert!(!is_secret("X", "postgres://u:$PW@h/d"));
    }
}
