//! pom.xml: coordinates, properties, dependencies, plugins and the jar Maven writes.

use super::{BOOT_GROUP, java_major};
use crate::analyze::source::{Fact, fact};
use crate::model::{Finding, FindingLevel};

#[derive(Debug, Default)]
pub(super) struct Coordinates {
    pub(super) group: String,
    pub(super) artifact: String,
    pub(super) version: String,
    pub(super) scope: String,
    pub(super) line: u32,
}

#[derive(Debug, Default)]
pub(super) struct Plugin {
    pub(super) artifact: String,
    pub(super) line: u32,
    /// The plain-text children of `<configuration>`: (name, value, line).
    pub(super) configuration: Vec<(String, String, u32)>,
}

/// What ferry reads from a pom.xml.
#[derive(Debug, Default)]
pub(super) struct Pom {
    pub(super) artifact: String,
    pub(super) version: Option<String>,
    pub(super) packaging: String,
    pub(super) parent: Option<Coordinates>,
    pub(super) properties: Vec<(String, String, u32)>,
    pub(super) dependencies: Vec<Coordinates>,
    /// `<dependencyManagement>` entries: the Spring Boot BOM imported without the parent.
    pub(super) managed: Vec<Coordinates>,
    pub(super) plugins: Vec<Plugin>,
    pub(super) final_name: Option<String>,
    pub(super) modules: Vec<String>,
}

impl Pom {
    /// A pom that does not parse reads as an empty one: Maven is still the build tool.
    pub(super) fn parse(text: &str) -> Pom {
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

    pub(super) fn property(&self, name: &str) -> Option<&(String, String, u32)> {
        self.properties.iter().find(|(n, _, _)| n == name)
    }

    pub(super) fn dependency(&self, artifact: &str) -> Option<&Coordinates> {
        self.dependencies.iter().find(|d| d.artifact == artifact && d.scope != "test")
    }

    pub(super) fn plugin(&self, artifact: &str) -> Option<&Plugin> {
        self.plugins.iter().find(|p| p.artifact == artifact)
    }

    /// The project's version, inherited from the parent when the pom names none.
    pub(super) fn project_version(&self) -> Option<&str> {
        self.version.as_deref().or(self.parent.as_ref().map(|p| p.version.as_str()).filter(|v| !v.is_empty()))
    }

    /// `${name}` replaced by the pom's properties and project coordinates; `None` while one
    /// stays unknown (set on the command line or by a profile).
    pub(super) fn resolve(&self, text: &str) -> Option<String> {
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

    /// Whether the Boot parent or the imported Boot BOM is a 1.x version.
    pub(super) fn boot_one(&self) -> bool {
        let parent = self.parent.iter().filter(|p| p.artifact == "spring-boot-starter-parent");
        let bom = self.managed.iter().filter(|d| d.artifact == "spring-boot-dependencies");
        parent
            .chain(bom)
            .any(|c| c.group == BOOT_GROUP && self.resolve(&c.version).is_some_and(|v| v.trim().starts_with("1.")))
    }

    pub(super) fn spring_boot(&self) -> Option<String> {
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

    pub(super) fn java_version(&self) -> Option<Fact<String>> {
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
    pub(super) fn jar(&self, boot: bool, findings: &mut Vec<Finding>) -> Option<Fact<String>> {
        if self.packaging == "pom" && !self.modules.is_empty() {
            findings.push(Finding {
                kind: "multi-module-build".into(),
                fix: None,
                level: FindingLevel::Warning,
                message: format!(
                    "a multi-module build ({}): ferry cannot tell which module's jar runs; check the Dockerfile's COPY",
                    self.modules.join(", ")
                ),
                source: "pom.xml <modules>".into(),
            });
            return None;
        }
        // Spring Boot 1.x and 2.0's repackage goal names the executable jar itself
        // (`<configuration><finalName>account-service</finalName>`), beside the plain one.
        let boot_name = self
            .plugin("spring-boot-maven-plugin")
            .and_then(|p| p.configuration.iter().find(|(n, _, _)| n == "finalName"))
            .map(|(_, name, _)| name.clone());
        let (base, source) = match (&boot_name, &self.final_name) {
            (Some(name), _) => (self.resolve(name)?, "pom.xml spring-boot-maven-plugin <finalName>"),
            (None, Some(name)) => (self.resolve(name)?, "pom.xml <finalName>"),
            (None, None) => {
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
                kind: "not-executable-jar".into(),
                fix: None,
                level: FindingLevel::Warning,
                message: "no Spring Boot, shade or assembly plugin: the jar runs with `java -jar` only if it names its Main-Class and bundles its dependencies".into(),
                source: "pom.xml <build>".into(),
            });
        }
        Some(fact(format!("target/{base}{suffix}.{extension}"), source))
    }
}

pub(super) fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|n| n.is_element() && n.tag_name().name() == name)
}

pub(super) fn children<'a, 'i: 'a>(
    node: roxmltree::Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    node.children().filter(move |n| n.is_element() && n.tag_name().name() == name)
}

pub(super) fn text_of(node: roxmltree::Node) -> String {
    node.text().unwrap_or("").trim().to_string()
}

pub(super) fn child_text(node: roxmltree::Node, name: &str) -> Option<String> {
    child(node, name).map(text_of).filter(|t| !t.is_empty())
}
