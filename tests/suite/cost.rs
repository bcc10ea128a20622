//! Cost before apply: golden figures for a few stacks and task ranges, the prices file that
//! overrides the bundled book, a bad one refused with its reason, what has no price said as such,
//! and the plan's record of the old stack (covered by its hash, absent from older plans).

use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::model::Volume;
use ferry::plan::{Action, Assumption, OldBalancer, OldStack, Plan};
use ferry_engine::cost::{self, Money, PriceBook, PriceError};

async fn node_shop() -> Plan {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    ferry::migration::prepare(&sandbox, sandbox.app_instance()).await.unwrap().plan
}

fn bundled() -> PriceBook {
    PriceBook::bundled().expect("the bundled prices load")
}

fn gp3(size_gib: u32, iops: Option<u32>, throughput: Option<u32>) -> Volume {
    Volume { id: "vol-1".into(), size_gib, volume_type: "gp3".into(), iops, throughput, delete_on_termination: true }
}

fn alb(target_groups: u32, internet_facing: bool) -> OldBalancer {
    OldBalancer { name: "old-alb".into(), kind: "application".into(), internet_facing, zones: 2, target_groups }
}

/// The node-shop plan moved to `region`, made from `old`, running `cpu`/`memory` between `min`
/// and `max` tasks, in public subnets or not.
fn shaped(mut plan: Plan, region: &str, old: OldStack, size: (&str, &str, u32, u32), public: bool) -> Plan {
    let (cpu, memory, min, max) = size;
    plan.region = region.into();
    plan.context.old_stack = Some(old);
    for step in &mut plan.steps {
        if let Action::CreateExpressService { config } = &mut step.action {
            config.cpu = cpu.into();
            config.memory = memory.into();
            config.scaling_target.min_task_count = min;
            config.scaling_target.max_task_count = max;
        }
    }
    for assumption in &mut plan.assumptions {
        if let Assumption::Network { subnets, .. } = assumption {
            subnets.iter_mut().for_each(|s| s.public = public);
        }
    }
    plan.seal();
    plan
}

fn cents(money: Option<Money>) -> Option<u64> {
    money.map(Money::cents)
}

/// t3.medium with 30 GB of gp3, its public IP and half an internet-facing ALB; after, 1 vCPU and
/// 2 GB from 1 to 4 tasks in public subnets.
#[tokio::test]
async fn a_t3_medium_behind_a_shared_alb_against_one_to_four_small_tasks() {
    let old = OldStack {
        instance_type: "t3.medium".into(),
        volumes: vec![gp3(30, Some(3000), Some(125))],
        public_ipv4: 1,
        load_balancers: vec![alb(2, true)],
    };
    let plan = shaped(node_shop().await, "us-east-1", old, ("1024", "2048", 1, 4), true);
    let estimate = cost::estimate(&plan, &bundled());
    let today: Vec<u64> = estimate.today.lines.iter().map(|l| l.monthly.cents()).collect();
    // 0.0416 × 730; 30 × 0.08; (0.0225 + 0.008) × 730 ÷ 2; 2 × 0.005 × 730 ÷ 2; 0.005 × 730.
    assert_eq!(today, [3037, 240, 1113, 365, 365], "{:#?}", estimate.today);
    assert_eq!(cents(estimate.today.monthly), Some(5120));
    let after: Vec<(u64, u64)> = estimate.after.lines.iter().map(|l| (l.min.cents(), l.max.cents())).collect();
    // (0.04048 + 2 × 0.004445) × 730 × tasks; the ALB whole; its 2 addresses; one per task.
    assert_eq!(after, [(3604, 14416), (2227, 2227), (730, 730), (365, 1460)], "{:#?}", estimate.after);
    assert_eq!((cents(estimate.after.monthly_min), cents(estimate.after.monthly_max)), (Some(6926), Some(18833)));
    assert_eq!((estimate.after.min_tasks, estimate.after.max_tasks), (1, 4));
    let [figures, prices] = cost::headline(&estimate, 80);
    assert_eq!(figures, "cost today $51.20/mo → after $69.26–$188.33/mo (1–4 tasks)");
    assert_eq!(prices, "(prices as of 2026-06-01, aws.amazon.com, bundled)");
}

