//! The old stack's CloudWatch alarms and log groups on the bundled node-shop sandbox: found by
//! discovery with their evidence, listed by the decommission checklist with what each costs
//! and the command that removes it; and the scenario tables that describe them, checked.

use ferry::cloud::sandbox::{Sandbox, SandboxOptions, Scenario};
use ferry::decommission::{Item, checklist};
use ferry::model::EvidenceKind;

const APP: &str = "i-0a1b2c3d4e5f60718";

async fn node_shop_items() -> (ferry::model::MigrationGraph, Vec<Item>) {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let graph = ferry::discover::discover(&sandbox, sandbox.app_instance()).await.unwrap();
    let book = ferry_engine::cost::PriceBook::bundled().unwrap();
    let items = checklist(&graph, book.region("us-east-1"), &[]);
    (graph, items)
}

#[tokio::test]
async fn discovery_finds_the_alarms_on_the_instance_and_its_load_balancer_and_its_log_group() {
    let (graph, _) = node_shop_items().await;
    assert!(graph.unseen.is_empty(), "{:?}", graph.unseen);
    let alarms: Vec<_> = graph.alarms.iter().map(|a| a.alarm.name.as_str()).collect();
    assert_eq!(alarms, ["shop-alb-target-5xx", "shop-api-cpu-high"], "not the staging instance's alarm");
    let cpu = &graph.alarms[1];
    assert_eq!(cpu.evidence.len(), 1);
    assert_eq!(cpu.evidence[0].kind, EvidenceKind::AlarmDimension);
    assert_eq!(cpu.evidence[0].text, format!("metric AWS/EC2 CPUUtilization has InstanceId = {APP} (the instance)"));
    let alb = &graph.alarms[0].evidence[0].text;
    assert!(alb.contains("has LoadBalancer = app/shop-alb/") && alb.ends_with("(load balancer shop-alb)"), "{alb}");

    let groups: Vec<_> = graph.log_groups.iter().map(|g| g.log_group.name.as_str()).collect();
    assert_eq!(groups, [format!("/ec2/shop-api/{APP}")], "not the staging group");
    let evidence = &graph.log_groups[0].evidence[0];
    assert_eq!(
        (evidence.kind, evidence.text.as_str()),
        (EvidenceKind::LogGroupName, &*format!("its name holds the instance id {APP}"))
    );
}

#[tokio::test]
async fn the_checklist_lists_each_alarm_and_the_log_group_with_cost_and_command() {
    let (_, items) = node_shop_items().await;
    let find = |id: &str| items.iter().find(|i| i.id == id).unwrap_or_else(|| panic!("{id} in {items:#?}"));

    let cpu = find("alarm:shop-api-cpu-high");
    assert_eq!(cpu.what, "CloudWatch alarm shop-api-cpu-high on AWS/EC2 CPUUtilization");
    assert_eq!(cpu.monthly.map(|m| m.to_string()).as_deref(), Some("$0.10"), "one standard-resolution metric");
    assert_eq!(cpu.command, "aws cloudwatch delete-alarms --alarm-names shop-api-cpu-high --region us-east-1");
    let alb = find("alarm:shop-alb-target-5xx");
    assert_eq!(alb.monthly.map(|m| m.to_string()).as_deref(), Some("$0.10"));
    assert_eq!(alb.command, "aws cloudwatch delete-alarms --alarm-names shop-alb-target-5xx --region us-east-1");
    assert!(!items.iter().any(|i| i.id.contains("staging")), "{items:#?}");

    let logs = find(&format!("log-group:/ec2/shop-api/{APP}"));
    assert_eq!(logs.what, format!("CloudWatch log group /ec2/shop-api/{APP} (5 GiB stored, kept 30 days)"));
    assert_eq!(logs.monthly.map(|m| m.to_string()).as_deref(), Some("$0.15"), "5 GiB × $0.03");
    assert_eq!(
        logs.command,
        format!("aws logs delete-log-group --log-group-name /ec2/shop-api/{APP} --region us-east-1")
    );

    // Alarms go first, before what they watch; the logs after the instance that writes them.
    let at = |id: &str| items.iter().position(|i| i.id == id).unwrap();
    assert!(at("alarm:shop-alb-target-5xx") < at("load-balancer:shop-alb"));
    assert!(at("instance") < at(&format!("log-group:/ec2/shop-api/{APP}")));
}

