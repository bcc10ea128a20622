//! What the running app's variables mean in a task, read from their names and the defaults the
//! code gives them: a listen address on loopback, a store on localhost, SQLite or a local
//! folder as the default home of the data, debug on by default, a committed secret, a required
//! setting nothing gives.

use std::sync::LazyLock;

use regex::Regex;

use super::words::{ELSEWHERE, STORES};
use crate::analyze::readiness;
use crate::model::{CodeVariable, Finding, FindingLevel, VariableScope};

/// The findings for the running app's variables, given what is `set` for the service.
pub fn findings(variables: &[CodeVariable], set: impl Fn(&str) -> bool) -> Vec<Finding> {
    let mut findings = Vec::new();
    let judged = |v: &&CodeVariable| {
        v.scope == VariableScope::Runtime
            && !set(&v.name)
            && !in_inactive_profile(&v.source)
            && !switched_off(variables, &v.name, &set)
    };
    let linux = |v: &&CodeVariable| !WINDOWS_ONLY.contains(&v.name.as_str());
    for variable in variables.iter().filter(judged).filter(|v| !development_only(&v.name)).filter(linux) {
        let parts: Vec<String> = variable.name.to_ascii_uppercase().split('_').map(str::to_string).collect();
        let has = |words: &[&str]| parts.iter().any(|p| words.contains(&p.as_str()));
        let finding = match variable.default.as_deref() {
            None => without_default(variable),
            Some(value) if variable.secret => secret_default(variable, value, &has),
            Some(value) => setting_default(variable, value, &has),
        };
        findings.extend(finding);
    }
    findings.extend(required_ports_the_service_sets(variables, &set));
    group_env_file_defaults(findings)
}

/// A listen port the code requires (parsed with no fallback, NaN unset), which the service
/// always sets: said, since the app stops at start anywhere PORT is not set.
fn required_ports_the_service_sets(variables: &[CodeVariable], set: &impl Fn(&str) -> bool) -> Vec<Finding> {
    let needed = |v: &&CodeVariable| {
        v.scope == VariableScope::Runtime && v.required && v.default.is_none() && v.name == "PORT" && set(&v.name)
    };
    variables
        .iter()
        .filter(needed)
        .map(|v| Finding {
            kind: "required-env".into(),
            level: FindingLevel::Info,
            message: format!(
                "the code requires {} and has no fallback for it (unset, the server cannot listen): the service sets {}, so it starts",
                v.name, v.name
            ),
            fix: Some(format!("keep {} set wherever the app runs", v.name)),
            source: v.source.clone(),
        })
        .collect()
}

/// A variable the code gives no default: a finding when the code requires it.
fn without_default(variable: &CodeVariable) -> Option<Finding> {
    let name = variable.name.as_str();
    let at = variable.source.clone();
    // Without a key the app makes up its own, it starts: what breaks is sharing it between
    // tasks, which the per-process-secret blocker at the generating line says.
    if !variable.required || variable.generated_when_unset {
        return None;
    }
    if !variable.secret {
        return Some(readiness::required_env(name, at));
    }
    Some(
        Finding::blocker(
            "required-env",
            format!(
                "the code requires the secret {name} and nothing sets it: the app will not start or work without it"
            ),
            at,
        )
        .with_fix(format!("give its value with --secret {name}=env:VAR or --secret {name}=file:PATH")),
    )
}

/// A duration (`5 seconds`, `30m`, `1h`) or an AWS region (`us-east-1`): never a credential.
fn is_duration_or_region(value: &str) -> bool {
    static SETTING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)^(?:\d+\s*(?:ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)|[a-z]{2}(?:-gov)?-[a-z]+-\d)$",
        )
        .expect("valid pattern")
    });
    SETTING.is_match(value.trim())
}

/// A secret's default `value`: a store on this machine, SQLite, or a value committed with the
/// code that anyone could forge with. `has` says whether the name has one of the words.
fn secret_default(variable: &CodeVariable, value: &str, has: &impl Fn(&[&str]) -> bool) -> Option<Finding> {
    let name = variable.name.as_str();
    let at = variable.source.clone();
    match value {
        value if points_at_this_machine(value) => Some(
            readiness::localhost_default(name, has(&STORES), at)
                .with_fix(format!("give the real one with --secret {name}=env:VAR or --secret {name}=file:PATH")),
        ),
        value if is_sqlite(value) => Some(readiness::sqlite_fallback(name, at)),
        // A connection URL's default is a development database, not a key anyone can use.
        _ if has(&["URL", "URI", "DSN", "CONNECTION"]) => None,
        // `getenv("SALTED_PASS", False)`, `X ? true : false`: no value, so nothing to forge with.
        value if is_no_value(value) || says_unset(value) => None,
        // `"5 seconds"`, `"us-east-1"`: a duration or a region is a setting whatever the name says.
        value if is_duration_or_region(value) => None,
        // `FDC_API_KEY='DEMO_KEY'`, `'dummySecret'`: a placeholder a provider rejects or a
        // public demo key protects nothing of the app's; only a real value makes it work.
        value if is_placeholder(value) || spells_its_name(name, value) => None,
        // `SQL_PASSWORD='password'`: what the app gives a database or mail server to log in.
        _ if super::client_credential::is_client_password(has) => {
            Some(super::client_credential::committed_client_password(variable))
        }
        // `SENDGRID_API_KEY || 'SG.test'`: a third party's key that is a stand-in forges
        // nothing; what fails is the feature that calls the provider.
        value if third_party_key(variable, has) && is_placeholder_key(value) => Some(
            Finding::warning(
                "placeholder-key",
                format!("{name} falls back to a placeholder committed with the code: nothing can be forged with it, but what calls the provider fails until the real key is set"),
                at,
            )
            .with_fix(format!("give the real key with --secret {name}=env:VAR or --secret {name}=file:PATH")),
        ),
        // An access key's secret, an OAuth client's secret: a credential the app presents to
        // another service, which anyone with the code can present too.
        _ if presented_elsewhere(variable, has) => Some(
            Finding::blocker(
                "secret-default",
                format!("{name} falls back to a credential committed with the code: anyone with the code can use the service it opens as the app"),
                at,
            )
            .with_fix(format!("revoke the committed credential, and give the new one with --secret {name}=env:VAR or --secret {name}=file:PATH")),
        ),
        // `ROOT_PASS`, `ADMIN_PASSWORD`: a password, which is typed in, not signed with.
        _ if has(&["PASS", "PASSWORD", "PASSWD", "PWD"]) => Some(committed_password(name, at)),
        _ => Some(
            Finding::blocker(
                "secret-default",
                format!("{name} falls back to a value committed with the code: anyone with the code can forge what it protects"),
                at,
            )
            .with_fix(format!("give it a secret value with --secret {name}=env:VAR or --secret {name}=file:PATH")),
        ),
    }
}

