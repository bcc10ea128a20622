//! One module per wizard step, each a [`Screen`]: its own state, its keys, its hints and how
//! it draws, from a narrow [`Context`]. The steps and their screens are listed once, in
//! `steps.rs`; routing over them is exhaustive.

pub mod apply;
pub mod container;
pub mod cutover;
pub mod data_stores;
pub mod iam;
pub mod load_balancer;
pub mod plan;
pub mod retire;
pub mod service;
pub mod source;
pub mod verify;

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::actions::{Action, Keymap};
use super::app::{AppFolder, Loadable};
use super::approval::Reasons;
use super::glances::Glimpse;
use super::keymap::Hint;
use super::msg::Command;
use super::run_view::RunView;
use super::theme;
use super::traffic::Traffic;
use super::widgets::{panel, spinner};
use crate::migration::Migration;
use crate::model::Instance;

/// What a screen reads besides its own state: what the whole wizard shares, borrowed for one
/// key or one frame. A screen never sees another screen's state, and never changes these.
pub struct Context<'a> {
    /// The keys, as the config file bound them.
    pub keymap: &'a Keymap,
    /// Ticks since start: spinners turn with them.
    pub ticks: u64,
    /// The account's instances, as listed.
    pub instances: &'a Loadable<Vec<Instance>>,
    /// What each listed instance runs, read from its user data.
    pub glances: &'a BTreeMap<String, Glimpse>,
    /// What fronts each listed instance.
    pub fronts: &'a Loadable<crate::discover::Fronts>,
    /// The instance the scenario points at, if any.
    pub preferred_instance: Option<&'a str>,
    /// The instance being discovered, and the migration made from it.
    pub migration_for: Option<&'a str>,
    pub migration: &'a Loadable<Box<Migration>>,
    /// The run of this session, or one taken up from an earlier process.
    pub run: Option<&'a RunView>,
    /// The application's source folder, when one was given.
    pub app_folder: Option<&'a AppFolder>,
    /// The reasons written this session for the plan's denies.
    pub reasons: &'a Reasons,
    /// Whether this backend can change the account.
    pub apply_available: bool,
    /// The plans and runs that move the traffic, and the old stack's checklist.
    pub traffic: &'a Traffic,
}

impl Context<'_> {
    /// The migration, once discovery has made it.
    pub fn migration(&self) -> Option<&Migration> {
        self.migration.ready().map(|m| m.as_ref())
    }

    /// Whether the run holds what the plan made (or is working): the plan is then fixed.
    pub fn run_holds_resources(&self) -> bool {
        self.run.is_some_and(|r| r.holds_resources())
    }

    /// Why the plan's inputs (the source folder, the secret sources, the edits) cannot change
    /// now, if they cannot: a run is carrying out, or holds, what was approved.
    pub fn locked_reason(&self) -> Option<String> {
        match self.run.filter(|r| r.holds_resources()).map(|r| &r.phase) {
            None => None,
            Some(phase) if phase.is_busy() => {
                Some("fixed while the run is in progress: the plan is what was approved".into())
            }
            Some(_) => Some(format!(
                "fixed while this plan's run stands: roll it back ({} on Apply) to analyse again",
                self.keymap.label(Action::RollBack)
            )),
        }
    }
}

/// What a key did on a screen, for `update` to carry out beyond the screen's own state.
#[derive(Debug)]
pub enum Reply {
    /// Nothing more to do.
    Done,
    /// Say this on the status line.
    Say(String),
    /// The migration planned again with an edit the operator saved, and what to say of it.
    Edited(Box<Migration>, String),
    /// Start this work.
    Start(Command),
}

/// Where Enter leads from a screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Onward {
    /// To the next step.
    Next,
    /// Nowhere yet, and why (nothing to say on the last step).
    Stay(Option<String>),
    /// Discover this instance, then go on.
    Discover(String),
}

/// A wizard step's screen.
pub trait Screen {
    /// The step's name in the breadcrumb.
    fn title(&self) -> &'static str;

