//! The port gunicorn binds from its configuration file: gunicorn reads `gunicorn.conf.py` from
//! its working directory (or the file `-c` names) on its own, so a `bind = "[::]:8000"` there
//! is where it listens, whatever a settings module's `PORT` builds links with.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact};

/// The port of the config file's `bind`, when `start` runs gunicorn without a bind of its own.
pub(super) fn bound_port(files: &AppFiles, start: &[String]) -> Option<Fact<u16>> {
    let at = start.iter().position(|w| w == "gunicorn" || w.ends_with("/gunicorn"))?;
    let arguments = &start[at + 1..];
    // `-b 0.0.0.0:5000`, `--bind=…`, `-b0.0.0.0:5000`: the command line's bind wins.
    let binds = |w: &String| w == "-b" || w == "--bind" || w.starts_with("--bind=") || w.starts_with("-b");
    if arguments.iter().any(binds) {
        return None;
    }
    let named = arguments
        .iter()
        .position(|w| w == "-c" || w == "--config")
        .and_then(|i| arguments.get(i + 1).cloned())
        .or_else(|| arguments.iter().find_map(|w| w.strip_prefix("--config=").map(str::to_string)));
    let path = named.as_deref().map_or("gunicorn.conf.py", |p| p.trim_start_matches("./"));
    let text = files.get(path)?;
    text.lines().enumerate().find_map(|(index, line)| {
        let value = line.trim_start().strip_prefix("bind")?.trim_start().strip_prefix('=')?;
        let address = value.trim().trim_start_matches('[').trim_matches(['"', '\'']);
        let address = address.split(['"', '\'']).next()?;
        let port = address.rsplit_once(':')?.1.parse::<u16>().ok().filter(|p| *p != 0)?;
        Some(fact(port, format!("{path}:{} (gunicorn's bind)", index + 1)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(config: &str) -> AppFiles {
        AppFiles::from_pairs([("gunicorn.conf.py", config)])
    }

    #[test]
    fn the_config_files_bind_is_gunicorns_port() {
        let start: Vec<String> = ["gunicorn", "shop.wsgi:application"].map(String::from).to_vec();
        let found = bound_port(&app("workers = 2\nbind = \"[::]:8000\"\n"), &start).expect("a port");
        assert_eq!((found.value, found.source.as_str()), (8000, "gunicorn.conf.py:2 (gunicorn's bind)"));
        assert_eq!(bound_port(&app("bind = ['0.0.0.0:9000']\n"), &start).map(|f| f.value), Some(9000));
    }

    #[test]
    fn a_bind_on_the_command_line_or_no_config_says_nothing() {
        let bound: Vec<String> = ["gunicorn", "-b", "0.0.0.0:5000", "app:app"].map(String::from).to_vec();
        assert!(bound_port(&app("bind = \"[::]:8000\"\n"), &bound).is_none());
        let plain: Vec<String> = ["gunicorn", "app:app"].map(String::from).to_vec();
        assert!(bound_port(&app("workers = 2\n"), &plain).is_none());
    }
}
