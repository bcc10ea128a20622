//! The Node.js traps held-out applications showed, gathered for `node::analyze`: each check
//! lives in a module of its own; this one only says which apply to a Node.js app.

use serde_json::Value;

use super::app_files::AppFiles;
use crate::model::Finding;

/// Adds the findings below to `findings`, but not a second migrations-at-start: the start
/// chain or the `prestart` script may already have said that the start migrates.
pub fn add(files: &AppFiles, manifest: &Value, start: &[String], findings: &mut Vec<Finding>) {
    for finding in self::findings(files, manifest, start) {
        if finding.kind == "migrations-at-start" && findings.iter().any(|f| f.kind == finding.kind) {
            continue;
        }
        findings.push(finding);
    }
}

/// The findings of builds whose output cannot start, and of code that breaks behind a load
/// balancer: `start` is the command the image runs.
fn findings(files: &AppFiles, manifest: &Value, start: &[String]) -> Vec<Finding> {
    let mut found: Vec<Finding> = Vec::new();
    found.extend(super::node_dev_runtime::finding(files, manifest, start));
    found.extend(super::node_start_migrations::finding(files, manifest, start));
    found.extend(super::node_seed_on_connect::finding(files, manifest, start));
    found.extend(super::node_start_tools::finding(files, manifest, start));
    found.extend(super::ts_path_aliases::finding(files, manifest, start));
    found.extend(super::env_file_required::findings(files));
    found.extend(super::typeorm_synchronize::findings(files));
    found.extend(super::https_redirect::findings(files));
    found.extend(super::session_secret::findings(files));
    found.extend(super::hapi_host::findings(files));
    found.extend(super::redis_default_client::findings(files));
    found.extend(super::variables::node_config_findings(files));
    found.extend(super::local_storage_fallback::findings(files));
    found.extend(super::node_disk_writes::finding(files).or_else(|| super::adonis_drive::finding(files, manifest)));
    // A served folder that also takes uploads is said once, at the upload.
    found.extend(super::node_served_writes::finding(files).filter(|f| !found.iter().any(|o| o.source == f.source)));
    let scheduler = super::node_scheduler::finding(files, manifest, start);
    found.extend(scheduler.or_else(|| super::node_scheduler::timer_finding(files, manifest, start)));
    found.extend(super::node_log_files::findings(files));
    found.extend(super::node_config_object::findings(files));
    found.extend(super::sequelize_config::findings(files, manifest));
    found.extend(super::node_graphql_pubsub::finding(files, manifest));
    found.extend(super::node_public_url::findings(files));
    found.extend(super::node_cors_origin::finding(files));
    found.extend(super::node_connection_literal::findings(files));
    found
}
