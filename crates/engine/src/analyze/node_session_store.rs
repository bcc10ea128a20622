//! Server-side sessions a Node.js app keeps in its own process: express-session or
//! @fastify/session with no `store`, fastify-server-session on fastify-caching's default
//! in-process cache. When logins ride on the session (`passport.session()`, `req.session.user
//! = ...`), a user whose next request reaches another task is logged out: a blocker; a session
//! only for flash messages or a cart survives as a warning.

use std::sync::LazyLock;

use regex::Regex;

use super::readiness;
use crate::model::Finding;

/// Packages that keep a server-side session behind a cookie. @fastify/secure-session and
/// cookie-session keep it in the cookie itself, so any task reads it.
const SESSION_PACKAGES: [&str; 4] =
    ["express-session", "@fastify/session", "fastify-session", "fastify-server-session"];
/// How many lines after a call its options are looked for in (`session({` ... `})`).
const OPTIONS_SPAN: usize = 15;

/// `req.session.user = user`, `request.session.token`, `req.session.passport`: a login kept in
/// the session.
static SESSION_LOGIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:req|request|ctx)\.session\.(?:user|userId|user_id|token|accessToken|account|auth|login|loggedIn|isLoggedIn|passport|authenticated)\b")
        .expect("valid pattern")
});

/// The in-memory session findings of one file, `logins` saying whether the app keeps logins in
/// its sessions.
pub fn findings(path: &str, text: &str, logins: bool) -> Vec<Finding> {
    if !SESSION_PACKAGES.iter().any(|package| text.contains(package)) {
        return Vec::new();
    }
    let express = text.contains("express-session");
    let fastify = SESSION_PACKAGES[1..].iter().any(|package| text.contains(package));
    // fastify-server-session keeps its sessions in fastify-caching's cache, in memory unless
    // that is given a shared one (`abstract-cache` over Redis).
    let shared_cache = text.contains("abstract-cache") || text.to_ascii_lowercase().contains("redis");
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let options = lines[index..lines.len().min(index + OPTIONS_SPAN)].join("\n");
        let call = (express && line.contains("session({"))
            || (fastify && line.contains("register(") && line.contains("ession"));
        let server_session = line.contains("erverSession") || line.contains("server-session");
        if !call || options.contains("store") || (server_session && shared_cache) {
            continue;
        }
        let what = if server_session {
            "fastify-server-session on fastify-caching's default in-process cache"
        } else {
            "the session middleware's default memory store"
        };
        let at = format!("{path}:{}", index + 1);
        found.push(if logins { login_blocker(what, at) } else { readiness::in_memory_sessions(what, at) });
    }
    found
}

/// Whether the code keeps logins in the session: Passport's session support, or a user or
/// token written to or read from it.
pub fn keeps_logins<'a>(mut code: impl Iterator<Item = &'a str>) -> bool {
    code.any(|text| text.contains("passport.session()") || SESSION_LOGIN.is_match(text))
}

fn login_blocker(what: &str, source: String) -> Finding {
    Finding::blocker(
        "in-memory-sessions",
        format!(
            "keeps login sessions in memory ({what}): with more than one task a user's next request may reach another task and be logged out, and every restart logs everybody out"
        ),
        source,
    )
    .with_fix("keep sessions in a shared store (connect-redis or connect-mongo; for fastify-caching, an abstract-cache over Redis), or run exactly one task")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(text: &str, logins: bool) -> Vec<String> {
        findings("app.js", text, logins).into_iter().map(|f| format!("{:?} {}", f.level, f.source)).collect()
    }

    #[test]
    fn a_memory_store_with_logins_blocks() {
        let express = "const session = require('express-session');\napp.use(session({\n  secret: 'x'\n}));\n";
        assert_eq!(levels(express, true), ["Blocker app.js:2"]);
        assert_eq!(levels(express, false), ["Warning app.js:2"]);
        assert!(keeps_logins(["app.use(passport.session());"].into_iter()));
        assert!(keeps_logins(["if (req.session.user) {"].into_iter()));
        assert!(!keeps_logins(["req.session.cart = []"].into_iter()));
    }

    #[test]
    fn fastify_server_session_on_the_default_cache() {
        let default = "import caching from 'fastify-caching'\nimport serverSession from 'fastify-server-session'\nfastify.register(caching)\n  .register(serverSession, { secretKey: k })\n";
        assert_eq!(levels(default, true), ["Blocker app.js:4"]);
        let redis = format!("import AbstractCache from 'abstract-cache'\n{default}");
        assert!(levels(&redis, true).is_empty());
        let stored = "const session = require('express-session');\napp.use(session({\n  store: new RedisStore({ client })\n}));\n";
        assert!(levels(stored, true).is_empty());
    }
}
