//! Small pieces the screens share.

mod entry;
mod filtered_list;
mod scroll;
mod text;

pub use entry::render_entry;
pub use filtered_list::FilteredList;
pub use scroll::Scroll;
pub use text::{clamp_scroll, evidence_line, panel, safe, spinner, truncate, wrap};
