//! AdonisJS route groups: `router.group(() => { router.get('/', h) }).prefix('/inquiries')
//! .use(middleware.auth())`. The prefix and middleware are chained after the group's callback
//! closes, so a route inside answers at the group's path, behind its middleware, not at the
//! path it writes. A route in a function the file exports (`export default function
//! contactRoutes() { ... }`) answers under whatever prefix its caller adds, which ferry does not
//! follow: its path is unknown.

use super::mounts::{first_literal, join};

/// Whether `text` declares routes on Adonis's router.
fn is_router_file(text: &str) -> bool {
    text.contains("@adonisjs/core/services/router") || text.contains("@ioc:Adonis/Core/Route")
}

/// The route `literal` (if a literal) at `index` of an Adonis router file under its groups' prefixes, and
/// whether their middleware asks for a login; as written in any other file. `None` when
/// where it answers is not known.
pub fn place(text: &str, lines: &[&str], index: usize, literal: Option<String>) -> Option<(String, bool)> {
    let literal = literal?;
    if !is_router_file(text) {
        return Some((literal, false));
    }
    let (group, behind) = enclosing(lines, index)?;
    Some((if group.is_empty() { literal } else { join(&group, &literal) }, behind))
}

/// Where the route at `index` answers, relative to its file: the prefixes of the groups around
/// it and whether their middleware asks for a login. `None` when its path is not known from
/// the file (a computed prefix, or a route module's exported function).
pub fn enclosing(lines: &[&str], index: usize) -> Option<(String, bool)> {
    let mut prefix = String::new();
    let mut guarded = false;
    let mut depth = 0i32;
    for opener in (0..index).rev() {
        depth += balance(lines[opener]);
        if depth <= 0 {
            continue;
        }
        // `lines[opener]` opens a block the route sits in.
        depth = 0;
        let line = lines[opener];
        if line.contains("export ") && line.contains("function") {
            return None;
        }
        if !line.contains(".group(") {
            continue;
        }
        let chained = chained_after_close(lines, opener)?;
        if let Some(at) = chained.find(".prefix(") {
            let argument = chained[at + ".prefix(".len()..].trim_start();
            // `.prefix(API_PREFIX)`: a value ferry does not know.
            let written = first_literal(argument).filter(|_| argument.starts_with(['\'', '"', '`']))?;
            prefix = join(&written, &prefix);
        }
        let lower = chained.to_ascii_lowercase();
        guarded |= (lower.contains(".use(") || lower.contains(".middleware(")) && lower.contains("auth");
    }
    Some((prefix, guarded))
}

/// Opening minus closing brackets on a line.
fn balance(line: &str) -> i32 {
    line.chars()
        .map(|c| match c {
            '{' | '(' | '[' => 1,
            '}' | ')' | ']' => -1,
            _ => 0,
        })
        .sum()
}

/// The calls chained onto the group opened at `opener`, from where its callback closes to the
/// first line that chains nothing more. `None` when the group never closes.
fn chained_after_close(lines: &[&str], opener: usize) -> Option<String> {
    let mut depth = 0i32;
    for (at, line) in lines.iter().enumerate().skip(opener) {
        let mut rest = None;
        for (offset, c) in line.char_indices() {
            depth += match c {
                '{' | '(' | '[' => 1,
                '}' | ')' | ']' => -1,
                _ => 0,
            };
            if depth == 0 && at + offset > opener && c == ')' {
                rest = Some(&line[offset + 1..]);
                break;
            }
        }
        let Some(rest) = rest else { continue };
        let mut chained = rest.to_string();
        chained.extend(lines[at + 1..].iter().take_while(|l| l.trim_start().starts_with('.')).map(|l| l.trim()));
        return Some(chained);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_in_a_prefixed_group_behind_auth() {
        let text = "router.group(() => {\n  router.post('/', h)\n  router\n    .group(() => {\n      router.get('/', h)\n    })\n    .prefix('/inquiries')\n    .use([middleware.auth()])\n}).prefix('/v1')\n";
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(enclosing(&lines, 4), Some(("/v1/inquiries".to_string(), true)));
        assert_eq!(enclosing(&lines, 1), Some(("/v1".to_string(), false)));
        let exported = ["export default function routes() {", "  router.get('/', h)", "}"];
        assert_eq!(enclosing(&exported, 1), None);
        let top = ["router.get('/', h)"];
        assert_eq!(enclosing(&top, 0), Some((String::new(), false)));
    }
}
