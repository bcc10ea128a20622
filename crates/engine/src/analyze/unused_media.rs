//! Django's `MEDIA_ROOT` is only where uploads would go: a project with no file field, no
//! storage call and no uploaded file in its views writes nothing there, so a media folder on
//! the task's disk loses nothing.

use super::app_files::AppFiles;
use crate::model::Finding;

/// What in a project's models and views stores a file under the media folder.
const STORES_FILES: [&str; 6] =
    ["FileField(", "ImageField(", "upload_to", "FileSystemStorage", "default_storage", "request.FILES"];
/// Installed apps that keep uploaded images and documents there (Wagtail's, django-filer).
const MEDIA_APPS: [&str; 3] = ["wagtailimages", "wagtaildocs", "'filer'"];

/// Drops the local-disk findings raised at a `MEDIA_ROOT` line when the code stores no file.
pub fn relax(files: &AppFiles, findings: &mut Vec<Finding>) {
    if !files.has("manage.py") || stores_files(files) {
        return;
    }
    findings.retain(|f| !(f.kind == "local-disk-writes" && names_media_root(files, &f.source)));
}

/// Whether the line at `path:line` is about `MEDIA_ROOT`.
fn names_media_root(files: &AppFiles, source: &str) -> bool {
    let Some((path, line)) = source.rsplit_once(':') else { return false };
    let line = line.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
    let text = line.and_then(|n| files.get(path)?.lines().nth(n));
    text.is_some_and(|text| text.contains("MEDIA_ROOT"))
}

/// The settings name the storage backends (`FileSystemStorage` is Django's default) and the
/// installed apps; models and views show what is stored.
fn stores_files(files: &AppFiles) -> bool {
    let settings = |path: &str| path.split('/').any(|part| part.starts_with("settings"));
    files.with_extensions(&["py"]).filter(|(path, _)| !super::source::is_test_path(path)).any(|(path, text)| {
        let marks: &[&str] = if settings(path) { &MEDIA_APPS } else { &STORES_FILES };
        marks.iter().any(|mark| text.contains(mark))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(pairs: &[(&str, &str)]) -> usize {
        let mut findings = vec![Finding::blocker(
            "local-disk-writes",
            "keeps its files in .media on local disk (MEDIA_ROOT): every task has its own",
            "paste/settings.py:1",
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
