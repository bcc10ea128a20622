//! viper's `AutomaticEnv`: every key viper knows (a `SetDefault`, a flag bound with
//! `BindPFlag`, a `Get...("key")`) is also read from `PREFIX_KEY` in the environment, with
//! `SetEnvKeyReplacer` turning `-` and `.` into `_`. No line names those variables.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::literal;

static SET_DEFAULT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"viper\.SetDefault\(\s*"([\w.-]+)"\s*,\s*(.*)\)"#).expect("valid pattern"));
/// A flag declared on a flag set: `cmd.Flags().String(`, or `flags.StringP(` on a variable
/// that holds one.
static FLAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(Flags\(\)|\b\w+)\.(?:String|Int|Int32|Int64|Bool|Duration|Float64|Uint|Uint32|Uint64|StringSlice|StringArray|IntSlice)(P?)\(\s*"([\w.-]+)"\s*,(.*)"#,
    )
    .expect("valid pattern")
});
/// A variable that holds a flag set: `flags := rootCmd.Flags()`, or a `*pflag.FlagSet` parameter.
static FLAG_SET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(\w+)\s*:?=\s*[\w.]*(?:Persistent)?Flags\(\)|\b(\w+)\s+\*pflag\.FlagSet"#).expect("valid pattern")
});
/// A URL with credentials in it (`redis://user:pass@host`), as a flag's description shows one.
static URL_WITH_CREDENTIALS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b[a-z][a-z0-9+.-]*://[^\s/@"]+:[^\s/@"]+@"#).expect("valid pattern"));
static GET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"viper\.Get\w*\(\s*"([\w.-]+)"\s*\)"#).expect("valid pattern"));
static PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"SetEnvPrefix\(\s*"([\w]+)"\s*\)"#).expect("valid pattern"));

/// `func getStringSliceCSV(key string) []string {`: a top-level function of one string.
static GETTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^func\s+(\w+)\(\s*(\w+)\s+string\s*\)").expect("valid pattern"));

/// `SetEnvKeyReplacer(replacer)`: the replacer passed by the name of a variable.
static REPLACER_BY_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"SetEnvKeyReplacer\(\s*([A-Za-z_]\w*)\s*\)"#).expect("valid pattern"));

