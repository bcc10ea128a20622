//! The application profile: the facts the Dockerfile and service config are built from,
//! each with the place it was read from.

use super::{AppFiles, analyze_node};
use crate::model::{AppProfile, EnvVar, Finding, FindingLevel, MigrationGraph, PackageManager, Runtime};
use crate::userdata::{MASK, is_secret};
use crate::userdata::{assignments, find_line};

/// Reads the application's shape from the instance's user data and its target group.
pub fn analyze(graph: &MigrationGraph) -> AppProfile {
    analyze_app(graph, None)
}

/// As `analyze`, with the application's source folder when the operator has it: facts from
/// the source win over guesses from user data, and disagreements become findings.
pub fn analyze_app(graph: &MigrationGraph, app: Option<&AppFiles>) -> AppProfile {
    profile(graph.instance.user_data.as_deref().unwrap_or(""), graph.routes.first(), app)
}

/// The application from its source folder alone, before any instance is known.
pub fn analyze_folder(app: &AppFiles) -> AppProfile {
    profile("", None, Some(app))
}

fn profile(user_data: &str, route: Option<&crate::model::RouteEdge>, app: Option<&AppFiles>) -> AppProfile {
    let mut findings = Vec::new();
    let node = app.and_then(analyze_node);

    let runtime = node
        .as_ref()
        .and_then(|n| n.version.clone())
        .map(|v| Runtime { name: "node".into(), version: v.value, source: v.source })
        .or_else(|| detect_node(user_data))
        .or_else(|| {
            node.as_ref().map(|_| Runtime {
                name: "node".into(),
                version: "20".into(),
                source: "default: the current LTS".into(),
            })
        });
    if runtime.is_none() {
        findings.push(Finding {
            level: FindingLevel::Blocker,
            message: "no supported runtime found in user data or source (ferry knows Node.js so far)".into(),
            source: if app.is_some() {
                "source folder and user data".into()
            } else {
                "user data: pass --app DIR with the source".into()
            },
        });
    }

    let env = environment(user_data, &mut findings);
    let (start_command, start_source) = match node.as_ref().and_then(|n| n.start.clone()) {
        Some(start) => (start.value, start.source),
        None => start_command(user_data, &mut findings),
    };
    let (port, port_source) = port(route, &env, node.as_ref(), &mut findings);

    let (health_check_path, health_source) = match route.and_then(|r| r.target_group.health_check.path.clone()) {
        Some(path) => (path, format!("target group {}", route.map_or("", |r| r.target_group.name.as_str()))),
        None => ("/".into(), "default: no load balancer health check found".into()),
    };

    let secret_count = env.iter().filter(|e| e.secret).count();
    if secret_count > 0 {
        findings.push(Finding {
            level: FindingLevel::Info,
            message: format!("{secret_count} secrets in user data move to Secrets Manager"),
            source: "user data".into(),
        });
    }
    if let Some((line, text)) = find_line(user_data, "aws s3 cp") {
        findings.push(Finding {
            level: FindingLevel::Info,
            message: format!("the instance downloads its release ({text}); the image is built from source instead"),
            source: format!("user data line {line}"),
        });
    }
    if let Some(node) = &node {
        for read in node.env_read.iter().filter(|r| r.value != "PORT" && r.value != "NODE_ENV") {
            if !env.iter().any(|e| e.name == read.value) {
                findings.push(Finding {
                    level: FindingLevel::Warning,
                    message: format!(
                        "the code reads {} but the instance does not set it: add it to the service if needed",
                        read.value
                    ),
                    source: read.source.clone(),
                });
            }
        }
        findings.extend(node.findings.iter().cloned());
    }

    let package_manager = node.as_ref().map(|n| n.package_manager.clone());
    let build = node.as_ref().and_then(|n| n.build.clone());
    AppProfile {
        runtime,
        package_manager: package_manager.as_ref().map_or(PackageManager::Npm, |p| p.value),
        package_manager_source: package_manager.map_or_else(|| "default for Node.js".into(), |p| p.source),
        build_command: build.as_ref().map(|b| b.value.clone()),
        build_source: build.map_or_else(String::new, |b| b.source),
        framework: node.as_ref().and_then(|n| n.framework.as_ref()).map(|f| f.value.name.to_string()),
        start_command,
        start_source,
        port,
        port_source,
        health_check_path,
        health_source,
        env,
        findings,
    }
}

