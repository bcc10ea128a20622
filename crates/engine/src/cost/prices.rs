//! The price book: public on-demand prices by region, bundled with ferry (with the date they
//! were read and where from) or read from a file the operator gives. A book is checked whole
//! when it is loaded, so an estimate never meets a negative, missing or non-numeric price.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The bundled book: AWS public prices, dated and sourced inside the file.
const BUNDLED: &str = include_str!("../../../../assets/prices/aws-prices.json");

/// Where an override of the bundled prices is read when no `--prices` is given: how the
/// wizard and the MCP server, which take no such flag, get the same prices as `ferry show`.
pub const PRICES_ENV: &str = "FERRY_PRICES";

/// No price file is anywhere near this; a larger one is refused before it is read whole.
const MAX_BYTES: u64 = 8 * 1024 * 1024;

/// The highest price per unit ferry believes: a figure above it is a typo (cents for dollars)
/// and would make every estimate meaningless.
const MAX_PRICE: f64 = 10_000.0;

/// Prices by region, with their date and source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceBook {
    /// The day the prices were read, `YYYY-MM-DD`.
    pub as_of: String,
    /// Always `USD`: estimates are written in dollars.
    pub currency: String,
    /// Where the prices come from: the pages or files they were read from.
    pub source: Vec<String>,
    /// What the figures are and how any were derived.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The prices of each region, by region code (`us-east-1`).
    pub regions: BTreeMap<String, RegionPrices>,
    /// Where this book was read from: `bundled` or the file's path. Not in the file.
    #[serde(skip)]
    pub origin: String,
}

/// One region's prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionPrices {
    /// On-demand Linux price per hour, by instance type (`t3.medium`).
    #[serde(default)]
    pub ec2_hourly: BTreeMap<String, f64>,
    /// EBS prices per month, by volume type (`gp3`).
    #[serde(default)]
    pub ebs_monthly: BTreeMap<String, EbsPrice>,
    /// Load balancer prices, by kind as ELB names it (`application`, `network`).
    #[serde(default)]
    pub load_balancer_hourly: BTreeMap<String, BalancerPrice>,
    /// Fargate rates by CPU architecture (`x86`, `arm`).
    #[serde(default)]
    pub fargate_hourly: BTreeMap<String, FargatePrice>,
    /// A public IPv4 address, per hour; `None` when the book does not say.
    #[serde(default)]
    pub public_ipv4_hourly: Option<f64>,
    /// A standard-resolution CloudWatch alarm, per metric it evaluates and month; `None` when
    /// the book does not say.
    #[serde(default)]
    pub alarm_metric_monthly: Option<f64>,
    /// CloudWatch Logs storage, per GB-month; `None` when the book does not say.
    #[serde(default)]
    pub log_storage_gb_monthly: Option<f64>,
}

/// What a volume type costs a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EbsPrice {
    /// Per GB-month of provisioned size.
    pub gb: f64,
    /// Per provisioned IOPS-month above `iops_included`, where the type prices IOPS.
    #[serde(default)]
    pub iops: Option<f64>,
    /// IOPS the size price already includes (3000 for gp3).
    #[serde(default)]
    pub iops_included: u32,
    /// Per MiB/s-month of provisioned throughput above `throughput_included_mibps`.
    #[serde(default)]
    pub throughput_mibps: Option<f64>,
    /// Throughput the size price already includes (125 MiB/s for gp3).
    #[serde(default)]
    pub throughput_included_mibps: u32,
}

/// What a load balancer costs an hour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BalancerPrice {
    /// Per hour it exists.
    pub hour: f64,
    /// Per capacity unit-hour (LCU, or NLCU for a network load balancer).
    pub lcu: f64,
}

/// Fargate's rates for one architecture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FargatePrice {
    /// Per vCPU-hour.
    pub vcpu: f64,
    /// Per GB-hour of task memory.
    pub gb: f64,
}

/// Why a price book was refused.
#[derive(Debug, Error)]
pub enum PriceError {
    /// The file could not be read: missing, not a regular file, too large, not text.
    #[error("prices file {}: {}", .0.path().display(), .0.reason())]
    File(crate::files::FileError),
    /// The text is not JSON, or not shaped as a price book.
    #[error("prices file {path}: not a price book: {error}")]
    Parse {
        /// The file, or `bundled`.
        path: String,
        /// What serde found wrong, with its line and column.
        error: serde_json::Error,
    },
    /// The book parses but states something no price can be.
    #[error("prices file {path}: {message}")]
    Invalid {
        /// The file, or `bundled`.
        path: String,
        /// What is wrong, naming where.
        message: String,
    },
}

impl PriceBook {
    /// The prices bundled with ferry.
    pub fn bundled() -> Result<PriceBook, PriceError> {
        PriceBook::parse(BUNDLED, "bundled")
    }

    /// The book at `file` when given, else the one `FERRY_PRICES` names, else the bundled one.
    /// Every front end loads prices through here, so they all price a plan alike.
    pub fn load(file: Option<&Path>) -> Result<PriceBook, PriceError> {
        let from_env = std::env::var_os(PRICES_ENV).filter(|v| !v.is_empty()).map(PathBuf::from);
        match file.map(Path::to_path_buf).or(from_env) {
            Some(path) => PriceBook::read(&path),
            None => PriceBook::bundled(),
        }
    }

