//! `ferry inventory`: a read-only browser of the account in the manner of k9s.
//!
//! It is handed only a `ReadCloud`, so it has no way to change anything.

mod app;
mod keys;
mod rows;
mod runtime;
mod table;
mod update;
mod view;

pub use app::{Details, InventoryApp, InventoryCommand, InventoryMsg, Prompt};
pub use keys::{detail_hints, table_hints};
pub use rows::rows_for;
pub use runtime::{run_inventory, spawn_inventory_command};
pub use table::{Table, TableRow};
pub use update::update_inventory;
pub use view::view_inventory;
