//! Java applications read from their source folder: the JDK version, Maven or Gradle (and
//! their wrappers), the jar the build writes, Spring Boot and its Actuator, the port and the
//! environment from `application.properties`/`application.yml`, and what will not survive a
//! container. Every fact says which file (and line) it came from.

use super::app_files::AppFiles;
use super::source::{Fact, Framework, SourceFacts, code_lines, fact, host_bound_code, private_ip, version_in};
use crate::model::{Finding, FindingLevel, PackageManager};

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
    let build = if let Some(text) = files.get("pom.xml") {
        Build::Maven(Box::new(Pom::parse(text)))
    } else {
        let file = ["build.gradle.kts", "build.gradle"].into_iter().find(|f| files.has(f))?;
        Build::Gradle(Gradle::read(files, file))
    };
    let config = SpringConfig::read(files);
    let mut facts = SourceFacts::new("java", "21", build.package_manager(files));
    facts.version = runtime_version(files, &build);
    facts.build = Some(build.command(files));
    facts.framework = build.spring_boot().map(|source| fact(SPRING_BOOT, source));
    facts.entry = build.jar(files, facts.framework.is_some(), &mut facts.findings);
    facts.start = Some(fact(
        JAVA.iter().copied().chain([JAR_IN_IMAGE]).map(str::to_string).collect(),
        facts
            .entry
            .as_ref()
            .map_or_else(|| build.file().to_string(), |e| format!("the jar the build writes ({})", e.value)),
    ));
    facts.port = config.port();
    facts.health_path = build.actuator().map(|source| fact(config.health_path(), source));
    facts.env_read = env_reads(files);
    readiness(files, &build, &config, &mut facts.findings);
    Some(facts)
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
    match build {
        Build::Maven(pom) => pom.java_version(),
        Build::Gradle(g) => g.java_version(),
    }
}

// ---------------------------------------------------------------------------------------------
// Maven

#[derive(Debug, Default)]
struct Coordinates {
    group: String,
    artifact: String,
    version: String,
    scope: String,
    line: u32,
}

#[derive(Debug, Default)]
struct Plugin {
    artifact: String,
    line: u32,
    /// The plain-text children of `<configuration>`: (name, value, line).
    configuration: Vec<(String, String, u32)>,
}

/// What ferry reads from a pom.xml.
#[derive(Debug, Default)]
struct Pom {
    artifact: String,
    version: Option<String>,
    packaging: String,
    parent: Option<Coordinates>,
    properties: Vec<(String, String, u32)>,
    dependencies: Vec<Coordinates>,
    /// `<dependencyManagement>` entries: the Spring Boot BOM imported without the parent.
    managed: Vec<Coordinates>,
    plugins: Vec<Plugin>,
    final_name: Option<String>,
    modules: Vec<String>,
}

