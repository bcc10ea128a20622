//! Small pieces the screens share.

mod filtered_list;
mod text;

pub use filtered_list::FilteredList;
pub use text::{evidence_line, panel, safe, spinner, truncate, wrap};
