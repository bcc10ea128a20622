//! The AWS backend over real HTTP against a real moto server: discovery, pagination,
//! partial visibility, throttling, and the read-only guarantee of the inventory.

use crate::support;

use std::collections::BTreeSet;

use ferry::cloud::ReadCloud;
use ferry::cloud::aws::{AwsCloud, AwsOptions, connect};
use ferry::cloud::sandbox::{Sandbox, SandboxOptions, Scenario};
use ferry::discover::{discover, what_fronts};
use ferry::model::MigrationGraph;
use support::estate::{self, Size};
use support::moto::Moto;
use support::proxy::{Fault, Proxy};

async fn client(endpoint: String, page_size: Option<i32>, attempts: Option<u32>) -> AwsCloud {
    let config = estate::sdk_config(&endpoint).await;
    let options = AwsOptions {
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint),
        page_size,
        max_attempts: attempts,
        ..AwsOptions::default()
    };
    connect_with(&options, &config).await
}

/// ferry's own connection, with the test credentials the seeding used.
async fn connect_with(options: &AwsOptions, config: &aws_config::SdkConfig) -> AwsCloud {
    let options = AwsOptions { credentials: config.credentials_provider(), ..options.clone() };
    connect(&options).await.expect("connects")
}

/// The graph without what differs between accounts (ids, ARNs, endpoints).
fn shape(graph: &MigrationGraph) -> BTreeSet<String> {
    let mut facts = BTreeSet::new();
    facts.insert(format!("instance {} {}", graph.instance.display_name(), graph.instance.instance_type));
    for route in &graph.routes {
        let listeners: Vec<String> = route.listeners.iter().map(|l| format!("{}:{}", l.protocol, l.port)).collect();
        facts.insert(format!(
            "route {} {} {:?} -> {} {}:{} {:?} sticky {:?} target {}",
            route.load_balancer.name,
            route.load_balancer.scheme.as_str(),
            listeners,
            route.target_group.name,
            route.target_group.protocol,
            route.target_group.port,
            route.target_group.health_check.path,
            route.target_group.stickiness,
            route.target.state.as_str()
        ));
    }
    if let Some(role) = &graph.role {
        facts.insert(format!("profile {} role {}", role.instance_profile.name, role.role.name));
        for policy in &role.role.policies {
            facts.insert(format!("policy {} {:?} documented={}", policy.name, policy.kind, policy.document.is_some()));
        }
    }
    for store in &graph.data_stores {
        let kinds: BTreeSet<String> = store.evidence.iter().map(|e| format!("{:?}", e.kind)).collect();
        let engine = store.engine.split(' ').next().unwrap_or("");
        facts.insert(format!("store {:?} {} {engine} {:?} {kinds:?}", store.kind, store.name, store.port));
    }
    for hostname in &graph.hostnames {
        let record = &hostname.record;
        let alias = record.alias.as_ref().map(|a| a.evaluate_target_health);
        facts.insert(format!(
            "hostname {} {} in {} alias health={alias:?}",
            record.name, record.record_type, hostname.zone.name
        ));
    }
    for certificate in &graph.certificates {
        facts.insert(format!("certificate default={}", certificate.is_default));
    }
    facts.insert(format!(
        "storage: {} volumes, {} snapshots, {} elastic IPs",
        graph.volumes.len(),
        graph.snapshots.len(),
        graph.elastic_ips.len()
    ));
    facts
}

