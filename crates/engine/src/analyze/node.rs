//! Node.js applications read from their source folder: version, package manager, build, start
//! command, port, the environment they read, their framework, and what will not survive a
//! container. Every fact says which file (and line) it came from.

use serde_json::Value;

use super::app_files::AppFiles;
use super::node_version::{DEFAULT_MAJOR, version};
use super::readiness;
use super::source::{Fact, Framework, SourceFacts, fact, host_bound_code, port_after, shell_words};
use crate::model::{Finding, PackageManager};

const EXTENSIONS: [&str; 6] = ["js", "mjs", "cjs", "ts", "mts", "cts"];

const FRAMEWORKS: [(&str, Framework); 6] = [
    ("next", Framework { name: "Next.js", default_port: Some(3000) }),
    // Sails listens on 1337 unless `sails.config.port` says otherwise.
    ("sails", Framework { name: "Sails", default_port: Some(1337) }),
    ("@nestjs/core", Framework { name: "NestJS", default_port: Some(3000) }),
    ("fastify", Framework { name: "Fastify", default_port: Some(3000) }),
    ("koa", Framework { name: "Koa", default_port: None }),
    ("express", Framework { name: "Express", default_port: None }),
];

/// The facts of a Node.js app, or `None` when the folder has no package.json.
pub fn analyze(files: &AppFiles) -> Option<SourceFacts> {
    let manifest: Value = serde_json::from_str(files.get("package.json")?).unwrap_or(Value::Null);
    let package_manager = plug_n_play(files, package_manager(files, &manifest));
    let pm = package_manager.value;
    let mut facts = SourceFacts::new("node", DEFAULT_MAJOR, package_manager);
    facts.install_files = install_files(files, pm);
    if pm == PackageManager::Pnpm {
        facts.package_manager_release = super::pnpm_release::release(files, &manifest);
    }
    let locked = facts.install_files.iter().any(|f| LOCKFILES.contains(&f.as_str()));
    if !locked {
        facts.findings.push(unlocked(files, &manifest));
    }
    facts.version = version(files, &manifest).or_else(|| {
        // A workspace member states nothing itself: the repository's root pins the version.
        super::repository_pins::from_root(files, |repository| {
            let root_manifest =
                repository.get("package.json").and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null);
            version(repository, &root_manifest)
        })
    });
    // `build:prod` beside `build` is the maintainers' production build (minified, no dev
    // tools); `build` alone is the build.
    facts.build = ["build:prod", "build:production", "build"]
        .into_iter()
        .find(|name| manifest.pointer(&format!("/scripts/{name}")).and_then(Value::as_str).is_some())
        .map(|name| {
            fact(vec![pm.command().to_string(), "run".into(), name.into()], format!("package.json scripts.{name}"))
        });
    without_database_steps(&manifest, pm, &mut facts);
    let started = super::node_start::start(files, &manifest, pm, &mut facts.findings);
    if let Some(started) = super::node_start::prefer_image(files, &manifest, started, &mut facts.findings) {
        facts.build = with_build_steps(facts.build.take(), &started.build_steps, pm, &started.command.source);
        facts.build = with_entry_outputs(files, &manifest, facts.build.take(), &started, pm);
        let as_run =
            super::image_scripts::as_run(&manifest, &super::node_readiness::skipped_install_scripts(files, &manifest));
        facts.build = super::prisma_client::with_generation(&as_run, facts.build.take());
        facts.findings.extend(super::node_build_git::finding(&as_run, facts.build.as_ref()));
        let mut start = settled_entry(files, &manifest, started.command, &mut facts.findings);
        super::production_argument::add(files, &mut start, &mut facts.findings);
        facts.start = Some(start);
    }
    if pm == PackageManager::YarnPnp
        && let Some(start) = facts.start.as_mut().filter(|s| s.value.first().is_some_and(|w| w == "node"))
    {
        // Without node_modules, node finds packages only through Yarn's loader.
        start.value.insert(0, "yarn".into());
        facts.findings.push(Finding::info(
            "yarn-pnp",
            "Plug'n'Play: the image keeps Yarn's zip cache and starts the app with `yarn node`",
            start.source.clone(),
        ));
    }
    facts.variables = crate::analyze::variables::node_reads(files);
    let started = facts.start.as_ref().map_or(&[][..], |s| s.value.as_slice());
    super::library_code::mark(files, &manifest, started, &mut facts.variables);
    port_and_health(files, &mut facts);
    facts.framework = framework(&manifest);
    readiness(files, &manifest, &mut facts.findings);
    let start = facts.start.as_ref().map(|s| s.value.clone()).unwrap_or_default();
    super::node_held_out::add(files, &manifest, &start, &mut facts.findings);
    let (skipped, trimmed) = super::node_readiness::install_script_changes(files, &manifest);
    facts.install_scripts = super::node_readiness::kept_install_scripts(&manifest, &skipped, &trimmed);
    // A member's own install hook runs in the workspace install and reads the member's files.
    facts.install_scripts.extend(member_install_scripts(files, &facts.install_files));
    (facts.skipped_install_scripts, facts.trimmed_install_scripts) = (skipped, trimmed);
    Some(facts)
}

