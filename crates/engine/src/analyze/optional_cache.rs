//! A cache client the code carries on without. When the file that makes the client keeps a
//! flag of whether it is connected (set true on the client's `ready` or `connect` event, false
//! on `error`, `end` or `close`) and checks that flag before using it, an unreachable localhost
//! costs only the cache: the app still starts and answers. The same when the setting is read
//! and the client connected inside a `try` whose `catch` neither rethrows nor exits (it logs
//! and goes on with no client). Its localhost default is then a warning, not a blocker.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use crate::model::{Finding, FindingLevel};

/// `redis.on('ready', () => {`: the event that says the client can be used.
static UP_EVENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\.on\(\s*['"](?:ready|connect)['"]"#).expect("valid pattern"));

/// `redis.on('error', () => {`: an event after which the client cannot be used.
static DOWN_EVENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\.on\(\s*['"](?:error|end|close)['"]"#).expect("valid pattern"));

/// `available = true` (not `==`, not `===`).
static FLAG_SET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b([A-Za-z_$][\w$]*)\s*=\s*(true|false)\b").expect("valid pattern"));

/// How many lines after the `.on(` a listener's flag assignment may sit.
const LISTENER_LINES: usize = 4;

/// The flag that follows the client's connection, when the code checks it before use.
pub fn availability_flag(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let set_in = |event: &Regex, value: &str| -> Vec<String> {
        let mut names = Vec::new();
        for index in (0..lines.len()).filter(|&index| event.is_match(lines[index])) {
            let body = lines[index..lines.len().min(index + LISTENER_LINES + 1)].join("\n");
            names.extend(FLAG_SET.captures_iter(&body).filter(|c| &c[2] == value).map(|c| c[1].to_string()));
        }
        names
    };
    let down = set_in(&DOWN_EVENT, "false");
    let flag = set_in(&UP_EVENT, "true").into_iter().find(|name| down.contains(name))?;
    let checked = Regex::new(&format!(r"\bif\s*\(\s*!?\s*{}\b", regex::escape(&flag))).ok()?;
    checked.is_match(text).then_some(flag)
}

/// The reason a localhost client in `path` stops nothing, for its finding's message.
pub fn carries_on_without(files: &AppFiles, path: &str) -> Option<String> {
    let (_, text) = files.with_extensions(&["js", "mjs", "cjs", "ts", "mts", "cts"]).find(|(p, _)| *p == path)?;
    let flag = availability_flag(text)?;
    Some(format!(
        "but the code carries on without it (`{flag}` follows the client's connection and is checked before each use), so only what it caches is lost"
    ))
}

/// How far above the setting's read its `try` may open.
const TRY_LINES: usize = 8;

/// The line (1-based) of the `try` that holds the read on `line` (1-based) and the client's
/// `connect(`, when its `catch` goes on: no `throw`, no exit.
pub fn connect_caught(text: &str, line: usize) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let read = line.checked_sub(1).filter(|&at| at < lines.len())?;
    let opens = |l: &str| l.trim_end().ends_with("try {") || l.trim() == "try {";
    let start = (read.saturating_sub(TRY_LINES)..=read).rev().find(|&at| opens(lines[at]))?;
    let braces = |l: &str| l.chars().map(|c| (c == '{') as i64 - (c == '}') as i64).sum::<i64>();
    // Where the try block closes: the first line back at the try's own depth.
    let mut depth = 0;
    let mut close = None;
    for (at, l) in lines.iter().enumerate().skip(start) {
        depth += braces(l);
        if depth <= 0 || (at > start && depth == 1 && l.trim_start().starts_with("} catch")) {
            close = Some(at);
            break;
        }
    }
    let close = close.filter(|&at| at > read && lines[at].contains("catch"))?;
    let body = &lines[start..close];
    if !body.iter().any(|l| l.contains(".connect(")) {
        return None;
    }
    // The catch block: from `} catch (e) {` (which closes one block and opens another) to
    // the line where the depth falls back to where the try began.
    let mut depth = 1;
    let handler: Vec<&str> = lines[close + 1..]
        .iter()
        .take_while(|l| {
            depth += braces(l);
            depth > 0
        })
        .copied()
        .collect();
    let stops = handler.iter().any(|l| ["throw", "exit(", "abort("].iter().any(|s| l.contains(s)));
    (!stops).then_some(start + 1)
}

/// The reason the client read at `path:line` stops nothing, for its finding's message.
fn reason_at(files: &AppFiles, path: &str, line: Option<usize>) -> Option<String> {
    if let Some(reason) = carries_on_without(files, path) {
        return Some(reason);
    }
    let at = connect_caught(files.get(path)?, line?)?;
    Some(format!(
        "but the code connects inside a `try` ({path}:{at}) whose `catch` goes on without the client, so only what it caches is lost"
    ))
}

/// Lowers each localhost-default blocker whose client the code can do without.
pub fn relax(files: &AppFiles, findings: &mut [Finding]) {
    for finding in findings.iter_mut() {
        if finding.kind != "localhost-default-host" || finding.level != FindingLevel::Blocker {
            continue;
        }
        let (path, line) = finding.source.rsplit_once(':').unwrap_or((finding.source.as_str(), ""));
        let Some(reason) = reason_at(files, path, line.parse().ok()) else { continue };
        finding.level = FindingLevel::Warning;
        finding.message = format!("{}, {reason}", finding.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_set_by_the_events_and_checked_before_use() {
        let cache = "const r = new Redis();\nlet up = false;\nr.on('error', () => {\n  up = false;\n});\nr.on('ready', () => {\n  up = true;\n});\nmodule.exports = async (req, res, next) => {\n  if (!up) return next();\n};\n";
        assert_eq!(availability_flag(cache).as_deref(), Some("up"));
    }

    #[test]
    fn a_connect_in_a_try_that_goes_on() {
        let caught = "async function client() {\n  try {\n    const url = process.env.CACHE_URL || 'redis://localhost:6379'\n    const c = createClient({ url })\n    await c.connect()\n    return c\n  } catch (error) {\n    console.warn('no cache', error)\n    return null\n  }\n}\n";
        assert_eq!(connect_caught(caught, 3), Some(2));
        let rethrown = caught.replace("return null", "throw error");
        assert_eq!(connect_caught(&rethrown, 3), None, "a catch that rethrows stops the request");
        let no_connect = caught.replace("await c.connect()", "await c.ping()");
        assert_eq!(connect_caught(&no_connect, 3), None);
    }

    #[test]
    fn a_client_that_exits_on_error_or_is_never_checked_is_needed() {
        let exits = "const r = new Redis();\nr.on('error', (err) => {\n  process.exit(1);\n});\n";
        assert_eq!(availability_flag(exits), None);
        let unchecked =
            "let up = false;\nr.on('error', () => { up = false; });\nr.on('ready', () => { up = true; });\n";
        assert_eq!(availability_flag(unchecked), None, "a flag nothing reads tolerates nothing");
    }
}
