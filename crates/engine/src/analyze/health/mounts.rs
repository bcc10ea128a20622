//! Where a router's routes really answer: the prefixes it is created with and mounted under,
//! followed across files. `@router.get("/health-check/")` in a router made with
//! `APIRouter(prefix="/utils")`, included into `api_router`, which the app includes under
//! `settings.API_V1_STR`, answers at `/api/v1/utils/health-check/`.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::mount_calls::{self, KEYWORD_PREFIX};
use crate::analyze::app_files::AppFiles;

/// A router: the variable `name` defined (or imported into) `file`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Router {
    pub file: String,
    pub name: String,
}

/// How a router is made, as read where it is assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Made {
    /// The application itself (`FastAPI()`, `express()`, `gin.New()`): it answers at `/`.
    Root,
    /// A router that answers only where it is mounted, under its own prefix.
    Mountable(String),
    /// A group of another router in the same file (`v1 := r.Group("/v1")`).
    Group { parent: String, prefix: String },
    /// A koa-router router: under its own prefix, at the root when its mount is not known.
    Koa(String),
}

/// A mount with the routers it joins resolved, once for all the routes that ask.
#[derive(Debug)]
struct Joined {
    reference: Router,
    target: Router,
    prefix: Option<String>,
}

static ASSIGNED: LazyLock<Regex> = LazyLock::new(|| {
    // A declaration list goes on over lines that start with a comma (`var x = 1\n  , app = express()`).
    Regex::new(r"^\s*(?:const |let |var |,\s*)?(\w+)\s*(?::=|=)\s*(?:new )?([\w.]+)\s*\((.*)").expect("valid pattern")
});
const ROOTS: [&str; 12] = [
    "FastAPI",
    "Flask",
    "Quart",
    "Starlette",
    "express",
    "Fastify",
    "fastify",
    "Koa",
    "gin.New",
    "gin.Default",
    "echo.New",
    "fiber.New",
];
const MUXES: [&str; 4] = ["chi.NewRouter", "http.NewServeMux", "mux.NewRouter", "httprouter.New"];

/// Every router and mount in the code, read once. A router's prefix is worked out once and
/// kept: an app with hundreds of routes on one router asks for it hundreds of times.
pub struct Mounts<'a> {
    files: &'a AppFiles,
    mounts: Vec<Joined>,
    prefixes: RefCell<HashMap<Router, Option<String>>>,
    values: RefCell<HashMap<String, Option<String>>>,
    /// Whether the app's own code mounts koa routers (`.use(x.routes())`): then one whose
    /// mount is not followed (built in a loop) still hangs at the root; a library that mounts
    /// them (a plugin loader) may put them anywhere.
    koa_mounts: bool,
}

impl<'a> Mounts<'a> {
    pub fn read(files: &'a AppFiles, code: &[(&'a str, &'a str)]) -> Self {
        let mut found = Vec::new();
        for (path, text) in code {
            found.extend(mount_calls::in_file(path, text));
        }
        let koa_mounts = code.iter().any(|(_, text)| super::koa_routers::mounts_routers(text));
        let mut mounts =
            Mounts { files, mounts: Vec::new(), prefixes: RefCell::default(), values: RefCell::default(), koa_mounts };
        mounts.mounts = found
            .into_iter()
            .map(|m| Joined {
                reference: mounts.resolve(&m.file, &m.reference),
                target: mounts.resolve(&m.file, &m.target),
                prefix: m.prefix,
            })
            .collect();
        mounts
    }

    /// The path under which `receiver`'s routes in `file` answer; `None` when it cannot be
    /// known (a router never mounted, a prefix read from the environment).
    pub fn prefix_of(&self, file: &str, receiver: &str) -> Option<String> {
        let router = self.resolve(file, receiver);
        if let Some(known) = self.prefixes.borrow().get(&router) {
            return known.clone();
        }
        let prefix = self.prefix(&router, &mut HashSet::new());
        self.prefixes.borrow_mut().insert(router, prefix.clone());
        prefix
    }

