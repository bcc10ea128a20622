//! Round 22's held-out findings the code contradicts (helper g): settings said to be required
//! that the app starts without (a Spring placeholder with an empty default under another
//! spelling of its property, a test source set's settings, a demand only a switched-off feature
//! makes, a demand whose absence the start only logs).

use crate::app_fixtures::{findings, profile_of_files, variable};

const POM: &str = "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>org.shelf</groupId>\n  <artifactId>shelf</artifactId>\n  <version>1.0.0</version>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n    <version>3.2.0</version>\n  </parent>\n  <dependencies>\n    <dependency>\n      <groupId>org.springframework.boot</groupId>\n      <artifactId>spring-boot-starter-web</artifactId>\n    </dependency>\n  </dependencies>\n</project>\n";

const SPRING_YAML: &str = "server:\n  port: 8080\n\ngeocoder:\n  token: ${GEOCODER_TOKEN:}\n  url: https://geo.example.org\n\nflagService:\n  sdk-key: ${FLAG_SERVICE_SDK_KEY:}\n";

const FLAGS: &str = "package org.shelf.flags;\n\nimport org.springframework.beans.factory.annotation.Value;\nimport org.springframework.stereotype.Component;\n\n@Component\npublic class Flags {\n    public Flags(\n        @Value(\"${flagservice.sdk-key}\") String sdkKey\n    ) {\n        this.sdkKey = sdkKey;\n    }\n\n    private final String sdkKey;\n}\n";

const GEOCODER: &str = "package org.shelf.geo;\n\nimport org.springframework.beans.factory.annotation.Value;\nimport org.springframework.context.annotation.Configuration;\n\n@Configuration\npublic class Geocoder {\n    @Value(\"${geocoder.token}\")\n    private String token;\n}\n";

const MAIN: &str = "package org.shelf;\n\nimport org.springframework.boot.SpringApplication;\nimport org.springframework.boot.autoconfigure.SpringBootApplication;\n\n@SpringBootApplication\npublic class ShelfApplication {\n    public static void main(String[] args) {\n        SpringApplication.run(ShelfApplication.class, args);\n    }\n}\n";

/// `${FLAG_SERVICE_SDK_KEY:}` is an empty default: Spring starts with it, and the injected
/// `flagservice.sdk-key` is the file's `flagService.sdk-key` by relaxed binding. The
/// integration tests' own `geocoder.token=CHANGEME` is no value the app ships with.
#[test]
fn an_empty_spring_default_under_another_spelling_is_no_blocker_and_no_committed_secret() {
    let app = profile_of_files(&[
        ("pom.xml", POM),
        ("src/main/resources/application.yaml", SPRING_YAML),
        ("src/integrationTest/resources/application.properties", "geocoder.token=CHANGEME\n"),
        ("src/main/java/org/shelf/ShelfApplication.java", MAIN),
        ("src/main/java/org/shelf/flags/Flags.java", FLAGS),
        ("src/main/java/org/shelf/geo/Geocoder.java", GEOCODER),
    ]);
    let required = findings(&app, "required-env");
    assert!(required.is_empty(), "{required:?}");
    let committed = findings(&app, "secret-default");
    assert!(committed.is_empty(), "{committed:?}");
    let token = variable(&app, "GEOCODER_TOKEN");
    assert_eq!((token.required, token.default.as_deref()), (false, None));
}

const CONVICT: &str = "import convict from 'convict'\n\nexport const config = convict({\n  port: {\n    format: 'port',\n    default: 3000,\n    env: 'PORT'\n  },\n  federatedLogin: {\n    enabled: {\n      format: Boolean,\n      env: 'FEDERATED_LOGIN_ENABLED',\n      default: false\n    },\n    poolId: {\n      format: String,\n      env: 'LOGIN_POOL_ID',\n      nullable: true,\n      default: null\n    }\n  }\n})\n";

const TOKEN: &str = "import { config } from '../config.js'\n\nexport async function fetchFederatedToken() {\n  const poolId = config.get('federatedLogin.poolId')\n  if (poolId === null) {\n    throw new Error('LOGIN_POOL_ID is not set')\n  }\n  return poolId\n}\n";

const DIRECTORY: &str = "import { config } from '../config.js'\nimport { fetchFederatedToken } from './token.js'\n\nexport function credentials() {\n  let credential\n  if (config.get('federatedLogin.enabled')) {\n    credential = new AssertionCredential(\n      fetchFederatedToken\n    )\n  } else {\n    credential = new SecretCredential()\n  }\n  return credential\n}\n";

