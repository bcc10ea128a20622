//! Settings files a Go app loads by path at start (`ini.Load("conf/app.ini")`,
//! `toml.DecodeFile("config.toml", &c)`, `viper.SetConfigFile("config.yaml")`): the port the
//! server section names, and what in them will not survive a container: store hosts fixed to
//! this machine, a debug run mode, committed secrets. The path is relative to the working
//! directory, so the image must hold the file beside the binary.

use super::EXTENSIONS;
use super::code::{listen_port, literals, without_comment};
use super::static_folders::committed_path;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact, is_test_path};
use crate::model::{Finding, is_copyable_path};

const SETTINGS_EXTENSIONS: [&str; 6] = [".ini", ".toml", ".yaml", ".yml", ".conf", ".json"];

/// Calls that read a settings file by path.
const LOADERS: [&str; 9] = [
    "ini.Load(",
    "ini.LooseLoad(",
    "ini.InsensitiveLoad(",
    "ini.ShadowLoad(",
    "DecodeFile(",
    "SetConfigFile(",
    "ReadFile(",
    "LoadFile(",
    "os.Open(",
];

/// Sections and key words of the services an app talks to: their ports and hosts are not the
/// app's own.
const SERVICES: [&str; 22] = [
    "DATABASE",
    "DB",
    "SQL",
    "MYSQL",
    "POSTGRES",
    "POSTGRESQL",
    "PG",
    "MONGO",
    "MONGODB",
    "REDIS",
    "CACHE",
    "AMQP",
    "RABBITMQ",
    "KAFKA",
    "SMTP",
    "MAIL",
    "EMAIL",
    "ELASTICSEARCH",
    "MEMCACHED",
    "GRPC",
    "METRICS",
    "PPROF",
];

/// A settings file the code loads: its path in the app, and where the code loads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedSettings {
    pub path: String,
    pub loaded_at: String,
}

/// One `key = value` (or `key: value`) of a settings file, with its section's name.
pub(super) struct Setting<'a> {
    pub(super) section: String,
    pub(super) key: &'a str,
    pub(super) value: &'a str,
    pub(super) at: String,
}

/// The settings files the app's own code loads by a path the repository holds.
pub fn loaded_settings(files: &AppFiles) -> Vec<LoadedSettings> {
    let mut found: Vec<LoadedSettings> = Vec::new();
    let code = crate::analyze::source::app_code_lines(files, &EXTENSIONS)
        .filter(|(at, _)| !at.starts_with("vendor/") && !is_test_path(at));
    for (at, line) in code {
        let code = without_comment(line);
        if !LOADERS.iter().any(|loader| code.contains(loader)) && !config_flag(code) {
            continue;
        }
        for literal in literals(code) {
            let path = literal.trim_start_matches("./");
            let settings = SETTINGS_EXTENSIONS.iter().any(|ext| path.ends_with(ext));
            if settings && files.get(path).is_some() && !found.iter().any(|f| f.path == path) {
                found.push(LoadedSettings { path: path.to_string(), loaded_at: at.clone() });
            }
        }
    }
    found
}

/// The settings files the start command names (`./server -c config.docker.yaml`,
/// `--config=conf/prod.toml`): the binary loads them whatever its flag's default is, so they
/// come before the files the code names. `named_at` is where the command is written.
pub fn named_on_command(files: &AppFiles, command: &[String], named_at: &str) -> Vec<LoadedSettings> {
    let mut found: Vec<LoadedSettings> = Vec::new();
    for word in command.iter().skip(1) {
        let value = word.split_once('=').map_or(word.as_str(), |(_, value)| value);
        let path = value.trim_start_matches("./");
        let settings = SETTINGS_EXTENSIONS.iter().any(|ext| path.ends_with(ext));
        if settings && files.get(path).is_some() && !found.iter().any(|f| f.path == path) {
            found.push(LoadedSettings { path: path.to_string(), loaded_at: named_at.to_string() });
        }
    }
    found
}

/// A command-line flag whose default names the settings file the binary loads
/// (`kingpin.Flag("config", ...).Default("./config.json")`, `flag.String("config", "app.yaml", ...)`).
fn config_flag(code: &str) -> bool {
    let flag = ["Flag(", "flag.String(", "StringVar(", "StringP(", "StringVarP("].iter().any(|m| code.contains(m));
    flag && code.to_ascii_lowercase().contains("config")
}

