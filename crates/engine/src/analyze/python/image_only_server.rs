//! A server the repository's own image installs apart from the dependencies. Its Dockerfile may
//! run `pip install -r requirements.txt && pip install gunicorn[gevent]`, and its start command
//! (or the entrypoint script's server line) runs gunicorn. ferry's image installs what the
//! dependencies list, so the same command would not find its server.

use super::dependencies::{Dependencies, SERVERS};
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::Fact;
use crate::model::Finding;

/// A blocker when the start command taken from the repository's image runs a server the
/// dependencies lack, citing the image's line that installs it when there is one.
pub(super) fn finding(files: &AppFiles, deps: &Dependencies, start: &Fact<Vec<String>>) -> Option<Finding> {
    if !start.source.contains("the repository's own image") {
        return None;
    }
    // A start command that is the entrypoint script runs the server its last line names.
    let script_program = crate::analyze::entrypoint_script::final_program(files, &start.value);
    let program = script_program
        .as_ref()
        .or_else(|| start.value.iter().find(|word| !matches!(word.as_str(), "python" | "python3" | "-m")))?;
    let server =
        SERVERS.iter().find(|server| program == *server || (**server == "waitress" && program == "waitress-serve"))?;
    if deps.has(server) {
        return None;
    }
    let installed = crate::analyze::container_start::dockerfiles(files).into_iter().find_map(|(path, text)| {
        let index = text.lines().position(|line| line.contains("pip install") && line.contains(server))?;
        Some(format!("{path}:{}", index + 1))
    });
    let message = match &installed {
        Some(at) => format!(
            "the start command runs {server}, which the repository's image installs apart from the dependencies ({at}): ferry's image installs only what they list"
        ),
        None => format!(
            "the start command runs {server}, which the dependencies do not list: ferry's image installs only what they list"
        ),
    };
    Some(
        Finding::blocker("no-production-server", message, installed.unwrap_or_else(|| start.source.clone()))
            .with_fix(format!("add {server} (with a pinned version) to the dependencies")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::source::fact;

    #[test]
    fn a_server_only_the_repositorys_image_installs() {
        let files = AppFiles::from_pairs([(
            "Dockerfile",
            "FROM python:3.11\nCOPY requirements.txt .\nRUN pip install -r requirements.txt && \\\n    pip install gunicorn[gevent]\n",
        )]);
        let deps = Dependencies(vec![("django".to_string(), "requirements.txt:1".to_string())]);
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let start = fact(
            words(&["gunicorn", "blog.wsgi:application"]),
            "deploy/entrypoint.sh:9 (run by Dockerfile:8, the repository's own image)",
        );
        let found = finding(&files, &deps, &start).expect("a blocker");
        assert_eq!((found.kind.as_str(), found.source.as_str()), ("no-production-server", "Dockerfile:4"));
        let listed = Dependencies(vec![("gunicorn".to_string(), "requirements.txt:2".to_string())]);
        assert!(finding(&files, &listed, &start).is_none());
        let derived = fact(words(&["gunicorn", "app:app"]), "derived");
        assert!(finding(&files, &deps, &derived).is_none());
        let scripted = AppFiles::from_pairs([
            (
                "Dockerfile",
                "FROM python:3.11
ENTRYPOINT [\"/app/start.sh\"]
",
            ),
            (
                "start.sh",
                "#!/bin/sh
cp -r static/ public/
exec gunicorn \\\n  app:app\n",
            ),
        ]);
        let whole = fact(words(&["./start.sh"]), "Dockerfile:2 (the repository's own image)");
        let found = finding(&scripted, &deps, &whole).expect("the script's server is missing");
        assert_eq!(found.source, "Dockerfile:2 (the repository's own image)");
    }
}
