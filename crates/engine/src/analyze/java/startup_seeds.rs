//! Users a Spring app registers at every start: a `CommandLineRunner` (or `ApplicationRunner`)
//! whose body builds accounts with literal passwords. Every task that starts registers them
//! again, and the credentials are committed in the code. The finding names the field, never
//! the value.

use super::CODE;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;
use crate::model::Finding;

/// How many lines of a runner's body are read.
const BODY_SPAN: usize = 60;

/// Runners Spring Boot calls once the context is up, at every start.
const RUNNERS: [&str; 2] = ["CommandLineRunner", "ApplicationRunner"];

/// Setters and builder calls that take a password.
const PASSWORD_CALLS: [&str; 4] = [".password(\"", "setPassword(\"", ".encode(\"", "Password(\""];

/// The first runner that seeds accounts with literal passwords, as a warning.
pub(super) fn seeded_accounts(files: &AppFiles) -> Option<Finding> {
    let code = files.with_extensions(&CODE).filter(|(path, _)| !is_test_path(path));
    for (path, text) in code {
        let lines: Vec<&str> = text.lines().collect();
        let Some(start) = lines.iter().position(|line| declares_runner(line)) else { continue };
        let body = &lines[start..lines.len().min(start + BODY_SPAN)];
        let Some(call) = body.iter().find_map(|line| password_call(line)) else { continue };
        let runner = RUNNERS.iter().find(|r| lines[start].contains(*r)).unwrap_or(&RUNNERS[0]);
        return Some(
            Finding::warning(
                "migrations-at-start",
                format!(
                    "a {runner} registers accounts at every start with literal credentials in the code (`{call}`, value not shown): every task starting seeds them again, and the credentials are committed"
                ),
                format!("{path}:{}", start + 1),
            )
            .with_fix("seed the accounts once, as a one-off task, with passwords from Secrets Manager; or remove the default accounts"),
        );
    }
    None
}

/// `public CommandLineRunner seed(...)` (a bean) or `class Seeder implements CommandLineRunner`.
fn declares_runner(line: &str) -> bool {
    let code = line.trim_start();
    if code.starts_with("//") || code.starts_with("import ") || code.starts_with('*') {
        return false;
    }
    RUNNERS.iter().any(|runner| {
        code.contains(&format!("implements {runner}"))
            || code.contains(&format!("{runner} {{"))
            || (code.contains(&format!("{runner} "))
                && code.contains('(')
                && !code.contains(&format!("new {runner}"))
                && !code.contains('='))
    })
}

/// The call that passes a literal password on `line`, without its value: `.password(...)`.
fn password_call(line: &str) -> Option<String> {
    let code = line.trim_start();
    if code.starts_with("//") {
        return None;
    }
    PASSWORD_CALLS.iter().find(|call| code.contains(*call)).map(|call| {
        let name = call.trim_end_matches('"').trim_end_matches('(');
        format!("{name}(...)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bean_runner_seeding_users_with_a_literal_password() {
        let text = "class App {\n  @Bean\n  public CommandLineRunner seed(UserService users) {\n    return args -> {\n      users.register(User.builder().email(\"a@b.c\").password(\"hunter2\").build());\n    };\n  }\n}\n";
        let found = seeded_accounts(&AppFiles::from_pairs([("src/main/java/App.java", text)])).expect("a warning");
        assert_eq!(found.source, "src/main/java/App.java:3");
        assert!(found.message.contains("`.password(...)`") && !found.message.contains("hunter2"), "{}", found.message);
    }

    #[test]
    fn a_runner_without_credentials_or_a_test_is_not_a_seed() {
        let warmup =
            "class Warmup implements CommandLineRunner {\n  public void run(String... args) { cache.load(); }\n}\n";
        assert!(seeded_accounts(&AppFiles::from_pairs([("src/main/java/Warmup.java", warmup)])).is_none());
        let test = "class T implements CommandLineRunner {\n  void run() { u.setPassword(\"x\"); }\n}\n";
        assert!(seeded_accounts(&AppFiles::from_pairs([("src/test/java/T.java", test)])).is_none());
    }
}
