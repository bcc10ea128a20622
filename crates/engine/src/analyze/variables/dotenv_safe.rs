//! dotenv-safe: `require('dotenv-safe').config()` (or `import 'dotenv-safe/config'`) refuses to
//! start unless every key of the example file (`.env.example`, or its `example:` option) is set,
//! whatever value the example shows, an empty one included. Each key is a required read.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use crate::analyze::app_files::AppFiles;

static EXAMPLE_OPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\bexample\s*:\s*(?:path\.(?:join|resolve)\([^'"]*)?['"]([^'"]+)['"]"#).expect("valid")
});

/// How many lines after the load its options are looked for in.
const OPTIONS_SPAN: usize = 6;

pub fn reads(files: &AppFiles, sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let runtime = |path: &str| super::scope::of(path) == crate::model::VariableScope::Runtime;
    let Some((path, example)) = sources
        .iter()
        .filter(|(path, text)| runtime(path) && text.contains("dotenv-safe"))
        .find_map(|(path, text)| example_named(text).map(|example| (*path, example)))
    else {
        return Vec::new();
    };
    let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
    // The example path is the process's working directory's (the app's root) unless joined to
    // the module's own folder.
    let normalized = crate::analyze::app_files::normalized;
    let candidates = [normalized(&example), normalized(&format!("{folder}/{example}"))];
    let Some((file, text)) = candidates.iter().flatten().find_map(|c| files.get(c).map(|t| (c.clone(), t))) else {
        return Vec::new();
    };
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let line = line.trim().trim_start_matches("export ");
            let (name, _) = line.split_once('=').filter(|_| !line.starts_with('#'))?;
            Some(VariableRead::new(name.trim(), format!("{file}:{}", index + 1)).required(true))
        })
        .collect()
}

/// The example file a live dotenv-safe load checks against, when the file loads it.
fn example_named(text: &str) -> Option<String> {
    let lines = crate::analyze::node_imports::live_lines(text);
    let at = lines.iter().position(|l| {
        l.contains("dotenv-safe/config")
            || (l.contains("dotenv-safe") && l.contains(".config("))
            || l.contains("dotenvSafe.config(")
    });
    let at = at.or_else(|| {
        // `const dotenv = require('dotenv-safe');` then `dotenv.config({...})` further down.
        let bound = lines.iter().any(|l| l.contains("dotenv-safe"));
        lines.iter().position(|l| bound && l.contains(".config("))
    })?;
    let options = lines[at..lines.len().min(at + OPTIONS_SPAN)].join("\n");
    let example = EXAMPLE_OPTION.captures(&options).map(|c| c[1].to_string());
    Some(example.unwrap_or_else(|| ".env.example".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_of_the_example_is_required() {
        let vars = "require('dotenv-safe').config({\n  path: path.join(__dirname, '../../.env'),\n  example: path.join(__dirname, '../../.env.example'),\n});\n";
        let files = AppFiles::from_pairs([(".env.example", "# mail\nSMTP_HOST=smtp.example.com\nSMTP_PASSWORD=\n")]);
        let found: Vec<(String, bool, String)> = reads(&files, &[("src/config/vars.js", vars)])
            .into_iter()
            .map(|r| (r.name, r.required, r.source))
            .collect();
        assert_eq!(
            found,
            [
                ("SMTP_HOST".into(), true, ".env.example:2".into()),
                ("SMTP_PASSWORD".into(), true, ".env.example:3".into())
            ]
        );
        let plain = AppFiles::from_pairs([(".env.example", "A=1\n")]);
        assert!(reads(&plain, &[("src/app.js", "require('dotenv').config();\n")]).is_empty());
        assert_eq!(reads(&plain, &[("src/app.js", "import 'dotenv-safe/config';\n")]).len(), 1);
    }
}
