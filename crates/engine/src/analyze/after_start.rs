//! Whether a line runs only after the app has started: inside a function the app calls only
//! from request handlers, or never calls itself. `export const getStripe = () => { if
//! (!env.STRIPE_SECRET_KEY) throw ... }` stops nothing at start when every call of
//! `getStripe` sits in a route handler: the billing pages fail, the app starts. A call at a
//! module's top, or in a function that runs at the top (`main()`), runs at start; so does any
//! use ferry cannot place, and then the demand stands as a blocker. One that runs only after
//! start is said as a warning: whether the requests that fail are the app's main work or an
//! optional feature is for the operator to judge, never a claim that the app will not start.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::enclosing::enclosing_lines;
use super::source::is_test_path;
use crate::model::{Finding, FindingLevel};

/// `export async function name(`, `function* name<T>(`, `const name = async (...) =>`,
/// `def name(`, `func (s *S) name(`: a named function's first line at the left margin.
static NAMED_FUNCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*[<(]",
        r"|^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>)",
        r"|^(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(",
        r"|^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)\s*[\[(]",
    ))
    .expect("valid pattern")
});

/// `router.get('/x', ...`, `app.post("/y", ...`, `@app.route("/z")`, `http.HandleFunc("/", ...`:
/// a line that registers a request handler.
static ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:\.|@\w+\.)(?:get|post|put|patch|delete|all|use|route|head|options|HandleFunc|Handle|GET|POST|PUT|PATCH|DELETE)\(\s*['"`/]"#)
        .expect("valid pattern")
});

/// A Next.js route handler or API page, which the framework calls per request.
static ROUTE_HANDLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^export\s+(?:default\s+)?(?:async\s+)?function\s+(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|handler)\b")
        .expect("valid pattern")
});

const CODE: [&str; 8] = ["js", "mjs", "cjs", "ts", "mts", "cts", "py", "go"];

/// How many callers deep a function is followed before ferry assumes it runs at start.
const DEPTH: usize = 3;

/// Lowers each required-env blocker whose demand (its source line) runs only after start to
/// a warning that says where it fails.
pub fn relax(files: &AppFiles, findings: &mut [Finding]) {
    for finding in findings.iter_mut().filter(|f| f.kind == "required-env" && f.level == FindingLevel::Blocker) {
        let Some((path, line)) = finding.source.rsplit_once(':') else { continue };
        let Some(index) = line.parse::<usize>().ok().and_then(|n| n.checked_sub(1)) else { continue };
        let Some(text) = files.get(path) else { continue };
        let lines: Vec<&str> = text.lines().collect();
        if index >= lines.len() || !only_after_start(files, &lines, index) {
            continue;
        }
        let head = finding.message.split(": the app will not start").next().unwrap_or_default();
        let head = head.split("; it says").next().unwrap_or_default().to_string();
        finding.level = FindingLevel::Warning;
        finding.message = format!(
            "{head}, but only where requests are handled: the app starts without it, and the requests that reach {} fail",
            finding.source
        );
    }
}

/// Whether line `index` of `lines` runs only after start (see the module's note).
pub fn only_after_start(files: &AppFiles, lines: &[&str], index: usize) -> bool {
    let Some((top, head)) = enclosing_lines(lines, index).last() else { return false };
    handles_requests(lines, top, head) || function_name(head).is_some_and(|name| !runs_at_start(files, &name, DEPTH))
}

/// The name a named function's first line declares.
fn function_name(head: &str) -> Option<String> {
    let captures = NAMED_FUNCTION.captures(head)?;
    (1..=4).find_map(|group| captures.get(group)).map(|m| m.as_str().to_string())
}

/// Whether the block opened at `top` by `head` is a request handler: a route registration, a
/// Next.js handler, or a Python function under a route decorator.
fn handles_requests(lines: &[&str], top: usize, head: &str) -> bool {
    let decorated =
        lines[..top].iter().rev().take_while(|l| l.trim_start().starts_with('@')).any(|l| ROUTE.is_match(l));
    ROUTE.is_match(head) || ROUTE_HANDLER.is_match(head) || decorated
}

/// What a runtime or framework calls as the process starts, with no call in the app's code.
const ENTRY_POINTS: [&str; 10] =
    ["main", "init", "register", "bootstrap", "start", "run", "setup", "startup", "lifespan", "create_app"];

