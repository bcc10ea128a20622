//! Command-line flags that fall back to the environment, as urfave/cli declares them:
//! `&cli.StringFlag{Name: "base-url", EnvVars: []string{"NTFY_BASE_URL"}, Value: "x"}` (v2),
//! `Sources: cli.EnvVars("X")` (v3), `EnvVar: "X"` (v1). The flag's `Value` is the default, and
//! `Required: true` makes the variable required unless the flag is given.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::literal;

static ENV_VARS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:EnvVars:\s*\[\]string\{|EnvVars\(|EnvVar:\s*)([^}\)]*)"#).expect("valid pattern")
});
static QUOTED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#""([A-Z][A-Z0-9_]*)""#).expect("valid pattern"));

/// A read per variable each flag in `text` falls back to.
pub fn reads(path: &str, text: &str) -> Vec<VariableRead> {
    if !text.contains("urfave/cli") && !text.contains("cli.") {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some(caps) = ENV_VARS.captures(line) else { continue };
        // The flag's literal: from its opening brace on this line up to the next flag.
        let flag = line.rsplit_once("Flag{").map_or(line, |(_, rest)| rest);
        let default = flag.split_once("Value:").and_then(|(_, rest)| literal(rest.trim_start()));
        let required = flag.contains("Required: true") || flag.contains("Required:true");
        for name in QUOTED.captures_iter(&caps[1]).map(|c| c[1].to_string()) {
            let mut read = VariableRead::new(name, format!("{path}:{}", index + 1)).with_default(default.clone());
            read.required = required && default.is_none();
            found.push(read);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_that_fall_back_to_the_environment() {
        let text = "import \"github.com/urfave/cli/v2\"\nvar flags = []cli.Flag{\n\t&cli.StringFlag{Name: \"base-url\", EnvVars: []string{\"NTFY_BASE_URL\"}, Usage: \"URL\"},\n\t&cli.StringFlag{Name: \"auth-default-access\", EnvVars: []string{\"NTFY_AUTH_DEFAULT_ACCESS\"}, Value: \"read-write\"},\n\t&cli.StringFlag{Name: \"token\", EnvVars: []string{\"APP_TOKEN\", \"TOKEN\"}, Required: true},\n}\n";
        let found: Vec<(String, Option<String>, bool)> =
            reads("cmd/serve.go", text).into_iter().map(|r| (r.name, r.default, r.required)).collect();
        assert_eq!(
            found,
            [
                ("NTFY_BASE_URL".into(), None, false),
                ("NTFY_AUTH_DEFAULT_ACCESS".into(), Some("read-write".into()), false),
                ("APP_TOKEN".into(), None, true),
                ("TOKEN".into(), None, true),
            ]
        );
    }
}
