//! Blind round 28's classes, end to end: a server whose port only its maintainers' image
//! names, on an instance whose target group sends traffic elsewhere.

use ferry::analyze::AppFiles;
use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::migration::{Migration, prepare_with};

async fn migrate(files: &[(&str, &str)]) -> Migration {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).expect("the sandbox");
    let app = AppFiles::from_pairs(files.iter().copied());
    prepare_with(&sandbox, sandbox.app_instance(), Some(&app)).await.expect("prepares")
}

/// vikunja's shape: the Go server listens on its own setting's default, which only the
/// maintainers' image says (`EXPOSE 3456`), and reads no PORT. The instance's target group sends
/// traffic to 3000 through a proxy: the container runs the app alone, so its port is 3456.
#[tokio::test]
async fn the_maintainers_images_port_wins_over_the_target_groups_when_the_app_reads_no_port() {
    let migration = migrate(&[
        ("go.mod", "module example.com/tasks\n\ngo 1.22\n"),
        (
            "main.go",
            "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\thttp.ListenAndServe(os.Getenv(\"TASKS_INTERFACE\"), nil)\n}\n",
        ),
        ("Dockerfile", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /tasks .\nEXPOSE 3456\nCMD [\"/tasks\"]\n"),
    ])
    .await;
    let profile = &migration.profile;
    assert_eq!(profile.port, 3456, "{}", profile.port_source);
    assert!(profile.findings.iter().any(|f| f.kind == "port-disagreement" && f.message.contains("reads no PORT")));
    assert_eq!(migration.artifacts.service_config.primary_container.container_port, 3456);
    assert!(migration.artifacts.dockerfile.contains("EXPOSE 3456"), "{}", migration.artifacts.dockerfile);
}
