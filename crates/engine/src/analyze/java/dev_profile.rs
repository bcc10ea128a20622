//! `spring.profiles.active: dev` in application.yml: with nothing set on the service, Spring
//! starts with the development profile, whose file writes in a database on localhost and its
//! credentials. What the production profile's placeholders read is then never used.

use super::spring_config::{Entry, SpringConfig, placeholder_default};
use crate::model::Finding;

/// Profiles that are production's.
const PRODUCTION: [&str; 3] = ["prod", "production", "default"];

/// The last parts of a datasource's settings (a pool's too: `spring.datasource.druid.url`,
/// `spring.datasource.hikari.jdbc-url`) that only work on a developer's machine when written in.
const DATASOURCE_SETTINGS: [&str; 4] = [".url", ".jdbc-url", ".username", ".password"];

/// The blocker when the default active profile is not production's and its file writes in a
/// local database or its credentials.
pub(super) fn dev_profile_default(config: &SpringConfig) -> Option<Finding> {
    let active = config.get("spring.profiles.active")?;
    let value = placeholder_default(&active.value).unwrap_or(&active.value);
    let profile = value.split(',').map(str::trim).find(|p| !p.is_empty() && !PRODUCTION.contains(p))?;
    let local = config.entries.iter().find(|e| in_profile(e, profile) && written_for_this_machine(e))?;
    Some(
        Finding::blocker(
            "dev-profile-default",
            format!(
                "spring.profiles.active defaults to {profile}: the app starts with that profile, whose {} is written in ({}); tasks cannot reach it",
                local.key, local.at
            ),
            active.at.clone(),
        )
        .with_fix("set SPRING_PROFILES_ACTIVE to the production profile on the service"),
    )
}

/// A localhost-default-host blocker when the default active profile is not production's and its
/// file points a store (`spring.datasource.url`, `spring.redis.host`) at this machine: it is
/// where the app connects with nothing set on the service.
pub(super) fn active_profile_localhost(config: &SpringConfig) -> Option<Finding> {
    let active = config.get("spring.profiles.active")?;
    let value = placeholder_default(&active.value).unwrap_or(&active.value);
    let profile = value.split(',').map(str::trim).find(|p| !p.is_empty() && !PRODUCTION.contains(p))?;
    let address = |e: &&Entry| {
        let key = e.key.to_ascii_lowercase();
        let names_an_address = [".url", ".uri", ".host", ".jdbc-url", ".nodes"].iter().any(|end| key.ends_with(end));
        let value = e.value.to_ascii_lowercase();
        names_an_address && !value.contains("${") && (value.contains("localhost") || value.contains("127.0.0.1"))
    };
    let local: Vec<&Entry> = config.entries.iter().filter(|e| in_profile(e, profile)).filter(address).collect();
    let first = local.first()?;
    let keys: Vec<String> = local.iter().map(|e| format!("{} ({})", e.key, e.at)).collect();
    Some(
        Finding::blocker(
            "localhost-default-host",
            format!(
                "the {profile} profile, active by default, connects to localhost: {}; in a task nothing listens there",
                keys.join(", ")
            ),
            first.at.clone(),
        )
        .with_fix("set SPRING_PROFILES_ACTIVE to the production profile, and the stores' hosts on the service"),
    )
}

/// Whether `entry` comes from `application-{profile}.{yml,yaml,properties}`.
fn in_profile(entry: &Entry, profile: &str) -> bool {
    let path = entry.at.rsplit_once(':').map_or(entry.at.as_str(), |(path, _)| path);
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split('.').next() == Some(&format!("application-{profile}"))
}

/// A local address or a literal credential, not a placeholder the service could fill.
fn written_for_this_machine(entry: &Entry) -> bool {
    let datasource = entry.key.contains("datasource") && DATASOURCE_SETTINGS.iter().any(|end| entry.key.ends_with(end));
    if !(datasource || entry.key.ends_with("redis.host")) || entry.value.contains("${") {
        return false;
    }
    let value = entry.value.to_ascii_lowercase();
    let credential = entry.key.ends_with("password") || entry.key.ends_with("username");
    value.contains("localhost") || value.contains("127.0.0.1") || (credential && !value.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::app_files::AppFiles;

    fn judged(pairs: &[(&str, &str)]) -> Option<String> {
        let files = AppFiles::from_pairs(pairs.iter().copied());
        dev_profile_default(&SpringConfig::read(&files)).map(|f| f.source)
    }

    #[test]
    fn a_development_profile_active_by_default() {
        let base = ("src/main/resources/application.yml", "spring:\n  profiles:\n    active: dev\n");
        let dev = (
            "src/main/resources/application-dev.yml",
            "spring:\n  datasource:\n    url: jdbc:mysql://localhost:3306/shop\n",
        );
        assert_eq!(judged(&[base, dev]).as_deref(), Some("src/main/resources/application.yml:3"));
        let pool = (
            "src/main/resources/config/application-dev.yml",
            "spring:\n  datasource:\n    druid:\n      username: root\n",
        );
        let nested = ("src/main/resources/config/application.yml", base.1);
        assert_eq!(judged(&[nested, pool]).as_deref(), Some("src/main/resources/config/application.yml:3"));
        let placeholders = (
            "src/main/resources/application-dev.yml",
            "spring:\n  datasource:\n    url: jdbc:mysql://${DB_HOST}:3306/shop\n",
        );
        assert_eq!(judged(&[base, placeholders]), None);
        let prod = ("src/main/resources/application.yml", "spring:\n  profiles:\n    active: ${PROFILE:prod}\n");
        assert_eq!(judged(&[prod, dev]), None);
    }

    #[test]
    fn stores_on_localhost_in_the_default_profile() {
        let base = ("src/main/resources/application.yml", "spring:\n  profiles:\n    active: dev\n");
        let dev = (
            "src/main/resources/application-dev.yml",
            "spring:\n  redis:\n    host: localhost # local\n    port: 6379\n",
        );
        let files = AppFiles::from_pairs([base, dev]);
        let found = active_profile_localhost(&SpringConfig::read(&files)).map(|f| f.source);
        assert_eq!(found.as_deref(), Some("src/main/resources/application-dev.yml:3"));
        let prod = ("src/main/resources/application.yml", "spring:\n  profiles:\n    active: prod\n");
        let files = AppFiles::from_pairs([prod, dev]);
        assert!(active_profile_localhost(&SpringConfig::read(&files)).is_none());
    }
}
