//! `ferry demo` without `--scenario`: a full-screen list of the scenarios to open, each with its
//! lesson's headline (bundled first, then the trainer's own from the config folder), and the
//! selected one whole beside or below it: its account, its lesson and the wizard's steps. A
//! broken file is listed with its error, never a crash. Enter opens the selected one; q quits.

use std::sync::Arc;

use color_eyre::eyre::Result;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use tokio::sync::mpsc::unbounded_channel;

use super::actions::{Action, Keymap};
use super::keymap::{Hint, act, of, pair};
use super::msg::Msg;
use super::theme;
use super::widgets::safe;
use crate::cloud::sandbox::catalogue::{Entry, Origin};

/// The picker's state: the scenarios, the selected one, and the choice once made.
pub struct Picker {
    pub entries: Vec<Entry>,
    pub selected: usize,
    pub keymap: Arc<Keymap>,
    /// One line under the list: why Enter did not open the selected scenario.
    pub status: Option<String>,
    /// What `ferry demo --scenario` would take, once chosen.
    pub chosen: Option<String>,
    pub quit: bool,
    /// The wizard's steps in order, which every scenario walks (`Source → … → Retire`).
    pub steps: String,
}

impl Picker {
    pub fn new(entries: Vec<Entry>, keymap: Arc<Keymap>) -> Picker {
        let screens = super::steps::Screens::default();
        let steps =
            super::steps::Step::ALL.iter().map(|step| screens.get(*step).title()).collect::<Vec<_>>().join(" → ");
        Picker { entries, selected: 0, keymap, status: None, chosen: None, quit: false, steps }
    }

    fn done(&self) -> bool {
        self.quit || self.chosen.is_some()
    }
}

/// The picker's keys, as the footer shows them.
pub fn picker_hints(picker: &Picker) -> Vec<Hint> {
    let keymap = &picker.keymap;
    vec![
        pair(keymap, Action::MoveUp, Action::MoveDown, "move"),
        act(keymap, Action::Next, "open the scenario"),
        of(keymap, Action::Quit),
    ]
}

/// One key: moves, opens the selected scenario, or quits.
pub fn update_picker(picker: &mut Picker, key: KeyEvent) {
    if key.kind == KeyEventKind::Release {
        return;
    }
    picker.status = None;
    let keymap = picker.keymap.clone();
    let last = picker.entries.len().saturating_sub(1);
    match keymap.action(&key, &[Action::MoveUp, Action::MoveDown, Action::First, Action::Last, Action::Next]) {
        Some(Action::MoveUp) => picker.selected = picker.selected.saturating_sub(1),
        Some(Action::MoveDown) => picker.selected = (picker.selected + 1).min(last),
        Some(Action::First) => picker.selected = 0,
        Some(Action::Last) => picker.selected = last,
        Some(Action::Next) => match picker.entries.get(picker.selected) {
            Some(entry) if entry.error.is_some() => {
                picker.status =
                    Some(format!("{} does not load: fix the file, then start ferry demo again", entry.name));
            }
            Some(entry) => picker.chosen = Some(entry.load_as()),
            None => {}
        },
        _ if keymap.is(Action::Quit, &key) || keymap.is(Action::Interrupt, &key) => picker.quit = true,
        _ => {}
    }
}

/// `text` in at most `width` columns, ending in `…` when cut.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// A scenario's error on one line: what and where (its first line), and why (its last).
fn one_line(error: &str) -> String {
    let lines: Vec<&str> = error.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('|')).collect();
    match (lines.first(), lines.last()) {
        (Some(first), Some(last)) if lines.len() > 1 => format!("{first}: {last}"),
        _ => error.trim().to_string(),
    }
}

/// The entry's lines in the list: its name, what it is about (its lesson's headline, the part
/// of `teaches` before the colon) or, for a trainer's file, where it comes from, and a broken
/// file's error on a line of its own (the details give it whole).
fn entry_lines(entry: &Entry, selected: bool, width: usize, name_width: usize) -> Vec<Line<'static>> {
    let marker = if selected { "› " } else { "  " };
    let name_style = if selected { theme::selected().patch(theme::bold()) } else { theme::bold() };
    let name = format!("{:<name_width$}", safe(&entry.name));
    let room = width.saturating_sub(name_width + 4);
    let about = match &entry.origin {
        Origin::Bundled => {
            let headline = entry.teaches.split(':').next().unwrap_or("").trim();
            Span::styled(format!("  {}", fit(&safe(headline), room)), theme::dim())
        }
        Origin::Trainer(path) => Span::styled(
            format!("  {}", fit(&format!("trainer's · {}", safe(&path.display().to_string())), room)),
            theme::warn(),
        ),
    };
    let mut lines = vec![Line::from(vec![Span::raw(marker), Span::styled(name, name_style), about])];
    if let Some(error) = &entry.error {
        let text = format!("    does not load: {}", safe(&one_line(error)));
        lines.push(Line::styled(fit(&text, width), theme::error()));
    }
    lines
}

