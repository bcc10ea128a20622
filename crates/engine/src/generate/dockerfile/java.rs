//! Java images: a JDK stage that builds the jar with Maven or Gradle (through the project's
//! wrapper when it has one, so the build uses the version it pins), the dependencies resolved
//! in their own cached layer, and a JRE stage that runs the one jar.

use super::{LIBRARY, tail_with_note, version};
use crate::model::{AppProfile, PackageManager};

/// Where the build stage works; the jar paths analysis reports are relative to it.
const WORKSPACE: &str = "/workspace";

pub fn dockerfile(profile: &AppProfile) -> String {
    let v = version(profile, "21");
    let gradle = profile.package_manager == PackageManager::Gradle;
    let build = profile.build_command.clone().unwrap_or_else(|| {
        let words: &[&str] =
            if gradle { &["gradle", "bootJar", "--no-daemon"] } else { &["mvn", "-B", "package", "-DskipTests"] };
        words.iter().map(|w| w.to_string()).collect()
    });
    let program = build.first().map_or(if gradle { "gradle" } else { "mvn" }, String::as_str);
    let wrapper = program.starts_with("./");
    let image = match (gradle, wrapper) {
        (_, true) => format!("{LIBRARY}/eclipse-temurin:{v}-jdk"),
        (false, false) => format!("{LIBRARY}/maven:3.9-eclipse-temurin-{v}"),
        // Gradle 8 runs on JDKs up to 24; later ones need Gradle 9.
        (true, false) => {
            let gradle_major = if v.parse::<u32>().is_ok_and(|v| v >= 25) { 9 } else { 8 };
            format!("{LIBRARY}/gradle:{gradle_major}-jdk{v}")
        }
    };
    // The wrapper and the build files, with the version catalog in gradle/ when there is one
    // (the `[e]`/`[s]` patterns copy nothing when the file is absent).
    let manifests = match (gradle, wrapper) {
        (false, true) => "COPY mvnw pom.xml ./\nCOPY .mvn .mvn\n",
        (false, false) => "COPY pom.xml ./\n",
        (true, true) => "COPY gradlew *.gradle* gradle.propertie[s] ./\nCOPY gradle gradle\n",
        (true, false) => "COPY *.gradle* gradle.propertie[s] ./\nCOPY gradl[e] gradle/\n",
    };
    let resolve = if gradle {
        format!("{program} dependencies --no-daemon")
    } else {
        format!("{program} -B dependency:go-offline")
    };
    let build = build.join(" ");
    let (build_steps, jar) = match &profile.entry {
        // A module its reactor builds: the dependency layer would need every module's pom, so
        // the reactor's folder is copied whole and the module built with what it depends on.
        Some(entry) if !profile.build_context.is_empty() => {
            (format!("COPY . .\nRUN {build}\n"), format!("{WORKSPACE}/{entry}"))
        }
        Some(entry) => (
            format!(
                "# Dependencies in their own layer: downloaded again only when the build files change.\n\
                 {manifests}RUN {resolve}\nCOPY . .\nRUN {build}\n"
            ),
            format!("{WORKSPACE}/{entry}"),
        ),
        // The build files did not say which jar runs (a multi-module build): build everything
        // and keep the runnable jar it wrote.
        // With `-pl module -am` the modules it depends on write jars too: only the selected
        // module's is the app.
        None => (
            format!(
                "COPY . .\nRUN {build} && find {} -path '*/{}/*.jar' ! -name '*-plain.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar' -exec cp {{}} {WORKSPACE}/app.jar \\;\n",
                selected_module(&build).map_or(".".to_string(), |module| format!("./{module}")),
                if gradle { "build/libs" } else { "target" }
            ),
            format!("{WORKSPACE}/app.jar"),
        ),
    };
    let heap = if profile.start_command.iter().any(|w| w.starts_with("-XX:MaxRAMPercentage")) {
        "# The heap takes three quarters of the task's memory (the JVM's default is a quarter).\n"
    } else {
        ""
    };
    format!(
        "FROM {image} AS build\nWORKDIR {WORKSPACE}\n{build_steps}\n\
         FROM {LIBRARY}/eclipse-temurin:{v}-jre\nWORKDIR /app\n{}COPY --from=build {jar} app.jar\n{}",
        // Programs the code runs (LibreOffice, git) belong to the image that runs it.
        super::apt_install(&profile.system_packages),
        tail_with_note(profile, heap)
    )
}

