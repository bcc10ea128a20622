//! A database or broker connection string written in the code and handed to the client:
//! `mongoose.connect('mongodb+srv://user:pass@cluster/db')`, or a constant holding it passed to
//! `connect`. No variable changes where the app connects, and a password in it is committed
//! with the repository. The value is never repeated in a finding.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::source::is_test_path;
use crate::model::Finding;

/// A quoted connection URL of a database or broker; group 1 is what follows the scheme.
const URL: &str = r#"['"`](?:mongodb(?:\+srv)?|postgres(?:ql)?|mysql|mariadb|redis|rediss|amqps?)://([^'"`\s$]+)['"`]"#;

/// A client call given the URL itself.
static CONNECT_LITERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:connect|createConnection|createClient|createPool|Sequelize|MongoClient|Pool)\s*\(\s*{URL}"
    ))
    .expect("valid pattern")
});

/// `const CONNECTION_URL = 'mongodb+srv://...'`: group 1 the name, group 2 the rest of the URL.
static NAMED_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*{URL}")).expect("valid pattern")
});

/// The first connection string of the app's code handed to a client: `hard-coded-hosts`, and
/// `secret-default` when it carries a password.
pub fn findings(files: &AppFiles) -> Vec<Finding> {
    let code = files
        .with_extensions(&["js", "mjs", "cjs", "ts", "mts", "cts"])
        .filter(|(path, _)| !is_test_path(path) && !test_support(path))
        // A migration or a script run by hand (`scripts/migrations/x.js`) connects where its
        // author's machine had a database: the server's own connection is read elsewhere.
        .filter(|(path, _)| super::variables::scope_of(path) == crate::model::VariableScope::Runtime);
    let Some((at, credentials)) = code.filter(|(_, text)| text.contains("://")).find_map(|(path, text)| {
        let lines = super::node_imports::live_lines(text);
        let (index, rest) = handed_to_client(&lines)?;
        Some((format!("{path}:{}", index + 1), has_password(&rest)))
    }) else {
        return Vec::new();
    };
    let mut found = vec![
        Finding::blocker(
            "hard-coded-hosts",
            "the database connection string is written in the code: no variable changes where the app connects, so a deployment cannot point it at its own database without a code change",
            at.clone(),
        )
        .with_fix("read the connection string from a variable the service sets, from a Secrets Manager secret"),
    ];
    if credentials {
        found.push(
            Finding::blocker(
                "secret-default",
                "the database connection string written in the code carries a user and password: anyone with the repository has the credential",
                at,
            )
            .with_fix("rotate the password, and read the connection string from a Secrets Manager secret"),
        );
    }
    found
}

/// The 0-based line of the URL handed to a client, and the URL after its scheme.
fn handed_to_client(lines: &[String]) -> Option<(usize, String)> {
    for (index, line) in lines.iter().enumerate() {
        if let Some(found) = CONNECT_LITERAL.captures(line) {
            return Some((index, found[1].to_string()));
        }
        let Some(named) = NAMED_URL.captures(line) else { continue };
        let passed = Regex::new(&format!(
            r"\b(?:connect|createConnection|createClient|createPool|Sequelize|MongoClient|Pool)\s*\(\s*{}\b",
            regex::escape(&named[1])
        ))
        .ok()?;
        if lines.iter().any(|l| passed.is_match(l)) {
            return Some((index, named[2].to_string()));
        }
    }
    None
}

/// A helper of the tests kept among the app's files (`server/util/test-helpers.js`): its
/// database is the test run's.
fn test_support(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    ["test", "spec", "mock", "fixture"].iter().any(|word| name.contains(word))
}

/// `user:pass@host`: a password before the host.
fn has_password(rest: &str) -> bool {
    rest.split_once('@').is_some_and(|(credentials, _)| credentials.split_once(':').is_some_and(|(_, p)| !p.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(files: &[(&str, &str)]) -> Vec<(String, String)> {
        findings(&AppFiles::from_pairs(files.iter().copied())).into_iter().map(|f| (f.kind, f.source)).collect()
    }

    #[test]
    fn a_connection_string_handed_to_the_client() {
        let named = "const DB = 'mongodb+srv://reader:hunter22@cluster0.example.net/app';\nmongoose.connect(DB, {});\n";
        let found = findings(&AppFiles::from_pairs([("server/index.js", named)]));
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| !f.message.contains("hunter22")), "the value is never repeated");
        let direct = "await client.connect('postgres://db.example.net/shop');\n";
        assert_eq!(kinds(&[("db.js", direct)]), [("hard-coded-hosts".to_string(), "db.js:1".to_string())]);
        let unused = "const DOCS = 'mongodb://example.net/docs';\nmongoose.connect(process.env.MONGO_URL);\n";
        assert!(kinds(&[("db.js", unused)]).is_empty(), "a URL no client is given");
        assert!(kinds(&[("server/util/test-helpers.js", direct)]).is_empty(), "the tests' database");
        assert!(kinds(&[("scripts/migrations/rename.js", direct)]).is_empty(), "a script's database");
    }
}