/// The port the server's section of a loaded settings file names (`[server]` `HttpPort = 8000`,
/// `server:` `port: 8080`): a key whose last word is `port`, outside the services' sections.
pub fn port_in_settings(files: &AppFiles, loaded_files: &[LoadedSettings]) -> Option<Fact<u16>> {
    loaded_files.iter().find_map(|loaded| {
        let text = files.get(&loaded.path)?;
        settings_of(&loaded.path, text).into_iter().find_map(|setting| {
            let words = words_of(setting.key);
            if names_a_service(&setting.section, &words) {
                return None;
            }
            let value = setting.value.trim_matches(['"', '\'']);
            let number = value.parse::<u16>().ok().filter(|p| *p != 0);
            // `listen: 8080` and `addr: 8888` (formatted into `":%d"` by the code) name only the port.
            let address_key = words.last().is_some_and(|w| w == "ADDR" || w == "ADDRESS");
            if is_listen_key(&words) || address_key {
                let port = number.or_else(|| listen_port(value, is_listen_key(&words)));
                return port.map(|port| fact(port, setting.at.clone()));
            }
            let port = number?;
            words.last().is_some_and(|w| w == "PORT").then(|| fact(port, setting.at))
        })
    })
}

/// Committed files and folders the settings name by a relative path (`"templates_dir":
/// "templates"`, `"migrations_prefix": "db/db_"`): the binary opens them from its working
/// directory, so the image holds them too. A name's prefix gives the folder it sits in.
pub fn paths_in_settings(files: &AppFiles, loaded_files: &[LoadedSettings]) -> Vec<Fact<String>> {
    let mut found: Vec<Fact<String>> = Vec::new();
    for loaded in loaded_files {
        let Some(text) = files.get(&loaded.path) else { continue };
        for setting in settings_of(&loaded.path, text) {
            let Some(value) = setting.value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else { continue };
            if value.is_empty() || value.contains("://") || value.trim_start_matches("./") == loaded.path {
                continue;
            }
            let prefix_of_files = || {
                let folder = value.rsplit_once('/')?.0;
                let named = files.files.keys().any(|p| p.starts_with(value.trim_start_matches("./")));
                named.then(|| committed_path(files, folder)).flatten()
            };
            let Some(path) = committed_path(files, value).or_else(prefix_of_files) else { continue };
            if !found.iter().any(|f| f.value == path) {
                found.push(fact(path, setting.at));
            }
        }
    }
    found
}

/// What in the loaded settings files breaks in a container, or should not be committed.
pub fn settings_findings(files: &AppFiles, loaded_files: &[LoadedSettings]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let overridden = env_overrides(files);
    let overrides =
        if loaded_files.is_empty() { Vec::new() } else { super::settings_overrides::overriding_variables(files) };
    for loaded in loaded_files {
        let Some(text) = files.get(&loaded.path) else { continue };
        findings.push(shipped_with_binary(loaded));
        for setting in settings_of(&loaded.path, text) {
            let variable = super::settings_overrides::variable_for(&overrides, setting.key);
            findings.extend(setting_finding(&setting, overridden, variable));
        }
    }
    findings
}

/// The settings file the binary opens relative to its working directory.
fn shipped_with_binary(loaded: &LoadedSettings) -> Finding {
    if is_copyable_path(&loaded.path) {
        return Finding::info(
            "files-at-runtime",
            format!(
                "the binary loads {} relative to its working directory at start: ferry's image copies it beside the binary",
                loaded.path
            ),
            loaded.loaded_at.clone(),
        );
    }
    Finding::warning(
        "files-at-runtime",
        format!(
            "the binary loads {} relative to its working directory at start: the image must hold it beside the binary",
            loaded.path
        ),
        loaded.loaded_at.clone(),
    )
    .with_fix(format!("copy {} into the image's working directory, or embed it with //go:embed", loaded.path))
}

