//! java applications read from their source folder.

use super::app_files::AppFiles;
use super::source::SourceFacts;

/// The facts of a java app, or `None` when the folder is not one.
pub fn analyze(_files: &AppFiles) -> Option<SourceFacts> {
    None
}
