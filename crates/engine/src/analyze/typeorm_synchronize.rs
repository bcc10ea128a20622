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
            if compact.contains("synchronize:true") && !in_development_options(&lines, index) {
                found.push(readiness::migrations_at_start(
                    "TypeORM `synchronize: true`",
                    format!("{path}:{}", index + 1),
                ));
            }
        }
    }
    found
}

/// Whether the option sits in an object named for development or tests (`const devConfig = {`,
/// `test: {`), which a production start does not open.
fn in_development_options(lines: &[String], index: usize) -> bool {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let own = indent(&lines[index]);
    let opener = lines[..index].iter().rev().find(|line| !line.trim().is_empty() && indent(line) < own);
    opener.is_some_and(|line| {
        let name: String = line
            .trim_start()
            .trim_start_matches("const ")
            .trim_start_matches("let ")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect::<String>()
            .to_ascii_lowercase();
        line.trim_end().ends_with('{') && ["dev", "test", "local"].iter().any(|word| name.starts_with(word))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_development_options_object_is_not_the_servers() {
        let datasource = "import { DataSource } from 'typeorm';\nconst devConfig: DataSourceOptions = {\n  type: 'sqlite',\n  synchronize: true,\n};\nconst prodConfig: DataSourceOptions = {\n  synchronize: false,\n};\n";
        assert!(findings(&AppFiles::from_pairs([("server/datasource.ts", datasource)])).is_empty());
    }

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
