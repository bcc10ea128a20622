//! `ferry approve`: the human gate of changes an assistant asks for. A person at a terminal
//! reads a stored plan as `ferry show` prints it and approves its exact hash by typing the
//! hash's first digits and a reason for each deny, or approves a run's rollback by typing its
//! id back. The approval is recorded in the state folder, single use, for 30 minutes, with the
//! person's STS caller ARN; `ferry::approvals` keeps it sealed and audits every step.
//!
//! Only a terminal is asked: input piped in could come from a script or an assistant's shell,
//! so it is refused before anything is shown.

use std::io::{BufRead, IsTerminal, Write};

use clap::{ArgGroup, Args};
use color_eyre::eyre::{Result, eyre};

use ferry::apply::{RunState, load_run};
use ferry::approvals::{Approval, Approvals, PlanStore, Subject, VIA_TERMINAL};
use ferry::cloud::sandbox::SandboxOptions;
use ferry::plan::{MIN_PREFIX, MIN_REASON, Override, Plan};
use ferry::text::escape_controls as safe;

use super::backend::{AwsArgs, Backend};
use super::output::{note, stdout, tell};

/// Answers a person gets before ferry gives up: a slip is forgiven, guessing is not.
const TRIES: usize = 3;

/// `ferry approve PLAN_ID` or `ferry approve --rollback RUN_ID`.
#[derive(Args)]
#[command(group(ArgGroup::new("subject").required(true).args(["plan_id", "rollback"])))]
pub struct ApproveArgs {
    /// The stored plan's id: the 12 hex digits the assistant's create_plan gave (8 or more
    /// will do when they name one plan).
    #[arg(value_name = "PLAN_ID")]
    plan_id: Option<String>,
    /// Approve rolling back this run instead (`ferry runs` lists them), on the account it ran on.
    #[arg(long, value_name = "RUN_ID", conflicts_with_all = ["plan_id", "sandbox"])]
    rollback: Option<String>,
    /// The plan's sandbox account (a bundled scenario name or a scenario file) instead of AWS.
    #[arg(long, value_name = "NAME|FILE")]
    sandbox: Option<String>,
}

/// Runs `ferry approve`.
pub async fn run(aws: &AwsArgs, args: ApproveArgs) -> Result<()> {
    if !std::io::stdin().is_terminal() {
        return Err(eyre!(
            "ferry approve asks a person at a terminal, and stdin is not one: run it in a terminal; nothing was approved"
        ));
    }
    let approvals =
        Approvals::in_state_dir().ok_or_else(|| eyre!("no state folder on this system: set FERRY_STATE_DIR"))?;
    match (args.plan_id, args.rollback) {
        (Some(id), None) => approve_plan(aws, args.sandbox.as_deref(), &id, &approvals).await,
        (None, Some(run_id)) => approve_rollback(aws, &run_id, &approvals).await,
        _ => Err(eyre!("give a PLAN_ID or --rollback RUN_ID")),
    }
}

/// A stored plan: shown, then its digits and a reason per deny, then recorded.
async fn approve_plan(aws: &AwsArgs, sandbox: Option<&str>, id: &str, approvals: &Approvals) -> Result<()> {
    let store =
        PlanStore::in_state_dir().ok_or_else(|| eyre!("no state folder on this system: set FERRY_STATE_DIR"))?;
    let plan = store.load(id)?;
    let backend = Backend::open(aws, sandbox).await?;
    super::runs::same_account(&backend, &plan).await?;
    let operator = backend.read().account().await?.caller_arn;
    let mut out = stdout();
    super::headless::print_plan(&mut out, &plan)?;
    out.flush()?;
    drop(out);
    let invalid = plan.invalid();
    if !invalid.is_empty() {
        return Err(eyre!(
            "the plan is NOT VALID (above), so it cannot be approved: make it again; nothing was approved"
        ));
    }
    let asking = Asking { approvals, subject: Subject::plan(&plan.hash), operator: &operator };
    note!("");
    let question = format!("To approve this plan, type the first {MIN_PREFIX} hex digits of its hash: ");
    let typed = asking.ask(&question, |typed| check_digits(&plan, typed))?;
    let mut overrides = Vec::new();
    for deny in plan.denies() {
        note!("\nDENY {}\n  {}", safe(&deny.id), safe(&deny.message));
        let question = format!("Why is it acceptable? (at least {MIN_REASON} characters, kept in the audit log): ");
        let reason = asking.ask(&question, check_reason)?;
        overrides.push(Override { check_id: deny.id, reason });
    }
    let approval = approvals.approve_plan(&plan, &typed, overrides, &operator, VIA_TERMINAL)?;
    let denies = match approval.overrides.len() {
        0 => String::new(),
        1 => ", overriding 1 deny".to_string(),
        n => format!(", overriding {n} denies"),
    };
    tell!("\napproved: plan {}{denies}", plan.hash);
    tell_approval(&approval);
    Ok(())
}

