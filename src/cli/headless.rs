//! The commands that print or write instead of opening the TUI.

use std::io::Write;
use std::path::Path;

use color_eyre::eyre::{Result, WrapErr, eyre};

use ferry::analyze::{AppFiles, Given, analyze_folder_given};
use ferry::cloud::ReadCloud;
use ferry::inventory::Inventory;
use ferry::migration::prepare_given;
use ferry::model::{AppProfile, MigrationGraph, Unseen};
use ferry::plan::Plan;
use ferry::text::escape_controls;
use ferry_engine::cost;

use super::output::{note, stdout};

/// What the operator said of the application: its source folder, and where secret values are.
#[derive(Default)]
pub struct AppSource {
    pub app: Option<AppFiles>,
    pub given: Given,
}

impl AppSource {
    async fn prepare(&self, cloud: &dyn ReadCloud, instance: &str) -> Result<ferry::migration::Migration> {
        Ok(prepare_given(cloud, instance, self.app.as_ref(), self.given.clone()).await?)
    }
}

pub async fn discover(cloud: &dyn ReadCloud, instance: &str, source: &AppSource, json: bool) -> Result<()> {
    let migration = source.prepare(cloud, instance).await?;
    note_unseen(&migration.graph.unseen);
    let mut out = stdout();
    if json {
        serde_json::to_writer_pretty(&mut out, &migration.graph)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", summary(&migration.graph))?;
    }
    out.flush()?;
    Ok(())
}

/// Writes the plan, and says before apply what would stop it on this machine (no container
/// CLI to build with, no source folder) when the account can be changed from here.
pub async fn plan(
    cloud: &dyn ReadCloud,
    writer: Option<&dyn ferry::cloud::Cloud>,
    instance: &str,
    source: &AppSource,
    target: PlanTarget<'_>,
) -> Result<()> {
    let PlanTarget { image, out, prices } = target;
    let mut migration = source.prepare(cloud, instance).await?;
    note_unseen(&migration.graph.unseen);
    if let Some(uri) = image {
        migration = migration.with_image(uri);
    }
    for problem in migration.plan.invalid() {
        note!("not valid, so it cannot be approved: {}", escape_controls(&problem.to_string()));
    }
    if let Some(writer) = writer {
        for problem in writer.preflight(&migration.plan).await {
            note!("before you apply: {}", escape_controls(&problem));
        }
    }
    let text = migration.plan.to_json() + "\n";
    if out == Path::new("-") {
        let mut out = stdout();
        out.write_all(text.as_bytes())?;
        out.flush()?;
    } else {
        std::fs::write(out, text).wrap_err_with(|| format!("cannot write the plan to {}", out.display()))?;
        note!(
            "plan {} ({} steps) written to {}",
            migration.plan.short_hash(),
            migration.plan.steps.len(),
            out.display()
        );
    }
    // Said, not written into the plan: the estimate is computed again whenever it is shown.
    for line in cost::headline(&cost::estimate(&migration.plan, prices), usize::MAX) {
        note!("{}", escape_controls(&line));
    }
    Ok(())
}

/// What `ferry plan` makes and where it goes: the image to run instead of building one, the
/// file to write, and the prices its cost is told in.
pub struct PlanTarget<'a> {
    pub image: Option<&'a str>,
    pub out: &'a Path,
    pub prices: &'a cost::PriceBook,
}

/// Writes the artifacts into `out`, each file whole (written beside, then renamed).
pub async fn generate(cloud: &dyn ReadCloud, instance: &str, source: &AppSource, out: &Path) -> Result<()> {
    let migration = source.prepare(cloud, instance).await?;
    note_unseen(&migration.graph.unseen);
    for file in migration.artifact_files() {
        let path = out.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).wrap_err_with(|| format!("cannot create {}", parent.display()))?;
        }
        let partial = path.with_extension("ferry-partial");
        std::fs::write(&partial, &file.contents).wrap_err_with(|| format!("cannot write {}", path.display()))?;
        std::fs::rename(&partial, &path).wrap_err_with(|| format!("cannot write {}", path.display()))?;
        note!("wrote {}", path.display());
    }
    Ok(())
}

/// The application profile of an instance (with its source folder, if given).
pub async fn analyze(cloud: &dyn ReadCloud, instance: &str, source: &AppSource, json: bool) -> Result<()> {
    let migration = source.prepare(cloud, instance).await?;
    note_unseen(&migration.graph.unseen);
    print_profile(&migration.profile, json)
}

/// The application profile from its source folder alone.
pub fn analyze_folder(app: &AppFiles, given: &Given, json: bool) -> Result<()> {
    print_profile(&analyze_folder_given(app, given), json)
}

