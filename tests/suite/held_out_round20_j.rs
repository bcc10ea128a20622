//! Spring Boot failure classes of held-out round 20: code switched off in comments reads
//! nothing, the servlet context path prefixes every path the app serves, the settings Spring
//! binds from the environment are the running app's, and an upload's bytes written to a local
//! folder are lost with the task.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::{FindingLevel, VariableScope};

/// `@Value`s inside `/* ... */` and after `//` in a class whose `@Component` is commented out
/// are no code: they require nothing and raise no required-env blocker.
#[test]
fn values_in_comments_read_nothing() {
    let app = fixture("spring-context-path-covers");
    for name in ["SHELF_TOKEN_SIGNINGKEY", "SHELF_TOKEN_LIFETIME", "SHELF_TOKEN_ISSUER"] {
        assert!(app.variables.iter().all(|v| v.name != name), "{name}: {:?}", app.variables);
    }
    let required = findings(&app, "required-env");
    assert!(required.is_empty(), "{required:?}");
}

/// `server.servlet.context-path: /shelf/`: springdoc's API description answers at
/// `/shelf/v3/api-docs`, and the finding that names the checked path says the whole one.
#[test]
fn the_context_path_prefixes_the_health_path() {
    let app = fixture("spring-context-path-covers");
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/shelf/v3/api-docs", "pom.xml:26"));
    let said = findings(&app, "no-health-route");
    assert!(said.iter().all(|f| f.message.contains("checks /shelf/v3/api-docs,")), "{said:?}");
}

/// The datasource, mail host and port Spring binds from `SPRING_DATASOURCE_URL` and friends
/// are read by the running app, though the profile file that names them is `application-dev.yml`.
#[test]
fn relaxed_binding_overrides_are_runtime() {
    let app = fixture("spring-context-path-covers");
    for name in ["SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_PASSWORD", "SPRING_MAIL_HOST", "SERVER_PORT"] {
        assert_eq!(variable(&app, name).scope, VariableScope::Runtime, "{name}");
    }
}

/// `Files.write(target, cover.getBytes())` with `cover` a `MultipartFile`: uploads kept under
/// the folder a setting names, a blocker at the write. Creating the folder alone says nothing.
#[test]
fn an_uploads_bytes_written_to_a_local_folder() {
    let app = fixture("spring-context-path-covers");
    let disk = findings(&app, "local-disk-writes");
    assert_eq!(disk.len(), 1, "{disk:?}");
    assert_eq!(
        (disk[0].level, disk[0].source.as_str()),
        (FindingLevel::Blocker, "src/main/java/org/example/shelf/cover/CoverStore.java:21")
    );
    assert!(disk[0].message.contains("shelf.covers.folder"), "{}", disk[0].message);
}
