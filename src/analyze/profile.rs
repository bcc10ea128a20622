//! The application profile: the facts the Dockerfile and service config are built from,
//! each with the place it was read from.

use crate::model::{AppProfile, EnvVar, Finding, FindingLevel, MigrationGraph, Runtime};
use crate::userdata::{MASK, is_secret};
use crate::userdata::{assignments, find_line};

/// Reads the application's shape from the instance's user data and its target group.
pub fn analyze(graph: &MigrationGraph) -> AppProfile {
    let user_data = graph.instance.user_data.as_deref().unwrap_or("");
    let mut findings = Vec::new();

    let runtime = detect_node(user_data);
    if runtime.is_none() {
        findings.push(Finding {
            level: FindingLevel::Blocker,
            message: "no supported runtime found in user data (ferry knows Node.js so far)".into(),
            source: "user data".into(),
        });
    }

    let env = environment(user_data, &mut findings);
    let (start_command, start_source) = start_command(user_data, &mut findings);
    let route = graph.routes.first();

    let (port, port_source) = match env.iter().find(|e| e.name == "PORT") {
        Some(EnvVar { value: Some(v), source, .. }) if v.parse::<u16>().is_ok() => {
            (v.parse().unwrap_or(80), format!("PORT ← {source}"))
        }
        _ => match route {
            Some(r) => (r.target_group.port, format!("target group {}", r.target_group.name)),
            None => (80, "default (nothing else found)".into()),
        },
    };
    if let Some(r) = route.filter(|r| r.target_group.port != port) {
        findings.push(Finding {
            level: FindingLevel::Warning,
            message: format!(
                "the app listens on {port} but {} sends traffic to {}",
                r.target_group.name, r.target_group.port
            ),
            source: port_source.clone(),
        });
    }

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

    AppProfile {
        runtime,
        package_manager: "npm".into(),
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
        return (text.split_whitespace().map(str::to_string).collect(), format!("user data line {line}"));
    }
    findings.push(Finding {
        level: FindingLevel::Warning,
        message: "no start command found; assuming `node server.js`".into(),
        source: "default".into(),
    });
    (vec!["node".into(), "server.js".into()], "default".into())
}