/// A key that holds where a server listens: `listen_url`, `ListenAddr`, `bind_address`.
pub(super) fn is_listen_key(words: &[String]) -> bool {
    words.iter().any(|w| w == "LISTEN" || w == "BIND")
}

/// A store's host fixed to this machine, a debug run mode, or a committed secret.
fn setting_finding(setting: &Setting, overridden: bool, variable: Option<&str>) -> Option<Finding> {
    let words = words_of(setting.key);
    let value = setting.value.trim_matches(['"', '\'']);
    let key = format!("{} ({})", setting.key, setting.section_label());
    let loopback = value.starts_with("127.0.0.1:") || value.starts_with("localhost:");
    if is_listen_key(&words) && loopback && !names_a_service(&setting.section, &words) && !overridden {
        return Some(
            Finding::blocker(
                "loopback-bind",
                format!("{key} = {value}: the server listens on this machine only, and the load balancer cannot reach it in a task"),
                setting.at.clone(),
            )
            .with_fix("listen on 0.0.0.0 (or \":port\") in the image's settings file"),
        );
    }
    let host_key = words.iter().any(|w| matches!(w.as_str(), "HOST" | "ADDR" | "ADDRESS" | "URL" | "URI" | "DSN"));
    let a_store = names_a_service(&setting.section, &words) || names_a_store(value);
    if host_key
        && a_store
        && points_here(value)
        && let Some(variable) = variable
    {
        // The value is only the default: say which variable moves it, never the value (it
        // may hold a password).
        return Some(
            Finding::blocker(
                "localhost-default-host",
                format!("{key} points at this machine unless {variable} is set: in a task nothing listens there"),
                setting.at.clone(),
            )
            .with_fix(format!("set {variable} on the service to the real host")),
        );
    }
    if host_key && a_store && points_here(value) && !overridden {
        return Some(
            Finding::blocker(
                "hard-coded-hosts",
                format!("{key} points at this machine in a settings file with no environment override: in a task nothing listens there"),
                setting.at.clone(),
            )
            .with_fix("point the setting at the real host for each environment, or read it from an environment variable"),
        );
    }
    let mode = words.iter().any(|w| w == "MODE" || w == "ENV") && value.eq_ignore_ascii_case("debug");
    let debug_flag = words == ["DEBUG"] && value.eq_ignore_ascii_case("true");
    if mode || debug_flag {
        return Some(
            Finding::warning(
                "debug-default",
                format!("{key} = {value}: the app runs in debug mode"),
                setting.at.clone(),
            )
            .with_fix("set it to release (production) mode in the image's settings"),
        );
    }
    let secret = crate::userdata::is_secret_name(&words.join("_"))
        && !value.starts_with("${")
        && !crate::analyze::variables::is_stand_in(value)
        // `stacktrace-key: stacktrace` names a log field: a key's own word is no secret.
        && !words.iter().any(|word| word.eq_ignore_ascii_case(value));
    secret.then(|| {
        Finding::warning(
            "secret-default",
            format!("{key} holds a secret committed with the code: anyone with the code has it"),
            setting.at.clone(),
        )
        .with_fix("keep the secret out of the repository: read it from the environment or a secrets store")
    })
}

impl Setting<'_> {
    fn section_label(&self) -> String {
        if self.section.is_empty() {
            "top level".to_string()
        } else {
            format!("[{}]", self.section.to_ascii_lowercase())
        }
    }
}

/// Whether the app's code lets the environment override the file's values (viper's
/// `AutomaticEnv`, `os.ExpandEnv` over the file, go-ini's environment mapper).
fn env_overrides(files: &AppFiles) -> bool {
    crate::analyze::source::app_code_lines(files, &EXTENSIONS)
        .filter(|(at, _)| !at.starts_with("vendor/"))
        .any(|(_, line)| ["AutomaticEnv(", "os.ExpandEnv(", "BindEnv(", "ValueMapper"].iter().any(|m| line.contains(m)))
}

/// Whether a section or key names another service (`[database]`, `RedisHost`).
pub(super) fn names_a_service(section: &str, words: &[String]) -> bool {
    let section = section.to_ascii_uppercase();
    SERVICES.iter().any(|s| section.split(['.', '_', '-', ' ']).any(|part| part == *s) || words.iter().any(|w| w == s))
}

