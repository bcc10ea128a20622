//! The failure classes held-out real applications showed in what an app reads and what a second
//! task would break: variables, secrets and readiness findings, each reproduced in a fixture of
//! its own (tests/fixtures/apps): what a platform engineer reading that code would write.

use crate::app_fixtures::files as fixture;
use ferry::analyze::analyze_folder;
use ferry::model::PackageManager;

/// Variables read without their names in a read: every option of an ini file that a
/// configparser interpolation fills from the environment; fields a class-validator class
/// refuses empty. A host setting handed to `listen` on loopback is a blocker.
#[test]
fn variables_the_code_reads_without_naming_them() {
    let flask = analyze_folder(&fixture("flask-ini-environment"));
    let variable = |profile: &ferry::model::AppProfile, name: &str| {
        profile.variables.iter().find(|v| v.name == name).cloned().unwrap_or_else(|| panic!("{name} is read"))
    };
    let secret = variable(&flask, "SECRET_KEY");
    assert_eq!((secret.secret, secret.source.as_str()), (true, "scoreboard/config.ini:3"));
    assert_eq!(variable(&flask, "SESSION_COOKIE_SAMESITE").default.as_deref(), Some("Lax"));
    assert!(variable(&flask, "MAIL_PASSWORD").secret);

    let koa = analyze_folder(&fixture("koa-validated-environment"));
    assert!(variable(&koa, "SECRET_KEY").required, "@Length(64, 64) refuses the empty fallback");
    assert!(variable(&koa, "URL").required, "@IsNotEmpty");
    assert!(!variable(&koa, "CDN_URL").required, "@IsOptional");
    assert!(variable(&koa, "DATABASE_URL").required, "Prisma's datasource url");
    assert!(!variable(&koa, "SHADOW_DATABASE_URL").required, "only `prisma migrate dev` reads it");
    assert!(variable(&koa, "SMTP_URL").required, "checked at the top of a module and thrown on");
    // HOST reaches the listen call (server/index.js:9): the service sets it to every interface.
    let bind = koa.findings.iter().find(|f| f.kind == "loopback-bind").expect("HOST defaults to localhost");
    assert_eq!(bind.level, ferry::model::FindingLevel::Info, "{}", bind.message);
    assert!(koa.env.iter().any(|e| e.name == "HOST" && e.value.as_deref() == Some("0.0.0.0")), "{:?}", koa.env);
}

