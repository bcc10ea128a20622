//! clap commands and their dispatch.

mod approve;
mod audit;
mod backend;
mod cutover;
mod decommission;
mod demo;
mod headless;
mod mcp;
pub mod output;
mod progress;
mod runs;
mod verify;
mod wizard;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use color_eyre::eyre::{Result, WrapErr};

use backend::{AwsArgs, Backend};
use demo::DemoArgs;
use ferry::analyze::AppFiles;
use ferry::cloud::sandbox::{FailAt, SandboxOptions};
use ferry::model::GivenValue;
use wizard::UiArgs;

#[derive(Parser)]
#[command(name = "ferry", version, about = "Move an application from an EC2 instance onto Amazon ECS Express Mode")]
#[command(after_help = "Without a command, ferry opens the wizard on the account from the AWS credential chain.\n\
Try `ferry demo` for the bundled sandbox account: no AWS access needed.")]
struct Cli {
    #[command(flatten)]
    aws: AwsArgs,
    #[command(flatten)]
    anchor: audit::AnchorArgs,
    /// The wizard's application source folder: its facts win over what user data suggests
    /// (choose or change it on the Container step with o).
    #[arg(long, value_name = "DIR")]
    app: Option<PathBuf>,
    #[command(flatten)]
    ui: UiArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Open the wizard on a bundled sandbox account: no AWS access needed.
    Demo(DemoArgs),
    /// Discover what an instance depends on, with evidence for each edge.
    Discover(DiscoverArgs),
    /// Write the migration plan for an instance to a file, to review and apply later.
    Plan(PlanArgs),
    /// Print a plan file readably: its hash, account, steps with their undo, its checks, and
    /// its cost a month today and after.
    Show {
        /// The plan file `ferry plan --out` wrote.
        plan: PathBuf,
        /// Print the plan as JSON, with its cost (computed now, not part of the plan or its hash).
        #[arg(long)]
        json: bool,
        #[arg(long, value_name = "FILE", help = PRICES_HELP)]
        prices: Option<PathBuf>,
    },
    /// Apply a plan file after review: refused unless --approve matches its hash and the
    /// account still looks as the plan assumed.
    Apply(ApplyArgs),
    /// Continue an interrupted, failed or stopped run from where it stands.
    Resume(ResumeArgs),
    /// Undo everything a run made, last first (also after a crash).
    Rollback(RollbackArgs),
    /// Approve a stored plan by its hash (or a run's rollback) as a person at a terminal: the
    /// approval an assistant's change through `ferry mcp` waits for, single use, 30 minutes.
    Approve(approve::ApproveArgs),
    /// Every run in the state folder: what it did, what it left, what to do next.
    Runs {
        /// Print the runs as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Probe a run's old entry and new Express endpoint side by side, read the service's
    /// state, and say whether traffic may move (exits non-zero when not).
    Verify(verify::VerifyArgs),
    /// Write the plan that moves an applied run's traffic to the new service in health-gated,
    /// reversible stages; review, approve and apply it like any plan.
    Cutover(cutover::CutoverArgs),
    /// List the old stack once its cutover is finalized: each item's monthly cost and the
    /// command that removes it; confirm what you removed with --done. ferry deletes nothing.
    Decommission(decommission::DecommissionArgs),
    /// Every action of the wizard with its keys (the settings file's `[keys]` rebinds them).
    Keys,
    /// Write the Dockerfile, .dockerignore, service.json and IAM documents for an instance.
    Generate(GenerateArgs),
    /// What the application is: runtime, package manager, build, start, port, environment,
    /// readiness findings, each with its source.
    Analyze(AnalyzeArgs),
    /// Browse the account read-only: instances, load balancers, roles, databases...
    Inventory(InventoryArgs),
    /// The audit log of every change ferry made or tried.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Serve ferry's tools to an AI assistant over the Model Context Protocol (stdio, or
    /// --listen on loopback): every change is a plan a person approves, every call audited.
    Mcp(mcp::McpArgs),
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the log's hash chain and every run journal's checkpoints against it; name the
    /// record that was changed, removed or reordered, and the run whose records are missing.
    Verify {
        /// The log to check (default: audit.jsonl in the state folder, which FERRY_STATE_DIR
        /// moves); the journals checked are those in the `runs` folder beside it.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Compare every record with the copy in this CloudWatch Logs group (default: the
        /// --audit-cloudwatch-group or config file's group), on the account the AWS options reach.
        #[arg(long, value_name = "GROUP", num_args = 0..=1, default_missing_value = "")]
        against_cloudwatch: Option<String>,
    },
}

/// A sandbox's simulated pace and faults, for rehearsing failures headless.
#[derive(Args, Clone)]
struct SandboxFaults {
    /// Make this step fail (sandbox only): a step number or action type, optionally
    /// `:before` (default), `:after` (the change is made, then the call errors) or
    /// `:timeout` (the change is made and the call never answers).
    #[arg(long, value_name = "STEP[:KIND]")]
    fail_at: Option<FailAt>,
    #[arg(long, value_name = "MS", value_parser = latency_ms(), help = latency_help(" (sandbox only; default 0)"))]
    latency_ms: Option<u64>,
}

impl SandboxFaults {
    fn options(&self) -> SandboxOptions {
        SandboxOptions {
            latency: Some(Duration::from_millis(self.latency_ms.unwrap_or(0))),
            deploy_polls: None,
            fail_at: self.fail_at.clone(),
            state_file: None,
        }
    }
}

#[derive(Args)]
struct ApplyArgs {
    /// The plan file `ferry plan --out` wrote.
    plan: PathBuf,
    #[arg(long, value_name = "SHA256_PREFIX", help = approve_help())]
    approve: String,
    /// Accept a denying check with a written reason, which goes to the audit log; repeat
    /// for each deny (`ferry show` lists their ids).
    #[arg(long = "override", value_name = "CHECK_ID=REASON")]
    overrides: Vec<ferry::plan::Override>,
    /// What to do when a step fails.
    #[arg(long, value_enum, default_value = "stop")]
    on_failure: runs::OnFailure,
    /// Apply on a sandbox account (a bundled scenario name or a scenario file) instead of AWS.
    #[arg(long, value_name = "NAME|FILE")]
    sandbox: Option<String>,
    #[command(flatten)]
    faults: SandboxFaults,
}

#[derive(Args)]
struct ResumeArgs {
    /// The run to continue (`ferry runs` lists them).
    run_id: String,
    /// What to do when a step fails.
    #[arg(long, value_enum, default_value = "stop")]
    on_failure: runs::OnFailure,
    #[command(flatten)]
    faults: SandboxFaults,
}

#[derive(Args)]
struct RollbackArgs {
    /// The run to undo (`ferry runs` lists them).
    run_id: String,
    #[command(flatten)]
    faults: SandboxFaults,
}

#[derive(Args)]
struct SourceArgs {
    /// Use a sandbox account (a bundled scenario name or a scenario file) instead of AWS.
    #[arg(long, value_name = "NAME|FILE")]
    sandbox: Option<String>,
    /// The instance to migrate; on a sandbox it defaults to the scenario's application.
    #[arg(long, value_name = "ID")]
    instance: Option<String>,
    /// The application's source folder: its facts win over what user data suggests.
    #[arg(long, value_name = "DIR")]
    app: Option<PathBuf>,
    /// Where a secret the app reads gets its value, when the instance does not set it: an
    /// environment variable or a file of the machine that applies the plan, read straight
    /// into Secrets Manager. Repeat for each secret.
    #[arg(long = "secret", value_name = "NAME=env:VAR|NAME=file:PATH", value_parser = given_secret)]
    secrets: Vec<(String, GivenValue)>,
}

/// `DB_PASSWORD=env:PROD_DB_PASSWORD` → (`DB_PASSWORD`, the environment variable).
fn given_secret(text: &str) -> Result<(String, GivenValue), String> {
    let (name, value) = text.split_once('=').ok_or("write NAME=env:VAR or NAME=file:PATH")?;
    if !ferry::model::is_variable_name(name) {
        return Err(format!("`{name}` is not an environment variable name"));
    }
    Ok((name.to_string(), GivenValue::parse(value)?))
}

#[derive(Args)]
struct DiscoverArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Print the migration graph as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct PlanArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Where to write the plan (JSON); `-` for standard output.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Run this image as it is instead of building one from the source folder: the plan
    /// then creates no repository and builds nothing.
    #[arg(long, value_name = "URI")]
    image: Option<String>,
    #[arg(long, value_name = "FILE", help = PRICES_HELP)]
    prices: Option<PathBuf>,
}

