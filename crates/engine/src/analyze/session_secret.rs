//! A session or cookie secret written into the code (`secret: 'keyboard cat'`, `secret:
//! pkg.name`): whoever reads the repository can sign cookies the app trusts. Only a value the
//! environment or a secret store gives is safe.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::source::is_test_path;
use crate::model::Finding;

/// `const pkg = require('../package.json')`: a name bound to the package manifest.
static MANIFEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*=\s*require\(\s*['"][./]*(?:[^'"]*/)?package(?:\.json)?['"]"#)
        .expect("valid pattern")
});
static IMPORTED_MANIFEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"import\s+([A-Za-z_$][A-Za-z0-9_$]*)\s+from\s+['"][./]*(?:[^'"]*/)?package\.json['"]"#)
        .expect("valid pattern")
});

/// Packages whose sessions are signed with a secret the app gives them.
const SESSION_PACKAGES: [&str; 5] =
    ["express-session", "cookie-session", "@fastify/session", "fastify-session", "fastify-server-session"];

/// How many lines after `session({` its options are looked for in.
const OPTIONS_SPAN: usize = 15;

pub fn findings(files: &AppFiles) -> Vec<Finding> {
    let code = files.with_extensions(&["js", "mjs", "cjs", "ts", "mts", "cts"]).filter(|(path, _)| !is_test_path(path));
    let mut found = Vec::new();
    for (path, text) in code.filter(|(_, t)| SESSION_PACKAGES.iter().any(|package| t.contains(package))) {
        let lines = super::node_imports::live_lines(text);
        let manifests: Vec<String> = lines
            .iter()
            .filter_map(|l| MANIFEST.captures(l).or_else(|| IMPORTED_MANIFEST.captures(l)).map(|c| c[1].to_string()))
            .collect();
        // `session({`, or Fastify's `register(serverSession, {`.
        let opens = |line: &str| line.contains("ession(") || (line.contains("register(") && line.contains("ession"));
        for index in (0..lines.len()).filter(|&i| opens(&lines[i])) {
            let options = index..lines.len().min(index + OPTIONS_SPAN);
            let Some(at) = options.clone().find(|&i| secret_value(&lines[i]).is_some()) else { continue };
            let value = secret_value(&lines[at]).unwrap_or_default();
            if hard_coded(&value, &manifests) {
                found.push(warning(&value, format!("{path}:{}", at + 1)));
            }
        }
    }
    found
}

/// The expression after `secret:` or `keys:` (cookie-session), up to the end of the option.
fn secret_value(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    // fastify-server-session names it `secretKey`.
    let rest = ["secret:", "keys:", "secretKey:"].iter().find_map(|key| trimmed.strip_prefix(key))?;
    Some(rest.trim().trim_end_matches(',').trim().to_string())
}

/// A string literal (or a list of them), or a field of the package manifest.
fn hard_coded(value: &str, manifests: &[String]) -> bool {
    let literals = value.trim_start_matches('[').trim_end_matches(']');
    let literal = !literals.is_empty()
        && literals.split(',').all(|part| {
            let part = part.trim();
            part.len() >= 2
                && ['"', '\'', '`'].iter().any(|q| part.starts_with(*q) && part.ends_with(*q) && !part.contains("${"))
        });
    let root = value.split(['.', '[']).next().unwrap_or("");
    literal || manifests.iter().any(|m| m == root)
}

fn warning(value: &str, at: String) -> Finding {
    Finding::warning(
        "secret-default",
        format!("the session secret is written in the code (`{value}`): anyone with the repository can forge the app's session cookies"),
        at,
    )
    .with_fix("read it from a variable (SESSION_SECRET) that the service fills from a Secrets Manager secret")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_and_manifest_secrets() {
        let app = "const session = require('express-session');\nconst pkg = require('../package.json');\napp.use(session({\n  resave: false,\n  secret: pkg.name,\n}));\n";
        let literal =
            "import session from 'cookie-session';\napp.use(session({ name: 's',\n  keys: ['one', 'two'],\n}));\n";
        let env = "const session = require('express-session');\napp.use(session({\n  secret: process.env.SESSION_SECRET,\n}));\n";
        let files = AppFiles::from_pairs([("config/express.js", app), ("src/cookie.ts", literal), ("src/env.js", env)]);
        let sources: Vec<String> = findings(&files).into_iter().map(|f| f.source).collect();
        assert_eq!(sources, ["config/express.js:5", "src/cookie.ts:3"]);
    }

    #[test]
    fn a_fastify_server_session_key() {
        let app = "import serverSession from 'fastify-server-session'
fastify
  .register(serverSession, {
    secretKey: 'a-long-committed-key',
  })
";
        let sources: Vec<String> =
            findings(&AppFiles::from_pairs([("lib/auth.mjs", app)])).into_iter().map(|f| f.source).collect();
        assert_eq!(sources, ["lib/auth.mjs:4"]);
    }
}
