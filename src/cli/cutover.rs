//! `ferry cutover RUN`: the plan that moves an applied migration's traffic to the new
//! service in stages, written to a file to review, approve by hash and apply like any plan.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use color_eyre::eyre::{Result, WrapErr, eyre};
use ferry::apply::replay;
use ferry::cutover::{CutoverOptions, Stages};
use ferry::plan::Plan;
use ferry_engine::gate::{Thresholds, Window};

use super::backend::AwsArgs;
use super::output::{note, stdout};

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct CutoverArgs {
    #[command(subcommand)]
    then: Option<CutoverCommand>,
    /// The applied migration run whose new service takes the traffic (`ferry runs` lists them).
    #[arg(required = true)]
    run_id: Option<String>,
    /// A host name to move (repeat for more); every name found pointing at the old load
    /// balancer when left out.
    #[arg(long = "hostname", value_name = "NAME")]
    hostnames: Vec<String>,
    /// The new service's share of traffic at each stage, in percent, ending at 100.
    #[arg(long, value_name = "PERCENTS", default_value = "10,50,100")]
    stages: String,
    /// How long each stage bakes once resolvers have seen it (`15m`, `1h`, `90s`).
    #[arg(long, value_name = "DURATION", default_value = "15m")]
    bake: String,
    /// A certificate (ACM, this region) for the host names, when the old listener's does not cover them.
    #[arg(long, value_name = "ARN")]
    certificate: Option<String>,
    /// Where to write the plan (`-` for standard output).
    #[arg(long, value_name = "FILE", required = true)]
    out: Option<PathBuf>,
    /// Each stage's health gate reads this many minutes of both load balancers' figures.
    #[arg(long, value_name = "MINUTES", default_value_t = Window::default().minutes)]
    gate_window: u32,
    /// The gate fails when the new load balancer's 5xx rate is over this percentage.
    #[arg(long, value_name = "PERCENT", default_value_t = Thresholds::default().max_5xx_percent)]
    max_5xx_percent: f64,
    /// The gate fails when the new side's p95 target response time is over this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = Thresholds::default().max_p95_seconds)]
    max_p95_seconds: f64,
    /// The gate judges only once the new side has served this many requests in the window.
    #[arg(long, value_name = "N", default_value_t = Thresholds::default().min_requests)]
    min_requests: u64,
}

#[derive(Subcommand)]
enum CutoverCommand {
    /// Write the plan that ends a finished cutover: one plain record for the new service in
    /// place of each weighted pair. Refused until every stage has moved and baked.
    Finalize {
        /// The cutover run (`ferry runs` lists it).
        run_id: String,
        /// Where to write the plan (`-` for standard output).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// `ferry cutover RUN` or `ferry cutover finalize RUN`.
pub async fn run(aws: &AwsArgs, args: CutoverArgs) -> Result<()> {
    match args.then {
        Some(CutoverCommand::Finalize { run_id, out }) => finalize(aws, &run_id, &out).await,
        None => cutover(aws, args).await,
    }
}

/// Reads the cutover run from its journal and writes the finalize plan.
async fn finalize(aws: &AwsArgs, run_id: &str, out: &Path) -> Result<()> {
    let (_backend, log) = super::runs::open_run(run_id, Default::default(), aws).await?;
    let run = replay(&log.records());
    let plan = ferry::cutover::plan_finalize(&run)?;
    write(&plan, out, "finalize plan")
}

/// Reads the run, discovers its instance again (where the traffic is now), reads how the new
/// service is reached, and writes the plan.
async fn cutover(aws: &AwsArgs, args: CutoverArgs) -> Result<()> {
    let (Some(run_id), Some(out)) = (args.run_id.as_deref(), args.out.as_deref()) else {
        return Err(eyre!("give the run: ferry cutover RUN --out PLAN"));
    };
    let stages = Stages::parse(&args.stages).wrap_err("--stages")?;
    let bake = humantime::parse_duration(&args.bake).map_err(|e| eyre!("--bake {:?}: {e}", args.bake))?;
    let (backend, log) = super::runs::open_run(run_id, Default::default(), aws).await?;
    let run = replay(&log.records());
    drop(log);
    let cloud = backend.read();
    super::runs::same_account(&backend, &run.plan).await?;
    let thresholds = Thresholds {
        max_5xx_percent: args.max_5xx_percent,
        max_p95_seconds: args.max_p95_seconds,
        min_requests: args.min_requests,
        ..Thresholds::default()
    };
    let window = Window::minutes(args.gate_window);
    window.validate().and_then(|()| thresholds.validate()).map_err(|problem| eyre!("the health gate: {problem}"))?;
    let options = CutoverOptions {
        hostnames: args.hostnames,
        stages,
        bake_secs: bake.as_secs(),
        certificate_arn: args.certificate,
        window,
        thresholds,
    };
    let plan = ferry::cutover::plan_cutover_now(cloud.as_ref(), &run, &options).await?;
    write(&plan, out, "cutover plan")
}

/// The plan to a file, or to standard output for `-`, saying where it went.
fn write(plan: &Plan, out: &Path, what: &str) -> Result<()> {
    let text = plan.to_json() + "\n";
    if out == Path::new("-") {
        let mut stdout = stdout();
        stdout.write_all(text.as_bytes())?;
        stdout.flush()?;
        return Ok(());
    }
    std::fs::write(out, text).wrap_err_with(|| format!("cannot write the plan to {}", out.display()))?;
    note!("{what} {} ({} steps) written to {}", plan.short_hash(), plan.steps.len(), out.display());
    note!("review it with `ferry show {}`, then apply it with `ferry apply`", out.display());
    Ok(())
}
