//! `ferry analyze --json`: the profile under a schema version, so scripts can rely on its
//! shape. The fields are documented in the README; a change that breaks a reader gets a new
//! version.

use serde::Serialize;

use crate::model::AppProfile;

/// The version of the JSON `ferry analyze --json` prints.
pub const ANALYSIS_SCHEMA: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub schema: u32,
    #[serde(flatten)]
    pub profile: &'a AppProfile,
}

impl<'a> Report<'a> {
    pub fn new(profile: &'a AppProfile) -> Report<'a> {
        Report { schema: ANALYSIS_SCHEMA, profile }
    }
}
