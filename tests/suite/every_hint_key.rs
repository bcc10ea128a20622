//! Every key a screen shows does something there. The wizard is walked on the sandbox to each
//! of its steps and boxes, and the inventory browser to its table and details; on each, every
//! key of every action its hints name is pressed on a fresh copy of the screen, and something
//! must change: the frame (text and styles, at two sizes), the status line, or the command
//! returned. A key shown that does nothing fails.

use crate::common;

use std::future::Future;
use std::sync::Arc;

use common::{Harness, walk_to_plan};
use ferry::cloud::ReadCloud;
use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::tui::actions::Keymap;
use ferry::tui::inventory::{
    InventoryApp, InventoryCommand, InventoryMsg, detail_hints, spawn_inventory_command, table_hints, update_inventory,
    view_inventory,
};
use ferry::tui::{Hint, Loadable, Msg, Overlay, Step, hints, update, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// The sizes each frame is drawn at: a pane that fits at one may scroll at the other.
const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

/// A screen to look at and press keys on.
trait Screen {
    fn hints(&self) -> Vec<Hint>;
    fn keymap(&self) -> Keymap;
    /// Presses `key`; whether it returned a command.
    fn press(&mut self, key: KeyEvent) -> bool;
    /// Clears the status line, as every key does first: a line cleared is no sign of a key acting.
    fn clear_status(&mut self);
    /// What a person sees: the frames, and the status line.
    fn look(&self) -> (Vec<Buffer>, String);
    /// Which screen it is, for telling a key that moves within it from one that leaves it.
    fn place(&self) -> String;
}

fn frames(draw: impl Fn(&mut ratatui::Frame)) -> Vec<Buffer> {
    SIZES
        .iter()
        .map(|(width, height)| {
            let mut terminal = Terminal::new(TestBackend::new(*width, *height)).unwrap();
            terminal.draw(&draw).unwrap();
            terminal.backend().buffer().clone()
        })
        .collect()
}

/// The wizard on the sandbox, and the folder its runs are journaled in, when it has one.
struct Wizard {
    h: Harness,
    _runs: Option<tempfile::TempDir>,
}

impl Screen for Wizard {
    fn hints(&self) -> Vec<Hint> {
        hints(&self.h.app)
    }

    fn keymap(&self) -> Keymap {
        self.h.app.keymap.as_ref().clone()
    }

    fn press(&mut self, key: KeyEvent) -> bool {
        update(&mut self.h.app, Msg::Key(key)).is_some()
    }

    fn clear_status(&mut self) {
        self.h.app.status = None;
    }

    fn look(&self) -> (Vec<Buffer>, String) {
        (frames(|frame| view(&self.h.app, frame)), format!("{:?}", self.h.app.status))
    }

    fn place(&self) -> String {
        let labels: Vec<&str> = self.hints().iter().map(|h| h.label).collect();
        format!("{:?} {:?} {labels:?}", self.h.app.step, self.h.app.overlay)
    }
}

/// The inventory browser on the sandbox.
struct Browser {
    app: InventoryApp,
    cloud: Arc<dyn ReadCloud>,
    tx: UnboundedSender<InventoryMsg>,
    rx: UnboundedReceiver<InventoryMsg>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Browser {
    async fn open() -> Browser {
        let cloud: Arc<dyn ReadCloud> = Arc::new(Sandbox::load("node-shop", SandboxOptions::instant()).unwrap());
        let (tx, rx) = unbounded_channel();
        let mut browser = Browser { app: InventoryApp::new("node-shop"), cloud, tx, rx, tasks: Vec::new() };
        browser.run(InventoryCommand::Load);
        browser.settle().await;
        browser
    }

    fn run(&mut self, command: InventoryCommand) {
        self.tasks.extend(spawn_inventory_command(command, &self.cloud, self.tx.clone()));
    }

    fn key(&mut self, code: KeyCode) {
        let msg = InventoryMsg::Key(KeyEvent::new(code, KeyModifiers::NONE));
        if let Some(command) = update_inventory(&mut self.app, msg) {
            self.run(command);
        }
    }

    async fn settle(&mut self) {
        while !self.tasks.is_empty() {
            for task in std::mem::take(&mut self.tasks) {
                task.await.unwrap();
            }
            while let Ok(msg) = self.rx.try_recv() {
                if let Some(command) = update_inventory(&mut self.app, msg) {
                    self.run(command);
                }
            }
        }
    }
}

impl Screen for Browser {
    fn hints(&self) -> Vec<Hint> {
        match self.app.details {
            Some(_) => detail_hints(&self.app.keymap),
            None => table_hints(&self.app.keymap),
        }
    }

    fn keymap(&self) -> Keymap {
        self.app.keymap.as_ref().clone()
    }

    fn press(&mut self, key: KeyEvent) -> bool {
        update_inventory(&mut self.app, InventoryMsg::Key(key)).is_some()
    }

    fn clear_status(&mut self) {
        self.app.status = None;
    }

    fn look(&self) -> (Vec<Buffer>, String) {
        (frames(|frame| view_inventory(&self.app, frame)), format!("{:?}", self.app.status))
    }

    fn place(&self) -> String {
        let app = &self.app;
        format!("{:?} {} {} {}", app.kind, app.details.is_some(), app.prompt.is_some(), app.help)
    }
}

/// Presses `key`: whether anything a person or the runtime sees changed.
fn changes(screen: &mut impl Screen, key: KeyEvent) -> bool {
    screen.clear_status();
    let before = screen.look();
    let command = screen.press(key);
    command || screen.look() != before
}

/// Whether `key` acts on the screen `build` makes: at once, or after one of the `other` keys
/// shown there that keeps to that screen (↑ at the top of a list acts once ↓ has moved).
async fn acts<S: Screen, F: Future<Output = S>>(build: &impl Fn() -> F, key: KeyEvent, other: &[KeyEvent]) -> bool {
    if changes(&mut build().await, key) {
        return true;
    }
    for first in other.iter().copied().filter(|f| *f != key) {
        let mut screen = build().await;
        let place = screen.place();
        screen.press(first);
        if screen.place() == place && changes(&mut screen, key) {
            return true;
        }
    }
    false
}

/// Checks every key the screen `build` makes shows; returns how many keys were pressed.
async fn every_shown_key_acts<S: Screen, F: Future<Output = S>>(name: &str, build: impl Fn() -> F) -> usize {
    let screen = build().await;
    let (shown, keymap) = (screen.hints(), screen.keymap());
    assert!(!shown.is_empty(), "{name} shows no keys");
    let firsts: Vec<KeyEvent> =
        shown.iter().flat_map(Hint::actions).filter_map(|a| keymap.keys_of(a).first().map(|k| k.event())).collect();
    let mut pressed = 0;
    for hint in &shown {
        shows_only_its_keys(name, hint, &keymap);
        for action in hint.actions() {
            for key in keymap.keys_of(action) {
                let what = format!("{name}: {key}, shown as `{} {}`", hint.keys, hint.label);
                assert!(acts(&build, key.event(), &firsts).await, "{what}, changes nothing");
                pressed += 1;
            }
        }
    }
    pressed
}

/// The hint's keys, read back through the keymap: nothing but the keys of its actions.
fn shows_only_its_keys(name: &str, hint: &Hint, keymap: &Keymap) {
    assert!(hint.actions().count() > 0, "{name}: `{} {}` names no action", hint.keys, hint.label);
    let mut keys: Vec<String> = hint.actions().flat_map(|a| keymap.keys_of(a).iter().map(|k| k.to_string())).collect();
    keys.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
    let rest = keys.iter().fold(hint.keys.to_string(), |rest, key| rest.replacen(key.as_str(), "", 1));
    assert!(rest.chars().all(|c| c == '/' || c == ' '), "{name}: `{}` shows keys it has not: {rest:?}", hint.keys);
}

fn wizard(h: Harness) -> Wizard {
    Wizard { h, _runs: None }
}

async fn demo() -> Harness {
    Harness::demo(SandboxOptions::instant()).await
}

/// The demo walked with Enter to `step` (at most Plan).
async fn on(step: Step) -> Harness {
    let mut h = demo().await;
    while h.app.step != step {
        h.press(KeyCode::Enter).await;
    }
    h
}

/// The demo's plan applied, on the Apply step.
async fn applied() -> Harness {
    let mut h = demo().await;
    walk_to_plan(&mut h).await;
    common::approve_and_apply(&mut h).await;
    h
}

/// A run that failed at its secret step: the question after a failure is open.
async fn failed() -> Harness {
    let options = SandboxOptions { fail_at: Some("create-secret".parse().unwrap()), ..SandboxOptions::instant() };
    let mut h = Harness::demo(options).await;
    walk_to_plan(&mut h).await;
    common::approve_and_apply(&mut h).await;
    assert_eq!(h.app.overlay, Some(Overlay::FailureChoice));
    h
}

/// The artifacts edited by hand: reading a folder or planning again would replace them.
fn edit_the_artifacts(h: &mut Harness) {
    if let Loadable::Ready(migration) = &mut h.app.migration {
        let mut artifacts = migration.artifacts.clone();
        let pair = ferry::model::KeyValuePair { name: "LOG_LEVEL".into(), value: "debug".into() };
        artifacts.service_config.primary_container.environment.push(pair);
        **migration = migration.as_ref().clone().with_artifacts(artifacts);
    }
}

#[tokio::test]
async fn every_key_each_step_shows_acts() {
    let mut pressed = 0;
    for step in [Step::Source, Step::LoadBalancer, Step::Iam, Step::DataStores, Step::Container, Step::Service] {
        pressed += every_shown_key_acts(&format!("{step:?}"), || async move { wizard(on(step).await) }).await;
    }
    pressed += every_shown_key_acts("Plan", || async { wizard(on(Step::Plan).await) }).await;
    let editor = || async {
        let mut h = on(Step::Service).await;
        h.char('e');
        wizard(h)
    };
    pressed += every_shown_key_acts("the Service editor", editor).await;
    let read_only = || async {
        let mut h = Harness::read_only(Sandbox::load("node-shop", SandboxOptions::instant()).unwrap()).await;
        walk_to_plan(&mut h).await;
        wizard(h)
    };
    pressed += every_shown_key_acts("Plan, read only", read_only).await;
    let help = || async {
        let mut h = on(Step::DataStores).await;
        h.char('?');
        wizard(h)
    };
    pressed += every_shown_key_acts("help over Data stores", help).await;
    assert!(pressed >= 60, "{pressed} keys pressed");
}

#[tokio::test]
async fn every_key_an_edited_service_step_shows_acts() {
    let edited = |keys: &'static str| async move {
        let mut h = on(Step::Service).await;
        edit_the_artifacts(&mut h);
        h.key(KeyCode::Tab);
        h.type_text(keys);
        // Drawn once, as the terminal does before the footer: the panes' sizes are known, so
        // their scroll keys are shown where they can move.
        h.screen();
        wizard(h)
    };
    let mut pressed = every_shown_key_acts("Service, service.json edited", || edited("")).await;
    pressed += every_shown_key_acts("Service, the diff", || edited("d")).await;
    pressed += every_shown_key_acts("Service, asked to revert", || edited("u")).await;
    let invalid = || async {
        let mut h = on(Step::Service).await;
        if let Loadable::Ready(migration) = &mut h.app.migration {
            let mut artifacts = migration.artifacts.clone();
            artifacts.service_config.cpu = "999".into();
            **migration = migration.as_ref().clone().with_artifacts(artifacts);
        }
        h.key(KeyCode::Enter);
        wizard(h)
    };
    pressed += every_shown_key_acts("Plan, not valid", invalid).await;
    assert!(pressed >= 25, "{pressed} keys pressed");
}

#[tokio::test]
async fn every_key_the_steps_of_a_run_show_acts() {
    let back = |times: usize| async move {
        let mut h = applied().await;
        (0..times).for_each(|_| h.key(KeyCode::Esc));
        wizard(h)
    };
    let mut pressed = every_shown_key_acts("Apply, applied", || back(0)).await;
    pressed += every_shown_key_acts("Plan with a run", || back(1)).await;
    pressed += every_shown_key_acts("Container while a run stands", || back(3)).await;
    let verify = || async {
        let mut h = applied().await;
        h.key(KeyCode::Enter);
        wizard(h)
    };
    pressed += every_shown_key_acts("Verify", verify).await;
    let running = || async {
        let mut h = demo().await;
        walk_to_plan(&mut h).await;
        common::approve(&mut h);
        // Confirmed, its command not run: the run stands where it starts.
        assert!(update(&mut h.app, Msg::Key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE))).is_some());
        wizard(h)
    };
    pressed += every_shown_key_acts("Apply, running", running).await;
    pressed += every_shown_key_acts("the question after a failure", || async { wizard(failed().await) }).await;
    let kept = || async {
        let mut h = failed().await;
        h.char('s');
        wizard(h)
    };
    pressed += every_shown_key_acts("Apply, a failed run kept", kept).await;
    assert!(pressed >= 30, "{pressed} keys pressed");
}

