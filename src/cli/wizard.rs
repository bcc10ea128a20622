//! The wizard on a live account (`ferry` without a command), how it looks and listens, and
//! the keys it binds (`ferry keys`).

use std::sync::Arc;

use clap::Args;
use color_eyre::eyre::Result;

use super::audit;
use super::backend::{AwsArgs, Backend};
use super::output;
use ferry::tui::{AppFolder, Engine, Mode};

/// How the wizard looks and listens, over the config file's `[ui]`.
#[derive(Args, Clone, Copy)]
pub struct UiArgs {
    /// Clicks select steps, rows and panes, and the wheel scrolls (the terminal's own text
    /// selection then needs Shift); also `[ui] mouse = true` in the config file.
    #[arg(long)]
    pub mouse: bool,
    /// The colour theme: default or high-contrast; also `[ui] theme` in the config file.
    #[arg(long, value_name = "NAME", value_parser = theme_name)]
    pub theme: Option<ferry::config::Theme>,
}

impl UiArgs {
    pub fn flags(self) -> ferry::tui::UiFlags {
        ferry::tui::UiFlags { mouse: self.mouse, theme: self.theme }
    }
}

fn theme_name(name: &str) -> Result<ferry::config::Theme, String> {
    ferry::config::Theme::parse(name)
        .ok_or_else(|| format!("not a theme (known: {})", ferry::config::Theme::NAMES.join(", ")))
}

/// `ferry` without a command: the wizard on the account the AWS options reach.
pub async fn open(
    aws: &AwsArgs,
    anchor_args: &audit::AnchorArgs,
    app: Option<&std::path::Path>,
    ui: ferry::tui::UiFlags,
) -> Result<()> {
    // A bad folder is reported before the terminal is taken over.
    let folder = app.map(wizard_folder).transpose()?;
    let backend = Backend::open(aws, None).await?;
    let label = backend.label().await;
    // Changes go through the same journaled, audited (and anchored) operator as
    // `ferry apply`, and only after the plan is approved by its hash in the wizard.
    let anchor = anchor_args.anchor(&backend)?.map(|a| a as Arc<dyn ferry::audit::AuditAnchor>);
    let operator = ferry::operate::Operator::in_state_dir(backend.write()?, backend.target()).with_anchor(anchor);
    let engine = Engine::operated(backend.read(), operator);
    ferry::tui::run_wizard(engine, Mode::Live, &label, None, folder, None, ui).await
}

/// `ferry keys`: the wizard's actions and their keys, as the settings file binds them.
pub fn print_keys() -> Result<()> {
    use std::io::Write;
    let keymap = ferry::tui::actions::load()?;
    write!(output::stdout(), "{}", keymap.table())?;
    Ok(())
}

/// The wizard's source folder from `--app`, read once, shown by its absolute path.
pub fn wizard_folder(dir: &std::path::Path) -> Result<AppFolder> {
    let files = super::read_app(dir)?;
    let path = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    Ok(AppFolder::from_flag(path, files))
}
