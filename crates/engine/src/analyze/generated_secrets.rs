//! Secrets the code generates at start when their variable is unset:
//! `process.env.SESSION_SECRET || crypto.randomBytes(32)`, `os.environ.get("SECRET_KEY") or
//! secrets.token_hex()`, `if not key: key = uuid4().hex`, Spring's `${JWT_SECRET:${random.uuid}}`.
//! On one instance that works (until a restart logs everyone out); behind a load balancer each
//! task signs sessions and tokens with a key of its own, so a user bounces between tasks that
//! refuse each other's cookies. The variable must be set, the same for every task.

use std::sync::LazyLock;

use regex::Regex;

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;
use crate::analyze::variables::{VariableRead, scope_of, secret_by_name};
use crate::model::{Finding, VariableScope};

/// Calls that make a fresh random value.
pub(super) const GENERATORS: &str = r"generate_key|randomBytes|randomUUID|uuidv4|uuid4|v4|nanoid|token_hex|token_urlsafe|token_bytes|urandom|get_random_secret_key|randomString|random_string|generateSecret|GenerateRandomKey|NewString|randomAlphanumeric|SystemRandom|get_random_string";

/// A read of a named variable whose own fallback is a generator:
/// `process.env.X || gen(`, `getenv("X") or gen(`, `env("X", default=gen(`.
static FALLBACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?:process\.env\.([A-Z][A-Z0-9_]*)|['"]([A-Z][A-Z0-9_]*)['"]\s*\]?\s*\)?)\s*(?:,\s*(?:default\s*=\s*)?|\|\||\?\?|\bor\b)\s*(?:[\w$]+\.)*(?:{GENERATORS})\s*\("#
    ))
    .expect("valid pattern")
});
/// A variable given a read: `let secret = process.env.X`, `key = os.getenv("X")`,
/// `secret := os.Getenv("X")`, `let key = getEnvVariable('X')` (an app's own getter).
static ASSIGNED_READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z_$][\w$.]*)\s*:?=\s*(?:process\.env\.([A-Z][A-Z0-9_]*)|[^;\n=]*?(?:getenv|getEnv\w*|environ\.get|environ\[|Getenv|LookupEnv|env\.get)\(?\s*['"]([A-Z][A-Z0-9_]*)['"])"#)
        .expect("valid pattern")
});
/// A generated value put into the environment for the rest of the app to read:
/// `process.env.SECRET = secret`, `os.environ["SECRET_KEY"] = token_hex()`,
/// `os.environ.setdefault("SECRET_KEY", key)`.
static ENVIRONMENT_ASSIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:process\.env\.([A-Z][A-Z0-9_]*)\s*=[^=]\s*|os\.environ\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]\s*=[^=]\s*|os\.environ\.setdefault\(\s*['"]([A-Z][A-Z0-9_]*)['"]\s*,\s*)(.*)"#)
        .expect("valid pattern")
});
pub(super) static GENERATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\b(?:{GENERATORS})\s*\(")).expect("valid pattern"));

pub(super) const CODE: [&str; 10] = ["js", "mjs", "cjs", "ts", "mts", "jsx", "tsx", "py", "go", "rb"];

/// Why a variable whose absence makes the code generate a key is a secret.
const GENERATED_PER_PROCESS: &str = "a signing key the app generates per process when unset";

/// The variables whose absence makes the code generate a secret, each required: every task
/// needs the same value.
pub fn reads(files: &AppFiles) -> Vec<VariableRead> {
    sites(files)
        .into_iter()
        .map(|(name, source)| {
            let mut read = VariableRead::new(name, source).required(true);
            read.secret_use = Some(GENERATED_PER_PROCESS.into());
            read.generated_when_unset = true;
            read
        })
        .collect()
}

/// Whether the file that makes the key throws in production when the real one is missing
/// (`if (process.env.NODE_ENV === 'production') throw ...`): the random key is only a
/// development fallback, and a task without the secret stops instead of using it.
fn refused_in_production(files: &AppFiles, source: &str) -> bool {
    let path = source.rsplit_once(':').map_or(source, |(path, _)| path);
    let Some(text) = files.get(path) else { return false };
    let lines: Vec<&str> = text.lines().collect();
    lines.iter().enumerate().any(|(index, line)| {
        let production =
            line.contains("NODE_ENV") && (line.contains("'production'") || line.contains("\"production\""));
        production && line.contains("===") && lines.iter().skip(index).take(4).any(|l| l.contains("throw "))
    })
}

/// A warning for each such secret, at the line that generates it: the variables above, and
/// the app's own settings filled with a generated key (`config.secretSession =
/// randomBytes(...)` when empty, `app.enc_key = generate_key()` at start).
pub fn findings(files: &AppFiles, start: &[String]) -> Vec<Finding> {
    // A key made under `if __name__ == "__main__":` of a script the start does not run (a
    // tester beside the app) is never made by the server.
    let served = |source: &String| !super::script_main::only_when_run_as_script(files, source, start);
    let variable_sites: Vec<(String, String)> = sites(files).into_iter().filter(|(_, at)| served(at)).collect();
    let settings: Vec<(String, String)> = super::generated_settings::sites(files)
        .into_iter()
        .filter(|(_, source)| !variable_sites.iter().any(|(_, at)| at == source) && served(source))
        .filter(|(_, source)| !refused_in_production(files, source))
        .collect();
    let variables = variable_sites.into_iter().map(|(name, source)| {
        let what = format!("without {name} the app generates a random key at start");
        (what, format!("set {name} on the service from Secrets Manager, the same value for every task"), source)
    });
    let settings = settings.into_iter().map(|(target, source)| {
        let what = format!("the app fills {target} with a random key each time it starts");
        (
            what,
            format!("read {target} from a variable the service sets from Secrets Manager, the same for every task"),
            source,
        )
    });
    variables
        .chain(settings)
        .map(|(what, fix, source)| {
            // As with sessions held in memory: Express Mode runs two tasks at once in every
            // canary deployment and whenever it scales out, so this breaks logins for certain.
            Finding::blocker(
                "per-process-secret",
                format!(
                    "{what}: each task signs sessions and tokens (or encrypts) with its own, so users are logged out when the load balancer sends them to another task (a canary deployment always runs two), and at every restart"
                ),
                source,
            )
            .with_fix(fix)
        })
        .collect()
}

/// Each variable (once) with the line where a missing value is replaced by a random one, in
/// the running app's code and Spring config.
fn sites(files: &AppFiles) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    let running = |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime;
    for (path, text) in files.with_extensions(&CODE).filter(|(path, _)| running(path)) {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let at = || format!("{path}:{}", index + 1);
            for captures in FALLBACK.captures_iter(line).filter(|_| !persisted(&lines, index)) {
                let name = captures.get(1).or(captures.get(2)).map_or("", |m| m.as_str());
                push(&mut found, name, at());
            }
            if let Some(name) = generated_into_environment(&lines, index) {
                push(&mut found, &name, at());
            }
            if let Some((name, generated)) = generated_after(&lines, index, path.ends_with(".py"))
                && !persisted(&lines, generated)
            {
                push(&mut found, &name, format!("{path}:{}", generated + 1));
            }
        }
    }
    found.extend(spring_random_values(files));
    found
}

