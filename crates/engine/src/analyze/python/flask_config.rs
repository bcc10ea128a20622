//! The configuration class a Flask app loads when nothing chooses one:
//! `create_app(os.getenv("FLASK_CONFIG") or "default")` picks `config["default"]`, and when that
//! class is the development one (`DEBUG = True`), the service runs with the debugger on unless
//! the operator knows to set the variable.

use super::EXTENSIONS;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::code_lines;
use crate::analyze::variables::literal;
use crate::model::Finding;

/// A `debug-default` blocker when the configuration class chosen by default sets `DEBUG = True`.
pub(super) fn findings(files: &AppFiles, findings: &mut Vec<Finding>) {
    let Some((variable, name)) = chosen_by_default(files) else { return };
    let Some(class) = mapped_class(files, &name) else { return };
    let Some(at) = debug_line(files, &class) else { return };
    let production = mapped_key(files, "Production");
    let fix = match production {
        Some(key) => format!("set {variable}={key} on the service"),
        None => format!("set {variable} on the service to a configuration without DEBUG"),
    };
    findings.push(
        Finding::blocker(
            "debug-default",
            format!(
                "the app loads {class} unless {variable} is set, and it sets DEBUG = True: the app shows stack traces and its debugger to anyone"
            ),
            at,
        )
        .with_fix(fix),
    );
}

/// The variable that chooses the configuration and the name used without it:
/// `create_app(os.getenv('FLASK_CONFIG') or 'default')`, `create_app(os.environ.get("APP_CONFIG", "default"))`.
fn chosen_by_default(files: &AppFiles) -> Option<(String, String)> {
    code_lines(files, &EXTENSIONS).find_map(|(_, line)| {
        let (_, call) = line.split_once("create_app(")?;
        let (_, read) = call.split_once("getenv(").or_else(|| call.split_once("environ.get("))?;
        let variable = literal(read)?;
        let rest = read.trim_start().get(variable.len() + 2..)?.trim_start();
        let name = match rest.strip_prefix(',') {
            Some(default) => literal(default)?,
            None => literal(rest.strip_prefix(')')?.trim_start().strip_prefix("or")?)?,
        };
        Some((variable, name))
    })
}

/// The class a configuration map gives for `key`: `'default': DevelopmentConfig`.
fn mapped_class(files: &AppFiles, key: &str) -> Option<String> {
    code_lines(files, &EXTENSIONS).find_map(|(_, line)| {
        let rest = line
            .trim()
            .strip_prefix(&format!("'{key}'"))
            .or_else(|| line.trim().strip_prefix(&format!("\"{key}\"")))?;
        let class = rest.trim_start().strip_prefix(':')?.trim().trim_end_matches(',').trim();
        (!class.is_empty() && class.chars().all(|c| c.is_alphanumeric() || c == '_')).then(|| class.to_string())
    })
}

/// The key of the configuration map whose class name contains `word` (`'production'`).
fn mapped_key(files: &AppFiles, word: &str) -> Option<String> {
    code_lines(files, &EXTENSIONS).find_map(|(_, line)| {
        let (key, class) = line.trim().split_once(':')?;
        let key = literal(key)?;
        (class.trim().trim_end_matches(',').contains(word) && !key.is_empty()).then_some(key)
    })
}

/// The `path:line` where `class` sets `DEBUG = True` in its body.
fn debug_line(files: &AppFiles, class: &str) -> Option<String> {
    let mut inside = false;
    for (at, line) in code_lines(files, &EXTENSIONS) {
        if !line.starts_with([' ', '\t']) && !line.trim().is_empty() {
            inside = line.starts_with(&format!("class {class}(")) || line.starts_with(&format!("class {class}:"));
            continue;
        }
        if inside && line.trim().replace(' ', "") == "DEBUG=True" {
            return Some(at);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_development_class_chosen_by_default() {
        let settings = "class Base:\n    DEBUG = False\n\nclass LocalConfig(Base):\n    DEBUG = True\n\nclass LiveConfig(Base):\n    pass\n\nconfigs = {\n    'live': LiveConfig,\n    'default': LocalConfig,\n}\n";
        let app = "from shop import create_app\napp = create_app(os.getenv('SHOP_CONFIG') or 'default')\n";
        let files = AppFiles::from_pairs([("settings.py", settings), ("run.py", app)]);
        let mut found = Vec::new();
        findings(&files, &mut found);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].kind.as_str(), found[0].source.as_str()), ("debug-default", "settings.py:5"));
        assert!(found[0].message.contains("LocalConfig unless SHOP_CONFIG"), "{}", found[0].message);
    }
}
