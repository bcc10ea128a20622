//! Blind round 23, findings the code contradicts: a hash's cost under a salt's name and a
//! public page identifier taken for secrets.

use crate::app_fixtures::profile_of_files;

const PACKAGE: &str = r#"{"name":"desk","scripts":{"start":"node app.js"},"dependencies":{"express":"4.19.2"}}"#;

fn secret_of<'a>(profile: &'a ferry::model::AppProfile, name: &str) -> Option<&'a ferry::model::CodeVariable> {
    profile.variables.iter().find(|v| v.name == name)
}

#[test]
fn a_cost_under_a_salt_name_and_a_page_identifier_are_no_secrets() {
    let settings = "module.exports = {\n  rounds: +process.env.HASH_SALT || 12,\n  gtm: process.env.GOOGLE_TAG_MANAGER_KEY || 'GTM-ABC1234',\n  session: process.env.SESSION_SECRET || 'not-so-secret-1',\n}\n";
    let app = "const settings = require('./settings')\nconst express = require('express')\nexpress().listen(process.env.PORT || 3000)\n";
    let profile = profile_of_files(&[
        ("package.json", PACKAGE),
        ("package-lock.json", r#"{"lockfileVersion":3}"#),
        ("app.js", app),
        ("settings.js", settings),
    ]);
    let defaults: Vec<&str> =
        profile.findings.iter().filter(|f| f.kind == "secret-default").map(|f| f.source.as_str()).collect();
    assert_eq!(defaults, ["settings.js:4"], "only the session secret: {:#?}", profile.findings);
    for plain in ["HASH_SALT", "GOOGLE_TAG_MANAGER_KEY"] {
        assert!(secret_of(&profile, plain).is_some_and(|v| !v.secret), "{plain}: {:#?}", profile.variables);
    }
}