#[tokio::test]
async fn every_key_the_boxes_show_acts() {
    let boxed = |keys: &'static str, edited: bool| async move {
        let mut h = on(Step::Container).await;
        if edited {
            edit_the_artifacts(&mut h);
        }
        h.type_text(keys);
        wizard(h)
    };
    let mut pressed = every_shown_key_acts("the source-folder prompt", || boxed("o", false)).await;
    let reading = || async {
        let mut h = boxed("o", false).await.h;
        // Enter reads the folder: its command is not run, so the read stays under way.
        assert!(update(&mut h.app, Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))).is_some());
        wizard(h)
    };
    pressed += every_shown_key_acts("the source folder being read", reading).await;
    let replace = || async {
        let mut h = boxed("o", true).await.h;
        h.key(KeyCode::Enter);
        wizard(h)
    };
    pressed += every_shown_key_acts("the source folder, replacing edits", replace).await;
    let secret = |edited: bool| async move {
        let mut h = boxed("s", edited).await.h;
        h.send(Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
        h.type_text("NOTES_TOKEN=env:NOTES_TOKEN");
        if edited {
            h.key(KeyCode::Enter);
        }
        wizard(h)
    };
    pressed += every_shown_key_acts("the secret-source prompt", || secret(false)).await;
    pressed += every_shown_key_acts("the secret source, replacing edits", || secret(true)).await;
    let plan_box = |keys: &'static str| async move {
        let mut h = on(Step::Plan).await;
        h.type_text(keys);
        wizard(h)
    };
    pressed += every_shown_key_acts("the reason for a deny", || plan_box("a")).await;
    let confirm = || async {
        let mut h = on(Step::Plan).await;
        common::approve(&mut h);
        wizard(h)
    };
    pressed += every_shown_key_acts("the confirmation to apply", confirm).await;
    let after_apply = |key: char| async move {
        let mut h = applied().await;
        h.char(key);
        wizard(h)
    };
    pressed += every_shown_key_acts("the confirmation to roll back", || after_apply('r')).await;
    pressed += every_shown_key_acts("the question before quitting", || after_apply('q')).await;
    assert!(pressed >= 20, "{pressed} keys pressed");
}

