//! Runtime versions stated outside a runtime's own manifest: version-manager files
//! (`.tool-versions`, `mise.toml`), the base image of a Dockerfile the project already ships,
//! and the versions its CI workflows test with.

use super::app_files::AppFiles;
use super::source::{Fact, fact, version_in};

/// How one runtime is named in each of those places.
pub struct Runtime {
    /// `.tool-versions` and `mise.toml` names.
    pub tool_names: &'static [&'static str],
    /// Official images whose tag starts with the version.
    pub images: &'static [&'static str],
    /// The setup action's input in CI workflows (`node-version`).
    pub ci_key: &'static str,
    /// The key of `.travis.yml`.
    pub travis_key: &'static str,
    /// How many version numbers the runtime is pinned by (`22`, `3.12`).
    pub parts: usize,
}

pub const NODE: Runtime = Runtime {
    tool_names: &["nodejs", "node"],
    images: &["node"],
    ci_key: "node-version",
    travis_key: "node_js",
    parts: 1,
};
pub const PYTHON: Runtime =
    Runtime { tool_names: &["python"], images: &["python"], ci_key: "python-version", travis_key: "python", parts: 2 };
pub const GO: Runtime =
    Runtime { tool_names: &["golang", "go"], images: &["golang"], ci_key: "go-version", travis_key: "go", parts: 2 };
pub const JAVA: Runtime = Runtime {
    tool_names: &["java"],
    images: &["eclipse-temurin", "openjdk", "amazoncorretto", "ibm-semeru-runtimes", "sapmachine", "azul/zulu-openjdk"],
    ci_key: "java-version",
    travis_key: "jdk",
    parts: 1,
};

/// `.tool-versions` (`nodejs 22.3.0`) or `mise.toml`/`.mise.toml` (`node = "22"` under `[tools]`).
pub fn version_manager(files: &AppFiles, runtime: &Runtime) -> Option<Fact<String>> {
    if let Some(text) = files.get(".tool-versions") {
        for (index, line) in text.lines().enumerate() {
            let mut words = line.split_whitespace();
            let (Some(tool), Some(version)) = (words.next(), words.next()) else { continue };
            if runtime.tool_names.contains(&tool)
                && let Some(v) = numeric(version, runtime.parts)
            {
                return Some(fact(v, format!(".tool-versions:{}", index + 1)));
            }
        }
    }
    for file in ["mise.toml", ".mise.toml"] {
        let Some(text) = files.get(file) else { continue };
        let mut in_tools = false;
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.starts_with('[') {
                in_tools = line == "[tools]";
                continue;
            }
            let Some((key, value)) = line.split_once('=') else { continue };
            if in_tools
                && runtime.tool_names.contains(&key.trim().trim_matches('"'))
                && let Some(v) = numeric(value.trim().trim_matches(['"', '\'']), runtime.parts)
            {
                return Some(fact(v, format!("{file}:{}", index + 1)));
            }
        }
    }
    None
}

/// The version of the runtime's image in the project's own Dockerfile: the last `FROM` of that
/// image (the runtime stage, when a build stage uses the same image).
pub fn dockerfile(files: &AppFiles, runtime: &Runtime) -> Option<Fact<String>> {
    let dockerfiles = files.files.iter().filter(|(path, _)| {
        let name = path.rsplit('/').next().unwrap_or(path);
        let depth = path.matches('/').count();
        // `Dockerfile-production` is the project's image under another name.
        let named = name == "Dockerfile" || name.starts_with("Dockerfile.") || name.starts_with("Dockerfile-");
        depth <= 1 && (named || name.ends_with(".Dockerfile"))
    });
    let mut found = None;
    for (path, text) in dockerfiles {
        for (index, line) in text.lines().enumerate() {
            let mut words = line.split_whitespace();
            if !words.next().is_some_and(|w| w.eq_ignore_ascii_case("FROM")) {
                continue;
            }
            let Some(image) = words.find(|w| !w.starts_with("--")) else { continue };
            let image = image.trim_start_matches("docker.io/").trim_start_matches("library/");
            let Some((name, tag)) = image.split_once(':') else { continue };
            let tag = with_arguments(text, tag);
            let version = if runtime.images.contains(&name) {
                numeric(&tag, runtime.parts)
            } else {
                in_a_derived_tag(name, &tag, runtime)
            };
            if let Some(v) = version {
                found = Some(fact(v, format!("{path}:{}", index + 1)));
            }
        }
        if found.is_some() {
            return found;
        }
    }
    found
}

