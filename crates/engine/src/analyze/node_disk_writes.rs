//! Uploads a Node.js helper writes with plain `fs` into a folder of the app's own disk:
//! `fs.createWriteStream(path.join(__dirname, '../../public/upload', name))` in a util module,
//! `file.pipe(fs.createWriteStream(path.join(config.upload.path, name)))` in a local store. No
//! upload middleware's `dest:` shows it, yet each task keeps what it was sent and loses it when
//! it stops, and a user whose next request reaches another task finds nothing. A write in a
//! block production skips (`else` of `NODE_ENV === 'production'`) never runs in the image.

use super::app_files::AppFiles;
use super::source::is_test_path;
use super::variables::scope_of;
use crate::model::{Finding, VariableScope};

const EXTENSIONS: [&str; 6] = ["js", "mjs", "cjs", "ts", "mts", "cts"];

/// The calls that write a file's bytes (`fs.promises.writeFile` and `fs/promises` included).
const WRITES: [&str; 4] = ["createWriteStream(", "writeFile(", "writeFileSync(", ".mv("];

/// How far above a write its path may be built.
const LOOK_BACK: usize = 12;

/// The first write of uploaded files to local disk in the running app's code: by plain `fs`,
/// or by a formidable upload middleware told to keep them in a folder of the app.
pub fn finding(files: &AppFiles) -> Option<Finding> {
    let running = |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime;
    let mut sources: Vec<(&str, &str)> = files.with_extensions(&EXTENSIONS).filter(|(p, _)| running(p)).collect();
    sources.sort_by_key(|(path, _)| *path);
    // express-fileupload hands each route a file whose `.mv(path)` writes it to local disk.
    let moves_uploads = sources.iter().any(|(_, text)| text.contains("express-fileupload"));
    fs_write(&sources, moves_uploads).or_else(|| formidable_folder(&sources))
}

fn fs_write(sources: &[(&str, &str)], moves_uploads: bool) -> Option<Finding> {
    sources.iter().find_map(|(path, text)| {
        let lines: Vec<&str> = text.lines().collect();
        // An uploader module (`file/local-uploader.js`) says what its writes are.
        let uploader = path.rsplit('/').next().is_some_and(|file| file.to_ascii_lowercase().contains("upload"));
        let skipped = skipped_in_production(text);
        let index = (0..lines.len())
            .find(|&index| !skipped.get(index).copied().unwrap_or(false) && writes_upload(&lines, index, uploader, moves_uploads))?;
        Some(
            Finding::blocker(
                "local-disk-writes",
                "writes uploaded files into a folder of the container's own disk: each task keeps its own copy, and loses it when it stops",
                format!("{path}:{}", index + 1),
            )
            .with_fix("store uploads in S3 (or mount EFS at that folder)"),
        )
    })
}

/// Per line, whether a production start skips it: ferry's image sets NODE_ENV=production, so
/// the development branch of a `NODE_ENV` test (often a local stand-in for a cloud upload)
/// never runs there.
fn skipped_in_production(text: &str) -> Vec<bool> {
    let live = super::node_imports::live_lines(text);
    let kept = super::node_dev_branches::production_lines(live.clone());
    live.iter().zip(&kept).map(|(live, kept)| !live.trim().is_empty() && kept.trim().is_empty()).collect()
}

/// `uploadDir: path.join(__dirname, 'public/img')` given to formidable (or express-formidable),
/// or set on its form (`form.uploadDir = './uploads'`): every upload lands in that folder. A
/// temporary folder (`os.tmpdir()`, `/tmp`) is formidable's default and only a passage.
fn formidable_folder(sources: &[(&str, &str)]) -> Option<Finding> {
    sources.iter().filter(|(_, text)| text.contains("formidable")).find_map(|(path, text)| {
        let index = text.lines().position(|line| {
            let Some((_, value)) = line.split_once("uploadDir") else { return false };
            let value = value.trim_start();
            let value = value.strip_prefix(':').or_else(|| value.strip_prefix('=')).unwrap_or("").trim_start();
            let in_app = value.contains("__dirname")
                || value.contains("process.cwd()")
                || value.starts_with(['\'', '"', '`']) && !value[1..].starts_with('/');
            !value.is_empty() && in_app && !value.to_ascii_lowercase().contains("tmp")
        })?;
        Some(
            Finding::blocker(
                "local-disk-writes",
                "the upload middleware keeps uploaded files in a folder of the container's own disk: each task keeps its own copy, and loses it when it stops",
                format!("{path}:{}", index + 1),
            )
            .with_fix("store uploads in S3 (or mount EFS at that folder)"),
        )
    })
}