/// `func (k Key) GetString() string {`: a method on a named type, with its receiver.
static METHOD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^func\s+\(\s*(\w+)\s+\*?(\w+)\s*\)\s*(\w+)\(").expect("valid pattern"));

/// Keys declared as constants of the app's own key type, whose methods hand the key to viper
/// (`ServiceInterface Key = \`service.interface\`` beside `func (k Key) GetString() string {
/// return viper.GetString(string(k)) }`), each with its line and the default its setter gives
/// it (`ServiceInterface.setDefault(":3456")`).
fn typed_keys(sources: &[(&str, &str)]) -> Vec<(String, String, Option<String>)> {
    let mut types: Vec<String> = Vec::new();
    let mut setters: Vec<String> = Vec::new();
    for (_, text) in sources {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let Some(c) = METHOD.captures(line) else { continue };
            let converted = format!("string({})", &c[1]);
            let body: Vec<&&str> = lines[index + 1..].iter().take_while(|l| !l.starts_with('}')).collect();
            let hands_to_viper = body.iter().any(|l| l.contains("viper.") && l.contains(&converted));
            if !hands_to_viper {
                continue;
            }
            if !types.iter().any(|t| t == &c[2]) {
                types.push(c[2].to_string());
            }
            if body.iter().any(|l| l.contains("viper.SetDefault(")) {
                setters.push(c[3].to_string());
            }
        }
    }
    if types.is_empty() {
        return Vec::new();
    }
    let constant =
        Regex::new(&format!(r#"^\s*(\w+)\s+(?:{})\s*=\s*[`"]([\w.-]+)[`"]"#, types.join("|"))).expect("valid pattern");
    let mut keys: Vec<(String, String, String, Option<String>)> = Vec::new();
    for (path, text) in sources {
        for (index, line) in text.lines().enumerate() {
            if let Some(c) = constant.captures(line) {
                keys.push((c[1].to_string(), c[2].to_string(), format!("{path}:{}", index + 1), None));
            }
        }
    }
    for setter in &setters {
        let call = Regex::new(&format!(r"^\s*(\w+)\.{setter}\((.*)\)")).expect("valid pattern");
        for (_, text) in sources {
            for c in text.lines().filter_map(|line| call.captures(line)) {
                if let Some(key) = keys.iter_mut().find(|k| k.0 == c[1]) {
                    key.3 = default_of(&c[2]);
                }
            }
        }
    }
    keys.into_iter().map(|(_, key, at, default)| (key, at, default)).collect()
}

/// How viper turns a key into a variable's name, as the files that call `AutomaticEnv` set it.
struct Naming {
    prefix: String,
    /// Separators `SetEnvKeyReplacer` turns into `_`.
    replaced: Vec<&'static str>,
    /// A replacer built from each flag's snake_case name (`baseURL` → `BASE_URL`).
    snake: bool,
    /// Whether flags are bound (`BindPFlags`): their names are keys too.
    binds_flags: bool,
}

impl Naming {
    /// `None` when no file turns on `AutomaticEnv`.
    fn of(sources: &[(&str, &str)]) -> Option<Naming> {
        let setup: Vec<&str> = sources.iter().map(|(_, t)| *t).filter(|t| t.contains("AutomaticEnv()")).collect();
        if setup.is_empty() {
            return None;
        }
        let prefix = setup
            .iter()
            .find_map(|t| PREFIX.captures(t))
            .map(|c| format!("{}_", c[1].to_ascii_uppercase()))
            .unwrap_or_default();
        let setup_lines = || setup.iter().flat_map(|t| t.lines());
        // `SetEnvKeyReplacer(strings.NewReplacer(".", "_"))`, or a replacer built on a line of
        // its own and passed by name.
        let named: Vec<&str> = setup_lines()
            .filter_map(|l| REPLACER_BY_NAME.captures(l))
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str())
            .collect();
        let replacer: Vec<&str> = setup_lines()
            .filter(|l| {
                l.contains("SetEnvKeyReplacer(")
                    || l.contains("NewReplacer(")
                        && named.iter().any(|name| l.trim_start().starts_with(&format!("{name} ")))
            })
            .collect();
        let replaces = |from: &str| {
            replacer
                .iter()
                .any(|l| l.contains(&format!("\"{from}\", \"_\"")) || l.contains(&format!("\"{from}\",\"_\"")))
        };
        let replaced = ["-", "."].into_iter().filter(|from| replaces(from)).collect();
        // The replacer's pairs come from a helper that snake-cases each flag's name.
        let snake = !replacer.is_empty() && setup.iter().any(|t| t.to_ascii_lowercase().contains("snakecase("));
        let binds_flags = setup.iter().any(|t| t.contains("BindPFlag"));
        Some(Naming { prefix, replaced, snake, binds_flags })
    }

    fn name(&self, key: &str) -> String {
        let mut name = if self.snake { snake_case(key) } else { key.to_string() }.to_ascii_uppercase();
        for separator in &self.replaced {
            name = name.replace(separator, "_");
        }
        format!("{}{name}", self.prefix)
    }
}

/// The variables `AutomaticEnv` reads for the keys the app's Go files give viper.
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let Some(naming) = Naming::of(sources) else { return Vec::new() };
    let flag_sets: Vec<String> = sources
        .iter()
        .flat_map(|(_, text)| FLAG_SET.captures_iter(text))
        .filter_map(|c| c.get(1).or_else(|| c.get(2)).map(|m| m.as_str().to_string()))
        .collect();
    // `pflag.String("port", ...)` declares on the package's own set, which
    // `BindPFlags(pflag.CommandLine)` binds.
    let command_line = sources.iter().any(|(_, text)| text.contains("BindPFlags(pflag.CommandLine)"));
    let is_flag_set = |receiver: &str| {
        receiver == "Flags()" || flag_sets.iter().any(|set| set == receiver) || (command_line && receiver == "pflag")
    };
    let getters = key_getters(sources);
    // Only the running command's flags are bound: the server's, in a cobra program.
    let server_lines = super::cobra_scope::server_flag_lines(sources);
    let servers =
        |path: &str, index: usize| server_lines.as_ref().is_none_or(|lines| lines.contains(&(path.to_string(), index)));
    let mut found: Vec<VariableRead> = Vec::new();
    for (key, at, default) in typed_keys(sources) {
        let name = naming.name(&key);
        if crate::model::is_variable_name(&name) && !found.iter().any(|r| r.name == name) {
            found.push(VariableRead::new(name, at).with_default(default));
        }
    }
    for (path, text) in sources {
        for (index, line) in text.lines().enumerate() {
            let at = format!("{path}:{}", index + 1);
            let keys = SET_DEFAULT
                .captures_iter(line)
                .map(|c| (c[1].to_string(), default_of(&c[2])))
                .chain(
                    FLAG.captures_iter(line)
                        .filter(|c| naming.binds_flags && is_flag_set(&c[1]) && servers(path, index))
                        .map(|c| (c[3].to_string(), flag_default(&c[2], &c[4]))),
                )
                .chain(GET.captures_iter(line).map(|c| (c[1].to_string(), None)))
                .chain(getters.iter().flat_map(|getter| getter.captures_iter(line)).map(|c| (c[1].to_string(), None)));
            for (key, default) in keys {
                let name = naming.name(&key);
                if !crate::model::is_variable_name(&name) {
                    continue;
                }
                match found.iter_mut().find(|r| r.name == name) {
                    Some(known) if known.default.is_none() => known.default = default,
                    Some(_) => {}
                    None => {
                        let mut read = VariableRead::new(name, at.clone()).with_default(default);
                        // The flag's own description shows the value carries a password.
                        read.secret_use = URL_WITH_CREDENTIALS
                            .is_match(line)
                            .then(|| "a URL that carries credentials, as its flag's description shows".to_string());
                        found.push(read);
                    }
                }
            }
        }
    }
    found
}

