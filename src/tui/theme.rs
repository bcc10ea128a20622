//! Colours and styles in one place.

use ratatui::style::{Color, Modifier, Style};

use super::app::Mode;

pub const OK: Color = Color::Green;
pub const RUNNING: Color = Color::Yellow;
pub const FAILED: Color = Color::Red;
pub const ACCENT: Color = Color::Cyan;

pub fn badge(mode: Mode) -> Style {
    let bg = match mode {
        Mode::Sandbox => Color::Blue,
        Mode::Live => Color::Red,
        Mode::ReadOnly => Color::Green,
    };
    Style::new().bg(bg).fg(Color::White).add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn key() -> Style {
    Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)
}

pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn header_row() -> Style {
    Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub fn focused_border() -> Style {
    Style::new().fg(ACCENT)
}

pub fn ok() -> Style {
    Style::new().fg(OK)
}

pub fn warn() -> Style {
    Style::new().fg(RUNNING)
}

pub fn error() -> Style {
    Style::new().fg(FAILED)
}

/// The one-line news under the body.
pub fn notice() -> Style {
    Style::new().fg(ACCENT)
}

/// Whether the terminal is asked for no colour (`NO_COLOR` set and not empty, as
/// no-color.org defines it). Read once: it does not change while ferry runs.
pub fn no_color() -> bool {
    static NO_COLOR: std::sync::LazyLock<bool> =
        std::sync::LazyLock::new(|| std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()));
    *NO_COLOR
}

/// The frame without a colour, every cue kept: what had a background (the mode badge, the
/// banners) is drawn in reverse video instead. Drawing no colour at all matters: the terminal
/// library answers a colour change under `NO_COLOR` with a reset that also drops reverse video
/// and bold, which would leave the selected row unmarked.
pub fn strip_colors(buffer: &mut ratatui::buffer::Buffer) {
    for cell in buffer.content.iter_mut() {
        if cell.bg != Color::Reset {
            cell.modifier.insert(Modifier::REVERSED);
        }
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
    }
}

pub use crate::config::Theme;

/// The drawn frame as the theme and `NO_COLOR` want it: the high-contrast colours first, then,
/// under `NO_COLOR`, no colour at all, so the two compose and every cue survives both.
pub fn finish(buffer: &mut ratatui::buffer::Buffer, theme: Theme, no_color: bool) {
    if theme == Theme::HighContrast {
        high_contrast(buffer);
    }
    if no_color {
        strip_colors(buffer);
    }
}

/// The high-contrast theme: no dim grey, the bright form of every colour, keys, focused
/// borders and the selection in bold.
pub fn high_contrast(buffer: &mut ratatui::buffer::Buffer) {
    for cell in buffer.content.iter_mut() {
        let (fg, bold) = match cell.fg {
            Color::DarkGray | Color::Gray => (Color::White, false),
            Color::Cyan => (Color::LightCyan, true),
            Color::Yellow => (Color::LightYellow, true),
            Color::Green => (Color::LightGreen, false),
            Color::Red => (Color::LightRed, true),
            Color::Blue => (Color::LightBlue, false),
            other => (other, false),
        };
        cell.fg = fg;
        if bold || cell.modifier.contains(Modifier::REVERSED) || cell.bg != Color::Reset {
            cell.modifier.insert(Modifier::BOLD);
        }
        cell.modifier.remove(Modifier::DIM);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Modifier};

    use super::{Theme, finish};

    /// A badge, a dim note, a key and a selected row: one cell each.
    fn cues() -> Buffer {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 4, 1));
        buffer[(0, 0)].set_style(super::badge(super::Mode::Sandbox));
        buffer[(1, 0)].set_style(super::dim());
        buffer[(2, 0)].set_style(super::key());
        buffer[(3, 0)].set_style(super::selected());
        buffer
    }

    #[test]
    fn high_contrast_and_no_color_compose_and_keep_every_cue() {
        let mut high = cues();
        finish(&mut high, Theme::HighContrast, false);
        assert_eq!(high[(1, 0)].fg, Color::White, "no dim grey");
        assert!(high[(2, 0)].modifier.contains(Modifier::BOLD) && high[(2, 0)].fg == Color::LightCyan);
        assert!(high[(3, 0)].modifier.contains(Modifier::REVERSED | Modifier::BOLD));

        for theme in [Theme::Default, Theme::HighContrast] {
            let mut plain = cues();
            finish(&mut plain, theme, true);
            assert!(plain.content.iter().all(|c| c.fg == Color::Reset && c.bg == Color::Reset), "{theme:?}");
            assert!(plain[(0, 0)].modifier.contains(Modifier::REVERSED), "{theme:?}: the badge in reverse video");
            assert!(plain[(3, 0)].modifier.contains(Modifier::REVERSED), "{theme:?}: the selection stays");
            assert!(plain[(2, 0)].modifier.contains(Modifier::BOLD), "{theme:?}: keys stay bold");
        }
        let mut same = cues();
        finish(&mut same, Theme::Default, false);
        assert_eq!(same, cues(), "the default theme draws as styled");
    }
}