/// The variable line `index` sets to a generated value: the call itself, or a name given one
/// a few lines above (`const secret = randomBytes(32)...; process.env.SECRET = secret`). A key
/// then also written to a file is still the task's own: the next task's disk has another.
fn generated_into_environment(lines: &[&str], index: usize) -> Option<String> {
    let captures = ENVIRONMENT_ASSIGNED.captures(lines[index])?;
    let name = captures.get(1).or(captures.get(2)).or(captures.get(3))?.as_str().to_string();
    let value = captures.get(4).map_or("", |m| m.as_str()).trim().trim_end_matches([';', ')']).trim();
    let generated = GENERATOR.is_match(value)
        || (value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
            && !value.is_empty()
            && lines[index.saturating_sub(6)..index].iter().any(|l| mentions(l, value) && GENERATOR.is_match(l)));
    generated.then_some(name)
}

/// Whether the key generated on line `index` is stored right away where every task reads it
/// (`settings.tokenSecret = key; await db.updateSettings()`): generated once and kept, so the
/// variable is neither required nor a per-process secret. A file on the task's own disk is
/// not such a place.
fn persisted(lines: &[&str], index: usize) -> bool {
    lines[index..lines.len().min(index + 4)].iter().any(|line| {
        let lower = line.to_ascii_lowercase();
        ["save(", "persist", "insert(", "upsert"].iter().any(|w| lower.contains(w))
            || (lower.contains("update") && lower.contains("setting"))
    })
}

