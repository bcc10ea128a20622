//! An image or start script that makes an example env file the app's `.env` (`mv .env.sample
//! .env`, `cp .env.example .env`): the app loads its values as though an operator had set
//! them, so a secret written there is a value committed with the code. Read in the image the
//! repository builds and in its shell scripts.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::source::is_test_path;
use super::variables::secret_by_name;
use crate::model::Finding;

static COPY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:mv|cp)\s+(?:-\w+\s+)*([\w./-]*\.?env[\w.-]*)\s+([\w./-]*)\.env\b(?:\s|$|;|&)"#)
        .expect("valid pattern")
});

/// A blocker for each secret an example file copied into place as `.env` gives a value.
pub fn findings(files: &AppFiles, start: &[String]) -> Vec<Finding> {
    let loads_env_file = files.files.iter().any(|(path, text)| !is_test_path(path) && text.contains("dotenv"));
    if !loads_env_file {
        return Vec::new();
    }
    // The image the repository builds (not its other variants) and the script the app starts
    // through; an installer for a bare machine (`lnbits.sh`) never runs in the image.
    let image = super::container_start::dockerfiles(files).into_iter().take(1);
    let scripts = super::variables::start_script(files, start).into_iter();
    let mut found = Vec::new();
    for (path, text) in image.chain(scripts) {
        for (index, line) in text.lines().enumerate() {
            let Some(captures) = COPY.captures(line) else { continue };
            let source = captures[1].trim_start_matches("./");
            let name = source.rsplit('/').next().unwrap_or(source);
            if name == ".env" || !(name.contains("example") || name.contains("sample") || name.contains("dist")) {
                continue;
            }
            let Some((example, values)) = example_file(files, source, name) else { continue };
            if !values.is_empty() {
                found.push(committed(&format!("{path}:{}", index + 1), &example, &values));
            }
        }
    }
    found
}

/// The example file (by its path, else its name anywhere in the folder) and the secrets it
/// gives a real value, with their lines.
fn example_file(files: &AppFiles, source: &str, name: &str) -> Option<(String, Vec<(usize, String)>)> {
    let (path, text) = files
        .files
        .get_key_value(source)
        .or_else(|| files.files.iter().find(|(path, _)| path.rsplit('/').next() == Some(name)))?;
    let secrets = text
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let (key, value) = line.trim().split_once('=')?;
            let (key, value) = (key.trim().trim_start_matches("export "), value.trim().trim_matches(['"', '\'']));
            // `LNBITS_KEY=LNBITS_ADMIN_KEY`: a name in capitals says what goes there.
            let named = value.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            let placeholder = value.is_empty() || named || value.starts_with(['<', '$']) || value.contains("://");
            let connection = ["URL", "URI", "DSN", "HOST"].iter().any(|w| key.to_ascii_uppercase().ends_with(w));
            let secret = !line.trim_start().starts_with('#') && secret_by_name(key).is_some();
            (secret && !placeholder && !connection).then(|| (index + 1, key.to_string()))
        })
        .collect::<Vec<_>>();
    Some((path.clone(), secrets))
}

/// One finding for the copy: the example file is what to fix, not each line of it.
fn committed(copied_at: &str, example: &str, values: &[(usize, String)]) -> Finding {
    let named: Vec<String> = values.iter().map(|(line, key)| format!("{key} ({example}:{line})")).collect();
    Finding::blocker(
        "env-file-defaults",
        format!(
            "{copied_at} makes {example} the app's .env: unless the service sets them, these secrets take the values committed there: {}",
            named.join(", ")
        ),
        copied_at.to_string(),
    )
    .with_fix("give each a secret value with --secret NAME=env:VAR, and keep the example out of the image's .env")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_example_copied_into_place_commits_its_secrets() {
        let files = AppFiles::from_pairs([
            ("Dockerfile", "FROM node:22\nCOPY . .\nRUN npm ci \\\n  && mv .env.sample .env\nCMD [\"./start.sh\"]\n"),
            (
                ".env.sample",
                "## Required\nBASE_URL=http://localhost:1337\nDATABASE_URL=postgresql://postgres@localhost/app\nSECRET_KEY=notsecretkey\n# SMTP_PASSWORD=\nADMIN_PASSWORD=\n",
            ),
            ("app.js", "require('dotenv').config();\n"),
        ]);
        let start = ["node".to_string(), "app.js".to_string()];
        let found: Vec<(String, String)> = findings(&files, &start).into_iter().map(|f| (f.kind, f.source)).collect();
        assert_eq!(found, [("env-file-defaults".to_string(), "Dockerfile:4".to_string())]);
        let message = &findings(&files, &start)[0].message;
        assert!(message.contains("SECRET_KEY") && message.contains(".env.sample:4"), "{message}");
        let without_dotenv = AppFiles::from_pairs([
            ("Dockerfile", "RUN mv .env.sample .env\n"),
            (".env.sample", "SECRET_KEY=notsecretkey\n"),
        ]);
        assert!(findings(&without_dotenv, &start).is_empty(), "an app that never loads .env never reads it");
        let installer = AppFiles::from_pairs([
            ("install.sh", "#!/usr/bin/env bash\n[[ -f .env ]] || cp .env.example .env\n"),
            (".env.example", "SECRET_KEY=notsecretkey\n"),
            ("app.py", "load_dotenv()\n"),
        ]);
        assert!(findings(&installer, &start).is_empty(), "a script the app does not start through");
        let started = ["./install.sh".to_string()];
        assert_eq!(findings(&installer, &started).len(), 1, "the script the app starts through");
    }
}
