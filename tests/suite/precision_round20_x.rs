//! Precision classes found by reading ferry's findings against a Spring Boot admin server
//! whose settings live in profile files: the port is `server.port` of the profile Spring
//! starts with, not another component's `*.port` the code binds; `@Scheduled` methods run only
//! where scheduling is switched on; and the `VOLUME /tmp` of Spring's guides keeps no state.

use crate::app_fixtures::{findings, profile_of_files as analyze_folder};

const POM: &str = "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n    <version>3.3.1</version>\n  </parent>\n  <groupId>org.example</groupId>\n  <artifactId>ledger</artifactId>\n  <version>1.0.0</version>\n  <properties>\n    <java.version>17</java.version>\n  </properties>\n  <dependencies>\n    <dependency>\n      <groupId>org.springframework.boot</groupId>\n      <artifactId>spring-boot-starter-web</artifactId>\n    </dependency>\n  </dependencies>\n  <build>\n    <finalName>ledger</finalName>\n  </build>\n</project>\n";

const APPLICATION: &str = "spring:\n  application:\n    name: ledger\n  profiles:\n    active: local\n";

/// The profile's file sets the web port and, further down, the port of a job runner's agent.
const LOCAL: &str = "server:\n  port: 7070\n\nrunner:\n  agent:\n    enabled: false\n    port: 9191\n";

const PROD: &str = "server:\n  port: 7070\nrunner:\n  agent:\n    port: 9191\n";

/// A component that binds its agent's port into a field named `port`.
const AGENT: &str = "package org.example.ledger;\n\nimport org.springframework.beans.factory.annotation.Value;\nimport org.springframework.context.annotation.Configuration;\n\n@Configuration\npublic class AgentConfig {\n    @Value(\"${runner.agent.port}\")\n    private int port;\n}\n";

/// A `@Scheduled` method in an app that never switches scheduling on.
const SWEEP: &str = "package org.example.ledger;\n\nimport org.springframework.scheduling.annotation.Scheduled;\nimport org.springframework.stereotype.Component;\n\n@Component\npublic class Sweep {\n    @Scheduled(cron = \"0 */5 * * * ?\")\n    public void run() {}\n}\n";

const MAIN: &str = "package org.example.ledger;\n\nimport org.springframework.boot.SpringApplication;\nimport org.springframework.boot.autoconfigure.SpringBootApplication;\n\n@SpringBootApplication\npublic class LedgerApplication {\n    public static void main(String[] args) { SpringApplication.run(LedgerApplication.class, args); }\n}\n";

const DOCKERFILE: &str =
    "FROM eclipse-temurin:17\nVOLUME /tmp\nADD target/ledger.jar app.jar\nCMD java -jar /app.jar\nEXPOSE 7070\n";

fn ledger(main: &str) -> ferry::model::AppProfile {
    analyze_folder(&[
        ("pom.xml", POM),
        ("Dockerfile", DOCKERFILE),
        ("src/main/resources/application.yml", APPLICATION),
        ("src/main/resources/application-local.yml", LOCAL),
        ("src/main/resources/application-prod.yml", PROD),
        ("src/main/java/org/example/ledger/AgentConfig.java", AGENT),
        ("src/main/java/org/example/ledger/Sweep.java", SWEEP),
        ("src/main/java/org/example/ledger/LedgerApplication.java", main),
    ])
}

/// application.yml has no `server.port`; the active profile's file does. A job agent's port
/// bound into a field is not where the web server listens.
#[test]
fn the_active_profiles_server_port_is_the_port() {
    let app = ledger(MAIN);
    assert_eq!(app.port, 7070, "{}", app.port_source);
    assert_eq!(app.port_source, "src/main/resources/application-local.yml:2");
}

/// Without `@EnableScheduling` a `@Scheduled` method is never run on a timer; with it, it is.
#[test]
fn scheduled_methods_count_only_where_scheduling_is_enabled() {
    let app = ledger(MAIN);
    assert!(findings(&app, "scheduler").is_empty(), "{:?}", app.findings);
    let enabled = MAIN.replace("@SpringBootApplication\n", "@SpringBootApplication\n@EnableScheduling\n");
    let app = ledger(&enabled);
    let sources: Vec<&str> = findings(&app, "scheduler").iter().map(|f| f.source.as_str()).collect();
    assert_eq!(sources, ["src/main/java/org/example/ledger/Sweep.java:8"], "{:?}", app.findings);
}

/// `VOLUME /tmp` gives Tomcat a scratch folder: it is no state a task loses.
#[test]
fn a_tmp_volume_is_not_state() {
    let app = ledger(MAIN);
    assert!(findings(&app, "local-disk-writes").is_empty(), "{:?}", app.findings);
}

// ---------------------------------------------------------------------------------------------
// Python: a Django base settings module the image's settings module replaces, and a Flask
// app whose image binds its port on the start command.

const DJANGO_REQUIREMENTS: &str = "Django==4.2.11\ngunicorn==21.2.0\npsycopg2-binary==2.9.9\n";

const COMMON_SETTINGS: &str = "import os\n\nBASE_DIR = os.path.dirname(os.path.dirname(__file__))\nROOT_URLCONF = \"tracker.urls\"\nINSTALLED_APPS = [\"django.contrib.auth\", \"tracker\"]\nDEBUG = False\nALLOWED_HOSTS = [\"*\"]\nSECRET_KEY = \"k3y-wr1tten-1n-the-base-settings-0123456789\"\n";

