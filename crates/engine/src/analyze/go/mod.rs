//! Go applications read from their source folder: the Go version go.mod asks for, the main
//! package the image is built around, the web framework, the port, the environment the code
//! reads, and what will not survive a container. Every fact says which file (and line) it
//! came from.

pub(crate) mod build_constraints;
mod build_tags;
mod code;
mod command_scope;
mod config_file;
mod data_dir;
mod dotenv_load;
mod gin;
mod main_choice;
mod main_package;
mod memory_store;
mod modfile;
mod nested_commands;
mod readiness;
mod separate_modules;
pub use separate_modules::without_separate_modules;
mod settings_listeners;
mod settings_overrides;
mod sqlite_use;
mod start_flags;
mod start_state;
mod static_folders;

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, Framework, SourceFacts, fact};
use crate::analyze::stated_version;
use crate::model::PackageManager;
use code::{port_in_code, port_named_in_code, port_of_listen_flag};
use main_package::{binary_name, build_command, main_package, needs_cgo};
use modfile::{GoMod, is_module};
use readiness::readiness;

const EXTENSIONS: [&str; 1] = ["go"];

/// The Go release used when go.mod names none.
const DEFAULT_VERSION: &str = "1.25";

/// Where the build stage writes the binary, and where the final image keeps it.
const BUILD_DIR: &str = "/out";
const APP_DIR: &str = "/app";

const FRAMEWORKS: [(&str, Framework); 6] = [
    ("github.com/gin-gonic/gin", Framework { name: "Gin", default_port: Some(8080) }),
    ("github.com/labstack/echo", Framework { name: "Echo", default_port: None }),
    ("github.com/gofiber/fiber", Framework { name: "Fiber", default_port: Some(3000) }),
    ("github.com/go-chi/chi", Framework { name: "chi", default_port: None }),
    ("github.com/gorilla/mux", Framework { name: "gorilla/mux", default_port: None }),
    ("github.com/julienschmidt/httprouter", Framework { name: "httprouter", default_port: None }),
];

/// Whether the config refuses to start without the app's own listen setting
/// (`env:"HTTP_PORT,required"`, no default): then it always says where the server listens.
fn listen_setting_required(variables: &[crate::analyze::variables::VariableRead]) -> bool {
    variables.iter().any(|v| {
        v.required
            && v.default.is_none()
            && v.name.ends_with("_PORT")
            && crate::analyze::variables::is_listen_setting(&v.name)
    })
}

/// The facts of a Go app, or `None` when the folder has no go.mod at its root.
pub fn analyze(files: &AppFiles) -> Option<SourceFacts> {
    let manifest = files.get("go.mod")?;
    // A go.mod that only pins tools for the repository's scripts (`tool mvdan.cc/sh`), with no
    // Go code beside it, does not make the app a Go app.
    if !files.files.keys().any(|path| path.ends_with(".go")) {
        return None;
    }
    let module = GoMod::parse(manifest);
    let mut facts = SourceFacts::new("go", DEFAULT_VERSION, fact(PackageManager::Go, "go.mod"));
    facts.version = go_version_file(files)
        .or_else(|| stated_version::version_manager(files, &stated_version::GO))
        .or_else(|| newest(stated_version::dockerfile(files, &stated_version::GO), module.version()))
        .or_else(|| stated_version::ci(files, &stated_version::GO));
    facts.framework = FRAMEWORKS.iter().find_map(|(path, framework)| {
        module.requires.iter().find(|r| !r.indirect && is_module(&r.path, path)).map(|r| fact(*framework, r.at()))
    });
    readiness(files, &module, &mut facts.findings);
    let cgo = needs_cgo(files, &module);
    let main = main_package(files, &module, &mut facts.findings);
    // Other main packages are other programs: the port, pages and settings are the chosen one's.
    let others = main.as_ref().map(|m| m.others.clone()).unwrap_or_default();
    let own = files.excluding(&others);
    let files = if others.is_empty() { files } else { &own };
    // The port the start command's own listen flag sets, which wins over any default.
    let mut flag_port = None;
    if let Some(main) = main {
        let binary = binary_name(&main.dir, &module);
        let package = if main.dir.is_empty() { ".".to_string() } else { format!("./{}", main.dir) };
        let mut build = build_command(&package, &binary, cgo);
        build_tags::with_repository_tags(files, &mut build, &mut facts.findings);
        facts.build = Some(fact(build, main.source.clone()));
        let mut start = vec![format!("{APP_DIR}/{binary}")];
        let mut start_source = main.source.clone();
        if let Some(command) = serve_subcommand(files) {
            start.push(command.value);
            start_source = format!(
                "{start_source}, its `{}` command ({})",
                start.last().unwrap_or(&String::new()),
                command.source
            );
        }
        let (start, port) =
            start_flags::with_start_flags(files, &binary, fact(start, start_source), &mut facts.findings);
        facts.start = Some(start);
        flag_port = port;
        facts.entry = Some(fact(package, main.source));
    }
    facts.health_path = crate::analyze::health::health_path(files, &EXTENSIONS, &mut facts.findings);
    facts.variables = crate::analyze::variables::go_reads(files);
    let served = facts.start.as_ref().and_then(|s| s.value.get(1)).filter(|w| !w.starts_with('-')).map(String::as_str);
    let main_dir = facts.entry.as_ref().map_or("", |e| e.value.trim_start_matches('.').trim_start_matches('/'));
    command_scope::mark(files, main_dir, served, &mut facts.variables);
    if facts.framework.as_ref().is_some_and(|f| f.value.name == "Gin") {
        facts.variables.extend(gin::reads(files));
    }
    // Read once: the settings files give the port, the findings and the files the image copies.
    let settings = settings_files(files, facts.start.as_ref());
    facts.port = flag_port
        .or_else(|| port_in_code(files, listen_setting_required(&facts.variables)))
        .or_else(|| port_of_listen_flag(files))
        .or_else(|| crate::analyze::variables::listen_port_of_reads(&facts.variables).map(|(port, at)| fact(port, at)))
        .or_else(|| config_file::port_in_settings(files, &settings))
        // A number only a name calls a port is weaker than the port the maintainers' image
        // declares, which the service port falls back on when the code names none.
        .or_else(|| {
            port_named_in_code(files).filter(|_| crate::analyze::container_start::declared_port(files).is_none())
        });
    facts.findings.extend(config_file::settings_findings(files, &settings));
    facts.findings.extend(settings_listeners::findings(files, &settings));
    let named_in_settings = config_file::paths_in_settings(files, &settings);
    facts.runtime_files = settings.into_iter().map(|loaded| fact(loaded.path, loaded.loaded_at)).collect();
    for read in static_folders::read_at_run_time(files).into_iter().chain(named_in_settings) {
        if facts.runtime_files.iter().all(|f| f.value != read.value) {
            facts.findings.push(static_folders::copied(&read));
            facts.runtime_files.push(read);
        }
    }
    Some(facts)
}

