//! A JSON schema of the environment kept in its own module (`config/schema.js` exporting
//! `{ type: 'object', required: [...], properties: {...} }`) and imported by the file that
//! registers `@fastify/env` / `fastify-env` or calls `env-schema` with it. The schema module
//! names no library, so only the importing file says its keys are variables.

use crate::analyze::app_files::AppFiles;
use crate::analyze::node_imports;

/// The app's files imported by a file that checks the environment with a JSON-schema
/// library, and which hold a JSON object schema themselves.
pub fn imported_schema_files(files: &AppFiles, sources: &[(&str, &str)]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in sources {
        if !super::node_schema::ENV_SCHEMA_MARKERS.iter().any(|m| text.contains(m)) {
            continue;
        }
        for (_, specifier) in node_imports::imports(text) {
            let Some(imported) = node_imports::resolve(files, path, &specifier) else { continue };
            let schema = files.get(&imported).is_some_and(json_object_schema);
            if schema && !found.contains(&imported) {
                found.push(imported);
            }
        }
    }
    found
}

/// Whether `text` writes a JSON object schema: `type: 'object'` with `properties`.
fn json_object_schema(text: &str) -> bool {
    let object = ["type: 'object'", "type: \"object\"", "\"type\": \"object\"", "type:'object'"];
    object.iter().any(|m| text.contains(m)) && text.contains("properties")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_module_imported_by_the_plugin_file() {
        let schema = "module.exports = {\n  type: 'object',\n  required: ['API_TOKEN'],\n  properties: {\n    API_TOKEN: { type: 'string' }\n  }\n}\n";
        let server = "const envSchema = require('./env-schema-def')\napp.register(require('fastify-env'), { schema: envSchema })\n";
        let routes = "module.exports = { type: 'object', properties: { id: { type: 'string' } } }\n";
        let files = AppFiles::from_pairs([
            ("src/env-schema-def.js", schema),
            ("src/server.js", server),
            ("src/routes.js", routes),
        ]);
        let sources = [("src/env-schema-def.js", schema), ("src/server.js", server), ("src/routes.js", routes)];
        assert_eq!(imported_schema_files(&files, &sources), vec!["src/env-schema-def.js".to_string()]);
    }
}
