//! One module per wizard step: its state, its keys and how it draws.

pub mod apply;
pub mod container;
pub mod data_stores;
pub mod iam;
pub mod load_balancer;
pub mod plan;
pub mod service;
pub mod source;
pub mod verify;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::actions::{Action, Keymap};
use super::app::{App, Loadable};
use super::msg::Command;
use super::steps::Step;
use super::theme;
use super::widgets::{panel, spinner};
use crate::migration::Migration;

/// Whether the current screen is taking typed text.
pub fn is_typing(app: &App) -> bool {
    match app.step {
        Step::Source => app.source.list.editing,
        Step::DataStores => app.data_stores.editing,
        Step::Plan => app.plan.list.editing,
        Step::Service => app.service.editor.is_some(),
        _ => false,
    }
}

/// Clears the current screen's kept filter; false when there was none.
pub fn clear_filter(app: &mut App) -> bool {
    let list = match app.step {
        Step::Source => &mut app.source.list,
        Step::DataStores => &mut app.data_stores,
        Step::Plan => &mut app.plan.list,
        _ => return false,
    };
    let had = !list.filter.is_empty();
    list.filter.clear();
    had
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

/// Keys the global keymap did not take.
pub fn handle_key(app: &mut App, key: KeyEvent) -> Option<Command> {
    match app.step {
        Step::Source => source::handle_key(app, key),
        Step::Iam => iam::handle_key(app, key),
        Step::Container => container::handle_key(app, key),
        Step::DataStores => data_stores::handle_key(app, key),
        Step::Service => service::handle_key(app, key),
        Step::Plan => plan::handle_key(app, key),
        _ => {}
    }
    None
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if app.step == Step::Source {
        return source::render(app, frame, area);
    }
    // A run taken up from an earlier process is shown before (or without) any discovery.
    if app.step == Step::Apply && app.run.is_some() {
        return apply::render(app, frame, area);
    }
    let Some(migration) = ready_or_placeholder(app, frame, area) else {
        return;
    };
    match app.step {
        Step::Source => {}
        Step::LoadBalancer => load_balancer::render(migration, frame, area),
        Step::Iam => iam::render(app, migration, frame, area),
        Step::DataStores => data_stores::render(app, migration, frame, area),
        Step::Container => container::render(app, migration, frame, area),
        Step::Service => service::render(app, migration, frame, area),
        Step::Plan => plan::render(app, migration, frame, area),
        Step::Apply => apply::render(app, frame, area),
        Step::Verify => verify::render(app, migration, frame, area),
    }
}

/// The migration, or a panel saying why it is not there yet.
fn ready_or_placeholder<'a>(app: &'a App, frame: &mut Frame, area: Rect) -> Option<&'a Migration> {
    let instance = app
        .migration_for
        .as_deref()
        .map(|id| {
            let name = app.instances.ready().and_then(|all| all.iter().find(|i| i.id == id));
            name.map_or_else(|| id.to_string(), |i| format!("{} ({id})", super::widgets::safe(i.display_name())))
        })
        .unwrap_or_else(|| "the instance".into());
    let lines = match &app.migration {
        Loadable::Ready(migration) => return Some(migration),
        Loadable::Loading => vec![Line::from(vec![
            spinner(app.ticks),
            format!(" discovering {instance}: load balancers, IAM, data stores…").into(),
        ])],
        Loadable::Failed(error) => vec![
            Line::styled(format!("Discovery of {instance} failed"), theme::error()),
            Line::from(super::widgets::safe(error)),
            Line::from(""),
            Line::styled(
                format!("{} back to the instance list to try again or choose another.", app.keymap.label(Action::Back)),
                theme::dim(),
            ),
        ],
        Loadable::Idle => vec![Line::from(format!(
            "Choose an instance on the Source step first ({}).",
            app.keymap.label(Action::Back)
        ))],
    };
    let block = panel(format!(" {} ", app.step.title()), true);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    None
}
