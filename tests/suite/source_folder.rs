//! The source-folder prompt on the Container step: open, type, Tab, Enter, Esc, the question
//! about edited artifacts, and the lock while a run is open.

use crate::support;

use crate::common;

use std::path::{Path, PathBuf};

use common::{Harness, approve_and_apply};
use ferry::analyze::AppFiles;
use ferry::cloud::sandbox::SandboxOptions;
use ferry::tui::{AppFolder, Completion, FolderStage, Overlay, Step, complete, hints};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const DJANGO: &str = "tests/fixtures/apps/python-django-gunicorn";

async fn at_container() -> Harness {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    while h.app.step != Step::Container {
        h.press(KeyCode::Enter).await;
    }
    h
}

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).to_string_lossy().into_owned()
}

fn prompt_text(h: &Harness) -> String {
    h.app.folder_prompt.as_ref().expect("the prompt is open").text()
}

fn prompt_error(h: &Harness) -> Option<String> {
    h.app.folder_prompt.as_ref().and_then(|p| p.error.clone())
}

/// Empties the path field, as Backspace held down would.
fn clear_path(h: &mut Harness) {
    for _ in 0..prompt_text(h).chars().count() {
        h.key(KeyCode::Backspace);
    }
    assert_eq!(prompt_text(h), "");
}

fn runtime(h: &Harness) -> String {
    let profile = &h.app.migration().expect("a migration").profile;
    profile.runtime.as_ref().map(|r| r.name.clone()).unwrap_or_default()
}

fn plan_hash(h: &Harness) -> String {
    h.app.migration().expect("a migration").plan.hash.clone()
}

/// Opens the prompt, types `path` in place of what it held, and presses Enter.
fn enter_path(h: &mut Harness, path: &str) {
    h.char('o');
    clear_path(h);
    h.type_text(path);
    h.key(KeyCode::Enter);
}

/// A folder of folders to complete in, and a file that must not be offered.
fn folders() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["alpha-one", "alpha-two", "beta", ".hidden"] {
        std::fs::create_dir(dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("alpha.txt"), "not a folder").unwrap();
    dir
}

#[tokio::test]
async fn o_opens_the_prompt_on_the_working_directory() {
    let mut h = at_container().await;
    assert!(hints(&h.app).iter().any(|hint| hint.keys == "o"), "the footer offers o");
    h.char('o');
    assert_eq!(h.app.overlay, Some(Overlay::SourceFolder));
    let cwd = std::env::current_dir().unwrap();
    assert_eq!(prompt_text(&h), format!("{}/", cwd.display()));
    let labels: Vec<_> = hints(&h.app).iter().map(|hint| hint.label).collect();
    assert_eq!(
        labels,
        ["read this folder", "complete the folder name", "cancel"],
        "the footer shows the prompt's keys"
    );
}

#[tokio::test]
async fn o_does_nothing_on_other_steps() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::LoadBalancer);
    h.char('o');
    assert_eq!(h.app.overlay, None);
}

