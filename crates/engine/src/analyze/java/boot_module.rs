//! The module of a Maven build of several modules whose jar runs: the one the Spring Boot
//! plugin repackages into an executable jar (`spring-boot-maven-plugin` in its own pom), or,
//! without one, the one whose code holds the `@SpringBootApplication` class. The other modules
//! are libraries it bundles.

use super::maven::Pom;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::Fact;
use crate::model::Finding;

/// The runnable module's jar, from the root's folder (`admin/target/admin.jar`), when exactly
/// one module is runnable.
pub(super) fn runnable_module_jar(files: &AppFiles, root: &Pom, findings: &mut Vec<Finding>) -> Option<Fact<String>> {
    let modules: Vec<(&str, Pom)> = root
        .modules
        .iter()
        .map(|m| m.trim().trim_end_matches('/'))
        .filter_map(|m| files.get(&format!("{m}/pom.xml")).map(|text| (m, Pom::parse(text))))
        .collect();
    let repackaged: Vec<&(&str, Pom)> =
        modules.iter().filter(|(_, pom)| pom.plugin("spring-boot-maven-plugin").is_some()).collect();
    let runnable = match repackaged.as_slice() {
        [one] => *one,
        [] => match modules.iter().filter(|(m, _)| has_application_class(files, m)).collect::<Vec<_>>().as_slice() {
            [one] => *one,
            _ => return None,
        },
        _ => return None,
    };
    let (module, pom) = runnable;
    let jar = pom.jar(true, findings)?;
    Some(Fact {
        value: format!("{module}/{}", jar.value),
        source: format!("{module}/{} (the module Spring Boot runs)", jar.source),
    })
}

/// Whether the module's code declares the Spring Boot application class.
fn has_application_class(files: &AppFiles, module: &str) -> bool {
    let prefix = format!("{module}/");
    files.files.iter().any(|(path, text)| {
        path.starts_with(&prefix)
            && (path.ends_with(".java") || path.ends_with(".kt"))
            && text.contains("@SpringBootApplication")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "<project><artifactId>shop</artifactId><version>1.2.0</version><packaging>pom</packaging><modules><module>shop-web</module><module>shop-core</module></modules></project>";
    const WEB: &str = "<project><parent><artifactId>shop</artifactId><version>1.2.0</version></parent><artifactId>shop-web</artifactId><build><finalName>${project.artifactId}</finalName><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>";
    const CORE: &str = "<project><parent><artifactId>shop</artifactId><version>1.2.0</version></parent><artifactId>shop-core</artifactId></project>";

    #[test]
    fn the_repackaged_module_runs() {
        let files = AppFiles::from_pairs([("pom.xml", ROOT), ("shop-web/pom.xml", WEB), ("shop-core/pom.xml", CORE)]);
        let jar = runnable_module_jar(&files, &Pom::parse(ROOT), &mut Vec::new()).expect("one runnable module");
        assert_eq!(jar.value, "shop-web/target/shop-web.jar");
    }
}
