//! placeholder
use crate::model::AppProfile;
pub fn dockerfile(_profile: &AppProfile) -> String {
    String::new()
}