/// Whether some use of the function `name` in the app's running code runs at start.
fn runs_at_start(files: &AppFiles, name: &str, depth: usize) -> bool {
    if depth == 0 || ENTRY_POINTS.contains(&name) {
        return true;
    }
    let running = files.with_extensions(&CODE).filter(|(path, text)| !is_test_path(path) && text.contains(name));
    for (_, text) in running {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let Some(called) = uses(line, name) else { continue };
            // A handler passed to a route runs per request, wherever the route is declared.
            let registered = !called && ROUTE.is_match(line);
            if function_name(line).as_deref() == Some(name) || is_declaration_only(line) || registered {
                continue;
            }
            // At a module's top, a call or a use ferry cannot place runs now.
            let Some((top, head)) = enclosing_lines(&lines, index).last() else { return true };
            if handles_requests(&lines, top, head) {
                continue;
            }
            match function_name(head) {
                Some(caller) if caller != name => {
                    if runs_at_start(files, &caller, depth - 1) {
                        return true;
                    }
                }
                Some(_) => {}
                None => return true,
            }
        }
    }
    false
}

/// Whether `line` uses `name` as a whole word: `Some(true)` for a call, `Some(false)` for
/// another use (a reference passed along).
fn uses(line: &str, name: &str) -> Option<bool> {
    let code = line.trim_start();
    if code.starts_with("//") || code.starts_with('#') || code.starts_with('*') {
        return None;
    }
    line.match_indices(name).find_map(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + name.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
        (!word(before) && !word(after)).then(|| after == Some('('))
    })
}

/// `import { name } from`, `export { name }`, `module.exports = { name }`: no use at all.
fn is_declaration_only(line: &str) -> bool {
    let code = line.trim_start();
    ["import ", "export {", "export type", "from ", "module.exports", "exports."].iter().any(|p| code.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demand_after_start(files: &[(&str, &str)], path: &str, needle: &str) -> bool {
        let files = AppFiles::from_pairs(files.iter().copied());
        let text = files.with_extensions(&CODE).find(|(p, _)| *p == path).map(|(_, t)| t.to_string()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let index = lines.iter().position(|l| l.contains(needle)).unwrap();
        only_after_start(&files, &lines, index)
    }

    const BILLING: &str = "import Stripe from 'stripe'\nexport const getStripe = () => {\n  if (!env.STRIPE_KEY) throw new Error('STRIPE_KEY is not set')\n  return new Stripe(env.STRIPE_KEY)\n}\n";

    #[test]
    fn a_getter_called_only_from_handlers_runs_after_start() {
        let route = "import { getStripe } from '@/billing'\nexport async function POST(req) {\n  const stripe = getStripe()\n}\n";
        let express = "router.post('/pay', async (req, res) => {\n  await charge(req)\n})\nasync function charge(req) {\n  getStripe().charges.create({})\n}\n";
        let files = [("billing.ts", BILLING), ("app/api/pay/route.ts", route), ("routes/pay.js", express)];
        assert!(demand_after_start(&files, "billing.ts", "throw"));
    }

    #[test]
    fn a_call_at_start_keeps_the_demand() {
        let main = "import { getStripe } from './billing'\nasync function main() {\n  const stripe = getStripe()\n  app.listen(3000)\n}\nmain()\n";
        assert!(!demand_after_start(&[("billing.ts", BILLING), ("main.ts", main)], "billing.ts", "throw"));
        let top = "import { getStripe } from './billing'\nconst stripe = getStripe()\n";
        assert!(!demand_after_start(&[("billing.ts", BILLING), ("main.ts", top)], "billing.ts", "throw"));
        let timer = "import { getStripe } from './billing'\nsetInterval(getStripe, 1000)\n";
        assert!(
            !demand_after_start(&[("billing.ts", BILLING), ("main.ts", timer)], "billing.ts", "throw"),
            "a use ferry cannot place"
        );
        let at_top = "if (!process.env.KEY) {\n  throw new Error('KEY is not set')\n}\n";
        assert!(!demand_after_start(&[("config.ts", at_top)], "config.ts", "throw"), "a module's top runs at import");
        let go = "func main() {\n\tif os.Getenv(\"KEY\") == \"\" {\n\t\tlog.Fatal(\"KEY must be set\")\n\t}\n\thttp.HandleFunc(\"/\", serve)\n}\n\nfunc serve(w http.ResponseWriter, r *http.Request) {\n\tif token == \"\" {\n\t\tpanic(\"TOKEN must be set\")\n\t}\n}\n";
        assert!(!demand_after_start(&[("main.go", go)], "main.go", "KEY must"), "main runs at start");
        assert!(demand_after_start(&[("main.go", go)], "main.go", "TOKEN must"), "a handler runs per request");
    }

    #[test]
    fn python_views_and_helpers() {
        let views = "@app.route('/pay')\ndef pay():\n    return charge()\n\ndef charge():\n    if not KEY:\n        raise RuntimeError('KEY is not set')\n";
        assert!(demand_after_start(&[("views.py", views)], "views.py", "raise"));
        let boot = "def load():\n    if not KEY:\n        raise RuntimeError('KEY is not set')\n\nCONFIG = load()\n";
        assert!(!demand_after_start(&[("config.py", boot)], "config.py", "raise"));
    }
}
