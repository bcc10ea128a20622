//! A server analysed one folder down whose repository image also builds its neighbours: the
//! root Dockerfile's final stage copies, beside the binary, what stages built from other
//! folders (`COPY --from=frontend-build /commento/frontend/build/ /commento/`, templates, SQL
//! migrations). The server reads them at start or serves them; ferry's image, built from the
//! server's folder alone, does not have them.

use super::app_files::AppFiles;
use super::container_start::{dockerfiles, instructions};
use crate::model::Finding;

/// A stage of the root Dockerfile: its name and the repository folders its `COPY`s take.
struct Stage {
    name: String,
    folders: Vec<String>,
    /// `(line, stage)` of each `COPY --from=stage` in it.
    copied_from: Vec<(usize, String)>,
}

/// The blocker when the root image's final stage takes files that stages built from folders
/// other than `server`.
pub(super) fn finding(root: &AppFiles, server: &str) -> Option<Finding> {
    let (path, text) = dockerfiles(root).into_iter().find(|(path, _)| !path.contains('/'))?;
    let stages = stages(text);
    let last = stages.last()?;
    let (line, from, folders) = last.copied_from.iter().find_map(|(line, from)| {
        let stage = stages.iter().find(|s| s.name == *from)?;
        // `packages` holds `packages/server`; `server/src` is inside it: either way the
        // server's own files, not a neighbour's.
        let overlaps = |folder: &String| {
            folder == server || server.starts_with(&format!("{folder}/")) || folder.starts_with(&format!("{server}/"))
        };
        let others: Vec<&String> = stage.folders.iter().filter(|f| !overlaps(f)).collect();
        (!others.is_empty() && !stage.folders.iter().any(overlaps)).then_some((*line, from, others))
    })?;
    let named: Vec<String> = folders.iter().map(|f| format!("{f}/")).collect();
    Some(
        Finding::blocker(
            "image-lacks-assets",
            format!(
                "the repository's image puts what its `{from}` stage builds from {} beside the server ({path}:{line}); ferry's image is built from {server}/ alone and lacks it, so the pages, templates or migrations the server reads are missing",
                named.join(", ")
            ),
            format!("{path}:{line}"),
        )
        .with_fix(format!(
            "build the image with the repository's own Dockerfile and give ferry its image, or add those build steps to {server}/'s image"
        )),
    )
}

/// Every stage with the folders it copies from the repository and the stages it copies from.
fn stages(text: &str) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    for (index, line) in instructions(text) {
        let mut words = line.split_whitespace();
        let keyword = words.next().unwrap_or_default().to_ascii_uppercase();
        let rest: Vec<&str> = words.collect();
        if keyword == "FROM" {
            let name = match rest.iter().position(|w| w.eq_ignore_ascii_case("as")) {
                Some(at) => rest.get(at + 1).copied().unwrap_or_default().to_string(),
                None => String::new(),
            };
            stages.push(Stage { name, folders: Vec::new(), copied_from: Vec::new() });
            continue;
        }
        let Some(stage) = stages.last_mut() else { continue };
        if !matches!(keyword.as_str(), "COPY" | "ADD") {
            continue;
        }
        if let Some(from) = rest.iter().find_map(|w| w.strip_prefix("--from=")) {
            stage.copied_from.push((index + 1, from.to_string()));
            continue;
        }
        let sources = rest.iter().filter(|w| !w.starts_with("--")).collect::<Vec<_>>();
        let Some((_, sources)) = sources.split_last() else { continue };
        for source in sources {
            // The whole repository path (`packages/web`): a server may itself sit deeper than
            // one folder down.
            let folder = source.trim_start_matches("./").trim_end_matches('/');
            let named = !folder.is_empty() && folder != "." && !folder.starts_with('/') && !folder.contains(['*', '$']);
            if named && !stage.folders.iter().any(|f| f == folder) {
                stage.folders.push(folder.to_string());
            }
        }
    }
    stages
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCKERFILE: &str = "FROM golang:1.22 AS api-build\nCOPY ./api /src/api\nRUN make\n\nFROM node:20 AS frontend-build\nCOPY ./frontend /src/frontend\nRUN make\n\nFROM alpine:3\nCOPY --from=api-build /src/api/build/app /app/app\nCOPY --from=frontend-build /src/frontend/build/ /app/\nENTRYPOINT [\"/app/app\"]\n";

    #[test]
    fn a_neighbours_build_beside_the_binary() {
        let root = AppFiles::from_pairs([("Dockerfile", DOCKERFILE), ("api/go.mod", "module x\n")]);
        let found = finding(&root, "api").expect("a blocker");
        assert_eq!(found.source, "Dockerfile:11");
        assert!(found.message.contains("`frontend-build` stage builds from frontend/"), "{}", found.message);
        let alone = DOCKERFILE.replace("COPY --from=frontend-build /src/frontend/build/ /app/\n", "");
        let root = AppFiles::from_pairs([("Dockerfile", alone.as_str())]);
        assert!(finding(&root, "api").is_none(), "only the binary");
        let nested = DOCKERFILE
            .replace("COPY ./api /src/api", "COPY packages ./packages")
            .replace("COPY ./frontend /src/frontend", "COPY packages/web ./packages/web");
        let root = AppFiles::from_pairs([("Dockerfile", nested.as_str())]);
        assert!(finding(&root, "packages/server").is_some(), "packages/web is a neighbour");
        let own = nested.replace("COPY packages/web ./packages/web", "COPY packages ./packages");
        let root = AppFiles::from_pairs([("Dockerfile", own.as_str())]);
        assert!(finding(&root, "packages/server").is_none(), "packages holds the server itself");
    }
}
