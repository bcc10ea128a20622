//! Small Go helpers that read the environment by a name they are given:
//! `func opt(name, def string) string { if v := os.Getenv(name); v != "" { return v }; return def }`,
//! then `flag.StringVar(&addr, "addr", opt("APP_ADDR", "127.0.0.1:7070"), "...")`. The helper's
//! own read names no variable; each call does, with the argument the helper returns otherwise
//! as its default.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::literal;

static FUNC: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^func\s+(\w+)\s*\(([^)]*)\)").expect("valid pattern"));
static READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"os\.(?:Getenv|LookupEnv)\(\s*(?:"([A-Za-z0-9_]*)"\s*\+\s*)?(\w+)\s*\)"#).expect("valid pattern")
});
static ENV_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z_][A-Za-z0-9_]*$").expect("valid pattern"));

/// A helper: its name, the prefix it puts before the name, and where its name and default
/// arguments sit.
struct Helper {
    name: String,
    prefix: String,
    name_at: usize,
    default_at: Option<usize>,
}

/// A read per call of a helper that reads the variable its argument names.
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let helpers: Vec<Helper> = sources.iter().flat_map(|(_, text)| helpers_in(text)).collect();
    let mut found = Vec::new();
    for helper in &helpers {
        let call = Regex::new(&format!(r"(?:^|[^\w.]){}\(([^()]*)\)", regex::escape(&helper.name))).expect("valid");
        for (path, text) in sources {
            for (index, line) in text.lines().enumerate() {
                for caps in call.captures_iter(line) {
                    let arguments: Vec<&str> = caps[1].split(',').collect();
                    let Some(name) = arguments.get(helper.name_at).and_then(|a| quoted(a)) else { continue };
                    if !ENV_NAME.is_match(&name) {
                        continue;
                    }
                    let default = helper.default_at.and_then(|at| arguments.get(at)).and_then(|a| literal(a));
                    let read = VariableRead::new(format!("{}{name}", helper.prefix), format!("{path}:{}", index + 1));
                    found.push(read.with_default(default.filter(|d| !d.is_empty())));
                }
            }
        }
    }
    found
}

/// The helpers a file defines: a top-level function that reads the environment by one of its
/// parameters.
fn helpers_in(text: &str) -> Vec<Helper> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(caps) = FUNC.captures(line) else { continue };
        let parameters: Vec<&str> = caps[2].split(',').map(|p| p.split_whitespace().next().unwrap_or("")).collect();
        let end = lines[index..].iter().position(|l| l.trim_end() == "}").map_or(lines.len(), |at| index + at + 1);
        let body = lines[index..end].join("\n");
        let Some(read) = READ.captures_iter(&body).find(|c| parameters.contains(&&c[2])) else { continue };
        let name_at = parameters.iter().position(|p| *p == &read[2]).unwrap_or(0);
        let returned =
            |p: &str| Regex::new(&format!(r"\breturn\s+{}\b", regex::escape(p))).is_ok_and(|re| re.is_match(&body));
        let default_at =
            parameters.iter().enumerate().position(|(at, p)| at != name_at && !p.is_empty() && returned(p));
        found.push(Helper {
            name: caps[1].to_string(),
            prefix: read.get(1).map_or("", |m| m.as_str()).to_string(),
            name_at,
            default_at,
        });
    }
    found
}

/// A string literal argument's text.
fn quoted(argument: &str) -> Option<String> {
    let argument = argument.trim();
    argument.starts_with(['"', '`']).then(|| literal(argument)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_call_of_a_helper_is_a_variable_with_its_default() {
        let main = "package main\n\nfunc opt(envVar, defaultValue string) string {\n\tvalue := os.Getenv(envVar)\n\tif value != \"\" {\n\t\treturn value\n\t}\n\treturn defaultValue\n}\n\nfunc main() {\n\tflag.StringVar(&addr, \"addr\", opt(\"APP_ADDR\", \"127.0.0.1:7070\"), \"address\")\n\tflag.StringVar(&db, \"db\", opt(\"APP_DB\", \"\"), \"path\")\n}\n";
        let prefixed = "package config\n\nfunc env(key string, fallback int) int {\n\tif v, ok := os.LookupEnv(\"SHOP_\" + key); ok {\n\t\treturn atoi(v)\n\t}\n\treturn fallback\n}\n\nvar port = env(\"PORT\", 8080)\n";
        let found: Vec<(String, Option<String>, String)> =
            reads(&[("cmd/app/main.go", main), ("config/env.go", prefixed)])
                .into_iter()
                .map(|r| (r.name, r.default, r.source))
                .collect();
        assert_eq!(
            found,
            [
                ("APP_ADDR".into(), Some("127.0.0.1:7070".into()), "cmd/app/main.go:12".into()),
                ("APP_DB".into(), None, "cmd/app/main.go:13".into()),
                ("SHOP_PORT".into(), Some("8080".into()), "config/env.go:10".into()),
            ]
        );
    }
}
