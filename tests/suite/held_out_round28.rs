//! Blind round 28's classes, end to end: a server whose port only its maintainers' image
//! names, on an instance whose target group sends traffic elsewhere.

use ferry::analyze::AppFiles;

use crate::app_fixtures::migration_of_files as migrate;

/// vikunja's shape: the Go server listens on its own setting's default, which only the
/// maintainers' image says (`EXPOSE 3456`), and reads no PORT. The instance's target group sends
/// traffic to 3000 through a proxy: the container runs the app alone, so its port is 3456.
#[tokio::test]
async fn the_maintainers_images_port_wins_over_the_target_groups_when_the_app_reads_no_port() {
    let migration = migrate(&[
        ("go.mod", "module example.com/tasks\n\ngo 1.22\n"),
        (
            "main.go",
            "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\thttp.ListenAndServe(os.Getenv(\"TASKS_INTERFACE\"), nil)\n}\n",
        ),
        ("Dockerfile", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /tasks .\nEXPOSE 3456\nCMD [\"/tasks\"]\n"),
    ])
    .await;
    let profile = &migration.profile;
    assert_eq!(profile.port, 3456, "{}", profile.port_source);
    assert!(profile.findings.iter().any(|f| f.kind == "port-disagreement" && f.message.contains("reads no PORT")));
    assert_eq!(migration.artifacts.service_config.primary_container.container_port, 3456);
    assert!(migration.artifacts.dockerfile.contains("EXPOSE 3456"), "{}", migration.artifacts.dockerfile);
}

fn profile(files: &[(&str, &str)]) -> ferry::model::AppProfile {
    crate::app_fixtures::profile_of_files(files)
}

/// swetrix's and grist's shape: `start` runs a development watcher (`nest start`, a
/// `watch.sh`), and `start:prod` the server, through a script that ends by exec'ing node with
/// the settings it needs. The production script runs, its settings kept; `build:prod` builds.
#[test]
fn a_development_start_gives_way_to_the_production_script() {
    let watch = profile(&[
        (
            "package.json",
            r#"{"name": "sheets", "scripts": {"start": "sandbox/watch.sh", "start:prod": "sandbox/run.sh", "build": "buildtools/build.sh", "build:prod": "buildtools/build.sh prod"}, "dependencies": {"express": "4"}}"#,
        ),
        ("yarn.lock", ""),
        ("sandbox/watch.sh", "#!/usr/bin/env bash\ntsc --build -w &\nnodemon _build/server.js\n"),
        (
            "sandbox/run.sh",
            "#!/usr/bin/env bash\nset -e\nexec env NODE_PATH=_build:_build/stubs node _build/stubs/server.js\n",
        ),
        (
            "stubs/server.ts",
            "import express from 'express'\nexpress().listen(parseInt(process.env.PORT!, 10) || 8484)\n",
        ),
    ]);
    assert_eq!(watch.start_command, ["env", "NODE_PATH=_build:_build/stubs", "node", "_build/stubs/server.js"]);
    assert_eq!(watch.start_source, "package.json scripts.start:prod");
    assert_eq!(watch.build_command.as_deref(), Some(&["yarn".to_string(), "run".into(), "build:prod".into()][..]));
    let nest = profile(&[
        (
            "package.json",
            r#"{"name": "api", "scripts": {"start": "cross-env NODE_ENV=development nest start", "start:prod": "npm run db:init && node dist/main", "db:init": "node migrations/init.js", "build": "nest build"}, "dependencies": {"@nestjs/core": "10"}, "devDependencies": {"cross-env": "7", "@nestjs/cli": "10"}}"#,
        ),
        ("package-lock.json", "{}"),
        ("src/main.ts", "const app = await NestFactory.create(AppModule)\nawait app.listen(5005)\n"),
    ]);
    assert!(nest.start_source.ends_with("scripts.start:prod"), "{:?} {}", nest.start_command, nest.start_source);
    assert!(!nest.start_command.iter().any(|w| w == "start" || w == "nest"), "{:?}", nest.start_command);
}

/// vikunja's shape: viper reads every key of the app's own key type under its prefix; the
/// server binds `SERVICE_INTERFACE` (`:3456`), not the mailer's port; a key-value store that
/// defaults to memory blocks; Redis's host is no finding while Redis is switched off.
#[test]
fn viper_keys_of_the_apps_key_type_are_its_settings() {
    let config = "package config\n\nimport \"github.com/spf13/viper\"\n\ntype Key string\n\nconst (\n\tServiceInterface Key = `service.interface`\n\tServiceSecret Key = `service.secret`\n\tMailerPort Key = `mailer.port`\n\tRedisEnabled Key = `redis.enabled`\n\tRedisHost Key = `redis.host`\n\tKeyvalueType Key = `keyvalue.type`\n)\n\nfunc (k Key) GetString() string {\n\treturn viper.GetString(string(k))\n}\n\nfunc (k Key) setDefault(i interface{}) {\n\tviper.SetDefault(string(k), i)\n}\n\nfunc InitDefaultConfig() {\n\tServiceInterface.setDefault(\":3456\")\n\tMailerPort.setDefault(587)\n\tRedisEnabled.setDefault(false)\n\tRedisHost.setDefault(\"localhost:6379\")\n\tKeyvalueType.setDefault(\"memory\")\n}\n\nfunc InitConfig() {\n\tInitDefaultConfig()\n\tviper.SetEnvPrefix(\"vikunja\")\n\tviper.SetEnvKeyReplacer(strings.NewReplacer(\".\", \"_\"))\n\tviper.AutomaticEnv()\n}\n";
    let app = profile(&[
        ("go.mod", "module code.example.com/tasks\n\ngo 1.22\n\nrequire github.com/spf13/viper v1.19.0\n"),
        ("pkg/config/config.go", config),
        (
            "main.go",
            "package main\n\nimport (\n\t\"net/http\"\n\t\"code.example.com/tasks/pkg/config\"\n)\n\nfunc main() {\n\tconfig.InitConfig()\n\thttp.ListenAndServe(config.ServiceInterface.GetString(), nil)\n}\n",
        ),
        ("tools/go.mod", "module code.example.com/tools\n"),
        ("tools/git.go", "package tools\n\nfunc v() { exec.Command(\"git\", \"log\") }\n"),
    ]);
    let secret = crate::app_fixtures::variable(&app, "VIKUNJA_SERVICE_SECRET");
    assert!(secret.secret, "{secret:?}");
    assert_eq!(app.port, 3456, "{}", app.port_source);
    let memory = crate::app_fixtures::findings(&app, "in-memory-store");
    assert!(memory.iter().any(|f| f.message.contains("VIKUNJA_KEYVALUE_TYPE")), "{:?}", app.findings);
    assert!(!app.findings.iter().any(|f| f.message.contains("VIKUNJA_REDIS_HOST")), "{:?}", app.findings);
    // The tools module is another program: the git it runs is not the server's.
    assert!(app.system_packages.is_empty(), "{:?}", app.system_packages);
}

/// A Node server that runs ffmpeg through child_process: the image that runs it installs the
/// Debian package, and says why.
#[tokio::test]
async fn a_program_the_code_runs_is_installed_in_the_final_image() {
    let migration = migrate(&[
        ("package.json", r#"{"name": "media", "main": "server.js", "dependencies": {"express": "4"}}"#),
        ("package-lock.json", "{}"),
        (
            "server.js",
            "const express = require('express')\nconst { spawn } = require('child_process')\nconst app = express()\napp.post('/thumb', (req, res) => { spawn('ffmpeg', ['-i', req.query.f]) })\napp.listen(process.env.PORT || 3000)\n",
        ),
    ])
    .await;
    assert_eq!(migration.profile.system_packages, ["ffmpeg"]);
    let programs = crate::app_fixtures::findings(&migration.profile, "external-programs");
    assert_eq!(programs[0].source, "server.js:4");
    let dockerfile = &migration.artifacts.dockerfile;
    assert!(dockerfile.contains("apt-get install -y --no-install-recommends ffmpeg"), "{dockerfile}");
}

/// psitransfer's shape: a loop names each setting `PREFIX_` plus its key with `_` before each
/// capital; a password setting is a secret, a rule about passwords is not. Grist's shape: an
/// options object names the variable a settings layer reads.
#[test]
fn names_a_loop_or_an_options_object_builds() {
    let app = profile(&[
        ("package.json", r#"{"name": "transfer", "main": "app.js", "dependencies": {"express": "4"}}"#),
        ("package-lock.json", "{}"),
        (
            "config.js",
            "const config = {\n  uploadDir: './data',\n  adminPass: false,\n  requireBucketPassword: false,\n};\nlet envName;\nfor (let k in config) {\n  envName = 'TRANSFER_' + k.replace(/([A-Z])/g, $1 => \"_\" + $1).toUpperCase();\n  if (process.env[envName]) config[k] = process.env[envName];\n}\nmodule.exports = config;\n",
        ),
        (
            "app.js",
            "const express = require('express')\nconst config = require('./config')\nconst key = settings.flag('apiKey').readString({\n  envVar: ['ASSISTANT_API_KEY', 'OPENAI_API_KEY'],\n})\nexpress().listen(process.env.PORT || 3000)\n",
        ),
    ]);
    let names: Vec<&str> = app.variables.iter().map(|v| v.name.as_str()).collect();
    for name in ["TRANSFER_UPLOAD_DIR", "TRANSFER_ADMIN_PASS", "ASSISTANT_API_KEY", "OPENAI_API_KEY"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    assert!(crate::app_fixtures::variable(&app, "TRANSFER_ADMIN_PASS").secret);
    assert!(!crate::app_fixtures::variable(&app, "TRANSFER_REQUIRE_BUCKET_PASSWORD").secret);
}

/// A health path an integration asks another server for (`this.url("/api/health")`) is not
/// one the app serves.
#[test]
fn an_integrations_health_url_is_not_the_apps_route() {
    let app = profile(&[
        ("package.json", r#"{"name": "board", "main": "server.js", "dependencies": {"express": "4"}}"#),
        ("package-lock.json", "{}"),
        (
            "server.js",
            "const express = require('express')\nconst app = express()\napp.get('/', (req, res) => res.send('ok'))\napp.listen(process.env.PORT || 3000)\n",
        ),
        (
            "src/integrations/coolify/coolify-integration.js",
            "class Coolify {\n  async test() {\n    const healthUrl = this.url(\"/api/health\");\n  }\n}\n",
        ),
    ]);
    assert_ne!(app.health_check_path, "/api/health", "{}", app.health_source);
}

/// Python's shapes: gunicorn's config binds loopback with a port; a requirements file that
/// only installs the project itself (`-e .[dev,test]`); a CI that asks for `3.x`.
#[tokio::test]
async fn a_python_project_its_requirements_install_and_its_gunicorn_bind() {
    let files = [
        ("requirements.txt", "-e .[dev,test]\n"),
        ("setup.py", "from setuptools import setup\nsetup(name='shots', install_requires=['flask', 'gunicorn'])\n"),
        ("gunicorn.conf.py", "workers = 2\nbind = \"127.0.0.1:5000\"\n"),
        (
            ".github/workflows/bump.yml",
            "jobs:\n  bump:\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: '3.x'\n",
        ),
        (
            "shots/__init__.py",
            "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n",
        ),
        ("shots/wsgi.py", "from shots import create_app\napp = create_app()\n"),
    ];
    let alone = profile(&files);
    assert_eq!((alone.port, alone.port_source.as_str()), (5000, "gunicorn.conf.py:2"));
    assert!(!alone.findings.iter().any(|f| f.message.contains("listened on 127")), "{:?}", alone.findings);
    assert_ne!(alone.runtime.as_ref().map(|r| r.version.as_str()), Some("3"));
    let migration = migrate(&files).await;
    let dockerfile = &migration.artifacts.dockerfile;
    let copy = dockerfile.find("COPY --chown=1000:1000 . .").expect("the source is copied");
    let install = dockerfile.find("RUN pip install --no-cache-dir .").expect("the project installs");
    assert!(copy < install && !dockerfile.contains("--requirement requirements.txt"), "{dockerfile}");
}

/// zwave-js-ui's shape: a loop over names taken from the environment reads only those a
/// literal list admits (`if (availableKeys.includes(k)) process.env[`KEY_${k}`]`): each is a
/// variable, and a key. A reactor module inherits its parent pom's Java over a CI matrix's.
#[test]
fn keys_a_list_admits_and_a_modules_inherited_java() {
    let app = profile(&[
        ("package.json", r#"{"name": "zw", "main": "server.js", "dependencies": {"express": "4"}}"#),
        ("package-lock.json", "{}"),
        (
            "server.js",
            "const express = require('express')\nconst keys = {}\nconst availableKeys = [\n  'S2_Authenticated',\n  'S0_Legacy',\n]\nconst envKeys = Object.keys(process.env).filter((k) => k.startsWith('KEY_')).map((k) => k.substring(4))\nfor (const k of envKeys) {\n  if (availableKeys.includes(k)) {\n    keys[k] = process.env[`KEY_${k}`]\n  }\n}\nexpress().listen(process.env.PORT || 8091)\n",
        ),
    ]);
    for name in ["KEY_S2_Authenticated", "KEY_S0_Legacy"] {
        assert!(crate::app_fixtures::variable(&app, name).secret, "{name}");
    }
    let dir = crate::app_fixtures::folder_of_files(&[
        (
            "pom.xml",
            "<project><modelVersion>4.0.0</modelVersion><groupId>a</groupId><artifactId>root</artifactId><version>1</version><packaging>pom</packaging><properties><java.version>17</java.version></properties><modules><module>svc</module></modules></project>\n",
        ),
        (
            ".github/workflows/build.yml",
            "jobs:\n  build:\n    strategy:\n      matrix:\n        jdk: [17, 21]\n    steps:\n      - uses: actions/setup-java@v4\n        with:\n          java-version: ${{ matrix.jdk }}\n",
        ),
        (
            "svc/pom.xml",
            "<project><modelVersion>4.0.0</modelVersion><parent><groupId>a</groupId><artifactId>root</artifactId><version>1</version></parent><artifactId>svc</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n",
        ),
        (
            "svc/src/main/java/a/App.java",
            "package a;\n@SpringBootApplication\npublic class App { public static void main(String[] a) { SpringApplication.run(App.class, a); } }\n",
        ),
    ]);
    let module = ferry::analyze::analyze_folder(&AppFiles::read(&dir.path().join("svc")).expect("reads"));
    let runtime = module.runtime.expect("a runtime");
    assert_eq!(runtime.version, "17", "{}", runtime.source);
}

/// homarr's shape: a t3-env schema read under a prefix (`runtimeEnvWithPrefix("DB_")`) names
/// `DB_HOST`, not `HOST`, and keys inside a conditional spread are no requirement. A `prod`
/// script that only builds is no start.
#[test]
fn a_prefixed_schema_and_a_build_named_prod() {
    let app = profile(&[
        (
            "package.json",
            r#"{"name": "dash", "main": "server.js", "scripts": {"start": "nodemon server.js", "prod": "webpack --mode production"}, "dependencies": {"express": "4", "@t3-oss/env-core": "0.11", "zod": "3"}}"#,
        ),
        ("package-lock.json", "{}"),
        (
            "server.js",
            "const express = require('express')\nrequire('./env')\nexpress().listen(process.env.PORT || 7575)\n",
        ),
        (
            "env.js",
            "const { createEnv } = require('@t3-oss/env-core')\nconst { z } = require('zod')\nconst useHost = Boolean(process.env.DB_HOST)\nexports.dbEnv = createEnv({\n  server: {\n    DRIVER: z.string().default('sqlite'),\n    ...(useHost\n      ? {\n          HOST: z.string(),\n          PASSWORD: z.string(),\n        }\n      : {}),\n  },\n  runtimeEnv: runtimeEnvWithPrefix('DB_'),\n})\n",
        ),
    ]);
    let names: Vec<&str> = app.variables.iter().map(|v| v.name.as_str()).collect();
    assert!(!names.contains(&"HOST") && !names.contains(&"PASSWORD"), "{names:?}");
    for name in ["DB_HOST", "DB_PASSWORD"] {
        assert!(!crate::app_fixtures::variable(&app, name).required, "{name}");
    }
    assert!(crate::app_fixtures::findings(&app, "required-env").is_empty(), "{:?}", app.findings);
    assert_eq!(app.start_command, ["node", "server.js"]);
}

/// apollo's shape: a Spring config file's snake-case placeholders (`${app_profile}`,
/// `${spring_datasource_password}`) are variables of those names, not properties.
#[test]
fn snake_case_placeholders_in_spring_files_are_variables() {
    let app = profile(&[
        (
            "pom.xml",
            "<project><modelVersion>4.0.0</modelVersion><groupId>a</groupId><artifactId>cfg</artifactId><version>1</version><properties><java.version>17</java.version></properties><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n",
        ),
        (
            "src/main/resources/application.yml",
            "spring:\n  profiles:\n    active: ${app_profile}\nserver:\n  port: 8080\n",
        ),
        (
            "src/main/resources/application-github.properties",
            "spring.datasource.password = ${spring_datasource_password}\nspring.datasource.url = ${spring.datasource.url:jdbc:h2:mem:x}\n",
        ),
        (
            "src/main/java/a/App.java",
            "package a;\n@SpringBootApplication\npublic class App { public static void main(String[] a) { SpringApplication.run(App.class, a); } }\n",
        ),
    ]);
    assert!(crate::app_fixtures::variable(&app, "app_profile").required);
    assert!(crate::app_fixtures::variable(&app, "spring_datasource_password").secret);
    assert!(!app.variables.iter().any(|v| v.name.contains('.')), "{:?}", app.variables);
}

/// jellyseerr's shape: an env helper called with a template that completes a prefix kept in a
/// constant (`` stringOrReadFileFromEnv(`${DB_SSL_PREFIX}KEY`) ``) reads that whole name.
#[test]
fn a_helper_called_with_a_prefix_constants_template() {
    let app = profile(&[
        ("package.json", r#"{"name": "seerr", "main": "server.js", "dependencies": {"express": "4"}}"#),
        ("package-lock.json", "{}"),
        (
            "server.js",
            "const express = require('express')\nconst DB_SSL_PREFIX = 'DB_SSL_';\nfunction stringFromEnv(envVar) {\n  return process.env[envVar];\n}\nconst tls = {\n  ca: stringFromEnv(`${DB_SSL_PREFIX}CA`),\n  key: stringFromEnv(`${DB_SSL_PREFIX}KEY`),\n}\nexpress().listen(process.env.PORT || 5055)\n",
        ),
    ]);
    assert_eq!(crate::app_fixtures::variable(&app, "DB_SSL_CA").source, "server.js:7");
    assert!(crate::app_fixtures::variable(&app, "DB_SSL_KEY").secret);
    assert!(!app.variables.iter().any(|v| v.name == "DB_SSL_"), "{:?}", app.variables);
}