    /// Whether `receiver` in `file` is a router the code makes (mounted or not), rather than a
    /// parameter whose router is made elsewhere.
    pub fn is_made(&self, file: &str, receiver: &str) -> bool {
        self.made(&self.resolve(file, receiver)).is_some()
    }

    fn prefix(&self, router: &Router, seen: &mut HashSet<Router>) -> Option<String> {
        if !seen.insert(router.clone()) {
            return None;
        }
        let Some(made) = self.made(router) else { return self.passed_in(router, seen) };
        match made {
            // An application mounted into another answers under the mount's path.
            Made::Root => Some(self.mounted_under(router, seen).unwrap_or_default()),
            Made::Group { parent, prefix } => {
                let parent = Router { file: router.file.clone(), name: parent };
                Some(join(&self.outer_prefix(&parent, seen)?, &prefix))
            }
            Made::Mountable(own) => self.mounted_under(router, seen).map(|at| join(&at, &own)),
            Made::Koa(own) => {
                let at = self.mounted_under(router, seen).or_else(|| self.koa_mounts.then(String::new))?;
                Some(join(&at, &own))
            }
        }
    }

    /// The prefix of a Go router taken as a parameter: that of the routers its callers hand
    /// it, when they all answer under one.
    fn passed_in(&self, router: &Router, seen: &mut HashSet<Router>) -> Option<String> {
        if !router.file.ends_with(".go") {
            return None;
        }
        let mut passed = super::go_mounts::passed_to(self.files, router);
        passed.dedup();
        let mut prefixes = passed.iter().map(|caller| self.prefix(caller, &mut seen.clone()));
        let first = prefixes.next()??;
        prefixes.all(|other| other.as_ref() == Some(&first)).then_some(first)
    }

    /// The path a mount of `router` puts it under, its target's prefix included.
    fn mounted_under(&self, router: &Router, seen: &mut HashSet<Router>) -> Option<String> {
        self.mounts.iter().find_map(|mount| {
            if mount.reference != *router {
                return None;
            }
            let outer = self.outer_prefix(&mount.target, seen)?;
            let at = match &mount.prefix {
                Some(value) => self.value_of(value)?,
                None => String::new(),
            };
            Some(join(&outer, &at))
        })
    }

    /// The prefix of a router others hang under. One the code never makes in its file is a
    /// parameter (`func routes(e *echo.Echo)`, `def init_app(app)`); by a conventional name it
    /// is the application itself, at the root, as a route declared on it directly would be.
    fn outer_prefix(&self, router: &Router, seen: &mut HashSet<Router>) -> Option<String> {
        let conventional = super::routes::CONVENTIONAL.contains(&router.name.as_str());
        if conventional && self.made(router).is_none() && self.is_parameter(router) {
            return Some(self.passed_in(router, seen).unwrap_or_default());
        }
        self.prefix(router, seen)
    }

    /// Whether `router` is a parameter of a Go or Python function in its file: `func
    /// initHTTPHandlers(e *echo.Echo, ...)`, `def init_app(app):`. A JavaScript parameter
    /// counts only when it is named `app` and leads a function's parameters (`module.exports =
    /// function (app) {...}`): by Express's convention the application; any other name may be
    /// anything a module hands over, so it stays unknown.
    fn is_parameter(&self, router: &Router) -> bool {
        let Some(text) = self.files.get(&router.file) else { return false };
        let name = regex::escape(&router.name);
        let pattern = if router.file.ends_with(".go") {
            format!(r"func\s+(?:\([^)]*\)\s*)?\w+\s*\([^)]*\b{name}\s+\*?[\w.]+")
        } else if router.file.ends_with(".py") {
            format!(r"def\s+\w+\s*\(\s*{name}\b")
        } else if router.name == "app" {
            r"function\s*[\w$]*\s*\(\s*app\s*[,)]|\(\s*app\s*(?:,[^()=]*)?\)\s*=>|(?:^|[^\w$.])app\s*=>".to_string()
        } else {
            return false;
        };
        Regex::new(&pattern).is_ok_and(|re| re.is_match(text))
    }

