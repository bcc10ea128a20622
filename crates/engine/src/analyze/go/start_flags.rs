//! The flags a Go server needs on its command line. The repository's own image may start the
//! binary with flags (`ENTRYPOINT ["/usr/bin/app", "--bind=0.0.0.0", "--listen=8081"]`): they
//! are the maintainers' word on how it serves in a container, so ferry's command keeps them.
//! A server whose bind flag defaults to loopback (go-flags `long:"bind" default:"localhost"`)
//! is unreachable without it: ferry's command binds every interface, and says so.

use super::code::{listen_port, tag_value};
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact};
use crate::model::Finding;

/// Long names of a flag that sets the address the HTTP server binds. `host` is left out: a
/// tool's `--host` is as often the database's.
const BIND_FLAGS: [&str; 8] =
    ["bind", "bind-addr", "bind-address", "http-host", "http-bind", "listen-host", "listen-addr", "listen-address"];

/// The start command with the repository image's flags and the bind flag, the port those flags
/// set (when they set one), and the findings.
pub(super) fn with_start_flags(
    files: &AppFiles,
    binary: &str,
    start: Fact<Vec<String>>,
    findings: &mut Vec<Finding>,
) -> (Fact<Vec<String>>, Option<Fact<u16>>) {
    let Fact { value: mut command, mut source } = start;
    // `CMD ./app migrate && ./app`: a shell runs the whole line, with ferry's binary in it.
    if let Some(shell) = command.first().and_then(|built| shell_start(files, binary, built)) {
        return (fact(shell.value, format!("{} (the repository's own image)", shell.source)), None);
    }
    if let Some(image) = image_flags(files, binary) {
        let new: Vec<String> = image.value.into_iter().filter(|w| !command.contains(w)).collect();
        if !new.is_empty() {
            source = format!("{source}, with the flags of {}", image.source);
            command.extend(new);
        }
    }
    if let Some((flag, default, at)) = loopback_bind_flag(files) {
        let bound = flag_value(&command, &flag).is_some_and(|v| !matches!(v.as_str(), "localhost" | "127.0.0.1"));
        let finding = Finding::warning(
            "loopback-bind",
            format!(
                "--{flag} defaults to {default}: started without it, the server is unreachable from the load balancer"
            ),
            at,
        );
        if bound {
            findings.push(finding.with_fix(format!("the start command passes --{flag} (keep it)")));
        } else {
            command.push(format!("--{flag}=0.0.0.0"));
            findings.push(finding.with_fix(format!("the container command adds `--{flag}=0.0.0.0`")));
        }
    }
    let port = listen_flag_port(files, &command, &source);
    (fact(command, source), port)
}

/// The final stage's `ENTRYPOINT` and `CMD`, each with its line number and its text.
type FinalCommands = (Option<(usize, String)>, Option<(usize, String)>);

fn final_commands(files: &AppFiles) -> Option<(String, FinalCommands)> {
    let (path, text) = crate::analyze::container_start::dockerfiles(files).into_iter().next()?;
    let (mut entrypoint, mut cmd): FinalCommands = (None, None);
    for (index, line) in crate::analyze::container_start::instructions(text) {
        let (keyword, rest) = line.split_once(char::is_whitespace).unwrap_or((&line, ""));
        let slot = match keyword.to_ascii_uppercase().as_str() {
            "FROM" => {
                (entrypoint, cmd) = (None, None);
                continue;
            }
            "ENTRYPOINT" => &mut entrypoint,
            "CMD" => &mut cmd,
            _ => continue,
        };
        *slot = Some((index + 1, rest.trim().to_string()));
    }
    Some((path.to_string(), (entrypoint, cmd)))
}

