//! The certificates the Express listener needs for the moved host names: the operator's, and
//! the old listener's that cover them. A name clients reach over HTTPS without a certificate
//! that covers it fails for every one of them once its weight moves, so a plan that cannot
//! cover a name is refused, and one that relies on names ferry could not read says so.

use super::{CutoverError, CutoverOptions};
use crate::model::CertificateEdge;

/// A certificate the plan relies on, with the names it covers (`None`: not known).
pub(super) type Chosen = (String, Option<Vec<String>>);

/// The certificates for `hosts` from those the old listeners serve (`old`), in the order
/// they are attached: the operator's first (with `given_names`, its names as read), then each
/// old one whose names cover a name no certificate before it covers. Old certificates whose
/// names are unknown are reused only when the known ones leave a name uncovered and the
/// operator named no certificate: attaching one ferry cannot judge is a last resort, and the
/// plan warns of it.
pub(super) fn choose(
    old: &[CertificateEdge],
    region: &str,
    options: &CutoverOptions,
    hosts: &[String],
    given_names: Option<Vec<String>>,
) -> Result<Vec<Chosen>, CutoverError> {
    let mut chosen: Vec<Chosen> = Vec::new();
    if let Some(arn) = &options.certificate_arn {
        check_region(arn, region)?;
        if let Some(names) = &given_names
            && !hosts.iter().any(|host| CertificateEdge::names_cover(names, host))
        {
            return Err(CutoverError::CertificateDoesNotCover { arn: arn.clone(), hosts: hosts.join(", ") });
        }
        chosen.push((arn.clone(), given_names));
    }
    for edge in old {
        let Some(names) = &edge.domains else { continue };
        let needed = hosts.iter().any(|h| !covered(&chosen, h) && CertificateEdge::names_cover(names, h));
        if needed && !chosen.iter().any(|(arn, _)| arn == &edge.arn) {
            chosen.push((edge.arn.clone(), Some(names.clone())));
        }
    }
    let uncovered: Vec<&String> = hosts.iter().filter(|h| !covered(&chosen, h)).collect();
    if !uncovered.is_empty() && options.certificate_arn.is_none() {
        for edge in old.iter().filter(|e| e.domains.is_none()) {
            if !chosen.iter().any(|(arn, _)| arn == &edge.arn) {
                chosen.push((edge.arn.clone(), None));
            }
        }
    }
    let unknown = chosen.iter().any(|(_, names)| names.is_none());
    if !uncovered.is_empty() && !unknown {
        let uncovered = uncovered.iter().map(|h| h.as_str()).collect::<Vec<_>>().join(", ");
        return Err(match &options.certificate_arn {
            Some(arn) => CutoverError::CertificateDoesNotCover { arn: arn.clone(), hosts: uncovered },
            None => CutoverError::NoCertificate(uncovered),
        });
    }
    for (arn, _) in &chosen {
        check_region(arn, region)?;
    }
    Ok(chosen)
}

/// Whether a chosen certificate whose names are known covers `host`.
fn covered(chosen: &[Chosen], host: &str) -> bool {
    chosen.iter().any(|(_, names)| names.as_deref().is_some_and(|names| CertificateEdge::names_cover(names, host)))
}

/// Only a certificate of the service's region can be attached. IAM server certificates are
/// global: their ARN names no region.
pub(super) fn check_region(arn: &str, region: &str) -> Result<(), CutoverError> {
    let arn_region = arn.split(':').nth(3).unwrap_or_default();
    if !arn_region.is_empty() && arn_region != region {
        return Err(CutoverError::CertificateRegion { arn: arn.to_string(), region: region.to_string() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(certificates: &[(&str, Option<&[&str]>)]) -> Vec<CertificateEdge> {
        certificates
            .iter()
            .map(|(arn, names)| CertificateEdge {
                arn: arn.to_string(),
                listener_arn: "listener".into(),
                is_default: true,
                domains: names.map(|n| n.iter().map(|s| s.to_string()).collect()),
                evidence: Vec::new(),
            })
            .collect()
    }

    const SHOP: &str = "arn:aws:acm:us-east-1:111122223333:certificate/shop";
    const OTHER: &str = "arn:aws:acm:us-east-1:111122223333:certificate/other";
    const IAM: &str = "arn:aws:iam::111122223333:server-certificate/shop";

    fn hosts(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn arns(chosen: &[Chosen]) -> Vec<&str> {
        chosen.iter().map(|(arn, _)| arn.as_str()).collect()
    }

    #[test]
    fn only_the_old_certificates_that_cover_a_moved_name_are_reused() {
        let graph = graph(&[(OTHER, Some(&["other.example.com"])), (SHOP, Some(&["*.example.com"])), (IAM, None)]);
        let chosen =
            choose(&graph, "us-east-1", &CutoverOptions::default(), &hosts(&["shop.example.com"]), None).unwrap();
        assert_eq!(arns(&chosen), [SHOP], "the one that covers, not the other, nor the unknown one");
    }

    #[test]
    fn a_name_no_certificate_covers_is_refused_by_name() {
        let graph = graph(&[(OTHER, Some(&["other.example.com", "*.shop.example.com"]))]);
        let error =
            choose(&graph, "us-east-1", &CutoverOptions::default(), &hosts(&["shop.example.com"]), None).unwrap_err();
        assert!(matches!(&error, CutoverError::NoCertificate(h) if h == "shop.example.com"), "{error}");
        assert!(error.to_string().contains("--certificate ARN"), "{error}");
    }

    #[test]
    fn names_that_could_not_be_read_are_a_last_resort() {
        let graph = graph(&[(IAM, None), (OTHER, Some(&["other.example.com"]))]);
        let all = hosts(&["shop.example.com", "other.example.com"]);
        let chosen = choose(&graph, "us-east-1", &CutoverOptions::default(), &all, None).unwrap();
        assert_eq!(arns(&chosen), [OTHER, IAM]);
        assert_eq!(chosen[1].1, None);
    }

    #[test]
    fn the_operators_certificate_is_judged_by_its_names_when_they_are_known() {
        let graph = graph(&[(SHOP, Some(&["shop.example.com"]))]);
        let options = CutoverOptions { certificate_arn: Some(OTHER.into()), ..CutoverOptions::default() };
        let moved = hosts(&["shop.example.com", "www.example.com"]);
        let names = Some(vec!["www.example.com".to_string()]);
        let chosen = choose(&graph, "us-east-1", &options, &moved, names).unwrap();
        assert_eq!(arns(&chosen), [OTHER, SHOP], "the operator's for www, the old one for shop");

        let error = choose(&graph, "us-east-1", &options, &moved, Some(vec!["api.example.org".into()])).unwrap_err();
        assert!(matches!(&error, CutoverError::CertificateDoesNotCover { arn, .. } if arn == OTHER), "{error}");

        let unknown = choose(&graph, "us-east-1", &options, &hosts(&["www.example.com"]), None).unwrap();
        assert_eq!(arns(&unknown), [OTHER], "taken on the operator's word, with a warning");
    }

    #[test]
    fn a_certificate_of_another_region_is_refused() {
        let options = CutoverOptions {
            certificate_arn: Some("arn:aws:acm:eu-west-1:1:certificate/x".into()),
            ..CutoverOptions::default()
        };
        let error = choose(&[], "us-east-1", &options, &hosts(&["shop.example.com"]), None).unwrap_err();
        assert!(matches!(error, CutoverError::CertificateRegion { .. }));
    }
}
