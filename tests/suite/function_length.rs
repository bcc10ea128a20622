//! No function in the workspace is over 80 lines, from its `fn` line to its closing brace: a
//! longer one is split into steps that each have a name. Kept by this test rather than by
//! review. The scan relies on rustfmt's layout (`.ci/run` checks it): a body's closing brace
//! sits alone at the indentation of its `fn`.

use std::path::{Path, PathBuf};

const LIMIT: usize = 80;

/// Every `.rs` file under `dir`, `target` and hidden folders left out.
fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() && name != "target" && !name.starts_with('.') {
            rust_files(&path, found);
        } else if name.ends_with(".rs") {
            found.push(path);
        }
    }
}

/// The name of the function a line opens, with its indentation, when it opens one.
fn function_start(line: &str) -> Option<(&str, String)> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let mut words = trimmed.split_whitespace().peekable();
    while let Some(word) = words.peek() {
        let qualifier = word.starts_with("pub") || matches!(*word, "async" | "const" | "unsafe" | "extern");
        if !qualifier {
            break;
        }
        words.next();
    }
    if words.next()? != "fn" {
        return None;
    }
    let name: String = words.next()?.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    Some((indent, name))
}

/// Functions of `text` over the limit: name, first line (1-based) and length.
fn long_functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut long = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let Some((indent, name)) = function_start(line) else { continue };
        // The signature ends at the first line that opens the body or ends a declaration.
        let Some(open) = (start..lines.len()).find(|&i| {
            let end = lines[i].trim_end();
            end.ends_with('{') || end.ends_with(';')
        }) else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') {
            continue;
        }
        let close = format!("{indent}}}");
        let end = (open + 1..lines.len()).find(|&i| lines[i].trim_end() == close).unwrap_or(lines.len() - 1);
        let length = end - start + 1;
        if length > LIMIT {
            long.push((name, start + 1, length));
        }
    }
    long
}

#[test]
fn no_function_is_over_80_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "crates", "tests", "benches"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 100, "the scan found the workspace's sources: {}", files.len());
    let mut over = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (name, line, length) in long_functions(&text) {
            over.push(format!("{}:{line} {name} is {length} lines", file.strip_prefix(root).unwrap().display()));
        }
    }
    assert!(over.is_empty(), "functions over {LIMIT} lines:\n{}", over.join("\n"));
}

#[test]
fn the_scan_measures_a_function_from_its_fn_line_to_its_closing_brace() {
    let body = |lines: usize| (0..lines).map(|i| format!("        let x{i} = {i};\n")).collect::<String>();
    let text = format!(
        "impl A {{\n    pub(crate) async fn short() {{\n{}    }}\n\n    fn long(\n        a: u8,\n    ) -> u8 {{\n{}    }}\n    fn declared();\n}}\n",
        body(78),
        body(77)
    );
    // `short`: 78 body lines + 2 = 80; `long`: 3 signature lines + 77 body lines + 1 = 81.
    assert_eq!(long_functions(&text), vec![("long".to_string(), 83, 81)]);
}
