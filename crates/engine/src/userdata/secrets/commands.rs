//! Passwords that commands take on their command line or standard input: `curl -u user:pw`,
//! `mysql -ppw`, `sshpass -p pw`, `docker login -p pw`, `htpasswd -b file user pw`,
//! `echo user:pw | chpasswd`, and any secret-named option (`--password pw`). Options are read
//! per command, so a `-p` is a password only for the programs that mean one by it.

use super::names::{is_reference, takes_secret_value};
use super::shell::{Pipeline, Word, pipelines, unquote};
use super::values::{Span, user_password_spans};

/// Which part of an option's value is the secret.
#[derive(Debug, Clone, Copy)]
enum Part {
    Whole,
    /// `user:password`: the user stays visible.
    AfterColon,
    /// `user%password` (Samba).
    AfterPercent,
    /// `pass:password` (OpenSSL); `env:VAR` and `file:PATH` only point at one.
    AfterPassPrefix,
}

/// One way a program takes a secret as an option's value.
struct OptionRule {
    programs: &'static [&'static str],
    /// The option counts only after this subcommand: `docker login -p`, not `docker run -p`.
    subcommand: Option<&'static str>,
    options: &'static [&'static str],
    /// Whether the value may be the next word; otherwise only `-pVALUE` counts (for MySQL,
    /// `-p VALUE` asks for the password and names a database).
    separate: bool,
    part: Part,
}

const MYSQL: &[&str] = &[
    "mysql",
    "mysqldump",
    "mysqladmin",
    "mysqlimport",
    "mysqlshow",
    "mysqlcheck",
    "mysqlpump",
    "mariadb",
    "mariadb-dump",
    "mariadb-admin",
];
const REGISTRY_CLIS: &[&str] = &["docker", "podman", "buildah", "skopeo", "nerdctl", "finch"];
const LDAP: &[&str] = &["ldapsearch", "ldapadd", "ldapmodify", "ldapdelete", "ldapwhoami", "ldappasswd", "ldapcompare"];
const MONGO: &[&str] = &["mongo", "mongosh", "mongodump", "mongorestore", "mongoexport", "mongoimport", "mongofiles"];

const fn rule(programs: &'static [&'static str], options: &'static [&'static str], part: Part) -> OptionRule {
    OptionRule { programs, subcommand: None, options, separate: true, part }
}

const RULES: &[OptionRule] = &[
    rule(&["curl"], &["-u", "--user", "-U", "--proxy-user"], Part::AfterColon),
    rule(&["curl"], &["--oauth2-bearer"], Part::Whole),
    rule(&["wget"], &["--password", "--http-password", "--ftp-password", "--proxy-password"], Part::Whole),
    OptionRule { programs: MYSQL, subcommand: None, options: &["-p"], separate: false, part: Part::Whole },
    OptionRule {
        programs: REGISTRY_CLIS,
        subcommand: Some("login"),
        options: &["-p", "--password"],
        separate: true,
        part: Part::Whole,
    },
    OptionRule { programs: &["az"], subcommand: Some("login"), options: &["-p"], separate: true, part: Part::Whole },
    rule(&["redis-cli"], &["-a", "--pass"], Part::Whole),
    rule(&["sshpass"], &["-p"], Part::Whole),
    rule(&["useradd", "usermod"], &["-p", "--password"], Part::Whole),
    rule(LDAP, &["-w"], Part::Whole),
    rule(&["ldappasswd"], &["-a", "-s"], Part::Whole),
    rule(&["sqlcmd", "bcp"], &["-P"], Part::Whole),
    rule(MONGO, &["-p", "--password"], Part::Whole),
    rule(&["smbclient", "rpcclient"], &["-U", "--user"], Part::AfterPercent),
    rule(&["openssl"], &["-passin", "-passout", "-pass"], Part::AfterPassPrefix),
    rule(&["openssl"], &["-k"], Part::Whole),
    rule(&["ssh-keygen"], &["-N", "-P"], Part::Whole),
];

/// Programs that read a password (not a `user:password` pair) from standard input, with the
/// option that makes them do so (`None`: they always do).
const STDIN_READERS: &[(&str, Option<&str>)] = &[
    ("passwd", None),
    ("htpasswd", Some("-i")),
    ("sudo", Some("-S")),
    ("sudo", Some("--stdin")),
    ("docker", Some("--password-stdin")),
    ("podman", Some("--password-stdin")),
    ("helm", Some("--password-stdin")),
];

