//! A Python setting for a data or upload folder (`UPLOAD_FOLDER = os.getenv("UPLOAD_FOLDER",
//! "static/x")`) that no later code reads names a folder nothing writes to: the files on local
//! disk are where code saves them, so the setting alone is no finding. Only the plain
//! `os.getenv` shape is judged: there the variable's name is the one the code would use.

use super::app_files::AppFiles;
use crate::model::Finding;

/// Settings the framework itself reads, though the app's code never names them.
const FRAMEWORK_READS: [&str; 3] = ["MEDIA_ROOT", "STATIC_ROOT", "FILE_UPLOAD_TEMP_DIR"];

/// Drops a variable's local-folder finding at a Python line when nothing after that line, nor
/// any other module, names the setting.
pub fn relax(files: &AppFiles, findings: &mut Vec<Finding>) {
    findings.retain(|f| {
        let unread = f.kind == "local-disk-writes"
            && f.message.starts_with("keeps its files in ")
            && setting_name(&f.message).is_some_and(|name| !read_after(files, &f.source, name));
        !unread
    });
}

/// The setting named in `keeps its files in X on local disk (NAME): …`.
fn setting_name(message: &str) -> Option<&str> {
    let name = message.split_once(" on local disk (")?.1.split_once(')')?.0;
    (!FRAMEWORK_READS.contains(&name)).then_some(name)
}

/// Whether a Python line after `path:line` in its file, or in another module, uses `name`
/// other than to assign it. Unknown sources count as read: only a Python setting is judged.
fn read_after(files: &AppFiles, source: &str, name: &str) -> bool {
    let Some((path, line)) = source.rsplit_once(':') else { return true };
    let Ok(line) = line.parse::<usize>() else { return true };
    // Only `NAME = os.getenv("NAME", …)`, where the code's name is the variable's; a settings
    // class field (`DATA_DIR: str`) is read through its object, which this does not follow.
    let defined = files.get(path).and_then(|text| text.lines().nth(line.checked_sub(1)?));
    let plain_read =
        defined.is_some_and(|l| l.trim_start().starts_with(name) && (l.contains("getenv(") || l.contains("environ")));
    if !path.ends_with(".py") || !plain_read {
        return true;
    }
    files.with_extensions(&["py"]).filter(|(p, _)| !super::source::is_test_path(p)).any(|(p, text)| {
        let skip = if p == path { line } else { 0 };
        text.lines().skip(skip).any(|l| uses(l, name))
    })
}

/// Whether a line names `name` as a whole word, other than as the target of an assignment.
fn uses(line: &str, name: &str) -> bool {
    let code = line.split('#').next().unwrap_or("");
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    code.match_indices(name).any(|(at, _)| {
        let before = code[..at].chars().next_back().is_none_or(|c| !word(c));
        let rest = &code[at + name.len()..];
        let after = rest.chars().next().is_none_or(|c| !word(c));
        let assigned =
            code[..at].trim().is_empty() && rest.trim_start().strip_prefix('=').is_some_and(|r| !r.starts_with('='));
        before && after && !assigned
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(settings: &str, other: &str) -> usize {
        let mut findings = vec![Finding::blocker(
            "local-disk-writes",
            "keeps its files in static/x on local disk (UPLOAD_FOLDER): every task has its own",
            "shop/settings.py:3",
        )];
        let files = AppFiles::from_pairs([("shop/settings.py", settings), ("shop/views.py", other)]);
        relax(&files, &mut findings);
        findings.len()
    }

    #[test]
    fn a_folder_setting_no_code_reads() {
        let settings = "class Config:\n    UPLOAD_DIR = ROOT / UPLOAD_FOLDER\n    UPLOAD_FOLDER = os.getenv(\"UPLOAD_FOLDER\", \"static/x\")\n";
        assert_eq!(kept(settings, "def save(f):\n    f.save(UPLOAD_DIR)\n"), 0, "read only above it");
        assert_eq!(kept(settings, "def save(f):\n    f.save(app.config['UPLOAD_FOLDER'])\n"), 1);
        assert_eq!(kept(settings, "path = os.path.join(UPLOAD_FOLDER, name)\n"), 1);
    }
}
