//! The wizard's steps, in order, each with the screen that shows it: the one list a new step
//! joins. Everything that routes over steps goes through `Screens::get`, whose match the
//! compiler checks is whole.

use super::screens::{self, Screen};

/// Declares the steps, in order, and the screens that hold each step's state: one line per
/// step gives its `Step` variant, its field in `Screens`, and its screen type.
macro_rules! wizard_steps {
    ($($step:ident => $field:ident: $screen:ty),+ $(,)?) => {
        /// The wizard's steps, in order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Step {
            $(
                #[allow(missing_docs)]
                $step
            ),+
        }

        impl Step {
            /// Every step, in order.
            pub const ALL: [Step; [$(stringify!($step)),+].len()] = [$(Step::$step),+];
        }

        /// Each step's screen, holding the step's own state.
        #[derive(Default)]
        pub struct Screens {
            $(
                #[allow(missing_docs)]
                pub $field: $screen
            ),+
        }

        impl Screens {
            /// The screen of `step`.
            pub fn get(&self, step: Step) -> &dyn Screen {
                match step {
                    $(Step::$step => &self.$field),+
                }
            }

            /// The screen of `step`, to take a key.
            pub fn get_mut(&mut self, step: Step) -> &mut dyn Screen {
                match step {
                    $(Step::$step => &mut self.$field),+
                }
            }
        }
    };
}

wizard_steps! {
    Source => source: screens::source::Source,
    LoadBalancer => load_balancer: screens::load_balancer::LoadBalancer,
    Iam => iam: screens::iam::Iam,
    DataStores => data_stores: screens::data_stores::DataStores,
    Container => container: screens::container::Container,
    Service => service: screens::service::Service,
    Plan => plan: screens::plan::PlanScreen,
    Apply => apply: screens::apply::Apply,
    Verify => verify: screens::verify::Verify,
    Cutover => cutover: screens::cutover::Cutover,
    Retire => retire: screens::retire::Retire,
}

impl Screens {
    /// Forgets what every screen kept for the previous migration.
    pub fn reset(&mut self) {
        for step in Step::ALL {
            self.get_mut(step).reset();
        }
    }
}

impl Step {
    /// The step's place in the wizard, from 0.
    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The step after this one.
    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.index() + 1).copied()
    }

    /// The step before this one.
    pub fn previous(self) -> Option<Step> {
        self.index().checked_sub(1).map(|i| Step::ALL[i])
    }
}
