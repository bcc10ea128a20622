//! Retire: the old stack, item by item, with what each costs a month and the exact AWS CLI
//! command that removes it. ferry deletes nothing: the operator runs each command, then `x`
//! journals it as removed. Refused (by the engine) until the cutover is finalized.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Context, Onward, Reply, Screen, migration_or_placeholder};
use crate::cost::Money;
use crate::tui::actions::{Action, Keymap};
use crate::tui::app::{App, Loadable};
use crate::tui::keymap::{Hint, act, moves, of};
use crate::tui::msg::Command;
use crate::tui::steps::Step;
use crate::tui::theme;
use crate::tui::traffic::{Checklist, applied_migration};
use crate::tui::widgets::{panel, safe, spinner, truncate, wrap};

/// The Retire step; its own state is the selected item.
#[derive(Debug, Default)]
pub struct Retire {
    selected: usize,
    /// How far the selected item's command and notes are scrolled (`J`/`K`).
    detail: crate::tui::widgets::Scroll,
}

/// The list to read now: on the Retire step, once per finalize (the checklist is forgotten
/// when a finalize run ends, so it follows it).
pub fn read_command(app: &mut App) -> Option<Command> {
    if app.step != Step::Retire || !matches!(app.traffic.checklist, Loadable::Idle) {
        return None;
    }
    let run_id = applied_migration(app)?;
    app.traffic.checklist = Loadable::Loading;
    Some(Command::ReadChecklist { run_id })
}

impl Screen for Retire {
    fn title(&self) -> &'static str {
        "Retire"
    }

    fn purpose(&self, keymap: &Keymap) -> String {
        format!(
            "The old stack, with what each part costs and the command that removes it; ferry deletes nothing, {} \
             journals what you removed.",
            keymap.label(Action::ConfirmRemoved)
        )
    }

    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        let keymap = ctx.keymap;
        match ctx.traffic.checklist.ready() {
            Some(_) => {
                let mut keys = vec![
                    moves(keymap, "choose"),
                    act(keymap, Action::ConfirmRemoved, "mark removed (journaled)"),
                    of(keymap, Action::Back),
                ];
                keys.extend(super::second_pane_hint(keymap, &self.detail, "scroll the command"));
                keys
            }
            None => vec![of(keymap, Action::Back)],
        }
    }

    fn handle_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        let Some(checklist) = ctx.traffic.checklist.ready() else { return Reply::Done };
        let last = checklist.items.len().saturating_sub(1);
        let keymap = ctx.keymap;
        if super::scroll_second_pane(keymap, &key, &mut self.detail) {
            return Reply::Done;
        }
        let before = self.selected;
        use Action::{ConfirmRemoved, First, Last, MoveDown, MoveUp};
        match keymap.action(&key, &[MoveUp, MoveDown, First, Last, ConfirmRemoved]) {
            Some(MoveUp) => self.selected = self.selected.saturating_sub(1),
            Some(MoveDown) => self.selected = (self.selected + 1).min(last),
            Some(First) => self.selected = 0,
            Some(Last) => self.selected = last,
            Some(_) => {
                let Some(item) = checklist.items.get(self.selected.min(last)) else { return Reply::Done };
                if checklist.confirmation(item).is_some() {
                    return Reply::Say(format!("{} is already journaled as removed", safe(&item.id)));
                }
                return Reply::Start(Command::ConfirmRemoved {
                    run_id: checklist.run_id.clone(),
                    item: item.id.clone(),
                });
            }
            None => {}
        }
        if self.selected != before {
            self.detail.reset();
        }
        Reply::Done
    }

    /// The last step: Enter leads nowhere.
    fn onward(&self, _ctx: &Context) -> Onward {
        Onward::Stay(None)
    }

    fn is_done(&self, ctx: &Context, _passed: bool) -> bool {
        ctx.traffic.checklist.ready().is_some_and(|c| c.items.iter().all(|i| c.confirmation(i).is_some()))
    }

    fn reset(&mut self) {
        self.selected = 0;
        self.detail.reset();
    }

    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        if migration_or_placeholder(ctx, self.title(), frame, area).is_none() {
            return;
        }
        let width = area.width.saturating_sub(4) as usize;
        let lines = match &ctx.traffic.checklist {
            Loadable::Ready(checklist) => return self.render_list(checklist, frame, area),
            Loadable::Failed(error) => {
                let mut lines = vec![Line::styled("The old stack is not listed for removal yet", theme::warn())];
                lines.extend(wrap(&safe(error), width).into_iter().map(Line::from));
                lines
            }
            Loadable::Loading => vec![Line::from(vec![spinner(ctx.ticks), " discovering the old stack again…".into()])],
            Loadable::Idle => vec![Line::from(format!(
                "The old stack is listed once the cutover is finalized (Cutover, {} back).",
                ctx.keymap.label(Action::Back)
            ))],
        };
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false }).block(panel(" Retire ".into(), true));
        frame.render_widget(paragraph, area);
    }
}

