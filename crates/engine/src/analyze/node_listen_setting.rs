//! The port a `listen` call takes from a settings object: `server.listen(config.registryPort)`
//! with `registryPort: 7001` in the app's config module. A settings file holds the ports of
//! everything the app talks to (`database: { port: 3306 }`); the one `listen` names is the
//! server's.

use super::app_files::AppFiles;
use super::source::{Fact, app_code_lines, fact};

/// The port of the setting a `listen(x.name)` call names: in the module `x` is required from
/// when the call's file says, else in the app's settings files, outside the blocks of the
/// services it talks to (`db: { port: 3306 }`).
pub fn port(files: &AppFiles, extensions: &[&str]) -> Option<Fact<u16>> {
    let mut listened: Vec<(String, String, String, bool)> = app_code_lines(files, extensions)
        .filter_map(|(at, line)| {
            let (object, member) = listened_member(line)?;
            let file = at.rsplit_once(':').map_or(at.clone(), |(path, _)| path.to_string());
            Some((file, object, member, line.starts_with([' ', '\t'])))
        })
        .collect();
    // A listen the server always makes comes before one inside a block (`if (https_enabled)`).
    listened.sort_by_key(|(.., indented)| *indented);
    let names: Vec<&str> = listened.iter().map(|(_, _, member, _)| member.as_str()).collect();
    if names.is_empty() {
        return None;
    }
    let required_from: Vec<String> = listened
        .iter()
        .filter_map(|(file, object, ..)| module_of(files, file, object.rsplit('.').next_back().unwrap_or(object)))
        .collect();
    let settings = |at: &str| {
        let lower = at.to_ascii_lowercase();
        lower.contains("config") || lower.contains("setting") || lower.contains("default")
    };
    let in_module = |at: &str| required_from.iter().any(|module| at.rsplit_once(':').is_some_and(|(p, _)| p == module));
    let candidates = || app_code_lines(files, extensions).filter(|(at, _)| settings(at));
    let setting = |name: &str, only_module: bool| {
        candidates().filter(|(at, _)| !only_module || in_module(at)).find_map(|(at, line)| {
            let (key, value) = line.trim_start().split_once(':')?;
            (key.trim().trim_matches(['"', '\'']) == name).then_some(())?;
            (!in_another_services_block(files, &at)).then_some(())?;
            let port = port_value(value)?;
            Some(fact(port, at))
        })
    };
    let first = |only_module: bool| names.iter().find_map(|name| setting(name, only_module));
    first(true).or_else(|| first(false))
}

/// A setting's port: `7001`, or the fallback of an environment read (`process.env.PORT ||
/// 8080`), which is the port with nothing set.
fn port_value(value: &str) -> Option<u16> {
    let value = value.trim_start();
    let value = if value.starts_with("process.env") {
        value.split_once("||").or_else(|| value.split_once("??")).map(|(_, fallback)| fallback.trim_start())?
    } else {
        value
    };
    let digits: String = value.trim_start_matches(['"', '\'']).chars().take_while(char::is_ascii_digit).collect();
    digits.parse::<u16>().ok().filter(|p| *p > 0)
}

/// Names of the blocks that hold the settings of a service the app talks to (`smtp: { port:
/// 465 }`, `db: { port: 3306 }`), whose ports are not the server's.
pub const OTHER_SERVICES: [&str; 12] =
    ["mail", "smtp", "redis", "db", "database", "mongo", "postgres", "mysql", "cache", "proxy", "ldap", "imap"];

/// Whether the entry at `at` (`path:line`) sits in the block of a service the app talks to:
/// the nearest object opened above it is named for a database, a cache or a mail server.
fn in_another_services_block(files: &AppFiles, at: &str) -> bool {
    let Some((path, number)) = at.rsplit_once(':') else { return false };
    let (Some(text), Ok(number)) = (files.get(path), number.parse::<usize>()) else { return false };
    let lines: Vec<&str> = text.lines().take(number.saturating_sub(1)).collect();
    let opened = lines.iter().rev().take(12).find(|line| line.trim_end().ends_with('{'));
    opened.is_some_and(|line| {
        let key = line.trim().trim_end_matches('{').trim().trim_end_matches(':').trim().to_ascii_lowercase();
        OTHER_SERVICES.iter().any(|service| key.contains(service))
    })
}

/// The app's file that `object` is required or imported from in `file`: `const settings =
/// require('./config/settings')` → `app/config/settings.js`.
fn module_of(files: &AppFiles, file: &str, object: &str) -> Option<String> {
    let text = files.get(file)?;
    text.lines().find_map(|line| {
        let line = line.trim_start();
        let declared = ["const ", "let ", "var ", "import "]
            .iter()
            .find_map(|k| line.strip_prefix(k))
            .and_then(|rest| rest.strip_prefix(object))
            .is_some_and(|rest| rest.trim_start().starts_with('=') || rest.trim_start().starts_with("from"));
        if !declared {
            return None;
        }
        let specifier = line.split(['\'', '"']).nth(1)?;
        super::node_imports::resolve(files, file, specifier)
    })
}

/// `server.listen(config.registryPort)` → (`config`, `registryPort`): the object and member a
/// listen call takes. `process.env.PORT` is a variable's, read elsewhere.
fn listened_member(line: &str) -> Option<(String, String)> {
    let (_, rest) = line.split_once(".listen(")?;
    let argument = rest.split([',', ')']).next()?.trim();
    if argument.starts_with("process.env") {
        return None;
    }
    let (object, member) = argument.rsplit_once('.')?;
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.');
    (plain(object) && plain(member)).then(|| (object.to_string(), member.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_listen_names_not_the_databases() {
        let config = "module.exports = {\n  registryPort: 7001,\n  database: {\n    host: '127.0.0.1',\n    port: 3306,\n  },\n};\n";
        let server = "const config = require('../config');\nserver.listen(config.registryPort);\n";
        let files = AppFiles::from_pairs([("config/index.js", config), ("servers/registry.js", server)]);
        assert_eq!(port(&files, &["js"]), Some(fact(7001, "config/index.js:2")));
        let env_read =
            AppFiles::from_pairs([("config/index.js", config), ("app.js", "app.listen(process.env.PORT)\n")]);
        assert_eq!(port(&env_read, &["js"]), None);
        // The module the listened object comes from, not another settings file's database.
        let secure = "module.exports = {\n  db: {\n    port: 3306,\n  },\n};\n";
        let settings = "module.exports = {\n  port: 5000,\n};\n";
        let app = "const settings = require('./config/settings');\napp.listen(settings.port);\n";
        let files = AppFiles::from_pairs([
            ("app/config/a.js", secure),
            ("app/config/settings.js", settings),
            ("app/server.js", app),
        ]);
        assert_eq!(port(&files, &["js"]), Some(fact(5000, "app/config/settings.js:2")));
        let unresolved = AppFiles::from_pairs([
            ("app/config/a.js", secure),
            ("app/config/settings.js", settings),
            ("app/server.js", "app.listen(settings.port);\n"),
        ]);
        assert_eq!(
            port(&unresolved, &["js"]),
            Some(fact(5000, "app/config/settings.js:2")),
            "a database's block is skipped"
        );
    }
}
