//! Files a Node.js app writes into the folder it serves (`express.static('static')`), such as
//! a media cache: `writeToDisk(data, './static/pics/' + name)` and then a page that links to
//! `/pics/name`. Behind a load balancer the page and the file it links to reach different
//! tasks, and the task that did not write the file answers 404; every task also loses what it
//! wrote when it stops. The write often goes through a small helper of the app's own
//! (`this.writeToDisk = (data, filename) => fs.writeFile(filename, ...)`), so helpers whose
//! parameter becomes the path of an `fs` write count as writes.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::source::is_test_path;
use super::variables::scope_of;
use crate::model::{Finding, VariableScope};

const EXTENSIONS: [&str; 6] = ["js", "mjs", "cjs", "ts", "mts", "cts"];

/// The `fs` calls whose first argument is the path of the file they write.
const FS_WRITES: [&str; 5] =
    ["fs.writeFile(", "fs.writeFileSync(", "fs.createWriteStream(", "fs.promises.writeFile(", "fsp.writeFile("];

/// How far above a write its path may be assigned.
const LOOK_BACK: usize = 12;

/// How far below a helper's first line its `fs` write may be.
const HELPER_BODY: usize = 15;

/// Middleware that serves a folder of the app to browsers.
const SERVES: [&str; 3] = ["express.static(", "serveStatic(", "koaStatic("];

/// `name = (a, b) =>`, `name = async function (a, b)`, `function name(a, b)`.
static HELPER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\bfunction\s+([A-Za-z_$][\w$]*)\s*\(([^)]*)\)|([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\s*)?\(([^)]*)\)\s*(?:=>|\{))")
        .expect("helper pattern")
});

pub fn finding(files: &AppFiles) -> Option<Finding> {
    let running = |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime;
    let mut sources: Vec<(&str, Vec<String>)> = files
        .with_extensions(&EXTENSIONS)
        .filter(|(p, _)| running(p))
        .map(|(path, text)| (path, super::node_imports::live_lines(text)))
        .collect();
    sources.sort_by(|a, b| a.0.cmp(b.0));
    let folders = served_folders(&sources);
    if folders.is_empty() {
        return None;
    }
    let helpers = write_helpers(&sources);
    sources.iter().find_map(|(path, lines)| {
        let index = (0..lines.len()).find(|&i| {
            write_path(&lines[i], &helpers).is_some_and(|arg| names_served(lines, i, &arg, &folders))
        })?;
        Some(
            Finding::blocker(
                "local-disk-writes",
                "writes files into the folder it serves to browsers: a page that links to one may reach a task that never wrote it and answers 404, and every task loses them when it stops",
                format!("{path}:{}", index + 1),
            )
            .with_fix("keep the files in S3 and serve them from there (or through CloudFront), or stop caching them on disk"),
        )
    })
}

/// The folders static middleware serves, as paths relative to the app (`static`,
/// `client/dist`), from `express.static(`${__dirname}/static`)` or `path.join(__dirname, 'public')`.
fn served_folders(sources: &[(&str, Vec<String>)]) -> Vec<String> {
    let mut folders: Vec<String> = Vec::new();
    for line in sources.iter().flat_map(|(_, lines)| lines) {
        for serve in SERVES {
            let Some((_, rest)) = line.split_once(serve) else { continue };
            let argument = rest.split(')').next().unwrap_or_default();
            let folder: Vec<&str> = quoted_parts(argument)
                .iter()
                .flat_map(|part| part.split('/'))
                .map(|segment| if segment.starts_with("${") { "" } else { segment })
                .filter(|segment| !matches!(*segment, "" | "." | ".."))
                .collect();
            if !folder.is_empty() && !folders.contains(&folder.join("/")) {
                folders.push(folder.join("/"));
            }
        }
    }
    folders
}

/// The text inside each quote of `text`: `'a'`, `"b"`, `` `c` ``.
fn quoted_parts(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(['\'', '"', '`']) {
        let quote = rest[start..].chars().next().unwrap_or('\'');
        let after = &rest[start + 1..];
        let Some(end) = after.find(quote) else { break };
        parts.push(&after[..end]);
        rest = &after[end + 1..];
    }
    parts
}

/// Helpers of the app whose parameter becomes the path of an `fs` write: name and the
/// parameter's position.
fn write_helpers(sources: &[(&str, Vec<String>)]) -> Vec<(String, usize)> {
    let mut helpers = Vec::new();
    for (_, lines) in sources {
        for (index, line) in lines.iter().enumerate() {
            let Some(captures) = HELPER.captures(line) else { continue };
            let name = captures.get(1).or_else(|| captures.get(3)).map(|m| m.as_str()).unwrap_or_default();
            let params: Vec<&str> = captures
                .get(2)
                .or_else(|| captures.get(4))
                .map(|m| m.as_str().split(',').map(|p| p.split('=').next().unwrap_or("").trim()).collect())
                .unwrap_or_default();
            let body = &lines[index..lines.len().min(index + HELPER_BODY)];
            let written = body.iter().find_map(|l| fs_write_path(l));
            if let Some(position) = written.and_then(|arg| params.iter().position(|p| !p.is_empty() && *p == arg)) {
                helpers.push((name.to_string(), position));
            }
        }
    }
    helpers
}

/// The first argument of an `fs` write on `line`, as written.
fn fs_write_path(line: &str) -> Option<String> {
    FS_WRITES.iter().find_map(|call| line.split_once(call).map(|(_, rest)| argument(rest, 0)))
}

