//! The secret-source prompt on the Container step: `NAME=env:VAR` or `NAME=file:PATH` says
//! where the machine that applies the plan reads a secret's value. Enter plans again with it.

use crate::tui::widgets::render_entry;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Margin};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui_textarea::{CursorMove, TextArea};

use super::actions::{Action, in_text_field};
use super::app::{App, Loadable, Overlay};
use super::folder_prompt::{edited_artifacts, locked_reason};
use super::keymap::{prompt_hint_line, secret_hints};
use super::theme;
use super::view::centered;
use super::widgets::{safe, wrap};
use crate::migration::Migration;
use crate::model::{CodeVariable, GivenValue, VariableScope, is_variable_name};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// The operator is typing `NAME=env:VAR`.
    Editing,
    /// Planning again would replace these edited artifacts: y goes on, n goes back to the text.
    ConfirmReplace { edited: Vec<&'static str> },
}

#[derive(Debug, Clone)]
pub struct SecretPrompt {
    pub input: TextArea<'static>,
    pub stage: Stage,
    /// Why the last entry was refused; the migration is unchanged.
    pub error: Option<String>,
}

impl SecretPrompt {
    fn new(text: &str) -> SecretPrompt {
        let mut input = TextArea::new(vec![text.to_string()]);
        input.set_cursor_line_style(Style::new());
        input.move_cursor(CursorMove::End);
        SecretPrompt { input, stage: Stage::Editing, error: None }
    }

    /// The entry as typed.
    pub fn text(&self) -> String {
        self.input.lines().concat()
    }
}

/// What one entry asks for: a source for `name`, or (`NAME=` alone) to forget the one given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub source: Option<GivenValue>,
}

/// `NAME=env:VAR`, `NAME=file:PATH`, or `NAME=` to forget a source given before; else why not.
pub fn parse_entry(text: &str) -> Result<Entry, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("type NAME=env:VAR or NAME=file:PATH".into());
    }
    let Some((name, value)) = text.split_once('=') else {
        return Err(format!("`{text}` has no =: write NAME=env:VAR or NAME=file:PATH"));
    };
    let name = name.trim();
    if !is_variable_name(name) {
        return Err(format!("`{name}` is not an environment variable name"));
    }
    let value = value.trim();
    let source = match value {
        "" => None,
        "env:" => return Err("type the environment variable's name after env:".into()),
        "file:" => return Err("type the file's path after file:".into()),
        _ => Some(GivenValue::parse(value)?),
    };
    Ok(Entry { name: name.to_string(), source })
}

/// The secrets the code reads that nothing gives a value, those it requires first.
pub fn unsourced(migration: &Migration) -> Vec<&CodeVariable> {
    let profile = &migration.profile;
    let set = |name: &str| profile.env.iter().any(|e| e.name == name);
    let lacking = |v: &&CodeVariable| v.secret && v.scope == VariableScope::Runtime && !set(&v.name);
    let blocked = |v: &CodeVariable| {
        let said = format!("requires the secret {} ", v.name);
        profile.findings.iter().any(|f| f.kind == "required-env" && f.message.contains(&said))
    };
    let (mut first, rest): (Vec<&CodeVariable>, Vec<&CodeVariable>) =
        profile.variables.iter().filter(lacking).partition(|v| blocked(v));
    first.extend(rest);
    first
}

/// `s` on the Container step: opens the prompt on the first secret that lacks a source.
pub fn open(app: &mut App) {
    if let Some(reason) = locked_reason(app) {
        app.status = Some(format!("secret sources are {reason}"));
        return;
    }
    let Some(migration) = app.migration() else {
        app.status = Some("discovery has not finished yet".into());
        return;
    };
    let text = unsourced(migration).first().map(|v| format!("{}=env:", v.name)).unwrap_or_default();
    app.secret_prompt = Some(SecretPrompt::new(&text));
    app.overlay = Some(Overlay::SecretSource);
}

