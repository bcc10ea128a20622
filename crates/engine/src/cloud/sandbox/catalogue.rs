//! The scenarios a demo can open: the bundled ones, then the trainer's own from the config
//! folder (`~/.config/ferry/scenarios/*.toml`). A broken file is listed with its error.

use std::path::{Path, PathBuf};

use super::scenario::{BUNDLED, FaultsSection, Scenario};

/// Where a listed scenario comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Built into the binary.
    Bundled,
    /// A file the trainer dropped in the config folder.
    Trainer(PathBuf),
}

/// One scenario as the picker lists it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The bundled name, or the file's stem.
    pub name: String,
    /// Where it comes from.
    pub origin: Origin,
    /// The scenario's one line about its account; empty when it gives none or does not load.
    pub description: String,
    /// What the scenario teaches, in one line; empty when it says nothing.
    pub teaches: String,
    /// What its account holds, counted (`6 instances · 1 load balancer · …`); empty when the
    /// file does not load.
    pub holds: String,
    /// What goes wrong in it on its own (`[faults]`), in words; empty when nothing does.
    pub faults: String,
    /// Why the file does not load, when it does not.
    pub error: Option<String>,
}

impl Entry {
    /// What `ferry demo --scenario` takes to open it: the bundled name or the file's path.
    pub fn load_as(&self) -> String {
        match &self.origin {
            Origin::Bundled => self.name.clone(),
            Origin::Trainer(path) => path.display().to_string(),
        }
    }

    fn loaded(name: String, origin: Origin, loaded: Result<Scenario, String>) -> Entry {
        match loaded {
            Ok(s) => Entry {
                holds: holdings(&s),
                faults: faults_in_words(&s.faults),
                name,
                origin,
                description: s.account.description,
                teaches: s.account.teaches,
                error: None,
            },
            Err(error) => Entry {
                name,
                origin,
                description: String::new(),
                teaches: String::new(),
                holds: String::new(),
                faults: String::new(),
                error: Some(error),
            },
        }
    }
}

/// `count` things, in words: `1 bucket`, `2 buckets`.
fn counted(count: usize, one: &str, many: &str) -> Option<String> {
    match count {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    }
}

/// What a trainer gets to discover in the scenario's account, counted, so two scenarios can be
/// told apart before one is opened.
fn holdings(s: &Scenario) -> String {
    [
        counted(s.instances.len(), "instance", "instances"),
        counted(s.load_balancers.len(), "load balancer", "load balancers"),
        counted(s.databases.len(), "database", "databases"),
        counted(s.caches.len(), "cache", "caches"),
        counted(s.buckets.len(), "bucket", "buckets"),
        counted(s.hosted_zones.len(), "DNS zone", "DNS zones"),
        counted(s.alarms.len(), "alarm", "alarms"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
}

/// The scenario's own faults in words; empty when it has none.
fn faults_in_words(faults: &FaultsSection) -> String {
    let mut parts = Vec::new();
    if faults.throttle_every > 0 {
        parts.push(format!("1 change call in {} is throttled", faults.throttle_every));
    }
    if !faults.fail_once.is_empty() {
        parts.push(format!("{} fails once", faults.fail_once.join(", ")));
    }
    if !faults.fail_always.is_empty() {
        parts.push(format!("{} always fails", faults.fail_always.join(", ")));
    }
    parts.join(" · ")
}

/// The trainer's scenario folder: `scenarios/` beside the settings file.
pub fn trainer_folder() -> Option<PathBuf> {
    crate::config::config_path().and_then(|file| file.parent().map(|dir| dir.join("scenarios")))
}

/// The bundled scenarios, then the trainer's (sorted by file name) from `folder`.
pub fn catalogue(folder: Option<&Path>) -> Vec<Entry> {
    let mut entries: Vec<Entry> = BUNDLED
        .iter()
        .map(|(name, _)| Entry::loaded(name.to_string(), Origin::Bundled, Scenario::load(name).map_err(|e| e.message)))
        .collect();
    let Some(folder) = folder else { return entries };
    let Ok(listing) = std::fs::read_dir(folder) else { return entries };
    let mut files: Vec<PathBuf> = listing
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for path in files {
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let loaded = Scenario::load(&path.display().to_string()).map_err(|e| e.message);
        entries.push(Entry::loaded(name, Origin::Trainer(path), loaded));
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_first_then_the_trainers_with_a_broken_one_listed_with_its_error() {
        let dir = tempfile::tempdir().unwrap();
        let node_shop = BUNDLED[0].1.replace("name = \"node-shop\"", "name = \"class-a\"");
        std::fs::write(dir.path().join("class-a.toml"), node_shop).unwrap();
        std::fs::write(dir.path().join("broken.toml"), "[account]\nname = 1\n").unwrap();
        std::fs::write(dir.path().join("notes.md"), "not a scenario").unwrap();
        let entries = catalogue(Some(dir.path()));
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["node-shop", "legacy-monolith", "flaky-network", "python-shop", "java-shop", "broken", "class-a"]
        );
        assert!(entries[..5].iter().all(|e| e.origin == Origin::Bundled && e.error.is_none() && !e.teaches.is_empty()));
        assert!(entries[5].error.as_deref().is_some_and(|e| e.contains("line")), "{:?}", entries[5].error);
        assert_eq!(entries[6].origin, Origin::Trainer(dir.path().join("class-a.toml")));
        assert!(entries[6].error.is_none());
    }

    #[test]
    fn each_scenario_says_what_its_account_holds_and_what_fails_in_it() {
        let entries = catalogue(None);
        let [node_shop, flaky] = ["node-shop", "flaky-network"].map(|n| entries.iter().find(|e| e.name == n).unwrap());
        assert!(
            node_shop.holds.contains("1 load balancer") && node_shop.holds.contains("1 database"),
            "{}",
            node_shop.holds
        );
        assert_eq!(node_shop.faults, "");
        assert_eq!(
            flaky.faults,
            "1 change call in 3 is throttled · create-security-group fails once · wait-service-active always fails"
        );
        assert_eq!(counted(2, "bucket", "buckets").as_deref(), Some("2 buckets"));
        assert_eq!(counted(0, "bucket", "buckets"), None);
    }
}
