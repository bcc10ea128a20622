//! The Node.js release an app runs on: the versions stated around the app (version files, its
//! own image, CI), checked against package.json `engines.node`. The manifest is the
//! constraint the install enforces (`engine-strict` makes npm refuse to install outside it), so
//! a version stated elsewhere that it rules out never wins: an old CI entry below the engines
//! floor is raised to the nearest release the range allows.

use serde_json::Value;

use super::app_files::AppFiles;
use super::source::{Fact, fact, version_in};
use super::stated_version;

/// The current long-term release: the version of an app that states none.
pub const DEFAULT_MAJOR: &str = "24";

/// The newest major ferry considers when it looks for a release a range allows.
const NEWEST_MAJOR: u32 = 40;

/// By how exactly it is stated: a version file or pin, the project's own image, the engines
/// range, then what CI tests with; the first that the engines range allows.
pub fn version(files: &AppFiles, manifest: &Value) -> Option<Fact<String>> {
    let range = manifest.pointer("/engines/node").and_then(Value::as_str);
    let stated = stated_versions(files, manifest);
    let Some(range) = range else { return stated.into_iter().next() };
    if let Some(allowed) = stated.iter().find(|candidate| allows(range, &candidate.value)) {
        return Some(allowed.clone());
    }
    if let Some(contradicted) = stated.first()
        && let Some(nearest) = nearest_allowed(range, &contradicted.value)
    {
        let why = format!(
            "package.json engines.node \"{range}\": the release it allows nearest to {} from {}, which it rules out",
            contradicted.value, contradicted.source
        );
        return Some(fact(nearest, why));
    }
    floor_met_by_default(range)
}

/// Every version stated for the app, most exact first.
fn stated_versions(files: &AppFiles, manifest: &Value) -> Vec<Fact<String>> {
    let engines = manifest.pointer("/engines/node").and_then(Value::as_str);
    [
        version_file(files),
        stated_version::version_manager(files, &stated_version::NODE),
        manifest
            .pointer("/volta/node")
            .and_then(Value::as_str)
            .and_then(|r| version_in(r, 1))
            .map(|v| fact(v, "package.json volta.node")),
        stated_version::dockerfile(files, &stated_version::NODE),
        engines.and_then(engines_major).map(|v| fact(v, "package.json engines.node")),
        stated_version::ci(files, &stated_version::NODE),
        super::ci_images::version(files, "node", 1),
        readme_version(files),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The release a README states, or the floor it states when ferry's default is below it.
fn readme_version(files: &AppFiles) -> Option<Fact<String>> {
    let plausible = |v: &str| v.parse::<u32>().is_ok_and(|major| (4..=NEWEST_MAJOR).contains(&major));
    let stated = super::readme_version::stated(files, &["node.js", "nodejs", "node"], 1, plausible)?;
    let above_default = major_of(&stated.version.value) > major_of(DEFAULT_MAJOR);
    (!stated.floor || above_default).then_some(stated.version)
}

/// `.nvmrc` or `.node-version`: a version or an LTS codename.
fn version_file(files: &AppFiles) -> Option<Fact<String>> {
    for file in [".nvmrc", ".node-version"] {
        let Some(text) = files.get(file) else { continue };
        let text = text.trim();
        let codename = match text.trim_start_matches("lts/") {
            "hydrogen" => Some("18".to_string()),
            "iron" => Some("20".to_string()),
            "jod" => Some("22".to_string()),
            "krypton" => Some("24".to_string()),
            _ => None,
        };
        if let Some(v) = codename.or_else(|| version_in(text.trim_start_matches('v'), 1)) {
            return Some(fact(v, file));
        }
    }
    None
}

/// An engines floor the default release meets states no version: the default stands, said as
/// ferry's, and ahead of the instance's runtime, which may sit below the floor.
fn floor_met_by_default(range: &str) -> Option<Fact<String>> {
    engines_major(range).is_none().then(|| {
        fact(
            DEFAULT_MAJOR.to_string(),
            format!("default: the current long-term release (package.json engines.node \"{range}\" is only a floor)"),
        )
    })
}

/// The major an engines range states: the newest of its alternatives (`>=20.12 <21 || 22 ||
/// 24` → 24). An open range (`>=15`) is only a floor: when ferry's default release is above
/// it, the range states no version and the default stands, labelled as ferry's; a floor above
/// the default (`>=26`) is the least the app runs on.
fn engines_major(range: &str) -> Option<String> {
    let floor_below_default = range.split("||").map(str::trim).any(|alternative| {
        let open = alternative.starts_with('>') && !alternative.contains('<');
        open && version_in(alternative, 1)
            .and_then(|major| major.parse::<u32>().ok())
            .is_some_and(|major| major <= DEFAULT_MAJOR.parse::<u32>().unwrap_or(0))
    });
    if floor_below_default {
        return None;
    }
    range
        .split("||")
        .filter_map(|alternative| version_in(alternative.trim(), 1))
        .max_by_key(|major| major.parse::<u32>().unwrap_or(0))
}

/// The release the range allows nearest to `stated` (the newer one on a tie), or `None` when
/// the range allows no release ferry knows of.
fn nearest_allowed(range: &str, stated: &str) -> Option<String> {
    let stated: u32 = major_of(stated)?;
    (1..=NEWEST_MAJOR)
        .filter(|major| allows(range, &major.to_string()))
        .min_by_key(|major| (major.abs_diff(stated), u32::MAX - major))
        .map(|major| major.to_string())
}

/// Whether some release of the major `version` names satisfies the range. Parts ferry cannot
/// read (`lts/*`, tags) allow everything: only a range it understands rules a version out.
fn allows(range: &str, version: &str) -> bool {
    let Some(major) = major_of(version) else { return true };
    range.split("||").any(|alternative| comparators(alternative).iter().all(|c| c.allows(major)))
}

fn major_of(version: &str) -> Option<u32> {
    version_in(version.trim().trim_start_matches('v'), 1)?.parse().ok()
}

/// One comparison of an engines range, at the level of majors.
struct Comparator<'a> {
    operator: &'a str,
    version: &'a str,
}

impl Comparator<'_> {
    fn allows(&self, major: u32) -> bool {
        let parts: Vec<&str> = self.version.split('.').collect();
        let Some(bound) = parts.first().and_then(|p| p.parse::<u32>().ok()) else { return true };
        // `<21.1` still lets 21.0 in; `<21` and `<21.0.0` do not.
        let past_major = parts[1..].iter().any(|p| p.parse::<u32>().is_ok_and(|n| n > 0));
        // `>14` is 15 on; `>14.2` is met by a later 14.
        let major_only = parts[1..].iter().all(|p| p.parse::<u32>().is_err());
        match self.operator {
            ">=" => major >= bound,
            ">" if major_only => major > bound,
            ">" => major >= bound,
            "<=" => major <= bound,
            "<" if past_major => major <= bound,
            "<" => major < bound,
            _ => major == bound,
        }
    }
}

