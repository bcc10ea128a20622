//! The app's own settings filled with a random key at start, with no variable involved:
//! `if (!config.secretSession) { config.secretSession = crypto.randomBytes(20) }`,
//! `app.enc_key = generate_key()`, `app.config["SECRET_KEY"] = os.urandom(24)`. Each task then
//! holds a key of its own (see `generated_secrets`).

use std::sync::LazyLock;

use regex::Regex;

use super::generated_secrets::{CODE, GENERATOR, mentions};
use super::memory_stores::in_development_class;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;
use crate::analyze::variables::scope_of;
use crate::model::VariableScope;

/// `target = …` (not `==`), with the target: `config.secretSession`, `app.config['SECRET_KEY']`.
/// A Python annotation may stand between the target and `=` (`SECRET_KEY: str = ...`).
static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*(?:\.[\w$]+|\[['"][\w-]+['"]\])*)\s*(?::\s*[A-Za-z_][\w\[\], .|]*)?=[^=]"#,
    )
    .expect("valid pattern")
});
/// `"SECRET": make(...)`: a string key of a dict literal and its value.
static DICT_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*['"]([A-Za-z_]\w*)['"]\s*:\s*\S"#).expect("valid pattern"));
/// `def gen_secret_key():`: a Python function of the app, whose body may make a random key.
static PYTHON_DEF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^def\s+([A-Za-z_]\w*)\s*\(").expect("valid pattern"));

/// Each setting (once) with the line that generates its value.
pub fn sites(files: &AppFiles) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    let running = |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime;
    let generating = generating_functions(files);
    for (path, text) in files.with_extensions(&CODE).filter(|(path, _)| running(path)) {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            // `"SESSION_SECRET": determine_secrets(data_dir, ".session_secret")`: a settings entry
            // filled by the app's own key generator.
            if let Some(key) = DICT_ENTRY.captures(line).map(|c| c[1].to_string())
                && key.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                && is_key_setting(&key)
                && generating.iter().any(|name| calls(line, name))
                && !found.iter().any(|(t, _)| *t == key)
            {
                found.push((key, format!("{path}:{}", index + 1)));
                continue;
            }
            let Some(target) = ASSIGNMENT.captures(line).map(|c| c[1].to_string()) else { continue };
            if !is_key_setting(&target) || found.iter().any(|(t, _)| *t == target) {
                continue;
            }
            // A key made in `class TestingConfig(BaseConfig):` is for the tests; the production
            // class production loads reads its own.
            if path.ends_with(".py") && in_development_class(&lines, index) {
                continue;
            }
            let at_start = line.len() == line.trim_start().len()
                || signs_sessions(&lines, index, &target)
                || target.starts_with("app.")
                || target.to_ascii_lowercase().contains("config")
                || path.ends_with(".py") && (in_class_body(&lines, index) || runs_at_import(&lines, index));
            // The value comes from a generator on this line, or from a local the lines above
            // just made with one (`const randomString = crypto.randomBytes(20)`).
            // A Python statement continued with `\` (`= from_config(...) \` then `or make_key()`).
            let continued =
                line.trim_end().ends_with('\\').then(|| lines.get(index + 1)).flatten().copied().unwrap_or("");
            let value = format!("{} {continued}", line.split_once('=').map_or("", |(_, value)| value));
            let value = value.as_str();
            let calls_generator = generating.iter().any(|name| calls(value, name));
            let made_above = (index.saturating_sub(3)..index).any(|i| {
                GENERATOR.is_match(lines[i]) && ASSIGNMENT.captures(lines[i]).is_some_and(|c| mentions(value, &c[1]))
            });
            if at_start && (GENERATOR.is_match(value) || made_above || calls_generator) {
                found.push((target, format!("{path}:{}", index + 1)));
            }
        }
    }
    found
}

/// Whether `code` calls the function `name` itself (`gen_key(`), not one ending in its name
/// (`regen_key(`) or a method of it.
fn calls(code: &str, name: &str) -> bool {
    let call = format!("{name}(");
    code.match_indices(&call).any(|(at, _)| {
        !code[..at].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    })
}

