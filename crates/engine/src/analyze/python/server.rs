//! How the app is served: the WSGI/ASGI application, the Procfile's `web:` command, the
//! derived gunicorn/uvicorn start command and a port written in the code.

use super::dependencies::Dependencies;
use super::django::Django;
use super::{EXTENSIONS, PORT, is_identifier};
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, Framework, code_lines, command_words, fact, port_after};

/// The WSGI or ASGI application the server imports, as `module:attribute`.
pub(super) fn entry(
    files: &AppFiles,
    deps: &Dependencies,
    framework: Option<&Fact<Framework>>,
    django: Option<&Django>,
) -> Option<Fact<String>> {
    let is_django = django.is_some() || framework.is_some_and(|f| f.value.name == "Django");
    let asgi_server = ["uvicorn", "daphne", "granian", "hypercorn"].iter().any(|server| deps.has(server));
    if is_django
        && asgi_server
        && let Some(asgi) = channels_application(files)
    {
        return Some(asgi);
    }
    // A project kept in a folder of its own imports from that folder (see `project_root`).
    let root = super::project_root::django_root(files);
    let under_root = |path: &str| match &root {
        Some(root) => format!("{root}/{path}"),
        None => path.to_string(),
    };
    if let Some(django) = django {
        let package = django.settings_module.split('.').next().unwrap_or("");
        let wsgi = under_root(&format!("{package}/wsgi.py"));
        if files.get(&wsgi).is_some_and(|t| t.contains("get_wsgi_application")) {
            return Some(fact(format!("{package}.wsgi:application"), wsgi));
        }
    }
    if is_django {
        // The settings may live in another package than wsgi.py (`settings.main` beside
        // `wger/wsgi.py`), or the project under `src/`: the shallowest wsgi.py serves.
        let wsgi = files
            .files
            .iter()
            .filter(|(path, text)| {
                (path.as_str() == "wsgi.py" || path.ends_with("/wsgi.py"))
                    && !crate::analyze::source::is_test_path(path)
                    && text.contains("get_wsgi_application")
            })
            .min_by_key(|(path, _)| path.matches('/').count());
        if let Some((path, _)) = wsgi {
            let relative = root.as_ref().and_then(|r| path.strip_prefix(&format!("{r}/"))).unwrap_or(path);
            return Some(fact(format!("{}:application", module_of(relative)), path.clone()));
        }
    }
    let constructor = match framework.map(|f| f.value.name) {
        Some("FastAPI") => "FastAPI(",
        Some("Flask") => "Flask(",
        _ => return None,
    };
    if let Some(served) = served_by_server_module(files, constructor).or_else(|| named_by_launcher(files)) {
        return Some(served);
    }
    for (at, line) in code_lines(files, &EXTENSIONS) {
        let trimmed = line.trim_start();
        // `app = Flask(__name__)` at module level, or `def create_app():` building one.
        let Some((target, value)) = trimmed.split_once('=') else { continue };
        let target = target.trim().trim_end_matches(|c: char| c == ':' || c.is_whitespace());
        let target = target.split(':').next().unwrap_or(target).trim();
        let value = value.trim_start();
        let builds = value.starts_with(constructor) || factory_building(files, &at, value, constructor);
        if line.starts_with(' ') || !builds || !is_identifier(target) {
            continue;
        }
        let path = at.rsplit_once(':').map_or(at.as_str(), |(path, _)| path);
        return Some(fact(format!("{}:{target}", module_of(path)), at));
    }
    if framework.is_some_and(|f| f.value.name == "Flask") {
        for (at, line) in code_lines(files, &EXTENSIONS) {
            if line.starts_with("def create_app(") {
                let path = at.rsplit_once(':').map_or(at.as_str(), |(path, _)| path);
                return Some(fact(format!("{}:create_app()", module_of(path)), at));
            }
        }
    }
    None
}