#[tokio::test]
async fn discovery_on_moto_matches_the_mirroring_sandbox_scenario() {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let estate = estate::seed(&config, Size { extra_instances: 12, extra_roles: 12 }).await;

    let aws = client(moto.endpoint(), Some(5), None).await;
    let graph = discover(&aws, &estate.app_instance).await.expect("discovers");
    assert!(graph.unseen.is_empty(), "everything is visible: {:?}", graph.unseen);

    let mirror = Scenario::parse(include_str!("../fixtures/moto-mirror.toml"), "moto-mirror.toml").unwrap();
    let sandbox = Sandbox::new(&mirror, SandboxOptions::instant());
    let expected = discover(&sandbox, sandbox.app_instance()).await.unwrap();
    let found = shape(&graph);
    assert_eq!(found, shape(&expected));
    assert!(
        found.iter().any(|f| f.starts_with("route shop-alb internet-facing [\"HTTPS:443\"] -> shop-tg HTTP:3000")),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|f| f.starts_with("policy AmazonSSMManagedInstanceCore AwsManaged documented=true")),
        "{found:#?}"
    );
    assert_eq!(found.iter().filter(|f| f.starts_with("store ")).count(), 3, "RDS, Redis and the bucket: {found:#?}");
    assert!(found.contains("hostname shop.example.com. AAAA in example.com. alias health=Some(true)"), "{found:#?}");
    assert!(found.contains("storage: 1 volumes, 1 snapshots, 1 elastic IPs"), "{found:#?}");
    assert_eq!(graph.certificates[0].arn, support::old_stack::CERTIFICATE, "DescribeListenerCertificates");
    assert_eq!(graph.routes[0].balancer_target_groups, 1);

    assert_eq!(graph.routes[0].target_group.stickiness.as_deref(), Some("lb_cookie"), "DescribeTargetGroupAttributes");

    // The Source list's Behind column: one pass over the account finds the same front.
    let fronts = what_fronts(&aws).await;
    assert!(fronts.unseen.is_empty() && !fronts.routes_unread, "{:?}", fronts.unseen);
    let front = &fronts.by_instance[&estate.app_instance];
    assert_eq!(
        (front.balancers.as_slice(), front.headline()),
        (&["shop-alb".to_string()][..], Some("shop.example.com"))
    );
    assert_eq!(fronts.by_instance.len(), 1, "the other instances are behind nothing: {:?}", fronts.by_instance);

    // Facts that only a live account has.
    assert_eq!(graph.instance.vpc_id, estate.vpc);
    let db = graph.data_stores.iter().find(|d| d.name == "shop-db").unwrap();
    assert_eq!(db.endpoint.as_deref(), Some(estate.db_endpoint.as_str()));
    let user_data = graph.instance.user_data.as_deref().unwrap();
    assert!(user_data.contains("postgres://shop:••••@") && !user_data.contains("Tr0ub4dor"), "masked at the boundary");
    assert_eq!(
        graph.vpc_subnets.iter().filter(|s| s.public).count(),
        2,
        "public by their route to the internet gateway"
    );
    let _ = estate.cache_endpoint;
}

#[tokio::test]
async fn every_page_is_read() {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    estate::seed(&config, Size { extra_instances: 23, extra_roles: 17 }).await;
    let proxy = Proxy::start(moto.port).await;
    let aws = client(proxy.endpoint(), Some(5), None).await;

    assert_eq!(aws.instances().await.unwrap().len(), 24);
    let roles = aws.roles().await.unwrap();
    assert_eq!(roles.len(), 18);
    let ops = proxy.operations();
    let count = |op: &str| ops.iter().filter(|o| *o == op).count();
    assert!(count("DescribeInstances") >= 5, "instances came in pages of 5: {ops:?}");
    assert!(count("ListRoles") >= 4, "roles came in pages of 5: {ops:?}");

    // Route 53 pages records by the next record's name and type, not by a token.
    let small_pages = client(proxy.endpoint(), Some(1), None).await;
    let zone = small_pages.hosted_zones().await.unwrap().remove(0);
    let records = small_pages.records(&zone.id).await.unwrap();
    let kinds: BTreeSet<_> = records.iter().map(|r| r.record_type.as_str()).collect();
    assert!(kinds.contains("A") && kinds.contains("AAAA") && kinds.contains("SOA"), "{records:?}");
    let pages = small_pages.calls().snapshot().iter().filter(|c| c.operation == "ListResourceRecordSets").count();
    assert_eq!(pages, records.len(), "one record a page");
}

