/// The wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Source,
    LoadBalancer,
    Iam,
    DataStores,
    Container,
    Service,
    Plan,
    Apply,
    Verify,
}

impl Step {
    pub const ALL: [Step; 9] = [
        Step::Source,
        Step::LoadBalancer,
        Step::Iam,
        Step::DataStores,
        Step::Container,
        Step::Service,
        Step::Plan,
        Step::Apply,
        Step::Verify,
    ];

    /// The name in the breadcrumb.
    pub fn title(self) -> &'static str {
        match self {
            Step::Source => "Source",
            Step::LoadBalancer => "Load balancer",
            Step::Iam => "IAM",
            Step::DataStores => "Data stores",
            Step::Container => "Container",
            Step::Service => "Service",
            Step::Plan => "Plan",
            Step::Apply => "Apply",
            Step::Verify => "Verify",
        }
    }

    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.index() + 1).copied()
    }

    pub fn previous(self) -> Option<Step> {
        self.index().checked_sub(1).map(|i| Step::ALL[i])
    }
}
