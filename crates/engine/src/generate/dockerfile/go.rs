//! Go images: a build stage on the official golang image at the version go.mod asks for (the
//! image never downloads another toolchain), modules downloaded before the source is copied so
//! their layer is cached, and a final image holding the binary alone: `scratch` with the CA
//! certificates and a writable /tmp for a static binary, Debian slim when cgo links glibc.

use super::{LIBRARY, apt_install, exec_form, shell_word, version};
use crate::model::{AppProfile, is_copyable_path};

/// The build when the profile names none (no source folder): the module's root package.
const DEFAULT_BUILD: [&str; 10] =
    ["CGO_ENABLED=0", "go", "build", "-trimpath", "-ldflags=-s -w", "-tags", "timetzdata", "-o", "/out/app", "."];

/// The Debian release of the final stage when cgo links the binary against its C library.
const DEBIAN: &str = "bookworm";

/// The Debian release of the golang image for `go`: bookworm images start with Go 1.20, and
/// older releases were published on buster (1.12 on) or stretch. A binary linked against an
/// older glibc runs on bookworm's.
fn build_debian(go: &str) -> &'static str {
    let mut parts = go.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    match (parts.next().unwrap_or(1), parts.next().unwrap_or(0)) {
        (1, minor) if minor < 12 => "stretch",
        (1, minor) if minor < 20 => "buster",
        _ => DEBIAN,
    }
}

/// Runs as uid 1000: scratch has no users to name, and none is needed to run a binary.
pub fn dockerfile(profile: &AppProfile) -> String {
    let go = version(profile, "1.25");
    let build: Vec<String> = profile
        .build_command
        .clone()
        .filter(|words| words.iter().any(|w| w == "go") && words.iter().any(|w| w == "-o"))
        .unwrap_or_else(|| DEFAULT_BUILD.iter().map(|w| (*w).to_string()).collect());
    let output = build.iter().skip_while(|w| *w != "-o").nth(1).cloned().unwrap_or_else(|| "/out/app".into());
    let name = output.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("app");
    let binary = format!("/app/{name}");
    let cgo = build.first().is_some_and(|w| w == "CGO_ENABLED=1");
    // The analysis names the binary it builds; anything else (a command read from user data)
    // would not exist in this image.
    let start = if profile.start_command.first() == Some(&binary) {
        profile.start_command.clone()
    } else {
        vec![binary.clone()]
    };
    let run_build = build.iter().map(|w| shell_word(w, false)).collect::<Vec<_>>().join(" ");
    // A binary that runs other programs (git) needs them installed: scratch has none.
    let debian = cgo || !profile.system_packages.is_empty();
    let (builder, final_stage) = if debian {
        let builder =
            if cgo { format!("{LIBRARY}/golang:{go}-{}", build_debian(go)) } else { format!("{LIBRARY}/golang:{go}") };
        (
            builder,
            format!(
                "FROM {LIBRARY}/debian:{DEBIAN}-slim\n{}\
                 COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n",
                apt_install(&profile.system_packages)
            ),
        )
    } else {
        (
            format!("{LIBRARY}/golang:{go}"),
            "FROM scratch\n\
             COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n\
             COPY --from=build --chown=1000:1000 /tmp/empty /tmp\n"
                .to_string(),
        )
    };
    let make_tmp = if debian { "" } else { " \\\n    && mkdir /tmp/empty" };
    // `scratch` has no shell to hand the folder over with.
    let user = if debian { super::RUNTIME_USER } else { "USER 1000:1000" };
    format!(
        "FROM {builder} AS build\nWORKDIR /src\nCOPY go.mod go.sum* ./\nRUN go mod download\nCOPY . .\n\
         RUN {run_build}{make_tmp}\n\n\
         {final_stage}WORKDIR /app\nCOPY --from=build {output} {binary}\n{}\
         {user}\nEXPOSE {}\nCMD {}\n",
        copy_runtime_files(profile),
        profile.port,
        exec_form(&start),
    )
}

