//! Round 21's held-out Node findings the code contradicted (helper b): a typed config helper
//! whose second argument names another variable to try commits no default, so neither a
//! secret nor a folder falls back to that name.

use crate::app_fixtures::{findings, profile_of_files, variable};

const PACKAGE: &str = r#"{ "name": "files-api", "scripts": { "start": "node dist/server.js", "build": "tsc" },
  "dependencies": { "express": "^4.18.0" }, "devDependencies": { "typescript": "^5.0.0" } }"#;

/// Config helpers with TypeScript annotations: the second parameter is another variable's
/// name, tried when the first is unset, passed on through a second helper.
const CONFIG: &str = "function readOptionalEnv(key: string, other?: string): string | undefined {
  const value = process.env[key]
  if (!value && other) {
    return readOptionalEnv(other)
  }
  return value
}

function readRequiredEnv(key: string, other?: string): string {
  const value = readOptionalEnv(key, other)
  if (!value) throw new Error(`${key} is undefined`)
  return value
}

function readEnvUnlessShared(key: string, other?: string): string | undefined {
  return readOptionalEnv('SHARED_MODE') === 'true' ? readOptionalEnv(key, other) : readRequiredEnv(key, other)
}

export const config = {
  port: Number(readOptionalEnv('APP_PORT', 'PORT')) || 7000,
  adminKeys: readOptionalEnv('APP_ADMIN_KEYS', 'ADMIN_KEYS') || '',
  signingSecret: readEnvUnlessShared('APP_SIGNING_SECRET', 'LEGACY_SIGNING_SECRET') || '',
  pathStyle: readOptionalEnv('BUCKET_PATH_STYLE', 'LEGACY_BUCKET_PATH_STYLE') === 'true',
}
";

const SERVER: &str = "import express from 'express'
import { config } from './config'
const app = express()
app.get('/health', (_req, res) => res.send('ok'))
app.listen(config.port)
";

/// `readOptionalEnv('APP_ADMIN_KEYS', 'ADMIN_KEYS') || ''`: the second argument is a name, the
/// fallback is empty; nothing is committed, and `BUCKET_PATH_STYLE` keeps no files anywhere.
#[test]
fn a_typed_helpers_second_name_is_no_committed_default() {
    let app = profile_of_files(&[("package.json", PACKAGE), ("src/config.ts", CONFIG), ("src/server.ts", SERVER)]);
    assert!(findings(&app, "secret-default").is_empty(), "{:?}", app.findings);
    assert!(findings(&app, "local-disk-writes").is_empty(), "{:?}", app.findings);
    for name in ["APP_ADMIN_KEYS", "APP_SIGNING_SECRET", "BUCKET_PATH_STYLE"] {
        assert_eq!(variable(&app, name).default, None, "{name}");
    }
    assert_eq!(variable(&app, "APP_PORT").default.as_deref(), Some("7000"));
}

/// `PURGE_URL is not set` thrown inside a class's `purge()` method runs when a purge is asked
/// for; `POD_SELECTOR is not set` thrown in a module loaded only by `await import('./pods')`
/// under a chosen option never runs otherwise. Neither stops the app from starting, while a
/// demand at the top of a module still does.
#[test]
fn a_demand_only_a_feature_makes_is_not_required_at_start() {
    let purger = "const purgeUrl = process.env.PURGE_URL
export class Purger {
  async purge(path: string) {
    if (!purgeUrl) {
      throw new Error('PURGE_URL is not set')
    }
    return fetch(purgeUrl, { method: 'POST', body: path })
  }
}
";
    let pods = "export class PodCounter {
  constructor() {
    if (!process.env.POD_SELECTOR) {
      throw new Error('POD_SELECTOR is not set')
    }
  }
}
";
    let start = "import express from 'express'
import { Purger } from './purger'
if (!process.env.ACCOUNT_TOKEN) {
  throw new Error('ACCOUNT_TOKEN is not set')
}
export async function counter() {
  if (process.env.DISCOVERY === 'PODS') {
    const { PodCounter } = await import('./pods')
    return new PodCounter()
  }
}
const app = express()
app.post('/purge', async (req, res) => res.json(await new Purger().purge(req.path)))
app.listen(process.env.PORT || 7000)
";
    let app = profile_of_files(&[
        ("package.json", PACKAGE),
        ("src/purger.ts", purger),
        ("src/pods.ts", pods),
        ("src/server.ts", start),
    ]);
    let required = findings(&app, "required-env");
    assert!(
        required.iter().all(|f| !f.message.contains("PURGE_URL") && !f.message.contains("POD_SELECTOR")),
        "{required:?}"
    );
    assert!(required.iter().any(|f| f.message.contains("ACCOUNT_TOKEN")), "{:?}", app.findings);
}