#[tokio::test]
async fn access_denied_on_one_service_leaves_the_rest_visible() {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let estate = estate::seed(&config, Size { extra_instances: 0, extra_roles: 0 }).await;
    let proxy = Proxy::start(moto.port).await;
    proxy.fail("DescribeDBInstances", Fault::AccessDenied);
    proxy.fail("DescribeTargetGroups", Fault::AccessDenied);
    let aws = client(proxy.endpoint(), None, None).await;

    let graph = discover(&aws, &estate.app_instance).await.expect("discovery goes on");
    let missing: Vec<_> = graph.unseen.iter().filter_map(|u| u.missing_action.clone()).collect();
    assert!(missing.contains(&"rds:DescribeDBInstances".to_string()), "{missing:?}");
    assert!(missing.contains(&"elasticloadbalancing:DescribeTargetGroups".to_string()), "{missing:?}");
    assert!(graph.role.is_some(), "IAM was still read");
    assert!(graph.data_stores.iter().any(|d| d.name == "shop-cache"), "ElastiCache was still read");
    assert!(graph.routes.is_empty());
    let fronts = what_fronts(&aws).await;
    assert!(fronts.by_instance.is_empty() && fronts.routes_unread);
    assert!(fronts.unseen.iter().any(|u| u.what == "target groups"), "said unread, not unfronted: {:?}", fronts.unseen);

    let json = serde_json::to_value(&graph).unwrap();
    assert!(json["unseen"].to_string().contains("rds:DescribeDBInstances"), "the JSON says what is missing");
}

#[tokio::test]
async fn throttling_is_retried_then_reported() {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let estate = estate::seed(&config, Size { extra_instances: 0, extra_roles: 0 }).await;
    let proxy = Proxy::start(moto.port).await;
    proxy.fail("DescribeCacheClusters", Fault::Throttled);
    let aws = client(proxy.endpoint(), None, Some(2)).await;

    let graph = discover(&aws, &estate.app_instance).await.expect("discovery goes on");
    let throttled = graph.unseen.iter().find(|u| u.what == "ElastiCache clusters").expect("reported");
    assert!(throttled.reason.contains("still throttled after retrying"), "{}", throttled.reason);
    let attempts = proxy.operations().iter().filter(|o| *o == "DescribeCacheClusters").count();
    assert_eq!(attempts, 2, "retried as configured (2 attempts) before giving up");
}

#[tokio::test]
async fn the_inventory_sends_no_mutating_operation() {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    estate::seed(&config, Size { extra_instances: 3, extra_roles: 3 }).await;
    let proxy = Proxy::start(moto.port).await;
    let aws = client(proxy.endpoint(), None, None).await;

    let inventory = ferry::inventory::load(&aws).await;
    for kind in ferry::inventory::Kind::ALL {
        let table = ferry::tui::inventory::rows_for(kind, &inventory);
        for row in table.window(0, table.visible_len()) {
            ferry::inventory::related(&aws, &inventory, kind, &row.key)
                .await
                .unwrap_or_else(|e| panic!("{kind:?} {}: {e}", row.key));
        }
    }
    let operations = proxy.operations();
    assert!(operations.len() > 20, "the browse read the account: {operations:?}");
    let reads = ["Describe", "List", "Get", "s3:GET"];
    let writes: Vec<_> = operations.iter().filter(|op| !reads.iter().any(|r| op.starts_with(r))).collect();
    assert!(writes.is_empty(), "only reads went over the wire, found {writes:?}");
    let recorded = aws.calls().snapshot();
    assert!(recorded.iter().all(|c| reads.iter().any(|r| c.operation.starts_with(r))), "{recorded:?}");
}

