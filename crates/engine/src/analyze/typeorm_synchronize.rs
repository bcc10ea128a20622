//! TypeORM's `synchronize: true`: the ORM alters the schema to match the entities every time a
//! connection opens, which is every start of every task, with no migration to review or order.

use super::app_files::AppFiles;
use super::readiness;
use super::source::is_test_path;
use crate::model::Finding;

/// Where the option sits: connection options in code, or an ormconfig file.
pub fn findings(files: &AppFiles) -> Vec<Finding> {
    let mut found = Vec::new();
    for (path, text) in files.files.iter().filter(|(path, _)| !is_test_path(path)) {
        let name = path.rsplit('/').next().unwrap_or(path);
        let ormconfig = name.starts_with("ormconfig.");
        let code =
            name.rsplit_once('.').is_some_and(|(_, ext)| ["js", "ts", "mjs", "cjs", "mts", "cts"].contains(&ext));
        let typeorm = text.contains("typeorm") || text.contains("TypeOrm") || text.contains("createConnection");
        if !(ormconfig || (code && typeorm)) {
            continue;
        }
        let lines = super::node_imports::live_lines(text);
        for (index, line) in lines.iter().enumerate() {
            let compact: String = line.chars().filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'').collect();
            if compact.contains("synchronize:true") {
                found.push(readiness::migrations_at_start(
                    "TypeORM `synchronize: true`",
                    format!("{path}:{}", index + 1),
                ));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synchronize_in_code_and_in_ormconfig() {
        let files = AppFiles::from_pairs([
            ("ormconfig.json", "{\n  \"type\": \"postgres\",\n  \"synchronize\": true\n}\n"),
            (
                "src/server.ts",
                "import { createConnection } from 'typeorm';\ncreateConnection({\n  synchronize: true,\n});\n",
            ),
            (
                "src/off.ts",
                "import { DataSource } from 'typeorm';\nnew DataSource({ synchronize: false });\n// synchronize: true\n",
            ),
        ]);
        let sources: Vec<String> = findings(&files).into_iter().map(|f| f.source).collect();
        assert_eq!(sources, ["ormconfig.json:3", "src/server.ts:3"]);
    }
}
