//! Round 21's leftovers about optional features: a disk write inside a backend that a setting
//! picks, and whose default picks another, is a warning that names the setting.

use crate::app_fixtures::{findings, profile_of_files};

use ferry::model::FindingLevel;

const PACKAGE: &str =
    r#"{"name":"blobs","dependencies":{"express":"4.19.2"},"scripts":{"start":"node src/server.js"}}"#;
const SERVER: &str = "const express = require('express');\nconst { makeBackend } = require('./blob/index');\nconst app = express();\nconst backend = makeBackend(process.env.BLOB_BACKEND || 'bucket');\napp.put('/o/:k', (req, res) => backend.upload(req.params.k, req).then(() => res.end()));\napp.listen(3000);\n";
const DISK: &str = "import fs from 'fs';\nimport path from 'path';\nexport class DiskBlobs {\n  async upload(key, body) {\n    const target = path.join(process.env.BLOB_ROOT, key);\n    body.pipe(fs.createWriteStream(target));\n  }\n}\n";

fn blob_index(kind: &str) -> String {
    format!(
        "import {{ DiskBlobs }} from './disk';\nimport {{ BucketBlobs }} from './bucket';\nexport function makeBackend(kind) {{\n  let blobs;\n  if (kind === '{kind}') {{\n    blobs = new DiskBlobs();\n  }} else {{\n    blobs = new BucketBlobs();\n  }}\n  return blobs;\n}}\n"
    )
}

/// The disk backend is one of two a setting picks, and its default picks the bucket: the
/// write is a warning that names the switch. Picked by default, it still blocks.
#[test]
fn a_disk_write_inside_a_backend_the_default_does_not_pick_warns() {
    let bucket = "export class BucketBlobs {\n  async upload(key, body) {}\n}\n";
    let app = |kind: &str, default: &str| {
        let server = SERVER.replace("'bucket'", &format!("'{default}'"));
        profile_of_files(&[
            ("package.json", PACKAGE),
            ("src/server.js", &server),
            ("src/blob/index.js", &blob_index(kind)),
            ("src/blob/disk.js", DISK),
            ("src/blob/bucket.js", bucket),
        ])
    };
    let optional = app("disk", "bucket");
    let writes = findings(&optional, "local-disk-writes");
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert_eq!(writes[0].level, FindingLevel::Warning, "{:?}", writes[0]);
    assert!(writes[0].message.contains("BLOB_BACKEND"), "{}", writes[0].message);
    let picked = app("disk", "disk");
    assert_eq!(findings(&picked, "local-disk-writes")[0].level, FindingLevel::Blocker, "the default picks the disk");
}
