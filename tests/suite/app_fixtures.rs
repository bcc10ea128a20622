//! The small applications in tests/fixtures/apps, read and analysed as `ferry analyze` does.

use std::path::Path;

use ferry::analyze::{AppFiles, analyze_folder};
use ferry::model::{AppProfile, CodeVariable, Finding};

/// The fixture's files, read.
pub fn files(name: &str) -> AppFiles {
    AppFiles::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/apps").join(name)).unwrap()
}

/// The fixture, analysed.
pub fn profile(name: &str) -> AppProfile {
    analyze_folder(&files(name))
}

/// The variable `name` the profile lists; the test fails when it is not read.
pub fn variable<'a>(profile: &'a AppProfile, name: &str) -> &'a CodeVariable {
    profile.variables.iter().find(|v| v.name == name).unwrap_or_else(|| panic!("{name} is read"))
}

/// The profile's findings of `kind`.
pub fn findings<'a>(profile: &'a AppProfile, kind: &str) -> Vec<&'a Finding> {
    profile.findings.iter().filter(|f| f.kind == kind).collect()
}
