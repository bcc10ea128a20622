//! What an ASGI app runs when each task starts: a FastAPI/Starlette `lifespan` function or an
//! `on_event("startup")` handler. Two things there break when several tasks start together:
//! database migrations (they race) and background loops that run a schedule (every task runs
//! it). Both are said where the hook runs them, with the line that starts them.

use crate::analyze::app_files::AppFiles;
use crate::analyze::readiness::migrations_at_start;
use crate::analyze::source::app_code_lines;
use crate::model::Finding;

/// The findings of every startup hook in the app's runtime code.
pub(super) fn findings(files: &AppFiles, findings: &mut Vec<Finding>) {
    let lines: Vec<(String, &str)> = app_code_lines(files, &["py"]).collect();
    for (start, end) in hooks(&lines) {
        for (at, line) in &lines[start..end] {
            let code = line.trim();
            if runs_migrations(code) {
                findings.push(migrations_at_start(&format!("`{code}` in the app's startup hook"), at.clone()));
            }
            if let Some((task, loop_at)) = scheduled_from(&lines, code) {
                findings.push(
                    Finding::warning(
                        "scheduler",
                        format!("starts `{task}` at startup, a loop that sleeps and runs again ({loop_at}): every task runs it, so each job runs once per task"),
                        at.clone(),
                    )
                    .with_fix("run one task for the schedule, or move it to EventBridge Scheduler"),
                );
            }
        }
    }
}

/// The bodies of the startup hooks, as ranges of `lines`: a function named `lifespan`, one
/// passed as `lifespan=`, or one under `on_event("startup")`.
fn hooks(lines: &[(String, &str)]) -> Vec<(usize, usize)> {
    let named: Vec<&str> = lines.iter().filter_map(|(_, line)| lifespan_argument(line)).collect();
    let mut found = Vec::new();
    let mut after_startup_decorator = false;
    for (index, (_, line)) in lines.iter().enumerate() {
        let code = line.trim_start();
        if code.starts_with('@') && code.contains("on_event(") && code.contains("startup") {
            after_startup_decorator = true;
            continue;
        }
        let Some(name) = defined_function(code) else { continue };
        if after_startup_decorator || name == "lifespan" || named.contains(&name) {
            found.push((index + 1, body_end(lines, index)));
        }
        after_startup_decorator = false;
    }
    found
}

/// `FastAPI(lifespan=app_lifespan)` → `app_lifespan`.
fn lifespan_argument(line: &str) -> Option<&str> {
    let (_, after) = line.split_once("lifespan=")?;
    let name = after.trim_start().split(|c: char| !(c.is_alphanumeric() || c == '_')).next()?;
    (!name.is_empty()).then_some(name)
}

/// `async def name(` or `def name(` → `name`.
fn defined_function(code: &str) -> Option<&str> {
    let rest = code.strip_prefix("async def ").or_else(|| code.strip_prefix("def "))?;
    rest.split('(').next().map(str::trim)
}

/// The index past the last line of the function defined at `start`: the first line after it
/// that is indented no deeper than the `def` (blank lines and comments aside).
fn body_end(lines: &[(String, &str)], start: usize) -> usize {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let depth = indent(lines[start].1);
    let mut end = start + 1;
    while end < lines.len() {
        let line = lines[end].1;
        // A new file starts at depth 0 too: paths differ.
        let same_file = lines[end].0.rsplit_once(':').map(|p| p.0) == lines[start].0.rsplit_once(':').map(|p| p.0);
        if !same_file || (!line.trim().is_empty() && !line.trim_start().starts_with('#') && indent(line) <= depth) {
            break;
        }
        end += 1;
    }
    end
}

/// Alembic's upgrade, or a call whose name says it migrates (`run_migrations()`).
fn runs_migrations(code: &str) -> bool {
    if code.starts_with('#') || code.starts_with("def ") || code.starts_with("async def ") {
        return false;
    }
    let lower = code.to_ascii_lowercase();
    (lower.contains("alembic") && lower.contains("upgrade"))
        || lower.contains("command.upgrade(")
        || lower
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word.contains("migrat") && lower.contains(&format!("{word}(")))
}

