//! Variables judged by what the code hands them to: a value passed to a database or cache
//! client (`mongoose.connect(process.env.X)`, `new Redis(url)`, `new Pool({ connectionString })`,
//! `new MongoClient(config.db.uri)`) is a connection string, whatever its name, and holds the
//! credentials. Unset, a MongoDB or Sequelize client rejects, so the app cannot start; a Redis
//! client connects to localhost:6379 instead.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::compared;

/// A client call and the start of its first argument.
static CLIENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(mongoose\.connect|mongoose\.createConnection|MongoClient\.connect|new\s+MongoClient|new\s+Sequelize|new\s+(?:IO)?Redis|(?:redis|Redis)\.createClient|\bcreateClient|new\s+(?:pg\.)?Pool|createPool)\(\s*",
    )
    .expect("valid pattern")
});

/// `process.env.X` or `process.env['X']` at the start of an argument.
static ENV: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^process\.env(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])"#).expect("valid pattern"));

/// The address option of an options object: `{ url: ... }`, `{ connectionString: ... }`.
static ADDRESS_OPTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:url|uri|connectionString)\s*:\s*([\w$.\[\]'\x22]+)").expect("valid pattern"));

/// `const mongoUrl = process.env.X`, `export const DB = process.env.X`: the local name.
static HELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:export\s+)?(?:const|let|var)\s+([\w$]+)\s*=\s*process\.env").expect("valid pattern")
});

/// `uri: process.env.X` in an object: the property's key.
static PROPERTY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([\w$]+)['\x22]?\s*:\s*process\.env").expect("valid pattern"));

/// One client call: the file it is in, what it is given, and whether it rejects without it.
struct Call<'a> {
    path: &'a str,
    given: String,
    rejects: bool,
    /// Unset, the client connects to localhost:6379 (ioredis, node-redis); Upstash's REST
    /// client has no such address.
    local_default: bool,
}

/// Marks each read in `reads` that reaches a database or cache client as a connection string.
pub fn mark(sources: &[(&str, &str)], reads: &mut [VariableRead]) {
    let calls = client_calls(sources);
    if calls.is_empty() {
        return;
    }
    for read in reads.iter_mut() {
        let Some((path, number)) = read.source.rsplit_once(':') else { continue };
        let Some(text) = sources.iter().find(|(p, _)| *p == path).map(|(_, t)| *t) else { continue };
        let Some(line) = number.parse::<usize>().ok().and_then(|n| text.lines().nth(n.saturating_sub(1))) else {
            continue;
        };
        // `process.env.NODE_ENV === "production" ? a : b`: the read picks a branch; the value
        // handed on is the branch's.
        let tested = line.split_once(&format!("process.env.{}", read.name)).is_some_and(|(_, after)| compared(after));
        if tested {
            continue;
        }
        let Some(call) = calls.iter().find(|call| reaches(call, path, line, &read.name, text)) else { continue };
        read.secret_use = Some("passed to a database client: a connection string, which carries credentials".into());
        read.plain_value = false;
        let conditional = line.contains('?')
            || line.trim_start().starts_with("if")
            || guards_the_client(text, line, &read.name)
            || inside_a_test_of(text, line, &read.name)
            || super::made_when_set::local_tested_first(text, line)
            || super::made_when_set::only_when_set(sources, text, line, &read.name);
        // `X ? new Redis(X) : new Redis()`: the other branch is the client's own address.
        let bare_client_beside = line.contains("Redis()") || line.contains("createClient()");
        if read.default.is_none() && call.rejects && !conditional {
            read.required = true;
        }
        if read.default.is_none() && call.local_default && (!conditional || bare_client_beside) {
            read.default = Some(super::secrets::library_default("localhost:6379", "the Redis client"));
        }
    }
}

/// `!!process.env.X && ...` on its own line, then `? new Redis(...) : undefined`: the read
/// tests whether the variable is set before any client is made.
fn guards_the_client(text: &str, line: &str, name: &str) -> bool {
    let tested = [format!("!!process.env.{name}"), format!("process.env.{name} &&"), format!("!process.env.{name}")];
    let next = text.lines().skip_while(|l| *l != line).nth(1).unwrap_or("");
    tested.iter().any(|t| line.contains(t.as_str())) || next.trim_start().starts_with('?')
}

