//! Where in a Node.js file a read of the environment sits: in a branch a feature switches on,
//! or in code that runs only when something calls it.

/// Whether line `index` sits in an `if` block whose condition reads the environment: walks out
/// through the lines indented less than it, up to a function's or file's top.
pub fn in_feature_branch(lines: &[&str], index: usize) -> bool {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut level = indent(lines[index]);
    for line in lines[..index].iter().rev().take(60) {
        if line.trim().is_empty() || indent(line) >= level {
            continue;
        }
        level = indent(line);
        let code = line.trim_start();
        if code.starts_with("if") && code.contains("process.env") {
            return true;
        }
        if level == 0 || code.starts_with("function") || code.starts_with("export") {
            return false;
        }
    }
    false
}

/// Whether line `index` runs only when something calls it: inside a function or an arrow
/// function (`build: () => Provider({ clientId: process.env.X! })`), not at start.
pub(super) fn in_lazy_code(lines: &[&str], index: usize) -> bool {
    use crate::analyze::enclosing::{enclosing_lines, indentation};
    for (at, line) in enclosing_lines(lines, index).take_while(|(at, _)| index - at <= 80) {
        let level = indentation(line);
        // The end of a signature written over several lines (`}): Promise<boolean> {`): its
        // first line, at the same indentation, says what opens.
        let opening = if line.trim_start().starts_with(['}', ')']) {
            lines[..at].iter().rposition(|l| indentation(l) == level && !l.trim_start().starts_with(['}', ')']))
        } else {
            None
        };
        let code = opening.map_or(line, |first| lines[first]).trim();
        if code.contains("=>") || code.contains("function") || (code.ends_with(") {") && !code.starts_with("if")) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_function_whose_signature_spans_lines_is_lazy() {
        let text = "export async function createFile({\n  filePath,\n}: {\n  filePath: string;\n}): Promise<boolean> {\n  if (s3Client) {\n    const params = {\n      Bucket: process.env.BUCKET!,\n    };\n  }\n}\n";
        let lines: Vec<&str> = text.lines().collect();
        assert!(in_lazy_code(&lines, 7));
        let top = "const client = new Client({\n  url: process.env.URL!,\n});\n";
        let lines: Vec<&str> = top.lines().collect();
        assert!(!in_lazy_code(&lines, 1));
    }
}
