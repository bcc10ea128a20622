//! The sandbox's target group sends traffic to 3000 and checks /healthz. An app whose code fixes
//! another port, or never serves that path, gets the code's in its service: the container runs
//! the app alone, without the proxy that answered for it on the instance.

use crate::app_fixtures::files as fixture;
use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::migration::prepare_with;

#[tokio::test]
async fn a_fixed_port_and_health_route_in_the_code_win_over_the_target_groups() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let migration =
        prepare_with(&sandbox, sandbox.app_instance(), Some(&fixture("express-fixed-port-ping"))).await.unwrap();
    let profile = &migration.profile;
    assert_eq!(profile.port, 3333, "{}", profile.port_source);
    assert_eq!(profile.port_source, "server.js:9");
    let port = profile.findings.iter().find(|f| f.kind == "port-disagreement").expect("the port differs");
    assert!(port.message.contains("sends traffic to port 3000, but the app listens on 3333"), "{}", port.message);
    assert_eq!(profile.health_check_path, "/ping", "{}", profile.health_source);
    let health = profile.findings.iter().find(|f| f.kind == "health-disagreement").expect("the path differs");
    assert!(health.message.contains("checks /healthz, which nothing in the code serves"), "{}", health.message);

    let config = &migration.artifacts.service_config;
    assert_eq!(config.primary_container.container_port, 3333);
    assert_eq!(config.health_check_path, "/ping");
    assert!(migration.artifacts.dockerfile.contains("EXPOSE 3333"), "{}", migration.artifacts.dockerfile);
}

/// An app that reads PORT listens where the service tells it: the target group's port stays, and
/// the code's fallback is only mentioned.
#[tokio::test]
async fn an_app_that_reads_port_keeps_the_target_groups() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let migration = prepare_with(&sandbox, sandbox.app_instance(), Some(&fixture("npm-express"))).await.unwrap();
    assert_eq!(migration.profile.port, 3000, "{}", migration.profile.port_source);
    assert!(!migration.profile.findings.iter().any(|f| f.message.contains("reads no PORT")));
    assert_eq!(migration.artifacts.service_config.primary_container.container_port, 3000);
}

/// Spring Boot reads no PORT: the service moves it with SERVER_PORT to the port it sends
/// traffic to, the target group's when the code fixes none.
#[tokio::test]
async fn a_spring_boot_service_sets_server_port() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let migration =
        prepare_with(&sandbox, sandbox.app_instance(), Some(&fixture("spring-relaxed-binding"))).await.unwrap();
    let container = &migration.artifacts.service_config.primary_container;
    let server_port = container.environment.iter().find(|e| e.name == "SERVER_PORT").expect("SERVER_PORT is set");
    assert_eq!(server_port.value, container.container_port.to_string());
    assert_eq!(container.container_port, 3000, "{}", migration.profile.port_source);
}
