//! The command the repository's own Dockerfile starts the app with: the maintainers' word on
//! how it runs in a container, used when the code names no start command. Paths are turned
//! from the maintainers' image layout into the repository's (ferry's image holds the
//! repository at its working directory).

use super::nginx_upstream::proxied_port;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, command_words, fact, shell_words};
use crate::model::Finding;

/// The repository's own container command for an interpreted runtime, said as a finding. A
/// compiled app's image names its own binary or jar, which ferry's build names differently.
pub fn declared_start_for(
    files: Option<&AppFiles>,
    runtime: &str,
    findings: &mut Vec<Finding>,
) -> Option<(Vec<String>, String)> {
    if !matches!(runtime, "node" | "python") {
        return None;
    }
    let files = files?;
    let start = declared_start_of(files, runtime)?;
    findings.push(said(&start));
    findings.extend(super::supervisord::other_programs(files, &start));
    Some((start.value, start.source))
}

/// The warning that goes with a start command taken from the repository's Dockerfile.
pub fn said(start: &Fact<Vec<String>>) -> Finding {
    let removed = start.source.split_once(REMOVED).map_or("", |(_, flags)| flags.trim_end_matches(')'));
    let without = if removed.is_empty() { String::new() } else { format!(", less its development flags {removed}") };
    Finding::warning(
        "start-from-dockerfile",
        format!(
            "the start command is the one the repository's own Dockerfile runs{without}: `{}`",
            start.value.join(" ")
        ),
        start.source.clone(),
    )
    .with_fix("check that it runs in ferry's image (working directory /app), or set the start command by hand")
}

/// The last stage's `ENTRYPOINT` and `CMD` of the shallowest Dockerfile that has one, outside
/// tests and CI. An entrypoint that only prepares and then runs `exec "$@"` leaves the `CMD`.
/// The server's development flags (`--reload`) are the maintainers' workstation's: removed,
/// and the source says which.
#[cfg(test)]
pub fn declared_start(files: &AppFiles) -> Option<Fact<Vec<String>>> {
    start_among(files, dockerfiles(files))
}

/// [`declared_start`] for an app of `runtime`: a Dockerfile whose last stage runs on another
/// language's image (`FROM node` in a Django repository) builds a side service from its own
/// folder, so its command would not start this app.
pub fn declared_start_of(files: &AppFiles, runtime: &str) -> Option<Fact<Vec<String>>> {
    let own = dockerfiles(files).into_iter().filter(|(_, text)| !super::image_runtime::other_runtime(text, runtime));
    start_among(files, own.collect())
}

/// The first start among `dockerfiles`, skipping one whose command runs a file only the
/// maintainers' image makes (fetched by `ADD <url>`, written by a heredoc).
fn start_among(files: &AppFiles, dockerfiles: Vec<(&str, &str)>) -> Option<Fact<Vec<String>>> {
    let start = dockerfiles
        .into_iter()
        .filter(|(_, text)| !super::image_made_start::runs_a_file_the_image_makes(files, text))
        .find_map(|(path, text)| start_in(files, path, text))?;
    let (value, removed) = super::compose_command::without_development_flags(start.value);
    if removed.is_empty() {
        return Some(fact(value, start.source));
    }
    let flags: Vec<String> = removed.iter().map(|flag| format!("`{flag}`")).collect();
    Some(fact(value, format!("{} ({REMOVED}{})", start.source, flags.join(", "))))
}

/// How a start command's source says the development flags it lost.
pub const REMOVED: &str = "development flags removed: ";

/// The repository's Dockerfiles that say how the app runs (not tests', CI's or examples', nor
/// one whose command runs a package script that is gone), shallowest first, and among equals a
/// development one last.
pub fn dockerfiles(files: &AppFiles) -> Vec<(&str, &str)> {
    let all: Vec<(&str, &str)> = files
        .files
        .iter()
        .filter(|(path, text)| is_dockerfile(path) && !super::stale_image::runs_a_missing_script(files, text))
        // A database's or proxy's image beside the app runs that service, not the app.
        .filter(|(path, text)| !super::sidecar_image::is_sidecar(path, text))
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let mut found: Vec<(&str, &str)> = all.iter().copied().filter(|(path, _)| !is_elsewhere(path)).collect();
    if found.is_empty() {
        // Some projects keep their only image under `dev/build/`: with nothing else, a
        // development folder's Dockerfile is still the maintainers' image (never a test's,
        // CI's or an example's).
        found = all
            .into_iter()
            .filter(|(path, _)| !is_elsewhere(&path.replace("/dev/", "/").replace("dev/", "")))
            .collect();
    }
    // A development image (`Dockerfile-dev`, `dev.Dockerfile`) is the maintainers'
    // workstation: beside a production one it never says how the app runs, even when the
    // production one leaves its command to a compose file.
    if found.iter().any(|(path, _)| !is_development_named(path)) {
        found.retain(|(path, _)| !is_development_named(path));
    }
    // Beside the root's own image, one in a workspace member's folder (`apps/workflows/`,
    // with its own package.json) builds that member, another program than the root's.
    if found.iter().any(|(path, _)| !path.contains('/')) {
        found.retain(|(path, _)| !in_a_member_folder(files, path));
    }
    found.sort_by_key(|(path, _)| (path.matches('/').count(), path.to_ascii_lowercase().contains("dev")));
    found
}

