//! The source-folder prompt on the Container step: a one-line path with Tab completion.
//! Enter reads the folder off the UI thread and analyses the application again with it.

use crate::tui::widgets::render_entry;
use std::path::{Path, PathBuf};

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui_textarea::{CursorMove, TextArea};

use super::actions::{Action, in_text_field};
use super::app::{App, AppFolder, Overlay};
use super::keymap::{folder_hints, prompt_hint_line};
use super::msg::Command;
use super::theme;
use super::view::centered;
use super::widgets::{safe, spinner};
use crate::analyze::AppFiles;
use crate::migration::Migration;

/// How many completion candidates the prompt keeps.
pub const MAX_CANDIDATES: usize = 200;
/// How many lines of candidates the prompt shows before "and N more".
const CANDIDATE_LINES: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// The operator is typing a path.
    Editing,
    /// Reading would replace these edited artifacts: y goes on, n goes back to the path.
    ConfirmReplace { edited: Vec<&'static str> },
    /// The folder is being read and analysed; this request's answer is the one awaited.
    Reading { request: u64 },
}

#[derive(Debug, Clone)]
pub struct FolderPrompt {
    pub input: TextArea<'static>,
    pub stage: Stage,
    /// Why the last read or completion failed; the previous analysis stays.
    pub error: Option<String>,
    /// Folders the last Tab could complete to, when there was more than one.
    pub candidates: Vec<String>,
    /// How many candidates there were in all (more than are kept).
    pub candidate_count: usize,
}

impl FolderPrompt {
    fn new(text: &str) -> FolderPrompt {
        FolderPrompt {
            input: single_line(text),
            stage: Stage::Editing,
            error: None,
            candidates: Vec::new(),
            candidate_count: 0,
        }
    }

    /// The path as typed.
    pub fn text(&self) -> String {
        self.input.lines().concat()
    }
}

fn single_line(text: &str) -> TextArea<'static> {
    let mut input = TextArea::new(vec![text.to_string()]);
    input.set_cursor_line_style(Style::new());
    input.move_cursor(CursorMove::End);
    input
}

/// Why choosing another folder is not offered now, if it is not.
pub fn locked_reason(app: &App) -> Option<String> {
    app.context().locked_reason()
}

/// `o` on the Container step: opens the prompt on the folder in use, else the working directory.
pub fn open(app: &mut App) {
    if let Some(reason) = locked_reason(app) {
        app.status = Some(format!("the source folder is {reason}"));
        return;
    }
    if app.migration().is_none() {
        app.status = Some("discovery has not finished yet".into());
        return;
    }
    let start = match &app.app_folder {
        Some(folder) => folder.path.clone(),
        None => std::env::current_dir().unwrap_or_default(),
    };
    let mut text = start.to_string_lossy().into_owned();
    if !text.ends_with('/') {
        text.push('/');
    }
    app.folder_prompt = Some(FolderPrompt::new(&text));
    app.overlay = Some(Overlay::SourceFolder);
}

fn close(app: &mut App) {
    app.folder_prompt = None;
    app.overlay = None;
}

/// Every key while the prompt is open.
pub fn handle_key(app: &mut App, key: KeyEvent) -> Option<Command> {
    let key = in_text_field(key);
    let keymap = app.keymap.clone();
    let prompt = app.folder_prompt.as_mut()?;
    match &prompt.stage {
        Stage::Reading { .. } => {
            if keymap.is(Action::Cancel, &key) {
                close(app);
                app.status = Some("stopped waiting for the folder: the analysis is unchanged".into());
            }
            None
        }
        Stage::ConfirmReplace { .. } if keymap.answers(Action::Confirm, &key) => start_read(app),
        // Anything but yes keeps the edits: n and Esc, as the keys say.
        Stage::ConfirmReplace { .. } => {
            prompt.stage = Stage::Editing;
            None
        }
        Stage::Editing if keymap.is(Action::Cancel, &key) => {
            close(app);
            None
        }
        Stage::Editing if keymap.is(Action::Accept, &key) => submit(app),
        Stage::Editing if keymap.is(Action::ClearEntry, &key) => {
            prompt.input.delete_line_by_head();
            None
        }
        Stage::Editing if keymap.is(Action::Complete, &key) => {
            complete_input(prompt);
            None
        }
        Stage::Editing => {
            prompt.error = None;
            prompt.input.input(key);
            if prompt.input.lines().len() > 1 {
                prompt.input = single_line(&prompt.text());
            }
            None
        }
    }
}

