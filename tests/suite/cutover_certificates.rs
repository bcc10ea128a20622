//! The certificates a cutover attaches: only those that cover the moved names, a name none
//! covers refused by name, names that cannot be read warned of, and a plan claiming names a
//! certificate lacks refused at apply.

use crate::support;

use ferry::apply::{RunControl, RunOutcome};
use ferry::cloud::sandbox::Scenario;
use ferry::cutover::{CutoverError, CutoverOptions, plan_cutover};
use ferry::plan::{Action, Plan};
use support::sandbox_cutover::{migrated, migrated_on};

/// The bundled listener certificate's entry, which the tests below change or take out.
const SHOP_CERTIFICATE: &str = "arn:aws:acm:us-east-1:111122223333:certificate/5e1d7c3a-9f2b-4e8a-b6c1-0d2f3a4b5c6d";
const SHOP_NAMES: &str = r#"domains = ["shop.example.com", "www.example.com"]"#;

/// node-shop with its listener certificate's `[[certificates]]` names replaced by `names`
/// (TOML), or its entry taken out for `None`: names ferry cannot read.
fn node_shop_certificate(names: Option<&str>) -> Scenario {
    let text = include_str!("../../assets/scenarios/node-shop.toml");
    assert!(text.contains(SHOP_NAMES), "the bundled scenario names its certificate's domains");
    let edited = match names {
        Some(names) => text.replace(SHOP_NAMES, names),
        None => text.replace(&format!("[[certificates]]\narn = \"{SHOP_CERTIFICATE}\"\n{SHOP_NAMES}\n"), ""),
    };
    assert_ne!(edited, text);
    Scenario::parse(&edited, "node-shop-certificate.toml").unwrap()
}

fn check_ids(plan: &Plan) -> Vec<String> {
    plan.checks().into_iter().map(|c| format!("{:?} {}", c.level, c.id)).collect()
}

#[tokio::test]
async fn a_cutover_reuses_the_old_certificate_that_covers_the_name() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, _operator, run) = migrated(state.path()).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    assert_eq!(graph.certificates.len(), 1);
    let names = graph.certificates[0].domains.clone();
    assert_eq!(names, Some(vec!["shop.example.com".to_string(), "www.example.com".to_string()]));
    assert!(graph.unseen.is_empty(), "{:?}", graph.unseen);

    let plan = plan_cutover(sandbox.as_ref(), &run, &graph, &CutoverOptions::default()).await.unwrap();
    let attached: Vec<&str> = plan
        .steps
        .iter()
        .filter_map(|s| match &s.action {
            Action::AddListenerCertificate { certificate_arn, .. } => Some(certificate_arn.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(attached, [SHOP_CERTIFICATE]);
    let check = plan.checks().into_iter().find(|c| c.id == "cutover-certificate:shop.example.com").unwrap();
    assert_eq!(check.message, "shop.example.com is covered by certificate 5e1d7c3a-9f2b-4e8a-b6c1-0d2f3a4b5c6d");
}

#[tokio::test]
async fn a_name_no_certificate_covers_is_refused_until_the_operator_gives_one() {
    let state = tempfile::tempdir().unwrap();
    let other = node_shop_certificate(Some(
        r#"domains = ["other.example.com"]

[[certificates]]
arn = "arn:aws:acm:us-east-1:111122223333:certificate/wildcard"
domains = ["*.example.com"]"#,
    ));
    let (sandbox, _operator, run) = migrated_on(other, state.path()).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();

    let error = plan_cutover(sandbox.as_ref(), &run, &graph, &CutoverOptions::default()).await.unwrap_err();
    assert!(matches!(&error, CutoverError::NoCertificate(hosts) if hosts == "shop.example.com"), "{error}");
    assert_eq!(
        error.to_string(),
        "the old listener serves no certificate ferry can reuse for shop.example.com: request one in ACM for the name and pass --certificate ARN"
    );

    // The operator's certificate is judged by its names too.
    let options = |arn: &str| CutoverOptions { certificate_arn: Some(arn.to_string()), ..CutoverOptions::default() };
    let error = plan_cutover(sandbox.as_ref(), &run, &graph, &options(SHOP_CERTIFICATE)).await.unwrap_err();
    assert!(matches!(&error, CutoverError::CertificateDoesNotCover { hosts, .. } if hosts == "shop.example.com"));
    let missing = "arn:aws:acm:us-east-1:111122223333:certificate/missing";
    let error = plan_cutover(sandbox.as_ref(), &run, &graph, &options(missing)).await.unwrap_err();
    assert!(matches!(&error, CutoverError::Certificate { .. }), "{error}");
    assert!(error.to_string().contains("not found"), "{error}");

    let wildcard = "arn:aws:acm:us-east-1:111122223333:certificate/wildcard";
    let plan = plan_cutover(sandbox.as_ref(), &run, &graph, &options(wildcard)).await.unwrap();
    let attached: Vec<&Action> =
        plan.steps.iter().map(|s| &s.action).filter(|a| matches!(a, Action::AddListenerCertificate { .. })).collect();
    assert_eq!(attached.len(), 1, "the wildcard alone: the old certificate covers none of the names");
    assert!(check_ids(&plan).contains(&"Pass cutover-certificate:shop.example.com".to_string()));
}

#[tokio::test]
async fn a_certificate_whose_names_cannot_be_read_is_reused_with_a_warning() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, operator, run) = migrated_on(node_shop_certificate(None), state.path()).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    assert_eq!(graph.certificates[0].domains, None);

    let plan = plan_cutover(sandbox.as_ref(), &run, &graph, &CutoverOptions::default()).await.unwrap();
    assert!(plan.steps.iter().any(|s| s.id == "listener-certificate-1"));
    assert!(!plan.is_denied(), "{:?}", plan.denies());
    let warning = plan.checks().into_iter().find(|c| c.id == "cutover-certificate:shop.example.com").unwrap();
    assert_eq!(warning.level, ferry::plan::CheckLevel::Warning);
    assert!(warning.message.contains("could not confirm shop.example.com is covered"), "{}", warning.message);
    assert!(warning.message.contains(SHOP_CERTIFICATE), "{}", warning.message);

    // A plan edited to claim the names is judged by its claim, but apply reads them again.
    let mut forged = plan.clone();
    for assumption in &mut forged.assumptions {
        if let ferry::plan::Assumption::ExpressIngress { certificates, .. } = assumption {
            certificates.insert(SHOP_CERTIFICATE.to_string(), Some(vec!["shop.example.com".to_string()]));
        }
    }
    forged.seal();
    let forged = Plan::from_json(&forged.to_json()).unwrap();
    assert!(check_ids(&forged).contains(&"Pass cutover-certificate:shop.example.com".to_string()));
    let approved = forged.approve_overriding_all("accepted in this test on purpose").unwrap();
    let started = operator.start(&approved).await.unwrap();
    let report = operator.carry_out(&started, &RunControl::new(), &|_| {}).await.unwrap();
    let RunOutcome::Refused { reasons } = &report.outcome else { panic!("{:?}", report.outcome) };
    assert!(reasons.iter().any(|r| r.contains("cannot be read now")), "{reasons:?}");
}

