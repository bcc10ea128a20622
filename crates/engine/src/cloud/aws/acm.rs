//! ACM: the host names a certificate covers, so a cutover attaches only a certificate that
//! serves the names it moves.

use super::{AwsCloud, errors::about};
use crate::cloud::CloudResult;

/// DescribeCertificate's domain name, then its other subject alternative names (ACM lists
/// the domain name among them too). An IAM server certificate has no such call: IAM keeps
/// only the certificate's body, so its names are `None`.
pub async fn certificate_domains(cloud: &AwsCloud, certificate_arn: &str) -> CloudResult<Option<Vec<String>>> {
    if certificate_arn.split(':').nth(2) == Some("iam") {
        return Ok(None);
    }
    let described = cloud.acm.describe_certificate().certificate_arn(certificate_arn).send().await.map_err(about(
        "acm:DescribeCertificate",
        "certificate",
        certificate_arn,
    ))?;
    let Some(detail) = described.certificate() else {
        return Ok(None);
    };
    let mut names: Vec<String> = detail.domain_name().map(str::to_string).into_iter().collect();
    for name in detail.subject_alternative_names() {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name.clone());
        }
    }
    Ok(Some(names))
}
