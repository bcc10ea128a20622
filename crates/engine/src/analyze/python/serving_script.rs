//! An entry script that starts a production server itself: `python app.py`, whose main guard
//! (through the project's own imports) builds the app and serves it with tornado's
//! `HTTPServer`, waitress, cheroot/cherrypy, gevent's `WSGIServer`, aiohttp or bjoern. The
//! application object such a project leaves at module level is often the bare one before its
//! factory ran, so a server handed that object serves nothing: the script is the start, and
//! it listens where its own code says.

use super::EXTENSIONS;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact, is_test_path};
use crate::analyze::variables::scope_of;
use crate::model::VariableScope;
use std::collections::VecDeque;

/// A call that serves in production, and the library whose import makes it that call.
const SERVES: [(&str, &str); 12] = [
    ("HTTPServer(", "tornado"),
    (".listen(", "tornado"),
    ("serve(", "waitress"),
    ("WSGIServer(", "gevent"),
    ("WSGIServer(", "cheroot"),
    ("WSGIServer(", "cherrypy"),
    ("wsgi.Server(", "cheroot"),
    ("quickstart(", "cherrypy"),
    ("engine.start(", "cherrypy"),
    ("run_app(", "aiohttp"),
    ("bjoern.run(", "bjoern"),
    ("bjoern.listen(", "bjoern"),
];

/// Words in a script's name that mark it as a developer's, never the deployed start.
const DEVELOPMENT: [&str; 6] = ["dev", "debug", "test", "example", "demo", "sample"];

/// What the start source of a serving script ends with, so the port can be read after it.
const SERVES_ITSELF: &str = "a production server the script starts itself";

/// Files read at most while following one script's imports.
const MOST_FILES: usize = 400;

/// `python <script>` for the shallowest entry script whose imports reach a production
/// server's start. Of the servers a script may start (gevent when importable, else tornado),
/// the one in the dependencies (`installed`) is the one that runs.
pub(super) fn serving_start(files: &AppFiles, installed: impl Fn(&str) -> bool) -> Option<Fact<Vec<String>>> {
    let (script, (path, line, library)) = entry_scripts(files).into_iter().find_map(|script| {
        let calls: Vec<_> = reachable(files, script).iter().flat_map(|path| serving_calls(files, path)).collect();
        let chosen = calls.iter().find(|(_, _, library)| installed(library)).or(calls.first()).cloned();
        chosen.map(|found| (script, found))
    })?;
    let source = format!("{script} runs {path}:{line} ({library}), {SERVES_ITSELF}");
    Some(fact(vec!["python".to_string(), script.to_string()], source))
}

/// The port such a script listens on: a literal on the serving line, else the project's
/// port constant (`DEFAULT_PORT = 8083`) among the files the script imports.
pub(super) fn serving_port(files: &AppFiles, start: &Fact<Vec<String>>) -> Option<Fact<u16>> {
    let rest = start.source.strip_suffix(SERVES_ITSELF)?;
    let (script, rest) = rest.split_once(" runs ")?;
    let at = rest.split_once(' ')?.0;
    let (path, number) = at.rsplit_once(':')?;
    let line = files.get(path)?.lines().nth(number.parse::<usize>().ok()?.checked_sub(1)?)?;
    let literal = ["listen(", "port="].iter().find_map(|marker| literal_after(line, marker));
    if let Some(port) = literal {
        return Some(fact(port, at.to_string()));
    }
    reachable(files, script).iter().find_map(|path| port_constant(files, path))
}

/// Scripts run as `python <path>`: a main guard, at the root or one folder down, not a
/// developer's or a tool's; the shallowest first.
fn entry_scripts(files: &AppFiles) -> Vec<&str> {
    let mut scripts: Vec<&str> = files
        .with_extensions(&EXTENSIONS)
        .filter(|(path, _)| path.matches('/').count() <= 1 && path.rsplit('/').next() != Some("manage.py"))
        .filter(|(path, _)| !is_test_path(path) && scope_of(path) == VariableScope::Runtime)
        .filter(|(path, _)| !DEVELOPMENT.iter().any(|word| path.to_ascii_lowercase().contains(word)))
        .filter(|(_, text)| text.lines().any(|l| l.starts_with("if __name__") && l.contains("__main__")))
        .map(|(path, _)| path)
        .collect();
    scripts.sort_by_key(|path| (path.matches('/').count(), *path));
    scripts
}

/// The project files `script` imports, directly or through the modules it imports, itself
/// first.
fn reachable<'f>(files: &'f AppFiles, script: &'f str) -> Vec<String> {
    let mut seen = vec![script.to_string()];
    let mut queue = VecDeque::from([script.to_string()]);
    while let Some(path) = queue.pop_front() {
        let Some(text) = files.get(&path) else { continue };
        for module in super::module_imports::imported_files(files, &path, text) {
            if seen.len() < MOST_FILES && !seen.contains(&module) {
                seen.push(module.clone());
                queue.push_back(module);
            }
        }
    }
    seen
}