/// Why the image cannot pin the dependencies: the workspace holds the lockfile (and, when the
/// package needs the workspace's own packages, nothing installs here alone), or there is none.
fn unlocked(files: &AppFiles, manifest: &Value) -> Finding {
    let workspace_lock = LOCKFILES.iter().find_map(|lockfile| files.nearest(lockfile)).map(|(path, _)| path);
    match (workspace_lock, workspace_dependency(files, manifest)) {
        (Some(path), Some(dependency)) => workspace_member_blocker(&path, &dependency),
        // A workspace member: its lockfile is the workspace's, outside the folder the image is
        // built from.
        (Some(path), None) => Finding::warning(
            "lockfile-outside-folder",
            format!(
                "the lockfile is the workspace's ({path}), outside this folder: the image cannot copy it and resolves dependency versions at build time"
            ),
            path,
        )
        .with_fix("build from the workspace root, or give this package its own lockfile"),
        (None, _) => Finding::warning("no-lockfile", "no lockfile: the image resolves dependency versions at build time", "package.json")
            .with_fix("commit the lockfile"),
    }
}

/// A dependency the workspace itself provides (`"@acme/ui": "workspace:*"`, or `"*"` for a
/// package of the workspace's folders): no registry has it, so an install from this folder
/// alone fails.
fn workspace_dependency(files: &AppFiles, manifest: &Value) -> Option<String> {
    let linked: Vec<String> = files
        .linked
        .iter()
        .filter(|(path, _)| path.ends_with("/package.json"))
        .filter_map(|(_, text)| serde_json::from_str::<Value>(text).ok()?.get("name")?.as_str().map(str::to_string))
        .collect();
    ["dependencies", "devDependencies"].iter().find_map(|table| {
        manifest.get(*table)?.as_object()?.iter().find_map(|(name, version)| {
            let version = version.as_str()?;
            (version.starts_with("workspace:") || linked.contains(name)).then(|| format!("\"{name}\": \"{version}\""))
        })
    })
}

/// A workspace member that needs the workspace's own packages: the image cannot be built from
/// this folder.
fn workspace_member_blocker(lockfile: &str, dependency: &str) -> Finding {
    Finding::blocker(
        "lockfile-outside-folder",
        format!(
            "the package depends on the workspace's own packages ({dependency}) and the lockfile is the workspace's ({lockfile}): an install from this folder alone fails"
        ),
        lockfile,
    )
    .with_fix("build the image from the workspace root (install there, then build and start this package), or publish the shared packages")
}

fn package_manager(files: &AppFiles, manifest: &Value) -> Fact<PackageManager> {
    if let Some(field) = manifest.get("packageManager").and_then(Value::as_str) {
        let (name, version) = field.split_once('@').unwrap_or((field, ""));
        let manager = match name {
            "pnpm" => Some(PackageManager::Pnpm),
            "bun" => Some(PackageManager::Bun),
            "yarn" if version.starts_with('1') => Some(PackageManager::Yarn),
            "yarn" => Some(PackageManager::YarnBerry),
            "npm" => Some(PackageManager::Npm),
            _ => None,
        };
        if let Some(manager) = manager {
            return fact(manager, "package.json packageManager");
        }
    }
    let lockfiles = [
        ("pnpm-lock.yaml", PackageManager::Pnpm),
        ("bun.lockb", PackageManager::Bun),
        ("bun.lock", PackageManager::Bun),
        ("package-lock.json", PackageManager::Npm),
    ];
    // The nearest lockfile decides: the folder's own, else its workspace root's.
    let yarn = files.nearest("yarn.lock").map(|(path, lock)| {
        let berry = lock.contains("__metadata:") || files.nearest(".yarnrc.yml").is_some();
        (path, if berry { PackageManager::YarnBerry } else { PackageManager::Yarn })
    });
    let nearest = lockfiles
        .iter()
        .filter_map(|(file, manager)| files.nearest(file).map(|(path, _)| (path, *manager)))
        .chain(yarn)
        .min_by_key(|(path, _)| path.matches("../").count());
    match nearest {
        Some((path, manager)) => fact(manager, path),
        None => fact(PackageManager::Npm, "default: no lockfile"),
    }
}

const LOCKFILES: [&str; 5] = ["package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb"];

/// What installing the dependencies reads besides package.json, as far as it exists: the
/// lockfiles, Yarn's settings and the release they pin. The Dockerfile copies exactly these.
fn install_files(files: &AppFiles, pm: PackageManager) -> Vec<String> {
    let mut needed: Vec<String> = ["package.json"]
        .iter()
        .chain(LOCKFILES.iter())
        .chain([".yarnrc.yml"].iter())
        .filter(|f| files.has(f))
        .map(|f| f.to_string())
        .collect();
    needed.extend(yarn_release(files, pm));
    needed.extend(workspace_manifests(files));
    needed
}

