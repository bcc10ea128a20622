//! The command that runs a Node.js app in production, from its `start` script as a platform
//! engineer would read it: build steps go to the image, script aliases are followed, dev
//! servers (nodemon, `nest start`, `next dev`) give way to what they serve, and pm2 gives way
//! to node, since ECS restarts a failed task.

use serde_json::Value;

use super::app_files::AppFiles;
use super::source::{Fact, command_words, fact, shell_words};
use super::start_chain;
use crate::model::{Finding, PackageManager};

/// The start command and the steps it ran first that belong in the image build.
pub struct NodeStart {
    pub command: Fact<Vec<String>>,
    pub build_steps: Vec<String>,
}

/// Command-line tools of frameworks, run from the app's own `node_modules/.bin` by `npx`.
const KNOWN_BINS: [&str; 8] =
    ["next", "nest", "fastify", "nuxt", "remix-serve", "react-router-serve", "astro", "ts-node"];

/// nodemon options that take no value.
const NODEMON_FLAGS: [&str; 6] = ["--inspect", "-L", "--legacy-watch", "-q", "--quiet", "-V"];
/// nodemon options whose value only says what to watch or how: the script stays what runs.
/// Any other option (`--exec ts-node`) changes what runs.
const NODEMON_WATCH_OPTIONS: [&str; 10] =
    ["-e", "--ext", "-w", "--watch", "-i", "--ignore", "-d", "--delay", "--signal", "--config"];

fn depends_on(manifest: &Value, name: &str) -> bool {
    ["dependencies", "devDependencies"].iter().any(|table| manifest.get(table).and_then(|t| t.get(name)).is_some())
}

/// How deep script aliases are followed (`start` → `start:prod` → `node dist/main`).
const MAX_ALIASES: usize = 4;

pub fn start(files: &AppFiles, manifest: &Value, pm: PackageManager, findings: &mut Vec<Finding>) -> Option<NodeStart> {
    let scripts = manifest.get("scripts");
    let script = |name: &str| scripts.and_then(|s| s.get(name)).and_then(Value::as_str);
    let has_bin = |name: &str| depends_on(manifest, name) || KNOWN_BINS.contains(&name);
    if let Some(start) = script("start") {
        // `start` runs a watcher and `start:prod` the server: production's is the image's.
        if is_development_start(start, files)
            && let Some(production) = production_start(files, &script, &has_bin, pm, findings)
        {
            return Some(production);
        }
        let mut build_steps = Vec::new();
        let source = "package.json scripts.start".to_string();
        // What taking the script apart found counts only when it comes apart whole.
        let mut said = Vec::new();
        if let Some(command) = resolve(start, &script, &has_bin, files, &source, &mut build_steps, &mut said, 0) {
            findings.extend(said);
            build_steps.extend(pre_start(&script, pm, findings));
            // `nest start` is a development command: the production one is `start:prod`'s.
            let source = match script("start:prod") {
                Some(_) if start.trim_start().starts_with("nest start") => {
                    "package.json scripts.start:prod".to_string()
                }
                _ => source,
            };
            return Some(NodeStart { command: fact(command, source), build_steps });
        }
        // A start script that cannot be taken apart: the Procfile's web command says what
        // runs in production, if there is one; otherwise the script runs whole.
        if let Some(web) = procfile_web(files) {
            return Some(web);
        }
        // A production script that comes apart says more than a start that does not.
        if let Some(production) = production_start(files, &script, &has_bin, pm, findings) {
            return Some(production);
        }
        let command = vec![pm.command().to_string(), "run".into(), "start".into()];
        return Some(NodeStart { command: fact(command, source), build_steps: Vec::new() });
    }
    let built = script("build").is_some();
    if let Some(main) = manifest.get("main").and_then(Value::as_str) {
        let main = main.trim_start_matches("./");
        // A `main` nothing provides is stale: neither in the folder nor written by a build.
        let provided = files.has(main) || files.has(&format!("{main}.js")) || (built && !main.starts_with("src/"));
        // `main: app.js` that a bundler writes elsewhere (`outfile: './dist/app.js'`).
        if !files.has(main)
            && built
            && let Some((written, at)) = bundled_as(files, main)
        {
            let source = format!("package.json main, which the build writes as {written} ({at})");
            return Some(NodeStart { command: fact(vec!["node".into(), written], source), build_steps: Vec::new() });
        }
        if provided {
            return Some(NodeStart {
                command: fact(vec!["node".into(), main.to_string()], "package.json main"),
                build_steps: Vec::new(),
            });
        }
    }
    procfile_web(files).or_else(|| super::node_vite_server::start(files, manifest))
}