const SERVER: &str = "import http from 'node:http'\nimport { config } from './config.js'\nimport { credentials } from './helpers/directory.js'\n\ncredentials()\nhttp.createServer((req, res) => res.end('ok')).listen(config.get('port'))\n";

fn directory(switch_default: &str) -> ferry::model::AppProfile {
    let convict = CONVICT.replace("default: false", &format!("default: {switch_default}"));
    profile_of_files(&[
        (
            "package.json",
            "{\"name\":\"directory\",\"type\":\"module\",\"scripts\":{\"start\":\"node src/index.js\"},\"dependencies\":{\"convict\":\"6.2.4\"}}\n",
        ),
        ("src/config.js", &convict),
        ("src/helpers/token.js", TOKEN),
        ("src/helpers/directory.js", DIRECTORY),
        ("src/index.js", SERVER),
    ])
}

/// The demand for `LOGIN_POOL_ID` sits in a function only handed over under
/// `if (config.get('federatedLogin.enabled'))`, which is off unless set: not needed to start.
/// With the switch on by default, it is.
#[test]
fn a_demand_only_a_switched_off_feature_makes_is_not_required() {
    let off = directory("false");
    let said = findings(&off, "required-env");
    assert!(said.is_empty(), "{said:?}");
    let on = directory("true");
    let said = findings(&on, "required-env");
    assert_eq!(said.len(), 1, "{:?}", on.findings);
    assert!(said[0].message.contains("LOGIN_POOL_ID"), "{said:?}");
}

const SEAL: &str = "import os\n\n\ndef read_secret(name):\n    path = os.environ.get(f\"{name}_FILE\")\n    if path:\n        return open(path).read().strip()\n    return os.environ.get(name)\n\n\ndef sealing_key():\n    key = read_secret(\"VAULT_SEAL_KEY\")\n    if key:\n        return key\n    raise ValueError(\n        \"VAULT_SEAL_KEY is not set. \"\n        \"Set it to store tokens sealed.\"\n    )\n";

const LIFESPAN: &str = "import logging\n\nfrom fastapi import FastAPI\n\nfrom app.seal import read_secret\n\nlog = logging.getLogger(__name__)\n\n\nasync def lifespan(app):\n    if not read_secret(\"VAULT_SEAL_KEY\"):\n        log.warning(\n            \"VAULT_SEAL_KEY not set. \"\n            \"Sealing fails until it is.\"\n        )\n    yield\n\n\napp = FastAPI(lifespan=lifespan)\n\n\n@app.get(\"/status\")\ndef status():\n    return {\"sealing\": bool(read_secret(\"VAULT_SEAL_KEY\"))}\n";

/// The start checks `VAULT_SEAL_KEY` and only logs a warning without it: the app starts, and
/// the `raise` in the sealing helper fails only what seals. `bool(...)` of it asks whether it
/// is set, so it stays a secret.
#[test]
fn a_setting_whose_absence_the_start_only_logs_is_not_required_but_secret() {
    let app = profile_of_files(&[
        ("requirements.txt", "fastapi\nuvicorn\n"),
        ("app/__init__.py", ""),
        ("app/seal.py", SEAL),
        ("app/main.py", LIFESPAN),
    ]);
    let said = findings(&app, "required-env");
    assert!(said.is_empty(), "{said:?}");
    let key = variable(&app, "VAULT_SEAL_KEY");
    assert!(!key.required && key.secret, "{key:?}");
}

const CONVICT_STORE: &str = "import convict from 'convict'\n\nexport const config = convict({\n  port: {\n    format: 'port',\n    default: 3000,\n    env: 'PORT'\n  },\n  store: {\n    url: {\n      doc: 'where the documents live',\n      format: String,\n      default: 'mongodb://127.0.0.1:27017/',\n      env: 'DOCUMENTS_URI'\n    }\n  }\n})\n";

/// A convict schema's `default: 'mongodb://127.0.0.1...'` has its `env: 'DOCUMENTS_URI'` on the
/// next line: a variable changes it, and the localhost-default finding on that variable says so.
#[test]
fn a_schema_default_beside_its_variable_is_no_hard_coded_host() {
    let app = profile_of_files(&[
        (
            "package.json",
            "{\"name\":\"docs\",\"type\":\"module\",\"scripts\":{\"start\":\"node src/index.js\"},\"dependencies\":{\"convict\":\"6.2.4\"}}\n",
        ),
        ("src/config/config.js", CONVICT_STORE),
        (
            "src/index.js",
            "import http from 'node:http'\nimport { config } from './config/config.js'\n\nhttp.createServer((req, res) => res.end('ok')).listen(config.get('port'))\n",
        ),
    ]);
    let said = findings(&app, "hard-coded-hosts");
    assert!(said.is_empty(), "{said:?}");
    let variable = variable(&app, "DOCUMENTS_URI");
    assert!(!variable.required, "{variable:?}");
}

