//! Install scripts written to survive a production install without their development tool:
//! `husky || true`, `husky install || exit 0`, a `node -e "try { ... } catch ..."` around the
//! tool's import, or `node .husky/install.mjs` that exits when NODE_ENV is production or CI is
//! set. Such a script does not fail the install, so no development dependency is needed.

use serde_json::Value;

use super::app_files::AppFiles;

/// How deep `npm run a` → `npm run b` chains are followed.
const MAX_DEPTH: usize = 4;

/// Whether every step of `script` that mentions one of `tools` tolerates the tool's absence.
pub fn tolerates_absence(files: &AppFiles, manifest: &Value, script: &str, tools: &[&str]) -> bool {
    tolerant(files, manifest, script, tools, 0)
}

fn tolerant(files: &AppFiles, manifest: &Value, script: &str, tools: &[&str], depth: usize) -> bool {
    // `a || true`: the script's outcome does not depend on the tool.
    let fallback = script.rsplit_once("||").map(|(_, after)| after.trim());
    if fallback.is_some_and(|after| after == "true" || after == ":" || after == "exit 0" || after.starts_with("echo")) {
        return true;
    }
    let mentions =
        |step: &str| step.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).any(|word| tools.contains(&word));
    // A step that runs a package script is followed whatever its name: the tool may be inside.
    let runs_script = |step: &str| ["npm ", "yarn ", "pnpm "].iter().any(|runner| step.starts_with(runner));
    steps(script).into_iter().filter(|step| mentions(step) || runs_script(step)).all(|step| {
        let words: Vec<&str> = step.split_whitespace().collect();
        match words.as_slice() {
            ["node", "-e" | "--eval", ..] => {
                (step.contains("try") && step.contains("catch")) || checks_for_a_checkout(step)
            }
            ["node", file, ..] => files.get(file.trim_start_matches("./")).is_some_and(guarded_file),
            [runner, "run", name, ..] | [runner @ ("yarn" | "pnpm"), name, ..]
                if ["npm", "yarn", "pnpm"].contains(runner) && depth < MAX_DEPTH =>
            {
                let called = manifest.pointer(&format!("/scripts/{}", name.replace('~', "~0").replace('/', "~1")));
                called.and_then(Value::as_str).is_some_and(|body| tolerant(files, manifest, body, tools, depth + 1))
            }
            _ => false,
        }
    })
}

/// The steps of a script joined by `&&`, with the `&&` inside a quoted `node -e "…"` body
/// kept in its step.
fn steps(script: &str) -> Vec<&str> {
    let (mut steps, mut start, mut quote) = (Vec::new(), 0, None);
    let bytes = script.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        match (quote, bytes[index]) {
            (Some(q), b) if b == q => quote = None,
            (None, b'"' | b'\'') => quote = Some(bytes[index]),
            (None, b'&') if bytes.get(index + 1) == Some(&b'&') => {
                steps.push(script[start..index].trim());
                start = index + 2;
                index += 1;
            }
            _ => {}
        }
        index += 1;
    }
    steps.push(script[start..].trim());
    steps
}

/// Whether an inline script runs its tool only in a developer's checkout: it tests for `.git`
/// (which the image's `.dockerignore` leaves out) before it calls the tool
/// (`if(fs.existsSync('.git')&&!process.env.CI)cp.execSync('husky')`).
fn checks_for_a_checkout(step: &str) -> bool {
    let compact: String = step.chars().filter(|c| !matches!(c, ' ' | '\\' | '"' | '\'')).collect();
    ["if(fs.existsSync(.git)", "if(existsSync(.git)"].iter().any(|test| compact.contains(test))
}

/// Whether a hook installer file guards the import: it catches the failure, or leaves before
/// importing when NODE_ENV is production or CI is set (husky's documented `.husky/install.mjs`).
fn guarded_file(text: &str) -> bool {
    let catches = text.contains("try") && text.contains("catch");
    let leaves = (text.contains("NODE_ENV") || text.contains("process.env.CI")) && text.contains("process.exit");
    catches || leaves
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tolerant_of(script: &str, scripts: &str, files: &[(&str, &str)]) -> bool {
        let manifest: Value = serde_json::from_str(&format!("{{\"scripts\":{{{scripts}}}}}")).unwrap();
        tolerates_absence(&AppFiles::from_pairs(files.iter().copied()), &manifest, script, &["husky"])
    }

    #[test]
    fn fallbacks_catches_and_guarded_files_tolerate_the_missing_tool() {
        assert!(tolerant_of("husky || true", "", &[]));
        assert!(tolerant_of("husky install || exit 0", "", &[]));
        let setup = r#""hooks":"node -e \"try { require('husky')() } catch (e) {}\"""#;
        assert!(tolerant_of("npm run hooks", setup, &[]));
        let install =
            "if (process.env.NODE_ENV === 'production') process.exit(0)\nconst h = (await import('husky')).default\n";
        assert!(tolerant_of("node .husky/install.mjs", "", &[(".husky/install.mjs", install)]));
        let checkout = "node --eval \"const fs=require('fs'),cp=require('child_process');if(fs.existsSync('.git')&&!process.env.CI)cp.execSync('husky',{stdio:'inherit'})\"";
        assert!(tolerant_of(checkout, "", &[]), "only in a checkout with .git, which the image leaves out");
        assert!(!tolerant_of("node --eval \"require('child_process').execSync('husky')\"", "", &[]));
    }

    #[test]
    fn a_bare_tool_fails_without_it() {
        assert!(!tolerant_of("husky", "", &[]));
        assert!(!tolerant_of("npm run hooks", r#""hooks":"husky install""#, &[]));
        assert!(!tolerant_of("node .husky/install.mjs", "", &[(".husky/install.mjs", "import('husky')\n")]));
    }
}