/// The scripts maintainers name for the production server beside a development `start`.
const PRODUCTION_SCRIPTS: [&str; 5] = ["start:prod", "start:production", "prod", "production", "serve:prod"];

/// Whether the `start` script is for development: a development server or runner, a watch
/// mode, `NODE_ENV=development`, or a script file named for watching (`sandbox/watch.sh`).
fn is_development_start(start: &str, files: &AppFiles) -> bool {
    let words: Vec<&str> = start.split_whitespace().collect();
    let watcher_file = words.first().is_some_and(|program| {
        let name = program.rsplit('/').next().unwrap_or(program);
        name.contains("watch") && files.has(program.trim_start_matches("./"))
    });
    is_dev_server(start)
        || is_dev_runner(start)
        || watcher_file
        || words.iter().any(|w| *w == "--watch" || *w == "-w" || *w == "NODE_ENV=development")
        || start.contains("nest start")
}

/// The production script beside a development `start`, taken apart when it can be, else run
/// whole by the package manager; with an info finding that says why it is not `start`.
fn production_start<'a>(
    files: &AppFiles,
    script: &impl Fn(&str) -> Option<&'a str>,
    has_bin: &impl Fn(&str) -> bool,
    pm: PackageManager,
    findings: &mut Vec<Finding>,
) -> Option<NodeStart> {
    // `"prod": "webpack --mode production"` builds: only a script that serves is a start.
    let serves = |line: &str| {
        let builds = ["build", "webpack", "tsc", "rollup", "esbuild", "parcel", "gulp", "grunt"];
        !line.split_whitespace().any(|word| builds.iter().any(|tool| word.contains(tool)))
            || ["node ", "start", "serve"].iter().any(|run| line.contains(run))
    };
    let name = PRODUCTION_SCRIPTS.iter().find(|name| script(name).is_some_and(serves))?;
    let line = script(name)?;
    let source = format!("package.json scripts.{name}");
    let mut build_steps = Vec::new();
    let mut said = Vec::new();
    let command = match resolve(line, script, has_bin, files, &source, &mut build_steps, &mut said, 0) {
        Some(command) => {
            findings.extend(said);
            command
        }
        None => {
            build_steps.clear();
            vec![pm.command().to_string(), "run".into(), (*name).to_string()]
        }
    };
    findings.push(Finding::info(
        "dev-server",
        format!("the start script is for development: the container runs the production script, {name}"),
        "package.json scripts.start",
    ));
    Some(NodeStart { command: fact(command, source), build_steps })
}

/// Where a build script's bundler writes a file named like `main`: esbuild's
/// `outfile: './dist/app.js'` in the repository's own build code, with its `path:line`.
fn bundled_as(files: &AppFiles, main: &str) -> Option<(String, String)> {
    let name = main.rsplit('/').next().unwrap_or(main);
    let mut code: Vec<(&str, &str)> = files
        .with_extensions(&["js", "mjs", "cjs", "ts"])
        .filter(|(path, _)| !path.contains("node_modules/"))
        .collect();
    code.sort();
    code.into_iter().find_map(|(path, text)| {
        text.lines().enumerate().find_map(|(index, line)| {
            let value = line.trim().strip_prefix("outfile")?.trim_start().strip_prefix(':')?.trim();
            let written = value.trim_end_matches(',').trim_matches(['"', '\'', '`']).trim_start_matches("./");
            let same = written.rsplit('/').next() == Some(name) && written != main && !written.contains(['$', '{']);
            same.then(|| (written.to_string(), format!("{path}:{}", index + 1)))
        })
    })
}