/// Whether `value` calls a function of the same module that makes the framework's app:
/// `app = create_app()` below `def create_app() -> FastAPI:` and its `FastAPI(...)`.
fn factory_building(files: &AppFiles, at: &str, value: &str, constructor: &str) -> bool {
    let Some(name) = value.strip_suffix("()").or_else(|| value.split_once('(').map(|(name, _)| name)) else {
        return false;
    };
    let path = at.rsplit_once(':').map_or(at, |(path, _)| path);
    let Some(text) = files.get(path) else { return false };
    let definition = format!("def {name}(");
    is_identifier(name)
        && text
            .lines()
            .skip_while(|line| !line.starts_with(&definition))
            .skip(1)
            .take_while(|line| line.is_empty() || line.starts_with([' ', '\t']))
            .any(|line| line.contains(constructor))
}

/// A Django project that routes websockets with Channels (`ProtocolTypeRouter` in `asgi.py`)
/// is served as ASGI: under WSGI its websockets would not connect.
fn channels_application(files: &AppFiles) -> Option<Fact<String>> {
    let (path, _) = files
        .files
        .iter()
        .filter(|(path, text)| {
            (path.as_str() == "asgi.py" || path.ends_with("/asgi.py"))
                && !crate::analyze::source::is_test_path(path)
                && text.contains("ProtocolTypeRouter(")
        })
        .min_by_key(|(path, _)| path.matches('/').count())?;
    Some(fact(format!("{}:application", module_of(path)), path.clone()))
}

/// The object a `wsgi.py` or `asgi.py` builds for the server at module level, in the
/// shallowest such file: `flaskbb = create_app(config="flaskbb.cfg")`. Its authors wrote it to be
/// served, with the configuration a bare factory call would lack.
fn served_by_server_module(files: &AppFiles, constructor: &str) -> Option<Fact<String>> {
    let (path, text) = files
        .files
        .iter()
        .filter(|(path, _)| {
            let name = path.rsplit('/').next().unwrap_or(path);
            (name == "wsgi.py" || name == "asgi.py") && !crate::analyze::source::is_test_path(path)
        })
        .min_by_key(|(path, _)| path.matches('/').count())?;
    text.lines().enumerate().find_map(|(index, line)| {
        let (target, value) = line.split_once('=')?;
        let (target, value) = (target.trim_end(), value.trim_start());
        let builds = value.starts_with(constructor)
            || ["create_app(", "make_app(", "create_application(", "get_app("]
                .iter()
                .any(|factory| value.contains(factory) && !value.starts_with("os."));
        (!line.starts_with([' ', '\t']) && is_identifier(target) && builds && !value.starts_with('='))
            .then(|| fact(format!("{}:{target}", module_of(path)), format!("{path}:{}", index + 1)))
    })
}

/// The application a launcher script hands to the server by name: `uvicorn.run("app.server:app",
/// ...)` or `uvicorn.run(app="app.server:app")` in a `main.py`. Its authors named the object the
/// server imports, so it is the entry even when it is built by a factory ferry cannot follow.
/// Kept only when the module it names is in the folder.
fn named_by_launcher(files: &AppFiles) -> Option<Fact<String>> {
    for (at, line) in code_lines(files, &EXTENSIONS) {
        if !line.contains("uvicorn.run(") && !line.contains("hypercorn.run(") {
            continue;
        }
        let (path, number) = at.rsplit_once(':')?;
        let number: usize = number.parse().ok()?;
        // The call's arguments may run over the next lines: `uvicorn.run(\n    app="...",`.
        let text = files.get(path)?;
        let call: String = text.lines().skip(number - 1).take(4).collect::<Vec<_>>().join(" ");
        let arguments = call.split_once(".run(")?.1.trim_start();
        let arguments =
            arguments.strip_prefix("app").map_or(arguments, |rest| rest.trim_start().trim_start_matches('='));
        let Some(named) = crate::analyze::variables::text::literal(arguments) else { continue };
        let Some((module, attribute)) = named.split_once(':') else { continue };
        if is_identifier(attribute) && module_file(files, module).is_some() {
            return Some(fact(named.clone(), at));
        }
    }
    None
}

/// The file a dotted module name imports: `app.server` → `app/server.py`, a package's
/// `__init__.py`, or the same under `src/`.
fn module_file<'a>(files: &'a AppFiles, module: &str) -> Option<&'a str> {
    let relative = module.replace('.', "/");
    [
        format!("{relative}.py"),
        format!("{relative}/__init__.py"),
        format!("src/{relative}.py"),
        format!("src/{relative}/__init__.py"),
    ]
    .into_iter()
    .find_map(|candidate| files.files.get_key_value(&candidate).map(|(path, _)| path.as_str()))
}

