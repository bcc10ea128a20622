//! The tools that look: instances, one instance's dependencies, an application's source, the
//! artifacts a migration ships, the inventory. Each is handed the read half of the cloud.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::{ToolError, ToolResult, answer};
use crate::analyze::{AppFiles, Given, analyze_folder_given, at_a_glance};
use crate::inventory::Kind;
use crate::mcp::access::Access;
use crate::mcp::schemas::*;
use crate::mcp::server::FerryServer;
use crate::migration::{Migration, prepare_given};
use crate::model::GivenValue;

/// `list_instances`.
pub async fn list_instances<A: Access>(server: &FerryServer<A>, input: ListInstancesInput) -> ToolResult {
    let cloud = server.setup.read.as_ref();
    let instances = cloud.instances().await.map_err(|e| {
        ToolError::new(format!("the instances could not be read: {e}"), "check the credentials, region and permissions")
    })?;
    let filter = input.filter.as_deref().map(str::to_lowercase).unwrap_or_default();
    let runtime = input.runtime.as_deref().map(str::to_lowercase);
    let mut rows = Vec::new();
    for instance in instances {
        let user_data = match &instance.user_data {
            Some(text) => Some(text.clone()),
            None => cloud.user_data(&instance.id).await.ok().flatten(),
        };
        let runs = user_data.as_deref().and_then(at_a_glance).map(|g| g.runs);
        let text = format!("{} {} {} {}", instance.id, instance.display_name(), instance.instance_type, instance.state);
        let runtime_matches =
            runtime.as_ref().is_none_or(|r| runs.as_deref().is_some_and(|g| g.starts_with(r.as_str())));
        if text.to_lowercase().contains(&filter) && runtime_matches {
            rows.push(InstanceRow {
                id: instance.id.clone(),
                name: instance.display_name().to_string(),
                instance_type: instance.instance_type.clone(),
                state: instance.state.clone(),
                runs,
            });
        }
    }
    answer(&InstancesOutput { instances: rows })
}

/// `discover_instance`.
pub async fn discover_instance<A: Access>(server: &FerryServer<A>, input: InstanceInput) -> ToolResult {
    let migration = prepare(server, &input).await?;
    answer(&DiscoverOutput {
        instance_id: migration.graph.instance.id.clone(),
        account: to_value(&migration.account),
        unseen: migration.graph.unseen.iter().map(to_value).collect(),
        graph: to_value(&migration.graph),
    })
}

/// `analyze_app`: a source folder alone.
pub fn analyze_app(input: AnalyzeInput) -> ToolResult {
    let files = read_app(&input.app_dir)?;
    let given = given(&input.secrets)?;
    let profile = analyze_folder_given(&files, &given);
    answer(&AnalyzeOutput { profile: to_value(&crate::analyze::Report::new(&profile)) })
}

/// `generate_artifacts`.
pub async fn generate_artifacts<A: Access>(server: &FerryServer<A>, input: InstanceInput) -> ToolResult {
    let migration = prepare(server, &input).await?;
    let files = migration
        .artifact_files()
        .into_iter()
        .map(|file| ArtifactText { path: file.path, contents: file.contents })
        .collect();
    answer(&ArtifactsOutput { files })
}

/// `inventory`: one kind or all, filtered.
pub async fn inventory<A: Access>(server: &FerryServer<A>, input: InventoryInput) -> ToolResult {
    let kind = match input.kind.as_deref().filter(|k| !k.trim().is_empty()) {
        Some(text) => Some(Kind::parse(text).ok_or_else(|| {
            ToolError::new(
                format!("there is no kind {text:?}"),
                "use one of instances, lb, tg, sg, roles, db, cache, s3, or leave kind out",
            )
        })?),
        None => None,
    };
    let loaded = crate::inventory::load(server.setup.read.as_ref()).await;
    let whole = to_value(&loaded);
    let filter = input.filter.as_deref().map(str::to_lowercase).unwrap_or_default();
    let mut kinds = BTreeMap::new();
    for (key, listing) in whole.as_object().into_iter().flatten() {
        let Some(items) = listing.get("seen").and_then(Value::as_array) else { continue };
        if kind.is_some_and(|k| field_of(k) != key) {
            continue;
        }
        let kept = items.iter().filter(|item| item.to_string().to_lowercase().contains(&filter)).cloned().collect();
        kinds.insert(key.clone(), kept);
    }
    answer(&InventoryOutput { kinds, unseen: loaded.unseen().iter().map(to_value).collect() })
}

/// The `Inventory` field that holds `kind`'s items.
fn field_of(kind: Kind) -> &'static str {
    match kind {
        Kind::Instances => "instances",
        Kind::LoadBalancers => "load_balancers",
        Kind::TargetGroups => "target_groups",
        Kind::SecurityGroups => "security_groups",
        Kind::Roles => "roles",
        Kind::Databases => "databases",
        Kind::Caches => "caches",
        Kind::Buckets => "buckets",
    }
}

/// Discovers, analyses, generates and plans for the instance the input names.
pub async fn prepare<A: Access>(server: &FerryServer<A>, input: &InstanceInput) -> Result<Migration, ToolError> {
    let instance = instance_id(server, input.instance_id.as_deref())?;
    let app = input.app_dir.as_deref().map(read_app).transpose()?;
    let given = given(&input.secrets)?;
    prepare_given(server.setup.read.as_ref(), &instance, app.as_ref(), given).await.map_err(|e| {
        ToolError::new(
            format!("instance {instance} could not be discovered: {e}"),
            "check the id with list_instances, and the credentials and region",
        )
    })
}

/// The instance named, or the sandbox's application instance.
pub fn instance_id<A: Access>(server: &FerryServer<A>, given: Option<&str>) -> Result<String, ToolError> {
    match given.filter(|id| !id.trim().is_empty()) {
        Some(id) => Ok(id.trim().to_string()),
        None => server.setup.default_instance.clone().ok_or_else(|| {
            ToolError::new("instance_id is required on a live account", "call list_instances and pass one of its ids")
        }),
    }
}

/// The application's files, read from an absolute path.
pub fn read_app(dir: &str) -> Result<AppFiles, ToolError> {
    let path = Path::new(dir);
    if !path.is_absolute() {
        return Err(ToolError::new(
            format!("app_dir {dir:?} is not an absolute path"),
            "pass the folder's absolute path on the machine running ferry",
        ));
    }
    AppFiles::read(path).map_err(|e| {
        ToolError::new(format!("the application folder {dir} could not be read: {e}"), "check the path and permissions")
    })
}

/// `{"NAME": "env:VAR"}` as the engine's `Given`.
pub fn given(secrets: &BTreeMap<String, String>) -> Result<Given, ToolError> {
    let mut given = Given::new();
    for (name, source) in secrets {
        if !crate::model::is_variable_name(name) {
            return Err(ToolError::new(format!("{name:?} is not an environment variable name"), "fix the secrets map"));
        }
        let value = GivenValue::parse(source).map_err(|e| {
            ToolError::new(format!("secret {name}: {e}"), "write \"env:VARIABLE\" or \"file:/absolute/path\"")
        })?;
        given.insert(name.clone(), value);
    }
    Ok(given)
}

/// Engine data as JSON; engine types always serialize.
pub fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
