//! Every tool as `tools/list` shows it: a description written for a model (what it does, when
//! to call it, what comes next), the input and output schemas derived from `schemas`, and
//! annotations that say truthfully what it touches. `openWorldHint` is false on a sandbox,
//! whose account is a file in the state folder.

use std::sync::Arc;

use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use schemars::JsonSchema;

use crate::mcp::schemas::*;

/// The names of the read tools, in the order they are listed.
pub const READ_TOOLS: [&str; 14] = [
    "list_instances",
    "discover_instance",
    "analyze_app",
    "generate_artifacts",
    "create_plan",
    "show_plan",
    "diff_plan",
    "list_runs",
    "run_status",
    "verify",
    "create_cutover_plan",
    "decommission_checklist",
    "inventory",
    "audit_log",
];

/// How a tool touches its world.
#[derive(Clone, Copy)]
enum Touch {
    /// Reads only.
    Read,
    /// Adds to the account (a run creates what its plan says).
    Add { idempotent: bool },
    /// Removes from the account.
    Remove,
}

fn tool<I: JsonSchema + 'static, O: JsonSchema + 'static>(
    name: &'static str,
    title: &'static str,
    description: &'static str,
    touch: Touch,
    open_world: bool,
) -> Tool {
    let annotations = match touch {
        Touch::Read => ToolAnnotations::with_title(title).read_only(true).destructive(false).idempotent(true),
        Touch::Add { idempotent } => {
            ToolAnnotations::with_title(title).read_only(false).destructive(false).idempotent(idempotent)
        }
        Touch::Remove => ToolAnnotations::with_title(title).read_only(false).destructive(true).idempotent(true),
    };
    Tool::new(name, description, Arc::new(JsonObject::new()))
        .with_input_schema::<I>()
        .with_output_schema::<O>()
        .with_title(title)
        .annotate(annotations.open_world(open_world))
}

/// The read tools; `open_world` is false on a sandbox.
pub fn read_tools(open_world: bool) -> Vec<Tool> {
    [look_tools(open_world), plan_tools(open_world), record_tools(open_world)].concat()
}

/// Tools that look at the account and the application.
fn look_tools(w: bool) -> Vec<Tool> {
    vec![
        tool::<ListInstancesInput, InstancesOutput>(
            "list_instances",
            "List EC2 instances",
            "List the account's EC2 instances with what their user data runs (runtime and start command). \
             Filter by text (id, Name tag, type, state) or by runtime (node, python, go, java). \
             Start here to find the instance to migrate; then call discover_instance.",
            Touch::Read,
            w,
        ),
        tool::<InstanceInput, DiscoverOutput>(
            "discover_instance",
            "Discover an instance's dependencies",
            "Walk from an EC2 instance to what it depends on: load balancers and target groups (port, health \
             check), its IAM role and policies, RDS and ElastiCache data stores, S3 buckets, each with the \
             evidence that links it. `unseen` lists what could not be read and the IAM permission that was \
             missing: the plan will deny on each. Reads only.",
            Touch::Read,
            w,
        ),
        tool::<AnalyzeInput, AnalyzeOutput>(
            "analyze_app",
            "Analyze an application's source",
            "Read an application's source folder (an absolute path on the machine running ferry) and say what it \
             is: runtime and version, package manager, build and start commands, port, health path, the \
             environment variables it reads (secrets named, never their values) and readiness findings \
             (blockers become denies in the plan). Every fact names its file and line. Reads only.",
            Touch::Read,
            w,
        ),
        tool::<InstanceInput, ArtifactsOutput>(
            "generate_artifacts",
            "Generate the Dockerfile and service config",
            "Generate, as text, what the migration would ship: the Dockerfile and .dockerignore, service.json \
             (the CreateExpressGatewayService input) and one IAM document per role. Nothing is written or \
             changed. To change the service config, pass a merge patch to create_plan.",
            Touch::Read,
            w,
        ),
    ]
}

/// Tools that make, show and compare plans.
fn plan_tools(w: bool) -> Vec<Tool> {
    vec![
        tool::<CreatePlanInput, PlanOutput>(
            "create_plan",
            "Create a migration plan",
            "Make the migration plan for an instance: ordered steps, each with its undo, the policy checks \
             (denies block approval until a person overrides each with a written reason), and what the plan \
             assumes about the account. It is saved in ferry's state folder under the returned plan_id; \
             nothing in the account changes. Show the plan (hash, steps, denies) to the person, then call \
             apply_plan with the plan_id: the person approves it, not you.",
            Touch::Read,
            w,
        ),
        tool::<PlanIdInput, PlanOutput>(
            "show_plan",
            "Show a plan",
            "Show a saved plan as a person reviews it: hash, steps with their undo and what each changes, \
             checks and denies (judged from the plan's content, never trusted from the file), assumptions, \
             and anything AWS or Docker would refuse. Reads only.",
            Touch::Read,
            w,
        ),
        tool::<DiffInput, DiffOutput>(
            "diff_plan",
            "Compare two plans",
            "Compare a saved plan with another saved plan, or with a plan made now from the account as it is: \
             steps added, removed or changed, a unified diff of the artifacts, checks that differ, and what \
             the account would hold after applying the plan. Use it before applying an older plan. Reads only.",
            Touch::Read,
            w,
        ),
    ]
}