/// The comparators of one alternative: `>= 14 <17`, `^16.13.0`, `14 - 16`, `20.x`.
fn comparators(alternative: &str) -> Vec<Comparator<'_>> {
    let words: Vec<&str> = alternative.split_whitespace().collect();
    if let [low, "-", high] = words[..] {
        return vec![Comparator { operator: ">=", version: low }, Comparator { operator: "<=", version: high }];
    }
    let mut found = Vec::new();
    let mut pending: Option<&str> = None;
    for word in words {
        let operator_end = word.find(|c: char| !matches!(c, '<' | '>' | '=' | '^' | '~')).unwrap_or(word.len());
        let (operator, version) = word.split_at(operator_end);
        if version.is_empty() {
            pending = Some(operator);
            continue;
        }
        let operator = if operator.is_empty() { pending.take().unwrap_or("") } else { operator };
        pending = None;
        found.push(Comparator { operator, version: version.trim_start_matches('v') });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engines_ranges_at_the_level_of_majors() {
        assert!(allows(">=14.0.0", "14") && allows(">=14.0.0", "22") && !allows(">=14.0.0", "12"));
        assert!(allows(">= 14", "16") && !allows(">= 14", "10"));
        assert!(allows("^16.13.0", "16") && !allows("^16.13.0", "18"));
        assert!(allows("20.x", "20") && !allows("20.x", "22"));
        assert!(allows(">=18 <21 || >=26", "20") && !allows(">=18 <21 || >=26", "22"));
        assert!(allows("<20.5", "20") && !allows("<20", "20"));
        assert!(allows("14 - 16", "15") && !allows("14 - 16", "18"));
        assert!(allows("*", "8") && allows("lts/*", "8") && allows("", "8"));
        assert_eq!(engines_major(">=20"), None, "a floor the default release meets states nothing");
        assert_eq!(engines_major(">=18 <21 || >=26").as_deref(), Some("26"));
    }

    #[test]
    fn a_stated_version_the_engines_rule_out_yields_to_the_nearest_allowed() {
        let version_of = |pairs: &[(&str, &str)]| {
            let files = AppFiles::from_pairs(pairs.iter().copied());
            let manifest: Value = serde_json::from_str(files.get("package.json").unwrap()).unwrap();
            version(&files, &manifest).map(|f| (f.value, f.source))
        };
        let travis = (".travis.yml", "language: node_js\nnode_js:\n  - \"10\"\n");
        let (v, source) = version_of(&[("package.json", r#"{"engines":{"node":">=13.0.0"}}"#), travis]).unwrap();
        assert_eq!(v, "13");
        assert!(source.contains(".travis.yml:2"), "{source}");
        let within = version_of(&[("package.json", r#"{"engines":{"node":">=8"}}"#), travis]).unwrap();
        assert_eq!(within, ("10".to_string(), ".travis.yml:2".to_string()));
        let image = ("Dockerfile", "FROM node:12-alpine\n");
        let later = version_of(&[("package.json", r#"{"engines":{"node":">=14"}}"#), image, travis]);
        assert_eq!(later.unwrap().0, "14", "neither 12 nor 10 is allowed");
        let ci_allowed = (".github/workflows/ci.yml", "    with:\n      node-version: 18.x\n");
        let second = version_of(&[("package.json", r#"{"engines":{"node":">=14"}}"#), image, ci_allowed]);
        assert_eq!(second.unwrap().0, "18", "the first stated version the range allows");
        let floor = version_of(&[("package.json", r#"{"engines":{"node":">=14"}}"#)]).unwrap();
        assert!(floor.1.starts_with("default"), "{floor:?}");
    }
}
