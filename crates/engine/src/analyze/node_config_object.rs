//! Settings a Node.js app keeps in a JavaScript object rather than the environment:
//! `config/index.js` or `config.default.js` exporting `{ bindingHost: '127.0.0.1', database: {
//! dialect: 'sqlite' }, nfs: new LocalStore({ dir }), redis_host: '127.0.0.1', debug: true }`.
//! No variable carries these values, so nothing the service sets changes them: each is what the
//! container runs with until someone edits the file.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::readiness;
use super::source::is_test_path;
use super::variables::scope_of;
use crate::model::{Finding, VariableScope};

/// `key: value,` on a line of an object literal, with an end-of-line comment left off.
static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*['"]?([A-Za-z_$][\w$]*)['"]?\s*:\s*(.*?)\s*,?\s*(?:\s//.*)?$"#).expect("valid pattern")
});
/// `config.keys = '...';` in a config function (Egg's `config.default.js`), `exports.debug = true;`.
static ASSIGNED_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*(?:config|exports|module\.exports)\.([A-Za-z_$][\w$]*)\s*=\s*(.*?)\s*;?\s*(?:\s//.*)?$"#)
        .expect("valid pattern")
});
/// A store constructed on a local folder: `new Nfs({`, `new LocalStorage({`, `new DiskStore(`.
static LOCAL_STORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^new\s+[\w$.]*(?:Nfs|NFS|Fs|FS|Local|Disk|File)[\w$]*\s*\(").expect("valid pattern"));
/// A URL whose host is the machine itself: `mongodb://127.0.0.1/app`, `redis://localhost:6379`.
/// An `http://127.0.0.1:7001` is more often the app calling itself, which works in a container.
static LOOPBACK_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:mongodb|mongodb\+srv|redis|rediss|postgres|postgresql|mysql|mariadb|amqp|amqps|memcached?)://(?:[^@/]*@)?(?:127\.0\.0\.1|localhost)(?::\d+)?(?:/|$)").expect("valid pattern")
});

const EXTENSIONS: [&str; 6] = ["js", "mjs", "cjs", "ts", "mts", "cts"];

/// One `key: value` entry, with the keys of the objects it sits in.
struct Entry<'a> {
    parents: Vec<&'a str>,
    key: &'a str,
    value: &'a str,
    line: usize,
}

/// The findings of every config module of the running app.
pub fn findings(files: &AppFiles) -> Vec<Finding> {
    let sources: Vec<(&str, &str)> = files
        .with_extensions(&EXTENSIONS)
        .filter(|(path, _)| !is_test_path(path) && scope_of(path) == VariableScope::Runtime)
        .collect();
    let mut found = Vec::new();
    // Every value of a file config-mapper-env maps is a variable's default: said of the variable.
    let mapped = super::variables::env_mapped_config(files);
    let configs = sources.iter().filter(|(path, _)| is_config_module(path) && mapped.as_deref() != Some(*path));
    for &(path, text) in configs {
        let entries = entries(text);
        let overridden = |key: &str| sources.iter().any(|(_, t)| set_from_environment(t, key));
        found.extend(loopback_bind(path, &entries, &overridden));
        found.extend(sqlite_dialect(path, &entries));
        found.extend(local_store(path, &entries));
        let built_into_url = |key: &str| url_built_from(&sources, key);
        let hosts = loopback_services(path, &entries, &overridden, &built_into_url);
        found.extend(hosts.map(|finding| sails_rc_override(files, path, &entries, finding)));
        // `debug: true` in a module named for one part (`config/imager.js`) is that part's.
        if names_the_whole_app(path) {
            found.extend(debug_on(path, &entries));
        }
        found.extend(committed_secret(path, text, &entries, &overridden));
    }
    found.extend(missing_config_module(files, &sources));
    found
}

