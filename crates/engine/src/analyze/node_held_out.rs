//! The Node.js traps held-out applications showed, gathered for `node::analyze`: each check
//! lives in a module of its own; this one only says which apply to a Node.js app.

use serde_json::Value;

use super::app_files::AppFiles;
use crate::model::Finding;

/// The findings of builds whose output cannot start, and of code that breaks behind a load
/// balancer: `start` is the command the image runs.
pub fn findings(files: &AppFiles, manifest: &Value, start: &[String]) -> Vec<Finding> {
    let mut found: Vec<Finding> = Vec::new();
    found.extend(super::node_dev_runtime::finding(files, manifest, start));
    found.extend(super::node_start_tools::finding(files, manifest, start));
    found.extend(super::ts_path_aliases::finding(files, manifest, start));
    found.extend(super::env_file_required::findings(files));
    found.extend(super::typeorm_synchronize::findings(files));
    found.extend(super::https_redirect::findings(files));
    found.extend(super::session_secret::findings(files));
    found.extend(super::hapi_host::findings(files));
    found.extend(super::variables::node_config_findings(files));
    found.extend(super::local_storage_fallback::findings(files));
    found.extend(super::node_disk_writes::finding(files));
    found.extend(super::node_log_files::findings(files));
    found.extend(super::node_config_object::findings(files));
    found
}
