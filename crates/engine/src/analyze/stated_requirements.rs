//! Variables the code demands by hand, where no read of them says so: a fatal message that
//! names them (`log.Fatal("APP_EXTERNAL_IP must be set")`, `throw new Error('JWT_KEY is
//! required')`), or a check at a module's top that exits when a setting the config module
//! fills from them is empty (`if (config.dbUrl == null) { process.exit(1) }`).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::lazy_demands;
use super::logged_absence;
use super::readiness;
use super::source::is_test_path;
use super::switched_demands;
use super::variables::scope_of;
use crate::model::{CodeVariable, Finding, VariableScope};

const CODE: [&str; 9] = ["js", "mjs", "cjs", "ts", "mts", "py", "go", "java", "kt"];

/// What a message says of a setting it demands.
const DEMANDS: [&str; 9] = [
    "must be set",
    "is required",
    "are required",
    "required but not set",
    "is not set",
    "must be provided",
    "must be defined",
    "needs to be set",
    "is missing",
];

/// What stops the process (or refuses the request that needs the setting).
const STOPS: [&str; 8] = ["throw", "fatal", "Fatal", "panic(", "exit(", "raise ", "ImproperlyConfigured", "abort("];

static LITERAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""([^"\\]*)"|'([^'\\]*)'|`([^`\\]*)`"#).expect("valid pattern"));
static NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b").expect("valid pattern"));
/// `if (config.dbUrl == null)`, `if (!settings.secret)`, `if cfg.Key == ""` at a module's top.
static EMPTY_CHECK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^if\s*\(?\s*(?:!\s*)?[A-Za-z_$][\w$]*\.([A-Za-z_$][\w$]*)\s*(?:\)|===?\s*(?:null|undefined|""|'')|$|\{)"#,
    )
    .expect("valid pattern")
});

/// A `required-env` blocker for each demand no read already makes required, unless the
/// service sets one of the names.
pub fn findings(
    files: &AppFiles,
    variables: &[CodeVariable],
    set: impl Fn(&str) -> bool,
    already: &[Finding],
) -> Vec<Finding> {
    let runtime: BTreeMap<&str, &CodeVariable> =
        variables.iter().filter(|v| v.scope == VariableScope::Runtime).map(|v| (v.name.as_str(), v)).collect();
    let judged = |names: &[String]| {
        !names.is_empty()
            && names.iter().all(|n| runtime.get(n.as_str()).is_some_and(|v| v.default.is_none() && !v.required))
            && !names.iter().any(|n| set(n))
            && !already.iter().any(|f| f.kind == "required-env" && names.iter().any(|n| f.message.contains(n.as_str())))
    };
    let mut found: Vec<Finding> = Vec::new();
    let running = |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime;
    for (path, text) in files.with_extensions(&CODE).filter(|(path, _)| running(path)) {
        let lines: Vec<&str> = text.lines().collect();
        let django = text.contains("INSTALLED_APPS") || text.contains("ROOT_URLCONF");
        for index in 0..lines.len() {
            let (names, said) = stated(&lines, index)
                .filter(|_| !lazy_demands::only_when_used(files, path, &lines, index))
                .filter(|_| !switched_demands::behind_off_switch(files, path, &lines, index, &runtime))
                .filter(|(names, _)| !names.iter().all(|n| logged_absence::only_logged(files, n)))
                .map(|(names, said)| (names, Some(said)))
                .or_else(|| django.then(|| django_secret_key(lines[index])).flatten().map(|n| (n, None)))
                .or_else(|| checked_setting(files, &lines, index, &runtime).map(|n| (n, None)))
                .unwrap_or_default();
            if judged(&names) && !found.iter().any(|f| names.iter().any(|n| f.message.contains(n.as_str()))) {
                let secret = names.iter().all(|n| runtime.get(n.as_str()).is_some_and(|v| v.secret));
                let finding = demand(&names, said, secret, format!("{path}:{}", index + 1));
                found.push(finding);
            }
        }
    }
    found
}

