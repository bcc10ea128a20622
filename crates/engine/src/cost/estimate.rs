//! The monthly cost of today's stack and of the service the plan creates, computed from the
//! plan's content and a price book each time it is shown: the plan never states a figure, so
//! no file can vouch for one.

use serde::Serialize;

use super::money::{Money, micros, rate};
use super::prices::{PriceBook, RegionPrices};
use crate::model::{ExpressServiceConfig, Volume};
use crate::plan::{Action, OldStack, Plan};

/// Hours in a month, as AWS's own calculators count them.
pub const HOURS_PER_MONTH: u32 = 730;

/// LCUs a load balancer is assumed to use on average for the app's traffic. Traffic is not
/// known before the move; one LCU is a small web app's (25 new connections/s, 1 GB/h).
pub const ASSUMED_LCUS: u32 = 1;

/// How many Express services are assumed to share the new ALB. Up to 25 in a VPC may share
/// one, but a first migration is usually alone on it: priced whole, it is not understated.
pub const ASSUMED_EXPRESS_SHARERS: u32 = 1;

/// The most services one Express ALB serves.
pub const EXPRESS_ALB_MAX_SERVICES: u32 = 25;

/// The cost of today and after, with the prices' date and source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Always `USD`.
    pub currency: String,
    /// Hours a month is counted as (730).
    pub hours_per_month: u32,
    /// The day the prices were read.
    pub prices_as_of: String,
    /// Where the prices come from.
    pub prices_source: Vec<String>,
    /// `bundled`, or the prices file's path.
    pub prices_origin: String,
    /// The plan's region, which both sides are priced in.
    pub region: String,
    /// What the old stack costs.
    pub today: Today,
    /// What the Express service costs, at its fewest and most tasks.
    pub after: After,
    /// What the figures take for granted.
    pub assumptions: Vec<String>,
    /// What neither side counts.
    pub left_out: Vec<String>,
}

/// The old stack's monthly cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Today {
    /// The sum of the lines; `None` when anything could not be priced (see `missing`).
    pub monthly: Option<Money>,
    /// Each priced item.
    pub lines: Vec<Line>,
    /// What could not be priced, a sentence each (`no price for t2.nano in sa-east-1`).
    pub missing: Vec<String>,
}

/// The new service's monthly cost between its fewest and most tasks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct After {
    /// The service's fewest tasks.
    pub min_tasks: u32,
    /// The service's most tasks.
    pub max_tasks: u32,
    /// `x86` or `arm`: the Fargate rates used.
    pub architecture: String,
    /// At the fewest tasks; `None` when anything could not be priced.
    pub monthly_min: Option<Money>,
    /// At the most tasks; `None` when anything could not be priced.
    pub monthly_max: Option<Money>,
    /// Each priced item, at the fewest and the most tasks.
    pub lines: Vec<RangeLine>,
    /// What could not be priced, a sentence each.
    pub missing: Vec<String>,
}

/// One priced item of today.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// What is priced (`instance t3.medium`).
    pub item: String,
    /// How: the rates and quantities (`$0.0416/h × 730 h`).
    pub basis: String,
    /// Per month.
    pub monthly: Money,
}

/// One priced item of after, at the fewest and the most tasks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RangeLine {
    /// What is priced.
    pub item: String,
    /// How.
    pub basis: String,
    /// Per month at the fewest tasks.
    pub min: Money,
    /// Per month at the most tasks.
    pub max: Money,
}

/// The CPU architecture Fargate runs the tasks on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    /// x86_64, Fargate's default.
    X86,
    /// ARM64 (Graviton).
    Arm,
}

impl Arch {
    /// As the price book keys it.
    pub fn key(self) -> &'static str {
        match self {
            Arch::X86 => "x86",
            Arch::Arm => "arm",
        }
    }
}

/// Whether the plan changes what the app runs on, and so has a cost to show: a migration
/// does; a cutover, which only moves traffic, does not.
pub fn is_priced(plan: &Plan) -> bool {
    plan.steps.iter().any(|s| matches!(s.action, crate::plan::Action::CreateExpressService { .. }))
}

