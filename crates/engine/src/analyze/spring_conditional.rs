//! Spring settings only a conditional bean reads: `spring.redisson.address` bound by a
//! `@ConfigurationProperties(prefix = "spring.redisson")` class that Spring builds only
//! `@ConditionalOnExpression("'${cache.type:default}'.equals('redis')")`. A localhost default
//! there stops nothing until the operator turns that feature on, so it is said as a warning
//! that names the condition.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use crate::model::{Finding, FindingLevel};

/// `@ConfigurationProperties(prefix = "spring.redisson")` or `@ConfigurationProperties("x")`.
static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"@ConfigurationProperties\(\s*(?:(?:prefix|value)\s*=\s*)?"([\w.-]+)""#).expect("valid pattern")
});
/// `@ConditionalOnExpression("...")`, `@ConditionalOnProperty(name = "...", havingValue = "...")`.
static CONDITION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"@(ConditionalOn(?:Expression|Property))\((.*)\)"#).expect("valid pattern"));

/// Lowers each localhost blocker on a Spring setting that only a conditional class binds.
pub fn relax(files: &AppFiles, findings: &mut [Finding]) {
    for finding in
        findings.iter_mut().filter(|f| f.kind == "localhost-default-host" && f.level == FindingLevel::Blocker)
    {
        let Some(key) = setting_key(files, &finding.source) else { continue };
        if let Some(condition) = binding_condition(files, &key) {
            finding.level = FindingLevel::Warning;
            finding.message = format!("{} (read only by a class Spring builds when {condition})", finding.message);
        }
    }
}

/// The Spring key on the settings line `source` names (`spring.redisson.address`).
fn setting_key(files: &AppFiles, source: &str) -> Option<String> {
    let (path, line) = source.rsplit_once(':')?;
    if !(path.ends_with(".properties") || path.ends_with(".yml") || path.ends_with(".yaml")) {
        return None;
    }
    let text = files.get(path)?.lines().nth(line.parse::<usize>().ok()?.checked_sub(1)?)?;
    let key = text.split(['=', ':']).next()?.trim();
    (!key.is_empty() && key.contains('.')).then(|| key.to_string())
}

/// The condition on the class that binds `key` by its prefix, as written.
fn binding_condition(files: &AppFiles, key: &str) -> Option<String> {
    files.with_extensions(&["java", "kt"]).find_map(|(_, text)| {
        let prefix = PREFIX.captures(text)?;
        if !key.starts_with(&format!("{}.", &prefix[1])) {
            return None;
        }
        // The condition sits among the class's annotations, before the class itself.
        let head = &text[..text.find(" class ")?];
        CONDITION.captures(head).map(|c| c[2].trim().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setting_only_a_conditional_class_binds_is_a_warning() {
        let config = "cache.type = ${KK_CACHE_TYPE:jdk}\nspring.redisson.address = ${KK_SPRING_REDISSON_ADDRESS:127.0.0.1:6379}\n";
        let class = "@ConditionalOnExpression(\"'${cache.type:default}'.equals('redis')\")\n@ConfigurationProperties(prefix = \"spring.redisson\")\n@Configuration\npublic class RedissonConfig {\n    private String address;\n}\n";
        let files = AppFiles::from_pairs([
            ("src/main/config/application.properties", config),
            ("src/main/java/app/RedissonConfig.java", class),
        ]);
        let mut findings = vec![Finding::blocker(
            "localhost-default-host",
            "KK_SPRING_REDISSON_ADDRESS defaults to localhost: in a task nothing listens there",
            "src/main/config/application.properties:2",
        )];
        relax(&files, &mut findings);
        assert_eq!(findings[0].level, FindingLevel::Warning);
        assert!(findings[0].message.contains("equals('redis')"), "{}", findings[0].message);
        let always = AppFiles::from_pairs([
            ("src/main/config/application.properties", config),
            (
                "src/main/java/app/RedissonConfig.java",
                &class.replace("@ConditionalOnExpression(\"'${cache.type:default}'.equals('redis')\")\n", ""),
            ),
        ]);
        let mut kept = vec![findings[0].clone()];
        kept[0].level = FindingLevel::Blocker;
        relax(&always, &mut kept);
        assert_eq!(kept[0].level, FindingLevel::Blocker);
    }
}
