//! Moving an applied migration's traffic to the new service: a plan, in the same format as
//! every plan, that gives the Express load balancer the app's host name and certificate,
//! replaces the host name's records by weighted pairs, and moves the weights in stages, each
//! followed by a wait of one DNS TTL and a bake. Every step has its inverse, so rolling the
//! cutover back restores the records exactly and leaves the Express listener as it was.

mod certificates;
mod finalize;
mod gate_step;
mod stages;
mod steps;

use thiserror::Error;

pub use finalize::plan_finalize;
pub use gate_step::carry_out_gate;
pub use stages::{Stages, StagesError};

use crate::apply::{RunState, RunStatus};
use crate::cloud::{CloudError, ReadCloud};
use crate::gate::{Thresholds, Window};
use crate::model::{ExpressIngress, MigrationGraph};
use crate::plan::{Action, Assumption, Plan, PlanContext, PlanHeader};

/// A bake when the operator names none: the standard ramp's shortest (15 minutes).
pub const DEFAULT_BAKE_SECS: u64 = 15 * 60;

/// What the operator chose for a cutover.
#[derive(Debug, Clone, PartialEq)]
pub struct CutoverOptions {
    /// The host names to move; empty moves every one discovery found pointing at the old
    /// load balancer.
    pub hostnames: Vec<String>,
    /// The new service's share of traffic, stage by stage.
    pub stages: Stages,
    /// How long each stage bakes after resolvers have seen it, in seconds.
    pub bake_secs: u64,
    /// A certificate for the host names, when the old listener's cannot be reused.
    pub certificate_arn: Option<String>,
    /// How far back each stage's health gate reads the figures.
    pub window: Window,
    /// The limits each stage's health gate judges by.
    pub thresholds: Thresholds,
}

impl Default for CutoverOptions {
    fn default() -> Self {
        CutoverOptions {
            hostnames: Vec::new(),
            stages: Stages::standard(),
            bake_secs: DEFAULT_BAKE_SECS,
            certificate_arn: None,
            window: Window::default(),
            thresholds: Thresholds::default(),
        }
    }
}

/// Why no cutover plan can be made.
#[derive(Debug, Error)]
pub enum CutoverError {
    /// Traffic moves only to a service whose migration finished.
    #[error("run {run} is {status}, not applied: traffic moves only to a service that is up")]
    NotApplied {
        /// The run.
        run: String,
        /// Where it stands.
        status: String,
    },
    /// The run made no Express service (its journal has none).
    #[error("run {0} made no Express service")]
    NoService(String),
    /// Nothing the account shows points at the old load balancer.
    #[error(
        "no record in this account's Route 53 zones points at the old load balancer: a name kept at another DNS provider or behind a CDN has to be moved there"
    )]
    NoHostnames,
    /// The operator named a host name discovery did not find.
    #[error("{host} does not point at the old load balancer in this account's zones (found: {found})")]
    UnknownHostname {
        /// The name asked for.
        host: String,
        /// The names discovery found.
        found: String,
    },
    /// No certificate can serve the host names on the Express listener.
    #[error(
        "the old listener serves no certificate ferry can reuse for {0}: request one in ACM for the name and pass --certificate ARN"
    )]
    NoCertificate(String),
    /// The operator's certificate covers none of the names that move, or leaves some that no
    /// certificate of the old listener covers either.
    #[error(
        "certificate {arn} does not cover {hosts}: pass --certificate ARN naming a certificate whose names (or a wildcard for their domain) include them"
    )]
    CertificateDoesNotCover {
        /// The operator's certificate.
        arn: String,
        /// The names left uncovered.
        hosts: String,
    },
    /// The operator's certificate is not in the account.
    #[error("certificate {arn} cannot be attached: {error}")]
    Certificate {
        /// The operator's certificate.
        arn: String,
        /// Why it cannot be read.
        error: CloudError,
    },
    /// A certificate from another region cannot be attached to this region's load balancer.
    #[error("certificate {arn} is not in {region}: a load balancer takes certificates from its own region only")]
    CertificateRegion {
        /// The certificate.
        arn: String,
        /// The service's region.
        region: String,
    },
    /// Finalize is for a cutover run.
    #[error("run {0} is not a cutover: finalize the run `ferry cutover` made")]
    NotACutover(String),
    /// Finalize waits until all traffic has moved and baked.
    #[error("cutover run {run} is {status}: finalize only once every stage has moved and baked, the last at 100 %")]
    NotFinished {
        /// The cutover run.
        run: String,
        /// Where it stands.
        status: String,
    },
    /// The Express service's load balancer could not be read.
    #[error("cannot read how the Express service is reached: {0}")]
    Ingress(CloudError),
    /// The instance could not be discovered again.
    #[error(transparent)]
    Discovery(#[from] crate::discover::DiscoverError),
}

