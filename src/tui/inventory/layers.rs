//! The browser's views in one list, and the lookups over it: which are open, which one is on
//! top (and so takes the keys), and closing it. A new view is its module in `views/`, a
//! [`Layer`] here, and the arms the compiler then asks for below; no match has a wildcard.

use super::app::InventoryApp;
use super::views::{Context, Help, Place, View};
use crate::tui::keymap::Hint;

/// The browser's views, in the order they stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// The resource table, always open.
    Table,
    /// One resource's details, over the table.
    Details,
    /// The `:` or `/` prompt.
    Prompt,
    /// The help, over everything.
    Help,
}

impl Layer {
    /// Every view, bottom first.
    pub const ALL: [Layer; 4] = [Layer::Table, Layer::Details, Layer::Prompt, Layer::Help];
}

impl InventoryApp {
    /// The view of `layer`, when it is open.
    pub fn view(&self, layer: Layer) -> Option<&dyn View> {
        match layer {
            Layer::Table => Some(&self.tables),
            Layer::Details => self.details.as_ref().map(|d| d as &dyn View),
            Layer::Prompt => self.prompt.as_ref().map(|p| p as &dyn View),
            Layer::Help => self.help.then_some(&Help as &dyn View),
        }
    }

    /// Runs `act` on the view of `layer`, when it is open, with what the views share. The
    /// context is made here, from the app's shared parts only, beside the view's own state.
    pub fn with_view_mut<R>(&mut self, layer: Layer, act: impl FnOnce(&Context, &mut dyn View) -> R) -> Option<R> {
        let InventoryApp { keymap, inventory, kind, ticks, tables, prompt, details, help, .. } = self;
        let ctx = Context::new(keymap, *ticks, inventory, *kind);
        // The help keeps no state, so a fresh one stands for the open help.
        let mut help_view = Help;
        let view: &mut dyn View = match layer {
            Layer::Table => tables,
            Layer::Details => details.as_mut()?,
            Layer::Prompt => prompt.as_mut()?,
            Layer::Help => help.then_some(&mut help_view)?,
        };
        Some(act(&ctx, view))
    }

    /// Closes the view of `layer`.
    pub fn close(&mut self, layer: Layer) {
        match layer {
            // The table is the bottom: there is nothing to show instead of it.
            Layer::Table => {}
            Layer::Details => self.details = None,
            Layer::Prompt => self.prompt = None,
            Layer::Help => self.help = false,
        }
    }

    /// The open views, bottom first.
    pub fn open_views(&self) -> impl DoubleEndedIterator<Item = &dyn View> {
        Layer::ALL.into_iter().filter_map(|layer| self.view(layer))
    }

    /// The topmost open view, which takes the keys.
    pub fn top(&self) -> Layer {
        Layer::ALL.into_iter().rev().find(|layer| self.view(*layer).is_some()).unwrap_or(Layer::Table)
    }

    /// The topmost open view that draws in `place`: each place shows only that one.
    pub fn topmost_in(&self, place: Place) -> Option<&dyn View> {
        self.open_views().rev().find(|view| view.place() == place)
    }

    /// The keys the footer names: those of the topmost view that names any.
    pub fn hints(&self, ctx: &Context) -> Vec<Hint> {
        self.open_views().rev().map(|view| view.hints(ctx)).find(|hints| !hints.is_empty()).unwrap_or_default()
    }
}
