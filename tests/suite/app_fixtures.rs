//! The small applications in tests/fixtures/apps, read and analysed as `ferry analyze` does.

use std::path::Path;

use ferry::analyze::{AppFiles, analyze_folder};
use ferry::model::AppProfile;

/// The fixture's files, read.
pub fn files(name: &str) -> AppFiles {
    AppFiles::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/apps").join(name)).unwrap()
}

/// The fixture, analysed.
pub fn profile(name: &str) -> AppProfile {
    analyze_folder(&files(name))
}