/// The cost of `plan` at `book`'s prices.
pub fn estimate(plan: &Plan, book: &PriceBook) -> Estimate {
    let region = plan.region.as_str();
    let prices = book.region(region);
    let today = match &plan.context.old_stack {
        Some(old) => today(old, prices, region),
        None => Today {
            monthly: None,
            lines: Vec::new(),
            missing: vec![
                "the plan does not record what the old stack runs on (an older ferry made it): make the plan again"
                    .into(),
            ],
        },
    };
    let after = after(plan, prices, region);
    Estimate {
        currency: book.currency.clone(),
        hours_per_month: HOURS_PER_MONTH,
        prices_as_of: book.as_of.clone(),
        prices_source: book.source.clone(),
        prices_origin: book.origin.clone(),
        region: region.to_string(),
        assumptions: assumptions(plan, prices),
        left_out: left_out(),
        today,
        after,
    }
}

/// `item` priced, or the sentence saying it could not be.
fn priced<T>(price: Option<T>, what: &str, region: &str, missing: &mut Vec<String>) -> Option<T> {
    if price.is_none() {
        missing.push(format!("no price for {what} in {region}"));
    }
    price
}

/// The instance, its volumes, its share of each load balancer, and its public addresses.
fn today(old: &OldStack, prices: Option<&RegionPrices>, region: &str) -> Today {
    let mut lines = Vec::new();
    let mut missing = Vec::new();
    let hours = u128::from(HOURS_PER_MONTH);
    let hourly = prices.and_then(|p| p.ec2_hourly.get(&old.instance_type));
    if let Some(&hourly) = priced(hourly, &old.instance_type, region, &mut missing) {
        lines.push(Line {
            item: format!("instance {}", old.instance_type),
            basis: format!("{}/h × {HOURS_PER_MONTH} h", rate(hourly)),
            monthly: Money::from_micros(micros(hourly) * hours, 1),
        });
    }
    for volume in &old.volumes {
        lines.extend(volume_line(volume, prices, region, &mut missing));
    }
    for balancer in &old.load_balancers {
        let kind = &balancer.kind;
        let what = format!("{kind} load balancers");
        let Some(price) = priced(prices.and_then(|p| p.load_balancer_hourly.get(kind)), &what, region, &mut missing)
        else {
            continue;
        };
        let share = balancer.target_groups.max(1);
        lines.push(Line {
            item: format!("load balancer {} (1/{share} share)", balancer.name),
            basis: format!(
                "({}/h + {ASSUMED_LCUS} LCU × {}/h) × {HOURS_PER_MONTH} h ÷ {share} target group{}",
                rate(price.hour),
                rate(price.lcu),
                plural(share)
            ),
            monthly: Money::from_micros(
                (micros(price.hour) + u128::from(ASSUMED_LCUS) * micros(price.lcu)) * hours,
                share.into(),
            ),
        });
        if balancer.internet_facing && balancer.zones > 0 {
            let ipv4 = priced(prices.and_then(|p| p.public_ipv4_hourly), "public IPv4", region, &mut missing);
            lines.extend(ipv4.map(|ipv4| Line {
                item: format!("public IPv4 of {} (1/{share} share)", balancer.name),
                basis: format!("{} × {}/h × {HOURS_PER_MONTH} h ÷ {share}", balancer.zones, rate(ipv4)),
                monthly: Money::from_micros(u128::from(balancer.zones) * micros(ipv4) * hours, share.into()),
            }));
        }
    }
    if old.public_ipv4 > 0
        && let Some(ipv4) = priced(prices.and_then(|p| p.public_ipv4_hourly), "public IPv4", region, &mut missing)
    {
        lines.push(Line {
            item: "public IPv4 of the instance".into(),
            basis: format!("{} × {}/h × {HOURS_PER_MONTH} h", old.public_ipv4, rate(ipv4)),
            monthly: Money::from_micros(u128::from(old.public_ipv4) * micros(ipv4) * hours, 1),
        });
    }
    unique(&mut missing);
    let monthly = missing.is_empty().then(|| Money::sum(lines.iter().map(|l| l.monthly)));
    Today { monthly, lines, missing }
}