#[tokio::test]
async fn typing_edits_the_path_and_esc_cancels_without_change() {
    let mut h = at_container().await;
    let before = plan_hash(&h);
    h.char('o');
    clear_path(&mut h);
    h.type_text("/srv/app");
    // q and ? are text here, not quit and help.
    h.type_text("q?");
    assert_eq!(prompt_text(&h), "/srv/appq?");
    h.send(ferry::tui::Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    assert_eq!(prompt_text(&h), "", "Ctrl-U clears the path");
    assert!(!h.quit);
    h.key(KeyCode::Esc);
    assert_eq!(h.app.overlay, None);
    assert!(h.app.folder_prompt.is_none());
    assert_eq!(plan_hash(&h), before);
    assert!(h.app.app_folder.is_none());
}

/// The folder prompt after typing `ROOT/al` and Tab, where `alpha-one` and `alpha-two` share
/// the prefix.
async fn tab_after_alpha() -> (tempfile::TempDir, Harness) {
    let dir = folders();
    let root = dir.path().display().to_string();
    let mut h = at_container().await;
    h.char('o');
    clear_path(&mut h);
    h.type_text(&format!("{root}/al"));
    h.key(KeyCode::Tab);
    (dir, h)
}

#[tokio::test]
async fn tab_completes_folders_and_lists_them_when_ambiguous() {
    let (dir, mut h) = tab_after_alpha().await;
    let root = dir.path().display().to_string();
    assert_eq!(prompt_text(&h), format!("{root}/alpha-"), "Tab extends to what the folders share");
    let prompt = h.app.folder_prompt.as_ref().unwrap();
    assert_eq!(prompt.candidates, ["alpha-one", "alpha-two"], "the file alpha.txt is not offered");
    h.char('t');
    h.key(KeyCode::Tab);
    assert_eq!(prompt_text(&h), format!("{root}/alpha-two/"));
    assert!(h.app.folder_prompt.as_ref().unwrap().candidates.is_empty());
    h.type_text("x");
    h.key(KeyCode::Tab);
    assert!(prompt_error(&h).is_some_and(|e| e.ends_with("starts with x")), "{:?}", prompt_error(&h));
}

#[test]
fn completion_hides_dot_folders_unless_asked_and_says_when_nothing_fits() {
    let dir = folders();
    let root = dir.path().display().to_string();
    match complete(&format!("{root}/")) {
        Completion::Many { names, .. } => assert_eq!(names, ["alpha-one", "alpha-two", "beta"]),
        other => panic!("{other:?}"),
    }
    assert_eq!(complete(&format!("{root}/.h")), Completion::One(format!("{root}/.hidden/")));
    assert_eq!(complete(&format!("{root}/b")), Completion::One(format!("{root}/beta/")));
    assert!(matches!(complete(&format!("{root}/zzz")), Completion::None(reason) if reason.contains("starts with zzz")));
    assert!(matches!(complete("/no/such/place/x"), Completion::None(reason) if reason.contains("cannot list")));
}

#[tokio::test]
async fn enter_reads_the_folder_and_analyses_again() {
    let mut h = at_container().await;
    assert_eq!(runtime(&h), "node");
    let before = h.app.migration().unwrap().artifacts.clone();
    enter_path(&mut h, &fixture(DJANGO));
    assert!(
        matches!(h.app.folder_prompt.as_ref().map(|p| &p.stage), Some(FolderStage::Reading { .. })),
        "the read runs off the UI thread"
    );
    assert_eq!(hints(&h.app).iter().map(|hint| hint.keys).collect::<Vec<_>>(), ["Esc"]);
    h.settle().await;
    assert_eq!(h.app.overlay, None, "the prompt closes once the folder is read");
    assert_eq!(runtime(&h), "python");
    let migration = h.app.migration().unwrap();
    assert!(migration.profile.start_command.iter().any(|w| w == "gunicorn"));
    assert!(migration.artifacts.dockerfile.contains("python"), "the Dockerfile is generated for the new runtime");
    assert_ne!(migration.artifacts, before, "the artifacts are generated again");
    let folder = h.app.app_folder.as_ref().expect("the folder is kept");
    assert_eq!(folder.origin, "chosen here");
    assert!(folder.path.ends_with("python-django-gunicorn"));
    let status = h.app.status.clone().unwrap_or_default();
    assert!(status.contains("runtime python"), "{status}");
    let screen = h.screen();
    assert!(screen.contains("python-django-gunicorn") && screen.contains("← chosen here"), "{screen}");
    assert!(screen.contains("← shop/settings.py:"), "facts and findings name their files: {screen}");
}

#[tokio::test]
async fn a_bad_path_is_shown_in_the_prompt_and_the_analysis_stays() {
    let mut h = at_container().await;
    let before = plan_hash(&h);
    enter_path(&mut h, "/no/such/folder");
    h.settle().await;
    assert_eq!(h.app.overlay, Some(Overlay::SourceFolder), "the prompt stays open to fix the path");
    assert_eq!(prompt_error(&h).as_deref(), Some("/no/such/folder does not exist"));
    assert_eq!(prompt_text(&h), "/no/such/folder", "what was typed is kept");
    assert_eq!(plan_hash(&h), before);
    assert_eq!(runtime(&h), "node");

    // A file is not a folder; an empty folder has nothing to read.
    clear_path(&mut h);
    h.type_text(&fixture(&format!("{DJANGO}/manage.py")));
    h.press(KeyCode::Enter).await;
    assert!(prompt_error(&h).is_some_and(|e| e.ends_with("manage.py is not a folder")), "{:?}", prompt_error(&h));
    let empty = tempfile::tempdir().unwrap();
    clear_path(&mut h);
    h.type_text(&empty.path().display().to_string());
    h.press(KeyCode::Enter).await;
    assert!(prompt_error(&h).is_some_and(|e| e.contains("holds no files")), "{:?}", prompt_error(&h));
    assert_eq!(plan_hash(&h), before);

    // Typing again clears the error.
    h.char('x');
    assert_eq!(prompt_error(&h), None);
}

#[tokio::test]
async fn an_empty_path_is_refused_without_reading() {
    let mut h = at_container().await;
    h.char('o');
    clear_path(&mut h);
    h.key(KeyCode::Enter);
    assert!(prompt_error(&h).is_some_and(|e| e.contains("type the path")));
    assert!(matches!(h.app.folder_prompt.as_ref().map(|p| &p.stage), Some(FolderStage::Editing)));
}

#[tokio::test]
async fn esc_while_reading_drops_the_late_answer() {
    let mut h = at_container().await;
    let before = plan_hash(&h);
    enter_path(&mut h, &fixture(DJANGO));
    h.key(KeyCode::Esc);
    assert_eq!(h.app.overlay, None);
    h.settle().await;
    assert_eq!(plan_hash(&h), before, "an abandoned read changes nothing");
    assert!(h.app.app_folder.is_none());
}

/// Edits the Dockerfile on the Service step, saves it, and comes back to Container.
async fn edit_dockerfile(h: &mut Harness) {
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Service);
    h.char('e');
    h.type_text("# kept by hand");
    h.key(KeyCode::Enter);
    h.send(ferry::tui::Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
    assert!(h.app.screens.service.editor.is_none(), "the edit is saved");
    h.key(KeyCode::Esc);
    assert_eq!(h.app.step, Step::Container);
}

#[tokio::test]
async fn edited_artifacts_are_named_and_replaced_only_on_yes() {
    let mut h = at_container().await;
    edit_dockerfile(&mut h).await;
    let edited = plan_hash(&h);
    enter_path(&mut h, &fixture(DJANGO));
    let stage = h.app.folder_prompt.as_ref().map(|p| p.stage.clone());
    assert_eq!(stage, Some(FolderStage::ConfirmReplace { edited: vec!["Dockerfile"] }), "Enter asks first");
    assert!(h.screen().contains("You edited the Dockerfile"), "{}", h.screen());

    // n goes back to the path and reads nothing.
    h.press(KeyCode::Char('n')).await;
    assert!(matches!(h.app.folder_prompt.as_ref().map(|p| &p.stage), Some(FolderStage::Editing)));
    assert_eq!(plan_hash(&h), edited);
    assert!(h.app.migration().unwrap().artifacts.dockerfile.contains("# kept by hand"));

    // y reads, and the generated Dockerfile replaces the edit.
    h.key(KeyCode::Enter);
    h.press(KeyCode::Char('y')).await;
    assert_eq!(h.app.overlay, None);
    assert_eq!(runtime(&h), "python");
    assert!(!h.app.migration().unwrap().artifacts.dockerfile.contains("# kept by hand"));
}

#[tokio::test]
async fn unedited_artifacts_are_not_asked_about() {
    let mut h = at_container().await;
    enter_path(&mut h, &fixture(DJANGO));
    assert!(matches!(h.app.folder_prompt.as_ref().map(|p| &p.stage), Some(FolderStage::Reading { .. })));
    h.settle().await;
}

#[tokio::test]
async fn the_folder_is_fixed_while_a_run_is_open() {
    let mut h = at_container().await;
    while h.app.step != Step::Plan {
        h.press(KeyCode::Enter).await;
    }
    approve_and_apply(&mut h).await;
    while h.app.step != Step::Container {
        h.key(KeyCode::Esc);
    }
    assert!(!hints(&h.app).iter().any(|hint| hint.keys == "o"), "o is not offered");
    h.char('o');
    assert_eq!(h.app.overlay, None);
    let status = h.app.status.clone().unwrap_or_default();
    assert!(status.contains("the plan is what was approved") || status.contains("roll it back"), "{status}");
    assert!(h.screen().contains("roll it back (r on Apply) to analyse again"), "{}", h.screen());
}

#[tokio::test]
async fn a_folder_given_at_start_is_analysed_with_discovery() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    h.app.app_folder = Some(folder_from_flag());
    while h.app.step != Step::Container {
        h.press(KeyCode::Enter).await;
    }
    assert_eq!(runtime(&h), "python");
    // The prompt opens on the folder in use.
    h.char('o');
    assert_eq!(prompt_text(&h), "/srv/python-django-gunicorn/");
}