/// The path argument of a write on `line`: an `fs` write, or a call of a write helper.
fn write_path(line: &str, helpers: &[(String, usize)]) -> Option<String> {
    fs_write_path(line).or_else(|| {
        helpers.iter().find_map(|(name, position)| {
            let call = format!("{name}(");
            let (before, rest) = line.split_once(&call)?;
            // A call, not the helper's own definition nor a longer name ending in it.
            let whole = !before.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$');
            (whole && !line.contains("function") && !rest.contains("=>")).then(|| argument(rest, *position))
        })
    })
}

/// The `position`th top-level argument of a call whose text starts at `rest`.
fn argument(rest: &str, position: usize) -> String {
    let mut depth = 0usize;
    let mut arguments = vec![String::new()];
    for c in rest.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                arguments.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = arguments.last_mut() {
            last.push(c);
        }
    }
    arguments.get(position).map(|a| a.trim().to_string()).unwrap_or_default()
}

/// Whether the path `argument` of the write at `index` is a file per request under a served
/// folder: written there, or a variable assigned such a path a few lines above. A fixed name
/// (`public/config.js` written at start) is the same file in every task, and harmless.
fn names_served(lines: &[String], index: usize, argument: &str, folders: &[String]) -> bool {
    if under_served(argument, folders) {
        return varies(argument);
    }
    let is_name = !argument.is_empty() && argument.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$');
    is_name
        && lines[index.saturating_sub(LOOK_BACK)..index].iter().any(|line| {
            let value = line.split_once(argument).and_then(|(before, after)| {
                let whole = !before.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.');
                let after = after.trim_start();
                (whole && after.starts_with('=') && !after.starts_with("==")).then(|| &after[1..])
            });
            value.is_some_and(|value| under_served(value, folders) && varies(value))
        })
}

/// Whether a path expression names a different file per call: a template with `${…}`, or a
/// name joined or added to it (`id + '.png'`, `join(dir, name)`).
fn varies(expression: &str) -> bool {
    let mut outside = String::new();
    let mut rest = expression;
    while let Some(start) = rest.find(['\'', '"', '`']) {
        outside.push_str(&rest[..start]);
        let quote = rest[start..].chars().next().unwrap_or('\'');
        let after = &rest[start + 1..];
        let end = after.find(quote).unwrap_or(after.len());
        if after[..end].contains("${") {
            return true;
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
    outside.push_str(rest);
    const FIXED: [&str; 7] = ["path", "join", "resolve", "__dirname", "process", "cwd", "await"];
    outside
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .any(|word| word.starts_with(|c: char| c.is_alphabetic() || c == '_' || c == '$') && !FIXED.contains(&word))
}

/// `./static/pics/x`, `` `${__dirname}/static/x` ``, `path.join(__dirname, 'static', name)`.
fn under_served(text: &str, folders: &[String]) -> bool {
    folders.iter().any(|folder| {
        let inside = [
            format!("./{folder}/"),
            format!("'{folder}/"),
            format!("\"{folder}/"),
            format!("`{folder}/"),
            format!("}}/{folder}/"),
        ];
        let joined = (text.contains("__dirname") || text.contains("process.cwd()"))
            && text.contains("join(")
            && (text.contains(&format!("'{folder}'")) || text.contains(&format!("\"{folder}\"")));
        joined || inside.iter().any(|prefix| text.contains(prefix.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(files: &[(&str, &str)]) -> Option<String> {
        finding(&AppFiles::from_pairs(files.iter().copied())).map(|f| f.source)
    }

    const SERVER: &str = "const app = express()\napp.use(express.static(`${__dirname}/static`))\n";

    #[test]
    fn a_cache_written_through_the_apps_own_helper() {
        let tools = "const fs = require('fs')\nmodule.exports = function () {\n  this.saveFile = (bytes, target) => {\n    return new Promise(done => {\n      fs.writeFile(target, bytes, 'binary', () => done())\n    })\n  }\n}\n";
        let cache = "async function cached(url, name) {\n  let target = `./static/thumbs/${name}`\n  if (!fs.existsSync(target)) {\n    const got = await fetchBytes(url)\n    await saveFile(got, target)\n  }\n  return `/thumbs/${name}`\n}\n";
        let found = source(&[("app.js", SERVER), ("lib/tools.js", tools), ("lib/cache.js", cache)]);
        assert_eq!(found.as_deref(), Some("lib/cache.js:5"));
    }

    #[test]
    fn a_direct_write_under_the_served_folder() {
        let avatar = "const fs = require('fs')\nexports.render = (id, png) => {\n  fs.writeFileSync(path.join(__dirname, 'public', 'avatars', id + '.png'), png)\n}\n";
        let server = "app.use(express.static(path.join(__dirname, 'public')))\n";
        assert_eq!(source(&[("server.js", server), ("avatar.js", avatar)]).as_deref(), Some("avatar.js:3"));
    }

    #[test]
    fn writes_elsewhere_or_no_served_folder_raise_nothing() {
        let tmp = "const fs = require('fs')\nfunction dump(data) {\n  const target = '/tmp/report.json'\n  fs.writeFileSync(target, data)\n}\n";
        assert_eq!(source(&[("app.js", SERVER), ("dump.js", tmp)]), None);
        let cache = "let target = `./static/x/${n}`\nfs.writeFileSync(target, bytes)\n";
        assert_eq!(source(&[("cache.js", cache)]), None, "nothing serves static/");
        let commented = "// fs.writeFileSync(`./static/${n}.png`, bytes)\n";
        assert_eq!(source(&[("app.js", SERVER), ("cache.js", commented)]), None);
        let fixed = "fs.writeFileSync(path.join(__dirname, 'static', 'env.js'), script)\n";
        assert_eq!(source(&[("app.js", SERVER), ("env.js", fixed)]), None, "one fixed file, the same in every task");
    }
}
