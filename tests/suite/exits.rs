//! How the real binary ends when things go wrong around it: errors printed a line each with
//! every cause once, a reader that closes its pipe early, files that are no plan or scenario
//! (a device, a pipe, a folder, too large), help texts that state what is enforced.

use crate::support;

use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use ferry::plan::Plan;
use support::run_state::{plan_in, run_ids};

fn ferry(state: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ferry"));
    command.args(args).env("FERRY_STATE_DIR", state);
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The command's output, or a failed test (never a hung one) when it has not ended in 30 s:
/// ferry must refuse a pipe, not wait on it.
fn output_within(mut command: Command) -> Output {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("ferry runs");
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ferry {:?} did not end within 30 s", command.get_args().collect::<Vec<_>>());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Runs the command with nobody reading its stdout, as `| head -1` leaves it once it has its
/// line: its status and what it said on stderr. The pipe's read end is closed before ferry
/// starts, so whatever ferry writes first meets the closed pipe, however the machine is loaded.
fn with_stdout_closed(mut command: Command) -> (ExitStatus, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = command.stdout(writer).stderr(Stdio::piped()).spawn().expect("ferry runs");
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    (child.wait().unwrap(), err)
}

#[test]
fn a_bad_plan_file_is_one_line_with_each_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    std::fs::write(&path, "{\n").unwrap();
    let output = ferry(dir.path(), &["show", path.to_str().unwrap()]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        format!(
            "ferry: plan file {}: plan file is not valid: EOF while parsing an object at line 2 column 0\n",
            path.display()
        )
    );
}

#[test]
fn a_bad_scenario_prints_its_lines_as_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "[account\nname = 1\n").unwrap();
    let output = ferry(dir.path(), &["discover", "--sandbox", path.to_str().unwrap()]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        format!(
            "ferry: scenario {}: TOML parse error at line 1, column 9\n  |\n1 | [account\n  |         ^\nunclosed table, expected `]`\n",
            path.display()
        )
    );
}

#[test]
fn results_end_quietly_when_the_reader_closes_the_pipe() {
    let state = tempfile::tempdir().unwrap();
    let (plan_file, _) = plan_in(state.path());
    let plan_file = plan_file.to_str().unwrap();
    let audit = state.path().join("audit.jsonl");
    ferry::audit::AuditLog::open(&audit)
        .unwrap()
        .append(ferry::audit::AuditEntry {
            run_id: "run-1".into(),
            operator: "ops".into(),
            action: "create role".into(),
            parameters: serde_json::json!({}),
            outcome: "ok".into(),
            duration_ms: 1,
        })
        .unwrap();
    let commands: [&[&str]; 9] = [
        &["show", plan_file],
        &["runs"],
        &["runs", "--json"],
        &["discover", "--sandbox", "node-shop", "--json"],
        &["discover", "--sandbox", "node-shop"],
        &["inventory", "--sandbox", "node-shop", "--json"],
        &["analyze", "--sandbox", "node-shop"],
        &["audit", "verify", "--file", audit.to_str().unwrap()],
        &["plan", "--sandbox", "node-shop", "--out", "-"],
    ];
    for args in commands {
        let (status, err) = with_stdout_closed(ferry(state.path(), args));
        assert_eq!(status.code(), Some(141), "ferry {args:?}: 128 + SIGPIPE, as a Unix tool ends: {err}");
        assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "ferry {args:?} ends quietly: {err}");
    }
}

#[test]
fn a_run_goes_on_when_nobody_reads_its_output() {
    let state = tempfile::tempdir().unwrap();
    let (plan_file, plan) = plan_in(state.path());
    let mut args = vec!["apply".to_string(), plan_file.display().to_string(), "--approve".into(), plan.hash.clone()];
    args.extend(["--sandbox".into(), "node-shop".into()]);
    args.extend(
        plan.denies()
            .into_iter()
            .flat_map(|d| ["--override".to_string(), format!("{}=accepted for this test run", d.id)]),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut command = ferry(state.path(), &args);
    // Progress goes to stderr, the outcome to stdout: both readers are gone from the start.
    let (out_reader, out) = std::io::pipe().unwrap();
    let (err_reader, err) = std::io::pipe().unwrap();
    drop((out_reader, err_reader));
    let mut child = command.stdout(out).stderr(err).spawn().unwrap();
    assert!(child.wait().unwrap().success(), "the run's status says how it ended, not whether anyone read it");
    let runs = ferry(state.path(), &["runs", "--json"]).output().unwrap();
    let runs: serde_json::Value = serde_json::from_slice(&runs.stdout).unwrap();
    assert_eq!(runs[0]["status"]["status"], "applied", "{runs}");
    assert_eq!(run_ids(state.path()).len(), 1);
}

/// The error each refused file gets, from `ferry show` (a plan file) and `ferry discover
/// --sandbox` (a scenario file).
fn refusals(path: &Path) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let show = output_within(ferry(dir.path(), &["show", path.to_str().unwrap()]));
    let discover = output_within(ferry(dir.path(), &["discover", "--sandbox", path.to_str().unwrap()]));
    assert_eq!(show.status.code(), Some(1));
    assert_eq!(discover.status.code(), Some(1));
    (text(&show.stderr), text(&discover.stderr))
}

