//! Keys and results for the inventory browser. Pure: no terminal, no network.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::{Details, InventoryApp, InventoryCommand, InventoryMsg, Prompt};
use crate::inventory::Kind;
use crate::tui::actions::{Action, Keymap, in_text_field};
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
    let keymap = app.keymap.clone();
    // These two reach every part of the browser, its text fields and help included.
    if keymap.is(Action::Interrupt, &key) {
        return quit(app);
    }
    if keymap.is(Action::RefreshAnywhere, &key) {
        return refresh(app);
    }
    if app.help {
        app.help = false;
        return None;
    }
    if app.prompt.is_some() {
        on_prompt_key(app, &keymap, key);
        return None;
    }
    if app.details.is_some() {
        return on_details_key(app, &keymap, key);
    }
    on_table_key(app, &keymap, key)
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

fn on_table_key(app: &mut InventoryApp, keymap: &Keymap, key: KeyEvent) -> Option<InventoryCommand> {
    match keymap.action(&key, &TABLE_KEYS)? {
        Action::Quit => return quit(app),
        Action::Help => app.help = true,
        Action::Command => app.prompt = Some(Prompt::Command(String::new())),
        Action::Filter => {
            let current = app.table().map(|t| t.filter.clone()).unwrap_or_default();
            app.prompt = Some(Prompt::Filter(current));
        }
        Action::Refresh => return refresh(app),
        Action::Next => return open_details(app),
        Action::Back => {
            if let Some(table) = app.table_mut() {
                table.set_filter("");
            }
        }
        Action::NextKind => switch(app, next_kind(app.kind, 1)),
        Action::PreviousKind => switch(app, next_kind(app.kind, -1)),
        action => {
            let table = app.table_mut()?;
            match action {
                Action::MoveDown => table.move_by(1),
                Action::MoveUp => table.move_by(-1),
                Action::PageDown => table.move_by(20),
                Action::PageUp => table.move_by(-20),
                Action::First => table.selected = 0,
                Action::Last => table.select_last(),
                Action::Sort => table.cycle_sort(false),
                _ => table.cycle_sort(true),
            }
        }
    }
    None
}

fn on_prompt_key(app: &mut InventoryApp, keymap: &Keymap, key: KeyEvent) {
    let key = in_text_field(key);
    let Some(prompt) = app.prompt.as_mut() else { return };
    if keymap.is(Action::Cancel, &key) {
        if matches!(prompt, Prompt::Filter(_))
            && let Some(table) = app.tables.get_mut(&app.kind)
        {
            table.set_filter("");
        }
        app.prompt = None;
        return;
    }
    if keymap.is(Action::Accept, &key) {
        if let Some(Prompt::Command(text)) = app.prompt.take() {
            match Kind::parse(&text) {
                Some(kind) => switch(app, kind),
                None => app.status = Some(format!("no resource kind {text:?}: try {}", kind_names())),
            }
        }
        app.prompt = None;
        return;
    }
    let text = match prompt {
        Prompt::Command(text) | Prompt::Filter(text) => text,
    };
    if keymap.is(Action::ClearEntry, &key) {
        text.clear();
    } else if key.code == KeyCode::Backspace {
        text.pop();
    } else if let KeyCode::Char(c) = key.code
        && !c.is_control()
        && !key.modifiers.contains(KeyModifiers::CONTROL)
    {
        text.push(c);
    }
    // The filter applies as it is typed.
    if let Some(Prompt::Filter(text)) = &app.prompt {
        let text = text.clone();
        if let Some(table) = app.table_mut() {
            table.set_filter(&text);
        }
    }
}

fn on_details_key(app: &mut InventoryApp, keymap: &Keymap, key: KeyEvent) -> Option<InventoryCommand> {
    use Action::{Back, CloseDetails, Help, MoveDown, MoveUp, Next, PageDown, PageUp, Quit};
    let details = app.details.as_mut()?;
    match keymap.action(&key, &[Back, Next, CloseDetails, MoveDown, MoveUp, PageDown, PageUp, Quit, Help]) {
        Some(Back | Next | CloseDetails) => app.details = None,
        Some(MoveDown) => details.scroll = details.scroll.saturating_add(1),
        Some(MoveUp) => details.scroll = details.scroll.saturating_sub(1),
        Some(PageDown) => details.scroll = details.scroll.saturating_add(20),
        Some(PageUp) => details.scroll = details.scroll.saturating_sub(20),
        Some(Quit) => return quit(app),
        Some(_) => app.help = true,
        None => {}
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
