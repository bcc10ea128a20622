//! What the operator changed by hand: told apart from what ferry generates now, put back on
//! request, and said when discovering again keeps or drops it.

use super::Pane;
use crate::generate::Artifacts;
use crate::migration::Migration;
use crate::tui::actions::{Action, Keymap};

/// The artifacts ferry would generate for this migration now, with the image the operator
/// named (`--image`) kept: that is a choice made before any edit, not an edit.
pub fn generated(migration: &Migration) -> Artifacts {
    let mut artifacts = migration.generated_artifacts();
    if let Some(uri) = &migration.prebuilt_image {
        artifacts.service_config.primary_container.image = uri.clone();
    }
    artifacts
}

/// An artifact's text, as the panes show it.
pub fn text_of(artifacts: &Artifacts, pane: Pane) -> String {
    match pane {
        Pane::Dockerfile => artifacts.dockerfile.clone(),
        Pane::Config => artifacts.service_json(),
    }
}

/// Whether the artifact in `pane` is not what ferry generates.
pub fn is_edited(migration: &Migration, pane: Pane) -> bool {
    text_of(&generated(migration), pane).trim_end() != text_of(&migration.artifacts, pane).trim_end()
}

/// The names of the edited artifacts.
fn edited(migration: &Migration) -> Vec<&'static str> {
    [Pane::Dockerfile, Pane::Config].into_iter().filter(|p| is_edited(migration, *p)).map(Pane::name).collect()
}

/// The migration with the artifact in `pane` as generated, planned again.
pub fn reverted(migration: &Migration, pane: Pane) -> Migration {
    let fresh = generated(migration);
    let mut artifacts = migration.artifacts.clone();
    match pane {
        Pane::Dockerfile => artifacts.dockerfile = fresh.dockerfile,
        Pane::Config => artifacts.service_config = fresh.service_config,
    }
    migration.clone().with_artifacts(artifacts)
}

/// Said when discovering the same instance again keeps the migration: its edits stay, and
/// the operator is told so, with the way back.
pub fn kept_note(migration: &Migration, keymap: &Keymap) -> Option<String> {
    let edited = edited(migration);
    (!edited.is_empty()).then(|| {
        format!(
            "kept your edits to {} (marked edited on Service, where {} reverts one)",
            edited.join(" and "),
            keymap.label(Action::Revert)
        )
    })
}

/// Said when discovering again makes the migration afresh: its edits are dropped.
pub fn dropped_note(migration: &Migration) -> Option<String> {
    let edited = edited(migration);
    (!edited.is_empty())
        .then(|| format!("your edits to {} are dropped: discovering makes the artifacts afresh", edited.join(" and ")))
}
