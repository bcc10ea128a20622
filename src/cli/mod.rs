//! clap commands and their dispatch.

mod headless;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use color_eyre::eyre::{Result, WrapErr};

use ferry::cloud::sandbox::{FailAt, Sandbox, SandboxOptions};

#[derive(Parser)]
#[command(name = "ferry", version, about = "Move an application from an EC2 instance onto Amazon ECS Express Mode")]
#[command(arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Open the wizard on a bundled sandbox account: no AWS access needed.
    Demo(DemoArgs),
    /// Discover what an instance depends on, with evidence for each edge.
    Discover(DiscoverArgs),
    /// Write the migration plan for an instance to a file, to review and apply later.
    Plan(PlanArgs),
}

#[derive(Args)]
struct DemoArgs {
    /// A bundled scenario name or a scenario file (TOML).
    #[arg(long, default_value = "node-shop", value_name = "NAME|FILE")]
    scenario: String,
    /// Make this step of the apply fail: a step number (1 = first) or an action type
    /// such as `create-express-service`.
    #[arg(long, value_name = "STEP")]
    fail_at: Option<FailAt>,
    /// Simulated latency of each call, overriding the scenario's.
    #[arg(long, value_name = "MS")]
    latency_ms: Option<u64>,
}

#[derive(Args)]
struct SourceArgs {
    /// Use a sandbox account: a bundled scenario name or a scenario file.
    #[arg(long, value_name = "NAME|FILE", required = true)]
    sandbox: String,
    /// The instance to migrate; defaults to the scenario's application instance.
    #[arg(long, value_name = "ID")]
    instance: Option<String>,
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
}

pub fn run() -> Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new().wrap_err("cannot start the async runtime")?;
    match cli.command {
        Command::Demo(args) => {
            let options = SandboxOptions { latency: args.latency_ms.map(Duration::from_millis), fail_at: args.fail_at };
            let sandbox = Arc::new(Sandbox::load(&args.scenario, options)?);
            runtime.block_on(ferry::tui::run_wizard(sandbox.clone(), sandbox.app_instance().to_string()))
        }
        Command::Discover(args) => {
            let (sandbox, instance) = open_sandbox(&args.source)?;
            runtime.block_on(headless::discover(sandbox.as_ref(), &instance, args.json))
        }
        Command::Plan(args) => {
            let (sandbox, instance) = open_sandbox(&args.source)?;
            runtime.block_on(headless::plan(sandbox.as_ref(), &instance, &args.out))
        }
    }
}

/// Headless commands run without simulated latency: nobody is watching them.
fn open_sandbox(source: &SourceArgs) -> Result<(Arc<Sandbox>, String)> {
    let sandbox = Sandbox::load(&source.sandbox, SandboxOptions::instant())?;
    let instance = source.instance.clone().unwrap_or_else(|| sandbox.app_instance().to_string());
    Ok((Arc::new(sandbox), instance))
}
