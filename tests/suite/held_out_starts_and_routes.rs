//! The failure classes held-out real applications showed in how an app starts and where it
//! answers: start commands, listen hosts, ports and health routes, each reproduced in a fixture
//! of its own (tests/fixtures/apps): what a platform engineer reading that code would write.

use std::path::Path;

use crate::app_fixtures::files as fixture;
use ferry::analyze::AppFiles;
use ferry::analyze::analyze_folder;
use ferry::model::PackageManager;

/// The health check path is where the route really answers: under its routers' prefixes, or
/// what the repository's own container probe requests. A page that needs a login is never it.
#[test]
fn health_paths_follow_prefixes_and_declared_probes() {
    let path = |name: &str| {
        let profile = analyze_folder(&fixture(name));
        (profile.health_check_path, profile.health_source)
    };
    assert_eq!(
        path("fastapi-nested-routers"),
        ("/api/v1/utils/health-check/".into(), "app/api/routes/utils.py:6".into())
    );
    let nested = analyze_folder(&fixture("fastapi-nested-routers"));
    assert!(
        !nested.variables.iter().any(|v| v.name == "SIGNING_KEY"),
        "a field the code passes to the settings class is not the environment's"
    );
    assert_eq!(path("express-healthcheck-script"), ("/api/healthz".into(), "docker/healthcheck.js:4".into()));
    let flask = analyze_folder(&fixture("flask-blueprints"));
    assert_eq!(flask.health_check_path, "/auth/login", "the root needs a login; the login page does not");
    assert!(flask.findings.iter().any(|f| f.kind == "health-page" && f.source == "app/auth/routes.py:6"));
    // `app.run(port=4000)` is the development server's: gunicorn serves the app on its own bind.
    assert_ne!(flask.port, 4000);
}

