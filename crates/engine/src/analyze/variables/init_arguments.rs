//! Settings fields the code passes when it builds the settings object
//! (`AppSettings(SECRET=..., **secret_settings)`). pydantic-settings ranks init arguments above
//! the environment, so a variable of that name changes nothing: it is not a read.

use std::collections::HashSet;

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

/// The field names given as keywords, or as the keys of a dict literal unpacked with `**`, to
/// any call of `class` in the code.
pub fn given_at_construction(files: &AppFiles, class: &str) -> HashSet<String> {
    let mut given = HashSet::new();
    let call = format!("{class}(");
    for (_, text) in files.with_extensions(&["py"]).filter(|(path, _)| !is_test_path(path)) {
        for (at, _) in text.match_indices(&call) {
            let before = &text[..at];
            let is_call = !before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.')
                && !before.trim_end().ends_with("class");
            if !is_call {
                continue;
            }
            let arguments: String = arguments(&text[at + call.len()..])
                .lines()
                .map(|line| line.split(" #").next().unwrap_or(line))
                .collect::<Vec<_>>()
                .join("\n");
            for piece in arguments.split(',') {
                let piece = piece.trim();
                if let Some(unpacked) = piece.strip_prefix("**") {
                    given.extend(dict_keys(before, unpacked.trim()));
                } else if let Some((name, _)) = piece.split_once('=')
                    && !piece.contains("==")
                    && is_field_name(name.trim())
                {
                    given.insert(name.trim().to_string());
                }
            }
        }
    }
    given
}

/// The text up to the `)` that closes the call, at most a few thousand characters on.
fn arguments(after: &str) -> &str {
    let mut depth = 1;
    for (i, c) in after.char_indices().take(4000) {
        depth += match c {
            '(' | '[' | '{' => 1,
            ')' | ']' | '}' => -1,
            _ => 0,
        };
        if depth == 0 {
            return &after[..i];
        }
    }
    ""
}

/// The quoted keys of the last `name = { ... }` before the call.
fn dict_keys(before: &str, name: &str) -> Vec<String> {
    let Some(at) = before.rfind(&format!("{name} = {{")) else { return Vec::new() };
    let body = arguments(&before[at + name.len() + 4..]);
    body.lines()
        .filter_map(|line| {
            let line = line.trim();
            let quote = line.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let key = line[1..].split(quote).next()?;
            is_field_name(key).then(|| key.to_string())
        })
        .collect()
}

fn is_field_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with('_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_an_unpacked_dict_given_to_the_settings_class() {
        let code = "def build(data_dir):\n    secret_settings = {\n        \"SECRET\": read_secret(data_dir),\n        \"SESSION_SECRET\": read_secret(data_dir),\n    }\n    return AppSettings(\n        _env_file=env_file,  # type: ignore\n        # the secrets come from files\n        BASE_URL=base,\n        **secret_settings,\n    )\n\nclass AppSettings(BaseSettings):\n    SECRET: str\n";
        let files = AppFiles::from_pairs([("settings.py", code)]);
        let mut given: Vec<String> = given_at_construction(&files, "AppSettings").into_iter().collect();
        given.sort();
        assert_eq!(given, ["BASE_URL", "SECRET", "SESSION_SECRET"]);
        assert!(given_at_construction(&files, "OtherSettings").is_empty());
    }
}
