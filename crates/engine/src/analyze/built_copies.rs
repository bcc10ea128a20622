//! What a Dockerfile's final stage copies out of a build stage (`COPY --from=build
//! /app/dist/apps/api ./dist`), and where the command's files then sit in ferry's image. ferry's
//! image keeps the build stage's folder whole, so `node dist/main.js` in the maintainers' image
//! is `node dist/apps/api/main.js` in ferry's.

use super::source::shell_words;

/// `(the source as a path of the build stage's working directory, where it lands)` for each
/// source of a `COPY --from=<stage>`; `workdir_of` gives a stage's working directory, and
/// `None` for a name that is no stage (`--from=node:20` copies from an image).
pub fn copied_from_stage(rest: &str, workdir_of: impl Fn(&str) -> Option<String>) -> Vec<(String, String)> {
    let Some(words) = shell_words(rest) else { return Vec::new() };
    let Some(stage) = words.iter().find_map(|w| w.strip_prefix("--from=")) else { return Vec::new() };
    let Some(workdir) = workdir_of(stage) else { return Vec::new() };
    let paths: Vec<&String> = words.iter().filter(|w| !w.starts_with("--")).collect();
    let Some((dest, sources)) = paths.split_last() else { return Vec::new() };
    if sources.len() != 1 {
        return Vec::new();
    }
    let source = sources[0].trim_end_matches('/');
    let relative = if source.starts_with('/') {
        match source.strip_prefix(workdir.as_str()) {
            Some("") => String::new(),
            Some(rest) if rest.starts_with('/') => rest.trim_start_matches('/').to_string(),
            _ => return Vec::new(),
        }
    } else {
        source.trim_start_matches("./").trim_start_matches('.').to_string()
    };
    vec![(relative.clone(), landing(&relative, dest))]
}

/// Where a copy to `dest` puts `source`: a file (`dist/bin/peerjs.js`) copied into a folder
/// (`./`, `.`, `bin/`) lands there under its own name; anything else lands at `dest`.
fn landing(source: &str, dest: &str) -> String {
    let name = source.rsplit('/').next().unwrap_or(source);
    let a_file = name.contains('.') && !name.starts_with('.');
    let folder = dest.ends_with('/') || matches!(dest, "." | "./");
    if !(a_file && folder) {
        return dest.to_string();
    }
    match dest.trim_end_matches('/').trim_end_matches("/.") {
        "" if dest.starts_with('/') => format!("/{name}"),
        "" | "." => name.to_string(),
        folder => format!("{folder}/{name}"),
    }
}

/// `word` (a path relative to the final stage's `workdir`) as a path of the build stage's
/// folder, when a copy out of a build stage put it where it is and moved it on the way.
pub fn in_build_folder(workdir: &str, built: &[(String, String)], word: &str) -> Option<String> {
    let absolute = |path: &str| -> String {
        let path = path.trim_end_matches('/').trim_end_matches("/.");
        if path.starts_with('/') {
            return path.to_string();
        }
        let relative = path.trim_start_matches("./");
        if relative == "." || relative.is_empty() { workdir.to_string() } else { format!("{workdir}/{relative}") }
    };
    let at = absolute(word);
    built.iter().find_map(|(source, dest)| {
        let dest = absolute(dest);
        let rest = if at == dest { Some("") } else { at.strip_prefix(&format!("{dest}/")) }?;
        let moved = match (source.as_str(), rest) {
            ("", rest) => rest.to_string(),
            (source, "") => source.to_string(),
            (source, rest) => format!("{source}/{rest}"),
        };
        (moved != word.trim_start_matches("./")).then_some(moved)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_output_moved_on_its_way_into_the_final_stage() {
        let workdir = |name: &str| (name == "build").then(|| "/app".to_string());
        let built = copied_from_stage("--from=build --chown=node /app/dist/apps/api ./dist", workdir);
        assert_eq!(built, [("dist/apps/api".to_string(), "./dist".to_string())]);
        assert_eq!(in_build_folder("/app", &built, "dist/main.js").as_deref(), Some("dist/apps/api/main.js"));
        let flat = copied_from_stage("--from=build /app/build .", workdir);
        assert_eq!(in_build_folder("/srv", &flat, "index.js").as_deref(), Some("build/index.js"));
        let same = copied_from_stage("--from=build /app/dist ./dist", workdir);
        assert_eq!(in_build_folder("/app", &same, "dist/main.js"), None, "nothing moved");
        assert!(copied_from_stage("--from=node:20 /usr/local/bin/node /usr/bin/node", workdir).is_empty());
        // A file copied into a folder keeps its name there.
        let file = copied_from_stage("--from=build /app/dist/bin/serve.js ./", workdir);
        assert_eq!(in_build_folder("/srv", &file, "serve.js").as_deref(), Some("dist/bin/serve.js"));
        let into_bin = copied_from_stage("--from=build /app/out/app.jar bin/", workdir);
        assert_eq!(in_build_folder("/srv", &into_bin, "bin/app.jar").as_deref(), Some("out/app.jar"));
    }
}
