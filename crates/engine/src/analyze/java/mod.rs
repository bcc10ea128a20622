//! Java applications read from their source folder: the JDK version, Maven or Gradle (and
//! their wrappers), the jar the build writes, Spring Boot and its Actuator, the port and the
//! environment from `application.properties`/`application.yml`, and what will not survive a
//! container. Every fact says which file (and line) it came from.

use super::app_files::AppFiles;
use super::source::{Fact, Framework, SourceFacts, fact, version_in};
use super::stated_version;
use crate::model::{Finding, PackageManager};

mod bound_properties;
mod comments;
mod constructor_properties;
mod context_path;
mod dev_profile;
mod gradle;
mod maven;
mod outside_config;
mod quartz_startup;
mod reactor;
mod readiness;
mod spring_config;
mod spring_starters;
mod startup_seeds;
mod upload_constants;
mod upload_writes;

pub(crate) use comments::without_comments;
use gradle::Gradle;
use maven::Pom;
use readiness::readiness;
use spring_config::SpringConfig;

const CODE: [&str; 2] = ["java", "kt"];
const BOOT_GROUP: &str = "org.springframework.boot";
const SPRING_BOOT: Framework = Framework { name: "Spring Boot", default_port: Some(8080) };

/// The JVM sizes its heap from the container's memory limit, but by default takes only a
/// quarter of it: three quarters leaves room for metaspace, thread stacks and direct buffers
/// while the heap gets what the task pays for.
const JAVA: [&str; 3] = ["java", "-XX:MaxRAMPercentage=75", "-jar"];
/// Where the image keeps the one jar it runs.
const JAR_IN_IMAGE: &str = "/app/app.jar";

/// The facts of a Java app, or `None` when the folder has no pom.xml or Gradle build file.
pub fn analyze(files: &AppFiles) -> Option<SourceFacts> {
    // Every reader below sees the code as the compiler does: commented-out code is no code.
    let uncommented = comments::without_comments(files);
    let files = &uncommented;
    let build = if let Some(text) = files.get("pom.xml") {
        Build::Maven(Box::new(Pom::parse(text)))
    } else {
        let file = ["build.gradle.kts", "build.gradle"].into_iter().find(|f| files.has(f))?;
        Build::Gradle(Gradle::read(files, file))
    };
    // A reactor's module runs with the sibling modules it depends on: their code is read too.
    let with_siblings = match &build {
        Build::Maven(pom) => reactor::with_sibling_modules(files, pom).map(|all| comments::without_comments(&all)),
        Build::Gradle(_) => None,
    };
    let code = with_siblings.as_ref().unwrap_or(files);
    let mut config = SpringConfig::read(code);
    config.boot_one = build.boot_one();
    let mut facts = SourceFacts::new("java", "21", build.package_manager(files));
    // A module of a multi-project build: the parent pom's `java.version` it inherits, then the
    // root's version files and build file (before a CI matrix's newest JDK).
    facts.version = runtime_version(files, &build).or_else(|| reactor::inherited_java_version(files)).or_else(|| {
        crate::analyze::repository_pins::from_root(files, |repository| {
            match ["build.gradle.kts", "build.gradle"].into_iter().find(|f| repository.has(f)) {
                Some(file) => runtime_version(repository, &Build::Gradle(Gradle::read(repository, file))),
                None => runtime_version(repository, &build),
            }
        })
    });
    facts.build = Some(build.command(files));
    facts.framework = build.spring_boot().map(|source| fact(SPRING_BOOT, source));
    facts.entry = build.jar(files, facts.framework.is_some(), &mut facts.findings);
    if let Build::Maven(pom) = &build
        && let Some(reactor) = reactor::enclosing(files, pom)
    {
        facts.build = Some(reactor.build());
        facts.entry = facts.entry.take().map(|jar| reactor.entry(jar));
        facts.build_context = Some(fact("..".to_string(), "pom.xml <parent>"));
        facts.findings.push(reactor.finding());
    }
    let module = facts.build_context.is_some().then(|| files.root.as_deref().and_then(|r| r.file_name())).flatten();
    let module = module.map(|name| name.to_string_lossy().to_string());
    if let Some((placed, said)) = outside_config::placed(files, module.as_deref()) {
        facts.placed_files.push(placed);
        facts.findings.push(said);
    }
    facts.start = Some(fact(
        JAVA.iter().copied().chain([JAR_IN_IMAGE]).map(str::to_string).collect(),
        facts
            .entry
            .as_ref()
            .map_or_else(|| build.file().to_string(), |e| format!("the jar the build writes ({})", e.value)),
    ));
    facts.port = config.port();
    facts.health_path = health(files, &build, &config, &mut facts.findings);
    facts.variables = spring_config::variable_reads(code, &config);
    facts.variables.extend(bound_properties::reads(code, &config));
    facts.variables.extend(crate::analyze::variables::logback_reads(files));
    readiness(code, &build, &config, &mut facts.findings);
    Some(facts)
}

