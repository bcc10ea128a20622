//! `godotenv.Load()` whose error stops the app: ferry's image holds the binary alone, and a
//! service gives variables, not files, so a Load that must find `.env` fails at every start.
//!
//! The error stops the app when the lines after the call answer it with `log.Fatal`, `panic`
//! or `os.Exit`, or return it from `main`, or from a function `main` calls that goes on to
//! start the server (`func run() error` holding `ListenAndServe`): the return skips the start.
//! A helper that only loads the file returns to a `main` that may go on regardless, and
//! `init` has no error to return: neither is said.

use super::EXTENSIONS;
use super::code::{SERVE_MARKERS, without_comment};
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;
use crate::model::Finding;

/// Lines after the call the error check spans (`if err != nil {`, its answer, `}`).
const SPAN: usize = 4;

/// The blocker for the first `godotenv.Load` whose error stops the app.
pub fn fatal_env_file(files: &AppFiles) -> Option<Finding> {
    let code: Vec<(&str, &str)> = files.with_extensions(&EXTENSIONS).filter(|(path, _)| !is_test_path(path)).collect();
    for (path, text) in &code {
        let lines: Vec<&str> = text.lines().map(without_comment).collect();
        let Some(index) =
            lines.iter().position(|line| line.contains("godotenv.Load(") || line.contains("godotenv.Overload("))
        else {
            continue;
        };
        let after = &lines[index..lines.len().min(index + SPAN)];
        let fatal =
            after.iter().any(|line| line.contains("log.Fatal") || line.contains("panic(") || line.contains("os.Exit("));
        let returned = after.iter().any(|line| line.trim_start().starts_with("return") && line.contains("err"));
        let skips_the_start = || {
            enclosing(&lines, index)
                .is_some_and(|name| name == "main" || starts_after(&lines, index) && called_by_main(&code, name))
        };
        if fatal || returned && skips_the_start() {
            return Some(
                Finding::blocker(
                    "required-env",
                    "the app stops at start when no .env file is beside it (godotenv.Load's error is fatal): the image holds the binary alone, and the service sets variables, not files",
                    format!("{path}:{}", index + 1),
                )
                .with_fix("ignore godotenv.Load's error (the service sets the variables), or load the file only in development"),
            );
        }
    }
    None
}

/// The name of the function line `index` is in (`run` for `func run() error {`, `Start` for
/// a method `func (a *App) Start() error {`).
fn enclosing<'a>(lines: &[&'a str], index: usize) -> Option<&'a str> {
    let header = lines[..index].iter().rev().find(|line| line.starts_with("func "))?;
    let rest = header.strip_prefix("func ")?.trim_start();
    let rest = match rest.starts_with('(') {
        true => rest.split_once(')')?.1.trim_start(),
        false => rest,
    };
    rest.split('(').next().map(str::trim).filter(|name| !name.is_empty())
}

/// Whether the rest of the function holding line `index` starts the server.
fn starts_after(lines: &[&str], index: usize) -> bool {
    lines[index..]
        .iter()
        .take_while(|line| !line.starts_with('}'))
        .any(|line| SERVE_MARKERS.iter().any(|marker| line.contains(marker)))
}

/// Whether `func main()` calls `name` (`if err := run(); err != nil {`).
fn called_by_main(code: &[(&str, &str)], name: &str) -> bool {
    let call = format!("{name}(");
    code.iter().any(|(_, text)| {
        let mut lines = text.lines().skip_while(|line| !line.starts_with("func main()"));
        lines.next().is_some()
            && lines.take_while(|line| !line.starts_with('}')).any(|line| {
                let line = without_comment(line);
                line.match_indices(&call)
                    .any(|(at, _)| !line[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Option<String> {
        fatal_env_file(&AppFiles::from_pairs([("app/main.go", text)])).map(|f| f.source)
    }

    #[test]
    fn a_fatal_missing_env_file() {
        let fatal = "func init() {\n\terr := godotenv.Load()\n\tif err != nil {\n\t\tlog.Fatal(\"Error loading .env file\")\n\t}\n}\n";
        let lenient = "func init() {\n\t_ = godotenv.Load()\n}\n";
        assert_eq!(found(fatal).as_deref(), Some("app/main.go:2"));
        assert!(found(lenient).is_none());
    }

    #[test]
    fn an_error_returned_to_main_stops_the_app() {
        let run = "func main() {\n\tif err := run(); err != nil {\n\t\tslog.Error(\"run\", \"err\", err)\n\t}\n}\n\nfunc run() error {\n\tif err := godotenv.Load(); err != nil {\n\t\treturn fmt.Errorf(\"load env: %w\", err)\n\t}\n\treturn http.ListenAndServe(\":8080\", nil)\n}\n";
        assert_eq!(found(run).as_deref(), Some("app/main.go:8"));
    }

    #[test]
    fn an_error_returned_from_a_helper_main_never_calls_is_not_said() {
        let helper = "func main() {\n\t_ = loadLocal()\n\tserve()\n}\n\nfunc loadLocal() error {\n\tif err := godotenv.Load(); err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}\n";
        assert!(found(helper).is_none());
    }
}