/// A volume's size, and the IOPS and throughput it is provisioned beyond what its size includes.
fn volume_line(
    volume: &Volume,
    prices: Option<&RegionPrices>,
    region: &str,
    missing: &mut Vec<String>,
) -> Option<Line> {
    let kind = &volume.volume_type;
    let price = priced(prices.and_then(|p| p.ebs_monthly.get(kind)), &format!("{kind} volumes"), region, missing)?;
    let mut micros_month = micros(price.gb) * u128::from(volume.size_gib);
    let mut basis = format!("{} GB × {}/GB-mo", volume.size_gib, rate(price.gb));
    let extra_iops = volume.iops.unwrap_or(0).saturating_sub(price.iops_included);
    if let (Some(iops_price), true) = (price.iops, extra_iops > 0) {
        micros_month += micros(iops_price) * u128::from(extra_iops);
        basis.push_str(&format!(" + {extra_iops} IOPS × {}", rate(iops_price)));
    }
    let extra_throughput = volume.throughput.unwrap_or(0).saturating_sub(price.throughput_included_mibps);
    if let (Some(throughput_price), true) = (price.throughput_mibps, extra_throughput > 0) {
        micros_month += micros(throughput_price) * u128::from(extra_throughput);
        basis.push_str(&format!(" + {extra_throughput} MiB/s × {}", rate(throughput_price)));
    }
    Some(Line { item: format!("volume {} ({kind})", volume.id), basis, monthly: Money::from_micros(micros_month, 1) })
}

/// Fargate for the fewest and most tasks, the Express ALB's share and the public addresses.
fn after(plan: &Plan, prices: Option<&RegionPrices>, region: &str) -> After {
    let mut missing = Vec::new();
    let Some(config) = service_config(plan) else {
        missing.push("the plan creates no Express service".into());
        return After {
            min_tasks: 0,
            max_tasks: 0,
            architecture: String::new(),
            monthly_min: None,
            monthly_max: None,
            lines: Vec::new(),
            missing,
        };
    };
    let (min, max) = (
        config.scaling_target.min_task_count,
        config.scaling_target.max_task_count.max(config.scaling_target.min_task_count),
    );
    let arch = architecture(config);
    let mut lines: Vec<RangeLine> =
        fargate_line(config, arch, (min, max), prices, region, &mut missing).into_iter().collect();
    lines.extend(express_alb_lines(plan, config, prices, region, &mut missing));
    if public_subnets(plan, config) {
        let ipv4 = priced(prices.and_then(|p| p.public_ipv4_hourly), "public IPv4", region, &mut missing);
        lines.extend(ipv4.map(|ipv4| {
            let at = |tasks: u32| Money::from_micros(u128::from(tasks) * micros(ipv4) * u128::from(HOURS_PER_MONTH), 1);
            RangeLine {
                item: "public IPv4 of the tasks".into(),
                basis: format!("tasks × {}/h × {HOURS_PER_MONTH} h", rate(ipv4)),
                min: at(min),
                max: at(max),
            }
        }));
    }
    unique(&mut missing);
    let total = |pick: fn(&RangeLine) -> Money| missing.is_empty().then(|| Money::sum(lines.iter().map(pick)));
    After {
        min_tasks: min,
        max_tasks: max,
        architecture: arch.key().into(),
        monthly_min: total(|l| l.min),
        monthly_max: total(|l| l.max),
        lines,
        missing,
    }
}