    /// How `router` is made, read from its assignment in its file.
    fn made(&self, router: &Router) -> Option<Made> {
        let text = self.files.get(&router.file)?;
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let Some(caps) = ASSIGNED.captures(line) else { continue };
            if caps[1] != router.name || super::comment_lines::commented(line) {
                continue;
            }
            let call = &caps[2];
            // A constructor's arguments may run over the next lines.
            let arguments = std::iter::once(&caps[3])
                .chain(lines.iter().skip(index + 1).take(4).copied())
                .collect::<Vec<_>>()
                .join(" ");
            let factory = router.file.ends_with(".py") && self.root_factory(call);
            if ROOTS.contains(&call) || MUXES.contains(&call) || self.root_subclass(call) || factory {
                return Some(Made::Root);
            }
            if let Some((parent, method)) = call.rsplit_once('.')
                && ["Group", "PathPrefix", "group"].contains(&method)
            {
                let prefix = first_literal(&arguments)?;
                return Some(Made::Group { parent: parent.to_string(), prefix });
            }
            if call.ends_with("APIRouter") || call.ends_with("Blueprint") {
                let prefix = KEYWORD_PREFIX.captures(&arguments).map(|c| c[1].to_string());
                return match prefix {
                    Some(value) => self.value_of(&value).map(Made::Mountable),
                    None => Some(Made::Mountable(String::new())),
                };
            }
            if call.ends_with("Router") && super::koa_routers::is_koa_module(text) {
                return Some(Made::Koa(super::koa_routers::own_prefix(text, &router.name, &arguments)));
            }
            if call.ends_with("Router") {
                return Some(Made::Mountable(String::new()));
            }
        }
        None
    }

    /// Whether `call` is the project's application factory (`app = create_app()`): a function
    /// defined in a Python module that itself makes the application (`Flask(__name__)`), so
    /// what it returns is the application and blueprints registered on it sit at the root.
    fn root_factory(&self, call: &str) -> bool {
        let head = format!("def {call}(");
        let makes_root =
            |text: &str| text.lines().filter_map(|line| ASSIGNED.captures(line)).any(|caps| ROOTS.contains(&&caps[2]));
        let python = self.files.files.iter().filter(|(path, _)| path.ends_with(".py"));
        python.map(|(_, text)| text.as_str()).any(|text| text.lines().any(|l| l.starts_with(&head)) && makes_root(text))
    }

    /// Whether `call` is a class the app's Python code derives from an application class
    /// (`class CustomFlask(Flask):`): an instance is the application itself, so blueprints
    /// registered on it answer under their `url_prefix` alone.
    fn root_subclass(&self, call: &str) -> bool {
        let head = format!("class {call}(");
        let python = self.files.files.iter().filter(|(path, _)| path.ends_with(".py"));
        python.flat_map(|(_, text)| text.lines()).any(|line| {
            line.strip_prefix(&head).and_then(|rest| rest.split_once(')')).is_some_and(|(bases, _)| {
                bases.split(',').any(|base| ROOTS.contains(&base.trim().rsplit('.').next().unwrap_or("")))
            })
        })
    }

    /// A prefix as written: a string literal, or a name assigned a literal somewhere in the code
    /// (`settings.API_V1_STR` and `API_V1_STR: str = "/api/v1"`).
    fn value_of(&self, written: &str) -> Option<String> {
        if let Some(literal) = unquote(written) {
            return Some(literal);
        }
        if let Some(known) = self.values.borrow().get(written) {
            return known.clone();
        }
        let value = self.assigned_literal(written);
        self.values.borrow_mut().insert(written.to_string(), value.clone());
        value
    }

    fn assigned_literal(&self, written: &str) -> Option<String> {
        let name = written.rsplit('.').next()?;
        let assignment =
            Regex::new(&format!(r#"^\s*{}\s*(?::\s*\w+\s*)?=\s*["']([^"'{{}}$]*)["']\s*$"#, regex::escape(name)))
                .ok()?;
        self.files
            .files
            .values()
            .flat_map(|text| text.lines())
            .find_map(|line| assignment.captures(line).map(|c| c[1].to_string()))
    }

    /// The router a name in `file` refers to, following imports: `utils.router` after
    /// `from app.api.routes import utils`, `bp` after `from app.auth import bp`, `routes` after
    /// `const routes = require('./routes')`.
    fn resolve(&self, file: &str, name: &str) -> Router {
        let here = || Router { file: file.to_string(), name: name.to_string() };
        let text = self.files.get(file).unwrap_or("");
        if let Some(module) = name.strip_prefix("require(") {
            // `require('./login')(passport)`: the module's function makes the router.
            let target = unquote(module.split(')').next().unwrap_or("").trim()).unwrap_or_default();
            // `require('./lib/metrics').router`: the router the module exports by that name.
            let property = module.rsplit_once(").").map(|(_, property)| property).filter(|p| !p.contains('('));
            return match (self.script_module(file, &target), property) {
                (Some(found), Some(property)) => {
                    Router { file: found.to_string(), name: exported_as(self.files.get(found).unwrap_or(""), property) }
                }
                (Some(found), None) => self.default_router(found),
                (None, _) => here(),
            };
        }
        let (head, var) = name.split_once('.').unwrap_or((name, ""));
        if let Some((module, imported)) = python_import(text, head) {
            let dotted = if imported.is_empty() { module.clone() } else { format!("{module}.{imported}") };
            // `articles.views.blueprint` after `from conduit import articles`: the name sits in
            // a submodule of the imported package.
            if let Some((submodule, last)) = var.rsplit_once('.')
                && let Some(found) = self.python_module(file, &format!("{dotted}.{submodule}"))
            {
                return Router { file: found.to_string(), name: last.into() };
            }
            // `from pkg import routes` imports a module; `from pkg import bp` a name in one.
            if let Some(found) = self.python_module(file, &dotted) {
                return Router { file: found.to_string(), name: if var.is_empty() { head.into() } else { var.into() } };
            }
            if let Some(found) = self.python_module(file, &module) {
                return Router { file: found.to_string(), name: imported };
            }
        }
        if let Some(target) = script_import(text, head)
            && let Some(found) = self.script_module(file, &target).map(|found| self.reexported(found))
        {
            return match var {
                "" => self.default_router(found),
                // `routes.api` after `const routes = require('./routes')`, whose module exports
                // `{ api: apiRouter }`.
                property => {
                    Router { file: found.to_string(), name: exported_as(self.files.get(found).unwrap_or(""), property) }
                }
            };
        }
        here()
    }

    fn python_module(&self, file: &str, module: &str) -> Option<&'a str> {
        let dots = module.chars().take_while(|c| *c == '.').count();
        let rest = module[dots..].replace('.', "/");
        let base = if dots > 0 {
            let folder: Vec<&str> = file.split('/').collect();
            let keep = folder.len().checked_sub(dots)?;
            let mut parts = folder[..keep].to_vec();
            // `from . import mgmt` names the package itself: its `__init__.py`.
            if !rest.is_empty() {
                parts.push(&rest);
            }
            parts.join("/")
        } else {
            rest
        };
        let candidates = [format!("{base}.py"), format!("{base}/__init__.py")];
        self.files
            .files
            .keys()
            .map(String::as_str)
            .find(|path| candidates.iter().any(|c| path == c || (dots == 0 && path.ends_with(&format!("/{c}")))))
    }

    fn script_module(&self, file: &str, target: &str) -> Option<&'a str> {
        let base = if target.starts_with('.') {
            let folder = file.rsplit_once('/').map_or("", |(f, _)| f);
            normalize(&format!("{folder}/{target}"))
        } else {
            // `@server/routes`: a tsconfig `paths` alias, else a package's module.
            super::ts_aliases::resolve(self.files, file, target)?
        };
        let stems = [base.clone(), format!("{base}/index")];
        // An ES module names the file with its extension (`import posts from './routes/posts.js'`).
        let named_whole =
            |ext: &str| ext.is_empty() && [".js", ".ts", ".mjs", ".cjs"].iter().any(|e| base.ends_with(e));
        self.files.files.keys().map(String::as_str).find(|path| {
            stems.iter().any(|stem| {
                path.strip_prefix(stem.as_str())
                    .is_some_and(|ext| [".js", ".ts", ".mjs", ".cjs"].contains(&ext) || named_whole(ext))
            })
        })
    }

    /// The module an index file passes on whole (`module.exports = require("./routes")`), or
    /// the file itself.
    fn reexported(&self, file: &'a str) -> &'a str {
        let mut file = file;
        for _ in 0..3 {
            let text = self.files.get(file).unwrap_or("");
            let passed = text.lines().find_map(|line| {
                let rest = line.trim().strip_prefix("module.exports = require(")?;
                unquote(rest.trim_end_matches(';').trim_end_matches(')'))
            });
            match passed.and_then(|target| self.script_module(file, &target)) {
                Some(next) if next != file => file = next,
                _ => break,
            }
        }
        file
    }

    /// The router a module exports: the first one it makes.
    fn default_router(&self, file: &str) -> Router {
        let text = self.files.get(file).unwrap_or("");
        let assigned: Vec<_> = text.lines().filter_map(|line| ASSIGNED.captures(line)).collect();
        // A module with no router may make a whole application that its caller mounts
        // (`app.use('/api/v3', require('../api3')(env))`): its routes answer under the mount.
        let name = assigned
            .iter()
            .find(|caps| caps[2].ends_with("Router"))
            .or_else(|| assigned.iter().find(|caps| &caps[2] == "express"))
            .map_or_else(|| "router".to_string(), |caps| caps[1].to_string());
        Router { file: file.to_string(), name }
    }
}

