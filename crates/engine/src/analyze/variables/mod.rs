//! The environment variables an application's code reads, with what the code says of each:
//! its default, whether it must be set, whether it holds a secret, and whether the running
//! app or only its tooling reads it.
//!
//! Each runtime's idioms have a reader of their own (direct reads, config schemas, settings
//! classes, struct tags, placeholders); they report raw reads, and `judge` merges the reads of
//! one name into one variable.

mod adonis_env;
mod auth_js;
mod browser_packages;
mod config_mapper_env;
mod example_urls;
pub use example_urls::mark as mark_example_urls;
mod caught_reads;
mod checked_reads;
mod client_credential;
mod cobra_scope;
mod committed_env;
mod computed_names;
mod computed_wrappers;
mod conditional_helpers;
mod confidence;
mod config_item_table;
mod config_templates;
mod container_scripts;
mod convict;
mod crashing_reads;
mod dead_files;
mod default_chosen_class;
mod dotenv_safe;
mod egg_implicit;
mod either_of;
mod env_handed_config;
mod env_var_library;
mod env_var_options;
mod envconfig_struct;
mod findings;
mod flask_envvar;
mod flask_implicit;
mod fluent_env;
mod go;
mod go_cli_flags;
mod go_env_helpers;
mod go_getter_values;
mod go_key_loops;
mod go_named_getenv;
mod go_namespaces;
mod go_struct_defaults;
mod helper_fallbacks;
mod image_settings;
mod ini_env;
mod init_arguments;
mod joi_config_object;
mod json_env_schema;
mod json_keys;
mod key_loops;
mod koanf;
mod launcher_configs;
mod made_when_set;
mod nconf;
mod next_build_env;
mod node;
mod node_config;
mod node_config_missing;
mod node_config_settings;
mod node_constants;
mod node_derived;
mod node_destructured;
mod node_env_alias;
mod node_fallback_forms;
mod node_key_methods;
mod node_listen_port;
mod node_option_keys;
mod node_prefixed_getter;
mod node_read_site;
mod node_schema;
mod node_store_clients;
mod not_operator;
mod prisma;
mod pydantic_annotated;
mod python;
mod python_assigned;
pub(crate) mod python_blocks;
mod python_default_entries;
mod python_defaults;
mod python_keys;
mod python_library_reads;
mod python_mode_modules;
mod python_wrappers;
mod scope;
mod secrets;
mod separate_packages;
mod settings_fallback;
mod start_entries;
mod start_script;
pub(crate) mod text;
mod token_names;
mod tooling_constants;
mod typed_env_helpers;
mod unused_settings;
pub use either_of::reword as reword_either_of;
pub use go::reads as go_variable_reads;
mod typebox_env;
mod validated_fields;
mod viper;
mod words;
mod zod_described;
mod zod_helpers;

use crate::model::{CodeVariable, VariableScope};

pub use auth_js::findings as auth_js_findings;
pub use committed_env::{
    committed_secrets as committed_env_secrets, defaults as committed_env_defaults,
    say_left_out as committed_env_left_out,
};
pub use computed_names::split_top;
pub use config_templates::reads as template_reads;
pub use container_scripts::scripts as container_scripts;
pub use crashing_reads::{node_load_time, python_import_time};
pub use findings::{
    findings, in_inactive_profile, is_listen_setting, is_listen_setting_among, is_stand_in, listen_port,
    loopback_listen, names_a_public_url, on_every_interface,
};
pub use go::reads as go_reads;
pub use image_settings::image_settings;
pub use launcher_configs::logback_reads;
pub use node::reads as node_reads;
pub use node_config_settings::{findings as node_config_findings, listen_port as node_config_port};
pub use node_read_site::in_feature_branch;
pub use prisma::sqlite_datasource as prisma_sqlite_datasource;
pub use python::reads as python_reads;
pub use scope::of as scope_of;
pub use secrets::secret_by_name;
pub(crate) use start_entries::resolve as resolve_import;
pub use start_script::{
    command_expansions, image_port_setting, reads as start_script_reads, script_of as start_script,
};
pub use text::literal;

/// A Python statement from its first line, over the lines an open bracket or a `\` carries it.
pub(crate) use python::statement_from as python_statement;

/// The settings file whose every value a variable replaces (config-mapper-env's defaults): a
/// value in it is a default, never a fixed address.
pub fn env_mapped_config(files: &crate::analyze::app_files::AppFiles) -> Option<String> {
    config_mapper_env::mapped_file(files)
}