    /// The name in a breadcrumb too narrow for `title`.
    fn short_title(&self) -> &'static str {
        self.title()
    }

    /// What the step is for, in one line, for the help, naming keys as `keymap` has them.
    fn purpose(&self, keymap: &Keymap) -> String;

    /// More for the `?` help than the keys: how a part of the screen with keys of its own (the
    /// Service step's editor) is worked.
    fn help_notes(&self, _keymap: &Keymap) -> Vec<String> {
        Vec::new()
    }

    /// The screen's keys, most useful first; the wizard adds its own (earlier runs, help,
    /// quit) unless `owns_the_footer`.
    fn hints(&self, ctx: &Context) -> Vec<Hint>;

    /// Whether the screen's hints are the only keys that work now (an open editor).
    fn owns_the_footer(&self) -> bool {
        false
    }

    /// The step's own wizard actions (approve, roll back...), which `update` carries out.
    fn actions(&self, _ctx: &Context) -> &'static [Action] {
        &[]
    }

    /// Whether the screen is taking typed text: it then gets every key first.
    fn is_typing(&self) -> bool {
        false
    }

    /// Clears a kept filter; false when there was none.
    fn clear_filter(&mut self) -> bool {
        false
    }

    /// A key the wizard's actions did not take.
    fn handle_key(&mut self, _ctx: &Context, _key: KeyEvent) -> Reply {
        Reply::Done
    }

    /// Where Enter leads from here.
    fn onward(&self, ctx: &Context) -> Onward {
        match ctx.migration() {
            Some(_) => Onward::Next,
            None => Onward::Stay(Some("discovery has not finished yet".into())),
        }
    }

    /// Whether the breadcrumb ticks the step; `passed` when the operator has moved past it.
    fn is_done(&self, ctx: &Context, passed: bool) -> bool {
        passed && ctx.migration().is_some()
    }

    /// Forgets what was kept for the previous migration (scroll, selection).
    fn reset(&mut self) {}

    /// Draws the screen in `area`.
    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect);
}

/// The second pane's scroll keys (`J`/`K`, three lines), for a step whose moves go to a list:
/// whether `key` was one.
pub(super) fn scroll_second_pane(keymap: &Keymap, key: &KeyEvent, scroll: &mut super::widgets::Scroll) -> bool {
    match keymap.action(key, &[Action::ScrollPaneDown, Action::ScrollPaneUp]) {
        Some(Action::ScrollPaneDown) => scroll.by(3),
        Some(_) => scroll.by(-3),
        None => return false,
    }
    true
}

/// The second pane's scroll hint, when it has more than it shows.
pub(super) fn second_pane_hint(keymap: &Keymap, scroll: &super::widgets::Scroll, label: &'static str) -> Option<Hint> {
    let keys = super::keymap::either(keymap, Action::ScrollPaneDown, Action::ScrollPaneUp, label);
    scroll.can_scroll().then_some(keys)
}

/// A pane's scroll after `key`: the moves go a line, the page keys ten, first to the top.
pub(super) fn scrolled(keymap: &Keymap, key: &KeyEvent, scroll: u16) -> u16 {
    use Action::{First, MoveDown, MoveUp, PageDown, PageUp};
    match keymap.action(key, &[MoveDown, MoveUp, PageDown, PageUp, First]) {
        Some(MoveDown) => scroll.saturating_add(1),
        Some(MoveUp) => scroll.saturating_sub(1),
        Some(PageDown) => scroll.saturating_add(10),
        Some(PageUp) => scroll.saturating_sub(10),
        Some(_) => 0,
        None => scroll,
    }
}

/// The migration, or a panel titled `title` saying why it is not there yet.
pub(super) fn migration_or_placeholder<'a>(
    ctx: &'a Context,
    title: &str,
    frame: &mut Frame,
    area: Rect,
) -> Option<&'a Migration> {
    let instance = ctx
        .migration_for
        .map(|id| {
            let name = ctx.instances.ready().and_then(|all| all.iter().find(|i| i.id == id));
            name.map_or_else(|| id.to_string(), |i| format!("{} ({id})", super::widgets::safe(i.display_name())))
        })
        .unwrap_or_else(|| "the instance".into());
    let back = ctx.keymap.label(Action::Back);
    let lines = match ctx.migration {
        Loadable::Ready(migration) => return Some(migration),
        Loadable::Loading => vec![Line::from(vec![
            spinner(ctx.ticks),
            format!(" discovering {instance}: load balancers, IAM, data stores…").into(),
        ])],
        Loadable::Failed(error) => vec![
            Line::styled(format!("Discovery of {instance} failed"), theme::error()),
            Line::from(super::widgets::safe(error)),
            Line::from(""),
            Line::styled(format!("{back} back to the instance list to try again or choose another."), theme::dim()),
        ],
        Loadable::Idle => vec![Line::from(format!("Choose an instance on the Source step first ({back})."))],
    };
    let block = panel(format!(" {title} "), true);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    None
}
