//! A cobra command added under another command rather than the root (`svcCmd.AddCommand(
//! buildStartCmd())`, navidrome's `service start`): `binary start` is an unknown command at the
//! top, so such a command is never the one the container runs.

use std::sync::LazyLock;

use regex::Regex;

use crate::analyze::app_files::AppFiles;

/// `var startCmd = &cobra.Command{`, `startCmd := &cobra.Command{`, `func buildStartCmd() *cobra.Command {`.
static BINDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:var\s+(\w+)\s*=\s*&cobra\.Command|(\w+)\s*:=\s*&cobra\.Command|func\s+(\w+)\s*\(\s*\)\s*\*cobra\.Command)",
    )
    .expect("valid pattern")
});

/// Whether the command whose `Use:` is on line `index` of `lines` is added to a command other
/// than the root one, anywhere in `files`.
pub(super) fn is_nested(files: &AppFiles, lines: &[&str], index: usize) -> bool {
    let above = &lines[index.saturating_sub(3)..index];
    let Some(name) = above.iter().rev().find_map(|line| {
        let captures = BINDING.captures(line)?;
        captures.get(1).or(captures.get(2)).or(captures.get(3)).map(|m| m.as_str().to_string())
    }) else {
        return false;
    };
    let added = Regex::new(&format!(r"(\w+)\.AddCommand\([^\n]*\b{}\b", regex::escape(&name))).expect("escaped name");
    files
        .with_extensions(&["go"])
        .any(|(_, text)| added.captures_iter(text).any(|captures| !captures[1].to_ascii_lowercase().contains("root")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_under_another_command_is_nested() {
        let svc = "func init() {\n\tsvcCmd.AddCommand(buildStartCmd())\n\trootCmd.AddCommand(svcCmd)\n}\n\nfunc buildStartCmd() *cobra.Command {\n\treturn &cobra.Command{\n\t\tUse:   \"start\",\n\t}\n}\n";
        let root = "var serveCmd = &cobra.Command{\n\tUse: \"serve\",\n}\n\nfunc init() {\n\trootCmd.AddCommand(serveCmd)\n}\n";
        let files = AppFiles::from_pairs([("cmd/svc.go", svc), ("cmd/serve.go", root)]);
        let lines: Vec<&str> = svc.lines().collect();
        assert!(is_nested(&files, &lines, 7));
        let lines: Vec<&str> = root.lines().collect();
        assert!(!is_nested(&files, &lines, 1));
    }
}