/// `require('./config')` where the repository has only `config.default.js` (or `.example`,
/// `.sample`) beside it: the real file is the operator's, kept out of git, so the image has
/// none and the app dies at its first line.
fn missing_config_module(files: &AppFiles, sources: &[(&str, &str)]) -> Option<Finding> {
    static REQUIRE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?:require\(\s*|from\s+)['"]\./(config|settings)(?:\.js)?['"]"#).expect("valid pattern")
    });
    // The entry file says it best: `app.js` over the router that loads the same module.
    let mut ordered: Vec<(&str, &str)> = sources.to_vec();
    ordered.sort_by_key(|(path, _)| {
        let stem = path.rsplit('/').next().unwrap_or(path).split('.').next().unwrap_or_default();
        (!matches!(stem, "app" | "server" | "index" | "main"), path.matches('/').count(), path.to_string())
    });
    ordered.into_iter().find_map(|(path, text)| {
        let captures = REQUIRE.captures(text)?;
        let folder = path.rsplit_once('/').map_or(String::new(), |(folder, _)| format!("{folder}/"));
        let stem = format!("{folder}{}", &captures[1]);
        let present = [".js", ".cjs", ".ts", ".json", "/index.js", "/index.ts"]
            .iter()
            .any(|ext| files.get(&format!("{stem}{ext}")).is_some());
        let template = ["default", "example", "sample", "dist", "template"]
            .iter()
            .find_map(|kind| files.get(&format!("{stem}.{kind}.js")).map(|_| format!("{stem}.{kind}.js")))?;
        let at = format!("{path}:{}", text[..captures.get(0)?.start()].matches('\n').count() + 1);
        (!present && !prestart_creates(files, &format!("{stem}.js"))).then(|| {
            Finding::blocker(
                "required-env",
                format!("the app loads {stem}.js, which the repository leaves to the operator (it has only {template}): the image has none, so the app cannot start"),
                at,
            )
            .with_fix(format!("copy {template} to {stem}.js with the production settings when the image builds"))
        })
    })
}

/// Whether npm's `prestart` writes `file` (`cp config.template.js config.js`): ferry's image
/// build runs it (pnpm runs no `pre` scripts).
fn prestart_creates(files: &AppFiles, file: &str) -> bool {
    let manifest: serde_json::Value =
        files.get("package.json").and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default();
    let prestart = manifest.pointer("/scripts/prestart").and_then(serde_json::Value::as_str).unwrap_or("");
    !files.has("pnpm-lock.yaml") && prestart.split_whitespace().any(|w| w.trim_start_matches("./") == file)
}

/// `config/index.js`, `config/default.js`, `config.js`, `config.default.js`: a module that
/// exports the app's settings.
fn is_config_module(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem).to_ascii_lowercase();
    let in_config_folder = parts.next().is_some_and(|folder| folder.eq_ignore_ascii_case("config"));
    // A config folder's modules are the app's settings (`config/secure.js`, `config/setting.js`),
    // but for another environment or a build tool's.
    const ELSEWHERE: [&str; 14] = [
        "dev", "test", "local", "example", "sample", "template", "webpack", "babel", "jest", "eslint", "vite", "karma",
        "rollup", "prettier",
    ];
    matches!(stem.as_str(), "config" | "config.default" | "config.prod" | "config.production")
        || (in_config_folder && !ELSEWHERE.iter().any(|word| stem.contains(word)))
}

/// A settings module for the whole app (`config/index.js`, `config/setting.js`), not one named
/// for a part of it or a library it configures.
fn names_the_whole_app(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    ["config", "index", "default", "production", "prod", "app", "settings", "setting"].contains(&stem.as_str())
}