/// `--prices`' help, naming the variable the wizard reads instead.
const PRICES_HELP: &str = "A price book (JSON, as assets/prices/aws-prices.json) to price the cost estimate with, \
instead of the bundled prices (or the file FERRY_PRICES names)";

#[derive(Args)]
struct GenerateArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// The folder to write into (created if missing; files in it are replaced).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(Args)]
struct AnalyzeArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Print the profile as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct InventoryArgs {
    /// Browse a sandbox account (a bundled scenario name or a scenario file) instead of AWS.
    #[arg(long, value_name = "NAME|FILE")]
    sandbox: Option<String>,
    /// Print the whole inventory as JSON instead of opening the browser.
    #[arg(long)]
    json: bool,
}

/// `--approve`'s help, stating the prefix length `Plan::approve` enforces.
fn approve_help() -> String {
    format!("The first digits ({} or more) of the plan's hash, as `ferry show` prints it", ferry::plan::MIN_PREFIX)
}

/// `--latency-ms`'s help, stating its bound.
fn latency_help(which: &str) -> String {
    format!(
        "Simulated latency of each call in milliseconds, at most {}{which}",
        ferry::cloud::sandbox::scenario::SandboxSection::MAX_LATENCY_MS
    )
}

/// `--latency-ms`, bounded as a scenario's `latency_ms` is.
fn latency_ms() -> clap::builder::RangedU64ValueParser<u64> {
    clap::builder::RangedU64ValueParser::new()
        .range(0..=ferry::cloud::sandbox::scenario::SandboxSection::MAX_LATENCY_MS)
}