/// The install hooks of the workspace members whose manifests the install copies.
fn member_install_scripts(files: &AppFiles, install_files: &[String]) -> Vec<String> {
    let members = install_files.iter().filter(|f| f.contains('/') && f.ends_with("/package.json"));
    let manifests = members.filter_map(|path| serde_json::from_str::<Value>(files.get(path)?).ok());
    manifests.flat_map(|member| super::node_readiness::kept_install_scripts(&member, &[], &[])).collect()
}

/// What a workspace root's install reads besides its own manifest: pnpm's workspace list and
/// every member's package.json. Without them the install sees no members, and the build that
/// follows finds none of their tools (`vite: not found`). (`.npmrc` may hold a registry token:
/// the image's .dockerignore leaves it out.)
fn workspace_manifests(files: &AppFiles) -> Vec<String> {
    let members = super::workspace_folders::members(files);
    let settings = ["pnpm-workspace.yaml"].into_iter().filter(|f| files.has(f)).map(str::to_string);
    let manifests = members.iter().map(|member| format!("{member}/package.json")).filter(|path| files.has(path));
    // A root with hundreds of members is copied whole instead, which the install still reads.
    settings.chain(manifests.take(200)).collect()
}

/// The Yarn release a berry project pins with `yarnPath`: yarn runs it, so the install needs it.
fn yarn_release(files: &AppFiles, pm: PackageManager) -> Option<String> {
    if !matches!(pm, PackageManager::YarnBerry | PackageManager::YarnPnp) {
        return None;
    }
    let text = files.get(".yarnrc.yml")?;
    let path = text.lines().find_map(|l| l.trim().strip_prefix("yarnPath:"))?.trim().trim_matches(['"', '\'']);
    // Only a path inside the project can be copied into the image.
    let safe = !path.is_empty() && !path.starts_with('/') && !path.split('/').any(|part| part == "..");
    safe.then(|| path.trim_start_matches("./").to_string())
}

/// Yarn berry installs with Plug'n'Play unless `.yarnrc.yml` sets another `nodeLinker`.
fn plug_n_play(files: &AppFiles, manager: Fact<PackageManager>) -> Fact<PackageManager> {
    if manager.value != PackageManager::YarnBerry {
        return manager;
    }
    let linker = files.nearest(".yarnrc.yml").and_then(|(path, text)| {
        text.lines().enumerate().find_map(|(index, line)| {
            let value = line.trim().strip_prefix("nodeLinker:")?.trim().trim_matches(['"', '\'']);
            Some((value.to_string(), format!("{path}:{}", index + 1)))
        })
    });
    match linker {
        Some((linker, line)) if linker == "pnp" => fact(PackageManager::YarnPnp, format!("{line} nodeLinker")),
        Some(_) => manager,
        None => {
            fact(PackageManager::YarnPnp, format!("{}, and no nodeLinker in .yarnrc.yml: Plug'n'Play", manager.source))
        }
    }
}

/// Whether the SQLite connection named at `source` (`client: 'sqlite3'`) opens `:memory:`
/// within the few lines of its settings.
fn in_memory_near(files: &AppFiles, source: &str) -> bool {
    let Some((path, line)) = source.rsplit_once(':') else { return false };
    let (Some(text), Ok(line)) = (files.get(path), line.parse::<usize>()) else { return false };
    text.lines().skip(line.saturating_sub(1)).take(6).any(|l| l.contains("':memory:'") || l.contains("\":memory:\""))
}

/// A build that reaches the database builds the image without those steps, when it can.
fn without_database_steps(manifest: &Value, pm: PackageManager, facts: &mut SourceFacts) {
    let Some(judged) = super::node_build_database::judged(manifest, pm.command()) else { return };
    if let Some(build) = judged.image_build {
        facts.build = Some(fact(build, "package.json scripts.build, without its database steps"));
    }
    facts.findings.push(judged.finding);
}

/// Steps run one after the other, as the words of a Dockerfile `RUN` (shell form):
/// `npm run build && npm run scss`.
pub(super) fn chained_words(steps: &[String]) -> Vec<String> {
    let mut words = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        if index > 0 {
            words.push("&&".to_string());
        }
        words.extend(shell_words(step).unwrap_or_else(|| vec![step.clone()]));
    }
    words
}

/// The build, with the steps the start script ran before the server (`npm run scss`): the
/// image runs them once, after the build.
/// The start with its entry where the app really starts: the output tsc writes for the source
/// it names, or the bootstrap file that registers a compiler before loading it.
fn settled_entry(
    files: &AppFiles,
    manifest: &Value,
    start: Fact<Vec<String>>,
    findings: &mut Vec<Finding>,
) -> Fact<Vec<String>> {
    let moved = super::ts_output_layout::relocated(files, manifest, &start)
        .map(|m| (m, "with no rootDir, tsc writes the output under the common folder of every file it compiles"));
    let moved = moved.or_else(|| {
        super::adonis_build::relocated(files, manifest, &start)
            .map(|m| (m, "`ace build` writes the compiled app, with its own package.json, to build/"))
    });
    let moved = moved.or_else(|| {
        super::node_bootstrap::through_bootstrap(files, &start)
            .map(|m| (m, "it loads the entry through a compiler hook"))
    });
    let Some((moved, why)) = moved else { return start };
    findings.push(Finding::info(
        "start-entry",
        format!("`{}` ({}) becomes `{}`: {why}", start.value.join(" "), start.source, moved.value.join(" ")),
        moved.source.clone(),
    ));
    moved
}

