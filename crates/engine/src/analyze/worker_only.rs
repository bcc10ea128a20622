//! Settings only a background worker uses. A settings class may read a broker's URL for the
//! Celery worker beside the web app; the service runs the web app, which never connects to it,
//! so its localhost default does not stop the service. It stays a warning: the worker, when it
//! is moved, needs the real host.

use crate::analyze::app_files::AppFiles;
use crate::model::{Finding, FindingLevel};

/// What makes a file a worker's: it builds the task queue's app or imports its library.
const WORKER_MARKS: [&str; 6] = ["Celery(", "from celery", "import celery", "from rq", "import dramatiq", "from arq"];

/// Lowers each localhost-default blocker whose setting only worker files use.
pub fn relax(files: &AppFiles, findings: &mut [Finding]) {
    for finding in findings.iter_mut() {
        if finding.kind != "localhost-default-host" || finding.level != FindingLevel::Blocker {
            continue;
        }
        let Some((name, _)) = finding.message.split_once(" defaults to localhost") else { continue };
        let defined_in = finding.source.rsplit_once(':').map_or(finding.source.as_str(), |(path, _)| path);
        let Some(worker) = only_worker_uses(files, name, defined_in) else { continue };
        finding.level = FindingLevel::Warning;
        finding.message = format!(
            "{name} defaults to localhost, and only the task worker uses it ({worker}), which this service does not run: the worker needs the real host when it moves"
        );
    }
}

/// The first use of the setting, when every use outside the file that defines it is in a
/// worker's file; `None` when the web app uses it too, or nothing does.
fn only_worker_uses(files: &AppFiles, name: &str, defined_in: &str) -> Option<String> {
    let attribute = format!(".{name}");
    let lower = format!(".{}", name.to_ascii_lowercase());
    let mut first = None;
    for (path, text) in files.with_extensions(&["py"]).filter(|(path, _)| *path != defined_in) {
        let Some(index) = text.lines().position(|line| uses(line, &attribute) || uses(line, &lower)) else { continue };
        if !is_worker(text) || reached_by_web(files, path) {
            return None;
        }
        first.get_or_insert(format!("{path}:{}", index + 1));
    }
    first
}

fn is_worker(text: &str) -> bool {
    WORKER_MARKS.iter().any(|mark| text.contains(mark))
}

/// Whether a file of the web app (one with no worker mark, outside the tests) imports the
/// module at `path`: a queue library's import there may only enqueue jobs (an `arq` pool made in
/// the web app's lifespan), and then the web app connects to the same host. The match is by
/// the module's last name, loose on purpose: a wrong match keeps the blocker, never hides one.
fn reached_by_web(files: &AppFiles, path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".py");
    let module = if file == "__init__" { path.rsplit('/').nth(1).unwrap_or(file) } else { file };
    files
        .with_extensions(&["py"])
        .filter(|(other, text)| *other != path && !crate::analyze::source::is_test_path(other) && !is_worker(text))
        .flat_map(|(_, text)| text.lines())
        .map(str::trim_start)
        .filter(|line| line.starts_with("from ") || line.starts_with("import "))
        .any(|line| line.split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '(' | ')')).any(|w| w == module))
}

/// `config.CELERY_BROKER_URL` and not `config.CELERY_BROKER_URL_EXTRA`.
fn uses(line: &str, attribute: &str) -> bool {
    line.match_indices(attribute)
        .any(|(at, _)| !line[at + attribute.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocker(name: &str) -> Finding {
        crate::analyze::readiness::localhost_default(name, true, "core/config.py:16")
    }

    #[test]
    fn a_broker_only_the_worker_connects_to() {
        let files = AppFiles::from_pairs([
            (
                "core/config.py",
                "class Config(BaseSettings):\n    CELERY_BROKER_URL: str = 'amqp://localhost'\n    REDIS_HOST: str = 'localhost'\n",
            ),
            (
                "celery_task/__init__.py",
                "from celery import Celery\napp = Celery('w', broker=config.CELERY_BROKER_URL)\n",
            ),
            ("app/cache.py", "redis = Redis(host=config.REDIS_HOST)\n"),
        ]);
        let mut found = [blocker("CELERY_BROKER_URL"), blocker("REDIS_HOST")];
        relax(&files, &mut found);
        assert_eq!(found[0].level, FindingLevel::Warning);
        assert!(found[0].message.contains("celery_task/__init__.py:2"), "{}", found[0].message);
        assert_eq!(found[1].level, FindingLevel::Blocker, "the web app connects to Redis");
    }

    #[test]
    fn a_queue_pool_the_web_app_makes_keeps_its_blocker() {
        let files = AppFiles::from_pairs([
            ("app/config.py", "class Config(BaseSettings):\n    JOBS_HOST: str = 'localhost'\n"),
            (
                "app/startup.py",
                "from arq import create_pool\n\nasync def pool():\n    return await create_pool(config.JOBS_HOST)\n",
            ),
            ("app/main.py", "from .startup import pool\n"),
            ("worker/run.py", "from arq import run_worker\nrun_worker(host=config.JOBS_HOST)\n"),
        ]);
        let mut found = [blocker("JOBS_HOST")];
        relax(&files, &mut found);
        assert_eq!(found[0].level, FindingLevel::Blocker, "{}", found[0].message);
    }

    #[test]
    fn a_setting_nothing_uses_keeps_its_blocker() {
        let files = AppFiles::from_pairs([("core/config.py", "BROKER_URL = 'amqp://localhost'\n")]);
        let mut found = [blocker("BROKER_URL")];
        relax(&files, &mut found);
        assert_eq!(found[0].level, FindingLevel::Blocker);
    }
}