pub fn run() -> Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new().wrap_err("cannot start the async runtime")?;
    runtime.block_on(dispatch(cli))
}

async fn dispatch(cli: Cli) -> Result<()> {
    if cli.app.is_some() && cli.command.is_some() {
        return Err(color_eyre::eyre::eyre!(
            "--app before a command is the wizard's: put it after the command (ferry demo --app DIR)"
        ));
    }
    if (cli.ui.mouse || cli.ui.theme.is_some()) && cli.command.is_some() {
        return Err(color_eyre::eyre::eyre!(
            "--mouse and --theme before a command are the wizard's: put them after it (ferry demo --mouse)"
        ));
    }
    match cli.command {
        None => wizard::open(&cli.aws, &cli.anchor, cli.app.as_deref(), cli.ui.flags()).await,
        Some(Command::Demo(args)) => demo::open(&cli.anchor, args).await,
        Some(Command::Discover(args)) => {
            let (backend, instance, source) = open(&cli.aws, args.source).await?;
            headless::discover(backend.read().as_ref(), &instance, &source, args.json).await
        }
        Some(Command::Plan(args)) => write_plan(&cli.aws, args).await,
        Some(Command::Apply(args)) => apply_plan(&cli.aws, &cli.anchor, args).await,
        Some(Command::Resume(args)) => {
            let (backend, run) = runs::open_run(&args.run_id, args.faults.options(), &cli.aws).await?;
            let anchor = cli.anchor.prepare(&backend).await?;
            runs::resume(&backend, anchor, run, args.on_failure).await
        }
        Some(Command::Rollback(args)) => {
            let (backend, run) = runs::open_run(&args.run_id, args.faults.options(), &cli.aws).await?;
            let anchor = cli.anchor.prepare(&backend).await?;
            runs::rollback(&backend, anchor, run).await
        }
        Some(Command::Approve(args)) => approve::run(&cli.aws, args).await,
        Some(Command::Runs { json }) => runs::list(json),
        Some(Command::Verify(args)) => verify::run(&cli.aws, args).await,
        Some(Command::Cutover(args)) => cutover::run(&cli.aws, args).await,
        Some(Command::Decommission(args)) => decommission::run(&cli.aws, args).await,
        Some(Command::Keys) => wizard::print_keys(),
        Some(Command::Analyze(args)) => analyze_app(&cli.aws, args).await,
        Some(Command::Generate(args)) => {
            let (backend, instance, source) = open(&cli.aws, args.source).await?;
            headless::generate(backend.read().as_ref(), &instance, &source, &args.out).await
        }
        Some(Command::Show { plan, json, prices }) => headless::show(&plan, json, prices.as_deref()),
        Some(Command::Audit(AuditCommand::Verify { file, against_cloudwatch })) => {
            audit::verify(file, against_cloudwatch, &cli.anchor, &cli.aws).await
        }
        Some(Command::Inventory(args)) => browse_inventory(&cli.aws, args).await,
        Some(Command::Mcp(args)) => mcp::serve(&cli.aws, &cli.anchor, args).await,
    }
}

