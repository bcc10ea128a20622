//! Round 21's leftovers about variables and addresses: sample payloads that name someone's
//! hosts, a host setting that only builds links, template-built names read through a helper,
//! a config table of items, and defaults that are themselves variables.

use crate::app_fixtures::{findings, profile_of_files};

const PACKAGE: &str =
    r#"{"name":"hooks","dependencies":{"express":"4.19.2"},"scripts":{"start":"node src/server.js"}}"#;

/// A trigger's sample event (a module that only exports a literal) names the hosts of whoever
/// captured it: no connection the app makes. A client's literal address still is one, and a
/// `HOST` that only builds the app's URL, never handed to `listen`, is no bind.
#[test]
fn sample_payloads_and_a_link_only_host_are_not_the_apps_hosts() {
    let sample = "// what the service posts\nexport default {\n  kind: 'build',\n  project: {\n    web_url: 'http://10.20.0.7:3000/team/site',\n    ssh_url: 'git@192.168.9.4:team/site.git',\n  },\n};\n";
    let trigger = "import sample from './build_event.js';\nexport default { key: 'build', sample };\n";
    let config = "const host = process.env.HOST || 'localhost';\nconst port = process.env.PORT || '3000';\nexport default { host, port, url: `http://${host}:${port}` };\n";
    let server = "import express from 'express';\nimport config from './config/app.js';\nimport billing from './billing.js';\nconst app = express();\napp.listen(config.port);\n";
    let billing = "const billing = fetch('http://10.0.12.40:8081/charge');\nexport default billing;\n";
    let profile = profile_of_files(&[
        ("package.json", PACKAGE),
        ("src/apps/forge/triggers/build/build_event.js", sample),
        ("src/apps/forge/triggers/build/index.js", trigger),
        ("src/config/app.js", config),
        ("src/billing.js", billing),
        ("src/server.js", server),
    ]);
    let addresses: Vec<&str> = findings(&profile, "hard-coded-address").iter().map(|f| f.source.as_str()).collect();
    assert_eq!(addresses, ["src/billing.js:1"], "only the address the app calls");
    assert!(findings(&profile, "loopback-bind").is_empty(), "{:?}", findings(&profile, "loopback-bind"));
}

/// A helper that builds the name it reads (`` process.env[`${override}_${name}`] ``, then
/// `` `${PREFIX}_${name}` ``) reads the names it builds, never the call's bare literal.
#[test]
fn a_name_built_by_a_helper_is_never_cut_to_its_tail() {
    let redis = "const PREFIX = \"SHOP_REDIS\";\n\nconst readRedisEnv = (name, overridePrefix = null) => {\n  if (overridePrefix) {\n    const override = process.env[`${overridePrefix}_${name}`];\n    if (override) return override;\n  }\n  return process.env[`${PREFIX}_${name}`];\n};\n\nfunction options(overridePrefix) {\n  return {\n    host: readRedisEnv(\"HOST\", overridePrefix),\n    password: readRedisEnv(\"PASSWORD\", overridePrefix),\n  };\n}\nmodule.exports = { options };\n";
    let index = "const express = require('express');\nconst { options } = require('./redis');\nconsole.log(options('QUEUE'));\nexpress().listen(process.env.PORT || 4019);\n";
    let package = r#"{"name":"cb","dependencies":{"express":"4.19.2"},"scripts":{"start":"node index.js"}}"#;
    let profile = profile_of_files(&[("package.json", package), ("redis.js", redis), ("index.js", index)]);
    let mut names: Vec<&str> = profile.variables.iter().map(|v| v.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["PORT", "SHOP_REDIS_HOST", "SHOP_REDIS_PASSWORD"]);
}

/// A config table of items (`{ key, envVar, default }`) that the config module walks, reading
/// `env[envVar]`: each item is a variable with its default, and the port item is the port.
#[test]
fn a_config_tables_items_are_its_variables() {
    let items = "module.exports = [\n  {\n    key: 'port',\n    envVar: 'SHOP_PORT',\n    default: 4100,\n  },\n  {\n    key: 'theme',\n    envVar: 'SHOP_THEME',\n    default: 'light',\n  },\n  { key: 'token', envVar: 'SHOP_API_TOKEN', default: '' },\n];\n";
    let store = "const items = require('./items');\nfunction fromEnv(env) {\n  const out = {};\n  for (const item of items) {\n    const { key, envVar } = item;\n    if (env[envVar]) out[key] = env[envVar];\n  }\n  return out;\n}\nmodule.exports = fromEnv(process.env);\n";
    let server =
        "const express = require('express');\nconst config = require('./lib/store');\nexpress().listen(config.port);\n";
    let package = r#"{"name":"shop","dependencies":{"express":"4.19.2"},"scripts":{"start":"node server.js"}}"#;
    let profile = profile_of_files(&[
        ("package.json", package),
        ("lib/items.js", items),
        ("lib/store.js", store),
        ("server.js", server),
    ]);
    let variable = |name: &str| profile.variables.iter().find(|v| v.name == name);
    assert_eq!(variable("SHOP_THEME").and_then(|v| v.default.as_deref()), Some("light"));
    assert_eq!(variable("SHOP_API_TOKEN").map(|v| v.source.as_str()), Some("lib/items.js:12"));
    assert_eq!((profile.port, profile.port_source.as_str()), (4100, "lib/items.js:4"));
}

/// A random key the code falls back to only outside production (it throws in production when
/// the real secret is missing) is no per-task key: a task without the secret stops instead.
#[test]
fn a_fallback_key_refused_in_production_is_no_per_task_key() {
    let store = "import crypto from 'crypto';\nconst SPARE_KEY = crypto.randomBytes(32).toString('hex');\nexport class StateStore {\n  constructor(secret) {\n    if (!secret) {\n      if (process.env.NODE_ENV === 'production') {\n        throw new Error('a shared secret is required');\n      }\n    }\n    this.secret = secret || SPARE_KEY;\n  }\n}\n";
    let server = "import express from 'express';\nimport { StateStore } from './state.js';\nnew StateStore(process.env.STATE_SECRET);\nexpress().listen(3000);\n";
    let package =
        r#"{"name":"st","type":"module","dependencies":{"express":"4.19.2"},"scripts":{"start":"node src/server.js"}}"#;
    let app = |store: &str| {
        profile_of_files(&[("package.json", package), ("src/state.js", store), ("src/server.js", server)])
    };
    assert!(findings(&app(store), "per-process-secret").is_empty());
    let always = store.replace("throw new Error('a shared secret is required');", "console.warn('no secret');");
    assert_eq!(findings(&app(&always), "per-process-secret").len(), 1, "used in production too, it is per task");
}
