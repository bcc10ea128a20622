//! Blind rounds 25 and 26's classes, end to end: a monorepo whose root start runs one workspace
//! program through run-script-os, a Go port constant for DNS, a listen host from settings that
//! fall back to localhost, a route table that says who may call each entry, a Go store that
//! defaults to memory, and names whose kind the general rules got wrong.

use crate::app_fixtures::{findings, profile_of_files, variable};

use ferry::model::{FindingLevel, VariableScope};

/// Flowise's shape: `start` is run-script-os, whose Linux twin starts an oclif bin in the
/// server package; a docs package beside it listens on its own constant. The image must run
/// the server by its path, install with every member's manifest, and take the server's port.
#[test]
fn a_workspace_program_started_through_run_script_os() {
    let root = r#"{"name": "flow", "scripts": {"build": "turbo run build", "start": "run-script-os", "start:windows": "cd packages/server/bin && run start", "start:default": "cd packages/server/bin && ./run start"}, "devDependencies": {"run-script-os": "1", "turbo": "1"}}"#;
    let server = "export async function start() {\n    const host = process.env.HOST\n    const port = parseInt(process.env.PORT || '', 10) || 3000\n    server.listen(port, host)\n}\n";
    let profile = profile_of_files(&[
        ("package.json", root),
        ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"),
        ("pnpm-workspace.yaml", "packages:\n    - 'packages/*'\n"),
        ("packages/server/package.json", r#"{"name": "flow-server", "bin": {"flow": "./bin/run"}}"#),
        ("packages/server/bin/run", "#!/usr/bin/env node\nrequire('@oclif/core').run()\n"),
        ("packages/server/src/index.ts", server),
        ("packages/api-documentation/package.json", r#"{"name": "docs", "scripts": {"start": "node dist/index.js"}}"#),
        (
            "packages/api-documentation/src/index.ts",
            "const app = express()\nconst port = 6655\napp.listen(port, () => {})\n",
        ),
    ]);
    assert_eq!(profile.start_command.join(" "), "node packages/server/bin/run start");
    assert_eq!((profile.port, profile.port_source.as_str()), (3000, "packages/server/src/index.ts:3"));
    assert_eq!(variable(&profile, "HOST").scope, VariableScope::Runtime, "the started package is the app's");
    for member in ["packages/server/package.json", "packages/api-documentation/package.json", "pnpm-workspace.yaml"] {
        assert!(profile.install_files.iter().any(|f| f == member), "{member}: {:?}", profile.install_files);
    }
}

/// cryptpad: `server.listen(Env.httpPort, Env.httpAddress)` where the settings object falls
/// back to `'localhost'`: the load balancer cannot reach the task, once for both servers.
#[test]
fn a_listen_host_from_settings_that_fall_back_to_localhost() {
    let env = "module.exports.create = function (config) {\n    return {\n        httpPort: config.httpPort || 3000,\n        httpAddress: typeof(config.httpAddress) === 'string'? config.httpAddress: 'localhost',\n    };\n};\n";
    let worker = "var server = Http.createServer(app);\nserver.listen(Env.httpPort, Env.httpAddress, w());\nsafeServer.listen(Env.httpSafePort, Env.httpAddress, w());\n";
    let profile = profile_of_files(&[
        (
            "package.json",
            r#"{"name": "pad", "scripts": {"start": "node server.js"}, "dependencies": {"express": "4"}}"#,
        ),
        ("package-lock.json", "{}"),
        ("server.js", "require('./lib/http-worker');\n"),
        ("lib/env.js", env),
        ("lib/http-worker.js", worker),
        ("config/config.example.js", "/*\n  httpAddress: e.g '192.168.0.1'\n*/\nmodule.exports = {};\n"),
    ]);
    let loopback = findings(&profile, "loopback-bind");
    assert_eq!(loopback.len(), 1, "{:?}", profile.findings);
    assert_eq!((loopback[0].level, loopback[0].source.as_str()), (FindingLevel::Blocker, "lib/env.js:4"));
    assert!(findings(&profile, "hard-coded-address").is_empty(), "a block comment's example: {:?}", profile.findings);
}

/// Gladys: routes in a table keyed `'get /path'`, each saying whether it needs a login; the
/// open ping is the health path, not the integration status behind its own token.
#[test]
fn a_route_table_names_its_open_ping() {
    let routes = "function getRoutes() {\n  const coreRoutes = {\n    'get /api/integration/v1/status': {\n      authenticated: false,\n      externalIntegrationAuth: true,\n    },\n    'get /api/v1/ping': {\n      authenticated: false,\n      controller: pingController.ping,\n    },\n  };\n  return coreRoutes;\n}\n";
    let profile = profile_of_files(&[
        (
            "package.json",
            r#"{"name": "home", "scripts": {"start": "node index.js"}, "dependencies": {"express": "4"}}"#,
        ),
        ("package-lock.json", "{}"),
        ("index.js", "const app = express();\napp.listen(process.env.SERVER_PORT || 1443);\n"),
        ("api/routes.js", routes),
    ]);
    assert_eq!(
        (profile.health_check_path.as_str(), profile.health_source.as_str()),
        ("/api/v1/ping", "api/routes.js:7")
    );
}

/// gatus: `dnsPort = 53` in the client is the port it dials; `DefaultPort = 8080` in
/// `config/web` is its own. Its storage type defaults to memory: each task keeps its own.
#[test]
fn a_go_monitor_dials_dns_and_keeps_its_data_in_memory() {
    let profile = profile_of_files(&[
        ("go.mod", "module github.com/acme/watch\n\ngo 1.24\n"),
        ("main.go", "package main\n\nfunc main() {\n\tstart()\n}\n"),
        ("client/client.go", "package client\n\nconst (\n\tdnsPort = 53\n)\n"),
        ("config/web/web.go", "package web\n\nconst (\n\tDefaultPort = 8080\n)\n"),
        ("storage/type.go", "package storage\n\nconst (\n\tTypeMemory Type = \"memory\"\n)\n"),
        (
            "storage/config.go",
            "package storage\n\nfunc (c *Config) Defaults() {\n\tif c.Type == \"\" {\n\t\tc.Type = TypeMemory\n\t}\n}\n",
        ),
    ]);
    assert_eq!((profile.port, profile.port_source.as_str()), (8080, "config/web/web.go:4"));
    assert!(findings(&profile, "low-port").is_empty(), "{:?}", profile.findings);
    let memory = findings(&profile, "in-memory-store");
    assert_eq!(
        memory.iter().map(|f| (f.level, f.source.as_str())).collect::<Vec<_>>(),
        [(FindingLevel::Blocker, "storage/config.go:5")]
    );
}

/// Names whose kind only their words tell: a region and a duration are no credentials, an
/// access key id and a cache's URL are secrets, a browser-inlined key protects nothing.
#[test]
fn names_judged_by_what_they_hold() {
    let code = "const region = process.env.SECRETKEY_AWS_REGION || 'us-east-1'\nconst threshold = process.env.TOKEN_UPDATE_LAST_LOGIN_THRESHOLD || '5 seconds'\nconst s3 = new S3({ accessKeyId: process.env.S3_STORAGE_ACCESS_KEY_ID })\nconst cache = process.env.CACHE_URL\nconst tolgee = new Tolgee({ apiKey: process.env.NEXT_PUBLIC_TOLGEE_API_KEY })\napp.listen(3000)\n";
    let profile = profile_of_files(&[
        (
            "package.json",
            r#"{"name": "api", "scripts": {"start": "node server.js"}, "dependencies": {"express": "4"}}"#,
        ),
        ("package-lock.json", "{}"),
        ("server.js", code),
    ]);
    for (name, secret) in [
        ("SECRETKEY_AWS_REGION", false),
        ("TOKEN_UPDATE_LAST_LOGIN_THRESHOLD", false),
        ("S3_STORAGE_ACCESS_KEY_ID", true),
        ("CACHE_URL", true),
        ("NEXT_PUBLIC_TOLGEE_API_KEY", false),
    ] {
        assert_eq!(variable(&profile, name).secret, secret, "{name}");
    }
    assert!(findings(&profile, "secret-default").is_empty(), "{:?}", profile.findings);
}

/// navidrome: `start` is `service start`, a child of another command; the server is the bare
/// binary, and librephotos' self-serving side script is not the Django site.
#[test]
fn a_nested_cobra_command_is_not_the_server() {
    let svc = "package cmd\n\nimport \"github.com/spf13/cobra\"\n\nfunc init() {\n\tsvcCmd.AddCommand(buildStartCmd())\n\trootCmd.AddCommand(svcCmd)\n}\n\nfunc buildStartCmd() *cobra.Command {\n\treturn &cobra.Command{\n\t\tUse:   \"start\",\n\t}\n}\n";
    let profile = profile_of_files(&[
        ("go.mod", "module github.com/acme/music\n\ngo 1.24\n"),
        ("main.go", "package main\n\nimport \"github.com/acme/music/cmd\"\n\nfunc main() {\n\tcmd.Execute()\n}\n"),
        ("cmd/svc.go", svc),
        (
            "cmd/root.go",
            "package cmd\n\nimport \"github.com/spf13/cobra\"\n\nvar rootCmd = &cobra.Command{\n\tUse: \"music\",\n}\n\nfunc serve() {\n\thttp.ListenAndServe(\":4533\", nil)\n}\n",
        ),
    ]);
    assert_eq!(profile.start_command, ["/app/music"], "{}", profile.start_source);
}

/// chartbrew: `NODE_ENV === "production" ? X : X_DEV` picks a branch. NODE_ENV is no secret and
/// no connection string; the `_DEV` twins are a developer's.
#[test]
fn a_mode_switch_picks_production_or_development_settings() {
    let config = "const settings = {\n  username: process.env.NODE_ENV === \"production\" ? process.env.CB_DB_USERNAME : process.env.CB_DB_USERNAME_DEV,\n  password: process.env.NODE_ENV === \"production\" ? process.env.CB_DB_PASSWORD : process.env.CB_DB_PASSWORD_DEV,\n};\nconst sequelize = new Sequelize(settings);\nconst secret = process.env.NODE_ENV === \"production\" ? process.env.CB_SECRET : process.env.CB_SECRET_DEV;\napp.listen(4019);\n";
    let profile = profile_of_files(&[
        (
            "package.json",
            r#"{"name": "cb", "scripts": {"start": "node index.js"}, "dependencies": {"express": "4", "sequelize": "6"}}"#,
        ),
        ("package-lock.json", "{}"),
        ("index.js", config),
    ]);
    assert!(!variable(&profile, "NODE_ENV").secret, "{:?}", variable(&profile, "NODE_ENV"));
    assert!(variable(&profile, "CB_DB_PASSWORD").secret);
    assert_eq!(variable(&profile, "CB_DB_PASSWORD_DEV").scope, VariableScope::Tooling);
    assert_eq!(variable(&profile, "CB_DB_PASSWORD").scope, VariableScope::Runtime);
}
