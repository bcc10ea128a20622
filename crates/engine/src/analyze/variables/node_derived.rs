//! Variables the app's own code sets: `process.env.DATABASE_URL = config.core.database_url`
//! hands Prisma a URL built from the variable the app really reads (`CORE_DATABASE_URL`), so
//! no operator must set `DATABASE_URL` however strictly its readers require it.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use crate::model::VariableScope;

static ASSIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\])\s*=([^=>].*)$"#)
        .expect("valid pattern")
});

/// The names the running app's code assigns from something other than themselves (`X = X ||
/// 'dev'` only gives a default, which the read beside it already says).
pub fn set_by_code(sources: &[(&str, &str)]) -> Vec<String> {
    let mut names = Vec::new();
    for (path, text) in sources.iter().filter(|(path, _)| super::scope::of(path) == VariableScope::Runtime) {
        let _ = path;
        for line in text.lines().filter(|l| l.contains("process.env") && !l.trim_start().starts_with("//")) {
            let Some(captures) = ASSIGNED.captures(line) else { continue };
            let name = captures.get(1).or(captures.get(2)).map_or("", |m| m.as_str());
            let value = &captures[3];
            let itself = value.contains(&format!("process.env.{name}")) || value.contains(&format!("['{name}']"));
            if !itself && !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// No read of a variable the code sets is required of the operator.
pub fn not_required(found: &mut [VariableRead], set: &[String]) {
    for read in found.iter_mut().filter(|r| set.contains(&r.name)) {
        read.required = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_the_code_derives_is_not_the_operators() {
        let plugin = "async function prisma(app) {\n  process.env.DATABASE_URL = app.config.core.database_url;\n}\n";
        let app = "process.env.NODE_ENV = process.env.NODE_ENV || 'production';\nif (process.env.X == 'a') {}\n";
        let set = set_by_code(&[("src/server/plugins/prisma.ts", plugin), ("app.js", app)]);
        assert_eq!(set, ["DATABASE_URL"]);
        let mut found = vec![VariableRead::new("DATABASE_URL", "prisma/schema.prisma:3").required(true)];
        not_required(&mut found, &set);
        assert!(!found[0].required);
    }
}
