//! A Nest global prefix the app sets only when a setting has a value: `if
//! (config.API_PREFIX) { app.setGlobalPrefix(config.API_PREFIX); }`. With the variable unset,
//! and nothing in the code giving it a fallback, the routes answer at the root, so a health
//! controller's path is known after all.

use super::comment_lines::commented;

/// Whether the computed `argument` of the `setGlobalPrefix(` call in `text` is applied only
/// under `if (argument)`, names an environment setting (`APP_GLOBAL_PREFIX`), and no line of
/// `code` gives that setting a fallback (`.default('api')`, `|| 'api'`).
pub(super) fn unset_by_default(text: &str, argument: &str, code: &[(&str, &str)]) -> bool {
    let name = argument.rsplit('.').next().unwrap_or("");
    let setting = name.len() > 1
        && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && name.starts_with(|c: char| c.is_ascii_uppercase());
    if !setting {
        return false;
    }
    let lines: Vec<&str> = text.lines().collect();
    let Some(call) = lines.iter().position(|l| l.contains("setGlobalPrefix(") && !commented(l)) else {
        return false;
    };
    // The guard on the call's own line, or on the last code line above it.
    let above = lines[..call].iter().rev().find(|l| !l.trim().is_empty() && !commented(l));
    let guard = format!("if({argument})");
    let guarded = [Some(&lines[call]), above].into_iter().flatten().any(|l| squeezed(l).contains(&guard));
    guarded && !has_fallback(name, code)
}

fn squeezed(line: &str) -> String {
    line.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A line naming the setting that also gives it a value to fall back on.
fn has_fallback(name: &str, code: &[(&str, &str)]) -> bool {
    const FALLBACKS: [&str; 5] = [".default(", "default:", "||", "??", "getOrThrow"];
    code.iter()
        .flat_map(|(_, text)| text.lines())
        .filter(|line| line.contains(name) && !commented(line))
        .any(|line| FALLBACKS.iter().any(|f| line.contains(f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIN: &str =
        "const cfg = app.get(Config);\nif (cfg.API_PREFIX) {\n  app.setGlobalPrefix(cfg.API_PREFIX);\n}\n";

    #[test]
    fn a_prefix_set_only_when_its_setting_is() {
        let schema = "export const S = z.object({\n  API_PREFIX: z.string().optional(),\n});\n";
        assert!(unset_by_default(MAIN, "cfg.API_PREFIX", &[("main.ts", MAIN), ("cfg.ts", schema)]));
    }

    #[test]
    fn a_prefix_with_a_fallback_or_without_a_guard_stays_unknown() {
        let schema = "export const S = z.object({\n  API_PREFIX: z.string().default('api'),\n});\n";
        assert!(!unset_by_default(MAIN, "cfg.API_PREFIX", &[("main.ts", MAIN), ("cfg.ts", schema)]));
        let bare = "app.setGlobalPrefix(cfg.API_PREFIX);\n";
        assert!(!unset_by_default(bare, "cfg.API_PREFIX", &[("main.ts", bare)]));
        let lower = "if (prefix) app.setGlobalPrefix(prefix);\n";
        assert!(!unset_by_default(lower, "prefix", &[("main.ts", lower)]));
    }
}