/// The `prestart` script npm and Yarn 1 run before `start`: with the server run directly it
/// no longer runs by itself. One that prepares files (a config copied from its template) runs
/// in the image build, by name; one that migrates leaves the start, like a chain's migration.
fn pre_start<'a>(
    script: &impl Fn(&str) -> Option<&'a str>,
    pm: PackageManager,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let line = script("prestart")?;
    // pnpm, Yarn 2+ and Bun do not run `pre` scripts.
    if !matches!(pm, PackageManager::Npm | PackageManager::Yarn) {
        return None;
    }
    let source = "package.json scripts.prestart";
    if start_chain::step_kind(line) == start_chain::Step::Migration {
        findings.push(
            Finding::warning(
                "migrations-at-start",
                format!("npm runs `prestart` (`{line}`) before every start: several tasks starting together would race on it, so the container command leaves it out"),
                source,
            )
            .with_fix(format!("run `{line}` once per release, as a one-off task before the service update")),
        );
        return None;
    }
    // `npm run build` with no `build` script fails wherever it runs: the image leaves it out.
    if let Some(missing) = missing_script(line, script) {
        findings.push(Finding::info(
            "build-at-start",
            format!("npm runs `prestart` (`{line}`) before the server, but package.json has no `{missing}` script: it would fail, so the image runs the server without it"),
            source,
        ));
        return None;
    }
    // A chain that ends by opening a browser fails in the build: it stays out of the image.
    if let Some((command, at)) = super::script_openers::opener("prestart", script) {
        findings.push(Finding::info(
            "build-at-start",
            format!("npm runs `prestart` (`{line}`) before the server, and the scripts it runs open a browser (`{command}`, {at}), which fails in an image build: ferry runs neither, so what it writes is not in the image"),
            source,
        ));
        return None;
    }
    findings.push(Finding::info(
        "build-at-start",
        format!("npm runs `prestart` (`{line}`) before the server: the image build runs it once instead"),
        source,
    ));
    Some(format!("{} run prestart", pm.command()))
}

/// Development servers: a `start` script that runs one serves nothing in production.
const DEV_SERVERS: [&str; 17] = [
    "webpack-dev-server",
    "node-dev",
    "webpack serve",
    "vite",
    "nodemon",
    "ts-node-dev",
    "next dev",
    "nuxt dev",
    "astro dev",
    "remix dev",
    "react-scripts start",
    "vue-cli-service serve",
    "ng serve",
    "parcel",
    "tsx watch",
    "--watch",
    "nx serve",
];

/// The repository's own image over a `start` that says less: one that runs a development
/// server, the `main` guess, or a file that is not there. Its `npm run X` is followed to the
/// script. `started` stays when the image says nothing, or when the script is a real server.
pub fn prefer_image(
    files: &AppFiles,
    manifest: &Value,
    started: Option<NodeStart>,
    findings: &mut Vec<Finding>,
) -> Option<NodeStart> {
    let weak = started.as_ref().is_none_or(|s| weak_start(files, manifest, &s.command));
    if !weak {
        return started;
    }
    let Some(declared) = super::container_start::declared_start_of(files, "node") else {
        // A development runner with no image of the repository's: the Procfile's web command
        // is how the maintainers run it in production.
        return procfile_web(files).or(started);
    };
    let scripts = manifest.get("scripts");
    let script = |name: &str| scripts.and_then(|s| s.get(name)).and_then(Value::as_str);
    let has_bin = |name: &str| depends_on(manifest, name) || KNOWN_BINS.contains(&name);
    let mut said = Vec::new();
    let mut build_steps = image_build_scripts(files, &declared.source, &script);
    let line = declared.value.join(" ");
    let named_script = matches!(declared.value.first().map(String::as_str), Some("npm" | "yarn" | "pnpm" | "bun"));
    let command = named_script
        .then(|| resolve(&line, &script, &has_bin, files, &declared.source, &mut build_steps, &mut said, 0))
        .flatten()
        .filter(|command| !runs_a_missing_file(files, manifest, command))
        .unwrap_or_else(|| declared.value.clone());
    // What the script said about a development server no longer applies.
    findings.retain(|f| !(f.kind == "dev-server" && f.source.starts_with("package.json")));
    findings.extend(said);
    let start = fact(command, declared.source.clone());
    findings.push(super::container_start::said(&start));
    findings.extend(super::entrypoint_script::migrations(files, &start));
    Some(NodeStart { command: start, build_steps })
}