/// The entries of the file's object literals, each with the keys of the objects above it.
fn entries(text: &str) -> Vec<Entry<'_>> {
    let mut found = Vec::new();
    let mut parents: Vec<&str> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.trim();
        if code.starts_with("//") || code.starts_with('*') || code.starts_with("/*") {
            continue;
        }
        if code.starts_with('}') {
            parents.pop();
            continue;
        }
        if let Some(assigned) = ASSIGNED_ENTRY.captures(line) {
            let (key, value) = (assigned.get(1).expect("key").as_str(), assigned.get(2).expect("value").as_str());
            found.push(Entry { parents: Vec::new(), key, value, line: index + 1 });
            if value.ends_with('{') && !value.contains('}') {
                parents = vec![key];
            }
            continue;
        }
        let Some(captures) = ENTRY.captures(line) else { continue };
        let (key, value) = (captures.get(1).expect("key").as_str(), captures.get(2).expect("value").as_str());
        found.push(Entry { parents: parents.clone(), key, value, line: index + 1 });
        if value.ends_with('{') && !value.contains('}') {
            parents.push(key);
        }
    }
    super::config_env_branches::keep_taken(found, |e| e.key, |a, b| a.parents == b.parents)
}

/// The longest quoted literal in an expression (`appInfo.name + '_1519887194138'`).
fn literal_part(value: &str) -> Option<&str> {
    value.split(['\'', '"']).skip(1).step_by(2).max_by_key(|part| part.len())
}

/// A third party's placeholder (`'your secret key'`, `'xxxxxx'`): the app treats it as not
/// configured; it signs nothing.
fn stands_in(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "your" || (w.len() >= 3 && w.chars().all(|c| c == 'x')))
}

/// The body of a plain string literal.
fn string(value: &str) -> Option<&str> {
    let quote = value.chars().next().filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let body = value.strip_prefix(quote)?.strip_suffix(quote)?;
    (!body.contains(quote) && !body.contains("${")).then_some(body)
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "::1")
}

/// Some file of the app sets the setting from the environment after all
/// (`config.bindingHost = process.env.HOST`, `bindingHost: process.env.HOST`).
fn set_from_environment(text: &str, key: &str) -> bool {
    text.match_indices(key).any(|(at, _)| {
        let rest = text[at + key.len()..].trim_start();
        let value = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':')).unwrap_or("");
        let value = value.lines().next().unwrap_or("");
        value.contains("process.env") || value.contains("env.")
    })
}

/// `bindingHost: '127.0.0.1'`: the server listens where only the container itself can reach.
fn loopback_bind(path: &str, entries: &[Entry], overridden: &dyn Fn(&str) -> bool) -> Option<Finding> {
    let entry = entries.iter().find(|e| {
        let key = e.key.to_ascii_lowercase();
        (key.contains("bind") || key.starts_with("listen")) && string(e.value).is_some_and(is_loopback)
    })?;
    if overridden(entry.key) {
        return None;
    }
    Some(
        Finding::blocker(
            "loopback-bind",
            format!(
                "the config binds the server to {} ({}): a load balancer cannot reach it in a container",
                string(entry.value).unwrap_or_default(),
                entry.key
            ),
            format!("{path}:{}", entry.line),
        )
        .with_fix(format!("set {} to 0.0.0.0 in the config the image ships", entry.key)),
    )
}

/// `dialect: 'sqlite'` (Sequelize), `client: 'sqlite3'` (Knex), `type: 'sqlite'` (TypeORM),
/// or the same as the fallback of a variable (`type: env.DB_TYPE || 'better-sqlite3'`).
fn sqlite_dialect(path: &str, entries: &[Entry]) -> Option<Finding> {
    let entry = entries.iter().find(|e| is_sqlite_driver(e))?;
    Some(readiness::sqlite(format!("{path}:{}", entry.line)))
}

/// An entry that picks SQLite as the database driver, by default at least.
fn is_sqlite_driver(entry: &Entry) -> bool {
    matches!(entry.key, "dialect" | "client" | "type" | "driver")
        && unset_value(entry.value).is_some_and(|v| matches!(v, "sqlite" | "sqlite3" | "better-sqlite3"))
}

