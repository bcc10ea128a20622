//! Round 23's held-out health classes (helper l): a Next.js API page a login middleware guards
//! or that answers no GET, a Flask app-wide login hook, and routes named for an action.

use crate::app_fixtures::{findings, profile_of_files};

const NEXT_MANIFEST: &str = r#"{"name":"jotter","scripts":{"build":"next build","start":"next start"},"dependencies":{"next":"13.0.0","react":"18.0.0","next-connect":"0.10.0"}}"#;

/// `api().use(needsAuth).post(...)`: a next-connect page behind a login middleware that
/// answers only POST is no route to check; the login page every visitor opens is.
#[test]
fn a_next_connect_page_behind_a_login_middleware_is_no_health_route() {
    let profile = profile_of_files(&[
        ("package.json", NEXT_MANIFEST),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        (
            "pages/index.tsx",
            "export const getServerSideProps = async () => ({ redirect: { destination: '/signin' } })\nexport default function Home() { return null }\n",
        ),
        ("pages/signin.tsx", "export default function SignIn() {\n  return <form method=\"post\" />;\n}\n"),
        (
            "pages/api/bulk.ts",
            "import { router } from 'lib/router';\nimport { needsAuth } from 'lib/guards';\n\nexport default router()\n    .use(needsAuth)\n    .post(async (req, res) => {\n        res.json({ done: true });\n    });\n",
        ),
        (
            "pages/api/sheets.ts",
            "import { router } from 'lib/router';\nimport { needsAuth } from 'lib/guards';\n\nexport default router()\n    .use(needsAuth)\n    .get(async (req, res) => {\n        res.json([]);\n    });\n",
        ),
    ]);
    assert_eq!(
        (profile.health_check_path.as_str(), profile.health_source.as_str()),
        ("/signin", "pages/signin.tsx"),
        "{:?}",
        profile.findings
    );
    assert!(findings(&profile, "no-health-route").is_empty(), "{:?}", profile.findings);
}

/// An open next-connect page that chains a GET handler is still a route to check.
#[test]
fn an_open_next_connect_get_page_is_still_a_route() {
    let profile = profile_of_files(&[
        ("package.json", NEXT_MANIFEST),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        ("pages/api/ping.ts", "export default router()\n    .get((req, res) => res.send('pong'));\n"),
    ]);
    assert_eq!(profile.health_check_path, "/api/ping", "{:?}", profile.findings);
}

const FLASK_HOOK: &str = "from flask import Flask, redirect, request, url_for\nfrom flask_login import current_user\n\napp = Flask(__name__)\n\n\n@app.before_request\ndef gate():\n    public = request.path.startswith(\"/signin\") or request.path.startswith(\"/assets\")\n    if not current_user.is_authenticated and not public:\n        return redirect(url_for(\"signin\"))\n\n\n@app.route(\"/\")\ndef home():\n    return \"shelf\"\n\n\n@app.route(\"/signin\", methods=[\"GET\", \"POST\"])\ndef signin():\n    return \"form\"\n";

/// `@app.before_request` that redirects a visitor without a login guards every route it does
/// not exempt: `/` is never claimed open, the exempt sign-in page is the check.
#[test]
fn a_flask_app_wide_login_hook_guards_the_root() {
    let profile = profile_of_files(&[
        ("requirements.txt", "flask\nflask-login\ngunicorn\n"),
        ("shelf/app.py", FLASK_HOOK),
        ("Procfile", "web: gunicorn shelf.app:app\n"),
    ]);
    assert_eq!(
        (profile.health_check_path.as_str(), profile.health_source.as_str()),
        ("/signin", "shelf/app.py:19"),
        "{:?}",
        profile.findings
    );
    assert!(profile.findings.iter().all(|f| !f.message.contains("the root page, which no login guards")));
    // A hook that only times requests guards nothing: the root stays the open page.
    let timing = FLASK_HOOK.replace(
        "    public = request.path.startswith(\"/signin\") or request.path.startswith(\"/assets\")\n    if not current_user.is_authenticated and not public:\n        return redirect(url_for(\"signin\"))\n",
        "    request.started = 1\n",
    );
    let profile = profile_of_files(&[
        ("requirements.txt", "flask\nflask-login\ngunicorn\n"),
        ("shelf/app.py", &timing),
        ("Procfile", "web: gunicorn shelf.app:app\n"),
    ]);
    assert_eq!(profile.health_check_path, "/", "{:?}", profile.findings);
}

/// With no health route and no open page, a GET route whose path or handler names an action
/// (`/api/mail/moderate`, `reviewApproveHandler`) is no check; a plain read is.
#[test]
fn a_route_named_for_an_action_is_no_health_candidate() {
    let router = "package main\n\nimport \"github.com/gorilla/mux\"\n\nfunc routes(router *mux.Router) {\n\trouter.HandleFunc(\"/api/mail/moderate\", mailModerateHandler).Methods(\"GET\")\n\trouter.HandleFunc(\"/api/rv/ok\", reviewApproveHandler).Methods(\"GET\")\n\trouter.HandleFunc(\"/api/review/new\", reviewNewHandler).Methods(\"POST\")\n\trouter.HandleFunc(\"/api/review/listing\", reviewListHandler).Methods(\"GET\")\n}\n";
    let main = "package main\n\nimport (\n\t\"net/http\"\n\t\"github.com/gorilla/mux\"\n)\n\nfunc main() {\n\tr := mux.NewRouter()\n\troutes(r)\n\thttp.ListenAndServe(\":8080\", r)\n}\n";
    let profile = profile_of_files(&[
        ("go.mod", "module example.com/reviews\n\ngo 1.21\n\nrequire github.com/gorilla/mux v1.8.0\n"),
        ("main.go", main),
        ("router.go", router),
    ]);
    assert_eq!(profile.health_check_path, "/api/review/listing", "{:?}", profile.findings);
}
