//! The `ferry` command: parses arguments and hands over to the engine or the TUI.

mod cli;

use std::process::ExitCode;

use cli::output;

fn main() -> ExitCode {
    // color-eyre's hook makes panics readable; errors the operator can act on are printed
    // plainly below, a line each, without a backtrace.
    if let Err(error) = color_eyre::install() {
        output::note!("ferry: {error}");
    }
    match cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of the results went away (`| head`): nothing to tell, and no one to tell it.
        Err(_) if output::stdout_closed() => ExitCode::from(output::CLOSED_PIPE_STATUS),
        Err(error) => {
            output::print_error(&error);
            ExitCode::FAILURE
        }
    }
}