/// The value a setting has when the environment leaves it unset: the literal itself, or the
/// literal after `||` or `??` (`env.DB_TYPE || 'better-sqlite3'`).
fn unset_value(value: &str) -> Option<&str> {
    string(value).or_else(|| {
        let (_, fallback) = value.rsplit_once("||").or_else(|| value.rsplit_once("??"))?;
        string(fallback.trim())
    })
}

/// Lowers each localhost-default blocker whose setting sits in a config block whose database
/// driver defaults to SQLite (`type: env.DB_TYPE || 'better-sqlite3', host: env.DB_HOST ||
/// '127.0.0.1'`): the default driver opens a file and connects to no host, so the host matters
/// only once the driver is changed, and the SQLite blocker says what to do.
pub fn relax_hosts_of_sqlite_blocks(files: &AppFiles, findings: &mut [Finding]) {
    for finding in findings.iter_mut() {
        if finding.kind != "localhost-default-host" || finding.level != crate::model::FindingLevel::Blocker {
            continue;
        }
        let Some((path, line)) = finding.source.rsplit_once(':') else { continue };
        let (Some(text), Ok(line)) = (files.get(path), line.parse::<usize>()) else { continue };
        if !is_config_module(path) {
            continue;
        }
        let entries = entries(text);
        let Some(host) = entries.iter().find(|e| e.line == line) else { continue };
        let name = finding.message.split_once(" defaults to localhost").map_or("the host", |(name, _)| name);
        let Some(driver) = entries.iter().find(|e| e.parents == host.parents && is_sqlite_driver(e)) else {
            if let Some(message) = unselected_block(path, &entries, host, name) {
                finding.level = crate::model::FindingLevel::Warning;
                finding.message = message;
            }
            continue;
        };
        finding.level = crate::model::FindingLevel::Warning;
        finding.message = format!(
            "{name} defaults to localhost, but the database driver beside it defaults to SQLite ({path}:{}), which connects to no host: it matters once the driver is changed",
            driver.line
        );
    }
}

/// What a localhost-default blocker becomes when its setting sits in a block the config's
/// selector does not pick by default (`mysql: { host: Env.get('DB_HOST', 'localhost') }` beside
/// `connection: Env.get('DB_CONNECTION', 'sqlite')`): the host matters once the selector is
/// changed.
fn unselected_block(path: &str, entries: &[Entry], host: &Entry, name: &str) -> Option<String> {
    let selectors =
        super::config_driver_blocks::selectors(entries.iter().map(|e| (e.parents.as_slice(), e.key, e.value)));
    let selector = super::config_driver_blocks::passed_over_by(&host.parents, &selectors)?;
    let block = host.parents.get(selector.depth()).copied().unwrap_or_default();
    Some(format!(
        "{name} defaults to localhost in the {block} settings of {path}, which its {} does not pick by default ({}): it matters once that is changed",
        selector.key, selector.selected
    ))
}

/// `nfs: new LocalStore({ dir: path.join(dataDir, 'nfs') })`: stored files stay on the task's
/// disk.
fn local_store(path: &str, entries: &[Entry]) -> Option<Finding> {
    let entry = entries.iter().find(|e| LOCAL_STORE.is_match(e.value))?;
    Some(
        Finding::blocker(
            "file-storage",
            format!("the config stores files on local disk by default ({}): each task keeps its own, and loses them when it stops", entry.key),
            format!("{path}:{}", entry.line),
        )
        .with_fix("configure an S3-backed store (or mount EFS at its folder)"),
    )
}

