//! What each tool takes and returns. The input and output schemas in `tools/list` are derived
//! from these types, and every result is one of them serialized: what a client validates is
//! what the server writes. Engine data (the graph, a plan's actions, inventory items) is
//! passed through as the JSON the CLI prints with `--json`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `list_instances`'s arguments.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListInstancesInput {
    /// Keep instances whose id, Name tag, type or state contains this text (case-insensitive).
    #[serde(default)]
    pub filter: Option<String>,
    /// Keep instances whose user data runs this runtime: `node`, `python`, `go` or `java`.
    #[serde(default)]
    pub runtime: Option<String>,
}

/// One EC2 instance, as the wizard's Source step lists it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct InstanceRow {
    /// The instance id, what the other tools take as `instance_id`.
    pub id: String,
    /// The Name tag, or the id.
    pub name: String,
    /// The instance type, e.g. `t3.small`.
    pub instance_type: String,
    /// `running`, `stopped`...
    pub state: String,
    /// What its user data runs (`node 20 · node server.js`), or null when ferry sees no runtime.
    pub runs: Option<String>,
}

/// `list_instances`'s result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct InstancesOutput {
    /// The instances that match, in the order the account lists them.
    pub instances: Vec<InstanceRow>,
}

/// Arguments naming one instance and, optionally, the application's source folder.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstanceInput {
    /// The instance to migrate (`list_instances` gives ids). On a sandbox it defaults to the
    /// scenario's application instance; on a live account it is required.
    #[serde(default)]
    pub instance_id: Option<String>,
    /// An absolute path to the application's source folder on the machine running ferry:
    /// its facts (runtime, start command, port, variables) win over what user data suggests.
    #[serde(default)]
    pub app_dir: Option<String>,
    /// Where each secret the app reads gets its value at apply time, when the instance does
    /// not set it: `{"DB_PASSWORD": "env:PROD_DB_PASSWORD"}` or `"file:/run/secrets/db"`.
    /// Never the value itself.
    #[serde(default)]
    pub secrets: BTreeMap<String, String>,
}

/// `discover_instance`'s result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DiscoverOutput {
    /// The instance id discovered.
    pub instance_id: String,
    /// The account and region it is in.
    pub account: Value,
    /// The migration graph: load balancers and target groups, role and policies, data stores,
    /// each with the evidence that links it to the instance (as `ferry discover --json`).
    pub graph: Value,
    /// What could not be seen and which permission was missing: the plan denies on these.
    pub unseen: Vec<Value>,
}

/// `analyze_app`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeInput {
    /// An absolute path to the application's source folder on the machine running ferry.
    pub app_dir: String,
    /// Where secret values come from, as `create_plan` takes them.
    #[serde(default)]
    pub secrets: BTreeMap<String, String>,
}

/// `analyze_app`'s result: `ferry analyze --json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AnalyzeOutput {
    /// The application profile (schema 1): runtime, package manager, build and start commands,
    /// port, health path, variables, readiness findings, each with its source file and line.
    pub profile: Value,
}

/// One generated file.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ArtifactText {
    /// The path `ferry generate` would write it to: `Dockerfile`, `service.json`, `iam/ROLE.json`.
    pub path: String,
    /// The file's whole text.
    pub contents: String,
}

/// `generate_artifacts`'s result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ArtifactsOutput {
    /// The Dockerfile, .dockerignore, service.json and one IAM document per role.
    pub files: Vec<ArtifactText>,
}

/// `create_plan`'s arguments.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlanInput {
    /// The instance to migrate; defaults as in `discover_instance`.
    #[serde(default)]
    pub instance_id: Option<String>,
    /// The application's source folder (absolute path), the image's build context.
    #[serde(default)]
    pub app_dir: Option<String>,
    /// Run this image as it is (`123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.4`) instead
    /// of building one: the plan then creates no repository and builds nothing.
    #[serde(default)]
    pub image: Option<String>,
    /// Edits to the generated service config (the CreateExpressGatewayService input, as
    /// `generate_artifacts` shows service.json), as a JSON merge patch (RFC 7396):
    /// `{"cpu": "1024", "scalingTarget": {"minTaskCount": 2}}`. null removes a key.
    #[serde(default)]
    pub service_config_patch: Option<Value>,
    /// Where secret values come from, as `{"NAME": "env:VAR"}` or `{"NAME": "file:PATH"}`.
    #[serde(default)]
    pub secrets: BTreeMap<String, String>,
}

/// `show_plan`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanIdInput {
    /// The plan id `create_plan` returned (the first 12 hex digits of its hash).
    pub plan_id: String,
}

/// `diff_plan`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffInput {
    /// The plan to compare (from `create_plan`).
    pub plan_id: String,
    /// Another plan to compare it with. Without it, the plan is compared with one made now
    /// from the account as it is (same instance, no source folder): what changed since.
    #[serde(default)]
    pub against_plan_id: Option<String>,
}

/// One step of a plan, with what undoes it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StepView {
    /// 1-based position in the plan.
    pub number: usize,
    /// The step's id in the plan.
    pub id: String,
    /// What it does, e.g. `create role`.
    pub verb: String,
    /// What it acts on, e.g. the role's name.
    pub target: String,
    /// What rollback does to undo it.
    pub undo: String,
    /// What it changes, a line each: trust, policies, rules, image, variables, sizes.
    pub details: Vec<String>,
}

/// One policy check of a plan, judged from its content.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CheckView {
    /// The check's id; a deny's id is what the person overrides with a reason.
    pub id: String,
    /// `pass`, `warning` or `deny`.
    pub level: String,
    /// What was found.
    pub message: String,
}

