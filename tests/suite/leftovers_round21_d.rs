//! Round 21's leftovers about optional features: an evaluation harness's keys, settings of one
//! option a provider setting picks, a cache whose failed connection is caught, a store used
//! only when configured, uploads kept on the task's disk, a secret an "optional if" helper
//! reads, and a public URL.

use crate::app_fixtures::{findings, profile_of_files, variable};
use ferry_engine::model::{FindingLevel, VariableScope};

const NEXT_PACKAGE: &str = r#"{"name":"answers","dependencies":{"next":"15.1.0","react":"19.0.0"},"scripts":{"build":"next build","start":"next start"}}"#;

/// An app whose search goes to one provider among several (`QUERY_BACKEND`, `'brave'` unless
/// set), with a cache it connects to inside a `try` and an evaluation harness beside it.
fn search_app(route_demand: &str) -> Vec<(&'static str, String)> {
    let providers = "import { Brave } from './brave'\nimport { Yacy } from './yacy'\n\nexport function pick(kind?: string) {\n  const chosen = kind || process.env.QUERY_BACKEND || 'brave'\n  switch (chosen) {\n    case 'brave':\n      return new Brave()\n    case 'yacy':\n      return new Yacy()\n    default:\n      return new Brave()\n  }\n}\n";
    let yacy = "export class Yacy {\n  endpoint() {\n    return process.env.YACY_ENDPOINT\n  }\n}\n";
    let brave = "export class Brave {\n  key() {\n    return process.env.BRAVE_TOKEN\n  }\n}\n";
    let route = format!(
        "import {{ createClient }} from 'redis'\n\nlet cache = null\n\nasync function connectCache() {{\n  if (cache) return cache\n  try {{\n    const address =\n      process.env.SIDE_REDIS_URL || 'redis://localhost:6379'\n    const client = createClient({{ url: address }})\n    await client.connect()\n    cache = client\n  }} catch (error) {{\n    console.warn('cache off', error)\n    cache = null\n  }}\n  return cache\n}}\n\nasync function deepSearch(q) {{\n  const endpoint = process.env.YACY_ENDPOINT\n  if (!endpoint) {{\n    {route_demand}\n  }}\n  await connectCache()\n  return fetch(`${{endpoint}}/search?q=${{q}}`)\n}}\n\nexport async function POST(req) {{\n  return Response.json(await deepSearch((await req.json()).q))\n}}\n"
    );
    let harness = "const { TRACE_PUBLIC_KEY, TRACE_SECRET_KEY } = process.env\nexport const tracing = { publicKey: process.env.TRACE_PUBLIC_KEY, secretKey: process.env.TRACE_SECRET_KEY }\n";
    let api_evals = "export async function GET() {\n  return Response.json({ token: process.env.GRADER_TOKEN })\n}\n";
    vec![
        ("package.json", NEXT_PACKAGE.to_string()),
        ("lib/search/index.ts", providers.to_string()),
        ("lib/search/yacy.ts", yacy.to_string()),
        ("lib/search/brave.ts", brave.to_string()),
        ("app/api/deep-search/route.ts", route),
        ("evals/lib/trace.ts", harness.to_string()),
        ("app/api/evals/route.ts", api_evals.to_string()),
        ("app/page.tsx", "export default function Page() { return null }\n".to_string()),
    ]
}

