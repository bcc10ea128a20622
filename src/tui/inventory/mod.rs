//! `ferry inventory`: a read-only browser of the account in the manner of k9s.
//!
//! It is handed only a `ReadCloud`, so it has no way to change anything. Its views (the
//! table, a resource's details, the prompts, the help) are in `views/`, each a [`View`];
//! `layers.rs` lists them once, and `update` is the one place the browser's state changes.

mod app;
mod layers;
mod rows;
mod runtime;
mod table;
mod update;
mod view;
pub mod views;

pub use app::{InventoryApp, InventoryCommand, InventoryMsg};
pub use layers::Layer;
pub use rows::rows_for;
pub use runtime::{run_inventory, spawn_inventory_command};
pub use table::{Table, TableRow};
pub use update::update_inventory;
pub use view::view_inventory;
pub use views::{Context, Details, Help, Place, Prompt, Reply, Tables, View, detail_hints, table_hints};
