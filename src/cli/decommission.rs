//! `ferry decommission RUN`: once the cutover is finalized, the old stack's items with what
//! each costs a month and the command that removes it. ferry never runs them: the operator
//! does, then confirms each with `--done ITEM`, which is journaled.

use std::path::PathBuf;

use std::io::Write;

use clap::Args;
use color_eyre::eyre::{Result, eyre};
use ferry::apply::{list_runs, replay};
use ferry::decommission::{Confirmation, Item, OldStack, confirm, confirmations, old_stack};
use ferry::text::escape_controls as safe;
use ferry_engine::cost::{Money, PriceBook};
use serde_json::json;

use super::backend::AwsArgs;
use super::output::{note, stdout};

#[derive(Args)]
pub struct DecommissionArgs {
    /// The migration run whose old stack to retire (`ferry runs` lists it).
    run_id: String,
    /// Say that you removed this item (its id from the list); repeat for more. Journaled.
    #[arg(long = "done", value_name = "ITEM")]
    done: Vec<String>,
    /// Print the list as JSON.
    #[arg(long)]
    json: bool,
    #[arg(long, value_name = "FILE", help = "A price book (JSON) instead of the bundled prices")]
    prices: Option<PathBuf>,
}

pub async fn run(aws: &AwsArgs, args: DecommissionArgs) -> Result<()> {
    let prices = PriceBook::load(args.prices.as_deref())?;
    let (backend, log) = super::runs::open_run(&args.run_id, Default::default(), aws).await?;
    let migration = replay(&log.records());
    drop(log);
    let dir =
        ferry::state_dir::runs_dir().ok_or_else(|| eyre!("no state folder on this system: set FERRY_STATE_DIR"))?;
    let runs: Vec<_> = list_runs(&dir).into_iter().filter_map(Result::ok).collect();
    let cloud = backend.read();
    let OldStack { items, unseen } =
        old_stack(cloud.as_ref(), &migration, &runs, prices.region(&migration.plan.region)).await?;
    for id in &args.done {
        if !items.iter().any(|i| &i.id == id) {
            return Err(eyre!(
                "{} is not an item of this old stack: `ferry decommission {}` lists them",
                safe(id),
                args.run_id
            ));
        }
        let operator = cloud.account().await.map(|a| a.caller_arn).unwrap_or_else(|_| "unknown".into());
        confirm(&dir, &args.run_id, &Confirmation { item: id.clone(), at: ferry::apply::now(), operator })?;
        note!("journaled: {} removed", safe(id));
    }
    let confirmed = confirmations(&dir, &args.run_id)?;
    let done = |item: &Item| confirmed.iter().find(|c| c.item == item.id);
    let left = Money::sum(items.iter().filter(|i| done(i).is_none()).filter_map(|i| i.monthly));
    let mut out = stdout();
    if args.json {
        let listed: Vec<_> =
            items.iter().map(|i| json!({ "item": i, "done": done(i).is_some(), "confirmed": done(i) })).collect();
        let value = json!({
            "run": args.run_id,
            "items": listed,
            "monthly_left": left,
            "prices_as_of": prices.as_of,
            "unseen": unseen,
        });
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "the old stack of {} ({}): ferry removes nothing; run each command, then confirm it with --done ITEM",
        safe(&migration.plan.service_name),
        migration.plan.source_instance_id
    )?;
    for item in &items {
        let mark = if done(item).is_some() { "[x]" } else { "[ ]" };
        let cost = item.monthly.map_or("no price".to_string(), |m| format!("{m}/mo"));
        writeln!(out, "\n{mark} {}  {}  ({cost})", safe(&item.id), safe(&item.what))?;
        writeln!(out, "      {}", safe(&item.command))?;
        if let Some(note) = &item.note {
            writeln!(out, "      {}", safe(note))?;
        }
    }
    writeln!(out, "\nstill costing about {left}/mo (prices as of {})", prices.as_of)?;
    for gap in &unseen {
        let needs = gap.missing_action.as_deref().map(|a| format!(" (needs {a})")).unwrap_or_default();
        writeln!(out, "not listed: could not read {}{needs}: {}", safe(&gap.what), safe(&gap.reason))?;
    }
    Ok(())
}
