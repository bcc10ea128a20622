//! Container: what ferry learned about the application, each fact with its source, and the
//! source folder the facts were read from.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Row, Table, Wrap};

use super::{Context, Reply, Screen, migration_or_placeholder};
use crate::migration::Migration;
use crate::model::FindingLevel;
use crate::tui::actions::{Action, Keymap};
use crate::tui::keymap::{Hint, moves, of};
use crate::tui::theme;
use crate::tui::widgets::{panel, safe};
use crate::userdata::MASK;

const NAME_WIDTH: u16 = 18;
/// A fact's value or source wraps to at most this many lines.
const MAX_CELL_LINES: usize = 3;

/// One row of the profile: the fact, its value, where it came from.
struct Fact {
    name: String,
    value: String,
    value_style: Style,
    source: String,
}

fn fact(name: &str, value: impl Into<String>, source: &str) -> Fact {
    Fact { name: name.to_string(), value: value.into(), value_style: Style::new(), source: source.to_string() }
}

fn render(screen: &Container, app: &Context, migration: &Migration, frame: &mut Frame, area: Rect) {
    let facts = facts(app, migration);
    let inner = area.width.saturating_sub(2);
    // Values come first: the Source column is as wide as the sources that fit in a third of
    // the width; a longer one wraps rather than squeezing every value.
    let third = inner / 3;
    let widest_source =
        facts.iter().map(|f| safe(&f.source).chars().count() as u16 + 2).filter(|w| *w <= third).max().unwrap_or(third);
    let source_width = widest_source.max(28).min(inner.saturating_sub(NAME_WIDTH + 12));
    let value_width = inner.saturating_sub(NAME_WIDTH + source_width + 2);
    let (rows, heights): (Vec<Row>, Vec<u16>) = facts.iter().map(|f| row(f, value_width, source_width)).unzip();
    let needed = 3 + heights.iter().sum::<u16>();
    let facts_height = needed.min(area.height.saturating_sub(6).max(area.height / 2));
    let [facts_area, findings_area] =
        Layout::vertical([Constraint::Length(facts_height), Constraint::Fill(1)]).areas(area);

    let widths = [Constraint::Length(NAME_WIDTH), Constraint::Length(value_width), Constraint::Length(source_width)];
    let table = Table::new(rows, widths)
        .header(Row::new(vec!["Fact", "Value", "Source"]).style(theme::header_row()))
        .block(panel(" Application profile ".into(), true));
    frame.render_widget(table, facts_area);
    render_findings(screen, app, migration, frame, findings_area);
}

/// The Container step: the application profile, and how far the findings are scrolled.
#[derive(Debug, Default)]
pub struct Container {
    pub findings: crate::tui::widgets::Scroll,
}

impl Screen for Container {
    fn title(&self) -> &'static str {
        "Container"
    }

    fn purpose(&self, _keymap: &Keymap) -> String {
        "How the app runs: runtime, start command, port, environment and secrets.".into()
    }

    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        let keymap = ctx.keymap;
        let mut keys = vec![of(keymap, Action::Next), of(keymap, Action::Back)];
        if ctx.locked_reason().is_none() {
            keys.extend([of(keymap, Action::OpenFolder), of(keymap, Action::SecretSource)]);
        }
        keys.push(moves(keymap, "scroll findings"));
        keys
    }

    fn actions(&self, _ctx: &Context) -> &'static [Action] {
        &[Action::OpenFolder, Action::SecretSource]
    }

    /// The moves scroll the findings (the facts fit; a long list of findings may not).
    fn handle_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        self.findings.key(ctx.keymap, &key);
        Reply::Done
    }

    fn reset(&mut self) {
        *self = Container::default();
    }

    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        if let Some(migration) = migration_or_placeholder(ctx, self.title(), frame, area) {
            render(self, ctx, migration, frame, area);
        }
    }
}

fn facts(app: &Context, migration: &Migration) -> Vec<Fact> {
    let profile = &migration.profile;
    let names = &migration.artifacts.names;
    let runtime = profile.runtime.as_ref();
    let mut facts = vec![folder_fact(app)];
    let mut runtime_value = runtime.map_or("unknown".into(), |r| format!("{} {}", r.name, r.version));
    if let Some(framework) = &profile.framework {
        runtime_value = format!("{runtime_value} · {framework}");
    }
    facts.extend([
        fact("Runtime", runtime_value, runtime.map_or("", |r| &r.source)),
        fact("Package manager", profile.package_manager_shown(), &profile.package_manager_source),
    ]);
    if let Some(entry) = &profile.entry {
        facts.push(fact("Entry", entry.clone(), &profile.entry_source));
    }
    facts.extend([
        fact("Start command", crate::text::command_line(&profile.start_command), &profile.start_source),
        fact(
            "Build",
            profile.build_command.as_ref().map_or_else(|| "none".to_string(), |b| crate::text::command_line(b)),
            if profile.build_command.is_some() { &profile.build_source } else { "no build script" },
        ),
        fact("Port", profile.port.to_string(), &profile.port_source),
        fact("Health check", profile.health_check_path.clone(), &profile.health_source),
    ]);
    for var in &profile.env {
        let value = match &var.value {
            Some(value) => value.clone(),
            None => format!("{MASK} → Secrets Manager {}", names.secret(&var.name)),
        };
        // A source given here is named as the operator typed it, not as the flag it stands for.
        let source = var.given.as_ref().map_or_else(|| var.source.clone(), |g| format!("given: {}", g.describe()));
        let mut row = fact(&format!("env {}", var.name), value, &source);
        if var.secret {
            row.value_style = theme::warn();
        }
        facts.push(row);
    }
    facts
}

