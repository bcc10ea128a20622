//! Round 18's precision audit of the Node.js apps of rounds 9 to 13 (helper p): claims read
//! from a settings file's shape rather than from what the running app gets.

use crate::app_fixtures::{findings, profile as fixture, variable};

/// node-config's `get` throws only for a key that is absent: a setting whose value is an empty
/// list or `null` in `config/default.json` is set, so neither the "config.get throws" blocker
/// nor a required `NODE_CONFIG` is claimed.
#[test]
fn node_config_settings_holding_empty_lists_or_null_are_set() {
    let app = fixture("koa-node-config-empty-lists");
    assert!(findings(&app, "required-env").is_empty(), "{:?}", app.findings);
    assert!(!variable(&app, "NODE_CONFIG").required);
}

/// A `confidence` settings object picks a value per environment: with NODE_ENV=production the
/// database URL is `process.env.MONGO_URL`, so the `test` and `$default` localhost URLs are
/// no hard-coded host of the running app.
#[test]
fn branches_of_an_environment_filter_production_does_not_take_are_left() {
    let app = fixture("hapi-confidence-env-filter");
    assert!(findings(&app, "hard-coded-hosts").is_empty(), "{:?}", app.findings);
    assert!(!app.findings.iter().any(|f| f.level == ferry::model::FindingLevel::Blocker), "{:?}", app.findings);
}

/// `if (!process.env.TOKEN_KEY) process.env.TOKEN_KEY = randomBytes(...)`: the app starts
/// without the key, so no required-env blocker says it cannot; the per-process-secret warning
/// says what breaks (each task signs with a key of its own).
#[test]
fn a_key_the_app_generates_when_unset_is_no_blocker() {
    let app = fixture("express-generated-signing-key");
    assert!(findings(&app, "required-env").is_empty(), "{:?}", app.findings);
    let generated = findings(&app, "per-process-secret");
    assert_eq!(generated.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["lib/key.js:6"]);
    assert!(variable(&app, "TOKEN_KEY").secret);
}

/// `process.env.BUCKET_SECRET_KEY || 'xxxxxx'`: a blank of x's for the operator to fill in
/// signs nothing and opens nothing, so no committed-secret blocker is claimed.
#[test]
fn a_blank_of_xs_is_no_committed_secret() {
    let app = fixture("express-blank-key-default");
    assert!(findings(&app, "secret-default").is_empty(), "{:?}", app.findings);
    assert!(variable(&app, "BUCKET_SECRET_KEY").secret);
}

/// next-auth 3 reads no secret variable (without a `secret` option it derives its key from
/// the options), so no NEXTAUTH_SECRET is listed or required.
#[test]
fn next_auth_three_reads_no_secret_variable() {
    let app = fixture("next-auth-v3-options-secret");
    assert!(!app.variables.iter().any(|v| v.name == "NEXTAUTH_SECRET"), "{:?}", app.variables);
    assert!(
        !findings(&app, "required-env").iter().any(|f| f.message.contains("NEXTAUTH_SECRET")),
        "{:?}",
        app.findings
    );
}