fn with_build_steps(
    build: Option<Fact<Vec<String>>>,
    steps: &[String],
    pm: PackageManager,
    start_source: &str,
) -> Option<Fact<Vec<String>>> {
    let builds =
        [format!("{} run build", pm.command()), format!("{} build", pm.command()), "npm run build".to_string()];
    let extra: Vec<&String> = steps.iter().filter(|s| !builds.contains(&without_assignments(s))).collect();
    if extra.is_empty() {
        return build;
    }
    let mut chain: Vec<String> = build.as_ref().map(|b| vec![b.value.join(" ")]).unwrap_or_default();
    chain.extend(extra.iter().map(|s| s.to_string()));
    // Steps the repository's own image runs are said as its; the rest came from the script.
    let only_prestart = extra.iter().all(|s| s.ends_with(" run prestart"));
    let steps_source = match start_source.starts_with("package.json") {
        true if only_prestart => "package.json scripts.prestart",
        true => "package.json scripts.start",
        false => start_source,
    };
    let source = match &build {
        Some(b) => format!("{} and {steps_source}", b.source),
        None => steps_source.to_string(),
    };
    Some(fact(chained_words(&chain), source))
}

/// A step less the variables set before it (`cross-env NODE_ENV=production npm run build`):
/// with them, it is still the build the image runs.
fn without_assignments(step: &str) -> String {
    let mut words: Vec<&str> = step.split_whitespace().collect();
    if words.first() == Some(&"cross-env") {
        words.remove(0);
    }
    while words.first().is_some_and(|word| super::source::is_assignment(word)) {
        words.remove(0);
    }
    words.join(" ")
}

/// The build scripts that write what the start entry loads (`build:server`), after the rest.
fn with_entry_outputs(
    files: &AppFiles,
    manifest: &Value,
    build: Option<Fact<Vec<String>>>,
    started: &super::node_start::NodeStart,
    pm: PackageManager,
) -> Option<Fact<Vec<String>>> {
    let Some(entry) = super::node_dev_runtime::entry_file(files, manifest, &started.command.value) else {
        return build;
    };
    let mut outputs = super::node_build_outputs::steps_for_entry(files, manifest, &entry, pm.command());
    outputs.retain(|step| !started.build_steps.contains(step));
    let why = format!("{entry} loads what `{}` builds", outputs.join(" && "));
    with_build_steps(build, &outputs, pm, &why)
}

fn framework(manifest: &Value) -> Option<Fact<Framework>> {
    FRAMEWORKS.iter().find_map(|(package, framework)| {
        manifest
            .pointer(&format!("/dependencies/{}", package.replace('/', "~1")))
            .map(|_| fact(*framework, format!("package.json dependencies.{package}")))
    })
}

/// The port, surest reading first: the setting a `listen` call names is surer than a guess
/// among the variables named *PORT.
fn port_of(files: &AppFiles, variables: &[crate::analyze::variables::VariableRead]) -> Option<Fact<u16>> {
    port_in_code(files)
        .or_else(|| super::node_listen_setting::port(files, &EXTENSIONS))
        .or_else(|| crate::analyze::variables::listen_port_of_reads(variables).map(|(port, at)| fact(port, at)))
        .or_else(|| crate::analyze::variables::node_config_port(files, &EXTENSIONS).map(|(port, at)| fact(port, at)))
        .or_else(|| super::node_json_config_port::port(files, &EXTENSIONS))
        .or_else(|| port_in_defaults(files))
}

/// The port and the health path, read from the program the start runs: a workspace program
/// the start runs says its port before a sibling program does (an API-docs server beside it
/// listening on its own constant). Without one, programs beside it with a start of their own
/// (a `browser/` service with its package.json) are left out: their port and health route are
/// theirs.
fn port_and_health(files: &AppFiles, facts: &mut SourceFacts) {
    let started = facts.start.as_ref().map(|s| s.value.clone()).unwrap_or_default();
    let member = started_member(files, &started);
    let siblings = if member.is_none() { sibling_programs(files, &started) } else { Vec::new() };
    let own = (!siblings.is_empty()).then(|| files.excluding(&siblings));
    facts.port = member
        .and_then(|member| {
            let inside =
                |read: &&crate::analyze::variables::VariableRead| read.source.starts_with(&format!("{member}/"));
            let reads: Vec<_> = facts.variables.iter().filter(inside).cloned().collect();
            port_of(&files.only_under(&member), &reads)
        })
        .or_else(|| {
            let own = own.as_ref()?;
            let outside = |read: &&crate::analyze::variables::VariableRead| {
                !siblings.iter().any(|folder| read.source.starts_with(&format!("{folder}/")))
            };
            port_of(own, &facts.variables.iter().filter(outside).cloned().collect::<Vec<_>>())
        })
        .or_else(|| port_of(files, &facts.variables));
    facts.health_path = own_health_path(files, own.as_ref(), &mut facts.findings);
}

