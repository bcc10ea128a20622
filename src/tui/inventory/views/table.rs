//! The resource table: one [`Table`] per kind, the current kind's shown, moved, sorted and
//! filtered.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row, Table as TableWidget, TableState, Wrap};

use super::{Context, Details, Place, Prompt, Reply, View};
use crate::inventory::{Inventory, Kind};
use crate::tui::actions::{Action, Keymap};
use crate::tui::inventory::rows::{rows_for, unseen};
use crate::tui::inventory::table::Table;
use crate::tui::keymap::{Hint, act, either, of, pair};
use crate::tui::theme;
use crate::tui::widgets::{panel, safe, spinner};

/// The keys of the table.
pub fn table_hints(keymap: &Keymap) -> Vec<Hint> {
    vec![
        of(keymap, Action::Command),
        of(keymap, Action::Filter),
        either(keymap, Action::Sort, Action::ReverseSort, "sort/reverse"),
        act(keymap, Action::Next, "details"),
        pair(keymap, Action::MoveUp, Action::MoveDown, "move"),
        of(keymap, Action::NextKind),
        act(keymap, Action::Back, "back/clear"),
        of(keymap, Action::Refresh),
        of(keymap, Action::Help),
        of(keymap, Action::Quit),
    ]
}

/// The table's keys, as the footer shows them (and the moves it does not).
const TABLE_KEYS: [Action; 17] = [
    Action::Quit,
    Action::Help,
    Action::Command,
    Action::Filter,
    Action::Refresh,
    Action::Next,
    Action::Back,
    Action::NextKind,
    Action::PreviousKind,
    Action::MoveDown,
    Action::MoveUp,
    Action::PageDown,
    Action::PageUp,
    Action::First,
    Action::Last,
    Action::Sort,
    Action::ReverseSort,
];

/// The table view. One table per kind, so each keeps its filter and sort across switches and
/// refreshes.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    tables: BTreeMap<Kind, Table>,
}

impl Tables {
    /// One kind's table, once the account has been read.
    pub fn get(&self, kind: &Kind) -> Option<&Table> {
        self.tables.get(kind)
    }

    /// One kind's table, to change.
    pub fn get_mut(&mut self, kind: &Kind) -> Option<&mut Table> {
        self.tables.get_mut(kind)
    }

    /// Takes a fresh inventory, keeping every table's filter, sort and selection.
    pub fn load(&mut self, inventory: &Inventory) {
        for kind in Kind::ALL {
            let fresh = rows_for(kind, inventory);
            match self.tables.get_mut(&kind) {
                Some(table) => table.set_rows(fresh.window(0, fresh.visible_len()).cloned().collect()),
                None => {
                    self.tables.insert(kind, fresh);
                }
            }
        }
    }

    /// The details of the current table's selected row, once the account has been read.
    fn details_of_selected(&self, ctx: &Context) -> Option<Details> {
        ctx.inventory?;
        let row = self.get(&ctx.kind)?.selected_row()?;
        Some(Details::new(ctx.kind, row.key.clone(), row.cells.first().cloned().unwrap_or_default()))
    }
}

impl View for Tables {
    fn place(&self) -> Place {
        Place::Body
    }

    fn handle_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        let Some(action) = ctx.keymap.action(&key, &TABLE_KEYS) else { return Reply::Nothing };
        match action {
            Action::Quit => Reply::Quit,
            Action::Help => Reply::OpenHelp,
            Action::Command => Reply::OpenPrompt(Prompt::Command(String::new())),
            Action::Filter => {
                let current = self.get(&ctx.kind).map(|t| t.filter.clone()).unwrap_or_default();
                Reply::OpenPrompt(Prompt::Filter(current))
            }
            Action::Refresh => Reply::Refresh,
            Action::Next => self.details_of_selected(ctx).map_or(Reply::Nothing, Reply::OpenDetails),
            Action::NextKind => Reply::SwitchKind(next_kind(ctx.kind, 1)),
            Action::PreviousKind => Reply::SwitchKind(next_kind(ctx.kind, -1)),
            action => {
                if let Some(table) = self.tables.get_mut(&ctx.kind) {
                    move_or_sort(table, action);
                }
                Reply::Nothing
            }
        }
    }

    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        match (ctx.inventory, self.get(&ctx.kind)) {
            (Some(inventory), Some(table)) => render_table(ctx.kind, inventory, table, frame, area),
            (Some(_), None) => {}
            (None, _) => {
                let text = Line::from(vec![spinner(ctx.ticks), " reading the account…".into()]);
                frame.render_widget(Paragraph::new(text).block(panel(" Inventory ".into(), true)), area);
            }
        }
    }

    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        table_hints(ctx.keymap)
    }
}

