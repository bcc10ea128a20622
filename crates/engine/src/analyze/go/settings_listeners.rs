//! The servers a loaded settings file starts (`"admin_server": {"listen_url": ...}`,
//! `"phish_server": {...}`): a second listener on another port that one service port does
//! not expose, and TLS the server terminates itself, which the load balancer's plain-HTTP
//! health check cannot speak.

use super::code::listen_port;
use super::config_file::{LoadedSettings, Setting, is_listen_key, names_a_service, settings_of, words_of};
use crate::analyze::app_files::AppFiles;
use crate::model::Finding;

/// One server the settings start: its section, port, and where the file says so.
struct Listener {
    section: String,
    port: u16,
    at: String,
}

/// The findings about the listeners of the loaded settings files.
pub(super) fn findings(files: &AppFiles, loaded_files: &[LoadedSettings]) -> Vec<Finding> {
    let mut found = Vec::new();
    for loaded in loaded_files {
        let Some(text) = files.get(&loaded.path) else { continue };
        let settings = settings_of(&loaded.path, text);
        let listeners: Vec<Listener> = settings.iter().filter_map(listener).collect();
        let Some(first) = listeners.first() else { continue };
        if let Some(other) = listeners.iter().find(|l| l.port != first.port) {
            found.push(
                Finding::warning(
                    "two-listeners",
                    format!(
                        "the settings start two servers: {} on port {} and {} on port {}; the service exposes only the first",
                        label(&first.section),
                        first.port,
                        label(&other.section),
                        other.port
                    ),
                    other.at.clone(),
                )
                .with_fix("run the other server as a second service, or choose which port the service exposes"),
            );
        }
        if let Some(tls) = settings.iter().find(|s| s.section == first.section && turns_tls_on(s)) {
            found.push(
                Finding::warning(
                    "https-listener",
                    format!(
                        "{} serves HTTPS itself ({} = {}): the load balancer's health check and target group speak plain HTTP",
                        label(&first.section),
                        tls.key,
                        tls.value
                    ),
                    tls.at.clone(),
                )
                .with_fix("turn the server's TLS off behind the load balancer, which terminates HTTPS"),
            );
        }
    }
    found
}

fn listener(setting: &Setting) -> Option<Listener> {
    let words = words_of(setting.key);
    if !is_listen_key(&words) || names_a_service(&setting.section, &words) {
        return None;
    }
    let port = listen_port(setting.value.trim_matches(['"', '\'']), true)?;
    Some(Listener { section: setting.section.clone(), port, at: setting.at.clone() })
}

/// `use_tls: true`, `https = true`, `EnableSSL: true`.
fn turns_tls_on(setting: &Setting) -> bool {
    let words = words_of(setting.key);
    let names_tls = words.iter().any(|w| matches!(w.as_str(), "TLS" | "SSL" | "HTTPS"));
    names_tls && words.len() <= 2 && setting.value.trim_matches(['"', '\'']).eq_ignore_ascii_case("true")
}

fn label(section: &str) -> String {
    if section.is_empty() { "the server".to_string() } else { format!("the server of `{section}`") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_servers_and_tls_on_the_first() {
        let json = "{\n  \"admin\": {\n    \"listen_url\": \"0.0.0.0:3333\",\n    \"use_tls\": true\n  },\n  \"public\": {\n    \"listen_url\": \"0.0.0.0:80\"\n  }\n}\n";
        let files = AppFiles::from_pairs([("app.json", json)]);
        let loaded = [LoadedSettings { path: "app.json".into(), loaded_at: "main.go:3".into() }];
        let kinds: Vec<(String, String)> = findings(&files, &loaded).into_iter().map(|f| (f.kind, f.source)).collect();
        assert_eq!(
            kinds,
            [
                ("two-listeners".to_string(), "app.json:7".to_string()),
                ("https-listener".to_string(), "app.json:4".to_string())
            ]
        );
    }
}
