//! The integration tests, as one test binary. Each module was its own binary once; one
//! binary links the engine, the AWS SDK and the wizard once instead of fifty times, which is
//! most of what a fresh clone's `cargo test` spends building. Modules share the helpers below
//! and run side by side, so none may change the process's environment or working folder: a test
//! that must (`std::env::set_var`) lives in a binary of its own beside this folder.

#[path = "../common/mod.rs"]
mod common;
#[path = "../express_mocks/mod.rs"]
mod express_mocks;
#[path = "../masking_forms/mod.rs"]
mod masking_forms;
#[path = "../support/mod.rs"]
mod support;

mod app_analysis;
mod app_fixtures;
mod approvals;
mod artifact_tools;
mod audit;
mod audit_cloudwatch;
mod aws_cli;
mod aws_cutover;
mod aws_discovery;
mod aws_express;
mod aws_express_monitor;
mod bundled_scenarios;
mod cli;
mod comfort;
mod comfort_terminal;
mod cost;
mod crash;
mod cutover;
mod cutover_certificates;
mod cutover_crash;
mod decommission_old_stack;
mod demo_picker;
mod discovery;
mod drift;
mod edit_terminal;
mod every_hint_key;
mod exits;
mod fault_matrix;
mod forgery;
mod function_length;
mod gate;
mod headless_apply;
mod held_out_round10_go_java;
mod held_out_round10_node;
mod held_out_round10_python;
mod held_out_round11_build;
mod held_out_round11_node;
mod held_out_round11_store;
mod held_out_round12_entry;
mod held_out_round12_findings;
mod held_out_round12_frontend;
mod held_out_round12_start;
mod held_out_round12_state;
mod held_out_round12_vars;
mod held_out_round13_blockers;
mod held_out_round13_config;
mod held_out_round13_health;
mod held_out_round13_leftovers;
mod held_out_round13_python;
mod held_out_round14_go_java;
mod held_out_round14_node;
mod held_out_round14_python;
mod held_out_round14_start;
mod held_out_round15_node;
mod held_out_round15_required;
mod held_out_round15_version;
mod held_out_round16_findings;
mod held_out_round16_leftovers;
mod held_out_round16_port_go;
mod held_out_round16_required;
mod held_out_round17_g;
mod held_out_round17_go_java;
mod held_out_round17_main;
mod held_out_round17_node;
mod held_out_round18_s;
mod held_out_round18_t;
mod held_out_round18_u;
mod held_out_round19_a;
mod held_out_round19_b;
mod held_out_round19_c;
mod held_out_round20_j;
mod held_out_round20_n;
mod held_out_round20_p;
mod held_out_round8_node;
mod held_out_round8_python_go_java;
mod held_out_round9_node;
mod held_out_round9_python_go_java;
mod held_out_starts_and_routes;
mod held_out_variables_and_readiness;
#[cfg(unix)]
mod image_cli;
mod inventory;
mod keys;
mod masking;
mod mcp;
mod plan;
mod precision_round18_main;
mod precision_round18_p;
mod precision_round18_q;
mod precision_round18_r;
mod precision_round19_main;
mod precision_round19_v;
mod precision_round19_w;
mod precision_round19_x;
mod precision_round20_v;
mod precision_round20_w;
mod precision_round20_x;
mod precision_round21_x;
mod run_life;
mod sample_app;
mod scenarios;
mod screens;
mod service_edits;
mod session;
mod source_folder;
mod target_group_fit;
mod terminal;
mod training_and_picker;
mod verify;
mod wizard_cutover;
mod wizard_keys;
mod wizard_secret_prompt;