/// `src/shop/app.py` → `shop.app`: src-layout packages import without their folder.
fn module_of(path: &str) -> String {
    let path = path.strip_prefix("src/").unwrap_or(path);
    let path = path.strip_suffix(".py").unwrap_or(path);
    path.strip_suffix("/__init__").unwrap_or(path).replace('/', ".")
}

/// Procfile `web:`, the command the app's authors wrote for production.
/// A `Procfile.prod` beside the `Procfile` is the maintainers' production word on it: the plain
/// one then often runs the workstation's mode (`./bin/run.sh web-dev`, a development server).
pub(super) fn procfile(files: &AppFiles) -> Option<Fact<Vec<String>>> {
    ["Procfile.prod", "Procfile.production", "Procfile"].iter().find_map(|name| {
        let text = files.get(name)?;
        let (line, web) = text.lines().enumerate().find_map(|(i, l)| l.strip_prefix("web:").map(|w| (i + 1, w)))?;
        Some(fact(command_words(web)?, format!("{name} line {line}")))
    })
}

/// The production server for the framework, when the app declares one. The source says
/// `derived`: a command the instance really runs (user data) is trusted over it.
pub(super) fn derived_start(
    files: &AppFiles,
    deps: &Dependencies,
    framework: Option<&Fact<Framework>>,
    entry: Option<&Fact<String>>,
) -> Option<Fact<Vec<String>>> {
    let entry = entry?;
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let bind = format!("0.0.0.0:{PORT}");
    let django = framework.is_some_and(|f| f.value.name == "Django");
    let asgi = framework.is_some_and(|f| f.value.name == "FastAPI") || entry.value.contains(".asgi:");
    let patches_for_gevent = code_lines(files, &EXTENSIONS).any(|(_, line)| line.contains("monkey.patch_all("));
    let neither = !deps.has("gunicorn") && !deps.has("uvicorn");
    // Django's ASGI handler has no lifespan protocol: granian must not wait for one.
    let interface = match (asgi, django) {
        (true, true) => "asginl",
        (true, false) => "asgi",
        (false, _) => "wsgi",
    };
    let other = neither.then(|| other_server(deps, interface, &entry.value)).flatten();
    // A WSGI app whose dependencies bring uvicorn and not gunicorn is served by uvicorn: through
    // the project's own `asgi.py` beside the `wsgi.py`, else in uvicorn's WSGI mode.
    let uvicorn_only = !asgi && !deps.has("gunicorn") && deps.has("uvicorn");
    let command = match (asgi, deps.has("gunicorn"), deps.has("uvicorn")) {
        _ if other.is_some() => other.unwrap_or_default(),
        _ if uvicorn_only => match asgi_sibling(files, &entry.value) {
            Some(asgi_entry) => words(&["uvicorn", &asgi_entry, "--host", "0.0.0.0", "--port", PORT]),
            None => words(&["uvicorn", "--interface", "wsgi", &entry.value, "--host", "0.0.0.0", "--port", PORT]),
        },
        (true, true, true) => words(&[
            "gunicorn",
            "--worker-class",
            "uvicorn.workers.UvicornWorker",
            "--bind",
            &bind,
            "--access-logfile",
            "-",
            &entry.value,
        ]),
        // Without the server in the dependencies, the command is the one the
        // `no-production-server` warning says the image adds.
        (true, _, _) => words(&["uvicorn", &entry.value, "--host", "0.0.0.0", "--port", PORT]),
        // An app that monkey-patches for gevent expects gunicorn's gevent worker.
        (false, true, _) if deps.has("gevent") && patches_for_gevent => {
            words(&["gunicorn", "--worker-class", "gevent", "--bind", &bind, "--access-logfile", "-", &entry.value])
        }
        (false, _, _) => words(&["gunicorn", "--bind", &bind, "--access-logfile", "-", &entry.value]),
    };
    let mut command = command;
    if entry.source.starts_with("src/") {
        // A src-layout package is importable once installed; the image runs it from the
        // source tree, so the server is told where the packages are.
        let flag = match command[0].as_str() {
            "uvicorn" => Some("--app-dir"),
            "gunicorn" => Some("--pythonpath"),
            "granian" => Some("--working-dir"),
            "uwsgi" => Some("--chdir"),
            _ => None,
        };
        if let Some(flag) = flag {
            command.splice(1..1, [flag.to_string(), "src".to_string()]);
        }
    }
    // A Django project in a folder of its own starts from there, as its `cd` did.
    if django
        && !entry.source.starts_with("src/")
        && let Some(root) = super::project_root::django_root(files)
        && entry.source.starts_with(&format!("{root}/"))
        && let Some(flag) = super::project_root::working_dir_flag(&command[0])
    {
        command.splice(1..1, [flag.to_string(), root]);
    }
    let server = command[0].clone();
    let package = if server == "waitress-serve" { "waitress" } else { server.as_str() };
    let missing = if deps.has(package) { String::new() } else { format!("; {server} {MISSING_SERVER}") };
    Some(fact(command, format!("derived: {server} serves {} ({}){missing}", entry.value, entry.source)))
}

