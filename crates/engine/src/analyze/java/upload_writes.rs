//! Where the code writes an upload's own content to local disk: `file.transferTo(...)`,
//! `Files.write(path, file.getBytes())`, `Files.copy(file.getInputStream(), path)`, with `file`
//! a `MultipartFile`. Creating a folder or writing a string is no upload.

/// Calls that put bytes or a stream into a file on disk.
const WRITES: [&str; 6] = [
    "Files.write(",
    "Files.copy(",
    "FileCopyUtils.copy(",
    "FileUtils.writeByteArrayToFile(",
    "FileUtils.copyInputStreamToFile(",
    "IOUtils.copy(",
];

/// The names the file gives `MultipartFile` parameters and fields (`MultipartFile sourceFile`,
/// `MultipartFile[] files`, `List<MultipartFile> files`).
pub(super) fn multipart_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in text.match_indices("MultipartFile") {
        let rest = text[at + "MultipartFile".len()..].trim_start_matches(['[', ']', '>', ' ', '\t', '\n', '\r']);
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && !names.contains(&name) && name != "import" {
            names.push(name);
        }
    }
    names
}

/// Whether `line` writes the content of one of the uploads `names` to a file.
pub(super) fn writes_upload(line: &str, names: &[String]) -> bool {
    let content =
        |name: &String| [".getBytes()", ".getInputStream()"].iter().any(|read| line.contains(&format!("{name}{read}")));
    let transfer = names.iter().any(|name| line.contains(&format!("{name}.transferTo(")));
    // Unnamed (a lambda's or a loop's variable): the stream of an upload still says so.
    let stream = line.contains("Files.copy(") && line.contains("getInputStream()");
    transfer || stream || (WRITES.iter().any(|call| line.contains(call)) && names.iter().any(content))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uploads_bytes_written_to_a_path() {
        let text = "String save(@Nonnull MultipartFile cover, String id) {\n  Files.createDirectories(dir);\n  Files.write(target, cover.getBytes());\n  Files.write(log, line.getBytes());\n}\n";
        let names = multipart_names(text);
        assert_eq!(names, ["cover"]);
        let lines: Vec<bool> = text.lines().map(|l| writes_upload(l, &names)).collect();
        assert_eq!(lines, [false, false, true, false, false]);
    }
}
