//! The `ferry` command: parses arguments and hands over to the engine or the TUI.

mod cli;

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    cli::run()
}
