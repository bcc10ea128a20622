//! application.properties and application.yml: port, health path, and the environment they read.

use super::CODE;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, code_lines, fact};
use crate::analyze::variables::VariableRead;
use crate::analyze::yaml_leaves::{yaml_leaves, yaml_leaves_with_empty};

// ---------------------------------------------------------------------------------------------
// Spring configuration

/// One `key = value` of application.properties, or a leaf of application.yml with its path
/// joined by dots (`server:` / `  port: 8081` → `server.port`).
pub(super) struct Entry {
    pub(super) at: String,
    pub(super) key: String,
    pub(super) value: String,
    /// From `application.{properties,yml,yaml}` itself, not a profile's file.
    pub(super) base: bool,
}

pub(super) struct SpringConfig {
    pub(super) entries: Vec<Entry>,
    /// Spring Boot 1.x, whose keys and Actuator paths differ from 2.x's (set by the build).
    pub(super) boot_one: bool,
}

impl SpringConfig {
    pub(super) fn read(files: &AppFiles) -> SpringConfig {
        let mut entries = Vec::new();
        for (path, text) in files.with_extensions(&["properties", "yml", "yaml"]) {
            if !is_spring_config(path) {
                continue;
            }
            let name = path.rsplit('/').next().unwrap_or(path);
            let base = name.split('.').next() == Some("application");
            let parsed = if path.ends_with(".properties") { properties(text) } else { yaml_leaves_with_empty(text) };
            entries.extend(parsed.into_iter().map(|(line, key, value)| Entry {
                at: format!("{path}:{line}"),
                key,
                value,
                base,
            }));
        }
        for (path, parsed) in property_sources(files) {
            entries.extend(parsed.into_iter().map(|(line, key, value)| Entry {
                at: format!("{path}:{line}"),
                key,
                value,
                base: true,
            }));
        }
        SpringConfig { entries, boot_one: false }
    }