/// The selected scenario whole: what its account is, what it teaches, and how to open it
/// (or why its file does not load).
fn details(picker: &Picker) -> Vec<Line<'static>> {
    let Some(entry) = picker.entries.get(picker.selected) else { return Vec::new() };
    if let Some(error) = &entry.error {
        let mut lines = vec![Line::styled("This file does not load:", theme::error())];
        lines.extend(error.lines().map(|l| Line::from(safe(l))));
        return lines;
    }
    let mut lines = vec![Line::from(safe(&entry.description)), Line::from("")];
    if !entry.teaches.is_empty() {
        lines.push(Line::from(vec![Span::styled("Teaches  ", theme::bold()), Span::raw(safe(&entry.teaches))]));
        lines.push(Line::from(""));
    }
    if !entry.holds.is_empty() {
        lines.push(Line::from(vec![Span::styled("Account  ", theme::bold()), Span::raw(safe(&entry.holds))]));
    }
    // A trainer picks a scenario for what goes wrong in it, and can make any step fail besides.
    let faults = if entry.faults.is_empty() { "none of its own".to_string() } else { safe(&entry.faults) };
    lines.push(Line::from(vec![
        Span::styled("Faults   ", theme::bold()),
        Span::raw(faults),
        Span::styled("; `--fail-at STEP` makes a step fail", theme::dim()),
    ]));
    lines.push(Line::from(""));
    // A platform engineer trying the sandbox first wants the way to the real account too: it
    // comes before what is the same for every scenario, so a 24-row terminal still shows it.
    lines.push(Line::styled(
        "On your own account: `ferry --profile NAME` lists its instances; nothing changes until you approve a plan.",
        theme::dim(),
    ));
    lines.push(Line::from(vec![Span::styled("Steps    ", theme::bold()), Span::raw(picker.steps.clone())]));
    let open = picker.keymap.label(Action::Next);
    lines.push(Line::styled(
        format!("{open} opens it; `ferry demo --scenario {}` skips this list.", safe(&entry.load_as())),
        theme::dim(),
    ));
    lines
}

/// One line on what ferry is for, under the picker until a message takes its place.
const WHAT_FERRY_DOES: &str = "ferry moves an app from EC2 to ECS Express Mode, through a plan you approve";

/// Draws the picker: what the demo is, the list (scrolled to keep the selection in view), the
/// selected scenario's details (beside the list on a wide terminal, below it otherwise), a
/// status line and the keys.
pub fn view_picker(picker: &Picker, frame: &mut Frame) {
    let [title, body, status, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(1), Constraint::Length(1)])
            .areas(frame.area());
    let badge = Span::styled(" SANDBOX ", theme::badge(super::app::Mode::Sandbox));
    let intro = Span::styled("  ferry demo · choose a scenario", theme::bold());
    let note = Span::styled(" · no real AWS account is touched", theme::dim());
    frame.render_widget(Line::from(vec![badge, intro, note]), title);
    let rows: usize = picker.entries.iter().map(|e| 1 + usize::from(e.error.is_some())).sum();
    let [list, detail] = if body.width >= 110 {
        Layout::horizontal([Constraint::Length((body.width * 2 / 5).clamp(40, 60)), Constraint::Min(0)]).areas(body)
    } else {
        let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(body.height / 2).max(3);
        Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(body)
    };
    render_list(picker, frame, list);
    let name = picker.entries.get(picker.selected).map_or(String::new(), |e| safe(&e.name));
    let block = Block::default().borders(Borders::ALL).title(format!(" {name} "));
    frame.render_widget(Paragraph::new(details(picker)).wrap(Wrap { trim: false }).block(block), detail);
    match &picker.status {
        Some(text) => frame.render_widget(Line::styled(format!(" {}", safe(text)), theme::notice()), status),
        // A newcomer's first screen says what the product does before asking anything of them.
        None => frame.render_widget(Line::styled(format!(" {WHAT_FERRY_DOES}"), theme::dim()), status),
    }
    frame.render_widget(super::keymap::prompt_hint_line(picker_hints(picker)), footer);
    if theme::no_color() {
        theme::strip_colors(frame.buffer_mut());
    }
}

fn render_list(picker: &Picker, frame: &mut Frame, area: Rect) {
    let block = Block::default().borders(Borders::ALL).title(format!(" Scenarios ({}) ", picker.entries.len()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_at = (0, 0);
    // Names in a column of their own, so the headlines line up.
    let name_width = picker.entries.iter().map(|e| e.name.chars().count()).max().unwrap_or(0).min(28);
    for (index, entry) in picker.entries.iter().enumerate() {
        let entry_lines = entry_lines(entry, index == picker.selected, usize::from(inner.width), name_width);
        if index == picker.selected {
            selected_at = (lines.len(), lines.len() + entry_lines.len());
        }
        lines.extend(entry_lines);
    }
    let height = usize::from(inner.height);
    let scroll = selected_at.1.saturating_sub(height).min(selected_at.0);
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

/// Shows the picker until a scenario is chosen (what `--scenario` would take) or q is pressed.
pub async fn pick_scenario(entries: Vec<Entry>) -> Result<Option<String>> {
    let mut picker = Picker::new(entries, Arc::new(super::actions::load()?));
    let (tx, mut rx) = unbounded_channel();
    let mut term = super::terminal::enter()?;
    let input = super::terminal::spawn_input_thread(tx, std::time::Duration::from_millis(250));
    let handle = |picker: &mut Picker, msg: Msg| {
        if let Msg::Key(key) = msg {
            update_picker(picker, key);
        }
    };
    let result = super::terminal::event_loop(&mut term, &mut rx, &mut picker, view_picker, handle, Picker::done).await;
    input.stop();
    super::terminal::leave();
    result.map(|()| picker.chosen)
}
