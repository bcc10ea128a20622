//! A URL builder whose chain of settings ends on localhost: `process.env.SITE_URL ??
//! process.env.VERCEL_URL ?? 'http://localhost:3000/'`, or the same as a conditional spread
//! over several lines. The app builds sign-in callbacks, payment returns and e-mail links from
//! it, so without the setting every redirect sends users to their own machine. A read whose
//! default sits on its own line is the variables' (`variables::findings`); this finds the
//! chains those cannot see.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::source::is_test_path;
use super::variables::{names_a_public_url, scope_of};
use crate::model::{Finding, VariableScope};

const EXTENSIONS: [&str; 8] = ["js", "mjs", "cjs", "ts", "mts", "cts", "jsx", "tsx"];

/// `process.env.X`, `process?.env?.X`, `process.env['X']`, `import.meta.env.X`.
static READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:process(?:\?\.|\.)env|import\.meta\.env)(?:\?\.|\.)([A-Z][A-Z0-9_]*)|process\.env\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]"#)
        .expect("valid pattern")
});
/// A localhost URL taken as a fallback: after `??`, `||` or a conditional's `:`.
static LOCALHOST_FALLBACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:\?\?|\|\||:)\s*['"`]https?://(?:localhost|127\.0\.0\.1)"#).expect("valid pattern")
});

/// How many lines above the fallback the statement's reads may be.
const LOOK_BACK: usize = 12;

/// One blocker per chain that ends on a localhost URL, naming the public URL settings it tries.
pub fn findings(files: &AppFiles) -> Vec<Finding> {
    let running = |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime;
    let mut found = Vec::new();
    for (path, text) in files.with_extensions(&EXTENSIONS).filter(|(path, _)| running(path)) {
        if !text.contains("localhost") && !text.contains("127.0.0.1") {
            continue;
        }
        let code: Vec<String> = text.lines().map(|l| without_comment(l).to_string()).collect();
        for index in 0..code.len() {
            let Some(names) = chain_ending_at(&code, index) else { continue };
            found.push(
                Finding::blocker(
                    "localhost-default-host",
                    format!(
                        "{} falls back to localhost: links, redirects or calls built from it go to the user's own machine or to the task itself, not to the service",
                        names.join(" or ")
                    ),
                    format!("{path}:{}", index + 1),
                )
                .with_fix(format!(
                    "set {} to the service's public URL (at build time too when the framework inlines it)",
                    names[0]
                )),
            );
        }
    }
    found
}

/// The public URL settings read by the statement whose localhost fallback is on line `index`.
fn chain_ending_at(code: &[String], index: usize) -> Option<Vec<String>> {
    let line = code[index].trim();
    let previous = code[..index].iter().rev().map(|l| l.trim()).find(|l| !l.is_empty()).unwrap_or("");
    let localhost_start = ["'http://localhost", "\"http://localhost", "`http://localhost", "'http://127.0.0.1"];
    let continues = localhost_start.iter().any(|s| line.starts_with(s))
        && (previous.ends_with("??") || previous.ends_with("||") || previous.ends_with(':'));
    if !LOCALHOST_FALLBACK.is_match(line) && !continues {
        return None;
    }
    let mut names: Vec<String> = Vec::new();
    for (offset, earlier) in code[index.saturating_sub(LOOK_BACK)..=index].iter().rev().enumerate() {
        let ends_statement = earlier.trim_end().ends_with([';', '{', '}']);
        if offset > 0 && ends_statement {
            break;
        }
        let mut here: Vec<String> =
            READ.captures_iter(earlier).filter_map(|c| c.get(1).or(c.get(2)).map(|m| m.as_str().to_string())).collect();
        here.extend(std::mem::take(&mut names));
        names = here;
    }
    let mut unique: Vec<String> = Vec::new();
    for name in names.into_iter().filter(|n| names_a_public_url(n)) {
        if !unique.contains(&name) {
            unique.push(name);
        }
    }
    (!unique.is_empty()).then_some(unique)
}

/// A line without its `//` comment; a `//` in a string (`'http://x'`) stays.
fn without_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match quote {
            Some(q) if c == q && previous != '\\' => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None if c == '/' && previous == '/' => return &line[..at - 1],
            None => {}
        }
        previous = c;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: &str) -> Vec<Finding> {
        findings(&AppFiles::from_pairs([("lib/urls.ts", code)]))
    }

    #[test]
    fn a_chain_of_settings_ending_on_localhost() {
        let found = run(
            "export const base = () =>\n  process?.env?.PUBLIC_SITE_URL ?? process?.env?.HOSTING_URL ?? 'http://localhost:3000/';\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].source, "lib/urls.ts:2");
        assert!(found[0].message.starts_with("PUBLIC_SITE_URL falls back"), "{}", found[0].message);

        let spread = "let url =\n  process.env.APP_URL && process.env.APP_URL.trim() !== ''\n    ? process.env.APP_URL\n    : // local development\n      'http://localhost:8000';\n";
        assert_eq!(run(spread)[0].source, "lib/urls.ts:5");
    }

    #[test]
    fn a_database_url_or_a_statement_without_reads_is_not_this() {
        assert!(run("const db = process.env.DATABASE_URL ?? 'http://localhost:5984';\n").is_empty());
        assert!(run("const x = 1;\nconst site = { url: 'http://localhost:3000' };\n").is_empty());
    }
}