/// Fargate for the service's task size, at its fewest and most tasks.
fn fargate_line(
    config: &ExpressServiceConfig,
    arch: Arch,
    (min, max): (u32, u32),
    prices: Option<&RegionPrices>,
    region: &str,
    missing: &mut Vec<String>,
) -> Option<RangeLine> {
    let (Some(cpu), Some(memory)) = (cpu_units(&config.cpu), memory_mib(&config.memory)) else {
        let (cpu, memory) = (&config.cpu, &config.memory);
        missing.push(format!("the service's size (cpu {cpu:?}, memory {memory:?}) is not one ferry can price"));
        return None;
    };
    let fargate = prices.and_then(|p| p.fargate_hourly.get(arch.key()));
    let f = priced(fargate, &format!("Fargate ({})", arch.key()), region, missing)?;
    let (vcpus, gbs) = (trim(cpu, 1024), trim(memory, 1024));
    let at = |tasks: u32| fargate_monthly(f.vcpu, f.gb, cpu, memory, tasks);
    Some(RangeLine {
        item: format!("Fargate {vcpus} vCPU / {gbs} GB ({})", arch.key()),
        basis: format!(
            "({vcpus} vCPU × {}/h + {gbs} GB × {}/h) × {HOURS_PER_MONTH} h × tasks",
            rate(f.vcpu),
            rate(f.gb)
        ),
        min: at(min),
        max: at(max),
    })
}

/// Fargate for `tasks` tasks of `cpu_units` (1024 a vCPU) and `memory_mib` a month, at the
/// rates per vCPU-hour and GB-hour.
pub fn fargate_monthly(vcpu_hour: f64, gb_hour: f64, cpu_units: u32, memory_mib: u32, tasks: u32) -> Money {
    let per_hour = micros(vcpu_hour) * u128::from(cpu_units) + micros(gb_hour) * u128::from(memory_mib);
    Money::from_micros(per_hour * u128::from(HOURS_PER_MONTH) * u128::from(tasks), 1024)
}

/// The Express ALB's assumed share, and its nodes' public addresses when it faces the internet.
fn express_alb_lines(
    plan: &Plan,
    config: &ExpressServiceConfig,
    prices: Option<&RegionPrices>,
    region: &str,
    missing: &mut Vec<String>,
) -> Vec<RangeLine> {
    let hours = u128::from(HOURS_PER_MONTH);
    let share = ASSUMED_EXPRESS_SHARERS;
    let mut lines = Vec::new();
    let alb = prices.and_then(|p| p.load_balancer_hourly.get("application"));
    if let Some(alb) = priced(alb, "application load balancers", region, missing) {
        let monthly =
            Money::from_micros((micros(alb.hour) + u128::from(ASSUMED_LCUS) * micros(alb.lcu)) * hours, share.into());
        let basis = format!(
            "({}/h + {ASSUMED_LCUS} LCU × {}/h) × {HOURS_PER_MONTH} h ÷ {share}",
            rate(alb.hour),
            rate(alb.lcu)
        );
        lines.push(RangeLine { item: format!("Express ALB (1/{share} share)"), basis, min: monthly, max: monthly });
    }
    let zones = zones(plan, config);
    if public_subnets(plan, config) && zones > 0 {
        let ipv4 = priced(prices.and_then(|p| p.public_ipv4_hourly), "public IPv4", region, missing);
        lines.extend(ipv4.map(|ipv4| {
            let monthly = Money::from_micros(u128::from(zones) * micros(ipv4) * hours, share.into());
            let basis = format!("{zones} × {}/h × {HOURS_PER_MONTH} h ÷ {share}", rate(ipv4));
            RangeLine {
                item: format!("public IPv4 of the Express ALB (1/{share} share)"),
                basis,
                min: monthly,
                max: monthly,
            }
        }));
    }
    lines
}

/// The service the plan creates, if it creates one.
fn service_config(plan: &Plan) -> Option<&ExpressServiceConfig> {
    plan.steps.iter().find_map(|s| match &s.action {
        Action::CreateExpressService { config } => Some(config.as_ref()),
        _ => None,
    })
}

/// The tasks' architecture. The Express config has no runtime platform, and ferry builds
/// `linux/amd64` images, so the tasks run on x86.
fn architecture(_config: &ExpressServiceConfig) -> Arch {
    Arch::X86
}

