//! The mount calls a file makes, as written: FastAPI's `include_router`, Flask's
//! `register_blueprint`, Starlette's `mount`, chi's `Mount` and `Route`, Express's `app.use`
//! (also spread over lines). `Mounts` resolves what they join.

use std::sync::LazyLock;

use regex::Regex;

/// `target.include_router(reference, prefix=...)` and its kin, read in `file`.
#[derive(Debug)]
pub(super) struct Mount {
    pub file: String,
    pub target: String,
    pub reference: String,
    pub prefix: Option<String>,
}

/// The mounts written in `text`, the file at `path`.
pub(super) fn in_file(path: &str, text: &str) -> Vec<Mount> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if super::comment_lines::commented(line) {
            continue;
        }
        // `app.use(\n  '/',\n  require('./routes/login'),\n)` or `app.include_router(\n
        // health, prefix="/health")`: the call spread over lines, read whole.
        let spread = SPREAD_CALLS
            .into_iter()
            .find(|opener| line.split_once(opener).is_some_and(|(_, after)| arguments_of(after).is_none()));
        match spread {
            Some(opener) => found.extend(mount_in(path, &spread_call(&lines, index, opener))),
            None => found.extend(mount_in(path, line)),
        }
    }
    found
}

/// The mount calls whose arguments may span lines.
const SPREAD_CALLS: [&str; 3] = [".use(", ".include_router(", ".register_blueprint("];

static PYTHON_MOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\w+)\.(?:include_router|register_blueprint)\(\s*([\w.]+)(.*)").expect("valid pattern")
});
/// Starlette's `app.mount("/api/v1", v1_app)`: a whole application answering under a path.
static PYTHON_APP_MOUNT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\w+)\.mount\(").expect("valid pattern"));
pub(super) static KEYWORD_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b(?:url_)?prefix\s*=\s*([\w.]+|["'][^"']*["'])"#).expect("valid pattern"));

/// A call that opens on line `index` and closes on a later one, joined into one line without
/// its comment lines; at most a dozen lines are read.
fn spread_call(lines: &[&str], index: usize, opener: &str) -> String {
    const MOST: usize = 12;
    let mut joined = String::new();
    for line in lines.iter().skip(index).take(MOST) {
        let trimmed = line.trim();
        if ["//", "/*", "*", "#"].iter().any(|c| trimmed.starts_with(c)) {
            continue;
        }
        let code = trimmed.split_once(" //").map_or(trimmed, |(code, _)| code);
        joined.push_str(code);
        joined.push(' ');
        if joined.split_once(opener).is_some_and(|(_, after)| arguments_of(after).is_some()) {
            break;
        }
    }
    joined
}

fn mount_in(path: &str, line: &str) -> Vec<Mount> {
    mount(path, line).map_or_else(|| express_mounts(path, line), |found| vec![found])
}

fn mount(path: &str, line: &str) -> Option<Mount> {
    if path.ends_with(".py")
        && let Some(caps) = PYTHON_APP_MOUNT.captures(line)
    {
        let arguments = arguments_of(&line[caps.get(0)?.end()..])?;
        let (written, reference) = (arguments.first()?.trim(), arguments.get(1)?.trim());
        // `env.get_base_path() + "/api/v1"`: the path literal, under a base path that is
        // empty unless configured.
        let prefix = written.split(['"', '\'']).rfind(|p| p.starts_with('/')).map(|p| format!("\"{p}\""))?;
        let names =
            !reference.is_empty() && reference.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        return names.then(|| Mount {
            file: path.into(),
            target: caps[1].into(),
            reference: reference.into(),
            prefix: Some(prefix),
        });
    }
    if path.ends_with(".go") {
        let (target, reference, prefix) = super::go_mounts::chi_mount(line)?;
        return Some(Mount { file: path.into(), target, reference, prefix: Some(prefix) });
    }
    if !(line.contains("include_router") || line.contains("register_blueprint") || line.contains(".use(")) {
        return None;
    }
    if let Some(caps) = PYTHON_MOUNT.captures(line) {
        let prefix = KEYWORD_PREFIX.captures(&caps[3]).map(|c| c[1].to_string());
        return Some(Mount { file: path.into(), target: caps[1].into(), reference: caps[2].into(), prefix });
    }
    None
}

/// `app.use('/api', auth, routes)` or `app.use(require('./routes'))`: the target, the prefix
/// literal if the first argument is one, and the last argument when it names a router. Routers
/// required in place each mount under the prefix (`app.use('/', require('./login')(passport),
/// require('./dashboard'))`): Express runs them in turn.
fn express_mounts(path: &str, line: &str) -> Vec<Mount> {
    let Some((before, after)) = line.split_once(".use(") else { return Vec::new() };
    let target: String = before.chars().rev().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let target: String = target.chars().rev().collect();
    let Some(arguments) = arguments_of(after) else { return Vec::new() };
    let arguments: Vec<&str> = arguments.iter().map(|a| a.trim()).filter(|a| !a.is_empty()).collect();
    let (Some(first), Some(last)) = (arguments.first(), arguments.last()) else { return Vec::new() };
    // koa-router nests a router by its middleware: `api.use('/v1', v1.routes())`.
    let last = &last.strip_suffix(".routes()").unwrap_or(last);
    let prefix = first.starts_with(['"', '\'', '`']).then(|| first.to_string());
    // `require('./routes')`, `require('./login')(passport)`, or a router the module exports
    // by name (`require('./lib/metrics').router`).
    let required = |argument: &str| {
        argument.starts_with("require(")
            && (argument.ends_with(')')
                || argument.rsplit_once(").").is_some_and(|(_, property)| {
                    !property.is_empty() && property.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                }))
    };
    let names_router = last.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') || required(last);
    if target.is_empty() || !names_router || last.starts_with(['"', '\'', '`']) {
        return Vec::new();
    }
    let earlier = arguments[..arguments.len() - 1].iter().filter(|argument| required(argument));
    earlier
        .chain(std::iter::once(last))
        .map(|reference| Mount {
            file: path.into(),
            target: target.clone(),
            reference: reference.to_string(),
            prefix: prefix.clone(),
        })
        .collect()
}

/// The top-level arguments of a call whose text starts right after its `(`; `None` when the
/// call does not close on this line.
fn arguments_of(after: &str) -> Option<Vec<&str>> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 0;
    let mut arguments = Vec::new();
    for (i, c) in after.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')') if depth == 0 => {
                arguments.push(&after[start..i]);
                return Some(arguments);
            }
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                arguments.push(&after[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    None
}
