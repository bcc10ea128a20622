//! Precision classes found by reading ferry's findings against a Spring Boot admin server
//! whose settings live in profile files: the port is `server.port` of the profile Spring
//! starts with, not another component's `*.port` the code binds; `@Scheduled` methods run only
//! where scheduling is switched on; and the `VOLUME /tmp` of Spring's guides keeps no state.

use crate::app_fixtures::{findings, profile_of_files as analyze_folder};

const POM: &str = "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n    <version>3.3.1</version>\n  </parent>\n  <groupId>org.example</groupId>\n  <artifactId>ledger</artifactId>\n  <version>1.0.0</version>\n  <properties>\n    <java.version>17</java.version>\n  </properties>\n  <dependencies>\n    <dependency>\n      <groupId>org.springframework.boot</groupId>\n      <artifactId>spring-boot-starter-web</artifactId>\n    </dependency>\n  </dependencies>\n  <build>\n    <finalName>ledger</finalName>\n  </build>\n</project>\n";

const APPLICATION: &str = "spring:\n  application:\n    name: ledger\n  profiles:\n    active: local\n";

/// The profile's file sets the web port and, further down, the port of a job runner's agent.
const LOCAL: &str = "server:\n  port: 7070\n\nrunner:\n  agent:\n    enabled: false\n    port: 9191\n";

const PROD: &str = "server:\n  port: 7070\nrunner:\n  agent:\n    port: 9191\n";

/// A component that binds its agent's port into a field named `port`.
const AGENT: &str = "package org.example.ledger;\n\nimport org.springframework.beans.factory.annotation.Value;\nimport org.springframework.context.annotation.Configuration;\n\n@Configuration\npublic class AgentConfig {\n    @Value(\"${runner.agent.port}\")\n    private int port;\n}\n";

/// A `@Scheduled` method in an app that never switches scheduling on.
const SWEEP: &str = "package org.example.ledger;\n\nimport org.springframework.scheduling.annotation.Scheduled;\nimport org.springframework.stereotype.Component;\n\n@Component\npublic class Sweep {\n    @Scheduled(cron = \"0 */5 * * * ?\")\n    public void run() {}\n}\n";

const MAIN: &str = "package org.example.ledger;\n\nimport org.springframework.boot.SpringApplication;\nimport org.springframework.boot.autoconfigure.SpringBootApplication;\n\n@SpringBootApplication\npublic class LedgerApplication {\n    public static void main(String[] args) { SpringApplication.run(LedgerApplication.class, args); }\n}\n";

const DOCKERFILE: &str =
    "FROM eclipse-temurin:17\nVOLUME /tmp\nADD target/ledger.jar app.jar\nCMD java -jar /app.jar\nEXPOSE 7070\n";

fn ledger(main: &str) -> ferry::model::AppProfile {
    analyze_folder(&[
        ("pom.xml", POM),
        ("Dockerfile", DOCKERFILE),
        ("src/main/resources/application.yml", APPLICATION),
        ("src/main/resources/application-local.yml", LOCAL),
        ("src/main/resources/application-prod.yml", PROD),
        ("src/main/java/org/example/ledger/AgentConfig.java", AGENT),
        ("src/main/java/org/example/ledger/Sweep.java", SWEEP),
        ("src/main/java/org/example/ledger/LedgerApplication.java", main),
    ])
}

/// application.yml has no `server.port`; the active profile's file does. A job agent's port
/// bound into a field is not where the web server listens.
#[test]
fn the_active_profiles_server_port_is_the_port() {
    let app = ledger(MAIN);
    assert_eq!(app.port, 7070, "{}", app.port_source);
    assert_eq!(app.port_source, "src/main/resources/application-local.yml:2");
}

/// Without `@EnableScheduling` a `@Scheduled` method is never run on a timer; with it, it is.
#[test]
fn scheduled_methods_count_only_where_scheduling_is_enabled() {
    let app = ledger(MAIN);
    assert!(findings(&app, "scheduler").is_empty(), "{:?}", app.findings);
    let enabled = MAIN.replace("@SpringBootApplication\n", "@SpringBootApplication\n@EnableScheduling\n");
    let app = ledger(&enabled);
    let sources: Vec<&str> = findings(&app, "scheduler").iter().map(|f| f.source.as_str()).collect();
    assert_eq!(sources, ["src/main/java/org/example/ledger/Sweep.java:8"], "{:?}", app.findings);
}

/// `VOLUME /tmp` gives Tomcat a scratch folder: it is no state a task loses.
#[test]
fn a_tmp_volume_is_not_state() {
    let app = ledger(MAIN);
    assert!(findings(&app, "local-disk-writes").is_empty(), "{:?}", app.findings);
}
