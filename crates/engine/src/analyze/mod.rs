//! What the application is: runtime, start command, port, environment and secrets.
//!
//! Works on the discovered model (user data, target groups) and the source folder, never on a
//! cloud. Each runtime reads its own manifests; `profile` merges them with the instance's facts.

mod adonis_build;
mod adonis_drive;
mod adonis_server;
mod after_start;
mod app_files;
mod backend_switch;
mod built_copies;
mod ci_images;
mod cli_migrations;
mod command;
mod compose_command;
mod config_driver_blocks;
mod config_env_branches;
mod container_start;
mod declared_state;
mod dev_watcher;
mod dialed_ports;
mod django_settings_env;
mod enclosing;
mod entrypoint_script;
mod env_file_copy;
mod env_file_required;
mod env_file_wrapper;
mod example_port;
mod external_programs;
mod fastify_positional_listen;
mod feature_switch;
mod frontend_build;
pub(crate) mod frontend_output;
mod generated_secrets;
mod generated_settings;
mod go;
mod hapi_host;
mod health;
mod host;
mod https_redirect;
mod image_made_start;
mod image_runtime;
mod image_scripts;
mod init_wrapper;
mod java;
mod lazy_demands;
mod library_code;
mod linked_packages;
mod listen_host;
mod listen_setting;
mod local_storage_fallback;
mod lockfile_production;
mod log_file_options;
mod logged_absence;
mod memory_backends;
mod memory_stores;
mod migration_step;
mod next_build_imports;
mod next_shared_cache;
mod nginx_upstream;
mod node;
mod node_bootstrap;
mod node_build_database;
mod node_build_git;
mod node_build_outputs;
mod node_cli_start;
mod node_config_object;
mod node_connection_literal;
mod node_cors_origin;
mod node_dev_branches;
mod node_dev_runtime;
mod node_disk_writes;
mod node_graphql_pubsub;
mod node_held_out;
mod node_imports;
mod node_install_database;
mod node_json_config_port;
mod node_listen_property;
mod node_listen_setting;
mod node_log_files;
mod node_package_use;
mod node_public_url;
mod node_readiness;
mod node_scheduler;
mod node_script_dispatch;
mod node_script_files;
mod node_seed_on_connect;
mod node_served_writes;
mod node_session_store;
mod node_socket_io;
mod node_start;
mod node_start_migrations;
mod node_start_tools;
mod node_task_runner;
mod node_tolerant_script;
mod node_version;
mod node_vite_server;
mod node_workspaces;
mod option_settings;
mod optional_cache;
mod placed_templates;
mod pnpm_release;
mod prisma_client;
mod process_state;
mod production_argument;
mod profile;
mod python;
mod python_code;
mod readiness;
mod readme_version;
mod redis_default_client;
mod report;
mod repository_pins;
mod root_start_scripts;
mod runtime_mismatch;
mod sails_env_override;
mod sample_data;
mod script_main;
mod script_openers;
mod sequelize_config;
mod server_folder;
mod service_port;
mod session_maps;
mod session_secret;
mod shared_adapter;
mod sibling_assets;
mod sidecar_image;
mod slash_comments;
mod source;
mod spring_conditional;
mod stale_image;
mod start_chain;
mod stated_requirements;
mod stated_version;
mod supervisord;
mod switched_demands;
mod sync_script;
mod target_group_fit;
mod templated_config;
mod ts_output_layout;
mod ts_path_aliases;
mod tsconfig_paths;
mod typeorm_synchronize;
mod unused_folder_setting;
mod unused_media;
mod user_data_facts;
mod variables;
mod worker_only;
mod workspace_folders;
mod workspace_package_paths;
mod yaml_leaves;

pub use app_files::AppFiles;
pub use profile::{
    Given, Glance, analyze, analyze_app, analyze_folder, analyze_folder_given, analyze_given, at_a_glance,
};
pub use report::{ANALYSIS_SCHEMA, Report};
pub use server_folder::{Located, locate as locate_server};
pub use source::{Fact, Framework, SourceFacts};

