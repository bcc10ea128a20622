//! A route whose handler is named rather than written inline (`app.get('/',
//! sessionHandler.displayWelcomePage)`): the handler is found where it is defined — in the same
//! file, or in the module its object or function is required from — and its body read like an
//! inline one's, so a root page that sends visitors without a session to a login is no open page.

use std::sync::LazyLock;

use regex::Regex;

use super::handler_guards;
use super::mounts::{normalize, unquote};

/// A handler as a route's last argument names it: `handler`, or `object.handler`.
static REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Za-z_$][\w$]*)(?:\.([A-Za-z_$][\w$]*))?$").expect("valid pattern"));

/// What ferry knows of a route's handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Handler {
    /// Written inline in the route call, or no single name: read with the route itself.
    Inline,
    /// Found where it is defined; whether its body turns a visitor without a session away.
    Read { redirects: bool },
    /// Named, but its definition was not found.
    Unread,
}

/// The handler named last in a route call's `arguments` (the text after `.get(`) declared in
/// `file`, followed to its definition among the `code` files.
pub(super) fn handler(code: &[(&str, &str)], file: &str, arguments: &str, login_page: bool) -> Handler {
    let Some((object, method)) = reference(arguments) else { return Handler::Inline };
    let text = code.iter().find(|(path, _)| *path == file).map_or("", |(_, text)| *text);
    let defined_in = match &object {
        // `sessionHandler.x` after `const sessionHandler = new SessionHandler(db)` and
        // `const SessionHandler = require('./session')`, or `handlers.x` after `const
        // handlers = require('./handlers')`.
        Some(object) => {
            let made_from = constructed_from(text, object).unwrap_or_else(|| object.clone());
            required_module(code, file, text, &made_from)
        }
        None => Some((file, text)),
    };
    let Some((_, source)) = defined_in else { return Handler::Unread };
    let lines: Vec<&str> = source.lines().collect();
    match definition_line(&lines, &method) {
        Some(index) => Handler::Read { redirects: handler_guards::body_redirects(&lines, index, login_page) },
        None => Handler::Unread,
    }
}

/// `(Some(object), method)` or `(None, function)` for a route call whose last argument is a
/// plain name; `None` for an inline handler or anything else.
fn reference(arguments: &str) -> Option<(Option<String>, String)> {
    let last = arguments.trim_end().trim_end_matches(';').trim_end().strip_suffix(')')?;
    let last = last.rsplit(',').next()?.trim();
    let caps = REFERENCE.captures(last)?;
    match caps.get(2) {
        Some(method) => Some((Some(caps[1].to_string()), method.as_str().to_string())),
        // A bare name that is a string (the path itself) has no letters to match here.
        None => Some((None, caps[1].to_string())),
    }
}

/// The class an object is made from in `text`: `Ctor` for `const object = new Ctor(...)`.
fn constructed_from(text: &str, object: &str) -> Option<String> {
    let pattern = Regex::new(&format!(r"\b{}\s*=\s*new\s+([A-Za-z_$][\w$]*)\s*\(", regex::escape(object))).ok()?;
    pattern.captures(text).map(|caps| caps[1].to_string())
}

