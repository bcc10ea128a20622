//! `[endpoints]`: how the app answers on the old side (its hostname, its load balancer) and on
//! the new side (the Express endpoint). The sandbox serves these answers from local HTTP
//! servers when `ferry verify` probes, so a trainer can make the new side slow or failing.

use serde::Deserialize;

/// `[endpoints]`: the old and the new side. Both answer `200 ok` to every path by default.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EndpointsSection {
    /// `[endpoints.old]`: the app as the instance behind the old load balancer serves it.
    pub old: SideSpec,
    /// `[endpoints.new]`: the app as the Express service serves it.
    pub new: SideSpec,
}

/// One side's server: whether it listens, its answers by path, and its answer to any other path.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SideSpec {
    /// `false`: nothing listens there, so every probe is refused; `true` by default.
    pub up: bool,
    /// The answer to a path `paths` does not list: `200 ok` at once by default.
    pub default: AnswerSpec,
    /// Answers by exact path (the query string is ignored).
    pub paths: Vec<PathAnswerSpec>,
}

impl Default for SideSpec {
    fn default() -> Self {
        SideSpec { up: true, default: AnswerSpec::default(), paths: Vec::new() }
    }
}

/// What a server answers: `{ status = 200, body = "ok", latency_ms = 5 }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerSpec {
    /// The HTTP status; 200 by default.
    #[serde(default = "ok_status")]
    pub status: u16,
    /// The response body; `ok` by default.
    #[serde(default = "ok_body")]
    pub body: String,
    /// How long the server waits before it answers; 0 by default.
    #[serde(default)]
    pub latency_ms: u64,
}

impl Default for AnswerSpec {
    fn default() -> Self {
        AnswerSpec { status: ok_status(), body: ok_body(), latency_ms: 0 }
    }
}

/// An answer for one path: `{ path = "/healthz", status = 200, body = "ok", latency_ms = 5 }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathAnswerSpec {
    /// The path it answers, starting with `/`.
    pub path: String,
    /// The HTTP status; 200 by default.
    #[serde(default = "ok_status")]
    pub status: u16,
    /// The response body; `ok` by default.
    #[serde(default = "ok_body")]
    pub body: String,
    /// How long the server waits before it answers; 0 by default.
    #[serde(default)]
    pub latency_ms: u64,
}

fn ok_status() -> u16 {
    200
}

fn ok_body() -> String {
    "ok".into()
}

/// The longest a scenario's server may wait before answering: past any probe's timeout.
pub const MAX_ANSWER_LATENCY_MS: u64 = 60_000;
/// The largest body a scenario's server may answer with.
pub const MAX_ANSWER_BODY: usize = 1 << 20;

impl SideSpec {
    /// The answer to `path` (its query string ignored): the path's own, else the default.
    pub fn answer(&self, path: &str) -> AnswerSpec {
        let path = path.split('?').next().unwrap_or(path);
        match self.paths.iter().find(|p| p.path == path) {
            Some(p) => AnswerSpec { status: p.status, body: p.body.clone(), latency_ms: p.latency_ms },
            None => self.default.clone(),
        }
    }

    fn validate(&self, side: &str) -> Result<(), String> {
        check_answer(
            &format!("endpoints.{side}.default"),
            self.default.status,
            &self.default.body,
            self.default.latency_ms,
        )?;
        let mut seen = std::collections::BTreeSet::new();
        for (i, p) in self.paths.iter().enumerate() {
            let at = format!("endpoints.{side}.paths[{i}]");
            if !p.path.starts_with('/') || p.path.contains('?') {
                return Err(format!("{at}.path: {:?} is not a path: start it with / and leave out the query", p.path));
            }
            if !seen.insert(p.path.as_str()) {
                return Err(format!("{at}.path: {:?} is given twice", p.path));
            }
            check_answer(&at, p.status, &p.body, p.latency_ms)?;
        }
        Ok(())
    }
}

impl EndpointsSection {
    /// Statuses are HTTP statuses, paths are paths and unique, latencies and bodies bounded.
    pub(super) fn validate(&self) -> Result<(), String> {
        self.old.validate("old")?;
        self.new.validate("new")
    }
}

fn check_answer(at: &str, status: u16, body: &str, latency_ms: u64) -> Result<(), String> {
    if !(100..=599).contains(&status) {
        return Err(format!("{at}.status: {status} is not an HTTP status (100-599)"));
    }
    if latency_ms > MAX_ANSWER_LATENCY_MS {
        return Err(format!(
            "{at}.latency_ms: {latency_ms} is more than the {MAX_ANSWER_LATENCY_MS} ms an answer may wait"
        ));
    }
    if body.len() > MAX_ANSWER_BODY {
        return Err(format!("{at}.body: {} bytes is more than the {MAX_ANSWER_BODY} an answer may hold", body.len()));
    }
    Ok(())
}
