//! Values a plan refers to before they exist, filled in at apply time from the run's id and
//! the outputs of earlier steps. They live in ferry's own namespace (`${ferry:...}`), so text
//! copied from the account, such as IAM policy variables (`${aws:username}`) or shell
//! expansions in environment values, is never mistaken for one.

/// Opens every placeholder.
pub const PREFIX: &str = "${ferry:";

/// The id of the run applying the plan.
pub const RUN_ID: &str = "${ferry:run-id}";

/// The security group the plan creates for the service's tasks.
pub const SERVICE_SECURITY_GROUP: &str = "${ferry:service-security-group.groupId}";

/// The ARN of the Express service the plan creates.
pub const SERVICE_ARN: &str = "${ferry:express-service.serviceArn}";
