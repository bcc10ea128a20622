//! The variable Egg.js reads by itself, though the app's code never names it: `EGG_SERVER_ENV`
//! picks the server environment (`prod`, `local`, ...), which decides which `config.<env>.js`
//! and which plugins (`env: ['prod']` in config/plugin.js) load. Unset, Egg derives it from
//! NODE_ENV, as Express apps do from NODE_ENV itself.

use super::VariableRead;
use crate::analyze::app_files::AppFiles;

/// Egg's read of `EGG_SERVER_ENV`, at the package.json line that depends on Egg.
pub fn reads(files: &AppFiles) -> Vec<VariableRead> {
    let Some(text) = files.get("package.json") else { return Vec::new() };
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(text) else { return Vec::new() };
    if manifest.pointer("/dependencies/egg").is_none() {
        return Vec::new();
    }
    let line = text.lines().position(|l| l.trim_start().starts_with("\"egg\"")).map_or(1, |i| i + 1);
    let mut read = VariableRead::new("EGG_SERVER_ENV", format!("package.json:{line}"));
    read.plain_value = true;
    vec![read]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_egg_app_reads_its_server_environment() {
        let manifest = "{\n  \"dependencies\": {\n    \"egg\": \"^2.0.0\"\n  }\n}\n";
        let reads = reads(&AppFiles::from_pairs([("package.json", manifest)]));
        assert_eq!(
            reads.iter().map(|r| (r.name.as_str(), r.source.as_str())).collect::<Vec<_>>(),
            [("EGG_SERVER_ENV", "package.json:3")]
        );
        assert!(
            super::reads(&AppFiles::from_pairs([("package.json", "{\"dependencies\":{\"koa\":\"2\"}}")])).is_empty()
        );
    }
}
