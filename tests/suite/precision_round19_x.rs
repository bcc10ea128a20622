//! Round 19's precision audit of Python, Go and Java apps (helper x): claims a reading of the
//! code contradicts (a module the default settings never import, a manifest named by a
//! placeholder) and a start that cannot work left unsaid.

use crate::app_fixtures::{findings, profile as fixture, variable};

/// `elif DEPLOY_FLAVOUR == "hosted": from .hosted import *`: the hosted module's
/// `os.environ["SHOP_BUCKET"]` raises only when the operator picks that flavour; with nothing
/// set the branch is skipped and the app starts. No blocker says it cannot; the settings
/// module's own `os.environ["DJANGO_SECRET_KEY"]` stays required.
#[test]
fn a_settings_module_imported_only_for_a_named_mode_requires_nothing_by_default() {
    let app = fixture("django-mode-selected-settings");
    let required: Vec<&str> = findings(&app, "required-env").iter().map(|f| f.source.as_str()).collect();
    assert_eq!(required, ["shop/settings.py:5"], "{:?}", app.findings);
    assert!(!variable(&app, "SHOP_BUCKET").required);
    assert!(!variable(&app, "SHOP_BUCKET_REGION").required);
    assert!(variable(&app, "DJANGO_SECRET_KEY").required);
}

/// A server one folder down with no lockfile: pip's source is a phrase ("default: no
/// lockfile"), and the finding names the manifest the folder holds, not "its manifest".
#[test]
fn a_server_in_a_subfolder_names_the_manifest_it_really_has() {
    let app = fixture("flask-subfolder-pyproject");
    let moved = findings(&app, "server-in-subfolder");
    assert_eq!(moved.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["site/pyproject.toml"]);
    assert!(moved[0].message.contains("site/pyproject.toml"), "{}", moved[0].message);
}

/// `func start() error` returns godotenv.Load's error before `ListenAndServe`, and `main`
/// only logs it: without a .env beside the binary the server never starts, which is said.
#[test]
fn a_dotenv_error_returned_before_the_server_starts_is_a_blocker() {
    let app = fixture("go-dotenv-error-returned");
    let stops: Vec<&str> = findings(&app, "required-env").iter().map(|f| f.source.as_str()).collect();
    assert_eq!(stops, ["main.go:19"], "{:?}", app.findings);
}
