//! The engine work behind the Cutover and Retire steps, run in the runtime's tasks: each reads
//! the run from its journal as it stands now, never from what the screen last showed.

use std::path::PathBuf;

use super::traffic::Checklist;
use crate::apply::{RunLog, RunState, now, replay};
use crate::cloud::ReadCloud;
use crate::cost::PriceBook;
use crate::cutover::{CutoverOptions, plan_cutover_now, plan_finalize as finalize_plan};
use crate::decommission::{Confirmation, OldStack, confirm, confirmations, old_stack};
use crate::plan::Plan;
use crate::text::escape_controls as safe;

/// The cutover plan of the applied migration run `run`.
pub async fn plan_cutover(cloud: &dyn ReadCloud, run: &RunLog, options: &CutoverOptions) -> Result<Box<Plan>, String> {
    let state = replay(&run.records());
    plan_cutover_now(cloud, &state, options).await.map(Box::new).map_err(|e| e.to_string())
}

/// The finalize plan of the applied cutover run `run`.
pub fn plan_finalize(run: &RunLog) -> Result<Box<Plan>, String> {
    finalize_plan(&replay(&run.records())).map(Box::new).map_err(|e| e.to_string())
}

/// The old stack of the migration run `migration`, refused until its cutover is finalized.
/// `runs` are every run known (open here or journaled), `dir` where confirmations are kept.
pub async fn checklist(
    cloud: &dyn ReadCloud,
    migration: &RunLog,
    runs: Vec<RunState>,
    dir: Option<PathBuf>,
) -> Result<Box<Checklist>, String> {
    let migration = replay(&migration.records());
    let prices = PriceBook::load(None).map_err(|e| e.to_string())?;
    let region = prices.region(&migration.plan.region);
    let OldStack { items, unseen } = old_stack(cloud, &migration, &runs, region).await.map_err(|e| e.to_string())?;
    let (confirmed, unjournaled) = match &dir {
        Some(dir) => (confirmations(dir, &migration.run_id).map_err(|e| e.to_string())?, None),
        None => (Vec::new(), Some("runs are not kept on disk here, so removals cannot be journaled".to_string())),
    };
    let unseen = unseen.iter().map(|gap| format!("could not read {}: {}", gap.what, gap.reason)).collect();
    Ok(Box::new(Checklist {
        run_id: migration.run_id,
        items,
        confirmed,
        prices_as_of: prices.as_of,
        unjournaled,
        unseen,
    }))
}

/// Journals that the operator removed `item` of the old stack, and lists the stack again,
/// with a line saying what was journaled or why nothing was. An item the list does not hold is
/// refused: the journal of removals names only real items.
pub async fn confirm_removed(
    cloud: &dyn ReadCloud,
    migration: &RunLog,
    item: &str,
    runs: Vec<RunState>,
    dir: Option<PathBuf>,
) -> (Result<Box<Checklist>, String>, Option<String>) {
    let mut listed = match checklist(cloud, migration, runs, dir.clone()).await {
        Ok(listed) => listed,
        Err(error) => return (Err(error), None),
    };
    let Some(dir) = dir else {
        let note = "runs are not kept on disk here, so removals cannot be journaled".to_string();
        return (Ok(listed), Some(note));
    };
    if !listed.items.iter().any(|i| i.id == item) {
        return (Ok(listed), Some(format!("{} is not an item of this old stack", safe(item))));
    }
    if listed.confirmed.iter().any(|c| c.item == item) {
        return (Ok(listed), Some(format!("{} was already journaled as removed", safe(item))));
    }
    let operator = cloud.account().await.map(|a| a.caller_arn).unwrap_or_else(|_| "unknown".into());
    let confirmation = Confirmation { item: item.to_string(), at: now(), operator };
    if let Err(error) = confirm(&dir, &listed.run_id, &confirmation) {
        return (Ok(listed), Some(format!("could not journal the removal: {error}")));
    }
    listed.confirmed.push(confirmation);
    (Ok(listed), Some(format!("journaled: {} removed", safe(item))))
}
