//! The optional extra that brings what the start command runs. A repository's image may run
//! `pip install .[production]` and then `./manage.py pyuwsgi`, where the `pyuwsgi` management
//! command comes from `django-webserver[pyuwsgi]` in the `production` extra; ferry's image
//! installs the project, so it installs that extra too, or the command is not found.

use super::dependencies::Dependencies;
use crate::analyze::app_files::AppFiles;

/// An extra, the package of it that brings the command, and where that package is declared.
pub(super) struct StartExtra {
    pub(super) extra: String,
    pub(super) package: String,
    pub(super) command: String,
    pub(super) source: String,
}

/// The extra whose packages bring the start command's program, module (`python -m x`) or
/// Django management command, when the main dependencies do not.
pub(super) fn extra_for_start(
    files: &AppFiles,
    pyproject: Option<&toml::Table>,
    deps: &Dependencies,
    start: &[String],
) -> Option<StartExtra> {
    let commands = commands_of(start);
    let extras = declared_extras(files, pyproject);
    // Poetry lists an extra's packages among the dependencies, marked optional.
    let installed = |command: &str| deps.has(command) && !optional_in_poetry(pyproject, command);
    commands.iter().filter(|command| !installed(command)).find_map(|command| {
        extras.iter().find_map(|(extra, specs)| {
            specs.iter().find(|(spec, _)| brings(spec, command)).map(|(spec, source)| StartExtra {
                extra: extra.clone(),
                package: spec.split([';', ' ', '=', '<', '>', '~', '!']).next().unwrap_or(spec).to_string(),
                command: command.clone(),
                source: source.clone(),
            })
        })
    })
}

fn optional_in_poetry(pyproject: Option<&toml::Table>, name: &str) -> bool {
    let table = pyproject.and_then(|t| t.get("tool")).and_then(|t| t.get("poetry")).and_then(|p| p.get("dependencies"));
    let entry = table.and_then(toml::Value::as_table).and_then(|t| {
        t.iter().find(|(key, _)| key.to_ascii_lowercase().replace('_', "-") == name).map(|(_, value)| value)
    });
    entry.and_then(|e| e.get("optional")).and_then(toml::Value::as_bool).unwrap_or(false)
}

/// What a command needs installed: its program, the module `-m` runs, and the management
/// command `manage.py` runs.
fn commands_of(start: &[String]) -> Vec<String> {
    // `sh -c "./manage.py migrate && ./manage.py pyuwsgi ..."`: the server is the last step.
    let server_step = match start {
        [shell, flag, line] if matches!(shell.as_str(), "sh" | "bash" | "/bin/sh") && flag == "-c" => {
            line.rsplit(['&', ';']).next().and_then(crate::analyze::source::shell_words)
        }
        _ => None,
    };
    let start = server_step.as_deref().unwrap_or(start);
    let base = |word: &str| word.rsplit('/').next().unwrap_or(word).to_ascii_lowercase();
    let mut found = Vec::new();
    let mut words = start.iter().map(|w| base(w)).skip_while(|w| matches!(w.as_str(), "exec" | "python" | "python3"));
    while let Some(word) = words.next() {
        match word.as_str() {
            "-m" => continue,
            "manage.py" => found.extend(words.next()),
            _ => found.push(word),
        }
        break;
    }
    found.into_iter().filter(|w| !w.is_empty() && !w.starts_with('-') && !w.ends_with(".py")).collect()
}

/// A requirement that provides `command`: the package of that name, or a package installed
/// with an extra of that name (`django-webserver[pyuwsgi]`).
fn brings(spec: &str, command: &str) -> bool {
    let normalise = |name: &str| name.trim().to_ascii_lowercase().replace('_', "-");
    let name_end =
        spec.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(spec.len());
    let command = normalise(command);
    if normalise(&spec[..name_end]) == command {
        return true;
    }
    let bracketed = spec[name_end..].trim_start().strip_prefix('[').and_then(|rest| rest.split_once(']'));
    bracketed.is_some_and(|(extras, _)| extras.split(',').any(|extra| normalise(extra) == command))
}

