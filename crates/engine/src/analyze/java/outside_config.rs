//! Spring settings kept outside the jar: `src/main/config/application.properties`, which the
//! maintainers' start script passes with `-Dspring.config.location`. The build packs only
//! `src/main/resources`, so in ferry's image the app would start without its own settings
//! (port, paths, every `${KK_*}` placeholder). Spring Boot also reads `./config/` beside the
//! working folder, so the image places the file there.

use crate::analyze::app_files::AppFiles;
use crate::model::{Finding, PlacedFile};

/// Where the jar's own settings live.
const PACKED: &str = "src/main/resources/";

/// The base settings file (`application.properties` or `.yml`) the jar does not pack, placed in
/// `config/`, with `module` (`server/`, when the image builds from the reactor's folder) in
/// front of its path in the build context.
pub(super) fn placed(files: &AppFiles, module: Option<&str>) -> Option<(PlacedFile, Finding)> {
    let base = |path: &&String| {
        let name = path.rsplit('/').next().unwrap_or(path);
        matches!(name, "application.properties" | "application.yml" | "application.yaml")
            && !crate::analyze::source::is_test_path(path)
    };
    let settings: Vec<&String> = files.files.keys().filter(base).collect();
    if settings.iter().any(|path| path.contains(PACKED)) {
        return None;
    }
    // Only a file under the module's own sources: a sample elsewhere (`docs/`) is not the app's.
    let outside = settings.into_iter().filter(|path| path.starts_with("src/main/")).min_by_key(|path| path.len())?;
    let name = outside.rsplit('/').next().unwrap_or(outside);
    let from = match module {
        Some(module) => format!("{}/{outside}", module.trim_end_matches('/')),
        None => outside.clone(),
    };
    let to = format!("config/{name}");
    let finding = Finding::info(
        "settings-outside-jar",
        format!(
            "the app's settings ({outside}) are not packed in the jar, which holds only {PACKED}: the image places them at {to}, where Spring Boot reads them"
        ),
        outside.clone(),
    );
    Some((PlacedFile { from, to, source: outside.clone() }, finding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_outside_the_resources_are_placed_in_config() {
        let files = AppFiles::from_pairs([
            ("src/main/config/application.properties", "server.port = ${KK_SERVER_PORT:8012}\n"),
            ("src/main/java/App.java", "class App {}\n"),
        ]);
        let (file, finding) = placed(&files, Some("server")).expect("placed");
        assert_eq!(
            (file.from.as_str(), file.to.as_str()),
            ("server/src/main/config/application.properties", "config/application.properties")
        );
        assert_eq!(finding.source, "src/main/config/application.properties");
        let packed = AppFiles::from_pairs([
            ("src/main/resources/application.yml", "server:\n  port: 8080\n"),
            ("src/main/config/application.properties", "a=1\n"),
        ]);
        assert!(placed(&packed, None).is_none());
    }
}
