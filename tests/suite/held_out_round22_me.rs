//! Blind round 22's configuration-template class: an app whose settings module is committed
//! only as a template that its image copies into place (`COPY config.js.template
//! ./config.js`). Its reads, defaults and ports are the template's, and ferry's image must
//! place it the same way, or `require('./config')` fails at start.

use crate::app_fixtures::profile_of_files;

use ferry::cloud::sandbox::{Sandbox, SandboxOptions};

const TEMPLATE: &str = "const config = {\n  domain: process.env.DOMAIN || 'example.org',\n  \
    ssl_port: process.env.SSL_PORT || 8088,\n  nonssl_port: process.env.NONSSL_PORT || 8080,\n  \
    https_enabled: process.env.HTTPS_ENABLED === 'true' || false,\n  \
    reddit_app_secret: process.env.REDDIT_APP_SECRET || '',\n}\nmodule.exports = config\n";
const SERVER: &str = "const config = require('./config')\nconst express = require('express')\nconst app = express()\n\
    const http = require('http').createServer(app)\nconst https = require('https').createServer({}, app)\n\
    if (config.https_enabled) {\n  https.listen(config.ssl_port, '::')\n}\nhttp.listen(config.nonssl_port, '::')\n";

fn app(dockerfile: &str) -> ferry::model::AppProfile {
    profile_of_files(&[
        ("package.json", r#"{"name":"reader","scripts":{"start":"node app.js"},"dependencies":{"express":"4.19.2"}}"#),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        ("Dockerfile", dockerfile),
        ("config.js.template", TEMPLATE),
        ("app.js", SERVER),
    ])
}

#[tokio::test]
async fn a_template_the_image_copies_into_place_is_the_apps_config() {
    let profile =
        app("FROM node:20\nWORKDIR /app\nCOPY . ./\nRUN npm ci\nCOPY config.js.template ./config.js\nCMD npm start\n");
    let names: Vec<&str> = profile.variables.iter().map(|v| v.name.as_str()).collect();
    for name in ["DOMAIN", "SSL_PORT", "NONSSL_PORT", "HTTPS_ENABLED", "REDDIT_APP_SECRET"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    // The listen the server always makes, not the one behind `if (config.https_enabled)`.
    assert_eq!((profile.port, profile.port_source.as_str()), (8080, "config.js:4"));
    assert_eq!(profile.placed_files.len(), 1, "{:?}", profile.placed_files);
    assert_eq!(profile.placed_files[0].source, "Dockerfile:5");

    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).expect("the sandbox");
    let graph = ferry::discover::discover(&sandbox, sandbox.app_instance()).await.expect("discovers");
    let image = ferry::generate::dockerfile(&profile, &graph.instance);
    let placed = image.find("COPY --chown=1000:1000 config.js.template ./config.js").expect(&image);
    assert!(image.find("COPY --chown=1000:1000 . .").is_some_and(|source| source < placed), "{image}");
}

#[test]
fn a_template_nothing_copies_is_only_a_template() {
    let profile = app("FROM node:20\nWORKDIR /app\nCOPY . ./\nRUN npm ci\nCMD npm start\n");
    assert!(profile.placed_files.is_empty());
    assert!(!profile.variables.iter().any(|v| v.name == "NONSSL_PORT"), "nothing loads the template");
}

/// `prestart: npm run build` with no `build` script fails wherever it runs: the image neither
/// runs it nor calls it a build step.
#[test]
fn a_prestart_that_runs_a_missing_script_is_left_out() {
    let manifest = |scripts: &str| {
        format!(
            r#"{{"name":"users","main":"src/index.js","scripts":{{{scripts}}},"dependencies":{{"@hapi/hapi":"21.3.0"}}}}"#
        )
    };
    let server = "const Hapi = require('@hapi/hapi')\nconst server = Hapi.server({ port: 3001 })\nserver.start()\n";
    let missing = manifest(r#""prestart":"npm run build","start":"node --use-strict .""#);
    let profile = profile_of_files(&[
        ("package.json", missing.as_str()),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        ("src/index.js", server),
    ]);
    assert_eq!(profile.build_command, None, "{}", profile.build_source);
    let said = profile.findings.iter().find(|f| f.kind == "build-at-start").expect("said");
    assert!(said.message.contains("no `build` script"), "{}", said.message);
    let present =
        manifest(r#""prestart":"npm run build","build":"node scripts/build.js","start":"node --use-strict .""#);
    let profile = profile_of_files(&[
        ("package.json", present.as_str()),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        ("src/index.js", server),
        ("scripts/build.js", "console.log('built')\n"),
    ]);
    assert!(profile.build_command.is_some_and(|b| b.join(" ").contains("npm run prestart")));
}

/// A uv project whose server is only in its `prod` dependency group, beside requirement files
/// exported from that group: uv installs from the lock, so the image syncs the group too.
#[test]
fn a_uv_projects_production_group_is_installed_though_an_export_names_its_server() {
    let pyproject = "[project]\nname = \"site\"\nversion = \"0.1.0\"\nrequires-python = \"==3.12.*\"\n\
        dependencies = [\"django==5.2\"]\n\n[dependency-groups]\ndev = [\"ruff==0.6.0\"]\n\
        prod = [\"gunicorn==23.0.0\", \"psycopg[c]==3.2.0\"]\n\n[tool.uv]\npackage = false\n";
    let profile = profile_of_files(&[
        ("pyproject.toml", pyproject),
        ("uv.lock", "version = 1\n"),
        ("requirements/prod.txt", "django==5.2\ngunicorn==23.0.0\npsycopg[c]==3.2.0\n"),
        ("manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n"),
        ("site/settings.py", "ROOT_URLCONF = 'site.urls'\nINSTALLED_APPS = []\n"),
        ("site/wsgi.py", "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"),
    ]);
    assert_eq!(profile.install_groups, ["prod"], "{:?}", profile.findings);
}
