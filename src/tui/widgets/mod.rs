//! Small pieces the screens share.

mod crop;
mod entry;
mod filtered_list;
mod scroll;
mod text;

pub use crop::crop_line;
pub use entry::render_entry;
pub use filtered_list::FilteredList;
pub use scroll::Scroll;
pub use text::{clamp_scroll, evidence_line, panel, safe, spinner, truncate, wrap};
