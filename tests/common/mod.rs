//! A wizard driven by messages, with its commands run on the real engine and sandbox:
//! what the terminal loop does, minus the terminal.

#![allow(dead_code)]

use std::sync::Arc;

use ferry::apply::{ApplyOptions, Target};
use ferry::cloud::sandbox::{AccountState, Sandbox, SandboxOptions};
use ferry::operate::Operator;
use ferry::tui::{App, Command, Engine, Mode, Msg, Overlay, spawn_command, update, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

pub struct Harness {
    pub app: App,
    pub sandbox: Arc<Sandbox>,
    engine: Engine,
    tx: UnboundedSender<Msg>,
    rx: UnboundedReceiver<Msg>,
    tasks: Vec<JoinHandle<()>>,
    pub quit: bool,
}

impl Harness {
    /// The node-shop demo with no latency, its first loads finished.
    pub async fn demo(options: SandboxOptions) -> Harness {
        Harness::on(Sandbox::load("node-shop", options).expect("bundled scenario loads")).await
    }

    /// The wizard on any sandbox, its first loads finished.
    pub async fn on(sandbox: Sandbox) -> Harness {
        let sandbox = Arc::new(sandbox);
        Harness::with_engine(sandbox.clone(), Engine::read_write(sandbox), Mode::Sandbox).await
    }

    /// The wizard as it runs on a live account today: it reads and plans, it cannot apply.
    pub async fn read_only(sandbox: Sandbox) -> Harness {
        let sandbox = Arc::new(sandbox);
        Harness::with_engine(sandbox.clone(), Engine::read_only(sandbox), Mode::Live).await
    }

    /// The wizard on `sandbox` with runs journaled in `dir/runs` and audited in `dir/audit.jsonl`,
    /// as `ferry demo` keeps them in the state folder.
    pub async fn with_runs(sandbox: Arc<Sandbox>, dir: &std::path::Path) -> Harness {
        Harness::with_runs_on(sandbox, dir, Target::InProcess).await
    }

    /// As `with_runs`, the operator reaching its account as `target` says.
    pub async fn with_runs_on(sandbox: Arc<Sandbox>, dir: &std::path::Path, target: Target) -> Harness {
        let operator = Operator {
            cloud: sandbox.clone(),
            runs_dir: Some(dir.join("runs")),
            audit: Some(dir.join("audit.jsonl")),
            target,
            options: ApplyOptions::default(),
            anchor: None,
        };
        let engine = Engine::operated(sandbox.clone(), operator);
        Harness::with_engine(sandbox, engine, Mode::Sandbox).await
    }

    async fn with_engine(sandbox: Arc<Sandbox>, engine: Engine, mode: Mode) -> Harness {
        let mut app = App::new(mode, "node-shop", Some(sandbox.app_instance().to_string()));
        app.apply_available = engine.operator.is_some();
        app.runs_kept = engine.operator.as_ref().is_some_and(|o| o.runs_dir.is_some());
        let (tx, rx) = unbounded_channel();
        let mut harness = Harness { app, sandbox, engine, tx, rx, tasks: Vec::new(), quit: false };
        for command in App::init() {
            harness.run(command);
        }
        harness.settle().await;
        harness
    }

    fn run(&mut self, command: Command) {
        if matches!(command, Command::Quit) {
            self.quit = true;
        }
        if let Some(task) = spawn_command(command, &self.engine, self.tx.clone()) {
            self.tasks.push(task);
        }
    }

    pub fn send(&mut self, msg: Msg) {
        if let Some(command) = update(&mut self.app, msg) {
            self.run(command);
        }
    }

    pub fn key(&mut self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    pub fn char(&mut self, c: char) {
        self.key(KeyCode::Char(c));
    }

    pub fn type_text(&mut self, text: &str) {
        text.chars().for_each(|c| self.char(c));
    }

    /// Runs every started task to its end and feeds back what it sent, until quiet.
    pub async fn settle(&mut self) {
        loop {
            for task in std::mem::take(&mut self.tasks) {
                task.await.expect("engine task panicked");
            }
            let mut fed = false;
            while let Ok(msg) = self.rx.try_recv() {
                fed = true;
                self.send(msg);
            }
            if !fed && self.tasks.is_empty() {
                break;
            }
        }
    }

    /// Feeds messages as they arrive until `done` holds: for watching a run part-way.
    pub async fn pump_until(&mut self, done: impl Fn(&App) -> bool) {
        let deadline = std::time::Duration::from_secs(10);
        while !done(&self.app) {
            let msg = tokio::time::timeout(deadline, self.rx.recv()).await;
            let msg = msg.expect("the awaited state came in time").expect("the channel is open");
            self.send(msg);
        }
    }

    /// Presses a key and waits for whatever it started.
    pub async fn press(&mut self, code: KeyCode) {
        self.key(code);
        self.settle().await;
    }

    pub fn account(&self) -> AccountState {
        self.sandbox.snapshot()
    }

    /// The screen as text, at the size the issue asks for.
    pub fn screen(&self) -> String {
        render(&self.app, 120, 40)
    }
}

pub fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|frame| view(app, frame)).expect("draw");
    terminal.backend().to_string()
}

