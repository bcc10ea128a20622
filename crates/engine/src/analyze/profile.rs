//! The application profile: the facts the Dockerfile and service config are built from,
//! each with the place it was read from.

use super::service_port::port;
use super::user_data_facts::{default_start, detect_runtime, environment, start_in_user_data};
use super::{AppFiles, SourceFacts, analyze_source};
use crate::model::{
    AppProfile, CodeVariable, EnvVar, Finding, FindingLevel, GivenValue, MigrationGraph, PackageManager, Runtime,
};
use crate::userdata::find_line;

/// Reads the application's shape from the instance's user data and its target group.
pub fn analyze(graph: &MigrationGraph) -> AppProfile {
    analyze_app(graph, None)
}

/// As `analyze`, with the application's source folder when the operator has it: facts from
/// the source win over guesses from user data, and disagreements become findings.
pub fn analyze_app(graph: &MigrationGraph, app: Option<&AppFiles>) -> AppProfile {
    analyze_given(graph, app, &Given::new())
}

/// Secret values the operator points at, by variable name (`--secret NAME=env:VAR`).
pub type Given = std::collections::BTreeMap<String, GivenValue>;

/// As `analyze_app`, with the values the operator gives: each becomes a secret the service
/// reads, and whatever the code needed of that variable is settled.
pub fn analyze_given(graph: &MigrationGraph, app: Option<&AppFiles>, given: &Given) -> AppProfile {
    profile(graph.instance.user_data.as_deref().unwrap_or(""), graph.routes.first(), app, given)
}

/// What an instance runs, read from its user data alone: enough to pick the instance to move
/// from a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glance {
    /// `node 20 · node server.js`
    pub runs: String,
    /// The port the user data sets, if it sets one.
    pub port: Option<u16>,
}

/// `None` when the user data shows no runtime ferry knows.
pub fn at_a_glance(user_data: &str) -> Option<Glance> {
    let profile = profile(user_data, None, None, &Given::new());
    let runtime = profile.runtime?;
    Some(Glance {
        runs: format!("{} {} · {}", runtime.name, runtime.version, crate::text::command_line(&profile.start_command)),
        port: (!profile.port_source.starts_with("default")).then_some(profile.port),
    })
}

/// The application from its source folder alone, before any instance is known.
pub fn analyze_folder(app: &AppFiles) -> AppProfile {
    analyze_folder_given(app, &Given::new())
}

/// As `analyze_folder`, with the values the operator gives.
pub fn analyze_folder_given(app: &AppFiles, given: &Given) -> AppProfile {
    profile("", None, Some(app), given)
}

/// Variables the runtime or the service sets itself (the service config always sets PORT):
/// the code reading them needs nothing from the instance.
const SET_BY_THE_CONTAINER: [&str; 5] = ["PORT", "NODE_ENV", "HOSTNAME", "HOME", "PATH"];