/// One place the code reads a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableRead {
    pub name: String,
    /// The value the code falls back to at this read.
    pub default: Option<String>,
    /// This read fails, or a schema refuses to start, without a value.
    pub required: bool,
    /// What the value is handed to, when that makes it a secret (`the session secret`).
    pub secret_use: Option<String>,
    /// `path:line`.
    pub source: String,
    /// The file is one the production start runs, though its path alone says tooling.
    pub started: bool,
    /// A schema declares the variable optional or gives it a default (zod `.optional()`,
    /// `.default(...)`): a read elsewhere that throws without it gets the schema's value, so
    /// no read of it makes it required.
    pub optional: bool,
    /// The code turns the value into a number or a flag at this read (`parseInt(...)`,
    /// `!!process.env.X`, `=== 'true'`, `int(os.getenv(...))`): whatever its name says, it
    /// holds no credential.
    pub plain_value: bool,
    /// The read sits where only the tests go (a `TestingConfig` class), though its file is
    /// the app's.
    pub tooling: bool,
    /// The framework inlines the value when the image builds (Next.js `NEXT_PUBLIC_*`).
    pub build_time: bool,
    /// The code makes up a value when the variable is unset (a random key).
    pub generated_when_unset: bool,
    /// The image's build fails without a value, though nothing it builds keeps it (a Prisma
    /// config's `env('DATABASE_URL')`, read by `prisma generate`).
    pub needed_at_build: bool,
}

impl VariableRead {
    pub fn new(name: impl Into<String>, source: impl Into<String>) -> Self {
        VariableRead {
            name: name.into(),
            default: None,
            required: false,
            secret_use: None,
            source: source.into(),
            started: false,
            optional: false,
            plain_value: false,
            tooling: false,
            build_time: false,
            generated_when_unset: false,
            needed_at_build: false,
        }
    }

    pub fn with_default(mut self, default: Option<String>) -> Self {
        self.default = default;
        self
    }

    /// Declared with a default where it is declared (a schema, django-environ's scheme).
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    pub fn required(mut self, required: bool) -> Self {
        self.required = required;
        self
    }

    /// The running app reads it, whatever its file's path says (see `started`).
    pub fn started(mut self, started: bool) -> Self {
        self.started = started;
        self
    }
}

/// The port a listen setting among `reads` defaults to (see `listen_port`), judging only the
/// reads whose names could be one: an app reads thousands of other variables.
pub fn listen_port_of_reads(reads: &[VariableRead]) -> Option<(u16, String)> {
    let listeners: Vec<VariableRead> = reads
        .iter()
        .filter(|r| {
            ["PORT", "ADDR", "ADDRESS", "LISTEN", "BIND", "INTERFACE"]
                .iter()
                .any(|end| r.name.to_ascii_uppercase().ends_with(end))
        })
        .cloned()
        .collect();
    listen_port(&judge(listeners))
}

/// The reads merged by name, in order of first sighting:
/// - a default anywhere is the default; required only when no read gives a default;
/// - runtime scope when any read is in the running app's code;
/// - secret by name or by use, and a secret's default is never kept.
pub fn judge(reads: Vec<VariableRead>) -> Vec<CodeVariable> {
    let mut variables: Vec<(CodeVariable, bool)> = Vec::new();
    let optional = declared_optional(&reads);
    let plain = plain_values(&reads);
    // Where each name is in `variables`: a folder can read thousands of names.
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for read in reads {
        if !is_variable_name(&read.name) {
            continue;
        }
        let scope = match (read.started, read.tooling || scope::set_by_a_ci_runner(&read.name)) {
            (true, _) => VariableScope::Runtime,
            (false, true) => VariableScope::Tooling,
            (false, false) => scope::of(&read.source),
        };
        let position = index.get(&read.name).copied();
        let (variable, has_default_read) = match position {
            Some(at) => &mut variables[at],
            None => {
                index.insert(read.name.clone(), variables.len());
                variables.push((
                    CodeVariable {
                        name: read.name.clone(),
                        required: false,
                        default: None,
                        secret: false,
                        why: None,
                        scope,
                        build_time: read.build_time,
                        generated_when_unset: false,
                        needed_at_build: false,
                        source: read.source.clone(),
                    },
                    false,
                ));
                variables.last_mut().expect("just pushed")
            }
        };
        if scope == VariableScope::Runtime && variable.scope == VariableScope::Tooling {
            // What a script falls back to says nothing of the running app.
            variable.scope = VariableScope::Runtime;
            variable.source = read.source.clone();
            variable.default = None;
            *has_default_read = false;
            variable.required = false;
        }
        // What a script or a development settings file gives or demands says nothing of the
        // running app, which reads the name elsewhere.
        let counts = scope == variable.scope;
        if variable.default.is_none()
            && counts
            && let Some(default) = read.default.filter(|d| !d.is_empty())
        {
            variable.default = Some(default);
            *has_default_read = true;
            variable.source = read.source.clone();
        }
        if read.required && counts && !*has_default_read {
            if !variable.required {
                variable.source = read.source.clone();
            }
            variable.required = true;
        }
        variable.generated_when_unset |= read.generated_when_unset;
        variable.needed_at_build |= read.needed_at_build;
        if variable.why.is_none()
            && !secrets::shipped_to_browsers_by_name(&variable.name)
            && let Some(used) = read.secret_use
        {
            variable.secret = true;
            variable.why = Some(used);
        }
    }
    let mut settled: Vec<CodeVariable> = variables
        .into_iter()
        .map(|(variable, has_default)| settled(variable, has_default, &optional, &plain))
        .collect();
    public_client_ids(&mut settled);
    settled
}

