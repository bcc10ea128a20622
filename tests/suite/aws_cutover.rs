//! The cutover's changes on AWS, over real HTTP against moto: the Express listener rule and
//! certificate (Elastic Load Balancing) and the weighted records (Route 53), applied as a
//! plan through the operator, read back, and rolled back to exactly what was there.

use crate::express_mocks;
use crate::support;

use std::sync::Arc;

use aws_config::SdkConfig;
use aws_sdk_elasticloadbalancingv2::types as elb;
use ferry::apply::{ApplyOptions, RollbackOutcome, RunControl, RunOutcome, Target};
use ferry::cloud::ReadCloud;
use ferry::cloud::aws::{AwsCloud, AwsOptions, connect};
use ferry::cutover::{CutoverOptions, Stages, build_cutover_plan};
use ferry::model::{DnsRecord, ExpressIngress};
use ferry::operate::Operator;
use ferry::plan::{Action, PlanHeader};
use support::cloudwatch::{Minute, minute, p95_proxy, put};
use support::estate::{self, Size};
use support::moto::Moto;

const SERVICE_ARN: &str = express_mocks::ARN;
const EXPRESS_HOST: &str = express_mocks::HOST;
const EXPRESS_CERTIFICATE: &str = "arn:aws:iam::123456789012:server-certificate/express";

async fn ferry_cloud(endpoint: String, config: &SdkConfig) -> AwsCloud {
    let options = AwsOptions {
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint),
        max_attempts: Some(1),
        credentials: config.credentials_provider(),
        poll_interval: Some(std::time::Duration::from_millis(10)),
        ..AwsOptions::default()
    };
    connect(&options).await.expect("connects")
}

/// A load balancer made as Express Mode makes one: HTTPS:443 with its own certificate and a
/// rule sending the service's host to its target group.
async fn express_load_balancer(config: &SdkConfig, estate_vpc: &str) -> ExpressIngress {
    let client = aws_sdk_elasticloadbalancingv2::Client::new(config);
    let ec2 = aws_sdk_ec2::Client::new(config);
    let subnets = ec2.describe_subnets().send().await.unwrap();
    let subnets: Vec<String> = subnets
        .subnets()
        .iter()
        .filter(|s| s.vpc_id() == Some(estate_vpc))
        .filter_map(|s| s.subnet_id().map(str::to_string))
        .take(2)
        .collect();
    let created = client.create_load_balancer().name("ecs-express-gateway").set_subnets(Some(subnets)).send().await;
    let balancer = created.unwrap().load_balancers()[0].clone();
    let arn = balancer.load_balancer_arn().unwrap().to_string();
    let group = client.create_target_group().name("ecs-gateway-tg").protocol(elb::ProtocolEnum::Http).port(3000);
    let group = group.vpc_id(estate_vpc).target_type(elb::TargetTypeEnum::Ip).send().await.unwrap();
    let group_arn = group.target_groups()[0].target_group_arn().unwrap().to_string();
    let forward = elb::Action::builder().r#type(elb::ActionTypeEnum::Forward).target_group_arn(&group_arn).build();
    let listener = client
        .create_listener()
        .load_balancer_arn(&arn)
        .protocol(elb::ProtocolEnum::Https)
        .port(443)
        .certificates(elb::Certificate::builder().certificate_arn(EXPRESS_CERTIFICATE).build())
        .default_actions(forward.clone())
        .send()
        .await
        .unwrap();
    let listener_arn = listener.listeners()[0].listener_arn().unwrap().to_string();
    let hosts = elb::HostHeaderConditionConfig::builder().values(EXPRESS_HOST).build();
    let condition = elb::RuleCondition::builder().field("host-header").host_header_config(hosts).build();
    let rule = client.create_rule().listener_arn(&listener_arn).priority(1).conditions(condition).actions(forward);
    let rule_arn = rule.send().await.unwrap().rules()[0].rule_arn().unwrap().to_string();
    ExpressIngress {
        endpoint_host: EXPRESS_HOST.into(),
        load_balancer_arn: arn,
        dns_name: balancer.dns_name().unwrap().to_string(),
        canonical_zone_id: balancer.canonical_hosted_zone_id().unwrap().to_string(),
        listener_arn,
        rule_arn,
        rule_hosts: vec![EXPRESS_HOST.into()],
        certificate_arns: vec![EXPRESS_CERTIFICATE.into()],
        target_group_arns: vec![group_arn],
    }
}

