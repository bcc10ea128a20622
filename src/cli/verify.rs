//! `ferry verify RUN`: probes the old entry and the new Express endpoint side by side, reads
//! the service's state, and says whether traffic may move. Exits non-zero when not ready.

use std::io::Write;
use std::time::Duration;

use clap::Args;
use color_eyre::eyre::{Result, eyre};

use ferry::cloud::ServiceState;
use ferry::text::escape_controls as safe;
use ferry_engine::verify::{
    DEFAULT_REQUESTS, MAX_REQUESTS, PathReport, ProbeOptions, SideStats, VerifyReport, check_path, find_run, verify_run,
};

use super::backend::{AwsArgs, Backend};
use super::output::stdout;

/// The widths of the side-by-side table: label, then old and new, 80 columns in all.
const LABEL: usize = 16;
const CELL: usize = 32;
/// Where reasons wrap.
const WIDTH: usize = 80;

#[derive(Args)]
pub struct VerifyArgs {
    /// The applied run whose service to verify (`ferry runs` lists them).
    run_id: String,
    /// A path to probe besides the health check path, e.g. /api/products; repeat for more.
    #[arg(long = "path", value_name = "PATH", value_parser = path)]
    paths: Vec<String>,
    /// Requests per side and path.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_REQUESTS, value_parser = requests())]
    requests: u32,
    /// Probe the old load balancer as NAME (the name the app expects): requests for NAME go to
    /// the load balancer's addresses and TLS checks NAME. By default the Route 53 hostname when
    /// there is one, else the load balancer's own DNS name.
    #[arg(long, value_name = "NAME")]
    host: Option<String>,
    /// Seconds a connection may take to open.
    #[arg(long, value_name = "SECONDS", default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=60))]
    connect_timeout: u64,
    /// Seconds one request may take, body included.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    timeout: u64,
    /// Print the report as JSON (still exits non-zero when not ready).
    #[arg(long)]
    json: bool,
}

fn path(text: &str) -> Result<String, String> {
    check_path(text).map(|()| text.to_string())
}

fn requests() -> clap::builder::RangedU64ValueParser<u32> {
    clap::builder::RangedU64ValueParser::new().range(1..=u64::from(MAX_REQUESTS))
}

/// `ferry verify RUN`: on the account the run was applied to.
pub async fn run(aws: &AwsArgs, args: VerifyArgs) -> Result<()> {
    let dir =
        ferry::state_dir::runs_dir().ok_or_else(|| eyre!("no state folder on this system: set FERRY_STATE_DIR"))?;
    let run = find_run(&dir, &args.run_id)?;
    let backend = Backend::for_target(&run.target, ferry::cloud::sandbox::SandboxOptions::instant(), aws).await?;
    super::runs::same_account(&backend, &run.plan).await?;
    let options = ProbeOptions {
        requests: args.requests,
        paths: args.paths,
        connect_timeout: Duration::from_secs(args.connect_timeout),
        request_timeout: Duration::from_secs(args.timeout),
        old_host: args.host,
    };
    let report = verify_run(backend.read().as_ref(), &run, &options).await?;
    let mut out = stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", text(&report))?;
    }
    out.flush()?;
    if report.verdict.ready { Ok(()) } else { Err(eyre!("run {}: {}", report.run_id, report.verdict.headline())) }
}