#[tokio::test]
async fn user_data_with_escape_sequences_is_shown_escaped() {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let user_data = "#!/bin/sh\necho \u{1b}[2J\u{1b}]0;pwned\u{7}\nAPI_TOKEN=s3cr3t\n";
    let id = estate::instance_with_user_data(&config, user_data).await;
    let aws = client(moto.endpoint(), None, None).await;
    let inventory = ferry::inventory::load(&aws).await;
    let related = ferry::inventory::related(&aws, &inventory, ferry::inventory::Kind::Instances, &id).await.unwrap();

    let mut app = ferry::tui::inventory::InventoryApp::new("moto");
    app.load(Box::new(inventory));
    app.details = Some(ferry::tui::inventory::Details {
        kind: ferry::inventory::Kind::Instances,
        key: id.clone(),
        title: id,
        related: ferry::tui::Loadable::Ready(Box::new(related)),
        scroll: 0,
    });
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal.draw(|frame| ferry::tui::inventory::view_inventory(&app, frame)).unwrap();
    let screen = terminal.backend().to_string();
    assert!(screen.contains("echo \\u{1b}[2J\\u{1b}]0;pwned\\u{7}"), "{screen}");
    assert!(screen.contains("API_TOKEN=••••") && !screen.contains("s3cr3t"), "{screen}");
}

#[tokio::test]
async fn a_refused_sub_call_loses_only_what_it_reads() {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let estate = estate::seed(&config, Size { extra_instances: 0, extra_roles: 0 }).await;
    let proxy = Proxy::start(moto.port).await;
    proxy.fail("DescribeInstanceAttribute", Fault::AccessDenied);
    proxy.fail("GetPolicyVersion", Fault::AccessDenied);
    let aws = client(proxy.endpoint(), None, None).await;

    let graph = discover(&aws, &estate.app_instance).await.expect("discovery goes on without user data");
    assert_eq!(graph.instance.user_data, None);
    let missing: Vec<_> = graph.unseen.iter().filter_map(|u| u.missing_action.clone()).collect();
    assert!(missing.contains(&"ec2:DescribeInstanceAttribute".to_string()), "{missing:?}");
    assert!(
        missing.contains(&"iam:GetPolicyVersion".to_string()),
        "the refused call is named, not its caller: {missing:?}"
    );
    let role = graph.role.expect("the role is kept");
    let inline = role.role.policies.iter().find(|p| p.name == "shop-s3-access").unwrap();
    assert!(inline.document.is_some(), "the inline policy was still read");
    let managed = role.role.policies.iter().find(|p| p.name == "AmazonSSMManagedInstanceCore").unwrap();
    assert!(managed.document.is_none() && managed.unreadable.is_some());
    assert!(graph.data_stores.iter().any(|d| d.name == "shop-db"), "the database is still found by its security group");
}

/// The names of the old listener's ACM certificate come from DescribeCertificate; when that
/// is refused they are unknown, and the refusal is said with the permission it needs.
#[tokio::test]
async fn the_names_of_an_acm_listener_certificate_are_read_or_said_to_be_unseen() {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let estate = estate::seed(&config, Size { extra_instances: 0, extra_roles: 0 }).await;
    let acm = aws_sdk_acm::Client::new(&config);
    let requested =
        acm.request_certificate().domain_name("shop.example.com").subject_alternative_names("*.example.com");
    let arn = requested.send().await.unwrap().certificate_arn().unwrap().to_string();
    let proxy = Proxy::start(moto.port).await;
    let aws = client(proxy.endpoint(), None, None).await;
    let graph = discover(&aws, &estate.app_instance).await.unwrap();
    let listener = graph.routes[0].listeners.iter().find(|l| l.protocol == "HTTPS").unwrap();
    let certificate = aws_sdk_elasticloadbalancingv2::types::Certificate::builder().certificate_arn(&arn).build();
    let elbc = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    elbc.add_listener_certificates().listener_arn(&listener.arn).certificates(certificate).send().await.unwrap();

    let graph = discover(&aws, &estate.app_instance).await.unwrap();
    assert!(graph.unseen.is_empty(), "{:?}", graph.unseen);
    let edge = graph.certificates.iter().find(|c| c.arn == arn).expect("the SNI certificate is found");
    let mut names = edge.domains.clone().expect("read with DescribeCertificate");
    names.sort();
    assert_eq!(names, ["*.example.com", "shop.example.com"]);
    assert!(!edge.is_default);

    proxy.fail("DescribeCertificate", Fault::AccessDenied);
    let graph = discover(&aws, &estate.app_instance).await.expect("discovery goes on without the names");
    let edge = graph.certificates.iter().find(|c| c.arn == arn).unwrap();
    assert_eq!(edge.domains, None);
    let gap = graph.unseen.iter().find(|u| u.what == format!("names of certificate {arn}")).expect("said");
    assert_eq!(gap.missing_action.as_deref(), Some("acm:DescribeCertificate"));
}

