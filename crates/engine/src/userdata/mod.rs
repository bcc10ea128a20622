//! Reading instance user data: the assignments in it, and the secrets to mask before any of
//! it is shown, written or logged. Backends mask user data as they read it, so nothing past
//! the cloud boundary ever holds a secret value.

mod parse;
mod secrets;

pub use parse::{Assignment, assignments, find_line, url_host};
pub use secrets::{MASK, Redacted, is_secret, is_secret_name, looks_random, redact};