/// An m5.large with a gp3 volume provisioned beyond what its size includes, behind an internal
/// ALB of its own; after, half a vCPU and 1 GB from 2 to 10 tasks in private subnets.
#[tokio::test]
async fn provisioned_gp3_and_private_tasks_are_priced_without_public_addresses() {
    let old = OldStack {
        instance_type: "m5.large".into(),
        volumes: vec![gp3(100, Some(6000), Some(250))],
        public_ipv4: 0,
        load_balancers: vec![alb(1, false)],
    };
    let plan = shaped(node_shop().await, "us-east-1", old, ("512", "1024", 2, 10), false);
    let estimate = cost::estimate(&plan, &bundled());
    let today: Vec<u64> = estimate.today.lines.iter().map(|l| l.monthly.cents()).collect();
    // 0.096 × 730; 100 × 0.08 + 3000 IOPS × 0.005 + 125 MiB/s × 0.04; the ALB whole, no address.
    assert_eq!(today, [7008, 2800, 2227]);
    assert!(estimate.today.lines[1].basis.contains("3000 IOPS") && estimate.today.lines[1].basis.contains("125 MiB/s"));
    assert_eq!(cents(estimate.today.monthly), Some(12035));
    let after: Vec<(u64, u64)> = estimate.after.lines.iter().map(|l| (l.min.cents(), l.max.cents())).collect();
    // (0.5 × 0.04048 + 1 × 0.004445) × 730 = 18.02005 a task.
    assert_eq!(after, [(3604, 18020), (2227, 2227)]);
    assert_eq!((cents(estimate.after.monthly_min), cents(estimate.after.monthly_max)), (Some(5831), Some(20247)));
    assert_eq!(estimate.after.lines[0].item, "Fargate 0.5 vCPU / 1 GB (x86)");
}

/// A region priced by the bundled book's regional figures: eu-west-1's t3.medium.
#[tokio::test]
async fn another_region_is_priced_at_its_own_rates() {
    let old = OldStack { instance_type: "t3.medium".into(), ..OldStack::default() };
    let plan = shaped(node_shop().await, "eu-west-1", old, ("1024", "2048", 2, 2), false);
    let estimate = cost::estimate(&plan, &bundled());
    // 0.0456 × 730 = 33.288.
    assert_eq!(cents(estimate.today.monthly), Some(3329));
    assert!(estimate.assumptions.iter().any(|a| a.contains("no EBS volume")), "an empty volume list is said");
    // The same size at the same count is one figure, not a range.
    assert_eq!(estimate.after.monthly_min, estimate.after.monthly_max);
    assert!(cost::headline(&estimate, 80)[0].ends_with("/mo (2 tasks)"), "{:?}", cost::headline(&estimate, 80));
}

/// Fargate's ARM rates, and sizes written as ECS also takes them.
#[test]
fn arm_tasks_cost_less_at_the_same_size() {
    // (0.03238 + 2 × 0.00356) × 730 = 28.835 a task, rounded half up.
    assert_eq!(cost::fargate_monthly(0.03238, 0.00356, 1024, 2048, 1).cents(), 2884);
    assert_eq!(cost::fargate_monthly(0.03238, 0.00356, 1024, 2048, 4).cents(), 11534);
    assert_eq!(cost::fargate_monthly(0.04048, 0.004445, 1024, 2048, 4).cents(), 14416);
    assert_eq!(cost::fargate_monthly(0.04048, 0.004445, 256, 512, 1).cents(), 901);
}

/// An instance type or region the book lacks is said in those words; no figure is made up.
#[tokio::test]
async fn what_has_no_price_is_said_and_no_total_is_given() {
    let old = OldStack { instance_type: "t2.nano".into(), public_ipv4: 1, ..OldStack::default() };
    let plan = shaped(node_shop().await, "sa-east-1", old.clone(), ("1024", "2048", 2, 4), true);
    let estimate = cost::estimate(&plan, &bundled());
    assert_eq!(estimate.today.missing.first().map(String::as_str), Some("no price for t2.nano in sa-east-1"));
    assert_eq!(estimate.today.monthly, None);
    assert!(estimate.today.lines.is_empty(), "nothing in a region the book lacks is priced");
    assert!(estimate.after.missing.contains(&"no price for Fargate (x86) in sa-east-1".to_string()));
    assert_eq!((estimate.after.monthly_min, estimate.after.monthly_max), (None, None));
    let [figures, _] = cost::headline(&estimate, 200);
    assert!(figures.starts_with("cost today unknown (no price for t2.nano in sa-east-1)"), "{figures}");

    // In a region it has, only the type is missing: the rest is priced, the total is not given.
    let plan = shaped(node_shop().await, "us-east-1", old, ("1024", "2048", 2, 4), true);
    let estimate = cost::estimate(&plan, &bundled());
    assert_eq!(estimate.today.missing, ["no price for t2.nano in us-east-1"]);
    assert_eq!(estimate.today.lines.len(), 1, "the public address is still priced");
    assert_eq!(estimate.today.monthly, None);
    assert!(estimate.after.monthly_min.is_some());
}