/// Every record of the zone, in a stable order.
async fn zone_records(cloud: &AwsCloud) -> (String, Vec<DnsRecord>) {
    let zone = cloud.hosted_zones().await.unwrap().remove(0);
    let mut records = cloud.records(&zone.id).await.unwrap();
    records.sort_by(|a, b| {
        (&a.name, &a.record_type, &a.set_identifier).cmp(&(&b.name, &b.record_type, &b.set_identifier))
    });
    (zone.id, records)
}

/// Rule hosts and listener certificates as ELB reports them now.
async fn listener_state(config: &SdkConfig, ingress: &ExpressIngress) -> (Vec<String>, Vec<String>) {
    let client = aws_sdk_elasticloadbalancingv2::Client::new(config);
    let rules = client.describe_rules().rule_arns(&ingress.rule_arn).send().await.unwrap();
    let mut hosts: Vec<String> = rules.rules()[0]
        .conditions()
        .iter()
        .flat_map(|c| c.host_header_config().map(|h| h.values().to_vec()).unwrap_or_default())
        .collect();
    hosts.sort();
    let certificates =
        client.describe_listener_certificates().listener_arn(&ingress.listener_arn).send().await.unwrap();
    let mut arns: Vec<String> =
        certificates.certificates().iter().filter_map(|c| c.certificate_arn().map(str::to_string)).collect();
    arns.sort();
    (hosts, arns)
}

/// The last five minutes of one side, as CloudWatch would have them: `target_5xx` of every
/// 100 requests failing.
async fn figures(config: &SdkConfig, load_balancer_arn: &str, group_arn: &str, target_5xx: f64) {
    let cloudwatch = aws_sdk_cloudwatch::Client::new(config);
    let lb = ferry_engine::gate::load_balancer_dimension(load_balancer_arn).unwrap();
    let group = ferry_engine::gate::target_group_dimension(group_arn).unwrap();
    let minutes: Vec<Minute> = (0..4).map(|_| minute(100.0, target_5xx, 0.2)).collect();
    put(&cloudwatch, &lb, &group, &minutes).await;
}

/// moto seeded with the estate and an Express-like load balancer; ferry connected through the
/// proxy that lets moto answer p95 queries; the graph discovered.
struct World {
    _moto: Moto,
    config: SdkConfig,
    ingress: ExpressIngress,
    cloud: Arc<AwsCloud>,
    graph: ferry::model::MigrationGraph,
    app_instance: String,
}

