//! Where a Python read sits: in a class body that runs when its module is imported, and
//! whether that class is one only tests or development select (`class TestingConfig(Config):`).

/// The class whose body holds line `index`, when the body runs at import: the class is at the
/// module's top level (or nested only in other class bodies) and the line is not inside a
/// method, an `if` or a loop of it. `None` for a module-level line or one in a function.
pub fn import_time_class<'a>(lines: &[&'a str], index: usize) -> Option<&'a str> {
    let mut indent = indentation(lines.get(index)?);
    let mut class = None;
    for line in lines[..index].iter().rev() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') || indentation(line) >= indent {
            continue;
        }
        let header = line.trim_start();
        let name = header.strip_prefix("class ")?;
        class = class.or(Some(name.split(['(', ':']).next().unwrap_or(name).trim()));
        indent = indentation(line);
        if indent == 0 {
            return class;
        }
    }
    None
}

/// A configuration class only the tests or a developer's machine select: `TestingConfig`,
/// `TestConfig`, `DevelopmentConfig`, `DevConfig`. What it reads is theirs, not the running
/// app's: a production image selects another.
pub fn outside_production(name: &str) -> bool {
    let dev = name
        .strip_prefix("Dev")
        .is_some_and(|rest| rest.starts_with(char::is_uppercase) || rest.starts_with("elopment"));
    name.starts_with("Test") || name.contains("Testing") || dev || name.starts_with("Local")
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_bodies_run_at_import_and_methods_do_not() {
        let text = "import os\n\nclass Production(Config):\n    NAME = os.environ['NAME']\n\n    def init_app(cls):\n        X = os.environ['X']\n\nY = os.environ['Y']\nclass Outer:\n    class Inner:\n        Z = 1\n";
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(import_time_class(&lines, 3), Some("Production"));
        assert_eq!(import_time_class(&lines, 6), None, "a method runs when it is called");
        assert_eq!(import_time_class(&lines, 8), None, "module level is not a class body");
        assert_eq!(import_time_class(&lines, 11), Some("Inner"));
    }

    #[test]
    fn test_and_development_configuration_classes() {
        for name in ["TestingConfig", "TestConfig", "DevelopmentConfig", "DevConfig", "LocalSettings"] {
            assert!(outside_production(name), "{name}");
        }
        for name in ["ProductionConfig", "Contest", "Config", "Device", "Settings"] {
            assert!(!outside_production(name), "{name}");
        }
    }
}
