//! The Node.js failure classes of held-out round 8, each reproduced in a fixture of its own
//! (tests/fixtures/apps): configuration read through declarative stores, required-ness the
//! code enforces without a literal throw, builds whose output cannot start, schema changes at
//! start, HTTPS redirects that fail health checks, hard-coded session secrets, versions stated
//! only in CI, and reads from files only commented-out code loads.

use crate::app_fixtures::{profile as fixture, variable};

use ferry::model::{AppProfile, Finding, FindingLevel};

fn version(profile: &AppProfile) -> (String, String) {
    let runtime = profile.runtime.as_ref().expect("a runtime");
    (runtime.version.clone(), runtime.source.clone())
}

fn finding<'a>(profile: &'a AppProfile, kind: &str) -> &'a Finding {
    let kinds: Vec<&str> = profile.findings.iter().map(|f| f.kind.as_str()).collect();
    profile.findings.iter().find(|f| f.kind == kind).unwrap_or_else(|| panic!("{kind} among {kinds:?}"))
}

/// Class D: a Confidence store got with `process.env` reads its `$param` and `$filter` names;
/// the port is the `$param`'s default, and `host: 'localhost'` in its server section is a
/// loopback bind. Class H: the server loads packages only devDependencies list.
#[test]
fn a_hapi_confidence_manifest() {
    let hapi = fixture("hapi-confidence-manifest");
    let port = variable(&hapi, "LISTEN_PORT");
    assert_eq!((port.default.as_deref(), port.required), (Some("4100"), false));
    assert_eq!(port.source, "server/settings.js:10");
    assert_eq!(variable(&hapi, "DEPLOY_STAGE").source, "server/settings.js:16");
    assert_eq!(hapi.port, 4100, "{}", hapi.port_source);
    assert!(!hapi.findings.iter().any(|f| f.kind == "port-unknown"), "the store states the port");
    let bind = finding(&hapi, "loopback-bind");
    assert_eq!((bind.level, bind.source.as_str()), (FindingLevel::Blocker, "server/settings.js:8"));
    let dev = finding(&hapi, "install-needs-dev-deps");
    assert_eq!(dev.level, FindingLevel::Blocker);
    assert!(dev.message.contains("@hapi/glue") && dev.message.contains("@hapipal/confidence"), "{}", dev.message);
    assert!(!dev.message.contains("@hapi/lab") && !dev.message.contains("@hapi/boom"), "{}", dev.message);
}

/// Class A: dotenv-safe makes every key of its example file required, empty ones included.
/// Class C: a redirect of plain HTTP to HTTPS answers health checks with a redirect. Class L:
/// a session secret taken from package.json. Class J: the CircleCI image's version. Class K:
/// a file only a commented-out require loads is not the app's.
#[test]
fn an_express_app_with_dotenv_safe() {
    let app = fixture("express-dotenv-safe");
    for name in ["LEDGER_DB_URL", "LEDGER_SIGNING_KEY", "MAILER_TOKEN", "REPORT_BUCKET"] {
        assert!(variable(&app, name).required, "{name} is in .env.sample");
    }
    assert_eq!(variable(&app, "MAILER_TOKEN").source, ".env.sample:4");
    assert!(variable(&app, "LEDGER_SIGNING_KEY").secret);
    let required = app.findings.iter().filter(|f| f.kind == "required-env" && f.level == FindingLevel::Blocker);
    assert!(required.clone().any(|f| f.message.contains("MAILER_TOKEN")), "{:?}", app.findings);
    assert!(!variable(&app, "PORT").required, "the code gives PORT a default and the sample does not list it");
    let redirect = finding(&app, "health-check-redirect");
    assert_eq!((redirect.level, redirect.source.as_str()), (FindingLevel::Blocker, "src/middleware/force-tls.js:2"));
    let secret = finding(&app, "secret-default");
    assert_eq!(secret.source, "src/main.js:16");
    assert!(secret.message.contains("pkg.description"), "{}", secret.message);
    assert_eq!(version(&app), ("18".into(), ".circleci/config.yml:5".into()));
    assert!(
        !app.variables.iter().any(|v| v.name.starts_with("ARCHIVE_")),
        "src/storage/archive.js is loaded only by a commented-out require"
    );
}

/// Class H: plain tsc keeps `paths` aliases, which the compiled start cannot resolve. Class A:
/// a throw when dotenv finds no `.env`; a passport-jwt key read through ConfigService. Class B:
/// TypeORM `synchronize: true`. Class J: the GitLab CI image's version.
#[test]
fn a_typescript_service_with_aliases() {
    let app = fixture("ts-aliased-build");
    assert_eq!(app.start_command, ["node", "out/index.js"]);
    let broken = finding(&app, "start-command-broken");
    assert_eq!((broken.level, broken.source.as_str()), (FindingLevel::Blocker, "src/db.ts:2"));
    assert!(broken.message.contains("tsconfig.json:8"), "{}", broken.message);
    let env_file = finding(&app, "env-file-required");
    assert_eq!((env_file.level, env_file.source.as_str()), (FindingLevel::Blocker, "src/config/index.ts:4"));
    assert!(env_file.fix.as_deref().is_some_and(|fix| fix.contains(".env")), "{:?}", env_file.fix);
    let key = variable(&app, "TOKEN_VERIFY_KEY");
    assert!(key.required && key.secret, "passport-jwt throws at boot without its key: {key:?}");
    let sync = finding(&app, "migrations-at-start");
    assert_eq!(sync.source, "src/db.ts:8");
    assert!(sync.message.contains("synchronize"), "{}", sync.message);
    assert_eq!(version(&app), ("20".into(), ".gitlab-ci.yml:2".into()));
}