/// `if (process.env.X) {` opening the block the client is made in, or a block around it
/// (a factory returned from inside the test): the code has another way (its `else`) when the
/// variable is unset, so the variable is not required.
pub(super) fn inside_a_test_of(text: &str, line: &str, name: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    let Some(at) = lines.iter().position(|l| *l == line) else { return false };
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut own = indent(line);
    // Each line less indented than the code so far opens a block around it.
    for opener in lines[..at].iter().rev().filter(|l| !l.trim().is_empty()) {
        if own == 0 || indent(opener) >= own {
            continue;
        }
        own = indent(opener);
        let opener = opener.trim_start().trim_start_matches('}').trim_start();
        let tests = opener.starts_with("if") || opener.starts_with("else if");
        if tests
            && (opener.contains(&format!("process.env.{name})")) || opener.contains(&format!("process.env.{name} ")))
        {
            return true;
        }
    }
    false
}

fn client_calls<'a>(sources: &[(&'a str, &str)]) -> Vec<Call<'a>> {
    let mut calls = Vec::new();
    for &(path, text) in sources {
        for captures in CLIENT.captures_iter(text) {
            let whole = captures.get(0).expect("match");
            let argument = &text[whole.end()..];
            let given = match argument.strip_prefix('{') {
                Some(options) => {
                    let options = &options[..options.find('}').unwrap_or(options.len()).min(400)];
                    match ADDRESS_OPTION.captures(options) {
                        Some(option) => option[1].to_string(),
                        None => continue,
                    }
                }
                None => argument.chars().take_while(|c| c.is_alphanumeric() || "_$.[]'\"".contains(*c)).collect(),
            };
            let client = &captures[1];
            if given.is_empty() || names_a_database(client, &argument[given.len()..]) {
                continue;
            }
            let rejects = client.contains("ongo") || client.contains("Sequelize");
            // Only a Redis client falls back to localhost:6379: `new Pool(...)` is pg's, and a
            // bare `createClient` is Redis's only in a file that loads node-redis (Supabase's
            // takes a URL and a key).
            let redis = client.contains("Redis")
                || client.starts_with("redis.")
                || (client == "createClient"
                    && ["'redis'", "\"redis\"", "@redis/client"].iter().any(|m| text.contains(m)));
            let local_default = redis && !text.contains("@upstash/redis");
            calls.push(Call { path, given, rejects, local_default });
        }
    }
    calls
}

/// `new Sequelize(database, username, password, options)`: with three arguments or more the
/// first is the database's name, not an address, and an unset name does not stop the client
/// from being made. `new Sequelize(url)` and `new Sequelize(url, options)` are handed one.
fn names_a_database(client: &str, after_given: &str) -> bool {
    if !client.contains("Sequelize") {
        return false;
    }
    let (mut depth, mut commas) = (0usize, 0usize);
    for c in after_given.chars().take(600) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => commas += 1,
            _ => {}
        }
    }
    commas >= 2
}

/// Whether the read of `name` on `line` of `path` (whose whole text is `text`) is what `call`
/// is given: the read itself, a local name it is kept under, or a property of a config object.
fn reaches(call: &Call, path: &str, line: &str, name: &str, text: &str) -> bool {
    if let Some(read) = ENV.captures(&call.given) {
        return call.path == path && read.get(1).or(read.get(2)).is_some_and(|m| m.as_str() == name);
    }
    if let Some(held) = HELD.captures(line) {
        let exported = line.trim_start().starts_with("export") || text.contains("module.exports");
        return (call.path == path || exported) && call.given == held[1];
    }
    let Some(property) = PROPERTY.captures(line).map(|c| c[1].to_string()) else { return false };
    let segments: Vec<&str> = call.given.split('.').collect();
    // `config.db` at least: a bare name is a local, not a config object's property.
    if segments.len() < 2 || segments.last() != Some(&property.as_str()) {
        return false;
    }
    // `config.mongo.uri`: the property sits in an object under the key before it.
    match segments.len() {
        2 => true,
        n => enclosing_key(text, line).is_some_and(|key| key == segments[n - 2]),
    }
}