/// ECS as Express Mode answers for the service (moto has no Express operations): its
/// revision's managed load balancer, listener, rule and target group are the moto ones.
fn express_ecs(ingress: &ExpressIngress) -> aws_sdk_ecs::Client {
    use aws_sdk_ecs::operation::describe_service_revisions::DescribeServiceRevisionsOutput;
    use aws_sdk_ecs::types::{
        AccessType, EcsManagedResources, ManagedIngressPath, ManagedListener, ManagedListenerRule, ManagedLoadBalancer,
        ManagedResourceStatus, ManagedTargetGroup, ServiceRevision,
    };
    let ingress = ingress.clone();
    let revisions = aws_smithy_mocks::mock!(aws_sdk_ecs::Client::describe_service_revisions).then_output(move || {
        let at = aws_smithy_types::DateTime::from_secs(1_700_000_000);
        let active = ManagedResourceStatus::Active;
        let balancer = ManagedLoadBalancer::builder().arn(&ingress.load_balancer_arn).status(active.clone());
        let listener = ManagedListener::builder().arn(&ingress.listener_arn).status(active.clone()).updated_at(at);
        let rule = ManagedListenerRule::builder().arn(&ingress.rule_arn).status(active.clone()).updated_at(at);
        let group = ManagedTargetGroup::builder()
            .arn(&ingress.target_group_arns[0])
            .status(active.clone())
            .updated_at(at)
            .health_check_path("/healthz")
            .health_check_port(3000)
            .port(3000);
        let path = ManagedIngressPath::builder()
            .access_type(AccessType::Public)
            .endpoint(&ingress.endpoint_host)
            .load_balancer(balancer.updated_at(at).scheme("internet-facing").build().unwrap())
            .listener(listener.build().unwrap())
            .rule(rule.build().unwrap())
            .target_groups(group.build().unwrap())
            .build()
            .unwrap();
        let managed = EcsManagedResources::builder().ingress_paths(path).build();
        let revision =
            ServiceRevision::builder().service_revision_arn(express_mocks::REVISION).ecs_managed_resources(managed);
        DescribeServiceRevisionsOutput::builder().service_revisions(revision.build()).build()
    });
    let describe = express_mocks::describe_rule(&[aws_sdk_ecs::types::ExpressGatewayServiceStatusCode::Active]);
    express_mocks::mocked_ecs(&[&describe, &revisions])
}

async fn world() -> World {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let estate = estate::seed(&config, Size { extra_instances: 0, extra_roles: 0 }).await;
    let built = express_load_balancer(&config, &estate.vpc).await;
    let (endpoint, _) = p95_proxy(moto.port).await;
    let cloud = ferry_cloud(endpoint, &config).await.with_ecs_client(express_ecs(&built));
    // ferry reads the Express side as it would on AWS: ECS names the resources, ELB describes them.
    let ingress = cloud.express_ingress(SERVICE_ARN).await.expect("reads the Express load balancer");
    assert_eq!(ingress.dns_name, built.dns_name);
    assert_eq!(ingress.rule_hosts, [EXPRESS_HOST.to_string()]);
    let cloud = Arc::new(cloud);
    let graph = ferry::discover::discover(cloud.as_ref(), &estate.app_instance).await.unwrap();
    World { _moto: moto, config, ingress, cloud, graph, app_instance: estate.app_instance }
}

fn operator(cloud: Arc<AwsCloud>, state: &std::path::Path) -> Operator {
    Operator {
        cloud,
        runs_dir: Some(state.join("runs")),
        audit: Some(state.join("audit.jsonl")),
        target: Target::InProcess,
        options: ApplyOptions::default(),
        anchor: None,
    }
}

/// The cutover plan, its waits a second each: a test cannot wait a real TTL.
fn quick_plan(world: &World, stages: &str) -> ferry::plan::Plan {
    let header = PlanHeader {
        service_name: "shop-api".into(),
        source_instance_id: world.app_instance.clone(),
        account_id: "123456789012".into(),
        region: "us-east-1".into(),
    };
    let options = CutoverOptions { stages: Stages::parse(stages).unwrap(), bake_secs: 0, ..Default::default() };
    let mut plan = build_cutover_plan(header, &world.graph, &world.ingress, SERVICE_ARN, &options).unwrap();
    for step in &mut plan.steps {
        if let Action::Bake { seconds, .. } = &mut step.action {
            *seconds = 1;
        }
    }
    plan.seal();
    plan
}