/// Enter: asks first when reading would replace edited artifacts, else reads.
fn submit(app: &mut App) -> Option<Command> {
    let migration = app.migration()?;
    let edited = edited_artifacts(migration);
    let prompt = app.folder_prompt.as_mut()?;
    if prompt.text().trim().is_empty() {
        prompt.error = Some("type the path of the application's source folder".into());
        return None;
    }
    if !edited.is_empty() {
        prompt.stage = Stage::ConfirmReplace { edited };
        return None;
    }
    start_read(app)
}

fn start_read(app: &mut App) -> Option<Command> {
    let migration = Box::new(app.migration()?.clone());
    app.folder_requests += 1;
    let request = app.folder_requests;
    let prompt = app.folder_prompt.as_mut()?;
    prompt.stage = Stage::Reading { request };
    prompt.error = None;
    prompt.candidates.clear();
    Some(Command::ReadAppFolder { request, dir: typed_path(prompt.text().trim()), migration })
}

/// The answer to a read: the new analysis replaces the old one, or the error stays in the prompt.
pub fn on_read(app: &mut App, request: u64, result: Result<(AppFolder, Box<Migration>), String>) {
    let awaited = app.folder_prompt.as_ref().is_some_and(|p| p.stage == Stage::Reading { request });
    if !awaited {
        return;
    }
    match result {
        Ok((folder, migration)) => {
            let runtime =
                migration.profile.runtime.as_ref().map_or("unknown".into(), |r| format!("{} {}", r.name, r.version));
            app.status = Some(format!(
                "read {} files from {}: runtime {runtime}; the plan is now {}",
                folder.files.files.len(),
                folder.path.display(),
                migration.plan.short_hash()
            ));
            app.app_folder = Some(folder);
            app.migration = super::app::Loadable::Ready(migration);
            app.screens.reset();
            close(app);
        }
        Err(error) => {
            if let Some(prompt) = app.folder_prompt.as_mut() {
                prompt.stage = Stage::Editing;
                prompt.error = Some(error);
            }
        }
    }
}

/// The artifacts the operator changed by hand: re-analysing generates them afresh.
pub fn edited_artifacts(migration: &Migration) -> Vec<&'static str> {
    let fresh = migration.generated_artifacts();
    let mut edited = Vec::new();
    if fresh.dockerfile.trim_end() != migration.artifacts.dockerfile.trim_end() {
        edited.push("Dockerfile");
    }
    if fresh.service_config != migration.artifacts.service_config {
        edited.push("service.json");
    }
    edited
}

/// Reads the folder and analyses again: the work the runtime runs off the UI thread.
pub fn read_and_analyse(dir: &Path, migration: Migration) -> Result<(AppFolder, Box<Migration>), String> {
    let shown = dir.display();
    if !dir.exists() {
        return Err(format!("{shown} does not exist"));
    }
    if !dir.is_dir() {
        return Err(format!("{shown} is not a folder"));
    }
    let files = AppFiles::read(dir).map_err(|e| format!("cannot read {shown}: {e}"))?;
    if files.files.is_empty() {
        return Err(format!("{shown} holds no files ferry reads (it skips node_modules, .git and build output)"));
    }
    let path = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let migration = migration.with_app(Some(&files));
    Ok((AppFolder::chosen(path, files), Box::new(migration)))
}

