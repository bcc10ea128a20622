//! The variable classes of held-out round 12, each in a fixture of its own
//! (tests/fixtures/apps): the environment read through an indirection. A local name of
//! `process.env` read with CamelCase names, a getter made from `process.env` and a prefix, and
//! Go's `os.Getenv` handed to the code as a function value.

use crate::app_fixtures::{findings, profile as fixture, variable};

/// `const { env } = process;` then `env.Port`, `env.Database`, `env.SigningSecret`: every name
/// read through the alias is a variable, whatever its case. The conditional's third part is
/// the port's default, so the port is known; secrets are judged by the words of a CamelCase
/// name and by a database URL as default.
#[test]
fn camel_case_names_through_an_alias_of_process_env() {
    let app = fixture("node-camelcase-env-alias");
    let port = variable(&app, "Port");
    assert_eq!((port.default.as_deref(), port.secret), (Some("7300"), false));
    assert_eq!(app.port, 7300, "{}", app.port_source);
    assert!(findings(&app, "port-unknown").is_empty(), "{:?}", findings(&app, "port-unknown"));
    let database = variable(&app, "Database");
    assert_eq!(database.source, "config/server.js:7");
    assert!(database.secret, "a database URL carries credentials in production");
    let signing = variable(&app, "SigningSecret");
    assert!(signing.secret && signing.default.is_some(), "its committed default, not shown");
    assert!(variable(&app, "CachePassword").secret);
    let days = variable(&app, "HistoryDays");
    assert_eq!((days.default.as_deref(), days.secret), (Some("30"), false));
    let invite = variable(&app, "InviteOnly");
    assert_eq!((invite.default.as_deref(), invite.secret), (Some("false"), false));
    assert_eq!(variable(&app, "LOG_LEVEL").default.as_deref(), Some("info"));
    let names: Vec<&str> = app.variables.iter().map(|v| v.name.as_str()).collect();
    assert!(!names.contains(&"env"), "{names:?}");
}

/// `const setting = settingsReader(process.env, 'SHELF')`, whose code joins `namespace + '__' +
/// key`: `setting({ key: 'HTTP_PORT', default: 8400 })` reads `SHELF__HTTP_PORT`, with its
/// default, and `setting('DB_PASS')` the secret `SHELF__DB_PASS`.
#[test]
fn keys_read_through_a_prefixed_getter() {
    let app = fixture("node-prefixed-env-getter");
    let port = variable(&app, "SHELF__HTTP_PORT");
    assert_eq!((port.default.as_deref(), port.source.as_str()), (Some("8400"), "src/config.js:7"));
    let url = variable(&app, "SHELF__DATABASE_URL");
    assert!(url.secret && url.default.is_some());
    assert!(variable(&app, "SHELF__DB_PASS").secret);
    let token = variable(&app, "SHELF__TOKEN_SECRET");
    assert!(token.secret && token.default.is_some());
    let issuer = variable(&app, "SHELF__TOKEN_ISSUER");
    assert_eq!(
        (issuer.default.as_deref(), issuer.secret, issuer.source.as_str()),
        (Some("bookshelf"), false, "src/config.js:16")
    );
    assert!(!variable(&app, "SHELF__MAIL_FROM").secret);
    let names: Vec<&str> = app.variables.iter().map(|v| v.name.as_str()).collect();
    assert!(!names.iter().any(|n| ["HTTP_PORT", "DB_PASS", "TOKEN_SECRET"].contains(n)), "{names:?}");
}

/// `cli.Run(os.Args[1:], os.Getenv, os.Environ)` into `lookupEnv func(string) string`: every
/// `lookupEnv("NAME")` is a variable. `PINGER_ECHO_`, matched with `strings.HasPrefix` over
/// `os.Environ()`, starts names and is no variable itself.
#[test]
fn getenv_handed_on_as_a_function_value() {
    let app = fixture("go-getenv-as-value");
    let port = variable(&app, "PINGER_PORT");
    assert_eq!(port.source, "internal/cli/cli.go:46");
    assert!(!variable(&app, "PINGER_ADDR").secret);
    assert!(variable(&app, "PINGER_API_TOKEN").secret);
    let names: Vec<&str> = app.variables.iter().map(|v| v.name.as_str()).collect();
    assert!(!names.contains(&"PINGER_ECHO_"), "{names:?}");
    assert_eq!(app.port, 8070, "{}", app.port_source);
}