/// A start that is only a guess or a development server: `main` (often the client's entry), a
/// script that runs a development server, or `node` on a file nothing provides.
fn weak_start(files: &AppFiles, manifest: &Value, start: &Fact<Vec<String>>) -> bool {
    if start.source == "package.json main"
        || runs_a_missing_file(files, manifest, &start.value)
        || super::node_cli_start::runs_package_cli(files, manifest, &start.value)
    {
        return true;
    }
    let scripts = manifest.get("scripts");
    let script = |name: &str| scripts.and_then(|s| s.get(name)).and_then(Value::as_str);
    // The start script and every script it runs by name.
    let mut pending = vec!["start".to_string()];
    let mut seen = Vec::new();
    while let Some(name) = pending.pop() {
        if seen.contains(&name) || seen.len() > MAX_ALIASES {
            continue;
        }
        let Some(text) = script(&name) else { continue };
        seen.push(name);
        if is_dev_server(text) || is_dev_runner(text) || daemonizes(text) {
            return true;
        }
        let words: Vec<&str> = text.split(|c: char| c.is_whitespace() || c == '&' || c == ';').collect();
        for pair in words.windows(3) {
            if matches!(pair[0], "npm" | "yarn" | "pnpm" | "bun") && matches!(pair[1], "run" | "run-script") {
                pending.push(pair[2].to_string());
            }
        }
    }
    false
}

/// Whether a script line starts the server in the background and returns
/// (`./bin/appctl start`, `egg-scripts start --daemon`, `nohup node app.js &`): a container's
/// command that returns ends the container.
fn daemonizes(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let controller = words.windows(2).any(|pair| {
        let program = pair[0].rsplit('/').next().unwrap_or(pair[0]);
        (program.ends_with("ctl") || program == "forever") && pair[1] == "start"
    });
    controller || words.iter().any(|w| matches!(*w, "--daemon" | "nohup" | "&"))
}

/// Whether a script line runs a development server (`webpack-dev-server`, `vite`, `next dev`).
fn is_dev_server(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let joined = words.join(" ");
    DEV_SERVERS.iter().any(|server| {
        let found = joined.match_indices(server).any(|(at, _)| {
            let before = joined[..at].chars().last();
            let after = joined[at + server.len()..].chars().next();
            before.is_none_or(|c| c == ' ' || c == '/') && after.is_none_or(|c| c == ' ')
        });
        // `vite build` and `vite preview` are not the development server.
        found && !(*server == "vite" && (joined.contains("vite build") || joined.contains("vite preview")))
    })
}

/// Task runners and process multiplexers a `start` script runs in development: `concurrently`
/// of a server and a watcher, `gulp` or `grunt` with their default task or a watch task. A
/// container runs one server, built once.
fn is_dev_runner(line: &str) -> bool {
    let Some(steps) = start_chain::steps(line).or_else(|| Some(vec![line.trim().to_string()])) else { return false };
    steps.iter().any(|step| {
        let words: Vec<&str> = step.split_whitespace().filter(|w| !w.starts_with('-')).collect();
        let program = words.first().map(|w| w.rsplit('/').next().unwrap_or(w));
        match program {
            Some("concurrently" | "npm-run-all" | "run-p") => true,
            Some("gulp" | "grunt") => words
                .get(1)
                .is_none_or(|task| ["default", "watch", "dev", "serve", "develop"].iter().any(|t| task.contains(t))),
            _ => false,
        }
    })
}

