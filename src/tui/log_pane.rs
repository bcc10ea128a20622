//! The log pane (`l`): what ferry did this session, under the step's screen. While it is open
//! it takes the moves (a line, a page, the top, the end); it follows the newest line until
//! scrolled up, and never scrolls past its end.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::actions::{Action, Keymap};
use super::keymap::{Hint, act, either, moves};
use super::session_log::{SessionLog, Severity};
use super::theme;
use super::widgets::{clamp_scroll, panel, safe};

/// The pane's state: whether it is open, and where it is scrolled (`None`: at the end,
/// following new lines).
#[derive(Debug, Clone, Default)]
pub struct LogPane {
    pub shown: bool,
    pub scroll: Option<u16>,
    pub session: SessionLog,
}

impl LogPane {
    /// The body split between the step's screen and, when open, the pane below it.
    pub fn split(&self, body: Rect) -> (Rect, Option<Rect>) {
        if !self.shown {
            return (body, None);
        }
        let pane = (body.height * 2 / 5).max(5).min(body.height);
        let [screen, log] = Layout::vertical([Constraint::Min(0), Constraint::Length(pane)]).areas(body);
        (screen, Some(log))
    }

    /// Where the pane is scrolled, drawn in `area`: never past the end.
    pub fn offset(&self, area: Rect) -> u16 {
        let lines = self.session.len();
        clamp_scroll(self.scroll.unwrap_or(u16::MAX), lines, area)
    }

    /// Scrolls by `lines` (up when negative), drawn in `area`; at the end it follows again.
    pub fn scroll_by(&mut self, lines: i32, area: Rect) {
        let end = clamp_scroll(u16::MAX, self.session.len(), area);
        let at = (i32::from(self.offset(area)) + lines).clamp(0, i32::from(end)) as u16;
        self.scroll = (at < end).then_some(at);
    }

    /// A key while the pane is open or for opening it; whether it took the key.
    pub fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent, area: Rect) -> bool {
        use Action::{Back, First, Last, MoveDown, MoveUp, PageDown, PageUp, ToggleLog};
        let page = i32::from(area.height.saturating_sub(3)).max(1);
        let allowed = [ToggleLog, Back, MoveUp, MoveDown, PageUp, PageDown, First, Last];
        let action = keymap.action(key, &allowed);
        if !self.shown && action != Some(ToggleLog) {
            return false;
        }
        match action {
            Some(ToggleLog | Back) => self.shown = !self.shown,
            Some(MoveUp) => self.scroll_by(-1, area),
            Some(MoveDown) => self.scroll_by(1, area),
            Some(PageUp) => self.scroll_by(-page, area),
            Some(PageDown) => self.scroll_by(page, area),
            Some(First) => self.scroll = Some(0),
            Some(Last) => self.scroll = None,
            _ => return false,
        }
        true
    }

    /// The pane's keys while it is open, closing it first: it must never be cut from the footer.
    pub fn hints(keymap: &Keymap) -> Vec<Hint> {
        vec![
            act(keymap, Action::ToggleLog, "close the log"),
            moves(keymap, "scroll"),
            either(keymap, Action::PageDown, Action::PageUp, "page"),
            either(keymap, Action::First, Action::Last, "top, end"),
        ]
    }

    /// Draws the pane in `area`.
    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let entries = self.session.entries();
        let lines: Vec<Line> = if entries.is_empty() {
            vec![Line::styled("nothing yet: discoveries, plans, approvals and runs are listed here", theme::dim())]
        } else {
            entries
                .iter()
                .map(|e| {
                    let style = match e.severity {
                        Severity::Info => ratatui::style::Style::new(),
                        Severity::Warn => theme::warn(),
                        Severity::Error => theme::error(),
                    };
                    Line::from(vec![
                        Span::styled(format!("{}  ", e.time), theme::dim()),
                        Span::styled(safe(&e.text), style),
                    ])
                })
                .collect()
        };
        let offset = self.offset(area);
        let where_ = if self.scroll.is_some() { "" } else { " · following" };
        let title = format!(" Log · {} lines{where_} ", entries.len());
        frame.render_widget(Paragraph::new(lines).block(panel(title, true)).scroll((offset, 0)), area);
    }
}
