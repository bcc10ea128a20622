//! Round 22's held-out apps where ferry read the wrong file as the app's configuration (helper
//! f): a test source set's settings, a database's port, a supervisor's config, a gRPC library's
//! default and a version floor each stood in for what the server really runs with.

use crate::app_fixtures::{findings, profile_of_files};

const GRADLE: &str = "plugins {\n  id 'java'\n  id 'org.springframework.boot' version '3.2.0'\n}\ndependencies {\n  implementation 'org.springframework.boot:spring-boot-starter-web'\n}\n";
const SPRING_MAIN: &str = "package depot;\n@SpringBootApplication\npublic class Depot { public static void main(String[] a) { SpringApplication.run(Depot.class, a); } }\n";

/// `src/acceptanceTest/`: a Gradle source set for tests. The token it asks for is the test
/// run's, and its `application.properties` port is where the tests expect a local server.
#[test]
fn a_test_source_set_gives_neither_variables_nor_the_port() {
    let client = "package depot;\n@Component\nclass TokenClient {\n  @Value(\"${ACCEPTANCE_LOGIN}\")\n  private String login;\n  @Value(\"${ACCEPTANCE_PASSWORD}\")\n  private String password;\n}\n";
    let app = profile_of_files(&[
        ("build.gradle", GRADLE),
        ("settings.gradle", "rootProject.name = 'depot'\n"),
        ("src/main/java/depot/Depot.java", SPRING_MAIN),
        ("src/main/resources/application.yaml", "server:\n  port: 8080\n"),
        ("src/acceptanceTest/java/depot/TokenClient.java", client),
        ("src/acceptanceTest/resources/application.properties", "server.port=9191\n"),
        ("src/integrationTest/resources/application.properties", "server.port=9292\n"),
    ]);
    assert_eq!(app.port, 8080, "{}", app.port_source);
    assert!(app.variables.iter().all(|v| !v.name.starts_with("ACCEPTANCE_")), "{:?}", app.variables);
    assert!(findings(&app, "required-env").is_empty(), "{:?}", app.findings);
}
