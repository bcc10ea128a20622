//! The port the service sends traffic to, and where it was read: the target group, the
//! instance's settings, the repository's image, the code, a server's or framework's default,
//! or the start command's own flag.

use super::source::SourceFacts;
use crate::model::{EnvVar, Finding, FindingLevel};

/// A port below 1024, which the image's unprivileged user cannot bind.
fn low_port(port: u16, port_source: &str) -> Finding {
    Finding {
        kind: "low-port".into(),
        fix: None,
        level: FindingLevel::Warning,
        message: format!(
            "port {port} is below 1024: the image runs as an unprivileged user, which cannot bind it; have the app listen on 8080 (the service sets PORT)"
        ),
        source: port_source.to_string(),
    }
}

/// A port below 1024, which the image's unprivileged user cannot bind. When the start command
/// names it (`gunicorn -b 0.0.0.0:80`), the command is ferry's to write: it listens on 8080
/// instead and the service follows. So with a Spring Boot jar whose settings name the port: a
/// `-Dserver.port` system property wins over `server.port`. Otherwise the code fixes it, and the
/// operator must change it.
/// The port and start command settled together: `$PORT` written in (exec form has no shell
/// to expand it), a port the command names, a port kept above 1024, and the app's own port
/// setting given the service's port unless the command binds it itself.
pub(super) fn settle(
    (start_command, start_source): (&mut Vec<String>, &str),
    variables: &[crate::model::CodeVariable],
    env: &mut Vec<crate::model::EnvVar>,
    (port, port_source): (&mut u16, &mut String),
    findings: &mut Vec<Finding>,
) {
    for word in start_command.iter_mut() {
        *word = word.replace("${PORT}", &port.to_string()).replace("$PORT", &port.to_string());
    }
    if let Some(named) = port_named_by_start(start_command, start_source, *port, port_source, findings) {
        (*port, *port_source) = named;
    }
    keep_above_1024(start_command, (variables, env), port, port_source, findings);
    tell_the_server_its_port(start_command, *port, findings);
    // A start command that binds the port itself (`gunicorn -b 0.0.0.0:7777`) needs no setting.
    if !super::listen_setting::start_binds(start_command, *port) {
        super::listen_setting::set_to_the_service_port(variables, env, (*port, port_source), findings);
    }
}

/// Servers that read no PORT variable and listen on their own default unless told:
/// (program, the words that run it, the flag that sets the port, its default).
const OWN_DEFAULT_PORTS: [(&str, &str, &str, u16); 3] =
    [("flask", "run", "--port", 5000), ("uvicorn", "", "--port", 8000), ("daphne", "", "-p", 8000)];

/// Whether the start runs a server ferry can hand a port on its command line, maybe through
/// a runner or a shell (`poetry run uvicorn`, `sh -c "… && uvicorn app:app"`).
fn takes_a_port_flag(start_command: &[String]) -> bool {
    let words: Vec<&str> = start_command.iter().flat_map(|w| w.split_whitespace()).collect();
    (0..words.len()).any(|at| {
        let program = words[at].rsplit('/').next().unwrap_or(words[at]);
        OWN_DEFAULT_PORTS.iter().any(|(name, sub, _, _)| {
            *name == program && (sub.is_empty() || words.get(at + 1).is_some_and(|w| w == sub))
        })
    })
}

/// `flask run` or `uvicorn app:app` with no port of their own listen on 5000 or 8000 whatever
/// the service's port: the command is told the service's port.
fn tell_the_server_its_port(start_command: &mut Vec<String>, port: u16, findings: &mut Vec<Finding>) {
    let program = start_command.first().map(|p| p.rsplit('/').next().unwrap_or(p).to_string()).unwrap_or_default();
    let Some((_, subcommand, flag, default)) = OWN_DEFAULT_PORTS.iter().find(|(name, sub, _, _)| {
        *name == program && (sub.is_empty() || start_command.get(1).is_some_and(|w| w == sub))
    }) else {
        return;
    };
    let names_port = start_command.iter().any(|w| {
        w == flag
            || w.starts_with(&format!("{flag}="))
            || ["-p", "--port", "--uds", "--fd", "-b", "--bind"].contains(&w.as_str())
    });
    if names_port || port == *default {
        return;
    }
    let run = if subcommand.is_empty() { program.clone() } else { format!("{program} {subcommand}") };
    start_command.extend([flag.to_string(), port.to_string()]);
    findings.push(Finding::info(
        "port-moved",
        format!("`{run}` listens on {default} unless told and reads no PORT: the command gets {flag} {port}, the service's port"),
        "ferry: the service port",
    ));
}