/// Whether a setting's value can be a folder: not a switch (`S3_PATH_STYLE=false`), not another
/// variable's name (`GLOBAL_S3_FORCE_PATH_STYLE`) that a helper tries when this one is unset.
fn names_a_folder(value: &str) -> bool {
    let variable_name =
        value.contains('_') && value.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let switch =
        matches!(value.to_ascii_lowercase().as_str(), "true" | "false" | "0" | "1" | "yes" | "no" | "on" | "off");
    !variable_name && !switch
}

/// `data/IP_BLACKLIST.json`: one file of a kind an app reads (a list, a certificate, a GeoIP
/// database), not a folder it writes into.
fn names_a_read_file(value: &str) -> bool {
    const READ: [&str; 13] =
        ["json", "txt", "csv", "yml", "yaml", "xml", "mmdb", "pem", "crt", "key", "conf", "ini", "html"];
    let last = value.rsplit('/').next().unwrap_or(value);
    last.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && READ.contains(&ext.to_ascii_lowercase().as_str()))
}

/// A password committed as a setting's default: anyone with the code can log in with it.
fn committed_password(name: &str, at: String) -> Finding {
    Finding::blocker(
        "secret-default",
        format!("{name} falls back to a password committed with the code: anyone with the code can log in wherever it is used"),
        at,
    )
    .with_fix(format!("give it a secret value with --secret {name}=env:VAR or --secret {name}=file:PATH"))
}

/// `SITE_URL`, `NEXT_PUBLIC_APP_URL`, `BASE_URL`, `NEXTAUTH_URL`: the app's own address, from
/// which it builds the links and redirects it sends users to. Not a database's URL.
pub fn names_a_public_url(name: &str) -> bool {
    // A framework's prefix for what it ships to browsers (`NEXT_PUBLIC_SUPABASE_URL`) says
    // nothing of whose address it is.
    let upper = name.to_ascii_uppercase();
    let bare = ["NEXT_PUBLIC_", "NUXT_PUBLIC_", "VITE_", "REACT_APP_", "PUBLIC_"]
        .iter()
        .find_map(|prefix| upper.strip_prefix(prefix).filter(|rest| rest.contains('_')))
        .unwrap_or(&upper);
    let parts: Vec<String> = bare.split('_').map(str::to_string).collect();
    let has = |words: &[&str]| parts.iter().any(|p| words.contains(&p.as_str()));
    const OWN: [&str; 10] =
        ["SITE", "APP", "BASE", "PUBLIC", "EXTERNAL", "CANONICAL", "NEXTAUTH", "CALLBACK", "REDIRECT", "WEBSITE"];
    has(&["URL", "URI"]) && has(&OWN) && !has(&STORES) && !names_a_peers_base(&parts)
}

/// `OPENAI_COMPATIBLE_BASE_URL`, `AZURE_CLIENT_BASE_URL`: "base" is the root of an API the app
/// calls when the rest of the name is another party's, not the app's own side.
fn names_a_peers_base(parts: &[String]) -> bool {
    const OWN_SIDE: [&str; 14] = [
        "SITE",
        "APP",
        "PUBLIC",
        "EXTERNAL",
        "CANONICAL",
        "NEXTAUTH",
        "CALLBACK",
        "REDIRECT",
        "WEBSITE",
        "FRONTEND",
        "WEB",
        "CLIENT",
        "SERVER",
        "API",
    ];
    let qualifiers: Vec<&str> =
        parts.iter().map(String::as_str).filter(|p| !matches!(*p, "BASE" | "URL" | "URI" | "")).collect();
    parts.iter().any(|p| p == "BASE") && qualifiers.iter().any(|q| !OWN_SIDE.contains(q))
}

/// Whether the app's own login switch is off by default: `AUTH_ENABLED=false`,
/// `ENABLE_AUTHENTICATION=0`, `DISABLE_AUTH=true`, `LOGIN_REQUIRED=false`. A provider's switch
/// (`GOOGLE_AUTH_ENABLED`) turns off one way of logging in among others, so only the bare
/// names count.
fn login_switched_off(name: &str, value: &str) -> bool {
    static SWITCHED_ON: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(?:AUTH|AUTHENTICATION|LOGIN)_(?:ENABLED|REQUIRED|ENABLE|ON)|(?:ENABLE|REQUIRE)_(?:AUTH|AUTHENTICATION|LOGIN))$")
            .expect("valid pattern")
    });
    static SWITCHED_OFF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(?:DISABLE|SKIP|NO)_(?:AUTH|AUTHENTICATION|LOGIN)|(?:AUTH|AUTHENTICATION|LOGIN)_DISABLED)$")
            .expect("valid pattern")
    });
    let upper = name.to_ascii_uppercase();
    match value.to_ascii_lowercase().as_str() {
        "false" | "0" | "no" | "off" => SWITCHED_ON.is_match(&upper),
        "true" | "1" | "yes" | "on" => SWITCHED_OFF.is_match(&upper),
        _ => false,
    }
}