/// The variable a module exports under `property`: `api: apiRouter` in its exported object,
/// `exports.api = apiRouter`, or the property's own name when neither is written.
fn exported_as(text: &str, property: &str) -> String {
    let pattern = Regex::new(&format!(r"(?:^|[\s{{,.]){}\s*[:=]\s*(\w+)", regex::escape(property))).ok();
    pattern
        .and_then(|p| text.lines().find_map(|line| p.captures(line).map(|c| c[1].to_string())))
        .filter(|name| !["require", "new", "function"].contains(&name.as_str()))
        .unwrap_or_else(|| property.to_string())
}

/// `from app.api.routes import utils` → (`app.api.routes`, `utils`) for `utils`; also with
/// `as`, and `import app.api.routes.utils as utils` → (`app.api.routes.utils`, ``).
fn python_import(text: &str, name: &str) -> Option<(String, String)> {
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("from ")
            && let Some((module, names)) = rest.split_once(" import ")
        {
            for item in names.trim_matches(['(', ')', ' ']).split(',') {
                let mut words = item.split_whitespace();
                let imported = words.next().unwrap_or("");
                let alias = match (words.next(), words.next()) {
                    (Some("as"), Some(alias)) => alias,
                    _ => imported,
                };
                if alias == name {
                    return Some((module.trim().to_string(), imported.to_string()));
                }
            }
        }
        if let Some(rest) = line.strip_prefix("import ")
            && let Some((module, alias)) = rest.split_once(" as ")
            && alias.trim() == name
        {
            return Some((module.trim().to_string(), String::new()));
        }
    }
    None
}