/// The cutover plan for an applied run, its instance discovered again first: where the
/// traffic is now, not where it was when the migration was planned.
pub async fn plan_cutover_now(
    cloud: &dyn ReadCloud,
    run: &RunState,
    options: &CutoverOptions,
) -> Result<Plan, CutoverError> {
    if run.status != RunStatus::Applied {
        return Err(CutoverError::NotApplied { run: run.run_id.clone(), status: run.status.label() });
    }
    let graph = crate::discover::discover(cloud, &run.plan.source_instance_id).await?;
    plan_cutover(cloud, run, &graph, options).await
}

/// The cutover plan for an applied run, from the graph discovery found for its instance and
/// the Express load balancer as the account shows it now.
pub async fn plan_cutover(
    cloud: &dyn ReadCloud,
    run: &RunState,
    graph: &MigrationGraph,
    options: &CutoverOptions,
) -> Result<Plan, CutoverError> {
    if run.status != RunStatus::Applied {
        return Err(CutoverError::NotApplied { run: run.run_id.clone(), status: run.status.label() });
    }
    let service_arn = service_arn(run).ok_or_else(|| CutoverError::NoService(run.run_id.clone()))?;
    let ingress = cloud.express_ingress(&service_arn).await.map_err(CutoverError::Ingress)?;
    let header = PlanHeader {
        service_name: run.plan.service_name.clone(),
        source_instance_id: run.plan.source_instance_id.clone(),
        account_id: run.plan.account_id.clone(),
        region: run.plan.region.clone(),
    };
    let given_names = given_names(cloud, options, &header.region).await?;
    build(header, graph, &ingress, &service_arn, options, given_names)
}

/// The names of the operator's certificate, so it is judged as the old ones are; `None`
/// when they cannot be read (an IAM certificate, a refused permission), and the plan warns.
/// A certificate of another region is refused by the plan, not read here.
async fn given_names(
    cloud: &dyn ReadCloud,
    options: &CutoverOptions,
    region: &str,
) -> Result<Option<Vec<String>>, CutoverError> {
    let Some(arn) = &options.certificate_arn else { return Ok(None) };
    if certificates::check_region(arn, region).is_err() {
        return Ok(None);
    }
    match cloud.certificate_domains(arn).await {
        Ok(names) => Ok(names),
        Err(error) if error.is_not_found() => Err(CutoverError::Certificate { arn: arn.clone(), error }),
        Err(_) => Ok(None),
    }
}

/// The cutover plan from what is known: the plan's header, the graph, and how the new
/// service is reached.
pub fn build_cutover_plan(
    header: PlanHeader,
    graph: &MigrationGraph,
    ingress: &ExpressIngress,
    service_arn: &str,
    options: &CutoverOptions,
) -> Result<Plan, CutoverError> {
    // Nothing here reads the account: the operator's certificate has names ferry does not know.
    build(header, graph, ingress, service_arn, options, None)
}

fn build(
    header: PlanHeader,
    graph: &MigrationGraph,
    ingress: &ExpressIngress,
    service_arn: &str,
    options: &CutoverOptions,
    given_names: Option<Vec<String>>,
) -> Result<Plan, CutoverError> {
    let (steps, certificates) = steps::cutover_steps(graph, ingress, &header.region, options, given_names)?;
    // The names each certificate covers are what the checks judge coverage by; apply reads
    // them again, so a plan edited to claim names a certificate lacks is refused.
    let served_certificates =
        certificates.iter().filter(|(arn, _)| ingress.certificate_arns.contains(arn)).map(|(arn, _)| arn.clone());
    // Apply confirms both before the first step: the load balancer is still the service's,
    // and the records are still as they were found.
    let mut assumptions = vec![Assumption::ExpressIngress {
        service_arn: service_arn.to_string(),
        load_balancer_arn: ingress.load_balancer_arn.clone(),
        dns_name: ingress.dns_name.clone(),
        listener_arn: ingress.listener_arn.clone(),
        rule_arn: ingress.rule_arn.clone(),
        served_certificates: served_certificates.collect(),
        certificates: certificates.into_iter().collect(),
    }];
    for step in &steps {
        if let Action::SplitRecords { pair } = &step.action {
            assumptions.push(Assumption::Records { zone_id: pair.zone_id.clone(), records: pair.records.clone() });
        }
    }
    Ok(Plan::new(header, steps, assumptions, PlanContext::default()))
}

/// The ARN of the service the run made, as its journal recorded it.
pub fn service_arn(run: &RunState) -> Option<String> {
    run.journal
        .entries
        .iter()
        .filter(|e| matches!(e.action, Action::CreateExpressService { .. }))
        .find_map(|e| e.output.get("serviceArn").map(str::to_string))
}
