//! A route declaration whose path sits on the line after the call (`app.withTypeProvider()
//! .get(` then `'/invites/:id',`) is one the route scan does not read. With any such GET in
//! the code, ferry does not know every GET route the app declares, so it cannot say that all
//! of them need a login.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

/// The calls that declare a GET route on a receiver.
const GET_CALLS: [&str; 2] = [".get(", ".route("];

/// Whether the non-test code in `extensions` declares a GET route with its path on the next
/// line.
pub(super) fn any(files: &AppFiles, extensions: &[&str]) -> bool {
    files.with_extensions(extensions).filter(|(path, _)| !is_test_path(path)).any(|(_, text)| {
        let lines: Vec<&str> = text.lines().collect();
        lines.iter().enumerate().any(|(index, line)| {
            let code = line.trim_end();
            let opens = GET_CALLS.iter().any(|call| code.ends_with(call))
                || code.ends_with(">(") && code.rsplit_once(".get<").is_some();
            opens && next_code(&lines, index + 1).is_some_and(path_literal)
        })
    })
}

/// The first non-blank line from `from`.
fn next_code<'a>(lines: &[&'a str], from: usize) -> Option<&'a str> {
    lines.get(from..)?.iter().map(|line| line.trim()).find(|line| !line.is_empty())
}

/// `'/invites/:id',`: a quoted path.
fn path_literal(line: &str) -> bool {
    let mut chars = line.chars();
    matches!(chars.next(), Some('\'' | '"' | '`')) && chars.next() == Some('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_get_whose_path_is_on_the_next_line() {
        let split = "export async function getInvite(app) {\n  app.withTypeProvider().get(\n    '/invites/:inviteId',\n    {},\n    async () => ({}),\n  )\n}\n";
        assert!(any(&AppFiles::from_pairs([("src/routes/get-invite.ts", split)]), &["ts"]));
        let one_line = "app.get('/users', auth, list)\nconst cache = map.get(\n  key,\n)\n";
        assert!(!any(&AppFiles::from_pairs([("src/routes/users.ts", one_line)]), &["ts"]));
        assert!(!any(&AppFiles::from_pairs([("test/routes.test.ts", split)]), &["ts"]));
    }
}