#[test]
fn the_settings_file_the_image_copies() {
    let wiki = analyze_folder(&fixture("node-settings-template"));
    assert_eq!(wiki.port, 3000, "not 80 from the Heroku branch: {}", wiki.port_source);
    let names: Vec<&str> = wiki.variables.iter().map(|v| v.name.as_str()).collect();
    for name in ["DB_TYPE", "DB_HOST", "DB_PASS", "HEROKU"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let pass = wiki.variables.iter().find(|v| v.name == "DB_PASS").unwrap();
    assert!(pass.secret && pass.source == "dev/build/config.yml:6", "{pass:?}");
    assert_eq!(wiki.health_check_path, "/healthz");
}

/// Round 4 of the held-out applications: configuration read through libraries (koanf's env
/// provider over the config file the image copies, nconf's `__` separator), ports the code
/// writes (a `||` chain's last literal, a constant) before a framework's own (Sails' 1337),
/// routes behind a group's login middleware, and state a second task would not share.
#[test]
fn configuration_through_libraries_and_what_a_second_task_misses() {
    let variable = |profile: &ferry::model::AppProfile, name: &str| {
        profile.variables.iter().find(|v| v.name == name).cloned().unwrap_or_else(|| panic!("{name} is read"))
    };
    let finding = |profile: &ferry::model::AppProfile, kind: &str| {
        profile.findings.iter().find(|f| f.kind == kind).cloned().unwrap_or_else(|| panic!("{kind} is found"))
    };
    let koanf = analyze_folder(&fixture("go-koanf-config"));
    let address = variable(&koanf, "LETTERS_app__address");
    assert_eq!(
        (address.default.as_deref(), address.source.as_str()),
        (Some("localhost:9000"), "config.toml.sample:3"),
        "the Dockerfile copies the sample into place"
    );
    assert!(koanf.env.iter().any(|e| e.name == "LETTERS_app__address" && e.value.as_deref() == Some("0.0.0.0:9000")));
    assert!(variable(&koanf, "LETTERS_db__password").secret);
    assert_eq!(finding(&koanf, "secret-default").source, "config.toml.sample:9");
    assert_eq!(finding(&koanf, "localhost-default-host").source, "config.toml.sample:6");
    assert_eq!(koanf.health_check_path, "/health", "/api/health sits behind the group's auth middleware");

    let nconf = analyze_folder(&fixture("node-nconf-sockets"));
    assert_eq!((nconf.port, nconf.port_source.as_str()), (4567, "loader.js:7"));
    assert!(variable(&nconf, "mongo__password").secret, "nconf.get('mongo:password') reads mongo__password");
    assert_eq!(finding(&nconf, "in-memory-pubsub").source, "src/server.js:4");

    let sails = analyze_folder(&fixture("sails-env-sample"));
    assert_eq!(sails.port, 1337, "Sails' own default: {}", sails.port_source);
    let copied = finding(&sails, "env-file-defaults");
    assert_eq!(copied.source, "Dockerfile:5");
    assert!(copied.message.contains("SECRET_KEY (.env.sample:4)"), "{}", copied.message);
    assert_eq!(finding(&sails, "in-memory-pubsub").source, "config/env/production.js:8");

    let nest = analyze_folder(&fixture("nest-constant-port"));
    assert_eq!((nest.port, nest.port_source.as_str()), (3333, "src/main.ts:8"), "the constant, not Nest's 3000");
    assert_eq!(variable(&nest, "HOST").default.as_deref(), Some("0.0.0.0"));
    assert_eq!(finding(&nest, "scheduler").source, "src/cron.service.ts:6");
}

/// Held-out round 5: "required" is what start needs, files production never loads are not
/// evidence, security deny lists are no addresses, and secret names by what they hold.
#[test]
fn what_start_needs_and_what_production_loads() {
    let node = analyze_folder(&fixture("node-optional-features"));
    let variable = |profile: &ferry::model::AppProfile, name: &str| {
        profile.variables.iter().find(|v| v.name == name).cloned().unwrap_or_else(|| panic!("{name} is read"))
    };
    assert!(variable(&node, "DATABASE_URL").required, "a schema parsed at import");
    assert!(!variable(&node, "GITHUB_CLIENT_ID").required, "a sign-in provider is offered when configured");
    assert!(!variable(&node, "SLACK_CLIENT_SECRET").required, "the Slack schema is parsed only when Slack is used");
    assert_eq!(variable(&node, "VERSION").scope, ferry::model::VariableScope::Tooling, "a release script");
    assert!(variable(&node, "INIT_ADMIN_API_TOKENS").secret && variable(&node, "LDAP_BIND_PW").secret);
    assert!(
        !variable(&node, "AUTH_ENABLE_API_TOKEN").secret && !variable(&node, "PASSWORD_RESET_LIMIT_PER_MINUTE").secret
    );
    let blockers: Vec<(&str, &str)> = node
        .findings
        .iter()
        .filter(|f| f.level == ferry::model::FindingLevel::Blocker)
        .map(|f| (f.kind.as_str(), f.source.as_str()))
        .collect();
    assert_eq!(blockers, [("required-env", "src/env.ts:4")]);
    assert!(
        !node.findings.iter().any(|f| f.kind == "hard-coded-address" || f.kind == "instance-metadata"),
        "an SSRF deny list calls nothing: {:?}",
        node.findings
    );

    let django = analyze_folder(&fixture("django-dev-settings"));
    let secret = variable(&django, "SECRET_KEY");
    assert_eq!((secret.default.as_deref(), secret.source.as_str()), (None, "mysite/settings/base.py:4"));
    let kinds: Vec<(&str, &str)> = django
        .findings
        .iter()
        .filter(|f| f.level == ferry::model::FindingLevel::Blocker)
        .map(|f| (f.kind.as_str(), f.source.as_str()))
        .collect();
    // Production loads base.py, whose SECRET_KEY is None without the variable: Django refuses
    // an empty key, so that is a requirement (development.py's default is not production's).
    assert_eq!(
        kinds,
        [("sqlite", "mysite/settings/base.py:11"), ("required-env", "mysite/settings/base.py:4")],
        "not development.py, the example, nor the database's volume"
    );
}

/// Round 6: an app's own `SECRET_` prefix says nothing of what a value is; a committed `.env`
/// the image copies and Prisma loads sets what it names; the runtime the image ships wins over
/// a package.json that only builds its client.
#[test]
fn prefixes_committed_env_files_and_the_shipped_runtime() {
    let prefixed = analyze_folder(&fixture("prefixed-secrets-committed-env"));
    let variable = |name: &str| prefixed.variables.iter().find(|v| v.name == name).unwrap_or_else(|| panic!("{name}"));
    for setting in ["SECRET_PORT", "SECRET_LOCAL_HOSTNAME", "SECRET_ROOT_USER", "SECRET_MAX_FILE_SIZE"] {
        assert!(!variable(setting).secret, "{setting} is a setting under the app's prefix");
    }
    for secret in ["SECRET_JWT_SECRET", "SECRET_ROOT_PASSWORD"] {
        assert!(variable(secret).secret, "{secret}");
    }
    let database = variable("SECRET_DATABASE_URL");
    assert!(!database.required, "the committed .env the image copies sets it: {}", database.source);
    assert_eq!(database.source, ".env:2");
    let blockers: Vec<(&str, &str)> = prefixed
        .findings
        .iter()
        .filter(|f| f.level == ferry::model::FindingLevel::Blocker)
        .map(|f| (f.kind.as_str(), f.source.as_str()))
        .collect();
    assert!(!blockers.iter().any(|(kind, _)| *kind == "required-env"), "{blockers:?}");
    let secret_defaults: Vec<&str> =
        blockers.iter().filter(|(kind, _)| *kind == "secret-default").map(|(_, source)| *source).collect();
    assert_eq!(secret_defaults, ["config/default.cjs:4", "config/default.cjs:6"]);

    let notes = analyze_folder(&fixture("python-image-with-client-build"));
    assert_eq!(
        notes.runtime.as_ref().map(|r| r.name.as_str()),
        Some("python"),
        "the image's final stage is python:3.11"
    );
    assert_eq!(notes.package_manager, PackageManager::Pipenv, "its Pipfile is what the image installs");
    assert_eq!(notes.health_check_path, "/health");
}

/// Held-out round 6: variables named by what a library derives from a struct or by a string a
/// variable holds, and a production entry kept in `scripts/`.
/// - envconfig's `Process(prefix, &cfg)` reads `PREFIX_FIELD` for every field of the struct;
/// - `key = "X"` then `get_env(key)`, or a module constant as the key, reads `X`;
/// - a server the start runs from `scripts/` (built there by esbuild) is the app, with what it
///   imports, while the other scripts stay tooling.
#[test]
fn derived_names_and_a_start_kept_in_scripts() {
    use ferry::model::VariableScope;
    let variables = |name: &str| {
        let profile = analyze_folder(&fixture(name));
        let found: Vec<(String, Option<String>, bool, VariableScope)> =
            profile.variables.iter().map(|v| (v.name.clone(), v.default.clone(), v.required, v.scope)).collect();
        (profile.port, found)
    };
    let (_, go) = variables("go-envconfig-struct");
    let go_names: Vec<&str> = go.iter().map(|(n, ..)| n.as_str()).collect();
    for name in ["TRACKER_PORT", "TRACKER_LOG_LEVEL", "TRACKER_DEFAULT_USER_PASS", "TRACKER_DATABASE_URL"] {
        assert!(go_names.contains(&name), "{name} in {go_names:?}");
    }
    assert!(go.iter().any(|(n, d, ..)| n == "TRACKER_LOG_LEVEL" && d.as_deref() == Some("info")));
    assert!(go.iter().any(|(n, _, required, _)| n == "TRACKER_DATABASE_URL" && *required));
    let (_, python) = variables("python-keys-in-variables");
    let theme = python.iter().find(|(n, ..)| n == "NOTES_THEME").map(|(_, d, ..)| d.clone());
    assert_eq!(theme, Some(Some("light".into())), "{python:?}");
    let auth = python.iter().find(|(n, ..)| n == "NOTES_AUTH_TYPE").map(|(_, d, ..)| d.clone());
    assert_eq!(auth, Some(Some("password".into())), "{python:?}");
    assert!(!python.iter().any(|(n, ..)| n == "key"), "the wrapper's parameter is no variable");
    let (port, node) = variables("node-start-in-scripts");
    assert_eq!(port, 3000, "the listener in scripts/main.ts is the app's");
    let scope = |name: &str| node.iter().find(|(n, ..)| n == name).map(|(.., s)| *s);
    assert_eq!(scope("PORT"), Some(VariableScope::Runtime));
    assert_eq!(scope("DATABASE_URL"), Some(VariableScope::Runtime), "knexfile.ts is imported by the entry");
    assert_eq!(scope("SEED_COUNT"), Some(VariableScope::Tooling));
}

/// Round 7: names a loop computes from a settings object's keys (`process.env[PREFIX +
/// key.toUpperCase()]`, `os.environ.get(f"{ENV_PREFIX}{key.upper()}", default)`), Spring
/// properties bound through records, `Map` fields and validation, what the image's own
/// entrypoint script reads, secrets generated per process, and routes whose handler sends a
/// visitor without a session to a login page.
#[test]
fn computed_names_bound_records_and_what_each_task_generates() {
    use ferry::model::FindingLevel;
    let variable = |profile: &ferry::model::AppProfile, name: &str| {
        profile.variables.iter().find(|v| v.name == name).cloned().unwrap_or_else(|| panic!("{name} is read"))
    };
    let finding = |profile: &ferry::model::AppProfile, kind: &str| {
        profile.findings.iter().find(|f| f.kind == kind).cloned().unwrap_or_else(|| panic!("{kind} is found"))
    };
    let node = analyze_folder(&fixture("node-settings-key-loop"));
    let port = variable(&node, "PASTE_PORT");
    assert_eq!((port.default.as_deref(), port.source.as_str()), (Some("7777"), "src/settings.js:5"));
    assert_eq!((node.port, node.port_source.as_str()), (7777, "src/settings.js:5"));
    assert!(variable(&node, "PASTE_ADMIN_TOKEN").secret);
    assert_eq!(variable(&node, "ENABLE_SIGNUP").source, "src/settings.js:20");
    let level = variable(&node, "PASTE_LOG_LEVEL");
    assert_eq!(
        (level.default.as_deref(), level.source.as_str()),
        (Some("info"), "src/settings.js:26"),
        "a helper adds the prefix"
    );
    assert!(!node.variables.iter().any(|v| v.name == "LOG_LEVEL"), "the helper reads PASTE_LOG_LEVEL, not LOG_LEVEL");
    let session = variable(&node, "SESSION_SECRET");
    assert!(session.required && session.secret, "{session:?}");
    let generated = finding(&node, "per-process-secret");
    assert_eq!((generated.level, generated.source.as_str()), (FindingLevel::Blocker, "server.js:13"));
    assert_eq!(finding(&node, "in-memory-rate-limit").source, "src/rate-limit.js:2", "counts kept in a Map per task");
    assert_eq!(node.health_check_path, "/api/ping", "/status sends a visitor without a session to /welcome");
    assert!(!node.findings.iter().any(|f| f.kind == "loopback-bind"), "PASTE_HOST defaults to 0.0.0.0");

    let python = analyze_folder(&fixture("python-pipenv-entrypoint"));
    assert_eq!(
        (python.package_manager, python.package_manager_source.as_str()),
        (PackageManager::Pipenv, "Pipfile.lock")
    );
    assert_eq!(python.runtime.as_ref().map(|r| r.version.as_str()), Some("3.12"), "the Pipfile's python_version");
    assert_eq!(variable(&python, "NOTES_AUTH_TYPE").default.as_deref(), Some("password"));
    assert_eq!(variable(&python, "NOTES_SESSION_EXPIRY_DAYS").source, "server/config.py:11");
    let password = variable(&python, "NOTES_PASSWORD");
    assert!(password.required && password.secret, "the entrypoint stops without it: {password:?}");
    assert_eq!(password.source, "docker-entrypoint.sh:8");
    assert_eq!(variable(&python, "NOTES_WORKERS").default.as_deref(), Some("2"));
    let hide = variable(&python, "NOTES_HIDE_RECENTLY_MODIFIED");
    assert_eq!((hide.default.as_deref(), hide.source.as_str()), (Some("true"), "server/config.py:31"));
    assert_eq!(finding(&python, "per-process-secret").source, "server/config.py:24");
    assert!(variable(&python, "NOTES_SECRET_KEY").required);
    assert_eq!(python.health_check_path, "/api/health", "the root redirects to the login page");
    assert_eq!(python.start_command, ["./docker-entrypoint.sh"]);

    let spring = analyze_folder(&fixture("spring-properties-records"));
    assert!(variable(&spring, "APP_PUBLICURL").required, "@NotBlank on a bound field");
    assert!(variable(&spring, "LEDGER_MAIL_HOST").required, "@NotBlank on a record component");
    assert_eq!(variable(&spring, "LEDGER_MAIL_PORT").default.as_deref(), Some("587"), "@DefaultValue");
    let expiration = variable(&spring, "APP_JWT_EXPIRATIONSECONDS");
    assert_eq!(
        (expiration.default.as_deref(), expiration.source.as_str()),
        (Some("3600"), "src/main/resources/application.yml:8"),
        "application.yml wins over the field's initial value"
    );
    assert_eq!(variable(&spring, "APP_TENANTS_ACME_BASEURL").source, "src/main/resources/application.yml:11");
    assert!(variable(&spring, "APP_JWT_SECRET").secret && variable(&spring, "LEDGER_MAIL_PASSWORD").secret);
    assert_eq!(
        spring.health_check_path, "/api/public/version",
        "the security filter chain asks every path but /api/public/** for a login; /api/ping answers 401"
    );
    let h2 = finding(&spring, "embedded-database");
    assert_eq!((h2.level, h2.source.as_str()), (FindingLevel::Blocker, "src/main/resources/application.yml:5"));
}

/// Round 8: variables read through configuration libraries: a convict schema's `env:` keys
/// (with their defaults, and the port), django-environ's `env.db()` and `env.cache()` (their
/// conventional DATABASE_URL and CACHE_URL) and an `env(` call whose name is on the next line,
/// and pydantic fields named by `AliasChoices` or `validation_alias`.
#[test]
fn variables_read_through_configuration_libraries() {
    let variable = |profile: &ferry::model::AppProfile, name: &str| {
        profile.variables.iter().find(|v| v.name == name).cloned().unwrap_or_else(|| panic!("{name} is read"))
    };
    let convict = analyze_folder(&fixture("node-convict-schema"));
    let password = variable(&convict, "PARCEL_REDIS_PASSWORD");
    assert!(password.secret && !password.required, "{password:?}");
    assert_eq!(password.source, "server/config.js:17");
    assert_eq!(variable(&convict, "PARCEL_MAX_MB").default.as_deref(), Some("250"));
    assert_eq!((convict.port, convict.port_source.as_str()), (7070, "server/config.js:7"));

    let django = analyze_folder(&fixture("django-environ-urls"));
    let database = variable(&django, "DATABASE_URL");
    assert!(database.secret && !database.required, "env.db(default=...): {database:?}");
    assert_eq!(database.source, "mapsite/settings.py:12");
    let cache = variable(&django, "CACHE_URL");
    assert!(cache.required, "env.cache() raises without CACHE_URL: {cache:?}");
    let key = variable(&django, "TILE_PROVIDER_KEY");
    assert_eq!((key.source.as_str(), key.required), ("mapsite/settings.py:18", false));

    let pydantic = analyze_folder(&fixture("python-pydantic-aliases"));
    for name in
        ["PAPERMILL_WORKERS", "PAPERMILL_PAGE_BATCH", "PAPERMILL_PAGES_PER_BATCH", "STORE_REGION", "ARCHIVE_BUCKET"]
    {
        variable(&pydantic, name);
    }
    assert!(!pydantic.variables.iter().any(|v| v.name == "STORE_BUCKET" || v.name == "STORE_ARCHIVE_BUCKET"));
}

/// Round 8: variables that are not required though a read throws without them: a read inside a
/// `try` whose `catch` carries on with a fallback, a zod field with `.default()` or
/// `.optional()` in a schema another module validates the environment with, and a key the
/// code generates once and stores when unset. A key generated per process stays required.
#[test]
fn reads_with_a_way_out_are_not_required() {
    let nest = analyze_folder(&fixture("nest-optional-settings"));
    let variable = |name: &str| {
        nest.variables.iter().find(|v| v.name == name).cloned().unwrap_or_else(|| panic!("{name} is read"))
    };
    for optional in ["PARTNER_API_TOKEN", "SIGNUPS_OFF", "CROWD_TOKEN", "PARTNER_LABEL", "SIGNING_SEED"] {
        assert!(!variable(optional).required, "{optional}: {:?}", variable(optional));
    }
    assert!(variable("JWT_SIGNING_SECRET").required, "the schema has no default for it");
    assert!(variable("COOKIE_KEY").required, "generated per process when unset");
    let blockers: Vec<&str> = nest
        .findings
        .iter()
        .filter(|f| f.kind == "required-env")
        .map(|f| f.message.as_str())
        .filter(|m| ["PARTNER_API_TOKEN", "SIGNUPS_OFF", "CROWD_TOKEN", "SIGNING_SEED"].iter().any(|n| m.contains(n)))
        .collect();
    assert!(blockers.is_empty(), "{blockers:?}");
    let generated: Vec<&str> =
        nest.findings.iter().filter(|f| f.kind == "per-process-secret").map(|f| f.source.as_str()).collect();
    assert_eq!(generated, ["src/feature/seed.ts:12"]);
}

/// What a second task would not share or would repeat, said where the code says it rather than
/// in the dependencies: websocket rooms in a map of the process (a constant table is not
/// state), a session store and a scheduler vendored into the app's folder, migrations a
/// `prestart` script or the app factory runs, SQLite set by the image, an in-memory mock the
/// code picks, a UDP listener an HTTP load balancer cannot carry, and settings the code exits
/// without though no read of them says so.
#[test]
fn readiness_said_by_the_code_not_the_dependencies() {
    let found = |name: &str| {
        let profile = analyze_folder(&fixture(name));
        profile
            .findings
            .into_iter()
            .map(|f| (format!("{:?}", f.level).to_lowercase(), f.kind, f.source, f.message))
            .collect::<Vec<_>>()
    };
    let has = |findings: &[(String, String, String, String)], level: &str, kind: &str, source: &str| {
        findings.iter().any(|(l, k, s, _)| l == level && k == kind && s == source)
    };
    let node = found("node-realtime-lobbies");
    assert!(has(&node, "blocker", "in-memory-sessions", "server/index.js:19"), "{node:#?}");
    assert!(!node.iter().any(|(_, _, s, _)| s == "server/index.js:15"), "a lookup table is not state: {node:#?}");
    assert!(has(&node, "warning", "in-memory-sessions", "server/index.js:6"), "{node:#?}");
    assert!(has(&node, "warning", "scheduler", "server/index.js:7"), "{node:#?}");
    assert!(has(&node, "warning", "migrations-at-start", "package.json scripts.prestart"), "{node:#?}");
    assert!(has(&node, "warning", "embedded-database", "server/store.js:4"), "{node:#?}");
    let exits = node.iter().find(|(_, k, s, _)| k == "required-env" && s == "server/index.js:9");
    assert!(exits.is_some_and(|(l, _, _, m)| l == "blocker" && m.contains("LOBBY_MONGO or MONGO_URI")), "{node:#?}");

    let go = found("go-turn-relay");
    let fatal = go.iter().find(|(_, k, s, _)| k == "required-env" && s == "config/config.go:29");
    assert!(fatal.is_some_and(|(_, _, _, m)| m.contains("RELAY_EXTERNAL_IP")), "{go:#?}");
    assert!(!go.iter().any(|(_, _, _, m)| m.contains("RELAY_TURN_STRICT_AUTH")), "a demand under a condition: {go:#?}");
    assert!(has(&go, "blocker", "non-http-listener", "turn/server.go:10"), "{go:#?}");
    assert!(has(&go, "blocker", "in-memory-sessions", "ws/rooms.go:19"), "{go:#?}");
    assert!(!go.iter().any(|(_, _, s, _)| s == "ws/rooms.go:10"), "a lookup table is not state: {go:#?}");

    let flask = found("flask-migrate-on-start");
    assert!(has(&flask, "blocker", "sqlite", "Dockerfile:7"), "{flask:#?}");
    assert!(has(&flask, "warning", "migrations-at-start", "app/__init__.py:19"), "{flask:#?}");
}

/// Secrets by name and by use: connection URLs of a store or a mail server carry credentials
/// (`*_URI` too), and so does what the code hands a database client as its URL under another
/// name; an endpoint, a duration or a switch about a token or a key is no secret, above all
/// when the code parses the value as a number or a flag.
#[test]
fn secrets_by_name_and_by_what_the_code_does_with_them() {
    let secret = |app: &str| {
        let profile = analyze_folder(&fixture(app));
        profile.variables.into_iter().map(|v| (v.name, v.secret)).collect::<std::collections::BTreeMap<_, _>>()
    };
    let node = secret("node-realtime-lobbies");
    for name in ["MONGO_URI", "LOBBY_MONGO", "SMTP_URL", "SESSION_SECRET"] {
        assert_eq!(node.get(name), Some(&true), "{name}: {node:?}");
    }
    for name in ["OPENID_TOKEN_URL", "HIDE_USER_API_KEY", "REFRESH_TOKEN_GRACE_PERIOD", "REDIS_HOST"] {
        assert_eq!(node.get(name), Some(&false), "{name}: {node:?}");
    }
    let go = secret("go-turn-relay");
    assert_eq!(go.get("RELAY_TURN_STRICT_AUTH"), Some(&false), "{go:?}");
    let flask = secret("flask-migrate-on-start");
    assert_eq!(flask.get("LEDGER_DATABASE_URI"), Some(&true), "{flask:?}");
    assert_eq!(flask.get("LEDGER_SHOW_TOKEN"), Some(&false), "{flask:?}");
}
