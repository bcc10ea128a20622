//! The port a `listen` call takes from a settings object: `server.listen(config.registryPort)`
//! with `registryPort: 7001` in the app's config module. A settings file holds the ports of
//! everything the app talks to (`database: { port: 3306 }`); the one `listen` names is the
//! server's.

use super::app_files::AppFiles;
use super::source::{Fact, app_code_lines, fact};

/// The port of the setting a `listen(x.name)` call names, where the app's own settings files
/// give that name a number.
pub fn port(files: &AppFiles, extensions: &[&str]) -> Option<Fact<u16>> {
    let names: Vec<String> = app_code_lines(files, extensions).filter_map(|(_, line)| listened_member(line)).collect();
    if names.is_empty() {
        return None;
    }
    app_code_lines(files, extensions)
        .filter(|(at, _)| {
            let lower = at.to_ascii_lowercase();
            lower.contains("config") || lower.contains("setting") || lower.contains("default")
        })
        .find_map(|(at, line)| {
            let (key, value) = line.trim_start().split_once(':')?;
            let key = key.trim().trim_matches(['"', '\'']);
            names.iter().any(|name| name == key).then_some(())?;
            let digits: String = value.trim_start().chars().take_while(char::is_ascii_digit).collect();
            let port = digits.parse::<u16>().ok().filter(|p| *p > 0)?;
            Some(fact(port, at))
        })
}

/// `server.listen(config.registryPort)` → `registryPort`: the member a listen call takes from
/// an object. `process.env.PORT` is a variable's, read elsewhere.
fn listened_member(line: &str) -> Option<String> {
    let (_, rest) = line.split_once(".listen(")?;
    let argument = rest.split([',', ')']).next()?.trim();
    if argument.starts_with("process.env") {
        return None;
    }
    let (object, member) = argument.rsplit_once('.')?;
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.');
    (plain(object) && plain(member)).then(|| member.to_string())
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
    }
}
