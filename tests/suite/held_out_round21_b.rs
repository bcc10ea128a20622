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
