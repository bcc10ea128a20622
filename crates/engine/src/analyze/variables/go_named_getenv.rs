//! `os.Getenv(InitialAdminPassword)` with `const InitialAdminPassword = "APP_ADMIN_PASSWORD"`:
//! the name read is the constant's value. A parameter or a computed name has no such value,
//! and nothing is said of it.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;

static GETENV_OF_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\bos\.(?:Getenv|LookupEnv)\(\s*(?:[A-Za-z_][A-Za-z0-9_]*\.)?([A-Za-z_][A-Za-z0-9_]*)\s*\)"#)
        .expect("valid pattern")
});
/// `const Name = "VALUE"`, or a `Name = "VALUE"` line of a `const (` block.
static STRING_CONSTANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*(?:const\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?:string\s*)?=\s*"([A-Z][A-Z0-9_]*)"\s*(?://.*)?$"#)
        .expect("valid pattern")
});

/// The variables read through a named string constant, each at the line that reads it.
pub(super) fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let constants: Vec<(&str, &str)> = sources
        .iter()
        .flat_map(|(_, text)| text.lines())
        .filter_map(|line| STRING_CONSTANT.captures(line))
        .filter_map(|c| Some((c.get(1)?.as_str(), c.get(2)?.as_str())))
        .collect();
    let mut found = Vec::new();
    for (path, text) in sources {
        for (index, line) in text.lines().enumerate() {
            for captures in GETENV_OF_NAME.captures_iter(line) {
                if let Some(value) = value_of(&constants, &captures[1]) {
                    found.push(VariableRead::new(value, format!("{path}:{}", index + 1)));
                }
            }
        }
    }
    found
}

/// The value of the constant `name`, when every constant of that name holds the same one.
fn value_of<'a>(constants: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    let mut values = constants.iter().filter(|(constant, _)| *constant == name).map(|(_, value)| *value);
    let first = values.next()?;
    values.all(|value| value == first).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_constants_value_is_the_name_read() {
        let models = "package models\n\nconst (\n\tAdminPassword = \"SHOP_ADMIN_PASSWORD\"\n)\n\n\
                      func seed() {\n\tp := os.Getenv(AdminPassword)\n\tk := os.Getenv(key)\n}\n";
        let other = "package cmd\n\nfunc f() { _, ok := os.LookupEnv(models.AdminPassword) }\n";
        let found = reads(&[("models/models.go", models), ("cmd/f.go", other)]);
        let names: Vec<(&str, &str)> = found.iter().map(|r| (r.name.as_str(), r.source.as_str())).collect();
        assert_eq!(names, [("SHOP_ADMIN_PASSWORD", "models/models.go:8"), ("SHOP_ADMIN_PASSWORD", "cmd/f.go:3")]);
    }
}
