//! `update`: the only place the app's state changes. Pure: no terminal, no network.

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use super::actions::Action;
use super::app::{App, Loadable, Overlay};
use super::approval;
use super::folder_prompt;
use super::glances::{self, Glimpse};
use super::msg::{Command, Msg};
use super::run_keys::{
    ask_roll_back, on_failure_choice, request_apply, request_traffic_apply, resume, roll_back, start_apply, step_lane,
};
use super::run_view::{Lane, StepStatus};
use super::screens::{Onward, Reply};
use super::secret_prompt;
use super::steps::Step;
use super::traffic::{self, run_mut, run_of};
use super::unfinished;
use crate::apply::{ApplyEvent, RollbackOutcome, RunOutcome, RunStatus};

pub fn update(app: &mut App, msg: Msg) -> Option<Command> {
    super::log_events::message(&msg);
    let command = handle(app, msg);
    command.iter().for_each(super::log_events::command);
    // Reasons written for a plan mean nothing for another: a changed plan is reviewed afresh.
    if let Some(hash) = app.migration().map(|m| m.plan.hash.clone()) {
        app.reasons.follow(Some(&hash));
    }
    command
        .or_else(|| preflight(app))
        .or_else(|| super::screens::verify::probe_command(app))
        .or_else(|| super::screens::retire::read_command(app))
}

/// On the Plan step, once per plan: ask whether this machine can run it (a container CLI to
/// build with, a build context, readable secret sources), so the plan says so before approval.
fn preflight(app: &mut App) -> Option<Command> {
    if app.step != Step::Plan || !app.apply_available {
        return None;
    }
    let plan = &app.migration()?.plan;
    if app.screens.plan.preflight.as_ref().is_some_and(|(hash, _)| *hash == plan.hash) {
        return None;
    }
    let plan = Box::new(plan.clone());
    // Asked once: the answer fills the list in when it comes.
    app.screens.plan.preflight = Some((plan.hash.clone(), Vec::new()));
    Some(Command::Preflight { plan })
}

fn handle(app: &mut App, msg: Msg) -> Option<Command> {
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => on_key(app, key),
        Msg::Key(_) => None,
        Msg::Mouse(event) => super::mouse::on_mouse(app, event),
        // The frame after it is drawn at the new size, cleared first (ratatui's autoresize).
        Msg::Resize(..) => None,
        Msg::Tick => {
            app.ticks += 1;
            for lane in [Lane::Migration, Lane::Cutover, Lane::Finalize] {
                if let Some(run) = run_mut(app, lane) {
                    run.tick();
                }
            }
            None
        }
        Msg::AccountLoaded(result) => {
            app.account = match result {
                Ok(account) => Loadable::Ready(account),
                Err(error) => Loadable::Failed(error),
            };
            None
        }
        Msg::InstancesLoaded(result) => on_instances(app, result),
        Msg::Glanced { id, result } => {
            let glimpse = match result {
                Ok(user_data) => Glimpse::of_user_data(user_data.as_deref()),
                Err(why) => Glimpse::Unread(why),
            };
            app.glances.insert(id, glimpse);
            None
        }
        Msg::FrontsRead(fronts) => {
            app.fronts = Loadable::Ready(*fronts);
            None
        }
        Msg::MigrationReady { instance_id, result } => {
            // A late answer for an instance the operator has since left is dropped.
            if app.migration_for.as_deref() == Some(instance_id.as_str()) {
                app.migration = match result {
                    Ok(migration) => Loadable::Ready(migration),
                    Err(error) => Loadable::Failed(error),
                };
                app.screens.reset();
            }
            None
        }
        Msg::AppFolderRead { request, result } => {
            folder_prompt::on_read(app, request, result);
            None
        }
        Msg::Apply(lane, event) => on_apply_event(app, lane, event),
        Msg::TrafficPlanned { lane, after, result } => {
            traffic::on_planned(app, lane, after, result);
            None
        }
        Msg::ChecklistRead { result, note } => {
            traffic::on_checklist(app, result, note);
            None
        }
        Msg::PreflightDone { plan_hash, problems } => {
            app.screens.plan.preflight = Some((plan_hash, problems));
            None
        }
        Msg::RunsLoaded(left) => {
            unfinished::on_loaded(app, left);
            None
        }
        Msg::RunEnded(lane) => on_run_ended(app, lane),
        Msg::Verified(report) => {
            app.screens.verify.on_report(*report, app.ticks);
            None
        }
        Msg::EngineFailed { what, error } => {
            on_engine_failed(app, what, error);
            None
        }
    }
}

