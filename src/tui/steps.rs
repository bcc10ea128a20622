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

    /// The name in a breadcrumb too narrow for `title`.
    pub fn short_title(self) -> &'static str {
        match self {
            Step::LoadBalancer => "LB",
            Step::DataStores => "Data",
            step => step.title(),
        }
    }

    /// What the step is for, in one line, for the help, naming keys as `keymap` has them.
    pub fn purpose(self, keymap: &super::actions::Keymap) -> String {
        use super::actions::Action;
        let purpose = match self {
            Step::Source => "Choose the instance to move; its details and masked user data are on the right.",
            Step::LoadBalancer => "How traffic reaches the instance today, and what Express Mode replaces.",
            Step::Iam => "The instance's role and policies, and what the task role will carry.",
            Step::DataStores => "What the app talks to, each with the evidence that found it.",
            Step::Container => "How the app runs: runtime, start command, port, environment and secrets.",
            Step::Service => {
                return format!(
                    "The Dockerfile and the Express service config, side by side; {} edits one.",
                    keymap.label(Action::Edit)
                );
            }
            Step::Plan => "Every change, how it is undone, and what the checks say. Nothing has changed yet.",
            Step::Apply => {
                return format!(
                    "The approved plan running step by step; {} undoes what it did, {} continues a stopped run.",
                    keymap.label(Action::RollBack),
                    keymap.label(Action::Resume)
                );
            }
            Step::Verify => "Where the service is and what to do next.",
        };
        purpose.to_string()
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
