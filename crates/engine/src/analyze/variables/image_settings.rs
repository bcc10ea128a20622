//! Settings the repository's own image gives with `ENV` when ferry starts the app the way that
//! image does (`ENTRYPOINT ["bash", "docker-entrypoint.sh"]` after `ENV LOGGING_TYPE=Console
//! HOST=0.0.0.0`): the code reads them with no fallback, so without the image's values the
//! start that worked there crashes or listens on loopback here. Values that name where a store
//! is, a file on the image's disk, or a secret are not carried: those are the operator's.

use super::VariableRead;
use super::words::{ELSEWHERE, STORES};
use crate::analyze::app_files::AppFiles;
use crate::analyze::container_start::instructions;
use crate::analyze::source::{Fact, fact, shell_words};

/// Name parts of settings that locate something the image had beside it.
const LOCATES: [&str; 12] = [
    "URL", "URI", "ENDPOINT", "PATH", "DIR", "FILE", "FILEPATH", "STORAGE", "DATABASE", "BUCKET", "REGION", "PASSWORD",
];

/// The `(name, value)` pairs of the start's Dockerfile's final stage that a variable the code
/// reads without a default takes, when the start is that Dockerfile's.
pub fn image_settings(files: &AppFiles, reads: &[VariableRead], start_source: &str) -> Vec<Fact<(String, String)>> {
    let Some(path) = start_source.strip_suffix(" (the repository's own image)").and_then(|s| s.rsplit_once(':')) else {
        return Vec::new();
    };
    let Some(text) = files.get(path.0) else { return Vec::new() };
    let unset = |name: &str| {
        let named: Vec<&VariableRead> = reads.iter().filter(|r| r.name == name && !r.tooling).collect();
        !named.is_empty() && named.iter().all(|r| r.default.is_none())
    };
    final_stage_env(text)
        .into_iter()
        .filter(|(name, value, _)| unset(name) && carried(name, value))
        .map(|(name, value, line)| fact((name, value), format!("{}:{line}", path.0)))
        .collect()
}

/// Whether the image's value may be the service's: not empty or expanded, no secret, and not
/// where a store, a file or this machine is (a listen address on every interface is kept).
fn carried(name: &str, value: &str) -> bool {
    let parts: Vec<&str> = name.split('_').collect();
    let listen_everywhere = matches!(value, "0.0.0.0" | "::");
    let locates = parts.iter().any(|p| LOCATES.contains(p) || STORES.contains(p) || ELSEWHERE.contains(p))
        || (parts.iter().any(|p| matches!(*p, "HOST" | "ADDR" | "ADDRESS")) && !listen_everywhere);
    let local = value.contains("localhost") || value.contains("127.0.0.1");
    !value.is_empty() && !value.contains('$') && !local && !locates && super::secret_by_name(name).is_none()
}

/// Every `ENV` pair of the last stage, with its line: `ENV A=1 B=2`, continued lines, and the
/// old `ENV A value` form.
fn final_stage_env(text: &str) -> Vec<(String, String, usize)> {
    let mut found = Vec::new();
    for (index, line) in instructions(text) {
        let (keyword, rest) = line.split_once(char::is_whitespace).unwrap_or((&line, ""));
        if keyword.eq_ignore_ascii_case("FROM") {
            found.clear();
        }
        if !keyword.eq_ignore_ascii_case("ENV") {
            continue;
        }
        // A comment inside a continued instruction (`# the list \`) is no setting.
        let rest: String = rest.split(" # ").next().unwrap_or(rest).to_string();
        let Some(words) = shell_words(&rest) else { continue };
        if words.len() >= 2 && !words[0].contains('=') {
            found.push((words[0].clone(), words[1..].join(" "), index + 1));
            continue;
        }
        for word in words {
            if let Some((name, value)) = word.split_once('=') {
                found.push((name.to_string(), value.to_string(), index + 1));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_images_settings_the_code_reads_without_a_fallback() {
        let dockerfile = "FROM node:18\nENV STORAGE_TYPE=memcached \\\n    STORAGE_HOST=127.0.0.1\nENV LOGGING_TYPE=Console \\\n    HOST=0.0.0.0\\\n    KEY_LENGTH=10\nENV SESSION_SECRET=dev\nENTRYPOINT [\"bash\", \"docker-entrypoint.sh\"]\n";
        let files = AppFiles::from_pairs([("Dockerfile", dockerfile)]);
        let reads: Vec<VariableRead> = ["STORAGE_TYPE", "STORAGE_HOST", "LOGGING_TYPE", "HOST", "SESSION_SECRET"]
            .into_iter()
            .map(|name| VariableRead::new(name, "docker-entrypoint.js:3"))
            .chain([VariableRead::new("KEY_LENGTH", "server.js:9").with_default(Some("12".into()))])
            .collect();
        let carried: Vec<(String, String, String)> =
            image_settings(&files, &reads, "Dockerfile:8 (the repository's own image)")
                .into_iter()
                .map(|f| (f.value.0, f.value.1, f.source))
                .collect();
        let expected = [("LOGGING_TYPE", "Console", "Dockerfile:4"), ("HOST", "0.0.0.0", "Dockerfile:4")];
        let expected: Vec<(String, String, String)> =
            expected.iter().map(|(n, v, s)| (n.to_string(), v.to_string(), s.to_string())).collect();
        assert_eq!(carried, expected);
        assert!(image_settings(&files, &reads, "package.json scripts.start").is_empty(), "another start");
    }
}
