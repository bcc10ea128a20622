//! The app's own Python functions and methods that read the variable their caller names
//! (`def env_list(key): return os.getenv(key, '').split(',')`, a plugin's
//! `self.get_config('KEY')`): each call of one is a read of that name.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

/// Method names every mapping and reader has.
const GENERIC_METHODS: [&str; 8] = ["get", "pop", "setdefault", "read", "load", "value", "lookup", "fetch"];

/// The methods anywhere in the app's code that read the variable their caller names.
pub(super) fn reading_methods(files: &AppFiles) -> Vec<String> {
    let mut methods: Vec<String> = files
        .with_extensions(&["py"])
        .filter(|(path, _)| !is_test_path(path))
        .flat_map(|(_, text)| wrapper_definitions(&text.lines().collect::<Vec<_>>()))
        .filter_map(|(name, method)| method.then_some(name))
        // A method named like a mapping's own (`get`, `pop`) would take every dict's read
        // for one of the environment.
        .filter(|name| !GENERIC_METHODS.contains(&name.as_str()) && !name.starts_with("__"))
        .collect();
    methods.sort();
    methods.dedup();
    methods
}

/// Functions of the file that read the variable their first parameter names:
/// `def extract_comma_list(env_key, default=None):` with `os.getenv(env_key)` in its body.
pub(super) fn reading_wrappers(lines: &[&str]) -> Vec<String> {
    wrapper_definitions(lines).into_iter().filter(|(_, method)| !method).map(|(name, _)| name).collect()
}

/// The functions and methods defined in `lines` that read the variable their first parameter
/// names (after `self` or `cls` for a method, none for a `@staticmethod`), each with whether
/// it is a method, which other files call as `self.get_config('KEY')` or `plugin.get_config`.
pub(super) fn wrapper_definitions(lines: &[&str]) -> Vec<(String, bool)> {
    let mut wrappers = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let Some((name, parameters)) = line.trim_start().strip_prefix("def ").and_then(|rest| rest.split_once('('))
        else {
            continue;
        };
        let mut names = parameters.split(',').map(|p| p.trim().split([':', '=', ')']).next().unwrap_or("").trim());
        let mut parameter = names.next().unwrap_or("");
        if matches!(parameter, "self" | "cls") {
            parameter = names.next().unwrap_or("");
        }
        if parameter.is_empty() || !parameter.chars().all(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let reads = lines[index + 1..]
            .iter()
            .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() > indent)
            .any(|l| ["getenv(", "environ.get(", "environ["].iter().any(|r| l.contains(&format!("{r}{parameter}"))));
        if reads {
            wrappers.push((name.trim().to_string(), indent > 0));
        }
    }
    wrappers
}
