//! Plans kept in the state folder's `plans/`, one file per plan named by its full hash, so a
//! person can approve a plan an assistant made by its id (`ferry approve 3b7b1cc8a1e2`).
//!
//! The store vouches for nothing: a stored plan is read like any plan file (its hash, shape,
//! checks and every derived fact computed again from its content), and one whose content no
//! longer hashes to the name it was saved under is refused. Whoever edits a file here gets
//! either a refusal or a different plan with a different hash, which is what a person sees
//! and approves.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::files::{FileError, PLAN_MAX_BYTES, read_bounded_text};
use crate::plan::{Plan, PlanError};

/// Hex digits in a plan's id: as many as an approval must type.
pub const PLAN_ID_LEN: usize = crate::plan::MIN_PREFIX;

/// The fewest digits `load` takes: fewer would name too many plans to be worth looking up.
const MIN_ID_LEN: usize = 8;

/// A plan's id in the store: the first `PLAN_ID_LEN` hex digits of its hash.
pub fn plan_id(hash: &str) -> &str {
    hash.get(..PLAN_ID_LEN).unwrap_or(hash)
}

/// Plans kept in the state folder for approval by id (the MCP server's create_plan writes here).
pub struct PlanStore {
    dir: PathBuf,
}

/// Why a plan was not saved or loaded. Each message says what to do next.
#[derive(Debug, Error)]
pub enum PlanStoreError {
    /// The id is not hex, or too short to look up.
    #[error(
        "{id:?} is not a plan id: give the {PLAN_ID_LEN} hex digits the plan was saved under (at least {MIN_ID_LEN})"
    )]
    NotAnId {
        /// The id as given, control characters escaped.
        id: String,
    },
    /// No stored plan's hash starts with the id.
    #[error("no plan {id} in {dir}: make the plan again (create_plan, or ferry plan)")]
    Unknown {
        /// The id as given.
        id: String,
        /// The store's folder.
        dir: PathBuf,
    },
    /// More than one stored plan's hash starts with the id.
    #[error("{id} starts {} plans ({}): give more of its digits", .matches.len(), .matches.join(", "))]
    Ambiguous {
        /// The id as given.
        id: String,
        /// The first 16 digits of each plan it starts.
        matches: Vec<String>,
    },
    /// The store's folder could not be listed.
    #[error("cannot read the plan store {path}: {source}")]
    Io {
        /// The folder.
        path: PathBuf,
        /// What the system reported.
        source: std::io::Error,
    },
    /// The plan's file could not be read, or is no regular file of a plan's size.
    #[error(transparent)]
    File(#[from] FileError),
    /// The stored plan is not what it states (hash, shape, checks, derived facts).
    #[error("plan {id} in the store is refused: {source}; make the plan again")]
    Plan {
        /// The plan's id.
        id: String,
        /// Why it was refused.
        source: PlanError,
    },
    /// The stored plan is whole, but no longer the plan saved under its name.
    #[error(
        "the plan stored as {id} now hashes to {}: it was changed after it was saved, so it is refused; make the plan again",
        crate::audit::short_hash(actual)
    )]
    Changed {
        /// The id it was saved under.
        id: String,
        /// The hash its content has now.
        actual: String,
    },
    /// The plan to save is not what it states: it would be refused when loaded.
    #[error("the plan cannot be saved: {0}")]
    NotSaved(PlanError),
    /// The plan's file could not be written.
    #[error("cannot save the plan to {path}: {source}")]
    Write {
        /// The file that was to be written.
        path: PathBuf,
        /// What the system reported.
        source: std::io::Error,
    },
}

impl PlanStore {
    /// `plans/` in the state folder; `None` when the system has no state folder.
    pub fn in_state_dir() -> Option<PlanStore> {
        crate::state_dir::state_dir().map(|dir| PlanStore::new(dir.join("plans")))
    }

    /// Plans kept in `dir`.
    pub fn new(dir: PathBuf) -> PlanStore {
        PlanStore { dir }
    }

    /// The folder plans are kept in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Saves the plan (whole: written beside, synced, renamed) and returns its id, the first
    /// `PLAN_ID_LEN` digits of its hash. A plan that is not what it states is refused.
    pub fn save(&self, plan: &Plan) -> Result<String, PlanStoreError> {
        plan.verify().map_err(PlanStoreError::NotSaved)?;
        let path = self.dir.join(format!("{}.json", plan.hash));
        let write = |source| PlanStoreError::Write { path: path.clone(), source };
        fs::create_dir_all(&self.dir).map_err(write)?;
        let partial = self.dir.join(format!(".{}.partial", plan.hash));
        let mut file = fs::File::create(&partial).map_err(write)?;
        file.write_all((plan.to_json() + "\n").as_bytes()).and_then(|()| file.sync_all()).map_err(write)?;
        fs::rename(&partial, &path).map_err(write)?;
        Ok(plan_id(&plan.hash).to_string())
    }

    /// The plan saved under `id` (or a unique prefix of at least 8 hex digits), read like any
    /// plan file: validated, its hash and checks computed from its content, never trusted.
    pub fn load(&self, id: &str) -> Result<Plan, PlanStoreError> {
        let given = id.trim().to_ascii_lowercase();
        let hex = given.chars().all(|c| c.is_ascii_hexdigit());
        if !hex || given.len() < MIN_ID_LEN || given.len() > 64 {
            return Err(PlanStoreError::NotAnId { id: crate::text::escape_controls(id) });
        }
        let mut matches: Vec<String> = self.hashes()?.into_iter().filter(|hash| hash.starts_with(&given)).collect();
        let hash = match matches.len() {
            0 => return Err(PlanStoreError::Unknown { id: given, dir: self.dir.clone() }),
            1 => matches.remove(0),
            _ => {
                let matches = matches.iter().map(|hash| hash[..16].to_string()).collect();
                return Err(PlanStoreError::Ambiguous { id: given, matches });
            }
        };
        let id = plan_id(&hash).to_string();
        let text = read_bounded_text(&self.dir.join(format!("{hash}.json")), PLAN_MAX_BYTES, "plan file")?;
        let plan = Plan::from_json(&text).map_err(|source| PlanStoreError::Plan { id: id.clone(), source })?;
        if plan.hash != hash {
            return Err(PlanStoreError::Changed { id, actual: plan.hash });
        }
        Ok(plan)
    }

    /// The hash of every plan in the store, sorted; none when there is no store yet.
    fn hashes(&self) -> Result<Vec<String>, PlanStoreError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(PlanStoreError::Io { path: self.dir.clone(), source }),
        };
        let mut hashes: Vec<String> = entries
            .filter_map(|entry| entry.ok()?.file_name().to_str()?.strip_suffix(".json").map(str::to_string))
            .filter(|stem| stem.len() == 64 && stem.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')))
            .collect();
        hashes.sort();
        Ok(hashes)
    }
}
