//! Round 22's held-out apps where ferry read the wrong file as the app's configuration (helper
//! f): a test source set's settings, a database's port, a supervisor's config, a gRPC library's
//! default and a version floor each stood in for what the server really runs with.

use crate::app_fixtures::{findings, profile_of_files};

const GRADLE: &str = "plugins {\n  id 'java'\n  id 'org.springframework.boot' version '3.2.0'\n}\ndependencies {\n  implementation 'org.springframework.boot:spring-boot-starter-web'\n}\n";
const SPRING_MAIN: &str = "package depot;\n@SpringBootApplication\npublic class Depot { public static void main(String[] a) { SpringApplication.run(Depot.class, a); } }\n";

/// `src/acceptanceTest/`: a Gradle source set for tests. The token it asks for is the test
/// run's, and its `application.properties` port is where the tests expect a local server.
#[test]
fn a_test_source_set_gives_neither_variables_nor_the_port() {
    let client = "package depot;\n@Component\nclass TokenClient {\n  @Value(\"${ACCEPTANCE_LOGIN}\")\n  private String login;\n  @Value(\"${ACCEPTANCE_PASSWORD}\")\n  private String password;\n}\n";
    let app = profile_of_files(&[
        ("build.gradle", GRADLE),
        ("settings.gradle", "rootProject.name = 'depot'\n"),
        ("src/main/java/depot/Depot.java", SPRING_MAIN),
        ("src/main/resources/application.yaml", "server:\n  port: 8080\n"),
        ("src/acceptanceTest/java/depot/TokenClient.java", client),
        ("src/acceptanceTest/resources/application.properties", "server.port=9191\n"),
        ("src/integrationTest/resources/application.properties", "server.port=9292\n"),
    ]);
    assert_eq!(app.port, 8080, "{}", app.port_source);
    assert!(app.variables.iter().all(|v| !v.name.starts_with("ACCEPTANCE_")), "{:?}", app.variables);
    assert!(findings(&app, "required-env").is_empty(), "{:?}", app.findings);
}

const DJANGO_REQUIREMENTS: &str = "Django==5.0.4\ngunicorn==22.0.0\npsycopg[binary]==3.1.18\n";
const MANAGE: &str = "import os\nimport sys\n\nif __name__ == '__main__':\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'almanac.settings.base')\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n";
const WSGI: &str = "import os\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'almanac.settings.base')\napplication = get_wsgi_application()\n";

/// A settings module for the local compose stack connects to a second database named for the
/// product it belongs to: its `LEDGER_PORT` comes with `LEDGER_USER` and `LEDGER_PASSWORD`, a
/// login, so it is where the app connects, never where it listens. `web: make serve` runs the
/// Makefile's development server with a make the image lacks: gunicorn serves the wsgi module.
#[test]
fn a_database_port_and_a_make_target_are_neither_port_nor_start() {
    let base = "import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDEBUG = False\nALLOWED_HOSTS = ['*']\nROOT_URLCONF = 'almanac.urls'\nINSTALLED_APPS = ['django.contrib.contenttypes']\n";
    let compose = "from .base import *\n\nDATABASES['ledger'] = {\n    'ENGINE': 'django.db.backends.postgresql',\n    'NAME': os.environ.get('LEDGER_NAME', 'ledger'),\n    'USER': os.environ.get('LEDGER_USER', 'ledger'),\n    'PASSWORD': os.environ.get('LEDGER_PASSWORD', ''),\n    'HOST': os.environ.get('LEDGER_HOST', 'db'),\n    'PORT': os.environ.get('LEDGER_PORT', '5433'),\n}\n";
    let app = profile_of_files(&[
        ("requirements.txt", DJANGO_REQUIREMENTS),
        ("manage.py", MANAGE),
        ("almanac/__init__.py", ""),
        ("almanac/wsgi.py", WSGI),
        ("almanac/urls.py", "from django.urls import path\nurlpatterns = []\n"),
        ("almanac/settings/__init__.py", ""),
        ("almanac/settings/base.py", base),
        ("almanac/settings/compose.py", compose),
        ("Procfile", "web: make serve\nassets: make watch-css\n"),
        (
            "Makefile",
            "serve:\n\tpython manage.py runserver 0.0.0.0:8000\n\nwatch-css:\n\tnpx sass --watch assets:static\n",
        ),
    ]);
    assert_ne!(app.port, 5433, "{}", app.port_source);
    assert_eq!(app.start_command.first().map(String::as_str), Some("gunicorn"), "{}", app.start_source);
    assert_eq!(app.start_command.last().map(String::as_str), Some("almanac.wsgi:application"));
}
