//! The inventory browser's state, messages and commands.

use std::collections::BTreeMap;
use std::sync::Arc;

use ratatui::crossterm::event::KeyEvent;

use super::rows::rows_for;
use super::table::Table;
use crate::inventory::{Inventory, Kind, Related};
use crate::tui::actions::Keymap;
use crate::tui::app::Loadable;

/// A line taking typed text: `:` switches kind, `/` filters as you type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    Command(String),
    Filter(String),
}

#[derive(Debug, Clone)]
pub enum InventoryMsg {
    Key(KeyEvent),
    Tick,
    Loaded(Box<Inventory>),
    Related { kind: Kind, key: String, result: Result<Box<Related>, String> },
}

#[derive(Debug, Clone)]
pub enum InventoryCommand {
    Load,
    Related { inventory: Box<Inventory>, kind: Kind, key: String },
    Quit,
}

/// The resource opened with Enter, and what it is connected to.
#[derive(Debug, Clone)]
pub struct Details {
    pub kind: Kind,
    pub key: String,
    pub title: String,
    pub related: Loadable<Box<Related>>,
    pub scroll: u16,
}

pub struct InventoryApp {
    pub label: String,
    pub inventory: Loadable<Box<Inventory>>,
    pub kind: Kind,
    /// One table per kind, so each keeps its filter and sort across switches and refreshes.
    pub tables: BTreeMap<Kind, Table>,
    pub prompt: Option<Prompt>,
    pub details: Option<Details>,
    pub help: bool,
    pub status: Option<String>,
    pub ticks: u64,
    pub should_quit: bool,
    /// The keys: the defaults, with the config file's `[keys]` over them, as in the wizard.
    pub keymap: Arc<Keymap>,
}

impl InventoryApp {
    pub fn new(label: &str) -> InventoryApp {
        InventoryApp {
            label: label.to_string(),
            inventory: Loadable::Loading,
            kind: Kind::Instances,
            tables: BTreeMap::new(),
            prompt: None,
            details: None,
            help: false,
            status: None,
            ticks: 0,
            should_quit: false,
            keymap: Arc::default(),
        }
    }

    /// Takes a fresh inventory, keeping every table's filter, sort and selection.
    pub fn load(&mut self, inventory: Box<Inventory>) {
        for kind in Kind::ALL {
            let fresh = rows_for(kind, &inventory);
            match self.tables.get_mut(&kind) {
                Some(table) => table.set_rows(fresh.window(0, fresh.visible_len()).cloned().collect()),
                None => {
                    self.tables.insert(kind, fresh);
                }
            }
        }
        self.inventory = Loadable::Ready(inventory);
    }

    pub fn table(&self) -> Option<&Table> {
        self.tables.get(&self.kind)
    }

    pub fn table_mut(&mut self) -> Option<&mut Table> {
        self.tables.get_mut(&self.kind)
    }
}