/// The newest version a CI workflow sets the runtime up with: `node-version: 22`,
/// `python-version: ["3.12", "3.13"]`, or a matrix list the key refers to. A matrix's oldest
/// entry is often only kept for users still on it (Node 10 beside 14 for an app written in ES
/// modules, which 10 cannot run); the newest is what the code is surely written for.
pub fn ci(files: &AppFiles, runtime: &Runtime) -> Option<Fact<String>> {
    let workflows = files.files.iter().filter(|(path, _)| {
        path.starts_with(".github/workflows/") || path.as_str() == ".travis.yml" || path.as_str() == ".gitlab-ci.yml"
    });
    // `python-version: '3.x'` asks for whatever is newest: no release to build the image on.
    let whole = |version: &String| version.split('.').count() >= runtime.parts;
    for (path, text) in workflows {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let Some((key, value)) = line.trim().trim_start_matches("- ").split_once(':') else { continue };
            let key = key.trim();
            let value = value.trim();
            let travis = path == ".travis.yml" && key == runtime.travis_key;
            if key != runtime.ci_key && !travis {
                continue;
            }
            // `${{ matrix.node }}`: the matrix entry it names.
            if let Some(entry) = value.strip_prefix("${{").and_then(|v| v.trim().strip_prefix("matrix.")) {
                let entry = entry.trim_end_matches("}}").trim();
                if let Some(at) = lines.iter().position(|l| l.trim().starts_with(&format!("{entry}:"))) {
                    let (_, listed) = lines[at].split_once(':').unwrap_or_default();
                    if let Some(v) = newest_listed(listed, &lines[at + 1..], runtime.parts).filter(|v| whole(v)) {
                        return Some(fact(v, format!("{path}:{}", at + 1)));
                    }
                }
                continue;
            }
            if let Some(v) = newest_listed(value, &lines[index + 1..], runtime.parts).filter(|v| whole(v)) {
                return Some(fact(v, format!("{path}:{}", index + 1)));
            }
        }
    }
    None
}

/// The newest version a key's value lists (`[20, 22]`, `"3.12"`), or, when the value is
/// empty, the list items on the lines after it (`- 20.x`).
fn newest_listed(value: &str, after: &[&str], parts: usize) -> Option<String> {
    let mut entries = listed(value);
    if value.trim().is_empty() {
        let items = after.iter().map(|l| l.trim()).take_while(|l| l.starts_with('-'));
        entries.extend(items.flat_map(|item| listed(item.trim_start_matches('-'))));
    }
    entries
        .iter()
        .filter_map(|entry| numeric(entry, parts))
        .max_by_key(|v| v.split('.').map(|n| n.parse::<u32>().unwrap_or(0)).collect::<Vec<_>>())
}

/// `[22, 24]` → `22`, `24`; `"3.12"` → `3.12`.
fn listed(text: &str) -> Vec<String> {
    let text = text.trim().trim_start_matches('[').trim_end_matches(']');
    text.split(',')
        .map(|entry| entry.trim().trim_matches(['"', '\'']).to_string())
        .filter(|entry| !entry.is_empty())
        .collect()
}

/// The version in a tag or pin when it starts with a number (`22-alpine`, `v22.3.0`,
/// `3.14.7-slim`); `lts`, `latest` and variables are not versions.
/// A tag written with a build argument (`${PARENT_VERSION}`) read with the argument's default
/// (`ARG PARENT_VERSION=2.5.2-node22.13.1`).
fn with_arguments(dockerfile: &str, tag: &str) -> String {
    let Some(start) = tag.find('$') else { return tag.to_string() };
    let rest = &tag[start + 1..];
    // `${PY_VERSION}-alpine` or `$PY_VERSION`: the argument's name, and what follows it.
    let (name, after) = match rest.strip_prefix('{') {
        Some(braced) => match braced.split_once('}') {
            Some((name, after)) => (name, after),
            None => return tag.to_string(),
        },
        None => {
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
            (&rest[..end], &rest[end..])
        }
    };
    let value = dockerfile.lines().find_map(|line| {
        line.trim().strip_prefix("ARG ")?.trim().strip_prefix(name)?.strip_prefix('=').map(str::to_string)
    });
    match value {
        Some(value) => format!("{}{}{after}", &tag[..start], value.trim_matches(['"', '\''])),
        None => tag.to_string(),
    }
}