/// Engine work panicked or could not be journaled: said, and no run left looking busy.
fn on_engine_failed(app: &mut App, what: String, error: String) {
    let message = format!("internal error in {what}: {error}");
    if matches!(app.migration, Loadable::Loading) {
        app.migration = Loadable::Failed(message.clone());
    }
    let traffic = &mut app.traffic;
    for waiting in [&mut traffic.cutover_plan.plan, &mut traffic.finalize_plan.plan] {
        if matches!(waiting, Loadable::Loading) {
            *waiting = Loadable::Failed(message.clone());
        }
    }
    if matches!(traffic.checklist, Loadable::Loading) {
        traffic.checklist = Loadable::Failed(message.clone());
    }
    for lane in [Lane::Migration, Lane::Cutover, Lane::Finalize] {
        if let Some(run) = run_mut(app, lane).filter(|r| r.phase.is_busy()) {
            let step = run.steps.iter().position(|s| s.status == StepStatus::Running);
            let step = step.or_else(|| run.focus()).unwrap_or(0);
            run.phase = RunStatus::Failed { step, reason: message.clone() };
        }
    }
    app.status = Some(message);
}

/// The instance list: drawn at once, and what each instance runs read after, for the
/// instances whose user data the list did not carry (a live account's).
fn on_instances(app: &mut App, result: Result<Vec<crate::model::Instance>, String>) -> Option<Command> {
    match result {
        Ok(instances) => {
            if let Some(index) =
                app.preferred_instance.as_ref().and_then(|id| instances.iter().position(|i| &i.id == id))
            {
                app.screens.source.list.selected = index;
            }
            let (glimpses, to_read) = glances::from_list(&instances);
            app.glances = glimpses;
            app.instances = Loadable::Ready(instances);
            app.fronts = Loadable::Loading;
            Some(Command::LookOver { user_data_of: to_read })
        }
        Err(error) => {
            app.instances = Loadable::Failed(error);
            None
        }
    }
}

fn on_apply_event(app: &mut App, lane: Lane, event: ApplyEvent) -> Option<Command> {
    let failed = matches!(&event, ApplyEvent::RunFinished { outcome: RunOutcome::Failed { .. }, .. });
    let rolled_back = matches!(&event, ApplyEvent::RollbackFinished { outcome: RollbackOutcome::RolledBack });
    let finished = matches!(&event, ApplyEvent::RunFinished { .. } | ApplyEvent::RollbackFinished { .. });
    let changed = matches!(&event, ApplyEvent::StepDone { .. } | ApplyEvent::StepCompensated { .. });
    let run = run_mut(app, lane)?;
    run.apply_event(event);
    let run_id = run.run_id.clone();
    // A failure the operator did not ask for: ask what to do with what the run made, unless
    // they already asked for a rollback, which the engine then carries out.
    if failed && !run.control.wants_roll_back() && matches!(app.overlay, None | Some(Overlay::Help)) {
        app.overlay = Some(Overlay::FailureChoice);
        app.lane = lane;
        // A traffic run's failure (a health gate) is answered where its stages are shown.
        if lane != Lane::Migration {
            app.step = Step::Cutover;
        }
    }
    if rolled_back && let Some(run_id) = run_id {
        unfinished::forget(app, &run_id);
    }
    // Whether the old stack may be listed follows the finalize: read it again when shown.
    if lane == Lane::Finalize && finished {
        app.traffic.checklist = Loadable::Idle;
    }
    // The weights Verify shows are Route 53's: probe again once a traffic run has moved them.
    if lane != Lane::Migration && (finished || changed) {
        app.screens.verify.probe_again();
    }
    None
}

/// The run's engine work returned. A rollback asked for just as the apply ended, too late for
/// the engine to take it up, starts here: the token hands it to exactly one of them.
fn on_run_ended(app: &mut App, lane: Lane) -> Option<Command> {
    let run = run_mut(app, lane)?;
    if run.phase.can_roll_back() && run.control.take_roll_back() {
        let run_id = run.run_id.clone()?;
        run.phase = RunStatus::RollingBack;
        return Some(Command::Rollback { run_id, lane });
    }
    None
}