/// How a derived start's source ends when the dependencies lack its server.
pub(super) const MISSING_SERVER: &str = "is not in the dependencies, so the image adds it";

/// `proj.wsgi:application` → `proj.asgi:application` when `proj/asgi.py` is in the folder.
fn asgi_sibling(files: &AppFiles, entry: &str) -> Option<String> {
    let (module, object) = entry.split_once(':')?;
    let package = module.strip_suffix(".wsgi")?;
    let path = format!("{}/asgi.py", package.replace('.', "/"));
    (files.has(&path) || files.has(&format!("src/{path}"))).then(|| format!("{package}.asgi:{object}"))
}

/// A production server other than gunicorn and uvicorn that the dependencies bring.
fn other_server(deps: &Dependencies, interface: &str, entry: &str) -> Option<Vec<String>> {
    let asgi = interface != "wsgi";
    let bind = format!("0.0.0.0:{PORT}");
    let command: Vec<&str> = if deps.has("granian") {
        vec!["granian", "--interface", interface, "--host", "0.0.0.0", "--port", PORT, entry]
    } else if deps.has("daphne") && asgi {
        vec!["daphne", "--bind", "0.0.0.0", "--port", PORT, entry]
    } else if deps.has("hypercorn") {
        vec!["hypercorn", "--bind", &bind, entry]
    } else if deps.has("waitress") && !asgi {
        return Some(vec!["waitress-serve".into(), format!("--listen={bind}"), entry.into()]);
    } else if deps.has("uwsgi") && !asgi {
        vec!["uwsgi", "--http", &bind, "--master", "--module", entry]
    } else {
        return None;
    };
    Some(command.into_iter().map(String::from).collect())
}

/// `python app.py` whose script serves with `app.run()` or `uvicorn.run(app)` and no host:
/// both listen on 127.0.0.1, which the load balancer cannot reach.
pub(super) fn dev_server_on_loopback(files: &AppFiles, start: &[String]) -> Option<crate::model::Finding> {
    let [python, script] = start else { return None };
    if !python.starts_with("python") || !script.ends_with(".py") {
        return None;
    }
    let text = files.get(script.trim_start_matches("./"))?;
    let lines: Vec<&str> = text.lines().collect();
    // The whole call, over its continuation lines: `app.run(\n    host=HOST,\n)` names a host.
    let call = |index: usize| lines[index..lines.len().min(index + 12)].join("\n");
    let without_host = |index: usize| {
        let call = call(index);
        let arguments = call.split_once(".run(").map_or("", |(_, rest)| rest);
        let mut depth = 0i32;
        let end = arguments.char_indices().find_map(|(at, c)| {
            depth += i32::from(c == '(') - i32::from(c == ')');
            (depth < 0).then_some(at)
        });
        let arguments = &arguments[..end.unwrap_or(arguments.len())];
        // `**options` may hold a host: only a call that shows none is said.
        !arguments.contains("host=") && !arguments.contains("**")
    };
    let index = (0..lines.len()).find(|&index| {
        let line = lines[index];
        (line.contains("app.run(") || line.contains("uvicorn.run(")) && without_host(index)
    })?;
    Some(
        crate::model::Finding::blocker(
            "loopback-bind",
            "the script serves on 127.0.0.1 (no host given to run()): the load balancer cannot reach the task",
            format!("{script}:{}", index + 1),
        )
        .with_fix("pass host=\"0.0.0.0\" to run(), or better, serve with gunicorn or uvicorn"),
    )
}