/// Whether the Dockerfile at `path` sits in a folder below the root that is a project of its
/// own: a package manifest beside it.
fn in_a_member_folder(files: &AppFiles, path: &str) -> bool {
    const MANIFESTS: [&str; 5] = ["package.json", "pyproject.toml", "go.mod", "pom.xml", "build.gradle"];
    path.rsplit_once('/').is_some_and(|(folder, _)| MANIFESTS.iter().any(|m| files.has(&format!("{folder}/{m}"))))
}

/// A file whose own name marks it as the development one: `Dockerfile-dev`, `Dockerfile.dev`,
/// `dev.Dockerfile`, `docker-entrypoint-dev.sh` (a word `dev`, `devel` or `development`).
pub fn is_development_named(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| matches!(word, "dev" | "devel" | "development"))
}

/// Whether a source (`docker-entrypoint-dev.sh:17 (run by Dockerfile-dev:27, ...)`) cites a
/// development-named file.
pub fn cites_a_development_file(source: &str) -> bool {
    source
        .split(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .filter_map(|word| word.split_once(':').map(|(path, _)| path))
        .any(is_development_named)
}

/// `Dockerfile`, `Dockerfile.prod`, `dockerfile-alpine`, `api.Dockerfile`, Podman's `Containerfile`.
fn is_dockerfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.starts_with("dockerfile")
        || name.ends_with(".dockerfile")
        || name.starts_with("containerfile")
        || name.ends_with(".containerfile")
}

/// What an `ENV` instruction (after the word) gives PORT: `PORT 8080`, `PORT=8080`, or one
/// pair among several (`PATH="/opt/venv/bin:$PATH" PORT=8888`).
fn env_port_value(pairs: &str) -> Option<&str> {
    if let Some(rest) = pairs.strip_prefix("PORT").filter(|rest| rest.starts_with([' ', '='])) {
        return Some(rest.trim_start_matches(['=', ' ', '"', '\'']));
    }
    pairs.match_indices(" PORT=").next().map(|(at, found)| pairs[at + found.len()..].trim_start_matches(['"', '\'']))
}

/// A stage of a Dockerfile as far as its port goes: its name, the stage it builds on, and the
/// `ENV PORT` and `EXPOSE` ports it says, each with its line.
type PortStage = (String, String, Option<(u16, usize)>, Option<(u16, usize)>);

/// The port the repository's own image serves on: its final stage's `ENV PORT=N`, else its
/// `EXPOSE N`, looking through to the stage it is built `FROM` when it says neither.
pub fn declared_port(files: &AppFiles) -> Option<Fact<u16>> {
    declared_port_and_setting(files, None).map(|(port, _)| port)
}

/// [`declared_port`] for an app of `runtime`: the `EXPOSE` of a side service's image built on
/// another language (`FROM node` beside a Django app) is that service's port.
pub fn declared_port_of(files: &AppFiles, runtime: &str) -> Option<Fact<u16>> {
    declared_port_and_setting(files, Some(runtime)).map(|(port, _)| port)
}

/// Whether the port of the repository's image is one it sets as `ENV PORT` (which the code
/// reads), not only one it documents with `EXPOSE`.
pub fn image_sets_port(files: &AppFiles, runtime: &str) -> bool {
    declared_port_and_setting(files, Some(runtime)).is_some_and(|(_, set)| set)
}

fn declared_port_and_setting(files: &AppFiles, runtime: Option<&str>) -> Option<(Fact<u16>, bool)> {
    let own = |text: &str| runtime.is_none_or(|runtime| !super::image_runtime::other_runtime(text, runtime));
    dockerfiles(files).into_iter().filter(|(_, text)| own(text)).find_map(|(path, text)| {
        let mut stages: Vec<PortStage> = Vec::new();
        for (index, line) in instructions(text) {
            let upper = line.to_ascii_uppercase();
            if let Some(rest) = upper.strip_prefix("FROM ") {
                let words: Vec<&str> = rest.split_whitespace().filter(|w| !w.starts_with("--")).collect();
                let name = match words.as_slice() {
                    [_, as_word, alias] if *as_word == "AS" => alias.to_string(),
                    _ => String::new(),
                };
                stages.push((name, words.first().unwrap_or(&"").to_string(), None, None));
                continue;
            }
            let Some(stage) = stages.last_mut() else { continue };
            if let Some(rest) = upper.strip_prefix("ENV ").and_then(env_port_value) {
                stage.2 = first_port(rest).map(|p| (p, index + 1)).or(stage.2);
            } else if let Some(rest) = upper.strip_prefix("EXPOSE ") {
                stage.3 = stage.3.or(served_port(rest, text).map(|p| (p, index + 1)));
            }
        }
        let mut at = stages.len().checked_sub(1)?;
        for _ in 0..stages.len() {
            let (_, base, env_port, exposed) = &stages[at];
            if let Some((port, number)) = env_port.or(*exposed) {
                // An `EXPOSE 80` of nginx in the same image is not the app server's port.
                if let Some((inner, at)) = env_port.is_none().then(|| proxied_port(files, text, port)).flatten() {
                    return Some((
                        fact(inner, format!("{at} (nginx in the repository's image proxies {port} to it)")),
                        false,
                    ));
                }
                return Some((fact(port, format!("{path}:{number} (the repository's own image)")), env_port.is_some()));
            }
            at = stages[..at].iter().rposition(|(name, ..)| !name.is_empty() && name == base)?;
        }
        None
    })
}