fn keep_above_1024(
    start_command: &mut Vec<String>,
    (variables, env): (&[crate::model::CodeVariable], &mut Vec<EnvVar>),
    port: &mut u16,
    port_source: &mut String,
    findings: &mut Vec<Finding>,
) {
    if *port >= 1024 {
        return;
    }
    if let Some(read) = port_only_a_fallback(variables, *port, port_source) {
        let name = read.name.as_str();
        findings.push(Finding::info(
            "port-moved",
            format!(
                "the code listens on {name} and falls back to {port}, below 1024, only when it is unset: the service sets {name}={SERVICE_PORT}, so the app listens there"
            ),
            read.source.clone(),
        ));
        // PORT is set on every service; an app's own setting is set here.
        if name != "PORT" && !env.iter().any(|e| e.name == name) {
            let why = format!("the service port, which {name} sets ({})", read.source);
            env.push(EnvVar::set_by_ferry(name, SERVICE_PORT.to_string(), why));
        }
        *port_source = format!(
            "the service sets {name}={SERVICE_PORT}, which the code reads before its fallback {port} ({port_source})"
        );
        *port = SERVICE_PORT;
        return;
    }
    let moved = if super::command::explicit_port(start_command) == Some(*port) {
        super::command::set_port(start_command, SERVICE_PORT)
    } else {
        is_spring_setting(port_source) && super::command::set_jar_server_port(start_command, SERVICE_PORT)
    };
    if !moved {
        findings.push(low_port(*port, port_source));
        return;
    }
    findings.push(Finding::info(
        "port-moved",
        format!(
            "the app listened on {port}, below 1024, which the image's unprivileged user cannot bind: ferry's start command has it listen on {SERVICE_PORT}, and the service sends traffic there"
        ),
        port_source.clone(),
    ));
    *port_source = format!("{SERVICE_PORT}, moved from {port} ({port_source})");
    *port = SERVICE_PORT;
}

/// `process.env.PORT || 80` at the listen call the port was read from: 80 is only the code's
/// fallback, and the service sets PORT, so the low port is never bound. The read's source.
/// The setting the port was read from when the port is only its fallback: `PORT`, or the
/// app's own listen setting (`GOTIFY_SERVER_PORT`, a struct literal's 80 beside it).
fn port_only_a_fallback<'a>(
    variables: &'a [crate::model::CodeVariable],
    port: u16,
    port_source: &str,
) -> Option<&'a crate::model::CodeVariable> {
    // A Spring Boot port is moved by a system property on the command instead (see below).
    let own_setting = !is_spring_setting(port_source);
    let listens = |v: &crate::model::CodeVariable| {
        v.name == "PORT"
            || (own_setting
                && v.name.ends_with("_PORT")
                && super::variables::is_listen_setting_among(&v.name, variables))
    };
    let runtime = |v: &&crate::model::CodeVariable| v.scope == crate::model::VariableScope::Runtime;
    let falls_back = |v: &&crate::model::CodeVariable| v.default.as_deref() == Some(port.to_string().as_str());
    variables.iter().filter(runtime).filter(falls_back).find(|v| listens(v) && v.source == port_source)
}

/// Whether the port was read from a Spring Boot settings file (`application.yml:19`,
/// `application-prod.properties:3`), which a `server.port` system property overrides.
fn is_spring_setting(port_source: &str) -> bool {
    let file = port_source.rsplit('/').next().unwrap_or(port_source);
    file.starts_with("application")
        && [".yml:", ".yaml:", ".properties:"].iter().any(|extension| file.contains(extension))
}

/// The port the start command names, with its source, when it differs from `port`.
pub(super) fn port_named_by_start(
    start_command: &[String],
    start_source: &str,
    port: u16,
    port_source: &str,
    findings: &mut Vec<Finding>,
) -> Option<(u16, String)> {
    // A command that names its port (the maintainers' `--port 8000`) listens there, whatever
    // the old target group forwarded to: the container's port follows the command.
    let named = super::command::explicit_port(start_command).filter(|named| *named != port)?;
    findings.push(Finding::info(
        "port-from-start",
        format!("the start command listens on {named} (ferry had {port} from {port_source}): the service uses {named}"),
        start_source,
    ));
    Some((named, format!("the start command ({start_source})")))
}

/// The port an app that reads `PORT` is told to listen on: unprivileged, and what most
/// images expose.
const SERVICE_PORT: u16 = 8080;

