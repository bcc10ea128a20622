//! Where a front end's bundler writes its build: Create React App's `build/`, Vite's and Vue
//! CLI's `dist/` unless their config says otherwise, Angular's `outputPath`, webpack's
//! `output.path`, Parcel's `--dist-dir`. Paths are relative to the source folder.

use serde_json::Value;

use super::app_files::{AppFiles, normalized};

/// The bundler a build script runs, as the word that names it.
pub fn bundler(command: &str) -> Option<&'static str> {
    const BUNDLERS: [&str; 11] = [
        "react-scripts",
        "react-app-rewired",
        "craco",
        "vite",
        "ng",
        "vue-cli-service",
        "webpack",
        "parcel",
        "rollup",
        "gulp",
        "grunt",
    ];
    command
        .split(['&', ';', '|'])
        .flat_map(str::split_whitespace)
        .find_map(|word| BUNDLERS.iter().find(|b| **b == word.rsplit('/').next().unwrap_or(word)).copied())
}

/// The folder the bundler writes to, relative to the source folder, when its defaults or its
/// config say; `None` for a bundler whose output only its own code knows (gulp, rollup).
pub fn output_folder(files: &AppFiles, folder: &str, command: &str) -> Option<String> {
    let relative = match bundler(command)? {
        "react-scripts" | "react-app-rewired" | "craco" => {
            assignment(command, "BUILD_PATH").unwrap_or_else(|| "build".to_string())
        }
        "vite" => flag(command, "--outDir")
            .or_else(|| config_value(files, folder, &["vite.config.ts", "vite.config.js", "vite.config.mjs"], "outDir"))
            .unwrap_or_else(|| "dist".to_string()),
        "vue-cli-service" => config_value(files, folder, &["vue.config.js", "vue.config.cjs"], "outputDir")
            .unwrap_or_else(|| "dist".into()),
        "ng" => angular_output(files, folder)?,
        "webpack" => {
            config_value(files, folder, &["webpack.config.js", "webpack.prod.js", "webpack.config.prod.js"], "path")
                .unwrap_or_else(|| "dist".to_string())
        }
        "parcel" => flag(command, "--dist-dir").unwrap_or_else(|| "dist".to_string()),
        _ => return None,
    };
    normalized(&join(folder, &relative)).filter(|path| !path.is_empty())
}

/// `BUILD_PATH=../public react-scripts build`
fn assignment(command: &str, name: &str) -> Option<String> {
    command.split_whitespace().find_map(|word| word.strip_prefix(name)?.strip_prefix('=')).map(unquoted)
}

/// `vite build --outDir ../static` or `--outDir=../static`
fn flag(command: &str, name: &str) -> Option<String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    words.iter().enumerate().find_map(|(index, word)| match word.strip_prefix(name) {
        Some("") => words.get(index + 1).map(|w| unquoted(w)),
        Some(rest) => rest.strip_prefix('=').map(unquoted),
        None => None,
    })
}

fn unquoted(word: &str) -> String {
    word.trim_matches(['"', '\'']).to_string()
}

/// The last string literal on the line of a config file that sets `key` (`outDir:
/// resolve(__dirname, '../server/public')` → `../server/public`).
fn config_value(files: &AppFiles, folder: &str, names: &[&str], key: &str) -> Option<String> {
    let text = names.iter().find_map(|name| files.get(&join(folder, name)))?;
    let line = text.lines().find(|line| {
        let trimmed = line.trim_start();
        trimmed.starts_with(&format!("{key}:")) || trimmed.starts_with(&format!("{key} :"))
    })?;
    let literals: Vec<&str> = line.split(['\'', '"', '`']).skip(1).step_by(2).collect();
    literals.last().filter(|value| !value.is_empty() && !value.contains("${")).map(|value| value.to_string())
}

/// angular.json's build `outputPath` (a string, or `{ "base": ... }` since Angular 17) of its
/// first project that has one.
fn angular_output(files: &AppFiles, folder: &str) -> Option<String> {
    let config: Value = serde_json::from_str(files.get(&join(folder, "angular.json"))?).ok()?;
    config.get("projects")?.as_object()?.values().find_map(|project| {
        let path = project.pointer("/architect/build/options/outputPath")?;
        path.as_str().or_else(|| path.get("base")?.as_str()).map(str::to_string)
    })
}

/// `folder/path`, or `path` for the source folder itself.
pub fn join(folder: &str, path: &str) -> String {
    match folder {
        "" | "." => path.to_string(),
        _ => format!("{folder}/{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bundler_writes_where_its_defaults_or_config_say() {
        let files = AppFiles::from_pairs([
            (
                "web/vite.config.ts",
                "export default {\n  build: {\n    outDir: resolve(__dirname, '../server/public'),\n  },\n}\n",
            ),
            (
                "ui/angular.json",
                r#"{"projects":{"shop":{"architect":{"build":{"options":{"outputPath":{"base":"dist/shop"}}}}}}}"#,
            ),
        ]);
        assert_eq!(output_folder(&files, "client", "react-scripts build").as_deref(), Some("client/build"));
        assert_eq!(output_folder(&files, "web", "tsc && vite build").as_deref(), Some("server/public"));
        assert_eq!(output_folder(&files, "ui", "ng build --configuration production").as_deref(), Some("ui/dist/shop"));
        assert_eq!(output_folder(&files, "app", "vite build --outDir=../www").as_deref(), Some("www"));
        assert_eq!(output_folder(&files, "front", "BUILD_PATH=../public craco build").as_deref(), Some("public"));
        assert_eq!(output_folder(&files, "", "parcel build src/index.html").as_deref(), Some("dist"));
        assert_eq!(output_folder(&files, "client", "gulp build"), None);
        assert_eq!(output_folder(&files, "client", "tsc -p ."), None);
    }

    #[test]
    fn a_path_that_leaves_the_folder_is_none() {
        assert_eq!(normalized("../outside"), None);
        assert_eq!(normalized("./client/../public/"), Some("public".to_string()));
    }
}