/// Ports an image may expose beside its web server that never answer HTTP: SSH (and its
/// usual stand-in 2222), mail, DNS and directory services.
const NOT_HTTP: [u16; 11] = [21, 22, 23, 25, 53, 110, 143, 389, 587, 636, 2222];

/// The web server's port among those an `EXPOSE` lists (`EXPOSE 22 3000`): the one the
/// image's health check calls, else the first that can answer HTTP.
fn served_port(listed: &str, dockerfile: &str) -> Option<u16> {
    let ports: Vec<u16> =
        listed.split_whitespace().filter_map(|word| first_port(word.split('/').next().unwrap_or(word))).collect();
    let checked = dockerfile
        .lines()
        .filter(|line| line.trim_start().to_ascii_uppercase().starts_with("HEALTHCHECK"))
        .flat_map(|line| ["localhost:", "127.0.0.1:"].map(|host| line.split(host).nth(1).and_then(first_port)))
        .flatten()
        .find(|port| ports.contains(port));
    checked.or_else(|| ports.iter().copied().find(|port| !NOT_HTTP.contains(port)))
}

fn first_port(text: &str) -> Option<u16> {
    let digits: String = text.trim().chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|p| *p != 0)
}

/// The runtime of the image the repository's Dockerfile ships: its final stage's base
/// (`FROM python:3.11-slim` is Python, `golang`, `eclipse-temurin`), or `None` when that stage
/// builds on an earlier one or on an image of no runtime (nginx, alpine).
pub fn final_stage_runtime(files: &AppFiles) -> Option<&'static str> {
    let (_, text) = dockerfiles(files).into_iter().next()?;
    let from =
        text.lines().map(str::trim).rev().find(|l| l.get(..5).is_some_and(|w| w.eq_ignore_ascii_case("FROM ")))?;
    let image = from.split_whitespace().skip(1).find(|w| !w.starts_with("--"))?;
    let name = image.split([':', '@']).next().unwrap_or(image);
    let name = name.rsplit('/').next().unwrap_or(name);
    match name {
        "python" | "pypy" => Some("python"),
        "golang" => Some("go"),
        "eclipse-temurin" | "openjdk" | "amazoncorretto" | "ibm-semeru-runtimes" | "sapmachine" => Some("java"),
        "node" => Some("node"),
        _ => None,
    }
}

/// Container files for tests, CI, development containers, examples and documentation sites do
/// not say how the app runs.
pub fn is_elsewhere(path: &str) -> bool {
    let lower = format!("/{}", path.to_ascii_lowercase());
    ["test", "/.github/", "/.devcontainer/", "example", "development", "/dev/", "demo", "/docs/", "/site/"]
        .iter()
        .any(|w| lower.contains(w))
}

#[derive(Default, Clone)]
struct Stage {
    workdir: String,
    copies: Vec<(String, String)>,
    /// `COPY --from=build /app/dist/apps/api ./dist`: (the build stage's folder as a path of
    /// its own working directory, where it lands here).
    built: Vec<(String, String)>,
    /// `COPY --from=stage src dest`: what lands from another image, as written.
    from_copies: Vec<(String, String)>,
    entrypoint: Option<(usize, Vec<String>)>,
    cmd: Option<(usize, Vec<String>)>,
}

