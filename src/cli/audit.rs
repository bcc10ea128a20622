//! The audit log at the command line: where live runs anchor it (`--audit-cloudwatch-group`
//! or the config file), and `ferry audit verify`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use color_eyre::eyre::{Result, WrapErr, eyre};

use ferry::audit::AuditAnchor;
use ferry::cloud::aws::{CloudWatchAnchor, check_log_group_name};
use ferry::operate::check_log;
use ferry::text::escape_controls as safe;

use super::backend::{AwsArgs, Backend};
use super::output::{note, stdout};

/// Where live runs send a copy of every audit record.
#[derive(Args, Clone, Default)]
pub struct AnchorArgs {
    /// Also send every audit record of a live run (apply, resume, rollback, the wizard) to
    /// this CloudWatch Logs group, created if missing. Overrides `[audit] cloudwatch_log_group`
    /// in the config file.
    #[arg(long, global = true, value_name = "NAME")]
    audit_cloudwatch_group: Option<String>,
}

impl AnchorArgs {
    /// The group: the flag, else the config file's, else none.
    fn group(&self) -> Result<Option<String>> {
        if let Some(group) = &self.audit_cloudwatch_group {
            check_log_group_name(group).map_err(|e| eyre!("--audit-cloudwatch-group: {e}"))?;
            return Ok(Some(group.clone()));
        }
        Ok(ferry::config::load()?.audit.cloudwatch_log_group)
    }

    /// The anchor for runs on `backend`: the group on a live account. A sandbox account is not
    /// real and needs no AWS access, so its runs are kept in the local log only (the config
    /// file's group is not used for them, and the flag is refused).
    pub fn anchor(&self, backend: &Backend) -> Result<Option<Arc<CloudWatchAnchor>>> {
        match backend {
            Backend::Sandbox { .. } if self.audit_cloudwatch_group.is_some() => Err(eyre!(
                "--audit-cloudwatch-group is for live accounts: a sandbox run is kept in the local audit log only"
            )),
            Backend::Sandbox { .. } => Ok(None),
            Backend::Aws { aws, .. } => match self.group()? {
                Some(group) => Ok(Some(Arc::new(aws.audit_anchor(&group)?))),
                None => Ok(None),
            },
        }
    }

    /// As `anchor`, for a headless run: the group is created now if missing (and said so), so
    /// a group that cannot be used stops the command before any change.
    pub async fn prepare(&self, backend: &Backend) -> Result<Option<Arc<dyn AuditAnchor>>> {
        let Some(anchor) = self.anchor(backend)? else { return Ok(None) };
        let created = anchor.ensure_group().await.map_err(|e| {
            eyre!("cannot use {} for the audit log: {}; nothing was changed", anchor.describe(), safe(&e.to_string()))
        })?;
        let created = if created { " (created now)" } else { "" };
        note!("audit records also go to {}{created}", anchor.describe());
        Ok(Some(anchor))
    }
}

/// `ferry audit verify`: the chain, every run journal's checkpoints, and the anchored copy when
/// `against` is given (`Some("")` for the configured group). Exits non-zero on any problem.
pub async fn verify(file: Option<PathBuf>, against: Option<String>, anchor: &AnchorArgs, aws: &AwsArgs) -> Result<()> {
    let path = file
        .or_else(ferry::state_dir::audit_log)
        .ok_or_else(|| eyre!("no state folder on this system: pass --file or set FERRY_STATE_DIR"))?;
    // The journals beside the log: the state folder's for the default log.
    let runs = path.parent().unwrap_or(Path::new(".")).join("runs");
    let mut check = check_log(&path, &runs)?;
    let mut out = stdout();
    match &check.chain {
        None => check.problems.insert(0, format!("there is no audit log at {}", path.display())),
        Some(chain) if chain.is_empty() => check.problems.insert(
            0,
            format!("the audit log at {} is empty: ferry never leaves it so, its records were removed", path.display()),
        ),
        Some(chain) if chain.broken.is_none() => {
            writeln!(out, "{}: {} records, chain intact", path.display(), chain.len())?
        }
        Some(_) => {}
    }
    if check.journals > 0 {
        writeln!(
            out,
            "{} run journals in {}, {} checkpoints checked",
            check.journals,
            runs.display(),
            check.checkpoints
        )?;
    }
    if let Some(group) = against {
        let group = match group {
            given if !given.is_empty() => given,
            _ => anchor.group()?.ok_or_else(|| {
                eyre!("which group? give --against-cloudwatch GROUP, or set [audit] cloudwatch_log_group in the config file")
            })?,
        };
        let Backend::Aws { aws: cloud, .. } = Backend::aws(aws).await? else { unreachable!("an AWS backend") };
        let anchor = cloud.audit_anchor(&group)?;
        let comparison =
            check.against(&anchor).await.wrap_err_with(|| format!("cannot read {} back", anchor.describe()))?;
        writeln!(
            out,
            "{}: {} records anchored, {} equal to the local ones",
            anchor.describe(),
            comparison.anchored,
            comparison.matched
        )?;
    }
    for note in &check.notes {
        writeln!(out, "note: {}", safe(note))?;
    }
    if check.problems.is_empty() {
        return Ok(());
    }
    drop(out);
    for problem in &check.problems {
        note!("{}", safe(problem));
    }
    let count = check.problems.len();
    Err(eyre!(
        "the audit log {} cannot be relied on: {count} problem{}",
        path.display(),
        if count == 1 { "" } else { "s" }
    ))
}