/// The blocker for a demand of `names` (alternatives, when more than one), quoting what the
/// code `said` when it names several: the message knows how they combine.
fn demand(names: &[String], said: Option<&str>, secret: bool, at: String) -> Finding {
    let mut finding = readiness::required_env(&names.join(" or "), at);
    if secret && names.len() == 1 {
        finding.message = finding.message.replacen("requires ", "requires the secret ", 1);
        finding.fix = Some(format!("give its value with --secret {0}=env:VAR or --secret {0}=file:PATH", names[0]));
    } else if names.len() > 1 {
        finding.message = match said {
            Some(said) => {
                format!("the code stops without {} and nothing sets them; it says: \"{said}\"", names.join(", "))
            }
            None => format!(
                "the code stops unless {} is set, and nothing sets them: the app will not start without one",
                names.join(" or ")
            ),
        };
        finding.fix = Some(format!("set {} on the service", names.join(" or ")));
    }
    finding
}

/// The names a fatal message on line `index` demands: every upper-case name in a literal that
/// says it must be set, when the line or the three before it stop the process. A demand under
/// a condition (`... must be set if the external server is used`) is not one at start.
fn stated<'a>(lines: &[&'a str], index: usize) -> Option<(Vec<String>, &'a str)> {
    let line = lines[index];
    let code = line.trim_start();
    if code.starts_with("//") || code.starts_with('#') {
        return None;
    }
    let message = LITERAL.captures_iter(line).find_map(|c| {
        let text = c.get(1).or(c.get(2)).or(c.get(3))?.as_str();
        let lower = text.to_ascii_lowercase();
        // `Missing MONGODB_URI or required alternate environment variables`, said by the module
        // as it loads: in a function (a request handler) it stops only that request.
        let missing = lower.starts_with("missing ") && !in_a_function(lines, index);
        let demands = DEMANDS.iter().any(|d| lower.contains(d)) || missing;
        // `Both X and Y must be set to enable memory limits`: a pair demanded only together,
        // for a feature that is off without them.
        let conditional =
            [" if ", " when ", " unless ", " for ", " to enable", " to use "].iter().any(|w| lower.contains(w))
                || lower.starts_with("both ")
                || lower.contains(" both ");
        (demands && !conditional).then_some(text)
    })?;
    let stops = lines[index.saturating_sub(3)..=index].iter().any(|l| STOPS.iter().any(|s| l.contains(s)));
    if !stops {
        return None;
    }
    let mut names: Vec<String> = NAME.find_iter(message).map(|m| m.as_str().to_string()).collect();
    names.dedup();
    Some((names, message))
}

/// Whether line `index` sits in a function's body: a block opened by `function`, an arrow
/// (`=> {`), a method head, or a Python `def`.
fn in_a_function(lines: &[&str], index: usize) -> bool {
    super::enclosing::enclosing_lines(lines, index).any(|(_, line)| {
        let code = line.trim();
        code.contains("function")
            || code.contains("=>")
            || code.starts_with("def ")
            || code.starts_with("async def ")
            || (code.ends_with('{')
                && code.contains(") {")
                && !["if", "for", "while", "switch", "catch", "} else"].iter().any(|w| code.starts_with(w)))
    })
}

/// The variable a Django settings module's `SECRET_KEY` comes from with no value to fall back
/// to (`env("SECRET_KEY", default=None)`): Django refuses to start with an empty key.
fn django_secret_key(line: &str) -> Option<Vec<String>> {
    let value = line.strip_prefix("SECRET_KEY")?.trim_start().strip_prefix('=')?;
    let read = ["env(", "getenv(", "environ.get(", "config(", "env.str("].iter().any(|r| value.contains(r));
    let arguments = value.split_once('(')?.1;
    let name = LITERAL.captures(arguments)?;
    let name = name.get(1).or(name.get(2))?.as_str();
    let after_name = arguments.split_once(name)?.1.trim_start_matches(['"', '\'']).trim_start();
    let no_default = after_name.starts_with(')') || value.contains("default=None") || value.contains("default=\"\"");
    (read && no_default).then(|| vec![name.to_string()])
}

