//! Reads the code checks and stops on when they are missing: `SECRET_KEY = os.getenv("X")`
//! followed by `if not SECRET_KEY: raise ImproperlyConfigured(...)`, or
//! `if (!process.env.X) throw new Error(...)`. The read itself has no marker of being required.

use super::VariableRead;

/// Marks required each read in `reads` (all from `text`) that the lines just below check for
/// absence, at the top of the module, and answer with `raise`, `throw` or an exit.
pub fn require_checked(text: &str, reads: &mut [VariableRead]) {
    if !(text.contains("raise") || text.contains("throw") || text.contains("exit(")) {
        return;
    }
    let lines: Vec<&str> = text.lines().collect();
    for read in reads.iter_mut().filter(|r| !r.required) {
        let Some(line) = read.source.rsplit_once(':').and_then(|(_, l)| l.parse::<usize>().ok()) else { continue };
        let Some(read_line) = lines.get(line.saturating_sub(1)) else { continue };
        // A read inside a block (`if (USER && PASSWORD) { URI = `...${USER}...` }`) is one way to
        // fill the value the check below tests: another way may fill it instead.
        if falls_back(read_line, &read.name) || read_line.starts_with([' ', '\t']) {
            continue;
        }
        // The name the value is kept under, or the read itself (`process.env.X`).
        let held = assigned_name(read_line);
        // Only a check at the top of a module runs at start; one in a handler runs when asked.
        let checks = |code: &str| {
            if code.starts_with([' ', '\t']) {
                return false;
            }
            let condition = code.strip_prefix("if").unwrap_or("");
            // The subject as a whole word (`SECRET_KEY`, not `SECRET_KEY_FILE`).
            let names = |subject: &str| {
                condition.match_indices(subject).any(|(at, _)| {
                    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
                    !word(condition[..at].chars().next_back()) && !word(condition[at + subject.len()..].chars().next())
                })
            };
            // `X.scheme not in ["http", "https"]` tests the value, which a default gives too:
            // only a test of absence (`not X`, `X is None`) stops for want of the variable.
            let tested = condition.replace(" not in ", " in ");
            let absence = ["not ", "not(", "!", "is None", "== None", "== \"\"", "== ''"]
                .iter()
                .any(|form| tested.contains(form));
            !condition.is_empty()
                && absence
                && (held.as_deref().is_some_and(names) || names(&format!("process.env.{}", read.name)))
        };
        // `process.exit(0)` and `sys.exit(0)` end a script that has nothing to do: a success.
        let stops = |code: &str| {
            let success = ["exit(0)", "exit()"].iter().any(|s| code.contains(s));
            ["raise ", "throw ", "sys.exit(", "process.exit("].iter().any(|s| code.contains(s)) && !success
        };
        // The check may be the read itself (`if (!process.env.X || !process.env.Y) {`), and
        // its message may run a few lines before the `throw`.
        let window = &lines[line.saturating_sub(1).min(lines.len())..lines.len().min(line + 6)];
        if let Some(check) = window.iter().position(|code| checks(code))
            && window[check..].iter().take(5).any(|code| stops(code))
            && first_of_its_alternatives(window[check], &read.name)
        {
            read.required = true;
        }
    }
}

/// `X = os.environ.get("X") or (FLASK_SECRET + "...")`: the value kept is never missing, so
/// a check of it stops nothing for want of the variable. A fallback to another variable
/// (`or os.environ.get("Y")`) is an either-of, checked as one.
fn falls_back(read_line: &str, name: &str) -> bool {
    let Some((_, after)) = read_line.split_once(name) else { return false };
    let fallback = [" or ", "||", "??"].iter().find_map(|op| after.split_once(op).map(|(_, rest)| rest));
    fallback.is_some_and(|rest| !["environ", "getenv", "process.env", "env("].iter().any(|read| rest.contains(read)))
}

/// An either-of check (`!A && !B`) requires only the pair: its first name stands for it.
fn first_of_its_alternatives(check: &str, name: &str) -> bool {
    super::either_of::alternatives(check).first().is_none_or(|first| first == name)
}

