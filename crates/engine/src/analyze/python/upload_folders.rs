//! Uploads kept in a folder of the task's disk: an uploaded file saved under a folder named
//! for uploads (`f.save(os.path.join(app.config["UPLOAD_PATH"], name))`), or an upload folder
//! the app creates to keep them in (`UPLOAD_DIR.mkdir(parents=True)`, `os.makedirs(UPLOAD_DIR)`).
//! Each task then has its own uploads, and loses them when it stops.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::app_code_lines;
use crate::model::Finding;

/// One blocker for the app (other tasks cannot serve what one task keeps), at the first line
/// that saves an upload or makes its folder.
pub(super) fn findings(files: &AppFiles, findings: &mut Vec<Finding>) {
    let Some(at) = app_code_lines(files, &["py"]).find_map(|(at, line)| keeps_uploads(line).then_some(at)) else {
        return;
    };
    findings.push(
        Finding::blocker(
            "local-disk-writes",
            "keeps uploaded files in a folder on local disk: each task has its own, and they are lost when the task stops",
            at,
        )
        .with_fix("write uploads to S3 (and serve them from there), or mount shared storage (EFS) at the folder"),
    );
}

/// A line that saves into, or creates, a folder named for uploads.
fn keeps_uploads(line: &str) -> bool {
    let code = line.split('#').next().unwrap_or("");
    let names_uploads = |text: &str| text.to_ascii_lowercase().contains("upload");
    let saved = code.split_once(".save(").is_some_and(|(_, argument)| {
        names_uploads(argument) && (argument.contains("path.join(") || argument.contains(" / "))
    });
    let created = code
        .split_once(".mkdir(")
        .is_some_and(|(folder, _)| names_uploads(folder.rsplit(['(', ' ', '=']).next().unwrap_or(folder)))
        || code
            .split_once("makedirs(")
            .is_some_and(|(_, argument)| names_uploads(argument.split([',', ')']).next().unwrap_or(argument)));
    saved || created
}

#[cfg(test)]
mod tests {
    use super::keeps_uploads;

    #[test]
    fn an_upload_saved_or_its_folder_made() {
        assert!(keeps_uploads("    f.save(os.path.join(current_app.config['SHOP_UPLOAD_PATH'], f.filename))"));
        assert!(keeps_uploads("    STORE_UPLOAD_DIR.mkdir(parents=True, exist_ok=True)"));
        assert!(keeps_uploads("    os.makedirs(app.config['UPLOAD_FOLDER'], exist_ok=True)"));
        assert!(!keeps_uploads("    form.save(commit=False)"), "a model form");
        assert!(!keeps_uploads("    LOG_DIR.mkdir(parents=True)"), "not uploads");
        assert!(!keeps_uploads("    # f.save(os.path.join(UPLOAD_DIR, name))"));
    }
}
