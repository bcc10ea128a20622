//! Round 11's build and start classes: a server that is one module of a Maven reactor
//! (xxl-job-admin beside xxl-job-core) builds only from the reactor's folder, whether ferry is
//! given the module or the repository's root; a Procfile's gunicorn that names no bind serves
//! on gunicorn's port, not Flask's.

use crate::app_fixtures::{files, findings, profile as fixture};

use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::migration::prepare;
use ferry::plan::Action;

const MODULE_BUILD: [&str; 7] = ["mvn", "-B", "-pl", "ledger-admin", "-am", "package", "-DskipTests"];
const JAR: &str = "ledger-admin/target/ledger-admin-2.1.0-SNAPSHOT.jar";

/// Given the module, ferry builds it in its reactor: the parent is a snapshot and the module
/// needs its sibling ledger-core, which no registry has.
#[test]
fn a_module_is_built_by_its_reactor() {
    let app = fixture("maven-reactor-admin/ledger-admin");
    assert_eq!(app.build_command.as_deref(), Some(&MODULE_BUILD.map(String::from)[..]));
    assert_eq!(app.entry.as_deref(), Some(JAR));
    assert_eq!(app.build_context, "..");
    let said = findings(&app, "module-of-reactor");
    assert!(said.len() == 1 && said[0].message.contains("ledger-core"), "{said:?}");
    assert_eq!((app.port, app.health_check_path.as_str()), (8090, "/actuator/health"));
}

/// Given the root, ferry picks the one module that runs a server: not the library, and not
/// the samples (whose variables stay out of the service).
#[test]
fn the_reactor_root_analyses_its_server_module() {
    let app = fixture("maven-reactor-admin");
    assert_eq!(app.build_command.as_deref(), Some(&MODULE_BUILD.map(String::from)[..]));
    assert_eq!(app.entry.as_deref(), Some(JAR));
    assert!(findings(&app, "multi-module-build").is_empty(), "{:?}", app.findings);
    let names: Vec<&str> = app.variables.iter().map(|v| v.name.as_str()).collect();
    assert!(names.contains(&"LEDGER_DB_PASSWORD") && !names.contains(&"SAMPLE_ACCESS_TOKEN"), "{names:?}");
    let located = findings(&app, "server-in-subfolder");
    assert!(located[0].message.contains("builds the image from the root"), "{located:?}");
}

/// The plan's image step builds from the reactor's folder, with a Dockerfile that copies it
/// whole and builds the module there.
#[tokio::test]
async fn the_image_builds_from_the_reactor_folder() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let module = files("maven-reactor-admin/ledger-admin");
    let migration = prepare(&sandbox, sandbox.app_instance()).await.unwrap().with_app(Some(&module));
    let step = migration.plan.steps.iter().find(|s| s.id == "image").expect("an image step");
    let Action::BuildAndPushImage { context_dir, dockerfile, .. } = &step.action else { panic!("the image builds") };
    let reactor = std::fs::canonicalize(module.root.as_ref().unwrap().join("..")).unwrap();
    assert_eq!(context_dir, &reactor.display().to_string());
    assert!(dockerfile.contains(&format!("COPY . .\nRUN {}\n", MODULE_BUILD.join(" "))), "{dockerfile}");
    assert!(dockerfile.contains(&format!("COPY --from=build /workspace/{JAR} app.jar\n")), "{dockerfile}");
}

/// `web: gunicorn wsgi:app --log-file -` for a Flask app that names no port: gunicorn's 8000
/// is where it serves, and the bind ferry adds says so.
#[test]
fn a_procfile_gunicorn_without_a_bind_serves_on_its_default() {
    let app = fixture("flask-procfile-gunicorn-default");
    assert_eq!((app.port, app.port_source.as_str()), (8000, "gunicorn's default port"));
    assert_eq!(app.start_command, ["gunicorn", "--bind", "0.0.0.0:8000", "wsgi:app", "--log-file", "-"]);
}