fn profile(
    user_data: &str,
    route: Option<&crate::model::RouteEdge>,
    app: Option<&AppFiles>,
    given: &Given,
) -> AppProfile {
    let mut findings = Vec::new();
    let server = app.and_then(|app| server_files(app, &mut findings));
    let app = server.as_ref().or(app);
    // A template the repository copies into place is read as the file the app loads.
    let placed = app.and_then(super::placed_templates::with_placed_files);
    let app = placed.as_ref().map(|(files, _)| files).or(app);
    let source = app.and_then(analyze_source);
    let runtime = runtime(user_data, source.as_ref(), app, &mut findings);
    let mut env = service_environment(user_data, source.as_ref(), given, &mut findings);
    let variables = code_variables(source.as_ref(), app);
    let analysed_start = source.as_ref().and_then(|s| s.start.as_ref()).map_or(&[][..], |s| s.value.as_slice());
    // A server the command binds to every interface (gunicorn -b 0.0.0.0) ignores a HOST setting.
    let listen_files = app.filter(|_| !super::listen_host::bound_by_command(analysed_start));
    listen_on_every_interface(&variables, (app, listen_files), &mut env, &mut findings);
    super::adonis_server::service_env(app, &variables, &mut env, &mut findings);
    carry_image_env(source.as_ref(), &mut env);
    let (mut port, mut port_source) = port(route, &env, source.as_ref(), &variables, &mut findings);
    let runtime_name = runtime.as_ref().map_or("node", |r| r.name.as_str());
    let mut build = source.as_ref().and_then(|s| s.build.clone());
    let (mut start_command, start_source) =
        start_command(user_data, runtime_name, source.as_ref(), app, &mut build, &mut findings);
    let start = (&mut start_command, start_source.as_str());
    super::service_port::settle(start, &variables, &mut env, (&mut port, &mut port_source), &mut findings);
    super::django_settings_env::apply(app, &start_command, &mut env, &mut findings);
    let (health_check_path, health_source) = health_check(route, source.as_ref(), app, &mut findings);
    let frontend = frontend(app, runtime.as_ref(), runtime_name, &mut findings);
    instance_findings(user_data, route, &env, given, &mut findings);
    code_findings(&variables, &env, app, source.as_ref(), &mut findings);
    findings.extend(app.and_then(AppFiles::scan_finding));
    super::migration_step::start_flag(&start_command, &start_source, &mut findings);
    // What stops the migration first, then what needs care, then what is only said.
    super::migration_step::one_say(&mut findings);
    findings.sort_by_key(|f| std::cmp::Reverse(f.level));
    let (package_manager, package_manager_source, package_manager_release) =
        package_manager(source.as_ref(), runtime_name);
    let install_project = installs_the_project(source.as_ref(), app, (runtime_name, package_manager), &start_command);
    let listed = |list: fn(&SourceFacts) -> &Vec<String>| source.as_ref().map(list).cloned().unwrap_or_default();
    let system_packages = source.as_ref().and_then(|s| s.system_packages.clone());
    let entry = source.as_ref().and_then(|s| s.entry.clone());
    AppProfile {
        runtime,
        package_manager,
        package_manager_source,
        package_manager_release,
        install_files: listed(|s| &s.install_files),
        skipped_install_scripts: listed(|s| &s.skipped_install_scripts),
        trimmed_install_scripts: source.as_ref().map(|s| s.trimmed_install_scripts.clone()).unwrap_or_default(),
        install_scripts: listed(|s| &s.install_scripts),
        system_packages: system_packages.as_ref().map(|p| p.value.clone()).unwrap_or_default(),
        system_packages_source: system_packages.map(|p| p.source).unwrap_or_default(),
        install_extras: listed(|s| &s.install_extras),
        install_groups: listed(|s| &s.install_groups),
        install_project,
        added_packages: listed(|s| &s.added_packages),
        runtime_files: runtime_files(source.as_ref()),
        placed_files: placed_files(placed.map(|(_, files)| files), source.as_ref()),
        frontend,
        build_command: build.as_ref().map(|b| b.value.clone()),
        build_source: build.map_or_else(String::new, |b| b.source),
        entry: entry.as_ref().map(|e| e.value.clone()),
        entry_source: entry.map_or_else(String::new, |e| e.source),
        build_context: build_context(source.as_ref()),
        framework: source.as_ref().and_then(|s| s.framework.as_ref()).map(|f| f.value.name.to_string()),
        start_command,
        start_source,
        port,
        port_source,
        health_check_path,
        health_source,
        env,
        variables: super::variables::with_secret_defaults_hidden(variables),
        findings,
    }
}

/// Whether the image installs the project itself: the runtime's reading said so, or the start
/// as the container finally runs it is a console script a locked Python install leaves out.
fn installs_the_project(
    source: Option<&SourceFacts>,
    app: Option<&AppFiles>,
    (runtime_name, package_manager): (&str, PackageManager),
    start: &[String],
) -> bool {
    source.is_some_and(|s| s.install_project)
        || (runtime_name == "python"
            && app.is_some_and(|files| super::python::start_needs_the_project(files, package_manager, start)))
}

/// The files the image places: templates the repository copies into place, and what the
/// runtime's reading placed (settings kept outside a jar).
/// The server's own files, when they are not the whole folder: a repository whose server sits
/// one folder down is analysed there, and another Go module beside the server is another
/// program.
fn server_files(app: &AppFiles, findings: &mut Vec<Finding>) -> Option<AppFiles> {
    let located = super::server_folder::locate(app);
    findings.extend(located.findings);
    let folder = located.files.as_ref().unwrap_or(app);
    super::go::without_separate_modules(folder).or(located.files)
}

