//! `ferry analyze --json`: the profile under a schema version, so scripts can rely on its
//! shape. The fields are documented in the README; a change that breaks a reader gets a new
//! version.

use serde::Serialize;

use crate::model::AppProfile;

/// The version of the JSON `ferry analyze --json` prints.
pub const ANALYSIS_SCHEMA: u32 = 1;

/// What `ferry analyze --json` prints: the profile under a schema number that changes only
/// when a field changes meaning or goes.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// [`ANALYSIS_SCHEMA`] when the report was written.
    pub schema: u32,
    /// The facts, their sources, the variables and the findings, at the report's top level.
    #[serde(flatten)]
    pub profile: &'a AppProfile,
}

impl<'a> Report<'a> {
    /// The report of `profile` under the current schema.
    pub fn new(profile: &'a AppProfile) -> Report<'a> {
        Report { schema: ANALYSIS_SCHEMA, profile }
    }
}