/// Every stage of a Dockerfile, in order, with its name (empty without `AS`) and the base it
/// is built `FROM`. A stage built `FROM` an earlier one starts with its command and files
/// (`FROM linkding AS linkding-plus`).
fn stages(text: &str) -> Vec<(String, String, Stage)> {
    let mut all: Vec<(String, String, Stage)> = Vec::new();
    for (index, line) in instructions(text) {
        let (keyword, rest) = line.split_once(char::is_whitespace).unwrap_or((&line, ""));
        let rest = rest.trim();
        let keyword = keyword.to_ascii_uppercase();
        if keyword == "FROM" {
            let words: Vec<&str> = rest.split_whitespace().filter(|w| !w.starts_with("--")).collect();
            let base = words.first().copied().unwrap_or("");
            let inherited = all
                .iter()
                .rev()
                .find(|(n, ..)| !n.is_empty() && n == base)
                .map(|(.., s)| s.clone())
                .unwrap_or_default();
            let name = match words.as_slice() {
                [_, as_word, alias] if as_word.eq_ignore_ascii_case("as") => alias.to_string(),
                _ => String::new(),
            };
            all.push((name, base.to_string(), inherited));
            continue;
        }
        // `COPY --from=build` names an earlier stage, whose working directory gives its paths.
        let built = if matches!(keyword.as_str(), "COPY" | "ADD") {
            super::built_copies::copied_from_stage(rest, |name| {
                all.iter().rev().find(|(n, ..)| n == name).map(|(.., stage)| stage.workdir.clone())
            })
        } else {
            Vec::new()
        };
        let Some((.., stage)) = all.last_mut() else { continue };
        match keyword.as_str() {
            "WORKDIR" => stage.workdir = rest.trim_end_matches('/').to_string(),
            "COPY" | "ADD" => {
                stage.copies.extend(copy_of(rest));
                stage.built.extend(built);
                stage.from_copies.extend(copy_from_stage(rest));
            }
            "ENTRYPOINT" => stage.entrypoint = words(rest).map(|w| (index + 1, w)),
            "CMD" => stage.cmd = words(rest).map(|w| (index + 1, w)),
            _ => {}
        }
    }
    all
}

/// Stage names of images that run beside the server, not the server itself: a Dockerfile
/// with one target per process (`api`, `worker`, `migration`) often ends with a side one.
const SIDE_STAGES: [&str; 9] = ["migrat", "worker", "scheduler", "cron", "seed", "job", "queue", "test", "dev"];

/// The stage that runs the app: the last one, unless its name says it runs beside the server
/// and an earlier final target (one no later stage builds on) with a command is not such a
/// stage; then that one.
fn server_stage(all: Vec<(String, String, Stage)>) -> Option<Stage> {
    let side = |name: &str| SIDE_STAGES.iter().any(|w| name.to_ascii_lowercase().contains(w));
    let (last_name, ..) = all.last()?;
    if side(last_name) {
        let is_base = |name: &str| all.iter().any(|(_, base, _)| !name.is_empty() && base == name);
        let runs = |stage: &Stage| stage.cmd.is_some() || stage.entrypoint.is_some();
        if let Some(at) = all.iter().rposition(|(name, _, stage)| !side(name) && !is_base(name) && runs(stage)) {
            return all.into_iter().nth(at).map(|(.., stage)| stage);
        }
    }
    all.into_iter().last().map(|(.., stage)| stage)
}

fn start_in(files: &AppFiles, path: &str, text: &str) -> Option<Fact<Vec<String>>> {
    let stage = server_stage(stages(text))?;
    // The command runs in a folder filled from one package of the repository: ferry's image
    // of the whole repository runs it from the root, where `node .` finds another package.
    if workdir_holds_a_subfolder(files, &stage) {
        return None;
    }
    let entrypoint = stage.entrypoint.clone().filter(|(_, words)| !only_prepares(files, &stage, words));
    let (line, command) = match (entrypoint, stage.cmd.clone()) {
        (Some((line, mut first)), Some((_, cmd))) => {
            first.extend(cmd);
            (line, first)
        }
        (Some(found), None) | (None, Some(found)) => found,
        (None, None) => return None,
    };
    // An init of the base image (`/init`, `tini -g --`) or a user switch (`gosu app`) is not
    // something ferry's image has: what it runs is the command.
    let (mut command, wrapped) = super::init_wrapper::unwrap(&command);
    // The entrypoint was only the init (`ENTRYPOINT ["tini", "--"]`): the line that names
    // what runs is the `CMD`'s.
    let line = match &stage.cmd {
        Some((cmd_line, words)) if wrapped && *words == command => *cmd_line,
        _ => line,
    };
    for (position, word) in command.iter_mut().enumerate() {
        *word = in_repository(&stage, word, position == 0);
        // A script the build wrote and the final stage copied somewhere else sits in the build
        // stage's folder in ferry's image.
        let script = [".js", ".mjs", ".cjs"].iter().any(|ext| word.ends_with(ext));
        if position > 0
            && script
            && !files.has(word.trim_start_matches("./"))
            && let Some(moved) = super::built_copies::in_build_folder(&stage.workdir, &stage.built, word)
        {
            *word = moved;
        } else if position > 0
            && script
            && let Some(own) = super::workspace_package_paths::in_workspace(files, word)
        {
            *word = own;
        }
    }
    installed_program_by_name(files, &mut command);
    if let Some(folder) = package_manifest_from(files, &stage) {
        super::workspace_package_paths::run_in_package(&mut command, &folder);
    }
    let source = format!("{path}:{line} (the repository's own image)");
    if let Some(run) = what_the_images_program_runs(files, &command, wrapped, &source) {
        return Some(run);
    }
    if let [script] = command.as_slice()
        && needs_bash(files, script.trim_start_matches("./"))
    {
        command.insert(0, "bash".to_string());
    }
    let program = command.first()?;
    // A first word that is an option (`-g`) is not a program: never a command.
    let runnable = !program.contains('$')
        && !program.starts_with('-')
        && (program.starts_with("./") && files.has(program.trim_start_matches("./"))
            || !program.contains('/') && !program.starts_with('.'));
    runnable.then(|| fact(command, source))
}