/// The health route of the app without the programs beside it, when it has one of its own;
/// else the whole folder's (a workspace whose start names no member's file).
fn own_health_path(files: &AppFiles, own: Option<&AppFiles>, findings: &mut Vec<Finding>) -> Option<Fact<String>> {
    if let Some(own) = own {
        // Its own open page says more than a sibling service's health route would.
        let mut said = Vec::new();
        if let Some(path) = crate::analyze::health::health_path(own, &EXTENSIONS, &mut said) {
            findings.extend(said);
            return Some(path);
        }
    }
    crate::analyze::health::health_path(files, &EXTENSIONS, findings)
}

/// Folders below the root with a package.json that starts a program of its own, none of
/// whose files the start runs: other services shipped beside the app.
fn sibling_programs(files: &AppFiles, start: &[String]) -> Vec<String> {
    files
        .files
        .iter()
        .filter_map(|(path, text)| {
            let folder = path.strip_suffix("/package.json")?;
            let manifest: Value = serde_json::from_str(text).ok()?;
            let program = manifest.pointer("/scripts/start").is_some() && !folder.contains("node_modules");
            let runs_it = start.iter().any(|word| word.trim_start_matches("./").starts_with(&format!("{folder}/")));
            (program && !runs_it).then(|| folder.to_string())
        })
        .collect()
}

/// The workspace member whose file the start runs (`node packages/server/bin/run start` →
/// `packages/server`): the nearest folder above the file with a package.json of its own.
fn started_member(files: &AppFiles, start: &[String]) -> Option<String> {
    let file = start.iter().skip(1).find(|word| word.contains('/') && files.has(word.trim_start_matches("./")))?;
    let mut folder = file.trim_start_matches("./");
    while let Some((parent, _)) = folder.rsplit_once('/') {
        if files.has(&format!("{parent}/package.json")) {
            return Some(parent.to_string());
        }
        folder = parent;
    }
    None
}

/// `listen(process.env.PORT || 8080)`, `?? 8080`, or `.listen(8080`, in the app's own files
/// (a probe or seed script may read `PORT` too).
/// A port set inside a branch the environment switches on (`if (process.env.HEROKU)`) is that
/// platform's, not the app's.
fn port_in_code(files: &AppFiles) -> Option<Fact<u16>> {
    super::source::app_code_lines(files, &EXTENSIONS).find_map(|(at, line)| {
        // A listen call switched off in a comment is not the app's.
        if ["//", "/*", "*"].iter().any(|opener| line.trim_start().starts_with(opener)) {
            return None;
        }
        ["process.env.PORT ||", "process.env.PORT ??", ".listen("]
            .iter()
            .find_map(|marker| port_after(line, marker))
            .or_else(|| listened_constant(files, &at, line))
            .or_else(|| listened_options_port(line))
            .or_else(|| parsed_port_fallback(line))
            .filter(|_| !in_environment_branch(files, &at) && !on_a_raw_socket(files, &at))
            .map(|port| fact(port, at))
    })
}

/// `parseInt(process.env.PORT || '', 10) || 3000`: the number the parsed setting falls back to,
/// last on the line.
fn parsed_port_fallback(line: &str) -> Option<u16> {
    let (_, after) = line.split_once("process.env.PORT")?;
    if after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let (_, last) = after.rsplit_once("||").or_else(|| after.rsplit_once("??"))?;
    let number = last.trim().trim_end_matches(';').trim_end_matches(')').trim();
    number.parse::<u16>().ok().filter(|port| *port != 0)
}

/// `app.listen({ port: 3333, host: '0.0.0.0' })` (Fastify's options object): its number.
fn listened_options_port(line: &str) -> Option<u16> {
    let (_, arguments) = line.split_once(".listen(")?;
    let options = arguments.trim_start().strip_prefix('{')?;
    let (_, value) = options.split_once("port:")?;
    let digits: String = value.trim_start().chars().take_while(char::is_ascii_digit).collect();
    let rest = value.trim_start()[digits.len()..].trim_start();
    // `port: 3333` alone, not `port: Number(env.PORT) || 3333`'s start or a computed value.
    (rest.starts_with([',', '}'])).then(|| digits.parse::<u16>().ok()).flatten().filter(|p| *p != 0)
}

/// `app.listen(PORT)` with `const PORT = 8000` in the same file: the constant's number.
fn listened_constant(files: &AppFiles, at: &str, line: &str) -> Option<u16> {
    let (_, arguments) = line.split_once(".listen(")?;
    let name: String = arguments.trim_start().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let after = arguments.trim_start()[name.len()..].trim_start();
    if name.is_empty() || name.chars().next().is_some_and(|c| c.is_ascii_digit()) || !after.starts_with([')', ',']) {
        return None;
    }
    let text = files.get(at.rsplit_once(':')?.0)?;
    text.lines().find_map(|declaration| {
        let declaration = declaration.trim_start().trim_start_matches("export ");
        let rest = ["const ", "let ", "var "].iter().find_map(|k| declaration.strip_prefix(k))?;
        let (target, value) = rest.split_once('=')?;
        let target = target.split(':').next().unwrap_or_default().trim();
        if target != name {
            return None;
        }
        let digits: String = value.trim_start().chars().take_while(char::is_ascii_digit).collect();
        let rest = value.trim_start()[digits.len()..].trim_start();
        (rest.is_empty() || rest.starts_with(';')).then(|| digits.parse::<u16>().ok()).flatten().filter(|p| *p != 0)
    })
}

