//! Clicks and the wheel (opt-in: `--mouse` or `[ui] mouse = true`), hit-tested against what
//! the last frame drew: the breadcrumb's steps, the step's screen and its bordered panes, and
//! the log pane. A click or a notch becomes the keys that do the same (a move, a switch of
//! pane, Enter), so the mouse can do nothing the keys cannot, and every screen answers it.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::actions::Action;
use super::app::App;
use super::msg::Command;
use super::steps::Step;

/// Where the last frame put things, for hit-testing the next click.
#[derive(Debug, Clone, Default)]
pub struct Drawn {
    /// The breadcrumb's row, and each step's columns in it.
    pub crumbs_row: u16,
    pub crumbs: Vec<(u16, u16, Step)>,
    /// The step's screen, and the log pane when it is open.
    pub screen: Rect,
    pub log: Option<Rect>,
    /// The frame itself: where the panes' borders and the selected rows are.
    pub buffer: Buffer,
}

impl Drawn {
    /// Notes a frame: the breadcrumb `line` drawn in `crumbs`, the screen's and log's areas.
    pub fn record(app: &App, buffer: &Buffer, crumbs: Rect, line: &Line, screen: Rect, log: Option<Rect>) {
        let mut steps = Vec::new();
        let mut x = crumbs.x;
        for span in &line.spans {
            let width = span.width() as u16;
            let title = span.content.trim_start_matches("● ").trim_start_matches("✓ ");
            let step = Step::ALL.iter().find(|s| {
                let screen = app.screens.get(**s);
                screen.title() == title || screen.short_title() == title
            });
            if let Some(step) = step {
                steps.push((x, x + width, *step));
            }
            x += width;
        }
        let drawn = Drawn { crumbs_row: crumbs.y, crumbs: steps, screen, log, buffer: buffer.clone() };
        *app.drawn.lock().unwrap_or_else(|p| p.into_inner()) = drawn;
    }
}

/// A mouse event: what it hits in the last frame, done with the keys that would do it.
pub fn on_mouse(app: &mut App, event: MouseEvent) -> Option<Command> {
    if !app.ui.mouse || app.overlay.is_some() || app.screen().is_typing() {
        return None;
    }
    let drawn = app.drawn.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let at = Position::new(event.column, event.row);
    match event.kind {
        MouseEventKind::Down(MouseButton::Left) => click(app, &drawn, at),
        MouseEventKind::ScrollDown => wheel(app, &drawn, at, 1),
        MouseEventKind::ScrollUp => wheel(app, &drawn, at, -1),
        _ => None,
    }
}

fn click(app: &mut App, drawn: &Drawn, at: Position) -> Option<Command> {
    if at.y == drawn.crumbs_row {
        let step = drawn.crumbs.iter().find(|(from, to, _)| (*from..*to).contains(&at.x))?.2;
        return go_to(app, step);
    }
    if !drawn.screen.contains(at) {
        return None;
    }
    let pane = pane_at(&drawn.buffer, at)?;
    let mut command = focus(app, drawn, pane);
    if let Some(selected) = selected_row(&drawn.buffer, pane)
        && at.y > pane.y
        && at.y + 1 < pane.bottom()
    {
        let (action, times) =
            if at.y > selected { (Action::MoveDown, at.y - selected) } else { (Action::MoveUp, selected - at.y) };
        for _ in 0..times {
            command = press(app, action).or(command);
        }
    }
    command
}

fn wheel(app: &mut App, drawn: &Drawn, at: Position, notches: i32) -> Option<Command> {
    if let Some(log) = drawn.log.filter(|log| log.contains(at)) {
        app.log.scroll_by(3 * notches, log);
        return None;
    }
    if !drawn.screen.contains(at) {
        return None;
    }
    let pane = pane_at(&drawn.buffer, at);
    let mut command = pane.and_then(|pane| focus(app, drawn, pane));
    let list = pane.is_some_and(|pane| selected_row(&drawn.buffer, pane).is_some());
    let offers = |action| super::keymap::hints(app).iter().any(|h| h.actions().any(|a| a == action));
    let (action, times) = match (notches > 0, list) {
        (down, false) if offers(Action::ScrollPaneDown) => {
            (if down { Action::ScrollPaneDown } else { Action::ScrollPaneUp }, 1)
        }
        (true, list) => (Action::MoveDown, if list { 1 } else { 3 }),
        (false, list) => (Action::MoveUp, if list { 1 } else { 3 }),
    };
    for _ in 0..times {
        command = press(app, action).or(command);
    }
    command
}