/// The port, by trust: the target group (unless the code fixes another and reads no `PORT`),
/// the env file, the code, the framework's default. Every other source that disagrees is a
/// finding.
pub(super) fn port(
    route: Option<&crate::model::RouteEdge>,
    env: &[EnvVar],
    source: Option<&SourceFacts>,
    variables: &[crate::model::CodeVariable],
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
    candidates.extend(image_sets_the_port(source, variables));
    let code = source
        .and_then(|s| s.port.clone())
        .map(|code| (code.value, code.source))
        .or_else(|| super::variables::listen_port(variables));
    // The maintainers' image says where the app listens when the code does not name a port:
    // it is the app's own port as much as the code's would be.
    // A server ferry's command tells its port (`uvicorn --port`) listens where the group sends.
    let told = source.and_then(|s| s.start.as_ref()).is_some_and(|start| takes_a_port_flag(&start.value));
    let image = source.and_then(|s| s.image_port.as_ref()).filter(|_| !told).map(|i| (i.value, i.source.clone()));
    let own = code.clone().or(image);
    if let Some(route) = route
        && let Some(fixed) =
            super::target_group_fit::code_port_over_target_group(route, own.as_ref(), env, variables, findings)
    {
        return fixed;
    }
    candidates.extend(code);
    // The framework's default is the last resort, not a witness: an app that names its port
    // has overridden it on purpose.
    // The maintainers' own image says where the app listens when the code does not.
    if candidates.is_empty()
        && let Some(image) = source.and_then(|s| s.image_port.as_ref())
    {
        candidates.push((image.value, image.source.clone()));
    }
    if candidates.is_empty()
        && let Some(server) = source.and_then(|s| s.server_default_port.as_ref())
    {
        candidates.push((server.value, server.source.clone()));
    }
    // The app listens on a setting of its own with no default (`HTTP_PORT`): not on the
    // framework's default, but where the service sets it.
    if candidates.is_empty()
        && let Some((setting, example)) = source.and_then(|s| s.listen_setting.as_ref())
    {
        candidates.push(match example {
            Some(example) => {
                (example.value, format!("assumed: the service sets {setting}, as {} does", example.source))
            }
            None => (SERVICE_PORT, format!("assumed: the service sets {setting}, which has no default")),
        });
    }
    if candidates.is_empty()
        && let Some(framework) = source.and_then(|s| s.framework.as_ref())
        && let Some(default) = framework.value.default_port
    {
        candidates.push((default, format!("{} default", framework.value.name)));
    }
    let Some((port, source)) = candidates.first().cloned() else {
        return port_nothing_names(source, variables, findings);
    };
    for (other, other_source) in candidates.iter().skip(1).filter(|(p, _)| *p != port) {
        findings.push(Finding {
            kind: "port-disagreement".into(),
            fix: None,
            level: FindingLevel::Warning,
            message: format!("{other_source} says port {other}, but {source} says {port}: ferry uses {port}"),
            source: other_source.clone(),
        });
    }
    (port, source)
}

/// The port when nothing writes one: an app that reads PORT listens where the service says
/// (the example env file's port, else the service's own); otherwise a blocker.
fn port_nothing_names(
    source: Option<&SourceFacts>,
    variables: &[crate::model::CodeVariable],
    findings: &mut Vec<Finding>,
) -> (u16, String) {
    // No port is written anywhere: an app that reads PORT listens where the service says.
    if let Some(read) = variables.iter().find(|v| v.name == "PORT" && v.scope == crate::model::VariableScope::Runtime) {
        // The maintainers' example file says which port they give it.
        if let Some(example) = source.and_then(|s| s.example_port.as_ref()) {
            return (
                example.value,
                format!(
                    "the service sets PORT={}, which the code reads ({}), as {} does",
                    example.value, read.source, example.source
                ),
            );
        }
        return (SERVICE_PORT, format!("the service sets PORT={SERVICE_PORT}, which the code reads ({})", read.source));
    }
    findings.push(
        Finding::blocker(
            "port-unknown",
            format!("no port is written in the code, its settings or the instance: ferry assumed {SERVICE_PORT}"),
            "source folder",
        )
        .with_fix("have the app listen on $PORT, or check which port it listens on and edit the service's port"),
    );
    (SERVICE_PORT, "assumed: no port found".into())
}

/// The repository's image sets PORT, and the code reads it (or the image's own command is the
/// start): the code's port is only its fallback, and the image's setting is what runs.
fn image_sets_the_port(
    source: Option<&SourceFacts>,
    variables: &[crate::model::CodeVariable],
) -> Option<(u16, String)> {
    let source = source.filter(|s| s.image_sets_port)?;
    let reads_port = variables.iter().any(|v| v.name == "PORT" && v.scope == crate::model::VariableScope::Runtime);
    let started_by_image = source.start.as_ref().is_some_and(|s| s.source.contains("the repository's own image"));
    let image = source.image_port.as_ref().filter(|_| reads_port || started_by_image)?;
    // `ENV PORT=80` suits the maintainers' image, which runs as root; ferry's runs as a user
    // who cannot bind it, so the code's own port (or the service's) is where the app listens.
    if image.value < 1024 && reads_port {
        return None;
    }
    Some((image.value, image.source.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_that_read_no_port_variable_are_told_the_port() {
        let told = |command: &[&str], port: u16| {
            let mut command: Vec<String> = command.iter().map(|w| w.to_string()).collect();
            tell_the_server_its_port(&mut command, port, &mut Vec::new());
            command.join(" ")
        };
        assert_eq!(told(&["flask", "run", "--host=0.0.0.0"], 3000), "flask run --host=0.0.0.0 --port 3000");
        assert_eq!(
            told(&["uvicorn", "--host", "0.0.0.0", "app.asgi:application"], 3000),
            "uvicorn --host 0.0.0.0 app.asgi:application --port 3000"
        );
        assert_eq!(told(&["uvicorn", "main:app", "--port", "9000"], 3000), "uvicorn main:app --port 9000");
        assert_eq!(told(&["flask", "run", "--host=0.0.0.0"], 5000), "flask run --host=0.0.0.0");
        assert_eq!(told(&["gunicorn", "app:app"], 3000), "gunicorn app:app", "gunicorn reads PORT");
    }
}