/// The report in 80 columns: the two entries, a table per path, the service, the verdict.
pub fn text(report: &VerifyReport) -> String {
    let mut lines = vec![format!("run {} · service {}", report.run_id, safe(&report.service_name))];
    match &report.old {
        Some(old) => {
            lines.push(format!("old  {}\n     {} (Host: {})", safe(&old.label), safe(&old.base_url), safe(&old.host)))
        }
        None => lines.push("old  none: no load balancer sent the instance traffic".into()),
    }
    lines.push(format!("new  {}", safe(&report.new.base_url)));
    lines.push(format!("{} requests per side and path", report.requests));
    for path in &report.paths {
        lines.push(String::new());
        lines.extend(table(path));
    }
    lines.push(String::new());
    lines.push(service_line(report.service.as_ref(), report.service_error.as_deref()));
    for host in &report.traffic {
        lines.push(format!("traffic {}: {}", host.host, host.summary));
    }
    lines.push(String::new());
    lines.push(report.verdict.headline());
    for blocker in &report.verdict.blockers {
        lines.extend(wrap(&format!("✗ {}", safe(blocker))));
    }
    for warning in &report.verdict.warnings {
        lines.extend(wrap(&format!("! {}", safe(warning))));
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// One path's figures, old and new side by side, then any failures in full.
fn table(path: &PathReport) -> Vec<String> {
    let title = if path.health { format!("{} (health check)", path.path) } else { path.path.clone() };
    let none = SideStats::default();
    let old = path.old.as_ref().unwrap_or(&none);
    let row = |label: &str, cell: &dyn Fn(&SideStats) -> String| {
        let old_cell = if path.old.is_some() { cell(old) } else { "-".into() };
        format!("  {label:<w$}{:<c$}{}", fit(&old_cell), fit(&cell(&path.new)), w = LABEL - 2, c = CELL)
    };
    let mut lines = vec![safe(&title), format!("{:<LABEL$}{:<CELL$}NEW", "", "OLD")];
    lines.push(row("status", &statuses));
    lines.push(row("no answer", &|s| {
        if s.failed() == 0 { "-".into() } else { format!("{}/{}", s.failed(), s.requests) }
    }));
    lines.push(row("p50 / p95", &latency));
    lines.push(row("size", &|s| s.size.map_or_else(|| "-".into(), |n| format!("{n} B"))));
    lines.push(row("sha256", &|s| {
        s.body_sha256.as_deref().map_or_else(|| "-".into(), |h| h[..12.min(h.len())].to_string())
    }));
    let bodies = match path.bodies_match {
        Some(true) => "the same on both sides",
        Some(false) => "differ",
        None => "cannot be compared",
    };
    lines.push(format!("  {:<w$}{bodies}", "bodies", w = LABEL - 2));
    for (side, stats) in [("old", path.old.as_ref()), ("new", Some(&path.new))] {
        for (reason, n) in stats.map(|s| &s.errors).into_iter().flatten() {
            lines.extend(wrap(&format!("  {side}: {} ×{n}", safe(reason))));
        }
    }
    lines
}

fn statuses(stats: &SideStats) -> String {
    if stats.statuses.is_empty() {
        return "-".into();
    }
    stats.statuses.iter().map(|(code, n)| format!("{code} ×{n}")).collect::<Vec<_>>().join(", ")
}

fn latency(stats: &SideStats) -> String {
    match (stats.p50_ms, stats.p95_ms) {
        (Some(p50), Some(p95)) => format!("{} / {} ms", ms(p50), ms(p95)),
        _ => "-".into(),
    }
}

/// Whole milliseconds, or one decimal below 10 ms (local servers answer in under one).
fn ms(value: f64) -> String {
    if value < 10.0 { format!("{value:.1}") } else { format!("{value:.0}") }
}

fn service_line(service: Option<&ServiceState>, error: Option<&str>) -> String {
    match (service, error) {
        (Some(s), _) => format!(
            "service  status {} · tasks {}/{} running · deployment {}",
            safe(&s.status),
            s.running_tasks,
            s.desired_tasks,
            safe(s.deployment.as_deref().unwrap_or("none"))
        ),
        (None, Some(error)) => format!("service  unknown: {}", safe(error)),
        (None, None) => "service  not found".into(),
    }
}

/// A cell cut to fit its column, with room for a space after it.
fn fit(text: &str) -> String {
    if text.chars().count() < CELL {
        return text.to_string();
    }
    let cut: String = text.chars().take(CELL - 2).collect();
    format!("{cut}…")
}

/// A line wrapped at 80 columns on spaces, later lines indented two more than the first.
fn wrap(line: &str) -> Vec<String> {
    let lead = line.len() - line.trim_start().len();
    let indent = " ".repeat(lead + 2);
    let mut lines = Vec::new();
    let mut current = line[..lead].to_string();
    let mut fresh = true;
    for word in line.trim_start().split(' ') {
        if !fresh && current.chars().count() + 1 + word.chars().count() > WIDTH {
            lines.push(std::mem::take(&mut current));
            current.clone_from(&indent);
            fresh = true;
        }
        if !fresh {
            current.push(' ');
        }
        current.push_str(word);
        fresh = false;
    }
    lines.push(current);
    lines
}