/// What held-out applications showed: an app that serves itself is started the way its own
/// Dockerfile starts it; a port is not taken from a docstring or a database client; a secret
/// defaulting to no value is no committed secret; go-flags groups prefix their variables and
/// an example beside the server is not the server.
#[test]
fn classes_found_on_held_out_applications() {
    let flask = analyze_folder(&fixture("flask-self-served"));
    assert_eq!(flask.start_command, ["python", "./watch.py", "-d", "/datastore"]);
    assert!(flask.start_source.starts_with("Dockerfile:10"), "{}", flask.start_source);
    assert_eq!(flask.port, 5000, "not 9090 from the docstring, nor 27017 from the Mongo client: {}", flask.port_source);
    let kinds: Vec<&str> = flask.findings.iter().map(|f| f.kind.as_str()).collect();
    assert!(!kinds.contains(&"secret-default"), "{kinds:?}");
    assert!(!kinds.contains(&"no-production-server"), "{kinds:?}");
    let datastore =
        flask.findings.iter().find(|f| f.kind == "local-disk-writes").expect("the datastore volume is said");
    assert_eq!(
        (datastore.level, datastore.source.as_str()),
        (ferry::model::FindingLevel::Blocker, "docker-compose.yml:12"),
        "the start command runs on the volume's folder"
    );

    let go = analyze_folder(&fixture("go-flags-groups"));
    let names: Vec<&str> = go.variables.iter().map(|v| v.name.as_str()).collect();
    for name in ["COMMENTS_PORT", "SSL_PORT", "SSL_CERT", "STORE_BOLT_PATH", "COMMENTS_URL"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    assert!(!names.contains(&"PATH") && !names.contains(&"PORT"), "{names:?}");
    assert_eq!((go.port, go.health_check_path.as_str()), (8080, "/ping"));
    assert_eq!(go.start_command, ["/app/app", "server"], "go-flags' `command:\"server\"`");
    let store = go.findings.iter().find(|f| f.kind == "embedded-database").expect("the BoltDB store is said");
    assert_eq!((store.level, store.source.as_str()), (ferry::model::FindingLevel::Blocker, "go.mod:7"));

    let nx = analyze_folder(&fixture("nx-api"));
    assert_eq!(nx.start_command, ["node", "dist/api/main.js"], "`nx serve` watches; the image runs the build's output");
    assert_eq!(nx.health_check_path, "/api/health");

    let viper = analyze_folder(&fixture("go-viper-env"));
    let names: Vec<&str> = viper.variables.iter().map(|v| v.name.as_str()).collect();
    for name in ["NOTES_PORT", "NOTES_DSN", "NOTES_INSTANCE_URL"] {
        assert!(names.contains(&name), "viper's AutomaticEnv reads {name}: {names:?}");
    }
    assert_eq!(viper.port, 8081, "{}", viper.port_source);
    assert_eq!(viper.health_check_path, "/healthz", "`http.HandleFunc` registers on the default mux");
}

#[test]
fn django_routes_as_django_resolves_them() {
    let django = analyze_folder(&fixture("django-channels-i18n"));
    assert_eq!(
        django.start_command,
        ["granian", "--interface", "asginl", "--host", "0.0.0.0", "--port", "8000", "site.asgi:application"],
        "Channels routes websockets: the ASGI app, without lifespan for Django"
    );
    assert_eq!(
        django.health_check_path, "/api/version/",
        "not / (the HEALTHCHECK follows redirects), not /api/status/ (admins only), not /ws/progress/ (a websocket)"
    );
    let kinds: Vec<&str> = django.findings.iter().map(|f| f.kind.as_str()).collect();
    assert!(kinds.contains(&"health-probe-redirects"), "{kinds:?}");
}

#[test]
fn factories_workspaces_and_mounted_modules() {
    let flask = analyze_folder(&fixture("flask-wsgi-factory"));
    assert_eq!(
        flask.start_command,
        ["gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "wsgi:forum"],
        "the object wsgi.py builds with its configuration, not a bare create_app()"
    );

    let nest = analyze_folder(&fixture("yarn-workspace-nest/backend"));
    assert_eq!(nest.package_manager, PackageManager::YarnBerry, "{}", nest.package_manager_source);
    assert_eq!(nest.start_command, ["node", "dist/src/main"], "node_modules linking needs no `yarn node`");
    assert_eq!(nest.health_check_path, "/api/v2/monitoring/health", "under RouterModule's path for its module");
    let lockfile =
        nest.findings.iter().find(|f| f.kind == "lockfile-outside-folder").expect("the workspace lockfile is said");
    assert_eq!(lockfile.source, "../yarn.lock");
}

#[test]
fn the_maintainers_image_and_the_servers_requirements() {
    let searx = analyze_folder(&fixture("python-server-requirements"));
    assert_eq!(searx.runtime.as_ref().map(|r| r.name.as_str()), Some("python"), "a go.mod with no Go code is tooling");
    assert_eq!(
        searx.start_command,
        ["granian", "--interface", "wsgi", "--host", "0.0.0.0", "--port", "8000", "searx.webapp:app"],
        "granian comes from requirements-server.txt"
    );
    assert!(searx.install_files.contains(&"requirements-server.txt".to_string()), "{:?}", searx.install_files);
    assert_eq!(searx.health_check_path, "/healthz");
    let node = searx.variables.iter().find(|v| v.name == "NODE_MINIMUM_VERSION").expect("read in docs/conf.py");
    assert_eq!(node.scope, ferry::model::VariableScope::Tooling, "the documentation build is not the server");

    let fastapi = analyze_folder(&fixture("fastapi-poetry-shell-cmd"));
    assert_eq!(
        fastapi.start_command,
        ["uvicorn", "--host=0.0.0.0", "app.main:app"],
        "the Dockerfile's shell-form CMD over two lines, the migration taken out, `poetry run` dropped"
    );
    assert_eq!(fastapi.health_check_path, "/docs", "every route is under /api; FastAPI's docs answer");
    assert!(fastapi.findings.iter().any(|f| f.kind == "migrations-at-start"));

    let django = analyze_folder(&fixture("django-bootstrap-stages"));
    assert_eq!(django.start_command, ["./bootstrap.sh"], "the last stage inherits its base stage's CMD");
    assert_eq!(django.port, 9090, "the base stage's EXPOSE: {}", django.port_source);
    assert_eq!(django.health_check_path, "/health");

    let express = analyze_folder(&fixture("express-exported-routers"));
    assert!(
        express.health_check_path.starts_with("/api/v2/health") || express.health_check_path.starts_with("/api/health"),
        "a router exported as `api`, through an index that passes the module on; not the OpenAPI doc's /health: {}",
        express.health_check_path
    );
}

/// Held-out round 5: a workspace member's version comes from its repository's root; its port
/// from a table of defaults; a health route under the path a sub-application is mounted at;
/// Spring properties bound by `@ConfigurationProperties` and read by their dotted names, and a
/// login one of them switches off by default.
#[test]
fn facts_behind_a_root_a_table_or_a_mount() {
    let member = analyze_folder(&fixture("yarn-monorepo-member/packages/server"));
    let runtime = member.runtime.clone().expect("node");
    assert_eq!(
        (runtime.version.as_str(), runtime.source.as_str(), member.port),
        ("18", "../../.nvmrc (the repository's root)", 22300)
    );
    let mounted = analyze_folder(&fixture("fastapi-mounted-app"));
    assert_eq!(mounted.health_check_path, "/api/v1/health");
    let spring = analyze_folder(&fixture("spring-bound-properties/api"));
    assert_eq!(spring.runtime.map(|r| r.version).as_deref(), Some("25"));
    let names: Vec<&str> = spring.variables.iter().map(|v| v.name.as_str()).collect();
    for name in ["KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS", "KAFKA_CLUSTERS_0_READONLY", "DYNAMIC_CONFIG_ENABLED"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let open = spring.findings.iter().find(|f| f.kind == "auth-disabled").expect("auth.type defaults to DISABLED");
    assert_eq!(open.source, "src/main/resources/application.yml:2");
}

/// Round 7: a loopback default the start command overrides is no blocker: gunicorn bound to
/// 0.0.0.0 never runs the `__main__` development server, and a `run()` call over several lines
/// names its host on the next one.
#[test]
fn a_host_the_command_or_the_call_sets() {
    let gunicorn = analyze_folder(&fixture("flask-bind-by-command"));
    let binds: Vec<&str> =
        gunicorn.findings.iter().filter(|f| f.kind == "loopback-bind").map(|f| f.message.as_str()).collect();
    assert!(binds.is_empty(), "{binds:?}");
    assert_eq!(gunicorn.health_check_path, "/healthz");
    let direct = analyze_folder(&fixture("flask-multiline-run"));
    assert_eq!(direct.start_command, ["python", "server.py"]);
    let binds: Vec<&str> =
        direct.findings.iter().filter(|f| f.kind == "loopback-bind").map(|f| f.source.as_str()).collect();
    assert!(binds.is_empty(), "host= is on the line after `app.run(`: {binds:?}");
}

/// Round 7: a Django project kept in a folder of its own (`shop/manage.py`) imports its
/// settings and apps from that folder, so its server starts there, as the maintainers' `cd`.
#[test]
fn a_project_started_from_its_own_folder() {
    let django = analyze_folder(&fixture("django-project-subfolder"));
    assert_eq!(
        django.start_command,
        ["gunicorn", "--chdir", "shop", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "shop.wsgi:application"]
    );
    assert_eq!(django.health_check_path, "/healthz/");
}

/// Round 8: a repository with thousands of images still has its server read (assets never use
/// up the scan's budget), and a scan that does stop says so with its own finding, naming the
/// folders it left.
#[test]
fn assets_never_crowd_out_the_server_and_a_cut_scan_says_so() {
    let write = |root: &Path, path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let manifest = r#"{"name":"board","scripts":{"start":"node zz_server/main.js"},"dependencies":{"express":"^4"}}"#;
    let server = "const express = require('express');\nconst secret = process.env.BOARD_JWT_SECRET;\nconst app = express();\napp.get('/status', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 3002);\n";
    let icons = tempfile::tempdir().unwrap();
    write(icons.path(), "package.json", manifest);
    write(icons.path(), "package-lock.json", "{}");
    for index in 0..2500 {
        write(icons.path(), &format!("img/icon-{index}.svg"), "<svg/>");
    }
    write(icons.path(), "zz_server/main.js", server);
    let profile = analyze_folder(&AppFiles::read(icons.path()).unwrap());
    assert!(profile.variables.iter().any(|v| v.name == "BOARD_JWT_SECRET"), "the server folder is read");
    assert_eq!(profile.health_check_path, "/status");
    assert!(!profile.findings.iter().any(|f| f.kind == "scan-incomplete"), "images are skipped on purpose");

    let code = tempfile::tempdir().unwrap();
    write(code.path(), "package.json", manifest);
    write(code.path(), "package-lock.json", "{}");
    for index in 0..2100 {
        write(code.path(), &format!("docs/examples/snippet-{index}.js"), "module.exports = 1;\n");
    }
    write(code.path(), "zz_server/main.js", server);
    let profile = analyze_folder(&AppFiles::read(code.path()).unwrap());
    assert!(profile.variables.iter().any(|v| v.name == "BOARD_JWT_SECRET"), "the app's code is read before docs");
    let cut = profile.findings.iter().find(|f| f.kind == "scan-incomplete").expect("the cut scan is said");
    assert!(cut.message.contains("docs/ (103)"), "{}", cut.message);
}

/// Round 8: the repository's own image (a `Containerfile` under docker/) outranks a `start`
/// script that runs a development server and a `main` that is the client's; its `npm run X` is
/// followed to the script, and its `ENV PORT` outranks the code's fallback. An entrypoint script
/// that only prepares gives way to the server it `exec`s, and its migration is said; a WSGI
/// project with uvicorn and no gunicorn is served by uvicorn.
#[test]
fn the_repositorys_image_outranks_dev_servers_and_guesses() {
    let node = analyze_folder(&fixture("node-image-over-dev-script"));
    assert_eq!(node.start_command, ["node", "backend/run.js"]);
    assert!(node.start_source.starts_with("docker/Containerfile:14"), "{}", node.start_source);
    assert_eq!((node.port, node.port_source.as_str()), (4100, "docker/Containerfile:12 (the repository's own image)"));
    assert!(!node.findings.iter().any(|f| f.kind == "dev-server"), "the dev server is not what runs");

    let django = analyze_folder(&fixture("django-entrypoint-uvicorn"));
    assert_eq!(django.start_command, ["uvicorn", "--host", "0.0.0.0", "--port", "8000", "atlas.asgi:application"]);
    assert!(django.start_source.starts_with("docker/start.sh:8"), "{}", django.start_source);
    let migrate = django.findings.iter().find(|f| f.kind == "migrations-at-start").expect("the entrypoint migrates");
    assert_eq!(migrate.source, "docker/start.sh:7");
    assert!(!django.findings.iter().any(|f| f.kind == "no-production-server"), "{:?}", django.findings);

    let installed = AppFiles::from_pairs([
        (
            "pyproject.toml",
            "[project]\nname = \"inkwell\"\ndependencies = [\"typer\"]\n\n[project.scripts]\ninkwell = \"inkwell.cli:main\"\n",
        ),
        ("inkwell/cli.py", "import typer\n\napp = typer.Typer()\n"),
    ]);
    let installed = analyze_folder(&installed);
    assert_eq!(installed.start_command, ["inkwell"], "the project's own command, not `python app.py`");
    assert_eq!(installed.start_source, "pyproject.toml:6 [project.scripts]");
    assert!(installed.findings.iter().any(|f| f.kind == "start-from-project-script"));

    let mut derived = fixture("django-entrypoint-uvicorn");
    derived.files.remove("Dockerfile");
    let derived = analyze_folder(&derived);
    assert_eq!(derived.start_command[..2], ["uvicorn".to_string(), "atlas.asgi:application".to_string()]);
}

/// Round 8: health routes in router styles not read before (gorilla/mux's
/// `Methods("GET").Path("/x")`, microrouter's bare `get('/x', ...)`), under a Nest global
/// prefix named by a constant, and never from a mobile shell's code over the server's.
#[test]
fn health_routes_in_more_router_styles() {
    let path = |name: &str| {
        let profile = analyze_folder(&fixture(name));
        (profile.health_check_path, profile.health_source)
    };
    assert_eq!(path("go-mux-methods-path"), ("/alive".into(), "web/routes.go:12".into()));
    assert_eq!(path("node-microrouter-health"), ("/healthcheck".into(), "src/server.js:10".into()));
    assert_eq!(path("nest-prefix-constant"), ("/v2/health".into(), "src/health/health.controller.ts:5".into()));
    assert_eq!(path("express-with-mobile-shell"), ("/__heartbeat__".into(), "server/main.js:6".into()));
    let excluded = AppFiles::from_pairs([
        (
            "package.json",
            r#"{"scripts":{"start":"node dist/main"},"dependencies":{"@nestjs/core":"^10","@nestjs/common":"^10"}}"#,
        ),
        (
            "src/main.ts",
            "const app = await NestFactory.create(AppModule);\napp.setGlobalPrefix(\"api\", {\n  exclude: [\"status\"],\n});\n",
        ),
        (
            "src/status.controller.ts",
            "@Controller(\"status\")\nexport class StatusController {\n  @Get()\n  up() {}\n}\n",
        ),
    ]);
    assert_eq!(analyze_folder(&excluded).health_check_path, "/status", "excluded from the global prefix");
}
