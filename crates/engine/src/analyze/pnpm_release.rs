//! The pnpm release an image installs when package.json has no `packageManager` to pin it.
//! corepack's own default moves with each Node.js release, and a pnpm newer than the one that
//! wrote the lockfile refuses it under `--frozen-lockfile` (pnpm 10 also stops running the
//! dependencies' build scripts): the lockfile's format says which release wrote it, and
//! `engines.pnpm` chooses among the releases that write the same format.

use super::app_files::AppFiles;
use super::source::{Fact, fact};
use serde_json::Value;

/// The pnpm major release to install, with where it was read; `None` when `packageManager`
/// pins one already or nothing says which.
pub fn release(files: &AppFiles, manifest: &Value) -> Option<Fact<String>> {
    if manifest.get("packageManager").is_some() {
        return None;
    }
    let stated = manifest.pointer("/engines/pnpm").and_then(Value::as_str).and_then(first_major);
    let lockfile = files.nearest("pnpm-lock.yaml").and_then(|(path, text)| Some((path, writers(text)?)));
    match (lockfile, stated) {
        (Some((_, writers)), Some(major)) if writers.contains(&major) => {
            Some(fact(major.to_string(), "package.json engines.pnpm"))
        }
        (Some((path, writers)), _) => Some(fact(writers[0].to_string(), format!("{path} lockfileVersion"))),
        (None, Some(major)) => Some(fact(major.to_string(), "package.json engines.pnpm")),
        (None, None) => None,
    }
}

/// The pnpm majors that write the lockfile's format, oldest first.
fn writers(lockfile: &str) -> Option<&'static [u32]> {
    let line = lockfile.lines().find_map(|line| line.strip_prefix("lockfileVersion:"))?;
    let version = line.trim().trim_matches(|c| c == '\'' || c == '"');
    let (major, minor) = version.split_once('.').unwrap_or((version, "0"));
    Some(match (major, minor) {
        ("9", _) => &[9, 10],
        ("6", _) => &[8],
        ("5", "4") => &[7],
        ("5", "3") => &[6],
        ("5", _) => &[5],
        _ => return None,
    })
}

/// The first major version a range names (`>=9.0.0` and `^9` both say 9).
fn first_major(range: &str) -> Option<u32> {
    let start = range.find(|c: char| c.is_ascii_digit())?;
    range[start..].split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release_of(manifest: &str, lockfile: Option<&str>) -> Option<(String, String)> {
        let mut pairs = vec![("package.json", manifest)];
        pairs.extend(lockfile.map(|text| ("pnpm-lock.yaml", text)));
        let files = AppFiles::from_pairs(pairs);
        release(&files, &serde_json::from_str(manifest).unwrap()).map(|f| (f.value, f.source))
    }

    #[test]
    fn the_lockfile_format_names_the_release_that_wrote_it() {
        let got = release_of("{}", Some("lockfileVersion: '6.0'\n\nsettings:\n"));
        assert_eq!(got, Some(("8".into(), "pnpm-lock.yaml lockfileVersion".into())));
        assert_eq!(release_of("{}", Some("lockfileVersion: 5.4\n")).unwrap().0, "7");
        assert_eq!(release_of("{}", Some("lockfileVersion: '9.0'\n")).unwrap().0, "9");
    }

    #[test]
    fn engines_chooses_among_the_releases_that_write_the_format() {
        let manifest = r#"{"engines":{"pnpm":">=10.0.0"}}"#;
        assert_eq!(release_of(manifest, Some("lockfileVersion: '9.0'\n")).unwrap().0, "10");
        // A range the lockfile contradicts: the lockfile is what the frozen install reads.
        let old = r#"{"engines":{"pnpm":"^7"}}"#;
        assert_eq!(release_of(old, Some("lockfileVersion: '9.0'\n")).unwrap().0, "9");
        assert_eq!(release_of(r#"{"engines":{"pnpm":"^9.1"}}"#, None).unwrap().0, "9");
    }

    #[test]
    fn package_manager_field_or_nothing_stated_leaves_corepack_to_decide() {
        assert_eq!(release_of(r#"{"packageManager":"pnpm@9.1.0"}"#, Some("lockfileVersion: '6.0'\n")), None);
        assert_eq!(release_of("{}", Some("importers: {}\n")), None);
        assert_eq!(release_of(r#"{"engines":{"pnpm":"*"}}"#, None), None);
    }
}
