//! Round 20's leftovers, each in a small app of its own: a workspace member that needs the
//! workspace's packages, a port only the example env file gives, a store under a switch that
//! is off unless set, an uploads volume, Drive's local disk, a hooks-only postinstall.

use crate::app_fixtures::{findings, profile_of_files};

use ferry::analyze::{AppFiles, analyze_folder};
use ferry::model::FindingLevel;

/// A pnpm workspace member whose `"@acme/ui": "workspace:*"` no registry has: an install from
/// the member's folder alone fails, so the workspace lockfile outside it is a blocker.
#[test]
fn a_member_that_needs_the_workspaces_packages_cannot_build_alone() {
    let dir = tempfile::tempdir().expect("a folder");
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("pnpm-workspace.yaml", "packages:\n  - apps/*\n  - packages/*\n");
    write("pnpm-lock.yaml", "lockfileVersion: '9.0'\n");
    write("package.json", r#"{"name":"root","private":true,"packageManager":"pnpm@9.1.0"}"#);
    let member = |ui: &str| {
        format!(
            r#"{{"name":"web","dependencies":{{"express":"4.19.2","@acme/ui":"{ui}"}},"scripts":{{"start":"node server.js"}}}}"#
        )
    };
    write("apps/web/package.json", &member("workspace:*"));
    write("apps/web/server.js", "const app = require('express')();\napp.listen(3000);\n");
    let analysed = || analyze_folder(&AppFiles::read(&dir.path().join("apps/web")).expect("reads"));
    let lock = analysed().findings.into_iter().find(|f| f.kind == "lockfile-outside-folder").expect("a lock finding");
    assert_eq!(lock.level, FindingLevel::Blocker, "{lock:?}");
    assert!(lock.message.contains(r#""@acme/ui": "workspace:*""#), "{}", lock.message);
    write("apps/web/package.json", &member("1.0.0"));
    let lock = analysed().findings.into_iter().find(|f| f.kind == "lockfile-outside-folder").expect("a lock finding");
    assert_eq!(lock.level, FindingLevel::Warning, "registry packages install anywhere");
}

/// `port: parseInt(process.env.PORT, 10)` has no fallback: the service tells it its port, and
/// the maintainers' `.env.example` says which one they use.
#[test]
fn a_port_read_with_no_fallback_takes_the_example_files_port() {
    let config = "export default {\n  port: parseInt(process.env.PORT, 10),\n};\n";
    let server = "import express from 'express';\nimport config from './config';\nconst app = express();\napp.listen(config.port);\n";
    let package = r#"{"name":"api","dependencies":{"express":"4.19.2"},"scripts":{"start":"node src/app.js"}}"#;
    let app = |example: &str| {
        profile_of_files(&[
            ("package.json", package),
            ("src/config.js", config),
            ("src/app.js", server),
            (".env.example", example),
        ])
    };
    let suggested = app("# Port\nPORT=3000\nMONGO_URI=mongodb://db/app\n");
    assert_eq!(suggested.port, 3000, "{}", suggested.port_source);
    assert!(suggested.port_source.contains(".env.example:2"), "{}", suggested.port_source);
    assert_eq!(app("MONGO_URI=mongodb://db/app\n").port, 8080, "without a suggestion, the service's own port");
}

/// Django settings that keep a feature's switch (off unless set) right above its store: the
/// store's localhost default matters only once the switch is on, a warning that names it. The
/// database's default, under no switch, still blocks.
#[test]
fn a_store_under_an_off_switch_warns_and_names_the_switch() {
    let settings = "import environ\nenv = environ.Env()\nSECRET_KEY = env(\"SECRET_KEY\")\nDATABASES = {\"default\": env.db(\"DATABASE_URL\", default=\"postgis://localhost/maps\")}\n\n# Live editing\n\nLIVE_ENABLED = env.bool(\"LIVE_ENABLED\", default=False)\n\nREDIS_URL = env(\"REDIS_URL\", default=\"redis://localhost:6379\")\n";
    let profile = profile_of_files(&[
        ("requirements.txt", "django==5.0\ndjango-environ==0.11\ngunicorn==22.0\n"),
        ("manage.py", "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"maps.settings\")\n"),
        ("maps/__init__.py", ""),
        ("maps/settings.py", settings),
        ("maps/wsgi.py", "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"),
    ]);
    let hosts: Vec<(FindingLevel, &str)> =
        findings(&profile, "localhost-default-host").iter().map(|f| (f.level, f.source.as_str())).collect();
    assert!(hosts.contains(&(FindingLevel::Warning, "maps/settings.py:10")), "{hosts:?}");
    let redis = findings(&profile, "localhost-default-host").into_iter().find(|f| f.source.ends_with(":10")).unwrap();
    assert!(redis.message.contains("LIVE_ENABLED (maps/settings.py:8)"), "{}", redis.message);
}

/// Drive's only disk is `fs`; a compose volume over the app's uploads folder: both keep user
/// files on the task's disk.
#[test]
fn drive_on_the_local_disk_and_an_uploads_volume_block() {
    let package = r#"{"name":"web","dependencies":{"@adonisjs/core":"6.12.0","@adonisjs/drive":"3.2.0"},"scripts":{"start":"node bin/server.js"}}"#;
    let drive = "import { defineConfig, services } from '@adonisjs/drive'\n\nexport default defineConfig({\n  default: env.get('DRIVE_DISK'),\n  services: {\n    fs: services.fs({ location: app.makePath('storage') }),\n  },\n})\n";
    let profile = profile_of_files(&[
        ("package.json", package),
        ("config/drive.ts", drive),
        ("bin/server.js", "await ignite()\n"),
    ]);
    let disk: Vec<(FindingLevel, &str)> =
        findings(&profile, "local-disk-writes").iter().map(|f| (f.level, f.source.as_str())).collect();
    assert_eq!(disk, [(FindingLevel::Blocker, "config/drive.ts:6")]);
    let compose = "services:\n  web:\n    build: .\n    volumes:\n      - maps:/srv/app/uploads\nvolumes:\n  maps:\n";
    let profile = profile_of_files(&[
        ("requirements.txt", "flask==3.0.0\ngunicorn==22.0\n"),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
        ("docker-compose.yml", compose),
    ]);
    let disk: Vec<(FindingLevel, &str)> =
        findings(&profile, "local-disk-writes").iter().map(|f| (f.level, f.source.as_str())).collect();
    assert_eq!(disk, [(FindingLevel::Blocker, "docker-compose.yml:5")]);
}