/// The app's own getters of a key (`func getStringSliceCSV(key string) []string` whose body
/// calls `viper.GetStringSlice(key)`), as patterns that match a call with a literal key.
fn key_getters(sources: &[(&str, &str)]) -> Vec<Regex> {
    let mut getters = Vec::new();
    for (_, text) in sources {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let Some(c) = GETTER.captures(line) else { continue };
            let (name, parameter) = (&c[1], &c[2]);
            let mut body = lines[index + 1..].iter().take_while(|l| !l.starts_with('}'));
            let passed = format!("({parameter})");
            if body.any(|l| l.contains("viper.Get") && l.contains(&passed)) {
                getters.push(Regex::new(&format!(r#"\b{name}\(\s*"([\w.-]+)"\s*\)"#)).expect("valid pattern"));
            }
        }
    }
    getters
}

/// `baseURL` → `base_url`, `redisCacheUrl` → `redis_cache_url`, `HTTPPort` → `http_port`: a
/// word starts at an upper-case letter after a lower-case one or a digit, and at the last
/// capital of an acronym followed by a lower-case letter.
fn snake_case(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::new();
    for (index, c) in chars.iter().enumerate() {
        let previous = index.checked_sub(1).map(|i| chars[i]);
        let next = chars.get(index + 1);
        let after_lower = previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
        let ends_acronym =
            previous.is_some_and(|p| p.is_ascii_uppercase()) && next.is_some_and(char::is_ascii_lowercase);
        if c.is_ascii_uppercase() && (after_lower || ends_acronym) && !out.ends_with('_') {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
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
            reads(&[("cmd/main.go", MAIN)]).into_iter().map(|r| (r.name, r.default)).collect();
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
        assert!(reads(&[("cmd/main.go", &MAIN.replace("viper.AutomaticEnv()", ""))]).is_empty());
    }

    #[test]
    fn a_replacer_passed_by_name_turns_dotted_keys_into_underscores() {
        let setup = "func Load() {\n\tviper.SetDefault(\"scanner.schedule\", \"0\")\n\treplacer := strings.NewReplacer(\".\", \"_\")\n\tviper.SetEnvPrefix(\"ND\")\n\tviper.SetEnvKeyReplacer(replacer)\n\tviper.AutomaticEnv()\n}\n";
        let names: Vec<String> = reads(&[("conf/configuration.go", setup)]).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["ND_SCANNER_SCHEDULE"]);
    }

    #[test]
    fn the_command_lines_flags_and_the_apps_own_getters() {
        let main = "func init() {\n\tpflag.Int(\"port\", 1337, \"listen port\")\n\tpflag.String(\"memcached\", \"localhost:11211\", \"address\")\n}\nfunc setup() {\n\tviper.AutomaticEnv()\n\tviper.SetEnvKeyReplacer(strings.NewReplacer(\"-\", \"_\"))\n\tviper.BindPFlags(pflag.CommandLine)\n\tproxies := getStringSliceCSV(\"trusted-proxies\")\n}\nfunc getStringSliceCSV(key string) []string {\n\tfor _, v := range viper.GetStringSlice(key) {\n\t}\n}\n";
        let found: Vec<(String, Option<String>)> =
            reads(&[("main.go", main)]).into_iter().map(|r| (r.name, r.default)).collect();
        assert_eq!(
            found,
            [
                ("PORT".to_string(), Some("1337".to_string())),
                ("MEMCACHED".to_string(), Some("localhost:11211".to_string())),
                ("TRUSTED_PROXIES".to_string(), None),
            ]
        );
    }

    /// Flags declared in one file on a flag-set variable, viper set up in another with a
    /// replacer built from each flag's snake_case name.
    #[test]
    fn flags_of_another_file_under_snake_case_names() {
        let flags = "func init() {\n\tflags := rootCmd.Flags()\n\tflags.StringP(\"listen\", \"l\", \"127.0.0.1\", \"address\")\n\tflags.String(\"cacheURL\", \"\", \"cache\")\n}\nfunc more(set *pflag.FlagSet) {\n\tset.Bool(\"skipThumbs\", false, \"no thumbnails\")\n}\n";
        let setup = "func load(cmd *cobra.Command) {\n\tv := viper.New()\n\tv.SetEnvPrefix(\"QB\")\n\tv.AutomaticEnv()\n\tv.SetEnvKeyReplacer(strings.NewReplacer(pairs(cmd)...))\n\tv.BindPFlags(cmd.Flags())\n}\nfunc pairs(cmd *cobra.Command) []string {\n\treturn []string{strings.ToUpper(lo.SnakeCase(\"x\"))}\n}\n";
        let found: Vec<(String, Option<String>)> = reads(&[("cmd/root.go", flags), ("cmd/viper.go", setup)])
            .into_iter()
            .map(|r| (r.name, r.default))
            .collect();
        assert_eq!(
            found,
            [
                ("QB_LISTEN".to_string(), Some("127.0.0.1".to_string())),
                ("QB_CACHE_URL".to_string(), None),
                ("QB_SKIP_THUMBS".to_string(), Some("false".to_string())),
            ]
        );
        assert_eq!(snake_case("HTTPPort"), "http_port");
    }

    #[test]
    fn constants_of_the_apps_key_type_are_keys() {
        let config = "package config\n\ntype Key string\n\nconst (\n\tServiceInterface Key = `service.interface`\n\tServiceSecret    Key = `service.secret`\n\tDatabaseType     Key = \"database.type\"\n)\n\nfunc (k Key) GetString() string {\n\treturn viper.GetString(string(k))\n}\n\nfunc (k Key) setDefault(i interface{}) {\n\tviper.SetDefault(string(k), i)\n}\n\nfunc InitDefaultConfig() {\n\tServiceInterface.setDefault(\":3456\")\n\tDatabaseType.setDefault(\"sqlite\")\n}\n\nfunc InitConfig() {\n\tviper.SetEnvPrefix(\"vikunja\")\n\tviper.SetEnvKeyReplacer(strings.NewReplacer(\".\", \"_\"))\n\tviper.AutomaticEnv()\n}\n";
        let found: Vec<(String, String, Option<String>)> =
            reads(&[("pkg/config/config.go", config)]).into_iter().map(|r| (r.name, r.source, r.default)).collect();
        assert_eq!(
            found,
            [
                (
                    "VIKUNJA_SERVICE_INTERFACE".to_string(),
                    "pkg/config/config.go:6".to_string(),
                    Some(":3456".to_string())
                ),
                ("VIKUNJA_SERVICE_SECRET".to_string(), "pkg/config/config.go:7".to_string(), None),
                ("VIKUNJA_DATABASE_TYPE".to_string(), "pkg/config/config.go:8".to_string(), Some("sqlite".to_string())),
            ]
        );
    }
}
