//! Blind round 27's classes, end to end: a maintainers' image that sets a port only root can
//! bind, a sample payload whose strings say code words, a nested package that installs its
//! own dependencies, an entrypoint that drops privileges before its server.

use crate::app_fixtures::{findings, profile_of_files};

/// The maintainers' image sets `ENV PORT=80` and runs as root; ferry's image runs as a user
/// who cannot bind 80, so the code's own fallback (3333) is the port, with no low-port warning.
#[test]
fn a_root_images_low_port_gives_way_to_the_codes_own() {
    let profile = profile_of_files(&[
        ("package.json", r#"{"name": "shelf", "main": "index.js", "dependencies": {"express": "4"}}"#),
        ("package-lock.json", "{}"),
        ("index.js", "const express = require('express')\nconst app = express()\nconst PORT = process.env.PORT || 3333\napp.listen(PORT)\n"),
        ("Dockerfile", "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nEXPOSE 80\nENV PORT=80\nCMD [\"node\", \"index.js\"]\n"),
    ]);
    assert_eq!(profile.port, 3333, "{}", profile.port_source);
    assert!(findings(&profile, "low-port").is_empty(), "{:?}", profile.findings);
}
