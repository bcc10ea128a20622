//! The commands that print or write instead of opening the TUI.

use std::io::Write;
use std::path::Path;

use color_eyre::eyre::{Result, WrapErr};

use ferry::cloud::ReadCloud;
use ferry::migration::prepare;
use ferry::model::MigrationGraph;

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
        std::fs::write(out, text)
            .wrap_err_with(|| format!("cannot write the plan to {}", out.display()))?;
        eprintln!(
            "plan {} ({} steps) written to {}",
            migration.plan.short_hash(),
            migration.plan.steps.len(),
            out.display()
        );
    }
    Ok(())
}

/// The graph as an operator reads it in a terminal, one edge a line with its evidence.
fn summary(graph: &MigrationGraph) -> String {
    let escape = |s: &str| s.escape_debug().to_string();
    let mut lines = vec![format!(
        "{} ({})",
        escape(graph.instance.display_name()),
        graph.instance.id
    )];
    for route in &graph.routes {
        lines.push(format!(
            "  load balancer {} → {} :{} health {}",
            escape(&route.load_balancer.name),
            escape(&route.target_group.name),
            route.target_group.port,
            route
                .target_group
                .health_check
                .path
                .as_deref()
                .unwrap_or("-"),
        ));
        lines.extend(
            route
                .evidence
                .iter()
                .map(|e| format!("      ← {}", escape(&e.text))),
        );
    }
    if let Some(role) = &graph.role {
        lines.push(format!(
            "  role {} ({} policies)",
            escape(&role.role.name),
            role.role.policies.len()
        ));
        lines.extend(
            role.evidence
                .iter()
                .map(|e| format!("      ← {}", escape(&e.text))),
        );
    }
    for store in &graph.data_stores {
        lines.push(format!(
            "  {} {} {}",
            store.kind.label(),
            escape(&store.name),
            escape(&store.engine)
        ));
        lines.extend(
            store
                .evidence
                .iter()
                .map(|e| format!("      ← {}", escape(&e.text))),
        );
    }
    for unseen in &graph.unseen {
        lines.push(format!(
            "  not seen: {} ({})",
            unseen.what,
            escape(&unseen.reason)
        ));
    }
    lines.join("\n") + "\n"
}
