//! The language a Dockerfile's image runs on, from the official image its last stage builds
//! on (`FROM node:20`, `FROM python:3.12-slim`). A repository may keep a side service of
//! another language beside the app, with its own Dockerfile: its command is not the app's.

use super::container_start::instructions;

/// Official images and the runtime (as ferry names it) each one brings.
const RUNTIME_IMAGES: [(&str, &str); 12] = [
    ("node", "node"),
    ("bun", "node"),
    ("python", "python"),
    ("pypy", "python"),
    ("golang", "go"),
    ("openjdk", "java"),
    ("eclipse-temurin", "java"),
    ("amazoncorretto", "java"),
    ("maven", "java"),
    ("gradle", "java"),
    ("ruby", "ruby"),
    ("php", "php"),
];

/// Whether the Dockerfile's last stage runs on the official image of a runtime other than
/// `runtime`. A base ferry does not know (`debian`, `distroless`, the team's own) says nothing.
pub fn other_runtime(dockerfile: &str, runtime: &str) -> bool {
    last_base_runtime(dockerfile).is_some_and(|found| found != runtime)
}

/// The runtime of the last stage's base image, looking through `FROM builder` to the stage
/// named `builder`.
fn last_base_runtime(dockerfile: &str) -> Option<&'static str> {
    let name = last_base_image(dockerfile)?;
    RUNTIME_IMAGES.iter().find(|(image, _)| *image == name).map(|(_, runtime)| *runtime)
}

/// The image the last stage builds on, by its bare name (`postgres` for
/// `docker.io/library/postgres:17`), looking through `FROM builder` to the stage `builder`.
pub fn last_base_image(dockerfile: &str) -> Option<String> {
    let mut stages: Vec<(String, String)> = Vec::new();
    for (_, line) in instructions(dockerfile) {
        let Some((keyword, rest)) = line.split_once(char::is_whitespace) else { continue };
        if !keyword.eq_ignore_ascii_case("FROM") {
            continue;
        }
        let words: Vec<&str> = rest.split_whitespace().filter(|w| !w.starts_with("--")).collect();
        let alias = match words.as_slice() {
            [_, as_word, alias] if as_word.eq_ignore_ascii_case("as") => alias.to_ascii_lowercase(),
            _ => String::new(),
        };
        stages.push((alias, words.first().unwrap_or(&"").to_ascii_lowercase()));
    }
    let mut base = stages.last()?.1.clone();
    for _ in 0..stages.len() {
        match stages.iter().find(|(alias, _)| !alias.is_empty() && *alias == base) {
            Some((_, earlier)) => base = earlier.clone(),
            None => break,
        }
    }
    let name = base.rsplit('/').next().unwrap_or(&base);
    Some(name.split([':', '@']).next().unwrap_or(name).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_languages_image_is_another_runtime() {
        assert!(other_runtime("FROM node:9\nWORKDIR /app\nCMD [\"node\", \"x.js\"]\n", "python"));
        assert!(!other_runtime("FROM python:3.12-slim\nCMD gunicorn app:app\n", "python"));
        assert!(!other_runtime("FROM debian:12\nCMD ./run.sh\n", "python"), "an unknown base says nothing");
    }

    #[test]
    fn a_stage_built_from_an_earlier_one_has_its_runtime() {
        let staged =
            "FROM docker.io/library/node:20 AS assets\nRUN npm ci\nFROM python:3.12 AS base\nFROM base\nCMD x\n";
        assert!(!other_runtime(staged, "python"));
        assert!(other_runtime(staged, "node"));
    }
}
