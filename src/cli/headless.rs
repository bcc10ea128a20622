//! The commands that print or write instead of opening the TUI.

use std::io::Write;
use std::path::Path;

use color_eyre::eyre::{Result, WrapErr};

use ferry::cloud::ReadCloud;
use ferry::migration::prepare;
use ferry::model::MigrationGraph;
use ferry::text::escape_controls;

pub async fn discover(cloud: &dyn ReadCloud, instance: &str, json: bool) -> Result<()> {
    let migration = prepare(cloud, instance).await?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &migration.graph)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", summary(&migration.graph))?;
    }
    Ok(())
}

pub async fn plan(cloud: &dyn ReadCloud, instance: &str, out: &Path) -> Result<()> {
    let migration = prepare(cloud, instance).await?;
    let text = migration.plan.to_json() + "\n";
    if out == Path::new("-") {
        std::io::stdout().lock().write_all(text.as_bytes())?;
    } else {
        std::fs::write(out, text).wrap_err_with(|| format!("cannot write the plan to {}", out.display()))?;
        eprintln!(
            "plan {} ({} steps) written to {}",
            migration.plan.short_hash(),
            migration.plan.steps.len(),
            out.display()
        );
    }
    Ok(())
}

/// Writes the artifacts into `out`, each file whole (written beside, then renamed).
pub async fn generate(cloud: &dyn ReadCloud, instance: &str, out: &Path) -> Result<()> {
    let migration = prepare(cloud, instance).await?;
    for file in migration.artifact_files() {
        let path = out.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).wrap_err_with(|| format!("cannot create {}", parent.display()))?;
        }
        let partial = path.with_extension("ferry-partial");
        std::fs::write(&partial, &file.contents).wrap_err_with(|| format!("cannot write {}", path.display()))?;
        std::fs::rename(&partial, &path).wrap_err_with(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// Every kind of resource as JSON, with what could not be read and why.
pub async fn inventory(cloud: &dyn ReadCloud) -> Result<()> {
    let inventory = ferry::inventory::load(cloud).await;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &inventory)?;
    writeln!(out)?;
    Ok(())
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
    if let Some(role) = &graph.role {
        lines.push(format!("  role {} ({} policies)", role.role.name, role.role.policies.len()));
        lines.extend(evidence(&role.evidence));
    }
    for store in &graph.data_stores {
        lines.push(format!("  {} {} {}", store.kind.label(), store.name, store.engine));
        lines.extend(evidence(&store.evidence));
    }
    for gap in &graph.unseen {
        lines.push(format!("  not seen: {} ({})", gap.what, gap.reason));
    }
    lines.iter().map(|line| escape_controls(line) + "\n").collect()
}
