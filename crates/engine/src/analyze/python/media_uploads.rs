//! Django uploads on the task's disk: a `MEDIA_ROOT` served by Django's default storage
//! (`FileSystemStorage`, set or left implicit) while the models keep files (`FileField`,
//! `ImageField`) or the views write into the media folder. Each task then keeps its own
//! uploads, and loses them when it stops.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;
use crate::model::{Finding, FindingLevel};

/// What in settings or dependencies sends the default storage elsewhere than the local disk.
const REMOTE_STORAGES: [&str; 7] = [
    "storages.backends",
    "S3Boto",
    "S3Storage",
    "cloudinary_storage",
    "GoogleCloudStorage",
    "AzureStorage",
    "django_s3_storage",
];

/// What in models and views stores an uploaded file under the media folder (a path built on
/// `MEDIA_ROOT` is one the code writes or reads there).
const STORES_FILES: [&str; 3] = ["FileField(", "ImageField(", "MEDIA_ROOT"];

/// One blocker at the `MEDIA_ROOT` setting when the project stores files there with the
/// default storage; a warning at that line says less and goes.
pub(super) fn findings(files: &AppFiles, findings: &mut Vec<Finding>) {
    // `manage.py` at the root, or beside the project in `src/`.
    let django =
        files.files.keys().any(|path| path == "manage.py" || (path.ends_with("/manage.py") && !is_test_path(path)));
    if !django || findings.iter().any(|f| f.kind == "local-disk-writes" && f.level == FindingLevel::Blocker) {
        return;
    }
    let code: Vec<(&str, &str)> = files.with_extensions(&["py"]).filter(|(path, _)| !is_test_path(path)).collect();
    let is_settings = |path: &str| path.split('/').any(|part| part.starts_with("settings"));
    let Some(setting) = code.iter().filter(|(path, _)| is_settings(path)).find_map(|(path, text)| {
        let index = text.lines().position(|line| line.trim_start().starts_with("MEDIA_ROOT"))?;
        Some(format!("{path}:{}", index + 1))
    }) else {
        return;
    };
    let remote = code.iter().any(|(_, text)| REMOTE_STORAGES.iter().any(|mark| text.contains(mark)))
        || ["requirements.txt", "requirements/base.txt", "requirements/production.txt", "Pipfile", "pyproject.toml"]
            .iter()
            .filter_map(|path| files.get(path))
            .any(|text| text.to_ascii_lowercase().contains("django-storages"));
    let stores = code.iter().filter(|(path, _)| !is_settings(path)).find_map(|(path, text)| {
        let index = text.lines().position(|line| {
            let code = line.split('#').next().unwrap_or("");
            // `static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)` serves the folder.
            let serves = code.contains("document_root") || code.contains("static(");
            STORES_FILES.iter().any(|mark| code.contains(mark)) && !serves
        })?;
        Some(format!("{path}:{}", index + 1))
    });
    let Some(stored_at) = stores.filter(|_| !remote) else { return };
    findings.retain(|f| !(f.kind == "local-disk-writes" && f.source == setting));
    findings.push(
        Finding::blocker(
            "local-disk-writes",
            format!(
                "keeps uploaded media in MEDIA_ROOT on local disk with Django's default storage (stored at {stored_at}): each task has its own, and they are lost when the task stops"
            ),
            setting,
        )
        .with_fix("store media in S3 (django-storages, `STORAGES[\"default\"]`), or mount shared storage (EFS) at MEDIA_ROOT"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pairs: &[(&str, &str)]) -> Vec<(FindingLevel, String)> {
        let mut findings = Vec::new();
        super::findings(&AppFiles::from_pairs(pairs.iter().copied()), &mut findings);
        findings.into_iter().map(|f| (f.level, f.source)).collect()
    }

    #[test]
    fn file_fields_on_the_default_storage_block_unless_it_is_remote() {
        let settings = ("site/settings/base.py", "MEDIA_URL = '/media/'\nMEDIA_ROOT = BASE_DIR / 'media'\n");
        let model = ("shelf/models.py", "class Paper(models.Model):\n    pdf = models.FileField(upload_to='papers')\n");
        let manage = ("manage.py", "");
        assert_eq!(found(&[manage, settings, model]), [(FindingLevel::Blocker, "site/settings/base.py:2".into())]);
        let s3 =
            ("site/settings/production.py", "STORAGES = {'default': {'BACKEND': 'storages.backends.s3.S3Storage'}}\n");
        assert!(found(&[manage, settings, model, s3]).is_empty());
        assert!(found(&[manage, settings]).is_empty(), "nothing is stored there");
        let serves = ("site/urls.py", "urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)\n");
        assert!(found(&[manage, settings, serves]).is_empty(), "serving the folder stores nothing");
    }
}