fn print_profile(profile: &AppProfile, json: bool) -> Result<()> {
    let mut out = stdout();
    if json {
        serde_json::to_writer_pretty(&mut out, &ferry::analyze::Report::new(profile))?;
        writeln!(out)?;
        out.flush()?;
        return Ok(());
    }
    let runtime = profile.runtime.as_ref();
    let mut lines = vec![
        format!(
            "runtime          {} ← {}",
            runtime.map_or("unknown".into(), |r| format!("{} {}", r.name, r.version)),
            runtime.map_or("", |r| &r.source)
        ),
        format!("package manager  {} ← {}", profile.package_manager_shown(), profile.package_manager_source),
        format!(
            "build            {}",
            profile.build_command.as_ref().map_or("none".into(), |b| format!(
                "{} ← {}",
                ferry::text::command_line(b),
                profile.build_source
            ))
        ),
        format!("start            {} ← {}", ferry::text::command_line(&profile.start_command), profile.start_source),
        format!(
            "entry            {}",
            profile.entry.as_ref().map_or("none".into(), |e| format!("{e} ← {}", profile.entry_source))
        ),
        format!("port             {} ← {}", profile.port, profile.port_source),
        format!("health check     {} ← {}", profile.health_check_path, profile.health_source),
    ];
    if let Some(framework) = &profile.framework {
        lines.push(format!("framework        {framework}"));
    }
    for var in &profile.env {
        let value = var.value.as_deref().unwrap_or("•••• (secret)");
        lines.push(format!("env {:<13} {value} ← {}", var.name, var.source));
    }
    for variable in &profile.variables {
        lines.push(format!("reads {:<13} {} ← {}", variable.name, variable.summary(), variable.source));
    }
    for finding in &profile.findings {
        let level = match finding.level {
            ferry::model::FindingLevel::Info => "info",
            ferry::model::FindingLevel::Warning => "warning",
            ferry::model::FindingLevel::Blocker => "blocker",
        };
        lines.push(format!("{level} [{}]: {} ← {}", finding.kind, finding.message, finding.source));
        if let Some(fix) = &finding.fix {
            lines.push(format!("    fix: {fix}"));
        }
    }
    for line in lines {
        writeln!(out, "{}", escape_controls(&line))?;
    }
    out.flush()?;
    Ok(())
}