/// The deployment's settings: copied into `settings/` by the image, star-importing the base.
const DEPLOY_SETTINGS: &str = "from .common import *\nimport os\n\nSECRET_KEY = os.getenv(\"TRACKER_SECRET_KEY\")\n";

const TRACKER_DOCKERFILE: &str = "FROM python:3.11-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt && cp deploy/config.py settings/config.py\nENV DJANGO_SETTINGS_MODULE=settings.config\nEXPOSE 8000\nCMD [\"gunicorn\", \"tracker.wsgi:application\", \"--bind\", \"0.0.0.0:8000\"]\n";

fn tracker(deploy: &str) -> ferry::model::AppProfile {
    analyze_folder(&[
        ("requirements.txt", DJANGO_REQUIREMENTS),
        ("manage.py", "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"settings.common\")\n"),
        ("settings/__init__.py", ""),
        ("settings/common.py", COMMON_SETTINGS),
        ("deploy/config.py", deploy),
        ("tracker/__init__.py", ""),
        ("tracker/urls.py", "from django.urls import path\nurlpatterns = []\n"),
        (
            "tracker/wsgi.py",
            "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        ),
        ("Dockerfile", TRACKER_DOCKERFILE),
    ])
}

/// The key written in the base settings is replaced by the deployment's settings module, which
/// reads it from the environment; a deployment module that keeps the base's key still warns.
#[test]
fn a_base_settings_key_the_deployment_module_reads_from_the_environment_is_no_secret_default() {
    let app = tracker(DEPLOY_SETTINGS);
    let secrets: Vec<&str> = findings(&app, "secret-default").iter().map(|f| f.source.as_str()).collect();
    assert!(secrets.is_empty(), "{:?}", app.findings);
    let app = tracker("from .common import *\nimport os\n\nDEBUG = os.getenv(\"TRACKER_DEBUG\") == \"1\"\n");
    let secrets: Vec<&str> = findings(&app, "secret-default").iter().map(|f| f.source.as_str()).collect();
    assert_eq!(secrets, ["settings/common.py:8"], "{:?}", app.findings);
}

const FLASK_SERVER: &str = "import os\n\nfrom flask import Flask\n\nif os.environ.get(\"MAILER_TLS\"):\n    fallback_port = 587\nelse:\n    fallback_port = 25\nMAILER_PORT = int(os.environ.get(\"MAILER_PORT\", fallback_port))\n\napp = Flask(__name__)\n\n\n@app.get(\"/health\")\ndef health():\n    return \"ok\"\n";

/// The image's gunicorn binds 0.0.0.0:7777 itself: the mail relay's port setting is not the
/// listen port, and the service does not set it to 7777.
#[test]
fn a_start_command_that_binds_the_port_needs_no_port_setting() {
    let app = analyze_folder(&[
        ("requirements.txt", "Flask==3.0.3\ngunicorn==22.0.0\n"),
        ("server.py", FLASK_SERVER),
        ("wsgi.py", "from server import app\n"),
        (
            "Dockerfile",
            "FROM python:3.12-slim\nWORKDIR /code\nCOPY . .\nRUN pip install -r requirements.txt\nEXPOSE 7777\nCMD [\"gunicorn\",\"wsgi:app\",\"-b\",\"0.0.0.0:7777\",\"-w\",\"2\"]\n",
        ),
    ]);
    assert_eq!(app.port, 7777, "{}", app.port_source);
    assert!(findings(&app, "port-setting").is_empty(), "{:?}", app.findings);
    assert!(!app.env.iter().any(|e| e.name == "MAILER_PORT"), "{:?}", app.env);
}

const TESTER: &str = "import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get(\"/callback\")\ndef callback():\n    return \"ok\"\n\n\nif __name__ == \"__main__\":\n    app.secret_key = os.urandom(24)\n    app.run(debug=True)\n";

fn with_tester(tester: &str) -> ferry::model::AppProfile {
    analyze_folder(&[
        ("requirements.txt", "Flask==3.0.3\ngunicorn==22.0.0\n"),
        ("server.py", FLASK_SERVER),
        ("wsgi.py", "from server import app\n"),
        ("oauth_probe.py", tester),
        (
            "Dockerfile",
            "FROM python:3.12-slim\nWORKDIR /code\nCOPY . .\nRUN pip install -r requirements.txt\nEXPOSE 7777\nCMD [\"gunicorn\",\"wsgi:app\",\"-b\",\"0.0.0.0:7777\"]\n",
        ),
    ])
}

/// A key a tester script makes under its `__main__` guard is never made by the gunicorn the
/// image starts; the same key made at import still is.
#[test]
fn a_key_made_in_a_main_block_the_start_does_not_run_is_not_per_process() {
    let app = with_tester(TESTER);
    assert!(findings(&app, "per-process-secret").is_empty(), "{:?}", app.findings);
    let at_import = TESTER
        .replace("\n\nif __name__ == \"__main__\":\n    app.secret_key", "\napp.secret_key")
        .replace("    app.run(debug=True)\n", "");
    let app = with_tester(&at_import);
    let sources: Vec<&str> = findings(&app, "per-process-secret").iter().map(|f| f.source.as_str()).collect();
    assert_eq!(sources, ["oauth_probe.py:12"], "{:?}", app.findings);
}