/// The path the load balancer checks. Actuator's health endpoint counts only when the security
/// filter chain lets it through without a login; otherwise it answers 401 and a route the chain
/// opens is checked.
fn health(files: &AppFiles, build: &Build, config: &SpringConfig, findings: &mut Vec<Finding>) -> Option<Fact<String>> {
    let present = build.actuator().or_else(|| config.actuator_setting());
    let permitted = super::health::spring_permits(files, &config.actuator_health()) != Some(false);
    if let Some(source) = present.clone().filter(|_| permitted) {
        return Some(fact(config.health_path(), source));
    }
    let before = findings.len();
    let found = super::health::health_path(files, &CODE, findings);
    let found = context_path::under_context(files, found, &config.context_path(), &mut findings[before..])
        .or_else(|| context_path::context_root(&config.context_path(), findings));
    // With no open route in the code either, Actuator's endpoint is still the one to check:
    // apps commonly open it through a list of URLs kept in their settings, which ferry does
    // not follow; the operator is asked to make sure.
    let nothing_open = found.as_ref().is_none_or(|path| path.source.starts_with("default"));
    let Some(source) = present.filter(|_| !permitted && nothing_open) else { return found };
    findings.retain(|f| f.kind != "no-health-route");
    findings.push(
        Finding::warning(
            "health-needs-permit",
            format!(
                "the service checks {}, Actuator's health endpoint, which the security filter chain does not open in the code: a check that gets 401 fails",
                config.health_path()
            ),
            source.clone(),
        )
        .with_fix(format!("permit {} without a login in the security configuration", config.actuator_health())),
    );
    Some(fact(config.health_path(), source))
}

enum Build {
    Maven(Box<Pom>),
    Gradle(Gradle),
}

impl Build {
    fn file(&self) -> &str {
        match self {
            Build::Maven(_) => "pom.xml",
            Build::Gradle(g) => g.file,
        }
    }

    fn package_manager(&self, files: &AppFiles) -> Fact<PackageManager> {
        match self {
            Build::Maven(_) => fact(PackageManager::Maven, "pom.xml"),
            Build::Gradle(g) if wrapper(files, PackageManager::Gradle) => {
                fact(PackageManager::Gradle, format!("{} (wrapper gradlew)", g.file))
            }
            Build::Gradle(g) => fact(PackageManager::Gradle, g.file),
        }
    }

    /// Tests run in CI, not in the image build (they may need a database it does not have).
    fn command(&self, files: &AppFiles) -> Fact<Vec<String>> {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        match self {
            Build::Maven(_) if wrapper(files, PackageManager::Maven) => {
                fact(words(&["./mvnw", "-B", "package", "-DskipTests"]), "mvnw (Maven wrapper)")
            }
            Build::Maven(_) => fact(words(&["mvn", "-B", "package", "-DskipTests"]), "pom.xml"),
            Build::Gradle(g) => {
                let task = g.jar_task();
                if wrapper(files, PackageManager::Gradle) {
                    fact(words(&["./gradlew", task, "--no-daemon"]), "gradlew (Gradle wrapper)")
                } else {
                    fact(words(&["gradle", task, "--no-daemon"]), g.file)
                }
            }
        }
    }

    fn spring_boot(&self) -> Option<String> {
        match self {
            Build::Maven(pom) => pom.spring_boot(),
            Build::Gradle(g) => g.boot_plugin.map(|line| format!("{}:{line} plugin org.springframework.boot", g.file)),
        }
    }

