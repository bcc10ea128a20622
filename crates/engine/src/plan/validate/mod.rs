//! Whether a plan's artifacts are ones AWS and Docker will take, judged before anyone approves
//! them: an approval means exactly what was reviewed, and a config the service would refuse
//! halfway through an apply was never worth reviewing.
//!
//! Every rule is computed from the content, never read from a file, and each names the field
//! it concerns (`scalingTarget.minTaskCount`, `Dockerfile line 7`) so the operator can find it.
//! Nothing here panics, whatever the text: plans and Dockerfiles are edited by hand.

mod dockerfile;
mod express;
mod located;

pub use dockerfile::{INSTRUCTIONS as DOCKERFILE_INSTRUCTIONS, validate_dockerfile};
pub use express::validate_service_config;
pub use located::{LineProblem, check_dockerfile, check_service_json};

use std::fmt;

/// One rule a plan breaks, named so the operator can find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// Where: a service.json path (`primaryContainer.environment[3].name`) or a Dockerfile line.
    pub field: String,
    /// What is wrong and what would be accepted.
    pub message: String,
}

impl Invalid {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Invalid { field: field.into(), message: message.into() }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl super::Plan {
    /// What in the plan AWS or Docker would refuse: the service config against the
    /// CreateExpressGatewayService rules, and every Dockerfile it builds. A plan with any of
    /// these cannot be approved; computed from the content every time.
    pub fn invalid(&self) -> Vec<Invalid> {
        let mut found = Vec::new();
        for step in &self.steps {
            match &step.action {
                super::Action::CreateExpressService { config } => {
                    found.extend(validate_service_config(config, &self.account_id, &self.region));
                }
                super::Action::BuildAndPushImage { dockerfile, .. } => found.extend(validate_dockerfile(dockerfile)),
                _ => {}
            }
        }
        found
    }
}

/// Text from a plan, quoted for a message: control characters escaped (it ends up on a
/// terminal) and cut short, since a pasted value can be megabytes.
fn quoted(text: &str) -> String {
    const MOST: usize = 80;
    let mut shown: String = text.chars().take(MOST).collect();
    if text.chars().nth(MOST).is_some() {
        shown.push('…');
    }
    format!("\"{}\"", crate::text::escape_controls(&shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_field_first() {
        assert_eq!(Invalid::new("cpu", "is not a number").to_string(), "cpu: is not a number");
    }

    #[test]
    fn quoted_text_is_escaped_and_short() {
        assert_eq!(quoted("a\u{1b}[2J"), "\"a\\u{1b}[2J\"");
        let long = quoted(&"é".repeat(10_000));
        assert_eq!(long.chars().count(), 80 + 3, "80 characters, an ellipsis and two quotes");
    }
}