/// The app's top-level Python functions whose body makes a random key and gives it back
/// (`def gen_secret_key(): ... key = os.urandom(64) ... return key`), even when it first tries
/// a file on the task's own disk.
fn generating_functions(files: &AppFiles) -> Vec<String> {
    let mut names = Vec::new();
    for (_, text) in files.with_extensions(&["py"]).filter(|(path, _)| !is_test_path(path)) {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let Some(name) = PYTHON_DEF.captures(line).map(|c| c[1].to_string()) else { continue };
            let body: Vec<&str> = lines[index + 1..]
                .iter()
                .take_while(|l| l.trim().is_empty() || l.starts_with([' ', '\t']))
                .copied()
                .collect();
            // What it returns is the generated value: the call itself, or a name the body
            // assigned from one (`new_secret = secrets.token_hex(32)` … `return new_secret`).
            let generated: Vec<&str> = body
                .iter()
                .filter(|l| GENERATOR.is_match(l))
                .filter_map(|l| l.trim_start().split_once('=').map(|(target, _)| target.trim()))
                .collect();
            let returns_generated = body
                .iter()
                .filter_map(|l| l.trim_start().strip_prefix("return "))
                .any(|value| GENERATOR.is_match(value) || generated.contains(&value.trim()));
            if returns_generated {
                names.push(name);
            }
        }
    }
    names
}

/// Whether line `index` of Python sits directly in a top-level class's body (`class Settings:`
/// then `SECRET_KEY = secrets.token_urlsafe(32)`): Python runs it once, when the module is
/// imported at start, not per call as in a method.
fn in_class_body(lines: &[&str], index: usize) -> bool {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let own = indent(lines[index]);
    let parent = lines[..index].iter().rev().find(|line| !line.trim().is_empty() && indent(line) < own);
    parent.is_some_and(|line| indent(line) == 0 && line.starts_with("class "))
}