    /// Whether the app builds on Spring Boot 1.x, whose Actuator and settings differ.
    fn boot_one(&self) -> bool {
        match self {
            Build::Maven(pom) => pom.boot_one(),
            Build::Gradle(g) => g.boot_one(),
        }
    }

    fn actuator(&self) -> Option<String> {
        match self {
            Build::Maven(pom) => pom
                .dependency("spring-boot-starter-actuator")
                .map(|d| format!("pom.xml:{} spring-boot-starter-actuator", d.line)),
            Build::Gradle(g) => g
                .line_with(|l| l.contains("spring-boot-starter-actuator"))
                .map(|(line, _)| format!("{}:{line} spring-boot-starter-actuator", g.file)),
        }
    }

    fn depends_on(&self, artifact: &str) -> Option<String> {
        match self {
            Build::Maven(pom) => pom.dependency(artifact).map(|d| format!("pom.xml:{} {artifact}", d.line)),
            Build::Gradle(g) => {
                g.line_with(|l| l.contains(artifact)).map(|(line, _)| format!("{}:{line} {artifact}", g.file))
            }
        }
    }

    /// The jar the build writes, relative to the folder.
    fn jar(&self, files: &AppFiles, boot: bool, findings: &mut Vec<Finding>) -> Option<Fact<String>> {
        match self {
            Build::Maven(pom) => pom.jar(boot, findings),
            Build::Gradle(g) => g.jar(files, boot, findings),
        }
    }
}

/// The wrapper script and its properties are committed: the build uses the tool's pinned version.
fn wrapper(files: &AppFiles, tool: PackageManager) -> bool {
    match tool {
        PackageManager::Maven => files.has("mvnw") && files.has(".mvn/wrapper/maven-wrapper.properties"),
        _ => files.has("gradlew") && files.has("gradle/wrapper/gradle-wrapper.properties"),
    }
}

/// The Java major version from a version string: `17`, `1.8` → `8`, `21.0.2-tem` → `21`,
/// `temurin-17.0.9+9` → `17`.
fn java_major(text: &str) -> Option<String> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let numbers = version_in(&text[start..], 2)?;
    let major = match numbers.split_once('.') {
        Some(("1", minor)) => minor,
        Some((major, _)) => major,
        None => numbers.as_str(),
    };
    major.parse::<u8>().ok().filter(|m| (8..=40).contains(m)).map(|m| m.to_string())
}

/// The version the JDK image is pinned to: the version files developers keep, then the build.
fn runtime_version(files: &AppFiles, build: &Build) -> Option<Fact<String>> {
    if let Some(v) = files.get(".java-version").and_then(java_major) {
        return Some(fact(v, ".java-version"));
    }
    let line_value = |file: &str, key: &str, separator: char| {
        let text = files.get(file)?;
        text.lines().enumerate().find_map(|(i, line)| {
            let (k, value) = line.trim().split_once(separator)?;
            (k.trim() == key).then(|| java_major(value)).flatten().map(|v| fact(v, format!("{file}:{}", i + 1)))
        })
    };
    let from_files = line_value(".sdkmanrc", "java", '=')
        .or_else(|| line_value(".tool-versions", "java", ' '))
        .or_else(|| line_value("system.properties", "java.runtime.version", '='));
    if from_files.is_some() {
        return from_files;
    }
    let from_build = match build {
        Build::Maven(pom) => pom.java_version(),
        Build::Gradle(g) => g.java_version(),
    };
    from_build
        .or_else(|| stated_version::dockerfile(files, &stated_version::JAVA))
        .or_else(|| stated_version::ci(files, &stated_version::JAVA))
}

// ---------------------------------------------------------------------------------------------
// Maven

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FindingLevel;

    const POM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.3.4</version>
  </parent>
  <groupId>com.example</groupId>
  <artifactId>orders</artifactId>
  <version>1.4.0</version>
  <properties>
    <java.version>17</java.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-actuator</artifactId>
    </dependency>
  </dependencies>