fn placed_files(
    templates: Option<Vec<crate::model::PlacedFile>>,
    source: Option<&SourceFacts>,
) -> Vec<crate::model::PlacedFile> {
    templates
        .unwrap_or_default()
        .into_iter()
        .chain(source.map(|s| s.placed_files.clone()).unwrap_or_default())
        .collect()
}

/// The variables the code reads, judged, with those an example env file shows carrying a
/// login marked secret.
fn code_variables(source: Option<&SourceFacts>, app: Option<&AppFiles>) -> Vec<CodeVariable> {
    let mut variables = source.map(|s| super::variables::judge(s.variables.clone())).unwrap_or_default();
    if let Some(files) = app {
        super::variables::mark_example_urls(files, &mut variables);
    }
    variables
}

/// The package manager the source shows, else the runtime's usual one.
/// The package manager, where it was read, and the release the image installs when one is
/// stated.
fn package_manager(source: Option<&SourceFacts>, runtime_name: &str) -> (PackageManager, String, Option<String>) {
    match source {
        Some(s) => (
            s.package_manager.value,
            s.package_manager.source.clone(),
            s.package_manager_release.as_ref().map(|r| r.value.clone()),
        ),
        None => (default_package_manager(runtime_name), format!("default for {runtime_name}"), None),
    }
}

/// The folder the image builds from, relative to the app's (`..` for a reactor's module).
fn build_context(source: Option<&SourceFacts>) -> String {
    source.and_then(|s| s.build_context.as_ref()).map_or_else(String::new, |c| c.value.clone())
}

/// The files the built program opens by a relative path, which its image must copy.
fn runtime_files(source: Option<&SourceFacts>) -> Vec<String> {
    source.map(|s| s.runtime_files.iter().map(|file| file.value.clone()).collect()).unwrap_or_default()
}

/// The front end the image builds for the server, said among the findings.
fn frontend(
    app: Option<&AppFiles>,
    runtime: Option<&Runtime>,
    runtime_name: &str,
    findings: &mut Vec<Finding>,
) -> Option<crate::model::FrontendBuild> {
    let node_version = runtime.filter(|r| r.name == "node").map(|r| r.version.as_str());
    let (frontend, said) =
        app.map(|files| super::frontend_build::detect(files, runtime_name, node_version)).unwrap_or_default();
    findings.extend(said);
    frontend
}

/// The runtime and its version: the source's, else the one the user data installs, else the
/// source's runtime at its current long-term release. A blocker when none is found.
fn runtime(
    user_data: &str,
    source: Option<&SourceFacts>,
    app: Option<&AppFiles>,
    findings: &mut Vec<Finding>,
) -> Option<Runtime> {
    let runtime = source
        .and_then(|s| s.version.clone().map(|v| Runtime { name: s.runtime.into(), version: v.value, source: v.source }))
        .or_else(|| detect_runtime(user_data, source.map(|s| s.runtime)))
        .or_else(|| {
            source.map(|s| Runtime {
                name: s.runtime.into(),
                version: s.default_version.into(),
                source: "default: the current long-term release".into(),
            })
        });
    if runtime.is_none() {
        findings.push(Finding {
            kind: "no-runtime".into(),
            fix: None,
            level: FindingLevel::Blocker,
            message: "no supported runtime found in user data or source (ferry knows Node.js, Python, Go and Java)"
                .into(),
            source: if app.is_some() {
                "source folder and user data".into()
            } else {
                "user data: pass --app DIR with the source".into()
            },
        });
    }
    runtime
}

