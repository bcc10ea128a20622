//! No secret in user data reaches anything ferry writes. One scenario's instance holds every
//! form in `masking_forms`; the real binary then discovers, inventories, analyzes, plans,
//! shows, generates, applies on the sandbox and rolls back, and every byte it printed or left
//! in the state folder (saved account, journal, audit log) is searched for every raw secret.

use crate::masking_forms;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ferry::digest::{keyed_sha256_hex, sha256_hex};
use masking_forms::FORMS;

/// The instance's user data: a Node.js app (so the plan is complete) and every form.
fn user_data() -> String {
    let mut text =
        String::from("#!/bin/bash\ncurl -fsSL https://rpm.nodesource.com/setup_20.x | bash -\nexport PORT=8080\n");
    for form in FORMS {
        text.push_str(form.script);
        text.push('\n');
    }
    text.push_str("node server.js\n");
    text
}

fn scenario(user_data: &str) -> String {
    format!(
        r#"[account]
name = "masking"
account_id = "444455556666"
region = "eu-west-1"
caller_arn = "arn:aws:iam::444455556666:user/trainer"
app_instance = "i-0123abcd"

[[vpcs]]
id = "vpc-1"
cidr = "10.0.0.0/16"

[[subnets]]
id = "subnet-a"
vpc_id = "vpc-1"
cidr = "10.0.1.0/24"
availability_zone = "eu-west-1a"

[[subnets]]
id = "subnet-b"
vpc_id = "vpc-1"
cidr = "10.0.2.0/24"
availability_zone = "eu-west-1b"

[[security_groups]]
id = "sg-app"
name = "tiny-app"
vpc_id = "vpc-1"

[[security_groups]]
id = "sg-db"
name = "tiny-db"
vpc_id = "vpc-1"
ingress = [{{ port = 5432, source_group = "sg-app" }}]

[[instances]]
id = "i-0123abcd"
name = "tiny-api-prod"
instance_type = "t3.micro"
subnet_id = "subnet-a"
security_group_ids = ["sg-app"]
user_data = '''
{user_data}'''

[[databases]]
identifier = "tiny-db"
engine = "postgres"
engine_version = "16.2"
endpoint = "tiny-db.abc123.eu-west-1.rds.amazonaws.com"
port = 5432
vpc_id = "vpc-1"
security_group_ids = ["sg-db"]
"#
    )
}

/// What ferry printed or wrote, by where it came from.
type Outputs = Vec<(String, String)>;

struct Ferry {
    state: PathBuf,
    outputs: Outputs,
}

impl Ferry {
    /// Runs ferry; keeps what it printed; fails the test when it fails.
    fn run(&mut self, args: &[&str]) -> String {
        let output: Output = Command::new(env!("CARGO_BIN_EXE_ferry"))
            .args(args)
            .env("FERRY_STATE_DIR", &self.state)
            .output()
            .expect("ferry runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "ferry {args:?} failed:\n{stderr}");
        self.outputs.push((format!("stdout of ferry {}", args.join(" ")), stdout.clone()));
        self.outputs.push((format!("stderr of ferry {}", args.join(" ")), stderr));
        stdout
    }

    /// Keeps every file under `dir` as an output.
    fn files_under(&mut self, dir: &Path) {
        let mut stack = vec![dir.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().map(Result::unwrap) {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let bytes = std::fs::read(&path).unwrap();
                    self.outputs.push((path.display().to_string(), String::from_utf8_lossy(&bytes).into_owned()));
                }
            }
        }
    }
}