/// A setting's default `value` that will not do in a task: loopback, a store on this machine,
/// SQLite, debug on, or files on local disk. `has` says whether the name has one of the words.
fn setting_default(variable: &CodeVariable, value: &str, has: &impl Fn(&[&str]) -> bool) -> Option<Finding> {
    let name = variable.name.as_str();
    let at = variable.source.clone();
    // `INTERNAL_IPS=127.0.0.1`, `ALLOWED_HOSTS=localhost`: who may call the app, not a host
    // it calls or listens on.
    // Spring's relaxed names join words (`SECURITY_ALLOWEDORIGINS`), so a part may hold one.
    let upper = name.to_ascii_uppercase();
    let allow_list = has(&["IPS", "ALLOWED", "TRUSTED", "INTERNAL", "ORIGINS", "WHITELIST", "ALLOWLIST"])
        || ["ALLOWED", "ORIGINS", "TRUSTED"].iter().any(|w| upper.split('_').any(|part| part.contains(w)));
    if let Some(switch) = switch_default(name, value, &at, has) {
        return Some(switch);
    }
    match value {
        value if points_at_this_machine(value) && !allow_list => {
            let listens = loopback_listen(variable);
            Some(if let Some(listener) = listens {
                // A listen address on loopback blocks; a bare HOST may only name the app in
                // its own links and logs, so it is said, not blocked on.
                let level = if listener { FindingLevel::Blocker } else { FindingLevel::Warning };
                Finding::new(
                    level,
                    "loopback-bind",
                    format!("listens on {value} by default ({name}): the load balancer cannot reach a task there"),
                    at,
                )
                .with_fix(format!("set {name} to 0.0.0.0 (with the port if it takes one) on the service"))
            } else if names_a_public_url(name) {
                readiness::localhost_public_url(name, at)
            } else {
                readiness::localhost_default(name, has(&STORES), at)
            })
        }
        value if is_sqlite(value) && has(&["DB", "DATABASE", "DIALECT", "ENGINE", "PROVIDER", "DBMS", "URL", "URI"]) => {
            Some(readiness::sqlite_fallback(name, at))
        }
        // `BLOB_DRIVER=fs`, `MEDIA_BACKEND=local`: the store the app's files go to.
        value if has(&["STORAGE", "UPLOAD", "UPLOADS", "FILES", "FILE", "BLOB", "BLOBS", "MEDIA", "ATTACHMENTS"])
            && !has(&["DIR", "PATH", "ROOT", "FOLDER"])
            && matches!(value.to_ascii_lowercase().as_str(), "local" | "disk" | "filesystem" | "fs" | "file") => Some(
            Finding::blocker(
                "local-disk-writes",
                format!("{name} defaults to {value}: uploaded files go to the task's disk and are lost when it stops"),
                at,
            )
            .with_fix(format!("set {name} to S3 storage and give it a bucket")),
        ),
        // `KEYVALUE_TYPE=memory`, `SESSION_STORE=memory`: what the app shares between requests
        // (sessions, tokens, locks) lives in one task's memory. A cache in memory is only slower.
        value if has(&["TYPE", "DRIVER", "BACKEND", "STORE", "ENGINE"])
            && has(&["KEYVALUE", "KV", "SESSION", "SESSIONS", "LOCK", "LOCKS", "PUBSUB", "QUEUE"])
            && matches!(value.to_ascii_lowercase().as_str(), "memory" | "inmemory" | "in-memory" | "mem") => Some(
            Finding::blocker(
                "in-memory-store",
                format!("{name} defaults to {value}: what the app keeps there (sessions, tokens, locks) lives in one task's memory, which other tasks never see"),
                at,
            )
            .with_fix(format!("set {name} to Redis (ElastiCache) on the service")),
        ),
        // A data folder: see `names_a_folder` for the values that are none.
        // `AZURE_STORAGE_STAGING_FOLDER_NAME`, `S3_UPLOAD_PATH`: a prefix inside an object
        // store's container or bucket, not a folder of the task's disk.
        value if has(&["DIR", "PATH", "ROOT", "FOLDER"]) && has(&["DATA", "UPLOAD", "UPLOADS", "MEDIA", "STORAGE", "FILES"])
            && !has(&["AZURE", "S3", "GCS", "BUCKET", "CONTAINER", "MINIO", "R2", "OSS", "COS"])
            && names_a_folder(value)
            && (!names_a_read_file(value) || has(&["DB", "DATABASE", "STORE"])) => Some(
            Finding::blocker(
                "local-disk-writes",
                format!("keeps its files in {value} on local disk ({name}): every task has its own, and loses them when it stops"),
                at,
            )
            .with_fix("keep the data in S3 or a database; an Express Mode service has no volumes"),
        ),
        _ => None,
    }
}

