//! What each listed instance runs, read from its user data. The sandbox's list carries user
//! data; a live account's does not, so it is read per instance after the list is drawn, a few
//! at a time, and the Source list fills in as the answers come.

use std::collections::BTreeMap;

use crate::analyze::{Glance, at_a_glance};
use crate::model::Instance;

/// How many instances' user data are read at once.
pub const AT_ONCE: usize = 8;

/// What the Source list knows of what one instance runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Glimpse {
    /// Its user data is being read.
    Reading,
    /// A runtime ferry recognises.
    Seen(Glance),
    /// User data with no runtime ferry recognises, or none at all.
    Nothing,
    /// It could not be read, and why, in a few words (`refused: ec2:DescribeInstanceAttribute`).
    Unread(String),
}

impl Glimpse {
    /// The Runs column: a word or two.
    pub fn column(&self) -> String {
        match self {
            Glimpse::Reading => "…".into(),
            Glimpse::Seen(glance) => glance.runs.split(" · ").next().unwrap_or("—").to_string(),
            Glimpse::Nothing => "—".into(),
            // The column is narrow: the details say which permission.
            Glimpse::Unread(why) => why.split(':').next().unwrap_or("unread").to_string(),
        }
    }

    /// What the user data says, once read.
    pub fn glance(&self) -> Option<&Glance> {
        match self {
            Glimpse::Seen(glance) => Some(glance),
            _ => None,
        }
    }

    /// From user data, as read.
    pub fn of_user_data(user_data: Option<&str>) -> Glimpse {
        user_data.and_then(at_a_glance).map_or(Glimpse::Nothing, Glimpse::Seen)
    }
}

/// What the list tells at once, and the instances whose user data is still to be read (the
/// list did not carry it).
pub fn from_list(instances: &[Instance]) -> (BTreeMap<String, Glimpse>, Vec<String>) {
    let mut glimpses = BTreeMap::new();
    let mut to_read = Vec::new();
    for instance in instances {
        let glimpse = match instance.user_data.as_deref() {
            Some(user_data) => Glimpse::of_user_data(Some(user_data)),
            None => {
                to_read.push(instance.id.clone());
                Glimpse::Reading
            }
        };
        glimpses.insert(instance.id.clone(), glimpse);
    }
    (glimpses, to_read)
}
