//! Cost before apply: what the old stack costs a month today, and what the Express service
//! the plan creates will cost, from a dated, sourced price book. Computed from the plan's
//! content each time it is shown; a plan states no figure of its own.

mod estimate;
pub(crate) mod money;
mod prices;
mod render;

pub use estimate::{
    ASSUMED_EXPRESS_SHARERS, ASSUMED_LCUS, After, Arch, EXPRESS_ALB_MAX_SERVICES, Estimate, HOURS_PER_MONTH, Line,
    RangeLine, Today, estimate, fargate_monthly, is_priced,
};
pub use money::Money;
pub use prices::{BalancerPrice, EbsPrice, FargatePrice, PRICES_ENV, PriceBook, PriceError, RegionPrices};
pub use render::{details, headline};
