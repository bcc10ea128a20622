//! A shared Django settings module whose literal a deployment's settings module replaces: the
//! image's `settings/config.py` starts with `from .common import *` and then reads
//! `SECRET_KEY = os.getenv(...)`, so the key written in `common.py` is never the one served.

use crate::analyze::app_files::AppFiles;

/// Reads that take a setting's value from the environment.
const ENV_READS: [&str; 5] = ["environ", "getenv", "env(", "env.", "config("];

/// Whether the setting assigned by `statement` (`SECRET_KEY = "..."`) in the settings module at
/// `at` is assigned again, from the environment, by another module that star-imports it.
pub(super) fn read_from_env_by_importer(files: &AppFiles, at: &str, statement: &str) -> bool {
    let Some((name, _)) = statement.split_once('=') else { return false };
    let name = name.trim();
    let path = at.rsplit_once(':').map_or(at, |(path, _)| path);
    let Some(module) = path.rsplit('/').next().and_then(|n| n.strip_suffix(".py")) else { return false };
    files
        .with_extensions(&["py"])
        .filter(|(other, _)| *other != path)
        .any(|(_, text)| star_imports(text, module) && reads_from_env(text, name))
}

/// `from .common import *`, `from settings.common import *`: the module named `module`.
fn star_imports(text: &str, module: &str) -> bool {
    text.lines().any(|line| {
        let Some(source) = line.trim().strip_prefix("from ").and_then(|r| r.strip_suffix(" import *")) else {
            return false;
        };
        source.trim().rsplit('.').next() == Some(module)
    })
}

/// A top-level `NAME = os.getenv(...)` (or `environ`, `env(`, `config(`).
fn reads_from_env(text: &str, name: &str) -> bool {
    text.lines().filter(|line| !line.starts_with([' ', '\t'])).any(|line| {
        let Some(rest) = line.strip_prefix(name) else { return false };
        let Some(value) = rest.trim_start().strip_prefix('=') else { return false };
        !value.starts_with('=') && ENV_READS.iter().any(|read| value.contains(read))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> AppFiles {
        AppFiles::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn an_importer_reading_the_key_from_the_environment_replaces_it() {
        let base = ("conf/base.py", "SECRET_KEY = \"abc\"\n");
        let deploy = ("deploy/live.py", "from .base import *\nimport os\n\nSECRET_KEY = os.getenv(\"APP_KEY\")\n");
        assert!(read_from_env_by_importer(&files(&[base, deploy]), "conf/base.py:1", "SECRET_KEY = \"abc\""));
        let literal = ("deploy/live.py", "from .base import *\nSECRET_KEY = \"other\"\n");
        assert!(!read_from_env_by_importer(&files(&[base, literal]), "conf/base.py:1", "SECRET_KEY = \"abc\""));
        let unrelated = ("deploy/live.py", "from .other import *\nSECRET_KEY = os.getenv(\"APP_KEY\")\n");
        assert!(!read_from_env_by_importer(&files(&[base, unrelated]), "conf/base.py:1", "SECRET_KEY = \"abc\""));
    }
}
