//! Keys and results for the inventory browser. Pure: no terminal, no network.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::{Details, InventoryApp, InventoryCommand, InventoryMsg, Prompt};
use crate::inventory::Kind;
use crate::tui::app::Loadable;

const REFRESHING: &str = "refreshing…";

pub fn update_inventory(app: &mut InventoryApp, msg: InventoryMsg) -> Option<InventoryCommand> {
    match msg {
        InventoryMsg::Key(key) if key.kind != KeyEventKind::Release => on_key(app, key),
        InventoryMsg::Key(_) => None,
        InventoryMsg::Tick => {
            app.ticks += 1;
            None
        }
        InventoryMsg::Loaded(inventory) => {
            app.load(inventory);
            if app.status.as_deref() == Some(REFRESHING) {
                app.status = None;
            }
            None
        }
        InventoryMsg::Related { kind, key, result } => {
            if let Some(details) = app.details.as_mut().filter(|d| d.kind == kind && d.key == key) {
                details.related = match result {
                    Ok(related) => Loadable::Ready(related),
                    Err(error) => Loadable::Failed(error),
                };
            }
            None
        }
    }
}

fn on_key(app: &mut InventoryApp, key: KeyEvent) -> Option<InventoryCommand> {
    app.status = None;
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            KeyCode::Char('c') => quit(app),
            KeyCode::Char('r') => refresh(app),
            _ => None,
        };
    }
    if app.help {
        app.help = false;
        return None;
    }
    if app.prompt.is_some() {
        on_prompt_key(app, key);
        return None;
    }
    if app.details.is_some() {
        return on_details_key(app, key);
    }
    match key.code {
        KeyCode::Char('q') => return quit(app),
        KeyCode::Char('?') => app.help = true,
        KeyCode::Char(':') => app.prompt = Some(Prompt::Command(String::new())),
        KeyCode::Char('/') => {
            let current = app.table().map(|t| t.filter.clone()).unwrap_or_default();
            app.prompt = Some(Prompt::Filter(current));
        }
        KeyCode::Char('R') => return refresh(app),
        KeyCode::Enter => return open_details(app),
        KeyCode::Esc => {
            if let Some(table) = app.table_mut() {
                table.set_filter("");
            }
        }
        KeyCode::Tab => switch(app, next_kind(app.kind, 1)),
        KeyCode::BackTab => switch(app, next_kind(app.kind, -1)),
        code => {
            let table = app.table_mut()?;
            match code {
                KeyCode::Down | KeyCode::Char('j') => table.move_by(1),
                KeyCode::Up | KeyCode::Char('k') => table.move_by(-1),
                KeyCode::PageDown => table.move_by(20),
                KeyCode::PageUp => table.move_by(-20),
                KeyCode::Home | KeyCode::Char('g') => table.selected = 0,
                KeyCode::End | KeyCode::Char('G') => table.select_last(),
                KeyCode::Char('s') => table.cycle_sort(false),
                KeyCode::Char('S') => table.cycle_sort(true),
                _ => {}
            }
        }
    }
    None
}

fn on_prompt_key(app: &mut InventoryApp, key: KeyEvent) {
    let Some(prompt) = app.prompt.as_mut() else { return };
    let text = match prompt {
        Prompt::Command(text) | Prompt::Filter(text) => text,
    };
    match key.code {
        KeyCode::Char(c) if !c.is_control() => text.push(c),
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Esc => {
            if matches!(prompt, Prompt::Filter(_))
                && let Some(table) = app.tables.get_mut(&app.kind)
            {
                table.set_filter("");
            }
            app.prompt = None;
            return;
        }
        KeyCode::Enter => {
            if let Some(Prompt::Command(text)) = app.prompt.take() {
                match Kind::parse(&text) {
                    Some(kind) => switch(app, kind),
                    None => app.status = Some(format!("no resource kind {text:?}: try {}", kind_names())),
                }
            }
            app.prompt = None;
            return;
        }
        _ => {}
    }
    // The filter applies as it is typed.
    if let Some(Prompt::Filter(text)) = &app.prompt {
        let text = text.clone();
        if let Some(table) = app.table_mut() {
            table.set_filter(&text);
        }
    }
}

fn on_details_key(app: &mut InventoryApp, key: KeyEvent) -> Option<InventoryCommand> {
    let details = app.details.as_mut()?;
    match key.code {
        KeyCode::Esc | KeyCode::Enter | KeyCode::Backspace => app.details = None,
        KeyCode::Down | KeyCode::Char('j') => details.scroll = details.scroll.saturating_add(1),
        KeyCode::Up | KeyCode::Char('k') => details.scroll = details.scroll.saturating_sub(1),
        KeyCode::PageDown => details.scroll = details.scroll.saturating_add(20),
        KeyCode::PageUp => details.scroll = details.scroll.saturating_sub(20),
        KeyCode::Char('q') => return quit(app),
        KeyCode::Char('?') => app.help = true,
        _ => {}
    }
    None
}

fn open_details(app: &mut InventoryApp) -> Option<InventoryCommand> {
    let inventory = app.inventory.ready()?.clone();
    let row = app.table()?.selected_row()?;
    let (key, title) = (row.key.clone(), row.cells.first().cloned().unwrap_or_default());
    app.details = Some(Details { kind: app.kind, key: key.clone(), title, related: Loadable::Loading, scroll: 0 });
    Some(InventoryCommand::Related { inventory, kind: app.kind, key })
}

fn switch(app: &mut InventoryApp, kind: Kind) {
    app.kind = kind;
    app.details = None;
}

fn next_kind(kind: Kind, step: isize) -> Kind {
    let index = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as isize;
    let len = Kind::ALL.len() as isize;
    Kind::ALL[(index + step).rem_euclid(len) as usize]
}

fn refresh(app: &mut InventoryApp) -> Option<InventoryCommand> {
    app.status = Some(REFRESHING.into());
    Some(InventoryCommand::Load)
}

fn quit(app: &mut InventoryApp) -> Option<InventoryCommand> {
    app.should_quit = true;
    Some(InventoryCommand::Quit)
}

fn kind_names() -> String {
    Kind::ALL.iter().map(|k| k.aliases()[0]).collect::<Vec<_>>().join(", ")
}