/// Every extra with its requirements and where each is declared: pyproject's
/// `[project.optional-dependencies]` and `[tool.poetry.extras]`, and setup.cfg's
/// `[options.extras_require]`.
pub(super) fn declared_extras(
    files: &AppFiles,
    pyproject: Option<&toml::Table>,
) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let tables = [
        ("project.optional-dependencies", ["project", "optional-dependencies"]),
        ("tool.poetry.extras", ["tool", "poetry"]),
    ];
    for (section, [outer, inner]) in tables {
        let mut table = pyproject.and_then(|t| t.get(outer)).and_then(|t| t.get(inner));
        if section == "tool.poetry.extras" {
            table = table.and_then(|t| t.get("extras"));
        }
        for (name, specs) in table.and_then(toml::Value::as_table).into_iter().flatten() {
            let specs = specs.as_array().into_iter().flatten().filter_map(toml::Value::as_str);
            let source = format!("pyproject.toml {section}.{name}");
            found.push((name.clone(), specs.map(|spec| (spec.to_string(), source.clone())).collect()));
        }
    }
    found.extend(setup_cfg_extras(files.get("setup.cfg").unwrap_or("")));
    found
}

/// `[options.extras_require]` of setup.cfg: `name =` followed by indented requirements.
fn setup_cfg_extras(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let mut inside = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.split('#').next().unwrap_or("").trim();
        if trimmed.starts_with('[') {
            inside = trimmed == "[options.extras_require]";
            continue;
        }
        if !inside || trimmed.is_empty() {
            continue;
        }
        let requirement = |spec: &str| (spec.trim().to_string(), format!("setup.cfg:{}", index + 1));
        match (line.starts_with([' ', '\t']), trimmed.split_once('=')) {
            (false, Some((name, rest))) if !name.contains(['<', '>', '!', '~']) => {
                let specs = Some(rest.trim()).filter(|r| !r.is_empty()).map(requirement);
                found.push((name.trim().to_string(), specs.into_iter().collect()));
            }
            (true, _) => {
                if let Some((_, specs)) = found.last_mut() {
                    specs.push(requirement(trimmed));
                }
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn a_management_command_an_extra_brings() {
        let files = AppFiles::from_pairs([(
            "setup.cfg",
            "[options]\ninstall_requires =\n    django>=4\n\n[options.extras_require]\nserve =\n    psycopg2-binary\n    django-webserver[pyuwsgi]==1.2.0\n\ndocs =\n    sphinx\n",
        )]);
        let deps = Dependencies(Vec::new());
        let found = extra_for_start(&files, None, &deps, &words("./manage.py pyuwsgi --http=:8000")).expect("an extra");
        assert_eq!(
            (found.extra.as_str(), found.package.as_str(), found.command.as_str(), found.source.as_str()),
            ("serve", "django-webserver[pyuwsgi]", "pyuwsgi", "setup.cfg:8")
        );
        assert!(extra_for_start(&files, None, &deps, &words("python manage.py runserver")).is_none());
        let shell = ["sh", "-c", "./manage.py migrate && exec ./manage.py pyuwsgi --http=:$PORT"].map(String::from);
        assert_eq!(extra_for_start(&files, None, &deps, &shell).map(|f| f.extra), Some("serve".to_string()));
    }

    #[test]
    fn a_program_or_module_an_extra_brings() {
        let pyproject: toml::Table =
            "[project.optional-dependencies]\nweb = [\"uvicorn[standard]>=0.30\"]\n[tool.poetry.extras]\nwsgi = [\"waitress\"]\n"
                .parse()
                .unwrap();
        let files = AppFiles::from_pairs([("pyproject.toml", "")]);
        let none = Dependencies(Vec::new());
        let module = extra_for_start(&files, Some(&pyproject), &none, &words("python -m uvicorn app:app")).unwrap();
        assert_eq!(
            (module.extra.as_str(), module.source.as_str()),
            ("web", "pyproject.toml project.optional-dependencies.web")
        );
        let program = extra_for_start(&files, Some(&pyproject), &none, &words("waitress app:app")).unwrap();
        assert_eq!(program.extra, "wsgi");
        let listed = Dependencies(vec![("uvicorn".into(), "requirements.txt:1".into())]);
        assert!(extra_for_start(&files, Some(&pyproject), &listed, &words("uvicorn app:app")).is_none());
    }
}
