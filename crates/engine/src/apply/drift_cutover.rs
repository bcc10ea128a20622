//! What a cutover assumes, checked before it starts: the load balancer its steps change is
//! still the service's own, and each host name's records are still as the plan found them.

use crate::cloud::{CloudResult, ReadCloud};
use crate::model::DnsRecord;
use crate::plan::Assumption;

/// The service is gone, or is reached through another load balancer, listener or rule than
/// the plan's steps change.
pub(super) async fn ingress_change(
    cloud: &dyn ReadCloud,
    assumed: &Assumption,
    service_arn: &str,
) -> CloudResult<Option<String>> {
    let Assumption::ExpressIngress {
        load_balancer_arn,
        dns_name,
        listener_arn,
        rule_arn,
        certificates,
        served_certificates,
        ..
    } = assumed
    else {
        return Ok(None);
    };
    let now = match cloud.express_ingress(service_arn).await {
        Err(error) if error.is_not_found() => {
            return Ok(Some(format!("the Express service {service_arn} no longer exists")));
        }
        Err(error) => return Err(error),
        Ok(now) => now,
    };
    let same = &now.load_balancer_arn == load_balancer_arn
        && &now.dns_name == dns_name
        && &now.listener_arn == listener_arn
        && &now.rule_arn == rule_arn;
    if !same {
        return Ok(Some(format!(
            "{service_arn} is reached through {} (listener {}, rule {}), not what the plan changes: make the cutover plan again",
            now.load_balancer_arn, now.listener_arn, now.rule_arn
        )));
    }
    if let Some(gone) = served_certificates.iter().find(|arn| !now.certificate_arns.contains(arn)) {
        return Ok(Some(format!(
            "certificate {gone} is no longer on the Express listener, and the plan does not attach it: make the cutover plan again"
        )));
    }
    for (arn, names) in certificates {
        if let Some(change) = certificate_change(cloud, arn, names.as_deref()).await? {
            return Ok(Some(change));
        }
    }
    Ok(None)
}

/// The certificate no longer has every name the plan judged it by (a plan edited to claim
/// names it lacks reads as this too), or it now has readable names the plan could not judge.
async fn certificate_change(
    cloud: &dyn ReadCloud,
    arn: &str,
    assumed: Option<&[String]>,
) -> CloudResult<Option<String>> {
    let now = match cloud.certificate_domains(arn).await {
        Err(error) if error.is_not_found() => return Ok(Some(format!("certificate {arn} no longer exists"))),
        // The plan already warned that these names are unknown; still unreadable is no change.
        Err(_) if assumed.is_none() => return Ok(None),
        Err(error) => return Err(error),
        Ok(now) => now,
    };
    let again = "make the cutover plan again";
    Ok(match (assumed, now) {
        (None, None) => None,
        (None, Some(now)) => Some(format!(
            "the names of certificate {arn} can now be read ({}), and the plan was made without them: {again}, so they are judged",
            now.join(", ")
        )),
        (Some(_), None) => {
            Some(format!("the names of certificate {arn}, which the plan was judged by, cannot be read now: {again}"))
        }
        (Some(assumed), Some(now)) => {
            let missing: Vec<&str> = assumed
                .iter()
                .filter(|name| {
                    !now.iter().any(|n| n.trim_end_matches('.').eq_ignore_ascii_case(name.trim_end_matches('.')))
                })
                .map(String::as_str)
                .collect();
            (!missing.is_empty()).then(|| {
                format!(
                    "certificate {arn} does not cover {} as the plan says (its names are {}): {again}",
                    missing.join(", "),
                    now.join(", ")
                )
            })
        }
    })
}

/// A record of the host name was changed, added or removed since the plan was made.
pub(super) async fn records_change(
    cloud: &dyn ReadCloud,
    zone_id: &str,
    assumed: &[DnsRecord],
) -> CloudResult<Option<String>> {
    let now = cloud.records(zone_id).await?;
    let Some(first) = assumed.first() else { return Ok(None) };
    let mut current: Vec<&DnsRecord> =
        now.iter().filter(|r| r.name == first.name && assumed.iter().any(|a| a.record_type == r.record_type)).collect();
    current.sort_by(|a, b| (&a.record_type, &a.set_identifier).cmp(&(&b.record_type, &b.set_identifier)));
    let mut planned: Vec<&DnsRecord> = assumed.iter().collect();
    planned.sort_by(|a, b| (&a.record_type, &a.set_identifier).cmp(&(&b.record_type, &b.set_identifier)));
    Ok((current != planned)
        .then(|| format!("the records of {} changed since the cutover was planned: make the plan again", first.name)))
}