/// The scripts the repository's own image runs before its command (`RUN yarn build-all` in
/// the Dockerfile `source` names): build steps ferry's image runs too.
fn image_build_scripts<'a>(files: &AppFiles, source: &str, script: &impl Fn(&str) -> Option<&'a str>) -> Vec<String> {
    let path = source.split(':').next().unwrap_or(source);
    let Some(text) = files.get(path) else { return Vec::new() };
    let mut steps = Vec::new();
    // `RUN npm run build && npm run build:server`: each command of the chain is a step.
    let commands = text.lines().filter_map(|line| line.trim().strip_prefix("RUN ")).flat_map(|run| run.split("&&"));
    for command in commands {
        let words: Vec<&str> = command.split_whitespace().collect();
        let name = match words.as_slice() {
            ["npm" | "yarn" | "pnpm", "run", name] | ["yarn" | "pnpm", name] => *name,
            _ => continue,
        };
        let builds = script(name).is_some_and(|text| start_chain::step_kind(text) == start_chain::Step::Build);
        if builds && name != "start" {
            steps.push(words.join(" "));
        }
    }
    steps
}

/// `node FILE` where FILE is neither in the folder nor under a folder a build writes.
fn runs_a_missing_file(files: &AppFiles, manifest: &Value, command: &[String]) -> bool {
    let [program, file, ..] = command else { return false };
    if program != "node" || file.starts_with('-') {
        return false;
    }
    let file = file.trim_start_matches("./");
    let built = manifest.pointer("/scripts/build").is_some();
    let output = ["dist/", "build/", "out/", ".next/", "lib/", ".output/"].iter().any(|o| file.starts_with(o));
    let present = files.has(file)
        || ["js", "mjs", "cjs"].iter().any(|ext| files.has(&format!("{file}.{ext}")))
        || ["index.js", "index.mjs", "index.cjs", "package.json"].iter().any(|f| files.has(&format!("{file}/{f}")));
    // `node src/main.ts` runs TypeScript node cannot.
    let typescript = file.ends_with(".ts") || file.ends_with(".tsx");
    !(present || built && output) || typescript
}

/// The Procfile's `web:` command.
fn procfile_web(files: &AppFiles) -> Option<NodeStart> {
    let procfile = files.get("Procfile")?;
    let (line, web) = procfile.lines().enumerate().find_map(|(i, l)| l.strip_prefix("web:").map(|w| (i + 1, w)))?;
    Some(NodeStart { command: fact(command_words(web)?, format!("Procfile line {line}")), build_steps: Vec::new() })
}

/// The words that run `line`, following aliases to other scripts; `None` when the line must
/// stay a script (shell syntax that cannot be taken apart).
#[allow(clippy::too_many_arguments)]
fn resolve<'a>(
    line: &str,
    script: &impl Fn(&str) -> Option<&'a str>,
    has_bin: &impl Fn(&str) -> bool,
    files: &AppFiles,
    source: &str,
    build_steps: &mut Vec<String>,
    findings: &mut Vec<Finding>,
    depth: usize,
) -> Option<Vec<String>> {
    if depth > MAX_ALIASES {
        return None;
    }
    if let Some(command) = super::node_script_dispatch::node_file_in_folder(line, files) {
        return Some(command);
    }
    if let Some((steps, server)) = super::node_script_dispatch::concurrent_server(line, script, is_dev_server) {
        build_steps.extend(steps);
        return resolve(&server, script, has_bin, files, source, build_steps, findings, depth + 1);
    }
    let words = program_words(line, source, files, build_steps, findings)?;
    let program = words.first()?.clone();
    let rest: Vec<String> = words[1..].to_vec();
    // Another script by name (`npm run serve`, run-script-os's twin), or a task runner's task:
    // followed to what it runs.
    let twin = super::node_script_dispatch::os_twin(&program, source, script);
    let next = match twin.or_else(|| alias(&program, &rest, script)) {
        Some(name) if name == "start" && depth > 0 => return None,
        Some(name) => Some((script(&name)?.to_string(), format!("package.json scripts.{name}"))),
        None => super::node_task_runner::task_line(&program, &rest, files),
    };
    if let Some((line, at)) = next {
        return resolve(&line, script, has_bin, files, &at, build_steps, findings, depth + 1);
    }
    let command: Vec<String> = match program.as_str() {
        "node" => std::iter::once("node".to_string()).chain(node_arguments(&rest)).collect(),
        tool if is_development_tool(tool, &rest) => development_tool(tool, &rest, files, source, findings)?,
        // A script of the repository's that ends by exec'ing node: that exec, with the
        // settings it gives node (`env NODE_PATH=_build node server.js`). Otherwise a
        // framework's command-line tool from the app's own dependencies; anything else (a shell
        // script, `exec`) stays a script the package manager runs.
        file => match rest.is_empty().then(|| super::entrypoint_script::final_exec(files, file)).flatten() {
            Some(exec) => node_exec(exec)?,
            None if has_bin(file) => std::iter::once("npx".to_string()).chain(words.iter().cloned()).collect(),
            None => return None,
        },
    };
    Some(command)
}