/// The arguments the final stage of the repository's Dockerfile passes to the same binary
/// (its `ENTRYPOINT` with the `CMD` after it, or a `CMD` alone), when all are literal.
fn image_flags(files: &AppFiles, binary: &str) -> Option<Fact<Vec<String>>> {
    let (path, (entrypoint, cmd)) = final_commands(files)?;
    let entrypoint = entrypoint.and_then(|(line, rest)| Some((line, exec_words(&rest)?)));
    let cmd = cmd.and_then(|(line, rest)| Some((line, exec_words(&rest)?)));
    let runs_binary =
        |words: &[String]| words.first().is_some_and(|program| program.rsplit('/').next() == Some(binary));
    let (line, arguments) = match (entrypoint, cmd) {
        (Some((line, words)), cmd) if runs_binary(&words) => {
            (line, words[1..].iter().cloned().chain(cmd.into_iter().flat_map(|(_, c)| c)).collect::<Vec<_>>())
        }
        (None, Some((line, words))) if runs_binary(&words) => (line, words[1..].to_vec()),
        _ => return None,
    };
    let literal = arguments.iter().all(|a| !a.contains('$'));
    (!arguments.is_empty() && literal).then(|| fact(arguments, format!("{path}:{line}")))
}

/// A shell-form `CMD` (with no `ENTRYPOINT`) whose steps, joined by shell operators, each run
/// the binary (`./app migrate && ./app`): the whole line is handed to `sh -c`, each step's
/// program replaced by ferry's `built` binary. Split into exec words, `&&` would be an
/// argument and the server would never start.
fn shell_start(files: &AppFiles, binary: &str, built: &str) -> Option<Fact<Vec<String>>> {
    let (path, (None, Some((line, rest)))) = final_commands(files)? else { return None };
    if rest.starts_with('[') || !crate::analyze::source::needs_shell(&rest) {
        return None;
    }
    let words: Vec<&str> = rest.split_whitespace().collect();
    let is_operator = |w: &str| matches!(w, "&&" | "||" | ";" | "|");
    let programs: Vec<usize> = (0..words.len()).filter(|&at| at == 0 || is_operator(words[at - 1])).collect();
    let runs_binary = |at: &usize| words.get(*at).is_some_and(|w| w.rsplit('/').next() == Some(binary));
    // Any other operator (`>`, `$(...)`, a `;` stuck to a word) or program: not ferry's to rewrite.
    let operators = words.iter().filter(|w| is_operator(w)).count();
    if programs.len() != operators + 1 || !programs.iter().all(runs_binary) || words.iter().any(|w| w.contains('$')) {
        return None;
    }
    let line_text: Vec<&str> =
        words.iter().enumerate().map(|(at, w)| if programs.contains(&at) { built } else { w }).collect();
    Some(fact(vec!["sh".into(), "-c".into(), line_text.join(" ")], format!("{path}:{line}")))
}

/// The words of an exec-form `ENTRYPOINT` or `CMD`, or of a shell form that is one plain
/// command. A shell form a shell must read (`./app migrate && ./app`) has no flags to take.
fn exec_words(rest: &str) -> Option<Vec<String>> {
    match rest.starts_with('[') {
        true => serde_json::from_str(rest).ok(),
        false if crate::analyze::source::needs_shell(rest) => None,
        false => crate::analyze::source::shell_words(rest),
    }
}

/// A go-flags bind flag whose default is a loopback address: its long name, default and line.
fn loopback_bind_flag(files: &AppFiles) -> Option<(String, String, String)> {
    crate::analyze::source::app_code_lines(files, &super::EXTENSIONS).find_map(|(at, line)| {
        let long = tag_value(line, "long").filter(|l| BIND_FLAGS.contains(l))?;
        let default = tag_value(line, "default")?;
        let host = default.rsplit_once(':').map_or(default, |(host, _)| host);
        matches!(host, "localhost" | "127.0.0.1").then(|| (long.to_string(), default.to_string(), at))
    })
}