const SAILS_DATASTORES: &str = "module.exports.datastores = {\n\n  default: {\n    adapter: 'sails-mysql',\n    url: 'mysql://shop:shop@127.0.0.1/shop_dev',\n    charset: 'utf8mb4'\n  }\n\n};\n";

/// Sails lifts with `rc('sails')`, which reads `sails_*` variables over `config/`: the
/// datastore's URL is changed by `sails_datastores__default__url`, and the finding names it.
#[test]
fn a_sails_config_host_names_the_variable_that_changes_it() {
    let app = profile_of_files(&[
        (
            "package.json",
            "{\"name\":\"shop\",\"scripts\":{\"start\":\"node app.js\"},\"dependencies\":{\"sails\":\"^1.5.0\",\"sails-mysql\":\"^3.0.0\",\"rc\":\"1.2.8\"}}\n",
        ),
        ("app.js", "var sails = require('sails');\nvar rc = require('rc');\nsails.lift(rc('sails'));\n"),
        ("config/datastores.js", SAILS_DATASTORES),
    ]);
    let said = findings(&app, "hard-coded-hosts");
    assert_eq!(said.len(), 1, "{:?}", app.findings);
    assert!(!said[0].message.contains("no variable changes it"), "{said:?}");
    assert!(said[0].message.contains("sails_datastores__default__url"), "{said:?}");
    assert!(said[0].fix.as_deref().is_some_and(|fix| fix.contains("sails_datastores__default__url")), "{said:?}");
}

const LEDGER_DB: &str = "import os\n\n\ndef database_url():\n    url = os.getenv(\"LEDGER_URL\")\n    if url:\n        return url\n    address = os.getenv(\"LEDGER_ADDRESS\", \"localhost\")\n    port = os.getenv(\"LEDGER_DB_PORT\", \"8000\")\n    return f\"ws://{address}/rpc:{port}\"\n";

/// `LEDGER_ADDRESS` defaults to localhost but builds the URL of a database the app connects
/// to: no listen address, so nothing says it binds there and the service never sets it to
/// 0.0.0.0 (which would break the connection).
#[test]
fn an_address_the_app_connects_to_is_no_listen_address() {
    let app = profile_of_files(&[
        ("requirements.txt", "fastapi\nuvicorn\n"),
        ("api/__init__.py", ""),
        ("api/db.py", LEDGER_DB),
        (
            "api/main.py",
            "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/health\")\ndef health():\n    return {}\n\n\nif __name__ == \"__main__\":\n    uvicorn.run(app, host=\"0.0.0.0\", port=5055)\n",
        ),
    ]);
    let said = findings(&app, "loopback-bind");
    assert!(said.is_empty(), "{said:?}");
    assert!(app.env.iter().all(|e| e.name != "LEDGER_ADDRESS"), "{:?}", app.env);
}

const SELF_CALL: &str = "export async function loadSettings(port: string) {\n  const res = await fetch(\n    `http://${process.env.HOST || 'localhost'}:${port}/api/v1/settings/public`\n  );\n  return res.json();\n}\n";

const LISTEN_ALL: &str = "import express from 'express';\n\nconst server = express();\nconst port = Number(process.env.PORT) || 5055;\nconst host = process.env.HOST;\nif (host) {\n  server.listen(port, host);\n} else {\n  server.listen(port);\n}\n";

/// `HOST` with its localhost default only builds the address the pages call the server at;
/// the server listens on every interface unless HOST is set.
#[test]
fn a_host_only_a_self_call_defaults_is_no_loopback_bind() {
    let app = profile_of_files(&[
        (
            "package.json",
            "{\"name\":\"watch\",\"scripts\":{\"start\":\"node dist/index.js\",\"build\":\"tsc\"},\"dependencies\":{\"express\":\"4.18.2\"}}\n",
        ),
        ("server/index.ts", LISTEN_ALL),
        ("src/pages/settings.ts", SELF_CALL),
    ]);
    let said = findings(&app, "loopback-bind");
    assert!(said.is_empty(), "{said:?}");
    assert!(app.env.iter().all(|e| e.name != "HOST"), "{:?}", app.env);
}
