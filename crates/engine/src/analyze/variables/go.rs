//! The variables a Go service reads: `os.Getenv`/`os.LookupEnv`, struct tags of the env and
//! envconfig libraries (with defaults, `required` and a lookuper's or `Process`'s prefix),
//! names kept as `Env...` constants, and option tables that a package parses out of
//! `os.Environ()` itself.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::literal;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

static GETENV: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\bos\.(Getenv|LookupEnv)\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)"#).expect("valid"));
static ENV_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b(env|envconfig)\s*:\s*"([A-Za-z_][A-Za-z0-9_]*)((?:,[^"]*)?)""#).expect("valid"));
static TAG_DEFAULT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b(?:envDefault|default)\s*:\s*"([^"]*)""#).expect("valid pattern"));
static PREFIX_LOOKUPER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"PrefixLookuper\(\s*"([A-Za-z0-9_]*)""#).expect("valid pattern"));
/// The prefix other `env` tag loaders put before every name: qiangxue/go-env's
/// `env.New("APP_", logger)`, caarlos0/env's `env.Options{Prefix: "APP_"}`.
static ENV_LOADER_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\benv\.New\(\s*"([A-Za-z0-9_]+)"|env\.Options\{[^}]*\bPrefix:\s*"([A-Za-z0-9_]+)""#)
        .expect("valid pattern")
});
static ENVCONFIG_PROCESS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"envconfig\.(?:Must)?Process\(\s*"([A-Za-z0-9_]*)""#).expect("valid pattern"));
static ENV_CONSTANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^\s*(?:const\s+)?([A-Za-z]*Env[A-Za-z0-9]*|env[A-Z][A-Za-z0-9]*)\s*(?:string\s*)?=\s*"([A-Z][A-Z0-9_]+)""#,
    )
    .expect("valid")
});
static OPTION_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*"([A-Z][A-Z0-9_]+)"\s*:\s*\{"#).expect("valid pattern"));
static OPTION_DEFAULT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)^\s*(?:raw_?value|default[a-z_]*)\s*:\s*"#).expect("valid pattern"));

pub fn reads(files: &AppFiles) -> Vec<VariableRead> {
    let sources: Vec<(&str, &str)> = files.with_extensions(&["go"]).filter(|(path, _)| !is_test_path(path)).collect();
    let all = || sources.iter().map(|(_, text)| *text);
    let lookuper_prefix = all().find_map(|t| PREFIX_LOOKUPER.captures(t).map(|c| c[1].to_string())).or_else(|| {
        all().find_map(|t| {
            ENV_LOADER_PREFIX.captures(t).and_then(|c| c.get(1).or(c.get(2))).map(|m| m.as_str().to_string())
        })
    });
    let process_prefix = all()
        .find_map(|t| ENVCONFIG_PROCESS.captures(t).map(|c| c[1].to_string()))
        .filter(|p| !p.is_empty())
        .map(|p| format!("{}_", p.to_ascii_uppercase()));
    let parses_environ: Vec<&str> = sources
        .iter()
        .filter(|(_, text)| text.contains("os.Environ()"))
        .map(|(path, _)| path.rsplit_once('/').map_or("", |(dir, _)| dir))
        .collect();
    let mut found = super::koanf::reads(files);
    found.extend(super::envconfig_struct::reads(&sources));
    found.extend(super::go_env_helpers::reads(&sources));
    found.extend(super::go_getter_values::reads(&sources));
    found.extend(super::go_named_getenv::reads(&sources));
    found.extend(super::viper::reads(&sources));
    for (path, text) in &sources {
        let first = found.len();
        read_file(path, text, &lookuper_prefix, &process_prefix, &parses_environ, &mut found);
        found.extend(super::go_cli_flags::reads(path, text));
        super::go_namespaces::apply(path, text, &mut found[first..]);
        super::checked_reads::require_checked_go(text, &mut found[first..]);
    }
    super::go_struct_defaults::apply(&sources, &mut found);
    let (looped, mirrored) = super::go_key_loops::reads(&sources);
    found.extend(looped);
    // The bare names a loop sets from the prefixed ones are the app's own; a check that the
    // app stops without one (`if os.Getenv("ORIGIN") == ""`) requires the prefixed variable,
    // unless the loop gives it a default.
    let required: Vec<&String> = found.iter().filter(|r| r.required).filter_map(|r| mirrored.get(&r.name)).collect();
    let required: Vec<String> = required.into_iter().cloned().collect();
    for read in
        found.iter_mut().filter(|r| required.contains(&r.name) && r.default.as_deref().is_none_or(str::is_empty))
    {
        read.required = true;
    }
    found.retain(|read| !mirrored.contains_key(&read.name));
    found
}

