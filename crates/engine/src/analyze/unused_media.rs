//! Django's `MEDIA_ROOT` is only where uploads would go: a project with no file field, no
//! storage call and no uploaded file in its views writes nothing there, so a media folder on
//! the task's disk loses nothing.

use super::app_files::AppFiles;
use crate::model::Finding;

/// What in Python code stores a file under the media folder: its own fields and storage
/// calls, or apps that keep uploaded images and documents (Wagtail's, django-filer).
const STORES_FILES: [&str; 11] = [
    "FileField(",
    "ImageField(",
    "upload_to",
    "FileSystemStorage",
    "default_storage",
    "request.FILES",
    "storages[",
    "MEDIA_ROOT,",
    "wagtailimages",
    "wagtaildocs",
    "'filer'",
];

/// Drops the local-disk findings of a media folder setting when the code stores no file.
pub fn relax(files: &AppFiles, findings: &mut Vec<Finding>) {
    let django = files.has("manage.py");
    if !django || stores_files(files) {
        return;
    }
    let media = |f: &Finding| f.message.contains("(MEDIA_ROOT)") || f.message.starts_with("stores uploaded media");
    findings.retain(|f| !(f.kind == "local-disk-writes" && media(f)));
}

/// The settings only name the storage backends (`FileSystemStorage` is Django's default);
/// models, views and installed apps show what is stored.
fn stores_files(files: &AppFiles) -> bool {
    let settings = |path: &str| path.split('/').any(|part| part.starts_with("settings"));
    let installed_apps = files.with_extensions(&["py"]).any(|(path, text)| {
        settings(path) && ["wagtailimages", "wagtaildocs", "'filer'"].iter().any(|a| text.contains(a))
    });
    installed_apps
        || files
            .with_extensions(&["py"])
            .filter(|(path, _)| !super::source::is_test_path(path) && !settings(path))
            .any(|(_, text)| STORES_FILES.iter().any(|mark| text.contains(mark)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(pairs: &[(&str, &str)]) -> usize {
        let mut findings = vec![Finding::blocker(
            "local-disk-writes",
            "keeps its files in .media on local disk (MEDIA_ROOT): every task has its own",
            "paste/settings.py:9",
        )];
        relax(&AppFiles::from_pairs(pairs.iter().copied()), &mut findings);
        findings.len()
    }

    #[test]
    fn a_media_folder_nothing_writes_to() {
        let settings = ("paste/settings.py", "MEDIA_ROOT = env('MEDIA_ROOT', '.media')\n");
        let model = ("paste/models.py", "class Snippet(models.Model):\n    content = models.TextField()\n");
        assert_eq!(kept(&[("manage.py", ""), settings, model]), 0);
        let upload = ("paste/models.py", "class Snippet(models.Model):\n    file = models.FileField(upload_to='x')\n");
        assert_eq!(kept(&[("manage.py", ""), settings, upload]), 1);
    }
}
