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

/// The arguments the final stage of the repository's Dockerfile passes to the same binary
/// (its `ENTRYPOINT` with the `CMD` after it, or a `CMD` alone), when all are literal.
fn image_flags(files: &AppFiles, binary: &str) -> Option<Fact<Vec<String>>> {
    let (path, text) = crate::analyze::container_start::dockerfiles(files).into_iter().next()?;
    let mut entrypoint: Option<(usize, Vec<String>)> = None;
    let mut cmd: Option<(usize, Vec<String>)> = None;
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
        *slot = exec_words(rest.trim()).map(|words| (index + 1, words));
    }
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

/// The words of an `ENTRYPOINT` or `CMD`: its JSON array, or its shell form split into words.
fn exec_words(rest: &str) -> Option<Vec<String>> {
    match rest.starts_with('[') {
        true => serde_json::from_str(rest).ok(),
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
    fn without_an_image_ferry_binds_every_interface() {
        let (start, port, fixes) = started(&[("opts/options.go", OPTIONS)]);
        assert_eq!(start, ["/app/tool", "--bind=0.0.0.0"]);
        assert_eq!(port, None);
        assert_eq!(fixes, ["the container command adds `--bind=0.0.0.0`"]);
    }
}