fn profile_of(files: &[(&'static str, String)]) -> ferry_engine::model::AppProfile {
    let pairs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    profile_of_files(&pairs)
}

/// Keys read only by an evaluation harness at the app's top are tooling (a route folder named
/// `evals` is still the app's); the address of a provider another setting picks only when set
/// to it is no blocker; nor is a cache whose failed connection the code catches and goes on.
#[test]
fn an_optional_providers_settings_and_an_eval_harness_block_nothing() {
    let demand = "throw new Error('YACY_ENDPOINT is not set in the environment variables')";
    let profile = profile_of(&search_app(demand));
    assert_eq!(variable(&profile, "TRACE_PUBLIC_KEY").scope, VariableScope::Tooling);
    assert_eq!(variable(&profile, "TRACE_SECRET_KEY").scope, VariableScope::Tooling);
    assert_eq!(variable(&profile, "GRADER_TOKEN").scope, VariableScope::Runtime, "a route, not a harness");
    let blockers: Vec<String> = profile
        .findings
        .iter()
        .filter(|f| f.level == FindingLevel::Blocker)
        .map(|f| format!("{} {}", f.kind, f.message))
        .collect();
    assert!(blockers.is_empty(), "{blockers:#?}");
    let demand = findings(&profile, "required-env");
    assert_eq!(demand.len(), 1, "{demand:#?}");
    assert!(
        demand[0].message.contains("QUERY_BACKEND") && demand[0].message.contains("`yacy`"),
        "{}",
        demand[0].message
    );
    let cache = findings(&profile, "localhost-default-host");
    assert_eq!(cache.len(), 1, "{cache:#?}");
    assert_eq!(cache[0].level, FindingLevel::Warning);
}

/// The same demand and cache are no longer relaxed by the switch when it picks that provider
/// unless set, or the cache's failure is rethrown.
#[test]
fn the_picked_providers_settings_and_a_rethrown_cache_still_block() {
    let demand = "throw new Error('YACY_ENDPOINT is not set in the environment variables')";
    let mut files = search_app(demand);
    for (path, text) in files.iter_mut() {
        if *path == "lib/search/index.ts" {
            *text = text.replace("|| 'brave'", "|| 'yacy'");
        }
        if *path == "app/api/deep-search/route.ts" {
            *text = text.replace("cache = null\n  }", "throw error\n  }");
        }
    }
    let profile = profile_of(&files);
    let levels = |kind: &str| findings(&profile, kind).iter().map(|f| f.level).collect::<Vec<_>>();
    // The demand sits in the route's own code: the app starts without it, and the searches
    // fail. A warning that says so (after_start), not the option switch's.
    let demand = findings(&profile, "required-env");
    assert_eq!(levels("required-env"), [FindingLevel::Warning], "{demand:#?}");
    assert!(demand[0].message.contains("requests that reach app/api/deep-search/route.ts"), "{}", demand[0].message);
    assert!(!demand[0].message.contains("QUERY_BACKEND"), "{}", demand[0].message);
    assert_eq!(
        levels("localhost-default-host"),
        [FindingLevel::Blocker],
        "{:#?}",
        findings(&profile, "localhost-default-host")
    );
}

const SOCKET_PACKAGE: &str = r#"{"name":"live","dependencies":{"express":"4.19.2","socket.io":"4.8.1","@socket.io/redis-adapter":"8.3.0","ioredis":"5.4.1"},"scripts":{"start":"node index.js"}}"#;

/// A websocket server that keeps a map of its connections and sets its Redis adapter only
/// when the store is configured (`if (!options.host) return` above it).
fn live_app(share: &str) -> ferry_engine::model::AppProfile {
    let hub = format!(
        "const {{ Server }} = require('socket.io');\nconst {{ createAdapter }} = require('@socket.io/redis-adapter');\nconst Redis = require('ioredis');\n\nclass Hub {{\n  constructor() {{\n    this.io = null;\n    this.liveSockets = new Map();\n  }}\n\n  attach(server) {{\n    this.io = new Server(server);\n    this.share();\n    this.io.on('connection', (socket) => {{\n      this.liveSockets.set(socket.id, socket);\n      socket.join(socket.handshake.auth.team);\n    }});\n  }}\n\n  share() {{\n    const options = {{ host: process.env.HUB_REDIS_HOST, port: process.env.HUB_REDIS_PORT }};\n{share}    const pub = new Redis(options);\n    const sub = pub.duplicate();\n    this.io.adapter(createAdapter(pub, sub));\n  }}\n}}\n\nmodule.exports = new Hub();\n"
    );
    let index = "const http = require('http');\nconst express = require('express');\nconst hub = require('./hub');\nconst app = express();\nconst server = http.createServer(app);\nhub.attach(server);\nserver.listen(process.env.PORT || 4400);\n";
    profile_of_files(&[("package.json", SOCKET_PACKAGE), ("hub.js", &hub), ("index.js", index)])
}

/// The map of connections is no blocker when a Redis adapter joins the tasks: a warning when
/// the adapter is set only once its store is configured, nothing when always.
#[test]
fn a_socket_map_beside_an_adapter_set_when_configured_is_a_warning() {
    let guarded =
        live_app("    if (!options.host) {\n      console.log('no redis, one process only');\n      return;\n    }\n");
    let sessions = findings(&guarded, "in-memory-sessions");
    assert_eq!(sessions.len(), 1, "{sessions:#?}");
    assert_eq!(sessions[0].level, FindingLevel::Warning);
    assert!(sessions[0].message.contains("hub.js:22"), "{}", sessions[0].message);
    let always = live_app("");
    assert!(findings(&always, "in-memory-sessions").is_empty(), "{:#?}", findings(&always, "in-memory-sessions"));
}

/// A FastAPI backend: a settings module whose asset URL only the evaluation harness imports,
/// and an asset store that writes files into the folder it serves.
fn asset_backend(write_mode: &str) -> ferry_engine::model::AppProfile {
    let config = "import os\n\nASSET_FOLDER = os.environ.get(\n    \"ASSET_FOLDER\", os.path.join(os.path.dirname(__file__), \"kept_assets\")\n)\nASSET_PUBLIC_BASE = os.environ.get(\"ASSET_PUBLIC_BASE\", \"http://127.0.0.1:7010\")\n";
    let store = format!(
        "import os\nfrom fastapi.staticfiles import StaticFiles\nfrom config import ASSET_FOLDER\n\n\ndef serve_assets(app):\n    os.makedirs(ASSET_FOLDER, exist_ok=True)\n    app.mount(\"/kept\", StaticFiles(directory=ASSET_FOLDER), name=\"kept\")\n\n\ndef keep_asset(data, digest):\n    target = os.path.join(ASSET_FOLDER, f\"a_{{digest}}.png\")\n    if not os.path.exists(target):\n        with open(target, \"{write_mode}\") as out:\n            out.write(data)\n    return f\"/kept/a_{{digest}}.png\"\n"
    );
    let main = "from fastapi import FastAPI\nfrom assets.store import serve_assets\n\napp = FastAPI()\nserve_assets(app)\n\n\n@app.get(\"/health\")\ndef health():\n    return {\"ok\": True}\n";
    let harness = "from config import ASSET_PUBLIC_BASE\n\n\ndef rewrite(html):\n    return html.replace(\"/kept/\", ASSET_PUBLIC_BASE + \"/kept/\")\n";
    let requirements = "fastapi==0.115.0\nuvicorn==0.30.0\n";
    profile_of_files(&[
        ("requirements.txt", requirements),
        ("config.py", config),
        ("assets/store.py", &store),
        ("main.py", main),
        ("evals/runner.py", harness),
    ])
}

/// The asset URL only the harness uses is tooling (no localhost blocker), and writing files
/// into the folder the app serves keeps them on one task's disk: a blocker at the write.
#[test]
fn a_harness_only_url_is_tooling_and_a_served_folder_written_to_blocks() {
    let profile = asset_backend("wb");
    assert_eq!(variable(&profile, "ASSET_PUBLIC_BASE").scope, VariableScope::Tooling);
    assert!(
        findings(&profile, "localhost-default-host").is_empty(),
        "{:#?}",
        findings(&profile, "localhost-default-host")
    );
    let writes: Vec<(&str, FindingLevel)> =
        findings(&profile, "local-disk-writes").iter().map(|f| (f.source.as_str(), f.level)).collect();
    assert_eq!(writes, [("assets/store.py:14", FindingLevel::Blocker)]);
    assert!(findings(&asset_backend("rb"), "local-disk-writes").is_empty(), "reading serves nothing new");
}

/// A helper that makes a variable optional only in a mode off unless set
/// (`optionalEnv('SHARED_MODE') === 'true' ? optionalEnv(key) : requiredEnv(key)`): in the
/// default mode the call throws without it, so it is required; `|| ''` after it never applies.
#[test]
fn a_variable_optional_only_in_a_mode_off_by_default_is_required() {
    let config = "function optionalEnv(key: string, fallback?: string): string | undefined {\n  const value = process.env[key]\n  if (!value && fallback) {\n    return optionalEnv(fallback)\n  }\n  return value\n}\n\nfunction requiredEnv(key: string, fallback?: string): string {\n  const value = optionalEnv(key)\n  if (!value) {\n    if (fallback) {\n      return requiredEnv(fallback)\n    }\n    throw new Error(`${key} is undefined`)\n  }\n  return value\n}\n\nfunction optionalEnvIfShared(key: string, fallback?: string): string | undefined {\n  return optionalEnv('SHARED_MODE') === 'true'\n    ? optionalEnv(key, fallback)\n    : requiredEnv(key, fallback)\n}\n\nexport const config = {\n  signingSecret: optionalEnvIfShared('TOKEN_SIGNING_SECRET') || '',\n}\n";
    let server = "import express from 'express'\nimport { config } from './config'\nconsole.log(Boolean(config.signingSecret))\nexpress().listen(5000)\n";
    let package = r#"{"name":"vault","dependencies":{"express":"4.19.2"},"scripts":{"start":"node dist/server.js"}}"#;
    let profile = profile_of_files(&[("package.json", package), ("src/config.ts", config), ("src/server.ts", server)]);
    assert!(variable(&profile, "TOKEN_SIGNING_SECRET").required);
    let demands: Vec<&str> = findings(&profile, "required-env").iter().map(|f| f.source.as_str()).collect();
    assert_eq!(demands, ["src/config.ts:27"]);
}