/// `db: 'mongodb://127.0.0.1/app'`, `redis_host: '127.0.0.1'`, `database: { host: 'localhost' }`:
/// in a container, the machine itself runs no database. A database block whose dialect is
/// SQLite has no server to reach.
fn loopback_services(
    path: &str,
    entries: &[Entry],
    overridden: &dyn Fn(&str) -> bool,
    built_into_url: &dyn Fn(&str) -> Option<String>,
) -> Option<Finding> {
    let sqlite_blocks: Vec<&str> =
        entries.iter().filter(|e| is_sqlite_driver(e)).filter_map(|e| e.parents.last().copied()).collect();
    let selectors =
        super::config_driver_blocks::selectors(entries.iter().map(|e| (e.parents.as_slice(), e.key, e.value)));
    // A module for one service (`db.config.js`, `redis.js`) whose top-level `HOST` is its host.
    let stem = path.rsplit('/').next().unwrap_or(path).split('.').next().unwrap_or_default().to_ascii_lowercase();
    let mut url_at = None;
    // A schema's entry (convict's `{ default: 'mongodb://127.0.0.1', env: 'MONGO_URI' }`) whose
    // `env` beside it names the variable that replaces the default.
    let schema_env = |e: &Entry| {
        entries.iter().any(|s| s.parents == e.parents && matches!(s.key, "env" | "envVar") && string(s.value).is_some())
    };
    let service = |e: &Entry, url_at: &mut Option<String>| {
        let key = e.key.to_ascii_lowercase();
        let parent = match e.parents.last() {
            Some(parent) => parent.to_ascii_lowercase(),
            None if is_service(&stem) => stem.clone(),
            None => String::new(),
        };
        let value = string(e.value)?;
        let url = LOOPBACK_URL.is_match(value);
        let host = is_loopback(value) && !key.contains("bind") && !key.starts_with("listen") && key.ends_with("host");
        // A top-level `HOST` of a general module counts once the code builds a service's URL
        // from it (`mongodb://${dbConfig.HOST}:${dbConfig.PORT}`).
        let built = (host && e.parents.is_empty() && key == "host").then(|| built_into_url(e.key)).flatten();
        let host = host && (key != "host" || is_service(&parent) || built.is_some());
        let in_sqlite_block = e.parents.last().is_some_and(|p| sqlite_blocks.contains(p));
        let unselected = super::config_driver_blocks::unselected(e.parents.as_slice(), &selectors);
        let found = (url || host) && !in_sqlite_block && !unselected && !overridden(e.key) && !schema_env(e);
        if found && url_at.is_none() {
            *url_at = built.or_else(|| built_into_url(e.key));
        }
        found.then_some(())
    };
    let hosts: Vec<&Entry> = entries.iter().filter(|e| service(e, &mut url_at).is_some()).collect();
    let first = hosts.first()?;
    let keys: Vec<&str> = hosts.iter().map(|e| e.key).collect();
    let built = url_at.map(|at| format!(", and the code builds its URL from it ({at})")).unwrap_or_default();
    Some(
        Finding::blocker(
            "hard-coded-hosts",
            format!(
                "the config points at services on the machine itself ({}){built}: in a container nothing listens there, and no variable changes it",
                keys.join(", ")
            ),
            format!("{path}:{}", first.line),
        )
        .with_fix("read those hosts from the environment and point them at RDS, DocumentDB or ElastiCache"),
    )
}

/// A host finding on a Sails app's `config/<section>.js`: Sails reads `sails_*` variables over
/// its config through `rc('sails')` (`sails_datastores__default__url` sets
/// `datastores.default.url`), so a variable does change it, and the finding names that one.
fn sails_rc_override(files: &AppFiles, path: &str, entries: &[Entry], mut finding: Finding) -> Finding {
    let sails = files.get("package.json").is_some_and(|manifest| manifest.contains("\"sails\""));
    let section = path.strip_prefix("config/").and_then(|file| file.strip_suffix(".js"));
    let line = finding.source.rsplit_once(':').and_then(|(_, line)| line.parse::<usize>().ok());
    let entry = entries.iter().find(|e| Some(e.line) == line);
    let (Some(section), Some(entry), true) = (section, entry, sails) else { return finding };
    if section.contains('/') {
        return finding;
    }
    let keys = std::iter::once(section)
        .chain(entry.parents.iter().copied().filter(|p| *p != section))
        .chain(std::iter::once(entry.key));
    let variable = format!("sails_{}", keys.collect::<Vec<_>>().join("__"));
    finding.message = finding.message.replace(
        ", and no variable changes it",
        &format!(" until {variable} is set (Sails reads sails_* variables over its config)"),
    );
    finding.fix = Some(format!("set {variable} on the service to the RDS, DocumentDB or ElastiCache address"));
    finding
}