/// The settings files the binary loads: those its start command names first (the image's
/// `-c config.docker.yaml` wins over the flag's default), then those the code names.
fn settings_files(files: &AppFiles, start: Option<&Fact<Vec<String>>>) -> Vec<config_file::LoadedSettings> {
    let mut settings = start.map_or_else(Vec::new, |start| {
        let named_at = start.source.rsplit_once("with the flags of ").map_or(start.source.as_str(), |(_, at)| at);
        config_file::named_on_command(files, &start.value, named_at)
    });
    for loaded in config_file::loaded_settings(files) {
        if settings.iter().all(|s| s.path != loaded.path) {
            settings.push(loaded);
        }
    }
    settings
}

/// A CLI whose server is one of its commands (cobra's `Use: "server"`, urfave/cli's
/// `Name: "serve"`): the container runs that command. A deprecated one gives way.
fn serve_subcommand(files: &AppFiles) -> Option<crate::analyze::Fact<String>> {
    const SERVING: [&str; 4] = ["server", "serve", "web", "start"];
    let mut found: Vec<(usize, bool, crate::analyze::Fact<String>)> = Vec::new();
    for (path, text) in files.with_extensions(&EXTENSIONS) {
        // go-flags names commands in struct tags (`command:"server"`), anywhere in the module.
        for (index, line) in text.lines().enumerate() {
            let Some((_, rest)) = line.split_once("command:\"") else { continue };
            let name = rest.split('"').next().unwrap_or("");
            if let Some(rank) = SERVING.iter().position(|s| *s == name) {
                found.push((rank, false, fact(name.to_string(), format!("{path}:{}", index + 1))));
            }
        }
        if !(text.contains("spf13/cobra") || text.contains("urfave/cli")) {
            continue;
        }
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let trimmed = line.trim();
            let Some(value) = trimmed.strip_prefix("Use:").or_else(|| trimmed.strip_prefix("Name:")) else { continue };
            let name = value.trim().trim_end_matches(',').trim_matches('"');
            let Some(rank) = SERVING.iter().position(|s| *s == name) else { continue };
            if nested_commands::is_nested(files, &lines, index) {
                continue;
            }
            let block = &lines[index..lines.len().min(index + 8)];
            let deprecated = block.iter().take_while(|l| !l.trim().starts_with('}')).any(|l| l.contains("Deprecated:"));
            found.push((rank, deprecated, fact(name.to_string(), format!("{path}:{}", index + 1))));
        }
    }
    found.sort_by_key(|(rank, deprecated, _)| (*deprecated, *rank));
    found.into_iter().next().map(|(_, _, command)| command)
}