#[tokio::test]
async fn a_plan_relying_on_a_certificate_it_never_attaches_or_on_names_it_lacks_is_refused() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, operator, run) = migrated(state.path()).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let plan = plan_cutover(sandbox.as_ref(), &run, &graph, &CutoverOptions::default()).await.unwrap();
    let mut forged = plan.clone();
    forged.steps.retain(|s| !matches!(s.action, Action::AddListenerCertificate { .. }));
    forged.seal();
    let error = Plan::from_json(&forged.to_json()).expect_err("claims a certificate it does not attach").to_string();
    assert!(error.contains("which no step attaches"), "{error}");

    // Names that do not cover the host deny the plan; names the certificate lacks stop apply.
    let names = |plan: &mut Plan, names: Option<Vec<String>>| {
        for assumption in &mut plan.assumptions {
            if let ferry::plan::Assumption::ExpressIngress { certificates, .. } = assumption {
                match &names {
                    Some(names) => {
                        certificates.insert(SHOP_CERTIFICATE.to_string(), Some(names.clone()));
                    }
                    None => certificates.clear(),
                }
            }
        }
        plan.seal();
    };
    let mut forged = plan.clone();
    names(&mut forged, Some(vec!["other.example.com".into()]));
    let forged = Plan::from_json(&forged.to_json()).unwrap();
    assert!(check_ids(&forged).contains(&"Deny cutover-certificate:shop.example.com".to_string()));
    let approved = forged.approve_overriding_all("accepted in this test on purpose").unwrap();
    let started = operator.start(&approved).await.unwrap();
    let report = operator.carry_out(&started, &RunControl::new(), &|_| {}).await.unwrap();
    let RunOutcome::Refused { reasons } = &report.outcome else { panic!("{:?}", report.outcome) };
    assert!(reasons.iter().any(|r| r.contains("does not cover other.example.com as the plan says")), "{reasons:?}");

    // A plan made before ferry stated names reads and verifies as it did, without the check.
    let mut older = plan.clone();
    names(&mut older, None);
    let older = Plan::from_json(&older.to_json()).expect("an older cutover plan still verifies");
    assert!(!check_ids(&older).iter().any(|c| c.contains("cutover-certificate")));
}
