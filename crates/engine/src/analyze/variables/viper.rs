//! viper's `AutomaticEnv`: every key viper knows (a `SetDefault`, a flag bound with
//! `BindPFlag`, a `Get...("key")`) is also read from `PREFIX_KEY` in the environment, with
//! `SetEnvKeyReplacer` turning `-` and `.` into `_`. No line names those variables.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::literal;

static SET_DEFAULT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"viper\.SetDefault\(\s*"([\w.-]+)"\s*,\s*(.*)\)"#).expect("valid pattern"));
static FLAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"Flags\(\)\.(?:String|Int|Int64|Bool|Duration|Float64|Uint)(P?)\(\s*"([\w.-]+)"\s*,(.*)"#)
        .expect("valid pattern")
});
static GET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"viper\.Get\w*\(\s*"([\w.-]+)"\s*\)"#).expect("valid pattern"));
static PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"SetEnvPrefix\(\s*"([\w]+)"\s*\)"#).expect("valid pattern"));

/// The variables `AutomaticEnv` reads for the keys the file gives viper.
pub fn reads(path: &str, text: &str) -> Vec<VariableRead> {
    if !text.contains("AutomaticEnv()") {
        return Vec::new();
    }
    let prefix = PREFIX.captures(text).map(|c| format!("{}_", c[1].to_ascii_uppercase())).unwrap_or_default();
    let replacer = text.lines().find(|l| l.contains("SetEnvKeyReplacer(")).unwrap_or("");
    let replaces = |from: &str| {
        replacer.contains(&format!("\"{from}\", \"_\"")) || replacer.contains(&format!("\"{from}\",\"_\""))
    };
    let binds_flags = text.contains("BindPFlag");
    let mut found: Vec<VariableRead> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let at = format!("{path}:{}", index + 1);
        let keys = SET_DEFAULT
            .captures_iter(line)
            .map(|c| (c[1].to_string(), default_of(&c[2])))
            .chain(
                FLAG.captures_iter(line)
                    .filter(|_| binds_flags)
                    .map(|c| (c[2].to_string(), flag_default(&c[1], &c[3]))),
            )
            .chain(GET.captures_iter(line).map(|c| (c[1].to_string(), None)));
        for (key, default) in keys {
            let mut name = key.to_ascii_uppercase();
            for separator in ["-", "."] {
                if replaces(separator) {
                    name = name.replace(separator, "_");
                }
            }
            let name = format!("{prefix}{name}");
            if !crate::model::is_variable_name(&name) {
                continue;
            }
            match found.iter_mut().find(|r| r.name == name) {
                Some(known) if known.default.is_none() => known.default = default,
                Some(_) => {}
                None => found.push(VariableRead::new(name, at.clone()).with_default(default)),
            }
        }
    }
    found
}

/// The default among a flag's remaining arguments: the first, or the second after a
/// shorthand letter (`StringP("port", "p", "8080", ...)`).
fn flag_default(shorthand: &str, rest: &str) -> Option<String> {
    let mut arguments = Vec::new();
    let mut quoted = false;
    let mut current = String::new();
    for c in rest.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' | ')' if !quoted => {
                arguments.push(std::mem::take(&mut current));
                if c == ')' {
                    break;
                }
            }
            _ => current.push(c),
        }
    }
    let position = if shorthand == "P" { 1 } else { 0 };
    default_of(arguments.get(position)?)
}

/// A default as written: a string literal, a number or a boolean; an empty string is none.
fn default_of(written: &str) -> Option<String> {
    let written = written.trim();
    let value = literal(written).or_else(|| {
        let bare: String = written.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '.').collect();
        (!bare.is_empty() && (bare.parse::<f64>().is_ok() || bare == "true" || bare == "false")).then_some(bare)
    })?;
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIN: &str = r#"func init() {
	viper.SetDefault("driver", "sqlite")
	viper.SetDefault("port", 8081)
	rootCmd.Flags().String("addr", "", "address of server")
	rootCmd.Flags().Int("port", 8081, "port of server")
	rootCmd.Flags().String("instance-url", "", "canonical external URL")
	viper.BindPFlag("addr", rootCmd.Flags().Lookup("addr"))
	viper.SetEnvPrefix("memos")
	viper.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	viper.AutomaticEnv()
}
"#;

    #[test]
    fn keys_viper_knows_are_read_under_its_prefix() {
        let found: Vec<(String, Option<String>)> =
            reads("cmd/main.go", MAIN).into_iter().map(|r| (r.name, r.default)).collect();
        assert_eq!(
            found,
            [
                ("MEMOS_DRIVER".to_string(), Some("sqlite".to_string())),
                ("MEMOS_PORT".to_string(), Some("8081".to_string())),
                ("MEMOS_ADDR".to_string(), None),
                ("MEMOS_INSTANCE_URL".to_string(), None),
            ]
        );
    }

    #[test]
    fn without_automatic_env_nothing_is_read() {
        assert!(reads("cmd/main.go", &MAIN.replace("viper.AutomaticEnv()", "")).is_empty());
    }
}