/// Every (form, secret, output) where a raw secret shows.
fn leaks(outputs: &[(String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for form in FORMS {
        for secret in form.secrets {
            for (name, text) in outputs {
                if text.contains(secret) {
                    found.push(format!("{}: {secret:?} in {name}", form.label));
                }
            }
        }
    }
    found
}

/// The saved sandbox account in the state folder.
fn saved_account(state: &Path) -> (PathBuf, serde_json::Value) {
    let folder = state.join("sandbox");
    let path = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("the sandbox account was saved");
    let text = std::fs::read_to_string(&path).unwrap();
    (path, serde_json::from_str(&text).unwrap())
}

#[test]
fn the_table_is_sound() {
    assert!(FORMS.len() >= 40, "at least 40 forms ({})", FORMS.len());
    let whole = scenario(&user_data());
    for form in FORMS {
        assert!(!form.visible.is_empty(), "{}: says what stays readable", form.label);
        for secret in form.secrets {
            // Once only: a hit in an output can then be nothing but this row's secret.
            assert_eq!(whole.matches(secret).count(), 1, "{}: {secret:?} appears once in the scenario", form.label);
            assert!(!secret.contains(['"', '\\']), "{}: {secret:?} reads the same inside JSON", form.label);
        }
        for kept in form.visible {
            assert!(!kept.contains(['"', '\\']), "{}: {kept:?} reads the same inside JSON", form.label);
        }
    }
    // Every row can fail: the search finds each secret in the unmasked scenario.
    let unmasked = leaks(&[("the scenario".to_string(), whole)]);
    let secrets: usize = FORMS.iter().map(|f| f.secrets.len()).sum();
    assert_eq!(unmasked.len(), secrets, "the search finds every secret where it is not masked: {unmasked:#?}");
}

#[test]
fn every_form_is_masked_alone_keeping_what_is_not_secret() {
    let mut failures = Vec::new();
    for form in FORMS {
        let masked = ferry::userdata::redact(form.script).text;
        for secret in form.secrets {
            if masked.contains(secret) {
                failures.push(format!("{}: {secret:?} left in {masked:?}", form.label));
            }
        }
        for kept in form.visible {
            if !masked.contains(kept) {
                failures.push(format!("{}: {kept:?} masked away in {masked:?}", form.label));
            }
        }
        if !form.secrets.is_empty() && !masked.contains(ferry::userdata::MASK) {
            failures.push(format!("{}: nothing masked in {masked:?}", form.label));
        }
    }
    assert!(failures.is_empty(), "{} of {} forms:\n{}", failures.len(), FORMS.len(), failures.join("\n"));
}

#[test]
fn no_output_of_any_command_holds_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let raw_user_data = user_data();
    let scenario_file = dir.path().join("masking.toml");
    std::fs::write(&scenario_file, scenario(&raw_user_data)).unwrap();
    let scenario_arg = scenario_file.to_str().unwrap();
    let artifacts = dir.path().join("artifacts");
    let plan_file = dir.path().join("plan.json");
    let mut ferry = Ferry { state: dir.path().join("state"), outputs: Vec::new() };

    let discovered = ferry.run(&["discover", "--sandbox", scenario_arg, "--json"]);
    ferry.run(&["discover", "--sandbox", scenario_arg]);
    let inventory = ferry.run(&["inventory", "--sandbox", scenario_arg, "--json"]);
    ferry.run(&["analyze", "--sandbox", scenario_arg, "--json"]);
    ferry.run(&["generate", "--sandbox", scenario_arg, "--out", artifacts.to_str().unwrap()]);
    ferry.run(&["plan", "--sandbox", scenario_arg, "--out", plan_file.to_str().unwrap()]);
    ferry.run(&["show", plan_file.to_str().unwrap()]);
    assert!(!ferry.state.join("sandbox").exists(), "reading the account writes nothing into the state folder");

    let plan_text = std::fs::read_to_string(&plan_file).unwrap();
    apply_the_plan(&mut ferry, &plan_file, &plan_text, scenario_arg);

    let (account_file, applied) = saved_account(&ferry.state);
    let applied_text = serde_json::to_string(&applied).unwrap();
    ferry.outputs.push(("the saved account after apply".into(), applied_text.clone()));
    let stored = secret_variables(&raw_user_data);
    assert!(stored.len() >= 8, "the plan moves the secret variables to Secrets Manager: {stored:?}");
    secrets_are_stored_as_keyed_fingerprints(&ferry.state, &applied, &applied_text, &stored);

    roll_back_the_run(&mut ferry);
    the_plan_digests_the_masked_user_data(&raw_user_data, &plan_text);

    let state = ferry.state.clone();
    ferry.files_under(&state);
    ferry.files_under(&artifacts);
    ferry.outputs.push(("the plan file".into(), plan_text));
    assert!(ferry.outputs.iter().any(|(name, _)| name.contains("runs")), "the journal is searched");
    assert!(ferry.outputs.iter().any(|(name, _)| name.ends_with("audit.jsonl")), "the audit log is searched");
    assert!(ferry.outputs.iter().any(|(name, _)| *name == account_file.display().to_string()));

    let mut failures = leaks(&ferry.outputs);
    failures.extend(plain_digests(&ferry.outputs, &stored, &raw_user_data));
    failures.extend(what_is_not_secret_missing(&ferry.state, &discovered, &inventory));
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
}

/// `ferry apply` of the plan on the sandbox, with a reason for every deny.
fn apply_the_plan(ferry: &mut Ferry, plan_file: &Path, plan_text: &str, scenario_arg: &str) {
    let plan = ferry::plan::Plan::from_json(plan_text).expect("the plan verifies");
    let mut apply = vec!["apply".to_string(), plan_file.display().to_string(), "--approve".into()];
    apply.extend([plan.hash[..12].to_string(), "--sandbox".into(), scenario_arg.into()]);
    for deny in plan.denies() {
        apply.extend(["--override".into(), format!("{}=accepted for the masking test", deny.id)]);
    }
    ferry.run(&apply.iter().map(String::as_str).collect::<Vec<_>>());
}

/// The secret variables of the user data, by name: the ones the plan moves to Secrets Manager.
fn secret_variables(user_data: &str) -> BTreeMap<String, String> {
    // A variable set twice holds its last value, as on the instance.
    ferry::userdata::assignments(user_data)
        .into_iter()
        .filter(|a| ferry::userdata::is_secret(&a.name, &a.value))
        .map(|a| (a.name, a.value))
        .collect()
}

/// The account as apply left it: its secrets are stored, each as a keyed fingerprint.
fn secrets_are_stored_as_keyed_fingerprints(
    state: &Path,
    applied: &serde_json::Value,
    applied_text: &str,
    stored: &BTreeMap<String, String>,
) {
    let key_file = state.join("sandbox").join("secret-digest.key");
    let key_hex = std::fs::read_to_string(&key_file).expect("the digest key is in the state folder");
    let key: Vec<u8> = (0..32).map(|i| u8::from_str_radix(&key_hex.trim()[i * 2..i * 2 + 2], 16).unwrap()).collect();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only its owner reads the key");
    }
    for (name, value) in stored {
        let secret = &applied["account"]["secrets"][format!("ferry/tiny-api/{name}")];
        let fingerprint = secret["value_hmac"].as_str().unwrap_or_else(|| panic!("{name} is stored: {secret}"));
        assert_eq!(fingerprint, keyed_sha256_hex(&key, value.as_bytes()), "{name}: keyed by the state folder's key");
        assert!(!applied_text.contains(&sha256_hex(value.as_bytes())), "{name}: no plain digest of its value");
    }
    assert!(!applied_text.contains(key_hex.trim()), "the key is not in the account file");
}

