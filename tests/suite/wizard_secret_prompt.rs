//! The Container step's prompt for where a secret's value comes from (`s`), driven through
//! `update` without a terminal.

use crate::common;

use common::{Harness, walk_to_plan};
use ferry::cloud::sandbox::SandboxOptions;
use ferry::tui::{Loadable, Msg, Overlay, Step};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

const FASTIFY_ENV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/apps/node-fastify-env");

/// The node-shop sandbox with the Fastify app that requires COOKIE_SECRET as its source folder,
/// on the Container step.
async fn at_container_with_fastify() -> Harness {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    let files = ferry::analyze::AppFiles::read(std::path::Path::new(FASTIFY_ENV)).expect("fixture reads");
    h.app.app_folder = Some(ferry::tui::AppFolder::from_flag("/srv/node-fastify-env".into(), files));
    while h.app.step != Step::Container {
        h.press(KeyCode::Enter).await;
    }
    h
}

fn secret_text(h: &Harness) -> String {
    h.app.secret_prompt.as_ref().expect("the secret prompt is open").text()
}

fn denies_cookie(h: &Harness) -> bool {
    h.app.migration().unwrap().plan.denies().iter().any(|c| c.message.contains("COOKIE_SECRET"))
}

/// The secret the plan creates for COOKIE_SECRET, and where it reads the value.
fn cookie_secret_source(h: &Harness) -> Option<ferry::plan::SecretSource> {
    h.app.migration().unwrap().plan.steps.iter().find_map(|step| match &step.action {
        ferry::plan::Action::CreateSecret { name, source, .. } if name.ends_with("/COOKIE_SECRET") => {
            Some(source.clone())
        }
        _ => None,
    })
}

#[tokio::test]
async fn s_gives_a_required_secret_its_source_and_the_plan_creates_it_from_there() {
    let mut h = at_container_with_fastify().await;
    assert!(denies_cookie(&h), "an unsourced required secret is a deny");
    assert_eq!(cookie_secret_source(&h), None);
    assert!(ferry::tui::hints(&h.app).iter().any(|hint| hint.keys == "s"), "the footer offers s");

    h.char('s');
    assert_eq!(h.app.overlay, Some(Overlay::SecretSource));
    assert_eq!(secret_text(&h), "COOKIE_SECRET=env:", "the prompt starts on the secret that lacks a source");
    // q and ? are text here, not quit and help.
    h.type_text("q?");
    assert_eq!(secret_text(&h), "COOKIE_SECRET=env:q?");
    assert!(!h.app.should_quit && h.app.overlay == Some(Overlay::SecretSource));
    h.send(ctrl('u'));
    h.type_text("COOKIE_SECRET=env:NOTES_COOKIE");
    h.key(KeyCode::Enter);

    assert_eq!(h.app.overlay, None, "Enter applies and closes the prompt");
    assert!(h.app.secret_prompt.is_none());
    let expected = ferry::plan::SecretSource::Environment { variable: "NOTES_COOKIE".into() };
    assert_eq!(cookie_secret_source(&h), Some(expected));
    assert!(!denies_cookie(&h), "{:#?}", h.app.migration().unwrap().plan.denies());
    let migration = h.app.migration().unwrap();
    assert_eq!(migration.given.get("COOKIE_SECRET").map(|g| g.describe()).as_deref(), Some("env:NOTES_COOKIE"));
    let status = h.app.status.clone().unwrap_or_default();
    assert!(status.contains("env:NOTES_COOKIE") && status.contains(migration.plan.short_hash()), "{status}");

    // Nothing lacks a source now: the prompt opens empty and lists what was given.
    h.char('s');
    assert_eq!(secret_text(&h), "");
    let screen = h.screen();
    assert!(screen.contains("COOKIE_SECRET=env:NOTES_COOKIE") && screen.contains("has a source"), "{screen}");
    // `NAME=` alone forgets it again.
    h.type_text("COOKIE_SECRET=");
    h.key(KeyCode::Enter);
    assert_eq!(cookie_secret_source(&h), None);
    assert!(denies_cookie(&h));
}