/// The functions a line calls (`tasks.add(run_every(job))` → `add`, `run_every`).
fn called(code: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(open) = rest.find('(') {
        let before = &rest[..open];
        let start = before.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
        if start < open {
            names.push(&before[start..]);
        }
        rest = &rest[open + 1..];
    }
    names
}

/// A schedule loop a hook's line starts: a function it calls (`asyncio.create_task(loop())`)
/// that loops with a sleep, or one that such a called function calls in turn
/// (`start_jobs()` → `tasks.add(run_every(job, delta))`). The loop's name and where it loops.
fn scheduled_from<'a>(lines: &[(String, &'a str)], code: &'a str) -> Option<(&'a str, String)> {
    for name in called(code) {
        if let Some(at) = schedule_loop(lines, name) {
            return Some((name, at));
        }
        let Some(start) = lines.iter().position(|(_, line)| defined_function(line.trim_start()) == Some(name)) else {
            continue;
        };
        for (_, line) in &lines[start + 1..body_end(lines, start)] {
            if let Some(inner) = called(line.trim()).into_iter().find(|inner| schedule_loop(lines, inner).is_some()) {
                return Some((name, schedule_loop(lines, inner)?));
            }
        }
    }
    None
}

/// Where the function `name` loops forever with a sleep in its loop: a hand-made schedule.
fn schedule_loop(lines: &[(String, &str)], name: &str) -> Option<String> {
    let start = lines.iter().position(|(_, line)| defined_function(line.trim_start()) == Some(name))?;
    let body = &lines[start + 1..body_end(lines, start)];
    let forever = body.iter().find(|(_, line)| line.trim_start().starts_with("while True"))?;
    body.iter()
        .any(|(_, line)| line.contains("asyncio.sleep(") || line.contains("anyio.sleep("))
        .then(|| forever.0.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(files: &[(&str, &str)]) -> Vec<(String, String)> {
        let files = AppFiles::from_pairs(files.iter().copied());
        let mut found = Vec::new();
        findings(&files, &mut found);
        found.into_iter().map(|f| (f.kind, f.source)).collect()
    }

    #[test]
    fn a_lifespan_that_migrates_and_starts_a_schedule_loop() {
        let app = "from contextlib import asynccontextmanager\nimport asyncio\n\n@asynccontextmanager\nasync def lifespan(app):\n    await run_alembic_migrations()\n    task = asyncio.create_task(jobs.run_every_hour())\n    yield\n    task.cancel()\n\napp = FastAPI(lifespan=lifespan)\n";
        let jobs = "import asyncio\n\nasync def run_every_hour():\n    while True:\n        await refresh()\n        await asyncio.sleep(3600)\n";
        let found = kinds(&[("app/main.py", app), ("app/jobs.py", jobs)]);
        assert_eq!(
            found,
            [
                ("migrations-at-start".to_string(), "app/main.py:6".to_string()),
                ("scheduler".into(), "app/main.py:7".into())
            ]
        );
    }

    #[test]
    fn a_schedule_loop_a_called_function_starts() {
        let app = "@asynccontextmanager\nasync def lifespan(app):\n    if production:\n        start_jobs()\n    yield\n\ndef start_jobs():\n    for delta, job in JOBS:\n        tasks.add(run_every(job, delta))\n\nasync def run_every(job, delta):\n    while True:\n        await asyncio.sleep(delta)\n        await job()\n";
        assert_eq!(kinds(&[("app.py", app)]), [("scheduler".to_string(), "app.py:4".to_string())]);
    }

    #[test]
    fn a_startup_handler_and_what_is_not_a_schedule() {
        let app = "@app.on_event(\"startup\")\nasync def start():\n    command.upgrade(config, \"head\")\n    asyncio.create_task(listen())\n\nasync def listen():\n    async for message in queue:\n        await handle(message)\n\ndef later():\n    run_migrations()\n";
        let found = kinds(&[("main.py", app)]);
        // A task that awaits messages is no schedule; a migration outside a startup hook is not
        // run at start by it.
        assert_eq!(found, [("migrations-at-start".to_string(), "main.py:3".to_string())]);
    }
}
