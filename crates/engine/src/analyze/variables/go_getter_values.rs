//! `os.Getenv` handed on as a function value: `run(os.Args[1:], os.Getenv)` into a parameter
//! `getEnv func(string) string`, then `getEnv("PORT")`. Apps do this so their tests can give a
//! fake environment; every call of the parameter reads the real one in production.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;

/// `os.Getenv` or `os.LookupEnv` named, not called: an argument, an assignment or a field.
static AS_VALUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bos\.(Getenv|LookupEnv)\b\s*[^\s(\w]").expect("valid pattern"));
/// A parameter, variable or field of the reader's type: `getEnv func(string) string`,
/// `lookup func(key string) (string, bool)`.
static TYPED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\w+)\s+func\(\s*(?:\w+\s+)?string\s*\)\s*(string\b|\(\s*string\s*,\s*bool\s*\))")
        .expect("valid pattern")
});
/// `getEnv := os.Getenv`, `var lookup = os.LookupEnv`, `Getenv: os.Getenv`.
static ASSIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)\b(\w+)\s*(?::=|=|:)\s*os\.(?:Getenv|LookupEnv)\b\s*(?:[,;)}]|$)").expect("valid pattern")
});

/// A read per call, with a literal name, of a function value that is `os.Getenv`.
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let getters = getter_names(sources);
    let mut found = Vec::new();
    for name in &getters {
        let call =
            Regex::new(&format!(r#"\b{}\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)"#, regex::escape(name))).expect("valid");
        for (path, text) in sources {
            for (index, line) in text.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with("//")) {
                for captures in call.captures_iter(line) {
                    found.push(VariableRead::new(&captures[1], format!("{path}:{}", index + 1)));
                }
            }
        }
    }
    found
}

/// The names the environment reader goes by in the packages that hand it on, or whose
/// functions it is handed to: the parameters of its type there, and whatever it is assigned to.
fn getter_names(sources: &[(&str, &str)]) -> HashSet<String> {
    let dir = |path: &str| path.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
    let mut handing_on = HashSet::new();
    let mut called = HashSet::new();
    for (path, text) in sources {
        for line in text.lines() {
            for m in AS_VALUE.find_iter(line) {
                handing_on.insert(dir(path));
                called.extend(enclosing_call(&line[..m.start()]));
            }
        }
    }
    for (path, text) in sources {
        let defines = |function: &String| text.contains(&format!("func {function}("));
        if called.iter().any(defines) {
            handing_on.insert(dir(path));
        }
    }
    let mut names = HashSet::new();
    for (path, text) in sources {
        names.extend(ASSIGNED.captures_iter(text).map(|c| c[1].to_string()));
        if handing_on.contains(&dir(path)) {
            names.extend(TYPED.captures_iter(text).map(|c| c[1].to_string()));
        }
    }
    // Go's own words before a type are no names (`func(string) string` as a return type).
    names.retain(|name| !matches!(name.as_str(), "func" | "return" | "var" | "type" | "map"));
    names
}

/// The function whose argument list is still open at the end of `before`: `Run` of
/// `cli.Run(os.Args[1:], `.
fn enclosing_call(before: &str) -> Option<String> {
    let mut depth = 0;
    for (at, c) in before.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth > 0 => depth -= 1,
            '(' => {
                let name: String =
                    before[..at].chars().rev().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                return (!name.is_empty()).then(|| name.chars().rev().collect());
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_getter_passed_as_a_value_is_read_through() {
        let main = "func Main() int {\n\treturn run(os.Args[1:], os.Getenv, os.LookupEnv)\n}\n\nfunc run(args []string, getEnv func(string) string, lookup func(key string) (string, bool)) int {\n\tport := getEnv(\"PORT\")\n\tif v, ok := lookup(\"TOKEN\"); ok {}\n\treturn load(getEnv)\n}\n";
        let config = "func load(getEnv func(string) string) int {\n\t// getEnv(\"OLD\")\n\treturn len(getEnv(\"LOG_LEVEL\"))\n}\n";
        let other = "func transform(f func(string) string) { f(\"NOT_ENV\") }\n";
        let sources = [("cmd/main.go", main), ("cmd/config.go", config), ("pkg/text/text.go", other)];
        let names: Vec<String> = reads(&sources).into_iter().map(|r| r.name).collect();
        assert!(names.contains(&"PORT".to_string()), "{names:?}");
        assert!(names.contains(&"TOKEN".to_string()), "{names:?}");
        assert!(names.contains(&"LOG_LEVEL".to_string()), "{names:?}");
        assert!(!names.iter().any(|n| n == "NOT_ENV" || n == "OLD"), "{names:?}");
    }

    #[test]
    fn a_getter_handed_to_another_package() {
        let main = "func main() {\n\tos.Exit(cli.Run(os.Args[1:], os.Getenv))\n}\n";
        let cli = "func Run(args []string, env func(string) string) int {\n\treturn len(env(\"APP_PORT\"))\n}\n";
        let names: Vec<String> =
            reads(&[("cmd/app/main.go", main), ("internal/cli/cli.go", cli)]).into_iter().map(|r| r.name).collect();
        assert_eq!(names, vec!["APP_PORT".to_string()]);
    }

    #[test]
    fn an_assigned_getter() {
        let text = "var getenv = os.Getenv\nfunc main() { _ = getenv(\"DATABASE_URL\") }\n";
        let names: Vec<String> = reads(&[("main.go", text)]).into_iter().map(|r| r.name).collect();
        assert_eq!(names, vec!["DATABASE_URL".to_string()]);
    }
}