</project>
"#;

    fn analyze_pairs(pairs: &[(&str, &str)]) -> SourceFacts {
        analyze(&AppFiles::from_pairs(pairs.iter().copied())).unwrap()
    }

    /// Spring Security asks every request for a login and the code opens nothing: Actuator's
    /// endpoint is still the check, with a warning to permit it, not a guarded `/`.
    #[test]
    fn actuator_behind_a_chain_that_opens_nothing_in_the_code() {
        let chain = "class SecurityConfig {\n  SecurityFilterChain chain(HttpSecurity http) {\n    for (String url : ignored.getUrls()) { registry.antMatchers(url).permitAll(); }\n    registry.anyRequest().authenticated();\n  }\n}\n";
        let facts = analyze_pairs(&[("pom.xml", POM), ("src/main/java/com/example/SecurityConfig.java", chain)]);
        assert_eq!(facts.health_path.map(|p| p.value).as_deref(), Some("/actuator/health"));
        let kinds: Vec<&str> = facts.findings.iter().map(|f| f.kind.as_str()).collect();
        assert!(kinds.contains(&"health-needs-permit") && !kinds.contains(&"no-health-route"), "{kinds:?}");
    }

    #[test]
    fn a_loopback_server_address_is_a_blocker() {
        let facts = analyze_pairs(&[
            ("pom.xml", POM),
            ("src/main/resources/application.properties", "server.address=${SERVER_HOST:127.0.0.1}\n"),
        ]);
        let finding = facts.findings.iter().find(|f| f.kind == "loopback-bind").expect("found");
        assert_eq!(
            (finding.level, finding.source.as_str()),
            (FindingLevel::Blocker, "src/main/resources/application.properties:1")
        );
    }

    #[test]
    fn reads_a_spring_boot_maven_app() {
        let facts = analyze_pairs(&[
            ("pom.xml", POM),
            (
                "src/main/resources/application.properties",
                "server.port=${PORT:8081}\nspring.datasource.url=${DATABASE_URL}\nspring.jpa.open-in-view=false\n",
            ),
            (
                "src/main/java/com/example/Jobs.java",
                "@EnableScheduling\nclass Jobs {\n  @Scheduled(fixedRate = 60000)\n  void sweep() { System.getenv(\"SWEEP_TOKEN\"); }\n}\n",
            ),
            ("src/test/java/com/example/JobsTest.java", "class T { String s = System.getenv(\"TEST_ONLY\"); }\n"),
        ]);
        assert_eq!(facts.runtime, "java");
        assert_eq!(facts.version, Some(fact("17".to_string(), "pom.xml:13 <java.version>")));
        assert_eq!(facts.package_manager.value, PackageManager::Maven);
        assert_eq!(facts.build.unwrap().value, ["mvn", "-B", "package", "-DskipTests"]);
        assert_eq!(facts.entry.unwrap().value, "target/orders-1.4.0.jar");
        assert_eq!(facts.start.unwrap().value, ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]);
        assert_eq!(facts.framework.unwrap().value.name, "Spring Boot");
        assert_eq!(facts.port, Some(fact(8081, "src/main/resources/application.properties:1")));
        assert_eq!(
            facts.health_path,
            Some(fact("/actuator/health".to_string(), "pom.xml:16 spring-boot-starter-actuator"))
        );
        let env: Vec<_> = facts.variables.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(env, ["PORT", "DATABASE_URL", "SWEEP_TOKEN"]);
        let scheduled = facts.findings.iter().find(|f| f.message.contains("scheduled jobs")).unwrap();
        assert_eq!(
            (scheduled.level, scheduled.source.as_str()),
            (FindingLevel::Warning, "src/main/java/com/example/Jobs.java:3")
        );
    }

    #[test]
    fn maven_wrapper_final_name_and_inherited_version() {
        let pom = r#"<project><parent><groupId>com.acme</groupId><artifactId>acme-parent</artifactId><version>2.0.1</version></parent>
<artifactId>billing</artifactId>
<properties><maven.compiler.release>11</maven.compiler.release></properties>
<build><plugins><plugin><artifactId>maven-shade-plugin</artifactId></plugin></plugins></build></project>"#;
        let facts =
            analyze_pairs(&[("pom.xml", pom), ("mvnw", "#!/bin/sh"), (".mvn/wrapper/maven-wrapper.properties", "")]);
        assert_eq!(facts.build.unwrap().value, ["./mvnw", "-B", "package", "-DskipTests"]);
        assert_eq!(facts.entry.unwrap().value, "target/billing-2.0.1.jar");
        assert_eq!(facts.version.unwrap().value, "11");
        assert_eq!(facts.framework, None);
        assert!(facts.findings.is_empty(), "{:?}", facts.findings);

        let named = POM.replace(
            "</dependencies>",
            "</dependencies><build><finalName>${project.artifactId}-app</finalName></build>",
        );
        assert_eq!(analyze_pairs(&[("pom.xml", &named)]).entry.unwrap().value, "target/orders-app.jar");
        // Spring Boot 2.0's repackage goal names the executable jar in its own configuration.
        let repackaged = POM.replace(
            "</dependencies>",
            "</dependencies><build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId><configuration><finalName>orders-service</finalName></configuration></plugin></plugins></build>",
        );
        assert_eq!(analyze_pairs(&[("pom.xml", &repackaged)]).entry.unwrap().value, "target/orders-service.jar");
    }

    #[test]
    fn java_versions_from_files_and_builds() {
        let v = |pairs: &[(&str, &str)]| analyze_pairs(pairs).version.map(|f| (f.value, f.source));
        assert_eq!(v(&[("pom.xml", POM), (".java-version", "21.0\n")]), Some(("21".into(), ".java-version".into())));
        assert_eq!(
            v(&[("pom.xml", POM), (".sdkmanrc", "# sdk env\njava=21.0.2-tem\n")]),
            Some(("21".into(), ".sdkmanrc:2".into()))
        );
        let gradle = |text: &str| v(&[("build.gradle", text)]).map(|(v, _)| v);
        assert_eq!(gradle("java {\n  sourceCompatibility = JavaVersion.VERSION_1_8\n}").as_deref(), Some("8"));
        assert_eq!(gradle("sourceCompatibility = '17'").as_deref(), Some("17"));
        assert_eq!(gradle("kotlin { jvmToolchain(21) }").as_deref(), Some("21"));
        assert_eq!(gradle("plugins { id 'java' }"), None);
        let compiler = r#"<project><artifactId>a</artifactId><version>1</version><build><plugins><plugin>
<artifactId>maven-compiler-plugin</artifactId><configuration><release>${jdk}</release></configuration>
</plugin></plugins></build><properties><jdk>1.8</jdk></properties></project>"#;
        assert_eq!(v(&[("pom.xml", compiler)]).map(|(v, _)| v).as_deref(), Some("8"));
        assert_eq!(java_major("temurin-17.0.9+9"), Some("17".into()));
    }

    #[test]
    fn reads_a_spring_boot_gradle_app() {
        let build = r#"plugins {
    java
    id("org.springframework.boot") version "3.3.4"
    id("io.spring.dependency-management") version "1.1.6"
}

