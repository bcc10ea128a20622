//! What the instance's user data sets up around the app that a task will not have: network
//! file systems, cron, more than one long-running process.

use crate::model::Finding;

/// Readiness findings from the user data, each with its line.
pub fn host_findings(user_data: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut processes: Vec<usize> = Vec::new();
    for (index, raw) in user_data.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('#') {
            continue;
        }
        let at = format!("user data line {}", index + 1);
        let mounts = (line.contains("mount ") && (line.contains("nfs") || line.contains("efs")))
            || (line.contains("/etc/fstab") && (line.contains("nfs") || line.contains("efs")))
            || line.contains("amazon-efs-utils");
        if mounts {
            findings.push(
                Finding::blocker(
                    "network-file-system",
                    format!(
                        "mounts a network file system ({}): an Express Mode service takes no volumes",
                        crate::text::escape_controls(line)
                    ),
                    at.clone(),
                )
                .with_fix("move the files to S3, or run a standard ECS service with an EFS volume"),
            );
        }
        if line.contains("crontab") || line.contains("/etc/cron.") || line.contains("/etc/cron.d") {
            findings.push(
                Finding::warning("cron", "installs cron jobs: a container runs no cron", at.clone())
                    .with_fix("schedule them with EventBridge Scheduler"),
            );
        }
        let starts_process = line.contains("pm2 start ")
            || line.starts_with("nohup ")
            || line.starts_with("ExecStart=")
            || (line.ends_with(" &") && !line.starts_with("wait"));
        if starts_process {
            processes.push(index + 1);
        }
    }
    if processes.len() > 1 {
        let lines: Vec<String> = processes.iter().map(usize::to_string).collect();
        findings.push(
            Finding::warning(
                "worker-process",
                format!(
                    "starts {} long-running processes (lines {}): a task runs one",
                    processes.len(),
                    lines.join(", ")
                ),
                format!("user data line {}", processes[1]),
            )
            .with_fix("give the others services of their own"),
        );
    }
    findings.extend(cluster_and_upload_findings(user_data));
    findings
}

/// pm2 in cluster mode (`pm2 start app.js -i max`), and uploads kept in a folder of the
/// instance's own disk (`UPLOAD_DIR=/var/lib/app/uploads`): what a legacy monolith's user
/// data says even when its source is not at hand.
fn cluster_and_upload_findings(user_data: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, raw) in user_data.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('#') {
            continue;
        }
        let at = format!("user data line {}", index + 1);
        let words: Vec<&str> = line.split_whitespace().collect();
        let clustered = words.windows(2).any(|w| w == ["pm2", "start"])
            && words.iter().any(|w| *w == "-i" || *w == "--instances" || w.starts_with("--instances="));
        if clustered {
            findings.push(
                Finding::warning("pm2-cluster", "pm2 runs it in cluster mode: a task runs one process", at.clone())
                    .with_fix("start one process per task and scale with tasks instead"),
            );
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        if let Some((name, value)) = line.split_once('=')
            && name.to_ascii_uppercase().contains("UPLOAD")
            && crate::model::is_variable_name(name)
            && value.trim_matches(|c| c == '"' || c == '\'').starts_with('/')
        {
            findings.push(super::readiness::uploads(at));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mounts_cron_and_second_processes_are_found() {
        let user_data = "#!/bin/bash\nyum install -y amazon-efs-utils\n\
                         echo 'fs-12345:/ /mnt/shared efs _netdev,tls 0 0' >> /etc/fstab\n\
                         (crontab -l; echo '0 3 * * * /opt/app/cleanup.sh') | crontab -\n\
                         pm2 start server.js\npm2 start worker.js\n";
        let findings = host_findings(user_data);
        let at = |text: &str| {
            findings.iter().filter(|f| f.message.contains(text)).map(|f| f.source.as_str()).collect::<Vec<_>>()
        };
        assert_eq!(at("network file system"), ["user data line 2", "user data line 3"]);
        assert_eq!(at("cron"), ["user data line 4"]);
        assert_eq!(at("2 long-running processes (lines 5, 6)"), ["user data line 6"]);
        assert!(findings.iter().any(|f| f.level == crate::model::FindingLevel::Blocker));
    }

    #[test]
    fn pm2_cluster_mode_and_uploads_on_local_disk_are_found() {
        let user_data = "#!/bin/bash\nUPLOAD_DIR=/var/lib/shop/uploads\nUPLOADS_BUCKET=shop-uploads\n\
                         pm2 start server.js --name shop -i max\n";
        let findings = host_findings(user_data);
        let kinds: Vec<(&str, &str)> = findings.iter().map(|f| (f.kind.as_str(), f.source.as_str())).collect();
        assert_eq!(kinds, [("local-disk-writes", "user data line 2"), ("pm2-cluster", "user data line 4")]);
        assert!(host_findings("#!/bin/bash\npm2 start server.js --name shop\n").is_empty(), "one process, no cluster");
    }

    #[test]
    fn one_process_and_no_mounts_find_nothing() {
        assert!(host_findings("#!/bin/bash\n# mount -t nfs in a comment\npm2 start server.js\n").is_empty());
    }
}
