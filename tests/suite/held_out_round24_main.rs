//! Blind round 24's classes, end to end: health routes a Nest prefix with a fallback puts
//! under `/api/v2`, a werkzeug rule, a middleware comparing the request path, an open `hello`;
//! the Prisma client the image must generate, a Prisma config that throws without its URL at
//! build, Next.js config values fixed at build, and a timer job in a module the server loads.

use crate::app_fixtures::{findings, profile_of_files};

use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::model::AppProfile;

async fn image_of(profile: &AppProfile) -> String {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).expect("the sandbox");
    let graph = ferry::discover::discover(&sandbox, sandbox.app_instance()).await.expect("discovers");
    ferry::generate::dockerfile(profile, &graph.instance)
}

const NEST_MANIFEST: &str = r#"{"name": "storage", "scripts": {"build": "nest build", "start": "nest start", "start:prod": "node dist/main"}, "dependencies": {"@nestjs/core": "11", "@nestjs/common": "11"}}"#;

/// `setGlobalPrefix(process.env.GLOBAL_PREFIX ?? '/api/v2')`: with the setting unset the
/// controller answers under the fallback, and `/` is a 404 a load balancer would count.
#[test]
fn a_nest_prefix_from_a_setting_with_a_fallback() {
    let main = "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.setGlobalPrefix(process.env.GLOBAL_PREFIX ?? '/api/v2');\n  await app.listen(process.env.PORT ?? 8080);\n}\nbootstrap();\n";
    let controller = "import { Controller, Get } from '@nestjs/common';\n\n@Controller('health')\nexport class HealthController {\n  @Get()\n  async health(): Promise<string> {\n    return 'healthy';\n  }\n}\n";
    let profile = profile_of_files(&[
        ("package.json", NEST_MANIFEST),
        ("package-lock.json", "{}"),
        ("src/main.ts", main),
        ("src/health/health.controller.ts", controller),
    ]);
    assert_eq!(profile.health_check_path, "/api/v2/health", "{}", profile.health_source);
    assert_eq!(profile.start_source, "package.json scripts.start:prod");
}

/// An app on werkzeug alone declares its URL map with `Rule(...)`: `/info` is open and cheap.
#[test]
fn a_werkzeug_rule_is_a_route() {
    let views = "from werkzeug.routing import Rule\nfrom werkzeug.wrappers import Response\n\nclass Info(object):\n    def __init__(self, app):\n        app.urls.add(Rule(\"/info\", endpoint=self.show))\n\n    def show(self, environ, request):\n        return Response('{}')\n";
    let profile = profile_of_files(&[
        ("setup.py", "from setuptools import setup\nsetup(name='comments', install_requires=['werkzeug'])\n"),
        ("requirements.txt", "werkzeug==3.0.0\n"),
        ("comments/__init__.py", ""),
        ("comments/views.py", views),
    ]);
    assert_eq!(profile.health_check_path, "/info", "{}", profile.health_source);
}

/// A middleware that answers `/status` itself, before any router sees the request.
#[test]
fn a_go_middleware_answering_a_path_it_compares() {
    let middleware = "package handlers\n\nimport \"net/http\"\n\nfunc addctx(next http.Handler) http.Handler {\n\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\t// Intercept /status here so it works everywhere.\n\t\tif r.URL.Path == \"/status\" {\n\t\t\tw.Write([]byte(\"{}\"))\n\t\t\treturn\n\t\t}\n\t\tnext.ServeHTTP(w, r)\n\t})\n}\n";
    let main = "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\":8081\", nil)\n}\n";
    let profile = profile_of_files(&[
        ("go.mod", "module example.com/counter\n\ngo 1.22\n"),
        ("main.go", main),
        ("handlers/mw.go", middleware),
    ]);
    assert_eq!(profile.health_check_path, "/status", "{}", profile.health_source);
}

