//! What watches the seeded old stack: CloudWatch alarms on its instance, its ALB and its
//! target group, one on another instance, and log groups, one named after the instance.

use aws_config::SdkConfig;
use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, Statistic};

/// An instance id that is not the app's: its alarm is no part of the old stack.
pub const OTHER_INSTANCE: &str = "i-0fffffffffffffff0";

/// The alarms' names, by what they watch.
pub const INSTANCE_ALARM: &str = "shop-api cpu high";
pub const BALANCER_ALARM: &str = "shop-alb-5xx";
pub const GROUP_ALARM: &str = "shop-tg-unhealthy";
pub const OTHER_ALARM: &str = "worker-cpu-high";
/// A metric math alarm: the instance is named inside one of its queries.
pub const MATH_ALARM: &str = "shop-api-cpu-math";

/// The app's log group (its name holds the instance id) and another.
pub fn app_log_group(app_instance: &str) -> String {
    format!("/ec2/shop-api/{app_instance}")
}
pub const OTHER_LOG_GROUP: &str = "/ec2/worker";

/// An alarm to put: its name, namespace, metric and dimensions.
type Spec<'a> = (&'a str, &'a str, &'a str, Vec<(&'a str, &'a str)>);

/// Puts the alarms and creates the log groups; the ALB and target group are the estate's.
pub async fn seed(config: &SdkConfig, app_instance: &str) {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(config);
    let balancers = elb.describe_load_balancers().names("shop-alb").send().await.unwrap();
    let lb_arn = balancers.load_balancers()[0].load_balancer_arn().unwrap().to_string();
    let groups = elb.describe_target_groups().names("shop-tg").send().await.unwrap();
    let tg_arn = groups.target_groups()[0].target_group_arn().unwrap().to_string();
    let lb = ferry::gate::load_balancer_dimension(&lb_arn).unwrap();
    let tg = ferry::gate::target_group_dimension(&tg_arn).unwrap();

    let cloudwatch = aws_sdk_cloudwatch::Client::new(config);
    let alarms: [Spec; 4] = [
        (INSTANCE_ALARM, "AWS/EC2", "CPUUtilization", vec![("InstanceId", app_instance)]),
        (BALANCER_ALARM, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", vec![("LoadBalancer", &lb)]),
        (GROUP_ALARM, "AWS/ApplicationELB", "UnHealthyHostCount", vec![("TargetGroup", &tg), ("LoadBalancer", &lb)]),
        (OTHER_ALARM, "AWS/EC2", "CPUUtilization", vec![("InstanceId", OTHER_INSTANCE)]),
    ];
    for (name, namespace, metric, dimensions) in alarms {
        let mut put = cloudwatch
            .put_metric_alarm()
            .alarm_name(name)
            .namespace(namespace)
            .metric_name(metric)
            .statistic(Statistic::Average)
            .period(300)
            .evaluation_periods(1)
            .threshold(80.0)
            .comparison_operator(ComparisonOperator::GreaterThanThreshold);
        for (key, value) in dimensions {
            put = put.dimensions(Dimension::builder().name(key).value(value).build());
        }
        put.send().await.expect("moto takes the alarm");
    }

    put_math_alarm(&cloudwatch, app_instance).await;

    let logs = aws_sdk_cloudwatchlogs::Client::new(config);
    for name in [app_log_group(app_instance).as_str(), OTHER_LOG_GROUP] {
        logs.create_log_group().log_group_name(name).send().await.expect("moto creates the group");
    }
}

/// CPU over the last minute, doubled: the instance is named only in the query's metric.
async fn put_math_alarm(cloudwatch: &aws_sdk_cloudwatch::Client, app_instance: &str) {
    use aws_sdk_cloudwatch::types::{Metric, MetricDataQuery, MetricStat};
    let metric = Metric::builder()
        .namespace("AWS/EC2")
        .metric_name("CPUUtilization")
        .dimensions(Dimension::builder().name("InstanceId").value(app_instance).build())
        .build();
    let stat = MetricStat::builder().metric(metric).period(60).stat("Average").build();
    cloudwatch
        .put_metric_alarm()
        .alarm_name(MATH_ALARM)
        .metrics(MetricDataQuery::builder().id("cpu").metric_stat(stat).return_data(false).build())
        .metrics(MetricDataQuery::builder().id("doubled").expression("cpu * 2").return_data(true).build())
        .evaluation_periods(1)
        .threshold(150.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .send()
        .await
        .expect("moto takes the metric math alarm");
}
