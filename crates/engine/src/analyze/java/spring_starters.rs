//! Settings a Spring Boot starter reads that no file of the app names: with
//! `spring-boot-starter-mail` the mail sender is configured from `spring.mail.*`, which an
//! operator gives from the environment (`SPRING_MAIL_HOST`) when the files leave it out, or
//! only name it in a comment.

use super::spring_config::SpringConfig;
use crate::analyze::app_files::AppFiles;
use crate::analyze::variables::VariableRead;

/// The mail sender's settings, when the build depends on the mail starter and no property
/// file sets its host: read where the dependency is declared.
pub(super) fn unconfigured_mail(files: &AppFiles, config: &SpringConfig) -> Vec<VariableRead> {
    let configured = ["spring.mail.host", "spring.mail.username"].iter().any(|key| config.get(key).is_some());
    if configured {
        return Vec::new();
    }
    let Some(at) = ["pom.xml", "build.gradle", "build.gradle.kts"].iter().find_map(|path| {
        let text = files.get(path)?;
        let index = text.lines().position(|line| line.contains("spring-boot-starter-mail"))?;
        Some(format!("{path}:{}", index + 1))
    }) else {
        return Vec::new();
    };
    ["SPRING_MAIL_HOST", "SPRING_MAIL_PORT", "SPRING_MAIL_USERNAME", "SPRING_MAIL_PASSWORD"]
        .into_iter()
        .map(|name| VariableRead::new(name, at.clone()).started(true))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mail_starter_without_a_host_in_the_files() {
        let pom = "<project>\n  <dependencies>\n    <dependency>\n      <artifactId>spring-boot-starter-mail</artifactId>\n    </dependency>\n  </dependencies>\n</project>\n";
        let files = AppFiles::from_pairs([
            ("pom.xml", pom),
            ("src/main/resources/application.properties", "server.port=8080\n"),
        ]);
        let reads = unconfigured_mail(&files, &SpringConfig::read(&files));
        let named: Vec<(&str, &str)> = reads.iter().map(|r| (r.name.as_str(), r.source.as_str())).collect();
        assert_eq!(named[0], ("SPRING_MAIL_HOST", "pom.xml:4"));
        assert_eq!(named.len(), 4);
        let set = AppFiles::from_pairs([
            ("pom.xml", pom),
            ("src/main/resources/application.properties", "spring.mail.host=smtp.example.com\n"),
        ]);
        assert!(unconfigured_mail(&set, &SpringConfig::read(&set)).is_empty(), "the file sets it");
    }
}