/// An instance AWS launched for an Auto Scaling group: ferry finds the group from the member's
/// tag and reads its sizes with DescribeAutoScalingGroups.
#[tokio::test]
async fn the_auto_scaling_group_of_a_member_instance_is_read() {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let autoscaling = aws_sdk_autoscaling::Client::new(&config);
    let vpc = ec2.create_vpc().cidr_block("10.9.0.0/16").send().await.unwrap();
    let vpc_id = vpc.vpc().and_then(|v| v.vpc_id()).unwrap().to_string();
    let mut subnets = Vec::new();
    for (cidr, zone) in [("10.9.1.0/24", "us-east-1a"), ("10.9.2.0/24", "us-east-1b")] {
        let subnet = ec2.create_subnet().vpc_id(&vpc_id).cidr_block(cidr).availability_zone(zone).send().await.unwrap();
        subnets.push(subnet.subnet().and_then(|s| s.subnet_id()).unwrap().to_string());
    }
    let template = aws_sdk_ec2::types::RequestLaunchTemplateData::builder()
        .image_id("ami-760aaa0f")
        .instance_type(aws_sdk_ec2::types::InstanceType::T3Small)
        .build();
    ec2.create_launch_template().launch_template_name("shop-api").launch_template_data(template).send().await.unwrap();
    autoscaling
        .create_auto_scaling_group()
        .auto_scaling_group_name("shop-api-asg")
        .launch_template(
            aws_sdk_autoscaling::types::LaunchTemplateSpecification::builder()
                .launch_template_name("shop-api")
                .version("$Latest")
                .build(),
        )
        .min_size(2)
        .max_size(8)
        .desired_capacity(2)
        .vpc_zone_identifier(subnets.join(","))
        .send()
        .await
        .unwrap();
    let members = autoscaling.describe_auto_scaling_groups().send().await.unwrap();
    let member = members.auto_scaling_groups()[0].instances()[0].instance_id().unwrap().to_string();

    let aws = client(moto.endpoint(), None, Some(1)).await;
    let graph = discover(&aws, &member).await.unwrap();
    let group = graph.auto_scaling_group.as_ref().expect("the group is found from the member's tag");
    assert_eq!(
        (group.name.as_str(), group.min_size, group.max_size, group.desired_capacity),
        ("shop-api-asg", 2, 8, 2)
    );
    let scaling = ferry::generate::scaling(&graph);
    assert_eq!((scaling.target.min_task_count, scaling.target.max_task_count), (2, 8));
    let calls = aws.calls().snapshot();
    assert!(calls.iter().any(|c| c.operation == "DescribeAutoScalingGroups"), "{calls:?}");
}

#[tokio::test]
async fn a_plan_made_without_iam_reads_carries_a_deny_naming_the_permission() {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let estate = estate::seed(&config, Size { extra_instances: 0, extra_roles: 0 }).await;
    let proxy = Proxy::start(moto.port).await;
    proxy.fail("GetInstanceProfile", Fault::AccessDenied);
    let aws = client(proxy.endpoint(), None, None).await;

    let migration = ferry::migration::prepare(&aws, &estate.app_instance).await.expect("discovery goes on");
    let plan = &migration.plan;
    assert!(!plan.steps.iter().any(|s| s.id == "task-role"), "no role was seen, so none is copied");
    let deny = plan.denies().into_iter().find(|c| c.id == "unseen:instance profile").expect("the gap is a deny");
    assert!(deny.message.contains("iam:GetInstanceProfile"), "{}", deny.message);
    let refused = plan.approve(&plan.hash, Vec::new()).unwrap_err().to_string();
    assert!(refused.contains("unseen:instance profile"), "{refused}");
    let reason = ferry::plan::Override {
        check_id: "unseen:instance profile".into(),
        reason: "the app uses no AWS API; OPS-77 confirms it".into(),
    };
    let mut overrides: Vec<ferry::plan::Override> = plan
        .denies()
        .into_iter()
        .filter(|c| c.id != reason.check_id)
        .map(|c| ferry::plan::Override { check_id: c.id, reason: "accepted for this test run".into() })
        .collect();
    overrides.push(reason);
    assert!(plan.approve(&plan.hash, overrides).is_ok(), "a written reason overrides it");
}

