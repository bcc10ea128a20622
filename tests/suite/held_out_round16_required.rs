//! The failure classes of held-out round 16 about variables that must be set, each reproduced
//! in a fixture of its own (tests/fixtures/apps): reads with no default that crash when the
//! module loads, build steps that load such modules, and the variables Auth.js reads by itself.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// `create_engine(TASKS_DSN)` at import, with `TASKS_DSN = os.getenv("TASKS_DSN")`: SQLAlchemy
/// refuses None, so the app does not start without it. A read only a function uses, with its
/// own fallback, stays optional.
#[test]
fn a_database_engine_made_at_import_from_an_unset_value() {
    let app = fixture("fastapi-engine-from-env");
    let dsn = variable(&app, "TASKS_DSN");
    assert!(dsn.required && dsn.secret, "{dsn:?}");
    assert!(!variable(&app, "REPORT_TZ").required);
    let blockers = findings(&app, "required-env");
    assert!(blockers.iter().any(|f| f.level == FindingLevel::Blocker && f.source == "app/store.py:6"), "{blockers:?}");
}

/// `os.environ.get("SHOP_HOSTS").split(",")` crashes the settings import when unset: required,
/// and `collectstatic`, which imports the settings while the image builds, gets a value that
/// exists only on its own RUN line, as does the unset SECRET_KEY's variable.
#[test]
fn settings_that_crash_on_none_and_the_build_step_that_loads_them() {
    let app = fixture("django-hosts-split-static");
    assert!(variable(&app, "SHOP_HOSTS").required);
    assert!(findings(&app, "required-env").iter().any(|f| f.source == "shop/settings.py:11"));
    let build = app.build_command.as_ref().expect("collectstatic runs at build");
    assert_eq!(
        *build,
        [
            "env",
            "SHOP_HOSTS=collectstatic-only",
            "SHOP_SIGNING_KEY=collectstatic-only",
            "python",
            "manage.py",
            "collectstatic",
            "--noinput"
        ]
    );
    assert!(!variable(&app, "SHOP_DEBUG").required);
}

/// `new URL(fastify.config.PUBLIC_ORIGIN)` in a plugin the server registers at boot throws on
/// undefined, though the env schema leaves the variable out of its `required` list.
#[test]
fn a_url_parsed_at_boot_from_a_schema_s_optional_field() {
    let app = fixture("fastify-url-from-schema");
    assert!(variable(&app, "PUBLIC_ORIGIN").required);
    assert!(findings(&app, "required-env").iter().any(|f| f.message.contains("PUBLIC_ORIGIN")));
    assert!(!variable(&app, "PORT").required);
}

/// Auth.js v5 with `providers: [GitLab]` reads AUTH_SECRET and AUTH_GITLAB_ID/SECRET by itself,
/// and behind a load balancer needs AUTH_TRUST_HOST. `drizzle(neon(process.env.X!))` at module
/// scope throws without X, in a module a page imports: `next build` fails without it.
#[test]
fn auth_js_variables_and_a_database_client_the_build_loads() {
    let app = fixture("next-authjs-neon-client");
    for name in ["AUTH_SECRET", "AUTH_GITLAB_ID", "AUTH_GITLAB_SECRET", "ORDERS_DATABASE"] {
        assert!(variable(&app, name).required, "{name}");
    }
    assert!(variable(&app, "AUTH_SECRET").secret && variable(&app, "AUTH_GITLAB_SECRET").secret);
    assert!(!variable(&app, "AUTH_GITLAB_ID").secret);
    assert!(!variable(&app, "AUTH_TRUST_HOST").required);
    assert!(!app.variables.iter().any(|v| v.name == "AUTH_URL"), "the example file does not name the URL");
    let trust = findings(&app, "auth-trust-host");
    assert!(trust.iter().any(|f| f.message.contains("AUTH_TRUST_HOST=true")), "{trust:?}");
    let build = findings(&app, "build-needs-database");
    assert_eq!(build.len(), 1, "{build:?}");
    assert_eq!((build[0].level, build[0].source.as_str()), (FindingLevel::Blocker, "lib/store.ts:5"));
}

/// `metadata.create_all(engine)` at the top of a module runs in every task as it imports the
/// app; tables only a CLI command creates leave a fresh database without them until someone
/// runs it, and the health check's page fails.
#[test]
fn where_the_tables_are_created() {
    let api = fixture("fastapi-engine-from-env");
    let at_import = findings(&api, "migrations-at-start");
    assert!(at_import.iter().any(|f| f.source == "app/main.py:5" && f.level == FindingLevel::Warning), "{at_import:?}");
    let notebook = fixture("flask-tables-by-cli");
    let separate = findings(&notebook, "migrations-separate-step");
    assert_eq!(separate.len(), 1, "{separate:?}");
    assert_eq!(separate[0].source, "notebook/commands.py:12");
    assert!(separate[0].message.contains("`flask create-tables`"), "{}", separate[0].message);
}