/// `secret: 'x8Wf...'`, `jwtSecret: "changeme"`: the key that signs tokens or sessions, written
/// in the settings the image ships. The value is never repeated in the finding.
fn committed_secret(path: &str, text: &str, entries: &[Entry], overridden: &dyn Fn(&str) -> bool) -> Option<Finding> {
    let lines: Vec<&str> = text.lines().collect();
    let signing: Vec<&Entry> = entries
        .iter()
        .filter(|e| {
            let key = e.key.to_ascii_lowercase();
            let names_secret = key.ends_with("secret") || key == "secretkey" || key == "signingkey";
            // Koa's and Egg's cookie signing keys, often a literal joined to the app's name.
            let cookie_keys =
                key == "keys" && e.parents.is_empty() && literal_part(e.value).is_some_and(|l| l.len() >= 6);
            // A value may sit on the line after its key (`secret:\n  '...'`).
            let value = match e.value.trim() {
                "" => lines.get(e.line).map_or("", |next| {
                    let code = next.split_once(" //").map_or(*next, |(code, _)| code);
                    code.trim().trim_end_matches(',')
                }),
                value => value,
            };
            let committed = string(value).is_some_and(|body| body.chars().count() >= 6 && !stands_in(body));
            (names_secret && committed || cookie_keys) && !overridden(e.key)
        })
        .collect();
    let entry = signing.first()?;
    let keys: Vec<String> = signing.iter().map(|e| format!("`{}`", e.key)).collect();
    Some(
        Finding::blocker(
            "secret-default",
            format!(
                "the signing {} written in the settings the image ships: anyone with the repository can forge what it signs",
                match keys.len() {
                    1 => format!("secret {} is", keys[0]),
                    _ => format!("secrets {} are", keys.join(", ")),
                }
            ),
            format!("{path}:{}", entry.line),
        )
        .with_fix("read it from the environment, set from a Secrets Manager secret"),
    )
}

/// An object that holds a database's or cache's connection settings.
/// Where the code builds a service's URL from a config entry: `mongodb://${dbConfig.HOST}`.
fn url_built_from(sources: &[(&str, &str)], key: &str) -> Option<String> {
    let field = format!(".{key}}}");
    sources.iter().find_map(|(path, text)| {
        let index = text.lines().position(|line| {
            line.split_once("://${").is_some_and(|(_, rest)| rest.split('/').next().unwrap_or("").contains(&field))
        })?;
        Some(format!("{path}:{}", index + 1))
    })
}

fn is_service(key: &str) -> bool {
    ["db", "database", "mongo", "mongodb", "redis", "mysql", "postgres", "pg", "cache", "elasticsearch", "amqp"]
        .iter()
        .any(|service| key == *service || key.starts_with(service))
}

