//! Scenario files: bad ones get a clear error naming the file and the field, never a panic.

use crate::common;

use ferry::cloud::sandbox::{BUNDLED, Sandbox, SandboxOptions, Scenario};

const GOOD: &str = include_str!("../../assets/scenarios/node-shop.toml");

fn error_for(text: &str) -> String {
    Scenario::parse(text, "broken.toml").expect_err("the scenario is refused").to_string()
}

#[test]
fn every_bundled_scenario_loads() {
    for (name, _) in BUNDLED {
        Scenario::load(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn toml_syntax_errors_name_the_file_and_the_line() {
    let error = error_for("[account\nname = 1");
    assert!(error.starts_with("scenario broken.toml: "), "{error}");
    assert!(error.contains("line 1"), "{error}");
}

#[test]
fn a_missing_field_is_named() {
    let text = GOOD.replacen("instance_type = \"t3.small\"\n", "", 1);
    let error = error_for(&text);
    assert!(error.contains("missing field `instance_type`"), "{error}");
}

#[test]
fn an_unknown_field_is_named() {
    let text = GOOD.replacen("instance_type = \"t3.small\"", "instance_type = \"t3.small\"\ninstance_typo = 1", 1);
    let error = error_for(&text);
    assert!(error.contains("unknown field `instance_typo`"), "{error}");
}

#[test]
fn a_dangling_reference_names_the_field_and_the_id() {
    let text = GOOD.replacen("subnet_id = \"subnet-0a11pub1a\"", "subnet_id = \"subnet-missing\"", 1);
    assert_eq!(
        error_for(&text),
        "scenario broken.toml: instances[0].subnet_id: no subnet \"subnet-missing\" is defined in this scenario"
    );
}

#[test]
fn a_policy_document_that_is_not_json_is_named() {
    let text = GOOD.replacen(
        "\"Version\": \"2012-10-17\",\n  \"Statement\"",
        "\"Version\" \"2012-10-17\",\n  \"Statement\"",
        1,
    );
    let error = error_for(&text);
    assert!(error.contains("roles[0].inline_policies[0].document: not a JSON document"), "{error}");
}

#[test]
fn duplicate_ids_are_refused() {
    let text = GOOD.replacen("id = \"i-0f9e8d7c6b5a40312\"", "id = \"i-0a1b2c3d4e5f60718\"", 1);
    let error = error_for(&text);
    assert!(error.contains("instances[1].id: \"i-0a1b2c3d4e5f60718\" is defined twice"), "{error}");
}

#[test]
fn an_unknown_target_health_is_named() {
    let text = GOOD.replacen("health = \"healthy\"", "health = \"fine\"", 1);
    assert!(error_for(&text).contains("target_groups[0].targets[0].health: \"fine\" is not a target state"));
}

#[test]
fn a_missing_file_lists_the_bundled_scenarios() {
    let error = Scenario::load("/nonexistent/x.toml").unwrap_err().to_string();
    assert!(error.starts_with("scenario /nonexistent/x.toml: cannot read it"), "{error}");
    assert!(error.contains("node-shop"), "{error}");
}

#[tokio::test]
async fn odd_account_data_loads_and_is_drawn_escaped() {
    // Names with escape sequences, huge user data and missing optional fields.
    let huge = "echo padding\n".repeat(20_000);
    let text = GOOD.replacen("name = \"shop-worker\"", "name = \"evil\\u001b[2J\\u0007worker\"", 1).replacen(
        "pm2 save && pm2 startup systemd",
        &format!("pm2 save\n{huge}"),
        1,
    );
    let scenario = Scenario::parse(&text, "odd.toml").expect("odd but valid");
    let mut h = common::Harness::on(Sandbox::new(&scenario, SandboxOptions::instant())).await;
    h.char('j');
    assert!(h.screen().contains("evil\\u{1b}[2J\\u{7}worker"), "the name is shown escaped:\n{}", h.screen());

    // The whole wizard runs on the huge user data, every step drawn.
    h.char('k');
    common::walk_to_plan(&mut h).await;
    common::approve_and_apply(&mut h).await;
    assert_eq!(common::banner(&h), "APPLIED");
    for step in ferry::tui::Step::ALL {
        h.app.step = step;
        h.screen();
    }
}

/// An instance in an Auto Scaling group: the service keeps at least two tasks and scales as
/// far as the group did; the group's name comes from the tag AWS puts on its members.
#[tokio::test]
async fn the_service_scales_like_the_auto_scaling_group() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let app = sandbox.app_instance().to_string();
    let in_group = format!(
        "{GOOD}\n[[auto_scaling_groups]]\nname = \"shop-api-asg\"\nmin_size = 1\nmax_size = 6\ninstance_ids = [\"{app}\"]\n"
    );
    let scenario = Scenario::parse(&in_group, "asg.toml").unwrap();
    let sandbox = Sandbox::new(&scenario, SandboxOptions::instant());
    let migration = ferry::migration::prepare(&sandbox, &app).await.unwrap();
    let group = migration.graph.auto_scaling_group.as_ref().expect("the group is discovered");
    assert_eq!(
        (group.name.as_str(), group.min_size, group.max_size, group.desired_capacity),
        ("shop-api-asg", 1, 6, 1)
    );
    let target = &migration.artifacts.service_config.scaling_target;
    assert_eq!((target.min_task_count, target.max_task_count), (2, 6));
    let reason = ferry::generate::scaling(&migration.graph).reason;
    assert_eq!(reason, "Auto Scaling group shop-api-asg (1–6), at least 2 for two zones");

    // Without the group, the ALB across two zones still asks for two tasks.
    let alone =
        ferry::migration::prepare(&Sandbox::load("node-shop", SandboxOptions::instant()).unwrap(), &app).await.unwrap();
    let target = &alone.artifacts.service_config.scaling_target;
    assert_eq!((target.min_task_count, target.max_task_count), (2, 4));
    assert!(ferry::generate::scaling(&alone.graph).reason.contains("spans 2 zones"));
}

#[test]
fn an_auto_scaling_group_with_min_above_max_is_refused() {
    let text = format!("{GOOD}\n[[auto_scaling_groups]]\nname = \"g\"\nmin_size = 5\nmax_size = 2\n");
    let error = error_for(&text);
    assert!(error.contains("auto_scaling_groups[0]: min_size 5 is larger than max_size 2"), "{error}");
    let text = format!(
        "{GOOD}\n[[auto_scaling_groups]]\nname = \"g\"\nmin_size = 1\nmax_size = 2\ninstance_ids = [\"i-nope\"]\n"
    );
    let error = error_for(&text);
    assert!(error.contains("auto_scaling_groups[0].instance_ids[0]"), "{error}");
}

/// Sticky sessions on the target group are a readiness warning: in-memory sessions do not
/// survive tasks being replaced.
#[tokio::test]
async fn sticky_sessions_are_a_readiness_finding() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let app = sandbox.app_instance().to_string();
    let sticky = GOOD.replacen(
        "health_check_path = \"/healthz\"",
        "health_check_path = \"/healthz\"\nstickiness = \"lb_cookie\"",
        1,
    );
    let sandbox = Sandbox::new(&Scenario::parse(&sticky, "sticky.toml").unwrap(), SandboxOptions::instant());
    let migration = ferry::migration::prepare(&sandbox, &app).await.unwrap();
    let finding = migration.profile.findings.iter().find(|f| f.message.starts_with("sticky sessions (lb_cookie)"));
    assert_eq!(finding.map(|f| f.source.as_str()), Some("target group shop-tg"));
}

/// The simulated pace is bounded: every deployment poll prints a line and takes four calls'
/// latency, so an unbounded count or latency would run for hours or fill a disk with output.
#[test]
fn the_sandbox_pace_is_bounded() {
    use ferry::cloud::sandbox::scenario::SandboxSection;
    let with = |field: &str, value: u64| {
        let line = if field == "latency_ms" { "latency_ms = 90" } else { "deploy_polls = 12" };
        GOOD.replacen(line, &format!("{field} = {value}"), 1)
    };
    let polls = u64::from(SandboxSection::MAX_DEPLOY_POLLS);
    assert!(Scenario::parse(&with("deploy_polls", polls), "broken.toml").is_ok(), "the bound itself is allowed");
    assert_eq!(
        error_for(&with("deploy_polls", polls + 1)),
        format!(
            "scenario broken.toml: sandbox.deploy_polls: {} is more than the {polls} polls a simulated deployment may take",
            polls + 1
        )
    );
    assert!(error_for(&with("deploy_polls", 4_000_000_000)).contains("sandbox.deploy_polls: 4000000000 is more than"));

    let latency = SandboxSection::MAX_LATENCY_MS;
    assert!(Scenario::parse(&with("latency_ms", latency), "broken.toml").is_ok());
    assert_eq!(
        error_for(&with("latency_ms", latency + 1)),
        format!(
            "scenario broken.toml: sandbox.latency_ms: {} is more than the {latency} ms a simulated call may take",
            latency + 1
        )
    );
}

#[test]
fn hosted_zone_records_are_checked() {
    let alias =
        "alias_to = \"shop-alb\", evaluate_target_health = true },\n  { name = \"shop.example.com\", type = \"AAAA\"";
    let text =
        GOOD.replacen(alias, "alias_to = \"no-such-alb\" },\n  { name = \"shop.example.com\", type = \"AAAA\"", 1);
    assert_eq!(
        error_for(&text),
        "scenario broken.toml: hosted_zones[0].records[0].alias_to: \"no-such-alb\" is not a load balancer in this scenario"
    );
    let text =
        GOOD.replacen("{ name = \"shop.example.com\", type = \"A\"", "{ name = \"shop.example.org\", type = \"A\"", 1);
    assert!(error_for(&text).contains("records[0].name: \"shop.example.org\" is not inside the zone \"example.com\""));
    let text = GOOD.replacen("type = \"TXT\", values", "type = \"TXT\", alias_to = \"shop-alb\", values", 1);
    assert!(error_for(&text).contains("records[2]: give alias_to or values, not both"));
    let text = GOOD.replacen("type = \"TXT\", values", "type = \"CNAME\", alias_to = \"shop-alb\", xvalues", 1);
    assert!(error_for(&text).contains("unknown field `xvalues`"), "{}", error_for(&text));
}

#[test]
fn an_elastic_ip_needs_its_address() {
    let text = GOOD.replacen("public_ip = \"54.210.33.7\"\n", "", 1);
    assert!(
        error_for(&text).contains("instances[0].elastic_ip: give the address in public_ip"),
        "{}",
        error_for(&text)
    );
}