/// `secret = os.getenv("X")` at `index`, then within a few lines a check of `secret` that
/// gives it a generated value: the variable and the generating line. In a Python function,
/// a generator anywhere in the rest of the function is the fallback (`return env_key`, else
/// `return b64encode(os.urandom(32))`).
fn generated_after(lines: &[&str], index: usize, python: bool) -> Option<(String, usize)> {
    let captures = ASSIGNED_READ.captures(lines[index])?;
    let holder = captures[1].rsplit('.').next().unwrap_or(&captures[1]).to_string();
    let name = captures.get(2).or(captures.get(3))?.as_str().to_string();
    let indent = |line: &str| line.len() - line.trim_start().len();
    // The function the read is in: the nearest `def` above at a smaller depth, up to the next
    // line back at that depth (a nested view's neighbours are other functions).
    let def_depth = lines[..index]
        .iter()
        .rev()
        .find(|l| {
            let code = l.trim_start();
            (code.starts_with("def ") || code.starts_with("async def ")) && indent(l) < indent(lines[index])
        })
        .map(|l| indent(l));
    let in_function = python && def_depth.is_some();
    let function_end = (index + 1..lines.len().min(index + 60))
        .find(|&i| !lines[i].trim().is_empty() && def_depth.is_some_and(|depth| indent(lines[i]) <= depth))
        .unwrap_or(lines.len().min(index + 60));
    let end = if in_function { function_end } else { lines.len().min(index + 8) };
    let generated = (index + 1..end).find(|&i| {
        GENERATOR.is_match(lines[i])
            && (in_function || lines[i.saturating_sub(2)..=i].iter().any(|l| mentions(l, &holder)))
    })?;
    Some((name, generated))
}

pub(super) fn mentions(line: &str, word: &str) -> bool {
    line.match_indices(word).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + word.len()..].chars().next();
        let part = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        !part(before) && !part(after)
    })
}

/// Spring's `${random.value}` or `${random.uuid}` as a secret's value or a placeholder's
/// default (`jwt.secret: ${JWT_SECRET:${random.uuid}}`).
fn spring_random_values(files: &AppFiles) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, text) in files.with_extensions(&["yml", "yaml", "properties"]) {
        let name = path.rsplit('/').next().unwrap_or(path);
        if !name.starts_with("application") || is_test_path(path) {
            continue;
        }
        let entries: Vec<(usize, String, String)> = if path.ends_with(".properties") {
            let pairs = text.lines().enumerate().filter_map(|(i, l)| l.split_once('=').map(|(k, v)| (i + 1, k, v)));
            pairs.map(|(line, key, value)| (line, key.trim().to_string(), value.trim().to_string())).collect()
        } else {
            crate::analyze::yaml_leaves::yaml_leaves(text)
        };
        for (line, key, value) in entries.into_iter().filter(|(_, _, value)| value.contains("${random.")) {
            let placeholder = value.strip_prefix("${").and_then(|v| v.split_once(':')).map(|(name, _)| name.trim());
            let variable = placeholder
                .filter(|p| p.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
                .map(str::to_string)
                .unwrap_or_else(|| key.replace('-', "").replace('.', "_").to_ascii_uppercase());
            push(&mut found, &variable, format!("{path}:{line}"));
        }
    }
    found
}