/// The path the operator means. The prompt opens on the current folder, so a path typed
/// after it starts again where it starts a path of its own, as in a file dialog: at the last
/// `//` (`/work/app//srv/shop` is `/srv/shop`) or the last `/~/` (`/work/app/~/shop` is
/// `~/shop`).
fn typed_path(text: &str) -> PathBuf {
    let home = text.rfind("/~").filter(|&at| matches!(text[at + 2..].chars().next(), None | Some('/')));
    let root = text.rfind("//");
    match (home, root) {
        (Some(h), Some(r)) if h > r => expand_home(&text[h + 1..]),
        (Some(h), None) => expand_home(&text[h + 1..]),
        (_, Some(r)) => PathBuf::from(&text[r + 1..]),
        (None, None) => expand_home(text),
    }
}

/// `~/…` as the shell would read it.
fn expand_home(text: &str) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match (text.strip_prefix('~'), home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => home.join(rest.trim_start_matches('/')),
        _ => PathBuf::from(text),
    }
}

/// Tab: completes the last part of the path to a folder name, as far as it is unambiguous.
fn complete_input(prompt: &mut FolderPrompt) {
    let text = prompt.text();
    prompt.candidates.clear();
    prompt.candidate_count = 0;
    prompt.error = None;
    match complete(&text) {
        Completion::None(reason) => prompt.error = Some(reason),
        Completion::One(done) => prompt.input = single_line(&done),
        Completion::Many { common, names } => {
            prompt.input = single_line(&common);
            prompt.candidate_count = names.len();
            prompt.candidates = names.into_iter().take(MAX_CANDIDATES).collect();
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Completion {
    /// Nothing to complete to, and why.
    None(String),
    /// The one folder that fits, with a trailing `/`.
    One(String),
    /// Several fit: the text extended by what they share, and their names.
    Many { common: String, names: Vec<String> },
}

/// What Tab makes of `text`: folders in its parent whose names start with its last part.
pub fn complete(text: &str) -> Completion {
    let (parent, partial) = match text.rfind('/') {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => ("", text),
    };
    let listed = if parent.is_empty() { PathBuf::from(".") } else { typed_path(parent) };
    let entries = match std::fs::read_dir(&listed) {
        Ok(entries) => entries,
        Err(error) => return Completion::None(format!("cannot list {}: {error}", listed.display())),
    };
    let show_hidden = partial.starts_with('.');
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(partial) && (show_hidden || !name.starts_with('.')))
        .collect();
    names.sort();
    match names.len() {
        0 if partial.is_empty() => Completion::None(format!("{} has no folders inside", listed.display())),
        0 => Completion::None(format!("no folder in {} starts with {partial}", listed.display())),
        1 => Completion::One(format!("{parent}{}/", names[0])),
        _ => {
            let common = common_prefix(&names);
            Completion::Many { common: format!("{parent}{common}"), names }
        }
    }
}

fn common_prefix(names: &[String]) -> String {
    let mut prefix = names[0].as_str();
    for name in &names[1..] {
        let end = prefix
            .char_indices()
            .zip(name.chars())
            .find(|((_, a), b)| a != b)
            .map_or_else(|| prefix.len().min(name.len()), |((i, _), _)| i);
        prefix = &prefix[..end];
    }
    prefix.to_string()
}

/// The prompt over the Container step: what it is for, the path, and what the keys do.
pub fn render(app: &App, frame: &mut Frame) {
    let Some(prompt) = &app.folder_prompt else {
        return;
    };
    let width = frame.area().width.saturating_sub(4).min(100);
    let inner = width.saturating_sub(4) as usize;
    let mut below = status_lines(app, prompt, inner);
    below.push(Line::from(""));
    below.push(prompt_hint_line(folder_hints(app)));
    let intro = vec![
        Line::from("The application's source code: ferry reads its manifests and code for the runtime,"),
        Line::from("start command, port and findings (with file:line). Nothing in the folder changes."),
    ];
    let height = (intro.len() + 3 + below.len()) as u16 + 2;
    let area = centered(frame.area(), width, height.min(frame.area().height));
    frame.render_widget(Clear, area);
    let block = Block::new().borders(Borders::ALL).title(" Source folder ").border_style(theme::focused_border());
    let body = block.inner(area).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, area);
    let [intro_area, input_area, below_area] =
        Layout::vertical([Constraint::Length(intro.len() as u16), Constraint::Length(3), Constraint::Fill(1)])
            .areas(body);
    frame.render_widget(Paragraph::new(intro).style(theme::dim()), intro_area);
    let editing = prompt.stage == Stage::Editing;
    render_entry(frame, input_area, &prompt.input, " path ", editing);
    frame.render_widget(Paragraph::new(below), below_area);
}

/// Under the path: candidates, the error, the question about edits, or the read under way.
fn status_lines(app: &App, prompt: &FolderPrompt, width: usize) -> Vec<Line<'static>> {
    match &prompt.stage {
        Stage::Reading { .. } => vec![Line::from(vec![
            spinner(app.ticks),
            Span::raw(format!(" reading {} and analysing the application…", safe(prompt.text().trim()))),
        ])],
        Stage::ConfirmReplace { edited } => {
            let names = edited.join(" and ");
            vec![
                Line::styled(format!("⚠ You edited the {names}."), theme::warn()),
                Line::from(format!("Reading this folder generates the {names} afresh: your edits are replaced")),
                Line::from("and the plan is made again."),
            ]
        }
        Stage::Editing => {
            let mut lines = candidate_lines(prompt, width);
            if let Some(error) = &prompt.error {
                lines.push(Line::styled(format!("✗ {}", safe(error)), theme::error()));
            }
            if lines.is_empty() {
                let key = |action| app.keymap.label(action);
                lines.push(Line::styled(
                    format!(
                        "{} completes folder names · {} clears the path · ~ is your home",
                        key(Action::Complete),
                        key(Action::ClearEntry)
                    ),
                    theme::dim(),
                ));
            }
            lines
        }
    }
}