/// The lines of production servers' starts in `path`, each with the library that serves.
fn serving_calls(files: &AppFiles, path: &str) -> Vec<(String, usize, &'static str)> {
    let Some(text) = files.get(path) else { return Vec::new() };
    let imports = |library: &str| {
        text.lines().map(str::trim_start).any(|l| {
            let module = l.strip_prefix("from ").or_else(|| l.strip_prefix("import "));
            module.is_some_and(|m| m.starts_with(library))
        })
    };
    let code = crate::analyze::python_code::code_lines(text);
    code.into_iter()
        .filter_map(|(number, line)| {
            // A server started with reloading or debugging on is a developer's.
            let development = ["debug=True", "reload=True", "autoreload=True"].iter().any(|flag| line.contains(flag));
            let (_, library) = SERVES.iter().find(|(call, library)| line.contains(call) && imports(library))?;
            (!development).then(|| (path.to_string(), number, *library))
        })
        .collect()
}

/// `PORT = 8080`, `DEFAULT_PORT = 8083`: a module constant naming the app's port.
fn port_constant(files: &AppFiles, path: &str) -> Option<Fact<u16>> {
    const OTHER_SERVICES: [&str; 12] =
        ["REDIS", "DB", "SQL", "MAIL", "SMTP", "MONGO", "PROXY", "LDAP", "DATABASE", "CACHE", "BROKER", "QUEUE"];
    let text = files.get(path)?;
    crate::analyze::python_code::code_lines(text).into_iter().find_map(|(number, line)| {
        let (name, value) = line.split_once('=')?;
        let name = name.trim();
        let is_port = !line.starts_with(char::is_whitespace)
            && (name == "PORT" || name.ends_with("_PORT"))
            && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            && !OTHER_SERVICES.iter().any(|other| name.contains(other));
        let value = value.split('#').next()?.trim();
        let port = value
            .parse::<u16>()
            .ok()
            .filter(|port| is_port && value.len() >= 2 && !crate::analyze::dialed_ports::STORE_PORTS.contains(port))?;
        Some(fact(port, format!("{path}:{number}")))
    })
}

/// The integer literal right after `marker` on `line` (`listen(8888`, `port=8080`).
fn literal_after(line: &str, marker: &str) -> Option<u16> {
    let rest = line.split_once(marker)?.1.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|port| *port > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_reaching_tornado_through_its_package_is_the_start() {
        let files = AppFiles::from_pairs([
            ("requirements.txt", "flask\ntornado\n"),
            ("launch.py", "from shop.boot import run\n\nif __name__ == '__main__':\n    run()\n"),
            ("shop/__init__.py", "from flask import Flask\napp = Flask(__name__)\n"),
            ("shop/boot.py", "from . import settings\n\ndef run():\n    from .httpd import serve_it\n    serve_it()\n"),
            ("shop/settings.py", "REDIS_PORT = 6379\nLISTEN_PORT = 9123\n"),
            (
                "shop/httpd.py",
                "from tornado.httpserver import HTTPServer\nfrom tornado.wsgi import WSGIContainer\n\ndef serve_it():\n    server = HTTPServer(WSGIContainer(app))\n    server.listen(settings.LISTEN_PORT)\n",
            ),
        ]);
        let start = serving_start(&files, |_| false).expect("the script serves");
        assert_eq!(start.value, ["python", "launch.py"]);
        assert!(start.source.starts_with("launch.py runs shop/httpd.py:5 (tornado)"), "{}", start.source);
        assert_eq!(serving_port(&files, &start), Some(fact(9123, "shop/settings.py:2".to_string())));
    }

    #[test]
    fn a_development_script_or_a_server_named_in_a_docstring_is_none() {
        let files = AppFiles::from_pairs([
            ("run_dev.py", "from waitress import serve\nif __name__ == '__main__':\n    serve(app, port=5000)\n"),
            (
                "main.py",
                "\"\"\"Run with:\n    from waitress import serve\n    serve(app)\n\"\"\"\nif __name__ == '__main__':\n    print(1)\n",
            ),
        ]);
        assert_eq!(serving_start(&files, |_| false), None);
    }

    #[test]
    fn waitress_with_a_literal_port() {
        let files = AppFiles::from_pairs([(
            "server.py",
            "from waitress import serve\nfrom app import make\nif __name__ == '__main__':\n    serve(make(), host='0.0.0.0', port=8181)\n",
        )]);
        let start = serving_start(&files, |_| false).expect("serves");
        assert_eq!(serving_port(&files, &start).map(|p| p.value), Some(8181));
    }
}