/// The alarms and log groups that watch the old stack, read with DescribeAlarms and
/// DescribeLogGroups (every page): those naming the instance, its ALB or its target group are
/// kept with the dimension as evidence; an alarm on another instance and another group are
/// not. The checklist lists each with a shell-safe command in the resource's region.
#[tokio::test]
async fn alarms_and_log_groups_of_the_old_stack_are_read_from_cloudwatch() {
    use support::watchers;
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let estate = estate::seed(&config, Size { extra_instances: 0, extra_roles: 0 }).await;
    watchers::seed(&config, &estate.app_instance).await;
    let aws = client(moto.endpoint(), Some(1), None).await;

    let graph = discover(&aws, &estate.app_instance).await.expect("discovers");
    assert!(graph.unseen.is_empty(), "{:?}", graph.unseen);
    let alarms: Vec<_> = graph.alarms.iter().map(|a| a.alarm.name.as_str()).collect();
    assert_eq!(
        alarms,
        [watchers::BALANCER_ALARM, watchers::INSTANCE_ALARM, watchers::MATH_ALARM, watchers::GROUP_ALARM]
    );
    let math = &graph.alarms[2];
    assert_eq!(math.alarm.metrics.len(), 1, "the queried metric, not the expression: {:?}", math.alarm.metrics);
    assert_eq!(math.alarm.metrics[0].period_seconds, 60);
    let group_alarm = &graph.alarms[3];
    let evidence: Vec<_> = group_alarm.evidence.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(evidence.len(), 2, "the target group and the load balancer: {evidence:?}");
    assert!(evidence.iter().any(|e| e.ends_with("(target group shop-tg)")), "{evidence:?}");
    let logs: Vec<_> = graph.log_groups.iter().map(|g| g.log_group.name.clone()).collect();
    assert_eq!(logs, [watchers::app_log_group(&estate.app_instance)]);
    let pages = aws.calls().snapshot().iter().filter(|c| c.operation == "DescribeLogGroups").count();
    assert!(pages >= 2, "log groups came in pages of one: {pages}");

    let book = ferry_engine::cost::PriceBook::bundled().unwrap();
    let items = ferry::decommission::checklist(&graph, book.region("us-east-1"), &[]);
    let command = |id: &str| items.iter().find(|i| i.id == id).map(|i| i.command.clone()).unwrap_or_default();
    assert_eq!(
        command(&format!("alarm:{}", watchers::INSTANCE_ALARM)),
        "aws cloudwatch delete-alarms --alarm-names 'shop-api cpu high' --region us-east-1"
    );
    let group = watchers::app_log_group(&estate.app_instance);
    assert_eq!(
        command(&format!("log-group:{group}")),
        format!("aws logs delete-log-group --log-group-name {group} --region us-east-1")
    );

    // Without cloudwatch:DescribeAlarms the gap is named, and the log groups are still read.
    let proxy = Proxy::start(moto.port).await;
    proxy.fail("DescribeAlarms", Fault::AccessDenied);
    let denied = client(proxy.endpoint(), None, None).await;
    let graph = discover(&denied, &estate.app_instance).await.expect("discovery goes on");
    let missing: Vec<_> = graph.unseen.iter().filter_map(|u| u.missing_action.clone()).collect();
    assert_eq!(missing, ["cloudwatch:DescribeAlarms"]);
    assert!(graph.alarms.is_empty() && graph.log_groups.len() == 1);
}