/// Tools that read runs, the inventory and the audit log.
fn record_tools(w: bool) -> Vec<Tool> {
    vec![
        tool::<NoInput, RunsOutput>(
            "list_runs",
            "List runs",
            "List every run in ferry's state folder, newest first: status (applied, failed, interrupted, \
             rolled back), steps done, and what can be done next (resume, roll-back, wait). Reads only.",
            Touch::Read,
            w,
        ),
        tool::<RunStatusInput, RunStatusOutput>(
            "run_status",
            "Follow a run",
            "Where a run stands: status, steps done, the latest progress lines and what can be done next. \
             With wait_seconds (at most 60) it answers as soon as the run moves, or when the time is up: call \
             it again until `finished` is true. Reads only.",
            Touch::Read,
            w,
        ),
        tool::<super::verify::VerifyInput, super::verify::VerifyOutput>(
            "verify",
            "Verify a run's new service",
            "Probe an applied run's old entry (the app's hostname, or the old load balancer) and its new \
             Express endpoint side by side over HTTP(S), on the health check path and any paths given: status \
             counts, p50/p95 latency, body size and sha256, whether the bodies match; and read the service's \
             status, running and desired tasks and deployment. Answers ready to move traffic, or every reason \
             not (blockers) and what to look at (warnings). Reads only: GET requests and describes.",
            Touch::Read,
            w,
        ),
        tool::<super::traffic::CutoverPlanInput, PlanOutput>(
            "create_cutover_plan",
            "Create a cutover plan",
            "Make the plan that moves an applied migration's traffic to its new service: the app's hostname \
             added to the Express listener rule with its certificate, its Route 53 records replaced by \
             weighted pairs, then each stage (10, 50, 100 % by default) sets the weights, waits one TTL, \
             bakes, and passes a health gate that sends all traffic back at once when the new side fails. \
             With finalize, the plan for an applied cutover that leaves one plain record for the new service. \
             Saved like any plan under the returned plan_id; nothing changes. Show it to the person, then call \
             apply_plan: the person approves it, not you. Call verify first.",
            Touch::Read,
            w,
        ),
        tool::<super::traffic::ChecklistInput, super::traffic::ChecklistOutput>(
            "decommission_checklist",
            "List the old stack for retirement",
            "Once a migration's cutover is finalized, list its old stack (instance, volumes, snapshots, load \
             balancer, target group, security groups, instance profile and role, Elastic IPs, Auto Scaling \
             group, certificate): each item's monthly cost and the exact AWS CLI command that removes it. \
             Refused before the cutover is finalized. ferry deletes nothing: a person runs the commands and \
             confirms each with `ferry decommission RUN --done ITEM`. Reads only.",
            Touch::Read,
            w,
        ),
        tool::<InventoryInput, InventoryOutput>(
            "inventory",
            "Browse the account",
            "List the account's resources of one kind (instances, lb, tg, sg, roles, db, cache, s3) or of \
             every kind, filtered by text, with what could not be read. Reads only: Describe, List and Get \
             calls.",
            Touch::Read,
            w,
        ),
        tool::<AuditInput, AuditOutput>(
            "audit_log",
            "Read the audit log",
            "The latest records of ferry's hash-chained audit log (every change, approval, refusal and tool \
             call, secrets masked) and whether the chain and the run journals verify. Reads only.",
            Touch::Read,
            w,
        ),
    ]
}

/// The change tools; `open_world` is false on a sandbox.
pub fn change_tools(open_world: bool) -> Vec<Tool> {
    let w = open_world;
    vec![
        tool::<ApplyInput, StartedOutput>(
            "apply_plan",
            "Apply an approved plan",
            "Apply a saved plan to the account. A person must approve its exact hash first: when your client \
             supports elicitation they are asked here (they type the hash's first 12 digits and a reason for \
             each deny); otherwise the call answers that approval is pending and names the command the \
             operator runs in a terminal (`ferry approve PLAN_ID`), and you call again afterwards. No argument \
             approves. Returns the run id at once; the run goes on in the server (progress notifications when \
             you send a progress token). Follow it with run_status.",
            Touch::Add { idempotent: false },
            w,
        ),
        tool::<RunIdInput, StartedOutput>(
            "resume_run",
            "Continue a stopped run",
            "Continue a failed, stopped or interrupted run from the first step not done (steps done are not \
             repeated; a step in doubt is looked up first). Needs a person's approval of the run's plan, as \
             apply_plan does. Returns at once; follow it with run_status.",
            Touch::Add { idempotent: false },
            w,
        ),
        tool::<RunIdInput, StartedOutput>(
            "rollback_run",
            "Roll a run back",
            "Undo everything a run made, last first, leaving the account as it was before (what Express Mode \
             sets up once per account stays). Destructive: it deletes the service, roles, secrets, rules and \
             repository the run created, never anything it did not. Needs a person's approval (elicitation, \
             or `ferry approve --rollback RUN_ID` in a terminal). Returns at once; follow it with run_status.",
            Touch::Remove,
            w,
        ),
    ]
}
