//! Round 13's classes left open at its end, each in a fixture of its own
//! (tests/fixtures/apps): images of an older layout whose command runs a script that is gone.

use crate::app_fixtures::profile as fixture;

/// `docker/posts.Dockerfile` runs `npm run microservice`, which package.json no longer has:
/// its `EXPOSE 80` is not the app's port, and its command is not the app's start. fastify-cli
/// serves on 3000 unless told otherwise.
#[test]
fn an_image_whose_script_is_gone_says_nothing() {
    let app = fixture("fastify-cli-stale-images");
    assert_eq!(app.start_command, ["npx", "fastify", "start", "index.js"]);
    assert_eq!(app.start_source, "package.json scripts.start");
    assert_eq!((app.port, app.port_source.as_str()), (3000, "Fastify default"));
    assert!(!app.findings.iter().any(|f| f.source.starts_with("docker/")), "{:?}", app.findings);
}
