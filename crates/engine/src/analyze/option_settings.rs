//! Settings of one option among several that a setting picks: `SEARXNG_API_URL` when
//! `SEARCH_API` picks among `'tavily'`, `'searxng'` and `'exa'` (`case 'searxng':`,
//! `searchApi === 'searxng'`) and defaults to `'tavily'`. Until the operator picks that option
//! nothing needs them, so a demand for them (or their localhost default) is no blocker: a
//! warning that names the switch and what picks the option.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::source::is_test_path;
use crate::model::{CodeVariable, Finding, FindingLevel, VariableScope};

const CODE: [&str; 7] = ["js", "mjs", "cjs", "ts", "mts", "cts", "py"];

/// An option compared or matched: `=== 'searxng'`, `== "exa"`, `case 'brave':`.
static OPTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?:===?\s*|\bcase\s+)['"]([A-Za-z][\w-]*)['"]"#).expect("valid pattern"));

/// The switch found for an option: the setting, the value it has unless set, where the
/// options are matched.
struct Switch<'v> {
    setting: &'v CodeVariable,
    default: String,
    at: String,
}

/// Lowers each required-env or localhost-default blocker about settings all named for one
/// option that a switch picks only when set to it.
pub fn relax(files: &AppFiles, variables: &[CodeVariable], findings: &mut [Finding]) {
    let runtime: Vec<&CodeVariable> = variables.iter().filter(|v| v.scope == VariableScope::Runtime).collect();
    for finding in findings.iter_mut() {
        let kinds = ["required-env", "localhost-default-host"];
        if !kinds.contains(&finding.kind.as_str()) || finding.level != FindingLevel::Blocker {
            continue;
        }
        let named: Vec<&str> =
            runtime.iter().map(|v| v.name.as_str()).filter(|name| names(&finding.message, name)).collect();
        // The option the names share a first word with (`SEARXNG_API_URL`), or the one under
        // which the demanding class is made (`new GCSStorageProvider()` under `case 'gcs':`).
        let options = [shared_first_word(&named), option_constructing(files, &finding.source)];
        let Some((option, switch)) =
            options.into_iter().flatten().find_map(|o| switch_for(files, &runtime, &o).map(|s| (o, s)))
        else {
            continue;
        };
        finding.level = FindingLevel::Warning;
        let picked = format!(
            "only for the `{option}` option, which {} picks when set to it ({}); unless set it picks `{}`",
            switch.setting.name, switch.at, switch.default
        );
        finding.message = if finding.kind == "required-env" {
            format!("the code requires {} {picked}, and the app works without it", named.join(" and "))
        } else {
            format!("{}, but {picked}", finding.message)
        };
        finding.fix = Some(format!(
            "set {} on the service only if you set {} to `{option}`",
            named.join(" and "),
            switch.setting.name
        ));
    }
}