/// The module `name` is required or imported from in `text`, among the `code` files.
fn required_module<'a>(code: &[(&'a str, &'a str)], file: &str, text: &str, name: &str) -> Option<(&'a str, &'a str)> {
    let name = regex::escape(name);
    let required = Regex::new(&format!(r#"\b{name}\s*=\s*require\(\s*(['"][^'"]+['"])\s*\)"#)).ok()?;
    let imported = Regex::new(&format!(r#"import\s+{name}\s+from\s+(['"][^'"]+['"])"#)).ok()?;
    let target = required.captures(text).or_else(|| imported.captures(text)).and_then(|caps| unquote(&caps[1]))?;
    if !target.starts_with('.') {
        return None;
    }
    let folder = file.rsplit_once('/').map_or("", |(folder, _)| folder);
    let base = normalize(&format!("{folder}/{target}"));
    let stems = [base.clone(), format!("{base}/index")];
    code.iter().copied().find(|(path, _)| {
        stems.iter().any(|stem| {
            path.strip_prefix(stem.as_str()).is_some_and(|ext| ["", ".js", ".ts", ".mjs", ".cjs"].contains(&ext))
        })
    })
}

/// The line that defines the handler `name`: `this.name = (req, res) =>`, `name(req, res) {`
/// in a class, `name: function`, `exports.name =`, `function name(`, `const name =`.
fn definition_line(lines: &[&str], name: &str) -> Option<usize> {
    let name = regex::escape(name);
    let pattern = Regex::new(&format!(
        r"^\s*(?:(?:this|exports|module\.exports|self)\.{name}\s*=|(?:async\s+)?{name}\s*\([^)]*\)\s*\{{|{name}\s*:\s*(?:async\s+)?(?:function|\()|(?:async\s+)?function\s+{name}\s*\(|(?:const|let|var)\s+{name}\s*=)"
    ))
    .ok()?;
    lines.iter().position(|line| pattern.is_match(line))
}

/// The route declared at `at` (`file:line`): its file's lines, its line's index and the
/// arguments of its route call (the text after `.get(`).
fn route_at<'a>(code: &[(&'a str, &'a str)], at: &str) -> Option<(&'a str, Vec<&'a str>, usize, String)> {
    let (file, line) = at.split_whitespace().next()?.rsplit_once(':')?;
    let (path, text) = code.iter().copied().find(|(path, _)| *path == file)?;
    let index = line.parse::<usize>().ok()?.checked_sub(1)?;
    let lines: Vec<&str> = text.lines().collect();
    let arguments = lines.get(index)?.split_once('(')?.1.to_string();
    Some((path, lines, index, arguments))
}

/// Whether the route declared at `at` names a handler ferry did not find, so it cannot say
/// whether the handler asks for a login.
pub(super) fn unread_at(code: &[(&str, &str)], at: &str) -> bool {
    route_at(code, at).is_some_and(|(path, _, _, arguments)| handler(code, path, &arguments, false) == Handler::Unread)
}

/// Where the inline handler of the route declared at `at` sends every visitor: the path of a
/// redirect at the body's own depth, with nothing before it (`app.get('/', (req, res) =>
/// res.redirect('/posts'))`).
pub(super) fn always_redirects_to(code: &[(&str, &str)], at: &str) -> Option<String> {
    let (_, lines, index, _) = route_at(code, at)?;
    let indent = |line: &str| line.len() - line.trim_start().len();
    let declaration = lines[index];
    let first = lines[index + 1..].iter().find(|line| !line.trim().is_empty());
    // On the declaration's own line (an arrow function), or as the body's first statement.
    let redirect = [Some(&declaration), first.filter(|line| indent(line) > indent(declaration))]
        .into_iter()
        .flatten()
        .filter(|line| !["if (", "if(", " ? ", "&&", "||"].iter().any(|condition| line.contains(condition)))
        .find_map(|line| line.split_once(".redirect(").map(|(_, rest)| rest))?;
    let literal = super::mounts::first_literal(redirect)?;
    (literal.starts_with('/') && !literal.starts_with("//")).then_some(literal)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTES: &str = "const SessionHandler = require(\"./session\");\nconst index = (app) => {\n    const sessionHandler = new SessionHandler(db);\n    app.get(\"/\", sessionHandler.displayWelcomePage);\n    app.get(\"/login\", sessionHandler.displayLoginPage);\n};\n";
    const SESSION: &str = "function SessionHandler(db) {\n    this.displayLoginPage = (req, res) => {\n        return res.render(\"login\");\n    };\n    this.displayWelcomePage = (req, res, next) => {\n        if (!req.session.userId) {\n            return res.redirect(\"/login\");\n        }\n        return res.render(\"dashboard\");\n    };\n}\nmodule.exports = SessionHandler;\n";

    fn read(arguments: &str) -> Handler {
        let code = [("app/routes/index.js", ROUTES), ("app/routes/session.js", SESSION)];
        handler(&code, "app/routes/index.js", arguments, false)
    }

    #[test]
    fn a_method_of_a_handler_object_from_another_module() {
        assert_eq!(read("\"/\", sessionHandler.displayWelcomePage);"), Handler::Read { redirects: true });
        assert_eq!(read("\"/login\", sessionHandler.displayLoginPage);"), Handler::Read { redirects: false });
        assert_eq!(read("\"/x\", sessionHandler.missing);"), Handler::Unread);
        assert_eq!(read("\"/x\", (req, res) => res.send('ok'));"), Handler::Inline);
    }

    #[test]
    fn a_root_that_sends_everyone_to_one_page() {
        let routes = "module.exports = function (app) {\n  app.get('/', function (req, res) {\n    res.redirect('/posts')\n  })\n  app.get('/a', (req, res) => res.redirect(301, '/b'))\n  app.get('/c', function (req, res) {\n    if (!req.user) return res.redirect('/login')\n    res.render('c')\n  })\n}\n";
        let code = [("routes/index.js", routes)];
        assert_eq!(always_redirects_to(&code, "routes/index.js:2").as_deref(), Some("/posts"));
        assert_eq!(always_redirects_to(&code, "routes/index.js:5").as_deref(), Some("/b"));
        assert_eq!(always_redirects_to(&code, "routes/index.js:6"), None);
    }
}
