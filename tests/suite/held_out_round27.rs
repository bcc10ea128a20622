//! Blind round 27's classes, end to end: a maintainers' image that sets a port only root can
//! bind; a script that ends by exec'ing supervisord; a uv project whose start is its own
//! console script behind a `sh -c` that expands a variable; a Procfile line that expands
//! defaults; a router a module exports by name; a parser's default; Spring settings kept
//! outside the jar of a reactor module; settings a production module takes whole.

use crate::app_fixtures::{findings, profile_of_files, variable};

use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::model::{AppProfile, FindingLevel};

async fn image_of(profile: &AppProfile) -> String {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).expect("the sandbox");
    let graph = ferry::discover::discover(&sandbox, sandbox.app_instance()).await.expect("discovers");
    ferry::generate::dockerfile(profile, &graph.instance)
}

/// The maintainers' image sets `ENV PORT=80` and runs as root; ferry's image runs as a user
/// who cannot bind 80, so the code's own fallback (3333) is the port, with no low-port warning.
#[test]
fn a_root_images_low_port_gives_way_to_the_codes_own() {
    let profile = profile_of_files(&[
        ("package.json", r#"{"name": "shelf", "main": "index.js", "dependencies": {"express": "4"}}"#),
        ("package-lock.json", "{}"),
        (
            "index.js",
            "const express = require('express')\nconst app = express()\nconst PORT = process.env.PORT || 3333\napp.listen(PORT)\n",
        ),
        (
            "Dockerfile",
            "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nEXPOSE 80\nENV PORT=80\nCMD [\"node\", \"index.js\"]\n",
        ),
    ]);
    assert_eq!(profile.port, 3333, "{}", profile.port_source);
    assert!(findings(&profile, "low-port").is_empty(), "{:?}", profile.findings);
}

/// mediacms' shape: the image's command is a script that prepares, then `exec`s supervisord,
/// whose programs sit in an include folder. The server is the gunicorn program, by name,
/// bound to every interface, without the maintainers' user and folder; celery is a worker.
#[test]
fn a_script_that_execs_supervisord_starts_its_web_program() {
    let profile = profile_of_files(&[
        ("requirements.txt", "Django==5.1\ngunicorn==23.0\ncelery==5.4\n"),
        ("manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cms.settings')\n"),
        ("cms/settings.py", "SECRET_KEY = 'x'\nROOT_URLCONF = 'cms.urls'\nINSTALLED_APPS = []\n"),
        (
            "cms/wsgi.py",
            "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cms.settings')\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        ),
        ("deploy/start.sh", "#!/bin/sh\nset -e\necho starting\nexec /usr/bin/supervisord\n"),
        (
            "deploy/supervisord/gunicorn.conf",
            "[program:gunicorn]\ncommand=/home/site/bin/gunicorn cms.wsgi:application --workers=2 --bind=127.0.0.1:9000 --user=www-data --chdir=/home/site/app\n",
        ),
        ("deploy/supervisord/celery.conf", "[program:celery]\ncommand=/home/site/bin/celery -A cms worker\n"),
        ("deploy/supervisord/nginx.conf", "[program:nginx]\ncommand=/usr/sbin/nginx -g 'daemon off;'\n"),
        (
            "Dockerfile",
            "FROM python:3.13\nWORKDIR /home/site/app\nCOPY . .\nEXPOSE 9000 80\nCMD [\"./deploy/start.sh\"]\n",
        ),
    ]);
    assert_eq!(profile.start_command[..2], ["gunicorn", "cms.wsgi:application"], "{}", profile.start_source);
    assert!(profile.start_command.iter().any(|w| w.starts_with("--bind=0.0.0.0:")), "{:?}", profile.start_command);
    assert!(!profile.start_command.iter().any(|w| w.starts_with("--user") || w.starts_with("--chdir")));
    let workers = findings(&profile, "worker-process");
    assert_eq!(workers.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["deploy/supervisord/celery.conf:2"]);
}

/// kinto's shape: uv, the image's `sh -c "kinto migrate ... && kinto start --ini $KINTO_INI
/// --port $PORT"`, extras on a continued `uv sync` line, the console script in pyproject. The
/// image installs the project with those extras, runs the start in a shell that expands
/// `$KINTO_INI` and execs it, and takes the image's `PORT` among several ENV pairs.
#[tokio::test]
async fn a_uv_projects_own_script_behind_a_shell() {
    let pyproject = "[project]\nname = \"kinto\"\nrequires-python = \">=3.10\"\ndependencies = [\"pyramid\"]\n\n[project.optional-dependencies]\npostgresql = [\"psycopg2\"]\n\n[project.scripts]\nkinto = \"kinto.__main__:main\"\n";
    let dockerfile = "FROM python:3.10 AS builder\nRUN uv sync --locked --no-dev \\\n    --extra postgresql \\\n    --no-editable\n\nFROM python:3.10-slim\nENV PATH=\"/opt/venv/bin:$PATH\" \\\n    KINTO_INI=/etc/kinto/kinto.ini \\\n    PORT=8888\nCMD [\"sh\", \"-c\", \"kinto migrate --ini $KINTO_INI && kinto start --ini $KINTO_INI --port $PORT\"]\n";
    let profile = profile_of_files(&[
        ("pyproject.toml", pyproject),
        ("uv.lock", "version = 1\n"),
        ("kinto/__init__.py", "DEFAULT_SETTINGS = {\n    \"storage_backend\": \"kinto.core.storage.memory\",\n}\n"),
        (
            "kinto/__main__.py",
            "import os\nCONFIG = os.getenv(\"KINTO_INI\", \"config/kinto.ini\")\n\ndef main():\n    pass\n",
        ),
        ("Dockerfile", dockerfile),
    ]);
    assert_eq!(profile.port, 8888, "{}", profile.port_source);
    assert!(profile.install_project, "the start runs the project's own script");
    assert_eq!(profile.install_extras, ["postgresql"]);
    let image = image_of(&profile).await;
    assert!(image.contains("COPY . .\nRUN uv sync --frozen --no-dev --no-editable --extra postgresql\n"), "{image}");
    assert!(image.contains(r#"CMD ["sh", "-c", "exec kinto start --ini \"$KINTO_INI\" --port"#), "{image}");
    let memory = findings(&profile, "in-memory-store");
    assert_eq!(memory.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["kinto/__init__.py:2"]);
}

/// A Procfile line a shell runs (`--bind 0.0.0.0:${PORT:-8000}`) keeps its expansions: the
/// image's command is a shell that expands them and execs the server.
#[tokio::test]
async fn a_procfile_line_that_expands_defaults_runs_in_a_shell() {
    let profile = profile_of_files(&[
        ("requirements.txt", "Django==5.1\ngunicorn==23.0\n"),
        ("manage.py", "import os\n"),
        ("app/settings.py", "ROOT_URLCONF = 'app.urls'\nINSTALLED_APPS = []\n"),
        (
            "app/wsgi.py",
            "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\napplication = None\n",
        ),
        ("Procfile", "web: gunicorn --bind 0.0.0.0:${PORT:-8000} -w ${GUNICORN_WORKERS:-3} app.wsgi\n"),
    ]);
    let image = image_of(&profile).await;
    let cmd = image.lines().find(|l| l.starts_with("CMD ")).expect("a command");
    assert!(cmd.starts_with(r#"CMD ["sh", "-c", "exec gunicorn"#), "{cmd}");
    assert!(cmd.contains(r#"\"${GUNICORN_WORKERS:-3}\""#), "{cmd}");
}

/// codimd's and growthbook's shapes: a router a module exports by name and a mount requires
/// in place, and a port handed to the app's parser with its fallback after it.
#[test]
fn an_exported_router_mounted_in_place_and_a_parsers_fallback() {
    let profile = profile_of_files(&[
        ("package.json", r#"{"name": "pad", "main": "app.js", "dependencies": {"express": "4"}}"#),
        (
            "app.js",
            "const express = require('express')\nconst app = express()\napp.use(require('./lib/metrics').router)\napp.listen(parseEnvInt(process.env.BACKEND_PORT || process.env.PORT, 3100, { min: 0 }))\n",
        ),
        (
            "lib/metrics.js",
            "const { Router } = require('express')\nconst appRouter = Router()\nappRouter.get('/status', (req, res) => res.send('ok'))\nexports.router = appRouter\n",
        ),
    ]);
    assert_eq!(profile.health_check_path, "/status", "{}", profile.health_source);
    assert_eq!(profile.port, 3100, "{}", profile.port_source);
    assert_eq!(variable(&profile, "BACKEND_PORT").default.as_deref(), Some("3100"));
}

/// kkFileView's shape: a module whose parent is its reactor's own pom (a release version no
/// registry holds) builds from the reactor, and its settings, kept outside the jar, are placed
/// in `config/` where Spring Boot reads them. A Redis address only a conditional class binds
/// is a warning, never rewritten to 0.0.0.0.
#[tokio::test]
async fn a_reactor_module_with_its_settings_outside_the_jar() {
    let reactor = tempfile::tempdir().expect("a folder");
    let root = "<project><groupId>cn.k</groupId><artifactId>viewer-parent</artifactId><version>4.4.0</version><packaging>pom</packaging><modules><module>server</module></modules></project>";
    let module = "<project><parent><artifactId>viewer-parent</artifactId><groupId>cn.k</groupId><version>4.4.0</version></parent><artifactId>viewer</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>";
    let settings = "server.port = ${KK_SERVER_PORT:8012}\ncache.type = ${KK_CACHE_TYPE:jdk}\nspring.redisson.address = ${KK_SPRING_REDISSON_ADDRESS:127.0.0.1:6379}\n";
    let redisson = "@ConditionalOnExpression(\"'${cache.type:default}'.equals('redis')\")\n@ConfigurationProperties(prefix = \"spring.redisson\")\n@Configuration\npublic class RedissonConfig {\n    private String address;\n}\n";
    let app = "@SpringBootApplication\npublic class App {\n    public static void main(String[] args) {}\n}\n";
    for (path, text) in [
        ("pom.xml", root),
        ("server/pom.xml", module),
        ("server/src/main/config/application.properties", settings),
        ("server/src/main/java/cn/k/RedissonConfig.java", redisson),
        ("server/src/main/java/cn/k/App.java", app),
    ] {
        let path = reactor.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let files = ferry::analyze::AppFiles::read(&reactor.path().join("server")).expect("reads");
    let profile = ferry::analyze::analyze_folder(&files);
    assert_eq!(
        profile.build_command.as_ref().map(|b| b.join(" ")).as_deref(),
        Some("mvn -B -pl server -am package -DskipTests")
    );
    let placed: Vec<(&str, &str)> = profile.placed_files.iter().map(|p| (p.from.as_str(), p.to.as_str())).collect();
    assert_eq!(placed, [("server/src/main/config/application.properties", "config/application.properties")]);
    assert!(!profile.env.iter().any(|e| e.name.contains("REDISSON")), "{:?}", profile.env);
    let redis = findings(&profile, "localhost-default-host");
    assert!(!redis.is_empty() && redis.iter().all(|f| f.level == FindingLevel::Warning), "{redis:?}");
    let image = image_of(&profile).await;
    assert!(
        image.contains(
            "COPY --chown=1000:1000 server/src/main/config/application.properties ./config/application.properties\n"
        ),
        "{image}"
    );
}

/// flagsmith's shape: `ALLOWED_HOSTS: list[str] = env.list(..., default=[])` in a base module
/// a production module takes whole; counts, cooldowns and delimiters named after passwords
/// and URLs are settings; a demand inside a feature's function runs when it is used.
#[test]
fn settings_a_production_module_takes_whole_and_names_that_only_mention_secrets() {
    let common = "import environ\nenv = environ.Env()\nSECRET_KEY = env(\"DJANGO_SECRET_KEY\", default=\"x\")\nALLOWED_HOSTS: list[str] = env.list(\"DJANGO_ALLOWED_HOSTS\", default=[])\nMAX_PASSWORD_RESET_EMAILS = env.int(\"MAX_PASSWORD_RESET_EMAILS\", 5)\nREPLICA_DATABASE_URLS_DELIMITER = env(\"REPLICA_DATABASE_URLS_DELIMITER\", default=\",\")\nROLE_ARN = env.str(\"INGESTION_ROLE_ARN\", default=\"\")\nROOT_URLCONF = \"app.urls\"\nINSTALLED_APPS = []\n";
    let profile = profile_of_files(&[
        ("requirements.txt", "Django==5.1\ngunicorn==23.0\ndjango-environ==0.11\n"),
        ("manage.py", "import os\n"),
        ("app/settings/common.py", common),
        ("app/settings/production.py", "from app.settings.common import *\n"),
        (
            "app/wsgi.py",
            "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings.production')\napplication = None\n",
        ),
        (
            "infra/service.py",
            "from django.conf import settings\n\ndef provision(org):\n    if not settings.ROLE_ARN:\n        raise ImproperlyConfigured(\"INGESTION_ROLE_ARN is not set\")\n",
        ),
        ("infra/views.py", "def post(request):\n    provision(request.org)\n"),
    ]);
    let hosts = findings(&profile, "hard-coded-hosts");
    assert_eq!(hosts.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["app/settings/common.py:4"]);
    assert!(!variable(&profile, "MAX_PASSWORD_RESET_EMAILS").secret);
    assert!(!variable(&profile, "REPLICA_DATABASE_URLS_DELIMITER").secret);
    assert!(
        findings(&profile, "required-env").iter().all(|f| !f.message.contains("INGESTION_ROLE_ARN")),
        "{:?}",
        profile.findings
    );
}