/// The names behind a setting a check at a module's top on line `index` exits without:
/// `if (config.dbUrl == null) {` then `process.exit(1)` within three lines, where a config
/// module fills `dbUrl:` from the names.
fn checked_setting(
    files: &AppFiles,
    lines: &[&str],
    index: usize,
    runtime: &BTreeMap<&str, &CodeVariable>,
) -> Option<Vec<String>> {
    let key = EMPTY_CHECK.captures(lines[index])?.get(1)?.as_str();
    let body = &lines[index + 1..lines.len().min(index + 4)];
    if !body.iter().any(|l| l.contains("exit(") || l.contains("throw ") || l.contains("log.Fatal")) {
        return None;
    }
    let filled = |variable: &CodeVariable| {
        let (path, line) = variable.source.rsplit_once(':')?;
        let text = files.get(path)?.lines().nth(line.parse::<usize>().ok()?.checked_sub(1)?)?;
        let filled = text.trim_start().strip_prefix(key)?.trim_start().starts_with(':');
        filled.then_some(variable.name.clone())
    };
    let names: Vec<String> = runtime.values().filter_map(|v| filled(v)).collect();
    (!names.is_empty()).then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variable(name: &str, source: &str) -> CodeVariable {
        CodeVariable::read_at(name, source)
    }

    #[test]
    fn fatal_messages_and_checked_settings() {
        let files = AppFiles::from_pairs([
            (
                "config/config.go",
                "func Get() {\n\tif len(cfg.ExternalIP) > 0 {\n\t} else {\n\t\tlogs = append(logs, futureFatal(\"APP_EXTERNAL_IP or APP_TURN_IP must be set\"))\n\t}\n\tif cfg.Secret == \"\" {\n\t\tlog.Warn(\"APP_SECRET must be set if sessions should survive\")\n\t}\n}\n",
            ),
            // The config getter runs at start: main calls it.
            ("main.go", "func main() {\n\tcfg := config.Get()\n\tserve(cfg)\n}\n"),
            ("src/config.js", "module.exports = {\n  dbUrl: process.env.APP_DB || process.env.DB_URI,\n};\n"),
            ("src/index.js", "if (config.dbUrl == null) {\n  log.error('no database');\n  process.exit(1)\n}\n"),
            ("site/settings.py", "INSTALLED_APPS = []\nSECRET_KEY = env(\"APP_SECRET_KEY\", default=None)\n"),
            (
                "core/rlimit.py",
                "def validate(soft, hard):\n    if soft is None and hard is not None:\n        raise ImproperlyConfigured(\n            \"Both `SOFT_LIMIT_MB` and `HARD_LIMIT_MB` must be set to enable memory limits.\"\n        )\n",
            ),
            (
                "src/keys.js",
                "  get SIGNING_KEY() {\n    if (!process.env.SIGNING_KEY) {\n      throw new Error(\n        'SIGNING_KEY environment variable is required but not set.'\n      )\n    }\n  },\n",
            ),
        ]);
        let variables = [
            variable("APP_EXTERNAL_IP", "config/config.go:2"),
            variable("APP_TURN_IP", "config/config.go:2"),
            variable("APP_SECRET", "config/config.go:6"),
            variable("APP_DB", "src/config.js:2"),
            variable("DB_URI", "src/config.js:2"),
            variable("SIGNING_KEY", "src/keys.js:2"),
            variable("SOFT_LIMIT_MB", "settings.py:3"),
            variable("HARD_LIMIT_MB", "settings.py:4"),
            variable("APP_SECRET_KEY", "site/settings.py:2"),
        ];
        let found = findings(&files, &variables, |_| false, &[]);
        let sources: Vec<(&str, &str)> = found.iter().map(|f| (f.kind.as_str(), f.source.as_str())).collect();
        assert_eq!(
            sources,
            [
                ("required-env", "config/config.go:4"),
                ("required-env", "site/settings.py:2"),
                ("required-env", "src/index.js:1"),
                ("required-env", "src/keys.js:4")
            ]
        );
        assert!(found[0].message.contains("APP_EXTERNAL_IP, APP_TURN_IP"), "{}", found[0].message);
        assert!(found[2].message.contains("APP_DB or DB_URI"), "{}", found[2].message);
        // Set on the service, nothing to say.
        assert!(findings(&files, &variables, |n| n == "SIGNING_KEY", &[]).len() == 3);
    }
}
