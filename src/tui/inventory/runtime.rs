//! The inventory browser's loop and the read-only work its commands start.

use std::sync::Arc;
use std::time::Duration;

use color_eyre::eyre::Result;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use super::app::{InventoryApp, InventoryCommand, InventoryMsg};
use super::{update_inventory, view_inventory};
use crate::cloud::ReadCloud;
use crate::inventory::{Inventory, load, related};
use crate::tui::app::Loadable;
use crate::tui::msg::Msg;
use crate::tui::terminal;

/// Starts a command's work; only `ReadCloud` is in reach here.
pub fn spawn_inventory_command(
    command: InventoryCommand,
    cloud: &Arc<dyn ReadCloud>,
    tx: UnboundedSender<InventoryMsg>,
) -> Option<JoinHandle<()>> {
    let cloud = cloud.clone();
    match command {
        InventoryCommand::Quit => None,
        InventoryCommand::Load => Some(tokio::spawn(async move {
            let _ = tx.send(InventoryMsg::Loaded(Box::new(load(cloud.as_ref()).await)));
        })),
        InventoryCommand::Related { inventory, kind, key } => Some(tokio::spawn(async move {
            let result = related(cloud.as_ref(), &inventory, kind, &key).await.map(Box::new);
            let _ = tx.send(InventoryMsg::Related { kind, key, result });
        })),
    }
}

/// Browses the account until the operator quits; the terminal is restored on every way out.
/// Returns the inventory last loaded, so the front end can say afterwards what could not be
/// read (`None` when the operator quit before it loaded).
pub async fn run_inventory(cloud: Arc<dyn ReadCloud>, label: &str) -> Result<Option<Inventory>> {
    let mut app = InventoryApp::new(label);
    // A `[keys]` section ferry cannot use is said before the terminal is taken over.
    app.keymap = Arc::new(crate::tui::actions::load()?);
    let (tx, mut rx) = unbounded_channel();
    spawn_inventory_command(InventoryCommand::Load, &cloud, tx.clone());

    // Keys and ticks arrive as wizard messages from the shared input thread.
    let (keys_tx, mut keys_rx) = unbounded_channel();
    let input = terminal::spawn_input_thread(keys_tx, Duration::from_millis(100));
    let forward = tx.clone();
    tokio::spawn(async move {
        while let Some(msg) = keys_rx.recv().await {
            let msg = match msg {
                Msg::Key(key) => InventoryMsg::Key(key),
                _ => InventoryMsg::Tick,
            };
            if forward.send(msg).is_err() {
                break;
            }
        }
    });

    let mut term = terminal::enter()?;
    let handle = |app: &mut InventoryApp, msg| {
        if let Some(command) = update_inventory(app, msg) {
            spawn_inventory_command(command, &cloud, tx.clone());
        }
    };
    let result =
        terminal::event_loop(&mut term, &mut rx, &mut app, view_inventory, handle, |app| app.should_quit).await;
    input.stop();
    terminal::leave();
    result?;
    Ok(match app.inventory {
        Loadable::Ready(inventory) => Some(*inventory),
        _ => None,
    })
}