/// The key of the object literal `line` sits in (`mongo: {` above `uri: process.env.X`).
fn enclosing_key(text: &str, line: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| *l == line)?;
    let indent = |l: &str| l.len() - l.trim_start().len();
    let own = indent(line);
    let opener = lines[..at].iter().rev().find(|l| !l.trim().is_empty() && indent(l) < own)?;
    let key = opener.trim().strip_suffix('{')?.trim_end().strip_suffix(':')?;
    Some(key.trim().trim_matches(['\'', '"']).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(sources: &[(&str, &str)], name: &str, at: &str) -> VariableRead {
        let mut reads = [VariableRead::new(name, at)];
        mark(sources, &mut reads);
        reads[0].clone()
    }

    #[test]
    fn only_a_redis_client_falls_back_to_its_own_address() {
        let pg = "import { Pool } from 'pg';\nconst pool = new Pool({ connectionString: process.env.DB_URL });\n";
        let read = judged(&[("db.ts", pg)], "DB_URL", "db.ts:2");
        assert!(read.secret_use.is_some() && read.default.is_none(), "{read:?}");
        let supabase = "const client = createClient(process.env.SUPA_URL, key);\n";
        assert!(judged(&[("s.ts", supabase)], "SUPA_URL", "s.ts:1").default.is_none());
        let node_redis = "import { createClient } from 'redis';\nconst c = createClient(process.env.CACHE_URL);\n";
        assert!(judged(&[("r.ts", node_redis)], "CACHE_URL", "r.ts:2").default.is_some());
    }

    #[test]
    fn a_value_handed_straight_to_a_client() {
        let app = "mongoose.connect(process.env.STORE, { family: 4 });\n";
        let read = judged(&[("app.js", app)], "STORE", "app.js:1");
        assert!(read.secret_use.is_some() && read.required);
        let cache = "const redis = process.env.CACHE ? new Redis(process.env.CACHE) : new Redis();\n";
        let read = judged(&[("cache.js", cache)], "CACHE", "cache.js:1");
        assert!(read.secret_use.is_some() && !read.required);
        assert!(read.default.as_deref().is_some_and(|d| d.starts_with("localhost:6379")));
    }

    #[test]
    fn a_client_made_only_when_its_variables_are_set_has_no_default() {
        let guarded = "import { Redis } from 'ioredis';\nconst r =\n  !!process.env.CACHE && !!process.env.KEY\n    ? new Redis(process.env.CACHE)\n    : undefined;\n";
        let read = judged(&[("cache.ts", guarded)], "CACHE", "cache.ts:3");
        assert!(read.secret_use.is_some() && read.default.is_none() && !read.required);
        let rest = "import { Redis } from '@upstash/redis';\nconst r = new Redis({ url: process.env.REST_URL, token: process.env.REST_TOKEN });\n";
        assert!(judged(&[("redis.ts", rest)], "REST_URL", "redis.ts:2").default.is_none(), "an HTTP client");
        let factory = "import { createClient } from 'redis';\nfunction stores() {\n  if (process.env.SESSIONS) {\n    return () => {\n      const c = createClient(process.env.SESSIONS);\n    };\n  } else {\n    return () => {\n      const d = createClient(process.env.OTHER);\n    };\n  }\n}\n";
        let read = judged(&[("s.ts", factory)], "SESSIONS", "s.ts:5");
        assert!(read.default.is_none(), "a factory returned from inside the test: {read:?}");
        let other = judged(&[("s.ts", &factory.replace("OTHER", "SESSIONS"))], "SESSIONS", "s.ts:9");
        assert!(other.default.is_some(), "the else branch runs when it is unset");
    }

    #[test]
    fn a_database_name_is_not_an_address_and_a_tested_url_is_optional() {
        let config = "module.exports = {\n  database: process.env.DB_NAME,\n  username: process.env.DB_USER,\n};\n";
        let models = "if (process.env.DB_URL) {\n  db = new Sequelize(process.env.DB_URL);\n} else {\n  db = new Sequelize(config.database, config.username, null, { dialect: 'mysql' });\n}\n";
        let sources = [("config.js", config), ("models.js", models)];
        let name = judged(&sources, "DB_NAME", "config.js:2");
        assert!(name.secret_use.is_none() && !name.required, "the first of several arguments is a name");
        let url = judged(&sources, "DB_URL", "models.js:2");
        assert!(url.secret_use.is_some() && !url.required, "made only when the variable is set");
        let plain = "const db = new Sequelize(config.database, { logging: false });\n";
        assert!(judged(&[("config.js", config), ("db.js", plain)], "DB_NAME", "config.js:2").required);
        let held = "const db = new Sequelize(config.database, options);\n";
        assert!(judged(&[("config.js", config), ("db.js", held)], "DB_NAME", "config.js:2").required, "url, options");
    }

    #[test]
    fn through_a_local_name_or_a_config_property() {
        let local = "const url = process.env.PG;\nconst pool = new Pool({ connectionString: url });\n";
        let read = judged(&[("db.js", local)], "PG", "db.js:1");
        assert!(read.secret_use.is_some() && !read.required, "pg falls back to its own variables");
        let config = "module.exports = {\n  store: {\n    uri: process.env.STORE,\n  },\n  site: {\n    uri: process.env.SITE,\n  },\n};\n";
        let client = "const client = new MongoClient(config.store.uri);\n";
        let sources = [("config.js", config), ("db.js", client)];
        assert!(judged(&sources, "STORE", "config.js:3").required);
        assert!(judged(&sources, "SITE", "config.js:6").secret_use.is_none(), "another object's uri");
    }
}
