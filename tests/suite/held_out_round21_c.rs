//! Round 21's held-out Python findings the code contradicts (helper c): a key made at random in
//! the testing config class production never loads, a rate limiter whose storage sits lines
//! below its opening, blueprints registered on an app made from a Flask subclass, a Node.js
//! stage whose output the repository already commits, and pytest's worker variable.

use crate::app_fixtures::{findings, profile_of_files, variable};

use ferry::model::{AppProfile, VariableScope};

const CONFIG: &str = "import os\nfrom uuid import uuid4\n\nWORKER = os.getenv(\"PYTEST_XDIST_WORKER\", \"\")\n\n\nclass BaseConfig:\n    DEBUG = False\n\n\nclass TestingConfig(BaseConfig):\n    TESTING = True\n    SECRET_KEY = uuid4().hex\n\n\nclass ProductionConfig(BaseConfig):\n    SECRET_KEY = os.getenv(\"LEDGER_SECRET_KEY\")\n";

const INIT: &str = "import os\n\nfrom flask import Flask\nfrom flask_limiter import Limiter\nfrom flask_limiter.util import get_remote_address\n\nCACHE_URL = os.getenv(\"CACHE_URL\", \"redis://cache:6379\")\nLIMITS = os.getenv(\"LEDGER_LIMITS\")\n\nlimiter = Limiter(\n    key_func=get_remote_address,\n    default_limits=(\n        LIMITS.split(\",\")\n        if LIMITS\n        else None\n    ),\n    default_limits_per_method=True,\n    headers_enabled=True,\n    strategy=\"fixed-window\",\n    storage_uri=CACHE_URL,\n)\n\n\nclass LedgerApp(Flask):\n    pass\n\n\ndef create_app():\n    app = LedgerApp(__name__)\n    app.config.from_object(\"ledger.config.ProductionConfig\")\n    from .status.views import status_bp\n    from .books.views import books_bp\n\n    app.register_blueprint(books_bp, url_prefix=\"/api\")\n    app.register_blueprint(status_bp, url_prefix=\"/api\")\n    limiter.init_app(app)\n    return app\n";

const STATUS: &str = "from flask import Blueprint\n\nstatus_bp = Blueprint(\"status\", __name__)\n\n\n@status_bp.route(\"/ping\", methods=[\"GET\"])\ndef alive():\n    return {\"status\": \"ok\"}\n";

const BOOKS: &str = "from flask import Blueprint\n\nbooks_bp = Blueprint(\"books\", __name__)\n\n\n@books_bp.route(\"/books\", methods=[\"GET\"])\ndef books():\n    return []\n";

const DOCKERFILE: &str = "FROM node:22-alpine AS web\nWORKDIR /srv/web\nCOPY web/package.json web/\nRUN npm install && npm run build\n\nFROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\nCOPY --from=web /srv/ledger/dist /srv/ledger/dist\nCMD [\"gunicorn\", \"ledger:create_app()\"]\n";

/// The ledger app, with its built client committed under `ledger/dist/` or not.
fn ledger(committed_client: bool) -> AppProfile {
    let mut files = vec![
        ("requirements.txt", "flask\nflask-limiter\ngunicorn\n"),
        ("Dockerfile", DOCKERFILE),
        ("ledger/__init__.py", INIT),
        ("ledger/config.py", CONFIG),
        ("ledger/status/__init__.py", ""),
        ("ledger/status/views.py", STATUS),
        ("ledger/books/__init__.py", ""),
        ("ledger/books/views.py", BOOKS),
    ];
    if committed_client {
        files.push(("ledger/dist/index.html", "<!doctype html><div id=\"app\"></div>\n"));
    }
    profile_of_files(&files)
}

/// `SECRET_KEY = uuid4().hex` in `class TestingConfig(BaseConfig):` is the tests' key: the
/// production class reads its own from a variable, so no task makes a key of its own.
#[test]
fn a_random_key_in_the_testing_config_class_is_not_productions() {
    let app = ledger(true);
    let said = findings(&app, "per-process-secret");
    assert!(said.is_empty(), "{said:?}");
}

/// A `Limiter(` call over many lines hands its `storage_uri` far below the opening line: the
/// counts are shared, not kept in memory.
#[test]
fn a_limiter_given_storage_lines_below_its_opening_counts_in_the_store() {
    let app = ledger(true);
    let said = findings(&app, "in-memory-rate-limit");
    assert!(said.is_empty(), "{said:?}");
}

/// The app is an instance of `class LedgerApp(Flask)`: the status blueprint registered on it
/// with `url_prefix="/api"` answers at `/api/ping`.
#[test]
fn a_blueprint_on_a_flask_subclass_answers_under_its_prefix() {
    let app = ledger(true);
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/api/ping", "ledger/status/views.py:6"));
}

/// The Node.js stage's output (`/srv/ledger/dist`) is committed as `ledger/dist/`: ferry's
/// image has it without the stage. Without it committed, the warning stays.
#[test]
fn a_node_stage_whose_output_is_committed_is_not_needed() {
    let committed = ledger(true);
    let said = findings(&committed, "build-needs-frontend");
    assert!(said.is_empty(), "{said:?}");
    let missing = ledger(false);
    let said = findings(&missing, "build-needs-frontend");
    assert_eq!(said.len(), 1, "{:?}", missing.findings);
    assert_eq!(said[0].source, "Dockerfile:10");
}

/// pytest-xdist sets `PYTEST_XDIST_WORKER` for its workers; no service does.
#[test]
fn pytests_worker_variable_is_tooling() {
    let app = ledger(true);
    assert_eq!(variable(&app, "PYTEST_XDIST_WORKER").scope, VariableScope::Tooling);
}

const ENVIRONS_SETTINGS: &str = "from environs import Env\n\nenv = Env()\nenv.read_env()\n\nDOMAIN = env(\"DOMAIN\")\nMAIL_FROM_DOMAIN = env(\"MAIL_FROM_DOMAIN\", DOMAIN)\nCACHE_HOST = env(\"CACHE_HOST\", \"cache\")\nCACHE_URL = env(\n    \"CACHE_URL\",\n    f\"redis://{CACHE_HOST}:6379/0\",\n)\nTRACE_ENDPOINT = env(\"TRACE_ENDPOINT\", None)\n";

const WORKER_SETTINGS: &str = "from shelf.settings import *  # noqa\n\nQUEUE_URL = env(\"QUEUE_URL\", CACHE_URL.replace(\"unix:\", \"redis+socket:\"))\n";

/// environs' `env("X", fallback)` takes its default second, whatever it is: a name, an
/// f-string over lines, `None`, an expression; also in a module that star-imports `env`.
/// Only the read with nothing after the name is required.
#[test]
fn an_environs_read_with_any_default_is_not_required() {
    let app = profile_of_files(&[
        ("requirements.txt", "django\nenvirons\ngunicorn\n"),
        ("shelf/settings.py", ENVIRONS_SETTINGS),
        ("worker/settings.py", WORKER_SETTINGS),
    ]);
    for name in ["MAIL_FROM_DOMAIN", "CACHE_URL", "TRACE_ENDPOINT", "QUEUE_URL"] {
        assert!(!variable(&app, name).required, "{name}");
    }
    assert!(variable(&app, "DOMAIN").required);
}
