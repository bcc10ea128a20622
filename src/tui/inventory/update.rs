//! Keys and results for the inventory browser: the one place its state changes. Pure: no
//! terminal, no network.

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use super::app::{InventoryApp, InventoryCommand, InventoryMsg};
use super::layers::Layer;
use super::views::{Details, Reply};
use crate::tui::actions::{Action, in_text_field};

const REFRESHING: &str = "refreshing…";

/// Takes one message, and says what work to start, if any.
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
            if let Some(details) = app.details.as_mut() {
                details.take_related(kind, &key, result);
            }
            None
        }
    }
}

fn on_key(app: &mut InventoryApp, key: KeyEvent) -> Option<InventoryCommand> {
    app.status = None;
    // These two reach every part of the browser, its text fields and help included.
    if app.keymap.is(Action::Interrupt, &key) {
        return quit(app);
    }
    if app.keymap.is(Action::RefreshAnywhere, &key) {
        return refresh(app);
    }
    let top = app.top();
    let reply = app.with_view_mut(top, |ctx, view| {
        let key = if view.is_typing() { in_text_field(key) } else { key };
        view.handle_key(ctx, key)
    });
    carry_out(app, top, reply.unwrap_or(Reply::Nothing))
}

/// Does what the view on top, `top`, replied.
fn carry_out(app: &mut InventoryApp, top: Layer, reply: Reply) -> Option<InventoryCommand> {
    match reply {
        Reply::Nothing => {}
        Reply::Close => app.close(top),
        Reply::CloseThen(then) => {
            app.close(top);
            return carry_out(app, top, *then);
        }
        Reply::Status(text) => app.status = Some(text),
        Reply::Filter(text) => {
            if let Some(table) = app.table_mut() {
                table.set_filter(&text);
            }
        }
        Reply::SwitchKind(kind) => {
            app.kind = kind;
            app.details = None;
        }
        Reply::OpenPrompt(prompt) => app.prompt = Some(prompt),
        Reply::OpenDetails(details) => return open_details(app, details),
        Reply::OpenHelp => app.help = true,
        Reply::Refresh => return refresh(app),
        Reply::Quit => return quit(app),
    }
    None
}

/// Shows `details` and reads what the resource is connected to.
fn open_details(app: &mut InventoryApp, details: Details) -> Option<InventoryCommand> {
    let inventory = app.inventory.ready()?.clone();
    let (kind, key) = (details.kind, details.key.clone());
    app.details = Some(details);
    Some(InventoryCommand::Related { inventory, kind, key })
}

fn refresh(app: &mut InventoryApp) -> Option<InventoryCommand> {
    app.status = Some(REFRESHING.into());
    Some(InventoryCommand::Load)
}

fn quit(app: &mut InventoryApp) -> Option<InventoryCommand> {
    app.should_quit = true;
    Some(InventoryCommand::Quit)
}