/// Whether a start script's program is a development server or process manager, which the
/// container replaces with what it runs: `nest start`, `nx serve` and `next dev` only.
fn is_development_tool(program: &str, rest: &[String]) -> bool {
    let subcommand = rest.first().map(String::as_str);
    match program {
        "nodemon" | "node-dev" | "pm2" | "pm2-runtime" => true,
        "nest" => subcommand == Some("start"),
        "nx" => subcommand == Some("serve"),
        "next" => subcommand == Some("dev"),
        _ => false,
    }
}

/// What the container runs in place of a development tool, with a finding that says so;
/// `None` when the tool's arguments do not say what it runs.
fn development_tool(
    program: &str,
    rest: &[String],
    files: &AppFiles,
    source: &str,
    findings: &mut Vec<Finding>,
) -> Option<Vec<String>> {
    let command: Vec<String> = match program {
        "nodemon" => {
            let command = nodemon_script(rest)?;
            findings.push(dev_server("nodemon", &command, source));
            command
        }
        "node-dev" => {
            let command = node_dev_script(rest)?;
            findings.push(dev_server("node-dev", &command, source));
            command
        }
        "nest" => {
            let command = vec!["node".to_string(), "dist/main".to_string()];
            findings.push(dev_server("`nest start`", &command, source));
            command
        }
        // `nx serve api`: a watcher over the build; the image runs what the build writes.
        "nx" => {
            let command = nx_served_output(files, rest.get(1).map(String::as_str))?;
            findings.push(dev_server("`nx serve`", &command, source));
            command
        }
        "next" => {
            let command = vec!["npx".to_string(), "next".to_string(), "start".to_string()];
            findings.push(dev_server("`next dev`", &command, source));
            command
        }
        "pm2" | "pm2-runtime" => {
            let command = pm2_script(files, rest).map(|script| vec!["node".to_string(), script])?;
            findings.push(Finding::info(
                "pm2",
                "the start script runs pm2: in the container node runs the app directly and ECS restarts a failed task",
                source,
            ));
            command
        }
        _ => return None,
    };
    Some(command)
}

/// A script's final exec when it runs node, its settings kept in front through `env`; `None`
/// for any other program.
fn node_exec(words: Vec<String>) -> Option<Vec<String>> {
    let settings: Vec<String> =
        words.iter().skip_while(|w| *w == "env").take_while(|w| super::source::is_assignment(w)).cloned().collect();
    let program = words.iter().skip_while(|w| *w == "env").nth(settings.len())?;
    if program != "node" {
        return None;
    }
    let rest = words.iter().skip_while(|w| *w == "env").skip(settings.len());
    let env = (!settings.is_empty()).then(|| "env".to_string());
    Some(env.into_iter().chain(settings).chain(rest.cloned()).collect())
}