/// A plan as a person reviews it before approving its hash.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PlanOutput {
    /// The plan's id in the state folder: the first 12 hex digits of its hash.
    pub plan_id: String,
    /// The plan's full sha256, over its canonical JSON.
    pub hash: String,
    /// The Express service it creates.
    pub service_name: String,
    /// The instance it moves.
    pub source_instance_id: String,
    /// The account and region it is for.
    pub account_id: String,
    /// The region it is for.
    pub region: String,
    /// Every step in order, each undone by rollback, last first.
    pub steps: Vec<StepView>,
    /// Every check; denies block approval until a person overrides each with a reason.
    pub checks: Vec<CheckView>,
    /// The ids of the denies.
    pub denies: Vec<String>,
    /// What the plan assumes about the account: apply refuses, changing nothing, if any moved.
    pub assumptions: Vec<String>,
    /// Why AWS or Docker would refuse it; a plan with any cannot be approved.
    pub invalid: Vec<String>,
    /// What to do next.
    pub next: String,
}

/// `diff_plan`'s result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DiffOutput {
    /// The plan compared.
    pub plan_id: String,
    /// What it was compared with: another plan's id, or `the account now`.
    pub against: String,
    /// Whether the two plans are the same content (same hash).
    pub same: bool,
    /// Steps only the first plan has, as `verb target`.
    pub steps_only_in_plan: Vec<String>,
    /// Steps only the other has.
    pub steps_only_in_other: Vec<String>,
    /// Steps both have by id whose action differs.
    pub steps_changed: Vec<String>,
    /// A unified diff of the artifacts the plans carry (Dockerfile, service config, roles,
    /// rules), the other plan as `---` and this plan as `+++`.
    pub artifacts_diff: String,
    /// Checks whose level differs or that only one plan has, as `id: level → level`.
    pub checks_changed: Vec<String>,
    /// What the account would hold after applying this plan, a resource a line.
    pub account_after: Vec<String>,
}

/// Arguments with no fields.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoInput {}

/// One run, as `ferry runs` lists it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RunRow {
    /// The run's id.
    pub run_id: String,
    /// When it started (RFC 3339).
    pub started: String,
    /// Who started it.
    pub operator: String,
    /// The service it creates.
    pub service: String,
    /// The hash of the plan it carries out.
    pub plan_hash: String,
    /// Where it stands, e.g. `applied`, `failed at step 3`.
    pub status: String,
    /// Steps done.
    pub steps_done: usize,
    /// Steps in its plan.
    pub steps: usize,
    /// What can be done next: `resume`, `roll-back`, `wait`...
    pub next: Vec<String>,
}

/// `list_runs`'s result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RunsOutput {
    /// Every run in the state folder, newest first.
    pub runs: Vec<RunRow>,
    /// Journals that could not be read (one may hold resources).
    pub unreadable: Vec<String>,
}

/// `run_status`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunStatusInput {
    /// The run id `apply_plan`, `resume_run` or `list_runs` gave.
    pub run_id: String,
    /// Wait up to this many seconds (at most 60) for the run to move before answering; 0 or
    /// absent answers at once.
    #[serde(default)]
    #[schemars(range(min = 0, max = 60))]
    pub wait_seconds: Option<u64>,
}

/// Where a run stands.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RunStatusOutput {
    /// The run's id.
    pub run_id: String,
    /// `APPLYING`, `APPLIED`, `FAILED`, `ROLLING-BACK`, `ROLLED-BACK`... in capitals.
    pub status: String,
    /// The status in words, e.g. `failed at step 3`.
    pub label: String,
    /// Whether nothing is working on the run now (it will not move by itself).
    pub finished: bool,
    /// Steps done.
    pub steps_done: usize,
    /// Steps in the plan.
    pub steps: usize,
    /// The latest progress lines, oldest first (at most 50).
    pub progress: Vec<String>,
    /// What can be done next: `resume`, `roll-back`, `wait`.
    pub next: Vec<String>,
}

/// `inventory`'s arguments.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InventoryInput {
    /// The kind to list: `instances`, `lb`, `tg`, `sg`, `roles`, `db`, `cache`, `s3` (a prefix
    /// is enough). Absent lists every kind.
    #[serde(default)]
    pub kind: Option<String>,
    /// Keep items whose JSON contains this text (case-insensitive).
    #[serde(default)]
    pub filter: Option<String>,
}

/// `inventory`'s result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct InventoryOutput {
    /// Items by kind (`instances`, `load_balancers`, ...), each as the account describes it.
    pub kinds: BTreeMap<String, Vec<Value>>,
    /// What could not be read, and the permission that was missing.
    pub unseen: Vec<Value>,
}

/// `audit_log`'s arguments.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditInput {
    /// How many of the latest records to return (default 20, at most 200).
    #[serde(default)]
    #[schemars(range(min = 1, max = 200))]
    pub last: Option<usize>,
}

/// `audit_log`'s result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AuditOutput {
    /// The latest records, oldest first, secrets masked.
    pub records: Vec<Value>,
    /// Records in the log.
    pub total: u64,
    /// Whether the hash chain and every run journal's checkpoints hold.
    pub verified: bool,
    /// What `ferry audit verify` would report, a problem a line; empty when verified.
    pub problems: Vec<String>,
}

/// `apply_plan`'s arguments. Nothing here approves: a person does, outside the model.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyInput {
    /// The plan id `create_plan` returned.
    pub plan_id: String,
}

/// `resume_run`'s and `rollback_run`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunIdInput {
    /// The run id (`list_runs` lists them).
    pub run_id: String,
}

/// What a change tool started.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StartedOutput {
    /// The run carrying out the change: follow it with `run_status`.
    pub run_id: String,
    /// `APPLYING` or `ROLLING-BACK`.
    pub status: String,
    /// Who approved it and how.
    pub approved_by: String,
    /// What to do next.
    pub next: String,
}
