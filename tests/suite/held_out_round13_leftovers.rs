//! Round 13's classes left open at its end, each in a fixture of its own
//! (tests/fixtures/apps): images of an older layout whose command runs a script that is gone,
//! and routers mounted by a call spread over lines behind a catch-all login check.

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

/// `app.use(` spread over lines mounts each router it requires at `/`, a router made by a
/// function (`require('./routes/login')(passport)`) among them. The root redirects a visitor
/// without a session, and a catch-all handler turns one away from the dashboard's later routes:
/// the login page is what answers a load balancer.
#[test]
fn routers_mounted_by_a_call_spread_over_lines() {
    let app = fixture("express-spread-mounts");
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/login", "routes/login.js:6"));
    let page = app.findings.iter().find(|f| f.kind == "health-page").expect("said");
    assert_eq!(page.level, ferry::model::FindingLevel::Info);
}