/// A switch's default that opens the app to anyone: the login off, or debug mode on.
fn switch_default(name: &str, value: &str, at: &str, has: &impl Fn(&[&str]) -> bool) -> Option<Finding> {
    let at = at.to_string();
    match value {
        // `auth.type: DISABLED`: whoever reaches the load balancer uses the app as an admin.
        value if has(&["AUTH", "AUTHENTICATION"])
            && matches!(name.to_ascii_uppercase().rsplit('_').next(), Some("TYPE" | "MODE" | "METHOD"))
            && matches!(value.to_ascii_lowercase().as_str(), "disabled" | "none" | "noauth" | "off") => Some(
            Finding::blocker(
                "auth-disabled",
                format!("{name} defaults to {value}: the app serves everyone who reaches it without a login"),
                at,
            )
            .with_fix(format!("set {name} to a login method on the service")),
        ),
        // `AUTHENTICATION_ENABLED` defaulting to false: the login is a switch left off.
        value if login_switched_off(name, value) => Some(
            Finding::blocker(
                "auth-disabled",
                format!("{name} defaults to {value}: the login is off, so the app serves everyone who reaches it"),
                at,
            )
            .with_fix(format!("turn the login on with {name} on the service")),
        ),
        value if has(&["MODE"]) && value.eq_ignore_ascii_case("debug") => Some(debug_mode(name, value, at)),
        // `LOGS_DEBUG`, `SQL_DEBUG`: more lines in the server's own log, nothing a visitor sees.
        value if has(&["DEBUG"])
            && turns_on_debug_mode(name)
            && !has(&["LOG", "LOGS", "LOGGING", "LOGGER", "SQL", "QUERY", "QUERIES", "DB"])
            && matches!(value.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on") => Some(
            Finding::blocker(
                "debug-default",
                format!("{name} defaults to {value}: the app runs in debug mode, showing stack traces and settings to anyone"),
                at,
            )
            .with_fix(format!("set {name}=false on the service")),
        ),
        _ => None,
    }
}

/// Whether `name` is the app's debug switch (`DEBUG`, `APP_DEBUG`, `DEBUG_MODE`), not one
/// knob of it: `DEBUG_MINIFY` says whether the bundle is minified, and shows no visitor a
/// stack trace.
fn turns_on_debug_mode(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let words: Vec<&str> = upper.split('_').filter(|w| !w.is_empty()).collect();
    let Some(at) = words.iter().rposition(|w| *w == "DEBUG") else { return true };
    words[at + 1..].iter().all(|w| matches!(*w, "MODE" | "ENABLED" | "ENABLE" | "ON"))
}

/// Secrets that fall back to values of one `.env` file the app loads are one finding: the
/// file is what to fix, not each line of it.
fn group_env_file_defaults(findings: Vec<Finding>) -> Vec<Finding> {
    let file_of = |f: &Finding| {
        let path = f.source.rsplit_once(':').map_or(f.source.as_str(), |(p, _)| p).to_string();
        let name = path.rsplit('/').next().unwrap_or(&path).to_string();
        (f.kind == "secret-default" && name.starts_with(".env")).then_some(path)
    };
    let mut grouped: Vec<Finding> = Vec::new();
    let mut names_by_file: Vec<(String, usize, Vec<String>)> = Vec::new();
    for finding in findings {
        let Some(file) = file_of(&finding) else {
            grouped.push(finding);
            continue;
        };
        let name = finding.message.split_whitespace().next().unwrap_or("").to_string();
        match names_by_file.iter_mut().find(|(f, _, _)| *f == file) {
            Some((_, _, names)) => names.push(name),
            None => {
                names_by_file.push((file, grouped.len(), vec![name]));
                grouped.push(finding);
            }
        }
    }
    for (file, at, names) in names_by_file.into_iter().rev() {
        if names.len() > 1 {
            grouped[at] = Finding::blocker(
                "secret-default",
                format!(
                    "{} secrets fall back to values in {file}, which the app loads: {}",
                    names.len(),
                    names.join(", ")
                ),
                grouped[at].source.clone(),
            )
            .with_fix(format!("give each a secret value with --secret NAME=env:VAR, and keep {file} out of the image"));
        }
    }
    grouped
}

/// The port the app listens on when nothing overrides it, from its settings' defaults: `PORT`,
/// an app's own `HTTP_PORT`/`SERVER_PORT`, or the port of a listen address (`LISTEN_ADDR`
/// `127.0.0.1:8080`).
pub fn listen_port(variables: &[CodeVariable]) -> Option<(u16, String)> {
    let runtime = variables.iter().filter(|v| v.scope == VariableScope::Runtime && !in_inactive_profile(&v.source));
    let candidates = runtime.filter_map(|v| {
        let default = v.default.as_deref()?;
        let rank = listen_rank(&v.name).filter(|_| !logs_in_beside(&v.name, variables))?;
        let digits = default.rsplit(':').next().unwrap_or(default);
        let port = digits.trim().parse::<u16>().ok().filter(|p| *p != 0)?;
        Some((rank, port, v.source.clone()))
    });
    candidates.min_by_key(|(rank, _, _)| *rank).map(|(_, port, at)| (port, at))
}

/// `TRAC_PORT` read beside `TRAC_USER` or `TRAC_PASSWORD`: a port that comes with a login is
/// where the app connects to another service (a database named for its product), never where
/// it listens. A listen port shares its prefix with a host at most (`APP_HOST`, `APP_PORT`).
fn logs_in_beside(name: &str, variables: &[CodeVariable]) -> bool {
    const LOGINS: [&str; 7] = ["USER", "USERNAME", "PASSWORD", "PASS", "PASSWD", "DATABASE", "DB_NAME"];
    let Some(prefix) = name.strip_suffix("PORT").filter(|p| p.len() > 1) else { return false };
    variables.iter().any(|v| v.name.strip_prefix(prefix).is_some_and(|rest| LOGINS.contains(&rest)))
}

/// Whether `name` is the app's own listen setting (`PORT`, `HTTP_PORT`, `LISTEN_ADDR`), not a
/// store's, another service's or a side server's (`DB_PORT`, `METRICS_PORT`).
pub fn is_listen_setting(name: &str) -> bool {
    listen_rank(name).is_some()
}

