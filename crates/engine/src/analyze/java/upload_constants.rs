//! The folder an upload is written to, when the code names it with a `static final String`
//! (`Constants.FILE_UPLOAD_DIC = "D:\\upload\\"`): no setting moves it, so every task writes
//! its own disk (or, for a Windows path, a file named after it in the working folder).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

static CONSTANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:static\s+final|final\s+static)\s+String\s+([A-Z][A-Z0-9_]*)\s*=\s*"([^"]*)""#)
        .expect("valid pattern")
});
static UPPER_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b[A-Z][A-Z0-9_]{2,}\b").expect("valid pattern"));
/// How far above the write the folder is looked for: the method that writes.
const LINES_ABOVE: usize = 15;

/// A path constant of the code: its value and where it is declared.
pub struct PathConstant {
    pub name: String,
    pub value: String,
    pub at: String,
}

/// Every `static final String` constant whose value is an absolute path, by name.
pub fn path_constants<'a>(sources: impl Iterator<Item = (&'a str, &'a str)>) -> BTreeMap<String, PathConstant> {
    let mut found = BTreeMap::new();
    for (path, text) in sources {
        for (index, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for caps in CONSTANT.captures_iter(line).filter(|c| is_absolute_path(&c[2])) {
                let constant = PathConstant {
                    name: caps[1].to_string(),
                    value: caps[2].to_string(),
                    at: format!("{path}:{}", index + 1),
                };
                found.entry(constant.name.clone()).or_insert(constant);
            }
        }
    }
    found
}

/// The path constant the lines up to `write` (the write and its method) open a file or folder
/// with, if any: a constant only concatenated into a URL (`"/upload/" + name`) is not a folder.
pub fn used_before<'a>(
    text: &str,
    write: usize,
    constants: &'a BTreeMap<String, PathConstant>,
) -> Option<&'a PathConstant> {
    let lines: Vec<&str> = text.lines().collect();
    let from = write.saturating_sub(LINES_ABOVE);
    let opens = |line: &&&str| {
        ["File(", "Paths.get(", "Path.of(", ".transferTo(", ".resolve("].iter().any(|o| line.contains(o))
    };
    lines
        .get(from..=write)?
        .iter()
        .rev()
        .filter(opens)
        .find_map(|line| UPPER_NAME.find_iter(line).find_map(|name| constants.get(name.as_str())))
}

/// `/opt/app/upload/` or a Windows drive path (`D:\\upload\\`, `C:/files`).
fn is_absolute_path(value: &str) -> bool {
    let bytes = value.as_bytes();
    let windows =
        bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && matches!(bytes[2], b'\\' | b'/');
    windows || (value.starts_with('/') && value.len() > 1 && !value.starts_with("//"))
}

/// Whether the path is a Windows one.
pub fn is_windows_path(value: &str) -> bool {
    value.as_bytes().get(1) == Some(&b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_constant_an_upload_uses() {
        let constants_file = "public class Paths {\n    // public final static String OLD = \"/opt/old/\";\n    public final static String UPLOAD_DIR = \"D:\\\\upload\\\\\";\n    public static final String PREFIX = \"/upload/\";\n    public static final String NAME = \"shop\";\n}\n";
        let constants = path_constants([("src/Paths.java", constants_file)].into_iter());
        assert_eq!(constants.keys().collect::<Vec<_>>(), ["PREFIX", "UPLOAD_DIR"]);
        let upload =
            "File folder = new File(Paths.UPLOAD_DIR);\nFile dest = new File(folder, name);\nfile.transferTo(dest);\n";
        let used = used_before(upload, 2, &constants).expect("the folder's constant");
        assert_eq!((used.name.as_str(), used.at.as_str()), ("UPLOAD_DIR", "src/Paths.java:3"));
        assert!(is_windows_path(&used.value));
    }
}
