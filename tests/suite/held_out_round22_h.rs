//! Blind round 22's Python leftovers: an entry script that builds its app and starts a
//! production server itself is the start (not gunicorn on a bare module-level object);
//! routes written in docstrings are no routes; a Procfile's file watcher is no worker.

use crate::app_fixtures::{findings, profile_of_files};

/// A Flask project whose module-level object is bare until its factory runs; the entry
/// script's `main()` (reached through the package's imports) serves it with tornado.
const LIBRARY: [(&str, &str); 6] = [
    ("requirements.txt", "Flask>=2\ntornado>=6\n"),
    ("shelf.py", "from shelf_app.boot import main\n\nif __name__ == '__main__':\n    main()\n"),
    ("shelf_app/__init__.py", "from flask import Flask\napp = Flask(__name__)\n\ndef build():\n    return app\n"),
    ("shelf_app/boot.py", "from . import build\n\ndef main():\n    from . import httpd\n    httpd.run(build())\n"),
    ("shelf_app/defaults.py", "QUEUE_PORT = 7001\nDEFAULT_PORT = 8631\n"),
    (
        "shelf_app/httpd.py",
        "from tornado.httpserver import HTTPServer\nfrom tornado.ioloop import IOLoop\nfrom tornado.wsgi import WSGIContainer\nfrom .defaults import DEFAULT_PORT\n\ndef run(app):\n    server = HTTPServer(WSGIContainer(app))\n    server.listen(DEFAULT_PORT)\n    IOLoop.current().start()\n",
    ),
];

#[test]
fn a_script_that_starts_tornado_itself_is_the_start() {
    let profile = profile_of_files(&LIBRARY);
    assert_eq!(profile.start_command, ["python", "shelf.py"], "{}", profile.start_source);
    assert!(profile.start_source.contains("shelf_app/httpd.py:7 (tornado)"), "{}", profile.start_source);
    assert_eq!((profile.port, profile.port_source.as_str()), (8631, "shelf_app/defaults.py:2"));
    assert!(findings(&profile, "no-production-server").is_empty(), "{:?}", profile.findings);
    assert!(profile.added_packages.is_empty(), "{:?}", profile.added_packages);
}

/// A development script that serves with reloading on is never picked over the framework's
/// production server on the real application object.
#[test]
fn a_development_script_does_not_replace_the_derived_server() {
    let profile = profile_of_files(&[
        ("requirements.txt", "Flask>=2\ngunicorn\nwaitress\n"),
        ("wsgi.py", "from flask import Flask\napp = Flask(__name__)\n"),
        (
            "run_dev.py",
            "from waitress import serve\nfrom wsgi import app\nif __name__ == '__main__':\n    serve(app)\n",
        ),
        (
            "serve.py",
            "\"\"\"Serve it with:\n    from waitress import serve\n    serve(app)\n\"\"\"\nfrom wsgi import app\nif __name__ == '__main__':\n    app.run(debug=True)\n",
        ),
    ]);
    assert_eq!(profile.start_command[0], "gunicorn", "{:?}", profile.start_command);
}

/// A login helper's docstring shows `@app.route('/post')` under a login decorator: an example,
/// no route. The app's own blueprint, registered on the application its factory returns,
/// guards `/` and leaves its login page open: that page is the check.
#[test]
fn a_docstring_route_is_no_route_and_the_open_login_page_is_the_check() {
    let profile = profile_of_files(&[
        ("requirements.txt", "Flask>=2\ngunicorn\n"),
        (
            "reader/__init__.py",
            "from flask import Flask\napp = Flask(__name__)\n\ndef create_app():\n    app.config['X'] = 1\n    return app\n",
        ),
        (
            "reader/guards.py",
            "def user_must_log_in(view):\n    \"\"\"Wrap a view, for example::\n\n        @app.route('/post')\n        @login_required\n        def post():\n            pass\n    \"\"\"\n    return view\n",
        ),
        (
            "reader/pages.py",
            "from flask import Blueprint\nfrom .guards import user_must_log_in\npages = Blueprint('pages', __name__)\n\n@pages.route('/')\n@login_required\ndef home():\n    return 'shelf'\n\n@pages.route('/signin', methods=['GET'])\ndef signin():\n    return 'form'\n",
        ),
        (
            "reader/wsgi.py",
            "from . import create_app\n\ndef build():\n    app = create_app()\n    from .pages import pages\n    app.register_blueprint(pages)\n    return app\n",
        ),
    ]);
    assert!(
        !profile.findings.iter().any(|f| f.source.starts_with("reader/guards.py")),
        "a docstring's route: {:?}",
        profile.findings
    );
    assert_eq!((profile.health_check_path.as_str(), profile.health_source.as_str()), ("/signin", "reader/pages.py:10"));
}

/// A Procfile's file watcher (a make target running `watchmedo`, a `sass --watch`) is a
/// developer's tool; a real queue worker beside it still needs its own service.
#[test]
fn a_procfile_file_watcher_is_no_worker() {
    let profile = profile_of_files(&[
        ("requirements.txt", "Django>=4\ngunicorn\n"),
        ("manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n"),
        ("site/settings.py", "SECRET_KEY = 'x'\nROOT_URLCONF = 'site.urls'\n"),
        ("site/wsgi.py", "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"),
        ("Makefile", "styles-live:\n\twatchmedo shell-command --patterns=*.scss --command='make css' styles\n"),
        (
            "Procfile",
            "web: gunicorn site.wsgi\ncss: make styles-live\nicons: npx sass --watch icons:static\nmail: celery -A site worker\n",
        ),
    ]);
    let workers: Vec<&str> = findings(&profile, "worker-process").iter().map(|f| f.message.as_str()).collect();
    assert_eq!(workers.len(), 1, "{workers:?}");
    assert!(workers[0].contains("(mail)"), "{workers:?}");
}
