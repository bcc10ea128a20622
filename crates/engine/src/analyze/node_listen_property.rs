//! `server.listen(Env.httpPort, Env.httpAddress)` where the settings object says
//! `httpAddress: typeof config.httpAddress === 'string' ? config.httpAddress : 'localhost'`: a
//! host taken from the app's own settings (its config file, not a variable) that falls back to
//! loopback. Unless the operator's config file names another address, the task listens where
//! the load balancer cannot reach it.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::source::app_code_lines;
use crate::model::Finding;

/// `.listen(port, Settings.host` : the property a listen call binds to.
static LISTEN_PROPERTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\.listen\(\s*[^,()]+,\s*[A-Za-z_$][\w$]*\.([A-Za-z_$][\w$]*)\s*[,)]").expect("valid pattern")
});

/// `.listen(port, host)` : a bare host the listen call binds to.
static LISTEN_HOST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\.listen\(\s*[^,()]+,\s*(host|hostname|address|addr|bind|bindAddress|listenAddress)\s*[,)]")
        .expect("valid pattern")
});

/// `name: <anything> 'localhost',` : a property whose value falls back to loopback last.
fn falls_back_to_loopback(line: &str, property: &str) -> bool {
    let Some(value) = line.trim_start().strip_prefix(property).and_then(|rest| rest.trim_start().strip_prefix(':'))
    else {
        return false;
    };
    let value = value.trim().trim_end_matches(',').trim_end();
    let fallback = ["? ", ": ", "|| ", "?? "].iter().any(|op| value.contains(op)) || !value.contains(' ');
    let loopback = ["'localhost'", "\"localhost\"", "'127.0.0.1'", "\"127.0.0.1\""];
    fallback && loopback.iter().any(|literal| value.ends_with(literal))
}

pub fn findings(files: &AppFiles, extensions: &[&str]) -> Vec<Finding> {
    let listens: Vec<(String, String)> = app_code_lines(files, extensions)
        .filter_map(|(at, line)| LISTEN_PROPERTY.captures(line).map(|c| (at, c[1].to_string())))
        .collect();
    let mut found: Vec<Finding> = own_defaults(files, extensions).into_iter().collect();
    let mut judged: Vec<String> = Vec::new();
    for (listen_at, property) in listens {
        // Several servers listening on the same setting (a safe origin beside the main one)
        // are one finding.
        if judged.contains(&property) {
            continue;
        }
        judged.push(property.clone());
        let host_words = ["host", "address", "addr", "bind", "interface"];
        if !host_words.iter().any(|w| property.to_ascii_lowercase().contains(w)) {
            continue;
        }
        let Some((at, _)) = app_code_lines(files, extensions).find(|(_, line)| falls_back_to_loopback(line, &property))
        else {
            continue;
        };
        found.push(
            Finding::blocker(
                "loopback-bind",
                format!("the server listens on {property} ({listen_at}), which falls back to localhost: unless the app's configuration names another address, the load balancer cannot reach the task"),
                at,
            )
            .with_fix(format!("set {property} to 0.0.0.0 in the configuration the image carries")),
        );
    }
    found
}

/// `server.listen(port, host)` in a file whose own defaults object says `host: "127.0.0.1"`
/// (TiddlyWiki's `Server.prototype.defaultVariables`): a host the caller may pass, which
/// falls back to loopback. Only the listening file's own object counts, and never one beside a
/// store's settings (a database's `host: 'localhost'`).
fn own_defaults(files: &AppFiles, extensions: &[&str]) -> Option<Finding> {
    let stores = ["database", "db", "redis", "mongo", "postgres", "mysql", "smtp", "mail", "user", "password"];
    app_code_lines(files, extensions).find_map(|(listen_at, line)| {
        let host = LISTEN_HOST.captures(line)?[1].to_string();
        let path = listen_at.rsplit_once(':').map_or(listen_at.as_str(), |(path, _)| path);
        let lines: Vec<&str> = files.get(path)?.lines().collect();
        let index = lines.iter().position(|line| falls_back_to_loopback(line, &host) && !line.contains('?'))?;
        let near = &lines[index.saturating_sub(3)..lines.len().min(index + 4)];
        if near.iter().any(|line| stores.iter().any(|store| line.to_ascii_lowercase().contains(store))) {
            return None;
        }
        Some(
            Finding::blocker(
                "loopback-bind",
                format!("the server listens on {host} ({listen_at}), whose default is loopback: unless the start command or its settings name another address, the load balancer cannot reach the task"),
                format!("{path}:{}", index + 1),
            )
            .with_fix(format!("pass {host}=0.0.0.0 to the server (its start command or settings), or change that default")),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listen_host_from_settings_that_fall_back_to_localhost() {
        let env = "module.exports.create = function (config) {\n    return {\n        httpPort: isValidPort(config.httpPort)? config.httpPort: 3000,\n        httpAddress: typeof(config.httpAddress) === 'string'? config.httpAddress: 'localhost',\n    };\n};\n";
        let worker = "var server = Http.createServer(app);\nserver.listen(Env.httpPort, Env.httpAddress, w());\nsafe.listen(Env.httpSafePort, Env.httpAddress, w());\n";
        let files = AppFiles::from_pairs([("lib/env.js", env), ("lib/http-worker.js", worker)]);
        let found = findings(&files, &["js"]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].source, "lib/env.js:4");
        assert!(found[0].message.contains("lib/http-worker.js:2"), "{}", found[0].message);
    }

    #[test]
    fn a_listening_files_own_defaults_that_say_loopback() {
        let server = "Server.prototype.defaultVariables = {\n\tport: \"8080\",\n\thost: \"127.0.0.1\",\n\t\"root-tiddler\": \"$:/core/save/all\",\n};\nServer.prototype.listen = function(port, host) {\n\thost = host || this.get(\"host\");\n\treturn server.listen(port,host);\n};\n";
        let found = findings(&AppFiles::from_pairs([("core-server/server.js", server)]), &["js"]);
        assert_eq!(found.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["core-server/server.js:3"]);
        let store = "const db = {\n  database: 'app',\n  host: 'localhost',\n};\napp.listen(port, host);\n";
        assert!(findings(&AppFiles::from_pairs([("server.js", store)]), &["js"]).is_empty());
    }

    #[test]
    fn every_interface_or_a_port_property_is_no_loopback() {
        let open = "const settings = {\n  host: process.env.HOST || '0.0.0.0',\n  port: 3000,\n};\nserver.listen(settings.port, settings.host);\n";
        assert!(findings(&AppFiles::from_pairs([("server.js", open)]), &["js"]).is_empty());
        let link = "const site = {\n  publicHost: 'localhost',\n};\nserver.listen(site.port, site.publicHost);\n";
        assert!(!falls_back_to_loopback("  publicHost: 'localhost',", "host"));
        assert_eq!(findings(&AppFiles::from_pairs([("server.js", link)]), &["js"]).len(), 1);
    }
}