impl Retire {
    /// The items, a line each, over the selected one's command and note.
    fn render_list(&self, checklist: &Checklist, frame: &mut Frame, area: Rect) {
        let width = area.width.saturating_sub(4) as usize;
        let selected = self.selected.min(checklist.items.len().saturating_sub(1));
        let left = Money::sum(
            checklist.items.iter().filter(|i| checklist.confirmation(i).is_none()).filter_map(|i| i.monthly),
        );
        let done = checklist.items.iter().filter(|i| checklist.confirmation(i).is_some()).count();
        let mut detail = Vec::new();
        if let Some(item) = checklist.items.get(selected) {
            detail.push(Line::styled(safe(&item.what), theme::bold()));
            for part in wrap(&safe(&item.command), width) {
                detail.push(Line::styled(part, theme::key()));
            }
            for part in item.note.iter().flat_map(|n| wrap(&safe(n), width)) {
                detail.push(Line::styled(part, theme::dim()));
            }
            if let Some(c) = checklist.confirmation(item) {
                let text = format!("removed, journaled {} by {}", safe(&c.at), safe(&c.operator));
                detail.extend(wrap(&text, width).into_iter().map(|l| Line::styled(l, theme::ok())));
            }
        }
        for gap in &checklist.unseen {
            detail.extend(wrap(&safe(gap), width).into_iter().map(|l| Line::styled(l, theme::warn())));
        }
        if let Some(why) = &checklist.unjournaled {
            detail.extend(wrap(&safe(why), width).into_iter().map(|l| Line::styled(l, theme::warn())));
        }
        let detail_height = (detail.len() as u16 + 2).min(area.height / 2);
        let [list_area, detail_area] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(detail_height)]).areas(area);

        let cost_width = 12;
        let id_width = (width / 3).clamp(10, 34);
        let what_width = width.saturating_sub(id_width + cost_width + 6);
        let mut lines = Vec::new();
        for (index, item) in checklist.items.iter().enumerate() {
            let mark = if checklist.confirmation(item).is_some() { "[x]" } else { "[ ]" };
            let cost = item.monthly.map_or("no price".to_string(), |m| format!("{m}/mo"));
            let style = if index == selected { theme::selected() } else { Default::default() };
            let pointer = if index == selected { "›" } else { " " };
            lines.push(Line::styled(
                format!(
                    "{pointer}{mark} {:<id_width$} {:<what_width$} {cost:>cost_width$}",
                    truncate(&safe(&item.id), id_width),
                    truncate(&safe(&item.what), what_width),
                ),
                style,
            ));
        }
        let inner = list_area.height.saturating_sub(2) as usize;
        let scroll = (selected + 1).saturating_sub(inner);
        let title = format!(
            " Retire · {done} of {} removed · still about {left}/mo (prices of {}) ",
            checklist.items.len(),
            safe(&checklist.prices_as_of)
        );
        let list = Paragraph::new(lines).block(panel(title, true)).scroll((scroll as u16, 0));
        frame.render_widget(list, list_area);
        let hint = Span::styled(" run the command, then mark it removed ", theme::dim());
        let block = panel(String::new(), false).title(Line::from(hint));
        self.detail.render(Paragraph::new(detail), block, frame, detail_area);
    }
}