    pub(super) fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().filter(|e| e.base).find(|e| e.key == key)
    }

    /// `server.port=8081`, or the default of `${PORT:8081}`; when application.yml leaves it
    /// out, the one in the file of the profile Spring starts with (or production's).
    pub(super) fn port(&self) -> Option<Fact<u16>> {
        let entry = self.get("server.port").or_else(|| self.profile_port())?;
        let value = placeholder_default(&entry.value).unwrap_or(&entry.value);
        value.trim().parse::<u16>().ok().filter(|p| *p != 0).map(|p| fact(p, entry.at.clone()))
    }

    /// `server.port` in `application-{profile}.*`, for the profiles `spring.profiles.active`
    /// starts by default and then production's: apps that keep every setting in profile files
    /// set the port there, and another `*.port` the code binds is no listen port.
    fn profile_port(&self) -> Option<&Entry> {
        self.profile_entry(&["server.port"])
    }

    /// The first of `keys` in `application-{profile}.*`, for the profiles the app starts with
    /// by default and then production's.
    fn profile_entry(&self, keys: &[&str]) -> Option<&Entry> {
        self.start_profiles().iter().find_map(|profile| {
            let stem = format!("application-{profile}");
            self.entries.iter().find(|e| keys.contains(&e.key.as_str()) && file_stem(&e.at) == stem)
        })
    }

    /// The profiles `spring.profiles.active` starts by default, then production's.
    fn start_profiles(&self) -> Vec<&str> {
        let active = self.get("spring.profiles.active").map(|e| placeholder_default(&e.value).unwrap_or(&e.value));
        let listed = active.into_iter().flat_map(|v| v.split(',')).map(str::trim).filter(|p| !p.is_empty());
        listed.chain(["prod", "production"]).collect()
    }

    /// Whether the running app loads the settings file at `source` (`path` or `path:line`):
    /// application.* and bootstrap.*, and the files of the profiles it starts with.
    pub(super) fn loaded_at_start(&self, source: &str) -> bool {
        let stem = file_stem(source);
        match stem.split_once('-') {
            None => true,
            Some((_, profile)) => self.start_profiles().contains(&profile),
        }
    }

    /// `server.servlet.context-path` (`/api/v1/` → `/api/v1`), in any of the spellings Spring's
    /// relaxed binding accepts, from application.* or the profile the app starts with: the
    /// servlet container answers every route, Actuator's and springdoc's pages under it, and
    /// 404 elsewhere. Empty when the app is served at the root.
    pub(super) fn context_path(&self) -> String {
        const KEYS: [&str; 3] =
            ["server.servlet.context-path", "server.servlet.contextPath", "server.servlet.context_path"];
        // Boot 1.x named it without `servlet`, and 2.x no longer reads that name.
        const BOOT_ONE_KEYS: [&str; 3] = ["server.context-path", "server.contextPath", "server.context_path"];
        let keys = if self.boot_one { &BOOT_ONE_KEYS } else { &KEYS };
        let entry = keys.iter().find_map(|key| self.get(key)).or_else(|| self.profile_entry(keys));
        let value = entry.map_or("", |e| placeholder_default(&e.value).unwrap_or(&e.value));
        let value = value.trim().trim_matches(['"', '\'']).trim_end_matches('/');
        match value {
            "" => String::new(),
            path if path.starts_with('/') => path.to_string(),
            path => format!("/{path}"),
        }
    }

    /// The setting that configures Actuator's endpoints (`management.endpoint.health.probes`,
    /// `management.endpoints.web.exposure`), which says Actuator is on the classpath even when
    /// another module of the build brings it in.
    pub(super) fn actuator_setting(&self) -> Option<String> {
        self.entries
            .iter()
            .filter(|e| e.base)
            .find(|e| e.key.starts_with("management.endpoint.health") || e.key.starts_with("management.endpoints.web"))
            .map(|e| format!("{} {}", e.at, e.key))
    }

    /// `/actuator/health`, under the servlet context path and a moved Actuator base path.
    pub(super) fn health_path(&self) -> String {
        // Actuator on a port of its own is served outside the servlet context.
        let port_key = if self.boot_one { "management.port" } else { "management.server.port" };
        let separate_port = self.get(port_key).is_some();
        let context = if separate_port { String::new() } else { self.context_path() };
        format!("{context}{}", self.actuator_health())
    }

    /// Actuator's health endpoint within the servlet context, as the security chain's matchers
    /// (which never include the context path) see it.
    pub(super) fn actuator_health(&self) -> String {
        if self.boot_one {
            return self.boot_one_health();
        }
        let base = self.path_setting(&["management.endpoints.web.base-path"]);
        format!("{}/health", base.unwrap_or_else(|| "/actuator".into()))
    }

    /// Boot 1.x's Actuator has no `/actuator` prefix: `/health`, under `management.context-path`
    /// and renamed by `endpoints.health.path`.
    fn boot_one_health(&self) -> String {
        let base = self.path_setting(&["management.context-path", "management.contextPath"]).unwrap_or_default();
        let endpoint = self.path_setting(&["endpoints.health.path"]).filter(|p| !p.is_empty());
        format!("{base}{}", endpoint.unwrap_or_else(|| "/health".into()))
    }

    /// A path setting of application.*, its placeholder's default taken and its trailing `/` cut.
    fn path_setting(&self, keys: &[&str]) -> Option<String> {
        let entry = keys.iter().find_map(|key| self.get(key))?;
        let value = placeholder_default(&entry.value).unwrap_or(&entry.value).trim().trim_matches(['"', '\'']);
        let value = value.trim_end_matches('/');
        Some(if value.is_empty() || value.starts_with('/') { value.to_string() } else { format!("/{value}") })
    }
}

/// `application-dev` from `src/main/resources/application-dev.yml:3`.
fn file_stem(source: &str) -> &str {
    let path = source.rsplit_once(':').map_or(source, |(path, _)| path);
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split('.').next().unwrap_or(name)
}

/// A parsed line of a settings file: its number, key and value.
type Line = (usize, String, String);