/// `is_listen_setting`, and no login read beside it: `TIDB_PORT` next to `TIDB_USER` is a
/// database's port, whatever the product's name.
pub fn is_listen_setting_among(name: &str, variables: &[CodeVariable]) -> bool {
    is_listen_setting(name) && !logs_in_beside(name, variables)
}

/// How surely `name` is the app's listen setting: `PORT` (0), an app's own `*_PORT` (1), a
/// listen address (2); `None` for anything else.
fn listen_rank(name: &str) -> Option<u8> {
    // `Port`, `HttpPort`: a CamelCase name's words count as an upper-case name's (a name all in
    // lower case is a setting's key more often than a variable).
    let capitalized = name.starts_with(|c: char| c.is_ascii_uppercase());
    let words = if capitalized { super::words::words_of(name) } else { name.to_string() };
    let parts: Vec<&str> = words.split('_').collect();
    // `EVENT_STREAM_PORT`: a second server beside the app's (server-sent events, a socket
    // relay), started by its own command.
    let side = [
        "METRICS",
        "GRPC",
        "ADMIN",
        "DEBUG",
        "MANAGEMENT",
        "HEALTH",
        "INSPECT",
        "PROMETHEUS",
        "PPROF",
        "STATSD",
        "STREAM",
    ];
    let elsewhere = parts.iter().any(|p| ELSEWHERE.contains(p) || STORES.contains(p) || side.contains(p));
    match parts.as_slice() {
        ["PORT"] => Some(0),
        [.., "PORT"] if !elsewhere => Some(1),
        // vikunja's `SERVICE_INTERFACE` (`:3456`): the address the server binds.
        [.., last] if !elsewhere && matches!(*last, "ADDR" | "ADDRESS" | "LISTEN" | "BIND" | "INTERFACE") => Some(2),
        _ => None,
    }
}

/// A Spring profile's file other than production's (`application-dev.yml`,
/// `application-test.properties`): its values apply only when that profile is active.
pub fn in_inactive_profile(source: &str) -> bool {
    let path = source.rsplit_once(':').map_or(source, |(path, _)| path);
    let name = path.rsplit('/').next().unwrap_or(path);
    let config = [".properties", ".yml", ".yaml"].iter().any(|ext| name.ends_with(ext));
    let stem = name.split('.').next().unwrap_or(name);
    config
        && ["application-", "bootstrap-"].iter().any(|prefix| {
            stem.strip_prefix(prefix).is_some_and(|profile| !matches!(profile, "prod" | "production" | "default"))
        })
}

/// A committed value that is no secret of anyone's: "no value" (a flag, null, empty) or a
/// stand-in to fill in (`your-secret-key`, `xxx`).
pub fn is_stand_in(value: &str) -> bool {
    is_no_value(value) || is_placeholder_key(value)
}

/// A default that stands for "no value": a boolean, null, zero or an empty string.
fn is_no_value(value: &str) -> bool {
    let bare = value.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    matches!(bare.as_str(), "" | "false" | "true" | "none" | "null" | "nil" | "undefined" | "0")
}

/// A marker that says the key was never given (`API_KEY || "NO-DEFINED"`, `|| "not-required"`):
/// the code sends it only to show the absence, so it opens nothing anyone could use.
fn says_unset(value: &str) -> bool {
    const MARKERS: [&str; 14] = [
        "nodefined",
        "notdefined",
        "undefined",
        "notset",
        "unset",
        "notrequired",
        "notneeded",
        "noneeded",
        "missing",
        "nokey",
        "noapikey",
        "notconfigured",
        "unconfigured",
        "notprovided",
    ];
    let letters: String = value.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    MARKERS.contains(&letters.as_str())
}

/// A value that says it stands in for the real one: a provider's public demo key or a dummy.
fn is_placeholder(value: &str) -> bool {
    let bare = value.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    // `xxx`, `xxxxxx`: a blank to fill in, not a key anyone signs or logs in with.
    let blank = bare.len() >= 3 && bare.chars().all(|c| c == 'x');
    blank || bare.starts_with("dummy") || bare == "demo" || bare.starts_with("demo_") || bare.starts_with("demo-")
}

/// A key or token the app hands to another party's API (`SENDGRID_API_KEY`, a value passed as
/// `apiKey`), not one it signs or encrypts with itself.
fn third_party_key(variable: &CodeVariable, has: &impl Fn(&[&str]) -> bool) -> bool {
    const OWN: [&str; 10] =
        ["SECRET", "JWT", "SESSION", "SIGNING", "COOKIE", "ENCRYPTION", "CRYPTO", "HMAC", "SALT", "PASSWORD"];
    let given = variable.why.as_deref().is_some_and(|why| why.contains("a token given to a client"));
    (given || has(&["APIKEY", "API", "TOKEN"])) && !has(&OWN)
}

/// `CLIENT_SECRET || "client-secret"`: a value that only spells the variable's name is a
/// stand-in, no secret.
fn spells_its_name(name: &str, value: &str) -> bool {
    let letters =
        |text: &str| text.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    !value.is_empty() && letters(name) == letters(value)
}

/// A credential for another service, not a secret the app signs with: a third party's API
/// key, an access key pair's secret (`ACCESS_KEY_SECRET`), an OAuth client's secret.
fn presented_elsewhere(variable: &CodeVariable, has: &impl Fn(&[&str]) -> bool) -> bool {
    let signs = has(&["JWT", "SESSION", "SIGNING", "COOKIE", "ENCRYPTION", "HMAC", "SALT", "TOKEN"]);
    third_party_key(variable, has)
        || (!signs && (has(&["ACCESS"]) && has(&["KEY"]) || has(&["CLIENT"]) && has(&["SECRET"])))
}