fn close(app: &mut App) {
    app.secret_prompt = None;
    app.overlay = None;
}

/// Every key while the prompt is open.
pub fn handle_key(app: &mut App, key: KeyEvent) {
    let key = in_text_field(key);
    let keymap = app.keymap.clone();
    let Some(prompt) = app.secret_prompt.as_mut() else {
        app.overlay = None;
        return;
    };
    match &prompt.stage {
        Stage::ConfirmReplace { .. } if keymap.answers(Action::Confirm, &key) => apply(app),
        // Anything but yes keeps the edits: n and Esc, as the keys say.
        Stage::ConfirmReplace { .. } => prompt.stage = Stage::Editing,
        Stage::Editing if keymap.is(Action::Cancel, &key) => close(app),
        Stage::Editing if keymap.is(Action::Accept, &key) => submit(app),
        Stage::Editing if keymap.is(Action::ClearEntry, &key) => {
            prompt.error = None;
            prompt.input.delete_line_by_head();
        }
        Stage::Editing => {
            prompt.error = None;
            prompt.input.input(key);
            if prompt.input.lines().len() > 1 {
                *prompt = SecretPrompt::new(&prompt.text());
            }
        }
    }
}

/// Enter: refuses what does not parse (keeping the text), asks first when planning again would
/// replace edited artifacts, else plans again.
fn submit(app: &mut App) {
    let Some(migration) = app.migration() else { return };
    let edited = edited_artifacts(migration);
    let given = migration.given.clone();
    let Some(prompt) = app.secret_prompt.as_mut() else { return };
    match parse_entry(&prompt.text()) {
        Err(error) => prompt.error = Some(error),
        Ok(Entry { name, source: None }) if !given.contains_key(&name) => {
            prompt.error = Some(format!("{name} has no source given here: type env:VAR or file:PATH after ="));
        }
        Ok(_) if !edited.is_empty() => prompt.stage = Stage::ConfirmReplace { edited },
        Ok(_) => apply(app),
    }
}

/// Analyses and plans again with the entry added to the sources given so far.
fn apply(app: &mut App) {
    let Some(prompt) = app.secret_prompt.as_mut() else { return };
    let entry = match parse_entry(&prompt.text()) {
        Ok(entry) => entry,
        Err(error) => {
            prompt.stage = Stage::Editing;
            prompt.error = Some(error);
            return;
        }
    };
    if app.migration().is_none() {
        return close(app);
    }
    let Loadable::Ready(migration) = std::mem::take(&mut app.migration) else { return };
    let mut given = migration.given.clone();
    let files = app.app_folder.as_ref().map(|f| f.files.clone());
    let reads = migration.profile.variables.iter().any(|v| v.name == entry.name)
        || migration.profile.env.iter().any(|e| e.name == entry.name);
    let news = match &entry.source {
        Some(source) => {
            given.insert(entry.name.clone(), source.clone());
            format!("{} now comes from {}", entry.name, source.describe())
        }
        None => {
            given.remove(&entry.name);
            format!("{} has no source given here any more", entry.name)
        }
    };
    let migration = migration.with_given(files.as_deref(), given);
    let note = if reads { String::new() } else { format!(" (the code does not read {}: check the name)", entry.name) };
    app.status = Some(format!("planned again ({}): {news}{note}", migration.plan.short_hash()));
    app.migration = Loadable::Ready(Box::new(migration));
    app.screens.service = Default::default();
    close(app);
}