/// What ferry's image runs in place of the maintainers' supervision: the program supervisord
/// runs that serves HTTP, the server line an entrypoint script ends with, or the program a
/// script behind an init (or one that switches users) runs in the end.
fn what_the_images_program_runs(
    files: &AppFiles,
    command: &[String],
    wrapped: bool,
    source: &str,
) -> Option<Fact<Vec<String>>> {
    // supervisord is not in ferry's image: the program it runs that serves HTTP is the app.
    if let Some(server) = super::supervisord::server_program(files, command, source) {
        return Some(server);
    }
    // A script that prepares, then `exec`s supervisord: the same, by its last line.
    if let [script] = command
        && let Some(last) = super::entrypoint_script::final_exec(files, script)
        && let Some(server) = super::supervisord::server_program(files, &last, source)
    {
        return Some(server);
    }
    if let [script] = command
        && let Some(resolved) = super::entrypoint_script::server_line(files, script.trim_start_matches("./"), source)
    {
        return Some(resolved);
    }
    // A script behind an init, or one that switches users, is the maintainers' supervision:
    // the program it runs in the end is the app.
    if let [script] = command
        && let Some(run) =
            super::entrypoint_script::supervised_program(files, script.trim_start_matches("./"), wrapped, source)
    {
        return Some(run);
    }
    None
}

/// `/isso/bin/gunicorn`, `/opt/venv/bin/uvicorn`: a program the image's virtualenv (or
/// system) installed, not a repository file; in ferry's image it is on PATH by its name.
fn installed_program_by_name(files: &AppFiles, command: &mut [String]) {
    if let Some(program) = command.first_mut()
        && !files.has(program.trim_start_matches("./"))
        && let Some((_, name)) = program.rsplit_once("bin/")
        && !name.is_empty()
        && !name.contains('/')
    {
        *program = name.to_string();
    }
}

/// A `#!/bin/sh` script written for a shell with bash's words (`[[`, `source`, `function`):
/// busybox's ash in an Alpine image understands them, Debian's dash, the `sh` of ferry's
/// images, does not, and a `while` around `[[` then never ends. Run by bash, it works.
fn needs_bash(files: &AppFiles, script: &str) -> bool {
    let Some(text) = files.get(script) else { return false };
    let posix_shebang = text.lines().next().is_some_and(|line| {
        let line = line.replace(' ', "");
        line == "#!/bin/sh" || line == "#!/usr/bin/envsh"
    });
    let bashisms = text.lines().map(str::trim).filter(|line| !line.starts_with('#')).any(|line| {
        line.contains("[[ ") || line.starts_with("source ") || line.starts_with("function ") || line.contains("=(")
    });
    posix_shebang && bashisms
}

/// The Dockerfile's instructions with their line numbers, each continued line (`\` at the end)
/// joined to the next, comments left out.
pub(crate) fn instructions(text: &str) -> Vec<(usize, String)> {
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && open.is_none()) {
            continue;
        }
        let (continues, piece) = match trimmed.strip_suffix('\\') {
            Some(piece) => (true, piece.trim_end()),
            None => (false, trimmed),
        };
        let (start, mut joined) = open.take().unwrap_or((index, String::new()));
        if !joined.is_empty() && !piece.is_empty() {
            joined.push(' ');
        }
        joined.push_str(piece);
        if continues {
            open = Some((start, joined));
        } else {
            found.push((start, joined));
        }
    }
    found.extend(open);
    found
}

/// Exec form (`["python", "app.py"]`) or shell form, as words.
fn words(rest: &str) -> Option<Vec<String>> {
    if rest.starts_with('[') {
        return serde_json::from_str::<Vec<String>>(rest).ok().filter(|w| !w.is_empty());
    }
    command_words(rest).filter(|w| !w.is_empty())
}

/// `COPY --from=x [--chown=y] src dest`: the source in the other image and where it lands.
fn copy_from_stage(rest: &str) -> Vec<(String, String)> {
    if !rest.contains("--from") {
        return Vec::new();
    }
    let Some(words) = shell_words(rest) else { return Vec::new() };
    let words: Vec<String> = words.into_iter().filter(|w| !w.starts_with("--")).collect();
    let Some((dest, sources)) = words.split_last() else { return Vec::new() };
    sources.iter().map(|source| (source.clone(), dest.clone())).collect()
}