/// A run's rollback: its status and what would be undone, then its id typed back.
async fn approve_rollback(aws: &AwsArgs, run_id: &str, approvals: &Approvals) -> Result<()> {
    let subject = Subject::rollback(run_id);
    subject.check().map_err(|reason| eyre!("{reason}; nothing was approved"))?;
    let dir =
        ferry::state_dir::runs_dir().ok_or_else(|| eyre!("no state folder on this system: set FERRY_STATE_DIR"))?;
    let path = dir.join(format!("{run_id}.jsonl"));
    if !path.is_file() {
        return Err(eyre!("no run {} in {}: `ferry runs` lists them", safe(run_id), dir.display()));
    }
    let state = load_run(&path)?;
    if !state.status.may_hold_resources() {
        return Err(eyre!(
            "run {} is {}: nothing it made is left to roll back, so there is nothing to approve",
            safe(run_id),
            state.status.label()
        ));
    }
    let backend = Backend::for_target(&state.target, SandboxOptions::instant(), aws).await?;
    super::runs::same_account(&backend, &state.plan).await?;
    let operator = backend.read().account().await?.caller_arn;
    print_run(&state)?;
    let asking = Asking { approvals, subject: subject.clone(), operator: &operator };
    let question = "To approve rolling it back, type the run's id: ";
    asking.ask(question, |typed| {
        (typed == run_id).then(|| typed.to_string()).ok_or_else(|| "that is not the run's id (first line above)".into())
    })?;
    let approval = approvals.record(subject, Vec::new(), &operator, VIA_TERMINAL)?;
    tell!("\napproved: the rollback of run {}", safe(run_id));
    tell_approval(&approval);
    Ok(())
}

/// The run as a person decides on its rollback: where it stands, and every change the
/// rollback would undo, newest first.
fn print_run(state: &RunState) -> Result<()> {
    let mut out = stdout();
    let plan: &Plan = &state.plan;
    writeln!(out, "run {} · {}", safe(&state.run_id), state.status.label())?;
    writeln!(out, "started {} by {}", safe(&state.started), safe(&state.operator))?;
    writeln!(
        out,
        "plan {} · service {} · account {} · {}",
        plan.short_hash(),
        safe(&plan.service_name),
        safe(&plan.account_id),
        safe(&plan.region)
    )?;
    let left: Vec<_> = state.journal.entries.iter().filter(|e| !state.undone.contains(&e.step)).collect();
    writeln!(out, "\n{} of {} steps made; rolling back undoes, last first:", left.len(), plan.steps.len())?;
    for entry in left.iter().rev() {
        match entry.inverse() {
            Some(undo) => writeln!(out, "  {:>3}. {:<24} {}", entry.step + 1, undo.verb(), safe(&undo.target()))?,
            None => writeln!(out, "  {:>3}. nothing to undo ({})", entry.step + 1, entry.action.verb())?,
        }
    }
    if let Some(doubt) = &state.in_doubt {
        let action = &doubt.action;
        writeln!(
            out,
            "  step {} ({} {}) is in doubt: it is looked up by its ferry:run-id tag first, and undone if it was made",
            doubt.step + 1,
            action.verb(),
            safe(&action.target())
        )?;
    }
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// Who approved, how, and until when.
fn tell_approval(approval: &Approval) {
    tell!("by {} ({})", safe(&approval.operator), approval.via);
    tell!("usable once, until {} ({} minutes)", approval.expires_at, ferry::approvals::LIFETIME.as_secs() / 60);
}

/// Questions to a person about one approval; giving up (wrong answers, a closed terminal) is
/// audited as a refusal.
struct Asking<'a> {
    approvals: &'a Approvals,
    subject: Subject,
    operator: &'a str,
}

impl Asking<'_> {
    /// Asks `question` on stderr until `check` accepts the line typed, `TRIES` times at most.
    fn ask(&self, question: &str, check: impl Fn(&str) -> Result<String, String>) -> Result<String> {
        let stdin = std::io::stdin();
        for attempt in 1..=TRIES {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "{question}").and_then(|()| err.flush());
            drop(err);
            let mut line = String::new();
            if stdin.lock().read_line(&mut line)? == 0 {
                self.refuse("the terminal closed before the approval was given");
                return Err(eyre!("stdin closed before the approval was given: nothing was approved"));
            }
            match check(line.trim()) {
                Ok(answer) => return Ok(answer),
                Err(why) if attempt < TRIES => note!("{why}; {} tries left", TRIES - attempt),
                Err(why) => note!("{why}"),
            }
        }
        self.refuse(&format!("{TRIES} wrong answers at the terminal"));
        Err(eyre!("{TRIES} wrong answers: nothing was approved"))
    }

    fn refuse(&self, why: &str) {
        if let Err(error) = self.approvals.note_refusal(&self.subject, self.operator, VIA_TERMINAL, why) {
            note!("warning: {}", safe(&error.to_string()));
        }
    }
}

/// The digits typed, when they are at least `MIN_PREFIX` hex digits that start the hash.
fn check_digits(plan: &Plan, typed: &str) -> Result<String, String> {
    let typed = typed.to_ascii_lowercase();
    if typed.len() < MIN_PREFIX || !typed.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("type {MIN_PREFIX} hex digits, as the first line above shows them"));
    }
    if !plan.hash.starts_with(&typed) {
        return Err(format!("{} does not start this plan's hash: read it again from the first line", safe(&typed)));
    }
    Ok(typed)
}

/// The reason typed, when it is a sentence: `MIN_REASON` characters, spaces not counted, as
/// the wizard asks.
fn check_reason(typed: &str) -> Result<String, String> {
    let length = typed.chars().filter(|c| !c.is_whitespace()).count();
    if length < MIN_REASON {
        return Err(format!(
            "too short ({length} of {MIN_REASON}): write why this is acceptable, for whoever reads the audit log"
        ));
    }
    Ok(typed.to_string())
}
