//! A start that runs one of the project's own console scripts (`CMD ["snappass"]`, after the
//! maintainers' image ran `python setup.py install`). ferry's image installs the requirement
//! files, not the project, so the script does not exist there. When the script's function
//! only runs Flask's development server (`app.run(...)`), gunicorn serves the same app object
//! instead, as a platform engineer would; otherwise the image installs the project so the
//! script is there.

use std::sync::LazyLock;

use regex::Regex;

use super::dependencies::Dependencies;
use super::server::MISSING_SERVER;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{SourceFacts, fact};
use crate::model::{Finding, PackageManager};

/// `snappass = snappass.main:main` in setup.py, setup.cfg or pyproject.toml's scripts table.
static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*['"]?([A-Za-z0-9_.-]+)['"]?\s*=\s*['"]?([A-Za-z_][\w.]*):([A-Za-z_]\w*)"#).expect("valid pattern")
});

/// `app = Flask(__name__)`: the module's Flask application object.
static FLASK_APP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Za-z_]\w*)\s*=\s*(?:flask\.)?Flask\(").expect("valid pattern"));

/// A console script the project declares: its module, its function and where it is declared.
struct ConsoleScript {
    module: String,
    function: String,
    at: String,
}

/// Settles a start that runs a console script of the project's own that the image would not
/// install: gunicorn on the app object when the script only runs Flask's development server,
/// else the project installed with the dependencies.
pub(super) fn settle(files: &AppFiles, deps: &Dependencies, facts: &mut SourceFacts) {
    let Some(program) = facts.start.as_ref().and_then(|start| start.value.first()).cloned() else { return };
    // Only pip from requirement files leaves the project out; without them pip installs the
    // project itself (`pip install .`), and Poetry's image installs it for its own scripts.
    let installs_project =
        facts.install_project || facts.package_manager.value != PackageManager::Pip || facts.install_files.is_empty();
    let Some(script) = declared(files, &program).filter(|_| !installs_project) else { return };
    if let Some((app, run_at, port)) = flask_development_server(files, &script) {
        let start = vec![
            "gunicorn".to_string(),
            "--bind".to_string(),
            format!("0.0.0.0:{port}"),
            format!("{}:{app}", script.module),
        ];
        // Without gunicorn in the requirements, the image adds it as for any derived start.
        let missing = if deps.has("gunicorn") { String::new() } else { format!("; gunicorn {MISSING_SERVER}") };
        let source = format!(
            "{}: `{program}` runs {}:{}, Flask's development server ({run_at}); gunicorn serves `{}:{app}` instead{missing}",
            script.at, script.module, script.function, script.module
        );
        facts.start = Some(fact(start, source));
        // The repository's image command is no longer what runs: its warning would mislead.
        facts.findings.retain(|f| f.kind != "start-from-dockerfile");
        return;
    }
    facts.findings.push(Finding::info(
        "install-project",
        format!("the image installs the project itself: the start command runs `{program}`, the script it declares"),
        script.at.clone(),
    ));
    facts.install_project = true;
}

/// Where setup.py, setup.cfg or pyproject.toml declares the console script `name`.
fn declared(files: &AppFiles, name: &str) -> Option<ConsoleScript> {
    ["setup.py", "setup.cfg", "pyproject.toml"].iter().find_map(|file| {
        let text = files.get(file)?;
        text.lines().enumerate().find_map(|(index, line)| {
            let captures = ENTRY.captures(line)?;
            (&captures[1] == name).then(|| ConsoleScript {
                module: captures[2].to_string(),
                function: captures[3].to_string(),
                at: format!("{file}:{}", index + 1),
            })
        })
    })
}

/// The app object, the line and the port when the script's function runs Flask's development
/// server on its module's app: `def main(): app.run(host=..., port=os.environ.get('P', 5000))`.
fn flask_development_server(files: &AppFiles, script: &ConsoleScript) -> Option<(String, String, u16)> {
    let base = script.module.replace('.', "/");
    let path = [format!("{base}.py"), format!("{base}/__init__.py")].into_iter().find(|p| files.has(p))?;
    let text = files.get(&path)?;
    let lines: Vec<&str> = text.lines().collect();
    let app = lines.iter().find_map(|line| FLASK_APP.captures(line).map(|c| c[1].to_string()))?;
    let head = format!("def {}(", script.function);
    let start = lines.iter().position(|line| line.starts_with(&head))?;
    let body = lines[start + 1..].iter().take_while(|line| line.is_empty() || line.starts_with([' ', '\t']));
    let call = format!("{app}.run(");
    let (offset, _) = body.enumerate().find(|(_, line)| line.contains(&call))?;
    let index = start + 1 + offset;
    // The call's arguments may run over the next lines: its port is the last number there.
    let arguments: String = lines[index..lines.len().min(index + 4)].join(" ");
    let port = arguments
        .split_once("port")
        .map(|(_, rest)| rest.split(')').take(2).collect::<String>())
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).rev().find_map(|n| n.parse::<u16>().ok()))
        .unwrap_or(5000);
    Some((app, format!("{path}:{}", index + 1), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIN: &str = "import os\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\ndef main():\n    app.run(host=os.environ.get('BIND', '0.0.0.0'),\n            port=os.environ.get('SHARE_PORT', 5000))\n";

    fn facts(files: &AppFiles) -> SourceFacts {
        let mut facts = SourceFacts::new("python", "3.13", fact(PackageManager::Pip, "requirements.txt".to_string()));
        facts.install_files = vec!["requirements.txt".to_string()];
        facts.start = Some(fact(vec!["share".to_string()], "Dockerfile:9".to_string()));
        facts.findings.push(crate::model::Finding::warning("start-from-dockerfile", "runs `share`", "Dockerfile:9"));
        settle(files, &Dependencies(vec![("flask".to_string(), String::new())]), &mut facts);
        facts
    }

    #[test]
    fn a_script_that_runs_flasks_development_server_becomes_gunicorn() {
        let setup = "setup(\n    name='share',\n    entry_points={\n        'console_scripts': [\n            'share = share.main:main',\n        ],\n    },\n)\n";
        let files =
            AppFiles::from_pairs([("setup.py", setup), ("share/main.py", MAIN), ("requirements.txt", "flask\n")]);
        let facts = facts(&files);
        let start = facts.start.expect("a start");
        assert_eq!(start.value, ["gunicorn", "--bind", "0.0.0.0:5000", "share.main:app"]);
        assert!(start.source.starts_with("setup.py:5: `share` runs share.main:main"), "{}", start.source);
        assert!(start.source.ends_with(MISSING_SERVER), "the image adds gunicorn: {}", start.source);
        assert!(!facts.install_project);
        assert!(facts.findings.is_empty(), "the Dockerfile's command no longer runs: {:?}", facts.findings);
    }

    #[test]
    fn any_other_script_installs_the_project() {
        let setup = "[options.entry_points]\nconsole_scripts =\n    share = share.cli:serve\n";
        let cli = "def serve():\n    waitress.serve(app)\n";
        let files =
            AppFiles::from_pairs([("setup.cfg", setup), ("share/cli.py", cli), ("requirements.txt", "flask\n")]);
        let facts = facts(&files);
        assert_eq!(facts.start.expect("a start").value, ["share"]);
        assert!(facts.install_project);
        assert_eq!(facts.findings[1].source, "setup.cfg:3");
    }
}