pub(super) fn on_key(app: &mut App, key: KeyEvent) -> Option<Command> {
    app.status = None;
    // Ctrl-C reaches every box and text field: it is never typed, never a box's answer.
    let ctrl_c = app.keymap.is(Action::Interrupt, &key);
    if let Some(overlay) = app.overlay.clone() {
        return on_overlay_key(app, overlay, key, ctrl_c);
    }
    if ctrl_c {
        return request_quit(app);
    }
    // A screen that is taking text (a filter prompt) gets every key first.
    if app.screen().is_typing() {
        return screen_key(app, key);
    }
    if super::training::on_key(app, &key) {
        return None;
    }
    let log_area = app.drawn.lock().unwrap_or_else(|p| p.into_inner()).log.unwrap_or_default();
    if app.log.handle_key(&app.keymap, &key, log_area) {
        return None;
    }
    let action = WIZARD_ACTIONS.iter().copied().find(|a| app.keymap.is(*a, &key) && works_here(app, *a));
    match action {
        Some(Action::Quit) => request_quit(app),
        Some(Action::Help) => {
            app.overlay = Some(Overlay::Help);
            None
        }
        Some(Action::Next) => next_step(app),
        Some(Action::Back) => {
            if !app.screens.get_mut(app.step).clear_filter() {
                previous_step(app);
            }
            None
        }
        Some(Action::Approve) if app.step == Step::Cutover => request_traffic_apply(app),
        Some(Action::Approve) => request_apply(app),
        Some(Action::PlanTraffic) => traffic::request_plan(app, crate::cutover::CutoverOptions::default()),
        Some(Action::OpenFolder) => {
            folder_prompt::open(app);
            None
        }
        Some(Action::SecretSource) => {
            secret_prompt::open(app);
            None
        }
        Some(Action::RollBack) => {
            ask_roll_back(app);
            None
        }
        Some(Action::Resume) => resume(app, step_lane(app)),
        Some(Action::ReviewRuns) => {
            unfinished::review(app);
            None
        }
        Some(Action::Training) => {
            app.training.shown = !app.training.shown;
            app.training.scroll = 0;
            None
        }
        // The screen's own keys: moves, filter, panes, edit.
        _ => screen_key(app, key),
    }
}

/// The actions the wizard's steps answer to, before a screen sees the key.
const WIZARD_ACTIONS: [Action; 12] = [
    Action::Quit,
    Action::Help,
    Action::Next,
    Action::Back,
    Action::Approve,
    Action::OpenFolder,
    Action::SecretSource,
    Action::RollBack,
    Action::Resume,
    Action::ReviewRuns,
    Action::PlanTraffic,
    Action::Training,
];

/// Whether `action` works on the current step; a key that does nothing here goes to the screen.
fn works_here(app: &App, action: Action) -> bool {
    match action {
        Action::Approve
        | Action::OpenFolder
        | Action::SecretSource
        | Action::RollBack
        | Action::Resume
        | Action::PlanTraffic => app.screen().actions(&app.context()).contains(&action),
        Action::Quit | Action::Help | Action::Next | Action::Back | Action::ReviewRuns => true,
        Action::Training => app.training.available,
        // Not a step's action: the screen's own, asked after these.
        _ => false,
    }
}

/// How messages name an action's keys (`r`, or `x/Ctrl-R` when rebound).
pub(super) fn key_of(app: &App, action: Action) -> String {
    app.keymap.label(action)
}

