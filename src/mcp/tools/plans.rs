//! The tools that make, show and compare plans. A plan is saved in the state folder under its
//! id (the first 12 digits of its hash), where `apply_plan` and `ferry approve` find it. Every
//! check shown is judged from the plan's content, never read from the file.

use std::collections::BTreeMap;

use serde_json::Value;

use super::look::{prepare, to_value};
use super::{ToolError, ToolResult, answer};
use crate::mcp::access::{Access, plan_store};
use crate::mcp::diff::unified;
use crate::mcp::schemas::*;
use crate::mcp::server::FerryServer;
use crate::plan::{Action, CheckLevel, Plan};

/// `create_plan`: discover, analyse, generate (with the patch applied), plan, save.
pub async fn create_plan<A: Access>(server: &FerryServer<A>, input: CreatePlanInput) -> ToolResult {
    let source = InstanceInput {
        instance_id: input.instance_id.clone(),
        app_dir: input.app_dir.clone(),
        secrets: input.secrets.clone(),
    };
    let mut migration = prepare(server, &source).await?;
    if let Some(uri) = input.image.as_deref().filter(|u| !u.trim().is_empty()) {
        migration = migration.with_image(uri.trim());
    }
    if let Some(patch) = &input.service_config_patch {
        let mut artifacts = migration.artifacts.clone();
        let mut config = to_value(&artifacts.service_config);
        merge_patch(&mut config, patch);
        artifacts.service_config = serde_json::from_value(config).map_err(|e| {
            ToolError::new(
                format!("the patched service config is not a service config: {e}"),
                "compare the patch with service.json from generate_artifacts and fix it",
            )
        })?;
        migration = migration.with_artifacts(artifacts);
    }
    let id = save(&migration.plan)?;
    with_cost(answer(&plan_view(&migration.plan, &id))?, &migration.plan)
}

/// `show_plan`.
pub fn show_plan(input: PlanIdInput) -> ToolResult {
    let plan = load(&input.plan_id)?;
    with_cost(answer(&plan_view(&plan, &input.plan_id))?, &plan)
}

/// The plan's view with `cost`: today and after, computed now from the plan's content at the
/// prices every front end loads (`FERRY_PRICES`, else the bundled book); the prices' error in
/// its place when the book cannot be read.
fn with_cost(mut view: Value, plan: &Plan) -> ToolResult {
    let cost = match ferry_engine::cost::PriceBook::load(None) {
        Ok(book) => to_value(&ferry_engine::cost::estimate(plan, &book)),
        Err(error) => serde_json::json!({ "error": error.to_string() }),
    };
    if let Value::Object(fields) = &mut view {
        fields.insert("cost".into(), cost);
    }
    Ok(view)
}

/// `diff_plan`: against another saved plan, or against one made now from the account.
pub async fn diff_plan<A: Access>(server: &FerryServer<A>, input: DiffInput) -> ToolResult {
    let plan = load(&input.plan_id)?;
    let (other, against) = match &input.against_plan_id {
        Some(id) => (load(id)?, format!("plan {id}")),
        None => {
            let source =
                InstanceInput { instance_id: Some(plan.source_instance_id.clone()), ..InstanceInput::default() };
            (prepare(server, &source).await?.plan, "a plan made now from the account".to_string())
        }
    };
    answer(&compare(&plan, &other, &input.plan_id, against))
}

fn compare(plan: &Plan, other: &Plan, plan_id: &str, against: String) -> DiffOutput {
    let steps =
        |p: &Plan| -> BTreeMap<String, Value> { p.steps.iter().map(|s| (s.id.clone(), to_value(&s.action))).collect() };
    let (mine, theirs) = (steps(plan), steps(other));
    let label = |p: &Plan, id: &str| {
        p.steps
            .iter()
            .find(|s| s.id == id)
            .map(|s| format!("{} {}", s.action.verb(), s.action.target()))
            .unwrap_or_default()
    };
    let only = |a: &BTreeMap<String, Value>, b: &BTreeMap<String, Value>, p: &Plan| -> Vec<String> {
        a.keys().filter(|id| !b.contains_key(*id)).map(|id| label(p, id)).collect()
    };
    let levels =
        |p: &Plan| -> BTreeMap<String, CheckLevel> { p.checks().into_iter().map(|c| (c.id, c.level)).collect() };
    let (my_checks, their_checks) = (levels(plan), levels(other));
    let mut checks_changed = Vec::new();
    for id in my_checks.keys().chain(their_checks.keys().filter(|id| !my_checks.contains_key(*id))) {
        let (now, before) = (my_checks.get(id), their_checks.get(id));
        if now != before {
            let name = |l: Option<&CheckLevel>| l.map_or("absent", |l| level_name(*l));
            checks_changed.push(format!("{id}: {} → {}", name(before), name(now)));
        }
    }
    DiffOutput {
        plan_id: plan_id.to_string(),
        against,
        same: plan.hash == other.hash,
        steps_only_in_plan: only(&mine, &theirs, plan),
        steps_only_in_other: only(&theirs, &mine, other),
        steps_changed: mine
            .iter()
            .filter(|(id, a)| theirs.get(*id).is_some_and(|b| b != *a))
            .map(|(id, _)| label(plan, id))
            .collect(),
        artifacts_diff: unified(&artifacts_text(other), &artifacts_text(plan), "other", "plan"),
        checks_changed,
        account_after: account_after(plan),
    }
}