/// A run an earlier process left mid-way, offered when the wizard starts, listed twice so the
/// list has somewhere to move; `keys` pressed then.
async fn left_behind(keys: &'static str) -> Wizard {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(Sandbox::load("node-shop", SandboxOptions::instant()).unwrap());
    common::interrupted_run(&sandbox, dir.path(), 2).await;
    let mut h = Harness::with_runs(sandbox, dir.path()).await;
    assert_eq!(h.app.overlay, Some(Overlay::UnfinishedRuns));
    let first = h.app.unfinished.runs[0].clone();
    h.app.unfinished.runs.push(first);
    for key in keys.chars() {
        let code = if key == '⎋' { KeyCode::Esc } else { KeyCode::Char(key) };
        h.key(code);
    }
    Wizard { h, _runs: Some(dir) }
}

#[tokio::test]
async fn every_key_about_runs_left_behind_acts() {
    let mut pressed = every_shown_key_acts("the runs left behind", || left_behind("")).await;
    pressed += every_shown_key_acts("Source with runs left behind", || left_behind("⎋")).await;
    pressed += every_shown_key_acts("Apply, an interrupted run", || left_behind("rn")).await;
    assert!(pressed >= 15, "{pressed} keys pressed");
}

#[tokio::test]
async fn every_key_the_inventory_shows_acts() {
    // Filtered, so that Esc has a filter to clear.
    let table = || async {
        let mut b = Browser::open().await;
        b.key(KeyCode::Char('/'));
        "shop".chars().for_each(|c| b.key(KeyCode::Char(c)));
        b.key(KeyCode::Enter);
        b
    };
    let mut pressed = every_shown_key_acts("the inventory's table", table).await;
    let details = || async {
        let mut b = Browser::open().await;
        b.key(KeyCode::Enter);
        b.settle().await;
        assert!(b.app.details.is_some());
        b
    };
    pressed += every_shown_key_acts("a resource's details", details).await;
    let help = || async {
        let mut b = Browser::open().await;
        b.key(KeyCode::Char('?'));
        b
    };
    pressed += every_shown_key_acts("the inventory's help", help).await;
    assert!(pressed >= 25, "{pressed} keys pressed");
}
