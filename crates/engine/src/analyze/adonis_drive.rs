//! AdonisJS Drive with only local disks. `config/drive.ts` defines the disks uploaded files are
//! kept on; when every one is `services.fs(...)`, whatever the app stores through Drive (an
//! avatar, an attachment) lands in a folder of the task's own disk: other tasks never see it,
//! and it is lost when the task stops. A cloud disk beside it (`services.s3(...)`) leaves the
//! choice to the operator's `DRIVE_DISK`, so that says nothing here.

use serde_json::Value;

use super::app_files::AppFiles;
use crate::model::Finding;

/// Drive's services that keep files off the task: S3 and its look-alikes, Google Cloud Storage.
const CLOUD_SERVICES: [&str; 5] =
    ["services.s3(", "services.gcs(", "services.r2(", "services.spaces(", "services.supabase("];

/// A blocker at the first `services.fs(` line when it is the only kind of disk Drive has.
pub fn finding(files: &AppFiles, manifest: &Value) -> Option<Finding> {
    manifest.pointer("/dependencies/@adonisjs~1drive")?;
    let path = "config/drive.ts";
    let text = files.get(path)?;
    if CLOUD_SERVICES.iter().any(|service| text.contains(service)) {
        return None;
    }
    let index = text.lines().position(|line| line.contains("services.fs(") && !line.trim_start().starts_with("//"))?;
    Some(
        Finding::blocker(
            "local-disk-writes",
            "Drive's only disk is `fs`, a folder of the task's own disk: files stored through it (uploads, attachments) are not seen by other tasks and are lost when the task stops",
            format!("{path}:{}", index + 1),
        )
        .with_fix("add an S3 disk (`services.s3`) and set DRIVE_DISK=s3 on the service, or mount EFS at the folder and run one task"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(drive: &str) -> Option<String> {
        let manifest: Value = serde_json::from_str(r#"{"dependencies":{"@adonisjs/drive":"3"}}"#).unwrap();
        finding(&AppFiles::from_pairs([("config/drive.ts", drive)]), &manifest).map(|f| f.source)
    }

    #[test]
    fn only_local_disks_block() {
        let local = "const driveConfig = defineConfig({\n  default: env.get('DRIVE_DISK'),\n  services: {\n    fs: services.fs({\n      location: app.makePath('storage'),\n    }),\n  },\n})\n";
        assert_eq!(found(local).as_deref(), Some("config/drive.ts:4"));
        let both = local.replace("  },\n})", "    s3: services.s3({ bucket: env.get('S3_BUCKET') }),\n  },\n})");
        assert_eq!(found(&both), None, "the operator can pick the S3 disk");
        let manifest: Value = serde_json::from_str(r#"{"dependencies":{}}"#).unwrap();
        assert!(finding(&AppFiles::from_pairs([("config/drive.ts", local)]), &manifest).is_none());
    }
}