#[tokio::test]
async fn a_cutover_on_aws_moves_the_weights_and_rolls_back_to_the_records_as_they_were() {
    let world = world().await;
    let (config, ingress, cloud, graph) = (&world.config, &world.ingress, world.cloud.clone(), &world.graph);
    let old = &graph.routes[0];
    figures(config, &old.load_balancer.arn, &old.target_group.arn, 0.0).await;
    figures(config, &ingress.load_balancer_arn, &ingress.target_group_arns[0], 0.0).await;
    let (zone_id, before) = zone_records(&cloud).await;
    let listener_before = listener_state(config, ingress).await;

    let plan = quick_plan(&world, "50,100");
    let state = tempfile::tempdir().unwrap();
    let operator = operator(cloud.clone(), state.path());
    let approved = plan.approve_overriding_all("accepted in this test on purpose").unwrap();
    let run = operator.start(&approved).await.unwrap();
    let report = operator.carry_out(&run, &RunControl::new(), &|_| {}).await.unwrap();
    assert_eq!(report.outcome, RunOutcome::Applied, "{:?}", report.outcome);

    let (_, after) = zone_records(&cloud).await;
    let shop: Vec<(&str, Option<&str>, Option<i64>)> = after
        .iter()
        .filter(|r| r.name == "shop.example.com.")
        .map(|r| (r.record_type.as_str(), r.set_identifier.as_deref(), r.weight))
        .collect();
    assert_eq!(
        shop,
        [
            ("A", Some("ferry-new"), Some(100)),
            ("A", Some("ferry-old"), Some(0)),
            ("AAAA", Some("ferry-new"), Some(100)),
            ("AAAA", Some("ferry-old"), Some(0)),
        ],
        "the weights read back through Route 53"
    );
    let new_side = after.iter().find(|r| r.set_identifier.as_deref() == Some("ferry-new")).unwrap();
    assert!(new_side.alias.as_ref().unwrap().dns_name.contains("ecs-express-gateway"), "{new_side:?}");
    let (hosts, certificates) = listener_state(config, ingress).await;
    assert!(hosts.contains(&"shop.example.com".to_string()), "the Express host is kept: {hosts:?}");
    assert!(hosts.contains(&EXPRESS_HOST.to_string()), "{hosts:?}");
    assert!(certificates.contains(&support::old_stack::CERTIFICATE.to_string()), "{certificates:?}");

    let (outcome, errors) = operator.rollback(&run, &|_| {}).await.unwrap();
    assert_eq!(outcome, RollbackOutcome::RolledBack);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(zone_records(&cloud).await, (zone_id, before), "the records are back byte for byte");
    assert_eq!(listener_state(config, ingress).await, listener_before, "the Express listener is as it was");
}

#[tokio::test]
async fn a_gate_failing_on_cloudwatch_figures_returns_the_weights_and_fails_the_run() {
    let world = world().await;
    let (config, ingress, graph) = (&world.config, &world.ingress, &world.graph);
    let old = &graph.routes[0];
    figures(config, &old.load_balancer.arn, &old.target_group.arn, 0.0).await;
    figures(config, &ingress.load_balancer_arn, &ingress.target_group_arns[0], 8.0).await;
    let plan = quick_plan(&world, "10,100");
    let state = tempfile::tempdir().unwrap();
    let operator = operator(world.cloud.clone(), state.path());
    let approved = plan.approve_overriding_all("accepted in this test on purpose").unwrap();
    let run = operator.start(&approved).await.unwrap();
    let report = operator.carry_out(&run, &RunControl::new(), &|_| {}).await.unwrap();
    let RunOutcome::Failed { step, reason } = &report.outcome else { panic!("{:?}", report.outcome) };
    assert_eq!(plan.steps[*step].id, "stage-10-gate");
    assert!(reason.contains("5xx rate 8.0% on the new load balancer is over the 1.0% limit by 7.0 points"), "{reason}");
    let (_, records) = zone_records(&world.cloud).await;
    let weights: Vec<(Option<&str>, Option<i64>)> = records
        .iter()
        .filter(|r| r.name == "shop.example.com.")
        .map(|r| (r.set_identifier.as_deref(), r.weight))
        .collect();
    assert_eq!(
        weights,
        [
            (Some("ferry-new"), Some(0)),
            (Some("ferry-old"), Some(100)),
            (Some("ferry-new"), Some(0)),
            (Some("ferry-old"), Some(100))
        ],
        "read back through Route 53: old 100 / new 0"
    );
    let journaled = ferry::apply::load_run(&state.path().join("runs").join(format!("{}.jsonl", run.run_id()))).unwrap();
    assert!(matches!(journaled.status, ferry::apply::RunStatus::Failed { .. }), "{:?}", journaled.status);
}