/// The service's environment: the instance's variables (without another runtime's settings
/// when the instance ran a different one), then the operator's secrets.
fn service_environment(
    user_data: &str,
    source: Option<&SourceFacts>,
    given: &Given,
    findings: &mut Vec<Finding>,
) -> Vec<EnvVar> {
    let mut env = environment(user_data, findings);
    if let Some(source) = source
        && let Some(instance) = detect_runtime(user_data, None).filter(|i| i.name != source.runtime)
    {
        findings.push(super::runtime_mismatch::finding(source.runtime, &instance));
        super::runtime_mismatch::drop_other_runtime_settings(&mut env, &instance.name);
    }
    for (name, value) in given {
        // The operator's word wins over the instance's.
        env.retain(|e| &e.name != name);
        env.push(EnvVar {
            name: name.clone(),
            value: None,
            secret: true,
            source: format!("--secret {name}={}", value.describe()),
            given: Some(value.clone()),
        });
    }
    env
}

/// The command that starts the app and where it was read, made fit for a container: build
/// steps moved into `build`, project runners and shell wrappers dropped, every interface bound.
fn start_command(
    user_data: &str,
    runtime_name: &str,
    source: Option<&SourceFacts>,
    app: Option<&AppFiles>,
    build: &mut Option<super::Fact<Vec<String>>>,
    findings: &mut Vec<Finding>,
) -> (Vec<String>, String) {
    let from_instance = start_in_user_data(user_data, runtime_name, findings);
    let (start_command, start_source) = match (source.and_then(|s| s.start.clone()), from_instance) {
        // A command derived from the framework is a guess; the instance's own is the truth.
        (Some(start), Some(instance)) if start.source.starts_with("derived") => instance,
        (Some(start), _) => (start.value, start.source),
        (None, Some(instance)) => instance,
        (None, None) => super::container_start::declared_start_for(app, runtime_name, findings)
            .unwrap_or_else(|| default_start(runtime_name, app, findings)),
    };
    let start_command = untangle_shell(start_command, &start_source, build, findings);
    let mut untangled = super::source::fact(start_command, start_source);
    findings.extend(super::log_file_options::drop_log_files(&mut untangled));
    let (start_command, start_source) = (untangled.value, untangled.source);
    let start_command = match runtime_name {
        "python" => super::command::without_project_runner(start_command, &start_source, findings),
        _ => start_command,
    };
    let start_command = super::command::fit_for_container(start_command, &start_source, findings);
    let start_command = super::command::bind_every_interface(start_command, &start_source, findings);
    (start_command, start_source)
}

/// The health check path and where it was read: the target group's when the code serves it,
/// else the code's health route, else `/` with a warning.
fn health_check(
    route: Option<&crate::model::RouteEdge>,
    source: Option<&SourceFacts>,
    app: Option<&AppFiles>,
    findings: &mut Vec<Finding>,
) -> (String, String) {
    let code = source.and_then(|s| s.health_path.as_ref());
    if let (Some(route), Some(app)) = (route, app)
        && let Some(fixed) = super::target_group_fit::health_over_target_group(route, code, app, findings)
    {
        return fixed;
    }
    match (route, code.cloned()) {
        (Some(route), _) if route.target_group.health_check.path.is_some() => (
            route.target_group.health_check.path.clone().unwrap_or_default(),
            format!("target group {}", route.target_group.name),
        ),
        (_, Some(path)) => (path.value, path.source),
        // The code's analysis said already why no path of its own answers.
        _ if source.is_some_and(|s| s.findings.iter().any(|f| f.kind == "no-health-route")) => {
            ("/".into(), "default: no load balancer health check found".into())
        }
        _ => {
            findings.push(
                Finding::warning(
                    "no-health-route",
                    "no health route found in the code and no load balancer health check to copy: the service checks /, which may need a login or redirect",
                    if app.is_some() { "source folder" } else { "target group" },
                )
                .with_fix("add a GET /health route that answers 200 without a login, and set it as the health check path"),
            );
            ("/".into(), "default: no load balancer health check found".into())
        }
    }
}

