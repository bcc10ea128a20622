use serde::{Deserialize, Serialize};

use crate::model::Instance;

/// The names of everything ferry creates for one service, derived once so they agree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    /// The ECS service: lower-case letters, digits and dashes, at most 43 characters.
    pub service: String,
    /// The ECR repository the image is pushed to; the same as the service.
    pub repository: String,
    /// The role the app calls AWS as: `ferry-SERVICE-task`.
    pub task_role: String,
    /// The role ECS pulls the image and reads secrets with: `ferry-SERVICE-execution`.
    pub execution_role: String,
    /// The role ECS manages the service's load balancer and scaling with:
    /// `ferry-SERVICE-infrastructure`.
    pub infrastructure_role: String,
    /// The security group of the service's tasks: `ferry-SERVICE-service`.
    pub service_security_group: String,
    /// Secrets are created as `<prefix><VARIABLE>`.
    pub secret_prefix: String,
}

const ENVIRONMENT_SUFFIXES: [&str; 5] = ["-prod", "-production", "-staging", "-dev", "-test"];

impl Names {
    /// `shop-api-prod` becomes the service `shop-api`: the environment is the account's job.
    pub fn for_instance(instance: &Instance) -> Self {
        Self::for_service(&service_name(instance.display_name()))
    }

    /// Every name derived from a service name taken as it is (not cleaned up or shortened).
    pub fn for_service(service: &str) -> Self {
        Names {
            service: service.to_string(),
            repository: service.to_string(),
            task_role: format!("ferry-{service}-task"),
            execution_role: format!("ferry-{service}-execution"),
            infrastructure_role: format!("ferry-{service}-infrastructure"),
            service_security_group: format!("ferry-{service}-service"),
            secret_prefix: format!("ferry/{service}/"),
        }
    }

    /// The Secrets Manager name of the secret holding `variable`: `ferry/SERVICE/VARIABLE`.
    pub fn secret(&self, variable: &str) -> String {
        format!("{}{variable}", self.secret_prefix)
    }
}

/// The longest service name whose derived names all stay valid: IAM role names allow 64
/// characters, and `ferry-` + `-infrastructure` take 21 of them.
const MAX_SERVICE_NAME: usize = 43;

/// Lower-case letters, digits and single dashes, no environment suffix, no dash at either end:
/// valid as an ECS service, an ECR repository and inside IAM role names.
fn service_name(raw: &str) -> String {
    let mut name = String::new();
    for c in raw.to_ascii_lowercase().chars() {
        let c = if c.is_ascii_alphanumeric() { c } else { '-' };
        if c != '-' || !name.ends_with('-') {
            name.push(c);
        }
    }
    let mut name = name.trim_matches('-').to_string();
    for suffix in ENVIRONMENT_SUFFIXES {
        if let Some(stripped) = name.strip_suffix(suffix).filter(|s| !s.is_empty()) {
            name = stripped.to_string();
            break;
        }
    }
    let name: String = name.chars().take(MAX_SERVICE_NAME).collect();
    let name = name.trim_matches('-');
    if name.is_empty() { "app".to_string() } else { name.to_string() }
}

#[cfg(test)]
mod tests {
    use super::{MAX_SERVICE_NAME, service_name};

    #[test]
    fn strips_environment_and_odd_characters() {
        assert_eq!(service_name("shop-api-prod"), "shop-api");
        assert_eq!(service_name("Shop API\u{1b}[31m"), "shop-api-31m");
        assert_eq!(service_name("a--b__c-"), "a-b-c");
        assert_eq!(service_name("-prod"), "prod");
        assert_eq!(service_name("***"), "app");
        let long = service_name(&"x".repeat(200));
        assert_eq!(long.len(), MAX_SERVICE_NAME);
        assert!(format!("ferry-{long}-infrastructure").len() <= 64);
    }
}
