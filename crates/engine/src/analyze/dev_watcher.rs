//! A process that only watches source files and rebuilds them (`sass --watch`, `make
//! watch-scss`, `watchmedo`, `livereload`, `browser-sync`) is a developer's tool: a Procfile
//! or compose file lists it for local work, and it is no worker to run as a service.

use super::app_files::AppFiles;

/// Programs that exist to watch files (or reload a browser).
const WATCHERS: [&str; 5] = ["watchmedo", "livereload", "browser-sync", "chokidar", "onchange"];

/// Whether `command` watches files: a watcher program, a `--watch` flag or `watch` argument,
/// a `watch`-named make target or npm script, or a make target whose recipe does so.
pub(crate) fn is_watcher(files: &AppFiles, command: &str) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    if watches(&words) {
        return true;
    }
    match words.as_slice() {
        ["make" | "gmake", targets @ ..] => targets.iter().any(|target| recipe_watches(files, target)),
        _ => false,
    }
}

fn watches(words: &[&str]) -> bool {
    words.iter().any(|word| {
        let program = word.rsplit('/').next().unwrap_or(word);
        WATCHERS.contains(&program)
            || *word == "--watch"
            || word.starts_with("--watch=")
            || *word == "watch"
            || word.starts_with("watch-")
            || word.starts_with("watch:")
            || word.ends_with(":watch")
            || word.ends_with("-watch")
    })
}

/// Whether the Makefile's recipe for `target` runs a watcher.
fn recipe_watches(files: &AppFiles, target: &str) -> bool {
    let Some(makefile) = files.get("Makefile") else { return false };
    let head = format!("{target}:");
    let mut lines = makefile.lines().skip_while(|line| !line.starts_with(&head));
    lines.next();
    lines.take_while(|line| line.starts_with('\t')).any(|line| watches(&line.split_whitespace().collect::<Vec<_>>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watchers_and_make_targets_that_run_them() {
        let files =
            AppFiles::from_pairs([("Makefile", "styles:\n\tsass --watch assets:static\n\nqueue:\n\tcelery worker\n")]);
        assert!(is_watcher(&files, "make styles"));
        assert!(is_watcher(&files, "npx tailwindcss -i in.css -o out.css --watch"));
        assert!(is_watcher(&files, "npm run watch:css"));
        assert!(!is_watcher(&files, "make queue"));
        assert!(!is_watcher(&files, "celery -A shop worker"));
    }
}