/// A `.listen(` of a raw TCP server or a REPL socket, not the HTTP server.
fn on_a_raw_socket(files: &AppFiles, at: &str) -> bool {
    let path = at.rsplit_once(':').map_or(at, |(path, _)| path);
    files.get(path).is_some_and(super::node_json_config_port::raw_socket_listener)
}

fn in_environment_branch(files: &AppFiles, at: &str) -> bool {
    let Some((path, number)) = at.rsplit_once(':') else { return false };
    let (Some(text), Ok(number)) = (files.get(path), number.parse::<usize>()) else { return false };
    let lines: Vec<&str> = text.lines().collect();
    number >= 1 && number <= lines.len() && super::variables::in_feature_branch(&lines, number - 1)
}

/// A defaults file the server reads its settings from (`defaults/config.js`: `port: 9000,`),
/// or an app's `*_PORT` in a table of defaults (`const defaultEnvValues = { APP_PORT: 22300 }`),
/// outside the blocks of the services it talks to (`smtp: { port: 465 }`).
fn port_in_defaults(files: &AppFiles) -> Option<Fact<u16>> {
    use super::node_listen_setting::OTHER_SERVICES;
    let runtime_files = files
        .with_extensions(&EXTENSIONS)
        .filter(|(path, _)| super::variables::scope_of(path) == crate::model::VariableScope::Runtime);
    for (path, text) in runtime_files {
        let lower = path.to_ascii_lowercase();
        let settings_file = lower.contains("config") || lower.contains("default") || lower.contains("settings");
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let key = line.trim_start();
            let Some((name, _)) = key.split_once(':') else { continue };
            let name = name.trim().trim_matches(['"', '\'']);
            let plain = name == "port" || name == "PORT";
            // `APP_PORT: 22300` in a table of defaults (`const defaultEnvValues = {`).
            let named = name.len() > 4 && (name.ends_with("_PORT") || name.ends_with("Port"));
            if !(plain || named) {
                continue;
            }
            let Some(port) = port_after(key, ":") else { continue };
            let block = lines[..index]
                .iter()
                .rev()
                .take(12)
                .find(|l| l.trim_end().ends_with('{'))
                .map(|l| l.to_ascii_lowercase());
            let in_defaults = block.as_deref().is_some_and(|b| b.contains("default"));
            let elsewhere = |text: &str| OTHER_SERVICES.iter().any(|s| text.contains(s));
            if block.as_deref().is_some_and(elsewhere) || elsewhere(&name.to_ascii_lowercase()) {
                continue;
            }
            if (plain && settings_file) || (named && in_defaults) {
                return Some(fact(port, format!("{path}:{}", index + 1)));
            }
        }
    }
    None
}

