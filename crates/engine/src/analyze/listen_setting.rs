//! An app that takes its port from a setting of its own with no default (`HTTP_PORT`,
//! `${APPLICATION_SERVER_PORT}` in Spring's `server.port`) and never reads `PORT` listens
//! nowhere sensible unless that setting is given: the service sets it to the port the load
//! balancer sends traffic to.

use crate::model::{CodeVariable, EnvVar, Finding, VariableScope};

/// Sets the app's one listen setting without a default to `port`, unless the instance sets it
/// or the app reads `PORT` (which the service sets anyway). Only when the port comes from the
/// repository's image or is assumed: a port the code itself names is where it listens already,
/// and a second setting may be a second server's. Two or more such settings (an HTTP and an
/// HTTPS port) are not guessed between.
pub fn set_to_the_service_port(
    variables: &[CodeVariable],
    env: &mut Vec<EnvVar>,
    (port, port_source): (u16, &str),
    findings: &mut Vec<Finding>,
) {
    let from_outside_the_code = port_source.contains("Dockerfile") || port_source.starts_with("assumed");
    let runtime: Vec<&CodeVariable> = variables.iter().filter(|v| v.scope == VariableScope::Runtime).collect();
    if !from_outside_the_code || runtime.iter().any(|v| v.name == "PORT") {
        return;
    }
    let unset: Vec<&&CodeVariable> = runtime
        .iter()
        .filter(|v| {
            v.name.ends_with("_PORT")
                && super::variables::is_listen_setting_among(&v.name, variables)
                && v.default.is_none()
        })
        .collect();
    let [variable] = unset.as_slice() else { return };
    if env.iter().any(|e| e.name == variable.name) {
        return;
    }
    findings.push(Finding::info(
        "port-setting",
        format!(
            "the app listens on {} ({}), and ferry found no default for it in the code: the service sets {}={port}, the port the load balancer sends traffic to",
            variable.name, variable.source, variable.name
        ),
        variable.source.clone(),
    ));
    let why = format!("the service port, which {} sets ({})", variable.name, variable.source);
    env.push(EnvVar::set_by_ferry(&variable.name, port.to_string(), why));
}

/// Whether the start command names `port` as the address it binds: `-b 0.0.0.0:7777`,
/// `--port 7777`, `--bind=:7777`. The server listens there whatever the app's settings say, so
/// a `*_PORT` setting without a default is some other connection's, not the listen port.
pub fn start_binds(start: &[String], port: u16) -> bool {
    let port = port.to_string();
    start.iter().any(|word| {
        let value = word.rsplit_once('=').map_or(word.as_str(), |(_, value)| value);
        value == port || value.rsplit_once(':').is_some_and(|(_, last)| last == port)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_command_that_binds_the_port_names_it() {
        let words = |line: &str| line.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert!(start_binds(&words("gunicorn app:app -b 0.0.0.0:7777 -w 2"), 7777));
        assert!(start_binds(&words("uvicorn main:app --port=7777"), 7777));
        assert!(!start_binds(&words("gunicorn app:app -w 7777x"), 7777));
        assert!(!start_binds(&words("node server.js"), 7777));
    }

    fn read(name: &str, default: Option<&str>) -> CodeVariable {
        CodeVariable { default: default.map(str::to_string), ..CodeVariable::read_at(name, "src/main.ts:12") }
    }

    #[test]
    fn the_one_listen_setting_without_a_default_gets_the_service_port() {
        let mut env = Vec::new();
        let mut findings = Vec::new();
        let variables = [read("HTTP_PORT", None), read("DATABASE_PORT", None), read("APP_NAME", None)];
        set_to_the_service_port(&variables, &mut env, (3000, "Dockerfile:4"), &mut findings);
        assert_eq!(env.len(), 1);
        assert_eq!((env[0].name.as_str(), env[0].value.as_deref()), ("HTTP_PORT", Some("3000")));
        assert_eq!(findings[0].kind, "port-setting");
    }

    #[test]
    fn port_a_default_or_two_candidates_leave_it_alone() {
        for variables in [
            vec![read("HTTP_PORT", None), read("PORT", None)],
            vec![read("HTTP_PORT", Some("3000"))],
            vec![read("HTTP_PORT", None), read("HTTPS_PORT", None)],
            // A database's port, named for its product: its login is read beside it.
            vec![read("TIDB_PORT", None), read("TIDB_USER", None), read("TIDB_HOST", None)],
        ] {
            let mut env = Vec::new();
            set_to_the_service_port(&variables, &mut env, (3000, "Dockerfile:4"), &mut Vec::new());
            assert!(env.is_empty(), "{variables:?}");
        }
        let mut env = Vec::new();
        set_to_the_service_port(&[read("HTTP_PORT", None)], &mut env, (3000, "src/main.ts:9"), &mut Vec::new());
        assert!(env.is_empty(), "a port the code names is where it listens already");
    }
}
