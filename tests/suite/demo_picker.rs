//! `ferry demo` without `--scenario`, in a pseudo-terminal: the picker lists the bundled
//! scenarios and the trainer's own (a broken one with its error), and the chosen scenario
//! opens on its Source step.

use crate::support;

use support::pty::Session;

/// A home, a config folder with the trainer's scenarios, and a state folder, all temporary.
fn folders() -> (tempfile::TempDir, Vec<(String, String)>) {
    let root = tempfile::tempdir().unwrap();
    let scenarios = root.path().join("config/ferry/scenarios");
    std::fs::create_dir_all(&scenarios).unwrap();
    std::fs::create_dir_all(root.path().join("home")).unwrap();
    let class = ferry::cloud::sandbox::BUNDLED[0].1.replace("name = \"node-shop\"", "name = \"class-a\"");
    std::fs::write(scenarios.join("class-a.toml"), class).unwrap();
    std::fs::write(scenarios.join("broken.toml"), "[account]\nname = 1\n").unwrap();
    let path = |p: &str| root.path().join(p).display().to_string();
    let env = vec![
        ("HOME".to_string(), path("home")),
        ("XDG_CONFIG_HOME".to_string(), path("config")),
        ("XDG_STATE_HOME".to_string(), path("state-home")),
    ];
    (root, env)
}

fn start(args: &[&str], root: &tempfile::TempDir, env: &[(String, String)]) -> Session {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Session::start_with(args, &root.path().join("state"), &env)
}

#[test]
fn the_picker_opens_the_chosen_scenario_on_its_source_step() {
    let (root, env) = folders();
    let mut s = start(&["demo", "--latency-ms", "0"], &root, &env);
    s.wait_for("choose a scenario");
    s.wait_for("java-shop");
    s.wait_for("A Java app");
    s.wait_for("class-a");
    s.wait_for("broken");
    s.wait_for("trainer's · ");
    s.wait_for("does not load: TOML parse");
    // Selected, the broken file's whole error is in the details.
    s.keys("G");
    s.keys("k");
    s.wait_for("This file does not load:");
    s.wait_for("TOML parse error at line 2");
    // java-shop, just above it.
    s.keys("k");
    s.wait_for("ferry demo --scenario java-shop");
    s.keys("\r");
    s.wait_for("java-shop · acct 111122223333");
    s.wait_for("orders-api-prod");
    s.wait_for("Enter discover this instance");
    s.keys("q");
    assert!(s.wait_exit().success());
}

#[test]
fn q_leaves_the_picker_and_a_paced_scenario_opens_straight_away() {
    let (root, env) = folders();
    let mut s = start(&["demo"], &root, &env);
    s.wait_for("choose a scenario");
    s.keys("q");
    assert!(s.wait_exit().success());

    let mut s = start(&["demo", "--scenario", "legacy-monolith", "--pace", "fast"], &root, &env);
    s.wait_for("legacy-monolith · acct");
    s.wait_for("shop-monolith-prod");
    s.keys("q");
    assert!(s.wait_exit().success());
}