/// What works on an instance and breaks in a container.
fn readiness(files: &AppFiles, manifest: &Value, findings: &mut Vec<Finding>) {
    host_bound_code(files, &EXTENSIONS, findings);
    super::node_readiness::findings(files, manifest, findings);
    findings.extend(super::node_listen_property::findings(files, &EXTENSIONS));
    findings.extend(super::next_build_imports::findings(files, manifest));
    findings.extend(super::next_shared_cache::finding(files, manifest));
    findings.extend(super::variables::auth_js_findings(files));
    let depends_on = |name: &str| manifest.pointer(&format!("/dependencies/{name}")).is_some();
    // `sqlite3`, `better-sqlite3`, a fork such as `@louislam/sqlite3`.
    let dependencies = manifest.get("dependencies").and_then(Value::as_object);
    let sqlite_dependency = dependencies.into_iter().flat_map(|d| d.keys()).find(|name| {
        let bare = name.rsplit('/').next().unwrap_or(name);
        bare.contains("sqlite") && !bare.contains("types")
    });
    // Prisma names its SQLite driver nowhere in package.json, only in its schema.
    // The driver is used where the code imports it or names it (an ORM's `dialect: 'sqlite'`);
    // a driver the code never names (left over, or for tests) keeps no data.
    let sqlite = sqlite_dependency
        .and_then(|sqlite| {
            super::node_package_use::imported_at(files, sqlite)
                .or_else(|| super::node_package_use::named_at(files, "sqlite"))
        })
        .or_else(|| super::variables::prisma_sqlite_datasource(files));
    if let Some(source) = sqlite {
        findings.push(if in_memory_near(files, &source) {
            readiness::sqlite_in_memory(source)
        } else {
            readiness::sqlite(source)
        });
    }
    // File databases that live beside the app, like SQLite.
    let stores = [
        ("nedb", "NeDB"),
        ("@seald-io/nedb", "NeDB"),
        ("lowdb", "lowdb"),
        ("lokijs", "LokiJS"),
        ("level", "LevelDB"),
        ("classic-level", "LevelDB"),
    ];
    for (package, store) in stores {
        if let Some(at) = depends_on(package).then(|| super::node_package_use::imported_at(files, package)).flatten() {
            findings.push(readiness::embedded_store(store, at));
        }
    }
    for (path, text) in files.with_extensions(&EXTENSIONS) {
        for (index, line) in text.lines().enumerate() {
            // `multer({ dest })`, or `multer.diskStorage({ destination })`: both on local disk.
            let disk = line.contains("dest:") || line.contains("diskStorage(");
            if disk && text.contains("multer") {
                findings.push(readiness::uploads(format!("{path}:{}", index + 1)));
            }
        }
    }
    for file in ["ecosystem.config.js", "ecosystem.config.cjs"] {
        if files.get(file).is_some_and(|t| t.contains("cluster")) {
            findings.push(
                Finding::warning("pm2-cluster", "pm2 runs it in cluster mode: a task runs one process", file)
                    .with_fix("scale with tasks instead"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_typical_express_app() {
        let files = AppFiles::from_pairs([
            (
                "package.json",
                r#"{"engines":{"node":"20.x"},"scripts":{"start":"node src/server.js"},"dependencies":{"express":"^4"}}"#,
            ),
            ("package-lock.json", "{}"),
            (
                "src/server.js",
                "const db = process.env.DATABASE_URL;\napp.listen(process.env.PORT || 8080);\nfetch('http://10.0.3.7:9000/x')\n",
            ),
        ]);
        let facts = analyze(&files).unwrap();
        assert_eq!(facts.version, Some(fact("20".to_string(), "package.json engines.node")));
        assert_eq!(facts.package_manager.value, PackageManager::Npm);
        assert_eq!(facts.start.unwrap().value, ["node", "src/server.js"]);
        assert_eq!(facts.port, Some(fact(8080, "src/server.js:2")));
        let env: Vec<_> = facts.variables.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(env, ["DATABASE_URL", "PORT"]);
        assert_eq!(facts.framework.unwrap().value.name, "Express");
        assert!(facts.findings.iter().any(|f| f.message.contains("10.0.3.7") && f.source == "src/server.js:3"));
    }

    #[test]
    fn an_sqlite_database_in_memory_is_no_file() {
        let sqlite = |filename: &str| {
            let knexfile = format!(
                "module.exports = {{\n  development: {{\n    client: 'sqlite3',\n    connection: {{ filename: {filename} }},\n  }},\n}};\n"
            );
            let files = AppFiles::from_pairs([
                (
                    "package.json",
                    r#"{"scripts":{"start":"node index.js"},"dependencies":{"sqlite3":"^5","knex":"^3"}}"#,
                ),
                ("knexfile.js", knexfile.as_str()),
                ("index.js", "const knex = require('knex')(require('./knexfile').development);\n"),
            ]);
            let found = analyze(&files).unwrap().findings.into_iter().find(|f| f.kind == "sqlite").unwrap();
            (found.source, found.message)
        };
        let (source, message) = sqlite("':memory:'");
        assert_eq!(source, "knexfile.js:3");
        assert!(message.contains("in-memory SQLite database") && !message.contains("file"), "{message}");
        assert!(sqlite("'./dev.sqlite3'").1.contains("SQLite file on local disk"));
    }

    #[test]
    fn package_managers_from_field_and_lockfiles() {
        let pm = |pairs: &[(&str, &str)]| {
            analyze(&AppFiles::from_pairs(pairs.iter().copied())).unwrap().package_manager.value
        };
        assert_eq!(pm(&[("package.json", r#"{"packageManager":"pnpm@9.1.0"}"#)]), PackageManager::Pnpm);
        // Yarn berry is Plug'n'Play unless .yarnrc.yml picks node_modules.
        assert_eq!(pm(&[("package.json", r#"{"packageManager":"yarn@4.1.0"}"#)]), PackageManager::YarnPnp);
        assert_eq!(
            pm(&[
                ("package.json", r#"{"packageManager":"yarn@4.1.0"}"#),
                (".yarnrc.yml", "nodeLinker: node-modules\n")
            ]),
            PackageManager::YarnBerry
        );
        assert_eq!(pm(&[("package.json", "{}"), ("yarn.lock", "# yarn lockfile v1\n")]), PackageManager::Yarn);
        assert_eq!(
            pm(&[("package.json", "{}"), ("yarn.lock", "__metadata:\n  version: 8\n")]),
            PackageManager::YarnPnp
        );
        assert_eq!(pm(&[("package.json", "{}"), ("bun.lockb", "")]), PackageManager::Bun);
    }

    #[test]
    fn a_port_written_in_fastifys_listen_options() {
        assert_eq!(listened_options_port("app.listen({ port: 3333, host: '0.0.0.0' }).then(() => {"), Some(3333));
        assert_eq!(listened_options_port("await app.listen({ host: '0.0.0.0', port: 8080 })"), Some(8080));
        assert_eq!(listened_options_port("app.listen({ port: env.PORT, host })"), None);
        assert_eq!(listened_options_port("app.listen({ port: 3000 + offset })"), None);
    }

    #[test]
    fn a_parsed_port_setting_falls_back_to_its_last_number() {
        assert_eq!(parsed_port_fallback("const port = parseInt(process.env.PORT || '', 10) || 3000"), Some(3000));
        assert_eq!(parsed_port_fallback("const port = Number(process.env.PORT ?? 8080);"), Some(8080));
        assert_eq!(parsed_port_fallback("const p = parseInt(process.env.PORT_ADMIN || '', 10) || 9000"), None);
        assert_eq!(parsed_port_fallback("const p = process.env.PORT || config.port"), None);
    }

    #[test]
    fn the_started_workspace_program_says_the_port_before_a_sibling() {
        let server = "export async function start() {\n    const port = parseInt(process.env.PORT || '', 10) || 3000\n    server.listen(port, host)\n}\n";
        let docs = "const app = express()\nconst port = 6655\napp.listen(port, () => {})\n";
        let files = AppFiles::from_pairs([
            ("package.json", r#"{"scripts": {"start": "cd packages/server/bin && ./run start"}}"#),
            ("packages/api-documentation/package.json", "{}"),
            ("packages/api-documentation/src/index.ts", docs),
            ("packages/server/package.json", "{}"),
            ("packages/server/bin/run", "#!/usr/bin/env node\nrequire('@oclif/core').run()\n"),
            ("packages/server/src/index.ts", server),
        ]);
        let facts = analyze(&files).unwrap();
        assert_eq!(facts.start.unwrap().value.join(" "), "node packages/server/bin/run start");
        assert_eq!(facts.port, Some(fact(3000, "packages/server/src/index.ts:2")));
    }

    #[test]
    fn a_program_beside_the_app_keeps_its_port_and_health_route() {
        let files = AppFiles::from_pairs([
            (
                "package.json",
                r#"{"scripts": {"start": "node server/dist/server.js"}, "dependencies": {"express": "4"}}"#,
            ),
            (
                "server/src/server.ts",
                "const app = express()\napp.get('/api/health', ok)\napp.listen(process.env.PORT || 8080)\n",
            ),
            ("browser/package.json", r#"{"scripts": {"start": "node dist/server.js"}}"#),
            (
                "browser/server.ts",
                "const port = 3001\nhttp.createServer((req, res) => { if (req.url === '/health') ok() }).listen(port)\napp.get('/health', ok)\n",
            ),
        ]);
        let facts = analyze(&files).unwrap();
        assert_eq!(facts.port, Some(fact(8080, "server/src/server.ts:3")));
        assert_eq!(facts.health_path.map(|h| h.value).as_deref(), Some("/api/health"));
    }

    #[test]
    fn a_workspace_root_installs_with_every_members_manifest() {
        let files = AppFiles::from_pairs([
            ("package.json", r#"{"name": "flow", "scripts": {"build": "turbo run build"}}"#),
            ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"),
            ("pnpm-workspace.yaml", "packages:\n    - 'packages/*'\n"),
            ("packages/server/package.json", "{}"),
            ("packages/ui/package.json", "{}"),
            ("packages/ui/src/main.tsx", ""),
            ("docs/package.json", "{}"),
        ]);
        let installed = install_files(&files, PackageManager::Pnpm);
        assert!(member_install_scripts(&files, &installed).is_empty());
        let hooked =
            AppFiles::from_pairs([("packages/ui/package.json", r#"{"scripts": {"postinstall": "node setup.js"}}"#)]);
        assert_eq!(member_install_scripts(&hooked, &["packages/ui/package.json".to_string()]), ["node setup.js"]);
        assert_eq!(
            installed,
            [
                "package.json",
                "pnpm-lock.yaml",
                "pnpm-workspace.yaml",
                "packages/server/package.json",
                "packages/ui/package.json"
            ]
        );
    }

    #[test]
    fn a_port_in_a_table_of_defaults() {
        let env = "const defaultEnvValues: EnvVariables = {\n\tAPP_NAME: 'Server',\n\tAPP_PORT: 22300,\n\tPOSTGRES_PORT: 5432,\n};\n";
        let files = AppFiles::from_pairs([("src/env.ts", env)]);
        assert_eq!(port_in_defaults(&files), Some(fact(22300, "src/env.ts:3")));
        let mapping = "const STATUS = {\n  APP_PORT: 8080,\n};\n";
        assert_eq!(port_in_defaults(&AppFiles::from_pairs([("src/status.ts", mapping)])), None);
    }

    #[test]
    fn versions_from_nvmrc_codenames_and_volta() {
        let v = |pairs: &[(&str, &str)]| {
            analyze(&AppFiles::from_pairs(pairs.iter().copied())).unwrap().version.map(|f| f.value)
        };
        assert_eq!(v(&[("package.json", "{}"), (".nvmrc", "lts/iron\n")]).as_deref(), Some("20"));
        assert_eq!(v(&[("package.json", "{}"), (".node-version", "v22.3.0")]).as_deref(), Some("22"));
        assert_eq!(v(&[("package.json", r#"{"volta":{"node":"18.19.0"}}"#)]).as_deref(), Some("18"));
        assert_eq!(v(&[("package.json", "{}")]), None);
    }
}
