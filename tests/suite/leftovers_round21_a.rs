//! Round 21's start and port leftovers, each in a small app of its own: a development image
//! beside the production one, a database sidecar's image, Spring Boot 1's packaging task and
//! health path.

use crate::app_fixtures::profile_of_files;

const FLASK_APP: &str = "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n";
const REQUIREMENTS: &str = "flask==3.0.3\ngunicorn==22.0.0\n";

/// A production `Dockerfile` that leaves its command to the compose file, beside a
/// `Dockerfile-dev` whose entrypoint script runs `flask run`: the development image never
/// says how the app starts, and neither does its development server on its own.
#[test]
fn a_development_image_never_gives_the_start() {
    let production = "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\nENTRYPOINT [\"/sbin/tini\", \"--\"]\n";
    let development = "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\nCOPY ./entry-dev.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\n";
    let script = "#!/bin/sh\nset -e\nexec flask run --host=0.0.0.0\n";
    let beside = profile_of_files(&[
        ("requirements.txt", REQUIREMENTS),
        ("shop/__init__.py", FLASK_APP),
        ("Dockerfile", production),
        ("Dockerfile-dev", development),
        ("entry-dev.sh", script),
    ]);
    assert!(
        !beside.start_command.iter().any(|w| w == "flask"),
        "{:?} from {}",
        beside.start_command,
        beside.start_source
    );
    assert!(!beside.start_source.contains("Dockerfile-dev"), "{}", beside.start_source);
    let alone = profile_of_files(&[
        ("requirements.txt", REQUIREMENTS),
        ("shop/__init__.py", FLASK_APP),
        (
            "dev.Dockerfile",
            "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nCMD [\"flask\", \"run\", \"--host=0.0.0.0\"]\n",
        ),
    ]);
    assert!(!alone.start_command.iter().any(|w| w == "flask"), "{:?} from {}", alone.start_command, alone.start_source);
}

/// A Django app whose root image leaves its command to the compose file, beside a database
/// backup image in `pg-backup/` (built on postgres, running cron): the sidecar's command is
/// never the app's start.
#[test]
fn a_database_sidecars_image_never_gives_the_start() {
    let sidecar = "FROM postgres:16\nRUN apt-get update && apt-get install -y cron\nCOPY cronfile /etc/cron.d/cronfile\nCMD [\"cron\", \"-f\"]\n";
    let root = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n";
    let compose = "services:\n  web:\n    build: .\n    command: gunicorn shop.wsgi:application\n";
    let app = profile_of_files(&[
        ("requirements.txt", "django==5.0.6\ngunicorn==22.0.0\n"),
        ("manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"),
        ("shop/settings.py", "ROOT_URLCONF = 'shop.urls'\n"),
        ("shop/wsgi.py", "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"),
        ("Dockerfile", root),
        ("docker-compose.yml", compose),
        ("pg-backup/Dockerfile", sidecar),
    ]);
    assert!(!app.start_command.iter().any(|w| w == "cron"), "{:?} from {}", app.start_command, app.start_source);
    assert_eq!(app.start_command.first().map(String::as_str), Some("gunicorn"), "{}", app.start_source);
}

/// Settings that read `PORT` (falling back to 80) only to build the site's links, and a
/// `gunicorn.conf.py` that binds 8000: gunicorn reads its config file on its own, so 8000 is
/// where the app listens.
#[test]
fn gunicorns_config_file_bind_is_the_port_not_a_link_building_port() {
    let settings = "import os\nROOT_URLCONF = 'shop.urls'\nDOMAIN = os.environ.get('DOMAIN', 'shop.test')\nPORT = int(os.environ.get('PORT', 80))\nBASE_URL = f'https://{DOMAIN}:{PORT}'\n";
    let app = profile_of_files(&[
        ("requirements.txt", "django==5.0.6\ngunicorn==22.0.0\n"),
        ("manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"),
        ("shop/settings.py", settings),
        ("shop/wsgi.py", "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"),
        ("gunicorn.conf.py", "workers = 2\nbind = \"[::]:8000\"\n"),
        ("Procfile", "web: gunicorn shop.wsgi:application\n"),
    ]);
    assert_eq!(app.port, 8000, "{}", app.port_source);
    assert!(app.port_source.contains("gunicorn.conf.py:2"), "{}", app.port_source);
}

/// A Gradle app on Spring Boot 1.5: its plugin has no `bootJar` task (Boot 2 added it), and
/// `bootRepackage` makes the executable jar.
#[test]
fn spring_boot_one_packages_with_boot_repackage() {
    let gradle = |version: &str| {
        format!(
            "buildscript {{\n  dependencies {{\n    classpath('org.springframework.boot:spring-boot-gradle-plugin:{version}')\n  }}\n}}\napply plugin: 'java'\napply plugin: 'org.springframework.boot'\ndependencies {{\n  compile 'org.springframework.boot:spring-boot-starter-web'\n}}\n"
        )
    };
    let main = "package shop;\n@SpringBootApplication\npublic class App { public static void main(String[] a) { SpringApplication.run(App.class, a); } }\n";
    let app = |version: &str| {
        profile_of_files(&[
            ("build.gradle", &gradle(version)),
            ("settings.gradle", "rootProject.name = 'shop'\n"),
            ("src/main/java/shop/App.java", main),
        ])
    };
    let one = app("1.5.10.RELEASE");
    assert!(one.build_command.iter().flatten().any(|w| w == "bootRepackage"), "{:?}", one.build_command);
    let two = app("2.7.18");
    assert!(two.build_command.iter().flatten().any(|w| w == "bootJar"), "{:?}", two.build_command);
}
