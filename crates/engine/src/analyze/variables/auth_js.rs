//! The variables Auth.js (`next-auth`) reads by itself, though the app's code never names them.
//! Version 5 reads AUTH_SECRET (it refuses to run in production without it), AUTH_URL, and
//! AUTH_TRUST_HOST, and each OAuth provider configured without its own `clientId` reads
//! AUTH_<PROVIDER>_ID and AUTH_<PROVIDER>_SECRET. Version 4 reads NEXTAUTH_SECRET and
//! NEXTAUTH_URL. Where the app's `.env.example` lists the older name of an alias (NEXTAUTH_URL
//! for AUTH_URL), that is the name the app's operators know it by; the optional URL is said
//! only when that file names it.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::VariableRead;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;
use crate::model::Finding;

/// `import GitHub from 'next-auth/providers/github'`.
static PROVIDER_IMPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"import\s+([A-Za-z_$][\w$]*)\s+from\s+['"](?:next-auth|@auth/core)/providers/([a-z0-9-]+)['"]"#)
        .expect("valid pattern")
});
/// Providers that sign in without OAuth credentials of their own.
const WITHOUT_CREDENTIALS: [&str; 6] = ["credentials", "email", "nodemailer", "resend", "passkey", "webauthn"];

/// The major version of `next-auth` the app depends on: 5 for `5.x` and the `beta` tags.
fn next_auth_major(files: &AppFiles) -> Option<u32> {
    let manifest: Value = serde_json::from_str(files.get("package.json")?).ok()?;
    let version = ["dependencies", "devDependencies"]
        .iter()
        .find_map(|section| manifest.pointer(&format!("/{section}/next-auth")))?
        .as_str()?;
    let digits = version.trim_start_matches(|c: char| !c.is_ascii_digit());
    let major = digits.split('.').next().and_then(|m| m.parse().ok());
    Some(if version.contains("beta") { 5 } else { major.unwrap_or(4) })
}

/// The file of the `NextAuth(` call that configures the library, the call's `path:line`, and
/// the file's text.
fn configuration(files: &AppFiles) -> Option<(&str, String, &str)> {
    let mut sources: Vec<(&str, &str)> = files
        .with_extensions(&["ts", "js", "tsx", "jsx", "mjs"])
        .filter(|(path, text)| !is_test_path(path) && !path.contains("node_modules") && text.contains("NextAuth("))
        .collect();
    sources.sort();
    let (path, text) = sources.first()?;
    let line = text.lines().position(|l| l.contains("NextAuth(")).map_or(1, |i| i + 1);
    Some((path, format!("{path}:{line}"), text))
}

/// The names the app's example environment file lists.
fn listed(files: &AppFiles) -> Vec<String> {
    [".env.example", ".env.sample", ".env.local.example", ".env.template"]
        .iter()
        .filter_map(|name| files.get(name))
        .flat_map(|text| text.lines())
        .filter_map(|line| line.trim().trim_start_matches("export ").split_once('=').map(|(n, _)| n.trim().to_string()))
        .collect()
}

/// Every variable Auth.js reads in this app, with the source of its configuration.
pub fn reads(files: &AppFiles) -> Vec<VariableRead> {
    let Some(major) = next_auth_major(files) else { return Vec::new() };
    let Some((path, at, text)) = configuration(files) else { return Vec::new() };
    let listed = listed(files);
    // The older alias when the example file knows the variable only by it.
    let named = |current: &str, older: &str| {
        let older_only = listed.iter().any(|n| n == older) && !listed.iter().any(|n| n == current);
        if older_only { older.to_string() } else { current.to_string() }
    };
    let (secret, url) = match major {
        5.. => (named("AUTH_SECRET", "NEXTAUTH_SECRET"), named("AUTH_URL", "NEXTAUTH_URL")),
        _ => ("NEXTAUTH_SECRET".to_string(), "NEXTAUTH_URL".to_string()),
    };
    // Version 3 reads no secret variable: without its `secret` option it derives a key from a
    // hash of the options, so it starts without one.
    let mut found = Vec::new();
    if major >= 4 {
        found.push(VariableRead::new(secret, &at).required(true));
    }
    // The public URL is optional (the trust-host setting does its work behind a load
    // balancer): said only where the app's example file names it.
    if listed.iter().any(|n| n == "AUTH_URL" || n == "NEXTAUTH_URL") {
        found.push(VariableRead::new(url, &at));
    }
    if major >= 5 {
        found.push(VariableRead::new("AUTH_TRUST_HOST", &at));
        for (provider, id) in implicit_providers(path, text) {
            let prefix = format!("AUTH_{}", id.to_ascii_uppercase().replace('-', "_"));
            found.push(VariableRead::new(format!("{prefix}_ID"), &provider).required(true));
            found.push(VariableRead::new(format!("{prefix}_SECRET"), &provider).required(true));
        }
    }
    found
}

