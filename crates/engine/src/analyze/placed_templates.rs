//! A configuration file the repository commits only as a template, which its image or its
//! install instructions copy into place: `COPY config.js.template ./config.js`, `cp
//! settings.example.py settings.py`. The app loads the placed file (`require('./config')`), so
//! its reads, ports and defaults are the template's, and ferry's image must place it too or
//! the app cannot start. Environment files (`.env.example`) are not placed: their values are
//! settings for the service, read elsewhere.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use crate::model::PlacedFile;

/// `COPY a b` in an image, `cp a b` / `mv a b` in a script or the README.
static COPY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:^\s*COPY\s+(?:--\S+\s+)*|\b(?:cp|mv)\s+(?:-\w+\s+)*)([\w./-]+)\s+([\w./-]+)\s*(?:$|[;&|])")
        .expect("valid pattern")
});
/// The endings that mark a committed template of the file named without them.
const TEMPLATE_ENDINGS: [&str; 6] = [".template", ".example", ".sample", ".dist", ".default", ".tmpl"];
/// The files worth placing: code and the structured settings code loads.
const PLACED_EXTENSIONS: [&str; 8] = ["js", "cjs", "mjs", "ts", "py", "json", "yml", "yaml"];

/// The templates the repository copies into place, with where it says so.
pub fn placed(files: &AppFiles) -> Vec<PlacedFile> {
    let mut found: Vec<PlacedFile> = Vec::new();
    for (path, text) in files.files.iter().filter(|(path, _)| says_how_to_run(path)) {
        for captures in COPY.captures_iter(text) {
            let (from, to) = (clean(&captures[1]), clean(&captures[2]));
            let Some(to) = placed_name(&from, &to) else { continue };
            if files.has(&to) || files.get(&from).is_none_or(str::is_empty) || found.iter().any(|p| p.to == to) {
                continue;
            }
            let line = text[..captures.get(0).map_or(0, |m| m.start())].lines().count() + 1;
            found.push(PlacedFile { from, to, source: format!("{path}:{line}") });
        }
    }
    found
}

/// The folder's files with each placed template also at its placed name, when there is one.
pub fn with_placed_files(files: &AppFiles) -> Option<(AppFiles, Vec<PlacedFile>)> {
    let placed = placed(files);
    if placed.is_empty() {
        return None;
    }
    let mut with = files.clone();
    for file in &placed {
        let text = files.get(&file.from).unwrap_or_default().to_string();
        with.files.insert(file.to.clone(), text);
    }
    Some((with, placed))
}

/// The repository's images, its shell scripts and its README: where it says how it is run.
fn says_how_to_run(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let shallow = path.matches('/').count() <= 1;
    (name.starts_with("dockerfile") || name.ends_with(".sh") || name.starts_with("readme")) && shallow
}

fn clean(path: &str) -> String {
    path.trim_start_matches("./").to_string()
}

/// The name a template is placed at when `to` is it without the template's ending (or the
/// folder it lands in); `None` for any other copy.
fn placed_name(from: &str, to: &str) -> Option<String> {
    let safe = |p: &str| crate::model::is_copyable_path(p.trim_end_matches('/')) || p == ".";
    if !safe(from) || !safe(to) {
        return None;
    }
    let untemplated = untemplated(from)?;
    let to = if to == "." || to.ends_with('/') {
        let folder = to.trim_end_matches('/').trim_start_matches('.');
        let name = untemplated.rsplit('/').next().unwrap_or(&untemplated);
        if folder.is_empty() { name.to_string() } else { format!("{folder}/{name}") }
    } else {
        to.to_string()
    };
    let name = to.rsplit('/').next().unwrap_or(&to);
    let extension = name.rsplit_once('.').map_or("", |(_, ext)| ext);
    let same = untemplated.rsplit('/').next() == Some(name);
    (same && !name.starts_with(".env") && PLACED_EXTENSIONS.contains(&extension)).then_some(to)
}

/// `config.js.template` → `config.js`, `settings.example.py` → `settings.py`.
fn untemplated(path: &str) -> Option<String> {
    if let Some(ending) = TEMPLATE_ENDINGS.iter().find(|ending| path.ends_with(*ending)) {
        return Some(path[..path.len() - ending.len()].to_string());
    }
    TEMPLATE_ENDINGS.iter().find_map(|ending| {
        let (head, tail) = path.rsplit_once(&format!("{ending}."))?;
        (!tail.contains('/')).then(|| format!("{head}.{tail}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> AppFiles {
        AppFiles::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn an_image_that_copies_a_template_into_place() {
        let app = files(&[
            (
                "Dockerfile",
                "FROM node:14\nWORKDIR /app\nCOPY . ./\nCOPY config.js.template ./config.js\nCMD npm start\n",
            ),
            ("config.js.template", "module.exports = { port: process.env.PORT || 8080 }\n"),
            ("app.js", "const config = require('./config')\n"),
        ]);
        let placed = placed(&app);
        assert_eq!(placed.len(), 1);
        assert_eq!((placed[0].from.as_str(), placed[0].to.as_str()), ("config.js.template", "config.js"));
        assert_eq!(placed[0].source, "Dockerfile:4");
        let (with, _) = with_placed_files(&app).expect("placed");
        assert!(with.get("config.js").is_some_and(|text| text.contains("process.env.PORT")));
    }

    #[test]
    fn a_readme_copy_into_a_folder_and_an_infix_template() {
        let app = files(&[
            ("README.md", "Run:\n\n    cp app/settings.example.py app/\n    python app/main.py\n"),
            ("app/settings.example.py", "import os\nKEY = os.environ['KEY']\n"),
        ]);
        let placed = placed(&app);
        assert_eq!(placed.len(), 1);
        assert_eq!(placed[0].to, "app/settings.py");
    }

    #[test]
    fn env_files_committed_files_and_unsafe_paths_are_not_placed() {
        let env = files(&[("Dockerfile", "COPY .env.example .env\n"), (".env.example", "A=1\n")]);
        assert!(placed(&env).is_empty(), "an env file is the service's settings");
        let there = files(&[
            ("Dockerfile", "COPY config.js.template config.js\n"),
            ("config.js.template", "x\n"),
            ("config.js", "y\n"),
        ]);
        assert!(placed(&there).is_empty(), "the file is committed already");
        let outside = files(&[("Dockerfile", "COPY ../config.js.template ../config.js\n")]);
        assert!(placed(&outside).is_empty());
        let other = files(&[("Dockerfile", "COPY config.js.template other.js\n"), ("config.js.template", "x\n")]);
        assert!(placed(&other).is_empty(), "a copy under another name is no placement");
    }
}
