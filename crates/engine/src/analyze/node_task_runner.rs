//! `scripts.start` that hands the work to a task runner (`madrun start`, `nps start`): the
//! command the runner's own file gives that task (`.madrun.js`: `'start': () => 'node
//! bin/cloudcmd.js'`; `package-scripts.js`: `start: 'node index.js'`) is what the container
//! runs, and the runner itself (often a devDependency) is not needed to start the app.

use super::app_files::AppFiles;

/// The files each task runner reads its tasks from, by the runner's command name.
const RUNNER_FILES: [(&str, &[&str]); 2] = [
    ("madrun", &[".madrun.js", ".madrun.mjs", ".madrun.cjs", "madrun.js", "madrun.mjs", "madrun.cjs"]),
    ("nps", &["package-scripts.js", "package-scripts.cjs", "package-scripts.mjs"]),
];

/// The command line task `rest[0]` of the runner `program` runs, with the file it is set in.
pub fn task_line(program: &str, rest: &[String], files: &AppFiles) -> Option<(String, String)> {
    let [task] = rest else { return None };
    let (_, names) = RUNNER_FILES.iter().find(|(runner, _)| *runner == program)?;
    names.iter().find_map(|name| {
        let text = files.get(name)?;
        text.lines().enumerate().find_map(|(index, line)| {
            command_of_task(line, task).map(|command| (command, format!("{name}:{}", index + 1)))
        })
    })
}

/// `'start': () => 'node app.js',`, `start: 'node app.js',` or `start: { script: 'node app.js' }`
/// on one line: the quoted command, when it is a plain string (no template or call).
fn command_of_task(line: &str, task: &str) -> Option<String> {
    let (key, value) = line.trim_start().split_once(':')?;
    if key.trim().trim_matches(['\'', '"']) != task {
        return None;
    }
    let mut value = value.trim_start();
    value = value.strip_prefix("() =>").or_else(|| value.strip_prefix("async () =>")).unwrap_or(value).trim_start();
    if let Some(inner) = value.strip_prefix('{') {
        value = inner.trim_start().strip_prefix("script:")?.trim_start();
    }
    let quote = value.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let body = &value[1..];
    let end = body.find(quote)?;
    let command = &body[..end];
    (!command.trim().is_empty()).then(|| command.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_a_runner_gives_a_task() {
        let files = AppFiles::from_pairs([
            (
                ".madrun.js",
                "export default {\n    'start': () => 'node bin/serve.js',\n    'lint': () => run('x'),\n};",
            ),
            ("package-scripts.js", "module.exports = { scripts: {\n  start: { script: 'node index.js' },\n}};"),
        ]);
        let start = vec!["start".to_string()];
        assert_eq!(
            task_line("madrun", &start, &files),
            Some(("node bin/serve.js".to_string(), ".madrun.js:2".to_string()))
        );
        assert_eq!(task_line("nps", &start, &files).map(|t| t.0), Some("node index.js".to_string()));
        assert_eq!(task_line("madrun", &["lint".to_string()], &files), None);
        assert_eq!(task_line("gulp", &start, &files), None);
    }
}
