//! What the instance's user data says of the app: the runtime it installs, the variables it
//! sets, and the command it starts the app with.

use crate::model::{EnvVar, Finding, FindingLevel, Runtime};
use crate::userdata::{MASK, assignments, find_line, is_secret};

/// The runtime the user data installs: `setup_20.x`, `nvm install 20`, `python3.11`,
/// `java-17-amazon-corretto`, `go1.22.linux-amd64.tar.gz`. With the source's runtime known,
/// only that runtime's version is taken.
pub(super) fn detect_runtime(user_data: &str, expected: Option<&str>) -> Option<Runtime> {
    // (runtime, text before the version, text after it, how many version numbers)
    const MARKERS: [(&str, &str, &str, usize); 10] = [
        ("node", "setup_", ".x", 1),
        ("node", "nvm install ", "", 1),
        ("node", "nodejs", "", 1),
        ("node", "node:", "", 1),
        ("python", "python3.", "", 1),
        ("python", "python:", "", 2),
        ("java", "java-", "-amazon-corretto", 1),
        ("java", "openjdk-", "", 1),
        ("java", "corretto", "", 1),
        ("go", "go1.", "", 1),
    ];
    for (line_no, line) in user_data.lines().enumerate() {
        for (runtime, prefix, suffix, parts) in MARKERS {
            if expected.is_some_and(|e| e != runtime) {
                continue;
            }
            let Some(pos) = line.find(prefix) else {
                continue;
            };
            let rest = &line[pos + prefix.len()..];
            if !rest.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let Some(version) = super::source::version_in(rest, parts) else { continue };
            if !rest.strip_prefix(version.as_str()).is_some_and(|after| after.starts_with(suffix)) {
                continue;
            }
            let version = match runtime {
                "python" if prefix == "python3." => format!("3.{version}"),
                "go" => format!("1.{version}"),
                _ => version,
            };
            return Some(Runtime { name: runtime.into(), version, source: format!("user data line {}", line_no + 1) });
        }
    }
    None
}

/// Variables that set up the host or the shell, not the application.
const HOST_VARIABLES: [&str; 14] = [
    "PATH",
    "HOME",
    "USER",
    "SHELL",
    "PWD",
    "TERM",
    "LANG",
    "LANGUAGE",
    "DEBIAN_FRONTEND",
    "NVM_DIR",
    "TMPDIR",
    "HOSTNAME",
    "NODE_MAJOR",
    "AWS_DEFAULT_REGION",
];

pub(super) fn environment(user_data: &str, findings: &mut Vec<Finding>) -> Vec<EnvVar> {
    let mut vars: Vec<EnvVar> = Vec::new();
    for a in assignments(user_data) {
        if HOST_VARIABLES.contains(&a.name.as_str()) || a.name.starts_with("LC_") {
            continue;
        }
        // `$HOME/logs` means something only to the shell that ran the user data.
        if a.value.contains('$') || a.value.contains('`') {
            findings.push(Finding {
                kind: "shell-computed-env".into(),
                fix: None,
                level: FindingLevel::Warning,
                message: if is_secret(&a.name, &a.value) {
                    format!("{} is computed by the shell; set it on the service by hand, as a secret", a.name)
                } else {
                    format!("{} is computed by the shell ({}); set it on the service by hand", a.name, a.value)
                },
                source: format!("user data line {}", a.line),
            });
            continue;
        }
        let secret = is_secret(&a.name, &a.value) || a.value.contains(MASK);
        let var = EnvVar {
            name: a.name,
            value: (!secret).then_some(a.value),
            secret,
            source: format!("user data line {}", a.line),
            given: None,
        };
        // A later assignment wins, as it would in the shell.
        match vars.iter_mut().find(|v| v.name == var.name) {
            Some(existing) => *existing = var,
            None => vars.push(var),
        }
    }
    vars
}

/// The command the instance runs the app with: a pm2 or systemd line, `npm start`, `node x`,
/// gunicorn or uvicorn, `java -jar`: only a command of the app's runtime.
pub(super) fn start_in_user_data(
    user_data: &str,
    runtime: &str,
    findings: &mut Vec<Finding>,
) -> Option<(Vec<String>, String)> {
    if runtime == "node"
        && let Some((line, text)) = find_line(user_data, "pm2 start ")
    {
        let script = text.split("pm2 start ").nth(1).and_then(|r| r.split_whitespace().next()).unwrap_or("server.js");
        findings.push(Finding {
            kind: "pm2".into(),
            fix: None,
            level: FindingLevel::Info,
            message: "pm2 supervises the app on the instance; in the container node runs it directly and ECS restarts failed tasks".into(),
            source: format!("user data line {line}"),
        });
        return Some((vec!["node".into(), script.to_string()], format!("pm2 start ← user data line {line}")));
    }
    if runtime == "node"
        && let Some((line, _)) = find_line(user_data, "npm start")
    {
        return Some((vec!["npm".into(), "start".into()], format!("user data line {line}")));
    }
    for (index, line) in user_data.lines().enumerate() {
        let text = line.trim();
        let text = text.strip_prefix("ExecStart=").unwrap_or(text);
        let words: Vec<&str> = text.split_whitespace().take_while(|w| !is_shell_operator(w)).collect();
        let Some(program) = words.first().map(|w| w.rsplit('/').next().unwrap_or(w)) else { continue };
        let runs_the_app = match (program, runtime) {
            ("node", "node") | ("gunicorn" | "uvicorn", "python") => words.len() > 1,
            ("java", "java") => words.contains(&"-jar"),
            _ => false,
        };
        if runs_the_app {
            // The program by name: the image puts it on PATH wherever the instance kept it.
            let command = std::iter::once(program).chain(words[1..].iter().copied()).map(str::to_string).collect();
            return Some((command, format!("user data line {}", index + 1)));
        }
    }
    None
}

/// Nothing said how to start the app: the runtime's usual entry point, flagged.
pub(super) fn default_start(
    runtime: &str,
    app: Option<&crate::analyze::AppFiles>,
    findings: &mut Vec<Finding>,
) -> (Vec<String>, String) {
    let command: &[&str] = match runtime {
        "python" => &["python", "app.py"],
        "java" => &["java", "-jar", "/app/app.jar"],
        "go" => &["/app/server"],
        _ => &["node", "server.js"],
    };
    // A guessed script the source folder does not have would fail at the first start.
    let script = command.iter().find(|w| w.ends_with(".py") || w.ends_with(".js"));
    let absent = script.is_some_and(|script| app.is_some_and(|files| !files.has(script)));
    let (level, message) = if absent {
        (
            FindingLevel::Blocker,
            format!(
                "no start command found, and the source folder has no {}: set the start command by hand",
                script.unwrap_or(&"")
            ),
        )
    } else {
        (FindingLevel::Warning, format!("no start command found; assuming `{}`", command.join(" ")))
    };
    findings.push(
        Finding::new(level, "no-start-command", message, "default")
            .with_fix("name the command in a Procfile `web:` line or the package's start script"),
    );
    (command.iter().map(|w| w.to_string()).collect(), "default".into())
}

/// Redirections, pipes and job control end a command line: they are not arguments.
fn is_shell_operator(word: &str) -> bool {
    matches!(word, "&" | "&&" | "|" | "||" | ";") || word.starts_with(['>', '<', '|']) || word.starts_with("2>")
}