/// Whether the stage's working directory is filled from a subfolder of the repository
/// (`COPY --from=builder /home/node/app/packages/api .`, `COPY packages/api /app`): the command's relative paths are
/// that package's, not the repository root's.
fn workdir_holds_a_subfolder(files: &AppFiles, stage: &Stage) -> bool {
    const CODE: [&str; 8] = ["json", "js", "ts", "mjs", "cjs", "py", "go", "java"];
    let into_workdir = |dest: &str| {
        let dest = dest.trim_end_matches('/');
        dest.is_empty() || dest == "." || (!stage.workdir.is_empty() && dest == stage.workdir)
    };
    let copied = stage.copies.iter().chain(&stage.from_copies);
    copied.filter(|(_, dest)| into_workdir(dest)).any(|(source, _)| {
        let segments: Vec<&str> = source.trim_end_matches('/').split('/').filter(|s| !s.is_empty()).collect();
        // A tail of the path that is a folder of the repository (`packages/api`); an absolute
        // path's first segment (`/app`) is the other image's own directory.
        let first = usize::from(source.starts_with('/'));
        (first..segments.len()).any(|start| {
            let folder = segments[start..].join("/");
            files.with_extensions(&CODE).any(|(path, _)| path.starts_with(&format!("{folder}/")))
        })
    })
}

/// The repository folder whose `package.json` the stage copies into its working directory
/// (`COPY --from=base /app/packages/server/package.json ./package.json`): `npm start` there
/// runs that package's script, not the root's.
fn package_manifest_from(files: &AppFiles, stage: &Stage) -> Option<String> {
    let into_workdir = |dest: &str| {
        let dest = dest.trim_start_matches("./");
        dest == "package.json" || (!stage.workdir.is_empty() && dest == format!("{}/package.json", stage.workdir))
    };
    let copied = stage.copies.iter().chain(&stage.from_copies);
    copied.filter(|(_, dest)| into_workdir(dest)).find_map(|(source, _)| {
        let segments: Vec<&str> = source.split('/').filter(|s| !s.is_empty() && !s.starts_with('$')).collect();
        // The longest tail that is a package of the repository other than the root
        // (`packages/server` before a `server/` of its own).
        (0..segments.len().saturating_sub(1)).map(|start| segments[start..].join("/")).find_map(|tail| {
            let folder = tail.strip_suffix("/package.json")?;
            files.has(&tail).then(|| folder.to_string())
        })
    })
}

/// `COPY [--from=x] [--chown=y] src... dest`: where each file or folder lands. Into a folder
/// (`COPY entrypoint.sh healthcheck.sh /`) each lands under its own name, so the entrypoint
/// `/entrypoint.sh` is the repository's `entrypoint.sh`.
fn copy_of(rest: &str) -> Vec<(String, String)> {
    let Some(words) = shell_words(rest) else { return Vec::new() };
    let words: Vec<String> = words.into_iter().filter(|w| !w.starts_with("--")).collect();
    let Some((dest, sources)) = words.split_last() else { return Vec::new() };
    if rest.contains("--from") || sources.is_empty() {
        return Vec::new();
    }
    let into_folder = dest.ends_with('/') || sources.len() > 1;
    sources
        .iter()
        .map(|source| {
            let source = source.trim_start_matches("./").to_string();
            let name = source.rsplit('/').next().unwrap_or(&source);
            let landed = if into_folder { format!("{}/{name}", dest.trim_end_matches('/')) } else { dest.clone() };
            (source.clone(), landed)
        })
        .collect()
}

/// An entrypoint script that ends with `exec "$@"` sets things up and runs the `CMD`.
fn only_prepares(files: &AppFiles, stage: &Stage, entrypoint: &[String]) -> bool {
    let [script] = entrypoint else { return false };
    let repository_path = in_repository(stage, script, false);
    let text = files.get(repository_path.trim_start_matches("./")).unwrap_or("");
    let Some(last) = text.lines().rev().map(str::trim).find(|l| !l.is_empty()) else { return false };
    // `exec "$@"`, or `cmd="$@"` earlier and `exec $cmd` at the end: the arguments it is given.
    let arguments_kept_in = |name: &str| {
        !name.is_empty() && (text.contains(&format!("{name}=\"$@\"")) || text.contains(&format!("{name}=$@")))
    };
    matches!(last, "exec \"$@\"" | "exec $@")
        || last.strip_prefix("exec ").is_some_and(|run| {
            arguments_kept_in(run.trim_matches('"').trim_start_matches('$').trim_matches(['{', '}']))
        })
}