/// `ferry plan`: the plan for an instance, written to `--out`.
async fn write_plan(aws: &AwsArgs, args: PlanArgs) -> Result<()> {
    // A bad prices file is said before the account is read.
    let prices = ferry_engine::cost::PriceBook::load(args.prices.as_deref())?;
    let (backend, instance, source) = open(aws, args.source).await?;
    let writer = backend.write().ok();
    let target = headless::PlanTarget { image: args.image.as_deref(), out: &args.out, prices: &prices };
    headless::plan(backend.read().as_ref(), writer.as_deref(), &instance, &source, target).await
}

/// `ferry apply`: a reviewed plan file, on AWS or a sandbox.
async fn apply_plan(aws: &AwsArgs, anchor_args: &audit::AnchorArgs, args: ApplyArgs) -> Result<()> {
    // The file first: a bad one is reported without reaching for an account.
    let plan = headless::read_plan(&args.plan)?;
    let backend = match &args.sandbox {
        Some(name) => Backend::sandbox(name, args.faults.options())?,
        None => Backend::aws(aws).await?,
    };
    let anchor = anchor_args.prepare(&backend).await?;
    runs::apply(&backend, anchor, plan, &args.approve, args.overrides, args.on_failure).await
}

/// `ferry analyze`: a source folder alone, or an instance (with its folder when given).
async fn analyze_app(aws: &AwsArgs, args: AnalyzeArgs) -> Result<()> {
    let folder_only = args.source.sandbox.is_none() && args.source.instance.is_none();
    if folder_only {
        let dir = args.source.app.ok_or_else(|| color_eyre::eyre::eyre!("give --app DIR, an --instance, or both"))?;
        return headless::analyze_folder(&read_app(&dir)?, &args.source.secrets.into_iter().collect(), args.json);
    }
    let (backend, instance, source) = open(aws, args.source).await?;
    headless::analyze(backend.read().as_ref(), &instance, &source, args.json).await
}

/// `ferry inventory`: the browser, or the whole inventory as JSON.
async fn browse_inventory(aws: &AwsArgs, args: InventoryArgs) -> Result<()> {
    let backend = Backend::open(aws, args.sandbox.as_deref()).await?;
    if args.json {
        return headless::inventory(backend.read().as_ref()).await;
    }
    let label = backend.label().await;
    // Said once the terminal is back: what the browser could not read, or that it
    // read nothing.
    match ferry::tui::run_inventory(backend.read(), &label).await? {
        Some(inventory) => headless::judge_inventory(&inventory),
        None => Ok(()),
    }
}

/// The account, the instance and what the operator said of the application: its source
/// folder and where secret values are.
async fn open(aws: &AwsArgs, source: SourceArgs) -> Result<(Backend, String, headless::AppSource)> {
    let backend = Backend::open(aws, source.sandbox.as_deref()).await?;
    let instance = backend.instance(source.instance)?;
    let app = source.app.as_deref().map(read_app).transpose()?;
    Ok((backend, instance, headless::AppSource { app, given: source.secrets.into_iter().collect() }))
}

fn read_app(dir: &std::path::Path) -> Result<AppFiles> {
    AppFiles::read(dir).wrap_err_with(|| format!("cannot read the application folder {}", dir.display()))
}
