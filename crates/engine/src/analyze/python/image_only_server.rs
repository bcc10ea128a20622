//! A server the repository's own image installs apart from the dependencies. Its Dockerfile may
//! run `pip install -r requirements.txt && pip install gunicorn[gevent]`, and its start command
//! (or the entrypoint script's server line) runs gunicorn. ferry's image installs what the
//! dependencies list, so the same command would not find its server.

use super::dependencies::{Dependencies, SERVERS, server_requirement};
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::Fact;
use crate::model::Finding;

/// The server the image must add, and a warning saying so, when the start command taken from
/// the repository's image runs a server the dependencies lack. The image installs what the
/// repository's image installed (`gunicorn[gevent]`), bounded so it stays pinned.
pub(super) fn added_server(
    files: &AppFiles,
    deps: &Dependencies,
    start: &Fact<Vec<String>>,
) -> Option<(Finding, String)> {
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
        let (index, line) =
            text.lines().enumerate().find(|(_, line)| line.contains("pip install") && line.contains(server))?;
        Some((format!("{path}:{}", index + 1), requirement_on(line, server)))
    });
    let requirement = match &installed {
        Some((_, Some(requirement))) => requirement.clone(),
        _ => server_requirement(server),
    };
    let message = match &installed {
        Some((at, _)) => format!(
            "the start command runs {server}, which the repository's image installs apart from the dependencies ({at}): ferry's image installs `{requirement}` the same way"
        ),
        None => format!(
            "the start command runs {server}, which the dependencies do not list: ferry's image installs `{requirement}` beside them"
        ),
    };
    let source = installed.map_or_else(|| start.source.clone(), |(at, _)| at);
    let finding = Finding::warning("no-production-server", message, source)
        .with_fix(format!("add {server} (with a pinned version) to the dependencies"));
    Some((finding, requirement))
}

/// The requirement a `pip install` line gives for `server` (`gunicorn[gevent]==21.2.0`), with
/// a bound on its major version when the line pins none.
fn requirement_on(line: &str, server: &str) -> Option<String> {
    let word = line
        .split_whitespace()
        .map(|word| word.trim_matches(|c| matches!(c, '"' | '\'' | '&' | ';')))
        .find(|word| word.starts_with(server) && !word.contains('/'))?;
    let rest = &word[server.len()..];
    let extras_and_pin = rest.starts_with('[') || rest.starts_with(['=', '<', '>', '~', '!']) || rest.is_empty();
    if !extras_and_pin {
        return None;
    }
    let pinned = rest.contains(['=', '<', '>', '~']);
    let bound = server_requirement(server);
    Some(if pinned { word.to_string() } else { format!("{word}{}", &bound[server.len()..]) })
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
        let (found, requirement) = added_server(&files, &deps, &start).expect("a warning");
        assert_eq!((found.kind.as_str(), found.source.as_str()), ("no-production-server", "Dockerfile:4"));
        assert_eq!(requirement, "gunicorn[gevent]<24");
        let listed = Dependencies(vec![("gunicorn".to_string(), "requirements.txt:2".to_string())]);
        assert!(added_server(&files, &listed, &start).is_none());
        let derived = fact(words(&["gunicorn", "app:app"]), "derived");
        assert!(added_server(&files, &deps, &derived).is_none());
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
        let (found, requirement) = added_server(&scripted, &deps, &whole).expect("the script's server is missing");
        assert_eq!(requirement, "gunicorn<24");
        assert_eq!(found.source, "Dockerfile:2 (the repository's own image)");
    }
}