/// Python's facts, unless the folder is a Node.js app that keeps a requirements file for a
/// helper tool (`pip install apprise` beside `package.json`): Python without a web framework or
/// an application object loses to a package.json that says how the app starts.
fn python_or_node(files: &AppFiles) -> Option<SourceFacts> {
    let python = python::analyze(files);
    let serves = |facts: &SourceFacts| facts.framework.is_some() || facts.entry.is_some();
    match python {
        Some(facts) if serves(&facts) => Some(facts),
        python => node::analyze(files).filter(|node| node.start.is_some()).or(python).or_else(|| node::analyze(files)),
    }
}

/// The facts of the app in `files`, read by the runtime whose manifest is at the folder's root.
/// The runtime the repository's image ships (its Dockerfile's final stage, `FROM python:3.11`)
/// is asked first: a package.json there may only build the client the image copies. Then a Java
/// or Go service may carry a package.json for its front end, so the compiled runtimes are next.
pub fn analyze_source(files: &AppFiles) -> Option<SourceFacts> {
    let shipped = match container_start::final_stage_runtime(files) {
        Some("python") => python::analyze(files),
        Some("go") => go::analyze(files),
        Some("java") => java::analyze(files),
        _ => None,
    };
    let mut facts =
        shipped.or_else(|| java::analyze(files)).or_else(|| go::analyze(files)).or_else(|| python_or_node(files))?;
    facts.example_port = example_port::suggested(files);
    facts.image_port = container_start::declared_port_of(files, facts.runtime);
    facts.image_sets_port = container_start::image_sets_port(files, facts.runtime);
    facts.variables.extend(variables::template_reads(files));
    let start = facts.start.as_ref().map(|s| s.value.clone()).unwrap_or_default();
    facts.variables.extend(variables::start_script_reads(files, &start));
    if let Some(command) = &facts.start {
        let (reads, image_env) = variables::command_expansions(files, command);
        facts.variables.extend(reads);
        facts.image_env = image_env;
        let settings = variables::image_settings(files, &facts.variables, &command.source);
        let new = settings.into_iter().filter(|set| !facts.image_env.iter().any(|e| e.value.0 == set.value.0));
        facts.image_env.extend(new.collect::<Vec<_>>());
    }
    let read: Vec<String> = facts.variables.iter().map(|v| v.name.clone()).collect();
    let port_setting =
        facts.image_port.as_ref().and_then(|port| variables::image_port_setting(files, &read, port.value));
    facts.image_env.extend(port_setting.filter(|set| !facts.image_env.iter().any(|e| e.value.0 == set.value.0)));
    let committed = variables::committed_env_defaults(files, &facts.variables, &start);
    facts.variables.extend(committed);
    facts.findings.extend(variables::committed_env_secrets(files, &facts.variables));
    facts.findings.extend(declared_state::finding(files, &start));
    facts.findings.extend(declared_state::docker_socket(files));
    facts.findings.extend(env_file_copy::findings(files, &start));
    facts.findings.extend(templated_config::finding(files, &start));
    facts.variables.extend(generated_secrets::reads(files));
    facts.findings.extend(generated_secrets::findings(files, &start));
    // Code a Java app keeps in comments runs nowhere: these readers see it blanked.
    let uncommented = (facts.runtime == "java").then(|| java::without_comments(files));
    let code = uncommented.as_ref().unwrap_or(files);
    external_programs::add(code, &mut facts);
    for finding in memory_stores::findings(code).into_iter().chain(process_state::findings(code)) {
        // One migrations-at-start says the start migrates, wherever the runtime's reading found it.
        let migrations_said =
            finding.kind == "migrations-at-start" && facts.findings.iter().any(|f| f.kind == finding.kind);
        if !migrations_said && !facts.findings.iter().any(|f| f.kind == finding.kind && f.source == finding.source) {
            facts.findings.push(finding);
        }
    }
    if !facts.findings.iter().any(|f| f.kind == "in-memory-store") {
        facts.findings.extend(memory_backends::finding(code));
    }
    if !facts.findings.iter().any(|f| f.kind == "in-memory-sessions") {
        facts.findings.extend(session_maps::finding(code));
    }
    facts.findings.extend(migration_step::finding(files, &facts.findings, &start));
    facts.listen_setting = example_port::listen_setting(files, &facts.variables);
    Some(facts)
}
