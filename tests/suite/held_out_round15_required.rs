//! The required-variable and secret classes of held-out round 15, each reproduced in a fixture
//! of its own (tests/fixtures/apps): a variable indexed where a settings class is built, a port
//! parsed from a variable with no fallback, connection strings judged by what they are passed
//! to, committed placeholder keys, and localhost defaults in modules and profiles.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// `os.environ['LEDGER_PROFILE']` inside the arguments of a call in a settings class body runs
/// at import: unset, it raises KeyError before the server starts. It is required, and nothing
/// sets it, so it is a required-env blocker.
#[test]
fn a_subscript_read_in_a_settings_class_call() {
    let app = fixture("python-settings-env-selector");
    let profile = variable(&app, "LEDGER_PROFILE");
    assert!(profile.required, "{profile:?}");
    assert_eq!(profile.source, "ledger/config.py:13");
    let blockers = findings(&app, "required-env");
    assert!(
        blockers.iter().any(|f| f.level == FindingLevel::Blocker && f.message.contains("LEDGER_PROFILE")),
        "{blockers:?}"
    );
}

/// `port: Number(process.env.PORT)` with no fallback: unset, the port is NaN and the server
/// cannot listen, so PORT is required. The service always sets PORT, so it is said as an info
/// that names it; a number that is no port (`BOARD_PAGE_SIZE`) stays optional.
#[test]
fn a_listen_port_parsed_with_no_fallback() {
    let app = fixture("node-hapi-parsed-port");
    let port = variable(&app, "PORT");
    assert!(port.required, "{port:?}");
    assert!(!variable(&app, "BOARD_PAGE_SIZE").required);
    let said = findings(&app, "required-env");
    assert!(
        said.iter().any(|f| f.level == FindingLevel::Info
            && f.message.contains("PORT")
            && f.message.contains("the service sets")
            && f.source == "server.js:7"),
        "{said:?}"
    );
}

/// Connection strings judged by what they are handed to, whatever their names: a config
/// property `mongoose.connect(settings.store.uri)` reaches is secret and required (unset, the
/// connect rejects); a local name handed to `new Redis(...)` is secret, and unset the client
/// connects to localhost. Another object's `uri` is neither.
#[test]
fn connection_strings_judged_by_the_client_they_reach() {
    let app = fixture("node-store-clients-by-use");
    let store = variable(&app, "PARCEL_STORE");
    assert!(store.secret && store.required, "{store:?}");
    assert!(store.why.as_deref().is_some_and(|w| w.contains("database client")), "{store:?}");
    let cache = variable(&app, "PARCEL_CACHE");
    assert!(cache.secret && !cache.required, "{cache:?}");
    let site = variable(&app, "PARCEL_TRACKING_SITE");
    assert!(!site.secret && !site.required, "{site:?}");
    let required = findings(&app, "required-env");
    assert!(required.iter().any(|f| f.level == FindingLevel::Blocker && f.message.contains("PARCEL_STORE")));
    let localhost = findings(&app, "localhost-default-host");
    assert!(localhost.iter().any(|f| f.source == "src/cache.js:3"), "{localhost:?}");
}

/// A signing key whose `else` branch commits a value that announces it is unset still signs
/// with it: a secret-default blocker. A third party's key whose fallback is a stand-in (`test`,
/// `your-...`) forges nothing: a warning that the feature fails, never a blocker.
#[test]
fn an_unset_signing_key_and_placeholder_provider_keys() {
    let app = fixture("python-flask-unset-key-placeholders");
    let signing = findings(&app, "secret-default");
    assert!(
        signing.iter().any(|f| f.level == FindingLevel::Blocker && f.message.contains("JOURNAL_SIGNING_KEY")),
        "{signing:?}"
    );
    for name in ["WEATHER_API_KEY", "GEOCODER_TOKEN"] {
        assert!(!signing.iter().any(|f| f.message.contains(name)), "{name}: {signing:?}");
        let placeholder = findings(&app, "placeholder-key");
        assert!(
            placeholder.iter().any(|f| f.level == FindingLevel::Warning && f.message.contains(name)),
            "{name}: {placeholder:?}"
        );
    }
}

/// `redis.createClient()` with no address connects to localhost:6379: a localhost-default-host
/// blocker at the client, though no variable names the host.
#[test]
fn a_redis_client_created_with_no_address() {
    let app = fixture("node-redis-bare-client");
    let localhost = findings(&app, "localhost-default-host");
    assert!(
        localhost.iter().any(|f| f.level == FindingLevel::Blocker && f.source == "lib/presence.js:4"),
        "{localhost:?}"
    );
}

/// `spring.redis.host: localhost` in the profile application.yml activates by default: the app
/// connects there with nothing set, a localhost-default-host blocker at that line. Spring Boot
/// 2's `spring.redis.host` is an operator's setting, listed as SPRING_REDIS_HOST.
#[test]
fn a_redis_host_on_localhost_in_the_default_profile() {
    let app = fixture("spring-dev-profile-redis-localhost");
    let localhost = findings(&app, "localhost-default-host");
    assert!(
        localhost.iter().any(|f| f.level == FindingLevel::Blocker
            && f.source == "src/main/resources/application-local.yml:3"
            && f.message.contains("spring.redis.host")),
        "{localhost:?}"
    );
    variable(&app, "SPRING_REDIS_HOST");
}

/// A development settings class the config map selects by default (`'default': DevSettings`)
/// is what the app loads with nothing set: its database URL is the running app's variable. The
/// test class's stays the tests'.
#[test]
fn the_development_class_a_config_map_selects_by_default() {
    let app = fixture("python-flask-default-dev-config");
    assert_eq!(variable(&app, "RECIPES_DEV_DB_URL").scope, ferry::model::VariableScope::Runtime);
    let test = app.variables.iter().find(|v| v.name == "RECIPES_TEST_DB_URL");
    assert!(test.is_none_or(|v| v.scope != ferry::model::VariableScope::Runtime), "{test:?}");
}