impl Pom {
    /// A pom that does not parse reads as an empty one: Maven is still the build tool.
    fn parse(text: &str) -> Pom {
        let Ok(doc) = roxmltree::Document::parse(text) else { return Pom::default() };
        let line = |node: roxmltree::Node| doc.text_pos_at(node.range().start).row;
        let project = doc.root_element();
        let coordinates = |node: roxmltree::Node| Coordinates {
            group: child_text(node, "groupId").unwrap_or_default(),
            artifact: child_text(node, "artifactId").unwrap_or_default(),
            version: child_text(node, "version").unwrap_or_default(),
            scope: child_text(node, "scope").unwrap_or_default(),
            line: line(node),
        };
        let list = |node: Option<roxmltree::Node>, name: &str| {
            node.map(|n| children(n, name).map(coordinates).collect::<Vec<_>>()).unwrap_or_default()
        };
        let build = child(project, "build");
        Pom {
            artifact: child_text(project, "artifactId").unwrap_or_default(),
            version: child_text(project, "version"),
            packaging: child_text(project, "packaging").unwrap_or_else(|| "jar".into()),
            parent: child(project, "parent").map(coordinates),
            properties: child(project, "properties")
                .map(|p| {
                    p.children()
                        .filter(|n| n.is_element())
                        .map(|n| (n.tag_name().name().to_string(), text_of(n), line(n)))
                        .collect()
                })
                .unwrap_or_default(),
            dependencies: list(child(project, "dependencies"), "dependency"),
            managed: list(child(project, "dependencyManagement").and_then(|d| child(d, "dependencies")), "dependency"),
            plugins: build
                .and_then(|b| child(b, "plugins"))
                .map(|plugins| {
                    children(plugins, "plugin")
                        .map(|p| Plugin {
                            artifact: child_text(p, "artifactId").unwrap_or_default(),
                            line: line(p),
                            configuration: child(p, "configuration")
                                .map(|c| {
                                    c.children()
                                        .filter(|n| n.is_element())
                                        .map(|n| (n.tag_name().name().to_string(), text_of(n), line(n)))
                                        .collect()
                                })
                                .unwrap_or_default(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            final_name: build.and_then(|b| child_text(b, "finalName")),
            modules: child(project, "modules")
                .map(|m| children(m, "module").map(text_of).collect())
                .unwrap_or_default(),
        }
    }

    fn property(&self, name: &str) -> Option<&(String, String, u32)> {
        self.properties.iter().find(|(n, _, _)| n == name)
    }

    fn dependency(&self, artifact: &str) -> Option<&Coordinates> {
        self.dependencies.iter().find(|d| d.artifact == artifact && d.scope != "test")
    }

    fn plugin(&self, artifact: &str) -> Option<&Plugin> {
        self.plugins.iter().find(|p| p.artifact == artifact)
    }

    /// The project's version, inherited from the parent when the pom names none.
    fn project_version(&self) -> Option<&str> {
        self.version.as_deref().or(self.parent.as_ref().map(|p| p.version.as_str()).filter(|v| !v.is_empty()))
    }

    /// `${name}` replaced by the pom's properties and project coordinates; `None` while one
    /// stays unknown (set on the command line or by a profile).
    fn resolve(&self, text: &str) -> Option<String> {
        let mut text = text.to_string();
        for _ in 0..5 {
            let Some(start) = text.find("${") else { return Some(text) };
            let end = start + text[start..].find('}')?;
            let name = &text[start + 2..end];
            let value = match name {
                "project.artifactId" | "artifactId" | "pom.artifactId" => Some(self.artifact.clone()),
                "project.version" | "version" | "pom.version" => self.project_version().map(str::to_string),
                _ => self.property(name).map(|(_, v, _)| v.clone()),
            }?;
            text.replace_range(start..=end, &value);
        }
        (!text.contains("${")).then_some(text)
    }

    fn spring_boot(&self) -> Option<String> {
        if let Some(parent) =
            self.parent.as_ref().filter(|p| p.artifact == "spring-boot-starter-parent" && p.group == BOOT_GROUP)
        {
            return Some(format!("pom.xml:{} parent spring-boot-starter-parent", parent.line));
        }
        if let Some(bom) =
            self.managed.iter().find(|d| d.artifact == "spring-boot-dependencies" && d.group == BOOT_GROUP)
        {
            return Some(format!("pom.xml:{} spring-boot-dependencies", bom.line));
        }
        self.plugin("spring-boot-maven-plugin").map(|p| format!("pom.xml:{} spring-boot-maven-plugin", p.line))
    }

    fn java_version(&self) -> Option<Fact<String>> {
        for name in ["java.version", "maven.compiler.release", "maven.compiler.source", "maven.compiler.target"] {
            if let Some((_, value, line)) = self.property(name)
                && let Some(v) = self.resolve(value).as_deref().and_then(java_major)
            {
                return Some(fact(v, format!("pom.xml:{line} <{name}>")));
            }
        }
        let compiler = self.plugin("maven-compiler-plugin")?;
        ["release", "source", "target"].iter().find_map(|name| {
            let (_, value, line) = compiler.configuration.iter().find(|(n, _, _)| n == name)?;
            let v = self.resolve(value).as_deref().and_then(java_major)?;
            Some(fact(v, format!("pom.xml:{line} maven-compiler-plugin <{name}>")))
        })
    }

    /// `target/<finalName>.jar`, or `target/<artifactId>-<version>.jar`, with the Spring Boot
    /// plugin's classifier when it keeps the plain jar beside the executable one.
    fn jar(&self, boot: bool, findings: &mut Vec<Finding>) -> Option<Fact<String>> {
        if self.packaging == "pom" && !self.modules.is_empty() {
            findings.push(Finding {
                level: FindingLevel::Warning,
                message: format!(
                    "a multi-module build ({}): ferry cannot tell which module's jar runs; check the Dockerfile's COPY",
                    self.modules.join(", ")
                ),
                source: "pom.xml <modules>".into(),
            });
            return None;
        }
        let (base, source) = match &self.final_name {
            Some(name) => (self.resolve(name)?, "pom.xml <finalName>"),
            None => {
                (format!("{}-{}", self.artifact, self.resolve(self.project_version()?)?), "pom.xml artifactId-version")
            }
        };
        let extension = if self.packaging == "war" { "war" } else { "jar" };
        let classifier = self
            .plugin("spring-boot-maven-plugin")
            .and_then(|p| p.configuration.iter().find(|(n, _, _)| n == "classifier"))
            .map(|(_, c, _)| format!("-{c}"))
            .unwrap_or_default();
        let assembly = self.plugin("maven-assembly-plugin").filter(|_| !boot);
        let (suffix, source) = match assembly {
            Some(_) => ("-jar-with-dependencies".to_string(), "pom.xml maven-assembly-plugin".to_string()),
            None => (classifier, source.to_string()),
        };
        if !boot && self.plugin("maven-shade-plugin").is_none() && assembly.is_none() {
            findings.push(Finding {
                level: FindingLevel::Warning,
                message: "no Spring Boot, shade or assembly plugin: the jar runs with `java -jar` only if it names its Main-Class and bundles its dependencies".into(),
                source: "pom.xml <build>".into(),
            });
        }
        Some(fact(format!("target/{base}{suffix}.{extension}"), source))
    }
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|n| n.is_element() && n.tag_name().name() == name)
}

fn children<'a, 'i: 'a>(
    node: roxmltree::Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    node.children().filter(move |n| n.is_element() && n.tag_name().name() == name)
}

fn text_of(node: roxmltree::Node) -> String {
    node.text().unwrap_or("").trim().to_string()
}

fn child_text(node: roxmltree::Node, name: &str) -> Option<String> {
    child(node, name).map(text_of).filter(|t| !t.is_empty())
}

// ---------------------------------------------------------------------------------------------
// Gradle

/// What ferry reads from build.gradle(.kts) and settings.gradle(.kts), line by line: Gradle
/// build scripts are programs, and these are the declarations Spring Initializr writes.
struct Gradle {
    file: &'static str,
    text: String,
    boot_plugin: Option<usize>,
    shadow_plugin: bool,
}

impl Gradle {
    fn read(files: &AppFiles, file: &'static str) -> Gradle {
        let text = files.get(file).unwrap_or("").to_string();
        let plugin_line = |ids: &[&str]| {
            text.lines().enumerate().find_map(|(i, l)| {
                let code = l.trim();
                let applies = code.starts_with("id") || code.starts_with("apply") || code.starts_with("alias");
                // `org.springframework.boot:spring-boot-starter` is a dependency, not the plugin.
                (applies && ids.iter().any(|id| code.contains(id) && !code.contains(&format!("{id}:"))))
                    .then_some(i + 1)
            })
        };
        let boot_plugin =
            plugin_line(&["org.springframework.boot", "libs.plugins.spring.boot", "libs.plugins.springBoot"]);
        let shadow_plugin =
            plugin_line(&["com.github.johnrengelman.shadow", "com.gradleup.shadow", "libs.plugins.shadow"]).is_some();
        Gradle { file, text, boot_plugin, shadow_plugin }
    }

    fn line_with(&self, matches: impl Fn(&str) -> bool) -> Option<(usize, &str)> {
        self.text
            .lines()
            .enumerate()
            .find(|(_, l)| !l.trim_start().starts_with("//") && matches(l))
            .map(|(i, l)| (i + 1, l))
    }

    fn jar_task(&self) -> &'static str {
        if self.boot_plugin.is_some() {
            "bootJar"
        } else if self.shadow_plugin {
            "shadowJar"
        } else {
            "jar"
        }
    }

    fn java_version(&self) -> Option<Fact<String>> {
        const MARKERS: [&str; 8] = [
            "JavaLanguageVersion.of(",
            "jvmToolchain(",
            "sourceCompatibility",
            "targetCompatibility",
            "options.release",
            "JavaVersion.VERSION_",
            "jvmTarget",
            "JvmTarget.JVM_",
        ];
        MARKERS.iter().find_map(|marker| {
            let (line, text) = self.line_with(|l| l.contains(marker))?;
            let rest = &text[text.find(marker)? + marker.len()..];
            // `VERSION_1_8` and `JVM_1_8` spell 1.8 with underscores.
            let v = java_major(&rest.replace('_', "."))?;
            Some(fact(v, format!("{}:{line}", self.file)))
        })
    }

    /// The string after `name` on a line: `version = "1.0"`, `version '1.0'`,
    /// `archiveFileName.set("app.jar")`.
    fn quoted_after(line: &str, name: &str) -> Option<String> {
        let rest = line.trim().strip_prefix(name)?;
        let rest = rest.trim_start().trim_start_matches(".set(").trim_start_matches('=').trim_start_matches('(');
        let rest = rest.trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = rest[1..].split(quote).next()?;
        (!value.contains('$')).then(|| value.to_string())
    }

    /// `build/libs/<name>-<version>.jar`: the boot jar (the `-plain.jar` beside it is not it),
    /// the shadow jar (`-all`), or the plain jar.
    fn jar(&self, files: &AppFiles, boot: bool, findings: &mut Vec<Finding>) -> Option<Fact<String>> {
        let settings = ["settings.gradle.kts", "settings.gradle"].into_iter().find(|f| files.has(f));
        let include = settings.and_then(|s| {
            files.get(s)?.lines().find(|l| l.trim_start().starts_with("include")).map(|l| (s, l.trim().to_string()))
        });
        if let Some((settings, line)) = include
            && !boot
        {
            findings.push(Finding {
                level: FindingLevel::Warning,
                message: format!("a multi-project build ({line}): ferry cannot tell which project's jar runs; check the Dockerfile's COPY"),
                source: settings.to_string(),
            });
            return None;
        }
        // Settings in a bootJar { } block override the project's name and version.
        let mut in_boot_jar = None;
        let mut depth = 0usize;
        let (mut file_name, mut base_name, mut archive_version) = (None, None, None);
        let mut version = None;
        for line in self.text.lines() {
            let code = line.trim();
            if in_boot_jar.is_none() && code.contains("bootJar") && code.ends_with('{') {
                in_boot_jar = Some(depth);
            }
            if in_boot_jar.is_some() {
                file_name = file_name.or_else(|| Self::quoted_after(code, "archiveFileName"));
                base_name = base_name.or_else(|| Self::quoted_after(code, "archiveBaseName"));
                archive_version = archive_version.or_else(|| Self::quoted_after(code, "archiveVersion"));
            }
            if depth == 0 {
                version = version.or_else(|| Self::quoted_after(code, "version"));
            }
            depth += code.matches('{').count();
            depth = depth.saturating_sub(code.matches('}').count());
            if in_boot_jar.is_some_and(|d| depth <= d) {
                in_boot_jar = None;
            }
        }
        if let Some(name) = file_name {
            return Some(fact(format!("build/libs/{name}"), format!("{} bootJar archiveFileName", self.file)));
        }
        let version_source = if version.is_some() { self.file } else { "gradle.properties" };
        let version = archive_version.or(version).or_else(|| {
            files.get("gradle.properties")?.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == "version").then(|| v.trim().to_string())
            })
        });
        let name = base_name.map(|n| (n, format!("{} archiveBaseName", self.file))).or_else(|| {
            let settings = settings?;
            files
                .get(settings)?
                .lines()
                .find_map(|l| Self::quoted_after(l, "rootProject.name"))
                .map(|n| (n, format!("{settings} rootProject.name")))
        })?;
        let suffix = match self.jar_task() {
            "shadowJar" => "-all",
            _ => "",
        };
        if !boot && suffix.is_empty() {
            findings.push(Finding {
                level: FindingLevel::Warning,
                message: "no Spring Boot or Shadow plugin: the jar runs with `java -jar` only if it names its Main-Class and bundles its dependencies".into(),
                source: self.file.to_string(),
            });
        }
        // Gradle leaves an unset version ("unspecified") out of the archive's name.
        let (jar, source) = match version {
            Some(v) => {
                (format!("build/libs/{}-{v}{suffix}.jar", name.0), format!("{} + {version_source} version", name.1))
            }
            None => (format!("build/libs/{}{suffix}.jar", name.0), format!("{} (no version)", name.1)),
        };
        Some(fact(jar, source))
    }
}