/// The words of the command `line` runs: its build steps set aside, and the environment
/// settings before the program dropped. `None` when the line cannot be taken apart.
fn program_words(
    line: &str,
    source: &str,
    files: &AppFiles,
    build_steps: &mut Vec<String>,
    findings: &mut Vec<Finding>,
) -> Option<Vec<String>> {
    let line = without_log_prettifier(line);
    let run = match start_chain::untangle(line, source, findings) {
        Some(untangled) => {
            build_steps.extend(untangled.build_steps);
            untangled.run
        }
        None if start_chain::steps(line).is_some_and(|s| s.len() == 1) || one_quoted_command(line) => {
            line.trim().to_string()
        }
        None => return None,
    };
    let mut words = shell_words(&run)?;
    // `cross-env NODE_ENV=production node app.js`: the image sets NODE_ENV itself.
    if words.first().is_some_and(|w| w == "cross-env") {
        words.remove(0);
    }
    while words.first().is_some_and(|w| super::source::is_assignment(w)) {
        words.remove(0);
    }
    super::env_file_wrapper::strip(&mut words, files, source, findings);
    Some(words)
}

/// The script `program rest` runs by name (`npm run build`, `yarn start`), and `start:prod`
/// for `nest start` when there is one: what runs in production is that script.
fn alias<'a>(program: &str, rest: &[String], script: &impl Fn(&str) -> Option<&'a str>) -> Option<String> {
    match (program, rest) {
        ("npm" | "pnpm" | "bun" | "yarn", [run, name, ..]) if run == "run" || run == "run-script" => Some(name.clone()),
        ("npm" | "pnpm" | "yarn", [name]) if name == "start" => Some("start".to_string()),
        ("yarn" | "pnpm", [name, ..]) if script(name).is_some() => Some(name.clone()),
        // `run-s build` / `npm-run-all serve`: one script run by name.
        ("run-s" | "npm-run-all", [name]) if script(name).is_some() => Some(name.clone()),
        ("nest", [start, ..]) if start == "start" && script("start:prod").is_some() => Some("start:prod".to_string()),
        _ => None,
    }
}

/// The script nodemon watches, run by node; `None` when an option changes what runs.
fn nodemon_script(arguments: &[String]) -> Option<Vec<String>> {
    // `-e js,md`, `--watch src`: options and their values are not the script;
    // `--exec ts-node` runs something else, which stays a script.
    let mut scripts: Vec<&String> = Vec::new();
    let mut words = arguments.iter();
    while let Some(word) = words.next() {
        if NODEMON_WATCH_OPTIONS.contains(&word.as_str()) {
            words.next();
        } else if word.starts_with('-') {
            let known = NODEMON_FLAGS.contains(&word.as_str())
                || NODEMON_WATCH_OPTIONS.iter().any(|o| word.starts_with(&format!("{o}=")));
            if !known {
                return None;
            }
        } else {
            scripts.push(word);
        }
    }
    let [entry] = scripts.as_slice() else { return None };
    Some(vec!["node".to_string(), entry.trim_start_matches("./").to_string()])
}

/// Tools a server's output is piped through to colour its JSON logs on a developer's terminal.
const LOG_PRETTIFIERS: [&str; 4] = ["pino-pretty", "pino-colada", "bunyan", "roarr pretty-print"];

/// `node server.js | pino-pretty`: the line without the pipe into a log prettifier. In the
/// container the logs go to CloudWatch as the server writes them.
fn without_log_prettifier(line: &str) -> &str {
    match line.rsplit_once('|') {
        Some((server, tool))
            if !server.ends_with('|') && LOG_PRETTIFIERS.iter().any(|p| tool.trim().starts_with(p)) =>
        {
            server.trim_end()
        }
        _ => line,
    }
}

/// `node-dev server.js -- --config ./dev.env`: node-dev restarts the server when a file
/// changes. Its script under node is the production server; the arguments after it are the
/// developer's (a development settings file), and its own options are the watcher's.
fn node_dev_script(arguments: &[String]) -> Option<Vec<String>> {
    let entry = arguments.iter().find(|w| !w.starts_with('-'))?;
    let script = [".js", ".mjs", ".cjs"].iter().any(|e| entry.ends_with(e)) || !entry.contains('.');
    script.then(|| vec!["node".to_string(), entry.trim_start_matches("./").to_string()])
}

/// Options whose value is a module Node loads (`--loader ./alias-loader.mjs`): a path without
/// its `./` is resolved as a package name, and the server fails with ERR_MODULE_NOT_FOUND.
const MODULE_OPTIONS: [&str; 6] = ["--loader", "--experimental-loader", "--import", "-r", "--require", "--env-file"];