/// The files `@PropertySource("classpath:generator.yml")` adds to the environment, parsed as
/// Spring parses them: as properties unless the annotation names a factory (the default one
/// reads a YAML file line by line as properties, so `  author: ruoyi` is the key `author`).
fn property_sources(files: &AppFiles) -> Vec<(&str, Vec<Line>)> {
    let mut found: Vec<(&str, Vec<Line>)> = Vec::new();
    for (_, line) in code_lines(files, &CODE) {
        let Some((_, annotation)) = line.split_once("@PropertySource") else { continue };
        let factory = annotation.contains("factory");
        for name in annotation.split('"').skip(1).step_by(2).filter_map(|s| s.strip_prefix("classpath:")) {
            let suffix = format!("/{}", name.trim_start_matches('/'));
            let Some((path, text)) = files.files.iter().find(|(path, _)| path.ends_with(&suffix)) else { continue };
            if found.iter().any(|(seen, _)| *seen == path.as_str()) {
                continue;
            }
            let yaml = factory && (path.ends_with(".yml") || path.ends_with(".yaml"));
            found.push((path.as_str(), if yaml { yaml_leaves(text) } else { properties(text) }));
        }
    }
    found
}

pub(super) fn is_spring_config(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    (name.starts_with("application") || name.starts_with("bootstrap")) && !crate::analyze::source::is_test_path(path)
}

/// `8081` from `${PORT:8081}`.
pub(super) fn placeholder_default(value: &str) -> Option<&str> {
    let inner = value.trim().strip_prefix("${")?.strip_suffix('}')?;
    inner.split_once(':').map(|(_, default)| default)
}