/// The OAuth providers the configuration uses without giving their credentials (`providers:
/// [GitHub]`, `GitHub()`), each with the line that names it and its id (`github`).
fn implicit_providers(path: &str, text: &str) -> Vec<(String, String)> {
    PROVIDER_IMPORT
        .captures_iter(text)
        .filter(|c| !WITHOUT_CREDENTIALS.contains(&&c[2]))
        .filter_map(|c| {
            let name = &c[1];
            let import_end = c.get(0).map_or(0, |m| m.end());
            let used = text[import_end..].find(name).map(|at| import_end + at)?;
            // `GitHub({ clientId: process.env.GH_ID, ... })`: the app names its own variables.
            let call = text[used + name.len()..].trim_start();
            let explicit = call.starts_with('(') && call.chars().take(300).collect::<String>().contains("clientId");
            let line = super::text::line_of(text, used);
            (!explicit).then(|| (format!("{path}:{line}"), c[2].to_string()))
        })
        .collect()
}

/// Auth.js behind a load balancer: outside Vercel it refuses requests whose host it was not
/// told to trust, so the service must set AUTH_TRUST_HOST=true (or AUTH_URL).
pub fn findings(files: &AppFiles) -> Vec<Finding> {
    if next_auth_major(files).is_none_or(|major| major < 5) {
        return Vec::new();
    }
    let Some((_, at, _)) = configuration(files) else { return Vec::new() };
    vec![
        Finding::warning(
            "auth-trust-host",
            "Auth.js trusts the request's host only on Vercel: behind the load balancer its sign-in routes fail with UntrustedHost unless AUTH_TRUST_HOST=true or AUTH_URL is set",
            at,
        )
        .with_fix("set AUTH_TRUST_HOST=true on the service (or AUTH_URL to the service's public URL)"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_five_reads_its_secret_and_each_provider_s_credentials() {
        let auth = "import NextAuth from 'next-auth';\nimport GitHub from 'next-auth/providers/github';\nimport Google from 'next-auth/providers/google';\nimport Credentials from 'next-auth/providers/credentials';\n\nexport const { handlers } = NextAuth({\n  providers: [GitHub, Google({ clientId: process.env.G_ID, clientSecret: process.env.G_SECRET }), Credentials({})]\n});\n";
        let files = AppFiles::from_pairs([
            ("package.json", r#"{"dependencies":{"next":"15.0.0","next-auth":"5.0.0-beta.25"}}"#),
            ("lib/auth.ts", auth),
            (".env.example", "NEXTAUTH_URL=http://localhost:3000\nAUTH_SECRET=\n"),
        ]);
        let found: Vec<(String, bool, String)> =
            reads(&files).into_iter().map(|r| (r.name, r.required, r.source)).collect();
        let expected = [
            ("AUTH_SECRET", true, "lib/auth.ts:6"),
            ("NEXTAUTH_URL", false, "lib/auth.ts:6"),
            ("AUTH_TRUST_HOST", false, "lib/auth.ts:6"),
            ("AUTH_GITHUB_ID", true, "lib/auth.ts:7"),
            ("AUTH_GITHUB_SECRET", true, "lib/auth.ts:7"),
        ];
        assert_eq!(found, expected.map(|(n, r, s)| (n.to_string(), r, s.to_string())));
        assert_eq!(findings(&files).len(), 1);
    }

    #[test]
    fn version_four_reads_the_nextauth_names() {
        let files = AppFiles::from_pairs([
            ("package.json", r#"{"dependencies":{"next-auth":"^4.24.5"}}"#),
            (
                "pages/api/auth/[...nextauth].js",
                "import NextAuth from 'next-auth'\nexport default NextAuth({ providers: [] })\n",
            ),
            (".env.sample", "NEXTAUTH_URL=http://localhost:3000\n"),
        ]);
        let names: Vec<String> = reads(&files).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["NEXTAUTH_SECRET", "NEXTAUTH_URL"]);
        assert!(findings(&files).is_empty(), "version 4 trusts the host it is given");
    }

    #[test]
    fn version_three_reads_no_secret_variable() {
        let files = AppFiles::from_pairs([
            ("package.json", r#"{"dependencies":{"next-auth":"3.29.10"}}"#),
            (
                "pages/api/auth/[...nextauth].js",
                "import NextAuth from 'next-auth'\nexport default NextAuth({ providers: [] })\n",
            ),
            (".env.sample", "NEXTAUTH_URL=http://localhost:3000\n"),
        ]);
        let names: Vec<String> = reads(&files).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["NEXTAUTH_URL"]);
    }
}
