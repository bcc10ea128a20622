//! The port an app's example environment file suggests (`PORT=3000` in `.env.example`). An app
//! that reads `PORT` with no fallback of its own listens where it is told; the maintainers'
//! example says where they run it, which beats a number ferry picks.

use super::app_files::AppFiles;
use super::source::{Fact, fact};

/// Example environment files, by name, at the folder's root.
const EXAMPLE_FILES: [&str; 8] = [
    ".env.example",
    ".env.sample",
    ".env.dist",
    ".env.template",
    ".env.defaults",
    "example.env",
    "sample.env",
    "env.example",
];

/// `PORT=3000` (or `export PORT="3000"`) in the first example file that sets it.
pub fn suggested(files: &AppFiles) -> Option<Fact<u16>> {
    suggested_for(files, "PORT")
}

/// The app's one listen setting without a default (`HTTP_PORT`, required by its config) when
/// it reads no `PORT`, with the port the first example file that sets it gives.
pub fn listen_setting(
    files: &AppFiles,
    variables: &[super::variables::VariableRead],
) -> Option<(String, Option<Fact<u16>>)> {
    let runtime = || {
        variables.iter().filter(|v| {
            !v.tooling && !v.build_time && super::variables::scope_of(&v.source) == crate::model::VariableScope::Runtime
        })
    };
    if runtime().any(|v| v.name == "PORT") {
        return None;
    }
    let mut unset = runtime()
        .filter(|v| v.name.ends_with("_PORT") && super::variables::is_listen_setting(&v.name) && v.default.is_none());
    let (Some(setting), None) = (unset.next(), unset.next()) else { return None };
    Some((setting.name.clone(), suggested_for(files, &setting.name)))
}

/// `NAME=3000` in the first example file that sets it.
fn suggested_for(files: &AppFiles, setting: &str) -> Option<Fact<u16>> {
    EXAMPLE_FILES.iter().find_map(|name| {
        let text = files.get(name)?;
        text.lines().enumerate().find_map(|(index, line)| {
            let (key, value) = line.trim().trim_start_matches("export ").split_once('=')?;
            let value = value.split(" #").next().unwrap_or("").trim().trim_matches(['"', '\'']);
            let port = value.parse::<u16>().ok().filter(|port| *port > 0)?;
            (key.trim() == setting).then(|| fact(port, format!("{name}:{}", index + 1)))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_example_that_sets_port() {
        let files = AppFiles::from_pairs([
            (".env.example", "# Port\nDB=mongodb://localhost\n# PORT=1\nPORT='3000' # the API\n"),
            (".env.sample", "PORT=9000\n"),
        ]);
        let port = suggested(&files).expect("a port");
        assert_eq!((port.value, port.source.as_str()), (3000, ".env.example:4"));
        let none =
            AppFiles::from_pairs([(".env.example", "PORT=\nAPP_PORT=4000\n"), ("config/.env.example", "PORT=1\n")]);
        assert!(suggested(&none).is_none(), "an empty value, another name, a nested file: no suggestion");
    }
}