// ---------------------------------------------------------------------------------------------
// Spring configuration

/// One `key = value` of application.properties, or a leaf of application.yml with its path
/// joined by dots (`server:` / `  port: 8081` → `server.port`).
struct Entry {
    at: String,
    key: String,
    value: String,
    /// From `application.{properties,yml,yaml}` itself, not a profile's file.
    base: bool,
}

struct SpringConfig {
    entries: Vec<Entry>,
}

impl SpringConfig {
    fn read(files: &AppFiles) -> SpringConfig {
        let mut entries = Vec::new();
        for (path, text) in files.with_extensions(&["properties", "yml", "yaml"]) {
            if !is_spring_config(path) {
                continue;
            }
            let name = path.rsplit('/').next().unwrap_or(path);
            let base = name.split('.').next() == Some("application");
            let parsed = if path.ends_with(".properties") { properties(text) } else { yaml(text) };
            entries.extend(parsed.into_iter().map(|(line, key, value)| Entry {
                at: format!("{path}:{line}"),
                key,
                value,
                base,
            }));
        }
        SpringConfig { entries }
    }

    fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().filter(|e| e.base).find(|e| e.key == key)
    }

    /// `server.port=8081`, or the default of `${PORT:8081}`.
    fn port(&self) -> Option<Fact<u16>> {
        let entry = self.get("server.port")?;
        let value = placeholder_default(&entry.value).unwrap_or(&entry.value);
        value.trim().parse::<u16>().ok().filter(|p| *p != 0).map(|p| fact(p, entry.at.clone()))
    }

    /// `/actuator/health`, under the servlet context path and a moved Actuator base path.
    fn health_path(&self) -> String {
        let value = |key: &str| {
            self.get(key)
                .map(|e| placeholder_default(&e.value).unwrap_or(&e.value).trim().trim_end_matches('/').to_string())
        };
        let separate_port = self.get("management.server.port").is_some();
        let context = if separate_port { None } else { value("server.servlet.context-path") };
        let base = value("management.endpoints.web.base-path").unwrap_or_else(|| "/actuator".into());
        format!("{}{}/health", context.unwrap_or_default(), base)
    }
}