#[cfg(unix)]
#[test]
fn an_endless_device_is_refused_before_it_is_read() {
    let (plan, scenario) = refusals(Path::new("/dev/zero"));
    assert_eq!(plan, "ferry: the plan file /dev/zero is a character device, not a regular file\n");
    assert_eq!(scenario, "ferry: scenario /dev/zero: it is a character device, not a regular file\n");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_waiting_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("plan.json");
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(status.success());
    let (plan, scenario) = refusals(&fifo);
    assert_eq!(plan, format!("ferry: the plan file {} is a named pipe (FIFO), not a regular file\n", fifo.display()));
    assert_eq!(
        scenario,
        format!("ferry: scenario {}: it is a named pipe (FIFO), not a regular file\n", fifo.display())
    );
}

#[test]
fn a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (plan, scenario) = refusals(dir.path());
    assert_eq!(plan, format!("ferry: the plan file {} is a folder, not a regular file\n", dir.path().display()));
    assert_eq!(scenario, format!("ferry: scenario {}: it is a folder, not a regular file\n", dir.path().display()));
}

#[test]
fn files_larger_than_any_plan_or_scenario_are_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    // Sparse: the size is what is refused, so no disk is spent on it.
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(ferry::files::PLAN_MAX_BYTES + 1).unwrap();
    let (plan, scenario) = refusals(&big);
    let size = ferry::files::PLAN_MAX_BYTES + 1;
    assert_eq!(
        plan,
        format!("ferry: the plan file {} is larger than the 16 MiB a plan file may be ({size} bytes)\n", big.display())
    );
    assert_eq!(
        scenario,
        format!(
            "ferry: scenario {}: it is larger than the 4 MiB a scenario file may be ({size} bytes)\n",
            big.display()
        )
    );

    // apply reads the plan the same way, before it reaches for any account.
    let output = output_within(ferry(dir.path(), &["apply", big.to_str().unwrap(), "--approve", "0123456789ab"]));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stderr), plan);
}

#[test]
fn a_plan_at_the_limit_is_still_read() {
    let state = tempfile::tempdir().unwrap();
    let (plan_file, _) = plan_in(state.path());
    // Padding after the JSON is whitespace, so the plan still verifies.
    let mut padded = std::fs::read_to_string(&plan_file).unwrap();
    padded.push_str(&" ".repeat(ferry::files::PLAN_MAX_BYTES as usize - padded.len()));
    std::fs::write(&plan_file, padded).unwrap();
    let output = ferry(state.path(), &["show", plan_file.to_str().unwrap()]).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
}

#[test]
fn apply_help_states_the_prefix_length_approval_enforces() {
    let dir = tempfile::tempdir().unwrap();
    let output = ferry(dir.path(), &["apply", "--help"]).output().unwrap();
    let help = text(&output.stdout);
    assert!(help.contains(&format!("({} or more)", ferry::plan::MIN_PREFIX)), "{help}");

    // And a prefix one digit shorter than that is refused, so the help is what happens.
    let state = tempfile::tempdir().unwrap();
    let (plan_file, plan): (_, Plan) = plan_in(state.path());
    let short = &plan.hash[..ferry::plan::MIN_PREFIX - 1];
    let output =
        ferry(state.path(), &["apply", plan_file.to_str().unwrap(), "--approve", short, "--sandbox", "node-shop"])
            .output()
            .unwrap();
    assert!(
        text(&output.stderr).contains(&format!("at least {} hex digits", ferry::plan::MIN_PREFIX)),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn latency_flags_are_bounded_as_scenarios_are() {
    let dir = tempfile::tempdir().unwrap();
    let max = ferry::cloud::sandbox::scenario::SandboxSection::MAX_LATENCY_MS;
    let help = text(&ferry(dir.path(), &["demo", "--help"]).output().unwrap().stdout);
    assert!(help.contains(&format!("at most {max}")), "{help}");
    let over = (max + 1).to_string();
    for args in [vec!["demo", "--latency-ms", &over], vec!["rollback", "run-1", "--latency-ms", &over]] {
        let output = ferry(dir.path(), &args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "clap refuses it: {}", text(&output.stderr));
        assert!(text(&output.stderr).contains(&format!("{over} is not in 0..={max}")), "{}", text(&output.stderr));
    }
}
