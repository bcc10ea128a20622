//! Flask's `config.from_envvar('APP_SETTINGS')`: the variable names a settings file to load,
//! so the operator sets it (to a file the image holds) to configure the app.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;

static FROM_ENVVAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\.from_envvar\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*(,\s*silent\s*=\s*True)?"#)
        .expect("valid pattern")
});

/// The `from_envvar` reads of `text`: required unless `silent=True` lets the file be missing.
pub fn reads(path: &str, text: &str, found: &mut Vec<VariableRead>) {
    if !text.contains("from_envvar") {
        return;
    }
    for (index, line) in text.lines().enumerate().filter(|(_, line)| !line.trim_start().starts_with('#')) {
        for caps in FROM_ENVVAR.captures_iter(line) {
            let top_level = !line.starts_with([' ', '\t']);
            found.push(
                VariableRead::new(&caps[1], format!("{path}:{}", index + 1))
                    .required(top_level && caps.get(2).is_none()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settings_file_named_by_a_variable() {
        let mut found = Vec::new();
        reads(
            "app.py",
            "app.config.from_envvar('APP_SETTINGS')\n    config.from_envvar(\"SVR_CONF\", silent=True)\n",
            &mut found,
        );
        let read: Vec<(&str, bool)> = found.iter().map(|r| (r.name.as_str(), r.required)).collect();
        assert_eq!(read, [("APP_SETTINGS", true), ("SVR_CONF", false)]);
    }
}
