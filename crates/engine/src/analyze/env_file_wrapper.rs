//! An env-file loader wrapping the start command: `env-cmd local.env node app.js`,
//! `env-cmd -f .env.prod node app.js`, `dotenv -e .env -- node app.js`. env-cmd lets the
//! file's values override the environment the process was given, so in the container the
//! committed file (often localhost URLs and a sample secret) would win over the service's
//! settings. The service sets the environment: the wrapper is dropped, and said so.

use super::app_files::AppFiles;
use crate::model::Finding;

/// Options of env-cmd and dotenv-cli that take a value.
const VALUED_OPTIONS: [&str; 8] = ["-f", "--file", "-e", "--environments", "-r", "--rc-file", "-c", "-v"];

/// Drops a leading env-file loader from `words`, with a finding naming the file it loads and
/// the variables the file would have set.
pub fn strip(words: &mut Vec<String>, files: &AppFiles, source: &str, findings: &mut Vec<Finding>) {
    let loader = match words.first().map(String::as_str) {
        Some(word @ ("env-cmd" | "dotenv" | "dotenv-cli")) => word.to_string(),
        _ => return,
    };
    let mut at = 1;
    let mut file: Option<String> = None;
    while let Some(word) = words.get(at) {
        if word == "--" {
            at += 1;
            break;
        }
        if VALUED_OPTIONS.contains(&word.as_str()) {
            if matches!(word.as_str(), "-f" | "--file" | "-e") {
                file = words.get(at + 1).cloned();
            }
            at += 2;
        } else if word.starts_with('-') {
            at += 1;
        } else if loader == "env-cmd" && file.is_none() && at == 1 {
            // env-cmd before version 9: `env-cmd FILE command`.
            file = Some(word.clone());
            at += 1;
        } else {
            break;
        }
    }
    if at >= words.len() {
        return;
    }
    words.drain(..at);
    let file = file.unwrap_or_else(|| ".env".to_string());
    let keys = file_keys(files, &file);
    let overridden = if keys.is_empty() { String::new() } else { format!(" ({})", keys.join(", ")) };
    let overrides = if loader == "env-cmd" { "whose values override" } else { "whose values fill in" };
    findings.push(
        Finding::warning(
            "env-file-defaults",
            format!(
                "the start script loads {file} with {loader}, {overrides} the environment the service sets{overridden}: \
                 the container starts without {loader}"
            ),
            source,
        )
        .with_fix(format!("set these variables on the service; keep {file} out of the image")),
    );
}

/// The names `file` assigns (`NAME=value` lines), in order.
fn file_keys(files: &AppFiles, file: &str) -> Vec<String> {
    let Some(text) = files.get(file.trim_start_matches("./")) else { return Vec::new() };
    text.lines()
        .filter_map(|line| line.trim().trim_start_matches("export ").split_once('='))
        .map(|(name, _)| name.trim().to_string())
        .filter(|name| crate::model::is_variable_name(name) && !name.starts_with('#'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(line: &str) -> (Vec<String>, Vec<Finding>) {
        let files = AppFiles::from_pairs([("dev.env", "DB_URL=mongodb://localhost/x\nSIGNING_KEY=abc\n")]);
        let mut words: Vec<String> = line.split_whitespace().map(String::from).collect();
        let mut findings = Vec::new();
        strip(&mut words, &files, "package.json", &mut findings);
        (words, findings)
    }

    #[test]
    fn loaders_are_dropped() {
        for line in [
            "env-cmd dev.env node app.js",
            "env-cmd -f dev.env node app.js",
            "env-cmd --file dev.env --silent node app.js",
            "dotenv -e dev.env -- node app.js",
        ] {
            let (words, findings) = stripped(line);
            assert_eq!(words, ["node", "app.js"], "{line}");
            assert_eq!(findings[0].kind, "env-file-defaults");
            assert!(findings[0].message.contains("dev.env") && findings[0].message.contains("DB_URL, SIGNING_KEY"));
        }
        let (words, findings) = stripped("node app.js");
        assert_eq!(words, ["node", "app.js"]);
        assert!(findings.is_empty());
    }
}
