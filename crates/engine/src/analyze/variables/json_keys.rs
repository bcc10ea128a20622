//! A settings object parsed from a JSON file and overridden key by key from the environment:
//! `let config = JSON.parse(fs.readFileSync(path.join(__dirname, 'config', 'settings.json')))`
//! then `Object.keys(config).forEach((key) => { if (process.env[key]) config[key] =
//! process.env[key] })`. Each top-level key of the file is a variable; its value in the file
//! is the default.

use super::VariableRead;
use super::computed_names::naming;
use super::text::line_of;
use crate::analyze::app_files::AppFiles;

/// The variables a loop over `object`'s keys reads, when `text` fills `object` from a JSON
/// file of the folder.
pub fn reads(
    files: &AppFiles,
    text: &str,
    loop_over: (&str, &str),
    expression: &str,
    defaults: bool,
) -> Vec<VariableRead> {
    let (object, key) = loop_over;
    let Some(naming) = naming(expression, key, &|_| None) else { return Vec::new() };
    let Some((path, json)) = json_file(files, text, object.rsplit('.').next().unwrap_or(object)) else {
        return Vec::new();
    };
    let Ok(serde_json::Value::Object(values)) = serde_json::from_str::<serde_json::Value>(json) else {
        return Vec::new();
    };
    top_level_keys(json)
        .into_iter()
        .map(|(name, offset)| {
            let default = match values.get(&name) {
                Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(value @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => Some(value.to_string()),
                _ => None,
            };
            let at = format!("{path}:{}", line_of(json, offset));
            VariableRead::new(naming.name(&name), at).with_default(default.filter(|_| defaults))
        })
        .collect()
}

/// The JSON file `text` parses or requires into `name`: the last `….json` literal on the
/// assignment's line, found by its name (and folder, when one is given) in the folder.
fn json_file<'a>(files: &'a AppFiles, text: &str, name: &str) -> Option<(&'a str, &'a str)> {
    let line = text.lines().find(|line| {
        let assigned = line.split_once('=').is_some_and(|(left, _)| left.split_whitespace().last() == Some(name));
        assigned && (line.contains("JSON.parse(") || line.contains("require("))
    })?;
    let literal = line.split(['\'', '"', '`']).skip(1).step_by(2).filter(|piece| piece.ends_with(".json")).last()?;
    let file = literal.rsplit('/').next().unwrap_or(literal);
    // `path.join(__dirname, '../config', 'settings.json')`: the folder named beside the file.
    let folder = line.split(['\'', '"']).skip(1).step_by(2).filter(|p| !p.ends_with(".json")).last();
    let candidates = files.files.iter().filter(|(path, _)| {
        path.rsplit('/').next() == Some(file) && !path.contains("node_modules") && !path.contains("test")
    });
    let mut candidates: Vec<(&String, &String)> = candidates.collect();
    candidates.sort_by_key(|(path, _)| {
        let in_folder = folder.is_some_and(|f| path.contains(f.trim_start_matches("../").trim_start_matches("./")));
        (!in_folder, path.matches('/').count())
    });
    candidates.first().map(|(path, text)| (path.as_str(), text.as_str()))
}

/// The keys of the top-level object of a JSON text, each with its byte offset.
fn top_level_keys(json: &str) -> Vec<(String, usize)> {
    let mut keys = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut start) = (0i32, false, false, 0);
    for (at, c) in json.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    in_string = false;
                    let key = depth == 1 && json[at + 1..].trim_start().starts_with(':');
                    if key {
                        keys.push((json[start + 1..at].to_string(), start));
                    }
                }
                _ => {}
            }
            continue;
        }
        match c {
            '"' => (in_string, start) = (true, at),
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            _ => {}
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_the_settings_file_the_code_parses() {
        let settings = "{\n    \"cartTitle\": \"Shop\",\n    \"port\": 1111,\n    \"databaseConnectionString\": \"mongodb://127.0.0.1:27017/shop\",\n    \"smtp\": { \"host\": \"x\" },\n    \"secretSession\": \"\"\n}\n";
        let code =
            "let config = JSON.parse(fs.readFileSync(path.join(__dirname, '../config', 'settings.json'), 'utf8'));\n";
        let files = AppFiles::from_pairs([("config/settings.json", settings), ("test/settings.json", "{}")]);
        let found: Vec<(String, Option<String>, String)> =
            reads(&files, code, ("config", "configKey"), "configKey", true)
                .into_iter()
                .map(|r| (r.name, r.default, r.source))
                .collect();
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            found,
            [
                ("cartTitle".into(), some("Shop"), "config/settings.json:2".into()),
                ("port".into(), some("1111"), "config/settings.json:3".into()),
                (
                    "databaseConnectionString".into(),
                    some("mongodb://127.0.0.1:27017/shop"),
                    "config/settings.json:4".into()
                ),
                ("smtp".into(), None, "config/settings.json:5".into()),
                ("secretSession".into(), None, "config/settings.json:6".into()),
            ]
        );
    }
}
