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

/// A temporary folder holding `(path, text)` pairs, removed when dropped.
pub fn folder_of_files(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a folder");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// The profile of an app written into a temporary folder from `(path, text)` pairs.
pub fn profile_of_files(files: &[(&str, &str)]) -> AppProfile {
    let dir = folder_of_files(files);
    analyze_folder(&AppFiles::read(dir.path()).expect("the folder reads"))
}

/// The node-shop sandbox's instance migrated with the app made of `(path, text)` pairs.
pub async fn migration_of_files(files: &[(&str, &str)]) -> ferry::migration::Migration {
    use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).expect("the sandbox");
    let app = AppFiles::from_pairs(files.iter().copied());
    ferry::migration::prepare_with(&sandbox, sandbox.app_instance(), Some(&app)).await.expect("prepares")
}

/// The variable `name` the profile lists; the test fails when it is not read.
pub fn variable<'a>(profile: &'a AppProfile, name: &str) -> &'a CodeVariable {
    profile.variables.iter().find(|v| v.name == name).unwrap_or_else(|| panic!("{name} is read"))
}

/// The profile's findings of `kind`.
pub fn findings<'a>(profile: &'a AppProfile, kind: &str) -> Vec<&'a Finding> {
    profile.findings.iter().filter(|f| f.kind == kind).collect()
}