/// A Spring controller's open `GET /server/hello` beats a user listing as the check.
#[test]
fn an_open_hello_route_beats_a_listing() {
    let server = "package app.web;\n\n@RestController\n@RequestMapping(\"/server\")\npublic class ServerController {\n    @GetMapping(\"/hello\")\n    public String hello() {\n        return \"hello\";\n    }\n}\n";
    let users = "package app.web;\n\n@RestController\n@RequestMapping(\"/user\")\npublic class UserController {\n    @GetMapping(\"/list\")\n    public List<User> list() {\n        return repository.findAll();\n    }\n}\n";
    let pom = "<project><parent><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>";
    let profile = profile_of_files(&[
        ("pom.xml", pom),
        ("src/main/java/app/web/ServerController.java", server),
        ("src/main/java/app/web/UserController.java", users),
    ]);
    assert_eq!(profile.health_check_path, "/server/hello", "{}", profile.health_source);
}

/// `@prisma/client` is a stub until `prisma generate` runs; the image installs before the
/// schema is there, so its build generates the client first.
#[tokio::test]
async fn the_image_generates_the_prisma_client() {
    let manifest = r#"{"name": "api", "main": "dist/main.js", "prisma": {"schema": "src/prisma/schema.prisma"}, "scripts": {"build": "tsc", "start": "node dist/main.js"}, "dependencies": {"@prisma/client": "4.16.0", "express": "4"}, "devDependencies": {"prisma": "4.16.0", "typescript": "5"}}"#;
    let schema = "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n";
    let profile = profile_of_files(&[
        ("package.json", manifest),
        ("package-lock.json", "{}"),
        ("src/prisma/schema.prisma", schema),
        (
            "src/main.ts",
            "import express from 'express';\nconst app = express();\napp.listen(process.env.PORT || 3000);\n",
        ),
    ]);
    let build = profile.build_command.clone().unwrap_or_default().join(" ");
    assert_eq!(build, "npx prisma generate && npm run build", "{:?}", profile.build_source);
    // A `prepare` the production install skips (husky) generates nothing in the image.
    let skipped = manifest
        .replace(r#""build": "tsc","#, r#""build": "tsc", "prepare": "husky install && prisma generate","#)
        .replace(r#""typescript": "5""#, r#""typescript": "5", "husky": "9""#);
    let with_husky = profile_of_files(&[
        ("package.json", skipped.as_str()),
        ("package-lock.json", "{}"),
        ("src/prisma/schema.prisma", schema),
    ]);
    assert!(
        with_husky.build_command.clone().unwrap_or_default().starts_with(&["npx".to_string(), "prisma".to_string()]),
        "{:?}",
        with_husky.build_command
    );
    let image = image_of(&profile).await;
    assert!(image.contains("RUN npx prisma generate && npm run build"), "{image}");
}

/// Prisma 7's config throws at load when `env('DATABASE_URL')` is unset, and the build's
/// `prisma generate` loads it: the build stage gets a placeholder, the service the real URL.
#[tokio::test]
async fn a_prisma_config_gets_a_placeholder_at_build_only() {
    let manifest = r#"{"name": "analytics", "scripts": {"build": "npm-run-all build-db build-app", "build-db": "prisma generate", "build-app": "next build", "start": "next start"}, "dependencies": {"@prisma/client": "7", "next": "15", "prisma": "7"}}"#;
    let config = "import 'dotenv/config';\nimport { defineConfig, env } from 'prisma/config';\n\nexport default defineConfig({\n  datasource: {\n    url: env('DATABASE_URL'),\n  },\n});\n";
    let next_config = "const basePath = process.env.BASE_PATH || '';\nexport default {\n  env: {\n    basePath,\n    currentVersion: '1.0',\n  },\n  basePath,\n  output: 'standalone',\n};\n";
    let page = "export default function Page() {\n  return fetch(`${process.env.basePath}/api/data`);\n}\n";
    let profile = profile_of_files(&[
        ("package.json", manifest),
        ("package-lock.json", "{}"),
        ("prisma.config.ts", config),
        ("next.config.ts", next_config),
        ("src/app/page.tsx", page),
    ]);
    let names: Vec<&str> = profile.variables.iter().map(|v| v.name.as_str()).collect();
    assert!(!names.contains(&"basePath"), "a key of next.config's env map is no setting: {names:?}");
    let base = profile.variables.iter().find(|v| v.name == "BASE_PATH").expect("BASE_PATH");
    assert!(base.build_time, "next.config reads it when the app builds");
    let image = image_of(&profile).await;
    let (build_stage, run_stage) = image.split_once("\n\nFROM ").expect("two stages");
    assert!(build_stage.contains("ARG DATABASE_URL=\"postgresql://placeholder@"), "{image}");
    assert!(build_stage.contains("ARG BASE_PATH"), "{image}");
    assert!(!run_stage.contains("DATABASE_URL"), "{image}");
}

/// kutt's cron module: a module-level `setInterval` that deletes expired rows, loaded by the
/// server, runs in every task.
#[test]
fn a_timer_job_in_a_module_the_server_loads() {
    let manifest =
        r#"{"name": "links", "scripts": {"start": "node server/server.js"}, "dependencies": {"express": "4"}}"#;
    let server = "const express = require('express');\nconst app = express();\nif (process.env.NODE_APP_INSTANCE === '0') {\n  require('./cron');\n}\napp.listen(3000);\n";
    let cron = "const query = require('./queries');\n\nsetInterval(function () {\n  query.link.batchRemove({ expire_in: ['<', new Date()] }).catch();\n}, 30_000);\n";
    let profile = profile_of_files(&[
        ("package.json", manifest),
        ("package-lock.json", "{}"),
        ("server/server.js", server),
        ("server/cron.js", cron),
        ("server/queries.js", "module.exports = { link: {} };\n"),
    ]);
    let jobs = findings(&profile, "scheduler");
    assert_eq!(
        jobs.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(),
        ["server/cron.js:3"],
        "{:?}",
        profile.findings
    );
}

/// `${key:#{null}}` defaults to no value: not a committed secret and not required. A port
/// Spring sets itself is nobody's setting, and a committed value is cited at the file line
/// that gives it.
#[test]
fn spring_expression_defaults_and_properties_spring_sets() {
    let login = "package app.auth;\n\n@Service\npublic class DingTalkLogin {\n    @Value(\"${oms.auth.dingtalk.appSecret:#{null}}\")\n    private String appSecret;\n    @Value(\"${oms.auth.initiliaze.admin.password}\")\n    private String adminPassword;\n    public String port() {\n        return environment.getProperty(\"local.server.port\");\n    }\n}\n";
    let properties = "server.port=7700\noms.auth.initiliaze.admin.password=powerjob_admin\n";
    let pom = "<project><parent><artifactId>spring-boot-starter-parent</artifactId><version>2.7.18</version></parent><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>";
    let profile = profile_of_files(&[
        ("pom.xml", pom),
        ("src/main/java/app/auth/DingTalkLogin.java", login),
        ("src/main/resources/application.properties", properties),
    ]);
    let secret = crate::app_fixtures::variable(&profile, "OMS_AUTH_DINGTALK_APPSECRET");
    assert!(!secret.required && secret.default.is_none(), "{secret:?}");
    assert!(
        findings(&profile, "secret-default").iter().all(|f| !f.message.contains("DINGTALK")),
        "{:?}",
        profile.findings
    );
    assert!(profile.variables.iter().all(|v| v.name != "LOCAL_SERVER_PORT"), "{:?}", profile.variables);
    let admin = crate::app_fixtures::variable(&profile, "OMS_AUTH_INITILIAZE_ADMIN_PASSWORD");
    assert_eq!(admin.source, "src/main/resources/application.properties:2");
}

/// A Flask production config that reads its database URI and secret key with no fallback
/// cannot work unset; a request header read from a WSGI container's per-request environ is
/// the client's, not a setting.
#[test]
fn flask_settings_the_framework_needs_and_request_headers() {
    let config = "import os\n\nclass BaseConfig:\n    UI_URL = os.environ.get('UI_URL', 'http://localhost')\n\nclass ProductionConfig(BaseConfig):\n    DEBUG = False\n    SQLALCHEMY_DATABASE_URI = os.environ.get(\"DATABASE_URL\")\n    SECRET_KEY = os.getenv(\"APP_SECRET_KEY\")\n";
    let init = "import os\nfrom flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    app.config.from_object(os.getenv('APP_SETTINGS', 'tracker.config.ProductionConfig'))\n    return app\n";
    let server = "class Container(WSGIContainer):\n    def environ(self, request):\n        self.env = WSGIContainer.environ(request)\n        return self.env\n\n    def _log(self, status_code, request):\n        ip = self.env.get(\"HTTP_FORWARD_FOR\", None) or request.remote_ip\n";
    let profile = profile_of_files(&[
        ("requirements.txt", "Flask==3.0.0\nFlask-SQLAlchemy==3.1.1\ntornado==6.4\n"),
        ("tracker/__init__.py", init),
        ("tracker/config.py", config),
        ("tracker/server.py", server),
    ]);
    for name in ["DATABASE_URL", "APP_SECRET_KEY"] {
        assert!(crate::app_fixtures::variable(&profile, name).required, "{name}");
    }
    assert!(profile.variables.iter().all(|v| v.name != "HTTP_FORWARD_FOR"), "{:?}", profile.variables);
}

/// config-mapper-env turns every leaf of the defaults file into a variable named by its path:
/// a localhost store there is a variable's default to replace, not a host "no variable
/// changes", and a list file under `data/` is read, not a folder of state.
#[test]
fn config_mapper_env_makes_every_default_a_variable() {
    let manifest = r#"{"name": "api", "scripts": {"start": "node src/index.js"}, "dependencies": {"config": "3", "config-mapper-env": "3", "koa": "3"}}"#;
    let mapping = "const df = require('./default.cjs');\nmodule.exports = require('config-mapper-env')(df);\n";
    let defaults = "module.exports = {\n\tserver: {\n\t\tport: 3000,\n\t},\n\tredis: {\n\t\tstandalonePersistent: {\n\t\t\turl: 'redis://localhost:7001',\n\t\t},\n\t\tsharedOptions: {\n\t\t\tpassword: 'PASSWORD',\n\t\t},\n\t},\n\tdata: {\n\t\tipBlacklistPath: 'data/IP_BLACKLIST.json',\n\t},\n};\n";
    let index = "const config = require('config');\nconst Koa = require('koa');\nconst app = new Koa();\napp.listen(config.get('server.port'));\n";
    let profile = profile_of_files(&[
        ("package.json", manifest),
        ("package-lock.json", "{}"),
        ("config/custom-environment-variables.cjs", mapping),
        ("config/default.cjs", defaults),
        ("src/index.js", index),
    ]);
    let redis = crate::app_fixtures::variable(&profile, "REDIS_STANDALONE_PERSISTENT_URL");
    assert!(redis.default.is_some() && redis.source == "config/default.cjs:7", "{redis:?}");
    assert!(crate::app_fixtures::variable(&profile, "REDIS_SHARED_OPTIONS_PASSWORD").secret);
    assert!(findings(&profile, "hard-coded-hosts").is_empty(), "{:?}", profile.findings);
    assert_eq!(findings(&profile, "localhost-default-host").len(), 1, "{:?}", profile.findings);
    assert!(findings(&profile, "local-disk-writes").is_empty(), "{:?}", profile.findings);
}

/// A picture upload saved under a folder built over several lines from the upload setting, made
/// with `os.makedirs`: the task's disk keeps it. The scheduler is cited where the served code
/// imports it.
#[test]
fn a_flask_upload_folder_built_over_lines_and_a_scheduler_at_its_import() {
    let auth = "import os\nfrom flask import current_app, request\n\ndef upload_picture(user):\n    file = request.files['file']\n    dirpath = os.path.join(\n        current_app.config[\"UPLOAD_FOLDER\"], \"pictures\", str(user.id)\n    )\n    if not os.path.exists(dirpath):\n        os.makedirs(dirpath)\n    file.save(os.path.join(dirpath, 'p.png'))\n";
    let app = "from flask import Flask\nfrom tracker.jobs import start\n\napp = Flask(__name__)\nstart()\n";
    let jobs = "import os\n\nfrom apscheduler.schedulers.background import BackgroundScheduler\n\ndef start():\n    BackgroundScheduler().start()\n";
    let profile = profile_of_files(&[
        ("requirements.txt", "Flask==3.0.0\nAPScheduler==3.10.4\n"),
        ("tracker/__init__.py", ""),
        ("tracker/app.py", app),
        ("tracker/jobs.py", jobs),
        ("tracker/auth.py", auth),
    ]);
    let disk = findings(&profile, "local-disk-writes");
    assert_eq!(
        disk.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(),
        ["tracker/auth.py:10"],
        "{:?}",
        profile.findings
    );
    let jobs = findings(&profile, "scheduler");
    assert_eq!(jobs.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["tracker/jobs.py:3"]);
}

/// An OAuth app's key beside its secret is the client id every browser sees; the secret is secret.
#[test]
fn an_oauth_apps_key_beside_its_secret_is_public() {
    let route = "export async function GET() {\n  const key = process.env.DROPBOX_APP_KEY;\n  const secret = process.env.DROPBOX_APP_SECRET;\n  return Response.redirect(`https://www.dropbox.com/oauth2/authorize?client_id=${key}`);\n}\n";
    let profile = profile_of_files(&[
        (
            "package.json",
            r#"{"name": "editor", "scripts": {"build": "next build", "start": "next start"}, "dependencies": {"next": "14"}}"#,
        ),
        ("package-lock.json", "{}"),
        ("app/api/dropbox/route.ts", route),
    ]);
    assert!(!crate::app_fixtures::variable(&profile, "DROPBOX_APP_KEY").secret);
    assert!(crate::app_fixtures::variable(&profile, "DROPBOX_APP_SECRET").secret);
}

/// A Go CLI served by its `serve` command: a key only `dashboard` reads is not the service's,
/// and SQLite as the `-db` flag's default beside a Postgres driver keeps the data on the task.
#[test]
fn a_go_cli_serves_one_command_with_sqlite_by_default() {
    let main = "package main\n\nfunc main() {\n\tswitch cmd {\n\tcase \"serve\":\n\t\tserve()\n\tcase \"dashboard\":\n\t\tdashboard()\n\t}\n}\n";
    let serve = "package main\n\nimport (\n\t\"net/http\"\n\t_ \"github.com/mattn/go-sqlite3\"\n\t_ \"github.com/lib/pq\"\n)\n\nfunc serve() {\n\thttp.ListenAndServe(\":8080\", nil)\n}\n\nfunc defaultDB() string {\n\treturn \"sqlite+./data/db.sqlite3\"\n}\n";
    let dashboard = "package main\n\nimport \"os\"\n\nfunc dashboard() {\n\tkey := os.Getenv(\"COUNTER_API_KEY\")\n\tif key == \"\" {\n\t\tpanic(\"COUNTER_API_KEY is required\")\n\t}\n}\n";
    let gomod = "module example.com/counter\n\ngo 1.22\n\nrequire (\n\tgithub.com/mattn/go-sqlite3 v1.14.22\n\tgithub.com/lib/pq v1.10.9\n)\n";
    let dockerfile = "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o /counter ./cmd/counter\nCMD [\"/counter\", \"serve\"]\n";
    let profile = profile_of_files(&[
        ("go.mod", gomod),
        ("Dockerfile", dockerfile),
        ("cmd/counter/main.go", main),
        ("cmd/counter/serve.go", serve),
        ("cmd/counter/dashboard.go", dashboard),
    ]);
    let key = crate::app_fixtures::variable(&profile, "COUNTER_API_KEY");
    assert!(
        !key.required && key.scope == ferry::model::VariableScope::Tooling,
        "{key:?} {}",
        profile.start_command.join(" ")
    );
    let sqlite = findings(&profile, "sqlite");
    assert_eq!(sqlite.len(), 1, "{:?}", profile.findings);
    assert_eq!(
        (sqlite[0].level, sqlite[0].source.as_str()),
        (ferry::model::FindingLevel::Blocker, "cmd/counter/serve.go:14")
    );
}

/// A `@Scheduled` job that takes a lock the tasks share before its work runs once, whatever
/// the task count: said, not warned.
#[test]
fn a_scheduled_job_behind_a_shared_lock_runs_once() {
    let clean = "package app.jobs;\n\n@Service\npublic class CleanService {\n    @Scheduled(cron = \"0 0 * * * ?\")\n    public void clean() {\n        if (!lockService.tryLock(\"clean\", 600000L)) {\n            return;\n        }\n        repository.deleteOld();\n    }\n}\n";
    let application = "package app;\n\n@EnableScheduling\n@SpringBootApplication\npublic class App {}\n";
    let pom = "<project><parent><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>";
    let profile = profile_of_files(&[
        ("pom.xml", pom),
        ("src/main/java/app/App.java", application),
        ("src/main/java/app/jobs/CleanService.java", clean),
    ]);
    let jobs = findings(&profile, "scheduler");
    assert_eq!(jobs.len(), 1, "{:?}", profile.findings);
    assert_eq!(jobs[0].level, ferry::model::FindingLevel::Info);
}