/// `DROPBOX_APP_KEY` beside `DROPBOX_APP_SECRET`: an OAuth app's key is its public client id,
/// which the login redirect hands every browser; the secret beside it is the secret.
fn public_client_ids(variables: &mut [CodeVariable]) {
    const PAIRS: [(&str, &str); 3] =
        [("_APP_KEY", "_APP_SECRET"), ("_CONSUMER_KEY", "_CONSUMER_SECRET"), ("_CLIENT_KEY", "_CLIENT_SECRET")];
    let names: std::collections::HashSet<String> = variables.iter().map(|v| v.name.clone()).collect();
    for variable in variables.iter_mut() {
        let paired = PAIRS.iter().any(|(key, secret)| {
            variable
                .name
                .strip_suffix(key)
                .is_some_and(|prefix| !prefix.is_empty() && names.contains(&format!("{prefix}{secret}")))
        });
        if paired && variable.why.as_deref().is_some_and(|why| why.starts_with("its name")) {
            variable.secret = false;
            variable.why = None;
        }
    }
}

/// A merged variable made final: not required with a default or when a schema makes it
/// optional; a secret by name unless it is a switch or the code parses it as a number or flag.
fn settled(
    mut variable: CodeVariable,
    has_default: bool,
    optional: &std::collections::HashSet<String>,
    plain: &std::collections::HashSet<String>,
) -> CodeVariable {
    if has_default || optional.contains(&variable.name) {
        variable.required = false;
    }
    let switch = is_switch(&variable) || plain.contains(&variable.name);
    // A cookie's name, or a hash's cost under a salt's name (`BCRYPT_SALT || 10`): known values.
    let token_name = variable.default.as_deref().is_some_and(|d| {
        token_names::names_where_a_token_goes(&variable.name, d) || secrets::is_work_factor(&variable.name, d)
    });
    if token_name && variable.why.as_deref().is_some_and(|why| why.starts_with("its name")) {
        variable.secret = false;
        variable.why = None;
    }
    let by_default = || variable.default.as_deref().and_then(secrets::secret_by_default);
    if !variable.secret
        && !switch
        && !token_name
        && let Some(why) = secret_by_name(&variable.name).or_else(by_default)
    {
        variable.secret = true;
        variable.why = Some(why);
    }
    variable
}

/// The names the running app's code parses as a number or a flag: never secrets by name.
fn plain_values(reads: &[VariableRead]) -> std::collections::HashSet<String> {
    reads
        .iter()
        .filter(|r| r.plain_value && scope::of(&r.source) == VariableScope::Runtime)
        .map(|r| r.name.clone())
        .collect()
}

/// The names a schema in the running app declares optional or gives a default: never required.
fn declared_optional(reads: &[VariableRead]) -> std::collections::HashSet<String> {
    reads
        .iter()
        .filter(|r| r.optional && is_variable_name(&r.name) && scope::of(&r.source) == VariableScope::Runtime)
        .map(|r| r.name.clone())
        .collect()
}

/// `REVERSE_PROXY_AUTH=false` and `DEMO_KEY=True` switch a kind of login or a mode on or off;
/// they hold no credential. (`SALTED_PASS=False` is a password's hash that is simply unset, and
/// a number may be a PIN: both stay secrets.)
/// A variable whose default is `true` is a switch on, whatever its name says
/// (`PREFETCH_SECRET=true`, `OFFICE_DOCUMENTOPENPASSWORD=true`); `false` may stand for "no
/// password" (`os.getenv("SALTED_PASS", False)`), so only an `_AUTH` or `_KEY` name is a
/// switch off.
fn is_switch(variable: &CodeVariable) -> bool {
    let upper = variable.name.to_ascii_uppercase();
    match variable.default.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("true") => true,
        Some("false") => upper.ends_with("_AUTH") || upper.ends_with("_KEY"),
        _ => false,
    }
}