/// `const routes = require('./routes')` or `import routes from './routes'` → `./routes`.
fn script_import(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let line = line.trim();
        let required = line
            .split_once(&format!("{name} = require("))
            .filter(|(before, _)| before.trim().is_empty() || ["const", "let", "var"].contains(&before.trim()))
            .and_then(|(_, rest)| unquote(rest.split(')').next()?.trim()));
        required.or_else(|| {
            let rest = line.strip_prefix(&format!("import {name} from "))?;
            unquote(rest.trim_end_matches(';').trim())
        })
    })
}

/// `a/b/../c/./d` → `a/c/d`.
pub(super) fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

pub fn unquote(written: &str) -> Option<String> {
    let written = written.trim();
    let quote = written.chars().next().filter(|c| ['"', '\'', '`'].contains(c))?;
    let inner = written.strip_prefix(quote)?.strip_suffix(quote)?;
    (!inner.contains(['{', '$'])).then(|| inner.to_string())
}

/// The first string literal in `text`.
pub fn first_literal(text: &str) -> Option<String> {
    let start = text.find(['"', '\'', '`'])?;
    let quote = text[start..].chars().next()?;
    let rest = &text[start + 1..];
    rest.find(quote).map(|end| rest[..end].to_string())
}

/// Two path pieces joined with exactly one slash between them: `/api` + `v1/` → `/api/v1/`.
pub fn join(outer: &str, inner: &str) -> String {
    match (outer.trim_end_matches('/'), inner.trim_start_matches('/')) {
        (outer, "") if inner.is_empty() => outer.to_string(),
        (outer, inner) => format!("{outer}/{inner}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(pairs: &[(&str, &str)], file: &str, receiver: &str) -> Option<String> {
        let files = AppFiles::from_pairs(pairs.iter().copied());
        let code: Vec<(&str, &str)> = files.files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        Mounts::read(&files, &code).prefix_of(file, receiver)
    }

    #[test]
    fn fastapi_routers_included_under_a_settings_prefix() {
        let pairs = [
            ("backend/app/core/config.py", "class Settings:\n    API_V1_STR: str = \"/api/v1\"\n"),
            (
                "backend/app/main.py",
                "from app.api.main import api_router\napp = FastAPI()\napp.include_router(api_router, prefix=settings.API_V1_STR)\n",
            ),
            (
                "backend/app/api/main.py",
                "from app.api.routes import utils\napi_router = APIRouter()\napi_router.include_router(utils.router)\n",
            ),
            ("backend/app/api/routes/utils.py", "router = APIRouter(prefix=\"/utils\", tags=[\"utils\"])\n"),
        ];
        assert_eq!(prefix(&pairs, "backend/app/api/routes/utils.py", "router").as_deref(), Some("/api/v1/utils"));
        assert_eq!(prefix(&pairs, "backend/app/main.py", "app").as_deref(), Some(""));
    }

    #[test]
    fn flask_blueprints_registered_with_a_url_prefix() {
        let pairs = [
            (
                "app/__init__.py",
                "def create_app():\n    app = Flask(__name__)\n    from app.auth import bp as auth_bp\n    app.register_blueprint(auth_bp, url_prefix='/auth')\n",
            ),
            ("app/auth/__init__.py", "bp = Blueprint('auth', __name__)\n"),
            ("app/auth/routes.py", "from app.auth import bp\n"),
        ];
        assert_eq!(prefix(&pairs, "app/auth/routes.py", "bp").as_deref(), Some("/auth"));
    }

    /// `from . import mgmt` in a package's views module: the blueprint in its `__init__.py`.
    #[test]
    fn a_blueprint_imported_from_its_own_package() {
        let pairs = [
            ("srv/app.py", "app = Flask(__name__)\nfrom srv.management import mgmt\napp.register_blueprint(mgmt)\n"),
            ("srv/management/__init__.py", "mgmt = Blueprint('mgmt', __name__)\nfrom . import views\n"),
            ("srv/management/views.py", "from . import mgmt\n"),
        ];
        assert_eq!(prefix(&pairs, "srv/management/views.py", "mgmt").as_deref(), Some(""));
    }

    #[test]
    fn an_unmounted_router_or_an_unknown_prefix_is_unknown() {
        let pairs = [
            ("app.py", "app = FastAPI()\napp.include_router(api, prefix=os.environ['ROOT'])\n"),
            ("api.py", "api = APIRouter()\nlost = APIRouter()\n"),
        ];
        assert_eq!(prefix(&pairs, "api.py", "lost"), None);
    }

    #[test]
    fn go_groups_and_express_routers() {
        let go = [("router.go", "g := gin.New()\napi := g.Group(\"/api\")\nv1 := api.Group(\"/v1\")\n")];
        assert_eq!(prefix(&go, "router.go", "v1").as_deref(), Some("/api/v1"));
        assert_eq!(prefix(&go, "router.go", "g").as_deref(), Some(""));
        let express = [
            ("src/app.js", "const app = express();\nconst routes = require('./routes/v1');\napp.use('/v1', routes);\n"),
            ("src/routes/v1/index.js", "const router = express.Router();\n"),
        ];
        assert_eq!(prefix(&express, "src/routes/v1/index.js", "router").as_deref(), Some("/v1"));
        // A router exported as a property of the module, through an index that passes it on.
        let exported = [
            (
                "server/server.js",
                "const app = express();
const routes = require(\"./routes\");
app.use(\"/api\", routes.api);
",
            ),
            (
                "server/routes/index.js",
                "module.exports = require(\"./routes\");
",
            ),
            (
                "server/routes/routes.js",
                "const health = require(\"./health.routes\");
const apiRouter = Router();
apiRouter.use(\"/health\", health);
module.exports = {\n  api: apiRouter,\n};
",
            ),
            (
                "server/routes/health.routes.js",
                "const router = Router();
router.get(\"/\", ok);
",
            ),
        ];
        assert_eq!(prefix(&exported, "server/routes/health.routes.js", "router").as_deref(), Some("/api/health"));
    }

    #[test]
    fn groups_and_blueprints_under_an_application_passed_in() {
        let go = [("cmd/handlers.go", "func initHTTPHandlers(e *echo.Echo) {\n\tg := e.Group(\"/admin\")\n}\n")];
        assert_eq!(prefix(&go, "cmd/handlers.go", "g").as_deref(), Some("/admin"));
        let flask = [
            ("app/handlers/base.py", "routes = Blueprint(\"app\", __name__)\n"),
            (
                "app/handlers/__init__.py",
                "from app.handlers.base import routes\n\ndef init_app(app):\n    app.register_blueprint(routes)\n",
            ),
        ];
        assert_eq!(prefix(&flask, "app/handlers/base.py", "routes").as_deref(), Some(""));
        let package = [
            ("shop/orders/__init__.py", "from . import views\n"),
            ("shop/orders/views.py", "blueprint = Blueprint(\"orders\", __name__)\n"),
            (
                "shop/app.py",
                "from shop import orders\n\ndef setup(app):\n    app.register_blueprint(orders.views.blueprint)\n",
            ),
        ];
        assert_eq!(prefix(&package, "shop/orders/views.py", "blueprint").as_deref(), Some(""));
        let unknown = [("cmd/handlers.go", "func routes(parent *echo.Group) {\n\tg := parent.Group(\"/x\")\n}\n")];
        assert_eq!(prefix(&unknown, "cmd/handlers.go", "g"), None, "a group of a group passed in is anyone's guess");
    }

    #[test]
    fn an_application_mounted_under_a_path() {
        let pairs = [
            (
                "pkg/main.py",
                "from fastapi import FastAPI\nfrom pkg.api.v1.router import app as v1_app\napp = FastAPI(title=\"x\")\napp.mount(os.getenv(\"BASE\", \"\") + \"/api/v1\", v1_app)\napp.mount(\"/static\", StaticFiles(directory=\"static\"), name=\"static\")\n",
            ),
            ("pkg/api/v1/router.py", "from fastapi import FastAPI\napp = FastAPI(\n    title=\"v1\",\n)\n"),
        ];
        assert_eq!(prefix(&pairs, "pkg/api/v1/router.py", "app").as_deref(), Some("/api/v1"));
        assert_eq!(prefix(&pairs, "pkg/main.py", "app").as_deref(), Some(""));
    }

    #[test]
    fn joined_with_one_slash() {
        assert_eq!(join("/api/", "/v1"), "/api/v1");
        assert_eq!(join("", "/health"), "/health");
        assert_eq!(join("/api", ""), "/api");
    }

    #[test]
    fn routers_required_in_a_call_spread_over_lines() {
        let app = "const app = express();\napp.use(\n  '/admin',\n  require('./routes/login')(passport),\n\n  // the rest needs a login\n  require('./routes/panel')\n);\n";
        let pairs = [
            ("app.js", app),
            (
                "routes/login.js",
                "module.exports = function (passport) {\n  const router = express.Router();\n  return router;\n};\n",
            ),
            ("routes/panel.js", "const router = express.Router();\nmodule.exports = router;\n"),
        ];
        assert_eq!(prefix(&pairs, "routes/login.js", "router").as_deref(), Some("/admin"));
        assert_eq!(prefix(&pairs, "routes/panel.js", "router").as_deref(), Some("/admin"));
    }
}
