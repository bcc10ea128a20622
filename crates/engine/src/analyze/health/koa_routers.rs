//! koa-router's routers: `new Router({ prefix: '/v1/admin' })` or `router.prefix('/x')` puts
//! every route of the router under the prefix. Koa mounts a router with
//! `app.use(router.routes())`, which adds no path, so a router whose mount ferry cannot follow
//! (routers gathered in a loop, imported dynamically) still answers at its own prefix, when the
//! app's own code mounts routers that way.

use super::mounts::{first_literal, unquote};

/// The packages that give koa's `Router`.
const KOA_ROUTERS: [&str; 2] = ["koa-router", "@koa/router"];

/// Whether the module `text` takes its `Router` from koa-router.
pub(super) fn is_koa_module(text: &str) -> bool {
    KOA_ROUTERS.iter().any(|package| text.contains(&format!("'{package}'")) || text.contains(&format!("\"{package}\"")))
}

/// Whether `text` mounts a koa router itself: `app.use(router.routes())`, `api.use(v1.routes())`.
pub(super) fn mounts_routers(text: &str) -> bool {
    text.lines()
        .filter(|line| !super::comment_lines::commented(line))
        .any(|line| line.split_once(".use(").is_some_and(|(_, rest)| rest.contains(".routes()")))
}

/// The prefix of the router `name` made in `text` with the constructor `arguments` (the text
/// after `new Router(`, maybe over several lines): its `prefix` option, or a later
/// `name.prefix('/x')` call; empty when neither is written.
pub(super) fn own_prefix(text: &str, name: &str, arguments: &str) -> String {
    let options = until_close(arguments);
    let written = option_prefix(options).or_else(|| {
        let call = format!("{name}.prefix(");
        text.lines()
            .filter(|line| !super::comment_lines::commented(line))
            .find_map(|line| line.split_once(&call).and_then(|(_, rest)| first_literal(rest)))
    });
    written.map(|prefix| concrete(&prefix)).unwrap_or_default()
}

/// The constructor's arguments up to the `)` that closes them (one inside a string is the
/// pattern's own).
fn until_close(arguments: &str) -> &str {
    let mut quote = None;
    for (i, c) in arguments.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, ')') => return &arguments[..i],
            _ => {}
        }
    }
    arguments
}

/// `{ prefix: '/v1' }` → `/v1`.
fn option_prefix(options: &str) -> Option<String> {
    let (_, rest) = options.split_once("prefix")?;
    let value = rest.trim_start().strip_prefix(':')?.trim_start();
    let end = value.find([',', '}']).unwrap_or(value.len());
    unquote(value[..end].trim())
}

/// A path-to-regexp pattern as one path it matches: an alternation group takes its first
/// alternative (`/(v4|latest)/admin` → `/v4/admin`).
pub(super) fn concrete(pattern: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else { break };
        let group = &rest[open + 1..close];
        let plain = group.split('|').all(|alt| alt.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)));
        if !group.contains('|') || !plain {
            break;
        }
        out.push_str(&rest[..open]);
        out.push_str(group.split('|').next().unwrap_or(""));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(pairs: &[(&str, &str)], file: &str, receiver: &str) -> Option<String> {
        let files = crate::analyze::app_files::AppFiles::from_pairs(pairs.iter().copied());
        let code: Vec<(&str, &str)> = files.files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        super::super::mounts::Mounts::read(&files, &code).prefix_of(file, receiver)
    }

    #[test]
    fn koa_routers_answer_under_their_prefix_when_their_mount_is_dynamic() {
        let pairs = [
            (
                "routes/index.js",
                "const FOLDERS = await Promise.all([import('./admin/index.js')]);\nROUTER.use(v?.default?.routes());\n",
            ),
            (
                "routes/admin/index.js",
                "import Router from 'koa-router';\nconst router = new Router({\n  prefix: '/(v2|latest)/admin',\n});\n",
            ),
            (
                "routes/api.js",
                "const Router = require('@koa/router');\nconst api = new Router();\nconst v1 = require('./v1');\napi.use('/api', v1.routes());\n",
            ),
            (
                "routes/v1.js",
                "const Router = require('@koa/router');\nconst router = new Router();\nrouter.prefix('/v1');\nmodule.exports = router;\n",
            ),
        ];
        assert_eq!(prefix(&pairs, "routes/admin/index.js", "router").as_deref(), Some("/v2/admin"));
        assert_eq!(prefix(&pairs, "routes/v1.js", "router").as_deref(), Some("/api/v1"));
    }

    #[test]
    fn a_router_a_library_mounts_is_unknown() {
        let pairs = [
            ("app/app.js", "import Koa from 'koa';\nconst app = new Koa();\napp.use(loader.initLoader());\n"),
            (
                "app/plugin/notes/controller.js",
                "import Router from 'koa-router';\nconst api = new Router({ prefix: '/notes' });\n",
            ),
        ];
        assert_eq!(prefix(&pairs, "app/plugin/notes/controller.js", "api"), None);
    }

    #[test]
    fn the_prefix_option_or_call() {
        assert_eq!(own_prefix("", "router", "{\n  prefix: '/(v4|latest)/admin',\n});"), "/v4/admin");
        assert_eq!(own_prefix("router.prefix('/api')\n", "router", ");"), "/api");
        assert_eq!(own_prefix("", "router", ");"), "");
    }

    #[test]
    fn alternations_take_their_first_alternative() {
        assert_eq!(concrete("/(v5|latest)/launches"), "/v5/launches");
        assert_eq!(concrete("/v4/launches"), "/v4/launches");
        assert_eq!(concrete("/:id(\\d+)"), "/:id(\\d+)");
    }

    #[test]
    fn koa_router_imports() {
        assert!(is_koa_module("import Router from 'koa-router';"));
        assert!(is_koa_module("const Router = require(\"@koa/router\");"));
        assert!(!is_koa_module("const router = express.Router();"));
    }
}