/// The folders the last Tab could complete to, packed into lines of `width`.
fn candidate_lines(prompt: &FolderPrompt, width: usize) -> Vec<Line<'static>> {
    if prompt.candidates.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::styled(format!("{} folders match:", prompt.candidate_count), theme::dim())];
    let mut current = String::new();
    let mut shown = 0;
    for name in &prompt.candidates {
        let item = format!("{}/", safe(name));
        if !current.is_empty() && current.chars().count() + 2 + item.chars().count() > width {
            if lines.len() == CANDIDATE_LINES {
                break;
            }
            lines.push(Line::from(std::mem::take(&mut current)));
        }
        if !current.is_empty() {
            current.push_str("  ");
        }
        current.push_str(&item);
        shown += 1;
    }
    let more = prompt.candidate_count.saturating_sub(shown);
    if more > 0 {
        lines.push(Line::from(std::mem::take(&mut current)));
        current = format!("… and {more} more: type more of the name");
    }
    lines.push(Line::from(current));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_prefix_stops_where_names_differ() {
        let names = |all: &[&str]| all.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(common_prefix(&names(&["python-a", "python-b"])), "python-");
        assert_eq!(common_prefix(&names(&["abc", "abd", "x"])), "");
        assert_eq!(common_prefix(&names(&["été-1", "été-2"])), "été-");
    }

    #[test]
    fn home_is_expanded_only_at_the_start() {
        let home = PathBuf::from(std::env::var_os("HOME").unwrap());
        assert_eq!(expand_home("~/app"), home.join("app"));
        assert_eq!(expand_home("/srv/~app"), PathBuf::from("/srv/~app"));
        // A path typed after the one the prompt opened on starts again.
        assert_eq!(typed_path("/work/app//srv/shop"), PathBuf::from("/srv/shop"));
        assert_eq!(typed_path("/work/app/~/shop"), home.join("shop"));
        assert_eq!(typed_path("/work/app/~"), home.clone());
        assert_eq!(typed_path("/work/app/~x/shop"), PathBuf::from("/work/app/~x/shop"));
        assert_eq!(typed_path("/work/app/sub"), PathBuf::from("/work/app/sub"));
    }
}