/// Whether `message` names the variable `name` as a whole word.
fn names(message: &str, name: &str) -> bool {
    message.match_indices(name).any(|(at, _)| {
        let before = message[..at].chars().next_back();
        let after = message[at + name.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}

/// The first word every name shares (`searxng` for `SEARXNG_API_URL`), long enough to be an
/// option's name rather than a common prefix.
fn shared_first_word(names: &[&str]) -> Option<String> {
    let first = |name: &str| name.split('_').next().unwrap_or("").to_ascii_lowercase();
    let word = first(names.first()?);
    (word.len() >= 4 && names.iter().all(|name| first(name) == word)).then_some(word)
}

/// The option under which another file constructs the class the finding's file defines:
/// `case 'gcs': instance = new GCSStorageProvider()` for a demand in `GCSStorageProvider.ts`,
/// whose settings are not named for the option (`GOOGLE_CLOUD_STORAGE_BUCKET_NAME`).
fn option_constructing(files: &AppFiles, source: &str) -> Option<String> {
    static CLASS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bclass\s+([A-Z]\w+)").expect("valid pattern"));
    let path = source.rsplit_once(':').map_or(source, |(path, _)| path);
    let classes: Vec<String> = CLASS.captures_iter(files.get(path)?).map(|c| c[1].to_string()).collect();
    let others = files.with_extensions(&CODE).filter(|(other, _)| *other != path && !is_test_path(other));
    others.into_iter().find_map(|(_, text)| {
        let lines: Vec<&str> = text.lines().collect();
        lines.iter().enumerate().find_map(|(index, line)| {
            let option = OPTION.captures(line)?[1].to_ascii_lowercase();
            let body = lines.iter().skip(index + 1).take(3);
            let constructs = body.clone().any(|l| classes.iter().any(|class| l.contains(&format!("new {class}("))));
            constructs.then_some(option)
        })
    })
}

/// The setting that picks `option`: read in a file that matches `option` among other options,
/// and defaulting to another of them.
fn switch_for<'v>(files: &AppFiles, runtime: &[&'v CodeVariable], option: &str) -> Option<Switch<'v>> {
    for (path, text) in files.with_extensions(&CODE).filter(|(path, _)| !is_test_path(path)) {
        let options: Vec<(usize, String)> = text
            .lines()
            .enumerate()
            .flat_map(|(index, line)| OPTION.captures_iter(line).map(move |c| (index + 1, c[1].to_ascii_lowercase())))
            .collect();
        let Some(line) = options.iter().find(|(_, o)| o == option).map(|(line, _)| *line) else { continue };
        let picks = runtime.iter().find_map(|v| {
            let default = v.default.as_deref()?.to_ascii_lowercase();
            let other_option = default != option && options.iter().any(|(_, o)| *o == default);
            let own = v.name.to_ascii_lowercase().starts_with(option);
            (other_option && !own && text.contains(v.name.as_str())).then_some((*v, default))
        });
        if let Some((setting, default)) = picks {
            return Some(Switch { setting, default, at: format!("{path}:{line}") });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demand_in_a_class_only_one_option_constructs_is_that_options() {
        let gcs = "export class GCSStorageProvider {\n    init() {\n        const bucketName = process.env.GOOGLE_CLOUD_STORAGE_BUCKET_NAME\n        if (!bucketName) {\n            throw new Error('GOOGLE_CLOUD_STORAGE_BUCKET_NAME env variable is required')\n        }\n    }\n}\n";
        let factory = "const storageType = process.env.STORAGE_TYPE || 'local'\nswitch (storageType) {\n    case 'gcs':\n        instance = new GCSStorageProvider()\n        break\n    case 'local':\n    default:\n        instance = new LocalStorageProvider()\n}\n";
        let files = AppFiles::from_pairs([("storage/GCSStorageProvider.ts", gcs), ("storage/Factory.ts", factory)]);
        assert_eq!(option_constructing(&files, "storage/GCSStorageProvider.ts:5").as_deref(), Some("gcs"));
        assert_eq!(option_constructing(&files, "storage/Factory.ts:3"), None);
        let read = |name: &str, default: Option<&str>| CodeVariable {
            required: default.is_none(),
            default: default.map(str::to_string),
            ..CodeVariable::read_at(name, "storage/Factory.ts:1")
        };
        let (bucket, switch) = (read("GOOGLE_CLOUD_STORAGE_BUCKET_NAME", None), read("STORAGE_TYPE", Some("local")));
        let mut findings: Vec<Finding> = vec![crate::analyze::readiness::required_env(
            "GOOGLE_CLOUD_STORAGE_BUCKET_NAME",
            "storage/GCSStorageProvider.ts:5",
        )];
        relax(&files, &[bucket, switch], &mut findings);
        assert_eq!(findings[0].level, FindingLevel::Warning, "{}", findings[0].message);
        assert!(findings[0].message.contains("`gcs` option"), "{}", findings[0].message);
    }

    #[test]
    fn names_and_first_words() {
        assert!(names("the code requires SEARXNG_API_URL and nothing", "SEARXNG_API_URL"));
        assert!(!names("the code requires SEARXNG_API_URL_2 and nothing", "SEARXNG_API_URL"));
        assert_eq!(shared_first_word(&["SEARXNG_API_URL", "SEARXNG_KEY"]).as_deref(), Some("searxng"));
        assert_eq!(shared_first_word(&["SEARXNG_API_URL", "DATABASE_URL"]), None);
        assert_eq!(shared_first_word(&["DB_URL"]), None, "too short to name an option");
    }
}