/// The module a Maven build selects with `-pl module` (or `--projects`), when it is one folder
/// path that is safe to write into the image's commands.
fn selected_module(build: &str) -> Option<&str> {
    let words: Vec<&str> = build.split_whitespace().collect();
    let module = words.windows(2).find(|pair| matches!(pair[0], "-pl" | "--projects")).map(|pair| pair[1])?;
    (!module.contains(',') && !module.starts_with([':', '!']) && crate::model::is_copyable_path(module))
        .then_some(module)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Runtime;

    fn profile(pm: PackageManager, build: &[&str], entry: Option<&str>) -> AppProfile {
        AppProfile {
            runtime: Some(Runtime { name: "java".into(), version: "17".into(), source: "pom.xml".into() }),
            package_manager: pm,
            package_manager_source: "pom.xml".into(),
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
            build_command: Some(build.iter().map(|w| w.to_string()).collect()),
            build_source: String::new(),
            entry: entry.map(str::to_string),
            entry_source: String::new(),
            build_context: String::new(),
            framework: Some("Spring Boot".into()),
            start_command: ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"].map(String::from).to_vec(),
            start_source: String::new(),
            port: 8081,
            port_source: String::new(),
            health_check_path: "/actuator/health".into(),
            health_source: String::new(),
            env: Vec::new(),
            variables: Vec::new(),
            findings: Vec::new(),
        }
    }

    #[test]
    fn maven_without_wrapper() {
        let text = dockerfile(&profile(
            PackageManager::Maven,
            &["mvn", "-B", "package", "-DskipTests"],
            Some("target/payments-1.8.2.jar"),
        ));
        assert_eq!(
            text,
            "FROM public.ecr.aws/docker/library/maven:3.9-eclipse-temurin-17 AS build\n\
             WORKDIR /workspace\n\
             # Dependencies in their own layer: downloaded again only when the build files change.\n\
             COPY pom.xml ./\n\
             RUN mvn -B dependency:go-offline\n\
             COPY . .\n\
             RUN mvn -B package -DskipTests\n\
             \n\
             FROM public.ecr.aws/docker/library/eclipse-temurin:17-jre\n\
             WORKDIR /app\n\
             COPY --from=build /workspace/target/payments-1.8.2.jar app.jar\n\
             RUN chown 1000:1000 /app\n\
             USER 1000:1000\n\
             EXPOSE 8081\n\
             # The heap takes three quarters of the task's memory (the JVM's default is a quarter).\n\
             CMD [\"java\", \"-XX:MaxRAMPercentage=75\", \"-jar\", \"/app/app.jar\"]\n"
        );
    }

    #[test]
    fn a_module_builds_in_its_reactor() {
        let mut module = profile(
            PackageManager::Maven,
            &["mvn", "-B", "-pl", "admin", "-am", "package", "-DskipTests"],
            Some("admin/target/admin-1.0-SNAPSHOT.jar"),
        );
        module.build_context = "..".into();
        let text = dockerfile(&module);
        assert!(text.contains(
            "WORKDIR /workspace\nCOPY . .\nRUN mvn -B -pl admin -am package -DskipTests\n\nFROM public.ecr.aws/docker/library/eclipse-temurin:17-jre\n"
        ));
        assert!(text.contains("COPY --from=build /workspace/admin/target/admin-1.0-SNAPSHOT.jar app.jar\n"));
        assert!(!text.contains("go-offline"));
    }

    #[test]
    fn wrappers_build_on_the_jdk_image() {
        let maven = dockerfile(&profile(
            PackageManager::Maven,
            &["./mvnw", "-B", "package", "-DskipTests"],
            Some("target/a-1.jar"),
        ));
        assert!(maven.starts_with("FROM public.ecr.aws/docker/library/eclipse-temurin:17-jdk AS build\n"));
        assert!(maven.contains("COPY mvnw pom.xml ./\nCOPY .mvn .mvn\nRUN ./mvnw -B dependency:go-offline\n"));

        let gradle = dockerfile(&profile(
            PackageManager::Gradle,
            &["./gradlew", "bootJar", "--no-daemon"],
            Some("build/libs/catalog-0.4.0.jar"),
        ));
        assert!(gradle.contains("COPY gradlew *.gradle* gradle.propertie[s] ./\nCOPY gradle gradle\n"));
        assert!(
            gradle.contains("RUN ./gradlew dependencies --no-daemon\nCOPY . .\nRUN ./gradlew bootJar --no-daemon\n")
        );
        assert!(gradle.contains("COPY --from=build /workspace/build/libs/catalog-0.4.0.jar app.jar\n"));
    }

    #[test]
    fn gradle_image_and_an_unknown_jar() {
        let text = dockerfile(&profile(PackageManager::Gradle, &["gradle", "bootJar", "--no-daemon"], None));
        assert!(text.starts_with("FROM public.ecr.aws/docker/library/gradle:8-jdk17 AS build\n"));
        assert!(text.contains("-exec cp {} /workspace/app.jar \\;\n"));
        assert!(text.contains("COPY --from=build /workspace/app.jar app.jar\n"));
        assert!(!text.contains("dependencies --no-daemon"));
    }

    #[test]
    fn only_the_selected_modules_jar_is_the_app() {
        let build = ["mvn", "-B", "-pl", "server-starter", "-am", "package", "-DskipTests"];
        let text = dockerfile(&profile(PackageManager::Maven, &build, None));
        assert!(text.contains("&& find ./server-starter -path '*/target/*.jar'"), "{text}");
        let tampered = ["mvn", "-B", "-pl", "x;curl evil", "-am", "package"];
        let text = dockerfile(&profile(PackageManager::Maven, &tampered, None));
        assert!(text.contains("&& find . -path"), "{text}");
    }

    #[test]
    fn no_secret_reaches_the_image() {
        let mut p = profile(PackageManager::Maven, &["mvn", "-B", "package", "-DskipTests"], Some("target/a.jar"));
        p.env.push(crate::model::EnvVar {
            name: "PAYMENTS_API_KEY".into(),
            value: None,
            secret: true,
            source: "user data line 3".into(),
            given: None,
        });
        let text = dockerfile(&p);
        assert!(!text.contains("PAYMENTS_API_KEY"));
        assert!(!text.lines().any(|l| l.starts_with("ENV") || l.starts_with("ARG")));
    }
}
