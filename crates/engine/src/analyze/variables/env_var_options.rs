//! Settings read through an app's own settings layer that names each variable in an options
//! object: Grist's `appSettings.section("access").flag("defaultEmail").readString({ envVar:
//! "GRIST_DEFAULT_EMAIL" })`, or `envVar: ["ASSISTANT_API_KEY", "OPENAI_API_KEY"]` for names
//! tried in turn. No `process.env` is on the line, yet each name is a variable the running app
//! reads; `defaultValue:` in the same object is its default.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::{line_of, literal};

/// `envVar: "NAME"` or `envVar: ["A", "B"]` (also `envVarName`, `envName`).
static OPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:envVar|envVarName|envName)\s*:\s*(\[[^\]]*\]|"[A-Z][A-Z0-9_]*"|'[A-Z][A-Z0-9_]*')"#)
        .expect("valid pattern")
});
static NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"["']([A-Z][A-Z0-9_]*)["']"#).expect("valid pattern"));
/// How far past the option its object's `defaultValue:` is looked for.
const OBJECT_SPAN: usize = 240;

/// A read per name an options object gives, with the object's literal default.
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let mut found = Vec::new();
    for (path, text) in sources.iter().filter(|(_, text)| text.contains("envVar") || text.contains("envName")) {
        for option in OPTION.captures_iter(text) {
            let value = option.get(1).expect("group");
            let default = object_default(text, value.end());
            for name in NAME.captures_iter(value.as_str()) {
                let at = value.start() + name.get(1).expect("group").start();
                let read = VariableRead::new(&name[1], format!("{path}:{}", line_of(text, at)));
                found.push(read.with_default(default.clone()));
            }
        }
    }
    found
}

/// The literal `defaultValue:` of the object the option sits in, before the object closes.
fn object_default(text: &str, from: usize) -> Option<String> {
    let end = text[from..].char_indices().take(OBJECT_SPAN).find(|(_, c)| *c == '}').map(|(at, _)| from + at)?;
    let object = &text[from..end];
    let at = object.find("defaultValue:")?;
    literal(object[at + "defaultValue:".len()..].trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_an_options_object_gives() {
        let text = "export function getDefaultEmail() {\n  return appSettings.section(\"access\").flag(\"defaultEmail\").readString({\n    envVar: \"GRIST_DEFAULT_EMAIL\",\n  });\n}\nconst key = settings.flag(\"apiKey\").readString({\n  envVar: [\"ASSISTANT_API_KEY\", \"OPENAI_API_KEY\"],\n});\nconst mode = s.readString({ envVar: 'GRIST_SQLITE_MODE', defaultValue: 'wal' });\n";
        let found: Vec<(String, String, Option<String>)> =
            reads(&[("app/server/lib/a.ts", text)]).into_iter().map(|r| (r.name, r.source, r.default)).collect();
        assert_eq!(
            found,
            [
                ("GRIST_DEFAULT_EMAIL".to_string(), "app/server/lib/a.ts:3".to_string(), None),
                ("ASSISTANT_API_KEY".to_string(), "app/server/lib/a.ts:7".to_string(), None),
                ("OPENAI_API_KEY".to_string(), "app/server/lib/a.ts:7".to_string(), None),
                ("GRIST_SQLITE_MODE".to_string(), "app/server/lib/a.ts:9".to_string(), Some("wal".to_string())),
            ]
        );
    }
}
