//! Small Go helpers that read the environment by a name they are given:
//! `func opt(name, def string) string { if v := os.Getenv(name); v != "" { return v }; return def }`,
//! then `flag.StringVar(&addr, "addr", opt("APP_ADDR", "127.0.0.1:7070"), "...")`. The helper's
//! own read names no variable; each call does, with the argument the helper returns otherwise
//! as its default. A helper may put a prefix before the name, written out or as a constant
//! (`os.Getenv(envVarPrefix + name)` with `envVarPrefix = "PGWEB_"`), and may fall back to the
//! bare name: each name it reads is a variable of every call.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::literal;

static FUNC: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^func\s+(\w+)\s*\(([^)]*)\)").expect("valid pattern"));
static READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"os\.(?:Getenv|LookupEnv)\(\s*(?:(?:"([A-Za-z0-9_]*)"|([A-Za-z_]\w*))\s*\+\s*)?(\w+)\s*\)"#)
        .expect("valid pattern")
});
static ENV_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z_][A-Za-z0-9_]*$").expect("valid pattern"));

/// A helper: its name, the prefixes it puts before the name (`""` for the bare name), and where
/// its name and default arguments sit.
struct Helper {
    name: String,
    prefixes: Vec<String>,
    name_at: usize,
    default_at: Option<usize>,
}

/// A read per call of a helper that reads the variable its argument names.
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let helpers: Vec<Helper> = sources.iter().flat_map(|(_, text)| helpers_in(text, sources)).collect();
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
                    for prefix in &helper.prefixes {
                        let read = VariableRead::new(format!("{prefix}{name}"), format!("{path}:{}", index + 1));
                        found.push(read.with_default(default.clone().filter(|d| !d.is_empty())));
                    }
                }
            }
        }
    }
    found
}

/// The helpers a file defines: a top-level function that reads the environment by one of its
/// parameters. A prefix named by a constant is looked up in `sources`; one not found there
/// is not guessed.
fn helpers_in(text: &str, sources: &[(&str, &str)]) -> Vec<Helper> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(caps) = FUNC.captures(line) else { continue };
        let parameters: Vec<&str> = caps[2].split(',').map(|p| p.split_whitespace().next().unwrap_or("")).collect();
        let end = lines[index..].iter().position(|l| l.trim_end() == "}").map_or(lines.len(), |at| index + at + 1);
        let body = lines[index..end].join("\n");
        let reads: Vec<regex::Captures> = READ.captures_iter(&body).filter(|c| parameters.contains(&&c[3])).collect();
        let Some(read) = reads.first() else { continue };
        let name_at = parameters.iter().position(|p| *p == &read[3]).unwrap_or(0);
        let mut prefixes: Vec<String> = Vec::new();
        for read in reads.iter().filter(|r| r[3] == read[3]) {
            let prefix = match (read.get(1), read.get(2)) {
                (Some(quoted), _) => Some(quoted.as_str().to_string()),
                (None, Some(constant)) => string_constant(sources, constant.as_str()),
                (None, None) => Some(String::new()),
            };
            if let Some(prefix) = prefix.filter(|p| !prefixes.contains(p)) {
                prefixes.push(prefix);
            }
        }
        let returned =
            |p: &str| Regex::new(&format!(r"\breturn\s+{}\b", regex::escape(p))).is_ok_and(|re| re.is_match(&body));
        let default_at =
            parameters.iter().enumerate().position(|(at, p)| at != name_at && !p.is_empty() && returned(p));
        found.push(Helper { name: caps[1].to_string(), prefixes, name_at, default_at });
    }
    found
}

/// The value of a string constant of the package: `envVarPrefix = "PGWEB_"` in a `const` block
/// or `const envVarPrefix = "PGWEB_"`.
fn string_constant(sources: &[(&str, &str)], name: &str) -> Option<String> {
    let pattern =
        Regex::new(&format!(r#"(?m)^\s*(?:const\s+)?{}\s*(?:string\s*)?=\s*"([A-Za-z0-9_]*)""#, regex::escape(name)))
            .expect("valid pattern");
    sources.iter().find_map(|(_, text)| pattern.captures(text).map(|c| c[1].to_string()))
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

    #[test]
    fn a_constant_prefix_and_the_bare_fallback_are_both_read() {
        let options = "package options\n\nconst (\n\tenvPrefix = \"DOCK_\"\n)\n\nfunc fromEnv(name string) string {\n\tval := os.Getenv(envPrefix + name)\n\tif val == \"\" {\n\t\tval = os.Getenv(name)\n\t}\n\treturn val\n}\n\nfunc parse() {\n\tsecret = fromEnv(\"API_SECRET\")\n}\n";
        let names: Vec<String> = reads(&[("opts/options.go", options)]).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["DOCK_API_SECRET", "API_SECRET"]);
    }
}