/// The variables as they may be shown: a secret committed with the code is still a secret, so
/// its default says there is one, never what it is.
pub fn with_secret_defaults_hidden(mut variables: Vec<CodeVariable>) -> Vec<CodeVariable> {
    for variable in variables.iter_mut() {
        match &variable.default {
            // A library's built-in address is no value of the code's: it is shown as it is.
            Some(default) if variable.secret && !secrets::is_library_default(default) => {
                variable.default = Some(secrets::COMMITTED.into())
            }
            // A password inside a URL or a connection string is masked wherever it sits.
            Some(default) => variable.default = Some(crate::userdata::redact(default).text),
            None => {}
        }
    }
    variables
}

/// `DATABASE_URL`, `port`, `Jwt_Secret`: a name a shell could export, with a letter in it.
fn is_variable_name(name: &str) -> bool {
    name.len() >= 2
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.chars().any(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_of_one_name_merge() {
        let variables = judge(vec![
            VariableRead::new("PORT", "scripts/seed.js:3"),
            VariableRead::new("PORT", "src/server.js:9").with_default(Some("3000".into())),
            VariableRead::new("SESSION_SECRET", "src/app.js:4").required(true),
            VariableRead::new("SESSION_SECRET", "src/app.js:5").with_default(Some("keyboard cat".into())),
            VariableRead::new("LOG", "migrations/1.js:1"),
            VariableRead::new("SEEDED", "scripts/seed.js:1").with_default(Some("localhost".into())),
            VariableRead::new("SEEDED", "src/app.js:3").required(true),
        ]);
        let seeded = &variables[3];
        assert_eq!((seeded.default.as_deref(), seeded.required), (None, true), "a script's default is not the app's");
        let port = &variables[0];
        assert_eq!(
            (port.scope, port.default.as_deref(), port.required, port.source.as_str()),
            (VariableScope::Runtime, Some("3000"), false, "src/server.js:9")
        );
        let secret = &variables[1];
        assert!(secret.secret && !secret.required, "a default anywhere means it can start without one");
        let shown = with_secret_defaults_hidden(variables.clone());
        assert_eq!(shown[1].default.as_deref(), Some(secrets::COMMITTED), "the committed value is not shown");
        let url = judge(vec![
            VariableRead::new("SPRING_DATASOURCE_URL", "a.yml:1")
                .with_default(Some("jdbc:mysql://db/shop?user=app&password=Tr0ub4dor".into())),
        ]);
        let shown = with_secret_defaults_hidden(url);
        assert!(!shown[0].default.as_deref().unwrap_or("").contains("Tr0ub4dor"), "{shown:?}");
        assert_eq!(variables[2].scope, VariableScope::Tooling);
        let settings = judge(vec![
            VariableRead::new("SECRET_KEY", "app/settings/base.py:30"),
            VariableRead::new("SECRET_KEY", "app/settings/development.py:6").with_default(Some("dev-key".into())),
            VariableRead::new("VERSION", "src/server.ts:3"),
            VariableRead::new("VERSION", "extra/update-version.ts:5").required(true),
        ]);
        let judged: Vec<(Option<&str>, bool)> = settings.iter().map(|v| (v.default.as_deref(), v.required)).collect();
        assert_eq!(judged, [(None, false), (None, false)], "a development file's default or demand is not the app's");
    }

    #[test]
    fn a_switch_is_no_secret_whatever_its_name() {
        let variables = judge(vec![
            VariableRead::new("REVERSE_PROXY_AUTH", "settings.py:3").with_default(Some("False".into())),
            VariableRead::new("ADMIN_PASSWORD", "server.js:9").with_default(Some("1234".into())),
            VariableRead::new("SALTED_PASS", "auth.py:3").with_default(Some("False".into())),
            VariableRead::new("TWILIO_AUTH", "server.js:4"),
            VariableRead::new("DEMO_KEY", "settings.py:8").with_default(Some("True".into())),
        ]);
        let secret: Vec<(&str, bool)> = variables.iter().map(|v| (v.name.as_str(), v.secret)).collect();
        assert_eq!(
            secret,
            [
                ("REVERSE_PROXY_AUTH", false),
                ("ADMIN_PASSWORD", true),
                ("SALTED_PASS", true),
                ("TWILIO_AUTH", true),
                ("DEMO_KEY", false)
            ]
        );
    }
}
