//! The runtime version a README states (`- Node.js: 8.9.1`, `Requires Python 3.11`): the last
//! witness before ferry's default, read only when nothing the build reads states one.

use super::app_files::AppFiles;
use super::source::{Fact, fact, version_in};

/// The README files a repository shows on its front page.
const READMES: [&str; 6] = ["README.md", "README", "README.rst", "README.txt", "readme.md", "Readme.md"];

/// What may stand between a runtime's name and its version (`Node.js: v18`, `Python >= 3.10`,
/// `**Go** 1.22`).
const BETWEEN: &[char] = &[' ', '\t', ':', '`', '*', '>', '=', '~', '^', '(', '-', '@'];

/// A version the README states for the runtime, and whether it is only a floor (`18+`,
/// `>= 3.10`, `3.9 or newer`).
pub struct Stated {
    pub version: Fact<String>,
    pub floor: bool,
}

/// The first line of the README, outside code blocks, that names the runtime (one of `names`,
/// lower case, as a word) with a version right after it that `plausible` accepts.
pub fn stated(files: &AppFiles, names: &[&str], parts: usize, plausible: fn(&str) -> bool) -> Option<Stated> {
    let (file, text) = READMES.iter().find_map(|f| files.get(f).map(|t| (*f, t)))?;
    let mut in_code = false;
    for (index, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let lower = line.to_ascii_lowercase();
        let found = names.iter().find_map(|name| after_name(&lower, name, parts).filter(|(v, _)| plausible(v)));
        if let Some((version, floor)) = found {
            let source = format!("{file}:{} (the README's stated requirement)", index + 1);
            return Some(Stated { version: fact(version, source), floor });
        }
    }
    None
}

/// The version written right after `name` in `line`, and whether it is a floor.
fn after_name(line: &str, name: &str, parts: usize) -> Option<(String, bool)> {
    line.match_indices(name).find_map(|(at, _)| {
        let before = line[..at].chars().next_back();
        let rest = &line[at + name.len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric()) || rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return None;
        }
        let gap = rest.len() - rest.trim_start_matches(BETWEEN).len();
        let mut after = &rest[gap..];
        if let Some(stripped) = after.strip_prefix("version") {
            after = stripped.trim_start_matches(BETWEEN);
        }
        after = after.strip_prefix('v').unwrap_or(after);
        if gap > 12 || !after.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let version = version_in(after, parts)?;
        let tail = after.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == 'x');
        let floor = rest[..gap].contains(">=")
            || tail.starts_with('+')
            || ["or higher", "or newer", "or later", "or above", "and above", "and up", "and later"]
                .iter()
                .any(|phrase| tail.trim_start().starts_with(phrase));
        Some((version, floor))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(readme: &str) -> Option<(String, bool, String)> {
        let files = AppFiles::from_pairs([("README.md", readme)]);
        stated(&files, &["node.js", "nodejs", "node"], 1, |_| true)
            .map(|s| (s.version.value, s.floor, s.version.source))
    }

    #[test]
    fn a_version_right_after_the_runtimes_name() {
        assert_eq!(
            node("## Env\n\n- Node.js: `8.9.1`\n- MongoDB: `3.4.10`\n"),
            Some(("8".into(), false, "README.md:3 (the README's stated requirement)".into()))
        );
        assert_eq!(node("Requires Node.js >= 18.0").map(|n| (n.0, n.1)), Some(("18".into(), true)));
        assert_eq!(node("Use node 20+ please").map(|n| (n.0, n.1)), Some(("20".into(), true)));
        assert_eq!(node("Node version 16 or newer").map(|n| (n.0, n.1)), Some(("16".into(), true)));
    }

    #[test]
    fn commands_code_blocks_and_other_words_state_nothing() {
        assert_eq!(node("Run `node server.js 3000`"), None);
        assert_eq!(node("```\nnode 14\n```\n"), None);
        assert_eq!(node("nodemon 2.0 restarts it"), None);
        assert_eq!(node("A node-based app, listening on 3000 ports away"), None);
    }
}
