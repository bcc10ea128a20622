//! The inventory browser's state, messages and commands.

use std::sync::Arc;

use ratatui::crossterm::event::KeyEvent;

use super::table::Table;
use super::views::{Context, Details, Prompt, Tables};
use crate::inventory::{Inventory, Kind, Related};
use crate::tui::actions::Keymap;
use crate::tui::app::Loadable;

/// What the browser hears: keys, the clock, and the reads its commands started.
#[derive(Debug, Clone)]
pub enum InventoryMsg {
    /// A key the operator pressed.
    Key(KeyEvent),
    /// The clock, for the spinner.
    Tick,
    /// The account, read (again).
    Loaded(Box<Inventory>),
    /// What a resource is connected to, or why it could not be read.
    Related {
        /// The resource's kind.
        kind: Kind,
        /// The resource's id, ARN or name, as its row has it.
        key: String,
        /// What it is connected to, or why that could not be read.
        result: Result<Box<Related>, String>,
    },
}

/// Work for the runtime: reads only, since the browser holds nothing that can write.
#[derive(Debug, Clone)]
pub enum InventoryCommand {
    /// Read the account.
    Load,
    /// Read what one resource is connected to.
    Related {
        /// The account as read, which `related` starts from.
        inventory: Box<Inventory>,
        /// The resource's kind.
        kind: Kind,
        /// The resource's id, ARN or name, as its row has it.
        key: String,
    },
    /// Leave the browser.
    Quit,
}

/// The browser: what the views share, and the views themselves. The order the views stack in,
/// and so which one takes the keys, is `layers.rs`'s.
pub struct InventoryApp {
    /// What the header names until the account says who it is.
    pub label: String,
    /// The account as last read.
    pub inventory: Loadable<Box<Inventory>>,
    /// The kind of resource shown.
    pub kind: Kind,
    /// The table view, always open under the others.
    pub tables: Tables,
    /// The `:` or `/` prompt, when one is open.
    pub prompt: Option<Prompt>,
    /// The details of one resource, when open.
    pub details: Option<Details>,
    /// Whether the help is open over everything.
    pub help: bool,
    /// What the status line says until the next key.
    pub status: Option<String>,
    /// Ticks since start: the spinner turns with them.
    pub ticks: u64,
    /// Set once the operator has asked to leave.
    pub should_quit: bool,
    /// The keys: the defaults, with the config file's `[keys]` over them, as in the wizard.
    pub keymap: Arc<Keymap>,
}

impl InventoryApp {
    /// The browser before anything has been read, on instances.
    pub fn new(label: &str) -> InventoryApp {
        InventoryApp {
            label: label.to_string(),
            inventory: Loadable::Loading,
            kind: Kind::Instances,
            tables: Tables::default(),
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
        self.tables.load(&inventory);
        self.inventory = Loadable::Ready(inventory);
    }

    /// The current kind's table, once the account has been read.
    pub fn table(&self) -> Option<&Table> {
        self.tables.get(&self.kind)
    }

    /// The current kind's table, to change.
    pub fn table_mut(&mut self) -> Option<&mut Table> {
        self.tables.get_mut(&self.kind)
    }

    /// What the views share, for drawing a frame.
    pub fn context(&self) -> Context<'_> {
        Context::new(&self.keymap, self.ticks, &self.inventory, self.kind)
    }
}