/// What the instance did that works differently in the service: secrets, host setup, sticky
/// sessions, a release downloaded at boot.
fn instance_findings(
    user_data: &str,
    route: Option<&crate::model::RouteEdge>,
    env: &[EnvVar],
    given: &Given,
    findings: &mut Vec<Finding>,
) {
    let secret_count = env.iter().filter(|e| e.secret).count();
    if secret_count > 0 {
        findings.push(Finding {
            kind: "secrets-moved".into(),
            fix: None,
            level: FindingLevel::Info,
            message: format!("{secret_count} secrets move to Secrets Manager"),
            source: if given.is_empty() { "user data".into() } else { "user data and --secret".into() },
        });
    }
    findings.extend(super::host::host_findings(user_data));
    if let Some(route) = route
        && let Some(kind) = &route.target_group.stickiness
    {
        findings.push(Finding {
            kind: "sticky-sessions".into(),
            fix: None,
            level: FindingLevel::Warning,
            message: format!(
                "sticky sessions ({kind}) pin each user to one instance: sessions kept in memory are lost when tasks are replaced; keep them in Redis or DynamoDB"
            ),
            source: format!("target group {}", route.target_group.name),
        });
    }
    if let Some((line, text)) = find_line(user_data, "aws s3 cp") {
        findings.push(Finding {
            kind: "release-download".into(),
            fix: None,
            level: FindingLevel::Info,
            message: format!("the instance downloads its release ({text}); the image is built from source instead"),
            source: format!("user data line {line}"),
        });
    }
}

/// What the code's variables need that the service does not set, then the source's own
/// findings.
fn code_findings(
    variables: &[crate::model::CodeVariable],
    env: &[EnvVar],
    app: Option<&AppFiles>,
    source: Option<&SourceFacts>,
    findings: &mut Vec<Finding>,
) {
    let set = |name: &str| SET_BY_THE_CONTAINER.contains(&name) || env.iter().any(|e| e.name == name);
    let first_variable_finding = findings.len();
    findings.extend(super::variables::findings(variables, set));
    if let Some(files) = app {
        super::listen_host::confirm(files, findings, first_variable_finding);
        super::worker_only::relax(files, &mut findings[first_variable_finding..]);
        super::optional_cache::relax(files, &mut findings[first_variable_finding..]);
        super::feature_switch::relax(files, &mut findings[first_variable_finding..]);
        super::variables::committed_env_left_out(files, &mut findings[first_variable_finding..]);
        super::variables::reword_either_of(files, &mut findings[first_variable_finding..]);
        super::node_config_object::relax_hosts_of_sqlite_blocks(files, &mut findings[first_variable_finding..]);
        super::sails_env_override::drop_overridden(files, findings);
        let stated = super::stated_requirements::findings(files, variables, set, findings);
        findings.extend(stated);
        super::option_settings::relax(files, variables, &mut findings[first_variable_finding..]);
        super::after_start::relax(files, &mut findings[first_variable_finding..]);
    }
    let start = source.and_then(|s| s.start.as_ref()).map_or(&[][..], |s| s.value.as_slice());
    if super::listen_host::bound_by_command(start) {
        let mut from_variables = findings.split_off(first_variable_finding);
        from_variables.retain(|f| f.kind != "loopback-bind");
        findings.extend(from_variables);
    }
    if let Some(source) = source {
        for finding in &source.findings {
            // The app keeps its data in SQLite once, however many places show it.
            let whole_app = matches!(finding.kind.as_str(), "sqlite" | "embedded-database");
            // A fallback the code takes only without a database URL never happens when the
            // service sets one.
            let fallback_avoided =
                finding.kind == "sqlite" && finding.message.starts_with("falls back") && set("DATABASE_URL");
            let said_already = whole_app && findings.iter().any(|f| f.kind == finding.kind);
            // A chain of URL settings ending on localhost, which the service sets or a
            // variable's own finding names already.
            let named = |f: &Finding| f.message.split(" falls back").next().unwrap_or("").to_string();
            let chain =
                finding.kind == "localhost-default-host" && finding.message.contains(" falls back to localhost");
            let chain_said = chain
                && (named(finding).split(" or ").any(&set)
                    || findings.iter().any(|f| {
                        f.kind == finding.kind
                            && f.message.split_whitespace().next().is_some_and(|name| named(finding).contains(name))
                    }));
            // The service names the settings module (the production one ferry found).
            let settings_named = finding.kind == "settings-module" && set("DJANGO_SETTINGS_MODULE");
            if !said_already && !fallback_avoided && !chain_said && !settings_named {
                findings.push(finding.clone());
            }
        }
    }
    if let Some(files) = app {
        super::unused_media::relax(files, findings);
        super::unused_folder_setting::relax(files, findings);
        super::backend_switch::relax(files, variables, findings);
        super::spring_conditional::relax(files, findings);
    }
}

