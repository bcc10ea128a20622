//! Variables a Python app sets for itself. `os.environ['OPENAI_FORWARD_HOST'] = host` before
//! starting a child process hands that process a value: the child's read of it is no setting an
//! operator gives. A value the code sets on one path only (`if 'TZ' not in os.environ:`,
//! `if webui:`) is still the operator's to set on the others, so only an unconditional
//! assignment of something not read from the environment counts.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;

/// `os.environ['NAME'] = value` (or `environ["NAME"] =`), not `==`.
static ASSIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(\s*)(?:os\.)?environ\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\]\s*=[^=](.*)$"#)
        .expect("valid pattern")
});

/// Drops the reads of every name the app's own code assigns unconditionally.
pub fn drop_set_by_the_app(sources: &[(&str, &str)], reads: &mut Vec<VariableRead>) {
    let set = assigned(sources);
    if !set.is_empty() {
        reads.retain(|read| !set.contains(&read.name));
    }
}

fn assigned(sources: &[(&str, &str)]) -> HashSet<String> {
    let mut names = HashSet::new();
    for (_, text) in sources {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let Some(caps) = ASSIGNED.captures(line) else { continue };
            let name = &caps[2];
            let value = &caps[3];
            let from_environment = value.contains("environ") || value.contains("getenv");
            if !from_environment && !conditional(&lines, index, caps[1].len()) {
                names.insert(name.to_string());
            }
        }
    }
    names
}

/// Whether the assignment at `index` runs only on some path through its function: under an
/// `if` (`if 'LANG' not in os.environ:`, `if platform.system() == "Windows":`), a loop or a
/// handler. An operator's value is still read on the other paths.
fn conditional(lines: &[&str], index: usize, indent: usize) -> bool {
    let mut depth = indent;
    for line in lines[..index].iter().rev() {
        let own = line.len() - line.trim_start().len();
        if line.trim().is_empty() || own >= depth {
            continue;
        }
        depth = own;
        let trimmed = line.trim_start();
        let branch = ["if ", "elif ", "else", "for ", "while ", "except", "with "];
        if branch.iter().any(|word| trimmed.starts_with(word)) {
            return true;
        }
        if trimmed.starts_with("def ") || trimmed.starts_with("class ") || depth == 0 {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_app_sets_itself_is_not_a_setting() {
        let cli = "class Cli:\n    def run_web(self, host='localhost'):\n        os.environ['UI_TARGET'] = host\n        os.environ['TZ'] = os.environ.get('TZ', 'UTC')\n        if 'LANG' not in os.environ:\n            os.environ['LANG'] = 'C'\n        if webui:\n            os.environ['WEBUI'] = 'true'\n        if x == os.environ['MODE']:\n            pass\n";
        let set = assigned(&[("cli.py", cli)]);
        assert_eq!(set, HashSet::from(["UI_TARGET".to_string()]));
        let mut reads = vec![VariableRead::new("UI_TARGET", "ui.py:3"), VariableRead::new("MODE", "cli.py:7")];
        drop_set_by_the_app(&[("cli.py", cli)], &mut reads);
        assert_eq!(reads.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["MODE"]);
    }
}