/// The folder in use, or how to choose one; why it is fixed while a run is open.
fn folder_fact(app: &Context) -> Fact {
    let locked = app.locked_reason();
    let mut fact = match (&app.app_folder, &locked) {
        (Some(folder), _) => fact("Source folder", folder.path.to_string_lossy(), folder.origin),
        (None, Some(_)) => fact("Source folder", "none: facts from user data only", "no --app"),
        (None, None) => fact(
            "Source folder",
            format!("none: facts from user data only, press {} to choose", app.keymap.label(Action::OpenFolder)),
            "no --app",
        ),
    };
    if app.app_folder.is_none() {
        fact.value_style = theme::warn();
    }
    if let Some(reason) = locked {
        fact.value = format!("{} ({reason})", fact.value);
    }
    fact
}

/// The fact's row, its value and source wrapped to their columns, and its height.
fn row(fact: &Fact, value_width: u16, source_width: u16) -> (Row<'static>, u16) {
    let value = wrap(&safe(&fact.value), value_width as usize);
    let source = wrap(&format!("← {}", safe(&fact.source)), source_width as usize);
    let height = value.len().max(source.len()).max(1) as u16;
    let lines = |cell: Vec<String>, style: Style| {
        Text::from(cell.into_iter().map(|l| Line::styled(l, style)).collect::<Vec<_>>())
    };
    let row = Row::new(vec![Text::from(safe(&fact.name)), lines(value, fact.value_style), lines(source, theme::dim())]);
    (row.height(height), height)
}

/// `text` in lines of at most `width` characters, broken at spaces where it can be, at most
/// `MAX_CELL_LINES` of them, the last ending in `…` when cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(4);
    let mut lines = Vec::new();
    let mut rest: Vec<char> = text.chars().collect();
    while !rest.is_empty() {
        if lines.len() + 1 == MAX_CELL_LINES && rest.len() > width {
            let mut last: String = rest[..width - 1].iter().collect();
            last.push('…');
            lines.push(last);
            break;
        }
        if rest.len() <= width {
            lines.push(rest.iter().collect());
            break;
        }
        let cut = rest[..=width].iter().rposition(|c| *c == ' ').filter(|&i| i > width / 4).unwrap_or(width);
        lines.push(rest[..cut].iter().collect::<String>().trim_end().to_string());
        let skip = if rest.get(cut) == Some(&' ') { cut + 1 } else { cut };
        rest.drain(..skip);
    }
    lines
}

fn render_findings(screen: &Container, app: &Context, migration: &Migration, frame: &mut Frame, area: Rect) {
    let findings = &migration.profile.findings;
    let sourcing = app.locked_reason().is_none();
    let mut lines: Vec<Line> = Vec::new();
    for f in findings {
        let (icon, style) = match f.level {
            FindingLevel::Info => ("ℹ", theme::ok()),
            FindingLevel::Warning => ("⚠", theme::warn()),
            FindingLevel::Blocker => ("✗", theme::error()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{icon} "), style),
            Span::raw(safe(&f.message)),
            // A no-break space keeps the arrow on the line of the source it points to.
            Span::styled(format!("  ←\u{a0}{}", safe(&f.source)), theme::dim()),
        ]));
        if let Some(fix) = &f.fix {
            let mut spans = vec![Span::styled("  fix: ", style), Span::raw(safe(fix))];
            // The flag is for the headless commands; here the prompt gives the same.
            if fix.contains("--secret ") && sourcing {
                let key = app.keymap.label(Action::SecretSource);
                spans.extend([Span::raw(" (here: press "), Span::styled(key, theme::key()), Span::raw(")")]);
            }
            lines.push(Line::from(spans));
        }
    }
    // Every variable the code reads, so the operator sees what the service must set.
    let variables = &migration.profile.variables;
    if !variables.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("The code reads {} variable{}:", variables.len(), if variables.len() == 1 { "" } else { "s" }),
            theme::bold(),
        )));
        for variable in variables {
            let set = migration.profile.env.iter().any(|e| e.name == variable.name);
            let style = if set { theme::ok() } else { Style::default() };
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", if set { "✓" } else { "·" }), style),
                Span::styled(safe(&variable.name), theme::key()),
                Span::raw(format!(" {}", safe(&variable.summary()))),
                Span::styled(format!("  ←\u{a0}{}", safe(&variable.source)), theme::dim()),
            ]));
        }
    }
    // How many lines the findings take once wrapped: enough to say more are below.
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let (scroll, end) = screen.findings.place(&paragraph, &panel(String::new(), false), area);
    let mut title = format!(" Findings ({}) · variables ({}) ", findings.len(), variables.len());
    if end > 0 {
        let below = end - scroll;
        let keymap = &app.keymap;
        title = match (scroll, below) {
            (0, _) => format!("{title}· more below: {} ", keymap.label(Action::MoveDown)),
            (_, 0) => format!("{title}· {} for the top ", keymap.label(Action::MoveUp)),
            _ => format!("{title}· {} for more ", keymap.short_pair_label(Action::MoveUp, Action::MoveDown)),
        };
    }
    frame.render_widget(paragraph.block(panel(title, false)).scroll((scroll, 0)), area);
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_with_an_ellipsis() {
        assert_eq!(wrap("short", 10), vec!["short"]);
        assert_eq!(wrap("gunicorn --bind 0.0.0.0:3000", 16), vec!["gunicorn --bind", "0.0.0.0:3000"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("abcdefghijklmnop", 4), vec!["abcd", "efgh", "ijk…"]);
    }
}