/// A connection URL of a store (`postgres://`, `mongodb+srv://`, `redis://`), whatever its key.
fn names_a_store(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    ["postgres://", "postgresql://", "mysql://", "mongodb://", "mongodb+srv://", "redis://", "rediss://", "amqp://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

/// `127.0.0.1:3306`, `localhost`, `tcp(localhost:3306)`.
fn points_here(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    ["127.0.0.1", "localhost", "0.0.0.0", "[::1]"].iter().any(|host| lower.contains(host))
}

/// The settings of an ini, TOML or YAML file, each with its section: `[section]` headers, or
/// for YAML the keys a nested key sits under, joined by dots (`app.db`).
pub(super) fn settings_of<'a>(path: &str, text: &'a str) -> Vec<Setting<'a>> {
    if path.ends_with(".json") {
        return json_settings_of(path, text);
    }
    let yaml = path.ends_with(".yaml") || path.ends_with(".yml");
    let mut section = String::new();
    // YAML's open parents: (indentation, key).
    let mut parents: Vec<(usize, &str)> = Vec::new();
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
            section = name.trim().to_string();
            continue;
        }
        let separator = if yaml { ':' } else { '=' };
        let Some((key, value)) = trimmed.split_once(separator) else { continue };
        let (key, value) = (key.trim().trim_start_matches("- "), value.trim());
        let value = if yaml { without_yaml_comment(value) } else { value };
        if yaml {
            let indent = line.len() - line.trim_start().len();
            parents.retain(|(open, _)| *open < indent);
            section = parents.iter().map(|(_, parent)| *parent).collect::<Vec<_>>().join(".");
            if value.is_empty() {
                parents.push((indent, key));
                continue;
            }
        }
        found.push(Setting { section: section.clone(), key, value, at: format!("{path}:{}", index + 1) });
    }
    found
}

/// A YAML value without its trailing `# comment` (`true # a flag`); a quoted value keeps its `#`.
fn without_yaml_comment(value: &str) -> &str {
    if value.starts_with(['"', '\'']) {
        return value;
    }
    let cut = value.find('#').filter(|at| *at == 0 || value[..*at].ends_with(char::is_whitespace));
    cut.map_or(value, |at| value[..at].trim_end())
}

/// The settings of a JSON file written one key a line, as committed configurations are: an
/// object value opens a section named by its key (`admin_server.listen_url`).
fn json_settings_of<'a>(path: &str, text: &'a str) -> Vec<Setting<'a>> {
    let mut parents: Vec<&str> = Vec::new();
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim().trim_end_matches(',');
        if trimmed.starts_with('}') || trimmed.starts_with(']') {
            parents.pop();
            continue;
        }
        let Some((key, value)) = trimmed.strip_prefix('"').and_then(|rest| rest.split_once("\":")) else {
            if trimmed.ends_with('{') || trimmed.ends_with('[') {
                parents.push("");
            }
            continue;
        };
        let value = value.trim();
        if value == "{" || value == "[" {
            parents.push(key);
            continue;
        }
        let section = parents.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(".");
        found.push(Setting { section, key, value, at: format!("{path}:{}", index + 1) });
    }
    found
}