fn read_file(
    path: &str,
    text: &str,
    lookuper_prefix: &Option<String>,
    process_prefix: &Option<String>,
    parses_environ: &[&str],
    found: &mut Vec<VariableRead>,
) {
    {
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let option_table = parses_environ.contains(&dir);
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let at = format!("{path}:{}", index + 1);
            for captures in GETENV.captures_iter(line) {
                found.push(VariableRead::new(&captures[2], at.clone()));
            }
            for captures in ENV_TAG.captures_iter(line) {
                let options = &captures[3];
                let default = options
                    .split(',')
                    .find_map(|o| o.trim().strip_prefix("default="))
                    .map(str::to_string)
                    .or_else(|| TAG_DEFAULT.captures(line).map(|c| c[1].to_string()));
                let required = options.split(',').any(|o| o.trim() == "required") || line.contains("required:\"true\"");
                let prefix = match &captures[1] {
                    "env" => lookuper_prefix.clone().unwrap_or_default(),
                    _ => process_prefix.clone().unwrap_or_default(),
                };
                let name = format!("{prefix}{}", &captures[2]);
                let mut read = VariableRead::new(name, at.clone()).with_default(default).required(required);
                // go-env's `env:"DSN,secret"` marks a value it must never log.
                if options.split(',').any(|o| o.trim() == "secret") {
                    read.secret_use = Some("marked secret in its env tag".into());
                }
                found.push(read);
            }
            if let Some(captures) = ENV_CONSTANT.captures(line)
                && !is_prefix(text, &captures[1], &captures[2])
            {
                found.push(VariableRead::new(&captures[2], at.clone()));
            }
            if option_table && let Some(captures) = OPTION_KEY.captures(line) {
                let default = lines[index + 1..lines.len().min(index + 6)]
                    .iter()
                    .take_while(|l| !l.trim_start().starts_with('}'))
                    .find_map(|l| OPTION_DEFAULT.find(l).and_then(|m| literal(&l[m.end()..])));
                found.push(VariableRead::new(&captures[1], at.clone()).with_default(default));
            }
        }
    }
}

/// Whether the constant `constant` holding `value` is the start of names, not a name:
/// `HTTPBIN_ENV_` ends in its separator, or the code matches names against it
/// (`strings.HasPrefix(name, envPrefix)`).
fn is_prefix(text: &str, constant: &str, value: &str) -> bool {
    let matched_against = ["HasPrefix(", "TrimPrefix(", "CutPrefix("].iter().any(|call| {
        text.match_indices(call).any(|(at, _)| {
            let arguments = text[at + call.len()..].split(')').next().unwrap_or("");
            arguments.split(',').any(|a| a.trim() == constant)
        })
    });
    value.ends_with('_') || matched_against
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pairs: &[(&str, &str)]) -> Vec<(String, Option<String>, bool)> {
        reads(&AppFiles::from_pairs(pairs.iter().copied()))
            .into_iter()
            .map(|r| (r.name, r.default, r.required))
            .collect()
    }

    #[test]
    fn getenv_tags_and_prefixes() {
        let f = found(&[
            (
                "main.go",
                "port := os.Getenv(\"PORT\")\nenvconfig.Process(ctx, &cfg, envconfig.PrefixLookuper(\"APP_\", envconfig.OsLookuper()))\n",
            ),
            (
                "internal/config/config.go",
                "type HTTP struct {\n\tPort int `env:\"HTTP_PORT,default=8080\"`\n\tSecret string `env:\"HTTP_SECRET_KEY, required\"`\n\tLevel string `env:\"LOG_LEVEL\" envDefault:\"info\"`\n}\n",
            ),
        ]);
        assert_eq!(f[0], ("APP_HTTP_PORT".into(), Some("8080".into()), false));
        assert_eq!(f[1], ("APP_HTTP_SECRET_KEY".into(), None, true));
        assert_eq!(f[2], ("APP_LOG_LEVEL".into(), Some("info".into()), false));
        assert_eq!(f[3], ("PORT".into(), None, false));
    }

    #[test]
    fn a_loaders_prefix_and_a_tag_marked_secret() {
        let config = "type Config struct {\n\tDSN string `yaml:\"dsn\" env:\"DSN,secret\"`\n\tPort int `env:\"SERVER_PORT\"`\n}\n\nfunc Load() {\n\t_ = env.New(\"APP_\", logger.Infof).Load(&c)\n}\n";
        let all = reads(&AppFiles::from_pairs([("internal/config/config.go", config)]));
        let names: Vec<&str> = all.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["APP_DSN", "APP_SERVER_PORT"]);
        assert!(all[0].secret_use.is_some() && all[1].secret_use.is_none());
        let options = "func main() {\n\t_ = env.ParseWithOptions(&cfg, env.Options{Prefix: \"SHOP_\"})\n}\ntype Cfg struct {\n\tPort int `env:\"PORT\"`\n}\n";
        let found = reads(&AppFiles::from_pairs([("main.go", options)]));
        assert_eq!(found[0].name, "SHOP_PORT");
    }

    #[test]
    fn constants_and_option_tables() {
        let f = found(&[
            (
                "config/keys.go",
                "const (\n\tEnvDatabaseConnection = \"GOTIFY_DATABASE_CONNECTION\"\n\tnotAnEnv = \"X\"\n)\n",
            ),
            ("internal/config/parser.go", "for _, line := range os.Environ() {}\n"),
            (
                "internal/config/options.go",
                "var defaults = map[string]*option{\n\t\"LISTEN_ADDR\": {\n\t\tparsedStringList: []string{\"127.0.0.1:8080\"},\n\t\trawValue: \"127.0.0.1:8080\",\n\t},\n}\n",
            ),
            ("other/table.go", "var m = map[string]*x{\n\t\"NOT_ENV\": {\n\t},\n}\n"),
            (
                "cmd/cmd.go",
                "const (\n\tdefaultEnvPrefix = \"APP_ENV_\"\n\tenvNamespace = \"APP\"\n)\nfunc f(n string) bool { return strings.HasPrefix(n, envNamespace) }\n",
            ),
        ]);
        assert_eq!(f[0], ("GOTIFY_DATABASE_CONNECTION".into(), None, false));
        assert_eq!(f[1], ("LISTEN_ADDR".into(), Some("127.0.0.1:8080".into()), false));
        assert_eq!(f.len(), 2, "{f:?}");
    }
}