/// The port, by trust: the target group, the env file, the code, the framework's default.
/// Every other source that disagrees is a finding.
fn port(
    route: Option<&crate::model::RouteEdge>,
    env: &[EnvVar],
    node: Option<&super::NodeFacts>,
    findings: &mut Vec<Finding>,
) -> (u16, String) {
    let mut candidates: Vec<(u16, String)> = Vec::new();
    if let Some(r) = route {
        candidates.push((r.target_group.port, format!("target group {}", r.target_group.name)));
    }
    if let Some(EnvVar { value: Some(v), source, .. }) = env.iter().find(|e| e.name == "PORT")
        && let Ok(port) = v.parse::<u16>()
    {
        candidates.push((port, format!("PORT ← {source}")));
    }
    if let Some(code) = node.and_then(|n| n.port.clone()) {
        candidates.push((code.value, code.source));
    }
    if let Some(framework) = node.and_then(|n| n.framework.as_ref())
        && let Some(default) = framework.value.default_port
    {
        candidates.push((default, format!("{} default", framework.value.name)));
    }
    let Some((port, source)) = candidates.first().cloned() else {
        return (80, "default (nothing else found)".into());
    };
    for (other, other_source) in candidates.iter().skip(1).filter(|(p, _)| *p != port) {
        findings.push(Finding {
            level: FindingLevel::Warning,
            message: format!("{other_source} says port {other}, but {source} says {port}: ferry uses {port}"),
            source: other_source.clone(),
        });
    }
    (port, source)
}

fn detect_node(user_data: &str) -> Option<Runtime> {
    const MARKERS: [(&str, &str); 4] = [("setup_", ".x"), ("nvm install ", ""), ("nodejs", ""), ("node:", "")];
    for (line_no, line) in user_data.lines().enumerate() {
        for (prefix, suffix) in MARKERS {
            let Some(pos) = line.find(prefix) else {
                continue;
            };
            let rest = &line[pos + prefix.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if !digits.is_empty() && rest[digits.len()..].starts_with(suffix) {
                return Some(Runtime {
                    name: "node".into(),
                    version: digits,
                    source: format!("user data line {}", line_no + 1),
                });
            }
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

fn environment(user_data: &str, findings: &mut Vec<Finding>) -> Vec<EnvVar> {
    let mut vars: Vec<EnvVar> = Vec::new();
    for a in assignments(user_data) {
        if HOST_VARIABLES.contains(&a.name.as_str()) || a.name.starts_with("LC_") {
            continue;
        }
        // `$HOME/logs` means something only to the shell that ran the user data.
        if a.value.contains('$') || a.value.contains('`') {
            findings.push(Finding {
                level: FindingLevel::Warning,
                message: format!("{} is computed by the shell ({}); set it on the service by hand", a.name, a.value),
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
        };
        // A later assignment wins, as it would in the shell.
        match vars.iter_mut().find(|v| v.name == var.name) {
            Some(existing) => *existing = var,
            None => vars.push(var),
        }
    }
    vars
}

fn start_command(user_data: &str, findings: &mut Vec<Finding>) -> (Vec<String>, String) {
    if let Some((line, text)) = find_line(user_data, "pm2 start ") {
        let script = text.split("pm2 start ").nth(1).and_then(|r| r.split_whitespace().next()).unwrap_or("server.js");
        findings.push(Finding {
            level: FindingLevel::Info,
            message: "pm2 supervises the app on the instance; in the container node runs it directly and ECS restarts failed tasks".into(),
            source: format!("user data line {line}"),
        });
        return (vec!["node".into(), script.to_string()], format!("pm2 start ← user data line {line}"));
    }
    if let Some((line, _)) = find_line(user_data, "npm start") {
        return (vec!["npm".into(), "start".into()], format!("user data line {line}"));
    }
    if let Some((line, text)) = user_data.lines().enumerate().find_map(|(i, l)| {
        let t = l.trim();
        t.starts_with("node ").then_some((i + 1, t))
    }) {
        let words = text.split_whitespace().take_while(|w| !is_shell_operator(w)).map(str::to_string).collect();
        return (words, format!("user data line {line}"));
    }
    findings.push(Finding {
        level: FindingLevel::Warning,
        message: "no start command found; assuming `node server.js`".into(),
        source: "default".into(),
    });
    (vec!["node".into(), "server.js".into()], "default".into())
}

/// Redirections, pipes and job control end a command line: they are not arguments.
fn is_shell_operator(word: &str) -> bool {
    matches!(word, "&" | "&&" | "|" | "||" | ";") || word.starts_with(['>', '<', '|']) || word.starts_with("2>")
}
