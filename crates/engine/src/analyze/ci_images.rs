//! The runtime version of the images CI runs the tests in, when the project states it nowhere
//! else: CircleCI's `circleci/node:10.15` or `cimg/node:18.1`, GitLab's `image: node:16`.

use super::app_files::AppFiles;
use super::source::{Fact, fact, version_in};

const CI_FILES: [&str; 3] = [".circleci/config.yml", ".gitlab-ci.yml", "bitbucket-pipelines.yml"];
/// Who publishes images of the runtime besides the official library: CircleCI's convenience
/// images, old and new.
const PUBLISHERS: [&str; 3] = ["", "circleci/", "cimg/"];

/// The first image of `runtime` (`node`) a CI file names with a numeric tag, as `parts` numbers.
pub fn version(files: &AppFiles, runtime: &str, parts: usize) -> Option<Fact<String>> {
    for file in CI_FILES {
        let Some(text) = files.get(file) else { continue };
        for (index, line) in text.lines().enumerate() {
            let line = line.trim().trim_start_matches("- ").trim();
            let Some(image) = line.strip_prefix("image:").or_else(|| line.strip_prefix("name:")) else { continue };
            let image =
                image.trim().trim_matches(['"', '\'']).trim_start_matches("docker.io/").trim_start_matches("library/");
            let Some((name, tag)) = image.split_once(':') else { continue };
            let ours = PUBLISHERS.iter().any(|publisher| name == format!("{publisher}{runtime}"));
            if ours
                && tag.starts_with(|c: char| c.is_ascii_digit())
                && let Some(v) = version_in(tag, parts)
            {
                return Some(fact(v, format!("{file}:{}", index + 1)));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_of_circleci_and_gitlab() {
        let circle =
            "version: 2\njobs:\n  build:\n    docker:\n      - image: circleci/node:10.15\n      - image: mongo:4\n";
        let files = AppFiles::from_pairs([(".circleci/config.yml", circle)]);
        assert_eq!(version(&files, "node", 1), Some(fact("10".into(), ".circleci/config.yml:5")));
        let gitlab = AppFiles::from_pairs([(".gitlab-ci.yml", "test:\n  image: \"node:16-alpine\"\n")]);
        assert_eq!(version(&gitlab, "node", 1), Some(fact("16".into(), ".gitlab-ci.yml:2")));
        let lts = AppFiles::from_pairs([(".gitlab-ci.yml", "image: node:lts\n")]);
        assert_eq!(version(&lts, "node", 1), None);
    }
}
