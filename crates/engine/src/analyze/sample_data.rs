//! Modules that are only data: an example request body, a sample webhook event, a fixture a
//! trigger shows its users. An address inside such a literal is text someone captured, not a
//! host the app connects to; only an address handed to a client or a setting's default is.

const SCRIPT: [&str; 6] = [".js", ".mjs", ".cjs", ".ts", ".jsx", ".tsx"];

/// What opens a module whose first statement is a bare literal.
const DATA_OPENERS: [&str; 4] = ["export default", "module.exports =", "export const ", "const "];

/// Words that mean the module runs something: a function, a read of the environment, a call
/// out. One of them anywhere keeps the module's addresses in view.
const CODE_WORDS: [&str; 8] = ["=>", "function", "process.env", "await ", "fetch(", "connect(", "new ", "class "];

/// Whether `text` at `path` is a module that only exports a literal object or list. Settings
/// modules (`config/`, `settings`) are left out: their literals are the app's defaults.
pub fn is_sample_data(path: &str, text: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if !SCRIPT.iter().any(|ext| lower.ends_with(ext))
        || ["config", "setting", "/env", "constants"].iter().any(|word| lower.contains(word))
        || text.lines().map(without_strings).any(|code| CODE_WORDS.iter().any(|word| code.contains(word)))
    {
        return false;
    }
    let Some(first) = statements(text).next() else { return false };
    let Some(opener) = DATA_OPENERS.iter().find(|opener| first.starts_with(**opener)) else { return false };
    let rest = &first[opener.len()..];
    // `const sample: Event = {`: the value after the name (and its type) is what counts.
    let value = if opener.ends_with('=') || opener.starts_with("export default") {
        rest.trim_start()
    } else {
        rest.split_once('=').map_or("", |(_, value)| value.trim_start())
    };
    value.starts_with(['{', '['])
}

/// A line with what its quotes hold left out: `commit_title: 'Add new file'` says a word, it
/// runs nothing.
fn without_strings(line: &str) -> String {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    line.chars()
        .filter(|&c| {
            let outside = quote.is_none() && !matches!(c, '\'' | '"' | '`');
            match (quote, c) {
                (Some(_), _) if escaped => escaped = false,
                (Some(_), '\\') => escaped = true,
                (Some(open), _) if c == open => quote = None,
                (None, '\'' | '"' | '`') => quote = Some(c),
                _ => {}
            }
            outside
        })
        .collect()
}

/// The module's lines of code, without comments, blank lines and imports.
fn statements(text: &str) -> impl Iterator<Item = &str> {
    let mut in_block = false;
    text.lines().map(str::trim).filter(move |line| {
        if in_block {
            in_block = !line.contains("*/");
            return false;
        }
        if line.starts_with("/*") {
            in_block = !line.contains("*/");
            return false;
        }
        !(line.is_empty() || line.starts_with("//") || line.starts_with("import ") || line.starts_with("'use strict'"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_only_module_is_sample_data() {
        let event =
            "// captured from the service's docs\nexport default {\n  kind: 'push',\n  url: 'http://10.1.2.3/x',\n};\n";
        assert!(is_sample_data("src/hooks/push/event.js", event));
        let typed = "import type { Push } from '../types';\n\nconst sample: Push = [\n  { host: 'x' },\n];\nexport default sample;\n";
        assert!(is_sample_data("src/samples/push.ts", typed));
        assert!(is_sample_data("lib/example.js", "module.exports = {\n  a: 1,\n};\n"));
        let worded = "export default {\n  url: 'http://10.1.2.3/x',\n  title: 'Add new file',\n  note: \"it's a function => of \\\"new \\\" things\",\n};\n";
        assert!(is_sample_data("src/triggers/deploy/event.js", worded));
    }

    #[test]
    fn code_and_settings_are_not_sample_data() {
        let client = "const db = new Client({ host: '10.0.0.5' });\nexport default db;\n";
        assert!(!is_sample_data("src/db.js", client));
        let settings = "module.exports = {\n  db: { host: '10.0.0.5' },\n};\n";
        assert!(!is_sample_data("config/default.js", settings));
        let read = "export default {\n  host: process.env.DB_HOST || '10.0.0.5',\n};\n";
        assert!(!is_sample_data("src/db-options.js", read));
        assert!(!is_sample_data("src/call.js", "export default {\n  run: () => fetch('http://10.0.0.5/'),\n};\n"));
        assert!(!is_sample_data("src/data.py", "DATA = {'url': 'http://10.0.0.5/'}\n"));
    }
}