/// Whether Python line `index` runs once at start: at module level under `if`/`else`/`try`/
/// `with` only (Django settings' `else: SECRET_KEY = get_random_string(50)`), or in the
/// `__init__` of a config class (`class Config:` → `self.SECRET_KEY = os.urandom(32)`), which
/// the app builds once as it starts.
/// Whether the lines after `index` hand `target` to a session middleware as its secret
/// (`app.use(cookieSession({ secret: cookieSessionSecret }))`): sessions are set up once, when
/// the app starts, wherever the function that does it sits.
fn signs_sessions(lines: &[&str], index: usize, target: &str) -> bool {
    lines.iter().skip(index + 1).take(12).any(|line| {
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        [format!("secret:{target}"), format!("secret:[{target}")].iter().any(|given| {
            // The whole name: `secret:keyOld` is another variable.
            compact.match_indices(given.as_str()).any(|(at, _)| {
                !compact[at + given.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$')
            })
        })
    })
}

fn runs_at_import(lines: &[&str], index: usize) -> bool {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut own = indent(lines[index]);
    let mut in_init = false;
    for line in lines[..index].iter().rev().filter(|line| !line.trim().is_empty()) {
        // `) -> Hook:` at the margin closes a signature over several lines: the `def` is above.
        if indent(line) >= own || line.trim_start().starts_with(['#', ')', ']', '}']) {
            continue;
        }
        own = indent(line);
        let header = line.trim_start();
        if header.starts_with("def __init__(") && !in_init {
            in_init = true;
        } else if let Some(class) = header.strip_prefix("class ") {
            let name = class.split(['(', ':']).next().unwrap_or("");
            return in_init && own == 0 && (name.contains("Config") || name.contains("Settings"));
        } else if header.starts_with("def ") || header.starts_with("async def ") || in_init {
            return false;
        }
        if own == 0 {
            return !in_init;
        }
    }
    own == 0 && !in_init
}

/// A setting that holds a signing or encryption key: its last name says secret or key
/// (`secretSession`, `enc_key`, `SECRET_KEY`), not a token made per request or an id.
fn is_key_setting(target: &str) -> bool {
    let last = target.rsplit(['.', '[']).next().unwrap_or(target);
    let last = last.trim_matches(['\'', '"', ']']).to_ascii_lowercase();
    last.contains("secret") || last.ends_with("_key") || last.ends_with("key") && last.len() > 3 && last != "apikey"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_given_a_key_made_at_start() {
        let app = "if(!config.secretSession || config.secretSession === ''){\n    const randomString = crypto.randomBytes(20).toString('hex');\n    config.secretSession = randomString;\n}\nfunction reset(req) {\n    const resetKey = crypto.randomBytes(20).toString('hex');\n}\n";
        let python = "app = Flask(__name__)\napp.enc_key = generate_key()\napp.config['SECRET_KEY'] = os.urandom(24)\nSESSION_ID = uuid4().hex\n";
        let files = AppFiles::from_pairs([("app.js", app), ("app/__init__.py", python)]);
        assert_eq!(
            sites(&files),
            [
                ("config.secretSession".to_string(), "app.js:3".to_string()),
                ("app.enc_key".to_string(), "app/__init__.py:2".to_string()),
                ("app.config['SECRET_KEY']".to_string(), "app/__init__.py:3".to_string()),
            ],
            "a key made inside a request handler is that request's"
        );
    }

    #[test]
    fn a_key_a_session_middleware_signs_with_is_made_at_start() {
        let auth = "function initialize(app, options) {\n  const cookieSessionSecret = options.cookieSessionSecret || require('crypto').randomBytes(64).toString('hex');\n  app.use(require('cookie-session')({\n    key    : 'dash',\n    secret : cookieSessionSecret,\n  }));\n}\nfunction reset(req) {\n  const resetSecret = crypto.randomBytes(8);\n}\n";
        let files = AppFiles::from_pairs([("lib/auth.js", auth)]);
        assert_eq!(sites(&files), [("cookieSessionSecret".to_string(), "lib/auth.js:2".to_string())]);
    }

    #[test]
    fn a_key_made_in_a_function_with_a_long_signature_is_made_when_called() {
        let service = "def create_webhook(\n    config: Config,\n) -> Hook:\n    secret = secrets.token_urlsafe(32)\n    return Hook(secret=secret)\n";
        let lines: Vec<&str> = service.lines().collect();
        assert!(!runs_at_import(&lines, 3));
    }

    #[test]
    fn a_settings_class_attribute_is_made_at_import() {
        let settings = "import secrets\n\nclass Settings:\n    \"\"\"The app's settings.\"\"\"\n\n    APP_SECRET_KEY = secrets.token_urlsafe(32)\n\n    def reset(self):\n        reset_key = secrets.token_hex(8)\n";
        let files = AppFiles::from_pairs([("app/settings.py", settings)]);
        assert_eq!(sites(&files), [("APP_SECRET_KEY".to_string(), "app/settings.py:6".to_string())]);
    }

    #[test]
    fn a_class_attribute_given_a_key_by_the_apps_own_generator() {
        let config = "import os\n\n\ndef gen_secret_key():\n    try:\n        with open('.secret_key', 'rb') as f:\n            key = f.read()\n    except OSError:\n        key = None\n    if not key:\n        key = os.urandom(64)\n    return key\n\n\nclass ServerConfig(object):\n    SECRET_KEY: str = empty_str_cast(config_ini['server']['SECRET_KEY']) \\\n        or gen_secret_key()\n";
        let files = AppFiles::from_pairs([("shop/config.py", config)]);
        assert_eq!(sites(&files), [("SECRET_KEY".to_string(), "shop/config.py:16".to_string())]);
        let settings = "import secrets\n\n\ndef determine_secrets(data_dir, name):\n    path = data_dir / name\n    if path.is_file():\n        return path.read_text()\n    new_secret = secrets.token_hex(32)\n    path.write_text(new_secret)\n    return new_secret\n\n\ndef constructor():\n    values = {\n        \"SESSION_SECRET\": determine_secrets(data_dir, \".session_secret\"),\n        \"theme\": pick_theme(),\n    }\n";
        let files = AppFiles::from_pairs([("shop/settings.py", settings)]);
        assert_eq!(sites(&files), [("SESSION_SECRET".to_string(), "shop/settings.py:15".to_string())]);
    }

    #[test]
    fn a_key_made_in_a_settings_branch_or_a_config_constructor() {
        let settings = "if config.has_option('site', 'secret'):\n    SECRET_KEY = config.get('site', 'secret')\nelse:\n    SECRET_FILE = DATA_DIR / '.secret'\n    if SECRET_FILE.exists():\n        SECRET_KEY = SECRET_FILE.read_text()\n    else:\n        SECRET_KEY = get_random_string(50, chars)\n";
        let config = "import os\n\n\nclass Config(object):\n    \"\"\"The app's configuration.\"\"\"\n\n    def __init__(self):\n        self.SECRET_KEY = os.urandom(32)\n\n\nclass Handler:\n    def __init__(self):\n        self.reset_key = os.urandom(8)\n";
        let files = AppFiles::from_pairs([("shop/settings.py", settings), ("shop/config.py", config)]);
        let mut found = sites(&files);
        found.sort();
        assert_eq!(
            found,
            [
                ("SECRET_KEY".to_string(), "shop/settings.py:8".to_string()),
                ("self.SECRET_KEY".to_string(), "shop/config.py:8".to_string()),
            ]
        );
    }
}
