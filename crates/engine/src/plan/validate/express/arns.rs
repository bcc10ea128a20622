//! ARNs and placeholders: which role, secret or cluster a config names, and whether it is
//! this account's (in the region's partition) or one the plan creates.

use super::{MAX_ARN, MAX_ROLE_NAME, MAX_ROLE_PATH, Rules};
use crate::model::placeholders::PREFIX;
use crate::plan::validate::quoted;

/// `arn:partition:service:region:account:resource`, split.
pub(super) struct Arn<'a> {
    partition: &'a str,
    service: &'a str,
    region: &'a str,
    account: &'a str,
    resource: &'a str,
}

pub(super) fn parse_arn(text: &str) -> Option<Arn<'_>> {
    let mut parts = text.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    Some(Arn {
        partition: parts.next()?,
        service: parts.next()?,
        region: parts.next()?,
        account: parts.next()?,
        resource: parts.next()?,
    })
}

/// `${ferry:STEP.KEY}` as the whole value (filled at apply time with what step STEP made):
/// `(STEP, KEY)`.
pub(super) fn placeholder(value: &str) -> Option<(&str, &str)> {
    let inner = value.strip_prefix(PREFIX)?.strip_suffix('}')?;
    let (step, key) = inner.split_once('.')?;
    let step_ok = !step.is_empty() && step.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let key_ok = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric());
    (step_ok && key_ok).then_some((step, key))
}

/// The text with every closed `${ferry:...}` taken out: what is left is checked as literal
/// text, the placeholders being filled at apply time with ids made of safe characters.
pub(super) fn without_placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(PREFIX) {
        let Some(end) = rest[start..].find('}') else { break };
        out.push_str(&rest[..start]);
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

impl Rules<'_> {
    /// An ARN of this account and partition, and of this region when `regional`. Says what
    /// differs; `true` when nothing does.
    pub(super) fn owned(&mut self, field: &str, arn: &Arn, regional: bool) -> bool {
        let before = self.found.len();
        if arn.partition != self.partition {
            let message = format!(
                "is in partition {}, but the plan deploys to {} (partition {})",
                quoted(arn.partition),
                self.region,
                self.partition
            );
            self.bad(field, message);
        }
        if arn.account != self.account {
            let message =
                format!("names account {}; the plan deploys to account {}", quoted(arn.account), self.account);
            self.bad(field, message);
        }
        if regional && arn.region != self.region {
            let message = format!("names region {}; the plan deploys to {}", quoted(arn.region), self.region);
            self.bad(field, message);
        }
        self.found.len() == before
    }

    pub(super) fn cluster(&mut self, cluster: &str) {
        if !cluster.starts_with("arn:") {
            return self.ecs_name("cluster", cluster, "cluster");
        }
        let expected = format!("arn:{}:ecs:{}:{}:cluster/NAME", self.partition, self.region, self.account);
        match parse_arn(cluster).filter(|arn| arn.service == "ecs") {
            Some(arn) if self.owned("cluster", &arn, true) => match arn.resource.strip_prefix("cluster/") {
                Some(name) => self.ecs_name("cluster", name, "cluster"),
                None => self.bad("cluster", format!("{} is not a cluster ARN: expected {expected}", quoted(cluster))),
            },
            Some(_) => {}
            None => self.bad("cluster", format!("{} is not a cluster ARN: expected {expected}", quoted(cluster))),
        }
    }

    /// A role of this account, or one the plan creates (`${ferry:STEP.arn}`).
    pub(super) fn role(&mut self, field: &str, value: &str) {
        if placeholder(value).is_some_and(|(_, key)| key == "arn") {
            return;
        }
        let expected = format!(
            "expected arn:{}:iam::{}:role/NAME, or a role the plan creates (${{ferry:STEP.arn}})",
            self.partition, self.account
        );
        if value.len() > MAX_ARN {
            return self.bad(field, format!("is {} characters long; IAM ARNs have at most {MAX_ARN}", value.len()));
        }
        let Some(arn) = parse_arn(value).filter(|arn| arn.service == "iam") else {
            return self.bad(field, format!("{} is not an IAM role ARN: {expected}", quoted(value)));
        };
        let Some(rest) = arn.resource.strip_prefix("role/") else {
            return self.bad(field, format!("{} is not an IAM role ARN: {expected}", quoted(value)));
        };
        if !arn.region.is_empty() {
            self.bad(field, format!("{} has a region; IAM ARNs have none: {expected}", quoted(value)));
        }
        self.owned(field, &arn, false);
        // role/NAME or role/PATH/NAME: IAM's pathType is / or /printable-ASCII/.
        let (path, name) = rest.rsplit_once('/').unwrap_or(("", rest));
        if !path.chars().all(|c| ('\u{21}'..='\u{7e}').contains(&c)) || path.len() + 2 > MAX_ROLE_PATH {
            self.bad(
                field,
                format!("{}: a role's path is printable ASCII, at most {MAX_ROLE_PATH} characters", quoted(path)),
            );
        }
        let name_ok = (1..=MAX_ROLE_NAME).contains(&name.len())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
        if !name_ok {
            self.bad(field, format!("{}: a role name is 1-{MAX_ROLE_NAME} letters, digits and _+=,.@-", quoted(name)));
        }
    }

    /// A Secrets Manager secret or SSM parameter of this account and region, or one the plan
    /// creates (`${ferry:STEP.arn}`).
    pub(super) fn secret_source(&mut self, field: &str, value: &str) {
        if placeholder(value).is_some_and(|(_, key)| key == "arn") {
            return;
        }
        let (partition, region, account) = (self.partition, self.region, self.account);
        let expected = format!(
            "expected arn:{partition}:secretsmanager:{region}:{account}:secret:NAME, \
             arn:{partition}:ssm:{region}:{account}:parameter/NAME, or a secret the plan creates"
        );
        let Some(arn) = parse_arn(value) else {
            return self.bad(field, format!("{} is not an ARN: {expected}", quoted(value)));
        };
        let well_formed = match arn.service {
            // secret:NAME, optionally :json-key:version-stage:version-id after it.
            "secretsmanager" => arn.resource.strip_prefix("secret:").is_some_and(|rest| {
                let mut parts = rest.split(':');
                let name = parts.next().unwrap_or_default();
                (1..=512).contains(&name.len())
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c))
                    && parts.count() <= 3
            }),
            "ssm" => arn.resource.strip_prefix("parameter/").is_some_and(|name| {
                (1..=2048).contains(&name.len())
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c))
            }),
            _ => false,
        };
        if !well_formed {
            return self.bad(field, format!("{} is not a secret or parameter ARN: {expected}", quoted(value)));
        }
        self.owned(field, &arn, true);
    }
}
