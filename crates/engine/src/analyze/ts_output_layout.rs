//! Where tsc writes the server's entry. With no `rootDir`, tsc mirrors the common folder of
//! every file it compiles: when `database/` or `tests/` compile beside `src/`, `src/main.ts`
//! becomes `dist/src/main.js`, and a `start:prod` of `node dist/main` (the NestJS template's)
//! names a file the build never writes. The layout comes from tsconfig (`rootDir`, `include`,
//! `exclude`, `outDir`, through `extends`) and nest-cli.json's tsconfig choice.

use serde_json::{Map, Value};

use super::app_files::{AppFiles, normalized};
use super::source::{Fact, fact};

/// Folders tsc never compiles from when `exclude` is not given.
const ALWAYS_EXCLUDED: [&str; 3] = ["node_modules", "bower_components", "jspm_packages"];
/// How many `extends` are followed.
const MAX_EXTENDS: usize = 4;

/// The start with its compiled entry moved to where tsc writes it, when the start names the
/// output of a source file as if compiled from a deeper folder than tsc compiles from.
pub fn relocated(files: &AppFiles, manifest: &Value, start: &Fact<Vec<String>>) -> Option<Fact<Vec<String>>> {
    let build = manifest.pointer("/scripts/build").and_then(Value::as_str)?;
    let nest = build.contains("nest build");
    if !nest && !build.split_whitespace().any(|w| w == "tsc") {
        return None;
    }
    let [program, output, rest @ ..] = start.value.as_slice() else { return None };
    if program != "node" {
        return None;
    }
    let config_path = tsconfig_path(files, nest);
    let config = load(files, &config_path, 0)?;
    let options = config.get("compilerOptions").cloned().unwrap_or_default();
    let out_dir = options.get("outDir").and_then(Value::as_str).and_then(normalized)?;
    let named = output.trim_start_matches("./").strip_prefix(&format!("{out_dir}/"))?;
    if options.get("rootDir").is_some() {
        return None;
    }
    let stem = ["js", "cjs", "mjs"].iter().find_map(|e| named.strip_suffix(&format!(".{e}"))).unwrap_or(named);
    let compiled = compiled_files(files, &config, &out_dir);
    let root = common_folder(&compiled);
    let source_of = |folder: &str| {
        ["ts", "tsx", "mts", "cts"]
            .iter()
            .flat_map(|ext| [format!("{folder}{stem}.{ext}"), format!("{folder}{stem}/index.{ext}")])
            .find(|candidate| compiled.contains(candidate))
    };
    if source_of(&root).is_some() {
        return None;
    }
    // The source the start meant sits below the root tsc compiles from: the output keeps the
    // folders between them.
    let deeper = compiled.iter().filter_map(|path| {
        let inner = path.strip_prefix(root.as_str())?;
        let folder = inner.rsplit_once('/').map(|(folder, _)| format!("{folder}/"))?;
        source_of(&format!("{root}{folder}")).map(|_| folder)
    });
    let mut folders: Vec<String> = deeper.collect();
    folders.sort();
    folders.dedup();
    // One folder only: sources of the same name in several folders leave the entry unknown.
    let [folder] = folders.as_slice() else { return None };
    let command = [program.clone(), format!("{out_dir}/{folder}{named}")].into_iter().chain(rest.iter().cloned());
    Some(fact(command.collect(), config_path))
}

/// The tsconfig the build compiles with: nest-cli.json's `tsConfigPath`, else NestJS's
/// tsconfig.build.json when there is one; plain tsc reads tsconfig.json.
fn tsconfig_path(files: &AppFiles, nest: bool) -> String {
    let nest_cli = files.get("nest-cli.json").and_then(parse);
    let named = nest_cli.as_ref().and_then(|c| c.pointer("/compilerOptions/tsConfigPath")).and_then(Value::as_str);
    match named {
        Some(path) if nest => path.trim_start_matches("./").to_string(),
        _ if nest && files.has("tsconfig.build.json") => "tsconfig.build.json".to_string(),
        _ => "tsconfig.json".to_string(),
    }
}

/// The tsconfig at `path` with what it extends merged under it (compiler options key by key,
/// `include`/`exclude`/`files` whole).
fn load(files: &AppFiles, path: &str, depth: usize) -> Option<Map<String, Value>> {
    let own = parse(files.get(path)?)?.as_object()?.clone();
    let parent =
        own.get("extends").and_then(Value::as_str).filter(|e| e.starts_with('.') && depth < MAX_EXTENDS).and_then(
            |e| {
                let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
                let target = normalized(&format!("{folder}/{e}"))?;
                let target = if target.ends_with(".json") { target } else { format!("{target}.json") };
                load(files, &target, depth + 1)
            },
        );
    let Some(mut merged) = parent else { return Some(own) };
    for (key, value) in own {
        match (key.as_str(), merged.get_mut("compilerOptions")) {
            ("compilerOptions", Some(Value::Object(options))) => {
                options.extend(value.as_object().cloned().unwrap_or_default());
            }
            _ => {
                merged.insert(key, value);
            }
        }
    }
    Some(merged)
}