/// A key's words in upper case: `HttpPort` and `http_port` are both `HTTP`, `PORT`.
pub(super) fn words_of(key: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut previous = ' ';
    for c in key.chars() {
        let starts = c.is_ascii_uppercase() && previous.is_ascii_lowercase();
        if !c.is_ascii_alphanumeric() {
            previous = ' ';
            continue;
        }
        if starts || words.is_empty() || previous == ' ' {
            words.push(String::new());
        }
        if let Some(word) = words.last_mut() {
            word.push(c.to_ascii_uppercase());
        }
        previous = c;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    const INI: &str = "[app]\nJwtSecret = 233\n\n[server]\nRunMode = debug\nHttpPort = 8000\n\n\
                       [database]\nPort = 3306\nHost = 127.0.0.1:3306\nPassword = rootroot\n\n[redis]\nHost = 127.0.0.1:6379\nPassword =\n";
    const LOADER: &str = "package setting\n\nfunc Setup() {\n\tcfg, err := ini.Load(\"conf/app.ini\")\n}\n";

    fn app() -> AppFiles {
        AppFiles::from_pairs([("conf/app.ini", INI), ("pkg/setting/setting.go", LOADER)])
    }

    #[test]
    fn the_server_sections_port_is_the_apps() {
        assert_eq!(port_in_settings(&app(), &loaded_settings(&app())), Some(fact(8000, "conf/app.ini:6")));
        assert_eq!(loaded_settings(&app())[0].loaded_at, "pkg/setting/setting.go:4");
    }

    #[test]
    fn store_hosts_debug_mode_and_secrets_in_the_file() {
        let found = settings_findings(&app(), &loaded_settings(&app()));
        let kinds: Vec<(&str, &str)> = found.iter().map(|f| (f.kind.as_str(), f.source.as_str())).collect();
        assert_eq!(
            kinds,
            [
                ("files-at-runtime", "pkg/setting/setting.go:4"),
                ("secret-default", "conf/app.ini:2"),
                ("debug-default", "conf/app.ini:5"),
                ("hard-coded-hosts", "conf/app.ini:10"),
                ("secret-default", "conf/app.ini:11"),
                ("hard-coded-hosts", "conf/app.ini:14"),
            ]
        );
        assert!(found.iter().all(|f| !f.message.contains("rootroot") && !f.message.contains("233")));
    }

    #[test]
    fn a_store_url_the_environment_overrides_names_its_variable() {
        let yaml = "dsn: \"postgres://127.0.0.1/shop?user=postgres&password=postgres\"\nserver_port: 8080\n";
        let config = "type Config struct {\n\tDSN string `yaml:\"dsn\" env:\"DSN,secret\"`\n}\n\nfunc Load(file string) {\n\tbytes, _ := ioutil.ReadFile(\"config/local.yml\")\n\t_ = env.New(\"APP_\", nil).Load(&c)\n}\n";
        let files = AppFiles::from_pairs([("config/local.yml", yaml), ("internal/config/config.go", config)]);
        let found = settings_findings(&files, &loaded_settings(&files));
        let host = found.iter().find(|f| f.kind == "localhost-default-host").expect("a finding");
        assert_eq!((host.source.as_str(), host.level), ("config/local.yml:1", crate::model::FindingLevel::Blocker));
        assert!(
            host.message.contains("unless APP_DSN is set") && !host.message.contains("password"),
            "{}",
            host.message
        );
    }

    #[test]
    fn yaml_keys_sit_under_their_top_level_key() {
        let yaml = "app:\n  db:\n    port: 5432\n  name: shop\nserver:\n  port: 9090\n";
        let files =
            AppFiles::from_pairs([("config.yaml", yaml), ("main.go", "viper.SetConfigFile(\"./config.yaml\")\n")]);
        assert_eq!(port_in_settings(&files, &loaded_settings(&files)), Some(fact(9090, "config.yaml:6")));
        assert_eq!(words_of("HttpPort"), ["HTTP", "PORT"]);
        assert_eq!(words_of("http_port"), ["HTTP", "PORT"]);
    }

    #[test]
    fn json_keys_sit_under_their_objects_and_a_flag_names_the_file() {
        let json = "{\n  \"admin\": {\n    \"listen_url\": \"127.0.0.1:3000\",\n    \"origins\": []\n  },\n  \"db\": {\n    \"listen_url\": \"0.0.0.0:5432\"\n  }\n}\n";
        let main = "var path = flag.String(\"config\", \"./app.json\", \"the settings\")\n";
        let files = AppFiles::from_pairs([("app.json", json), ("main.go", main)]);
        let loaded = loaded_settings(&files);
        assert_eq!(port_in_settings(&files, &loaded), Some(fact(3000, "app.json:3")));
        let kinds: Vec<(String, String)> =
            settings_findings(&files, &loaded).into_iter().map(|f| (f.kind, f.source)).collect();
        assert!(kinds.contains(&("loopback-bind".to_string(), "app.json:3".to_string())), "{kinds:?}");
        assert!(
            !kinds.contains(&("loopback-bind".to_string(), "app.json:7".to_string())),
            "a database's is no listener"
        );
    }
}
