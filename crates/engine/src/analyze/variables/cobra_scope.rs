//! Which flag declarations belong to the command the server runs. A cobra program declares
//! flags for every subcommand (`users add --lockPassword`, `config set --signup`), but viper
//! binds only the running command's (`BindPFlags(cmd.Flags())`): the service runs the root
//! command, so only its flags (and its persistent ones) are read from the environment.
//! A flag counts when it is declared on the root command's flag set, on a variable holding it
//! (`flags := rootCmd.Flags()`), or inside a helper handed one (`addServerFlags(flags)`).

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

static EXECUTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\w+)\.Execute(?:Context|C)?\(").expect("valid pattern"));
static HOLDS_FLAGS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\w+)\s*:?=\s*(\w+)\.(?:Persistent)?Flags\(\)").expect("valid pattern"));
static HELPER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^func\s+(\w+)\(\s*(\w+)\s+\*pflag\.FlagSet").expect("valid pattern"));
static CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\w+)\(\s*(\w+)(?:\.(?:Persistent)?Flags\(\))?\s*[,)]").expect("valid pattern"));

/// One function's lines: its name, its flag-set parameter, and where it sits.
struct Function<'a> {
    name: String,
    parameter: Option<String>,
    path: &'a str,
    lines: Vec<(usize, &'a str)>,
}

/// The (path, line index) of each line whose flag declarations the server command reads:
/// `None` when the program names no root command (`rootCmd.Execute()`), so every flag counts.
pub fn server_flag_lines(sources: &[(&str, &str)]) -> Option<BTreeSet<(String, usize)>> {
    let roots: BTreeSet<String> =
        sources.iter().flat_map(|(_, text)| EXECUTE.captures_iter(text)).map(|c| c[1].to_string()).collect();
    if roots.is_empty() {
        return None;
    }
    let functions: Vec<Function> = sources.iter().flat_map(|(path, text)| functions(path, text)).collect();
    let mut helpers: BTreeSet<String> = BTreeSet::new();
    // A helper may hand its set on to another (`addConfigFlags` → `addServerFlags`).
    for _ in 0..3 {
        for function in &functions {
            let sets = server_sets(function, &roots, &helpers);
            for (_, line) in &function.lines {
                for call in CALL.captures_iter(line).filter(|c| sets.contains(&c[2]) || roots.contains(&c[2])) {
                    helpers.insert(call[1].to_string());
                }
            }
        }
    }
    let mut lines = BTreeSet::new();
    for function in &functions {
        let sets = server_sets(function, &roots, &helpers);
        let on_server_set = |line: &str| {
            sets.iter().chain(roots.iter()).any(|set| line.contains(&format!("{set}."))) && !HOLDS_FLAGS.is_match(line)
        };
        for (index, _) in function.lines.iter().filter(|(_, line)| on_server_set(line)) {
            lines.insert((function.path.to_string(), *index));
        }
    }
    Some(lines)
}

/// The names in `function` that hold the server command's flag set.
fn server_sets(function: &Function, roots: &BTreeSet<String>, helpers: &BTreeSet<String>) -> BTreeSet<String> {
    let mut sets: BTreeSet<String> = function
        .lines
        .iter()
        .flat_map(|(_, line)| HOLDS_FLAGS.captures_iter(line))
        .filter(|c| roots.contains(&c[2]))
        .map(|c| c[1].to_string())
        .collect();
    if helpers.contains(&function.name) {
        sets.extend(function.parameter.clone());
    }
    sets
}

/// The file's functions, each from its `func` line to the next.
fn functions<'a>(path: &'a str, text: &'a str) -> Vec<Function<'a>> {
    let mut found: Vec<Function> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.starts_with("func ") {
            let helper = HELPER.captures(line);
            let name = line.trim_start_matches("func ").split(['(', ' ']).next().unwrap_or_default();
            found.push(Function {
                name: name.to_string(),
                parameter: helper.as_ref().map(|c| c[2].to_string()),
                path,
                lines: Vec::new(),
            });
        }
        if let Some(current) = found.last_mut() {
            current.lines.push((index, line));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_command_flags_and_its_helpers_only() {
        let root = "var rootCmd = &cobra.Command{}\nfunc init() {\n\tflags := rootCmd.Flags()\n\tflags.String(\"listen\", \"\", \"\")\n\taddShared(flags)\n\trootCmd.PersistentFlags().String(\"config\", \"\", \"\")\n}\nfunc addShared(set *pflag.FlagSet) {\n\tset.Int(\"port\", 80, \"\")\n}\nfunc Execute() error { return rootCmd.Execute() }\n";
        let users = "func init() {\n\tflags := usersCmd.Flags()\n\tflags.Bool(\"lock\", false, \"\")\n}\n";
        let lines = server_flag_lines(&[("cmd/root.go", root), ("cmd/users.go", users)]).expect("a root command");
        let at = |path: &str, index: usize| lines.contains(&(path.to_string(), index));
        assert!(at("cmd/root.go", 3) && at("cmd/root.go", 5) && at("cmd/root.go", 8));
        assert!(!at("cmd/users.go", 2));
        assert!(server_flag_lines(&[("cmd/users.go", users)]).is_none());
    }
}
