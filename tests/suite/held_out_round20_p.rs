//! Python failure classes of held-out round 20, each in a small app of its own: an upload folder
//! setting nothing writes to, next to the line that really saves uploads; a Python version
//! pinned to one patch release.

use crate::app_fixtures::{findings, profile_of_files};

use ferry::model::FindingLevel;

const FLASK_REQUIREMENTS: (&str, &str) = ("requirements.txt", "flask==3.0.0\n");

/// `UPLOAD_FOLDER = os.getenv("UPLOAD_FOLDER", "static/samples")` is read by no code: the uploads
/// go where `target.write_bytes(...)` writes them, under `UPLOAD_DIR`, and the blocker cites
/// that write, not the unused setting.
#[test]
fn the_upload_blocker_cites_the_write_not_an_unused_folder_setting() {
    let settings = "import os\nfrom pathlib import Path\n\nclass Config:\n    ROOT = Path(__file__).parent\n    UPLOAD_DIR = ROOT / \"static\" / \"upload\"\n    UPLOAD_FOLDER = os.getenv(\"UPLOAD_FOLDER\", \"static/samples\")\n";
    let media = "from flask import current_app\n\n\ndef keep_picture(picture):\n    target = current_app.config[\"UPLOAD_DIR\"] / picture.filename\n    target = target.with_suffix(\".png\")\n    target.write_bytes(picture.read())\n    return target.name\n";
    let app = "from flask import Flask\n\napp = Flask(__name__)\napp.config.from_object(\"store.settings.Config\")\n";
    let profile = profile_of_files(&[
        FLASK_REQUIREMENTS,
        ("app.py", app),
        ("store/__init__.py", ""),
        ("store/settings.py", settings),
        ("store/media.py", media),
    ]);
    let disk = findings(&profile, "local-disk-writes");
    let cited: Vec<(FindingLevel, &str)> = disk.iter().map(|f| (f.level, f.source.as_str())).collect();
    assert_eq!(cited, [(FindingLevel::Blocker, "store/media.py:7")], "{disk:?}");
}

/// Poetry's `python = "3.10.4"` admits that patch release alone: the image is `python:3.10.4`,
/// since a later 3.10.x makes `poetry install` refuse. A caret range keeps the minor version.
#[test]
fn an_exact_patch_pin_gives_the_exact_image_version() {
    let version = |python: &str| {
        let pyproject = format!(
            "[tool.poetry]\nname = \"ledger\"\nversion = \"0.1.0\"\n\n[tool.poetry.dependencies]\npython = \"{python}\"\nfastapi = \"^0.110\"\n"
        );
        let profile = profile_of_files(&[
            ("pyproject.toml", pyproject.as_str()),
            ("main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
        ]);
        profile.runtime.map(|r| r.version)
    };
    assert_eq!(version("3.10.4").as_deref(), Some("3.10.4"));
    assert_eq!(version("^3.10").as_deref(), Some("3.10"));
    assert_eq!(version(">=3.10.2,<3.13").as_deref(), Some("3.10"));
}