/// Every kind of resource as JSON, with what could not be read and why; nothing, and an
/// error, when no kind could be read.
pub async fn inventory(cloud: &dyn ReadCloud) -> Result<()> {
    let inventory = ferry::inventory::load(cloud).await;
    judge_inventory(&inventory)?;
    let mut out = stdout();
    serde_json::to_writer_pretty(&mut out, &inventory)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// An error naming every kind and why, when no kind of resource could be read (wrong
/// credentials, endpoint or permissions: an empty inventory would hide it); else a note on
/// stderr of what could not be read.
pub fn judge_inventory(inventory: &Inventory) -> Result<()> {
    if inventory.nothing_read() {
        return Err(eyre!("nothing in the account could be read:\n{}", unseen_lines(&inventory.unseen()).join("\n")));
    }
    note_unseen(&inventory.unseen());
    Ok(())
}

/// Says on stderr what part of the account could not be read, if any: the output on stdout
/// is then partial, which a script reading only stdout could not tell.
fn note_unseen(unseen: &[Unseen]) {
    if unseen.is_empty() {
        return;
    }
    note!("note: part of the account could not be read:");
    for line in unseen_lines(unseen) {
        note!("{line}");
    }
}

/// `  what: reason` a line each; the reason of a denied call names the permission, else it is
/// added when known. Escaped: reasons quote the account.
fn unseen_lines(unseen: &[Unseen]) -> Vec<String> {
    unseen
        .iter()
        .map(|gap| {
            let needs = match &gap.missing_action {
                Some(action) if !gap.reason.contains(action.as_str()) => format!(" (needs {action})"),
                _ => String::new(),
            };
            escape_controls(&format!("  {}: {}{needs}", gap.what, gap.reason))
        })
        .collect()
}

/// The graph as an operator reads it in a terminal, one edge a line with its evidence.
/// Every line is escaped: names and reasons come from the account.
fn summary(graph: &MigrationGraph) -> String {
    let instance = &graph.instance;
    let mut lines = vec![format!("{} ({})", instance.display_name(), instance.id)];
    let evidence =
        |items: &[ferry::model::Evidence]| items.iter().map(|e| format!("      ← {}", e.text)).collect::<Vec<_>>();
    for route in &graph.routes {
        let tg = &route.target_group;
        let health = tg.health_check.path.as_deref().unwrap_or("-");
        lines.push(format!("  load balancer {} → {} :{} health {health}", route.load_balancer.name, tg.name, tg.port));
        lines.extend(evidence(&route.evidence));
    }
    for hostname in &graph.hostnames {
        lines.push(format!(
            "  hostname {} {}",
            hostname.record.name.trim_end_matches('.'),
            hostname.record.record_type
        ));
        lines.extend(evidence(&hostname.evidence));
    }
    if !graph.routes.is_empty() && graph.hostnames.is_empty() {
        lines.push("  hostname: no record in this account's Route 53 zones points at the load balancer".into());
        lines.push("      (a name kept at another DNS provider or behind a CDN cannot be seen from here)".into());
    }
    for certificate in &graph.certificates {
        lines.push(format!("  certificate {}", certificate.arn));
        lines.extend(evidence(&certificate.evidence));
    }
    if let Some(role) = &graph.role {
        lines.push(format!("  role {} ({} policies)", role.role.name, role.role.policies.len()));
        lines.extend(evidence(&role.evidence));
    }
    for store in &graph.data_stores {
        lines.push(format!("  {} {} {}", store.kind.label(), store.name, store.engine));
        lines.extend(evidence(&store.evidence));
    }
    for watcher in &graph.alarms {
        lines.push(format!("  alarm {}", watcher.alarm.name));
        lines.extend(evidence(&watcher.evidence));
    }
    for writer in &graph.log_groups {
        lines.push(format!("  log group {}", writer.log_group.name));
        lines.extend(evidence(&writer.evidence));
    }
    for gap in &graph.unseen {
        lines.push(format!("  not seen: {} ({})", gap.what, gap.reason));
    }
    lines.iter().map(|line| escape_controls(line) + "\n").collect()
}

/// `ferry show plan.json`: the plan as the operator reviews it before approving its hash:
/// every step with what it changes and its undo, what it assumes, and the checks, all
/// computed from the plan's content. A plan that is not what it states is refused, as apply
/// refuses it.
pub fn show(path: &Path, json: bool, prices: Option<&Path>) -> Result<()> {
    let plan = read_plan(path)?;
    let prices = cost::PriceBook::load(prices)?;
    // Only a migration changes what runs and so what it costs; a cutover moves traffic.
    let estimate = cost::is_priced(&plan).then(|| cost::estimate(&plan, &prices));
    let safe = ferry::text::escape_controls;
    let mut out = stdout();
    if json {
        let mut value = serde_json::to_value(&plan)?;
        if let (serde_json::Value::Object(fields), Some(estimate)) = (&mut value, &estimate) {
            fields.insert("cost".into(), serde_json::to_value(estimate)?);
        }
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(());
    }
    print_plan(&mut out, &plan)?;
    writeln!(out)?;
    for line in estimate.iter().flat_map(cost::details) {
        writeln!(out, "{}", safe(&line))?;
    }
    let prefix = plan.hash.get(..ferry::plan::MIN_PREFIX).unwrap_or(&plan.hash);
    let quote = |text: &str| shlex::try_quote(text).map(|q| q.into_owned()).unwrap_or_else(|_| text.to_string());
    let mut approve = format!("ferry apply {} --approve {prefix}", quote(&safe(&path.display().to_string())));
    for deny in plan.denies() {
        approve
            .push_str(&format!(" \\\n    --override {}", quote(&format!("{}=WHY IT IS ACCEPTABLE", safe(&deny.id)))));
    }
    writeln!(out, "\napprove with:\n  {approve}")?;
    out.flush()?;
    Ok(())
}

/// The plan as `ferry show` prints it, up to how to approve it: the hash, every step with what
/// it changes and its undo, what it assumes, whether it is valid, and the checks, all
/// computed from the plan's content. `ferry approve` shows a stored plan the same way.
pub fn print_plan(out: &mut impl Write, plan: &Plan) -> Result<()> {
    let safe = ferry::text::escape_controls;
    let prefix = plan.hash.get(..ferry::plan::MIN_PREFIX).unwrap_or(&plan.hash);
    writeln!(out, "plan {}  (approve with the first digits: {prefix})", plan.hash)?;
    writeln!(
        out,
        "service {} from {} · account {} · {}",
        safe(&plan.service_name),
        safe(&plan.source_instance_id),
        safe(&plan.account_id),
        safe(&plan.region)
    )?;
    writeln!(out, "\n{} steps (each undone by rollback, last first):", plan.steps.len())?;
    for (index, step) in plan.steps.iter().enumerate() {
        let action = &step.action;
        writeln!(
            out,
            "{:>3}. {:<24} {:<44} undo: {}",
            index + 1,
            action.verb(),
            safe(&action.target()),
            action.undo_text()
        )?;
        for line in plan.review(index) {
            writeln!(out, "       {}", safe(&line))?;
        }
    }
    writeln!(out, "\nassumes (apply refuses to run if any has changed):")?;
    for assumption in &plan.assumptions {
        writeln!(out, "  - {}", safe(&assumption.describe()))?;
    }
    let invalid = plan.invalid();
    if !invalid.is_empty() {
        writeln!(out, "\nNOT VALID (AWS or Docker would refuse it; it cannot be approved):")?;
        for problem in &invalid {
            writeln!(out, "  {}", safe(&problem.to_string()))?;
        }
    }
    writeln!(out, "\nchecks (judged from the content above):")?;
    for check in plan.checks() {
        writeln!(out, "  {:<4}  {}", check.level.label(), safe(&check.message))?;
        if check.level == ferry::plan::CheckLevel::Deny {
            writeln!(out, "        id {}", safe(&check.id))?;
        }
    }
    Ok(())
}

/// The plan in a plan file, refused before reading when the path names no regular file or one
/// larger than any plan (see `ferry::files`), and after when it does not verify.
pub fn read_plan(path: &Path) -> Result<Plan> {
    let text = ferry::files::read_bounded_text(path, ferry::files::PLAN_MAX_BYTES, "plan file")?;
    Plan::from_json(&text).wrap_err_with(|| format!("plan file {}", path.display()))
}