/// Records a site once per variable, when the variable holds a secret by its name (an app
/// name or an instance id generated when unset is no key anyone signs with).
fn push(found: &mut Vec<(String, String)>, name: &str, source: String) {
    if secret_by_name(name).is_some() && !found.iter().any(|(n, _)| n == name) {
        found.push((name.to_string(), source));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_generated_when_unset() {
        let files = AppFiles::from_pairs([
            ("server.js", "const secret = process.env.SESSION_SECRET || crypto.randomBytes(32).toString('hex');\n"),
            (
                "app/config.py",
                "import os, secrets\nSECRET_KEY = os.environ.get(\"SECRET_KEY\")\nif not SECRET_KEY:\n    SECRET_KEY = secrets.token_hex(32)\nTOKEN = os.getenv(\"API_TOKEN\", secrets.token_urlsafe())\nNAME = os.getenv(\"APP_NAME\") or uuid4().hex\n",
            ),
            ("src/main/resources/application.yml", "jwt:\n  secret: ${JWT_SECRET:${random.uuid}}\n"),
            ("scripts/seed.js", "const k = process.env.SEED_KEY || crypto.randomBytes(8);\n"),
            (
                "app/views.py",
                "def routes():\n    def page():\n        hide = os.getenv(\"SALTED_PASS\", False)\n        return hide\n\n    def reset():\n        token = secrets.token_hex(16)\n",
            ),
        ]);
        let found: Vec<(String, String)> = sites(&files);
        assert_eq!(
            found,
            [
                ("SECRET_KEY".to_string(), "app/config.py:4".to_string()),
                ("API_TOKEN".to_string(), "app/config.py:5".to_string()),
                ("SESSION_SECRET".to_string(), "server.js:1".to_string()),
                ("JWT_SECRET".to_string(), "src/main/resources/application.yml:2".to_string()),
            ]
        );
    }

    #[test]
    fn a_key_read_through_the_apps_own_getter_then_generated() {
        let text = "export const encrypt = (text) => {\n    let key = getEnvVariable('ENCRYPTION_KEY');\n    if (!key || key.length !== 64) {\n        console.warn('Invalid or missing ENCRYPTION_KEY, generating a new one.');\n        key = crypto.randomBytes(32).toString('hex');\n    }\n};\n";
        let files = AppFiles::from_pairs([("server/src/utils/auth.ts", text)]);
        assert_eq!(sites(&files), [("ENCRYPTION_KEY".to_string(), "server/src/utils/auth.ts:5".to_string())]);
    }

    #[test]
    fn a_django_key_made_from_system_random_characters_when_unset() {
        let text = "if \"SITE_SECRET_KEY\" in os.environ:\n    SECRET_KEY = os.environ[\"SITE_SECRET_KEY\"]\nelse:\n    print(\"no key\")\n    SECRET_KEY = \"\".join(\n        [random.SystemRandom().choice(string.printable) for i in range(50)]\n    )\n";
        let files = AppFiles::from_pairs([("site/settings/production.py", text)]);
        assert_eq!(sites(&files), [("SITE_SECRET_KEY".to_string(), "site/settings/production.py:6".to_string())]);
    }

    #[test]
    fn a_key_generated_into_the_environment_and_kept_on_local_disk() {
        let text = "const initSecret = () => {\n  if (process.env.SECRET) {\n    return;\n  }\n  const secret = crypto.randomBytes(32).toString('hex');\n  process.env.SECRET = secret;\n  fs.writeFileSync(secretPath, secret);\n};\n";
        let python =
            "os.environ.setdefault(\"SECRET_KEY\", secrets.token_hex(32))\nos.environ[\"API_TOKEN\"] = token\n";
        let files = AppFiles::from_pairs([("utils/initSecret.js", text), ("app/boot.py", python)]);
        assert_eq!(
            sites(&files),
            [
                ("SECRET_KEY".to_string(), "app/boot.py:1".to_string()),
                ("SECRET".to_string(), "utils/initSecret.js:6".to_string())
            ]
        );
    }
}
