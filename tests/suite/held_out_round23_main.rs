//! Blind round 23's classes, end to end: a console script that only runs Flask's development
//! server, a settings table whose entries pair a default with a variable, keys generated once
//! per task in a settings branch or a config constructor, a login switched off by default, an
//! environment destructuring with braces and comments inside, a websocket server's clients in
//! a module it imports, and a monorepo whose root starts one member.

use crate::app_fixtures::{findings, profile_of_files, variable};

use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::model::FindingLevel;

const SHARE_MAIN: &str = "import os\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/health')\ndef health():\n    return 'ok'\n\n\ndef main():\n    app.run(host='0.0.0.0', port=os.environ.get('SHARE_PORT', 5000))\n";

/// The repository's image ran `python setup.py install` and `CMD ["share"]`; ferry's image
/// installs the requirements only, so the script would not exist. gunicorn serves the app
/// object the script's function runs, and the image adds gunicorn.
#[tokio::test]
async fn a_console_script_that_runs_flasks_development_server_becomes_gunicorn() {
    let setup = "from setuptools import setup\nsetup(\n    name='share',\n    entry_points={\n        'console_scripts': [\n            'share = share.main:main',\n        ],\n    },\n)\n";
    let dockerfile = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt && python setup.py install\nCMD [\"share\"]\n";
    let profile = profile_of_files(&[
        ("setup.py", setup),
        ("requirements.txt", "Flask==3.0.0\nredis==5.0.0\n"),
        ("share/__init__.py", ""),
        ("share/main.py", SHARE_MAIN),
        ("Dockerfile", dockerfile),
    ]);
    assert_eq!(
        profile.start_command,
        ["gunicorn", "--bind", "0.0.0.0:5000", "share.main:app"],
        "{}",
        profile.start_source
    );
    assert!(findings(&profile, "start-from-dockerfile").is_empty(), "{:?}", profile.findings);
    let sandbox = Sandbox::load("python-shop", SandboxOptions::instant()).expect("the sandbox");
    let graph = ferry::discover::discover(&sandbox, sandbox.app_instance()).await.expect("discovers");
    let image = ferry::generate::dockerfile(&profile, &graph.instance);
    assert!(image.lines().any(|l| l.starts_with("RUN pip install") && l.contains("gunicorn")), "{image}");
}

const CONFIG_TABLE: &str = "import os\n\nCONFIG = {\n    \"database\": {\n        \"backend\": {\"default\": \"sqlite3\", \"env\": os.getenv(\"CFP_DB_TYPE\")},\n        \"name\": {\"env\": os.getenv(\"CFP_DB_NAME\")},\n    },\n    \"site\": {\n        \"debug\": {\n            \"default\": \"runserver\" in sys.argv,\n            \"env\": os.getenv(\"CFP_DEBUG\"),\n        },\n    },\n}\n";
const SETTINGS: &str = "from pathlib import Path\nfrom django.utils.crypto import get_random_string\nfrom cfp.config import CONFIG\n\nDATA_DIR = Path(__file__).parent / 'data'\nMEDIA_ROOT = DATA_DIR / 'media'\nif CONFIG.get('secret'):\n    SECRET_KEY = CONFIG['secret']\nelse:\n    SECRET_FILE = DATA_DIR / '.secret'\n    if SECRET_FILE.exists():\n        SECRET_KEY = SECRET_FILE.read_text()\n    else:\n        SECRET_KEY = get_random_string(50)\n";

/// A Django project under `src/`: the config table's `sqlite3` default is the database, the
/// settings branch makes a key per task, and file fields keep media on the task's disk.
#[test]
fn a_django_project_in_src_with_a_defaults_table() {
    let model = "from django.db import models\n\nclass Speaker(models.Model):\n    avatar = models.FileField(upload_to='avatars')\n";
    let profile = profile_of_files(&[
        (
            "pyproject.toml",
            "[project]\nname = \"cfp\"\nrequires-python = \">=3.11\"\ndependencies = [\"Django>=5\", \"gunicorn\"]\n",
        ),
        ("src/manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cfp.settings')\n"),
        ("src/cfp/__init__.py", ""),
        ("src/cfp/config.py", CONFIG_TABLE),
        ("src/cfp/settings.py", SETTINGS),
        (
            "src/cfp/wsgi.py",
            "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        ),
        ("src/cfp/models.py", model),
    ]);
    assert_eq!(variable(&profile, "CFP_DB_TYPE").default.as_deref(), Some("sqlite3"));
    assert_eq!(variable(&profile, "CFP_DEBUG").default, None, "a computed default is none");
    let level = |kind: &str| findings(&profile, kind).first().map(|f| (f.level, f.source.clone()));
    assert_eq!(level("sqlite"), Some((FindingLevel::Blocker, "src/cfp/config.py:5".to_string())));
    assert_eq!(level("per-process-secret"), Some((FindingLevel::Blocker, "src/cfp/settings.py:14".to_string())));
    assert_eq!(level("local-disk-writes"), Some((FindingLevel::Blocker, "src/cfp/settings.py:6".to_string())));
}

/// `const { … } = process.env` with a `'{}'` default and a comment inside still lists every
/// name; a login switch defaulting to off is a blocker; an Azure container's folder name is no
/// local folder; a prepare script that runs husky only in a git checkout needs no dev tools.
#[test]
fn a_node_config_with_braced_defaults_and_a_login_switched_off() {
    let config = "const {\n  JWT_TOKEN,\n  MARKDOWN_CONFIG = '{}',\n  // mathjax's the default\n  MARKDOWN_TEX = 'mathjax',\n  AUTH_ENABLED = 'false',\n  AZURE_STORAGE_STAGING_FOLDER_NAME = 'staging',\n} = process.env;\nmodule.exports = { JWT_TOKEN, MARKDOWN_CONFIG, MARKDOWN_TEX, AUTH_ENABLED, AZURE_STORAGE_STAGING_FOLDER_NAME };\n";
    let app = "const config = require('./config')\nconst express = require('express')\nexpress().listen(process.env.PORT || 3000)\n";
    let prepare = r#"node --eval \"const fs=require('fs'),cp=require('child_process');if(fs.existsSync('.git')&&!process.env.CI)cp.execSync('husky',{stdio:'inherit'})\""#;
    let manifest = format!(
        r#"{{"name":"notes","scripts":{{"start":"node app.js","prepare":"{prepare}"}},"dependencies":{{"express":"4.19.2"}},"devDependencies":{{"husky":"9.1.7"}}}}"#
    );
    let profile = profile_of_files(&[
        ("package.json", &manifest),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        ("app.js", app),
        ("config.js", config),
    ]);
    let token = variable(&profile, "JWT_TOKEN");
    assert!(token.secret && token.source == "config.js:2", "{token:?}");
    assert_eq!(variable(&profile, "MARKDOWN_TEX").default.as_deref(), Some("mathjax"));
    let off = findings(&profile, "auth-disabled");
    assert!(off.len() == 1 && off[0].level == FindingLevel::Blocker && off[0].source == "config.js:6", "{off:?}");
    assert!(findings(&profile, "local-disk-writes").is_empty(), "{:?}", profile.findings);
    assert!(findings(&profile, "install-needs-dev-deps").is_empty(), "{:?}", profile.findings);
}

/// A signalling server: the websocket server's file imports the realm that keeps every client
/// in a Map. A second task has its own realm.
#[test]
fn clients_kept_in_a_module_the_websocket_server_imports_block() {
    let server = "import { WebSocketServer } from \"ws\";\nimport type { Realm } from \"../models/realm.ts\";\nexport function serve(realm: Realm) {\n  const wss = new WebSocketServer({ noServer: true });\n  wss.on(\"connection\", (socket) => realm.add(socket));\n}\n";
    let realm = "export class Realm {\n  private readonly clients = new Map<string, unknown>();\n  add(socket: unknown) { this.clients.set(String(Date.now()), socket); }\n}\n";
    let main = "import express from \"express\";\nimport { serve } from \"./services/signal.ts\";\nconst app = express();\napp.get(\"/\", (_req, res) => res.send(\"peer\"));\napp.listen(9000);\n";
    let profile = profile_of_files(&[
        (
            "package.json",
            r#"{"name":"peer","scripts":{"start":"node dist/index.js"},"dependencies":{"express":"4.19.2","ws":"8.0.0"}}"#,
        ),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        ("src/index.ts", main),
        ("src/services/signal.ts", server),
        ("src/models/realm.ts", realm),
    ]);
    let kept = findings(&profile, "in-memory-sessions");
    assert!(kept.len() == 1 && kept[0].source == "src/models/realm.ts:2", "{:?}", profile.findings);
}

/// Two members could serve; the root's `server:start` script runs one by its package name.
#[test]
fn the_member_the_roots_start_script_runs_is_the_server() {
    let member = |name: &str| {
        format!(r#"{{"name":"{name}","scripts":{{"start":"node index.js"}},"dependencies":{{"express":"4.19.2"}}}}"#)
    };
    let (api, site) = (member("@desk/api"), member("@desk/site"));
    let listen = |port: u16| format!("const express = require('express')\nexpress().listen({port})\n");
    let profile = profile_of_files(&[
        (
            "package.json",
            r#"{"name":"desk","private":true,"scripts":{"server:start":"pnpm --filter @desk/api start","site:build":"pnpm --filter @desk/site build"}}"#,
        ),
        ("pnpm-workspace.yaml", "packages:\n  - packages/*\n"),
        ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"),
        ("packages/api/package.json", &api),
        ("packages/api/index.js", &listen(4000)),
        ("packages/site/package.json", &site),
        ("packages/site/index.js", &listen(5000)),
    ]);
    assert_eq!(profile.port, 4000, "{:?}", profile.findings);
    let located = findings(&profile, "server-in-subfolder");
    assert!(located.len() == 1 && located[0].message.contains("packages/api/"), "{:?}", profile.findings);
}

/// Go: every key of a defaults map read with the app's prefix (`SHOP_` + key), the bare names
/// the loop sets being the app's own; the mandatory list it checks afterwards requires the
/// prefixed variable whose default is empty.
#[test]
fn a_prefixed_defaults_loop_and_its_mandatory_list() {
    let config = "package main\n\nimport \"os\"\n\nfunc configParse() error {\n\tdefaults := map[string]string{\n\t\t\"POSTGRES\": \"postgres://db/shop\",\n\t\t\"PORT\":     \"8080\",\n\t\t\"ORIGIN\":   \"\",\n\t}\n\tfor key, value := range defaults {\n\t\tif os.Getenv(\"SHOP_\"+key) == \"\" {\n\t\t\tos.Setenv(key, value)\n\t\t} else {\n\t\t\tos.Setenv(key, os.Getenv(\"SHOP_\"+key))\n\t\t}\n\t}\n\tfor _, env := range []string{\"POSTGRES\", \"PORT\", \"ORIGIN\"} {\n\t\tif os.Getenv(env) == \"\" {\n\t\t\treturn errorMissingConfig\n\t\t}\n\t}\n\treturn nil\n}\n";
    let main = "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\tconfigParse()\n\thttp.ListenAndServe(\":\"+os.Getenv(\"PORT\"), nil)\n}\n";
    let profile = profile_of_files(&[
        ("go.mod", "module example.com/shop\n\ngo 1.21\n"),
        ("main.go", main),
        ("config.go", config),
    ]);
    let names: Vec<&str> = profile.variables.iter().map(|v| v.name.as_str()).collect();
    assert!(names.contains(&"SHOP_PORT") && !names.contains(&"PORT") && !names.contains(&"ORIGIN"), "{names:?}");
    assert!(variable(&profile, "SHOP_ORIGIN").required, "{:?}", variable(&profile, "SHOP_ORIGIN"));
    assert!(!variable(&profile, "SHOP_PORT").required, "its default is 8080");
}

/// Go settings filled from a struct literal's defaults, then one parse call per field naming
/// its variable: the literal's values are the defaults (SQLite, a committed admin password,
/// port 80), and the app's own port setting is moved above 1024 by the service.
#[test]
fn a_go_struct_literals_defaults_and_its_port_setting() {
    let config = "package config\n\nfunc Get() *Configuration {\n\tc := &Configuration{\n\t\tServer: Server{\n\t\t\tPort: 80,\n\t\t},\n\t\tDatabase: Database{\n\t\t\tDialect:    \"sqlite3\",\n\t\t\tConnection: \"data/app.db\",\n\t\t},\n\t\tDefaultUser: DefaultUser{\n\t\t\tName: \"admin\",\n\t\t\tPass: \"admin\",\n\t\t},\n\t}\n\tparseInt(&c.Server.Port, EnvServerPort)\n\tparseString(&c.Database.Dialect, EnvDatabaseDialect)\n\tparseString(&c.DefaultUser.Pass, EnvDefaultUserPass)\n\treturn c\n}\n\nfunc parseString(to *string, name string) {\n\tif value, ok := os.LookupEnv(name); ok {\n\t\t*to = value\n\t}\n}\n";
    let keys = "package config\n\nconst (\n\tEnvServerPort      = \"NOTIFY_SERVER_PORT\"\n\tEnvDatabaseDialect = \"NOTIFY_DATABASE_DIALECT\"\n\tEnvDefaultUserPass = \"NOTIFY_DEFAULTUSER_PASS\"\n)\n";
    let main = "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\t\"os\"\n\n\t\"example.com/notify/config\"\n)\n\nfunc main() {\n\tc := config.Get()\n\t_ = os.Getenv(config.EnvServerPort)\n\thttp.ListenAndServe(fmt.Sprintf(\":%d\", c.Server.Port), nil)\n}\n";
    let profile = profile_of_files(&[
        ("go.mod", "module example.com/notify\n\ngo 1.22\n"),
        ("main.go", main),
        ("config/config.go", config),
        ("config/keys.go", keys),
    ]);
    assert_eq!(variable(&profile, "NOTIFY_DATABASE_DIALECT").default.as_deref(), Some("sqlite3"));
    assert_eq!(findings(&profile, "sqlite").len(), 1, "{:?}", profile.findings);
    assert_eq!(findings(&profile, "secret-default").len(), 1, "{:?}", profile.findings);
    assert_eq!(profile.port, 8080, "{}", profile.port_source);
    let set = profile.env.iter().find(|e| e.name == "NOTIFY_SERVER_PORT").expect("the service sets the port setting");
    assert_eq!(set.value.as_deref(), Some("8080"));
}

/// A helper that reads a variable and its `_FILE` twin (`getFileEnv(name)`): both are read,
/// and a fallback after a call with the name in a constant is the variable's default.
#[test]
fn a_helper_reading_a_variable_and_its_file_twin() {
    let config = "function getFileEnv(envVariable) {\n  const origVar = process.env[envVariable];\n  const fileVar = process.env[envVariable + '_FILE'];\n  if (fileVar) {\n    return require('fs').readFileSync(fileVar, 'utf8').trim();\n  }\n  return origVar;\n}\n\nconst basicAuthPassword = 'ADMIN_BASICAUTH_PASSWORD';\nmodule.exports = {\n  connectionString: getFileEnv('ADMIN_MONGODB_URL'),\n  password: getFileEnv(basicAuthPassword) || 'pass',\n};\n";
    let app = "const config = require('./config')\nconst express = require('express')\nexpress().listen(process.env.PORT || 8081)\n";
    let profile = profile_of_files(&[
        ("package.json", r#"{"name":"admin","scripts":{"start":"node app.js"},"dependencies":{"express":"4.19.2"}}"#),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        ("app.js", app),
        ("config.js", config),
    ]);
    let names: Vec<&str> = profile.variables.iter().map(|v| v.name.as_str()).collect();
    assert!(names.contains(&"ADMIN_MONGODB_URL") && names.contains(&"ADMIN_MONGODB_URL_FILE"), "{names:?}");
    let committed = findings(&profile, "secret-default");
    assert!(committed.len() == 1 && committed[0].source == "config.js:13", "{:?}", profile.findings);
}