/// A stand-in for a key (`SG.test`, `test`, `dummy-key`, `xxx`, `your-api-key`, `changeme`):
/// one of its words says so, or it is all x's.
fn is_placeholder_key(value: &str) -> bool {
    const WORDS: [&str; 14] = [
        "test",
        "dummy",
        "fake",
        "placeholder",
        "example",
        "sample",
        "changeme",
        "your",
        "you",
        "todo",
        "mock",
        "demo",
        "none",
        "null",
    ];
    let lower = value.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).any(|word| {
        WORDS.contains(&word) || (word.len() >= 3 && word.chars().all(|c| c == 'x')) || word.starts_with("your")
    })
}

/// A setting only a development server reads (`DJANGO_VITE_DEV_SERVER_HOST`,
/// `WEBPACK_DEV_SERVER_PORT`): the image never starts that server, so its defaults say nothing
/// of a task.
/// Variables only Windows sets (`USERPROFILE`, read where `runtime.GOOS == "windows"`): a
/// Linux task never has them, and the code that reads them never runs there.
const WINDOWS_ONLY: [&str; 9] = [
    "USERPROFILE",
    "LOCALAPPDATA",
    "APPDATA",
    "PROGRAMDATA",
    "PROGRAMFILES",
    "SYSTEMROOT",
    "WINDIR",
    "HOMEDRIVE",
    "HOMEPATH",
];

fn development_only(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let parts: Vec<&str> = upper.split('_').collect();
    parts.windows(2).any(|pair| pair == ["DEV", "SERVER"]) || parts.contains(&"HMR")
}

/// `GIN_MODE=debug`: a framework's mode that logs its internals and warns it is not for
/// production.
fn debug_mode(name: &str, value: &str, at: String) -> Finding {
    Finding::warning(
        "debug-default",
        format!("{name} defaults to {value}: the framework runs in its development mode"),
        at,
    )
    .with_fix(format!("set {name} to its production mode (release) on the service"))
}

/// `sqlite`, `sqlite3`, `sqlite:///app.db`, `sqlite+aiosqlite:///app.db`, `jdbc:sqlite:x.db`,
/// and Django's engine `django.db.backends.sqlite3`.
fn is_sqlite(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower == "sqlite"
        || lower == "sqlite3"
        || lower.starts_with("sqlite:")
        || lower.starts_with("sqlite+")
        || lower.starts_with("jdbc:sqlite:")
        || lower.ends_with(".backends.sqlite3")
}

/// Whether `name` belongs to a feature a switch of the same first word turns off by default
/// (`REDIS_HOST` beside `REDIS_ENABLED=false`, `MAIL_HOST` beside `ENABLE_MAIL=false`): the
/// app never reads it unless the operator turns the feature on.
fn switched_off(variables: &[CodeVariable], name: &str, set: &impl Fn(&str) -> bool) -> bool {
    let parts: Vec<&str> = name.split('_').collect();
    if parts.len() < 2 || ["ENABLED", "ENABLE", "DISABLED"].contains(parts.last().unwrap_or(&"")) {
        return false;
    }
    // The feature is every leading run of words: `REDIS` of `REDIS_HOST`, and `VIKUNJA_REDIS`
    // of `VIKUNJA_REDIS_HOST` under an app's prefix.
    let switches: Vec<String> = (1..parts.len())
        .flat_map(|end| {
            let feature = parts[..end].join("_");
            [
                format!("{feature}_ENABLED"),
                format!("{feature}_ENABLE"),
                format!("ENABLE_{feature}"),
                format!("USE_{feature}"),
            ]
        })
        .collect();
    variables.iter().any(|v| {
        switches.contains(&v.name)
            && !set(&v.name)
            && v.default
                .as_deref()
                .is_some_and(|d| matches!(d.to_ascii_lowercase().as_str(), "false" | "0" | "no" | "off" | ""))
    })
}

/// Agents and collectors an app sends metrics or traces to (`STATSD_HOST=127.0.0.1`): the host
/// it sends to, never the one it listens on.
const COLLECTORS: [&str; 8] = ["STATSD", "DOGSTATSD", "OTEL", "JAEGER", "ZIPKIN", "GRAPHITE", "AGENT", "TRACING"];

/// The ports of Redis, PostgreSQL, MySQL, MongoDB, memcached, RabbitMQ, Elasticsearch, Kafka,
/// ZooKeeper and SMTP.
const STORE_PORTS: [&str; 12] =
    ["6379", "5432", "3306", "27017", "11211", "5672", "9200", "9092", "2181", "25", "587", "465"];

/// For a variable whose default is a loopback address the app listens on: `Some(true)` when its
/// name says it is the listen address (`BIND_IP`, `LISTEN_ADDR`), `Some(false)` for a bare `HOST`,
/// which may only name the app in its own links.
pub fn loopback_listen(variable: &CodeVariable) -> Option<bool> {
    let value = variable.default.as_deref().filter(|v| points_at_this_machine(v) && !v.contains("://"))?;
    let parts: Vec<String> = variable.name.to_ascii_uppercase().split('_').map(str::to_string).collect();
    let has = |words: &[&str]| parts.iter().any(|p| words.contains(&p.as_str()));
    // `127.0.0.1:6379`: a data store's own port is one the app connects to, never serves on.
    let store_port = value.rsplit_once(':').is_some_and(|(_, port)| STORE_PORTS.contains(&port));
    let listens = !value.is_empty()
        && !store_port
        && has(&["HOST", "HOSTNAME", "ADDR", "ADDRESS", "BIND", "LISTEN", "INTERFACE"])
        && !has(&STORES)
        && !has(&ELSEWHERE)
        && !has(&COLLECTORS)
        // An address named for the outside (`HOST_EXTERN_ADDRESS`, `ADVERTISED_HOST`) is where
        // others reach the app, written into links and templates: never what it binds.
        && !has(&["URL", "URI", "ORIGIN", "DOMAIN", "PUBLIC", "BASE", "EXTERNAL", "EXTERN", "ADVERTISED", "ADVERTISE"]);
    listens.then(|| has(&["ADDR", "ADDRESS", "BIND", "LISTEN", "INTERFACE"]))
}

