//! The newest Python an app's exact pins install on, when nothing states a version. A compiled
//! package pinned years ago (`pillow==7.1.1`) has wheels only for the Pythons of its day; on a
//! newer one pip builds it from source, which fails without the C libraries. The pins of the
//! common compiled packages say which Python the app was written for.

use super::dependencies::requirement_files;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact};

/// For each package, the first release with wheels for a Python minor: below it, the Python
/// before that one is the newest it installs on.
const FIRST_WHEELS: [(&str, &[(&str, &str)]); 4] = [
    (
        "pillow",
        &[
            ("6.2.1", "3.8"),
            ("8.0.0", "3.9"),
            ("8.3.2", "3.10"),
            ("9.3.0", "3.11"),
            ("10.1.0", "3.12"),
            ("11.0.0", "3.13"),
        ],
    ),
    (
        "numpy",
        &[
            ("1.17.3", "3.8"),
            ("1.19.3", "3.9"),
            ("1.21.3", "3.10"),
            ("1.23.2", "3.11"),
            ("1.26.0", "3.12"),
            ("2.1.0", "3.13"),
        ],
    ),
    (
        "psycopg2-binary",
        &[
            ("2.8.4", "3.8"),
            ("2.8.6", "3.9"),
            ("2.9.2", "3.10"),
            ("2.9.5", "3.11"),
            ("2.9.9", "3.12"),
            ("2.9.10", "3.13"),
        ],
    ),
    (
        "pandas",
        &[
            ("0.25.3", "3.8"),
            ("1.1.3", "3.9"),
            ("1.3.4", "3.10"),
            ("1.5.0", "3.11"),
            ("2.1.1", "3.12"),
            ("2.2.3", "3.13"),
        ],
    ),
];

/// Pinned packages whose source build needs only a compiler and one library's headers, with
/// the Debian packages for it: on a Python newer than its wheels, pip builds them.
const SOURCE_BUILDS: [(&str, &[&str]); 1] = [("psycopg2-binary", &["gcc", "libc6-dev", "libpq-dev"])];

/// The newest Python the pinned release of `package` has wheels for, when it is not current.
fn wheel_cap(package: &str, pinned: &str) -> Option<String> {
    let (_, releases) = FIRST_WHEELS.iter().find(|(name, _)| *name == package)?;
    let previous = |python: &str| {
        let minor: u32 = python.rsplit('.').next()?.parse().ok()?;
        Some(format!("3.{}", minor - 1))
    };
    releases.iter().find(|(first, _)| numbers(pinned) < numbers(first)).and_then(|(_, py)| previous(py))
}

/// The Debian packages pip needs to build a pin that has no wheel for `python` (the version
/// the image runs, stated elsewhere), with where the pin is and why.
pub(super) fn source_builds(files: &AppFiles, python: &str) -> Option<(Vec<String>, String)> {
    exact_pins(files).into_iter().find_map(|(path, line_number, package, pinned)| {
        let (_, needs) = SOURCE_BUILDS.iter().find(|(name, _)| *name == package)?;
        let cap = wheel_cap(&package, &pinned)?;
        (numbers(&cap) < numbers(python)).then(|| {
            let packages = needs.iter().map(|p| p.to_string()).collect();
            (packages, format!("{package}=={pinned} ({path}:{line_number}) has no wheel for Python {python}"))
        })
    })
}

/// The Python before the first one a pin has wheels for, from the pin that allows the oldest.
pub(super) fn newest_installable(files: &AppFiles) -> Option<Fact<String>> {
    let mut best: Option<(Vec<u32>, Fact<String>)> = None;
    for (path, line_number, package, pinned) in exact_pins(files) {
        let Some(cap) = wheel_cap(&package, &pinned) else { continue };
        let source = format!("{path}:{line_number} ({package}=={pinned} has wheels up to Python {cap})");
        if best.as_ref().is_none_or(|(held, _)| numbers(&cap) < *held) {
            best = Some((numbers(&cap), fact(cap, source)));
        }
    }
    best.map(|(_, found)| found)
}

/// `(file, line, package, version)` for every `name==version` of the requirement files.
fn exact_pins(files: &AppFiles) -> Vec<(String, usize, String, String)> {
    let mut pins = Vec::new();
    for path in requirement_files(files) {
        let Some(text) = files.get(&path) else { continue };
        for (index, line) in text.lines().enumerate() {
            let requirement = line.split('#').next().unwrap_or("").split(';').next().unwrap_or("").trim();
            let Some((name, version)) = requirement.split_once("==") else { continue };
            let name = name.split('[').next().unwrap_or(name).trim().to_ascii_lowercase().replace('_', "-");
            pins.push((path.clone(), index + 1, name, version.trim().to_string()));
        }
    }
    pins
}

fn numbers(version: &str) -> Vec<u32> {
    version.split('.').map_while(|part| part.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_compiled_pins_cap_the_python() {
        let files = AppFiles::from_pairs([("requirements.txt", "flask==1.1.2\nPillow==7.1.1\nnumpy==1.21.0\n")]);
        let found = newest_installable(&files).expect("a cap");
        assert_eq!(found.value, "3.8");
        assert_eq!(found.source, "requirements.txt:2 (pillow==7.1.1 has wheels up to Python 3.8)");
    }

    #[test]
    fn an_old_driver_pin_on_a_newer_python_is_built_with_its_headers() {
        let files = AppFiles::from_pairs([("requirements.txt", "django==3.2\npsycopg2-binary==2.8.3\n")]);
        let (packages, why) = source_builds(&files, "3.10").expect("built from source");
        assert_eq!(packages, ["gcc", "libc6-dev", "libpq-dev"]);
        assert!(why.contains("requirements.txt:2"), "{why}");
        assert_eq!(source_builds(&files, "3.7"), None, "3.7 has its wheel");
    }

    #[test]
    fn current_or_loose_pins_say_nothing() {
        let files = AppFiles::from_pairs([("requirements.txt", "pillow==11.1.0\nnumpy>=1.20\nflask==3.1.0\n")]);
        assert_eq!(newest_installable(&files), None);
    }
}
