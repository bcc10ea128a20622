//! A Sequelize config JSON (`config/config.json`, `config/db.json`, the path `.sequelizerc`
//! names) whose `production` block fixes the database's host to the machine itself
//! (`"host": "127.0.0.1"`) and has no `use_env_variable`: nothing the service sets can point
//! the production database elsewhere, and in a task nothing listens on loopback.

use serde_json::Value;

use super::app_files::AppFiles;
use crate::model::Finding;

/// Where sequelize-cli and the code that follows its layout keep the settings.
const CONVENTIONAL: [&str; 3] = ["config/config.json", "config/database.json", "config/db.json"];

/// Dialects with a server to reach: SQLite's has none.
const SERVER_DIALECTS: [&str; 5] = ["mysql", "mariadb", "postgres", "mssql", "db2"];

/// The blocker for each config file whose production database is on loopback.
pub fn findings(files: &AppFiles, manifest: &Value) -> Vec<Finding> {
    let uses_sequelize = ["dependencies", "devDependencies"].iter().any(|t| manifest[t].get("sequelize").is_some());
    if !uses_sequelize {
        return Vec::new();
    }
    let mut paths: Vec<String> = CONVENTIONAL.iter().map(|p| (*p).to_string()).collect();
    paths.extend(sequelizerc_config(files));
    paths.sort();
    paths.dedup();
    paths.iter().filter_map(|path| loopback_production(path, files.get(path)?)).collect()
}

/// The config path `.sequelizerc` gives: `config: path.resolve('config', 'database.json')`.
fn sequelizerc_config(files: &AppFiles) -> Option<String> {
    let text = files.get(".sequelizerc")?;
    let line = text.lines().find(|l| l.trim_start().trim_start_matches(['\'', '"']).starts_with("config"))?;
    let (_, call) = line.split_once('(')?;
    let parts: Vec<&str> =
        call.split(',').map(|p| p.trim().trim_end_matches([')', ',']).trim_matches(['\'', '"'])).collect();
    let parts: Vec<&str> = parts.into_iter().filter(|p| !p.is_empty() && !p.starts_with("__") && *p != ".").collect();
    Some(parts.join("/"))
}

/// The finding when `text` (the JSON at `path`) has a production block on a loopback host.
fn loopback_production(path: &str, text: &str) -> Option<Finding> {
    let config: Value = serde_json::from_str(text).ok()?;
    let production = config.get("production")?.as_object()?;
    if production.contains_key("use_env_variable") {
        return None;
    }
    let dialect = production.get("dialect").and_then(Value::as_str).unwrap_or("");
    if !SERVER_DIALECTS.contains(&dialect) {
        return None;
    }
    // Sequelize's host defaults to localhost when the block names none.
    let host = production.get("host").and_then(Value::as_str).unwrap_or("localhost");
    if !matches!(host, "127.0.0.1" | "localhost" | "::1" | "0.0.0.0") {
        return None;
    }
    let line = text
        .lines()
        .enumerate()
        .skip_while(|(_, l)| !l.contains("\"production\""))
        .find(|(_, l)| l.contains("\"host\""))
        .or_else(|| text.lines().enumerate().find(|(_, l)| l.contains("\"production\"")))
        .map_or(1, |(index, _)| index + 1);
    Some(
        Finding::blocker(
            "hard-coded-hosts",
            format!(
                "the production database in {path} is {dialect} on {host}, with no use_env_variable: nothing the service sets can point it at the real database, and in a task nothing listens there"
            ),
            format!("{path}:{line}"),
        )
        .with_fix(
            "give the production block \"use_env_variable\": \"DATABASE_URL\" (or ship a config pointing at RDS) and set that variable on the service",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"{"dependencies": {"sequelize": "^6.0.0"}}"#;

    fn run(pairs: &[(&str, &str)]) -> Vec<Finding> {
        findings(&AppFiles::from_pairs(pairs.iter().copied()), &serde_json::from_str(MANIFEST).unwrap())
    }

    #[test]
    fn a_production_block_on_loopback() {
        let json = "{\n  \"development\": {\"dialect\": \"sqlite\"},\n  \"production\": {\n    \"database\": \"shop\",\n    \"host\": \"127.0.0.1\",\n    \"dialect\": \"postgres\"\n  }\n}\n";
        let found = run(&[("config/db.json", json)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].source, "config/db.json:5");
        let rc = "const path = require('path');\nmodule.exports = {\n  'config': path.resolve('settings', 'sql.json'),\n};\n";
        assert_eq!(run(&[(".sequelizerc", rc), ("settings/sql.json", json)])[0].source, "settings/sql.json:5");
    }

    #[test]
    fn an_environment_variable_or_a_real_host_is_fine() {
        let env = r#"{"production": {"use_env_variable": "DATABASE_URL", "dialect": "mysql", "host": "127.0.0.1"}}"#;
        let remote = r#"{"production": {"dialect": "mysql", "host": "db.internal"}}"#;
        let sqlite = r#"{"production": {"dialect": "sqlite", "storage": "db.sqlite"}}"#;
        for json in [env, remote, sqlite] {
            assert!(run(&[("config/config.json", json)]).is_empty(), "{json}");
        }
    }
}
