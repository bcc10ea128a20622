//! What a Go server sets up for itself at every start and keeps to its own process: session
//! cookies signed with a key made up at start (`securecookie.GenerateRandomKey` handed to a
//! gorilla session store or to `csrf.Protect`), and schema migrations it runs before serving
//! (goose, golang-migrate). Each task makes its own key, so a login on one task is a stranger
//! on the next; each task migrates, so tasks starting together race on the schema.

use super::EXTENSIONS;
use super::code::without_comment;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;
use crate::model::Finding;

/// Calls that make up a random key in the process.
const RANDOM_KEYS: [&str; 2] = ["securecookie.GenerateRandomKey(", "rand.Read("];

/// Calls that sign or encrypt cookies with the key they are given.
const COOKIE_SIGNERS: [&str; 4] = ["NewCookieStore(", "securecookie.New(", "csrf.Protect(", "NewFilesystemStore("];

/// Calls that migrate the schema: goose's and golang-migrate's.
const MIGRATORS: [(&str, &str); 4] = [
    ("goose.Up(", "goose"),
    ("goose.RunMigrations", "goose"),
    ("goose.UpContext(", "goose"),
    ("m.Up()", "golang-migrate"),
];

/// The findings, each said once, at the line that makes the key or runs the migrations.
pub(super) fn findings(files: &AppFiles, findings: &mut Vec<Finding>) {
    let mut key_said = false;
    let mut migrations_said = findings.iter().any(|f| f.kind == "migrations-at-start");
    for (path, text) in files.with_extensions(&EXTENSIONS) {
        if is_test_path(path) || path.starts_with("vendor/") {
            continue;
        }
        let lines: Vec<&str> = text.lines().map(without_comment).collect();
        for (index, code) in lines.iter().enumerate() {
            let at = format!("{path}:{}", index + 1);
            if !key_said && RANDOM_KEYS.iter().any(|call| code.contains(call)) && signs_cookies(&lines, index) {
                key_said = true;
                findings.push(random_cookie_key(at.clone()));
            }
            let migrator = MIGRATORS.iter().find(|(call, _)| code.contains(call));
            let golang_migrate = |name: &&str| *name != "golang-migrate" || text.contains("golang-migrate/migrate");
            if let Some((_, name)) = migrator.filter(|(_, name)| golang_migrate(name))
                && !migrations_said
            {
                migrations_said = true;
                findings.push(crate::analyze::readiness::migrations_at_start(name, at));
            }
        }
    }
}

/// Whether the random key on line `index` goes to a cookie signer: on the same call, on one
/// opened at most three lines above (`sessions.NewCookieStore(` then the keys, one a line), or
/// one that takes the key a few lines below (`rand.Read(key)`, then `NewCookieStore(key)`).
fn signs_cookies(lines: &[&str], index: usize) -> bool {
    let end = (index + 4).min(lines.len());
    lines[index.saturating_sub(3)..end].iter().any(|line| COOKIE_SIGNERS.iter().any(|call| line.contains(call)))
}

fn random_cookie_key(at: String) -> Finding {
    Finding::blocker(
        "in-memory-sessions",
        "signs session cookies with a key made up at every start: each task has its own, so a user sent to another task is logged out, and every restart logs everyone out",
        at,
    )
    .with_fix("read the signing key from a secret (Secrets Manager) shared by every task")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut found = Vec::new();
        findings(&AppFiles::from_pairs(pairs.iter().copied()), &mut found);
        found.into_iter().map(|f| (f.kind, f.source)).collect()
    }

    #[test]
    fn a_store_signed_with_a_random_key_and_goose_at_start() {
        let session =
            "package web\n\nvar Store = sessions.NewCookieStore(\n\t[]byte(securecookie.GenerateRandomKey(64)),\n)\n";
        let models = "package models\n\nfunc Setup() error {\n\treturn goose.Up(db, \"migrations\")\n}\n";
        let found = kinds(&[("web/session.go", session), ("models/setup.go", models)]);
        assert!(found.contains(&("in-memory-sessions".into(), "web/session.go:4".into())), "{found:?}");
        assert!(found.contains(&("migrations-at-start".into(), "models/setup.go:4".into())), "{found:?}");
    }

    #[test]
    fn a_random_token_for_a_user_signs_no_cookie() {
        let api = "package api\n\nfunc token() []byte {\n\tb := make([]byte, 32)\n\trand.Read(b)\n\treturn b\n}\n";
        assert!(kinds(&[("api/token.go", api)]).is_empty());
    }
}