/// A path in the maintainers' image as a path in the repository: a copied file back to its
/// source, a path under the working directory relative to it. A program gets `./` so that
/// exec form finds it.
fn in_repository(stage: &Stage, word: &str, program: bool) -> String {
    let copied = stage.copies.iter().find(|(_, dest)| dest == word).map(|(source, _)| source.clone());
    let relative = copied.or_else(|| {
        let prefix = format!("{}/", stage.workdir);
        (!stage.workdir.is_empty()).then(|| word.strip_prefix(&prefix).map(str::to_string)).flatten()
    });
    match relative {
        Some(path) if program && !path.starts_with("./") => format!("./{path}"),
        Some(path) => path,
        None => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cmd_behind_an_entrypoint_that_only_prepares() {
        let files = AppFiles::from_pairs([
            (
                "Dockerfile",
                "FROM python:3.12 AS builder\nCMD [\"bash\"]\nFROM python:3.12-slim\nWORKDIR /app\nCOPY docker-entrypoint.sh /docker-entrypoint.sh\nENTRYPOINT [\"/docker-entrypoint.sh\"]\nCMD [\"python\", \"./changedetection.py\", \"-d\", \"/datastore\"]\n",
            ),
            ("docker-entrypoint.sh", "#!/bin/sh\nmkdir -p /datastore\nexec \"$@\"\n"),
            (".github/test/Dockerfile", "FROM python\nCMD [\"pytest\"]\n"),
        ]);
        let start = declared_start(&files).unwrap();
        assert_eq!(start.value, ["python", "./changedetection.py", "-d", "/datastore"]);
        assert_eq!(start.source, "Dockerfile:7 (the repository's own image)");
    }

    #[test]
    fn a_members_own_image_beside_the_roots_builds_another_program() {
        let root = "FROM node:24 AS base\nARG SCOPE\nCOPY . .\nENTRYPOINT ./${SCOPE}-entrypoint.sh\n";
        let member = "FROM oven/bun:1\nCOPY . .\nCMD [\"bun\", \"apps/workflows/dist/index.js\"]\n";
        let files = AppFiles::from_pairs([
            ("Dockerfile", root),
            ("package.json", "{}"),
            ("apps/workflows/Dockerfile", member),
            ("apps/workflows/package.json", "{}"),
            ("docker/Dockerfile.prod", "FROM node:24\nCMD [\"node\", \"server.js\"]\n"),
        ]);
        let paths: Vec<&str> = dockerfiles(&files).into_iter().map(|(path, _)| path).collect();
        assert_eq!(paths, ["Dockerfile", "docker/Dockerfile.prod"]);
    }

    #[test]
    fn a_package_the_image_installs_or_copies_is_run_from_its_folder() {
        let copied = "FROM node:18 AS base\nARG APP_PATH=/app\nWORKDIR $APP_PATH\nCOPY . .\nRUN pnpm install && pnpm build\nFROM node:18-slim\nWORKDIR /app\nCOPY --from=base $APP_PATH/packages/server/dist ./dist\nCOPY --from=base $APP_PATH/packages/server/package.json ./package.json\nCMD [\"npm\", \"start\"]\n";
        let files = AppFiles::from_pairs([
            ("Dockerfile", copied),
            ("package.json", "{\"name\": \"root\"}"),
            ("packages/server/package.json", "{\"name\": \"server\", \"scripts\": {\"start\": \"node dist/main.js\"}}"),
        ]);
        assert_eq!(declared_start(&files).unwrap().value, ["npm", "--prefix", "packages/server", "start"]);
        let installed = "FROM node:lts\nWORKDIR /app\nRUN npm install @shop/api\nCMD [\"node\", \"node_modules/@shop/api/serve.js\"]\n";
        let files = AppFiles::from_pairs([
            ("packages/api/Dockerfile", installed),
            ("packages/api/package.json", "{\"name\": \"@shop/api\"}"),
            ("packages/api/serve.js", "require('./app')\n"),
        ]);
        assert_eq!(declared_start(&files).unwrap().value, ["node", "packages/api/serve.js"]);
    }

    #[test]
    fn a_build_output_the_final_stage_moved_is_started_where_the_build_wrote_it() {
        let dockerfile = "FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npx nx build api\n\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=build /app/dist/apps/api ./dist\nCMD [\"node\", \"dist/main.js\"]\n";
        let files = AppFiles::from_pairs([("Dockerfile", dockerfile)]);
        assert_eq!(declared_start(&files).unwrap().value, ["node", "dist/apps/api/main.js"]);
        let committed = AppFiles::from_pairs([("Dockerfile", dockerfile), ("dist/main.js", "require('./x')\n")]);
        assert_eq!(
            declared_start(&committed).unwrap().value,
            ["node", "dist/main.js"],
            "a committed file is the one run"
        );
    }

    #[test]
    fn paths_of_the_maintainers_image_become_the_repositorys() {
        let files = AppFiles::from_pairs([
            (
                "extras/docker/production/Dockerfile",
                "FROM python:3.12\nWORKDIR /home/app/src\nCOPY extras/docker/production/entrypoint.sh /home/app/entrypoint.sh\nCMD [\"/home/app/entrypoint.sh\"]\n",
            ),
            ("extras/docker/production/entrypoint.sh", "#!/bin/sh\nexec gunicorn app.wsgi\n"),
        ]);
        assert_eq!(declared_start(&files).unwrap().value, ["./extras/docker/production/entrypoint.sh"]);
        let uwsgi = AppFiles::from_pairs([(
            "docker/Dockerfile",
            "FROM python:3.12\nWORKDIR /opt/hc\nCMD [ \"uwsgi\", \"/opt/hc/docker/uwsgi.ini\"]\n",
        )]);
        assert_eq!(declared_start(&uwsgi).unwrap().value, ["uwsgi", "docker/uwsgi.ini"]);
        let shell = AppFiles::from_pairs([("Dockerfile", "FROM node:20\nWORKDIR /srv\nCMD node /srv/server.js\n")]);
        assert_eq!(declared_start(&shell).unwrap().value, ["node", "server.js"]);
        let tini = AppFiles::from_pairs([(
            "Dockerfile",
            "FROM node:20\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"node\", \"app.js\"]\n",
        )]);
        assert_eq!(declared_start(&tini).unwrap().value, ["node", "app.js"]);
    }

    #[test]
    fn files_copied_into_a_folder_and_the_runtime_shipped() {
        let files = AppFiles::from_pairs([
            (
                "Dockerfile",
                "FROM --platform=$BUILDPLATFORM node:20-alpine AS build\nRUN npm run build\nFROM python:3.11-slim\nCOPY entrypoint.sh healthcheck.sh /\nENTRYPOINT [ \"/entrypoint.sh\" ]\n",
            ),
            ("entrypoint.sh", "#!/bin/sh\nexec python -m uvicorn main:app\n"),
        ]);
        assert_eq!(declared_start(&files).unwrap().value, ["./entrypoint.sh"]);
        assert_eq!(final_stage_runtime(&files), Some("python"));
        let nginx = AppFiles::from_pairs([("Dockerfile", "FROM node:20 AS build\nFROM nginx:alpine\n")]);
        assert_eq!(final_stage_runtime(&nginx), None);
    }

    #[test]
    fn the_port_of_the_repositorys_image() {
        let files = AppFiles::from_pairs([(
            "Dockerfile",
            "FROM node:20 AS build\nEXPOSE 9999\nFROM node:20-slim\nEXPOSE 3000\nHEALTHCHECK CMD curl localhost:3000\n",
        )]);
        let port = declared_port(&files).unwrap();
        assert_eq!((port.value, port.source.as_str()), (3000, "Dockerfile:4 (the repository's own image)"));
        let ssh_first = AppFiles::from_pairs([("Dockerfile", "FROM alpine\nEXPOSE 22 3000\n")]);
        assert_eq!(declared_port(&ssh_first).map(|p| p.value), Some(3000), "22 is SSH's, not the web server's");
        let checked = "FROM alpine\nEXPOSE 8080/tcp 9090\nHEALTHCHECK CMD curl -f http://localhost:9090/health\n";
        assert_eq!(declared_port(&AppFiles::from_pairs([("Dockerfile", checked)])).map(|p| p.value), Some(9090));
        let env = AppFiles::from_pairs([("Dockerfile", "FROM python\nENV PORT=8000\nEXPOSE 80\n")]);
        assert_eq!(declared_port(&env).unwrap().value, 8000);
        let among = "FROM python\nENV PATH=\"/opt/venv/bin:$PATH\" \\\n    KINTO_INI=/etc/kinto.ini \\\n    PORT=\"8888\"\nEXPOSE 80\n";
        let port = declared_port(&AppFiles::from_pairs([("Dockerfile", among)])).unwrap();
        assert_eq!((port.value, port.source.as_str()), (8888, "Dockerfile:2 (the repository's own image)"));
        let portal = AppFiles::from_pairs([("Dockerfile", "FROM python\nENV PORTAL=1 SUPPORT=9\nEXPOSE 8000\n")]);
        assert_eq!(declared_port(&portal).unwrap().value, 8000);
        assert_eq!(declared_port(&AppFiles::from_pairs([("Dockerfile", "FROM go\n")])), None);
    }

    #[test]
    fn an_entrypoint_from_the_images_virtualenv_with_its_cmd() {
        let files = AppFiles::from_pairs([(
            "Dockerfile",
            "FROM python:3.12-slim\nWORKDIR /srv/\nCOPY . .\nENTRYPOINT [\"/srv/bin/gunicorn\", \"-b\", \"0.0.0.0:8080\"]\nCMD [\"blog.wsgi\"]\n",
        )]);
        let start = declared_start(&files).unwrap();
        assert_eq!(start.value, ["gunicorn", "-b", "0.0.0.0:8080", "blog.wsgi"]);
    }

    #[test]
    fn no_dockerfile_or_no_command_is_none() {
        assert_eq!(declared_start(&AppFiles::from_pairs([("app.py", "")])), None);
        assert_eq!(declared_start(&AppFiles::from_pairs([("Dockerfile", "FROM python\nRUN pip install x\n")])), None);
        let s6 = AppFiles::from_pairs([("Dockerfile", "FROM python\nENTRYPOINT [\"/init\"]\n")]);
        assert_eq!(declared_start(&s6), None, "the base image's init runs services ferry cannot see");
        let argument =
            AppFiles::from_pairs([("Dockerfile", "FROM python\nARG DIR\nCMD [\"/home/app/${DIR}/entrypoint.sh\"]\n")]);
        assert_eq!(declared_start(&argument), None);
    }
}