#[tokio::test]
async fn an_invalid_secret_source_is_refused_and_what_was_typed_kept() {
    let mut h = at_container_with_fastify().await;
    let before = h.app.migration().unwrap().clone();
    h.char('s');
    h.send(ctrl('u'));
    h.type_text("COOKIE_SECRET=vault:x");
    h.key(KeyCode::Enter);

    assert_eq!(h.app.overlay, Some(Overlay::SecretSource), "the prompt stays open");
    assert_eq!(secret_text(&h), "COOKIE_SECRET=vault:x", "what was typed is kept");
    let error = h.app.secret_prompt.as_ref().and_then(|p| p.error.clone()).unwrap_or_default();
    assert!(error.contains("neither env:VAR nor file:PATH"), "{error}");
    assert!(h.screen().contains("✗ `vault:x` is neither env:VAR nor file:PATH"), "{}", h.screen());
    assert_eq!(h.app.migration().unwrap(), &before, "the migration is unchanged");

    // Typing clears the error; Esc cancels without a change.
    h.key(KeyCode::Backspace);
    assert!(h.app.secret_prompt.as_ref().is_some_and(|p| p.error.is_none()));
    for entry in ["COOKIE_SECRET", "9LIVES=env:X", "COOKIE_SECRET=env:", "COOKIE_SECRET="] {
        h.send(ctrl('u'));
        h.type_text(entry);
        h.key(KeyCode::Enter);
        let error = h.app.secret_prompt.as_ref().and_then(|p| p.error.clone());
        assert!(error.is_some(), "{entry} is refused");
        assert_eq!(secret_text(&h), entry);
    }
    h.key(KeyCode::Esc);
    assert_eq!(h.app.overlay, None);
    assert_eq!(h.app.migration().unwrap(), &before);
}

#[tokio::test]
async fn planning_again_over_edited_artifacts_asks_first() {
    let mut h = at_container_with_fastify().await;
    h.press(KeyCode::Enter).await;
    h.char('e');
    h.type_text("# kept by hand");
    h.key(KeyCode::Enter);
    h.send(ctrl('s'));
    h.key(KeyCode::Esc);
    assert_eq!(h.app.step, Step::Container);
    let before = h.app.migration().unwrap().clone();

    h.char('s');
    h.send(ctrl('u'));
    h.type_text("COOKIE_SECRET=file:/run/secrets/cookie");
    h.key(KeyCode::Enter);
    let asking = |h: &Harness| {
        matches!(h.app.secret_prompt.as_ref().map(|p| &p.stage), Some(ferry::tui::SecretStage::ConfirmReplace { .. }))
    };
    assert!(asking(&h), "the edit is named before it is replaced");
    assert!(h.screen().contains("You edited the Dockerfile"), "{}", h.screen());
    h.char('n');
    assert!(!asking(&h) && h.app.overlay == Some(Overlay::SecretSource));
    assert_eq!(secret_text(&h), "COOKIE_SECRET=file:/run/secrets/cookie", "n goes back to the entry");
    assert_eq!(h.app.migration().unwrap(), &before);

    h.key(KeyCode::Enter);
    h.char('y');
    assert_eq!(h.app.overlay, None);
    let expected = ferry::plan::SecretSource::File { path: "/run/secrets/cookie".into() };
    assert_eq!(cookie_secret_source(&h), Some(expected));
    assert!(!h.app.migration().unwrap().artifacts.dockerfile.contains("# kept by hand"));
}

#[tokio::test]
async fn secret_sources_are_fixed_while_a_run_is_open() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    common::approve_and_apply(&mut h).await;
    while h.app.step != Step::Container {
        h.key(KeyCode::Esc);
    }
    let before = h.app.migration().unwrap().plan.hash.clone();
    assert!(!ferry::tui::hints(&h.app).iter().any(|hint| hint.keys == "s"), "s is not offered");
    h.char('s');
    assert_eq!(h.app.overlay, None);
    assert!(h.app.secret_prompt.is_none());
    let status = h.app.status.clone().unwrap_or_default();
    assert!(status.starts_with("secret sources are fixed") && status.contains("roll it back"), "{status}");
    assert_eq!(h.app.migration().unwrap().plan.hash, before);
}

#[tokio::test]
async fn s_does_nothing_on_other_steps() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    h.press(KeyCode::Enter).await;
    h.char('s');
    assert_eq!(h.app.overlay, None);
    assert!(h.app.secret_prompt.is_none());
}

#[tokio::test]
async fn discovering_the_instance_again_keeps_the_secret_sources_given() {
    let mut h = at_container_with_fastify().await;
    h.char('s');
    h.send(ctrl('u'));
    h.type_text("COOKIE_SECRET=env:NOTES_COOKIE");
    h.key(KeyCode::Enter);
    while h.app.step != Step::Plan {
        h.press(KeyCode::Enter).await;
    }
    // The account moves on under the plan: the run is refused and Source discovers again.
    let action = ferry::plan::Action::CreateEcrRepository { name: "shop-api".into(), tags: Vec::new() };
    ferry::cloud::Cloud::execute(h.sandbox.as_ref(), &action, &|_| {}).await.unwrap();
    common::approve_and_apply(&mut h).await;
    assert!(matches!(h.app.run.as_ref().map(|r| &r.phase), Some(ferry::tui::RunPhase::Refused { .. })));
    while h.app.step != Step::Source {
        h.key(KeyCode::Esc);
    }
    h.press(KeyCode::Enter).await;
    assert!(matches!(h.app.migration, Loadable::Ready(_)), "discovered again");
    let expected = ferry::plan::SecretSource::Environment { variable: "NOTES_COOKIE".into() };
    assert_eq!(cookie_secret_source(&h), Some(expected));
}