/// The TypeScript sources the config compiles (declaration files never set the layout).
fn compiled_files(files: &AppFiles, config: &Map<String, Value>, out_dir: &str) -> Vec<String> {
    let patterns = |key: &str| -> Option<Vec<String>> {
        config.get(key)?.as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
    };
    let include = patterns("include");
    let exclude = patterns("exclude").unwrap_or_else(|| ALWAYS_EXCLUDED.iter().map(|s| s.to_string()).collect());
    files
        .with_extensions(&["ts", "tsx", "mts", "cts"])
        .map(|(path, _)| path)
        .filter(|path| !path.ends_with(".d.ts") && !path.starts_with(&format!("{out_dir}/")))
        .filter(|path| !ALWAYS_EXCLUDED.iter().any(|folder| path.split('/').any(|part| part == *folder)))
        .filter(|path| include.as_ref().is_none_or(|include| include.iter().any(|p| matches(p, path))))
        .filter(|path| !exclude.iter().any(|p| matches(p, path)))
        .map(str::to_string)
        .collect()
}

/// Whether a tsconfig pattern covers `path`: a folder or file named as it is, or a glob read by
/// its fixed folder (`src/**/*`) and its fixed file ending (`**/*spec.ts`).
fn matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_start_matches("./");
    let Some(star) = pattern.find('*') else {
        let pattern = pattern.trim_end_matches('/');
        return path == pattern || path.starts_with(&format!("{pattern}/"));
    };
    let folder = &pattern[..star];
    let ending = pattern.rsplit('*').next().unwrap_or("");
    path.starts_with(folder) && path.ends_with(ending)
}

/// The deepest folder (with its `/`, or empty) holding every file.
fn common_folder(paths: &[String]) -> String {
    let mut common: Option<Vec<&str>> = None;
    for path in paths {
        let folders: Vec<&str> =
            path.split('/').collect::<Vec<_>>().split_last().map_or(Vec::new(), |(_, f)| f.to_vec());
        common = Some(match common {
            None => folders,
            Some(sofar) => sofar.iter().zip(&folders).take_while(|(a, b)| a == b).map(|(a, _)| *a).collect(),
        });
    }
    common.filter(|c| !c.is_empty()).map_or(String::new(), |c| format!("{}/", c.join("/")))
}

/// JSON with the comments and trailing commas tsconfig files allow.
pub fn parse(text: &str) -> Option<Value> {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            plain.push(c);
            if c == '\\' {
                plain.extend(chars.next());
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                plain.push(c);
            }
            ('/', Some('/')) => while chars.next_if(|n| *n != '\n').is_some() {},
            ('/', Some('*')) => {
                chars.next();
                let mut last = ' ';
                for n in chars.by_ref() {
                    if last == '*' && n == '/' {
                        break;
                    }
                    last = n;
                }
            }
            _ => plain.push(c),
        }
    }
    let trailing = regex::Regex::new(r",(\s*[}\]])").ok()?;
    serde_json::from_str(&trailing.replace_all(&plain, "$1")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(line: &str) -> Fact<Vec<String>> {
        fact(line.split_whitespace().map(str::to_string).collect(), "package.json scripts.start:prod")
    }

    #[test]
    fn sources_beside_src_move_the_entry_under_dist_src() {
        let manifest: Value = serde_json::from_str(r#"{"scripts":{"build":"nest build"}}"#).unwrap();
        let tsconfig = "{\n  // compiled by nest\n  \"compilerOptions\": {\"outDir\": \"./dist\",},\n}\n";
        let files = AppFiles::from_pairs([
            ("tsconfig.json", tsconfig),
            ("tsconfig.build.json", r#"{"extends": "./tsconfig.json", "exclude": ["node_modules", "**/*spec.ts"]}"#),
            ("src/main.ts", "bootstrap();\n"),
            ("src/app/module.ts", "export class AppModule {}\n"),
            ("scripts/seed.ts", "seed();\n"),
        ]);
        let moved = relocated(&files, &manifest, &start("node dist/main")).expect("scripts/ compiles beside src/");
        assert_eq!(moved.value, ["node", "dist/src/main"]);
        let only_src = AppFiles::from_pairs([
            ("tsconfig.json", tsconfig),
            ("src/main.ts", "bootstrap();\n"),
            ("scripts/seed.ts", "seed();\n"),
        ]);
        let tsc: Value = serde_json::from_str(r#"{"scripts":{"build":"tsc"}}"#).unwrap();
        let limited = AppFiles::from_pairs([
            ("tsconfig.json", r#"{"compilerOptions":{"outDir":"dist"},"include":["src"]}"#),
            ("src/main.ts", "bootstrap();\n"),
            ("scripts/seed.ts", "seed();\n"),
        ]);
        assert!(relocated(&limited, &tsc, &start("node dist/main.js")).is_none(), "include limits tsc to src");
        assert!(relocated(&only_src, &tsc, &start("node dist/src/main.js")).is_none(), "already right");
    }
}