/// An organisation's image built on the runtime's, whose name and tag both say it:
/// `defradigital/node:2.5.2-node22.13.1`.
fn in_a_derived_tag(name: &str, tag: &str, runtime: &Runtime) -> Option<String> {
    let base = name.rsplit('/').next().unwrap_or(name);
    let image = runtime.images.iter().find(|image| base.split(['-', '_']).any(|part| part == **image))?;
    let (_, after) = tag.split_once(image)?;
    numeric(after, runtime.parts)
}

fn numeric(text: &str, parts: usize) -> Option<String> {
    let text = text.trim().trim_start_matches('v');
    if !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    version_in(text, parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_stated_around_the_manifest() {
        let files = AppFiles::from_pairs([
            (".tool-versions", "ruby 3.3.0\nnodejs 22.3.0\n"),
            ("mise.toml", "[env]\nnode = \"9\"\n[tools]\npython = \"3.12\"\n"),
            ("Dockerfile", "FROM golang:1.26-alpine AS build\nFROM python:3.14.7-slim\nFROM node:lts\n"),
            (
                ".github/workflows/ci.yml",
                "jobs:\n  test:\n    strategy:\n      matrix:\n        node: [20, 22]\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          node-version: ${{ matrix.node }}\n      - uses: actions/setup-java@v4\n        with:\n          java-version: '21'\n",
            ),
        ]);
        assert_eq!(version_manager(&files, &NODE), Some(fact("22".into(), ".tool-versions:2")));
        assert_eq!(version_manager(&files, &PYTHON), Some(fact("3.12".into(), "mise.toml:4")));
        assert_eq!(dockerfile(&files, &PYTHON), Some(fact("3.14".into(), "Dockerfile:2")));
        assert_eq!(dockerfile(&files, &GO), Some(fact("1.26".into(), "Dockerfile:1")));
        assert_eq!(dockerfile(&files, &NODE), None, "lts is not a version");
        let derived = "ARG PARENT_VERSION=2.5.2-node22.13.1\nFROM defradigital/node-development:${PARENT_VERSION} AS dev\nFROM defradigital/node:${PARENT_VERSION}\n";
        let derived = AppFiles::from_pairs([("Dockerfile", derived)]);
        assert_eq!(dockerfile(&derived, &NODE), Some(fact("22".into(), "Dockerfile:3")));
        let argument =
            AppFiles::from_pairs([("Dockerfile", "ARG PY_VERSION=3.12\nFROM docker.io/python:${PY_VERSION}-alpine\n")]);
        assert_eq!(dockerfile(&argument, &PYTHON).map(|f| f.value).as_deref(), Some("3.12"));
        let unrelated = AppFiles::from_pairs([("Dockerfile", "FROM acme/nodejs-runner:1.4\n")]);
        assert_eq!(dockerfile(&unrelated, &NODE), None);
        assert_eq!(ci(&files, &NODE), Some(fact("22".into(), ".github/workflows/ci.yml:5")), "the newest entry");
        assert_eq!(ci(&files, &JAVA), Some(fact("21".into(), ".github/workflows/ci.yml:12")));
    }

    #[test]
    fn a_ci_list_gives_its_newest_entry() {
        let travis = AppFiles::from_pairs([(
            ".travis.yml",
            "language: node_js\nnode_js:\n  - 10\n  - \"14\"\n  - 12\nscript: npm test\n",
        )]);
        assert_eq!(ci(&travis, &NODE), Some(fact("14".into(), ".travis.yml:2")));
        let python = AppFiles::from_pairs([(
            ".github/workflows/t.yml",
            "      - uses: actions/setup-python@v5\n        with:\n          python-version: ['3.9', '3.12', '3.10']\n",
        )]);
        assert_eq!(ci(&python, &PYTHON), Some(fact("3.12".into(), ".github/workflows/t.yml:3")));
    }
}