/// The prompt over the Container step: what it is for, the entry, and what is still missing.
pub fn render(app: &App, frame: &mut Frame) {
    let (Some(prompt), Some(migration)) = (&app.secret_prompt, app.migration()) else {
        return;
    };
    let width = frame.area().width.saturating_sub(4).min(100);
    let inner = width.saturating_sub(4) as usize;
    let intro: Vec<Line> = wrap(
        "Where the machine that applies the plan reads a secret's value: one of its environment \
         variables or files. The value goes straight into Secrets Manager; the plan holds only where it is.",
        inner,
    )
    .into_iter()
    .map(|l| Line::styled(l, theme::dim()))
    .collect();
    let mut below = status_lines(prompt, migration, inner);
    below.push(Line::from(""));
    below.push(prompt_hint_line(secret_hints(app)));
    let height = (intro.len() + 3 + below.len()) as u16 + 2;
    let area = centered(frame.area(), width, height.min(frame.area().height));
    frame.render_widget(Clear, area);
    let block = Block::new().borders(Borders::ALL).title(" Secret source ").border_style(theme::focused_border());
    let body = block.inner(area).inner(Margin::new(1, 0));
    frame.render_widget(block, area);
    let [intro_area, input_area, below_area] =
        Layout::vertical([Constraint::Length(intro.len() as u16), Constraint::Length(3), Constraint::Fill(1)])
            .areas(body);
    frame.render_widget(Paragraph::new(intro), intro_area);
    let editing = prompt.stage == Stage::Editing;
    render_entry(frame, input_area, &prompt.input, " NAME=env:VAR or NAME=file:PATH ", editing);
    frame.render_widget(Paragraph::new(below).wrap(Wrap { trim: false }), below_area);
}

/// Under the entry: the error, or the question about edits; then what lacks a source and what
/// was given here.
fn status_lines(prompt: &SecretPrompt, migration: &Migration, width: usize) -> Vec<Line<'static>> {
    if let Stage::ConfirmReplace { edited } = &prompt.stage {
        let names = edited.join(" and ");
        return vec![
            Line::styled(format!("⚠ You edited the {names}."), theme::warn()),
            Line::from(format!("Planning again generates the {names} afresh: your edits are replaced.")),
        ];
    }
    let mut lines = Vec::new();
    if let Some(error) = &prompt.error {
        lines.push(Line::styled(format!("✗ {}", safe(error)), theme::error()));
    }
    let missing: Vec<String> = unsourced(migration)
        .iter()
        .map(|v| if v.required { format!("{} (required)", safe(&v.name)) } else { safe(&v.name) })
        .collect();
    let given: Vec<String> =
        migration.given.iter().map(|(name, source)| format!("{}={}", safe(name), safe(&source.describe()))).collect();
    let list = |label: &str, items: &[String], style: Style| {
        wrap(&format!("{label} {}", items.join(", ")), width).into_iter().map(move |l| Line::styled(l, style))
    };
    match missing.is_empty() {
        true => lines.push(Line::styled("Every secret the code reads has a source.", theme::ok())),
        false => lines.extend(list("Without a source:", &missing, theme::warn())),
    }
    if !given.is_empty() {
        lines.extend(list("Given here:", &given, Style::new()));
        lines.push(Line::styled("NAME= alone forgets the source given for NAME.", theme::dim()));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_parse_or_say_what_is_wrong() {
        let env = |v: &str| Some(GivenValue::Environment { variable: v.into() });
        assert_eq!(parse_entry(" A=env:B ").unwrap(), Entry { name: "A".into(), source: env("B") });
        assert_eq!(parse_entry("A=file:/run/a").unwrap().source, Some(GivenValue::File { path: "/run/a".into() }));
        assert_eq!(parse_entry("A=").unwrap().source, None);
        assert!(parse_entry("").unwrap_err().contains("NAME=env:VAR"));
        assert!(parse_entry("A").unwrap_err().contains("has no ="));
        assert!(parse_entry("1A=env:B").unwrap_err().contains("not an environment variable name"));
        assert!(parse_entry("A=vault:x").unwrap_err().contains("neither env:VAR nor file:PATH"));
        assert!(parse_entry("A=env:").unwrap_err().contains("after env:"));
        assert!(parse_entry("A=file:").unwrap_err().contains("after file:"));
    }
}