/// The artifacts a plan carries, as text to diff: the Dockerfile as written, every other
/// step's action as pretty JSON, each under a header naming the step.
fn artifacts_text(plan: &Plan) -> String {
    let mut text = String::new();
    for step in &plan.steps {
        text.push_str(&format!("# {}: {} {}\n", step.id, step.action.verb(), step.action.target()));
        match &step.action {
            Action::BuildAndPushImage { dockerfile, .. } => text.push_str(dockerfile),
            action => text.push_str(&serde_json::to_string_pretty(action).unwrap_or_default()),
        }
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    text
}

/// What the account holds after the plan is applied, besides what it holds now.
fn account_after(plan: &Plan) -> Vec<String> {
    plan.steps
        .iter()
        .filter(|s| !matches!(s.action, Action::WaitServiceActive { .. }))
        .map(|s| {
            let verb = s.action.verb();
            let what = verb.strip_prefix("create ").unwrap_or(verb);
            format!("{what}: {}", s.action.target())
        })
        .collect()
}

/// RFC 7396: objects merge key by key, `null` removes, anything else replaces.
fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(changes) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    let Value::Object(map) = target else { return };
    for (key, change) in changes {
        if change.is_null() {
            map.remove(key);
        } else {
            merge_patch(map.entry(key.clone()).or_insert(Value::Null), change);
        }
    }
}

fn level_name(level: CheckLevel) -> &'static str {
    match level {
        CheckLevel::Pass => "pass",
        CheckLevel::Warning => "warning",
        CheckLevel::Deny => "deny",
    }
}

/// The plan as a person reviews it.
pub fn plan_view(plan: &Plan, id: &str) -> PlanOutput {
    let steps = plan
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| StepView {
            number: index + 1,
            id: step.id.clone(),
            verb: step.action.verb().to_string(),
            target: step.action.target(),
            undo: step.action.undo_text().to_string(),
            details: plan.review(index),
        })
        .collect();
    let checks: Vec<CheckView> = plan
        .checks()
        .into_iter()
        .map(|c| CheckView { id: c.id, level: level_name(c.level).into(), message: c.message })
        .collect();
    let denies: Vec<String> = plan.denies().into_iter().map(|c| c.id).collect();
    let invalid: Vec<String> = plan.invalid().iter().map(ToString::to_string).collect();
    let next = if invalid.is_empty() {
        format!(
            "show the person the hash, the steps and the {} deny(s); then call apply_plan with plan_id {id}: the person approves it (the first 12 digits of the hash and a reason per deny)",
            denies.len()
        )
    } else {
        "the plan is not valid and cannot be approved: fix what `invalid` names (service_config_patch, image or app_dir) and create_plan again".into()
    };
    PlanOutput {
        plan_id: id.to_string(),
        hash: plan.hash.clone(),
        service_name: plan.service_name.clone(),
        source_instance_id: plan.source_instance_id.clone(),
        account_id: plan.account_id.clone(),
        region: plan.region.clone(),
        steps,
        checks,
        denies,
        assumptions: plan.assumptions.iter().map(|a| a.describe()).collect(),
        invalid,
        next,
    }
}

/// Saves the plan in the state folder; its id.
pub(super) fn save(plan: &Plan) -> Result<String, ToolError> {
    let store = plan_store().ok_or_else(no_state)?;
    store.save(plan).map_err(|e| ToolError::new(format!("the plan could not be saved: {e}"), "check the state folder"))
}

/// A saved plan, verified.
pub fn load(id: &str) -> Result<Plan, ToolError> {
    let store = plan_store().ok_or_else(no_state)?;
    store.load(id.trim()).map_err(|e| {
        ToolError::new(format!("plan {id} could not be read: {e}"), "call create_plan and use the plan_id it returns")
    })
}

fn no_state() -> ToolError {
    ToolError::new("this system has no state folder for plans", "set FERRY_STATE_DIR where ferry mcp runs")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::merge_patch;

    #[test]
    fn a_merge_patch_merges_objects_removes_nulls_and_replaces_the_rest() {
        let mut config = json!({"cpu": "256", "scaling": {"min": 1, "max": 4}, "tags": ["a"], "drop": 1});
        merge_patch(&mut config, &json!({"cpu": "1024", "scaling": {"min": 2}, "tags": ["b"], "drop": null}));
        assert_eq!(config, json!({"cpu": "1024", "scaling": {"min": 2, "max": 4}, "tags": ["b"]}));
    }

    /// The plan's view gains `cost`, computed from the plan: here an instance the bundled
    /// prices know, and no service, so after says why it has no figure.
    #[test]
    fn the_plan_view_carries_the_cost() {
        use crate::plan::{OldStack, Plan, PlanContext, PlanHeader};
        let header = PlanHeader {
            service_name: "s".into(),
            source_instance_id: "i-1".into(),
            account_id: "111122223333".into(),
            region: "us-east-1".into(),
        };
        let old = OldStack { instance_type: "t3.medium".into(), ..OldStack::default() };
        let plan = Plan::new(header, vec![], vec![], PlanContext { old_stack: Some(old), ..PlanContext::default() });
        let view = super::with_cost(json!({"plan_id": "x"}), &plan).unwrap();
        assert_eq!(view["plan_id"], "x");
        assert_eq!(view["cost"]["today"]["monthly"], 30.37, "{view}");
        assert_eq!(view["cost"]["after"]["missing"][0], "the plan creates no Express service");
        assert_eq!(view["cost"]["prices_origin"], "bundled");
    }
}