/// go.mod's version is the least the code compiles with: an image older than it is stale.
fn newest(
    image: Option<crate::analyze::Fact<String>>,
    module: Option<crate::analyze::Fact<String>>,
) -> Option<crate::analyze::Fact<String>> {
    let key =
        |v: &crate::analyze::Fact<String>| -> Vec<u32> { v.value.split('.').filter_map(|n| n.parse().ok()).collect() };
    match (image, module) {
        (Some(image), Some(module)) => Some(if key(&image) >= key(&module) { image } else { module }),
        (image, module) => image.or(module),
    }
}

/// `.go-version` (goenv) or a `GO_VERSION` file: the exact toolchain the project builds with.
fn go_version_file(files: &AppFiles) -> Option<crate::analyze::Fact<String>> {
    [".go-version", "GO_VERSION"].iter().find_map(|file| {
        let text = files.get(file)?.trim().trim_start_matches("go");
        crate::analyze::source::version_in(text, 2).map(|v| fact(v, *file))
    })
}

#[cfg(test)]
#[test]
fn a_go_mod_without_go_code_is_not_an_app() {
    let tooling = AppFiles::from_pairs([("go.mod", "module example.org/devtools\n\ntool mvdan.cc/sh/v3/cmd/shfmt\n")]);
    assert_eq!(analyze(&tooling), None);
}

/// The facts of an app made of these (path, text) pairs, for the tests of every job here; a
/// bare `main.go` joins a go.mod given alone, since a go.mod without Go code is not an app.
#[cfg(test)]
fn facts(pairs: &[(&str, &str)]) -> SourceFacts {
    let has_code = pairs.iter().any(|(path, _)| path.ends_with(".go"));
    let main = (!has_code).then_some(("main.go", "package main\n\nfunc main() {}\n"));
    analyze(&AppFiles::from_pairs(pairs.iter().copied().chain(main))).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHI_MOD: &str = "module github.com/acme/orders-api\n\ngo 1.22\n\ntoolchain go1.23.4\n\nrequire (\n\
        \tgithub.com/go-chi/chi/v5 v5.0.7\n\tgithub.com/jackc/pgx/v5 v5.7.0\n)\n\nrequire (\n\
        \tgithub.com/jackc/puddle/v2 v2.2.1 // indirect\n)\n";

    #[test]
    fn a_cli_runs_its_server_command() {
        let f = facts(&[
            ("go.mod", "module github.com/acme/links\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.0\n"),
            ("main.go", "package main\n\nfunc main() { cmd.Execute() }\n"),
            (
                "cmd/serve.go",
                "package cmd\nimport \"github.com/spf13/cobra\"\nvar c = &cobra.Command{\n\tUse: \"serve\",\n\tDeprecated: \"use server\",\n}\n",
            ),
            (
                "cmd/server.go",
                "package cmd\nimport \"github.com/spf13/cobra\"\nvar s = &cobra.Command{\n\tUse:   \"server\",\n}\n",
            ),
        ]);
        let start = f.start.unwrap();
        assert_eq!(start.value[1..], ["server"]);
        assert!(start.source.ends_with("(cmd/server.go:4)"), "{}", start.source);
    }

    #[test]
    fn reads_a_chi_service_under_cmd() {
        let main = "package main\n\nimport \"os\"\n\nfunc main() {\n\tport := os.Getenv(\"PORT\")\n\
            \tif port == \"\" {\n\t\tport = \"8080\"\n\t}\n\tdb, ok := os.LookupEnv(\"DATABASE_URL\")\n\
            \thttp.ListenAndServe(\":\"+port, r)\n}\n";
        let f = facts(&[
            ("go.mod", CHI_MOD),
            ("go.sum", ""),
            ("cmd/api/main.go", main),
            ("cmd/api/main_test.go", "package main\nfunc TestX() { http.ListenAndServe(\":9999\", nil) }\n"),
        ]);
        assert_eq!(f.runtime, "go");
        assert_eq!(f.version, Some(fact("1.23".to_string(), "go.mod:5")));
        assert_eq!(f.package_manager, fact(PackageManager::Go, "go.mod"));
        assert_eq!(f.entry, Some(fact("./cmd/api".to_string(), "cmd/api/main.go:5")));
        assert_eq!(f.start.unwrap().value, ["/app/api"]);
        let build = f.build.unwrap().value;
        assert_eq!(build[..3], ["CGO_ENABLED=0", "go", "build"]);
        assert_eq!(build[build.len() - 2..], ["/out/api", "./cmd/api"]);
        assert_eq!(f.port, Some(fact(8080, "cmd/api/main.go:8")));
        assert_eq!(f.framework, Some(fact(FRAMEWORKS[3].1, "go.mod:8")));
        let env: Vec<_> = f.variables.iter().map(|e| (e.name.as_str(), e.source.as_str())).collect();
        assert_eq!(env, [("PORT", "cmd/api/main.go:6"), ("DATABASE_URL", "cmd/api/main.go:10")]);
        assert!(f.findings.is_empty(), "{:?}", f.findings);
    }
}