group = "com.example"
version = "0.2.0"

java {
    toolchain {
        languageVersion = JavaLanguageVersion.of(21)
    }
}

dependencies {
    implementation("org.springframework.boot:spring-boot-starter-web")
    implementation("org.springframework.boot:spring-boot-starter-actuator")
}
"#;
        let facts = analyze_pairs(&[
            ("build.gradle.kts", build),
            ("settings.gradle.kts", "rootProject.name = \"inventory\"\n"),
            ("gradlew", "#!/bin/sh"),
            (
                "gradle/wrapper/gradle-wrapper.properties",
                "distributionUrl=https\\://services.gradle.org/distributions/gradle-8.10.2-bin.zip",
            ),
            (
                "src/main/resources/application.yml",
                "spring:\n  application:\n    name: inventory\nserver:\n  port: 9000 # behind nginx\n  servlet:\n    context-path: /api\n",
            ),
            (
                "src/main/kotlin/Config.kt",
                "class C(@Value(\"\\${STOCK_URL}\") val url: String) { val s = \"${LOCAL}\" }\n",
            ),
        ]);
        assert_eq!(facts.package_manager.value, PackageManager::Gradle);
        assert_eq!(facts.version, Some(fact("21".to_string(), "build.gradle.kts:12")));
        assert_eq!(facts.build.unwrap().value, ["./gradlew", "bootJar", "--no-daemon"]);
        assert_eq!(facts.entry.unwrap().value, "build/libs/inventory-0.2.0.jar");
        assert_eq!(facts.framework.unwrap().source, "build.gradle.kts:3 plugin org.springframework.boot");
        assert_eq!(facts.port, Some(fact(9000, "src/main/resources/application.yml:5")));
        assert_eq!(facts.health_path.unwrap().value, "/api/actuator/health");
        let env: Vec<_> = facts.variables.iter().map(|f| f.name.as_str()).collect();
        // The port a file fixes is set through relaxed binding, as an operator may need to.
        assert_eq!(env, ["STOCK_URL", "SERVER_PORT"]);
    }

    #[test]
    fn gradle_jar_names() {
        let jar = |build: &str, extra: &[(&str, &str)]| {
            let mut pairs = vec![("build.gradle", build), ("settings.gradle", "rootProject.name = 'shop'")];
            pairs.extend_from_slice(extra);
            analyze_pairs(&pairs).entry.map(|e| e.value)
        };
        let boot = "plugins {\n  id 'org.springframework.boot' version '3.3.4'\n}\n";
        assert_eq!(jar(boot, &[]).as_deref(), Some("build/libs/shop.jar"));
        assert_eq!(
            jar(boot, &[("gradle.properties", "version=1.2.3\n")]).as_deref(),
            Some("build/libs/shop-1.2.3.jar")
        );
        let renamed = format!("{boot}version = '1.0'\ntasks.named('bootJar') {{\n  archiveFileName = 'app.jar'\n}}\n");
        assert_eq!(jar(&renamed, &[]).as_deref(), Some("build/libs/app.jar"));
        let shadow = "plugins {\n  id 'com.gradleup.shadow' version '8.3.0'\n}\nversion = '2.0'\n";
        assert_eq!(jar(shadow, &[]).as_deref(), Some("build/libs/shop-2.0-all.jar"));
    }

    #[test]
    fn readiness_findings() {
        let facts = analyze_pairs(&[
            ("pom.xml", &POM.replace("</dependencies>", "<dependency><groupId>org.quartz-scheduler</groupId><artifactId>quartz</artifactId></dependency></dependencies>")),
            (
                "src/main/resources/application.yml",
                "spring:\n  datasource:\n    url: jdbc:h2:file:./data/orders\n  servlet:\n    multipart:\n      location: /var/uploads\nlegacy:\n  host: 10.0.4.12\n",
            ),
            ("src/main/resources/application-dev.properties", "spring.datasource.url=jdbc:h2:mem:dev\n"),
            ("src/main/java/Upload.java", "void save(MultipartFile f) {\n  f.transferTo(new File(\"/data\", f.getName()));\n}\n"),
            ("src/main/java/Meta.java", "String u = \"http://169.254.169.254/latest/meta-data/\";\n"),
        ]);
        let has = |level: FindingLevel, text: &str, source: &str| {
            facts.findings.iter().any(|f| f.level == level && f.message.contains(text) && f.source == source)
        };
        assert!(
            has(FindingLevel::Blocker, "H2 or SQLite", "src/main/resources/application.yml:3"),
            "{:#?}",
            facts.findings
        );
        assert!(has(FindingLevel::Warning, "uploads in a local folder", "src/main/resources/application.yml:6"));
        assert!(has(FindingLevel::Warning, "10.0.4.12", "src/main/resources/application.yml:8"));
        // The upload's own bytes land on the task's disk: lost when it stops.
        assert!(has(FindingLevel::Blocker, "writes uploaded files to local disk", "src/main/java/Upload.java:2"));
        assert!(has(FindingLevel::Warning, "Quartz", "pom.xml:20 quartz"));
        assert!(has(FindingLevel::Warning, "instance metadata", "src/main/java/Meta.java:1"));
        assert_eq!(facts.findings.iter().filter(|f| f.message.contains("H2")).count(), 1);
    }

    #[test]
    fn not_java_without_a_build_file() {
        assert!(analyze(&AppFiles::from_pairs([("package.json", "{}")])).is_none());
        assert!(analyze(&AppFiles::from_pairs([("api/pom.xml", POM)])).is_none());
    }
}
