//! A build that asks git for the commit (`git rev-parse HEAD > data/COMMIT.txt`): the image's
//! build context leaves `.git` out (it is large, and holds the whole history), so git finds no
//! repository and the file comes out empty, or the step fails. Code that checks the file at
//! start then refuses to run.

use serde_json::Value;

use super::source::Fact;
use crate::model::Finding;

/// The warning at the first script the image's build runs that calls git.
pub fn finding(manifest: &Value, build: Option<&Fact<Vec<String>>>) -> Option<Finding> {
    let (name, body) = super::image_scripts::of(manifest, build)
        .into_iter()
        .find(|(_, body)| body.split(['&', '|', ';']).any(|step| step.split_whitespace().next() == Some("git")))?;
    Some(
        Finding::warning(
            "build-needs-git",
            format!("the build runs git (`{}`), but the image's build has no .git: what it writes comes out empty", body.trim()),
            format!("package.json scripts.{name}"),
        )
        .with_fix("pass the commit as a build argument (docker build --build-arg COMMIT=$(git rev-parse HEAD)) and write the file from it"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_script_that_asks_git_for_the_commit() {
        let manifest: Value = serde_json::from_str(r#"{"scripts": {"build": "tsc && npm run commit:hash", "commit:hash": "git rev-parse HEAD > data/HASH.txt || echo failed", "lint": "git diff --check"}}"#).unwrap();
        let found = finding(&manifest, None).expect("a finding");
        assert_eq!(
            (found.kind.as_str(), found.source.as_str()),
            ("build-needs-git", "package.json scripts.commit:hash")
        );
        let plain: Value =
            serde_json::from_str(r#"{"scripts": {"build": "tsc", "lint": "git diff --check"}}"#).unwrap();
        assert!(finding(&plain, None).is_none(), "lint is not the build");
    }
}
