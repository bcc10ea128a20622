//! Round 19's held-out AdonisJS app (helper a): the environment read through Adonis's own
//! provider, the port and host its framework listens on, the `.env` file Adonis 4 needs, and
//! the settings of a driver the config does not select.

use crate::app_fixtures::{findings, profile as fixture, variable};

/// `const Env = use('Env')`, `Env.get('X', default)`, `Env.getOrFail('X')`: every name is a
/// variable, with its default; `getOrFail` is required, and `APP_KEY` a secret.
#[test]
fn adonis_4_env_provider_reads_are_variables() {
    let app = fixture("adonis4-env-provider");
    let title = variable(&app, "NOTES_TITLE");
    assert_eq!((title.default.as_deref(), title.required), (Some("Notes"), false));
    let key = variable(&app, "APP_KEY");
    assert!(key.required && key.secret, "{key:?}");
    assert_eq!(key.source, "config/app.js:7");
    assert!(variable(&app, "DB_PASSWORD").secret);
    assert!(!variable(&app, "SIGNUP_OPEN").required);
    assert_eq!(variable(&app, "DB_USER").default.as_deref(), Some("notes"));
    // `Env.get('DB_CONNECTION', 'pg')` names one of the config's connections, not a URL.
    let connection = variable(&app, "DB_CONNECTION");
    assert!(!connection.secret, "{connection:?}");
    assert_eq!(connection.default.as_deref(), Some("pg"));
}

/// Adonis 5/6: `start/env.ts` validates its schema at boot (a key is required unless
/// `.optional()`), and `env.get('X', default)` from `#start/env` reads the rest.
#[test]
fn adonis_6_env_schema_keys_and_reads_are_variables() {
    let app = fixture("adonis6-env-schema");
    let domain = variable(&app, "LINKS_DOMAIN");
    assert!(domain.required, "{domain:?}");
    assert_eq!(domain.source, "start/env.ts:7");
    assert!(variable(&app, "APP_KEY").required && variable(&app, "APP_KEY").secret);
    assert!(!variable(&app, "MAILER_TOKEN").required);
    assert_eq!(variable(&app, "SHORT_LENGTH").default.as_deref(), Some("7"));
    assert_eq!(app.port, 3333, "{}", app.port_source);
}

/// The framework's server listens on `PORT` (3333 by default) and, in Adonis 4, on `HOST`,
/// `localhost` by default: the port is 3333, not an assumed 8080, and the service binds every
/// interface with `HOST=0.0.0.0`.
#[test]
fn adonis_listens_on_3333_and_the_service_sets_host() {
    let app = fixture("adonis4-env-provider");
    assert_eq!(app.port, 3333, "{}", app.port_source);
    assert!(findings(&app, "port-unknown").is_empty(), "{:?}", app.findings);
    let host = app.env.iter().find(|e| e.name == "HOST").expect("HOST is set on the service");
    assert_eq!(host.value.as_deref(), Some("0.0.0.0"));
    let said = findings(&app, "loopback-bind");
    assert_eq!(said.len(), 1, "{:?}", app.findings);
    assert_eq!(said[0].level, ferry::model::FindingLevel::Info);
    // Adonis 6 binds every interface by default: nothing to set.
    assert!(fixture("adonis6-env-schema").env.iter().all(|e| e.name != "HOST"));
}

/// Adonis 4's env provider throws at start without a `.env` file, which the image leaves out,
/// unless `ENV_SILENT=true`: the service sets it. Adonis 6 needs no such thing.
#[test]
fn adonis_4_starts_without_a_dotenv_file() {
    let app = fixture("adonis4-env-provider");
    let silent = app.env.iter().find(|e| e.name == "ENV_SILENT").expect("ENV_SILENT is set");
    assert_eq!(silent.value.as_deref(), Some("true"));
    assert_eq!(findings(&app, "env-file").len(), 1);
    assert!(fixture("adonis6-env-schema").env.iter().all(|e| e.name != "ENV_SILENT"));
}

/// `driver: Env.get('SESSION_DRIVER', 'cookie')` beside `cookie`, `file` and `redis` blocks:
/// the redis block's `host: '127.0.0.1'` is used only once the operator picks redis, so it is
/// no hard-coded-hosts blocker.
#[test]
fn hosts_of_a_driver_the_config_does_not_select_are_no_finding() {
    let app = fixture("adonis4-env-provider");
    assert!(findings(&app, "hard-coded-hosts").is_empty(), "{:?}", app.findings);
}