/// Where a placeholder opened just before `inner` closes: past the braces of an expression
/// default (`${key:#{null}}`).
fn placeholder_end(inner: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(at),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

pub(super) fn properties(text: &str) -> Vec<(usize, String, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
                return None;
            }
            let split = line.find(['=', ':']).unwrap_or(line.len());
            let (key, value) = line.split_at(split);
            Some((i + 1, key.trim().to_string(), value.get(1..).unwrap_or("").trim().to_string()))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Environment and readiness

/// Upper-case names only: `${spring.x.y}` is a Spring property, `${DATABASE_URL}` an
/// environment variable.
pub(super) fn env_style(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// `apollo_profile`, `spring_datasource_password`: lower case words joined by `_`.
fn snake_variable(name: &str) -> bool {
    name.contains('_')
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `${NAME}` and `${NAME:default}` in Spring's config files and in `@Value` (Kotlin escapes
/// them as `\${NAME}`: a bare `${x}` there is string interpolation), `System.getenv("NAME")`,
/// `environment.getProperty("NAME")`, and `@Value("${jwt.secret}")`, which an operator sets
/// as `JWT_SECRET` by Spring's relaxed binding.
pub(super) fn variable_reads(files: &AppFiles, config: &SpringConfig) -> Vec<VariableRead> {
    let mut found = Vec::new();
    let config_lines = code_lines(files, &["properties", "yml", "yaml"])
        .filter(|(at, _)| is_spring_config(at.split(':').next().unwrap_or("")));
    for (at, line) in config_lines.chain(code_lines(files, &CODE)) {
        let code = at.contains(".java:") || at.contains(".kt:");
        let base = !code
            && at.split(':').next().and_then(|p| p.rsplit('/').next()).is_some_and(|n| {
                n.split('.').next() == Some("application") || n.split('.').next() == Some("bootstrap")
            });
        let placeholder = if at.contains(".kt:") { "\\${" } else { "${" };
        // In code, Spring fills a placeholder only where it is asked to: in an annotation
        // (`@Value("${x}")`, `@Scheduled(cron = "${x}")`) or `resolvePlaceholders`; a `${...}`
        // elsewhere is a template's (Maven's java-templates, a Velocity page) or a comment's,
        // filled by something else or by nothing.
        let spring_fills =
            line.trim_start().starts_with('@') || line.contains("@Value") || line.contains("esolvePlaceholders");
        let comment = ["//", "*", "/*"].iter().any(|c| line.trim_start().starts_with(c));
        let filled = !code || (spring_fills && !comment && !at.contains("java-templates/"));
        for (position, _) in line.match_indices(placeholder).filter(|_| filled) {
            let inner = &line[position + placeholder.len()..];
            let Some(end) = placeholder_end(inner) else { continue };
            let (key, default) = match inner[..end].split_once(':') {
                // `${key:#{null}}`: an expression's value, most often no value at all.
                Some((key, default)) if default.starts_with("#{") => (key, None),
                Some((key, default)) => (key, Some(default.to_string())),
                None => (&inner[..end], None),
            };
            let spel_default = inner[..end].contains(":#{");
            let key = key.trim();
            // `${spring_datasource_url}` in a config file: snake case is no property's
            // spelling (they take dots and dashes), so it is the variable of that name.
            if env_style(key) || (!code && snake_variable(key)) {
                let required = default.is_none() && !spel_default && (base || code);
                // Spring itself fills a placeholder of a file it loads, when the app starts.
                let started = !code && config.loaded_at_start(&at);
                let read = VariableRead::new(key, at.clone()).with_default(default).required(required);
                found.push(read.started(started));
            } else if code
                && !key.is_empty()
                && !is_builtin_property(key)
                && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            {
                found.push(injected_property(config, key, (default, spel_default), &at));
            }
        }
        if code {
            for marker in ["getenv(\"", "getProperty(\"", "getRequiredProperty(\""] {
                for (position, _) in line.match_indices(marker) {
                    let rest = &line[position + marker.len()..];
                    let Some(end) = rest.find('"') else { continue };
                    if env_style(&rest[..end]) {
                        found.push(
                            VariableRead::new(&rest[..end], at.clone()).required(marker.starts_with("getRequired")),
                        );
                    }
                }
            }
        }
    }
    found.extend(operator_settings(config));
    found.extend(super::spring_starters::unconfigured_mail(files, config));
    // The first default the reads give is the variable's: the base files' and production's
    // before a development profile's.
    found.sort_by_key(|read| profile_rank(&read.source));
    found
}

/// A Spring property the code injects (`@Value("${jwt.secret}")`): configured in the files, or
/// set from the environment under its relaxed name. The file line that gives the value is what
/// an operator reads and changes; a property set only in another profile's file is needed there
/// and unknown here.
fn injected_property(
    config: &SpringConfig,
    key: &str,
    (default, spel_default): (Option<String>, bool),
    at: &str,
) -> VariableRead {
    let everywhere = config.entries.iter().filter(|e| same_property(&e.key, key));
    let configured = everywhere
        .clone()
        .filter(|e| profile_rank(&e.at) < 2)
        .min_by_key(|e| profile_rank(&e.at))
        .map(|e| (placeholder_default(&e.value).unwrap_or(&e.value).to_string(), e.at.clone()))
        .filter(|(value, _)| !value.is_empty());
    let (default, source) = match (default, configured) {
        (Some(default), _) => (Some(default), at.to_string()),
        (None, Some((value, line))) => (Some(value), line),
        (None, None) => (None, at.to_string()),
    };
    let required = default.is_none() && !spel_default && everywhere.count() == 0;
    VariableRead::new(relaxed_name(key), source).with_default(default).required(required)
}

/// 0 for `application.yml` and code, 1 for a production profile's file, 2 for any other
/// profile's (`application-dev.yml`), whose values apply only when it is active.
fn profile_rank(source: &str) -> u8 {
    let path = source.split(':').next().unwrap_or(source);
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    match stem.split_once('-') {
        Some((_, "prod" | "production")) => 1,
        Some(_) if is_spring_config(path) => 2,
        _ => 0,
    }
}

/// Properties an operator sets per environment even when a file gives them a value: where the
/// database and mail server are, with what credentials, and which profile runs. Spring reads
/// each from the environment under its relaxed name. The port a file fixes is one too: the
/// platform may give the server another through `SERVER_PORT`.
const OPERATOR_SETTINGS: [&str; 21] = [
    "server.port",
    // A managed store or mail relay may listen on another port than the file's.
    "spring.redis.port",
    "spring.data.redis.port",
    "spring.mail.port",
    "spring.datasource.url",
    "spring.datasource.username",
    "spring.datasource.password",
    "spring.profiles.active",
    "spring.mail.host",
    "spring.mail.username",
    "spring.mail.password",
    "spring.liquibase.url",
    "spring.flyway.url",
    "spring.data.mongodb.uri",
    "spring.data.redis.host",
    "spring.data.redis.password",
    "spring.data.redis.url",
    "spring.redis.host",
    "spring.redis.password",
    "spring.redis.url",
    "spring.r2dbc.url",
];

fn operator_settings(config: &SpringConfig) -> Vec<VariableRead> {
    config
        .entries
        .iter()
        .filter(|entry| {
            let secret_named = entry.key.rsplit('.').next().is_some_and(|last| {
                let last = last.to_ascii_lowercase();
                last.contains("password") || last.contains("secret")
            });
            // A placeholder's own variable is what the operator sets; it is read above.
            let placeholder = entry.value.trim_start().starts_with("${");
            let operator = OPERATOR_SETTINGS.contains(&entry.key.as_str()) || datasource_connection(&entry.key);
            // `password:` left empty is still the operator's to fill: listed, with no default.
            (operator || secret_named) && !placeholder && (secret_named || !entry.value.is_empty())
        })
        .map(|entry| {
            let default = Some(entry.value.clone()).filter(|value| !value.is_empty());
            // Spring binds these from the environment as the app starts, whichever file names
            // them: the running app's settings, never a tool's.
            VariableRead::new(relaxed_name(&entry.key), entry.at.clone()).with_default(default).started(true)
        })
        .collect()
}

/// Where a datasource a pool library configures connects, and as whom: Druid's
/// `spring.datasource.druid.master.url`, Hikari's `spring.datasource.hikari.jdbc-url`.
fn datasource_connection(key: &str) -> bool {
    let parts: Vec<&str> = key.split('.').collect();
    let last = parts.last().copied().unwrap_or_default().to_ascii_lowercase();
    parts.iter().any(|p| p.eq_ignore_ascii_case("datasource"))
        && matches!(last.as_str(), "url" | "jdbc-url" | "jdbcurl" | "username" | "user")
}

/// Properties the JVM or Spring Boot itself provides (`java.io.tmpdir`, `random.uuid`,
/// `server.port`): nobody sets them for the app.
pub(super) fn is_builtin_property(key: &str) -> bool {
    ["java.", "user.", "os.", "file.", "line.", "path.", "sun.", "random.", "local."].iter().any(|p| key.starts_with(p))
        || key == "server.port"
}

/// Whether two spellings name one property as Spring's relaxed binding matches them: case and
/// dashes do not count (`launchdarkly.sdk-key` is the file's `launchDarkly.sdkKey`).
fn same_property(a: &str, b: &str) -> bool {
    let form = |key: &str| key.chars().filter(|c| *c != '-').map(|c| c.to_ascii_lowercase()).collect::<String>();
    form(a) == form(b)
}

/// `jwt.session-time` → `JWT_SESSIONTIME`, as Spring's relaxed binding maps environment
/// variables onto properties.
fn relaxed_name(key: &str) -> String {
    key.replace('-', "").replace('.', "_").to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The context path in properties' camel case, in YAML, and in the file of the profile the
    /// app starts with; a profile it does not start with says nothing.
    #[test]
    fn the_context_path_in_every_spelling() {
        let context =
            |pairs: &[(&str, &str)]| SpringConfig::read(&AppFiles::from_pairs(pairs.iter().copied())).context_path();
        assert_eq!(
            context(&[("src/main/resources/application.properties", "server.servlet.contextPath=/api\n")]),
            "/api"
        );
        let yaml = "spring:\n  profiles:\n    active: cloud\n";
        let cloud = "server:\n  servlet:\n    context-path: store/\n";
        let with = [("src/main/resources/application.yml", yaml), ("src/main/resources/application-cloud.yml", cloud)];
        assert_eq!(context(&with), "/store");
        let other = [("src/main/resources/application.yml", yaml), ("src/main/resources/application-qa.yml", cloud)];
        assert_eq!(context(&other), "");
    }

    /// A password left empty in a profile's settings is still one the operator fills.
    #[test]
    fn an_empty_password_is_listed_without_a_default() {
        let yaml = "spring:\n  redis:\n    host: redis\n    password: # empty by default\n";
        let files = AppFiles::from_pairs([("src/main/resources/application-prod.yml", yaml)]);
        let reads = operator_settings(&SpringConfig::read(&files));
        let password = reads.iter().find(|r| r.name == "SPRING_REDIS_PASSWORD").expect("listed");
        assert_eq!(password.default, None);
    }
}