fn default_package_manager(runtime: &str) -> PackageManager {
    match runtime {
        "python" => PackageManager::Pip,
        "go" => PackageManager::Go,
        "java" => PackageManager::Maven,
        _ => PackageManager::Npm,
    }
}

/// A `sh -c` start whose steps before the server are builds or migrations becomes the server
/// alone: builds join the image build, migrations become a finding.
fn untangle_shell(
    command: Vec<String>,
    source: &str,
    build: &mut Option<super::Fact<Vec<String>>>,
    findings: &mut Vec<Finding>,
) -> Vec<String> {
    let [shell, flag, line] = command.as_slice() else { return command };
    if shell != "sh" || flag != "-c" {
        return command;
    }
    let Some(untangled) = super::start_chain::untangle(line, source, findings) else { return command };
    let Some(run) = super::source::command_words(&untangled.run) else { return command };
    if !untangled.build_steps.is_empty() {
        let mut chain: Vec<String> = build.as_ref().map(|b| vec![b.value.join(" ")]).unwrap_or_default();
        chain.extend(untangled.build_steps);
        *build = Some(super::source::fact(super::node::chained_words(&chain), source.to_string()));
    }
    run
}

/// The values the repository's image gives variables its start command expands, or the
/// variable it sets its port through, which
/// ferry's image does not set: the service sets them, unless the instance already does.
fn carry_image_env(source: Option<&SourceFacts>, env: &mut Vec<EnvVar>) {
    for set in source.map(|s| s.image_env.as_slice()).unwrap_or_default() {
        let (name, value) = &set.value;
        // The service sets PORT itself, and the image's own PATH and HOME are ferry's image's.
        if env.iter().any(|e| &e.name == name) || SET_BY_THE_CONTAINER.contains(&name.as_str()) {
            continue;
        }
        env.push(EnvVar {
            name: name.clone(),
            value: Some(value.clone()),
            secret: false,
            source: format!("{} (the repository's image sets it; ferry's image does not)", set.source),
            given: None,
        });
    }
}

/// A listen address the code defaults to loopback (`HD_BACKEND_BIND_IP` = `127.0.0.1`) is set
/// to every interface on the service, unless the instance sets it: otherwise the load balancer
/// could not reach the task. Said as a finding, since it changes what the app reads.
fn listen_on_every_interface(
    variables: &[crate::model::CodeVariable],
    (all, app): (Option<&AppFiles>, Option<&AppFiles>),
    env: &mut Vec<EnvVar>,
    findings: &mut Vec<Finding>,
) {
    let runtime = variables.iter().filter(|v| v.scope == crate::model::VariableScope::Runtime);
    // A bare `HOST` is the listen address when the code hands it to its listen call.
    // A host the code builds a URL from (`ws://{address}/rpc`) is one it connects to: setting
    // it to 0.0.0.0 would break that connection.
    let connects =
        |v: &crate::model::CodeVariable| all.is_some_and(|files| super::listen_host::builds_url(files, &v.source));
    let listens = |v: &&crate::model::CodeVariable| match super::variables::loopback_listen(v) {
        Some(_) if connects(v) => false,
        Some(true) => true,
        Some(false) => app.is_some_and(|files| super::listen_host::listened_on(files, &v.source).is_some()),
        None => false,
    };
    for variable in runtime.filter(listens) {
        if env.iter().any(|e| e.name == variable.name) {
            continue;
        }
        let default = variable.default.as_deref().unwrap_or_default();
        let value = super::variables::on_every_interface(default);
        findings.push(Finding::info(
            "loopback-bind",
            format!(
                "the code listens on {default} by default ({}): the service sets {}={value}, so the load balancer reaches the task",
                variable.name, variable.name
            ),
            variable.source.clone(),
        ));
        let why = format!("{} listens on loopback by default ({})", variable.name, variable.source);
        env.push(EnvVar::set_by_ferry(&variable.name, value, why));
    }
}
