//! A text pane's scroll that never runs past its end. The end is known only once the pane is
//! drawn at its size: each draw notes it, and the next key starts from within it.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Paragraph};

use crate::tui::actions::{Action, Keymap};
use crate::tui::theme;

/// How far a pane is scrolled, and how far it could be at its last draw (`None` before the
/// first: the keys are then kept in by the draw alone).
#[derive(Debug, Clone, Default)]
pub struct Scroll {
    offset: u16,
    end: Cell<Option<u16>>,
}

impl Scroll {
    /// Whether the pane had more than it showed at its last draw.
    pub fn can_scroll(&self) -> bool {
        self.end.get().is_some_and(|end| end > 0)
    }

    /// The furthest the keys may take it.
    fn limit(&self) -> u16 {
        self.end.get().unwrap_or(u16::MAX)
    }

    /// Scrolls by `lines` (up when negative), never past either end.
    pub fn by(&mut self, lines: i32) {
        let end = i32::from(self.limit());
        self.offset = (i32::from(self.offset.min(self.limit())) + lines).clamp(0, end) as u16;
    }

    /// The moves of a pane: a line, a page, the top, the end. Whether `key` was one.
    pub fn key(&mut self, keymap: &Keymap, key: &KeyEvent) -> bool {
        use Action::{First, Last, MoveDown, MoveUp, PageDown, PageUp};
        match keymap.action(key, &[MoveDown, MoveUp, PageDown, PageUp, First, Last]) {
            Some(MoveDown) => self.by(1),
            Some(MoveUp) => self.by(-1),
            Some(PageDown) => self.by(10),
            Some(PageUp) => self.by(-10),
            Some(First) => self.offset = 0,
            Some(Last) => self.offset = self.limit(),
            _ => return false,
        }
        true
    }

    /// Back to the top.
    pub fn reset(&mut self) {
        self.offset = 0;
    }

    /// Where `paragraph` drawn in `block` in `area` is scrolled, and how far it can be: noted
    /// for the next key. Lines are counted at the block's inner width, where they wrap.
    pub fn place(&self, paragraph: &Paragraph, block: &Block, area: Rect) -> (u16, u16) {
        let inner = block.inner(area);
        let lines = paragraph.line_count(inner.width);
        let end = u16::try_from(lines.saturating_sub(usize::from(inner.height))).unwrap_or(u16::MAX);
        self.end.set(Some(end));
        (self.offset.min(end), end)
    }

    /// Draws `paragraph` in `block` in `area`, scrolled, its last line at most at the bottom,
    /// with `↓ more` / `↑ more` on the bottom border when lines are hidden; notes how far it
    /// can scroll.
    pub fn render(&self, paragraph: Paragraph, block: Block, frame: &mut Frame, area: Rect) {
        let (offset, end) = self.place(&paragraph, &block, area);
        let paragraph = paragraph.block(block);
        let more = match (offset > 0, offset < end) {
            (_, true) => " ↓ more ",
            (true, false) => " ↑ more ",
            _ => "",
        };
        let paragraph = paragraph.scroll((offset, 0));
        frame.render_widget(paragraph, area);
        if !more.is_empty() && area.height > 1 && area.width > 10 {
            let at = Rect::new(area.right().saturating_sub(10), area.bottom() - 1, 8, 1);
            frame.render_widget(Span::styled(more, theme::dim()), at);
        }
    }
}
