//! build.gradle(.kts) and settings.gradle(.kts): the Boot plugin, toolchain and the jar bootJar writes.

use super::java_major;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact};
use crate::model::{Finding, FindingLevel};

/// What ferry reads from build.gradle(.kts) and settings.gradle(.kts), line by line: Gradle
/// build scripts are programs, and these are the declarations Spring Initializr writes.
pub(super) struct Gradle {
    pub(super) file: &'static str,
    pub(super) text: String,
    pub(super) boot_plugin: Option<usize>,
    pub(super) shadow_plugin: bool,
}

impl Gradle {
    pub(super) fn read(files: &AppFiles, file: &'static str) -> Gradle {
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

    pub(super) fn line_with(&self, matches: impl Fn(&str) -> bool) -> Option<(usize, &str)> {
        self.text
            .lines()
            .enumerate()
            .find(|(_, l)| !l.trim_start().starts_with("//") && matches(l))
            .map(|(i, l)| (i + 1, l))
    }

    pub(super) fn jar_task(&self) -> &'static str {
        // Boot 1.x has no `bootJar`: its `bootRepackage` makes the jar executable.
        if self.boot_plugin.is_some() && self.boot_one() {
            "bootRepackage"
        } else if self.boot_plugin.is_some() {
            "bootJar"
        } else if self.shadow_plugin {
            "shadowJar"
        } else {
            "jar"
        }
    }

    /// Whether the Boot plugin is 1.x: its Gradle plugin's coordinates, the plugin's
    /// `version`, or the `springBootVersion` property say `1.`.
    pub(super) fn boot_one(&self) -> bool {
        self.line_with(|l| {
            let l = l.replace(' ', "");
            l.contains("spring-boot-gradle-plugin:1.")
                || l.contains("springBootVersion='1.")
                || l.contains("springBootVersion=\"1.")
                || (l.contains("org.springframework.boot") && l.contains("version'1."))
                || (l.contains("org.springframework.boot") && l.contains("version\"1."))
        })
        .is_some()
    }

    pub(super) fn java_version(&self) -> Option<Fact<String>> {
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
    pub(super) fn quoted_after(line: &str, name: &str) -> Option<String> {
        let rest = line.trim().strip_prefix(name)?;
        let rest = rest.trim_start().trim_start_matches(".set(").trim_start_matches('=').trim_start_matches('(');
        let rest = rest.trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = rest[1..].split(quote).next()?;
        (!value.contains('$')).then(|| value.to_string())
    }

    /// `build/libs/<name>-<version>.jar`: the boot jar (the `-plain.jar` beside it is not it),
    /// the shadow jar (`-all`), or the plain jar.
    pub(super) fn jar(&self, files: &AppFiles, boot: bool, findings: &mut Vec<Finding>) -> Option<Fact<String>> {
        let settings = ["settings.gradle.kts", "settings.gradle"].into_iter().find(|f| files.has(f));
        let include = settings.and_then(|s| {
            files.get(s)?.lines().find(|l| l.trim_start().starts_with("include")).map(|l| (s, l.trim().to_string()))
        });
        if let Some((settings, line)) = include
            && !boot
        {
            findings.push(Finding {
                kind: "multi-module-build".into(),
                fix: None,
                level: FindingLevel::Warning,
                message: format!("a multi-project build ({line}): ferry cannot tell which project's jar runs; check the Dockerfile's COPY"),
                source: settings.to_string(),
            });
            return None;
        }
        let ArchiveNames { file_name, base_name, archive_version, version } = self.archive_names();
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
                kind: "not-executable-jar".into(),
                fix: None,
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

    /// The names the jar is built from: the `archiveFileName`, `archiveBaseName` and
    /// `archiveVersion` of a `bootJar { }` block, and the project's top-level `version`.
    fn archive_names(&self) -> ArchiveNames {
        // Settings in a bootJar { } block override the project's name and version.
        let mut in_boot_jar = None;
        let mut depth = 0usize;
        let mut names = ArchiveNames::default();
        for line in self.text.lines() {
            let code = line.trim();
            if in_boot_jar.is_none() && code.contains("bootJar") && code.ends_with('{') {
                in_boot_jar = Some(depth);
            }
            if in_boot_jar.is_some() {
                names.file_name = names.file_name.or_else(|| Self::quoted_after(code, "archiveFileName"));
                names.base_name = names.base_name.or_else(|| Self::quoted_after(code, "archiveBaseName"));
                names.archive_version = names.archive_version.or_else(|| Self::quoted_after(code, "archiveVersion"));
            }
            if depth == 0 {
                names.version = names.version.or_else(|| Self::quoted_after(code, "version"));
            }
            depth += code.matches('{').count();
            depth = depth.saturating_sub(code.matches('}').count());
            if in_boot_jar.is_some_and(|d| depth <= d) {
                in_boot_jar = None;
            }
        }
        names
    }
}

/// What a build script says the jar is called; each `None` when it does not say.
#[derive(Default)]
struct ArchiveNames {
    /// `bootJar { archiveFileName = "app.jar" }`: the whole name.
    file_name: Option<String>,
    /// `bootJar { archiveBaseName = "app" }`: the name before the version.
    base_name: Option<String>,
    /// `bootJar { archiveVersion = "1.0" }`: overrides the project's version.
    archive_version: Option<String>,
    /// The project's `version = "1.0"`, outside any block.
    version: Option<String>,
}