/// A prices file replaces the bundled book, and the estimate names it and its date.
#[tokio::test]
async fn a_prices_file_overrides_the_bundled_prices() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prices.json");
    let mut book: serde_json::Value = serde_json::to_value(bundled()).unwrap();
    book["as_of"] = "2027-01-15".into();
    book["regions"]["us-east-1"]["ec2_hourly"]["t3.medium"] = 0.05.into();
    std::fs::write(&path, book.to_string()).unwrap();
    let book = PriceBook::load(Some(&path)).expect("a good prices file loads");
    assert_eq!(book.origin, path.display().to_string());
    let old = OldStack { instance_type: "t3.medium".into(), ..OldStack::default() };
    let plan = shaped(node_shop().await, "us-east-1", old, ("1024", "2048", 2, 4), true);
    let estimate = cost::estimate(&plan, &book);
    // 0.05 × 730.
    assert_eq!(cents(estimate.today.monthly), Some(3650));
    assert_eq!(estimate.prices_as_of, "2027-01-15");
    assert!(cost::headline(&estimate, 200)[1].contains(&format!("file {}", path.display())));
}

/// A bad prices file is an error naming the file and what is wrong, never a panic.
#[test]
fn a_bad_prices_file_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let good: serde_json::Value = serde_json::to_value(bundled()).unwrap();
    let edited = |pointer: &str, value: serde_json::Value| {
        let mut book = good.clone();
        *book.pointer_mut(pointer).unwrap() = value;
        book.to_string()
    };
    let cases = [
        (write("not-json.json", "{ nope"), "not a price book"),
        (write("shape.json", r#"{"as_of": "2026-01-01"}"#), "missing field"),
        (
            write("negative.json", &edited("/regions/us-east-1/ec2_hourly/t3.medium", (-1.0).into())),
            "ec2_hourly.t3.medium is -1",
        ),
        (
            write("alarm.json", &edited("/regions/us-east-1/alarm_metric_monthly", (-0.1).into())),
            "alarm_metric_monthly is -0.1",
        ),
        (
            write("logs.json", &edited("/regions/eu-west-1/log_storage_gb_monthly", 30_000.0.into())),
            "log_storage_gb_monthly is 30000",
        ),
        (write("date.json", &edited("/as_of", "last June".into())), "as_of must be a date"),
        (write("source.json", &edited("/source", serde_json::json!([]))), "source must name"),
        (write("currency.json", &edited("/currency", "EUR".into())), "currency must be USD"),
        (
            write(
                "typo.json",
                &edited("/regions/us-east-1/fargate_hourly/x86", serde_json::json!({"vcpu": 0.04, "gib": 0.004})),
            ),
            "unknown field",
        ),
        (dir.path().join("missing.json"), "cannot read it"),
        (dir.path().to_path_buf(), "not a regular file"),
    ];
    for (path, reason) in cases {
        let error: PriceError = PriceBook::load(Some(&path)).expect_err(reason);
        let message = error.to_string();
        assert!(message.contains(&path.display().to_string()), "names the file: {message}");
        assert!(message.contains(reason), "{reason}: {message}");
    }
}

/// The sandbox plan records the old stack from discovery, the hash covers it, and a plan
/// without it (an older ferry's) loads with the same hash and says today is not known.
#[tokio::test]
async fn the_plan_records_the_old_stack_under_its_hash_and_older_plans_still_load() {
    let plan = node_shop().await;
    let old = plan.context.old_stack.clone().expect("the plan records the old stack");
    assert_eq!(old.instance_type, "t3.small");
    assert_eq!(old.public_ipv4, 1, "the instance's public IP");
    assert_eq!(old.load_balancers.len(), 1);
    assert!(old.load_balancers[0].internet_facing && old.load_balancers[0].target_groups >= 1);

    let edited = plan.to_json().replacen("\"instance_type\": \"t3.small\"", "\"instance_type\": \"t3.nano\"", 1);
    assert_ne!(edited, plan.to_json());
    assert!(Plan::from_json(&edited).is_err(), "the footprint is covered by the hash");

    let mut older = plan.clone();
    older.context.old_stack = None;
    older.seal();
    let text = older.to_json();
    assert!(!text.contains("old_stack"), "an older plan's file is unchanged");
    let read = Plan::from_json(&text).expect("a plan without the old stack loads");
    assert_eq!(read.hash, older.hash);
    let estimate = cost::estimate(&read, &bundled());
    assert_eq!(estimate.today.monthly, None);
    assert!(estimate.today.missing[0].contains("make the plan again"), "{:?}", estimate.today.missing);
    assert!(estimate.after.monthly_min.is_some(), "after is priced from the steps alone");
}

/// The details name the prices' date and source, every line's basis, and what is left out.
#[tokio::test]
async fn the_details_name_the_date_the_source_and_what_is_left_out() {
    let estimate = cost::estimate(&node_shop().await, &bundled());
    let text = cost::details(&estimate).join("\n");
    for wanted in [
        "cost per month (730 h, USD, us-east-1), prices as of 2026-06-01 (bundled)",
        "source: https://aws.amazon.com/ec2/pricing/on-demand/",
        "instance t3.small: $15.18  ($0.0208/h × 730 h)",
        "Express ALB (1/1 share)",
        "shared by the most it serves, 25 services",
        "left out: data transfer, NAT gateways, CloudWatch logs and metrics, LCUs beyond the assumed one",
    ] {
        assert!(text.contains(wanted), "{wanted}:\n{text}");
    }
    for line in cost::headline(&estimate, 80) {
        assert!(line.chars().count() <= 80, "{line}");
    }
}

use crate::common;

/// The Plan step at 80 columns shows today → after and the prices' date and source whole, and
/// the details under the checks.
#[tokio::test]
async fn the_plan_step_shows_the_cost_in_80_columns() {
    let mut h = common::Harness::demo(ferry::cloud::sandbox::SandboxOptions::instant()).await;
    common::walk_to_plan(&mut h).await;
    let screen = common::render(&h.app, 80, 24);
    assert!(screen.contains(" cost today $50.80/mo → after $108.95–$188.33/mo (2–4 tasks)"), "{screen}");
    assert!(screen.contains(" (prices as of 2026-06-01, aws.amazon.com, bundled)"), "{screen}");
    let wide = common::render(&h.app, 120, 60);
    assert!(wide.contains("cost per month (730 h, USD, us-east-1)"), "the details where there is room: {wide}");
}

fn ferry_command(args: &[&str], state: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(args)
        .env("FERRY_STATE_DIR", state)
        .env_remove(cost::PRICES_ENV)
        .output()
        .expect("ferry runs")
}

/// `ferry show` prints the cost after the checks, `--json` adds it as `cost`, `--prices`
/// replaces the bundled prices, and a bad prices file is an error, not a panic.
#[test]
fn ferry_show_prints_the_cost_and_takes_a_prices_file() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.json");
    let plan_text = plan_path.to_str().unwrap();
    let made = ferry_command(&["plan", "--sandbox", "node-shop", "--out", plan_text], dir.path());
    let said = String::from_utf8_lossy(&made.stderr);
    assert!(made.status.success(), "{said}");
    assert!(said.contains("cost today $50.80/mo → after $108.95–$188.33/mo (2–4 tasks)"), "{said}");
    assert!(!std::fs::read_to_string(&plan_path).unwrap().contains("\"cost\""), "no figure is stored in the plan");

    let shown = ferry_command(&["show", plan_text], dir.path());
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.status.success(), "{}", String::from_utf8_lossy(&shown.stderr));
    for wanted in [
        "cost per month (730 h, USD, us-east-1), prices as of 2026-06-01 (bundled)",
        "  today: $50.80/mo",
        "    instance t3.small: $15.18  ($0.0208/h × 730 h)",
        "  after: $108.95–$188.33/mo (2–4 tasks)",
        "    Fargate 1 vCPU / 2 GB (x86): $72.08 – $144.16",
        "  left out: data transfer, NAT gateways",
    ] {
        assert!(text.contains(wanted), "{wanted}:\n{text}");
    }
    assert!(text.find("checks (judged").unwrap() < text.find("cost per month").unwrap(), "after the checks");

    let json = ferry_command(&["show", plan_text, "--json"], dir.path());
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    assert_eq!(value["cost"]["today"]["monthly"], 50.8);
    assert_eq!(value["cost"]["after"]["monthly_max"], 188.33);
    assert_eq!(value["cost"]["prices_as_of"], "2026-06-01");
    assert_eq!(value["hash"], Plan::from_json(&std::fs::read_to_string(&plan_path).unwrap()).unwrap().hash);

    let prices = dir.path().join("prices.json");
    let mut book = serde_json::to_value(bundled()).unwrap();
    book["regions"]["us-east-1"]["ec2_hourly"]["t3.small"] = 0.03.into();
    std::fs::write(&prices, book.to_string()).unwrap();
    let priced = ferry_command(&["show", plan_text, "--prices", prices.to_str().unwrap()], dir.path());
    assert!(String::from_utf8_lossy(&priced.stdout).contains("instance t3.small: $21.90"), "0.03 × 730");

    std::fs::write(&prices, "{ not json").unwrap();
    for args in [vec!["show", plan_text, "--prices"], vec!["plan", "--sandbox", "node-shop", "--out", "-", "--prices"]]
    {
        let args: Vec<&str> = args.into_iter().chain([prices.to_str().unwrap()]).collect();
        let refused = ferry_command(&args, dir.path());
        let error = String::from_utf8_lossy(&refused.stderr);
        assert!(!refused.status.success(), "{args:?}");
        assert!(error.contains(&format!("prices file {}: not a price book", prices.display())), "{error}");
        assert!(!error.contains("panicked"), "{error}");
    }
}
