//! A client the code makes only when the variable is set: in a class's constructor or a
//! function reached only under `if (process.env.REDIS_URL)`, or from a local the code tests
//! first (`const url = process.env.REDIS_URL;` then `if (!url) { return; }` or
//! `if (url) { connect(url) }`). Unset, nothing is made, so the client's own fallback address
//! never applies and the variable is not required.

use std::sync::LazyLock;

use regex::Regex;

/// `class DocWorkerMap`, `function makeClient(`: a declaration that owns the lines below it.
static OWNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:export\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(class|function)\s+([A-Za-z_$][\w$]*)")
        .expect("valid pattern")
});

/// `const urlTxt = process.env.REDIS_URL || ...`: the local the read is kept under.
static HELD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:const|let|var)\s+([\w$]+)\s*=\s*process\.env").expect("valid pattern"));

/// How many lines below the read its early return may sit.
const CHECK_SPAN: usize = 6;

/// Whether the read on `line` of `text` is kept in a local that the code tests before
/// anything is handed it: it returns early without it, or uses it only in a block that
/// runs when it is set.
pub fn local_tested_first(text: &str, line: &str) -> bool {
    let Some(local) = HELD.captures(line).map(|c| c[1].to_string()) else { return false };
    let local = regex::escape(&local);
    let Ok(unset) = Regex::new(&format!(r"^\s*if\s*\(\s*!\s*{local}\s*\)")) else { return false };
    let Ok(set) = Regex::new(&format!(r"^\s*if\s*\(\s*{local}\s*(?:\)|&&)")) else { return false };
    let lines: Vec<&str> = text.lines().collect();
    let Some(at) = lines.iter().position(|l| *l == line) else { return false };
    let below = &lines[at + 1..lines.len().min(at + 1 + CHECK_SPAN)];
    below.iter().enumerate().any(|(index, l)| {
        // The return on the test's own line or within the block it opens.
        let returns = || below[index..below.len().min(index + 3)].iter().any(|l| l.contains("return"));
        set.is_match(l) || (unset.is_match(l) && returns())
    })
}

/// Whether the read on `line` of `text` sits in a class or function whose every use in
/// `sources` is under a test that `name` is set.
pub fn only_when_set(sources: &[(&str, &str)], text: &str, line: &str, name: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    let Some(at) = lines.iter().position(|l| *l == line) else { return false };
    let Some((kind, owner)) = enclosing_owner(&lines[..at], indent(line)) else { return false };
    let escaped = regex::escape(&owner);
    let pattern =
        if kind == "class" { format!(r"\bnew\s+{escaped}\s*\(") } else { format!(r"(?:^|[^.\w$]){escaped}\s*\(") };
    let Ok(call) = Regex::new(&pattern) else { return false };
    let mut uses = sources
        .iter()
        .flat_map(|(_, text)| text.lines().filter(|l| call.is_match(l) && !OWNER.is_match(l)).map(move |l| (*text, l)));
    let mut any = false;
    let all_tested = uses.all(|(text, use_line)| {
        any = true;
        tested_on(use_line, name) || super::node_store_clients::inside_a_test_of(text, use_line, name)
    });
    any && all_tested
}

/// The nearest class or function declaration the lines above hold `own`-indented code in:
/// each line less indented than the code so far opens the block it is in.
fn enclosing_owner(above: &[&str], own: usize) -> Option<(String, String)> {
    let mut own = own;
    for line in above.iter().rev().filter(|l| !l.trim().is_empty()) {
        if indent(line) >= own {
            continue;
        }
        if let Some(captures) = OWNER.captures(line) {
            return Some((captures[1].to_string(), captures[2].to_string()));
        }
        own = indent(line);
        if own == 0 {
            return None;
        }
    }
    None
}

/// `process.env.X ? new Client() : null` or `process.env.X && makeClient()` on the use's line.
fn tested_on(line: &str, name: &str) -> bool {
    let read = format!("process.env.{name}");
    line.split_once(&read).is_some_and(|(_, after)| {
        let after = after.trim_start();
        after.starts_with('?') || after.starts_with("&&")
    })
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &str = "export class DocWorkerMap {\n  constructor(clients) {\n    this._clients = clients || [createClient(process.env.REDIS_URL)];\n  }\n}\n";

    fn judged(factory: &str) -> bool {
        let sources = [("lib/map.ts", MAP), ("lib/factory.ts", factory)];
        only_when_set(&sources, MAP, MAP.lines().nth(2).unwrap(), "REDIS_URL")
    }

    #[test]
    fn a_class_made_only_under_a_test_of_the_variable() {
        assert!(judged(
            "export function getMap() {\n  if (process.env.REDIS_URL) {\n    return new DocWorkerMap();\n  }\n  return new DummyMap();\n}\n"
        ));
        assert!(judged("const map = process.env.REDIS_URL ? new DocWorkerMap() : null;\n"));
    }

    #[test]
    fn a_class_made_anywhere_without_the_test_keeps_the_fallback() {
        assert!(!judged("export function getMap() {\n  return new DocWorkerMap();\n}\n"));
        assert!(!judged("if (process.env.REDIS_URL) {\n  a = new DocWorkerMap();\n}\nb = new DocWorkerMap();\n"));
        assert!(!judged("if (process.env.OTHER) {\n  a = new DocWorkerMap();\n}\n"));
        assert!(!judged("// never made\n"), "a class nothing makes says nothing");
    }

    #[test]
    fn a_local_the_code_local_tested_first() {
        let code = "function connection() {\n  const urlTxt = process.env.REDIS_URL || process.env.TEST_REDIS_URL;\n  if (!urlTxt) {\n    log.warn('in memory');\n    return;\n  }\n  return new IORedis(urlTxt);\n}\n";
        assert!(local_tested_first(code, code.lines().nth(1).unwrap()));
        let throws = code.replace("return;", "throw new Error('REDIS_URL');");
        assert!(!local_tested_first(&throws, throws.lines().nth(1).unwrap()), "unset, it fails: required");
        let other = code.replace("if (!urlTxt)", "if (!other)");
        assert!(!local_tested_first(&other, other.lines().nth(1).unwrap()));
        let block = "  const redisUrl = process.env.REDIS_URL;\n  this.stats = new Stats();\n\n  if (redisUrl) {\n    this.queue = connect(createClient(redisUrl));\n  }\n";
        assert!(local_tested_first(block, block.lines().next().unwrap()));
    }

    #[test]
    fn a_function_called_only_when_set() {
        let code = "function makeClient() {\n  return new Redis(process.env.CACHE_URL);\n}\nif (process.env.CACHE_URL) {\n  client = makeClient();\n}\n";
        let sources = [("cache.js", code)];
        assert!(only_when_set(&sources, code, code.lines().nth(1).unwrap(), "CACHE_URL"));
        let always = "function makeClient() {\n  return new Redis(process.env.CACHE_URL);\n}\nclient = makeClient();\n";
        assert!(!only_when_set(&[("cache.js", always)], always, always.lines().nth(1).unwrap(), "CACHE_URL"));
    }
}
