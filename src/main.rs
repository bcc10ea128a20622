//! The `ferry` command: parses arguments and hands over to the engine or the TUI.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // color-eyre's hook makes panics readable; errors the operator can act on are printed
    // plainly below, as one line of causes, without a backtrace.
    if let Err(error) = color_eyre::install() {
        eprintln!("ferry: {error}");
    }
    match cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Errors can quote the account (names, cloud messages): never raw to the terminal.
            eprintln!("ferry: {}", ferry::text::escape_controls(&format!("{error:#}")));
            ExitCode::FAILURE
        }
    }
}