/// Marks required each Go read in `reads` (all from `text`) kept in a variable that the lines
/// just below test for emptiness and answer by stopping the program or failing the function:
/// `secret := os.Getenv("X")`, then `if secret == "" {` and `log.Fatal(...)`, `os.Exit(1)`,
/// `panic(...)` or `return ..., fmt.Errorf(...)`.
pub fn require_checked_go(text: &str, reads: &mut [VariableRead]) {
    let lines: Vec<&str> = text.lines().collect();
    for read in reads.iter_mut().filter(|r| !r.required && r.default.is_none()) {
        let Some(line) = read.source.rsplit_once(':').and_then(|(_, l)| l.parse::<usize>().ok()) else { continue };
        let Some(held) = lines.get(line.saturating_sub(1)).and_then(|l| go_assigned_name(l)) else { continue };
        let empty = [format!("if {held} == \"\""), format!("if len({held}) == 0")];
        let window = &lines[line.min(lines.len())..lines.len().min(line + 4)];
        let Some(check) =
            window.iter().position(|code| empty.iter().any(|e| code.trim_start().starts_with(e.as_str())))
        else {
            continue;
        };
        let stops = |code: &&str| {
            let code = code.trim_start();
            ["log.Fatal", "os.Exit(", "panic(", "logger.Fatal"].iter().any(|s| code.contains(s))
                || (code.starts_with("return") && (code.contains("Errorf(") || code.contains("errors.New(")))
        };
        // Only the `if` block's own lines: what follows its `}` runs either way.
        let block = window[check + 1..].iter().take_while(|code| !code.trim_start().starts_with('}'));
        if block.take(3).any(stops) {
            read.required = true;
        }
    }
}

/// `secret := os.Getenv("X")` or `secret = os.Getenv("X")` → `secret`.
fn go_assigned_name(line: &str) -> Option<String> {
    let (head, _) = line.split_once(":=").or_else(|| line.split_once('='))?;
    let head = head.trim().trim_start_matches("var ").trim();
    let plain = !head.is_empty() && head.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    plain.then(|| head.to_string())
}