fn is_spring_config(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    (name.starts_with("application") || name.starts_with("bootstrap")) && !super::source::is_test_path(path)
}

/// `8081` from `${PORT:8081}`.
fn placeholder_default(value: &str) -> Option<&str> {
    let inner = value.trim().strip_prefix("${")?.strip_suffix('}')?;
    inner.split_once(':').map(|(_, default)| default)
}

fn properties(text: &str) -> Vec<(usize, String, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
                return None;
            }
            let split = line.find(['=', ':']).unwrap_or(line.len());
            let (key, value) = line.split_at(split);
            Some((i + 1, key.trim().to_string(), value.get(1..).unwrap_or("").trim().to_string()))
        })
        .collect()
}

/// The scalar leaves of a YAML file as dotted keys. Enough of YAML for Spring's files: nested
/// maps, dotted keys, several documents; list items are skipped.
fn yaml(text: &str) -> Vec<(usize, String, String)> {
    let mut entries = Vec::new();
    let mut path: Vec<(usize, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.trim();
        if code == "---" {
            path.clear();
            continue;
        }
        if code.is_empty() || code.starts_with('#') || code.starts_with('-') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let Some((key, value)) = code.split_once(": ").or_else(|| code.strip_suffix(':').map(|k| (k, ""))) else {
            continue;
        };
        while path.last().is_some_and(|(level, _)| *level >= indent) {
            path.pop();
        }
        let key = key.trim().trim_matches(['"', '\'']).to_string();
        let value = value.split(" #").next().unwrap_or("").trim();
        if value.is_empty() {
            path.push((indent, key));
            continue;
        }
        let full: Vec<&str> = path.iter().map(|(_, k)| k.as_str()).chain([key.as_str()]).collect();
        entries.push((i + 1, full.join("."), value.trim_matches(['"', '\'']).to_string()));
    }
    entries
}