/// The Django fixture as `--app` would hand it over, shown at a path that is the same everywhere.
fn folder_from_flag() -> AppFolder {
    let files = AppFiles::read(Path::new(&fixture(DJANGO))).expect("fixture reads");
    AppFolder::from_flag(PathBuf::from("/srv/python-django-gunicorn"), files)
}

fn assert_screen(name: &str, screen: &str, root: Option<&str>) {
    let mut filters = vec![];
    if let Some(root) = root {
        filters.push((regex_escape(root), "[tmp]"));
    }
    let filters: Vec<(&str, &str)> = filters.iter().map(|(a, b)| (a.as_str(), *b)).collect();
    insta::with_settings!({ filters => filters, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, screen);
    });
}

fn regex_escape(text: &str) -> String {
    text.chars().map(|c| if c.is_alphanumeric() || c == '/' { c.to_string() } else { format!("\\{c}") }).collect()
}

#[tokio::test]
async fn snapshot_container_with_a_folder() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    h.app.app_folder = Some(folder_from_flag());
    while h.app.step != Step::Container {
        h.press(KeyCode::Enter).await;
    }
    assert_screen("05_container_source_folder", &h.screen(), None);
}

#[tokio::test]
async fn snapshot_prompt_with_candidates() {
    let (dir, h) = tab_after_alpha().await;
    let root = dir.path().display().to_string();
    assert_screen("05_container_folder_prompt", &h.screen(), Some(&root));
}

