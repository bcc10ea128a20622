//! The read panes: each artifact highlighted, scrolled both ways and never past its end, and
//! the diff view that takes their place.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Pane, Service, diff, edits};
use crate::migration::Migration;
use crate::tui::highlight::{self, Tokens};
use crate::tui::theme;
use crate::tui::widgets::{crop_line, panel};

/// How much a pane holds and how much of it the last frame showed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extent {
    pub lines: usize,
    /// The widest line, in characters.
    pub widest: usize,
    /// The rows and columns inside the border; 0 before the pane is first drawn.
    pub height: usize,
    pub width: usize,
}

impl Extent {
    fn of(lines: &[Vec<(Style, String)>], area: Rect) -> Extent {
        let widest = lines.iter().map(|l| l.iter().map(|(_, s)| s.chars().count()).sum()).max().unwrap_or(0);
        let inner = (usize::from(area.height.saturating_sub(2)), usize::from(area.width.saturating_sub(2)));
        Extent { lines: lines.len(), widest, height: inner.0, width: inner.1 }
    }

    /// The furthest down the pane scrolls: its last line at the bottom.
    pub fn max_down(&self) -> u16 {
        u16::try_from(self.lines.saturating_sub(self.height)).unwrap_or(u16::MAX)
    }

    /// The furthest right it scrolls: the end of its widest line at the right edge.
    pub fn max_right(&self) -> u16 {
        u16::try_from(self.widest.saturating_sub(self.width)).unwrap_or(u16::MAX)
    }

    /// A scroll kept within the pane, once its size is known (before, the next frame clamps).
    pub fn clamp_down(&self, scroll: u16) -> u16 {
        if self.height == 0 { scroll } else { scroll.min(self.max_down()) }
    }

    pub fn clamp_right(&self, scroll: u16) -> u16 {
        if self.width == 0 { scroll } else { scroll.min(self.max_right()) }
    }
}

/// Tokens as styled pieces.
fn styled(tokens: Tokens) -> Vec<(Style, String)> {
    tokens.into_iter().map(|(token, text)| (token.style(), text)).collect()
}

/// One artifact, highlighted, with `edited` in its title when it is not as generated.
pub fn render_pane(pane: Pane, state: &Service, migration: &Migration, frame: &mut Frame, area: Rect) {
    let focused = state.focus == pane;
    let mark = if focused { "▌" } else { " " };
    let (name, lines): (&str, Vec<Vec<(Style, String)>>) = match pane {
        Pane::Dockerfile => (
            "Dockerfile",
            migration.artifacts.dockerfile.lines().map(|l| styled(highlight::dockerfile_line(l))).collect(),
        ),
        Pane::Config => (
            "service.json (Express Mode)",
            migration.artifacts.service_json().lines().map(|l| styled(highlight::json_line(l))).collect(),
        ),
    };
    let edited = if edits::is_edited(migration, pane) { " · edited" } else { "" };
    let bad = problem_lines(pane, migration);
    let lines =
        lines.into_iter().enumerate().map(|(i, l)| if bad.contains(&(i + 1)) { marked(l) } else { l }).collect();
    let problems = match bad.len() {
        0 => String::new(),
        1 => " · ✗ 1 problem".to_string(),
        n => format!(" · ✗ {n} problems"),
    };
    let title = Line::from(vec![
        format!("{mark}{name}").into(),
        Span::styled(edited, theme::warn().add_modifier(Modifier::BOLD)),
        Span::styled(problems, theme::error().add_modifier(Modifier::BOLD)),
        " ".into(),
    ]);
    let mut block = Block::new().borders(Borders::ALL).title(title);
    if focused {
        block = block.border_style(theme::focused_border());
    }
    draw(state, pane, lines, block, frame, area);
}

/// The lines of a saved artifact that break a rule approval applies (what the editor marked
/// when it was saved anyway): underlined, so they stand out without colour too.
fn problem_lines(pane: Pane, migration: &Migration) -> Vec<usize> {
    let text = edits::text_of(&migration.artifacts, pane);
    let problems = match pane {
        Pane::Dockerfile => crate::plan::check_dockerfile(&text),
        Pane::Config => {
            crate::plan::check_service_json(&text, &migration.account.account_id, &migration.account.region).1
        }
    };
    problems.into_iter().map(|p| p.line).collect()
}

fn marked(pieces: Vec<(Style, String)>) -> Vec<(Style, String)> {
    let bad = theme::error().add_modifier(Modifier::UNDERLINED);
    pieces.into_iter().map(|(style, text)| (style.patch(bad), text)).collect()
}

/// The focused artifact's diff against the generated one, across both panes.
pub fn render_diff(state: &Service, migration: &Migration, frame: &mut Frame, area: Rect) {
    let pane = state.focus;
    let generated = edits::text_of(&edits::generated(migration), pane);
    let edited = edits::text_of(&migration.artifacts, pane);
    let lines = diff::diff_lines(&(generated.trim_end().to_string() + "\n"), &(edited.trim_end().to_string() + "\n"));
    let title = format!("▌{} · diff: generated → edited ", pane.name());
    draw(state, pane, lines, panel(title, true), frame, area);
}

/// Draws `lines` in `block`, scrolled as `pane` is and never past the end either way, and
/// notes how much the pane holds for the keys.
fn draw(
    state: &Service,
    pane: Pane,
    lines: Vec<Vec<(Style, String)>>,
    block: Block<'static>,
    frame: &mut Frame,
    area: Rect,
) {
    let extent = Extent::of(&lines, area);
    state.shown[pane.index()].set(extent);
    let top = usize::from(state.scroll[pane.index()].min(extent.max_down()));
    let left = usize::from(state.hscroll[pane.index()].min(extent.max_right()));
    let shown: Vec<Line> =
        lines.iter().skip(top).take(extent.height).map(|pieces| crop_line(pieces, left, extent.width)).collect();
    frame.render_widget(Paragraph::new(shown).block(block), area);
}