/// The files the binary opens by a relative path (`conf/app.ini`), copied beside it: the final
/// image holds nothing else. A path that is not a plain relative one is left out.
fn copy_runtime_files(profile: &AppProfile) -> String {
    profile
        .runtime_files
        .iter()
        .filter(|path| is_copyable_path(path))
        .map(|path| format!("COPY --from=build /src/{path} /app/{path}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PackageManager, Runtime};

    fn profile(build: Option<&[&str]>, start: &[&str]) -> AppProfile {
        AppProfile {
            runtime: Some(Runtime { name: "go".into(), version: "1.23".into(), source: "go.mod:5".into() }),
            package_manager: PackageManager::Go,
            package_manager_source: "go.mod".into(),
            package_manager_release: None,
            skipped_install_scripts: Vec::new(),
            trimmed_install_scripts: Vec::new(),
            install_scripts: Vec::new(),
            system_packages: Vec::new(),
            system_packages_source: String::new(),
            frontend: None,
            install_extras: Vec::new(),
            install_groups: Vec::new(),
            install_project: false,
            added_packages: Vec::new(),
            runtime_files: Vec::new(),
            placed_files: Vec::new(),
            install_files: Vec::new(),
            build_command: build.map(|b| b.iter().map(|w| (*w).to_string()).collect()),
            build_source: "cmd/api/main.go:12".into(),
            entry: Some("./cmd/api".into()),
            entry_source: "cmd/api/main.go:12".into(),
            build_context: String::new(),
            framework: Some("chi".into()),
            start_command: start.iter().map(|w| (*w).to_string()).collect(),
            start_source: "cmd/api/main.go:12".into(),
            port: 8080,
            port_source: "cmd/api/main.go:20".into(),
            health_check_path: "/".into(),
            health_source: "default".into(),
            env: Vec::new(),
            variables: Vec::new(),
            findings: Vec::new(),
        }
    }

    const STATIC: [&str; 10] = [
        "CGO_ENABLED=0",
        "go",
        "build",
        "-trimpath",
        "-ldflags=-s -w",
        "-tags",
        "timetzdata",
        "-o",
        "/out/api",
        "./cmd/api",
    ];

    #[test]
    fn static_binary_on_scratch() {
        let text = dockerfile(&profile(Some(&STATIC), &["/app/api"]));
        assert_eq!(
            text,
            "FROM public.ecr.aws/docker/library/golang:1.23 AS build\n\
             WORKDIR /src\n\
             COPY go.mod go.sum* ./\n\
             RUN go mod download\n\
             COPY . .\n\
             RUN CGO_ENABLED=0 go build -trimpath -ldflags=\"-s -w\" -tags timetzdata -o /out/api ./cmd/api \\\n\
             \x20   && mkdir /tmp/empty\n\
             \n\
             FROM scratch\n\
             COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n\
             COPY --from=build --chown=1000:1000 /tmp/empty /tmp\n\
             WORKDIR /app\n\
             COPY --from=build /out/api /app/api\n\
             USER 1000:1000\n\
             EXPOSE 8080\n\
             CMD [\"/app/api\"]\n"
        );
    }

    #[test]
    fn cgo_builds_and_runs_on_the_same_debian() {
        let mut build = STATIC;
        build[0] = "CGO_ENABLED=1";
        let text = dockerfile(&profile(Some(&build), &["/app/api"]));
        assert!(text.starts_with("FROM public.ecr.aws/docker/library/golang:1.23-bookworm AS build\n"), "{text}");
        assert!(text.contains("RUN CGO_ENABLED=1 go build"));
        assert!(text.contains("\nFROM public.ecr.aws/docker/library/debian:bookworm-slim\n"));
        assert!(!text.contains("scratch") && !text.contains("/tmp/empty"));
        assert!(text.ends_with("USER 1000:1000\nEXPOSE 8080\nCMD [\"/app/api\"]\n"));
    }

    #[test]
    fn programs_the_binary_runs_are_installed_on_debian() {
        let mut p = profile(Some(&STATIC), &["/app/api"]);
        p.system_packages = vec!["git".into()];
        let text = dockerfile(&p);
        assert!(text.starts_with("FROM public.ecr.aws/docker/library/golang:1.23 AS build\n"), "{text}");
        assert!(text.contains("RUN CGO_ENABLED=0 go build"));
        assert!(text.contains("\nFROM public.ecr.aws/docker/library/debian:bookworm-slim\n"), "{text}");
        assert!(text.contains("apt-get install -y --no-install-recommends git \\\n"), "{text}");
        assert!(!text.contains("scratch") && !text.contains("/tmp/empty"));
    }

    #[test]
    fn without_source_it_builds_the_root_package() {
        let mut p = profile(None, &["node", "server.js"]);
        p.runtime = None;
        let text = dockerfile(&p);
        assert!(text.starts_with("FROM public.ecr.aws/docker/library/golang:1.25 AS build\n"));
        assert!(text.contains("-o /out/app . \\\n"), "{text}");
        assert!(text.ends_with("CMD [\"/app/app\"]\n"));
    }

    #[test]
    fn no_secret_reaches_the_image() {
        let mut p = profile(Some(&STATIC), &["/app/api"]);
        p.env = vec![crate::model::EnvVar {
            name: "DATABASE_URL".into(),
            value: None,
            secret: true,
            source: "user data line 3".into(),
            given: None,
        }];
        let text = dockerfile(&p);
        assert!(!text.contains("ENV") && !text.contains("ARG") && !text.contains("DATABASE_URL"));
    }

    #[test]
    fn words_are_quoted_for_the_shell() {
        assert_eq!(shell_word("./cmd/api", false), "./cmd/api");
        assert_eq!(shell_word("-ldflags=-s -w", false), "-ldflags=\"-s -w\"");
        assert_eq!(shell_word("a $b", false), "\"a \\$b\"");
    }

    #[test]
    fn old_go_builds_on_the_debian_its_images_were_published_on() {
        assert_eq!(build_debian("1.13"), "buster");
        assert_eq!(build_debian("1.11"), "stretch");
        assert_eq!(build_debian("1.20"), "bookworm");
        assert_eq!(build_debian("1.25"), "bookworm");
    }

    #[test]
    fn files_the_binary_reads_at_run_time_are_copied_beside_it() {
        let mut p = profile(Some(&STATIC), &["/app/api"]);
        p.runtime_files = vec!["conf/app.ini".into(), "../secret".into(), "/etc/passwd".into()];
        let text = dockerfile(&p);
        assert!(text.contains("COPY --from=build /src/conf/app.ini /app/conf/app.ini\n"), "{text}");
        assert!(!text.contains("secret") && !text.contains("passwd"), "{text}");
    }
}
