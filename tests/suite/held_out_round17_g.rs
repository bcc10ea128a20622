//! Round 17's Python classes, each reproduced in a fixture of its own (tests/fixtures/apps):
//! a start command taken from the main compose file's app service, a health router mounted at
//! a prefix, a scheduler dependency the served code never starts, a committed `.env` that
//! pydantic-settings loads, Django uploads on the local disk, and images that must build.

use crate::app_fixtures::{findings, profile as fixture};

/// No Dockerfile command and no Procfile: the compose service built from `.` runs
/// `bash -c "uvicorn ... --reload"` over several lines. Its server is the start, without the
/// reloader, and its `--port` the app's port. The health router is mounted over several lines
/// at `/v2/open/health`, which answers 404: its route `/db` answers below it.
#[test]
fn the_compose_command_starts_it_and_the_health_router_answers_below_its_prefix() {
    let app = fixture("fastapi-compose-router-health");
    assert_eq!(app.start_command, ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8181", "--use-colors"]);
    assert_eq!(app.start_source, "compose.yml:6 (the app service's `command:`)");
    assert_eq!(app.port, 8181, "{}", app.port_source);
    assert_eq!(
        (app.health_check_path.as_str(), app.health_source.as_str()),
        ("/v2/open/health/db", "app/api/health.py:6")
    );
    assert_eq!(findings(&app, "start-from-compose").len(), 1);
}
