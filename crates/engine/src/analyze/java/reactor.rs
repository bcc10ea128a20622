//! A module of a Maven build of several modules (a reactor): when its parent pom or the sibling
//! modules it depends on are built only there (a `-SNAPSHOT`, `xxl-job-core` beside
//! `xxl-job-admin`), the module does not build from its own folder. Its image builds from the
//! reactor's folder with `mvn -pl MODULE -am`, which builds the siblings it needs first.

use std::path::Path;

use super::maven::Pom;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact};
use crate::model::Finding;

/// The reactor one folder above a module, as far as the module's build needs it.
#[derive(Debug)]
pub(super) struct Reactor {
    /// The module's folder name, as the reactor lists it in `<modules>`.
    module: String,
    /// What the module takes from the reactor's own build, for the finding.
    needs: String,
    /// The reactor commits the Maven wrapper, so the build uses the version it pins.
    wrapper: bool,
}

/// A pom above this size is not a reactor's: it is not read.
const MAX_POM_BYTES: u64 = 1024 * 1024;

/// The reactor the folder is a module of, when the module needs it to build.
pub(super) fn enclosing(files: &AppFiles, pom: &Pom) -> Option<Reactor> {
    let folder = files.root.as_deref()?;
    let above = folder.parent()?;
    let module = folder.file_name()?.to_string_lossy().to_string();
    let reactor = read_pom(&above.join("pom.xml"))?;
    let listed = reactor.modules.iter().any(|m| m.trim().trim_end_matches('/') == module);
    let parent = pom.parent.as_ref()?;
    if !listed || parent.artifact != reactor.artifact {
        return None;
    }
    let siblings: Vec<&str> = pom
        .dependencies
        .iter()
        .filter(|d| {
            d.artifact != module && reactor.modules.iter().any(|m| m.trim().trim_end_matches('/') == d.artifact)
        })
        .map(|d| d.artifact.as_str())
        .collect();
    // The parent is the reactor's own pom: a release version may be one nobody published
    // (kkFileView-parent), and only the reactor's build has it for sure.
    let needs = match siblings.as_slice() {
        [] => format!("its parent {}:{}", parent.artifact, parent.version),
        siblings => format!("its parent {}:{} and {}", parent.artifact, parent.version, siblings.join(", ")),
    };
    let wrapper = above.join("mvnw").is_file() && above.join(".mvn/wrapper/maven-wrapper.properties").is_file();
    Some(Reactor { module, needs, wrapper })
}

impl Reactor {
    /// The reactor's build of this module and the modules it depends on, and nothing else.
    pub(super) fn build(&self) -> Fact<Vec<String>> {
        let maven = if self.wrapper { "./mvnw" } else { "mvn" };
        let words = [maven, "-B", "-pl", &self.module, "-am", "package", "-DskipTests"];
        fact(words.map(str::to_string).to_vec(), format!("../pom.xml <modules> {}", self.module))
    }

    /// The jar's path from the reactor's folder, where the image builds.
    pub(super) fn entry(&self, jar: Fact<String>) -> Fact<String> {
        Fact { value: format!("{}/{}", self.module, jar.value), source: jar.source }
    }

    pub(super) fn finding(&self) -> Finding {
        Finding::info(
            "module-of-reactor",
            format!(
                "{module}/ is a module of the Maven build in ../pom.xml and needs {needs} from it: the image builds from the folder above with `mvn -pl {module} -am`",
                module = self.module,
                needs = self.needs
            ),
            "pom.xml <parent>",
        )
    }
}

/// The Java version the reactor's pom sets for its modules (`<java.version>` in ../pom.xml),
/// which a module that sets none inherits.
pub(super) fn inherited_java_version(files: &AppFiles) -> Option<Fact<String>> {
    let above = files.root.as_deref()?.parent()?;
    let version = read_pom(&above.join("pom.xml"))?.java_version()?;
    Some(Fact { value: version.value, source: format!("../{} (the reactor's pom)", version.source) })
}

/// The module's files with those of the sibling modules it depends on, directly or through
/// another sibling (what `-am` builds and the jar bundles), each under `../<sibling>/`: their
/// settings classes, `@Value`s and schedulers run in the module's process. `None` when the
/// module is no reactor's or depends on no sibling.
pub(super) fn with_sibling_modules(files: &AppFiles, pom: &Pom) -> Option<AppFiles> {
    let folder = files.root.as_deref()?;
    let above = folder.parent()?;
    let module = folder.file_name()?.to_string_lossy().to_string();
    let reactor = read_pom(&above.join("pom.xml"))?;
    let modules: Vec<&str> = reactor.modules.iter().map(|m| m.trim().trim_end_matches('/')).collect();
    if !modules.contains(&module.as_str()) {
        return None;
    }
    let mut needed: Vec<String> = Vec::new();
    let mut queue: Vec<String> = pom.dependencies.iter().map(|d| d.artifact.clone()).collect();
    while let Some(artifact) = queue.pop() {
        if artifact == module || needed.contains(&artifact) || !modules.contains(&artifact.as_str()) {
            continue;
        }
        if let Some(sibling) = read_pom(&above.join(&artifact).join("pom.xml")) {
            queue.extend(sibling.dependencies.iter().map(|d| d.artifact.clone()));
        }
        needed.push(artifact);
    }
    if needed.is_empty() {
        return None;
    }
    let mut merged = files.clone();
    for sibling in needed {
        let Ok(read) = AppFiles::read(&above.join(&sibling)) else { continue };
        merged.files.extend(read.files.into_iter().map(|(path, text)| (format!("../{sibling}/{path}"), text)));
    }
    Some(merged)
}

fn read_pom(path: &Path) -> Option<Pom> {
    let small = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= MAX_POM_BYTES);
    small.then(|| std::fs::read_to_string(path).ok()).flatten().map(|text| Pom::parse(&text))
}