/// `app.run(port=5000)`, `uvicorn.run(app, port=8000)`, `os.getenv("PORT", "8000")`, a
/// gunicorn.conf.py `bind = "0.0.0.0:8000"`. The port a development server is given
/// (`app.run(port=4000)`) counts only when the start command runs that script: a server that
/// imports the app never reaches it. One read from `PORT` is the author's port for any server.
pub(super) fn port_in_code(files: &AppFiles, runs_a_script: bool) -> Option<Fact<u16>> {
    const MARKERS: [&str; 6] = ["port=", "\"PORT\",", "'PORT',", "0.0.0.0:", "bind = \"", "bind = '"];
    // Another service's port (`Redis(port=6379)`, `connect(port=5432)`) is not the app's.
    const OTHER_SERVICES: [&str; 11] =
        ["redis", "postgres", "psycopg", "mysql", "mongo", "connect(", "db_", "database", "smtp", "statsd", "metrics"];
    code_lines(files, &EXTENSIONS)
        .filter(|(_, line)| {
            let lower = line.to_ascii_lowercase();
            let dev_server_port = lower.contains(".run(") && !line.contains("PORT");
            !OTHER_SERVICES.iter().any(|other| lower.contains(other)) && (runs_a_script || !dev_server_port)
        })
        .find_map(|(at, line)| {
            MARKERS
                .iter()
                .filter(|marker| {
                    // `port=` as a whole keyword: not `transport=` or `report=`. A URL's
                    // `://0.0.0.0:4000` is where something is reached (a docs server), not a bind.
                    line.match_indices(**marker)
                        .any(|(i, _)| !line[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '/'))
                })
                .find_map(|m| port_after(line, m))
                .filter(|port| !crate::analyze::dialed_ports::STORE_PORTS.contains(port))
                // Checked last, on the few lines that name a port: it reads the file again.
                .filter(|_| crate::analyze::variables::scope_of(&at) == crate::model::VariableScope::Runtime)
                .filter(|_| !in_docstring_or_comment(files, &at, line))
                .map(|port| fact(port, at))
        })
}

/// A comment, or a line inside a triple-quoted string (a docstring's example is not code).
fn in_docstring_or_comment(files: &AppFiles, at: &str, line: &str) -> bool {
    if line.trim_start().starts_with('#') {
        return true;
    }
    let Some((path, number)) = at.rsplit_once(':') else { return false };
    let (Some(text), Ok(number)) = (files.get(path), number.parse::<usize>()) else { return false };
    // Odd count of triple quotes before this line: the line sits inside a string.
    let before: usize = text
        .lines()
        .take(number.saturating_sub(1))
        .map(|l| l.matches("\"\"\"").count() + l.matches("\'\'\'").count())
        .sum();
    before % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_production_servers_serve_the_app() {
        let deps = |name: &str| Dependencies(vec![(name.to_string(), "requirements.txt:1".to_string())]);
        let granian = other_server(&deps("granian"), "asgi", "shop.asgi:application").unwrap();
        assert_eq!(granian[..3], ["granian", "--interface", "asgi"]);
        assert_eq!(other_server(&deps("waitress"), "wsgi", "app:app").unwrap()[0], "waitress-serve");
        assert_eq!(
            other_server(&deps("uwsgi"), "wsgi", "app.wsgi:application").unwrap().last().unwrap(),
            "app.wsgi:application"
        );
        assert_eq!(other_server(&deps("flask"), "wsgi", "app:app"), None);
    }

    #[test]
    fn a_script_serving_without_a_host_listens_on_loopback() {
        let files = AppFiles::from_pairs([(
            "app.py",
            "app = Flask(__name__)\n\nif __name__ == '__main__':\n    app.run(port=5000)\n",
        )]);
        let start = ["python".to_string(), "app.py".to_string()];
        assert_eq!(dev_server_on_loopback(&files, &start).map(|f| f.source), Some("app.py:4".to_string()));
        let bound = AppFiles::from_pairs([("app.py", "app.run(host='0.0.0.0', port=5000)\n")]);
        assert!(dev_server_on_loopback(&bound, &start).is_none());
    }
}
