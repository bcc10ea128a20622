//! CloudWatch's names for a load balancer and a target group, taken from their ARNs: the
//! `AWS/ApplicationELB` metrics are keyed by `app/NAME/ID` and `targetgroup/NAME/ID`, not by ARN.

/// The `LoadBalancer` dimension of an application load balancer's ARN
/// (`arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID` gives `app/NAME/ID`);
/// `None` for anything else, a network or gateway load balancer among them (they publish to
/// other namespaces, so an ALB gate could never read their figures).
pub fn load_balancer_dimension(arn: &str) -> Option<String> {
    let resource = elb_resource(arn)?;
    let rest = resource.strip_prefix("loadbalancer/")?;
    three_parts(rest, "app")
}

/// The `TargetGroup` dimension of a target group's ARN
/// (`arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID` gives `targetgroup/NAME/ID`).
pub fn target_group_dimension(arn: &str) -> Option<String> {
    three_parts(elb_resource(arn)?, "targetgroup")
}

/// The resource part of an Elastic Load Balancing ARN, in any partition.
fn elb_resource(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (prefix, _partition, service) = (parts.next()?, parts.next()?, parts.next()?);
    let (_region, _account, resource) = (parts.next()?, parts.next()?, parts.next()?);
    (prefix == "arn" && service == "elasticloadbalancing").then_some(resource)
}

/// `KIND/NAME/ID` with no empty part and nothing after the id.
fn three_parts(text: &str, kind: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('/').collect();
    match parts.as_slice() {
        [k, name, id] if *k == kind && !name.is_empty() && !id.is_empty() => Some(text.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LB: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/shop/50dc6c495c0c9188";
    const TG: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/shop-tg/73e2d6bc24d8a067";

    #[test]
    fn an_alb_arn_gives_its_dimension() {
        assert_eq!(load_balancer_dimension(LB).as_deref(), Some("app/shop/50dc6c495c0c9188"));
        let china = LB.replace("arn:aws:", "arn:aws-cn:");
        assert_eq!(load_balancer_dimension(&china).as_deref(), Some("app/shop/50dc6c495c0c9188"));
    }

    #[test]
    fn a_target_group_arn_gives_its_dimension() {
        assert_eq!(target_group_dimension(TG).as_deref(), Some("targetgroup/shop-tg/73e2d6bc24d8a067"));
    }

    #[test]
    fn anything_else_gives_none() {
        for arn in [
            "",
            "app/shop/1",
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/shop/1",
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/shop",
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app//1",
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/shop/1/extra",
            "arn:aws:ec2:us-east-1:111122223333:loadbalancer/app/shop/1",
            TG,
        ] {
            assert_eq!(load_balancer_dimension(arn), None, "{arn}");
        }
        assert_eq!(target_group_dimension(LB), None);
        assert_eq!(target_group_dimension("arn:aws:elasticloadbalancing:r:a:targetgroup/x"), None);
    }
}