/// The keys that change only the table itself: moves, sorts, and `Back` clearing the filter.
fn move_or_sort(table: &mut Table, action: Action) {
    match action {
        Action::Back => table.set_filter(""),
        Action::MoveDown => table.move_by(1),
        Action::MoveUp => table.move_by(-1),
        Action::PageDown => table.move_by(20),
        Action::PageUp => table.move_by(-20),
        Action::First => table.selected = 0,
        Action::Last => table.select_last(),
        Action::Sort => table.cycle_sort(false),
        Action::ReverseSort => table.cycle_sort(true),
        _ => {}
    }
}

/// The kind `step` places along from `kind`, wrapping round.
fn next_kind(kind: Kind, step: isize) -> Kind {
    let index = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as isize;
    let len = Kind::ALL.len() as isize;
    Kind::ALL[(index + step).rem_euclid(len) as usize]
}

fn render_table(kind: Kind, inventory: &Inventory, table: &Table, frame: &mut Frame, area: Rect) {
    let sort = table.sort.map_or(String::new(), |(column, descending)| {
        format!(" {}{}", if descending { "▼" } else { "▲" }, table.columns.get(column).unwrap_or(&""))
    });
    let filter = if table.filter.is_empty() { String::new() } else { format!(" /{}", safe(&table.filter)) };
    let title = format!(" {} ({}/{}){filter}{sort} ", kind.title(), table.visible_len(), table.len());

    if let Some(reason) = unseen(kind, inventory) {
        let text =
            vec![Line::styled(format!("could not read {}", kind.title()), theme::warn()), Line::from(safe(&reason))];
        frame.render_widget(Paragraph::new(text).block(panel(title, true)).wrap(Wrap { trim: false }), area);
        return;
    }
    // Only the rows that fit are built: drawing costs the same for 10 rows or 10,000.
    let height = area.height.saturating_sub(3) as usize;
    let offset = table.selected.saturating_sub(height.saturating_sub(1));
    let rows = table.window(offset, height).map(|row| Row::new(row.cells.iter().map(String::as_str)));
    let widths = column_widths(table, offset, height);
    let header = Row::new(table.columns.iter().copied()).style(theme::header_row());
    let widget = TableWidget::new(rows, widths)
        .header(header)
        .row_highlight_style(theme::selected())
        .highlight_symbol("› ")
        .block(panel(title, true));
    let selected = (table.visible_len() > 0).then(|| table.selected - offset);
    frame.render_stateful_widget(widget, area, &mut TableState::default().with_selected(selected));
}

/// Each column as wide as its widest shown cell (at most 48), the last one taking the rest.
fn column_widths(table: &Table, offset: usize, height: usize) -> Vec<Constraint> {
    let mut widths: Vec<usize> = table.columns.iter().map(|c| c.chars().count()).collect();
    for row in table.window(offset, height) {
        for (width, cell) in widths.iter_mut().zip(&row.cells) {
            *width = (*width).max(cell.chars().count()).min(48);
        }
    }
    let last = widths.len().saturating_sub(1);
    widths
        .into_iter()
        .enumerate()
        .map(|(i, w)| if i == last { Constraint::Fill(1) } else { Constraint::Length(w as u16) })
        .collect()
}
