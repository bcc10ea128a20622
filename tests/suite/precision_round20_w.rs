//! Round 20's precision audit of public Node.js TypeScript servers (helper w): claims a
//! reading of the code contradicts. A Joi key both required and defaulted said to fall back,
//! a zod schema a Nest `registerAs` factory parses at boot said to be parsed only on demand
//! (and a multi-line zod key that lost its default), underscore-prefixed probe routes not
//! taken for health routes, and a Nest global prefix applied only when its setting is set
//! hiding every controller route, a login in a middleware list below the path missed, and
//! Fastify given an options object built elsewhere said to bind localhost.

use crate::app_fixtures::{findings, profile as fixture, variable};

/// `Joi.string().required().default('2h')`: Joi fills the default in but keeps the
/// `any.required` error, and the app throws on it. The variable is required with no default,
/// and a port only such a dead default names is no disagreement with the image's port.
#[test]
fn a_joi_key_required_and_defaulted_is_required() {
    let app = fixture("express-joi-required-default");
    let ttl = variable(&app, "SESSION_TTL");
    assert!(ttl.required, "{ttl:?}");
    assert_eq!(ttl.default, None, "{ttl:?}");
    assert!(!variable(&app, "GREETING").required, "a Joi default alone still falls back");
    assert!(findings(&app, "port-disagreement").is_empty(), "{:?}", app.findings);
    assert_eq!(app.port, 8081, "{}", app.port_source);
    let blockers: Vec<&str> = findings(&app, "required-env")
        .iter()
        .filter(|f| f.level == ferry::model::FindingLevel::Blocker)
        .map(|f| f.source.as_str())
        .collect();
    assert_eq!(blockers, ["src/settings.ts:7", "src/settings.ts:9"], "{:?}", app.findings);
}

/// `registerAs('tokens', () => Schema.parse(process.env))`: ConfigModule runs the factory at
/// boot, so keys with no `.optional()` or `.default()` are required; a key whose
/// `z.preprocess(...)` spans lines keeps the `.default(false)` below it.
#[test]
fn a_zod_schema_a_nest_factory_parses_is_checked_at_boot() {
    let app = fixture("nest-zod-register-as");
    for name in ["CRYPTO_KEY", "ISSUER_NAME"] {
        assert!(variable(&app, name).required, "{name}: {:?}", variable(&app, name));
    }
    let verbose = variable(&app, "VERBOSE_AUDIT");
    assert!(!verbose.required, "{verbose:?}");
    assert_eq!(verbose.default.as_deref(), Some("false"), "{verbose:?}");
    assert!(!variable(&app, "LINK_LIFETIME").required);
}

/// `/_alive`, `/v2/_readiness`: the underscore keeps the probe out of the API's paths, the
/// word is still a health word. It is chosen over an API route, and no finding says the code
/// has no health route.
#[test]
fn an_underscore_prefixed_probe_is_a_health_route() {
    let app = fixture("express-underscore-health");
    assert_eq!(app.health_check_path, "/v2/_readiness", "{}", app.health_source);
    assert_eq!(app.health_source, "src/api.ts:8");
    assert!(findings(&app, "no-health-route").is_empty(), "{:?}", app.findings);
}

/// `if (server.ROUTE_PREFIX) { app.setGlobalPrefix(server.ROUTE_PREFIX) }` with the setting
/// optional and no fallback: unset, the controllers answer at the root, so the health
/// controller is found and no finding says the code has none.
#[test]
fn a_global_prefix_set_only_with_its_setting_leaves_routes_at_the_root() {
    let app = fixture("nest-optional-global-prefix");
    assert_eq!(app.health_check_path, "/healthz", "{}", app.health_source);
    assert!(app.health_source.starts_with("src/status/status.controller.ts"), "{}", app.health_source);
    assert!(findings(&app, "no-health-route").is_empty(), "{:?}", app.findings);
}

/// `web.get('/profile', [ passport.authenticate('jwt'), ], handler)`: the middleware list
/// runs over the lines below the path, and it asks for a login. The route is not offered as
/// one "no login guards in its declaration"; the open `/articles` is.
#[test]
fn a_login_in_a_middleware_list_below_the_path_guards_the_route() {
    let app = fixture("express-array-middleware-guard");
    assert_eq!(app.health_check_path, "/articles", "{}", app.health_source);
    assert!(findings(&app, "no-health-route").iter().all(|f| !f.message.contains("/profile")), "{:?}", app.findings);
}

/// `app.listen(settings.server)`: one argument, an object another file fills with `host` and
/// `port`. It is no positional port, so no loopback blocker is claimed.
#[test]
fn fastify_listen_given_an_options_object_built_elsewhere_is_no_loopback() {
    let app = fixture("fastify-listen-options-object");
    assert!(findings(&app, "loopback-bind").is_empty(), "{:?}", app.findings);
}
