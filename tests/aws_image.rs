//! The image step on the AWS backend over real HTTP against moto: an ECR login from moto's
//! GetAuthorizationToken, then build and push with the container CLI found on this machine.
//! No container engine runs here, so the CLI is a script that records what it was asked to
//! do; what ferry sends it (argv, stdin, the Dockerfile) is what a real docker would get.
//!
//! One test in its own binary: it sets `FERRY_CONTAINER_CLI`, which `detect()` reads from
//! the process environment.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use ferry::cloud::Cloud;
use ferry::cloud::aws::{AwsOptions, connect};
use ferry::plan::{Action, Plan, PlanHeader, Step};
use support::moto::Moto;

fn fake_docker(dir: &Path) -> std::path::PathBuf {
    let record = dir.join("record");
    std::fs::create_dir_all(&record).unwrap();
    let script = dir.join("docker");
    let body = format!(
        "#!/bin/sh\nrec={rec}\necho \"$@\" > $rec/$1.args\n\
         case \"$1\" in\n  login) cat > $rec/login.stdin ;;\n  build) cp \"$3\" $rec/Dockerfile; echo 'Step 1/2 : FROM scratch'; echo 'built' >&2 ;;\n  push) echo 'pushed latest: digest: sha256:abc' ;;\nesac\nexit 0\n",
        rec = record.display()
    );
    std::fs::write(&script, body).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

#[tokio::test]
async fn the_image_is_built_and_pushed_after_an_ecr_login() {
    let work = tempfile::tempdir().unwrap();
    let docker = fake_docker(work.path());
    // SAFETY: the only test in this binary, and it sets the variable before any other thread
    // of it reads the environment.
    unsafe { std::env::set_var("FERRY_CONTAINER_CLI", &docker) };
    let moto = Moto::start();
    let config = support::estate::sdk_config(&moto.endpoint()).await;
    let options = AwsOptions {
        region: Some("us-east-1".into()),
        endpoint_url: Some(moto.endpoint()),
        max_attempts: Some(1),
        credentials: config.credentials_provider(),
        ..AwsOptions::default()
    };
    let cloud = connect(&options).await.unwrap();
    let created = cloud.execute(&Action::CreateEcrRepository { name: "shop-api".into(), tags: vec![] }, &|_| {}).await;
    let uri = created.unwrap().get("repositoryUri").unwrap().to_string();

    let context = work.path().join("app");
    std::fs::create_dir_all(&context).unwrap();
    let dockerfile = "FROM scratch\nCOPY . /\n".to_string();
    let image = format!("{uri}:latest");
    let build = Action::BuildAndPushImage {
        context_dir: context.display().to_string(),
        dockerfile: dockerfile.clone(),
        dockerignore: ".git\n".into(),
        dockerfile_sha256: ferry::digest::sha256_hex(dockerfile.as_bytes()),
        image: image.clone(),
    };
    let plan =
        Plan::new(plan_header(), vec![Step { id: "image".into(), action: build.clone() }], vec![], Default::default());
    assert_eq!(cloud.preflight(&plan).await, Vec::<String>::new(), "a CLI and a context: nothing stops the build");

    let lines = std::sync::Mutex::new(Vec::new());
    let output = cloud.execute(&build, &|line| lines.lock().unwrap().push(line)).await.expect("built and pushed");
    assert_eq!(output.get("image"), Some(image.as_str()));

    let record = work.path().join("record");
    let read = |name: &str| std::fs::read_to_string(record.join(name)).unwrap_or_default();
    let login = read("login.args");
    assert!(login.starts_with("login --username AWS --password-stdin"), "{login}");
    let password = read("login.stdin");
    assert!(!password.trim().is_empty(), "the ECR password arrives on stdin");
    assert!(!login.contains(password.trim()), "and never in argv");
    let build_args = read("build.args");
    assert!(build_args.starts_with("build") && build_args.contains(&format!("-t {image}")), "{build_args}");
    assert!(
        build_args.contains("--platform linux/amd64")
            && build_args.trim_end().ends_with(&context.display().to_string())
    );
    assert_eq!(read("Dockerfile"), dockerfile, "the plan's Dockerfile is what was built");
    assert_eq!(read("push.args").trim(), format!("push {image}"));
    let lines = lines.into_inner().unwrap();
    assert!(lines.iter().any(|l| l.contains("Step 1/2 : FROM scratch")), "build output streams: {lines:?}");
    assert!(lines.iter().any(|l| l.contains("pushed latest")), "push output streams: {lines:?}");
    assert!(lines.iter().all(|l| !l.contains(password.trim())), "the password is in no progress line");

    // A plan with no source folder is stopped before apply (a machine without a container CLI
    // is tested where the CLI is found: tests/suite/image_cli.rs).
    let mut no_context = build.clone();
    if let Action::BuildAndPushImage { context_dir, .. } = &mut no_context {
        context_dir.clear();
    }
    let plan =
        Plan::new(plan_header(), vec![Step { id: "image".into(), action: no_context }], vec![], Default::default());
    let problems = cloud.preflight(&plan).await;
    assert!(problems.iter().any(|p| p.contains("--app DIR") && p.contains("--image URI")), "{problems:?}");
}

fn plan_header() -> PlanHeader {
    PlanHeader {
        service_name: "shop-api".into(),
        source_instance_id: "i-1".into(),
        account_id: "123456789012".into(),
        region: "us-east-1".into(),
    }
}