#[tokio::test]
async fn without_a_price_book_the_items_are_listed_unpriced() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let graph = ferry::discover::discover(&sandbox, sandbox.app_instance()).await.unwrap();
    let items = checklist(&graph, None, &[]);
    let watchers: Vec<_> =
        items.iter().filter(|i| i.id.starts_with("alarm:") || i.id.starts_with("log-group:")).collect();
    assert_eq!(watchers.len(), 3);
    assert!(watchers.iter().all(|i| i.monthly.is_none()));
}

const BASE: &str = r#"
[account]
name = "t"
account_id = "111122223333"
region = "eu-west-1"
caller_arn = "arn:aws:iam::111122223333:user/t"
app_instance = "i-1"

[[vpcs]]
id = "vpc-1"
cidr = "10.0.0.0/16"

[[subnets]]
id = "subnet-1"
vpc_id = "vpc-1"
cidr = "10.0.1.0/24"
availability_zone = "eu-west-1a"

[[instances]]
id = "i-1"
instance_type = "t3.small"
subnet_id = "subnet-1"
private_ip = "10.0.1.5"
"#;

fn error_for(tables: &str) -> String {
    Scenario::parse(&format!("{BASE}{tables}"), "t.toml").unwrap_err().to_string()
}

#[test]
fn the_scenario_tables_are_checked() {
    let alarm = |extra: &str| {
        format!("[[alarms]]\nname = \"a\"\nnamespace = \"AWS/EC2\"\nmetric = \"CPUUtilization\"\n{extra}\n")
    };
    assert!(Scenario::parse(&format!("{BASE}{}", alarm("period = 60")), "t.toml").is_ok());
    let cases = [
        (
            alarm("load_balancer = \"nope\""),
            "alarms[0].load_balancer: no load balancer \"nope\" is defined in this scenario",
        ),
        (
            alarm("target_group = \"nope\""),
            "alarms[0].target_group: no target group \"nope\" is defined in this scenario",
        ),
        (alarm("period = 45"), "alarms[0].period: 45 is not 10, 30 or a multiple of 60"),
        (format!("{}{}", alarm(""), alarm("")), "alarms[1].name: \"a\" is defined twice"),
        (
            "[[log_groups]]\nname = \"shop logs\"\n".to_string(),
            "log_groups[0].name: \"shop logs\" is not a log group name",
        ),
        (
            "[[log_groups]]\nname = \"/shop\"\nretention_days = 10\n".to_string(),
            "log_groups[0].retention_days: 10 is not a retention CloudWatch Logs offers",
        ),
        ("[[log_groups]]\nname = \"/shop\"\nsize = 1\n".to_string(), "unknown field `size`"),
    ];
    for (tables, expected) in cases {
        let error = error_for(&tables);
        assert!(error.contains(expected), "{error}\nexpected: {expected}");
    }
}

#[tokio::test]
async fn a_scenario_alarm_names_its_target_group_by_the_dimension_cloudwatch_uses() {
    let text = format!(
        "{BASE}{}",
        r#"
[[load_balancers]]
name = "lb"
scheme = "internal"
subnet_ids = ["subnet-1"]
listeners = [{ protocol = "HTTP", port = 80, forward_to = "tg" }]

[[target_groups]]
name = "tg"
protocol = "HTTP"
port = 8080
vpc_id = "vpc-1"
targets = [{ id = "i-1", port = 8080, health = "healthy" }]

[[alarms]]
name = "tg hosts < 1"
namespace = "AWS/ApplicationELB"
metric = "HealthyHostCount"
target_group = "tg"
load_balancer = "lb"
period = 10
"#
    );
    let scenario = Scenario::parse(&text, "t.toml").unwrap();
    let sandbox = Sandbox::new(&scenario, SandboxOptions::instant());
    let graph = ferry::discover::discover(&sandbox, "i-1").await.unwrap();
    assert_eq!(graph.alarms.len(), 1, "{:?}", graph.alarms);
    let dimensions = &graph.alarms[0].alarm.metrics[0].dimensions;
    let tg = dimensions.iter().find(|d| d.name == "TargetGroup").unwrap();
    assert_eq!(Some(tg.value.clone()), ferry::gate::target_group_dimension(&graph.routes[0].target_group.arn));
    let items = checklist(&graph, ferry_engine::cost::PriceBook::bundled().unwrap().region("eu-west-1"), &[]);
    let item = items.iter().find(|i| i.id.starts_with("alarm:")).unwrap();
    assert_eq!(item.monthly, None, "a high-resolution alarm is not priced at the standard rate");
    assert_eq!(item.command, "aws cloudwatch delete-alarms --alarm-names 'tg hosts < 1' --region eu-west-1");
}
