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
    let direct = app_code_lines(files, &["py"]).find_map(|(at, line)| keeps_uploads(line).then_some(at));
    let Some(at) = direct.or_else(|| first_write_through_path(files)) else {
        return;
    };
    let fix = "write uploads to S3 (and serve them from there), or mount shared storage (EFS) at the folder";
    // `if LOCAL_FILE_UPLOAD:` with the switch off unless set: by default the uploads go
    // elsewhere, and only an operator who turns it on keeps them on the task's disk.
    if let Some(switch) = opt_in_switch(files, &at) {
        findings.push(
            Finding::warning(
                "local-disk-writes",
                format!("keeps uploaded files in a folder on local disk when {switch} is set (off unless set): each task would have its own, lost when the task stops"),
                at,
            )
            .with_fix(format!("leave {switch} unset on the service; {fix}")),
        );
        return;
    }
    findings.push(
        Finding::blocker(
            "local-disk-writes",
            "keeps uploaded files in a folder on local disk: each task has its own, and they are lost when the task stops",
            at,
        )
        .with_fix(fix),
    );
}

/// The switch of the `if SWITCH:` block holding the line at `at`, when the same module reads
/// it from the environment off by default (`"X" in os.environ`, `os.getenv("X")`).
fn opt_in_switch(files: &AppFiles, at: &str) -> Option<String> {
    let (path, line) = at.rsplit_once(':')?;
    let text = files.get(path)?;
    let lines: Vec<&str> = text.lines().collect();
    let index = line.parse::<usize>().ok()?.checked_sub(1)?;
    let indent = |l: &str| l.len() - l.trim_start().len();
    // The blocks around the line, innermost first: `if not os.path.exists(...)` inside the switch's.
    let mut depth = indent(lines[index]);
    let openers = lines[..index].iter().rev().filter(move |l| {
        let opens = !l.trim().is_empty() && !l.trim_start().starts_with('#') && indent(l) < depth;
        if opens {
            depth = indent(l);
        }
        opens
    });
    let bare = |c: &str| !c.is_empty() && c.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let switch = openers
        .filter_map(|l| l.trim().strip_prefix("if ")?.strip_suffix(':').map(str::trim))
        .find(|condition| bare(condition))?;
    let assigned = lines.iter().find_map(|l| l.strip_prefix(switch)?.trim_start().strip_prefix('='))?;
    let reads = assigned.contains("environ") || assigned.contains("getenv");
    let on_by_default =
        ["True", "\"1\"", "'1'", "\"true\"", "'true'", "\"yes\"", "'yes'"].iter().any(|v| assigned.contains(v));
    (reads && !on_by_default).then(|| switch.to_string())
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

/// The first line that writes a file through a path built under an upload folder a few
/// lines up (`path = app.config["UPLOAD_DIR"] / f.filename` … `path.write_bytes(data)`):
/// the write, not the setting, is what keeps the upload on the task's disk.
fn first_write_through_path(files: &AppFiles) -> Option<String> {
    let runtime = |path: &str| {
        !crate::analyze::source::is_test_path(path)
            && crate::analyze::variables::scope_of(path) == crate::model::VariableScope::Runtime
    };
    files.with_extensions(&["py"]).filter(|(path, _)| runtime(path)).find_map(|(path, text)| {
        let lines: Vec<&str> = text.lines().collect();
        lines.iter().enumerate().find_map(|(index, line)| {
            // Only an assignment can name the path: the rest need no statement built.
            let statement = line.contains('=').then(|| crate::analyze::variables::python_statement(&lines, index))?;
            let name = upload_path_name(&statement)?;
            let mut after = lines.iter().enumerate().skip(index + 1).take(WRITE_WITHIN);
            after.find_map(|(at, l)| writes_to(l, &name).then(|| format!("{path}:{}", at + 1)))
        })
    })
}

/// How many lines after a path is built its write may come.
const WRITE_WITHIN: usize = 12;

/// The variable a line assigns a path under a folder named for uploads to.
fn upload_path_name(line: &str) -> Option<String> {
    let code = line.split('#').next().unwrap_or("");
    let (target, value) = code.split_once('=')?;
    let target = target.trim();
    let bare = !target.is_empty() && target.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let joins = value.contains(" / ") || value.contains("path.join(");
    let uploads = value.to_ascii_lowercase().contains("upload");
    (bare && !value.starts_with('=') && joins && uploads).then(|| target.to_string())
}

/// Whether a line writes a file at the path held by `name`, or makes it as a folder.
fn writes_to(line: &str, name: &str) -> bool {
    let code = line.split('#').next().unwrap_or("");
    let method = [".write_bytes(", ".write_text(", ".save("].iter().any(|m| code.contains(&format!("{name}{m}")));
    let saved_at = [format!(".save({name})"), format!(".save({name},")].iter().any(|m| code.contains(m.as_str()));
    let opened = code.split_once("open(").is_some_and(|(_, rest)| {
        rest.starts_with(&format!("{name},")) && (rest.contains("\"w") || rest.contains("'w"))
    });
    let made = [format!("makedirs({name})"), format!("makedirs({name},"), format!("{name}.mkdir(")]
        .iter()
        .any(|m| code.contains(m.as_str()));
    method || saved_at || opened || made
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_made_only_when_a_switch_off_by_default_is_set() {
        let config = |switch: &str| {
            format!(
                "{switch}\nUPLOAD_DIR = None\n\nif LOCAL_UPLOADS:\n    UPLOAD_DIR = os.path.join(ROOT, \"static/upload\")\n    if not os.path.exists(UPLOAD_DIR):\n        os.makedirs(UPLOAD_DIR)\n"
            )
        };
        let judged = |switch: &str| {
            let text = config(switch);
            let mut found = Vec::new();
            findings(&AppFiles::from_pairs([("app/config.py", text.as_str())]), &mut found);
            found.into_iter().map(|f| (f.level, f.source)).next()
        };
        use crate::model::FindingLevel::{Blocker, Warning};
        let at = "app/config.py:7".to_string();
        assert_eq!(judged("LOCAL_UPLOADS = \"LOCAL_UPLOADS\" in os.environ"), Some((Warning, at.clone())));
        assert_eq!(
            judged("LOCAL_UPLOADS = os.getenv(\"LOCAL_UPLOADS\", \"true\") == \"true\""),
            Some((Blocker, at.clone()))
        );
        assert_eq!(judged("LOCAL_UPLOADS = True"), Some((Blocker, at)));
    }

    #[test]
    fn a_write_through_a_path_built_under_the_upload_folder() {
        let code = "def save(image):\n    target = current_app.config[\"UPLOAD_DIR\"] / image.filename\n    target = unique(target)\n    target.write_bytes(image.read())\n";
        let files = AppFiles::from_pairs([("shop/media.py", code)]);
        assert_eq!(first_write_through_path(&files), Some("shop/media.py:4".to_string()));
        let reads = "def show(name):\n    target = UPLOAD_DIR / name\n    return target.read_bytes()\n";
        assert_eq!(first_write_through_path(&AppFiles::from_pairs([("shop/media.py", reads)])), None);
        assert!(writes_to("    with open(target, \"wb\") as out:", "target"));
        assert!(writes_to("    image.save(target)", "target"));
    }

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