fn on_overlay_key(app: &mut App, overlay: Overlay, key: KeyEvent, ctrl_c: bool) -> Option<Command> {
    let yes = app.keymap.answers(Action::Confirm, &key);
    match overlay {
        Overlay::Help => {
            if ctrl_c {
                return request_quit(app);
            }
            if !super::help_box::scroll_key(app, &key) {
                app.overlay = None;
                app.help_scroll.reset();
            }
            None
        }
        Overlay::SourceFolder if ctrl_c => {
            app.folder_prompt = None;
            app.overlay = None;
            request_quit(app)
        }
        Overlay::SourceFolder => folder_prompt::handle_key(app, key),
        Overlay::SecretSource if ctrl_c => {
            app.secret_prompt = None;
            app.overlay = None;
            request_quit(app)
        }
        Overlay::SecretSource => {
            secret_prompt::handle_key(app, key);
            None
        }
        Overlay::OverrideDeny if ctrl_c => {
            approval::cancel(app);
            request_quit(app)
        }
        Overlay::OverrideDeny => {
            approval::handle_key(app, key);
            None
        }
        Overlay::ConfirmApply if yes => {
            app.overlay = None;
            start_apply(app)
        }
        Overlay::ConfirmApply => {
            approval::cancel(app);
            None
        }
        Overlay::FailureChoice => on_failure_choice(app, key, ctrl_c),
        Overlay::UnfinishedRuns if ctrl_c => {
            app.overlay = None;
            request_quit(app)
        }
        Overlay::UnfinishedRuns => unfinished::handle_key(app, key),
        Overlay::ConfirmRollback => {
            app.overlay = None;
            if yes { roll_back(app, app.lane) } else { None }
        }
        Overlay::ConfirmQuit => {
            app.overlay = None;
            if yes || ctrl_c {
                for lane in [Lane::Migration, Lane::Cutover, Lane::Finalize] {
                    if let Some(run) = run_of(app, lane) {
                        run.control.stop();
                    }
                }
                app.should_quit = true;
                return Some(Command::Quit);
            }
            None
        }
    }
}

/// A key for the current screen; what it replies beyond its own state is done here.
fn screen_key(app: &mut App, key: KeyEvent) -> Option<Command> {
    let (screen, context) = app.screen_mut_and_context();
    match screen.handle_key(&context, key) {
        Reply::Done => None,
        Reply::Say(text) => {
            app.status = Some(text);
            None
        }
        Reply::Edited(migration, note) => {
            app.migration = Loadable::Ready(migration);
            app.status = Some(note);
            None
        }
        Reply::Start(command) => Some(command),
    }
}

pub(super) fn request_quit(app: &mut App) -> Option<Command> {
    if app.is_busy() || app.has_unsaved_edit() || app.has_open_run() {
        app.overlay = Some(Overlay::ConfirmQuit);
        return None;
    }
    app.should_quit = true;
    Some(Command::Quit)
}

/// Enter: on, where the screen says Enter leads.
fn next_step(app: &mut App) -> Option<Command> {
    match app.screen().onward(&app.context()) {
        Onward::Next => {
            app.step = app.step.next().unwrap_or(app.step);
            None
        }
        Onward::Stay(reason) => {
            app.status = reason;
            None
        }
        Onward::Discover(instance) => discover(app, instance),
    }
}

/// Discovers `instance` and goes on to the first step that shows it, unless an open run is of
/// another instance; a migration already made (or being made) for it is kept.
fn discover(app: &mut App, instance: String) -> Option<Command> {
    if let Some(run) = app.run.as_ref().filter(|r| r.holds_resources())
        && run.plan.source_instance_id != instance
    {
        app.status = Some(format!(
            "run {} of {} is open: roll it back ({} on Apply) before choosing another instance",
            run.run_id.as_deref().unwrap_or("starting"),
            run.plan.source_instance_id,
            key_of(app, Action::RollBack)
        ));
        return None;
    }
    app.step = app.step.next().unwrap_or(app.step);
    // A refused run means the account moved on: discover it again for a new plan.
    let refused = app.run.as_ref().is_some_and(|r| matches!(r.phase, RunStatus::Refused { .. }));
    let same = app.migration_for.as_deref() == Some(instance.as_str());
    if same && matches!(app.migration, Loadable::Ready(_) | Loadable::Loading) && !refused {
        // Kept, edits and all: said, so an edit never ships unnoticed.
        app.status = app.migration().and_then(|m| super::screens::service::kept_note(m, &app.keymap));
        return None;
    }
    // Made afresh: what the operator edited is dropped, and said.
    app.status = app.migration().and_then(super::screens::service::dropped_note);
    // Discovering the same instance again keeps the secret sources given for it.
    let given = app.migration().filter(|_| same).map(|m| m.given.clone()).unwrap_or_default();
    app.migration_for = Some(instance.clone());
    app.migration = Loadable::Loading;
    let files = app.app_folder.as_ref().map(|f| f.files.clone());
    Some(Command::Prepare { instance_id: instance, app: files, given })
}

fn previous_step(app: &mut App) {
    if let Some(previous) = app.step.previous() {
        app.step = previous;
    }
}