/// Moves from the Source step to the Plan step, waiting for discovery.
pub async fn walk_to_plan(h: &mut Harness) {
    for _ in 0..6 {
        h.press(KeyCode::Enter).await;
    }
    assert_eq!(h.app.step, ferry::tui::Step::Plan, "walking with Enter reaches the Plan step");
}

/// The reason tests give for overriding a deny.
pub const REASON: &str = "demo account: SES is narrowed in ticket OPS-7";

/// Approves the plan with `a`, a reason for each deny and `y`, and waits for the run to end.
pub async fn approve_and_apply(h: &mut Harness) {
    approve(h);
    h.press(KeyCode::Char('y')).await;
}

/// `a`, then a reason for each deny (replacing any kept one): the confirmation is open.
pub fn approve(h: &mut Harness) {
    h.key(KeyCode::Char('a'));
    while h.app.overlay == Some(Overlay::OverrideDeny) {
        h.send(Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
        h.type_text(REASON);
        h.key(KeyCode::Enter);
    }
    assert_eq!(h.app.overlay, Some(Overlay::ConfirmApply), "a asks for confirmation:\n{}", h.screen());
}

pub fn banner(h: &Harness) -> String {
    h.app.run.as_ref().map(|r| ferry::tui::banner_text(r).0).unwrap_or_default()
}

/// Rolls the run back with `r`, confirmed with `y` (or answering the question a failure
/// asks), and waits for the rollback to end.
pub async fn roll_back(h: &mut Harness) {
    if h.app.overlay == Some(Overlay::FailureChoice) {
        h.press(KeyCode::Char('r')).await;
        return;
    }
    h.key(KeyCode::Char('r'));
    assert_eq!(h.app.overlay, Some(Overlay::ConfirmRollback), "r asks for confirmation");
    h.press(KeyCode::Char('y')).await;
}

/// A run of the demo plan that a process left mid-way, as a crash leaves it: steps before
/// `in_doubt` made and recorded, step `in_doubt` (0-based) sent and made but never answered.
/// The journal is in `dir` and its lock released. Returns the run id.
pub async fn interrupted_run(sandbox: &Arc<Sandbox>, dir: &std::path::Path, in_doubt: usize) -> String {
    use ferry::apply::{Record, StepResult, now};
    use ferry::cloud::Cloud;

    let migration = ferry::migration::prepare(sandbox.as_ref(), sandbox.app_instance()).await.expect("discovery");
    let approved = migration.plan.approve_overriding_all(REASON).expect("approved");
    let operator = Operator {
        cloud: sandbox.clone(),
        runs_dir: Some(dir.join("runs")),
        audit: Some(dir.join("audit.jsonl")),
        target: Target::InProcess,
        options: ApplyOptions::default(),
        anchor: None,
    };
    let run = operator.start(&approved).await.expect("the run starts");
    let run_id = run.run_id().to_string();
    let mut outputs = ferry::plan::Outputs::new();
    for (index, step) in approved.plan().steps.iter().enumerate().take(in_doubt + 1) {
        let action = ferry::plan::resolve(&step.action, &run_id, &outputs).expect("resolves");
        run.append(Record::Intent { step: index, step_id: step.id.clone(), action: action.clone(), time: now() })
            .unwrap();
        let output = sandbox.execute(&action, &|_| {}).await.expect("the sandbox makes the change");
        if index < in_doubt {
            let result = StepResult::Done { output: output.clone() };
            run.append(Record::Outcome { step: index, result, elapsed_ms: 5, time: now() }).unwrap();
            outputs.insert(step.id.clone(), output);
        }
    }
    run_id
}
