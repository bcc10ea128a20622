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

/// The image runs supervisord, which ferry's image lacks, over three programs. The one serving
/// HTTP (uvicorn, on its own `--port`) is the start; the queue consumer beside it is a worker.
/// The store's `GRAPHSTORE_PORT`, read beside its user and password, is not the app's port.
#[test]
fn supervisords_http_program_is_the_start_and_the_others_are_workers() {
    let dockerfile = "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\nCOPY supervisor/app.conf /etc/supervisor/conf.d/app.conf\nCMD [\"supervisord\", \"-c\", \"/etc/supervisor/conf.d/app.conf\"]\n";
    let conf = "[supervisord]\nnodaemon=true\n\n[program:consumer]\ncommand=python -m relay.consume --batch 20\nautorestart=true\n\n[program:http]\ncommand=uvicorn relay.main:app --host %(ENV_RELAY_HOST)s --port 6110\nautorestart=true\n";
    let store = "import os\n\ndef store_url():\n    host = os.getenv('GRAPHSTORE_HOST', 'localhost')\n    port = os.getenv('GRAPHSTORE_PORT', '8000')\n    return f'ws://{host}:{port}/rpc'\n\ndef login():\n    return os.getenv('GRAPHSTORE_USER', 'root'), os.getenv('GRAPHSTORE_PASSWORD', 'root')\n";
    let app = profile_of_files(&[
        ("requirements.txt", "fastapi==0.111.0\nuvicorn==0.30.0\n"),
        ("Dockerfile", dockerfile),
        ("supervisor/app.conf", conf),
        ("relay/__init__.py", ""),
        (
            "relay/main.py",
            "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get('/health')\ndef health():\n    return {'ok': True}\n",
        ),
        ("relay/consume.py", "import time\nwhile True:\n    time.sleep(1)\n"),
        ("relay/store.py", store),
    ]);
    assert_eq!(app.start_command[..2], ["uvicorn", "relay.main:app"], "{}", app.start_source);
    assert_eq!(app.port, 6110, "{}", app.port_source);
    let workers = findings(&app, "worker-process");
    assert!(workers.iter().any(|f| f.source == "supervisor/app.conf:5"), "{:?}", app.findings);
}

/// A Go app starting a gRPC server beside its HTTP one: the gRPC package's default listen
/// address is that server's, and the web package's fallback address is never reached: the
/// HTTP server listens on `HTTP_PORT`, a required setting the
/// example environment file gives.
#[test]
fn a_grpc_packages_default_address_is_not_the_http_port() {
    let main = "package main\n\nimport (\n\t\"log\"\n\n\t\"example.com/ledger/config\"\n\t\"example.com/ledger/internal/app\"\n)\n\nfunc main() {\n\tcfg, err := config.Load()\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n\tapp.Run(cfg)\n}\n";
    let config = "package config\n\nimport \"github.com/caarlos0/env/v11\"\n\ntype Config struct {\n\tHTTPPort string `env:\"HTTP_PORT,required\"`\n\tRPCPort  string `env:\"GRPC_PORT,required\"`\n}\n\nfunc Load() (*Config, error) {\n\tcfg := &Config{}\n\treturn cfg, env.Parse(cfg)\n}\n";
    let run = "package app\n\nimport (\n\t\"github.com/gofiber/fiber/v2\"\n\t\"example.com/ledger/config\"\n\t\"example.com/ledger/pkg/grpclisten\"\n)\n\nfunc Run(cfg *config.Config) {\n\trpc := grpclisten.New(cfg.RPCPort)\n\tgo rpc.Start()\n\tweb := fiber.New()\n\tweb.Get(\"/healthz\", func(c *fiber.Ctx) error { return c.SendStatus(200) })\n\t_ = web.Listen(\":\" + cfg.HTTPPort)\n}\n";
    let rpc = "package grpclisten\n\nimport \"net\"\n\nconst defaultListenAddr = \":90\"\n\ntype Server struct{ address string }\n\nfunc New(port string) *Server {\n\ts := &Server{address: defaultListenAddr}\n\tif port != \"\" {\n\t\ts.address = net.JoinHostPort(\"\", port)\n\t}\n\treturn s\n}\n\nfunc (s *Server) Start() { _, _ = net.Listen(\"tcp\", s.address) }\n";
    let web = "package weblisten\n\nconst fallbackDefaultAddr = \":81\"\n\nfunc Address(port string) string {\n\tif port == \"\" {\n\t\treturn fallbackDefaultAddr\n\t}\n\treturn \":\" + port\n}\n";
    let app = profile_of_files(&[
        ("pkg/weblisten/address.go", web),
        (
            "go.mod",
            "module example.com/ledger\n\ngo 1.22\n\nrequire (\n\tgithub.com/caarlos0/env/v11 v11.0.0\n\tgithub.com/gofiber/fiber/v2 v2.52.0\n)\n",
        ),
        ("cmd/app/main.go", main),
        ("config/config.go", config),
        ("internal/app/app.go", run),
        ("pkg/grpclisten/server.go", rpc),
        (".env.example", "HTTP_PORT=8080\nGRPC_PORT=8081\n"),
    ]);
    assert_eq!(app.port, 8080, "{}", app.port_source);
}

/// `requires-python = ">=3.6"` says what the code still runs on, not what to run: the image
/// takes the newest supported release the range admits, and says the floor. A range capped
/// below the newest gives the newest under its cap; a supported floor stays as it is.
#[test]
fn a_long_unsupported_python_floor_is_not_the_version_to_run() {
    let version = |range: &str| {
        let pyproject = format!("[project]\nname = \"shelf\"\nversion = \"1.0\"\nrequires-python = \"{range}\"\n");
        let app = profile_of_files(&[
            ("pyproject.toml", pyproject.as_str()),
            ("requirements.txt", "Flask==3.0.3\n"),
            ("shelf.py", "from flask import Flask\napp = Flask(__name__)\n"),
        ]);
        app.runtime.expect("python")
    };
    let floor = version(">=3.6");
    assert_eq!(floor.version, "3.13");
    assert!(floor.source.contains(">=3.6"), "{}", floor.source);
    assert_eq!(version(">=3.7, <3.12").version, "3.11");
    assert_eq!(version(">=3.12").version, "3.12");
}