/// Whether the tasks run in a public subnet, as the `public-ips` check judges it: they then get
/// public addresses, and the Express ALB faces the internet.
fn public_subnets(plan: &Plan, config: &ExpressServiceConfig) -> bool {
    let used = &config.network_configuration.subnets;
    plan.assumed_subnets().iter().any(|s| used.contains(&s.id) && s.public)
}

/// The zones the service's subnets are in: one ALB node, and address, each.
fn zones(plan: &Plan, config: &ExpressServiceConfig) -> u32 {
    let used = &config.network_configuration.subnets;
    let mut zones: Vec<&str> = plan
        .assumed_subnets()
        .iter()
        .filter(|s| used.contains(&s.id))
        .map(|s| if s.availability_zone.is_empty() { s.id.as_str() } else { s.availability_zone.as_str() })
        .collect();
    zones.sort_unstable();
    zones.dedup();
    u32::try_from(zones.len()).unwrap_or(u32::MAX)
}

/// CPU units from `"1024"` or `"1 vCPU"`.
fn cpu_units(text: &str) -> Option<u32> {
    sized(text, &["vcpu"])
}

/// Memory in MiB from `"2048"` or `"2 GB"`.
fn memory_mib(text: &str) -> Option<u32> {
    sized(text, &["gb", "gib"])
}

/// A whole number of units, or a number of the larger unit (1024 each) followed by its name.
fn sized(text: &str, large: &[&str]) -> Option<u32> {
    let lower = text.trim().to_ascii_lowercase();
    if let Ok(units) = lower.parse::<u32>() {
        return (units > 0).then_some(units);
    }
    let number = large.iter().find_map(|unit| lower.strip_suffix(unit))?.trim();
    let value: f64 = number.parse().ok().filter(|v: &f64| v.is_finite() && *v > 0.0 && *v <= 1024.0)?;
    Some((value * 1024.0).round() as u32)
}

/// `units / per` with no needless decimals: `0.25`, `2`.
fn trim(units: u32, per: u32) -> String {
    let text = format!("{:.3}", f64::from(units) / f64::from(per));
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Each sentence once, in the order first said: a region the book lacks is missing for every
/// item priced in it.
fn unique(said: &mut Vec<String>) {
    let mut seen = std::collections::BTreeSet::new();
    said.retain(|s| seen.insert(s.clone()));
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// What the figures take for granted.
fn assumptions(plan: &Plan, prices: Option<&RegionPrices>) -> Vec<String> {
    let mut said = vec![
        format!("on-demand Linux prices, {HOURS_PER_MONTH} hours a month, no savings plans or reserved instances"),
        format!(
            "each load balancer carries {ASSUMED_LCUS} LCU for the app's traffic; \
             the old one is shared equally by its target groups"
        ),
        "the tasks run on x86 (ferry builds linux/amd64 images)".to_string(),
    ];
    let whole = prices.and_then(|p| p.load_balancer_hourly.get("application")).map(|alb| {
        let micros_month =
            (micros(alb.hour) + u128::from(ASSUMED_LCUS) * micros(alb.lcu)) * u128::from(HOURS_PER_MONTH);
        Money::from_micros(micros_month, EXPRESS_ALB_MAX_SERVICES.into())
    });
    said.push(match whole {
        Some(shared) => format!(
            "the Express ALB is priced whole (the service alone on it); shared by the most it serves, \
             {EXPRESS_ALB_MAX_SERVICES} services, its hourly and LCU share would be {shared}/mo"
        ),
        None => "the Express ALB is priced whole (the service alone on it)".to_string(),
    });
    if plan.context.old_stack.as_ref().is_some_and(|old| old.volumes.is_empty()) {
        said.push(
            "no EBS volume of the instance is recorded, so today has none (discovery may not have listed them)".into(),
        );
    }
    said
}

/// What neither side counts.
fn left_out() -> Vec<String> {
    [
        "data transfer",
        "NAT gateways",
        "CloudWatch logs and metrics",
        "LCUs beyond the assumed one",
        "EBS snapshots",
        "Secrets Manager secrets and ECR storage",
        "taxes and free tiers",
    ]
    .map(String::from)
    .to_vec()
}
