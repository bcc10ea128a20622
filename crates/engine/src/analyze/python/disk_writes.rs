//! Files the app writes into its own folders at run time (`static/logos/…`, `uploads/…`),
//! with `open` or `aiofiles.open` in a write mode: each task has its own disk, so a file one
//! task wrote is missing on the others and gone when the task stops.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::app_code_lines;
use crate::model::Finding;

/// Folders an app keeps what its users send or what it serves.
const DATA_FOLDERS: [&str; 6] = ["static", "upload", "media", "files", "data", "storage"];

/// One warning per file that writes into one of the app's data folders.
pub(super) fn findings(files: &AppFiles, findings: &mut Vec<Finding>) {
    let mut said_for: Vec<String> = Vec::new();
    let lines: Vec<(String, &str)> = app_code_lines(files, &["py"]).collect();
    for (index, (at, line)) in lines.iter().enumerate() {
        if !line.contains("open(") {
            continue;
        }
        let file_of = |at: &str| at.rsplit_once(':').map(|(path, _)| path.to_string());
        let above: Vec<(String, &str)> = lines[index.saturating_sub(LOOK_BACK)..index]
            .iter()
            .filter(|(a, _)| file_of(a) == file_of(at))
            .cloned()
            .collect();
        let line = named_path_written(&above, line).unwrap_or(line.to_string());
        let Some(folder) = written_folder(&line) else { continue };
        let folder = folder.to_string();
        let at = at.clone();
        let file = at.rsplit_once(':').map_or(at.clone(), |(path, _)| path.to_string());
        if said_for.contains(&file) {
            continue;
        }
        said_for.push(file);
        findings.push(
            Finding::warning(
                "local-disk-writes",
                format!("writes files under `{folder}/` at run time: each task has its own disk, so other tasks never see them and they are lost when the task stops"),
                at,
            )
            .with_fix("write them to S3 (and serve them from there), or mount shared storage in a standard ECS service"),
        );
    }
}

/// How many lines above a write its path may be set (`path = f"static/{name}"`).
const LOOK_BACK: usize = 12;

/// A write whose path is a variable, with the variable replaced by the string it was last
/// set to in the lines just above: `open(path, "wb")` after `path = f"static/{name}"` reads
/// as `open(f"static/{name}", "wb")`.
fn named_path_written(above: &[(String, &str)], line: &str) -> Option<String> {
    let (before, arguments) = line.split_once("open(")?;
    let name = arguments.trim_start().split([',', ')']).next()?.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let value = above.iter().rev().find_map(|(_, line)| {
        let (target, value) = line.trim_start().split_once('=')?;
        let target = target.split(':').next()?.trim();
        (target == name && !value.starts_with('=')).then(|| value.trim())
    })?;
    let rest = &arguments.trim_start()[name.len()..];
    Some(format!("{before}open({value}{rest}"))
}

/// The folder a write-mode `open(` call names, when its path starts with a data folder:
/// `aiofiles.open(f"static/team-logos/{name}", "wb")` → `static`.
fn written_folder(line: &str) -> Option<&str> {
    let code = line.trim_start();
    if code.starts_with('#') {
        return None;
    }
    let (_, arguments) = code.split_once("open(")?;
    let arguments = arguments.trim_start().trim_start_matches(['f', 'r', 'b']);
    let quote = arguments.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let (path, rest) = arguments[1..].split_once(quote)?;
    let writes = quoted(rest).any(|mode| {
        let mode = mode.trim_matches(['b', 't']);
        matches!(mode, "w" | "a" | "x" | "w+" | "a+" | "x+" | "r+" | "+r")
    });
    let folder = path.trim_start_matches("./").split('/').next()?;
    let is_data_folder = DATA_FOLDERS.iter().any(|name| folder.to_ascii_lowercase().starts_with(name));
    (writes && path.contains('/') && is_data_folder).then_some(folder)
}

/// The quoted strings of the rest of a call, in order (`, "wb") as f:` → `wb`).
fn quoted(text: &str) -> impl Iterator<Item = &str> {
    text.split(['"', '\'']).skip(1).step_by(2)
}

#[cfg(test)]
mod tests {
    use super::{named_path_written, written_folder};

    #[test]
    fn writes_into_the_apps_data_folders_only() {
        assert_eq!(
            written_folder(r#"    async with aiofiles.open(f"static/team-logos/{name}", "wb") as f:"#),
            Some("static")
        );
        assert_eq!(written_folder(r#"with open('./uploads/' + name, mode='wb') as out:"#), Some("uploads"));
        assert_eq!(written_folder(r#"with open("static/manifest.json") as f:"#), None, "a read");
        assert_eq!(written_folder(r#"with open(f"/tmp/{name}", "wb") as f:"#), None, "outside the app");
        assert_eq!(written_folder(r#"with open("report.csv", "w") as f:"#), None, "no folder");
        assert_eq!(written_folder(r#"# open("static/x.png", "wb")"#), None);
        assert_eq!(
            written_folder(r#"open("data/names.txt", encoding="ascii")"#),
            None,
            "a read, whatever its encoding"
        );
    }

    #[test]
    fn a_path_set_just_above_the_write() {
        let above = [("a.py:1".to_string(), r#"        path = f"static/logos/{name}" if file else None"#)];
        let line = named_path_written(&above, r#"    async with aiofiles.open(path, "wb") as f:"#).unwrap();
        assert_eq!(written_folder(&line), Some("static"));
        assert_eq!(named_path_written(&above, r#"open(other, "wb")"#), None);
    }
}
