//! Held-out round 12's front ends that ferry's image never built (a React client the server
//! serves from `public/`, an Angular UI a Python server serves from `ui/dist`), the same
//! server's disk storage and key generated into the environment, and a Python script that
//! runs its own server, each in a fixture of its own (tests/fixtures/apps).

use crate::app_fixtures::{findings, profile as fixture};

use ferry::model::FindingLevel;

/// The repository's image moves the client's build into `public/`, where express.static
/// looks: the profile says so, and the build is the client's own install and script.
#[test]
fn a_client_the_repository_image_moves_into_the_served_folder_is_built() {
    let app = fixture("express-client-build");
    let build = app.frontend.as_ref().expect("the client is built");
    assert_eq!(build.folder, "client");
    assert_eq!((build.output.as_str(), build.destination.as_str()), ("client/build", "public"));
    assert_eq!(build.manifests, ["package.json", "package-lock.json"]);
    assert_eq!((build.install.as_str(), build.build.as_str()), ("npm ci --no-audit --no-fund", "npm run build"));
    assert_eq!(build.source, ".docker/Dockerfile:8");
    let said = findings(&app, "build-needs-frontend");
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0].level, FindingLevel::Info);
    assert!(said[0].message.contains("`public/`"), "{}", said[0].message);
    assert_eq!(app.start_command, ["node", "server.js"]);
    // The page the static folder serves at `/` (and sends for every other path) is the check.
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/", "server.js:16"));
}

/// The same server's other state: a multer disk storage, and a signing key generated into
/// `process.env` when unset and kept in a file of the task's own disk, which the next task
/// does not have.
#[test]
fn uploads_to_a_disk_storage_and_a_key_generated_into_the_environment() {
    let app = fixture("express-client-build");
    assert_eq!(findings(&app, "local-disk-writes")[0].source, "routes/icons.js:5");
    let generated = findings(&app, "per-process-secret");
    assert_eq!(generated.len(), 1, "{generated:?}");
    assert_eq!(generated[0].source, "utils/sessionKey.js:10");
    let key = app.variables.iter().find(|v| v.name == "TOKEN_SECRET").expect("TOKEN_SECRET is read");
    assert!(key.secret && key.required, "{key:?}");
}

/// The Python server names the Angular build's folder; angular.json says where `ng build`
/// writes; the UI's pnpm lockfile installs it. The server is the script that runs aiohttp.
#[test]
fn an_angular_ui_a_python_server_serves_is_built() {
    let app = fixture("aiohttp-angular-ui");
    let build = app.frontend.as_ref().expect("the UI is built");
    assert_eq!((build.folder.as_str(), build.destination.as_str()), ("ui", "ui/dist/queue-viewer"));
    assert_eq!(build.install, "corepack enable && pnpm install --frozen-lockfile");
    assert_eq!(build.source, "app/main.py:24", "the line that serves the built folder");
    assert_eq!(app.start_command, ["python", "app/main.py"]);
    assert_eq!(
        app.start_source,
        "app/main.py runs app/main.py:27 (aiohttp), a production server the script starts itself"
    );
    assert_eq!(app.port, 8081);
    assert!(findings(&app, "server-in-subfolder").is_empty(), "the root serves, not ui/");
}

/// A front end that builds for itself, which no server file names and no image moves, is
/// someone else's to deploy: nothing is built and nothing is said.
#[test]
fn a_front_end_nothing_serves_is_left_alone() {
    let app = fixture("npm-express");
    assert_eq!(app.frontend, None);
    assert!(findings(&app, "build-needs-frontend").is_empty());
}
