//! Settings classes the running app never builds. A pydantic-settings class holds the app's
//! configuration only once it is instantiated (`settings = Settings()`), itself or as a base
//! of a class that is: a `MySQLSettings` left beside a final `Settings(AppSettings,
//! PostgresSettings, ...)` that does not list it describes a variant the app does not run, and
//! its fields (localhost hosts, sample passwords) are no read of the app's.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;

static CLASS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^class\s+(\w+)\s*\(([^)]*)\)\s*:").expect("valid pattern"));

/// Of `settings` (the app's settings classes), those no code instantiates, directly or as a
/// base. Empty when the code instantiates none of them: then how it builds its settings is
/// not visible here, and no class is called unused.
pub fn unused(sources: &[(&str, &str)], settings: &[String]) -> Vec<String> {
    let mut bases: Vec<(String, Vec<String>)> = Vec::new();
    for (_, text) in sources {
        for captures in CLASS.captures_iter(text) {
            let listed = captures[2].split(',').map(|b| b.trim().rsplit('.').next().unwrap_or("").to_string());
            bases.push((captures[1].to_string(), listed.filter(|b| !b.is_empty()).collect()));
        }
    }
    let mut used: Vec<String> = settings.iter().filter(|class| built(sources, class)).cloned().collect();
    if used.is_empty() {
        return Vec::new();
    }
    // A used class's bases are used: walk them until nothing is added.
    let mut at = 0;
    while at < used.len() {
        let class = used[at].clone();
        for (_, listed) in bases.iter().filter(|(name, _)| *name == class) {
            for base in listed {
                if !used.contains(base) {
                    used.push(base.clone());
                }
            }
        }
        at += 1;
    }
    settings.iter().filter(|class| !used.contains(class)).cloned().collect()
}

/// Whether the code builds `class` or hands it on: a call `Name(...)` outside its own
/// `class` line, a class method (`Name.model_validate(...)`), or the class given as a value
/// (`Depends(Name)`, `cls = Name`), which may be instantiated out of sight. A type hint or an
/// `isinstance` check builds nothing.
fn built(sources: &[(&str, &str)], class: &str) -> bool {
    let name = regex::escape(class);
    let pattern = format!(r"\b{name}\s*\(|\b{name}\.\w|Depends\(\s*{name}\s*\)|=\s*{name}\s*$|return\s+{name}\s*$");
    let Ok(call) = Regex::new(&pattern) else { return true };
    sources.iter().flat_map(|(_, text)| text.lines()).any(|line| {
        let code = line.split(" #").next().unwrap_or(line).trim();
        !code.starts_with("class ") && !code.starts_with('#') && call.is_match(code)
    })
}

/// The lines (1-based, inclusive) of each body of a class in `unused`, per file.
pub fn bodies(sources: &[(&str, &str)], unused: &[String]) -> Vec<(String, usize, usize)> {
    let mut ranges = Vec::new();
    for (path, text) in sources {
        let lines: Vec<&str> = text.lines().collect();
        for captures in CLASS.captures_iter(text) {
            if !unused.iter().any(|c| c == &captures[1]) {
                continue;
            }
            let header_end = captures.get(0).expect("match").end();
            let first = text[..header_end].matches('\n').count() + 1;
            // The body runs to the next line that starts at the margin (code, not a comment).
            let last = lines
                .iter()
                .enumerate()
                .skip(first)
                .find(|(_, l)| !l.trim().is_empty() && !l.starts_with([' ', '\t', '#']))
                .map_or(lines.len(), |(at, _)| at);
            ranges.push((path.to_string(), first + 1, last));
        }
    }
    ranges
}

/// Drops the reads in the bodies of unused settings classes, save one that fails without its
/// variable (a strict `config("X")` in a class body raises when the module is imported, used
/// or not).
pub fn drop_reads(sources: &[(&str, &str)], settings: &[String], found: &mut Vec<VariableRead>) {
    let unused = unused(sources, settings);
    if unused.is_empty() {
        return;
    }
    let ranges = bodies(sources, &unused);
    found.retain(|read| {
        let Some((path, line)) = read.source.rsplit_once(':') else { return true };
        let Ok(line) = line.parse::<usize>() else { return true };
        read.required || !ranges.iter().any(|(p, first, last)| p == path && (*first..=*last).contains(&line))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "class Base(BaseSettings):\n    pass\n\nclass MySQL(Base):\n    MYSQL_HOST: str = 'localhost'\n\nclass Postgres(Base):\n    PG_HOST: str = 'db'\n\nclass Guard(BaseSettings):\n    GUARD: str\n\nclass Settings(\n    Postgres,\n    Guard,\n):\n    pass\n\n\nsettings = Settings()\n";

    fn classes() -> Vec<String> {
        ["Base", "MySQL", "Postgres", "Guard", "Settings"].map(String::from).to_vec()
    }

    #[test]
    fn a_class_outside_the_built_one_is_unused() {
        assert_eq!(unused(&[("config.py", CONFIG)], &classes()), ["MySQL"]);
        assert_eq!(bodies(&[("config.py", CONFIG)], &["MySQL".into()]), [("config.py".to_string(), 5, 6)]);
    }

    #[test]
    fn nothing_is_unused_when_no_class_is_built_in_sight() {
        let text = CONFIG.replace("settings = Settings()\n", "");
        assert!(unused(&[("config.py", &text)], &classes()).is_empty());
    }

    #[test]
    fn a_class_handed_on_or_checked() {
        let text = format!("{CONFIG}\ndef get(db = Depends(MySQL)):\n    pass\n");
        assert!(unused(&[("config.py", &text)], &classes()).is_empty());
        let text = format!("{CONFIG}\nif isinstance(settings, MySQL):\n    pass\n");
        assert_eq!(unused(&[("config.py", &text)], &classes()), ["MySQL"]);
    }
}
