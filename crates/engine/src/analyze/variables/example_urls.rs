//! Connection URLs whose example value shows they carry credentials: `.env.example`'s
//! `RMQ_URL=amqp://guest:guest@localhost:5672/` or `QUEUE_URI=mongodb://...`. The name alone
//! (`RMQ_URL`, `NATS_URL`) does not say it, but what the operator writes there is a login: a
//! secret. A plain `http(s)` service URL without credentials stays a plain setting.

use crate::analyze::app_files::AppFiles;
use crate::model::CodeVariable;

/// The example environment files a repository commits at its root.
const EXAMPLE_FILES: [&str; 8] = [
    ".env.example",
    ".env.sample",
    ".env.template",
    ".env.dist",
    "example.env",
    "sample.env",
    "env.example",
    ".env.defaults",
];

/// Schemes of databases and brokers that are reached with a login.
const LOGIN_SCHEMES: [&str; 9] =
    ["amqp", "amqps", "mongodb", "mongodb+srv", "postgres", "postgresql", "mysql", "mariadb", "sqlserver"];

/// Marks as secret each URL-named variable whose example value is a connection URL with
/// credentials in it, or a database's or broker's that is reached with a login.
pub fn mark(files: &AppFiles, variables: &mut [CodeVariable]) {
    for file in EXAMPLE_FILES {
        let Some(text) = files.get(file) else { continue };
        for (index, line) in text.lines().enumerate() {
            let line = line.trim().trim_start_matches("export ");
            let Some((name, value)) = line.split_once('=') else { continue };
            let value = value.trim().trim_matches(['"', '\'']);
            let Some(variable) = variables.iter_mut().find(|v| v.name == name.trim() && !v.secret) else { continue };
            if !names_a_url(&variable.name) {
                continue;
            }
            if let Some(what) = credentials(value) {
                variable.secret = true;
                variable.why = Some(format!("{what} ({file}:{}), which carries credentials", index + 1));
            }
        }
    }
}

/// `RMQ_URL`, `NATS_URI`, `BROKER_DSN`, `DB_CONNECTION_STRING`.
fn names_a_url(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let last = upper.rsplit('_').next().unwrap_or_default();
    matches!(last, "URL" | "URI" | "DSN" | "ADDR" | "ADDRESS") || upper.ends_with("CONNECTION_STRING")
}

/// What the example value is when it carries credentials: a URL with `user:password@`, or a
/// database or broker URL of a scheme reached with a login.
fn credentials(value: &str) -> Option<&'static str> {
    let (scheme, rest) = value.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let login =
        authority.rsplit_once('@').and_then(|(user, _)| user.split_once(':')).is_some_and(|(_, p)| !p.is_empty());
    if login {
        return Some("its example value is a URL with a login in it");
    }
    let scheme = scheme.to_ascii_lowercase();
    let scheme = scheme.split('+').next().filter(|_| scheme != "mongodb+srv").unwrap_or(&scheme);
    LOGIN_SCHEMES.contains(&scheme).then_some("its example value is a database or broker connection URL")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variable(name: &str) -> CodeVariable {
        CodeVariable {
            name: name.into(),
            required: true,
            default: None,
            secret: false,
            why: None,
            scope: crate::model::VariableScope::Runtime,
            build_time: false,
            generated_when_unset: false,
            needed_at_build: false,
            source: "main.go:1".into(),
        }
    }

    #[test]
    fn broker_urls_with_a_login_are_secrets_and_plain_urls_are_not() {
        let example = "QUEUE_URL=amqp://guest:guest@localhost:5672/\nBUS_URL=nats://localhost:4222\nSTORE_URI=\"postgresql+asyncpg://localhost/app\"\nAPI_URL=https://api.example.com\nHOOK_URL=https://user:pw@hooks.example.com\n";
        let files = AppFiles::from_pairs([(".env.example", example)]);
        let mut variables: Vec<CodeVariable> =
            ["QUEUE_URL", "BUS_URL", "STORE_URI", "API_URL", "HOOK_URL"].map(variable).into();
        mark(&files, &mut variables);
        let secret: Vec<&str> = variables.iter().filter(|v| v.secret).map(|v| v.name.as_str()).collect();
        assert_eq!(secret, ["QUEUE_URL", "STORE_URI", "HOOK_URL"]);
        assert!(variables[0].why.as_deref().unwrap().contains(".env.example:1"));
    }
}
