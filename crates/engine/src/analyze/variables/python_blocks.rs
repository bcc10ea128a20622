//! Where a Python read sits: in a class body that runs when its module is imported, and
//! whether that class is one only tests or development select (`class TestingConfig(Config):`).

/// The class whose body holds line `index`, when the body runs at import: the class is at the
/// module's top level (or nested only in other class bodies) and the line is not inside a
/// method, an `if` or a loop of it. `None` for a module-level line or one in a function.
/// A line inside the brackets of a statement (`model_config = SettingsConfigDict(\n    env_file=..`)
/// sits where that statement does.
pub fn import_time_class<'a>(lines: &[&'a str], index: usize) -> Option<&'a str> {
    let index = statement_start(lines, index);
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

/// Whether line `index` runs when its module is imported: at the module's top level or in a class
/// body that does, also inside the brackets of a statement there.
pub fn runs_at_import(lines: &[&str], index: usize) -> bool {
    let start = statement_start(lines, index);
    lines.get(start).is_some_and(|line| indentation(line) == 0) || import_time_class(lines, start).is_some()
}

/// The line where the statement holding line `index` starts: walking back over less indented
/// lines that open a bracket they do not close (the call or literal the line is an argument of).
fn statement_start(lines: &[&str], index: usize) -> usize {
    let Some(line) = lines.get(index) else { return index };
    let (mut start, mut indent) = (index, indentation(line));
    for (at, line) in lines[..index].iter().enumerate().rev() {
        if indent == 0 {
            break;
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') || indentation(line) >= indent {
            continue;
        }
        if !opens_a_bracket(line) {
            break;
        }
        (start, indent) = (at, indentation(line));
    }
    start
}

/// Whether a line leaves more brackets open than it closes (strings are not parsed: a rough count
/// that is right for the usual `name = call(` continuation).
fn opens_a_bracket(line: &str) -> bool {
    let code = line.split(" #").next().unwrap_or(line);
    let opened = code.chars().filter(|c| matches!(c, '(' | '[' | '{')).count();
    let closed = code.chars().filter(|c| matches!(c, ')' | ']' | '}')).count();
    opened > closed
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

/// Reads in the body of a Flask CLI command (`@app.cli.command()` over `def test():`) are that
/// command's: `flask test` runs it, the server never does.
pub fn mark_cli_command_reads(text: &str, reads: &mut [super::VariableRead]) {
    let lines: Vec<&str> = text.lines().collect();
    for read in reads {
        let Some(index) = read.source.rsplit_once(':').and_then(|(_, n)| n.parse::<usize>().ok()) else { continue };
        let Some(line) = lines.get(index.saturating_sub(1)) else { continue };
        if indentation(line) == 0 {
            continue;
        }
        let header = lines[..index - 1].iter().rposition(|l| !l.trim().is_empty() && indentation(l) == 0);
        let Some(header) = header.filter(|h| lines[*h].starts_with("def ") || lines[*h].starts_with("async def "))
        else {
            continue;
        };
        // Decorators may span lines (`@click.option('--x',\n    help='...')`).
        let decorators = lines[..header].iter().rev().take_while(|l| l.starts_with('@') || indentation(l) > 0);
        if decorators.into_iter().any(|d| d.contains(".cli.command(") || d.starts_with("@manager.command")) {
            read.tooling = true;
        }
    }
}

/// Reads that only switch code coverage on (`if os.environ.get("FLASK_COVERAGE"):` over `import
/// coverage`) are the test command's: the running app never sets them.
pub fn mark_coverage_switches(text: &str, reads: &mut [super::VariableRead]) {
    let lines: Vec<&str> = text.lines().collect();
    for read in reads {
        let Some(index) = read.source.rsplit_once(':').and_then(|(_, n)| n.parse::<usize>().ok()) else { continue };
        let Some(line) = lines.get(index.saturating_sub(1)) else { continue };
        if !line.trim_start().starts_with("if ") {
            continue;
        }
        let body = lines[index..].iter().take(3).take_while(|l| indentation(l) > indentation(line));
        if body.map(|l| l.trim()).any(|l| l == "import coverage" || l.starts_with("from coverage import")) {
            read.tooling = true;
        }
    }
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
    fn arguments_of_a_call_run_where_the_call_does() {
        let text = "class Settings(Base):\n    name: str\n    config = Dict(\n        file=f\"{os.environ['A']}\",\n        other=call(\n            os.environ['B']),\n    )\n\ndef load():\n    return Dict(\n        os.environ['C'])\nVALUE = make(\n    os.environ['D'])\n";
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(import_time_class(&lines, 3), Some("Settings"));
        assert!(runs_at_import(&lines, 3) && runs_at_import(&lines, 5));
        assert!(!runs_at_import(&lines, 10), "a function's call runs when it is called");
        assert!(runs_at_import(&lines, 12), "a module-level call runs at import");
    }

    #[test]
    fn a_switch_that_turns_coverage_on() {
        let text = "import os\nif os.environ.get('APP_COVERAGE'):\n    import coverage\n    COV = coverage.coverage()\nif os.environ.get('APP_DEBUG'):\n    import pdb\n";
        let mut reads = [
            super::super::VariableRead::new("APP_COVERAGE", "app.py:2"),
            super::super::VariableRead::new("APP_DEBUG", "app.py:5"),
        ];
        mark_coverage_switches(text, &mut reads);
        assert!(reads[0].tooling && !reads[1].tooling);
    }

    #[test]
    fn reads_in_a_flask_cli_command() {
        let text = "@app.cli.command()\n@click.option('--fast',\n              help='Fast.')\ndef test(fast):\n    if os.environ.get('APP_TESTING'):\n        pass\n\ndef serve():\n    port = os.environ.get('APP_PORT')\n";
        let mut reads = [
            super::super::VariableRead::new("APP_TESTING", "app.py:5"),
            super::super::VariableRead::new("APP_PORT", "app.py:9"),
        ];
        mark_cli_command_reads(text, &mut reads);
        assert!(reads[0].tooling && !reads[1].tooling);
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