/// Every secret the line's commands carry, found word by word.
pub(super) fn command_spans(words: &[Word<'_>], names: &mut Vec<String>) -> Vec<Span> {
    let mut spans = secret_named_options(words, names);
    for pipeline in pipelines(words) {
        spans.extend(fed_on_stdin(&pipeline, names));
        for command in &pipeline {
            spans.extend(option_rules(command, names));
            spans.extend(positional_secrets(command, names));
        }
    }
    spans
}

/// Whether a command runs `program` with `option` (or at all, for `None`).
fn runs(command: &[Word<'_>], program: &str, option: Option<&str>) -> bool {
    command.iter().any(|w| w.program() == program)
        && option.is_none_or(|option| command.iter().any(|w| w.text == option))
}

/// Whether a command reads `user:password` pairs on standard input.
fn reads_pairs(command: &[Word<'_>]) -> bool {
    runs(command, "chpasswd", None)
}

/// Whether a command reads a password on standard input.
fn reads_password(command: &[Word<'_>]) -> bool {
    STDIN_READERS.iter().any(|(program, option)| runs(command, program, *option))
}

/// Whether a line's commands read `user:password` pairs on standard input, so a heredoc it
/// opens holds them.
pub(super) fn feeds_pairs(words: &[Word<'_>]) -> bool {
    pipelines(words).iter().flatten().any(|c| reads_pairs(c))
}

/// Whether a line's commands read a password on standard input, so a heredoc it opens holds
/// one.
pub(super) fn feeds_password(words: &[Word<'_>]) -> bool {
    pipelines(words).iter().flatten().any(|c| reads_password(c))
}

/// The span of `part` of a value found at `start`, unless the value only refers to a secret.
fn value_span(start: usize, raw: &str, part: Part) -> Option<Span> {
    let (start, value) = unquote(start, raw);
    if value.is_empty() || is_reference(value) {
        return None;
    }
    let secret_from = match part {
        Part::Whole => 0,
        Part::AfterColon => value.find(':')? + 1,
        Part::AfterPercent => value.find('%')? + 1,
        Part::AfterPassPrefix => value.strip_prefix("pass:").map(|_| 5)?,
    };
    let secret = &value[secret_from..];
    (!secret.is_empty() && !is_reference(secret)).then_some((start + secret_from, start + value.len()))
}

/// `--password x`, `--client-secret=x`, `aws configure set aws_secret_access_key x`: a
/// secret-named option (a dash in front or an underscore inside) and the word after it.
fn secret_named_options(words: &[Word<'_>], names: &mut Vec<String>) -> Vec<Span> {
    let mut spans = Vec::new();
    for (index, word) in words.iter().enumerate() {
        let (_, text) = word.unquoted();
        let plain = text.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
        if !plain || !(text.starts_with('-') || text.contains('_')) || !takes_secret_value(text) {
            continue;
        }
        // INI's `key = value` has the value after the `=` word.
        let after = if words.get(index + 1).is_some_and(|w| w.text == "=") { index + 2 } else { index + 1 };
        let Some(next) = words.get(after) else { continue };
        if next.is_option() || next.text.starts_with(['>', '<', '|', ';', '&']) {
            continue;
        }
        if let Some(span) = value_span(next.start, next.text, Part::Whole) {
            names.push(text.trim_start_matches('-').to_string());
            spans.push(span);
        }
    }
    spans
}

/// The option rules of the programs in one command.
fn option_rules(command: &[Word<'_>], names: &mut Vec<String>) -> Vec<Span> {
    let mut spans = Vec::new();
    for rule in RULES {
        let Some(program_at) = command.iter().rposition(|w| rule.programs.contains(&w.program())) else { continue };
        let from = match rule.subcommand {
            None => program_at + 1,
            Some(sub) => match command[program_at + 1..].iter().position(|w| w.text == sub) {
                Some(at) => program_at + at + 2,
                None => continue,
            },
        };
        for index in from..command.len() {
            let (start, text) = command[index].unquoted();
            for option in rule.options {
                let value = if text == *option && rule.separate {
                    command.get(index + 1).map(|next| (next.start, next.text))
                } else if option.len() == 2 && text.len() > 2 && text.starts_with(option) && !text.starts_with("--") {
                    Some((start + 2, &text[2..]))
                } else if option.len() > 2 && text.len() > option.len() + 1 && text.starts_with(option) {
                    text[option.len()..].strip_prefix('=').map(|v| (start + option.len() + 1, v))
                } else if option.len() == 2 && rule.separate && is_flag_cluster_ending_in(text, option) {
                    // `curl -sSu user:pw`: flags run together, the last one takes the value.
                    command.get(index + 1).map(|next| (next.start, next.text))
                } else {
                    None
                };
                if let Some(span) = value.and_then(|(at, raw)| value_span(at, raw, rule.part)) {
                    names.push(format!("{} {option}", command[program_at].program()));
                    spans.push(span);
                }
            }
        }
    }
    spans
}

/// `-sSu`: single-letter flags run together, ending in `option`'s letter.
fn is_flag_cluster_ending_in(text: &str, option: &str) -> bool {
    let Some(cluster) = text.strip_prefix('-') else { return false };
    cluster.len() > 1
        && !cluster.starts_with('-')
        && cluster.chars().all(|c| c.is_ascii_alphabetic())
        && cluster.ends_with(&option[1..])
}

/// Secrets that are plain arguments: `htpasswd -b FILE USER PASSWORD` (`-nb USER PASSWORD`),
/// `rabbitmqctl add_user USER PASSWORD`, `vault login TOKEN`.
fn positional_secrets(command: &[Word<'_>], names: &mut Vec<String>) -> Vec<Span> {
    let mut spans = Vec::new();
    let arguments = |from: usize| -> Vec<Word<'_>> {
        let mut found = Vec::new();
        let mut skip_value = false;
        for word in &command[from..] {
            if std::mem::take(&mut skip_value) {
                continue;
            }
            let (_, text) = word.unquoted();
            if text.starts_with(['>', '<']) || text.starts_with("2>") {
                break;
            }
            if word.is_option() {
                // htpasswd's cost and rounds options take a number.
                skip_value = text == "-C" || text == "-r";
                continue;
            }
            found.push(*word);
        }
        found
    };
    let mut push = |word: Option<&Word<'_>>, label: &str| {
        if let Some(span) = word.and_then(|w| value_span(w.start, w.text, Part::Whole)) {
            names.push(label.to_string());
            spans.push(span);
        }
    };
    if let Some(at) = command.iter().rposition(|w| w.program() == "htpasswd") {
        let flags: String = command[at + 1..]
            .iter()
            .filter(|w| w.is_option() && !w.text.starts_with("--"))
            .flat_map(|w| w.text.chars().skip(1))
            .collect();
        if flags.contains('b') {
            let index = if flags.contains('n') { 1 } else { 2 };
            push(arguments(at + 1).get(index), "htpasswd");
        }
    }
    if let Some(at) = command.iter().rposition(|w| w.program() == "rabbitmqctl")
        && let Some(sub) = command[at + 1..]
            .iter()
            .position(|w| matches!(w.text, "add_user" | "change_password" | "authenticate_user"))
    {
        push(arguments(at + sub + 2).get(1), "rabbitmqctl");
    }
    if let Some(at) = command.iter().rposition(|w| w.program() == "vault")
        && let Some(sub) = command[at + 1..].iter().position(|w| w.text == "login")
    {
        push(arguments(at + sub + 2).first().filter(|w| !w.text.contains('=')), "vault login");
    }
    spans
}

/// Secrets a pipeline feeds a program on standard input: the `user:password` pairs `echo`
/// hands to `chpasswd`, the password `echo` hands to `passwd --stdin`, `sudo -S`,
/// `docker login --password-stdin`; and the same given as a here-string (`<<< "root:pw"`).
fn fed_on_stdin(pipeline: &Pipeline<'_>, names: &mut Vec<String>) -> Vec<Span> {
    let mut spans = Vec::new();
    let pairs = pipeline.iter().any(|c| reads_pairs(c));
    if !pairs && !pipeline.iter().any(|c| reads_password(c)) {
        return spans;
    }
    for command in pipeline {
        let writer = command.first().is_some_and(|w| matches!(w.program(), "echo" | "printf"));
        let after_here_string = command.iter().position(|w| w.text == "<<<").map(|at| at + 1);
        for (index, word) in command.iter().enumerate() {
            let fed = (writer && index > 0) || after_here_string.is_some_and(|from| index >= from);
            if !fed || word.is_option() {
                continue;
            }
            let (start, text) = word.unquoted();
            if pairs {
                for (s, e) in user_password_spans(text) {
                    spans.push((start + s, start + e));
                }
            } else if !text.contains('%') {
                spans.extend(value_span(word.start, word.text, Part::Whole));
            }
        }
    }
    if !spans.is_empty() {
        names.push(if pairs { "chpasswd" } else { "password on standard input" }.to_string());
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::super::shell::words;
    use super::*;

    fn masked(line: &str) -> String {
        let mut spans = command_spans(&words(line), &mut Vec::new());
        spans.sort_unstable();
        let mut out = line.to_string();
        for (start, end) in spans.into_iter().rev() {
            out.replace_range(start..end, "*");
        }
        out
    }

    #[test]
    fn options_are_read_per_program() {
        let cases = [
            ("curl -u admin:pw https://h", "curl -u admin:* https://h"),
            ("curl -sSu admin:pw https://h", "curl -sSu admin:* https://h"),
            ("curl --user=admin:pw https://h", "curl --user=admin:* https://h"),
            ("curl -uadmin:pw https://h", "curl -uadmin:* https://h"),
            ("curl -u \"$USER:$PASS\" https://h", "curl -u \"$USER:$PASS\" https://h"),
            ("curl -u admin https://h", "curl -u admin https://h"),
            ("mysql -uroot -ppw shop", "mysql -uroot -p* shop"),
            ("mysql -uroot -p shop", "mysql -uroot -p shop"),
            ("mysql -p\"pa ss\" shop", "mysql -p\"*\" shop"),
            ("docker run -p 8080:80 -u 1000:1000 img", "docker run -p 8080:80 -u 1000:1000 img"),
            ("docker login -u AWS -p pw 1.dkr.ecr", "docker login -u AWS -p * 1.dkr.ecr"),
            (
                "docker login -u AWS -p $(aws ecr get-login-password) r",
                "docker login -u AWS -p $(aws ecr get-login-password) r",
            ),
            ("redis-cli -h cache -a pw ping", "redis-cli -h cache -a * ping"),
            ("sshpass -p pw ssh u@h", "sshpass -p * ssh u@h"),
            ("sshpass -ppw ssh u@h", "sshpass -p* ssh u@h"),
            ("sudo -u ec2-user id", "sudo -u ec2-user id"),
            ("smbclient //h/s -U alice%pw", "smbclient //h/s -U alice%*"),
            ("openssl pkcs12 -passout pass:pw -passin env:X", "openssl pkcs12 -passout pass:* -passin env:X"),
            ("useradd -m -p 'hash' deploy", "useradd -m -p '*' deploy"),
            ("ldapsearch -x -D cn=admin -w pw", "ldapsearch -x -D cn=admin -w *"),
            ("sqlcmd -S h -U sa -P pw", "sqlcmd -S h -U sa -P *"),
            ("psql -h db -p 5432 -U shop", "psql -h db -p 5432 -U shop"),
        ];
        for (line, expected) in cases {
            assert_eq!(masked(line), expected, "{line}");
        }
    }

    #[test]
    fn secret_named_options_take_the_next_word() {
        assert_eq!(masked("app --password 'pa ss' --port 80"), "app --password '*' --port 80");
        assert_eq!(masked("aws configure set aws_secret_access_key wJ"), "aws configure set aws_secret_access_key *");
        assert_eq!(
            masked("aws secretsmanager get-secret-value --secret-id prod/db"),
            "aws secretsmanager get-secret-value --secret-id prod/db"
        );
        assert_eq!(masked("docker login --password-stdin reg"), "docker login --password-stdin reg");
        assert_eq!(masked("app --token $TOKEN"), "app --token $TOKEN");
        assert_eq!(masked("aws_secret_access_key = wJ"), "aws_secret_access_key = *");
        assert_eq!(masked("redis-cli --no-auth-warning ping"), "redis-cli --no-auth-warning ping");
    }

    #[test]
    fn arguments_that_are_secrets() {
        let cases = [
            ("htpasswd -b /etc/nginx/.htpasswd admin pw", "htpasswd -b /etc/nginx/.htpasswd admin *"),
            ("htpasswd -bc f admin pw", "htpasswd -bc f admin *"),
            ("htpasswd -B -C 10 -b f admin pw", "htpasswd -B -C 10 -b f admin *"),
            ("htpasswd -nb admin pw > f", "htpasswd -nb admin * > f"),
            ("htpasswd -c f admin", "htpasswd -c f admin"),
            ("rabbitmqctl add_user app pw", "rabbitmqctl add_user app *"),
            ("vault login s.abc", "vault login *"),
            ("vault login -method=userpass username=u", "vault login -method=userpass username=u"),
        ];
        for (line, expected) in cases {
            assert_eq!(masked(line), expected, "{line}");
        }
    }

    #[test]
    fn what_is_fed_on_standard_input() {
        let cases = [
            ("echo 'root:pw' | chpasswd", "echo 'root:*' | chpasswd"),
            ("echo \"ec2-user:pw\" | sudo chpasswd -c SHA512", "echo \"ec2-user:*\" | sudo chpasswd -c SHA512"),
            ("printf 'a:x\\nb:y\\n' | chpasswd", "printf 'a:*\\nb:*\\n' | chpasswd"),
            ("chown a:b f && echo a:pw | chpasswd", "chown a:b f && echo a:* | chpasswd"),
            ("chpasswd <<< 'root:pw'", "chpasswd <<< 'root:*'"),
            ("echo \"$U:$P\" | chpasswd", "echo \"$U:$P\" | chpasswd"),
            ("echo 'pw' | passwd --stdin ec2-user", "echo '*' | passwd --stdin ec2-user"),
            ("echo pw | sudo -S yum update", "echo * | sudo -S yum update"),
            ("echo -n pw | docker login -u u --password-stdin r", "echo -n * | docker login -u u --password-stdin r"),
            ("echo hello | tee f", "echo hello | tee f"),
        ];
        for (line, expected) in cases {
            assert_eq!(masked(line), expected, "{line}");
        }
    }
}
