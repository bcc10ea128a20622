//! A single-page app the server serves from its root: a static folder mounted at `/`
//! (`app.use(express.static(dir))`, `koa-static`, `serve-static`) and its `index.html` sent
//! for the paths no route takes. `/` answers 200 with the page, without a login: the check a
//! person would pick when the code declares no health route.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, app_code_lines, fact};

/// Calls that serve a folder's files, mounted with no path before them.
const ROOT_MOUNTS: [&str; 8] = [
    "use(express.static(",
    "use(serveStatic(",
    "use(koaStatic(",
    "use(serve(",
    "use(static(",
    "use('/', express.static(",
    "use(\"/\", express.static(",
    "use(staticFiles(",
];

/// `/`, at the line that mounts the folder, when the code also sends `index.html` itself or
/// the folder's page is in the repository.
pub fn spa_root(files: &AppFiles, extensions: &[&str]) -> Option<Fact<String>> {
    let compact = |line: &str| line.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let (at, line) = app_code_lines(files, extensions).find(|(_, line)| {
        let code = compact(line);
        !code.starts_with("//") && ROOT_MOUNTS.iter().any(|mount| code.contains(&compact(mount)))
    })?;
    let sends_index = app_code_lines(files, extensions)
        .any(|(_, line)| (line.contains("sendFile(") || line.contains("sendfile(")) && line.contains("index.html"));
    // The folder the mount names last (`join(__dirname, '..', 'public')` → `public`) holds
    // the page in the repository.
    let folder = line.split(['\'', '"', '`']).skip(1).step_by(2).filter(|l| !l.is_empty() && *l != "/").last();
    let page_held = folder.is_some_and(|folder| {
        let last = folder.rsplit('/').find(|part| !matches!(*part, "" | "." | "..")).unwrap_or(folder);
        let page = format!("{last}/index.html");
        files.files.keys().any(|path| *path == page || path.ends_with(&format!("/{page}")))
    });
    (sends_index || page_held).then(|| fact("/".to_string(), at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_static_folder_at_the_root_with_its_page_is_the_check() {
        let served = AppFiles::from_pairs([(
            "api.js",
            "api.use(express.static(join(__dirname, 'public')));\napi.get(/.*/, (req, res) => res.sendFile(join(__dirname, 'public/index.html')));\n",
        )]);
        assert_eq!(spa_root(&served, &["js"]), Some(fact("/".to_string(), "api.js:1".to_string())));
        let assets_only = AppFiles::from_pairs([("app.js", "app.use('/assets', express.static('assets'));\n")]);
        assert_eq!(spa_root(&assets_only, &["js"]), None);
        let no_page =
            AppFiles::from_pairs([("app.js", "app.use(express.static('uploads'));\n"), ("docs/index.html", "<html>")]);
        assert_eq!(spa_root(&no_page, &["js"]), None);
        let page = AppFiles::from_pairs([
            ("src/app.js", "app.use(serveStatic(path.join(__dirname, '../public')));\n"),
            ("public/index.html", "<html>"),
        ]);
        assert_eq!(spa_root(&page, &["js"]), Some(fact("/".to_string(), "src/app.js:1".to_string())));
    }
}