/// `debug: true` at the top of the settings (or of its app section): production runs in debug
/// mode. Under one library's section (`graphql: { debug: true }`) it is that library's
/// verbose errors: worth turning off, not a development mode.
fn debug_on(path: &str, entries: &[Entry]) -> Option<Finding> {
    const APP_SECTIONS: [&str; 6] = ["app", "server", "site", "general", "common", "default"];
    let entry =
        entries.iter().find(|e| e.parents.len() <= 1 && e.key.eq_ignore_ascii_case("debug") && e.value == "true")?;
    let at = format!("{path}:{}", entry.line);
    let fix = format!("set {} to false in the config the image ships", entry.key);
    match entry.parents.first().filter(|p| !APP_SECTIONS.contains(&p.to_ascii_lowercase().as_str())) {
        Some(section) => Some(
            Finding::warning(
                "debug-default",
                format!("the config sets {section}.{}: true: {section} answers with debugging detail (stack traces in its errors)", entry.key),
                at,
            )
            .with_fix(fix),
        ),
        None => Some(
            Finding::blocker(
                "debug-default",
                format!(
                    "the config sets {}: true: the app runs in debug mode, with its development shortcuts on",
                    entry.key
                ),
                at,
            )
            .with_fix(fix),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(files: &[(&str, &str)]) -> Vec<(String, String)> {
        findings(&AppFiles::from_pairs(files.iter().copied())).into_iter().map(|f| (f.kind, f.source)).collect()
    }

    #[test]
    fn a_librarys_debug_switch_is_a_warning() {
        let config = "const config: Config = {\n  graphql: {\n    playgroundEnabled: true,\n    debug: true,\n  },\n};\nexport default config;\n";
        let found = findings(&AppFiles::from_pairs([("src/common/configs/config.ts", config)]));
        let debug = found.iter().find(|f| f.kind == "debug-default").expect("a debug finding");
        assert_eq!(debug.level, crate::model::FindingLevel::Warning);
        assert!(debug.message.contains("graphql.debug"), "{}", debug.message);
    }

    #[test]
    fn a_part_of_the_apps_settings_has_its_own_debug() {
        let part = "module.exports = {\n  debug: true,\n  quality: 80,\n};\n";
        assert!(kinds(&[("config/imager.js", part)]).is_empty());
        assert_eq!(
            kinds(&[("config/setting.js", part)]),
            [("debug-default".to_string(), "config/setting.js:2".to_string())]
        );
    }

    #[test]
    fn settings_kept_in_a_config_object() {
        let config = "var config = {\n  debug: true,\n  bindHost: '127.0.0.1', // local only\n  store: new LocalFiles({\n    dir: path.join(root, 'files')\n  }),\n  database: {\n    dialect: 'sqlite',\n    host: '127.0.0.1',\n  },\n  mongo_url: 'mongodb://127.0.0.1/shop',\n  cache_host: 'localhost',\n  site_host: process.env.SITE_HOST || 'localhost',\n};\nmodule.exports = config;\n";
        assert_eq!(
            kinds(&[("config/index.js", config)]),
            [
                ("loopback-bind".to_string(), "config/index.js:3".to_string()),
                ("sqlite".to_string(), "config/index.js:8".to_string()),
                ("file-storage".to_string(), "config/index.js:4".to_string()),
                ("hard-coded-hosts".to_string(), "config/index.js:11".to_string()),
                ("debug-default".to_string(), "config/index.js:2".to_string()),
            ]
        );
    }

    #[test]
    fn a_config_module_only_a_template_of_is_committed() {
        let app = "var config = require('./config');\nvar express = require('express');\n";
        let template = "module.exports = { port: 3000 };\n";
        let missing = kinds(&[("app.js", app), ("config.default.js", template)]);
        assert_eq!(missing, [("required-env".to_string(), "app.js:1".to_string())]);
        assert!(kinds(&[("app.js", app), ("config.default.js", template), ("config.js", template)]).is_empty());
    }

    #[test]
    fn values_the_environment_overrides_or_other_files_are_left() {
        let config = "module.exports = {\n  bindHost: '127.0.0.1',\n  redis_host: '127.0.0.1',\n};\n";
        let server = "config.bindHost = process.env.BIND_HOST || config.bindHost;\nconfig.redis_host = process.env.REDIS_HOST;\n";
        assert!(kinds(&[("config/index.js", config), ("server.js", server)]).is_empty());
        assert!(kinds(&[("src/routes.js", config)]).is_empty(), "not a config module");
    }
}