/// To `step` from the breadcrumb: back at once, on with Enter as far as the steps allow.
fn go_to(app: &mut App, step: Step) -> Option<Command> {
    if step <= app.step {
        app.step = step;
        return None;
    }
    let mut command = None;
    while app.step < step {
        let before = app.step;
        command = press(app, Action::Next).or(command);
        if app.step == before {
            break;
        }
    }
    command
}

/// Gives the focus to `pane` with the screen's switch-pane key, when it has one and the pane
/// is not focused: tried as often as there are panes, drawing the screen again each time.
fn focus(app: &mut App, drawn: &Drawn, pane: Rect) -> Option<Command> {
    let switches = super::keymap::hints(app).iter().any(|h| h.actions().any(|a| a == Action::SwitchPane));
    if !switches || is_focused(&drawn.buffer, pane) {
        return None;
    }
    let area = drawn.buffer.area;
    let mut command = None;
    for _ in 0..2 {
        command = press(app, Action::SwitchPane).or(command);
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(area.width, area.height)).ok()?;
        let frame = terminal.draw(|frame| super::view::view(app, frame)).ok()?;
        if is_focused(frame.buffer, pane) {
            break;
        }
    }
    command
}

/// Presses `action`'s first key for the step's screen: an open log pane, which takes the
/// moves from the keyboard, lets this one through (the pointer is on the screen, not the log).
fn press(app: &mut App, action: Action) -> Option<Command> {
    let key = app.keymap.keys_of(action).first()?.event();
    let log_shown = std::mem::replace(&mut app.log.shown, false);
    let command = super::update::on_key(app, key);
    app.log.shown = log_shown;
    command
}

fn is_vertical(buffer: &Buffer, x: u16, y: u16) -> bool {
    buffer.cell((x, y)).is_some_and(|c| matches!(c.symbol(), "│" | "┃" | "║"))
}

fn is_corner(buffer: &Buffer, x: u16, y: u16, corners: &[&str]) -> bool {
    buffer.cell((x, y)).is_some_and(|c| corners.contains(&c.symbol()))
}

/// The bordered pane around `at`, borders included.
fn pane_at(buffer: &Buffer, at: Position) -> Option<Rect> {
    let area = buffer.area;
    let left = (area.x..=at.x).rev().find(|x| is_vertical(buffer, *x, at.y))?;
    let right = (at.x.max(left + 1)..area.right()).find(|x| is_vertical(buffer, *x, at.y))?;
    let top = (area.y..=at.y).rev().find(|y| is_corner(buffer, left, *y, &["┌", "╭", "├"]))?;
    let bottom = (at.y..area.bottom()).find(|y| is_corner(buffer, left, *y, &["└", "╰", "├"]))?;
    Some(Rect::new(left, top, right - left + 1, bottom - top + 1))
}

/// Whether the pane's border is drawn in the focus colour.
fn is_focused(buffer: &Buffer, pane: Rect) -> bool {
    buffer.cell((pane.x, pane.y + 1)).is_some_and(|c| c.fg == super::theme::focused_border().fg.unwrap_or_default())
}

/// The row of the pane drawn selected (in reverse video), if the pane is a list.
fn selected_row(buffer: &Buffer, pane: Rect) -> Option<u16> {
    let inner = (pane.x + 1)..pane.right().saturating_sub(1);
    ((pane.y + 1)..pane.bottom().saturating_sub(1)).find(|y| {
        inner
            .clone()
            .any(|x| buffer.cell((x, *y)).is_some_and(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED)))
    })
}
