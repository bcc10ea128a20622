//! A repository Dockerfile whose command runs a file the image build makes rather than one
//! the repository holds: a program fetched with `ADD https://…/wait /wait`, or a process file
//! written by a heredoc (`COPY <<EOF process.json`). ferry's image has neither, so that
//! command cannot start the app there; the package's own start is used instead.

use crate::analyze::app_files::AppFiles;
use crate::analyze::container_start::instructions;
use crate::analyze::stale_image::last_command;

/// Whether the last command of `dockerfile` names a file only its own build makes.
pub fn runs_a_file_the_image_makes(files: &AppFiles, dockerfile: &str) -> bool {
    let made = made_by_the_build(dockerfile);
    if made.is_empty() {
        return false;
    }
    let Some(words) = last_command(dockerfile) else { return false };
    // A `sh -c` line's words are what its shell runs.
    let line = words.join(" ");
    line.split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '"' | '\''))
        .filter(|word| !word.is_empty())
        .any(|word| made.iter().any(|path| names(files, word, path)))
}

/// Whether `word` of the command is the made file at `path`: the same absolute path, or a
/// relative one with its name that the repository does not hold.
fn names(files: &AppFiles, word: &str, path: &str) -> bool {
    if word.starts_with('/') {
        return word == path;
    }
    let relative = word.trim_start_matches("./");
    let file = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    file(relative) == file(path) && !files.has(relative)
}

/// Where `ADD <url>` and heredoc `COPY` instructions put what they make.
fn made_by_the_build(dockerfile: &str) -> Vec<String> {
    let mut made = Vec::new();
    for (_, line) in instructions(dockerfile) {
        let (keyword, rest) = line.split_once(char::is_whitespace).unwrap_or((&line, ""));
        let words: Vec<&str> = rest.split_whitespace().filter(|w| !w.starts_with("--")).collect();
        let [sources @ .., dest] = words.as_slice() else { continue };
        let fetched = keyword.eq_ignore_ascii_case("ADD")
            && sources.iter().any(|s| s.starts_with("http://") || s.starts_with("https://"));
        let written = keyword.eq_ignore_ascii_case("COPY") && sources.iter().any(|s| s.starts_with("<<"));
        if (fetched || written) && !dest.ends_with('/') {
            made.push(dest.trim_matches(['"', '\'']).to_string());
        }
    }
    made
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fetched_program_or_a_written_file_is_the_images_own() {
        let files = AppFiles::from_pairs([("package.json", "{}"), ("index.js", "")]);
        let fetched = "FROM node:20\nADD https://example.net/wait /wait\nCMD /wait && node index.js\n";
        assert!(runs_a_file_the_image_makes(&files, fetched));
        let written = "FROM node:20\nCOPY <<EOF run.json\n{}\nEOF\nCMD [\"pm2-runtime\", \"./run.json\"]\n";
        assert!(runs_a_file_the_image_makes(&files, written));
        let held = AppFiles::from_pairs([("run.json", "{}")]);
        assert!(!runs_a_file_the_image_makes(&held, written), "the repository has it too");
        let plain = "FROM node:20\nADD https://example.net/wait /wait\nCMD [\"node\", \"index.js\"]\n";
        assert!(!runs_a_file_the_image_makes(&files, plain));
    }
}