/// Node's arguments with the `./` dropped from file paths (the script and its arguments), but
/// kept on the module a loading option names, where it tells a file from a package.
fn node_arguments(rest: &[String]) -> Vec<String> {
    let mut kept = false;
    rest.iter()
        .map(|word| {
            let value_of_option = std::mem::replace(&mut kept, MODULE_OPTIONS.contains(&word.as_str()));
            let joined = MODULE_OPTIONS.iter().any(|o| word.starts_with(&format!("{o}=")));
            if value_of_option || joined { word.clone() } else { word.trim_start_matches("./").to_string() }
        })
        .collect()
}

/// The finding that a development `server` gives way to `replacement` in the container.
fn dev_server(server: &str, replacement: &[String], source: &str) -> Finding {
    Finding::info(
        "dev-server",
        format!("the start script runs {server}, a development server: the container runs `{}`", replacement.join(" ")),
        source,
    )
}

/// What `nx serve PROJECT` serves once built: the `serve` target's build target writes
/// `outputPath` from `main` (`dist/api` from `src/main.ts` → `node dist/api/main.js`).
fn nx_served_output(files: &AppFiles, project: Option<&str>) -> Option<Vec<String>> {
    let candidates = files.files.iter().filter(|(path, _)| path.ends_with("project.json"));
    let (_, definition) = candidates
        .filter_map(|(path, text)| Some((path, serde_json::from_str::<Value>(text).ok()?)))
        .find(|(path, json)| match project {
            Some(name) => json.get("name").and_then(Value::as_str) == Some(name),
            None => path.as_str() == "project.json",
        })?;
    let targets = definition.get("targets")?;
    let build_target = targets.pointer("/serve/options/buildTarget").and_then(Value::as_str).unwrap_or("build");
    let build_name = build_target.split(':').nth(1).unwrap_or(build_target);
    let options = targets.get(build_name)?.get("options")?;
    let output = options.get("outputPath")?.as_str()?.trim_end_matches('/');
    let main = options.get("main")?.as_str()?;
    let stem = main.rsplit('/').next()?.split('.').next()?;
    Some(vec!["node".to_string(), format!("{output}/{stem}.js")])
}

/// The script pm2 starts: named on its command line, or in the ecosystem file it is given.
fn pm2_script(files: &AppFiles, arguments: &[String]) -> Option<String> {
    let target = arguments.iter().find(|w| !w.starts_with('-') && *w != "start")?;
    let target = target.trim_start_matches("./");
    let is_ecosystem = target.contains("ecosystem") || target.ends_with(".json") || target.ends_with(".config.js");
    if !is_ecosystem {
        return Some(target.to_string());
    }
    let text = files.get(target)?;
    if let Ok(json) = serde_json::from_str::<Value>(text) {
        let app = json.get("apps").and_then(|a| a.get(0)).unwrap_or(&json);
        return app.get("script").and_then(Value::as_str).map(|s| s.trim_start_matches("./").to_string());
    }
    let at = text.find("script")?;
    let rest = text[at + "script".len()..].trim_start().trim_start_matches(':').trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    rest[1..].split(quote).next().map(|s| s.trim_start_matches("./").to_string())
}

/// One command whose arguments are quoted (`pm2 start index.js --name 'blog'`), with no other
/// shell syntax: its words are the shell's.
fn one_quoted_command(line: &str) -> bool {
    let operators = ["&", ";", "|", ">", "<", "`", "$("].iter().any(|op| line.contains(op));
    !operators && shell_words(line).is_some()
}

/// The first script a line runs by name (`npm run build`, `yarn run build`) that package.json
/// does not have.
fn missing_script<'a>(line: &str, script: &impl Fn(&str) -> Option<&'a str>) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.windows(3).find_map(|w| {
        let runs = matches!(w[0], "npm" | "yarn" | "pnpm") && matches!(w[1], "run" | "run-script");
        let name = w[2].trim_end_matches([';', '&']);
        (runs && !name.starts_with('-') && script(name).is_none()).then(|| name.to_string())
    })
}
