//! A script chain that opens a browser (`"postdocs": "open-cli docs/index.html"`): a
//! developer's convenience at a desk. In an image build there is no browser to open and the
//! opener is seldom installed, so the step fails and the build with it.

/// Programs that open a file or address in the desktop's browser.
const OPENERS: [&str; 4] = ["open-cli", "opn", "xdg-open", "open"];

/// How deep `npm run X` references are followed.
const MAX_DEPTH: usize = 4;

/// The opener command a run of script `name` reaches (with npm's and Yarn 1's `pre` and
/// `post` hooks, and the scripts it runs by name), and the script it sits in.
pub(super) fn opener<'a>(name: &str, script: &impl Fn(&str) -> Option<&'a str>) -> Option<(String, String)> {
    reached(name, script, 0)
}

fn reached<'a>(name: &str, script: &impl Fn(&str) -> Option<&'a str>, depth: usize) -> Option<(String, String)> {
    if depth > MAX_DEPTH {
        return None;
    }
    let hooks = [format!("pre{name}"), name.to_string(), format!("post{name}")];
    // `prestart`'s own `pre` hook would be `preprestart`: the same rule, so no special case.
    hooks.iter().find_map(|hook| {
        let line = script(hook)?;
        line.split(['&', '|', ';']).map(str::trim).filter(|c| !c.is_empty()).find_map(|command| {
            let words: Vec<&str> = command.split_whitespace().collect();
            let program = match words.first()? {
                &"npx" => *words.get(1)?,
                first => first,
            };
            if OPENERS.contains(&program) {
                return Some((command.to_string(), format!("package.json scripts.{hook}")));
            }
            let called = run_script(&words)?;
            (called != hook.as_str()).then(|| reached(called, script, depth + 1)).flatten()
        })
    })
}

/// `npm run X`, `npm run-script X`, `yarn run X`, `yarn X`, `pnpm run X`: the script named.
fn run_script<'w>(words: &[&'w str]) -> Option<&'w str> {
    let (manager, rest) = words.split_first()?;
    if !["npm", "yarn", "pnpm"].contains(manager) {
        return None;
    }
    let rest: Vec<&str> = rest.iter().copied().filter(|w| !w.starts_with('-')).collect();
    match rest.as_slice() {
        ["run" | "run-script", name, ..] => Some(*name),
        [name, ..] if *manager == "yarn" => Some(*name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scripts<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> {
        move |name| pairs.iter().find(|(n, _)| *n == name).map(|(_, line)| *line)
    }

    #[test]
    fn a_post_hook_of_a_called_script_opens_a_browser() {
        let pairs =
            [("prestart", "yarn build:docs"), ("build:docs", "gen -o out"), ("postbuild:docs", "opn out/index.html")];
        let found = opener("prestart", &scripts(&pairs));
        assert_eq!(found, Some(("opn out/index.html".into(), "package.json scripts.postbuild:docs".into())));
    }

    #[test]
    fn a_chain_that_only_builds_opens_nothing() {
        let pairs = [("prestart", "npm run build && npm run copy"), ("build", "tsc"), ("copy", "cp a b")];
        assert_eq!(opener("prestart", &scripts(&pairs)), None);
        let looped = [("prestart", "npm run prestart")];
        assert_eq!(opener("prestart", &scripts(&looped)), None);
    }
}
