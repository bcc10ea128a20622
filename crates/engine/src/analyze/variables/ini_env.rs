//! Settings in an ini file that the code lets the environment fill. A configparser
//! `Interpolation` whose `before_get` reads `os.getenv(option)` makes every option of the ini
//! file it reads an environment variable of the same name: no read in the code names them.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

/// `os.getenv(option)`, `os.environ.get(key)`: a read whose name is a variable, not a literal.
static READ_BY_OPTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"os\.(?:getenv|environ\.get)\(\s*[A-Za-z_]\w*\s*[,)]").expect("valid pattern"));
static INI_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"["']([\w./-]+\.(?:ini|cfg|conf))["']"#).expect("valid pattern"));

/// Every option of the ini files such an interpolation reads, as a read at its line with the
/// file's value as its default.
pub fn reads(files: &AppFiles) -> Vec<VariableRead> {
    let mut found = Vec::new();
    for (path, text) in files.with_extensions(&["py"]).filter(|(path, _)| !is_test_path(path)) {
        let fills_from_environment =
            text.contains("Interpolation") && text.lines().any(|line| READ_BY_OPTION.is_match(line));
        if !fills_from_environment {
            continue;
        }
        let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
        for name in INI_NAME.captures_iter(text).map(|caps| caps[1].to_string()) {
            let beside = if folder.is_empty() { name.clone() } else { format!("{folder}/{name}") };
            let ini = files.get(&beside).map(|t| (beside.clone(), t)).or_else(|| {
                let file_name = name.rsplit('/').next().unwrap_or(&name);
                files
                    .files
                    .iter()
                    .find(|(p, _)| p.rsplit('/').next() == Some(file_name))
                    .map(|(p, t)| (p.clone(), t.as_str()))
            });
            if let Some((ini_path, ini_text)) = ini {
                let mut read = options(&ini_path, ini_text);
                code_fallbacks(text, &mut read);
                found.extend(read);
            }
        }
    }
    found
}

/// The fallback the code gives an option it reads from the ini file, when the file leaves it
/// empty: `config_ini["uploads"]["UPLOAD_PROVIDER"]) \` then `or "filesystem"`.
fn code_fallbacks(code: &str, reads: &mut [VariableRead]) {
    let lines: Vec<&str> = code.lines().collect();
    for read in reads.iter_mut().filter(|r| r.default.is_none()) {
        let key = [format!("[\"{}\"]", read.name), format!("['{}']", read.name)];
        let Some(index) = lines.iter().position(|line| key.iter().any(|k| line.contains(k.as_str()))) else { continue };
        // The statement, over a `\` continuation.
        let continued = lines[index].trim_end().ends_with('\\');
        let statement = match lines.get(index + 1).filter(|_| continued) {
            Some(next) => format!("{} {next}", lines[index].trim_end().trim_end_matches('\\')),
            None => lines[index].to_string(),
        };
        let fallback = statement.rsplit_once(" or ").and_then(|(_, rest)| super::text::literal(rest.trim()));
        read.default = fallback.filter(|value| !value.is_empty());
    }
}

/// `NAME = value` lines outside comments, for names written as environment variables are.
fn options(path: &str, text: &str) -> Vec<VariableRead> {
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let line = line.trim();
            if line.starts_with(['#', ';', '[']) {
                return None;
            }
            let (name, value) = line.split_once('=').or_else(|| line.split_once(':'))?;
            let name = name.trim();
            if !crate::model::is_variable_name(name) || name.chars().any(|c| c.is_ascii_lowercase()) {
                return None;
            }
            let value = value.trim();
            let default = (!value.is_empty()).then(|| value.to_string());
            Some(VariableRead::new(name, format!("{path}:{}", index + 1)).with_default(default))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "import configparser, os\n\nclass EnvInterpolation(configparser.BasicInterpolation):\n    def before_get(self, parser, section, option, value, defaults):\n        envvar = os.getenv(option)\n        return envvar or value\n\nconfig_ini = configparser.ConfigParser(interpolation=EnvInterpolation())\nconfig_ini.read(os.path.join(os.path.dirname(__file__), \"config.ini\"))\n";
    const INI: &str = "[server]\n# The key that signs sessions.\nSECRET_KEY =\nDATABASE_URL =\n\n[security]\nSESSION_COOKIE_SAMESITE = Lax\n; lower-case keys are the parser's own\nlog_level = info\n";

    #[test]
    fn each_option_of_an_environment_filled_ini_file_is_a_variable() {
        let files = AppFiles::from_pairs([("app/config.py", CONFIG), ("app/config.ini", INI)]);
        let found: Vec<(String, Option<String>, String)> =
            reads(&files).into_iter().map(|r| (r.name, r.default, r.source)).collect();
        assert_eq!(
            found,
            [
                ("SECRET_KEY".to_string(), None, "app/config.ini:3".to_string()),
                ("DATABASE_URL".to_string(), None, "app/config.ini:4".to_string()),
                ("SESSION_COOKIE_SAMESITE".to_string(), Some("Lax".to_string()), "app/config.ini:7".to_string()),
            ]
        );
    }

    #[test]
    fn the_codes_fallback_for_an_empty_option() {
        let code = format!(
            "{CONFIG}\nclass ServerConfig:\n    UPLOAD_PROVIDER: str = empty_str_cast(config_ini[\"uploads\"][\"UPLOAD_PROVIDER\"]) \\\n        or \"filesystem\"\n    UPLOAD_FOLDER = config_ini['uploads']['UPLOAD_FOLDER'] or os.path.join(here, 'uploads')\n"
        );
        let ini = "[uploads]\nUPLOAD_PROVIDER =\nUPLOAD_FOLDER =\n";
        let files = AppFiles::from_pairs([("app/config.py", code.as_str()), ("app/config.ini", ini)]);
        let defaults: Vec<Option<String>> = reads(&files).into_iter().map(|r| r.default).collect();
        assert_eq!(defaults, [Some("filesystem".to_string()), None], "a computed fallback is none");
    }

    #[test]
    fn an_ini_file_read_without_the_environment_gives_nothing() {
        let plain = "import configparser\nconfig = configparser.ConfigParser()\nconfig.read(\"config.ini\")\n";
        let files = AppFiles::from_pairs([("app/config.py", plain), ("app/config.ini", INI)]);
        assert!(reads(&files).is_empty());
    }
}
