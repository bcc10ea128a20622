//! Blind round 29's classes, end to end through the folder reader and analysis: a monorepo
//! member whose settings live in the workspace packages it depends on, an image that exposes
//! SSH beside the web server and builds a cgo-only feature, a Redis client made only when its
//! variable is set, and dependencies whose install needs build tools or a particular pnpm.

use ferry::analyze::{AppFiles, analyze_folder};

use crate::app_fixtures::{findings, folder_of_files, profile_of_files, variable};

/// documenso's shape: apps/web depends on `@acme/lib` (`*`), which depends on `@acme/db`
/// (`workspace:*`); both read the environment the running app must be given. A package the
/// member does not depend on says nothing about it.
#[test]
fn a_members_variables_include_the_workspace_packages_it_runs_with() {
    let repo = folder_of_files(&[
        ("package.json", r#"{"name": "acme", "workspaces": ["apps/*", "packages/*"]}"#),
        ("package-lock.json", "{}"),
        (
            "apps/web/package.json",
            r#"{"name": "@acme/web", "scripts": {"start": "node server.js"}, "dependencies": {"@acme/lib": "*", "express": "4"}}"#,
        ),
        ("apps/web/server.js", "require('express')().listen(process.env.PORT || 3000);\n"),
        ("packages/lib/package.json", r#"{"name": "@acme/lib", "dependencies": {"@acme/db": "workspace:*"}}"#),
        ("packages/lib/auth.ts", "export const secret = process.env.SESSION_SIGNING_SECRET;\n"),
        ("packages/db/package.json", r#"{"name": "@acme/db"}"#),
        ("packages/db/client.ts", "export const url = process.env.PRIMARY_DATABASE_URL;\n"),
        ("packages/tools/package.json", r#"{"name": "@acme/tools"}"#),
        ("packages/tools/x.ts", "export const t = process.env.TOOLS_ONLY;\n"),
    ]);
    let member = AppFiles::read(&repo.path().join("apps/web")).expect("the member reads");
    let profile = analyze_folder(&member);
    let secret = variable(&profile, "SESSION_SIGNING_SECRET");
    assert!(secret.secret && secret.source == "../../packages/lib/auth.ts:1", "{secret:?}");
    assert!(variable(&profile, "PRIMARY_DATABASE_URL").secret, "a linked package's own dependency");
    assert!(profile.variables.iter().all(|v| v.name != "TOOLS_ONLY"), "not a dependency of the member");
    let install = findings(&profile, "lockfile-outside-folder");
    assert!(
        install[0].level == ferry::model::FindingLevel::Blocker && install[0].message.contains("@acme/lib"),
        "{install:?}"
    );
}

/// gogs's shape: the maintainers' image exposes SSH first (`EXPOSE 22 3000`) and builds with
/// `-tags "pam prod"`, where `pam` binds libpam through cgo.
#[test]
fn the_web_port_among_exposed_ones_and_a_cgo_tag_left_out_of_the_static_build() {
    let profile = profile_of_files(&[
        ("go.mod", "module example.com/forge\n\ngo 1.22\n\nrequire github.com/msteinert/pam v1.2.0\n"),
        ("main.go", "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\":3000\", nil)\n}\n"),
        (
            "auth/pam.go",
            "//go:build pam\n\npackage auth\n\nimport \"github.com/msteinert/pam\"\n\nvar _ = pam.StartFunc\n",
        ),
        (
            "Dockerfile",
            "FROM golang:1.22\nRUN apt-get install -y libpam0g-dev\nCOPY . .\nRUN go build -v -tags \"pam sso\" -o forge .\nEXPOSE 22 3000\nCMD [\"./forge\"]\n",
        ),
        ("sso.go", "//go:build sso\n\npackage main\n"),
    ]);
    assert_eq!(profile.port, 3000, "{}", profile.port_source);
    let build = profile.build_command.as_ref().expect("a build").join(" ");
    assert!(build.contains("-tags timetzdata,sso") && !build.contains("pam"), "{build}");
    assert_eq!(findings(&profile, "build-tag-needs-cgo")[0].source, "auth/pam.go:5");
}

/// grist's shape: the Redis client is made in a class that only a test of REDIS_URL
/// constructs, and from a local the code returns early without: unset, nothing connects.
#[test]
fn a_redis_client_made_only_when_its_variable_is_set_has_no_localhost_fallback() {
    let profile = profile_of_files(&[
        (
            "package.json",
            r#"{"name": "sheets", "scripts": {"start": "node server.js"}, "dependencies": {"redis": "4", "ioredis": "5"}}"#,
        ),
        ("package-lock.json", "{}"),
        (
            "lib/workers.js",
            "const { createClient } = require('redis');\nclass WorkerMap {\n  constructor() {\n    this.client = createClient(process.env.REDIS_URL);\n  }\n}\nfunction workers() {\n  if (process.env.REDIS_URL) {\n    return new WorkerMap();\n  }\n  return null;\n}\nmodule.exports = { workers };\n",
        ),
        (
            "lib/jobs.js",
            "const IORedis = require('ioredis');\nfunction connection() {\n  const url = process.env.JOBS_REDIS_URL;\n  if (!url) {\n    return undefined;\n  }\n  return new IORedis(url);\n}\nmodule.exports = { connection };\n",
        ),
        (
            "server.js",
            "require('./lib/workers').workers();\nrequire('./lib/jobs').connection();\nrequire('http').createServer().listen(process.env.PORT || 8484);\n",
        ),
    ]);
    for name in ["REDIS_URL", "JOBS_REDIS_URL"] {
        let read = variable(&profile, name);
        assert!(read.secret && read.default.is_none() && !read.required, "{read:?}");
    }
    assert!(findings(&profile, "localhost-default-host").is_empty(), "{:?}", profile.findings);
}

use crate::app_fixtures::migration_of_files as migrate;

/// netbox's `psycopg[c]` compiles against libpq; a pnpm lockfile of format 6.0 with no
/// `packageManager` field needs pnpm 8, whatever corepack would pick.
#[tokio::test]
async fn installs_get_the_build_tools_and_the_pnpm_release_they_need() {
    let python = migrate(&[
        ("requirements.txt", "Django==5.2\npsycopg[c,pool]==3.3.4\ngunicorn==23\n"),
        ("manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n"),
        ("site/wsgi.py", "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"),
    ])
    .await;
    assert!(python.profile.system_packages.contains(&"libpq-dev".to_string()), "{:?}", python.profile);
    assert!(python.artifacts.dockerfile.contains("libpq-dev"), "{}", python.artifacts.dockerfile);
    let node = migrate(&[
        (
            "package.json",
            r#"{"name": "shop", "scripts": {"start": "node server.js"}, "dependencies": {"express": "4"}}"#,
        ),
        ("pnpm-lock.yaml", "lockfileVersion: '6.0'\n"),
        ("server.js", "require('express')().listen(process.env.PORT || 3000);\n"),
    ])
    .await;
    assert_eq!(node.profile.package_manager_release.as_deref(), Some("8"));
    let dockerfile = &node.artifacts.dockerfile;
    assert!(
        dockerfile.contains("RUN npm install --global pnpm@8 && pnpm install --frozen-lockfile --prod"),
        "{dockerfile}"
    );
}

/// documenso's shape: a React Router server whose health check is a flat file route
/// (`app/routes/api+/health.ts` with a loader) answering at `/api/health`.
#[test]
fn a_react_router_file_route_is_the_health_check() {
    let profile = profile_of_files(&[
        (
            "package.json",
            r#"{"name": "web", "scripts": {"build": "react-router build", "start": "node build/server/main.js"}, "dependencies": {"react-router": "7", "hono": "4"}}"#,
        ),
        ("package-lock.json", "{}"),
        ("server/main.js", "import { serve } from '@hono/node-server';\nserve({ fetch: app.fetch, port: 3000 });\n"),
        (
            "app/routes/api+/health.ts",
            "export const loader = async () => {\n  return Response.json({ status: 'ok' });\n};\n",
        ),
        ("app/routes/_index.tsx", "export default function Home() { return null; }\n"),
    ]);
    assert_eq!(profile.health_check_path, "/api/health", "{}", profile.health_source);
}