/// `SECRET_KEY = os.getenv(...)` → `SECRET_KEY`; `const key = process.env.X` → `key`.
fn assigned_name(line: &str) -> Option<String> {
    let (head, _) = line.split_once('=')?;
    let head = head.trim();
    let head = ["const ", "let ", "var "].iter().find_map(|k| head.strip_prefix(k)).unwrap_or(head);
    let head = head.split(':').next().unwrap_or(head).trim();
    let plain = !head.is_empty() && head.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    plain.then(|| head.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_checked_and_raised_on_is_required() {
        let python = "SECRET_KEY = os.getenv(\"PAPERLESS_SECRET_KEY\")\nif not (SECRET_KEY or \"\").strip():\n    raise ImproperlyConfigured(\"set PAPERLESS_SECRET_KEY\")\nDEBUG = os.getenv(\"DEBUG\")\n";
        let mut reads = vec![
            VariableRead::new("PAPERLESS_SECRET_KEY", "settings.py:1"),
            VariableRead::new("DEBUG", "settings.py:4"),
        ];
        require_checked(python, &mut reads);
        assert_eq!((reads[0].required, reads[1].required), (true, false));

        let scheme = "SITE = env.url(\"SITE_URL\", fallback)\nif SITE.scheme not in [\"http\", \"https\"]:\n    raise ImproperlyConfigured(\"SITE_URL\")\n";
        let mut reads = vec![VariableRead::new("SITE_URL", "settings.py:1")];
        require_checked(scheme, &mut reads);
        assert!(!reads[0].required, "a test of the value's scheme is no test of absence");

        let node = "const url = process.env.APP_URL;\nif (!process.env.APP_URL) {\n  throw new Error('APP_URL');\n}\n";
        let mut reads = vec![VariableRead::new("APP_URL", "src/config.js:1")];
        require_checked(node, &mut reads);
        assert!(reads[0].required);

        let alternative = "let URI = process.env.MONGODB_URI || \"\";\nif (!URI) {\n  if (process.env.MONGODB_HOST) {\n    URI = `mongodb://${process.env.MONGODB_HOST}/db`;\n  }\n}\nif (!URI) {\n  throw new Error('Missing MONGODB_URI');\n}\n";
        let mut reads = vec![VariableRead::new("MONGODB_HOST", "src/secrets.js:4")];
        require_checked(alternative, &mut reads);
        assert!(!reads[0].required, "one way of two to fill the checked value");
    }

    #[test]
    fn the_check_is_the_read_and_its_message_runs_long() {
        let node = "if (!process.env.HANKO_API_KEY || !process.env.HANKO_TENANT_ID) {\n  // These need to be set\n  // in .env.local\n  throw new Error(\n    \"set them\",\n  );\n}\n";
        let mut reads = vec![
            VariableRead::new("HANKO_API_KEY", "lib/hanko.ts:1"),
            VariableRead::new("HANKO_TENANT_ID", "lib/hanko.ts:1"),
        ];
        require_checked(node, &mut reads);
        assert!(reads.iter().all(|r| r.required));
    }

    #[test]
    fn a_check_inside_a_handler_runs_only_when_asked() {
        let node = "export async function POST(req) {\n  const id = process.env.APPLE_ID;\n  if (!id) {\n    throw new Error('APPLE_ID');\n  }\n}\n";
        let mut reads = vec![VariableRead::new("APPLE_ID", "app/api/iap.js:2")];
        require_checked(node, &mut reads);
        assert!(!reads[0].required);
    }

    #[test]
    fn a_read_with_a_fallback_is_never_missing() {
        let text = "SALT = os.environ.get(\"SALT\") or (SECRET + \"x\")\nif not SALT or len(SALT) < 16:\n    raise RuntimeError(\"short\")\nKEY = os.environ.get(\"KEY\") or os.environ.get(\"OLD_KEY\")\nif not KEY:\n    raise RuntimeError(\"no key\")\n";
        let mut reads = [VariableRead::new("SALT", "settings.py:1"), VariableRead::new("KEY", "settings.py:4")];
        require_checked(text, &mut reads);
        assert_eq!(reads.map(|r| r.required), [false, true]);
    }

    #[test]
    fn a_check_that_exits_successfully_requires_nothing() {
        let node =
            "if (process.env.VERCEL && !process.env.BUILD_GEO) {\n  console.log('skipping');\n  process.exit(0);\n}\n";
        let mut reads =
            vec![VariableRead::new("VERCEL", "scripts/geo.js:1"), VariableRead::new("BUILD_GEO", "scripts/geo.js:1")];
        require_checked(node, &mut reads);
        assert!(reads.iter().all(|r| !r.required), "nothing to do is no failure");
    }

    #[test]
    fn a_check_that_only_logs_requires_nothing() {
        let python = "KEY = os.getenv(\"KEY\")\nif not KEY:\n    logger.warning(\"no key\")\n";
        let mut reads = vec![VariableRead::new("KEY", "settings.py:1")];
        require_checked(&format!("{python}raise_later = 1\n"), &mut reads);
        assert!(!reads[0].required);
    }

    #[test]
    fn a_go_read_tested_for_emptiness_and_failed_on_is_required() {
        let go = "func key() (string, error) {\n\tkey := os.Getenv(\"APP_KEY\")\n\tif key == \"\" {\n\t\treturn \"\", fmt.Errorf(\"APP_KEY must be set\")\n\t}\n\tmode := os.Getenv(\"APP_MODE\")\n\tif mode == \"\" {\n\t\tmode = \"fast\"\n\t}\n\ttoken := os.Getenv(\"APP_TOKEN\")\n\tif len(token) == 0 {\n\t\tlog.Fatal(\"no token\")\n\t}\n";
        let mut reads = vec![
            VariableRead::new("APP_KEY", "main.go:2"),
            VariableRead::new("APP_MODE", "main.go:6"),
            VariableRead::new("APP_TOKEN", "main.go:10"),
        ];
        require_checked_go(go, &mut reads);
        assert_eq!(reads.iter().map(|r| r.required).collect::<Vec<_>>(), [true, false, true]);
    }
}