/// The listen address on every interface, with the loopback default's port kept:
/// `localhost:8080` → `0.0.0.0:8080`, `127.0.0.1` → `0.0.0.0`.
pub fn on_every_interface(loopback: &str) -> String {
    match loopback.rsplit_once(':') {
        Some((_, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => format!("0.0.0.0:{port}"),
        _ => "0.0.0.0".to_string(),
    }
}

/// `localhost`, `127.0.0.1` and `[::1]` as a host, in a URL or a `host:port`.
fn points_at_this_machine(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    // `webmaster@localhost` is a mail address: a sender's name, not a host anything connects to.
    let email = !lower.contains("://")
        && lower.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty() && !user.contains([' ', ':', '/']) && !domain.contains([':', '/', '@', ' '])
        });
    if email {
        return false;
    }
    // `user=postgres dbname=app sslmode=disable`: a libpq keyword DSN without `host=` connects
    // to the local socket or localhost.
    if super::secrets::keyword_dsn(value)
        .is_some_and(|pairs| !pairs.iter().any(|(key, _)| matches!(*key, "host" | "hostaddr")))
    {
        return true;
    }
    ["localhost", "127.0.0.1", "[::1]"].iter().any(|host| {
        lower.match_indices(host).any(|(at, _)| {
            let before = lower[..at].chars().last();
            let after = lower[at + host.len()..].chars().next();
            before.is_none_or(|c| matches!(c, '/' | '@' | ' ' | ',' | '='))
                && after.is_none_or(|c| matches!(c, ':' | '/' | ',' | ' '))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variable(name: &str, default: Option<&str>, required: bool, secret: bool) -> CodeVariable {
        CodeVariable {
            name: name.into(),
            required,
            default: default.map(str::to_string),
            secret,
            why: None,
            scope: VariableScope::Runtime,
            build_time: false,
            generated_when_unset: false,
            needed_at_build: false,
            source: "config.js:1".into(),
        }
    }

    fn kinds(variables: &[CodeVariable]) -> Vec<(String, crate::model::FindingLevel)> {
        findings(variables, |_| false).into_iter().map(|f| (f.kind, f.level)).collect()
    }

    #[test]
    fn only_the_apps_debug_switch_is_debug_mode() {
        assert!(turns_on_debug_mode("DEBUG") && turns_on_debug_mode("APP_DEBUG"));
        assert!(turns_on_debug_mode("DEBUG_MODE") && turns_on_debug_mode("FLASK_DEBUG"));
        assert!(!turns_on_debug_mode("DEBUG_MINIFY") && !turns_on_debug_mode("DEBUG_TOOLBAR_PANELS"));
        assert!(kinds(&[variable("DEBUG_MINIFY", Some("true"), false, false)]).is_empty());
    }

    #[test]
    fn a_store_clients_address_is_never_a_listen_address() {
        assert_eq!(loopback_listen(&variable("SPRING_REDISSON_ADDRESS", Some("127.0.0.1:6379"), false, false)), None);
        assert_eq!(loopback_listen(&variable("UPSTREAM_ADDRESS", Some("127.0.0.1:5432"), false, false)), None);
        assert_eq!(loopback_listen(&variable("LISTEN_ADDRESS", Some("127.0.0.1:8080"), false, false)), Some(true));
    }

    #[test]
    fn what_defaults_mean_in_a_task() {
        use crate::model::FindingLevel::{Blocker, Warning};
        let found = kinds(&[
            variable("LISTEN_ADDR", Some("127.0.0.1:8080"), false, false),
            variable("REDIS_HOST", Some("localhost"), false, false),
            variable("BASE_URL", Some("http://localhost:3000"), false, false),
            variable("FRONTEND_HOST", Some("http://localhost:5173"), false, false),
            variable("DB_ENGINE", Some("sqlite"), false, false),
            variable("DEBUG", Some("True"), false, false),
            variable("FILE_STORAGE", Some("local"), false, false),
            variable("DATA_DIR", Some("./data"), false, false),
            // A libpq keyword DSN without a host: the local socket.
            variable("PG_DSN", Some("user=postgres dbname=app sslmode=disable"), false, false),
            // A prefix inside an Azure container: no folder of the task's disk.
            variable("AZURE_STORAGE_STAGING_FOLDER_NAME", Some("staging"), false, false),
            variable("SESSION_SECRET", Some("keyboard cat"), false, true),
            variable("JWT_SECRET", None, true, true),
            variable("NODE_NAME", None, true, false),
            variable("LOG_LEVEL", Some("info"), false, false),
            variable("OPTIONAL", None, false, false),
        ]);
        let expected = [
            ("loopback-bind", Blocker),
            ("localhost-default-host", Blocker),
            // BASE_URL: the app's own address, which its links and redirects are built from.
            ("localhost-default-host", Blocker),
            ("localhost-default-host", Warning),
            ("sqlite", Blocker),
            ("debug-default", Blocker),
            ("local-disk-writes", Blocker),
            ("local-disk-writes", Blocker),
            // PG_DSN: a keyword DSN with no host.
            ("localhost-default-host", Blocker),
            ("secret-default", Blocker),
            ("required-env", Blocker),
            ("required-env", Blocker),
        ];
        assert_eq!(found, expected.map(|(k, l)| (k.to_string(), l)));
    }

    #[test]
    fn a_committed_credential_for_another_service_is_used_not_forged() {
        let message = |name: &str| {
            let found = findings(&[variable(name, Some("LTAI5tQf3kR8vW2"), false, true)], |_| false);
            found.into_iter().map(|f| f.message).next().unwrap_or_default()
        };
        for name in ["OSS_ACCESS_KEY_SECRET", "GITHUB_CLIENT_SECRET", "DASHSCOPE_API_KEY"] {
            assert!(message(name).contains("can use the service it opens as the app"), "{name}: {}", message(name));
        }
        for name in ["ACCESS_TOKEN_SECRET", "JWT_SECRET", "SECRET_KEY"] {
            assert!(message(name).contains("can forge what it protects"), "{name}: {}", message(name));
        }
        assert!(message("ROOT_PASS").contains("can log in wherever it is used"), "{}", message("ROOT_PASS"));
        let spelled = findings(&[variable("CLIENT_SECRET", Some("client-secret"), false, true)], |_| false);
        assert!(spelled.is_empty(), "a value that spells the name is a stand-in: {spelled:?}");
    }

    #[test]
    fn a_base_url_named_for_another_party_is_an_api_the_app_calls() {
        for own in
            ["BASE_URL", "APP_BASE_URL", "PUBLIC_BASE_URL", "CLIENT_BASE_URL", "NEXT_PUBLIC_BASE_URL", "SITE_URL"]
        {
            assert!(names_a_public_url(own), "{own}");
        }
        for peer in ["OPENAI_COMPATIBLE_BASE_URL", "AZURE_CLIENT_BASE_URL", "OLLAMA_BASE_URL", "GITHUB_API_BASE_URL"] {
            assert!(!names_a_public_url(peer), "{peer}");
        }
        let found = kinds(&[variable("AZURE_CLIENT_BASE_URL", Some("http://localhost:3939/graph/"), false, false)]);
        assert_eq!(found, [("localhost-default-host".to_string(), FindingLevel::Warning)]);
    }

    #[test]
    fn a_login_switched_off_by_default() {
        let found = kinds(&[
            variable("AUTH_TYPE", Some("DISABLED"), false, false),
            variable("AUTH_TYPE_LABEL", Some("none"), false, false),
            variable("SMTP_AUTH_METHOD", Some("PLAIN"), false, false),
        ]);
        assert_eq!(found, [("auth-disabled".to_string(), FindingLevel::Blocker)]);
        for (name, value) in [("AUTHENTICATION_ENABLED", "false"), ("ENABLE_AUTH", "0"), ("DISABLE_AUTH", "true")] {
            let found = kinds(&[variable(name, Some(value), false, false)]);
            assert_eq!(found, [("auth-disabled".to_string(), FindingLevel::Blocker)], "{name}");
        }
        for (name, value) in [("GOOGLE_AUTH_ENABLED", "false"), ("AUTH_ENABLED", "true"), ("DISABLE_AUTH", "false")] {
            assert!(kinds(&[variable(name, Some(value), false, false)]).is_empty(), "{name}={value}");
        }
    }

    #[test]
    fn settings_that_default_to_sqlite() {
        let found = kinds(&[
            variable("DB_ENGINE", Some("django.db.backends.sqlite3"), false, false),
            variable("SQLALCHEMY_DATABASE_URI", Some("sqlite+aiosqlite:///app.db"), false, false),
        ]);
        let expected = [("sqlite".to_string(), FindingLevel::Blocker), ("sqlite".to_string(), FindingLevel::Blocker)];
        assert_eq!(found, expected);
    }

    #[test]
    fn a_duration_or_a_region_is_never_a_credential() {
        for value in ["5 seconds", "30m", "1h", "7 days", "us-east-1", "us-gov-west-1"] {
            assert!(is_duration_or_region(value), "{value}");
        }
        for value in ["keyboard cat", "s3cr3t", "5", "us-east"] {
            assert!(!is_duration_or_region(value), "{value}");
        }
    }

    #[test]
    fn names_and_values_that_only_look_like_a_finding() {
        let found = kinds(&[
            variable("REDASH_STATSD_HOST", Some("127.0.0.1"), false, false),
            variable("DJANGO_VITE_DEV_SERVER_HOST", Some("localhost"), false, false),
            variable("DEFAULT_FROM_EMAIL", Some("webmaster@localhost"), false, false),
            variable("FDC_API_KEY", Some("DEMO_KEY"), false, true),
            variable("TWITTER_API_SECRET", Some("dummySecret"), false, true),
            variable("MONGO_URL", Some("mongodb://app@localhost:27017/app"), false, false),
            variable("INTERNAL_IPS", Some("127.0.0.1"), false, false),
        ]);
        let expected = [
            ("localhost-default-host".to_string(), FindingLevel::Warning),
            ("localhost-default-host".to_string(), FindingLevel::Blocker),
        ];
        assert_eq!(found, expected, "a collector's host is no listen address; a URL's user is no mail address");
    }

    #[test]
    fn one_finding_for_the_secrets_of_an_env_file() {
        let mut a = variable("SESSION_SECRET", Some("x"), false, true);
        a.source = ".env.example:14".into();
        let mut b = variable("GITHUB_SECRET", Some("y"), false, true);
        b.source = ".env.example:38".into();
        let found = findings(&[a, b], |_| false);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.contains("SESSION_SECRET, GITHUB_SECRET") && found[0].source == ".env.example:14");
    }

    #[test]
    fn what_the_service_sets_raises_nothing() {
        let variables = [variable("JWT_SECRET", None, true, true)];
        assert!(findings(&variables, |name| name == "JWT_SECRET").is_empty());
    }
}