#[tokio::test]
async fn snapshot_prompt_with_an_error() {
    let mut h = at_container().await;
    enter_path(&mut h, "/no/such/folder");
    h.settle().await;
    assert_screen("05_container_folder_error", &h.screen(), None);
}

#[tokio::test]
async fn snapshot_prompt_asking_about_edits() {
    let mut h = at_container().await;
    edit_dockerfile(&mut h).await;
    enter_path(&mut h, "/srv/python-django-gunicorn");
    assert_screen("05_container_folder_confirm", &h.screen(), None);
}

#[tokio::test]
async fn the_prompt_and_the_container_step_draw_in_tiny_terminals() {
    let dir = folders();
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    h.app.app_folder = Some(folder_from_flag());
    while h.app.step != Step::Container {
        h.press(KeyCode::Enter).await;
    }
    let sizes = [(1, 1), (10, 4), (30, 8), (50, 12), (80, 24)];
    for (width, height) in sizes {
        common::render(&h.app, width, height);
    }
    h.char('o');
    clear_path(&mut h);
    h.type_text(&format!("{}/", dir.path().display()));
    h.key(KeyCode::Tab);
    for (width, height) in sizes {
        common::render(&h.app, width, height);
    }
}

/// The real binary, as an operator starts it.
fn ferry(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(args)
        .env("FERRY_STATE_DIR", support::run_state::scratch_state())
        .output()
        .expect("ferry runs")
}

#[test]
fn a_bad_app_folder_stops_the_wizard_before_it_opens() {
    for args in [["demo", "--app", "/no/such/app"].as_slice(), ["--app", "/no/such/app"].as_slice()] {
        let output = ferry(args);
        assert!(!output.status.success());
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains("cannot read the application folder /no/such/app"), "{args:?}: {err}");
        assert!(!String::from_utf8_lossy(&output.stdout).contains("\u{1b}[?1049h"), "the terminal was not taken over");
    }
    let output = ferry(&["--app", DJANGO, "discover", "--sandbox", "node-shop"]);
    assert!(!output.status.success(), "--app before a headless command is refused, not ignored");
    assert!(String::from_utf8_lossy(&output.stderr).contains("put it after the command"));
}