    /// The book in the file at `path`.
    pub fn read(path: &Path) -> Result<PriceBook, PriceError> {
        let text = crate::files::read_bounded_text(path, MAX_BYTES, "prices file").map_err(PriceError::File)?;
        PriceBook::parse(&text, &path.display().to_string())
    }

    /// The book in `text`; `origin` (a path, or `bundled`) names it in errors and estimates.
    pub fn parse(text: &str, origin: &str) -> Result<PriceBook, PriceError> {
        let mut book: PriceBook =
            serde_json::from_str(text).map_err(|error| PriceError::Parse { path: origin.to_string(), error })?;
        book.origin = origin.to_string();
        book.validate().map_err(|message| PriceError::Invalid { path: origin.to_string(), message })?;
        Ok(book)
    }

    /// The prices of `region`, when the book has them.
    pub fn region(&self, region: &str) -> Option<&RegionPrices> {
        self.regions.get(region)
    }

    /// The first thing wrong with the book, if any.
    fn validate(&self) -> Result<(), String> {
        if !is_date(&self.as_of) {
            return Err(format!("as_of must be a date YYYY-MM-DD, not {:?}", self.as_of));
        }
        if self.currency != "USD" {
            return Err(format!("currency must be USD, not {:?}", self.currency));
        }
        if self.source.is_empty() || self.source.iter().any(|s| s.trim().is_empty()) {
            return Err("source must name where the prices come from (one or more non-empty strings)".into());
        }
        if self.regions.is_empty() {
            return Err("regions is empty".into());
        }
        for (code, region) in &self.regions {
            for (field, price) in region.prices() {
                if !price.is_finite() || !(0.0..=MAX_PRICE).contains(&price) {
                    return Err(format!(
                        "regions.{code}.{field} is {price}: a price is a number from 0 to {MAX_PRICE}"
                    ));
                }
            }
        }
        Ok(())
    }
}

impl RegionPrices {
    /// Every figure, named by its place in the file.
    fn prices(&self) -> Vec<(String, f64)> {
        let mut all: Vec<(String, f64)> =
            self.ec2_hourly.iter().map(|(t, p)| (format!("ec2_hourly.{t}"), *p)).collect();
        for (kind, ebs) in &self.ebs_monthly {
            all.push((format!("ebs_monthly.{kind}.gb"), ebs.gb));
            all.extend(ebs.iops.map(|p| (format!("ebs_monthly.{kind}.iops"), p)));
            all.extend(ebs.throughput_mibps.map(|p| (format!("ebs_monthly.{kind}.throughput_mibps"), p)));
        }
        for (kind, lb) in &self.load_balancer_hourly {
            all.push((format!("load_balancer_hourly.{kind}.hour"), lb.hour));
            all.push((format!("load_balancer_hourly.{kind}.lcu"), lb.lcu));
        }
        for (arch, fargate) in &self.fargate_hourly {
            all.push((format!("fargate_hourly.{arch}.vcpu"), fargate.vcpu));
            all.push((format!("fargate_hourly.{arch}.gb"), fargate.gb));
        }
        all.extend(self.public_ipv4_hourly.map(|p| ("public_ipv4_hourly".to_string(), p)));
        all.extend(self.alarm_metric_monthly.map(|p| ("alarm_metric_monthly".to_string(), p)));
        all.extend(self.log_storage_gb_monthly.map(|p| ("log_storage_gb_monthly".to_string(), p)));
        all
    }
}

/// `YYYY-MM-DD` with a plausible month and day.
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else { return false };
    let number = |s: &str, len: usize, max: u32| {
        s.len() == len
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n))
    };
    number(year, 4, 9999) && number(month, 2, 12) && number(day, 2, 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_book_loads_and_covers_the_main_regions_and_families() {
        let book = PriceBook::bundled().expect("the bundled book is valid");
        assert_eq!(book.origin, "bundled");
        let regions =
            ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"];
        let families = [
            "t3", "t3a", "t4g", "m5", "m6i", "m6g", "m7i", "m7g", "c5", "c6i", "c6g", "c7g", "r5", "r6i", "r6g", "r7g",
        ];
        for region in regions {
            let prices = book.region(region).expect(region);
            for family in families {
                // Burstable families stop at 2xlarge.
                let largest = if family.starts_with('t') { 3 } else { 4 };
                for size in &["large", "xlarge", "2xlarge", "4xlarge"][..largest] {
                    assert!(prices.ec2_hourly.contains_key(&format!("{family}.{size}")), "{family}.{size} in {region}");
                }
            }
            for size in ["nano", "micro", "small", "medium"] {
                assert!(prices.ec2_hourly.contains_key(&format!("t3.{size}")), "t3.{size} in {region}");
            }
            assert!(prices.fargate_hourly.contains_key("x86") && prices.fargate_hourly.contains_key("arm"));
            assert!(prices.load_balancer_hourly.contains_key("application"));
            assert!(prices.public_ipv4_hourly.is_some());
            assert_eq!(prices.alarm_metric_monthly, Some(0.1), "{region}");
            assert!(prices.log_storage_gb_monthly.is_some_and(|p| p > 0.0), "{region}");
        }
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2026-06-01"));
        for bad in ["2026-6-1", "2026-13-01", "June 2026", "", "2026-06-01-01"] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