/// Line `index` writes a file whose path, on that line or the few above, names an upload
/// folder, or any file when the module is an uploader.
fn writes_upload(lines: &[&str], index: usize, uploader: bool, moves_uploads: bool) -> bool {
    let line = lines[index];
    let code = line.trim_start();
    if code.starts_with("//") || code.starts_with('*') || !WRITES.iter().any(|w| line.contains(w)) {
        return false;
    }
    // `fs.` or a destructured `createWriteStream(`: not a stream of a cloud SDK (`bucket.file(…)
    // .createWriteStream()` takes no path).
    let local = line.contains("fs.")
        || code.starts_with("createWriteStream(")
        || line.contains("= createWriteStream(")
        || (moves_uploads && line.contains(".mv("));
    let takes_path =
        WRITES.iter().any(|w| line.split(w).nth(1).is_some_and(|rest| !rest.trim_start().starts_with(')')));
    let from = index.saturating_sub(LOOK_BACK);
    let upload = uploader || lines[from..=index].iter().any(|l| l.to_ascii_lowercase().contains("upload"));
    local && takes_path && upload
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(files: &[(&str, &str)]) -> Option<String> {
        finding(&AppFiles::from_pairs(files.iter().copied())).map(|f| f.source)
    }

    #[test]
    fn uploads_written_with_plain_fs() {
        let util = "import fs from 'fs'\nexport async function save(buffer, name) {\n  const target = path.join(__dirname, '../../public/upload', name)\n  const stream = fs.createWriteStream(target)\n  stream.write(buffer)\n}\n";
        assert_eq!(source(&[("src/utils/files.ts", util)]).as_deref(), Some("src/utils/files.ts:4"));
        let store = "var fs = require('fs');\nexports.put = function (file, name) {\n  var target = path.join(settings.upload.dir, name);\n  file.pipe(fs.createWriteStream(target));\n};\n";
        assert_eq!(source(&[("lib/store_disk.js", store)]).as_deref(), Some("lib/store_disk.js:4"));
        let uploader = "async save(file) {\n  const { absolutePath } = this.storePath(file.name)\n  const out = fs.createWriteStream(absolutePath)\n}\n";
        assert_eq!(
            source(&[("app/file/local-uploader.js", uploader)]).as_deref(),
            Some("app/file/local-uploader.js:3")
        );
    }

    #[test]
    fn express_fileupload_moves_files_to_local_disk() {
        let server = "const fileupload = require('express-fileupload');\napp.use(fileupload());\n";
        let route = "exports.photo = async (req, res) => {\n  const file = req.files.file;\n  if (file.size > process.env.MAX_FILE_UPLOAD) return;\n  file.mv(`${process.env.FILE_UPLOAD_PATH}/${file.name}`, done);\n};\n";
        let found = source(&[("server.js", server), ("controllers/photos.js", route)]);
        assert_eq!(found.as_deref(), Some("controllers/photos.js:4"));
        assert_eq!(source(&[("controllers/photos.js", route)]), None, "no express-fileupload, no claim");
    }

    #[test]
    fn a_formidable_folder_inside_the_app() {
        let app = "const formidable = require('express-formidable')\napp.use(formidable({\n  uploadDir: path.join(__dirname, 'public/img'),\n}))\n";
        assert_eq!(source(&[("index.js", app)]).as_deref(), Some("index.js:3"));
        let form = "const formidable = require('formidable')\nconst form = new formidable.IncomingForm()\nform.uploadDir = './uploads'\n";
        assert_eq!(source(&[("src/upload.js", form)]).as_deref(), Some("src/upload.js:3"));
        let temporary =
            "const formidable = require('formidable')\nconst form = formidable({ uploadDir: os.tmpdir() })\n";
        assert_eq!(source(&[("src/upload.js", temporary)]), None);
    }

    #[test]
    fn a_write_only_development_runs_is_none() {
        let handler = "const file = await request.file()\nif (process.env.NODE_ENV === 'production') {\n  await pipeline(file.file, cloud.upload_stream())\n} else {\n  const dir = path.resolve(__dirname, 'uploads')\n  await pipeline(file.file, fs.createWriteStream(path.resolve(dir, file.filename)))\n}\n";
        assert_eq!(source(&[("src/routes/uploads.ts", handler)]), None);
        let always = handler.replace("process.env.NODE_ENV === 'production'", "process.env.CLOUD");
        assert_eq!(source(&[("src/routes/uploads.ts", &always)]).as_deref(), Some("src/routes/uploads.ts:6"));
    }

    #[test]
    fn other_writes_are_not_uploads() {
        let log = "const out = fs.createWriteStream(path.join(__dirname, 'access.log'))\n";
        let cloud = "const upload = bucket.file(name)\nupload.createWriteStream()\n";
        let test = "fs.writeFileSync('uploads/x', data)\n";
        assert_eq!(source(&[("src/log.js", log), ("src/gcs.js", cloud), ("test/upload.test.js", test)]), None);
    }
}
