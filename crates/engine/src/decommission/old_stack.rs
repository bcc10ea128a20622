//! The old stack as it stands now: refused until the cutover is finalized, then discovered
//! again and listed item by item. Every front end lists it through here.

use thiserror::Error;

use super::{DecommissionError, Item, certificates_in_use, checklist, finalized};
use crate::apply::RunState;
use crate::cloud::ReadCloud;
use crate::cost::RegionPrices;
use crate::discover::{DiscoverError, discover};
use crate::model::Unseen;

/// The old stack's items, and what discovery could not read of it.
#[derive(Debug, Clone)]
pub struct OldStack {
    /// In the order to retire them.
    pub items: Vec<Item>,
    /// Parts of the old stack that could not be read: the list may miss them.
    pub unseen: Vec<Unseen>,
}

/// Why the old stack cannot be listed.
#[derive(Debug, Error)]
pub enum OldStackError {
    /// The cutover is not finalized.
    #[error(transparent)]
    NotFinalized(#[from] DecommissionError),
    /// The instance could not be discovered again.
    #[error(transparent)]
    Discovery(#[from] DiscoverError),
}

/// The old stack of `migration` among `runs` (every run known), priced with `prices`.
pub async fn old_stack(
    cloud: &dyn ReadCloud,
    migration: &RunState,
    runs: &[RunState],
    prices: Option<&RegionPrices>,
) -> Result<OldStack, OldStackError> {
    finalized(migration, runs)?;
    let graph = discover(cloud, &migration.plan.source_instance_id).await?;
    let items = checklist(&graph, prices, &certificates_in_use(migration, runs));
    let unseen = graph.unseen.into_iter().filter(Unseen::only_for_retirement).collect();
    Ok(OldStack { items, unseen })
}