// ---------------------------------------------------------------------------------------------
// Environment and readiness

/// Upper-case names only: `${spring.x.y}` is a Spring property, `${DATABASE_URL}` an
/// environment variable.
fn env_style(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// `${NAME}` and `${NAME:default}` in Spring's config files and in `@Value` (Kotlin escapes
/// them as `\${NAME}`: a bare `${x}` there is string interpolation), `System.getenv("NAME")`,
/// `environment.getProperty("NAME")`.
fn env_reads(files: &AppFiles) -> Vec<Fact<String>> {
    let mut found: Vec<Fact<String>> = Vec::new();
    let mut note = |name: &str, at: &str| {
        if env_style(name) && !found.iter().any(|f| f.value == name) {
            found.push(fact(name.to_string(), at.to_string()));
        }
    };
    let names_after = |line: &str, marker: &str, ends: &[char]| -> Vec<String> {
        line.match_indices(marker)
            .filter_map(|(at, _)| {
                let rest = &line[at + marker.len()..];
                let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
                rest[end..].starts_with(ends).then(|| rest[..end].to_string())
            })
            .collect()
    };
    let config = code_lines(files, &["properties", "yml", "yaml"])
        .filter(|(at, _)| is_spring_config(at.split(':').next().unwrap_or("")));
    let code = code_lines(files, &CODE);
    for (at, line) in config.chain(code) {
        let placeholder = if at.contains(".kt:") { "\\${" } else { "${" };
        for name in names_after(line, placeholder, &['}', ':']) {
            note(&name, &at);
        }
        if at.contains(".java:") || at.contains(".kt:") {
            for marker in ["getenv(\"", "getProperty(\"", "getRequiredProperty(\""] {
                for name in names_after(line, marker, &['"']) {
                    note(&name, &at);
                }
            }
        }
    }
    found
}

/// What works on an instance and breaks in a container.
fn readiness(files: &AppFiles, build: &Build, config: &SpringConfig, findings: &mut Vec<Finding>) {
    host_bound_code(files, &["java", "kt", "properties", "yml", "yaml"], findings);
    // Values in config files are mostly unquoted; host_bound_code found the quoted ones.
    for entry in &config.entries {
        if let Some(ip) = private_ip(&format!("\"{}\"", entry.value))
            && !findings.iter().any(|f| f.source == entry.at && f.message.contains(&ip))
        {
            findings.push(Finding {
                level: FindingLevel::Warning,
                message: format!("hard-codes the private address {ip}: use a DNS name or configuration"),
                source: entry.at.clone(),
            });
        }
    }
    let mut add = |level, message: &str, source: String| {
        findings.push(Finding { level, message: message.to_string(), source });
    };

    // Scheduled jobs: ShedLock makes one task run each; Quartz in a clustered JDBC store too.
    let shedlock = build.depends_on("shedlock-spring");
    for (at, line) in code_lines(files, &CODE) {
        if line.trim_start().starts_with("@Scheduled") {
            match &shedlock {
                Some(_) => add(
                    FindingLevel::Info,
                    "runs scheduled jobs in-process, locked by ShedLock: one task runs each",
                    at,
                ),
                None => add(
                    FindingLevel::Warning,
                    "runs scheduled jobs in-process: every task runs them; use EventBridge Scheduler, ShedLock or one task",
                    at,
                ),
            }
        }
    }
    let clustered = config.entries.iter().any(|e| e.key.ends_with("jobStore.isClustered") && e.value == "true");
    for quartz in ["spring-boot-starter-quartz", "quartz"] {
        if let Some(source) = build.depends_on(quartz)
            && !clustered
        {
            add(
                FindingLevel::Warning,
                "runs Quartz jobs in-process: every task runs them; use a clustered JDBC job store or EventBridge Scheduler",
                source,
            );
            break;
        }
    }

    // Data on local disk.
    let local_database = |text: &str| {
        let text = text.to_ascii_lowercase();
        let h2_file = text.find("jdbc:h2:").is_some_and(|at| {
            let rest = &text[at + "jdbc:h2:".len()..];
            !rest.starts_with("mem:") && !rest.starts_with("tcp:") && !rest.starts_with("ssl:")
        });
        h2_file || text.contains("jdbc:sqlite:")
    };
    for entry in &config.entries {
        if local_database(&entry.value) {
            add(
                FindingLevel::Blocker,
                "keeps its database in a file on local disk (H2 or SQLite): tasks lose it when they stop; move it to RDS",
                entry.at.clone(),
            );
        }
    }
    for (at, line) in code_lines(files, &CODE) {
        if line.contains('"') && local_database(line) {
            add(
                FindingLevel::Blocker,
                "keeps its database in a file on local disk (H2 or SQLite): tasks lose it when they stop; move it to RDS",
                at,
            );
        }
    }
    if let Some(source) = build.depends_on("sqlite-jdbc") {
        add(
            FindingLevel::Blocker,
            "keeps data in an SQLite file on local disk: tasks lose it when they stop; move it to RDS",
            source,
        );
    }

    if let Some(entry) = config.entries.iter().find(|e| e.key == "spring.servlet.multipart.location") {
        add(
            FindingLevel::Warning,
            "keeps uploads in a local folder: lost when a task stops; write them to S3",
            entry.at.clone(),
        );
    }
    for (path, text) in files.with_extensions(&CODE) {
        if super::source::is_test_path(path) || !text.contains("MultipartFile") {
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            if line.contains(".transferTo(") || (line.contains("Files.copy(") && line.contains("getInputStream()")) {
                add(
                    FindingLevel::Warning,
                    "writes uploads to local disk: lost when a task stops; write them to S3",
                    format!("{path}:{}", i + 1),
                );
            }
        }
    }
    if let Some(entry) = config.entries.iter().find(|e| e.key == "logging.file.name" || e.key == "logging.file.path") {
        add(
            FindingLevel::Warning,
            "logs to a file: in a task only standard output reaches CloudWatch Logs; drop logging.file.*",
            entry.at.clone(),
        );
    }
    if let Some(entry) = config.get("management.server.port") {
        add(
            FindingLevel::Warning,
            "Actuator listens on its own port: the load balancer checks health on the app's port; drop management.server.port",
            entry.at.clone(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                "class Jobs {\n  @Scheduled(fixedRate = 60000)\n  void sweep() { System.getenv(\"SWEEP_TOKEN\"); }\n}\n",
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
        let env: Vec<_> = facts.env_read.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(env, ["PORT", "DATABASE_URL", "SWEEP_TOKEN"]);
        let scheduled = facts.findings.iter().find(|f| f.message.contains("scheduled jobs")).unwrap();
        assert_eq!(
            (scheduled.level, scheduled.source.as_str()),
            (FindingLevel::Warning, "src/main/java/com/example/Jobs.java:2")
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
        let env: Vec<_> = facts.env_read.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(env, ["STOCK_URL"]);
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
        assert!(has(FindingLevel::Warning, "writes uploads to local disk", "src/main/java/Upload.java:2"));
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
