//! How the wizard looks and what it listens to: the `[ui]` section of the config file, with
//! the command line's `--mouse` and `--theme` over it.

use crate::config::{ConfigError, Theme};

/// What the command line says of the UI.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UiFlags {
    /// `--mouse`.
    pub mouse: bool,
    /// `--theme`.
    pub theme: Option<Theme>,
}

/// The UI the wizard runs with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UiOptions {
    /// Clicks and the wheel are the wizard's (the terminal's own selection then needs Shift).
    pub mouse: bool,
    pub theme: Theme,
}

impl UiOptions {
    /// The flags over the settings file's `[ui]`.
    pub fn resolve(flags: UiFlags) -> Result<UiOptions, ConfigError> {
        let config = crate::config::load()?;
        Ok(UiOptions::over(flags, &config.ui))
    }

    /// The flags over `settings`: a flag that is given wins.
    pub fn over(flags: UiFlags, settings: &crate::config::UiSettings) -> UiOptions {
        UiOptions { mouse: flags.mouse || settings.mouse, theme: flags.theme.unwrap_or(settings.theme) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::UiSettings;

    #[test]
    fn a_flag_wins_over_the_file() {
        let file = UiSettings { mouse: true, theme: Theme::HighContrast };
        assert_eq!(UiOptions::over(UiFlags::default(), &file), UiOptions { mouse: true, theme: Theme::HighContrast });
        let flags = UiFlags { mouse: false, theme: Some(Theme::Default) };
        assert_eq!(UiOptions::over(flags, &file).theme, Theme::Default);
        let flags = UiFlags { mouse: true, theme: None };
        assert_eq!(UiOptions::over(flags, &UiSettings::default()), UiOptions { mouse: true, theme: Theme::Default });
    }
}