/// An ACM certificate for the name on the old listener (moto issues one on request): discovery
/// reads its names over HTTP, the plan reuses it alone (the IAM one, whose names no API gives,
/// is not needed), and apply reads the names again before it attaches it.
#[tokio::test]
async fn an_acm_certificate_covering_the_name_is_read_reused_and_confirmed_before_apply() {
    let mut world = world().await;
    let acm = aws_sdk_acm::Client::new(&world.config);
    let requested = acm
        .request_certificate()
        .domain_name("shop.example.com")
        .subject_alternative_names("www.example.com")
        .send()
        .await
        .unwrap();
    let arn = requested.certificate_arn().unwrap().to_string();
    let old_listener = world.graph.routes[0].listeners.iter().find(|l| l.protocol == "HTTPS").unwrap().arn.clone();
    let elbc = aws_sdk_elasticloadbalancingv2::Client::new(&world.config);
    let certificate = elb::Certificate::builder().certificate_arn(&arn).build();
    elbc.add_listener_certificates().listener_arn(&old_listener).certificates(certificate).send().await.unwrap();

    world.graph = ferry::discover::discover(world.cloud.as_ref(), &world.app_instance).await.unwrap();
    assert!(world.graph.unseen.is_empty(), "{:?}", world.graph.unseen);
    let acm_edge = world.graph.certificates.iter().find(|c| c.arn == arn).expect("the SNI certificate");
    let mut names = acm_edge.domains.clone().expect("DescribeCertificate gives its names");
    names.sort();
    assert_eq!(names, ["shop.example.com", "www.example.com"]);
    let iam_edge = world.graph.certificates.iter().find(|c| c.arn == support::old_stack::CERTIFICATE).unwrap();
    assert_eq!(iam_edge.domains, None, "IAM keeps no names to read");
    let missing = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000";
    let error = world.cloud.certificate_domains(missing).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");

    let (config, ingress) = (&world.config, &world.ingress);
    let old = &world.graph.routes[0];
    figures(config, &old.load_balancer.arn, &old.target_group.arn, 0.0).await;
    figures(config, &ingress.load_balancer_arn, &ingress.target_group_arns[0], 0.0).await;
    let plan = quick_plan(&world, "100");
    let attached: Vec<&str> = plan
        .steps
        .iter()
        .filter_map(|s| match &s.action {
            Action::AddListenerCertificate { certificate_arn, .. } => Some(certificate_arn.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(attached, [arn.as_str()]);
    let checks: Vec<String> = plan.checks().iter().map(|c| format!("{:?} {}", c.level, c.id)).collect();
    assert!(checks.contains(&"Pass cutover-certificate:shop.example.com".to_string()), "{checks:?}");

    let described = || world.cloud.calls().snapshot().iter().filter(|c| c.operation == "DescribeCertificate").count();
    let before = described();
    let state = tempfile::tempdir().unwrap();
    let operator = operator(world.cloud.clone(), state.path());
    let approved = plan.approve_overriding_all("accepted in this test on purpose").unwrap();
    let run = operator.start(&approved).await.unwrap();
    let report = operator.carry_out(&run, &RunControl::new(), &|_| {}).await.unwrap();
    assert_eq!(report.outcome, RunOutcome::Applied, "{:?}", report.outcome);
    assert!(described() > before, "the names are read again before apply");
    let (_, certificates) = listener_state(config, ingress).await;
    assert!(certificates.contains(&arn), "{certificates:?}");
    assert!(!certificates.contains(&support::old_stack::CERTIFICATE.to_string()), "{certificates:?}");
}
