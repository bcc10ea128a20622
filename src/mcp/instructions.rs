//! The server's instructions: the bounded path an assistant follows, and where the person
//! comes in. Sent once, in the `initialize` answer.

/// The instructions for a server that can (or cannot) change the account.
pub fn text(read_only: bool, sandbox: Option<&str>) -> String {
    let account = match sandbox {
        Some(name) => format!("a sandbox account ({name}): nothing real changes"),
        None => "a live AWS account".to_string(),
    };
    let mut text = format!(
        "ferry moves an application from an EC2 instance onto Amazon ECS Express Mode. This server works on {account}.\n\
         The path, in order:\n\
         1. list_instances, then discover_instance: what the instance depends on, and what could not be seen.\n\
         2. analyze_app on the source folder when you have it; generate_artifacts to read the Dockerfile and service config.\n\
         3. create_plan (with app_dir, image or a service_config_patch as needed): it saves a plan and changes nothing.\n\
         4. Show the person the plan: its hash, its steps and every deny with its message. Do not approve for them.\n"
    );
    if read_only {
        text.push_str(
            "This server is read-only: it has no apply, resume or rollback tool. To carry a plan out, the operator runs \
             `ferry approve PLAN_ID` and `ferry apply` themselves.\n",
        );
        return text;
    }
    text.push_str(
        "5. apply_plan with the plan_id. A person approves the exact hash outside the model: your client asks them \
            (elicitation), or the call answers `approval pending` with the command the operator runs in a terminal \
            (`ferry approve PLAN_ID`); tell them, wait, and call apply_plan again. Never try to approve yourself.\n\
         6. run_status with wait_seconds until `finished`; APPLIED ends it. Then call verify with the run_id: ready to move traffic, or every reason not.\n\
         7. To move the app's traffic: create_cutover_plan with the run_id (weighted stages, each gated on the load \
            balancers' health; a failing gate sends all traffic back), show it, and apply_plan it as above. Once every \
            stage has baked, create_cutover_plan with finalize: true on the cutover's run_id, and apply that. Then \
            decommission_checklist lists the old stack with each item's cost and removal command; ferry removes none of it.\n\
         When something goes wrong: run_status says what failed and what can be done next; resume_run continues once \
         the cause is fixed, rollback_run undoes everything the run made (a person approves it too, or runs \
         `ferry approve --rollback RUN_ID`). diff_plan compares an older plan with the account now. \
         Every call you make is recorded in ferry's audit log (audit_log reads it).\n",
    );
    text
}
