//! A source folder that is not what the instance runs (a Java project for a Node.js instance):
//! the operator must say which is right before anything is built from it, and the instance's
//! runtime settings must not follow into the other runtime's service.

use crate::model::{EnvVar, Finding, Runtime};

/// Settings that only mean something to one runtime, by runtime: `NODE_ENV` is no setting of
/// a Python app.
const RUNTIME_SETTINGS: [(&str, &[&str]); 4] = [
    ("node", &["NODE_ENV", "NODE_OPTIONS", "NODE_PATH", "UV_THREADPOOL_SIZE", "NPM_CONFIG_"]),
    ("python", &["PYTHONPATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED", "GUNICORN_CMD_ARGS"]),
    ("java", &["JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JVM_OPTS", "CATALINA_OPTS", "JAVA_HOME"]),
    ("go", &["GOMAXPROCS", "GOGC", "GODEBUG", "GOMEMLIMIT"]),
];

/// The deny that holds the plan until the operator says which is right.
pub fn finding(source_runtime: &str, instance: &Runtime) -> Finding {
    Finding::blocker(
        "source-mismatch",
        format!(
            "the source folder is a {} app, but the instance runs {} ({}): the image would not be the app this instance runs",
            label(source_runtime),
            label(&instance.name),
            instance.source
        ),
        "source folder",
    )
    .with_fix("open the instance's own source folder, or override this check with the reason the runtime changes")
}

/// Drops from the service's environment the settings of the instance's runtime.
pub fn drop_other_runtime_settings(env: &mut Vec<EnvVar>, instance_runtime: &str) {
    let Some((_, settings)) = RUNTIME_SETTINGS.iter().find(|(runtime, _)| *runtime == instance_runtime) else {
        return;
    };
    env.retain(|e| !settings.iter().any(|s| if s.ends_with('_') { e.name.starts_with(s) } else { e.name == *s }));
}

fn label(runtime: &str) -> &str {
    match runtime {
        "node" => "Node.js",
        "python" => "Python",
        "java" => "Java",
        "go" => "Go",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_settings_do_not_follow_into_a_python_service() {
        let var = |name: &str| EnvVar {
            name: name.into(),
            value: Some("x".into()),
            secret: false,
            source: "user data".into(),
            given: None,
        };
        let mut env = vec![var("NODE_ENV"), var("NPM_CONFIG_LOGLEVEL"), var("DATABASE_HOST")];
        drop_other_runtime_settings(&mut env, "node");
        assert_eq!(env.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["DATABASE_HOST"]);
    }
}
