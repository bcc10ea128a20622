//! The inventory browser's views, each a [`View`]: its own state, its keys, its hints and how
//! it draws, from a narrow [`Context`]. Which ones are open, and which takes the keys, is
//! decided in one place, `layers.rs`; `update` carries out what their [`Reply`] asks.

mod details;
mod help;
mod prompt;
mod related;
mod table;

pub use details::{Details, detail_hints};
pub use help::Help;
pub use prompt::Prompt;
pub use table::{Tables, table_hints};

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::inventory::{Inventory, Kind};
use crate::tui::actions::Keymap;
use crate::tui::app::Loadable;
use crate::tui::keymap::Hint;

/// What the views share, borrowed for one key or one frame. A view never sees another view's
/// state nor the app's, and cannot change any of these.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The keys, as the config file bound them.
    pub keymap: &'a Keymap,
    /// Ticks since start: the spinner turns with them.
    pub ticks: u64,
    /// The account as last read; `None` until the first read is done.
    pub inventory: Option<&'a Inventory>,
    /// The kind of resource shown.
    pub kind: Kind,
}

impl<'a> Context<'a> {
    /// The shared parts, as the app holds them.
    pub fn new(keymap: &'a Keymap, ticks: u64, inventory: &'a Loadable<Box<Inventory>>, kind: Kind) -> Context<'a> {
        Context { keymap, ticks, inventory: inventory.ready().map(|i| i.as_ref()), kind }
    }
}

/// What a key did in a view, for `update` to carry out beyond the view's own state.
#[derive(Debug)]
pub enum Reply {
    /// Nothing more to do: the key was not the view's, or it changed only the view.
    Nothing,
    /// Close the view on top.
    Close,
    /// Close the view on top, then do this: a prompt that ends by acting.
    CloseThen(Box<Reply>),
    /// Say this on the status line.
    Status(String),
    /// Show only the current table's rows that contain this text.
    Filter(String),
    /// Show this kind of resource, closing any details.
    SwitchKind(Kind),
    /// Take typed text in this prompt.
    OpenPrompt(Prompt),
    /// Show these details, and read what the resource is connected to.
    OpenDetails(Details),
    /// Show the help.
    OpenHelp,
    /// Read the account again.
    Refresh,
    /// Leave the browser.
    Quit,
}

/// The part of the screen a view draws in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The body between the kinds and the status line.
    Body,
    /// The line above the footer, where the status is said.
    StatusLine,
    /// A box over the whole screen.
    Overlay,
}

/// One of the browser's views. Only `update` calls `handle_key`, so a view changes its own
/// state there and asks for anything else through its [`Reply`].
pub trait View {
    /// Where the view draws: of the open views, the topmost one in each place is drawn.
    fn place(&self) -> Place;

    /// A key, while this view is on top.
    fn handle_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply;

    /// Draws the view in `area`, the part of the screen its `place` names.
    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect);

    /// The keys the footer names while the view is on top; none leaves the footer to the
    /// view below.
    fn hints(&self, ctx: &Context) -> Vec<Hint>;

    /// Whether the view is taking typed text: its keys are then read as a text field's.
    fn is_typing(&self) -> bool {
        false
    }
}
