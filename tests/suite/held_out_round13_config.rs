//! The configuration classes of held-out round 13, each reproduced in a fixture of its own
//! (tests/fixtures/apps): a JSON schema of the environment kept in its own module and checked
//! by the old `fastify-env` plugin, an env-file loader wrapping the start command, and the
//! code of a separately built browser bundle or of a `t/` test folder, which is not the server's.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::VariableScope;

/// `fastify-env` registered with a schema imported from `settings/env-shape.js`: each key is a
/// variable, required when the schema's `required` list names it.
#[test]
fn a_json_env_schema_imported_by_the_old_fastify_env_plugin() {
    let app = fixture("fastify-legacy-env-cmd");
    let store = variable(&app, "STORE_URL");
    assert!(store.required && store.scope == VariableScope::Runtime, "{store:?}");
    assert_eq!(store.source, "settings/env-shape.js:8");
    assert!(variable(&app, "SESSION_KEY").required);
    // A cache's URL may carry its password (`redis://:pass@host`): a secret, whose committed
    // default is not shown.
    let cache = variable(&app, "CACHE_URL");
    assert_eq!((cache.required, cache.secret, cache.default.is_some()), (false, true, true), "{cache:?}");
}

/// `env-cmd dev.env fastify start app.js`: env-cmd would let the committed file override the
/// service's variables, so the container runs fastify without it, and a warning names the file
/// and what it would have set.
#[test]
fn an_env_file_loader_is_dropped_from_the_start() {
    let app = fixture("fastify-legacy-env-cmd");
    assert_eq!(app.start_command, ["npx", "fastify", "start", "app.js"]);
    let said = findings(&app, "env-file-defaults");
    assert!(said.iter().any(|f| f.message.contains("dev.env") && f.message.contains("STORE_URL")), "{said:?}");
}

/// A CRA front end in `web/` (its own package.json building with react-scripts) and a tap
/// helper in `t/` read variables the server never reads.
#[test]
fn browser_bundle_and_test_folder_reads_are_not_the_servers() {
    let app = fixture("fastify-legacy-env-cmd");
    for name in ["BUILD_MODE", "ASSET_ROOT", "E2E_BROWSER"] {
        assert_eq!(variable(&app, name).scope, VariableScope::Tooling, "{name}");
    }
}

/// node-config with `config/default.json` gitignored and no custom-environment-variables file:
/// `config.get('storeUri')` throws at start. A blocker names the keys and the two fixes, and
/// NODE_CONFIG, which must then carry them, is required and secret.
#[test]
fn node_config_keys_no_shipped_file_sets() {
    let app = fixture("express-node-config-ignored");
    let blocker = findings(&app, "required-env")
        .into_iter()
        .find(|f| f.message.contains("config.get throws"))
        .expect("a blocker on the missing keys");
    assert!(blocker.message.contains("storeUri") && blocker.message.contains("tokenSecret"), "{}", blocker.message);
    assert!(blocker.message.contains("config/default.json is gitignored"), "{}", blocker.message);
    assert_eq!(blocker.source, "config/store.js:5");
    assert!(
        blocker.fix.as_deref().is_some_and(|f| f.contains("NODE_CONFIG") && f.contains("custom-environment-variables"))
    );
    let node_config = variable(&app, "NODE_CONFIG");
    assert!(node_config.required && node_config.secret, "{node_config:?}");
}