/// Lists and rolls back the one run, verifies the audit log, and checks the secrets are gone.
fn roll_back_the_run(ferry: &mut Ferry) {
    let run_id = std::fs::read_dir(ferry.state.join("runs"))
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .next()
        .expect("one run");
    ferry.run(&["runs", "--json"]);
    ferry.run(&["rollback", &run_id]);
    ferry.run(&["audit", "verify"]);
    let (_, rolled_back) = saved_account(&ferry.state);
    assert!(rolled_back["account"]["secrets"].as_object().is_some_and(|s| s.is_empty()), "rollback deleted them");
}

/// The plan's user data digest is over the masked text, never over the secrets.
fn the_plan_digests_the_masked_user_data(raw_user_data: &str, plan_text: &str) {
    let masked = ferry::userdata::redact(raw_user_data).text;
    let plan_json: serde_json::Value = serde_json::from_str(plan_text).unwrap();
    let digest = plan_json["assumptions"][0]["user_data_sha256"].as_str().expect("the instance assumption");
    assert_eq!(digest, sha256_hex(masked.as_bytes()));
}

/// Every (what, output) where a plain sha256 of a secret shows: a weak secret could be guessed
/// back from it.
fn plain_digests(outputs: &[(String, String)], stored: &BTreeMap<String, String>, raw_user_data: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut digests: Vec<(String, String)> =
        stored.iter().map(|(name, value)| (name.clone(), sha256_hex(value.as_bytes()))).collect();
    digests
        .extend(FORMS.iter().flat_map(|f| f.secrets.iter().map(|s| (f.label.to_string(), sha256_hex(s.as_bytes())))));
    digests.push(("the raw user data".into(), sha256_hex(raw_user_data.as_bytes())));
    for (what, digest) in &digests {
        for (name, text) in outputs {
            if text.contains(digest.as_str()) {
                found.push(format!("{what}: plain sha256 in {name}"));
            }
        }
    }
    found
}

/// Every (form, kept, output) where what is not secret is missing from an output that shows
/// user data; each such output must show the mask.
fn what_is_not_secret_missing(state: &Path, discovered: &str, inventory: &str) -> Vec<String> {
    let mut found = Vec::new();
    let (_, saved) = saved_account(state);
    let saved = serde_json::to_string(&saved).unwrap();
    for (name, text) in
        [("discover --json", discovered), ("inventory --json", inventory), ("the saved account", saved.as_str())]
    {
        assert!(text.contains(ferry::userdata::MASK), "{name} shows the masked user data");
        for form in FORMS {
            for kept in form.visible {
                if !text.contains(kept) {
                    found.push(format!("{}: {kept:?} missing from {name}", form.label));
                }
            }
        }
    }
    found
}