/// The value the command gives `--flag` (`--flag=value` or `--flag value`).
fn flag_value(command: &[String], flag: &str) -> Option<String> {
    let long = format!("--{flag}");
    command.iter().enumerate().find_map(|(at, word)| match word.split_once('=') {
        Some((name, value)) if name == long => Some(value.to_string()),
        _ if *word == long => command.get(at + 1).cloned(),
        _ => None,
    })
}

/// The port the command's listen flag sets (`--listen=8081`).
fn listen_flag_port(files: &AppFiles, command: &[String], source: &str) -> Option<Fact<u16>> {
    let flag = crate::analyze::source::app_code_lines(files, &super::EXTENSIONS).find_map(|(_, line)| {
        tag_value(line, "long").filter(|l| super::code::LISTEN_FLAGS.contains(l)).map(str::to_string)
    })?;
    let value = flag_value(command, &flag)?;
    let port = value.parse::<u16>().ok().filter(|p| *p != 0).or_else(|| listen_port(&value, true))?;
    Some(fact(port, source.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTIONS: &str = "package opts\n\ntype Options struct {\n\tHost string `long:\"host\" default:\"localhost\"`\n\tBind string `long:\"bind\" description:\"HTTP host\" default:\"localhost\"`\n\tListen uint `long:\"listen\" default:\"7070\"`\n}\n";

    fn started(pairs: &[(&str, &str)]) -> (Vec<String>, Option<u16>, Vec<String>) {
        let files = AppFiles::from_pairs(pairs.iter().copied());
        let mut findings = Vec::new();
        let (start, port) = with_start_flags(&files, "tool", fact(vec!["/app/tool".into()], "main.go"), &mut findings);
        (start.value, port.map(|p| p.value), findings.into_iter().filter_map(|f| f.fix).collect())
    }

    #[test]
    fn the_image_flags_are_kept_and_bind_is_not_added_twice() {
        let dockerfile = "FROM debian\nCOPY --from=build /src/tool /usr/local/bin/tool\nENTRYPOINT [\"/usr/local/bin/tool\", \"--bind=0.0.0.0\", \"--listen=7071\"]\n";
        let (start, port, fixes) = started(&[("opts/options.go", OPTIONS), ("Dockerfile", dockerfile)]);
        assert_eq!(start, ["/app/tool", "--bind=0.0.0.0", "--listen=7071"]);
        assert_eq!(port, Some(7071));
        assert_eq!(fixes, ["the start command passes --bind (keep it)"]);
    }

    #[test]
    fn a_shell_form_chain_runs_whole_in_a_shell_with_ferrys_binary() {
        let dockerfile = "FROM golang AS build\nRUN go build -o /out/tool .\nFROM debian\nWORKDIR /srv\nCOPY --from=build /out/tool /srv\nCMD ./tool upgrade && ./tool --verbose\n";
        let files = AppFiles::from_pairs([("Dockerfile", dockerfile)]);
        let mut findings = Vec::new();
        let (start, _) = with_start_flags(&files, "tool", fact(vec!["/app/tool".into()], "main.go"), &mut findings);
        assert_eq!(start.value, ["sh", "-c", "/app/tool upgrade && /app/tool --verbose"]);
        assert_eq!(start.source, "Dockerfile:6 (the repository's own image)");
        // Another program in the chain is not ferry's to rewrite: no flags are taken from it.
        let other = dockerfile.replace("./tool upgrade", "wait-for db:5432");
        let files = AppFiles::from_pairs([("Dockerfile", other.as_str())]);
        let (start, _) = with_start_flags(&files, "tool", fact(vec!["/app/tool".into()], "main.go"), &mut findings);
        assert_eq!(start.value, ["/app/tool"]);
    }

    #[test]
    fn without_an_image_ferry_binds_every_interface() {
        let (start, port, fixes) = started(&[("opts/options.go", OPTIONS)]);
        assert_eq!(start, ["/app/tool", "--bind=0.0.0.0"]);
        assert_eq!(port, None);
        assert_eq!(fixes, ["the container command adds `--bind=0.0.0.0`"]);
    }
}
