//! The log groups the old stack writes to, kept only on evidence an operator can check: the
//! group's name holds the instance id, or the instance's user data names the group (a
//! CloudWatch agent config's `log_group_name`, a Docker `awslogs-group` option). A group that
//! merely looks like the app's (its name has the app's name in it) is not listed: ferry does
//! not guess what to delete.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Evidence, EvidenceKind, Instance, LogGroup, LogGroupEdge};

/// `"log_group_name": "NAME"` in a CloudWatch agent config.
static AGENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""log_group_name"\s*:\s*"([^"]+)""#).expect("a valid pattern"));

/// `--log-opt awslogs-group=NAME`, or `"awslogs-group": "NAME"` in a daemon.json.
static DOCKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"awslogs-group"?\s*[=:]\s*["']?([A-Za-z0-9_./#{}-]+)"#).expect("a valid pattern"));

/// The agent fills `{instance_id}` in itself; other placeholders (`{hostname}`,
/// `{ip_address}`) are not resolved, so a name holding one is not a name ferry can match.
const INSTANCE_ID: &str = "{instance_id}";

/// The groups among `all` that evidence ties to the instance, by name.
pub(super) fn writing(all: Vec<LogGroup>, instance: &Instance) -> Vec<LogGroupEdge> {
    let named = named_in_user_data(instance);
    let mut edges: Vec<LogGroupEdge> = all
        .into_iter()
        .filter_map(|group| {
            let mut evidence = Vec::new();
            if holds_id(&group.name, &instance.id) {
                let text = format!("its name holds the instance id {}", instance.id);
                evidence.push(Evidence::new(EvidenceKind::LogGroupName, text));
            }
            for (line, source) in named.iter().filter(|(name, _, _)| *name == group.name).map(|(_, l, s)| (l, s)) {
                let text = format!("user data line {line} names it ({source})");
                evidence.push(Evidence::new(EvidenceKind::UserDataLogGroup, text));
            }
            (!evidence.is_empty()).then_some(LogGroupEdge { log_group: group, evidence })
        })
        .collect();
    edges.sort_by(|a, b| a.log_group.name.cmp(&b.log_group.name));
    edges
}

/// Whether `name` holds the instance id as a whole word: `i-0abc` is not in `i-0abcd`.
fn holds_id(name: &str, id: &str) -> bool {
    !id.is_empty()
        && name.match_indices(id).any(|(at, _)| {
            let after = name[at + id.len()..].chars().next();
            let before = name[..at].chars().next_back();
            !after.is_some_and(|c| c.is_ascii_alphanumeric()) && !before.is_some_and(|c| c.is_ascii_alphanumeric())
        })
}

/// Each log group the user data names: its name, line (1-based) and what named it.
fn named_in_user_data(instance: &Instance) -> Vec<(String, usize, &'static str)> {
    let Some(user_data) = &instance.user_data else { return Vec::new() };
    let mut named = Vec::new();
    for (index, line) in user_data.lines().enumerate() {
        let sources = [(&*AGENT, "CloudWatch agent log_group_name"), (&*DOCKER, "Docker awslogs-group")];
        for (pattern, source) in sources {
            for captures in pattern.captures_iter(line) {
                let name = captures[1].replace(INSTANCE_ID, &instance.id);
                if !name.contains('{') {
                    named.push((name, index + 1, source));
                }
            }
        }
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(user_data: Option<&str>) -> Instance {
        Instance {
            id: "i-0a1b2c3d4e5f60718".into(),
            name: Some("shop-api-prod".into()),
            instance_type: "t3.small".into(),
            state: "running".into(),
            availability_zone: "us-east-1a".into(),
            private_ip: None,
            public_ip: None,
            vpc_id: "vpc-1".into(),
            subnet_id: "subnet-1".into(),
            security_group_ids: Vec::new(),
            instance_profile_arn: None,
            tags: Default::default(),
            user_data: user_data.map(str::to_string),
        }
    }

    fn group(name: &str) -> LogGroup {
        LogGroup {
            name: name.into(),
            arn: format!("arn:aws:logs:us-east-1:111122223333:log-group:{name}"),
            stored_bytes: 0,
            retention_days: None,
        }
    }

    fn names(edges: &[LogGroupEdge]) -> Vec<&str> {
        edges.iter().map(|e| e.log_group.name.as_str()).collect()
    }

    #[test]
    fn a_group_named_after_the_instance_is_listed_and_a_look_alike_is_not() {
        let all =
            ["/ec2/i-0a1b2c3d4e5f60718/app", "/ec2/i-0a1b2c3d4e5f607189", "/shop-api-prod", "/ec2/i-0ee55ff66aa77bb88"]
                .map(group)
                .to_vec();
        let edges = writing(all, &instance(None));
        assert_eq!(names(&edges), ["/ec2/i-0a1b2c3d4e5f60718/app"]);
        assert_eq!(edges[0].evidence[0].kind, EvidenceKind::LogGroupName);
    }

    #[test]
    fn groups_the_user_data_names_are_listed_with_the_line() {
        let user_data = "#!/bin/bash\ncat > /opt/aws/amazon-cloudwatch-agent/etc/config.json <<'EOF'\n\
            {\"logs\":{\"logs_collected\":{\"files\":{\"collect_list\":[\n\
            {\"file_path\":\"/var/log/shop.log\",\"log_group_name\": \"/shop/app\"},\n\
            {\"file_path\":\"/var/log/x.log\",\"log_group_name\":\"/shop/{instance_id}/x\"},\n\
            {\"file_path\":\"/var/log/y.log\",\"log_group_name\":\"/shop/{hostname}\"}]}}}}\nEOF\n\
            docker run -d --log-driver awslogs --log-opt awslogs-group=/shop/docker shop:1\n";
        let all = ["/shop/app", "/shop/i-0a1b2c3d4e5f60718/x", "/shop/docker", "/shop/other", "/shop/{hostname}"]
            .map(group)
            .to_vec();
        let edges = writing(all, &instance(Some(user_data)));
        assert_eq!(names(&edges), ["/shop/app", "/shop/docker", "/shop/i-0a1b2c3d4e5f60718/x"]);
        assert_eq!(edges[0].evidence[0].text, "user data line 4 names it (CloudWatch agent log_group_name)");
        assert_eq!(edges[1].evidence[0].text, "user data line 8 names it (Docker awslogs-group)");
        let kinds: Vec<_> = edges[2].evidence.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [EvidenceKind::LogGroupName, EvidenceKind::UserDataLogGroup]);
    }

    #[test]
    fn a_name_in_user_data_with_no_such_group_lists_nothing() {
        let user_data = "{\"log_group_name\": \"/gone\"}";
        assert!(writing(vec![group("/other")], &instance(Some(user_data))).is_empty());
    }
}
